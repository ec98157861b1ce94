//! When an event happened. Two ways, chosen by [`Dating`]: the learned event–time links
//! ([`super::timelinks`], the default), which weigh every date expression of the
//! event's sentence and the one before with the tree's choice as one piece of evidence,
//! and then, for an event no date expression anchors, every dated event there (it
//! follows, precedes or accompanies one); or the tree rules below alone. An event still
//! undated takes the publication day (it is said or ongoing), no later than that day
//! (it is past), or none (it is to come; and whatever is planned, possible or denied
//! stays open).
//!
//! The tree rules:
//! A date expression belongs to the nearest event above it in the tree: walking up from
//! the expression's head word, the first event word (a trigger, or a support verb
//! folded into one) takes it; a predicate that is no event ("is set … later this week")
//! hands it to the event among its arguments. The date nearest in the tree wins, then
//! the narrowest. A verb coordinated with a dated one and undated itself shares its date
//! ("met on Monday and signed a deal").

use super::read::Reading;
use super::timelinks::{
    dated_event_features, dated_features, dct_features, event_link_features, tense_attrs, timex_features, Beside,
    Dating, Place, TimeLinks,
};
use super::tree::{Sentence, MAX_DEPTH};
use super::{Anchor, Event, EventTime, EventType, Factuality};
use crate::doc::DocId;
use crate::time::timeml::{EventClass, Tense};
use crate::time::{Dct, Timex};
use std::collections::HashMap;

/// A date expression that dates an event, where it was found, and how the event stands
/// to it: `overlap` (on it), `before` or `after` ("an agreement by the end of the month").
#[derive(Debug, Clone, Copy)]
pub(super) struct Dated<'t> {
    pub timex: &'t Timex,
    pub anchor: Anchor,
    pub relation: &'static str,
}

/// An event a date expression dates, as an event without one may borrow it: its word
/// in its sentence, what the event–event model reads of it, and its date.
#[derive(Debug)]
pub(super) struct DatedEvent<'t> {
    pub word: usize,
    pub features: Vec<String>,
    pub tense: Tense,
    pub class: EventClass,
    pub dated: Dated<'t>,
}

impl<'t> DatedEvent<'t> {
    pub fn new(r: &Reading, dated: Dated<'t>) -> DatedEvent<'t> {
        DatedEvent {
            word: r.word,
            features: dated_features(r, &dated),
            tense: tense_attrs(r).tense,
            class: r.mention.attrs.class,
            dated,
        }
    }

    /// The features of undated reading `r` (`event`: its [`dated_event_features`]) with
    /// this event, at `beside`.
    pub fn features_with(&self, event: &[String], r: &Reading, beside: Beside) -> Vec<String> {
        event_link_features(event, r, &self.features, (self.tense, self.class), beside)
    }
}

/// What a sentence hands the next for dating: its date expressions and its events they
/// date.
#[derive(Debug, Default)]
pub(super) struct Previous<'t> {
    pub timexes: Vec<&'t Timex>,
    pub events: Vec<DatedEvent<'t>>,
}

/// The dated events `same` (of an undated event's sentence, so never the event itself)
/// and `previous` (of the one before), each with where it stands to that event.
pub(super) fn beside<'e, 't>(
    same: &'e [DatedEvent<'t>],
    previous: &'e [DatedEvent<'t>],
) -> impl Iterator<Item = (&'e DatedEvent<'t>, Beside)> {
    let n = previous.len();
    same.iter().map(|o| (o, Beside::Same(o.word))).chain(
        previous
            .iter()
            .enumerate()
            .map(move |(i, o)| (o, Beside::Previous { last: i + 1 == n })),
    )
}

/// The date undated reading `r` takes from a dated event of `same` (its sentence's) or
/// `previous` (the sentence before's): of those the learned `links` tie it to at their
/// event threshold, the likeliest whose relation carries through it ([`compose`]).
pub(super) fn through_events<'t>(
    r: &Reading,
    same: &[DatedEvent<'t>],
    previous: &[DatedEvent<'t>],
    links: &TimeLinks,
) -> Option<Dated<'t>> {
    let event = dated_event_features(r);
    beside(same, previous)
        .filter_map(|(o, b)| {
            let (relation, p) = links.link_event(&o.features_with(&event, r, b));
            let relation = compose(relation, o.dated.relation)?;
            let dated = Dated {
                timex: o.dated.timex,
                anchor: Anchor::Event,
                relation,
            };
            (p >= links.event_threshold).then_some((p, dated))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, dated)| dated)
}

/// How an event stands to a date when it stands to another event as `first`, and that
/// event to the date as `second`: through an overlap the other relation holds, before
/// something before the date is before it; before something after it, nothing follows.
/// An approximation where the overlap is wide: an event that includes one before
/// Monday may reach past it.
pub(super) fn compose(first: &'static str, second: &'static str) -> Option<&'static str> {
    match (first, second) {
        ("overlap", x) | (x, "overlap") => Some(x),
        (x, y) if x == y => Some(x),
        _ => None,
    }
}

/// The date expression that dates each event word of `readings`: from `timexes` (the
/// sentence's) or `previous` (the sentence before's), by `dating`. The learned links
/// take, of the dates they link the event to at their threshold, the likeliest.
pub(super) fn dates<'t>(
    s: &Sentence,
    readings: &[Reading],
    timexes: &[&'t Timex],
    previous: &[&'t Timex],
    event_of: &[Option<usize>],
    dating: Dating,
    dct: Option<&Dct>,
) -> HashMap<usize, Dated<'t>> {
    let tree = explicit(s, timexes, event_of);
    let Dating::Learned(links) = dating else {
        return tree
            .into_iter()
            .map(|(w, timex)| {
                let dated = Dated {
                    timex,
                    anchor: Anchor::Explicit,
                    relation: "overlap",
                };
                (w, dated)
            })
            .collect();
    };
    readings
        .iter()
        .filter_map(|r| {
            let event = dated_event_features(r);
            candidates(r, &tree, timexes, previous, event_of)
                .into_iter()
                .map(|(timex, place)| {
                    let features = timex_features(&event, r, timex, place, dct, !timexes.is_empty());
                    let (relation, p) = links.link(&features);
                    (
                        p,
                        Dated {
                            timex,
                            anchor: place.anchor(),
                            relation,
                        },
                    )
                })
                .filter(|&(p, _)| p >= links.threshold)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, dated)| (r.word, dated))
        })
        .collect()
}

/// The date expressions that may date reading `r`, with where they stand: those of its
/// sentence (`timexes`, with what the `tree` rules made of them) and those of the
/// sentence before (`previous`).
pub(super) fn candidates<'t>(
    r: &Reading,
    tree: &HashMap<usize, &'t Timex>,
    timexes: &[&'t Timex],
    previous: &[&'t Timex],
    event_of: &[Option<usize>],
) -> Vec<(&'t Timex, Place)> {
    let s = r.s;
    let own = tree.get(&r.word).copied();
    // The event coordinated with this one ("met on Monday and signed"), and its date.
    let coordinated = (s.base(r.top) == "conj")
        .then(|| s.head(r.top))
        .flatten()
        .and_then(|h| event_of.get(h).copied().flatten())
        .and_then(|e| tree.get(&e).copied());
    let same = timexes.iter().map(|&t| {
        let place = Place::Same {
            rule: own.is_some_and(|o| std::ptr::eq(o, t)),
            rule_other: own.is_some_and(|o| !std::ptr::eq(o, t)),
            taken: tree.iter().any(|(&w, &o)| w != r.word && std::ptr::eq(o, t)),
            conjunct: coordinated.is_some_and(|o| std::ptr::eq(o, t)),
        };
        (t, place)
    });
    let before = previous.iter().enumerate().map(|(i, &t)| {
        (
            t,
            Place::Previous {
                last: i + 1 == previous.len(),
            },
        )
    });
    same.chain(before).collect()
}

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

/// The event time of document `doc` that `dated` gives: the expression's value, and
/// `BEFORE` or `AFTER` as its modifier when the event is before or after it.
pub(super) fn from_timex(s: &Sentence, dated: Dated, doc: DocId) -> EventTime {
    let t = dated.timex;
    let modifier = match dated.relation {
        "before" => Some("BEFORE".to_string()),
        "after" => Some("AFTER".to_string()),
        _ => t.modifier.clone(),
    };
    EventTime {
        value: t.value.clone(),
        modifier,
        interval: t.interval,
        text: s.text.get(t.span.start..t.span.end).unwrap_or("").to_string(),
        doc,
        span: Some(t.span),
        anchor: dated.anchor,
    }
}

/// The time of an event without a date of its own, on the publication day: that day
/// (it is said, or ongoing), no later than that day (it is past), or none (it is to
/// come, or the publication date is unknown). What is planned, possible or denied stays
/// open. By `dating`: the learned link to the publication day, reading also whether the
/// sentence is `dated`; or the tree rules' tense (what is said and present states on
/// the day, past and perfective events no later).
pub(super) fn anchor(
    r: &Reading,
    kind: EventType,
    fact: Factuality,
    dct: Option<&Dct>,
    doc: DocId,
    dating: Dating,
    dated: bool,
) -> Option<EventTime> {
    let dct = dct?;
    if matches!(fact, Factuality::Future | Factuality::Possible | Factuality::Negated) {
        return None;
    }
    let anchor = match dating {
        // TimeBank puts most statements before the creation *time* ("said" on the
        // morning the wire ran); a day's timeline cites them on their article's day,
        // as the tree rules do.
        Dating::Learned(links) => match links.to_publication(&dct_features(r, dated)) {
            "before" if r.said(kind) => Anchor::Publication,
            "before" => Anchor::Tense,
            "overlap" => Anchor::Publication,
            _ => return None,
        },
        Dating::Tree => {
            let attrs = tense_attrs(r);
            if r.said(kind) && attrs.tense != Tense::Future {
                Anchor::Publication
            } else if attrs.tense == Tense::Past || attrs.aspect.is_perfective() {
                Anchor::Tense
            } else if attrs.tense == Tense::Present {
                Anchor::Publication
            } else {
                return None;
            }
        }
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
