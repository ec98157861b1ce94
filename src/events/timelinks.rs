//! Event–time links, learned from the TLINKs of TimeBank and AQUAINT (TBAQ): which date
//! expression anchors an event, in its own sentence or the one before (news narrates:
//! "On March 3 the company announced …; shares fell 5%"), and how an event without one
//! stands to its article's publication day.
//!
//! Three multinomial logistic regressions ([`crate::learn`]) over named features of our
//! own parse: one scores an event with a date expression (`none`, `overlap`, `before`,
//! `after`), one an event that no date expression dates with a dated event of its
//! sentence or the one before ("a week after a 48-hour strike halted traffic": the
//! same four classes), and one an event with the publication day (`before`, `overlap`,
//! `after`). What the tree rules say ([`super::when::explicit`]) is one of the first
//! model's features, not the decision. `annalist train-time-links` fits all three; they
//! ship as `models/when/time_links.json`, compiled in.

use super::read::{self, Reading};
use super::tree::{Sentence, MAX_DEPTH};
use super::when::{self, Dated, DatedEvent};
use super::Anchor;
use crate::annotated::Annotated;
use crate::doc::Span;
use crate::learn::Softmax;
use crate::resolve::Resolved;
use crate::time::timeml::{Aspect, EventAttrs, EventClass, GoldDoc, Relation, Tense};
use crate::time::{Dct, Timex, TimexType};
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

/// The classes of the first two models: how an event stands to a date expression, or to
/// a dated event (`none`: no link).
pub const TIMEX_CLASSES: [&str; 4] = ["none", "overlap", "before", "after"];

/// The publication-day model's classes: how an event stands to its article's publication
/// day.
pub const DCT_CLASSES: [&str; 3] = ["before", "overlap", "after"];

/// The class a TimeML relation (read from the event's side) counts as: before, after,
/// or some overlap (included, including, during, simultaneous, beginning, ending), which
/// is what dates an event on a timeline.
pub fn class_of(r: Relation) -> &'static str {
    match r {
        Relation::Before | Relation::IBefore => "before",
        Relation::After | Relation::IAfter => "after",
        _ => "overlap",
    }
}

/// The three models, the probability at which a date expression anchors an event (of
/// its most probable relation but none), and the one at which a dated event passes its
/// date to an event without one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeLinks {
    pub timex: Softmax,
    pub event: Softmax,
    pub dct: Softmax,
    pub threshold: f32,
    pub event_threshold: f32,
}

static SHIPPED: LazyLock<TimeLinks> = LazyLock::new(|| {
    TimeLinks::parse(include_str!("../../models/when/time_links.json"))
        .expect("models/when/time_links.json is read by the events' tests")
});

impl TimeLinks {
    /// Whether a dated event may lend its date at all: an event threshold above 1, which
    /// no probability reaches, turns the event–event model off (`eval time-links`'s
    /// "dates only" runs), and then it need not be read.
    pub fn lends_event_dates(&self) -> bool {
        self.event_threshold <= 1.0
    }

    /// `models/when/time_links.json`, compiled in. A test reads it, so a build that
    /// passes its tests cannot fail here.
    pub fn shipped() -> &'static TimeLinks {
        &SHIPPED
    }

    /// Models written by `annalist train-time-links`.
    pub fn read(path: &Path) -> Result<TimeLinks> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading time links {}", path.display()))?;
        TimeLinks::parse(&text).with_context(|| {
            format!(
                "{}: not event–time link models of this version of annalist (write them with `annalist train-time-links`)",
                path.display()
            )
        })
    }

    pub fn parse(text: &str) -> Result<TimeLinks> {
        let links: TimeLinks = serde_json::from_str(text)?;
        for (m, classes) in [
            (&links.timex, &TIMEX_CLASSES[..]),
            (&links.event, &TIMEX_CLASSES[..]),
            (&links.dct, &DCT_CLASSES[..]),
        ] {
            if m.classes != classes
                || m.bias.len() != classes.len()
                || m.weights.values().any(|w| w.len() != classes.len())
            {
                bail!("a model has classes {:?}, not {classes:?}", m.classes);
            }
        }
        Ok(links)
    }

    /// How the event stands to the date expression described by `features`, if linked:
    /// the most probable of `overlap`, `before` and `after`, and its probability.
    pub fn link(&self, features: &[String]) -> (&'static str, f32) {
        likeliest_link(&self.timex, features)
    }

    /// How the undated event stands to the dated one described by `features`, as
    /// [`TimeLinks::link`].
    pub fn link_event(&self, features: &[String]) -> (&'static str, f32) {
        likeliest_link(&self.event, features)
    }

    /// How the event described by `features` most likely stands to the publication day.
    pub fn to_publication(&self, features: &[String]) -> &'static str {
        let p = self.dct.probabilities(features);
        let best = (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap_or(0);
        DCT_CLASSES[best]
    }
}

/// The most probable class of `m` (of [`TIMEX_CLASSES`]) but `none`, and its probability.
fn likeliest_link(m: &Softmax, features: &[String]) -> (&'static str, f32) {
    let p = m.probabilities(features);
    (1..p.len())
        .map(|c| (TIMEX_CLASSES[c], p[c]))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or(("none", 0.0))
}

/// How events get their dates.
#[derive(Debug, Clone, Copy)]
pub enum Dating<'m> {
    /// The tree rules: the nearest event above a date expression takes it; an undated one
    /// is anchored by its tense ([`super::when`]).
    Tree,
    /// The learned links, with the tree's choice among their evidence.
    Learned(&'m TimeLinks),
}

impl Dating<'static> {
    /// The learned links that ship with annalist.
    pub fn shipped() -> Dating<'static> {
        Dating::Learned(TimeLinks::shipped())
    }
}

/// Where a candidate date expression stands to the event.
#[derive(Debug, Clone, Copy)]
pub(super) enum Place {
    /// In the event's sentence: what the tree rules make of it.
    Same {
        /// The tree gives this expression to this event.
        rule: bool,
        /// The tree gives this event another expression.
        rule_other: bool,
        /// The tree gives this expression to another event.
        taken: bool,
        /// The event is coordinated with the one the tree gives it ("met on Monday and
        /// signed").
        conjunct: bool,
    },
    /// In the sentence before; `last`: the last date expression there.
    Previous { last: bool },
}

impl Place {
    /// How an event a date expression at this place dates is anchored.
    pub(super) fn anchor(self) -> Anchor {
        match self {
            Place::Same { .. } => Anchor::Explicit,
            Place::Previous { .. } => Anchor::Narrative,
        }
    }
}

/// The attributes that tell an event's tense: its own, or its support verb's ("have
/// made statements").
pub(super) fn tense_attrs<'a>(r: &Reading<'_, 'a>) -> &'a EventAttrs {
    std::iter::once(r.top)
        .chain(r.heads())
        .filter_map(|w| r.s.trigger(w))
        .map(|m| &m.attrs)
        .find(|a| a.tense != Tense::None || a.aspect != Aspect::None)
        .unwrap_or(&r.mention.attrs)
}

/// What every model reads of the event itself.
fn event_features(r: &Reading) -> Vec<String> {
    let s = r.s;
    let a = tense_attrs(r);
    let mut f = vec![
        format!("class={}", r.mention.attrs.class),
        format!("tense={}", a.tense),
        format!("aspect={}", a.aspect),
        format!("tense_aspect={}_{}", a.tense, a.aspect),
        format!("modality={}", r.mention.attrs.modality.as_str()),
        format!("polarity={}", r.mention.attrs.polarity),
        format!("upos={}", s.upos(r.word)),
        format!("rel={}", s.base(r.top)),
        format!("word={}", s.lower(r.word)),
    ];
    for h in r.heads() {
        f.extend(s.with_rel(h, &["aux", "mark"]).map(|c| format!("aux={}", s.lower(c))));
    }
    if let Some(h) = s.head(r.top) {
        f.push(format!("governor_reports={}", s.is_reporting(h)));
        if let Some(m) = s.trigger(h) {
            f.push(format!("governor_tense={}", m.attrs.tense));
        }
    }
    f
}

/// How the days `interval` stand to `day`: all before it, all after it, or one of them
/// on it; None when the date pins no days.
pub fn relation_to_day(interval: Option<(NaiveDate, NaiveDate)>, day: NaiveDate) -> Option<&'static str> {
    let (first, last) = interval?;
    Some(if last < day {
        "before"
    } else if first > day {
        "after"
    } else {
        "overlap"
    })
}

/// What the date model reads of event `r` itself, the same with each of its dates: not
/// the event's word, as which words take a date is the corpus' story, not English.
pub(super) fn dated_event_features(r: &Reading) -> Vec<String> {
    event_features(r)
        .into_iter()
        .filter(|x| !x.starts_with("word="))
        .collect()
}

/// The features of event `r` with date expression `t`, found at `place`: `event`, its
/// [`dated_event_features`], and those of the pair; `dated`: whether the event's own
/// sentence has a date expression.
pub(super) fn timex_features(
    event: &[String],
    r: &Reading,
    t: &Timex,
    place: Place,
    dct: Option<&Dct>,
    dated: bool,
) -> Vec<String> {
    let s = r.s;
    let mut f = event.to_vec();
    let kind = match t.kind {
        TimexType::Date => "DATE",
        TimexType::Time => "TIME",
        TimexType::Duration => "DURATION",
        TimexType::Set => "SET",
    };
    let when = dct
        .and_then(|d| relation_to_day(t.interval, d.date))
        .unwrap_or("unknown");
    f.push(format!("timex={kind}"));
    f.push(format!("span={}", span_of(t)));
    f.push(format!("timex_when={when}"));
    f.push(format!("tense_when={}_{when}", tense_attrs(r).tense));
    match place {
        Place::Same {
            rule,
            rule_other,
            taken,
            conjunct,
        } => {
            f.push("same".into());
            for (on, name) in [
                (rule, "rule"),
                (rule_other, "rule_other"),
                (taken, "taken"),
                (conjunct, "conjunct"),
            ] {
                if on {
                    f.push(name.into());
                }
            }
            let Some(h) = s.head_of(t.span) else { return f };
            let w = r.word;
            f.push(format!(
                "order={}",
                if t.span.start < s.words[w].start {
                    "date_first"
                } else {
                    "event_first"
                }
            ));
            let (path, steps) = path(s, h, w);
            f.push(format!("path={path}"));
            f.push(format!("path_steps={}", steps.min(6)));
            let case = s.case_of(h).unwrap_or_else(|| "-".into());
            f.push(format!("case={case}"));
            f.push(format!("case_rule={case}_{rule}"));
            f.push(format!("case_tense={case}_{}", tense_attrs(r).tense));
            let events_between = (h.min(w) + 1..h.max(w)).filter(|&i| s.trigger(i).is_some()).count();
            f.push(format!("events_between={}", events_between.min(2)));
        }
        Place::Previous { last } => {
            f.push("previous".into());
            f.push(format!("previous_last={last}"));
            f.push(format!("previous_dated={dated}"));
            f.push(format!("previous_rel={}", s.base(r.top)));
        }
    }
    f
}

/// The subordinators and prepositions of reading `r`'s words, folded: the words that
/// tell how it stands to another event ("after the strike", "when they met").
fn signals(r: &Reading) -> Vec<String> {
    let s = r.s;
    r.heads()
        .flat_map(|h| s.with_rel(h, &["mark", "case"]).collect::<Vec<_>>())
        .map(|c| s.lower(c))
        .collect()
}

/// What the event–event model reads of dated event `r`, dated by `dated`: its class,
/// tense and aspect, relation, part of speech, signal words, and how it is dated.
pub(super) fn dated_features(r: &Reading, dated: &Dated) -> Vec<String> {
    let a = tense_attrs(r);
    let mut f = vec![
        format!("other_class={}", r.mention.attrs.class),
        format!("other_tense={}", a.tense),
        format!("other_aspect={}", a.aspect),
        format!("other_rel={}", r.s.base(r.top)),
        format!("other_upos={}", r.s.upos(r.word)),
        format!("other_relation={}", dated.relation),
        format!("other_anchor={}", dated.anchor.name()),
    ];
    f.extend(signals(r).into_iter().map(|w| format!("other_signal={w}")));
    f
}

/// Where a dated event stands to an undated one.
#[derive(Debug, Clone, Copy)]
pub(super) enum Beside {
    /// In its sentence, at this word.
    Same(usize),
    /// In the sentence before; `last`: the last dated event there.
    Previous { last: bool },
}

/// The features of undated event `r` with a dated event (`other`: its
/// [`dated_features`], `tense` and `class`) at `beside`: `event` (`r`'s
/// [`dated_event_features`]), those of the other, and those of the pair.
pub(super) fn event_link_features(
    event: &[String],
    r: &Reading,
    other: &[String],
    (tense, class): (Tense, EventClass),
    beside: Beside,
) -> Vec<String> {
    let s = r.s;
    let mut f = event.to_vec();
    f.extend_from_slice(other);
    f.push(format!("tenses={}_{tense}", tense_attrs(r).tense));
    f.push(format!("classes={}_{class}", r.mention.attrs.class));
    f.extend(signals(r).into_iter().map(|w| format!("signal={w}")));
    match beside {
        Beside::Same(w) => {
            f.push("same".into());
            let (path, steps) = path(s, r.word, w);
            f.push(format!("path={path}"));
            f.push(format!("path_steps={}", steps.min(6)));
            f.push(format!(
                "order={}",
                if w < r.word { "other_first" } else { "event_first" }
            ));
            let between = (w.min(r.word) + 1..w.max(r.word))
                .filter(|&i| s.trigger(i).is_some())
                .count();
            f.push(format!("events_between={}", between.min(2)));
        }
        Beside::Previous { last } => {
            f.push("previous".into());
            f.push(format!("previous_last={last}"));
            f.push(format!("previous_rel={}", s.base(r.top)));
        }
    }
    f
}

/// The features of event `r` with its article's publication day.
pub(super) fn dct_features(r: &Reading, dated: bool) -> Vec<String> {
    let mut f = event_features(r);
    f.push(format!("sentence_dated={dated}"));
    f
}

/// How many days a date covers, coarsely: a day, a week, a month, a year, more, or
/// none pinned.
fn span_of(t: &Timex) -> &'static str {
    match t.interval.map(|(a, b)| (b - a).num_days() + 1) {
        Some(1) => "day",
        Some(2..=7) => "week",
        Some(8..=31) => "month",
        Some(32..=366) => "year",
        Some(_) => "more",
        None => "unpinned",
    }
}

/// The relations from word `from` up to the lowest word above both, and down to `to`
/// ("obl^" then "ccomp"), at most three each way, and how many steps the whole path
/// takes.
fn path(s: &Sentence, from: usize, to: usize) -> (String, usize) {
    let up = |mut at: usize| {
        let mut chain = vec![at];
        for _ in 0..MAX_DEPTH {
            match s.head(at) {
                Some(h) if !chain.contains(&h) => {
                    chain.push(h);
                    at = h;
                }
                _ => break,
            }
        }
        chain
    };
    let (a, b) = (up(from), up(to));
    let Some((i, j)) = a
        .iter()
        .enumerate()
        .find_map(|(i, x)| b.iter().position(|y| y == x).map(|j| (i, j)))
    else {
        return ("none".into(), MAX_DEPTH * 2);
    };
    if i > 3 || j > 3 {
        return ("long".into(), i + j);
    }
    let rels = |chain: &[usize]| {
        chain
            .iter()
            .map(|&w| s.base(w).to_string())
            .collect::<Vec<_>>()
            .join("/")
    };
    (format!("{}^{}", rels(&a[..i]), rels(&b[..j])), i + j)
}

/// Labelled examples for the three models: features and the index of the class.
#[derive(Debug, Default)]
pub struct Examples {
    pub timex: Vec<(Vec<String>, usize)>,
    pub event: Vec<(Vec<String>, usize)>,
    pub dct: Vec<(Vec<String>, usize)>,
}

/// Adds the examples of `a` (the text of `gold` annotated with its creation time;
/// `mentions`: its resolved mentions) to `out`, labelled by `gold`'s TLINKs: each of our
/// event readings on a gold EVENT with each candidate date expression on a gold TIMEX3
/// (`none` without a link between them); each reading the gold links to none of those
/// with each reading of its sentence and the one before that the gold does link to one
/// (dated as the gold says; `none` without an event–event link); and each reading with
/// the publication day where the gold links them. Our own events and date expressions,
/// as the pipeline finds them, so the models learn from what they will see.
pub fn examples(a: &Annotated, mentions: &[Resolved], gold: &GoldDoc, out: &mut Examples) {
    let mut links: HashMap<(&str, Option<&str>), &str> = HashMap::new();
    for l in &gold.time_links {
        links
            .entry((l.eid.as_str(), l.tid.as_deref()))
            .or_insert(class_of(l.relation));
    }
    let mut event_links: HashMap<(&str, &str), &str> = HashMap::new();
    for l in &gold.event_links {
        let (from, to) = (l.from.as_str(), l.to.as_str());
        event_links.entry((from, to)).or_insert(class_of(l.relation));
        event_links.entry((to, from)).or_insert(class_of(l.relation.inverse()));
    }
    let event_at = |span: Span| {
        gold.events
            .iter()
            .find(|e| e.span.overlaps(span))
            .map(|e| e.eid.as_str())
    };
    let timex_at = |span: Span| {
        gold.timexes
            .iter()
            .find(|t| t.span.overlaps(span))
            .map(|t| t.tid.as_str())
    };
    let index = |classes: &[&str], c: &str| classes.iter().position(|x| *x == c).unwrap_or(0);
    let dct = a.doc.dct.as_ref();
    // The sentence before, and the gold event of each of its dated events' words.
    let mut previous: (when::Previous, HashMap<usize, &str>) = Default::default();
    for s in super::sentences(a, mentions) {
        let event_of = read::event_words(&s);
        let timexes = read::dates_in(&s, a);
        let tree = when::explicit(&s, &timexes, &event_of);
        let (mut dated, mut eids, mut undated) = (Vec::new(), HashMap::new(), Vec::new());
        for r in read::readings(&s, &event_of) {
            let Some(eid) = event_at(s.words[r.word]) else { continue };
            let event = dated_event_features(&r);
            // The gold's date of the event, overlaps first.
            let mut own: Option<Dated> = None;
            for (t, place) in when::candidates(&r, &tree, &timexes, &previous.0.timexes, &event_of) {
                let Some(tid) = timex_at(t.span) else { continue };
                let class = links.get(&(eid, Some(tid))).copied().unwrap_or("none");
                let features = timex_features(&event, &r, t, place, dct, !timexes.is_empty());
                out.timex.push((features, index(&TIMEX_CLASSES, class)));
                if class != "none" && own.is_none_or(|o| o.relation != "overlap") {
                    own = Some(Dated {
                        timex: t,
                        anchor: place.anchor(),
                        relation: class,
                    });
                }
            }
            if let Some(class) = links.get(&(eid, None)) {
                out.dct
                    .push((dct_features(&r, !timexes.is_empty()), index(&DCT_CLASSES, class)));
            }
            match own {
                Some(d) => {
                    eids.insert(r.word, eid);
                    dated.push(DatedEvent::new(&r, d));
                }
                None => undated.push((r, eid, event)),
            }
        }
        for (r, eid, event) in &undated {
            for (o, b) in when::beside(&dated, &previous.0.events) {
                // A word is one event in its sentence.
                let of_sentence = match b {
                    Beside::Same(_) => &eids,
                    Beside::Previous { .. } => &previous.1,
                };
                let Some(&other) = of_sentence.get(&o.word) else {
                    continue;
                };
                let class = event_links.get(&(*eid, other)).copied().unwrap_or("none");
                out.event
                    .push((o.features_with(event, r, b), index(&TIMEX_CLASSES, class)));
            }
        }
        let sentence = when::Previous { timexes, events: dated };
        previous = (sentence, eids);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_links_are_read_and_foreign_ones_refused() {
        let shipped = TimeLinks::shipped();
        assert!(shipped.timex.weights.len() > 100 && shipped.dct.weights.len() > 100);
        assert!((0.0..1.0).contains(&shipped.threshold));
        let mut wrong = shipped.clone();
        wrong.dct.classes.reverse();
        let e = TimeLinks::parse(&serde_json::to_string(&wrong).unwrap()).unwrap_err();
        assert!(e.to_string().contains("classes"), "{e}");
    }

    #[test]
    fn an_undated_event_learns_from_its_gold_link_to_a_dated_one() {
        use crate::annotated::testing::parsed;
        let a = parsed(
            "d",
            Some("2025-03-12"),
            &[
                "On/2/case/ADP March_3/4/obl/PROPN Acme/4/nsubj/PROPN announced/0/root/VERB/OCCURRENCE,POS,none,PAST \
                 results/4/obj/NOUN ./4/punct/PUNCT",
                "Shares/2/nsubj/NOUN fell/0/root/VERB/OCCURRENCE,POS,none,PAST ./2/punct/PUNCT",
            ],
            &[("Acme", crate::ner::EntityType::ORG)],
            &[("March_3", "2025-03-03")],
        );
        let gold = crate::time::timeml::parse(
            "d",
            r#"<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2025-03-12" functionInDocument="CREATION_TIME"/></DCT>
<TEXT>On <TIMEX3 tid="t1" type="DATE" value="2025-03-03">March_3</TIMEX3> Acme <EVENT eid="e1" class="OCCURRENCE">announced</EVENT> results . Shares <EVENT eid="e2" class="OCCURRENCE">fell</EVENT> .</TEXT>
<MAKEINSTANCE eiid="ei1" eventID="e1" tense="PAST" aspect="NONE" polarity="POS"/>
<MAKEINSTANCE eiid="ei2" eventID="e2" tense="PAST" aspect="NONE" polarity="POS"/>
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t1"/>
<TLINK lid="l2" relType="BEFORE" eventInstanceID="ei1" relatedToEventInstance="ei2"/></TimeML>"#,
        )
        .unwrap();
        assert_eq!(gold.text, a.doc.text);
        let res = crate::resolve::resolve(std::slice::from_ref(&a), None);
        let mut out = Examples::default();
        examples(&a, &res.mentions[0], &gold, &mut out);
        let event: Vec<_> = out
            .event
            .iter()
            .map(|(f, y)| (TIMEX_CLASSES[*y], f.contains(&"previous".to_string())))
            .collect();
        assert_eq!(
            event,
            [("after", true)],
            "fell, undated, after announced of the sentence before, read from fell's side"
        );
        let dated: Vec<_> = out.timex.iter().filter(|(_, y)| *y != 0).collect();
        assert_eq!(dated.len(), 1, "announced on March 3");
    }

    #[test]
    fn relations_count_as_before_after_or_overlap() {
        assert_eq!(class_of(Relation::IBefore), "before");
        assert_eq!(class_of(Relation::After), "after");
        for r in [
            Relation::IsIncluded,
            Relation::Includes,
            Relation::During,
            Relation::Ends,
        ] {
            assert_eq!(class_of(r), "overlap");
        }
        let day = |d: u32| NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
        assert_eq!(relation_to_day(Some((day(1), day(31))), day(12)), Some("overlap"));
        assert_eq!(relation_to_day(Some((day(1), day(11))), day(12)), Some("before"));
        assert_eq!(relation_to_day(Some((day(13), day(13))), day(12)), Some("after"));
        assert_eq!(relation_to_day(None, day(12)), None);
    }
}
