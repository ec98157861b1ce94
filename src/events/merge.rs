//! Joining reports of one event, within and across documents.
//!
//! Two reports are one event when their types are alike (statement ~ announcement,
//! meeting ~ negotiation, else equal; two events of type other need the same trigger
//! stem), their factuality agrees (a denial never joins a report that it happened, nor
//! a plan one that it did: negated, planned-or-possible, and asserted-or-reported are
//! apart), they share an entity, their times are compatible, they come from different
//! sentences, and their clauses share enough words or a quote. Words are 5-letter stems of words of 4 letters or more, outside entity
//! mentions and a stop list, plus the events' entities; enough is at
//! least two shared and 30% of the smaller clause's (the overlap coefficient, which a
//! long clause reporting a short one does not dilute). Times are compatible when both are explicit and
//! their days overlap, or an underspecified value fits ("XXXX-WXX-1" fits any Monday);
//! a time anchored on a publication date (by tense) never blocks a merge.
//!
//! Dated reports are placed first, so an undated report joins a dated event and the
//! event keeps the date: the merged event takes the explicit time with the narrowest
//! interval, the union of participants, places, speakers, quotes and sources, asserted
//! when any report asserts it, and a confidence of 1 − Π(1 − cᵢ).

use super::{Anchor, Event, EventTime, EventType, Factuality};
use crate::annotated::Annotated;
use crate::doc::{ById, EntityId, Span};
use crate::resolve::names;
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeSet, HashMap};

/// The thresholds of joining (the module docs give the rules). Chosen by hand on our own
/// and the seed articles, not tuned: no gold data we have scores event coreference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MergeWeights {
    /// Shared word stems over the smaller clause's, for two reports to join.
    pub min_overlap: f32,
    /// Fewer shared stems than this are no overlap at all (two short clauses sharing one
    /// word are not alike).
    pub min_shared: usize,
    /// Letters of a stem: "talks" and "talked" share "talke".
    pub stem_letters: usize,
    /// Shorter words do not count.
    pub min_word_letters: usize,
    /// The most a merged event's confidence reaches: no number of reports makes it certain.
    pub max_confidence: f32,
}

impl MergeWeights {
    pub const DEFAULT: MergeWeights = MergeWeights {
        min_overlap: 0.3,
        min_shared: 2,
        stem_letters: 5,
        min_word_letters: 4,
        max_confidence: 0.99,
    };
}

impl Default for MergeWeights {
    fn default() -> MergeWeights {
        MergeWeights::DEFAULT
    }
}

const WEIGHTS: MergeWeights = MergeWeights::DEFAULT;

/// Words too common to tell two sentences apart.
const STOP: &[&str] = &[
    "that", "this", "with", "from", "have", "been", "were", "will", "would", "could", "should", "their", "there",
    "which", "about", "after", "while", "into", "over", "also", "than", "them", "they", "some", "such", "more", "most",
    "other", "amid", "both", "what", "when", "where", "these", "those", "being", "between",
];

/// Joins the reports in `events` that tell of the same event (module docs give the rules).
pub fn merge(docs: &[Annotated], events: Vec<Event>) -> Vec<Event> {
    let bags: Vec<BTreeSet<String>> = events.iter().map(|e| bag(docs, e)).collect();
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |e: &Event| {
            (
                explicit(e.time.as_ref()) && e.time.as_ref().is_some_and(|t| t.interval.is_some()),
                e.confidence,
            )
        };
        let (ka, kb) = (key(&events[a]), key(&events[b]));
        kb.0.cmp(&ka.0).then(kb.1.total_cmp(&ka.1))
    });
    let mut clusters: Vec<(Event, Vec<usize>)> = Vec::new();
    // Clusters by what a report must share with them: type family, stance and an entity.
    // Only those are compared, so merging stays near linear in the reports.
    let mut index: HashMap<(EventType, u8, EntityId), Vec<usize>> = HashMap::new();
    for i in order {
        let e = &events[i];
        let key = |x: EntityId| (family(e.kind), stance(e.factuality), x);
        let mut candidates: Vec<usize> = e
            .entities()
            .flat_map(|x| index.get(&key(x)))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let best = candidates
            .into_iter()
            .map(|ci| (ci, &clusters[ci]))
            .filter(|(_, (c, _))| mergeable(c, e))
            .filter_map(|(ci, (c, members))| {
                let sim = members.iter().map(|&m| overlap(&bags[m], &bags[i])).fold(0.0, f32::max);
                let quoted = c.quotes.iter().any(|q| e.quotes.contains(q));
                (sim >= WEIGHTS.min_overlap || quoted).then_some((ci, sim))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let ci = match best {
            Some((ci, _)) => {
                absorb(&mut clusters[ci].0, e.clone());
                clusters[ci].1.push(i);
                ci
            }
            None => {
                clusters.push((e.clone(), vec![i]));
                clusters.len() - 1
            }
        };
        // A cluster's family and stance never change; its entities only grow. A cluster
        // listed twice under one key is read once (candidates are deduplicated).
        for x in e.entities() {
            index.entry(key(x)).or_default().push(ci);
        }
    }
    clusters
        .into_iter()
        .map(|(mut e, _)| {
            e.sources.sort();
            e
        })
        .collect()
}

fn family(k: EventType) -> EventType {
    match k {
        EventType::Announcement => EventType::Statement,
        EventType::Negotiation => EventType::Meeting,
        other => other,
    }
}

fn explicit(t: Option<&EventTime>) -> bool {
    t.is_some_and(EventTime::is_explicit)
}

/// Factualities that can be told of one event.
fn stance(f: Factuality) -> u8 {
    match f {
        Factuality::Asserted | Factuality::Reported => 0,
        Factuality::Future | Factuality::Possible => 1,
        Factuality::Negated => 2,
    }
}

fn mergeable(c: &Event, e: &Event) -> bool {
    family(c.kind) == family(e.kind)
        && (c.kind != EventType::Other || stem(&c.trigger) == stem(&e.trigger))
        && stance(c.factuality) == stance(e.factuality)
        && !c
            .sources
            .iter()
            .any(|s| e.sources.iter().any(|o| o.doc == s.doc && o.sentence == s.sentence))
        && c.entities().any(|x| e.entities().any(|y| x == y))
        && match (&c.time, &e.time) {
            (Some(a), Some(b)) if explicit(Some(a)) && explicit(Some(b)) => times_compatible(a, b),
            _ => true,
        }
}

fn absorb(c: &mut Event, e: Event) {
    for p in e.participants {
        if !c.participants.iter().any(|q| q.entity == p.entity) {
            c.participants.push(p);
        }
    }
    for p in e.places {
        if !c.places.contains(&p) {
            c.places.push(p);
        }
    }
    for s in e.reported_by {
        if !c.reported_by.contains(&s) {
            c.reported_by.push(s);
        }
    }
    if e.factuality == Factuality::Asserted {
        c.factuality = Factuality::Asserted;
    }
    for q in e.quotes {
        if !c.quotes.contains(&q) {
            c.quotes.push(q);
        }
    }
    c.sources.extend(e.sources);
    let better = match (&c.time, &e.time) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(old), Some(new)) => {
            (!explicit(Some(old)) && explicit(Some(new)))
                || (explicit(Some(new))
                    && width(new.interval).is_some_and(|n| width(old.interval).is_none_or(|o| n < o)))
                || (!explicit(Some(new)) && new.anchor == Anchor::Publication && old.anchor == Anchor::Tense)
        }
    };
    if better {
        c.time = e.time;
    }
    c.confidence = (1.0 - (1.0 - c.confidence) * (1.0 - e.confidence)).min(WEIGHTS.max_confidence);
}

/// A word's first letters, folded: "talks" and "talked" share it.
fn stem(word: &str) -> String {
    names::fold(word).chars().take(WEIGHTS.stem_letters).collect()
}

/// How many days an interval runs past its first (0 for a single day); shared with [`super::when`].
pub(super) fn width(interval: Option<(NaiveDate, NaiveDate)>) -> Option<i64> {
    interval.map(|(a, b)| (b - a).num_days())
}

/// Whether two explicit times can be the same time.
fn times_compatible(a: &EventTime, b: &EventTime) -> bool {
    match (a.interval, b.interval) {
        (Some(x), Some(y)) => x.0 <= y.1 && y.0 <= x.1,
        (Some(days), None) => fits(&b.value, days),
        (None, Some(days)) => fits(&a.value, days),
        (None, None) => agree(&a.value, &b.value),
    }
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

/// Word stems of an event's report clauses, outside entity mentions, and the event's
/// entities. Clauses, not
/// sentences: a relative clause about something else ("Witkoff, who met Putin in
/// February, will visit Moscow") would dilute the comparison.
fn bag(docs: &[Annotated], e: &Event) -> BTreeSet<String> {
    // Its entities count as words too: two reports sharing Witkoff and Putin share more
    // than one sharing Witkoff alone.
    let mut out: BTreeSet<String> = e.entities().map(|x| format!("#{}", x.0)).collect();
    for s in &e.sources {
        let Some(a) = docs.by_id(s.doc) else { continue };
        for piece in &s.clause {
            let Some(text) = a.doc.text.get(piece.start..piece.end) else {
                continue;
            };
            for w in names::word_spans(text) {
                let at = Span::new(w.start + piece.start, w.end + piece.start);
                if a.mentions.iter().any(|m| m.span.overlaps(at)) {
                    continue;
                }
                let w = names::fold(w.of(text));
                if w.chars().count() >= WEIGHTS.min_word_letters && !STOP.contains(&w.as_str()) {
                    out.insert(w.chars().take(WEIGHTS.stem_letters).collect());
                }
            }
        }
    }
    out
}

/// Shared stems over the smaller bag's size; 0 below [`MergeWeights::min_shared`] shared.
fn overlap(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f32 {
    let shared = a.intersection(b).count();
    if shared < WEIGHTS.min_shared {
        return 0.0;
    }
    shared as f32 / a.len().min(b.len()) as f32
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
            span: Some(Span::new(0, 0)),
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
    }
}
