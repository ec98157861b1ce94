//! Event–time links, learned from the TLINKs of TimeBank and AQUAINT (TBAQ): which date
//! expression anchors an event, in its own sentence or the one before (news narrates:
//! "On March 3 the company announced …; shares fell 5%"), and how an event without one
//! stands to its article's publication day.
//!
//! Two multinomial logistic regressions ([`crate::learn`]) over named features of our
//! own parse: one scores an event with a date expression (`none`, `overlap`, `before`,
//! `after`), one an event with the publication day (`before`, `overlap`, `after`). What
//! the tree rules say ([`super::when::explicit`]) is one of the first model's features,
//! not the decision. `annalist train-time-links` fits both; they ship as
//! `models/when/time_links.json`, compiled in.

use super::read::{self, Reading};
use super::tree::{Sentence, MAX_DEPTH};
use super::when;
use crate::annotated::Annotated;
use crate::doc::Span;
use crate::learn::Softmax;
use crate::resolve::Resolved;
use crate::time::timeml::{Aspect, EventAttrs, GoldDoc, Relation, Tense};
use crate::time::{Dct, Timex, TimexType};
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::LazyLock;

/// The first model's classes: how an event stands to a date expression (`none`: no link).
pub const TIMEX_CLASSES: [&str; 4] = ["none", "overlap", "before", "after"];

/// The second model's classes: how an event stands to its article's publication day.
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

/// The two models and the probability at which a date expression anchors an event (of
/// its most probable relation but none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeLinks {
    pub timex: Softmax,
    pub dct: Softmax,
    pub threshold: f32,
}

static SHIPPED: LazyLock<TimeLinks> = LazyLock::new(|| {
    TimeLinks::parse(include_str!("../../models/when/time_links.json"))
        .expect("models/when/time_links.json is read by the events' tests")
});

impl TimeLinks {
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
        for (m, classes) in [(&links.timex, &TIMEX_CLASSES[..]), (&links.dct, &DCT_CLASSES[..])] {
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
        let p = self.timex.probabilities(features);
        (1..p.len())
            .map(|c| (TIMEX_CLASSES[c], p[c]))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or(("none", 0.0))
    }

    /// How the event described by `features` most likely stands to the publication day.
    pub fn to_publication(&self, features: &[String]) -> &'static str {
        let p = self.dct.probabilities(features);
        let best = (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap_or(0);
        DCT_CLASSES[best]
    }
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

/// What both models read of the event itself.
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

/// Labelled examples for both models: features and the index of the class.
#[derive(Debug, Default)]
pub struct Examples {
    pub timex: Vec<(Vec<String>, usize)>,
    pub dct: Vec<(Vec<String>, usize)>,
}

/// Adds the examples of `a` (the text of `gold` annotated with its creation time;
/// `mentions`: its resolved mentions) to `out`, labelled by `gold`'s TLINKs: each of our
/// event readings on a gold EVENT with each candidate date expression on a gold TIMEX3
/// (`none` without a link between them), and with the publication day where the gold
/// links them. Our own events and date expressions, as the pipeline finds them, so the
/// models learn from what they will see.
pub fn examples(a: &Annotated, mentions: &[Resolved], gold: &GoldDoc, out: &mut Examples) {
    let mut links: HashMap<(&str, Option<&str>), &str> = HashMap::new();
    for l in &gold.time_links {
        links
            .entry((l.eid.as_str(), l.tid.as_deref()))
            .or_insert(class_of(l.relation));
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
    let mut previous = Vec::new();
    for s in super::sentences(a, mentions) {
        let event_of = read::event_words(&s);
        let timexes = read::dates_in(&s, a);
        let tree = when::explicit(&s, &timexes, &event_of);
        for r in read::readings(&s, &event_of) {
            let Some(eid) = event_at(s.words[r.word]) else { continue };
            let event = dated_event_features(&r);
            for (t, place) in when::candidates(&r, &tree, &timexes, &previous, &event_of) {
                let Some(tid) = timex_at(t.span) else { continue };
                let class = links.get(&(eid, Some(tid))).copied().unwrap_or("none");
                let features = timex_features(&event, &r, t, place, dct, !timexes.is_empty());
                out.timex.push((features, index(&TIMEX_CLASSES, class)));
            }
            if let Some(class) = links.get(&(eid, None)) {
                out.dct
                    .push((dct_features(&r, !timexes.is_empty()), index(&DCT_CLASSES, class)));
            }
        }
        previous = timexes;
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
