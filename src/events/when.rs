//! When an event happened: the date in its subtree, else an anchor by tense on the
//! publication date.
//!
//! A date expression belongs to the nearest event above it in the tree: walking up from
//! the expression's head word, the first event word (a trigger, or a support verb
//! folded into one) takes it; a predicate that is no event ("is set … later this week")
//! hands it to the event among its arguments. The date nearest in the tree wins, then
//! the narrowest. A verb coordinated with a dated one and undated itself shares its date
//! ("met on Monday and signed a deal").

use super::read::Reading;
use super::tree::{Sentence, MAX_DEPTH};
use super::{Anchor, Event, EventTime, EventType, Factuality};
use crate::doc::DocId;
use crate::time::timeml::{Aspect, Tense};
use crate::time::{Dct, Timex};
use std::collections::HashMap;

/// The date expression of each event word (a key of `event_of`).
pub(super) fn explicit<'t>(
    s: &Sentence,
    timexes: &[&'t Timex],
    event_of: &[Option<usize>],
) -> HashMap<usize, &'t Timex> {
    let mut best: HashMap<usize, (usize, i64, &'t Timex)> = HashMap::new();
    for &t in timexes {
        let Some(mut at) = s.head_of(t.span) else { continue };
        let width = super::merge::width(t.interval).unwrap_or(i64::MAX);
        for depth in 0..MAX_DEPTH {
            let Some(h) = s.head(at) else { break };
            let found = event_at(s, h, event_of);
            // "told reporters that the authority would present an offer on Friday": a
            // date after the complement of a reporting verb is the complement's.
            let found = match found {
                Some(_) if s.is_reporting(h) => s
                    .with_rel(h, &["ccomp"])
                    .find(|&c| c > h && s.words[c].start < t.span.start)
                    .and_then(|c| event_at(s, c, event_of))
                    .or(found),
                _ => found,
            };
            if let Some(e) = found {
                let better = best.get(&e).is_none_or(|(d, w, _)| (depth, width) < (*d, *w));
                if better {
                    best.insert(e, (depth, width, t));
                }
                break;
            }
            at = h;
        }
    }
    best.into_iter().map(|(e, (_, _, t))| (e, t)).collect()
}

/// The event of word `h`: its own, or for a predicate that is no event, the event
/// among its arguments.
fn event_at(s: &Sentence, h: usize, event_of: &[Option<usize>]) -> Option<usize> {
    event_of.get(h).copied().flatten().or_else(|| {
        s.is_predicate(h)
            .then(|| {
                s.with_rel(h, &["nsubj", "nsubj:pass", "obj", "obl", "xcomp"])
                    .find_map(|c| event_of.get(c).copied().flatten())
            })
            .flatten()
    })
}

/// The event time read from expression `t` of document `doc`.
pub(super) fn from_timex(s: &Sentence, t: &Timex, doc: DocId) -> EventTime {
    EventTime {
        value: t.value.clone(),
        modifier: t.modifier.clone(),
        interval: t.interval,
        text: s.text.get(t.span.start..t.span.end).unwrap_or("").to_string(),
        doc,
        span: Some(t.span),
        anchor: Anchor::Explicit,
    }
}

/// The time of an event without a date of its own: the publication day for what is
/// said and for present states, no later than that day for past events; none for what
/// is planned, possible or denied, or when the publication date is unknown.
pub(super) fn anchor(
    r: &Reading,
    kind: EventType,
    fact: Factuality,
    dct: Option<&Dct>,
    doc: DocId,
) -> Option<EventTime> {
    let dct = dct?;
    if matches!(fact, Factuality::Future | Factuality::Possible | Factuality::Negated) {
        return None;
    }
    // An event noun takes its tense from its support verb ("have made statements").
    let attrs = std::iter::once(r.top)
        .chain(r.heads())
        .filter_map(|w| r.s.trigger(w))
        .map(|m| &m.attrs)
        .find(|a| a.tense != Tense::None || a.aspect != Aspect::None)
        .unwrap_or(&r.mention.attrs);
    let anchor = if r.said(kind) && attrs.tense != Tense::Future {
        Anchor::Publication
    } else if attrs.tense == Tense::Past || attrs.aspect.is_perfective() {
        Anchor::Tense
    } else if attrs.tense == Tense::Present {
        Anchor::Publication
    } else {
        return None;
    };
    Some(EventTime {
        value: dct.date.format("%Y-%m-%d").to_string(),
        modifier: (anchor == Anchor::Tense).then(|| "ON_OR_BEFORE".to_string()),
        interval: Some((dct.date, dct.date)),
        text: String::new(),
        doc,
        span: None,
        anchor,
    })
}

/// Undated verbs coordinated with a dated one take its date; `events` pairs each event
/// with its top word.
pub(super) fn share_with_conjuncts(s: &Sentence, events: &mut [(usize, Event)]) {
    for i in 0..events.len() {
        let top = events[i].0;
        if events[i].1.time.as_ref().is_some_and(EventTime::is_explicit) || s.base(top) != "conj" {
            continue;
        }
        let Some(h) = s.head(top) else { continue };
        let shared = events
            .iter()
            .find(|(t, e)| *t == h && e.time.as_ref().is_some_and(EventTime::is_explicit))
            .and_then(|(_, e)| e.time.clone());
        if let Some(time) = shared {
            if !matches!(
                events[i].1.factuality,
                Factuality::Future | Factuality::Possible | Factuality::Negated
            ) {
                events[i].1.time = Some(time);
            }
        }
    }
}
