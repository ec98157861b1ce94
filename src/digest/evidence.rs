//! What the kept articles say about each day. Each article gives a day at most one
//! vote, however many times it names the day or however many events it puts on it, so
//! that long articles and busy publication days do not outweigh many articles naming a
//! day once. The vote is worth more from an article written days after (the day is still
//! remembered), less from one written before (a plan). The score of a day is read off
//! this.

use super::WEIGHTS;
use crate::doc::{ById, DocId, EventId, Span};
use crate::graph::{factuality_weight, interval, type_weight, Timeline};
use crate::time::Timex;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// One article's sentences and the days its date expressions name.
pub(super) struct Article {
    pub sentences: Vec<Span>,
    /// A day named in the body: the day and the sentence (index) it is in.
    pub days: Vec<(NaiveDate, usize)>,
}

/// The sentences and named days of every kept document (the others stay empty), as
/// the pipeline found them ([`crate::graph::DocText`]).
pub(super) fn read_articles(t: &Timeline, kept: &[bool]) -> Vec<Article> {
    t.documents
        .par_iter()
        .enumerate()
        .zip(kept)
        .map(|((i, d), &keep)| {
            let text = t.texts.get(i).filter(|_| keep);
            let Some(text) = text else {
                return Article {
                    sentences: Vec::new(),
                    days: Vec::new(),
                };
            };
            let published = d.dct.as_ref().map(|p| p.date);
            let days = text
                .timexes
                .iter()
                .filter_map(|x| {
                    let day = day_named(x, &d.text, published)?;
                    Some((day, text.sentences.iter().position(|s| s.contains(x.span))?))
                })
                .collect();
            Article {
                sentences: text.sentences.clone(),
                days,
            }
        })
        .collect()
}

/// The day an expression refers to: a single day ("on March 3", "Friday"), or the day
/// a span starts from ("since March 3": the day is remembered). An article's own time
/// stamp is no reference: its publication day written with the year ("Saturday 25 April
/// 2009 23.24 BST"), as page headers and bylines give it; news of the day says "on
/// Saturday" or "at 16:53 on Tuesday".
fn day_named(x: &Timex, text: &str, published: Option<NaiveDate>) -> Option<NaiveDate> {
    let (first, last) = x.interval?;
    let day = if first == last {
        first
    } else if x.modifier.as_deref() == Some("ON_OR_AFTER") {
        NaiveDate::parse_from_str(&x.value, "%Y-%m-%d").ok()?
    } else {
        return None;
    };
    let written = text.get(x.span.start..x.span.end).unwrap_or("");
    let with_year = written.split(|c: char| !c.is_ascii_digit()).any(|n| n.len() == 4);
    let stamp = Some(day) == published && with_year;
    (!stamp).then_some(day)
}

/// The evidence for one day.
#[derive(Debug, Clone, Default)]
pub(super) struct Day {
    /// Per article referring to the day, the sentences that do.
    pub refs: BTreeMap<DocId, Vec<Span>>,
    /// Of those articles, how many were published two or more days after it.
    pub later_refs: usize,
    /// Kept events on this day, heaviest first, with their weight.
    pub events: Vec<(EventId, f64)>,
    /// Articles published that day.
    pub published: usize,
    /// Per article naming the day or reporting one of its events, its vote: 1 for
    /// naming it, plus the weight of its heaviest report of an event of the day.
    pub votes: BTreeMap<DocId, f64>,
}

/// The evidence of every day within `span` (inclusive, open ends allowed); `centrality`
/// is the entities' among the kept articles, which weighs their events' reports.
pub(super) fn days(
    t: &Timeline,
    articles: &[Article],
    kept: &[bool],
    events: &[EventId],
    span: (Option<NaiveDate>, Option<NaiveDate>),
    centrality: &[f32],
) -> BTreeMap<NaiveDate, Day> {
    let within = |d: NaiveDate| span.0.is_none_or(|f| f <= d) && span.1.is_none_or(|l| d <= l);
    let mut out: BTreeMap<NaiveDate, Day> = BTreeMap::new();
    for (doc, a) in articles.iter().enumerate() {
        let doc = DocId(doc);
        if let Some(p) = published(t, doc).filter(|&p| kept.by_id(doc) == Some(&true) && within(p)) {
            out.entry(p).or_default().published += 1;
        }
        for &(day, s) in &a.days {
            if !within(day) {
                continue;
            }
            let entry = out.entry(day).or_default();
            entry.votes.insert(doc, WEIGHTS.named);
            let sentences = entry.refs.entry(doc).or_default();
            if sentences.is_empty()
                && published(t, doc).is_some_and(|p| p >= day + chrono::Days::new(WEIGHTS.later_days))
            {
                entry.later_refs += 1;
            }
            if let Some(&span) = a.sentences.get(s).filter(|span| !sentences.contains(span)) {
                sentences.push(span);
            }
        }
    }
    for &i in events {
        let Some(e) = t.events.by_id(i) else { continue };
        let Some((day, _)) = interval(e).filter(|(a, b)| a == b && within(*a)) else {
            continue;
        };
        let worth = event_worth(e, centrality);
        let entry = out.entry(day).or_default();
        let mut total = 0.0;
        for doc in reporting(e, kept) {
            // How surely this article puts the event on the day: it names the day (in the
            // report or elsewhere) or gave the event its date; it came out that day and
            // the date is its own. An article that only reports what another one dated
            // says nothing of the day (merging may have joined it wrongly).
            let named = entry.refs.contains_key(&doc);
            let sure = if named || e.time.as_ref().is_some_and(|x| x.doc == doc && x.is_explicit()) {
                WEIGHTS.sure_dated
            } else if published(t, doc) == Some(day) && e.time.as_ref().is_some_and(|x| x.doc == doc) {
                WEIGHTS.sure_published
            } else {
                continue;
            };
            let weight = sure * worth;
            total += weight;
            let vote = entry.votes.entry(doc).or_default();
            *vote = vote.max(if named { WEIGHTS.named } else { 0.0 } + weight);
        }
        entry.events.push((i, total));
    }
    for day in out.values_mut() {
        day.events.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    out
}

/// The day document `doc` was published, when known.
pub(super) fn published(t: &Timeline, doc: DocId) -> Option<NaiveDate> {
    t.documents.by_id(doc).and_then(|d| d.dct.as_ref()).map(|p| p.date)
}

/// The kept articles reporting `e`, each once.
fn reporting(e: &crate::events::Event, kept: &[bool]) -> Vec<DocId> {
    let mut docs: Vec<DocId> = e
        .sources
        .iter()
        .map(|s| s.doc)
        .filter(|&d| kept.by_id(d) == Some(&true))
        .collect();
    docs.sort_unstable();
    docs.dedup();
    docs
}

/// How much a report of `e` says that its day mattered: whether it happened, what kind
/// of thing it is, and how central its entities are (up to 2), by the factors of the
/// event's salience ([`crate::graph`], "Salience"). The salience itself is not used:
/// its sources and own date are what the articles' votes already count.
fn event_worth(e: &crate::events::Event, centrality: &[f32]) -> f64 {
    f64::from(factuality_weight(e.factuality) * type_weight(e.kind) * (1.0 + most_central(e, centrality)))
}

/// The centrality of the most central entity involved in `e`, 0 without one.
pub(super) fn most_central(e: &crate::events::Event, centrality: &[f32]) -> f32 {
    crate::graph::involved(e)
        .filter_map(|x| centrality.by_id(x).copied())
        .fold(0.0, f32::max)
}
