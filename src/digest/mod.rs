//! Key developments: the few days of a [`Timeline`] a reader needs first, each with
//! sentences from the articles that say what happened, the events behind it and every
//! source. News timeline summarisation, measured on Timeline17
//! ([`crate::eval::timeline17`]).
//!
//! A day is salient by the evidence of independent articles ([`evidence`]). Each
//! article gives a day at most one vote, so that a long article or a busy publication
//! day does not outweigh many articles naming the day once:
//! - naming the day counts 1 ("on March 3", or "since March 3": the day is remembered),
//!   but not the article's own time stamp, its publication day written with the year
//!   ("Monday 3 March 2025 10.40 GMT");
//! - reporting an event of the day adds the event's weight: how surely this article
//!   puts it there (it names the day or dates the event itself, or the event's day is
//!   its publication day and the date its own; an article that only reports what
//!   another dated adds nothing), its factuality, its type and the centrality of its
//!   entities among the articles in scope, weighed as in the event's salience
//!   ([`crate::graph`]);
//! - a vote is worth more from an article published two or more days later, less from
//!   one published before (a plan);
//! - articles published that day count a little.
//!
//! A learned ranker over each day's evidence ([`rank`], `--ranker learned`) can score
//! the days instead; the votes stay the default (it did not beat them). Days are then
//! taken best first, each lowered by its likeness to the days already taken (novelty),
//! and each gets its most central sentences that are about it and say something new,
//! quoted without the time stamps and photo credits pages leave at their head
//! ([`sentences`]). Undated events never make a day.

mod evidence;
mod output;
pub mod rank;
mod sentences;

pub use output::{SCHEMA, SCHEMA_VERSION};
pub use rank::{DateRanker, Ranking};
pub use sentences::words;

use crate::doc::{ById, DocId, EntityId, EventId, Span};
use crate::graph::{interval, Timeline};
use anyhow::{bail, Result};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// What to digest and how much.
#[derive(Debug, Clone)]
pub struct Options {
    /// How many days (K).
    pub dates: usize,
    /// Summary sentences per day (N).
    pub per_date: usize,
    /// Only articles published in this span of days (inclusive), and only days in it.
    pub published_from: Option<NaiveDate>,
    pub published_to: Option<NaiveDate>,
    /// Only the story of these entities (names or aliases, any case).
    pub about: Vec<String>,
    /// How candidate days are ordered: by the articles' votes unless told otherwise.
    pub ranking: Ranking,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            dates: 20,
            per_date: 2,
            published_from: None,
            published_to: None,
            about: Vec::new(),
            ranking: Ranking::Votes,
        }
    }
}

/// The weights of a day's evidence and of its sentences (the module docs say how they
/// combine). Chosen by hand. The article-vote weights (`later`, `before`, `published`)
/// were checked on the Timeline17 development topics (H1N1, haiti): `scripts/t17-dates.py
/// sweep` scored 648 weightings of that evidence and none did clearly better (README,
/// "Timeline17"); the others are not tuned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// An article's vote for naming a day.
    pub named: f64,
    /// A vote counts this much from an article published `later_days` or more after the
    /// day (the day is still remembered)…
    pub later: f64,
    pub later_days: u64,
    /// …and this much from one published before it (a plan); others count as cast.
    pub before: f64,
    /// Added per article published that day.
    pub published: f64,
    /// How surely an article puts an event on its day: it names the day or dated the
    /// event itself…
    pub sure_dated: f64,
    /// …or it came out that day and the event's date is its own.
    pub sure_published: f64,
    /// A candidate sentence's score: a report of the day's event that names the day,
    /// dates the event there or leads an article published that day…
    pub sentence_dated: f64,
    /// …a report of it dated from elsewhere…
    pub sentence_reported: f64,
    /// …the lead of an article published that day…
    pub sentence_lead: f64,
    /// …a sentence that only names the day (a dateline, a time stamp, a plan).
    pub sentence_named: f64,
    /// How much a report of the day's least event loses against one of its heaviest
    /// (0: nothing, 1: all; in between by the events' weights).
    pub lesser: f64,
    /// How much a day that says what a taken day says loses (0: nothing, 1: all).
    pub novelty: f64,
}

impl Weights {
    pub const DEFAULT: Weights = Weights {
        named: 1.0,
        later: 1.5,
        later_days: 2,
        before: 0.5,
        published: 0.25,
        sure_dated: 1.0,
        sure_published: 0.4,
        sentence_dated: 1.0,
        sentence_reported: 0.6,
        sentence_lead: 0.6,
        sentence_named: 0.5,
        lesser: 0.5,
        novelty: 0.5,
    };
}

impl Default for Weights {
    fn default() -> Weights {
        Weights::DEFAULT
    }
}

const WEIGHTS: Weights = Weights::DEFAULT;

/// The key days of a timeline, in date order.
#[derive(Debug, Clone)]
pub struct Digest {
    pub published_from: Option<NaiveDate>,
    pub published_to: Option<NaiveDate>,
    /// The entities of `--about`.
    pub about: Vec<EntityId>,
    /// Articles read: those in the span (and naming an `about` entity).
    pub articles: usize,
    pub dates: Vec<KeyDate>,
}

/// One key day.
#[derive(Debug, Clone)]
pub struct KeyDate {
    pub date: NaiveDate,
    /// The score that chose it (the articles' votes, or the learned ranker's odds),
    /// novelty included.
    pub score: f64,
    pub evidence: Evidence,
    /// Sentences from the articles, verbatim from where page furniture at their head
    /// ends ([`sentences::clean`]).
    pub summary: Vec<Quote>,
    /// Events on that day, most telling first.
    pub events: Vec<EventId>,
    /// Every sentence that reports an event of the day or names the day, by document.
    pub sources: Vec<Source>,
}

/// Counts behind a day's score, for the reader to judge it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Distinct articles that name the day or report an event on it.
    pub articles: usize,
    /// Articles naming the day in a date expression.
    pub references: usize,
    /// Of those, articles published two or more days after it.
    pub later_references: usize,
    /// Articles published that day.
    pub published: usize,
}

/// A sentence of a document: the document, byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    pub doc: DocId,
    pub span: Span,
}

/// A summary sentence with its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub source: Source,
    pub text: String,
}

/// The `dates` best days of `t` (see the module docs). Errors name what left nothing
/// to read: an `about` name no entity has, a span no article was published in.
pub fn digest(t: &Timeline, opts: &Options) -> Result<Digest> {
    let scope = Scope::new(t, opts)?;
    let (days, scored) = candidate_days(t, &scope, opts);
    let mut ranked: Vec<(NaiveDate, f64)> = scored
        .iter()
        .map(|(d, votes, x)| (*d, opts.ranking.score(*votes, x)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    // Novelty only reorders near the top: a few times K candidates are enough.
    ranked.truncate(opts.dates.saturating_mul(3).saturating_add(10));

    let sources: Vec<Vec<(Source, f64, bool)>> = ranked
        .iter()
        .map(|(d, _)| candidates(t, *d, &days[d], &scope.docs))
        .collect();
    // What each would quote: the sentence without page furniture.
    let quoted: Vec<Vec<(Source, f64)>> = sources
        .iter()
        .map(|day| day.iter().map(|&(s, about, _)| (quote(t, s), about)).collect())
        .collect();
    let texts: Vec<&str> = quoted.iter().flatten().map(|(s, _)| text(t, *s)).collect();
    let mut bags = sentences::bags(&texts).into_iter();
    let candidates: Vec<Vec<sentences::Candidate>> = quoted
        .iter()
        .map(|day| {
            day.iter()
                .map(|&(s, about)| sentences::Candidate {
                    doc: s.doc,
                    about,
                    len: sentences::words(text(t, s)).count(),
                    bag: bags.next().unwrap_or_default(),
                })
                .collect()
        })
        .collect();
    let picked = pick_days(&ranked, &candidates, opts.dates);

    let mut chosen = Vec::new();
    let mut dates: Vec<KeyDate> = picked
        .into_iter()
        .map(|(k, score)| {
            let (date, _) = ranked[k];
            let day = &days[&date];
            let all = &sources[k];
            let summary = sentences::choose(&candidates[k], opts.per_date, &mut chosen)
                .into_iter()
                .map(|i| Quote {
                    source: quoted[k][i].0,
                    text: text(t, quoted[k][i].0).to_string(),
                })
                .collect();
            let mut sources: Vec<Source> = all.iter().filter(|c| c.2).map(|c| c.0).collect();
            sources.sort();
            let mut docs: Vec<DocId> = sources.iter().map(|s| s.doc).collect();
            docs.dedup();
            let evidence = Evidence {
                articles: docs.len(),
                references: day.refs.len(),
                later_references: day.later_refs,
                published: day.published,
            };
            KeyDate {
                date,
                score,
                evidence,
                summary,
                events: day.events.iter().map(|e| e.0).collect(),
                sources,
            }
        })
        .collect();
    dates.sort_by_key(|d| d.date);
    Ok(Digest {
        published_from: opts.published_from,
        published_to: opts.published_to,
        about: scope.about,
        articles: scope.docs.iter().filter(|&&k| k).count(),
        dates,
    })
}

/// The features of every candidate day `digest` would rank for `opts` (its ranking
/// aside), in date order: what a date ranker learns from.
pub fn day_features(t: &Timeline, opts: &Options) -> Result<Vec<(NaiveDate, rank::Features)>> {
    let scope = Scope::new(t, opts)?;
    let (_, candidates) = candidate_days(t, &scope, opts);
    Ok(candidates.into_iter().map(|(d, _, x)| (d, x)).collect())
}

/// A candidate day with its vote and features.
type Scored = (NaiveDate, f64, rank::Features);

/// The evidence of each day in scope, and the candidates among them (a day needs an
/// article's vote: a reference or an event put on it, not only articles published),
/// each with its vote and features.
fn candidate_days(t: &Timeline, scope: &Scope, opts: &Options) -> (BTreeMap<NaiveDate, evidence::Day>, Vec<Scored>) {
    let articles = evidence::read_articles(t, &scope.docs);
    let span = (opts.published_from, opts.published_to);
    // Among the articles in scope: with `--about`, its entities are the centre.
    let centrality = crate::graph::centrality(&t.entities, &t.events, |d| scope.docs.by_id(d) == Some(&true));
    let days = evidence::days(t, &articles, &scope.docs, &scope.events, span, &centrality);
    let votes: BTreeMap<NaiveDate, f64> = days.iter().map(|(d, day)| (*d, salience(t, *d, day))).collect();
    let candidates = rank::features(t, &days, &votes, &centrality)
        .into_iter()
        .map(|(d, x)| (d, votes[&d], x))
        .collect();
    (days, candidates)
}

/// What the options leave to read: documents, dated events and the `about` entities.
struct Scope {
    docs: Vec<bool>,
    events: Vec<EventId>,
    about: Vec<EntityId>,
}

impl Scope {
    fn new(t: &Timeline, opts: &Options) -> Result<Scope> {
        let about = about(t, &opts.about)?;
        let span = (opts.published_from, opts.published_to);
        let in_span = |d: &crate::ingest::Document| match span {
            (None, None) => true,
            (from, to) => d
                .dct
                .as_ref()
                .is_some_and(|p| from.is_none_or(|f| f <= p.date) && to.is_none_or(|l| p.date <= l)),
        };
        let mut docs: Vec<bool> = t.documents.iter().map(in_span).collect();
        if !docs.contains(&true) {
            bail!("{}", empty_span(t, span));
        }
        if !about.is_empty() {
            let mut named = vec![false; docs.len()];
            for m in about
                .iter()
                .filter_map(|&e| t.entities.by_id(e))
                .flat_map(|e| &e.mentions)
            {
                if let Some(n) = named.by_id_mut(m.doc) {
                    *n = true;
                }
            }
            docs.iter_mut().zip(named).for_each(|(k, n)| *k &= n);
            if !docs.contains(&true) {
                bail!("no article published in the span names {}", opts.about.join(" or "));
            }
        }
        let events = (0..t.events.len())
            .map(EventId)
            .filter(|&i| {
                let e = &t.events[i];
                interval(e).is_some()
                    && e.sources.iter().any(|s| docs.by_id(s.doc) == Some(&true))
                    && (about.is_empty()
                        || e.entities()
                            .chain(e.reported_by.iter().copied())
                            .any(|x| about.contains(&x)))
            })
            .collect();
        Ok(Scope { docs, events, about })
    }
}

/// The entities going by each of `names` (name or alias, any case).
fn about(t: &Timeline, names: &[String]) -> Result<Vec<EntityId>> {
    let mut out = Vec::new();
    for name in names {
        let found: Vec<EntityId> = (0..t.entities.len())
            .map(EntityId)
            .filter(|&i| t.entities[i].goes_by(name))
            .collect();
        if found.is_empty() {
            let word = name.trim().to_lowercase();
            let mut like: Vec<&str> = t
                .entities
                .iter()
                .map(|e| e.name.as_str())
                .filter(|n| n.to_lowercase().contains(&word))
                .take(5)
                .collect();
            like.dedup();
            let hint = if like.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", like.join(", "))
            };
            bail!("no entity of the timeline is named {name:?}{hint}");
        }
        out.extend(found);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Why a span holds nothing: the span asked and the publication days there are.
fn empty_span(t: &Timeline, span: (Option<NaiveDate>, Option<NaiveDate>)) -> String {
    let show = |d: Option<NaiveDate>| d.map_or("…".to_string(), |d| d.to_string());
    let days: Vec<NaiveDate> = t
        .documents
        .iter()
        .filter_map(|d| d.dct.as_ref().map(|p| p.date))
        .collect();
    let asked = format!("no article was published from {} to {}", show(span.0), show(span.1));
    match (days.iter().min(), days.iter().max()) {
        _ if t.documents.is_empty() => "the timeline has no articles".to_string(),
        (Some(first), Some(last)) => format!(
            "{asked}: the {} articles with a date were published from {first} to {last}",
            days.len()
        ),
        _ => format!("{asked}: no article has a publication date"),
    }
}

/// A day's salience from its evidence (see the module docs): the articles' votes, each
/// worth more from an article written two or more days after the day and less from one
/// written before it, and a little for each article published that day.
fn salience(t: &Timeline, date: NaiveDate, day: &evidence::Day) -> f64 {
    let votes: f64 = day
        .votes
        .iter()
        .map(|(&doc, vote)| {
            let when = match evidence::published(t, doc) {
                Some(p) if p >= date + chrono::Days::new(WEIGHTS.later_days) => WEIGHTS.later,
                Some(p) if p < date => WEIGHTS.before,
                _ => 1.0,
            };
            vote * when
        })
        .sum();
    votes + WEIGHTS.published * day.published as f64
}

/// Candidate sentences of a day in the kept documents, each once, in document order, with how surely they
/// tell what happened that day: a report of one of its events that names the day, or
/// that leads an article published that day (1); one whose date comes from elsewhere,
/// another report or the publication day (0.6); the lead of an article published that
/// day (0.6: news leads tell the day's main event); a sentence that only names the day
/// (0.5: a dateline, a comment's time stamp, a plan). A report of one of the day's
/// lesser events counts less, by its weight against the heaviest's. The scores are
/// [`Weights`]'s `sentence_*` and `lesser`. The flag says whether the sentence is one of
/// the day's sources (it names the day or reports one of its events).
fn candidates(t: &Timeline, date: NaiveDate, day: &evidence::Day, kept: &[bool]) -> Vec<(Source, f64, bool)> {
    let mut out: BTreeMap<Source, f64> = BTreeMap::new();
    let published = t
        .documents
        .iter()
        .zip(&t.texts)
        .enumerate()
        .filter(|(i, (d, _))| kept.get(*i) == Some(&true) && d.dct.as_ref().is_some_and(|p| p.date == date));
    for (doc, (_, text)) in published {
        if let Some(&span) = text.sentences.first() {
            out.insert(Source { doc: DocId(doc), span }, WEIGHTS.sentence_lead);
        }
    }
    // What names the day or reports its events: the day's sources.
    let mut evidence: std::collections::BTreeSet<Source> = std::collections::BTreeSet::new();
    for (&doc, spans) in &day.refs {
        for &span in spans {
            out.insert(Source { doc, span }, WEIGHTS.sentence_named);
            evidence.insert(Source { doc, span });
        }
    }
    // Leads and sentences that name the day; one that also reports the day's event
    // scores 1.
    let named: std::collections::BTreeSet<Source> = out.keys().copied().collect();
    let heaviest = day.events.first().map_or(0.0, |e| e.1);
    for &(i, weight) in &day.events {
        let Some(e) = t.events.by_id(i) else { continue };
        let salient = if heaviest > 0.0 {
            1.0 - WEIGHTS.lesser * (1.0 - weight / heaviest)
        } else {
            1.0
        };
        for s in e.sources.iter().filter(|s| kept.by_id(s.doc) == Some(&true)) {
            let dated_here = e
                .time
                .as_ref()
                .is_some_and(|x| x.is_explicit() && x.doc == s.doc && x.span.is_some_and(|x| s.sentence.contains(x)));
            let source = Source {
                doc: s.doc,
                span: s.sentence,
            };
            let about = if dated_here || named.contains(&source) {
                WEIGHTS.sentence_dated
            } else {
                WEIGHTS.sentence_reported
            };
            let v = out.entry(source).or_insert(0.0);
            *v = v.max(about * salient);
            evidence.insert(source);
        }
    }
    out.into_iter().map(|(s, v)| (s, v, evidence.contains(&s))).collect()
}

/// The part of sentence `s` to quote ([`sentences::clean`]).
fn quote(t: &Timeline, s: Source) -> Source {
    let kept = sentences::clean(text(t, s));
    Source {
        doc: s.doc,
        span: Span::new(s.span.start + kept.start, s.span.start + kept.end),
    }
}

fn text(t: &Timeline, s: Source) -> &str {
    t.documents
        .by_id(s.doc)
        .and_then(|d| d.text.get(s.span.start..s.span.end))
        .unwrap_or("")
}

/// Takes `k` of the `ranked` days, best first, each one's salience lowered by how much
/// its sentences resemble those of a day already taken. Returns (index into `ranked`,
/// score) in the order taken.
fn pick_days(ranked: &[(NaiveDate, f64)], candidates: &[Vec<sentences::Candidate>], k: usize) -> Vec<(usize, f64)> {
    let centroids: Vec<sentences::Bag> = candidates
        .iter()
        .map(|c| sentences::Bag::centroid(c.iter().map(|c| &c.bag)))
        .collect();
    let mut picked: Vec<(usize, f64)> = Vec::new();
    let mut left: Vec<usize> = (0..ranked.len()).collect();
    while picked.len() < k && !left.is_empty() {
        let score = |i: usize| {
            let likeness = picked
                .iter()
                .map(|&(p, _)| centroids[i].cosine(&centroids[p]))
                .fold(0.0, f64::max);
            ranked[i].1 * (1.0 - WEIGHTS.novelty * likeness)
        };
        let Some((at, best)) = left
            .iter()
            .enumerate()
            .map(|(at, &i)| (at, score(i)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        else {
            break;
        };
        picked.push((left.remove(at), best));
    }
    picked
}

#[cfg(test)]
mod tests;
