//! Joining reports of one event, within and across documents: candidate pairs, a
//! probability for each, average-link clustering, and one consolidated event per cluster.
//!
//! - **Candidates.** Comparing every pair of reports is quadratic; a report is compared
//!   only with reports that share a key with it: its trigger's stem, each of its
//!   entities, and the buckets of its vector and of its trigger word's vector under
//!   random hyperplanes (4 bands of 8 bits each: near vectors share a bucket in some
//!   band, so "hit" meets "struck"). Within a key, reports are listed in input order;
//!   each looks at the next [`WINDOW`] under each of its keys and is compared with the
//!   [`NEAREST`] of those (same stem first, then by the cosine of their vectors), so a
//!   key that a million reports share costs a million times that, not a million squared.
//! - **Probability.** With the event coreference head ([`crate::model::coref`], trained on
//!   ECB+), the learned scorer reads the two trigger vectors and the pair's evidence
//!   ([`features`]), among it how alike the trigger words are out of context. Without
//!   it (a model folder that lacks the head), two reports are one event when their
//!   triggers share a stem and they share an entity.
//! - **Never joined** whatever the score: explicit calendar dates that cannot be the same
//!   time (a date the tagger could not place on the calendar, "Friday" in an article
//!   without a publication date, is evidence for the scorer instead: reports of one
//!   shooting say Friday in one article and Saturday in the next; within one article,
//!   each calendar date must name a day of the other's, so "since February" does not
//!   reach Tuesday: [`named_alike`]), a denial with a report that it happened, in one
//!   article a possibility with a report that it happened ("a second strike remained
//!   possible" after the strike), events of different type families (an attack is never
//!   an agreement; [`EventType::family`]), and two statements (announcements, threats)
//!   whose named speakers differ (what de Vries said is not what Siemons told) or that
//!   one article reports.
//! - **Always joined**: two statements of one speaker in different articles that share a
//!   quote or most of their words ([`one_statement`]): the head, trained on ECB+ where
//!   statements are seldom the news, misses paraphrased reports of one statement.
//!   (Extending this to every event with different named agents cost 3 CoNLL points on
//!   ECB+ dev: reports of one arrest name the police in one and the FBI in another.)
//! - **Clustering**: average link. Two clusters join while the mean probability over all
//!   their cross pairs (pairs never compared count 0) reaches the threshold, best pair
//!   first, and never when any cross pair may not join. One vague report that resembles
//!   two different events cannot chain them: the mean over the other members holds them
//!   apart.
//! - **Consolidation** ([`consolidate`]): the event takes its type and factuality from a
//!   vote of its reports weighted by their confidence (a meeting reported as planned three
//!   times and once misread as done stays planned), its date from the report with the
//!   narrowest explicit one (else a date the learned links lend, else the publication
//!   day, else a bound by tense), its summary from its best report, all participants, places,
//!   speakers, quotes and sources, and a confidence of 1 − Π(1 − cᵢ).

use super::{Anchor, Event, EventTime, EventType, Factuality, Role};
use crate::doc::{DocId, EntityId};
use crate::model::coref::{value, EventCoref, Feature, Features, WordVectors};
use crate::resolve::names;
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::sync::Arc;

/// How many later reports under one key each report looks at.
pub const WINDOW: usize = 48;

/// How many of those it is compared with. Pairs never compared count as apart in the
/// clustering: 64 scored 0.01 higher on ECB+ dev than 32 and took 40% longer to merge
/// 1,000 articles (README, Event coreference).
pub const NEAREST: usize = 32;

/// Letters of a trigger's stem: "talks" and "talked" share "talk".
const STEM_LETTERS: usize = 4;

/// Hyperplane buckets: bands of bits.
const BANDS: usize = 4;
const BITS: usize = 8;

/// The most a merged event's confidence reaches: no number of reports makes it certain.
const MAX_CONFIDENCE: f32 = 0.99;

/// The share of the smaller clause's words two reports of one speaker must share to be
/// one statement (the overlap the earlier hand rules used for every event).
const MIN_SHARED_WORDS: f32 = 0.3;

/// The threshold of the rule used without the learned head (its probabilities are 0 or 1).
const RULE_THRESHOLD: f32 = 0.5;

/// Joins the reports in `events` that tell of the same event (module docs give the
/// method), scoring pairs with `coref` when given.
pub fn merge(events: Vec<Event>, coref: Option<&EventCoref>) -> Vec<Event> {
    let clusters = cluster(&events, coref);
    let mut slots: Vec<Option<Event>> = events.into_iter().map(Some).collect();
    clusters
        .into_iter()
        .map(|members| consolidate(members.iter().filter_map(|&i| slots[i].take()).collect()))
        .collect()
}

/// The reports of `events` grouped into events: lists of indices, each in input order,
/// the lists in the order of their first report.
pub fn cluster(events: &[Event], coref: Option<&EventCoref>) -> Vec<Vec<usize>> {
    let threshold = coref.map_or(RULE_THRESHOLD, EventCoref::threshold);
    let stories = Stories::of(events);
    let meanings = meanings(events, coref.map(|c| &*c.words));
    let reports: Vec<Report> = events.par_iter().map(|e| Report::of(e, &meanings)).collect();
    // Each pair is scored on its own: in parallel, and in order, so runs are the same.
    let scored: Vec<(usize, usize, Option<f32>)> = candidates(&reports)
        .into_par_iter()
        .map(|(a, b)| {
            let (x, y) = (&reports[a], &reports[b]);
            if !may_join(x, y) {
                return (a, b, None);
            }
            let f = features(x, y, stories.similarity(x.doc(), y.doc()));
            let p = match coref {
                _ if one_statement(x, y, &f) => 1.0,
                Some(c) if !x.event.vector.is_empty() && !y.event.vector.is_empty() => {
                    c.probability(&x.event.vector, &y.event.vector, &f)
                }
                _ => rule(&f),
            };
            (a, b, Some(p))
        })
        .collect();
    let mut links = Links::new(events.len());
    for (a, b, p) in scored {
        match p {
            Some(p) => links.add(a, b, p),
            None => links.forbid(a, b),
        }
    }
    links.average_link(threshold)
}

/// What a report is compared by, worked out once per report rather than once per pair.
pub struct Report<'a> {
    pub event: &'a Event,
    /// The trigger, folded.
    word: String,
    stem: String,
    /// Participants and places, sorted.
    entities: Vec<EntityId>,
    /// Agents and speakers, sorted.
    agents: Vec<EntityId>,
    /// It has an explicit date of its own.
    dated: bool,
    /// The trigger word's unit vector out of context (empty without `WordVectors`).
    meaning: Arc<[f32]>,
}

impl<'a> Report<'a> {
    /// What `event` is compared by; `meanings` holds its trigger's [`Report::meaning`].
    pub fn of(event: &'a Event, meanings: &Meanings) -> Report<'a> {
        let sorted = |x: Vec<EntityId>| {
            let mut x = x;
            x.sort_unstable();
            x.dedup();
            x
        };
        let word = names::fold(&event.trigger);
        Report {
            event,
            stem: word.chars().take(STEM_LETTERS).collect(),
            word,
            entities: sorted(event.entities().collect()),
            agents: sorted(
                event
                    .with_role(Role::Agent)
                    .chain(event.with_role(Role::Speaker))
                    .collect(),
            ),
            dated: event.time.as_ref().is_some_and(EventTime::is_explicit),
            meaning: meanings
                .get(&event.trigger.to_lowercase())
                .cloned()
                .unwrap_or_else(|| Arc::new([])),
        }
    }

    pub fn doc(&self) -> DocId {
        self.event.sources[0].doc
    }
}

/// Two reports of one speaker saying the same thing, in different articles: a quote in
/// common, or most of their words. The learned head, trained on ECB+ where statements
/// are seldom the news, misses these; they are what a reader checks first.
fn one_statement(a: &Report, b: &Report, f: &Features) -> bool {
    let at = |x: Feature| value(f, x);
    let (a, b) = (a.event, b.event);
    let speaker = a
        .with_role(Role::Speaker)
        .any(|x| b.with_role(Role::Speaker).any(|y| x == y));
    let quoted = a.quotes.iter().any(|q| b.quotes.contains(q));
    a.kind.is_speech()
        && b.kind.is_speech()
        && speaker
        && at(Feature::SameDocument) == 0.0
        && (quoted || at(Feature::SharedWords) >= MIN_SHARED_WORDS)
}

/// The rule without a learned head: one stem, and an entity in common.
fn rule(f: &Features) -> f32 {
    let has = |x: Feature| value(f, x) > 0.0;
    let same = has(Feature::SameStem) && has(Feature::SharedEntity);
    if same {
        1.0
    } else {
        0.0
    }
}

/// Trigger words (lowercased) and their unit vectors out of context: one per word, not
/// per report, as a batch's reports share a few thousand words.
pub type Meanings = HashMap<String, Arc<[f32]>>;

/// The [`Meanings`] of the triggers of `events` (none without `words`).
pub fn meanings(events: &[Event], words: Option<&WordVectors>) -> Meanings {
    let Some(words) = words else {
        return Meanings::new();
    };
    let distinct: HashSet<String> = events.iter().map(|e| e.trigger.to_lowercase()).collect();
    distinct
        .into_par_iter()
        .map(|w| {
            let v = words.of(&w);
            (w, v.into())
        })
        .collect()
}

/// Pairs `(a, b)`, `a < b`, of reports that share a key (module docs), each once: for
/// each report, of the later reports within [`WINDOW`] under each of its keys, the
/// [`NEAREST`]: those with the same stem first, then by the cosine of their vectors
/// (adding their words' cosine found no better pairs and took 30% longer on 1,000 articles).
fn candidates(reports: &[Report]) -> Vec<(usize, usize)> {
    let dim = |v: fn(&Report) -> usize| reports.iter().map(v).max().unwrap_or(0);
    let planes = hyperplanes(dim(|r| r.event.vector.len()));
    let meaning_planes = hyperplanes(dim(|r| r.meaning.len()));
    let mut ids: HashMap<Key, usize> = HashMap::new();
    let mut lists: Vec<Vec<usize>> = Vec::new();
    // Per report, its keys' lists and its place in each.
    let mut places: Vec<Vec<(usize, usize)>> = Vec::with_capacity(reports.len());
    for (i, r) in reports.iter().enumerate() {
        let mut keys = vec![Key::Stem(r.stem.clone())];
        keys.extend(r.entities.iter().copied().map(Key::Entity));
        for (space, (planes, v)) in [(&planes, &r.event.vector[..]), (&meaning_planes, &r.meaning[..])]
            .into_iter()
            .enumerate()
        {
            if !v.is_empty() {
                keys.extend(
                    buckets(planes, v)
                        .into_iter()
                        .enumerate()
                        .map(|(band, bucket)| Key::Bucket(space as u8, band as u8, bucket)),
                );
            }
        }
        keys.sort_unstable();
        keys.dedup();
        places.push(
            keys.into_iter()
                .map(|k| {
                    let id = *ids.entry(k).or_insert_with(|| {
                        lists.push(Vec::new());
                        lists.len() - 1
                    });
                    lists[id].push(i);
                    (id, lists[id].len() - 1)
                })
                .collect(),
        );
    }
    places
        .par_iter()
        .enumerate()
        .flat_map_iter(|(a, own)| {
            let mut near: Vec<usize> = own
                .iter()
                .flat_map(|&(list, at)| lists[list][at + 1..].iter().take(WINDOW).copied())
                .collect();
            near.sort_unstable();
            near.dedup();
            let x = &reports[a];
            let likeness = |y: &Report| dot(&x.event.vector, &y.event.vector);
            let mut ranked: Vec<(bool, f32, usize)> = near
                .into_iter()
                .map(|b| (x.stem == reports[b].stem, likeness(&reports[b]), b))
                .collect();
            ranked.sort_by(|x, y| y.0.cmp(&x.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(&y.2)));
            ranked.truncate(NEAREST);
            let mut pairs: Vec<(usize, usize)> = ranked.into_iter().map(|(_, _, b)| (a, b)).collect();
            pairs.sort_unstable();
            pairs
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key {
    Stem(String),
    Entity(EntityId),
    /// (vector space: 0 the head's, 1 the word's; band; bucket).
    Bucket(u8, u8, u8),
}

/// `BANDS × BITS` fixed pseudo-random directions in `dim` dimensions (the same in every run).
fn hyperplanes(dim: usize) -> Vec<Vec<f32>> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        // xorshift64*: enough randomness for bucketing, and no dependency.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    };
    (0..BANDS * BITS).map(|_| (0..dim).map(|_| next()).collect()).collect()
}

/// The bucket of `v` in each band: the signs of its products with the band's planes.
fn buckets(planes: &[Vec<f32>], v: &[f32]) -> Vec<u8> {
    planes
        .chunks(BITS)
        .map(|band| {
            band.iter().enumerate().fold(0u8, |acc, (bit, p)| {
                let side = p.iter().zip(v).map(|(a, b)| a * b).sum::<f32>() > 0.0;
                acc | (u8::from(side) << bit)
            })
        })
        .collect()
}

/// Whether two reports may be one event at all: dates that can be the same, no denial
/// (nor, in one article, a possibility) against a report that it happened, types of one
/// family, and not said by different people.
pub fn may_join(a: &Report, b: &Report) -> bool {
    let speech = a.event.kind.is_speech() && b.event.kind.is_speech();
    let one_article = a.doc() == b.doc();
    // Two things said in one article are two statements, by one speaker or two.
    if speech && (one_article || other_agents(a, b)) {
        return false;
    }
    let (a, b) = (a.event, b.event);
    if let (Some(x), Some(y)) = (a.kind.family(), b.kind.family()) {
        if x != y {
            return false;
        }
    }
    let happened = |x: &Event| matches!(x.factuality, Factuality::Asserted | Factuality::Reported);
    let denied = |x: &Event, y: &Event| x.factuality == Factuality::Negated && happened(y);
    let dates = match (&a.time, &b.time) {
        (Some(x), Some(y)) if x.is_explicit() && y.is_explicit() && x.reach().is_some() && y.reach().is_some() => {
            times_compatible(x, y) && (!one_article || named_alike(x, y))
        }
        _ => true,
    };
    // In one article, what may happen is not what happened. Across articles it may be:
    // one tells of it before, the next after.
    let maybe = |x: &Event, y: &Event| one_article && x.factuality == Factuality::Possible && happened(y);
    dates && !denied(a, b) && !denied(b, a) && !maybe(a, b) && !maybe(b, a)
}

/// How alike two documents' stories are: per document, the entities its reports name,
/// weighted by tf-idf over the run's documents (a name every article uses says little),
/// compared by cosine. Two articles on one earthquake name its places and people; two on
/// two earthquakes share their words but not their names. (Words and trigger stems in
/// the profile scored lower on ECB+ dev: the stories of one topic share them.)
pub struct Stories {
    profiles: HashMap<DocId, Vec<(EntityId, f32)>>,
}

impl Stories {
    pub fn of(events: &[Event]) -> Stories {
        let mut counts: HashMap<DocId, HashMap<EntityId, u32>> = HashMap::new();
        for e in events {
            let c = counts.entry(e.sources[0].doc).or_default();
            for x in e.entities() {
                *c.entry(x).or_default() += 1;
            }
        }
        let mut df: HashMap<EntityId, usize> = HashMap::new();
        for t in counts.values().flat_map(|c| c.keys()) {
            *df.entry(*t).or_default() += 1;
        }
        let n = counts.len() as f32;
        let profiles = counts
            .into_iter()
            .map(|(doc, c)| {
                let mut p: Vec<(EntityId, f32)> = c
                    .into_iter()
                    .map(|(t, tf)| {
                        let idf = ((1.0 + n) / (1.0 + df[&t] as f32)).ln() + 1.0;
                        (t, (1.0 + (tf as f32).ln()) * idf)
                    })
                    .collect();
                p.sort_unstable_by_key(|x| x.0);
                let norm = p.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(f32::EPSILON);
                p.iter_mut().for_each(|x| x.1 /= norm);
                (doc, p)
            })
            .collect();
        Stories { profiles }
    }

    /// The cosine of two documents' profiles; 1 for one document.
    pub fn similarity(&self, a: DocId, b: DocId) -> f32 {
        if a == b {
            return 1.0;
        }
        let (Some(x), Some(y)) = (self.profiles.get(&a), self.profiles.get(&b)) else {
            return 0.0;
        };
        let mut dot = 0.0;
        for_each_shared(x, y, |v| v.0, |v, w| dot += v.1 * w.1);
        dot
    }
}

/// Both have named agents or speakers, and none in common: "de Vries said" and
/// "Siemons told", "Siemons met de Vries" and "the negotiators met".
fn other_agents(a: &Report, b: &Report) -> bool {
    !a.agents.is_empty() && !b.agents.is_empty() && sorted_shared(&a.agents, &b.agents) == 0
}

/// How many values two sorted, distinct lists share.
fn sorted_shared<T: Ord + Copy>(x: &[T], y: &[T]) -> usize {
    let mut shared = 0;
    for_each_shared(x, y, |v| *v, |_, _| shared += 1);
    shared
}

/// Calls `f` on each pair of items with equal keys in two lists sorted by `key`, with
/// distinct keys: one walk through both.
fn for_each_shared<T, K: Ord>(x: &[T], y: &[T], key: impl Fn(&T) -> K, mut f: impl FnMut(&T, &T)) {
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        match key(&x[i]).cmp(&key(&y[j])) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                f(&x[i], &y[j]);
                i += 1;
                j += 1;
            }
        }
    }
}

/// A value's hash, for sets of words compared as sorted numbers.
pub(super) fn hash<T: std::hash::Hash>(x: &T) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    x.hash(&mut h);
    std::hash::Hasher::finish(&h)
}

/// The evidence of two reports for the scorer, in [`Feature::ALL`] order; `story` is
/// their documents' [`Stories::similarity`].
pub fn features(a: &Report, b: &Report, story: f32) -> Features {
    let (sa, sb) = (&a.event.sources[0], &b.event.sources[0]);
    let flag = |x: bool| if x { 1.0 } else { 0.0 };
    let (x, y) = (a.event, b.event);
    let dates = dates_agree(a, b);
    Feature::ALL.map(|f| match f {
        Feature::SameWord => flag(a.word == b.word),
        Feature::SameStem => flag(a.stem == b.stem),
        Feature::SameDocument => flag(sa.doc == sb.doc),
        Feature::SameSentence => flag(sa.doc == sb.doc && sa.sentence == sb.sentence),
        Feature::SharedEntity => flag(sorted_shared(&a.entities, &b.entities) > 0),
        Feature::OtherAgents => flag(other_agents(a, b)),
        Feature::DatesAgree => flag(dates == Some(true)),
        Feature::DatesDiffer => flag(dates == Some(false)),
        Feature::OneDated => flag(a.dated != b.dated),
        Feature::SameType => flag(x.kind == y.kind && x.kind != EventType::Other),
        Feature::SameClass => flag(x.class == y.class),
        Feature::SameFactuality => flag(x.factuality == y.factuality),
        Feature::Nearness => {
            if sa.doc == sb.doc {
                1.0 / (1.0 + sa.trigger.start.abs_diff(sb.trigger.start) as f32 / 200.0)
            } else {
                0.0
            }
        }
        Feature::SameStory => story,
        Feature::WordSimilarity => dot(&a.meaning, &b.meaning),
        Feature::SharedWords => {
            let shared = sorted_shared(&x.words, &y.words);
            let smaller = x.words.len().min(y.words.len());
            if smaller == 0 {
                0.0
            } else {
                shared as f32 / smaller as f32
            }
        }
    })
}

/// The dot product: the cosine of two unit vectors (0 when either is empty).
fn dot(u: &[f32], v: &[f32]) -> f32 {
    u.iter().zip(v).map(|(x, y)| x * y).sum()
}

/// Whether two reports' explicit dates can be the same time; None unless both have one.
fn dates_agree(a: &Report, b: &Report) -> Option<bool> {
    match (&a.event.time, &b.event.time) {
        (Some(x), Some(y)) if a.dated && b.dated => Some(times_compatible(x, y)),
        _ => None,
    }
}

/// Maps keyed by report numbers, with a fast hasher: average link updates millions of
/// entries, and the keys are not chosen by an adversary.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
type FastSet<K> = HashSet<K, foldhash::fast::FixedState>;

/// The pair probabilities between clusters, as sums over their members' pairs, and the
/// pairs that may not join.
struct Links {
    size: Vec<usize>,
    alive: Vec<bool>,
    sums: Vec<FastMap<usize, f32>>,
    forbidden: Vec<FastSet<usize>>,
    /// Each cluster's members; a joined cluster's move to the one it joined.
    members: Vec<Vec<usize>>,
}

/// A heap entry: the mean link of two clusters when it was computed.
#[derive(PartialEq)]
struct Candidate {
    mean: f32,
    a: usize,
    b: usize,
}

impl Eq for Candidate {}

impl Ord for Candidate {
    /// Highest mean first; ties to the earliest pair, so runs are deterministic.
    fn cmp(&self, other: &Self) -> Ordering {
        self.mean
            .total_cmp(&other.mean)
            .then_with(|| (other.a, other.b).cmp(&(self.a, self.b)))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Links {
    fn new(n: usize) -> Links {
        Links {
            size: vec![1; n],
            alive: vec![true; n],
            sums: vec![FastMap::default(); n],
            forbidden: vec![FastSet::default(); n],
            members: (0..n).map(|i| vec![i]).collect(),
        }
    }

    fn add(&mut self, a: usize, b: usize, p: f32) {
        *self.sums[a].entry(b).or_default() += p;
        *self.sums[b].entry(a).or_default() += p;
    }

    fn forbid(&mut self, a: usize, b: usize) {
        self.forbidden[a].insert(b);
        self.forbidden[b].insert(a);
    }

    fn mean(&self, a: usize, b: usize) -> f32 {
        self.sums[a].get(&b).copied().unwrap_or(0.0) / (self.size[a] * self.size[b]) as f32
    }

    fn candidate(&self, a: usize, b: usize) -> Candidate {
        let (a, b) = (a.min(b), a.max(b));
        Candidate {
            mean: self.mean(a, b),
            a,
            b,
        }
    }

    fn average_link(mut self, threshold: f32) -> Vec<Vec<usize>> {
        let mut heap: BinaryHeap<Candidate> = (0..self.size.len())
            .flat_map(|a| self.sums[a].keys().filter(move |&&b| a < b).map(move |&b| (a, b)))
            .filter(|&(a, b)| !self.forbidden[a].contains(&b))
            .map(|(a, b)| self.candidate(a, b))
            .filter(|c| c.mean >= threshold)
            .collect();
        // Only links that reach the threshold are queued: the highest comes first, and
        // one below it would end the clustering.
        while let Some(c) = heap.pop() {
            // Stale: a side has joined another cluster, or the link has changed since.
            if !self.alive[c.a]
                || !self.alive[c.b]
                || self.forbidden[c.a].contains(&c.b)
                || self.mean(c.a, c.b) != c.mean
            {
                continue;
            }
            self.join(c.a, c.b);
            let neighbours: Vec<usize> = self.sums[c.a].keys().copied().collect();
            heap.extend(
                neighbours
                    .into_iter()
                    .filter(|x| !self.forbidden[c.a].contains(x))
                    .map(|x| self.candidate(c.a, x))
                    .filter(|c| c.mean >= threshold),
            );
        }
        let mut out: Vec<Vec<usize>> = (0..self.size.len())
            .filter(|&c| self.alive[c])
            .map(|c| {
                let mut m = std::mem::take(&mut self.members[c]);
                m.sort_unstable();
                m
            })
            .collect();
        out.sort_unstable_by_key(|m| m[0]);
        out
    }

    /// Cluster `b` joins cluster `a`.
    fn join(&mut self, a: usize, b: usize) {
        self.alive[b] = false;
        self.size[a] += self.size[b];
        let moved = std::mem::take(&mut self.members[b]);
        self.members[a].extend(moved);
        let sums = std::mem::take(&mut self.sums[b]);
        self.sums[a].remove(&b);
        for (x, s) in sums {
            if x == a {
                continue;
            }
            self.sums[x].remove(&b);
            *self.sums[x].entry(a).or_default() += s;
            *self.sums[a].entry(x).or_default() += s;
        }
        let forbidden = std::mem::take(&mut self.forbidden[b]);
        for x in forbidden {
            self.forbidden[x].remove(&b);
            self.forbidden[x].insert(a);
            self.forbidden[a].insert(x);
        }
    }
}

/// One event from the reports of one cluster (module docs), given in input order.
pub fn consolidate(mut reports: Vec<Event>) -> Event {
    let weight = |e: &Event| e.confidence.max(f32::EPSILON);
    let kind = vote(
        reports.iter().filter(|e| e.kind != EventType::Other),
        |e| e.kind,
        weight,
    )
    .unwrap_or(EventType::Other);
    let factuality = vote(reports.iter(), |e| e.factuality, weight).unwrap_or(Factuality::Asserted);
    let time = reports
        .iter()
        .filter_map(|e| e.time.clone())
        .reduce(|best, t| if better_time(&best, &t) { t } else { best });
    // The best report speaks for the event: of its type and stance, the most confident.
    let best = (0..reports.len())
        .max_by(|&a, &b| {
            let key = |i: usize| {
                (
                    reports[i].kind == kind && reports[i].factuality == factuality,
                    reports[i].confidence,
                )
            };
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1)).then(b.cmp(&a))
        })
        .unwrap_or(0);
    let mut event = reports.swap_remove(best);
    event.kind = kind;
    event.factuality = factuality;
    event.time = time;
    for e in reports {
        for p in e.participants {
            if !event.participants.iter().any(|q| q.entity == p.entity) {
                event.participants.push(p);
            }
        }
        extend_new(&mut event.places, e.places);
        extend_new(&mut event.reported_by, e.reported_by);
        extend_new(&mut event.quotes, e.quotes);
        event.sources.extend(e.sources);
        event.confidence = (1.0 - (1.0 - event.confidence) * (1.0 - e.confidence)).min(MAX_CONFIDENCE);
    }
    event.sources.sort();
    event
}

/// The value of `key` with the most weight among `items` (ties: the first seen).
fn vote<'a, T: Ord + Copy>(
    items: impl Iterator<Item = &'a Event>,
    key: impl Fn(&Event) -> T,
    weight: impl Fn(&Event) -> f32,
) -> Option<T> {
    let mut totals: BTreeMap<T, (f32, usize)> = BTreeMap::new();
    for (order, e) in items.enumerate() {
        let entry = totals.entry(key(e)).or_insert((0.0, order));
        entry.0 += weight(e);
    }
    totals
        .into_iter()
        .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
        .map(|(k, _)| k)
}

fn extend_new<T: PartialEq>(to: &mut Vec<T>, from: Vec<T>) {
    for x in from {
        if !to.contains(&x) {
            to.push(x);
        }
    }
}

/// Whether `new` dates an event better than `old`: the narrower of two explicit days,
/// else the better evidenced anchor ([`evidence`]).
fn better_time(old: &EventTime, new: &EventTime) -> bool {
    if new.is_explicit() && old.is_explicit() {
        width(new.interval).is_some_and(|n| width(old.interval).is_none_or(|o| n < o))
    } else {
        evidence(new.anchor) > evidence(old.anchor)
    }
}

/// How well an anchor dates an event: its own date expression; a date the learned links
/// lend it (its sentence's narrative or another event's); its article's publication
/// day; a bound by tense.
fn evidence(anchor: Anchor) -> u8 {
    match anchor {
        Anchor::Explicit => 3,
        Anchor::Narrative | Anchor::Event => 2,
        Anchor::Publication => 1,
        Anchor::Tense => 0,
    }
}

/// How many days an interval runs past its first (0 for a single day); shared with [`super::when`].
pub(super) fn width(interval: Option<(NaiveDate, NaiveDate)>) -> Option<i64> {
    interval.map(|(a, b)| (b - a).num_days())
}

/// Whether two explicit times can be the same time ([`EventTime::reach`]).
fn times_compatible(a: &EventTime, b: &EventTime) -> bool {
    match (a.reach(), b.reach()) {
        (Some(x), Some(y)) => x.0 <= y.1 && y.0 <= x.1,
        (Some(days), None) => fits(&b.value, days),
        (None, Some(days)) => fits(&a.value, days),
        (None, None) => agree(&a.value, &b.value),
    }
}

/// Whether each of two calendar dates names a day of the other's: what the writer of one
/// article wrote, before a modifier stretches it. "Since February" reaches Tuesday, but an
/// article that says "has met four times since February" and "met again on Tuesday"
/// tells of two things.
/// (Quarters, halves, seasons and weekends are not compared this way: [`fits`] reads days
/// and weeks only.)
fn named_alike(a: &EventTime, b: &EventTime) -> bool {
    let names =
        |x: &EventTime, y: &EventTime| !days_or_weeks(&x.value) || y.interval.is_none_or(|days| fits(&x.value, days));
    names(a, b) && names(b, a)
}

/// Whether a calendar value is a year, month, week, day or time ("2025", "2025-07",
/// "2025-W29", "2025-07-15T20:00"): the forms [`fits`] compares with a day.
fn days_or_weeks(value: &str) -> bool {
    let (year, rest) = value.split_at(value.len().min(4));
    let unit = rest.as_bytes().get(1);
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && (rest.is_empty() || unit.is_some_and(u8::is_ascii_digit) || (unit == Some(&b'W') && !rest.ends_with("WE")))
}

/// Whether an underspecified value ("XXXX-WXX-1", "XXXX-07") fits a day in `days`.
fn fits(value: &str, (first, last): (NaiveDate, NaiveDate)) -> bool {
    if !value.starts_with(|c: char| c.is_ascii_digit() || c == 'X') || (last - first).num_days() > 400 {
        return true; // PAST_REF, durations, or too long a span to rule anything out
    }
    first.iter_days().take_while(|d| *d <= last).any(|d| {
        let week = d.iso_week();
        agree(value, &d.format("%Y-%m-%d").to_string())
            || agree(
                value,
                &format!(
                    "{}-W{:02}-{}",
                    week.year(),
                    week.week(),
                    d.weekday().number_from_monday()
                ),
            )
    })
}

/// Whether two values agree wherever both say something (X matches anything).
fn agree(a: &str, b: &str) -> bool {
    a.chars().zip(b.chars()).all(|(x, y)| x == y || x == 'X' || y == 'X')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::DocId;

    fn time(value: &str, interval: Option<(&str, &str)>) -> EventTime {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        EventTime {
            value: value.to_string(),
            modifier: None,
            interval: interval.map(|(a, b)| (d(a), d(b))),
            text: String::new(),
            doc: DocId(0),
            span: Some(crate::doc::Span::new(0, 0)),
            anchor: Anchor::Explicit,
        }
    }

    #[test]
    fn compatible_times() {
        let monday = time("2025-07-14", Some(("2025-07-14", "2025-07-14")));
        let week = time("2025-W29", Some(("2025-07-14", "2025-07-20")));
        assert!(times_compatible(&monday, &week));
        assert!(times_compatible(&monday, &time("XXXX-WXX-1", None)));
        assert!(!times_compatible(&monday, &time("XXXX-WXX-2", None)));
        assert!(times_compatible(&monday, &time("XXXX-WXX", None)));
        assert!(times_compatible(&monday, &time("XXXX-07-14", None)));
        assert!(!times_compatible(&monday, &time("XXXX-07-15", None)));
        assert!(!times_compatible(
            &monday,
            &time("2025-07-15", Some(("2025-07-15", "2025-07-15")))
        ));
        assert!(times_compatible(&monday, &time("PAST_REF", None)));
        assert!(!times_compatible(&time("XXXX-WXX-1", None), &time("XXXX-WXX-2", None)));
        // "a deal by Friday" may be Monday's deal; "talks after Friday" may not be.
        let friday = || time("2025-07-18", Some(("2025-07-18", "2025-07-18")));
        let by_friday = EventTime {
            modifier: Some("BEFORE".into()),
            ..friday()
        };
        let after_friday = EventTime {
            modifier: Some("AFTER".into()),
            ..friday()
        };
        assert!(times_compatible(&monday, &by_friday));
        assert!(!times_compatible(&monday, &after_friday));
        assert!(!times_compatible(&friday(), &by_friday));
    }

    #[test]
    fn a_lent_date_beats_the_publication_day_and_a_tense_bound() {
        let at = |anchor, day: &str| EventTime {
            anchor,
            ..time(day, Some((day, day)))
        };
        let tense = at(Anchor::Tense, "2025-07-14");
        let published = at(Anchor::Publication, "2025-07-14");
        let lent = at(Anchor::Event, "2025-07-10");
        let own = at(Anchor::Explicit, "2025-07-09");
        assert!(better_time(&tense, &lent) && better_time(&published, &lent));
        assert!(better_time(&tense, &published) && !better_time(&published, &tense));
        assert!(better_time(&lent, &own) && !better_time(&own, &lent));
        assert!(
            !better_time(&lent, &at(Anchor::Narrative, "2025-07-11")),
            "the first of two lent dates stays"
        );
    }

    #[test]
    fn only_calendar_dates_keep_reports_apart() {
        let at = |doc: usize, value: &str, day: Option<&str>| {
            let mut e = crate::events::testing::event(doc, None);
            e.kind = EventType::Other;
            e.time = Some(time(value, day.map(|d| (d, d))));
            e
        };
        let dates = |f: &Features| (value(f, Feature::DatesAgree), value(f, Feature::DatesDiffer));
        let none = Meanings::new();
        // Articles without a publication date: one says Friday, the other Saturday.
        let (friday, saturday) = (at(0, "XXXX-WXX-5", None), at(1, "XXXX-WXX-6", None));
        let (a, b) = (Report::of(&friday, &none), Report::of(&saturday, &none));
        assert!(may_join(&a, &b));
        assert_eq!(dates(&features(&a, &b, 0.0)), (0.0, 1.0));
        // On the calendar, two days are two events whatever the scorer says.
        let (first, second) = (
            at(0, "2025-07-18", Some("2025-07-18")),
            at(1, "2025-07-19", Some("2025-07-19")),
        );
        let (c, d) = (Report::of(&first, &none), Report::of(&second, &none));
        assert!(!may_join(&c, &d));
        // Friday 18 July and an unplaced Friday can be one day.
        assert!(may_join(&c, &a));
        assert_eq!(dates(&features(&c, &a, 0.0)), (1.0, 0.0));
        // "Since February" reaches 18 July: one event across articles, two in one article.
        let mut since = at(1, "2025-02", Some("2025-02-01"));
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        since.time.as_mut().unwrap().interval = Some((day("2025-02-01"), day("2025-07-18")));
        assert!(may_join(&c, &Report::of(&since, &none)));
        since.sources[0].doc = DocId(0);
        assert!(!may_join(&c, &Report::of(&since, &none)));
        // A quarter is not read as days: in one article it stays joinable with a day in it.
        let mut quarter = at(0, "2025-Q3", Some("2025-07-01"));
        quarter.time.as_mut().unwrap().interval = Some((day("2025-07-01"), day("2025-09-30")));
        assert!(may_join(&c, &Report::of(&quarter, &none)));
        assert!(days_or_weeks("2025-07-15T20:00") && days_or_weeks("2025-W29") && days_or_weeks("2025"));
        assert!(!days_or_weeks("2025-W29-WE") && !days_or_weeks("2025-SU") && !days_or_weeks("PAST_REF"));
    }

    /// Links from a list of (a, b, p); pairs not listed were never compared.
    fn clusters(n: usize, pairs: &[(usize, usize, f32)], forbidden: &[(usize, usize)], t: f32) -> Vec<Vec<usize>> {
        let mut links = Links::new(n);
        for &(a, b, p) in pairs {
            links.add(a, b, p);
        }
        for &(a, b) in forbidden {
            links.forbid(a, b);
        }
        links.average_link(t)
    }

    #[test]
    fn average_link_does_not_chain_through_a_vague_report() {
        // 0–1 and 3–4 are two events; 2 resembles both a little more than the threshold.
        let pairs = [
            (0, 1, 0.9),
            (3, 4, 0.9),
            (1, 2, 0.6),
            (2, 3, 0.6),
            (0, 2, 0.3),
            (2, 4, 0.3),
        ];
        let got = clusters(5, &pairs, &[], 0.5);
        assert!(got.iter().all(|c| !(c.contains(&0) && c.contains(&4))), "{got:?}");
        assert!(got.contains(&vec![0, 1]) || got.contains(&vec![0, 1, 2]), "{got:?}");
        assert!(got.contains(&vec![3, 4]) || got.contains(&vec![2, 3, 4]), "{got:?}");
    }

    #[test]
    fn what_may_happen_is_not_what_happened_in_one_article() {
        let none = Meanings::new();
        let strike = |doc: usize, factuality: Factuality| {
            let mut e = crate::events::testing::event(doc, None);
            e.kind = EventType::Strike;
            e.factuality = factuality;
            e
        };
        let (held, possible) = (strike(0, Factuality::Asserted), strike(0, Factuality::Possible));
        assert!(!may_join(&Report::of(&held, &none), &Report::of(&possible, &none)));
        assert!(!may_join(&Report::of(&possible, &none), &Report::of(&held, &none)));
        // Across articles one may tell of it before it happened, the next after.
        let later = strike(1, Factuality::Asserted);
        assert!(may_join(&Report::of(&possible, &none), &Report::of(&later, &none)));
        // A plan is not a possibility: a planned meeting misread as held in its own
        // article stays joinable, for the vote to settle.
        let planned = strike(0, Factuality::Future);
        assert!(may_join(&Report::of(&planned, &none), &Report::of(&held, &none)));
    }

    #[test]
    fn a_forbidden_pair_keeps_its_clusters_apart() {
        // All pairs score high, but 0 and 2 may not join: 1 goes with one of them.
        let pairs = [(0, 1, 0.95), (1, 2, 0.9), (0, 2, 0.99)];
        let got = clusters(3, &pairs, &[(0, 2)], 0.5);
        assert_eq!(got, vec![vec![0, 1], vec![2]]);
    }

    #[test]
    fn nothing_joins_below_the_threshold() {
        let got = clusters(3, &[(0, 1, 0.4), (1, 2, 0.49)], &[], 0.5);
        assert_eq!(got, vec![vec![0], vec![1], vec![2]]);
    }

    #[test]
    fn near_vectors_share_buckets() {
        let planes = hyperplanes(4);
        let a = buckets(&planes, &[1.0, 0.0, 0.0, 0.0]);
        let same = |b: Vec<u8>| a.iter().zip(&b).filter(|(x, y)| x == y).count();
        assert!(
            same(buckets(&planes, &[0.99, 0.01, 0.0, 0.0])) >= BANDS - 2,
            "near: most bands"
        );
        assert_eq!(same(buckets(&planes, &[-1.0, 0.0, 0.0, 0.0])), 0, "opposite: none");
        assert_eq!(planes, hyperplanes(4), "the same planes in every run");
    }
}
