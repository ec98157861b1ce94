//! Publication days for undated documents, from the events they share with dated ones.
//!
//! An undated article that reports events which dated articles also report was most
//! likely published when they were. The candidates are the publication days of the
//! dated articles it shares merged events with. Each is tried as the undated article's
//! publication date: its relative dates ("On Monday", "this week") are resolved from it,
//! and those in the sentences reporting a shared, explicitly dated event must fall on
//! that event's days. The candidate with the most such agreements (less the
//! disagreements) wins, then the one shared by the most events, then the later day.

use super::{Event, EventTime};
use crate::annotated::Annotated;
use crate::doc::{ById, DocId, EventId};
use crate::time::{Dct, DctSource};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The inferred publication day of each document (None for a dated one, or one that
/// shares no event with a dated one).
pub fn infer(docs: &[Annotated], events: &[Event]) -> Vec<Option<NaiveDate>> {
    docs.iter()
        .enumerate()
        .map(|(u, a)| {
            if a.doc.dct.is_some() {
                None
            } else {
                infer_one(docs, events, DocId(u))
            }
        })
        .collect()
}

/// The events reported by document `u` and by a dated document: the evidence of `u`'s
/// inferred date.
pub fn shared(docs: &[Annotated], events: &[Event], u: DocId) -> Vec<EventId> {
    let dated = |d: DocId| {
        d != u
            && docs
                .by_id(d)
                .is_some_and(|a| a.doc.dct.as_ref().is_some_and(|t| t.source != DctSource::Inferred))
    };
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.sources.iter().any(|s| s.doc == u) && e.sources.iter().any(|s| dated(s.doc)))
        .map(|(i, _)| EventId(i))
        .collect()
}

/// A publication date of `date`, marked as inferred.
pub fn inferred_dct(date: NaiveDate) -> Dct {
    Dct {
        date,
        datetime: None,
        source: DctSource::Inferred,
        span: None,
    }
}

fn infer_one(docs: &[Annotated], events: &[Event], u: DocId) -> Option<NaiveDate> {
    let shared = shared(docs, events, u);
    let mut support: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for &i in &shared {
        let mut days: Vec<NaiveDate> = events[i]
            .sources
            .iter()
            .filter_map(|s| docs.by_id(s.doc)?.doc.dct.as_ref().map(|d| d.date))
            .collect();
        days.sort_unstable();
        days.dedup();
        for d in days {
            *support.entry(d).or_default() += 1;
        }
    }
    let a = &docs[u];
    support
        .into_iter()
        .map(|(day, count)| {
            let timexes = crate::time::tag(&a.doc.text, Some(&inferred_dct(day)));
            let mut agreement = 0i64;
            for &i in &shared {
                let Some(days) = events[i]
                    .time
                    .as_ref()
                    .filter(|t| t.is_explicit() && t.doc != u)
                    .and_then(EventTime::reach)
                else {
                    continue;
                };
                for s in events[i].sources.iter().filter(|s| s.doc == u) {
                    for t in timexes.iter().filter(|t| s.sentence.contains(t.span)) {
                        match t.interval {
                            Some((a, b)) if a <= days.1 && days.0 <= b => agreement += 1,
                            Some(_) => agreement -= 1,
                            None => {}
                        }
                    }
                }
            }
            ((agreement, count, day), day)
        })
        .max_by_key(|(key, _)| *key)
        .map(|(_, day)| day)
}
