//! What the kept articles say about each day: which of them refer to it by a date
//! expression (and from how far after it), which dated events fall on it, how many
//! articles came out that day. The score of a day is read off this.

use crate::doc::Span;
use crate::events::{Anchor, EventType, Factuality};
use crate::graph::{interval, Timeline};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// One article's sentences and the days its date expressions name.
pub(super) struct Article {
    pub sentences: Vec<Span>,
    /// A one-day expression of the body: the day and the sentence (index) it is in.
    pub days: Vec<(NaiveDate, usize)>,
}

/// Segments and date-tags the body of every kept document (the others stay empty).
/// Tagging again from the text gives what the pipeline found: [`crate::time::tag`] is
/// deterministic and the timeline keeps each document's (possibly inferred) publication
/// date.
pub(super) fn read_articles(t: &Timeline, kept: &[bool]) -> Vec<Article> {
    t.documents
        .par_iter()
        .zip(kept)
        .map(|(d, &keep)| {
            if !keep {
                return Article { sentences: Vec::new(), days: Vec::new() };
            }
            let body = crate::annotated::body(d);
            let sentences: Vec<Span> = body.iter().flat_map(|p| crate::segment::sentences(&d.text, *p)).collect();
            let days = crate::time::tag(&d.text, d.dct.as_ref())
                .into_iter()
                .filter_map(|x| {
                    let (first, last) = x.interval?;
                    let s = sentences.iter().position(|s| s.contains(x.span))?;
                    (first == last).then_some((first, s))
                })
                .collect();
            Article { sentences, days }
        })
        .collect()
}

/// The evidence for one day.
#[derive(Debug, Clone, Default)]
pub(super) struct Day {
    /// Per article (document index) referring to the day, the sentences that do.
    pub refs: BTreeMap<usize, Vec<Span>>,
    /// Of those articles, how many were published two or more days after it.
    pub later_refs: usize,
    /// Kept events on this day, heaviest first, with their weight.
    pub events: Vec<(usize, f64)>,
    /// Articles published that day.
    pub published: usize,
}

/// The evidence of every day within `span` (inclusive, open ends allowed).
pub(super) fn days(
    t: &Timeline,
    articles: &[Article],
    kept: &[bool],
    events: &[usize],
    span: (Option<NaiveDate>, Option<NaiveDate>),
) -> BTreeMap<NaiveDate, Day> {
    let within = |d: NaiveDate| span.0.is_none_or(|f| f <= d) && span.1.is_none_or(|l| d <= l);
    let mut out: BTreeMap<NaiveDate, Day> = BTreeMap::new();
    for (doc, a) in articles.iter().enumerate() {
        let published = t.documents.get(doc).and_then(|d| d.dct.as_ref()).map(|d| d.date);
        if let Some(p) = published.filter(|&p| kept.get(doc) == Some(&true) && within(p)) {
            out.entry(p).or_default().published += 1;
        }
        for &(day, s) in &a.days {
            if !within(day) {
                continue;
            }
            let entry = out.entry(day).or_default();
            let sentences = entry.refs.entry(doc).or_default();
            if sentences.is_empty() && published.is_some_and(|p| p >= day + chrono::Days::new(2)) {
                entry.later_refs += 1;
            }
            if let Some(&span) = a.sentences.get(s).filter(|span| !sentences.contains(span)) {
                sentences.push(span);
            }
        }
    }
    let centrality = centrality(t, kept);
    for &i in events {
        let Some((day, _)) = t.events.get(i).and_then(interval).filter(|(a, b)| a == b && within(*a)) else { continue };
        let weight = event_weight(t, i, kept, &centrality);
        out.entry(day).or_default().events.push((i, weight));
    }
    for day in out.values_mut() {
        day.events.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    out
}

/// Per entity, the share of kept articles that name it: the centre of the story has
/// the highest.
fn centrality(t: &Timeline, kept: &[bool]) -> Vec<f64> {
    let total = kept.iter().filter(|&&k| k).count().max(1) as f64;
    t.entities
        .iter()
        .map(|e| {
            let mut docs: Vec<usize> = e.mentions.iter().map(|m| m.doc).filter(|&d| kept.get(d) == Some(&true)).collect();
            docs.dedup();
            docs.len() as f64 / total
        })
        .collect()
}

/// How much an event says that its day mattered: one vote per independent article
/// reporting it, scaled by how sure its day is (a date of its own, or only the
/// publication day), whether it happened, what kind of thing it is, and how central
/// its entities are.
fn event_weight(t: &Timeline, i: usize, kept: &[bool], centrality: &[f64]) -> f64 {
    let Some(e) = t.events.get(i) else { return 0.0 };
    let mut docs: Vec<usize> = e.sources.iter().map(|s| s.doc).filter(|&d| kept.get(d) == Some(&true)).collect();
    docs.sort_unstable();
    docs.dedup();
    let anchor = match e.time.as_ref().map(|t| t.anchor) {
        Some(Anchor::Explicit) => 1.0,
        Some(Anchor::Publication) => 0.4,
        Some(Anchor::Tense) | None => 0.25,
    };
    let factuality = match e.factuality {
        Factuality::Asserted => 1.0,
        Factuality::Reported => 0.7,
        Factuality::Future => 0.4,
        Factuality::Possible => 0.3,
        Factuality::Negated => 0.2,
    };
    // Statements are made every day; what is done marks a day.
    let kind = match e.kind {
        EventType::Statement => 0.5,
        EventType::Announcement | EventType::Threat => 0.7,
        EventType::Meeting | EventType::Visit | EventType::Negotiation | EventType::Proposal | EventType::Other => 0.8,
        EventType::Agreement | EventType::Sanction | EventType::Attack | EventType::Strike => 1.0,
    };
    let central = e.entities().chain(e.reported_by.iter().copied()).filter_map(|x| centrality.get(x).copied()).fold(0.0, f64::max);
    docs.len() as f64 * anchor * factuality * kind * (1.0 + central)
}
