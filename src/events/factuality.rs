//! Whether the sources say an event happened: from the model's polarity and modality
//! heads and from the words around the event in the tree.
//!
//! The words read are the dependents of the trigger and its support verbs (auxiliaries,
//! negation, adverbs, subordinators, a noun's modifiers), the predicate an event noun
//! is the subject of ("a second strike remained possible", "a deal could come"), and the
//! predicates above it up to the nearest reporting verb ("hoped that…", "is set to…").
//! In order: negated, possible, future, reported, else asserted.

use super::lexicon::{HOPING, PLANNING};
use super::read::Reading;
use super::tree::MAX_DEPTH;
use super::{EventTime, Factuality};
use crate::time::timeml::{Polarity, Tense};
use crate::time::Dct;

const NEGATION: &[&str] = &["not", "n't", "n’t", "never", "no", "neither", "nor"];

/// The factuality of reading `r`. `reported`: it is attributed to a source;
/// `explicit`: its own date, which makes it planned when after `dct`.
pub(super) fn of(r: &Reading, reported: bool, explicit: Option<&EventTime>, dct: Option<&Dct>) -> Factuality {
    let s = r.s;
    let attrs = &r.mention.attrs;
    let mut words: Vec<String> = Vec::new();
    let own = |w: usize, words: &mut Vec<String>| {
        for c in s.with_rel(w, &["aux", "advmod", "mark", "amod", "det", "neg", "xcomp", "cop"]) {
            words.push(s.lower(c));
        }
    };
    for w in r.heads() {
        own(w, &mut words);
    }
    // The support verbs themselves: "a delegation scheduled to meet" is planned.
    words.extend(r.supports.iter().map(|&w| s.lower(w)));
    // The predicate an event noun is the subject of.
    if r.nominal() && matches!(s.base(r.top), "nsubj") {
        if let Some(h) = s.head(r.top) {
            words.push(s.lower(h));
            own(h, &mut words);
        }
    }
    // Predicates above, up to a reporting verb.
    let mut at = r.top;
    for _ in 0..MAX_DEPTH {
        let Some(h) = s.head(at) else { break };
        // Up through complements and adverbial clauses; an event noun also through the
        // predicate it is an argument of ("set for another visit"). Not out of a
        // relative clause (`acl:relcl`, or `advcl:relcl` where the parser hung it on
        // the verb): its noun's predicate is not the event's.
        let argument = at == r.top && r.nominal() && matches!(s.base(at), "obj" | "obl" | "nsubj");
        if (!matches!(s.base(at), "xcomp" | "ccomp" | "advcl") && !argument) || s.rel(at).ends_with("relcl") {
            break;
        }
        if s.is_reporting(h) {
            break;
        }
        words.push(s.lower(h));
        // A subordinate clause's own marker ("if") was read above; its governor's
        // auxiliaries tell only through control ("is set to").
        if s.base(at) == "xcomp" {
            own(h, &mut words);
        }
        at = h;
    }
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let modality = attrs.modality.as_str();
    let would = modality == "would" || words.iter().any(|w| matches!(w.as_str(), "would" | "'d" | "’d"));

    if attrs.polarity == Polarity::Neg || has(NEGATION) {
        return Factuality::Negated;
    }
    let after = explicit
        .zip(dct)
        .is_some_and(|(t, d)| t.interval.is_some_and(|(first, _)| first > d.date));
    let hoped = words
        .iter()
        .any(|w| w != "would" && w != "'d" && w != "’d" && HOPING.contains(&w.as_str()))
        || (HOPING.contains(&modality) && modality != "would");
    if hoped || (would && !reported && !after) {
        return Factuality::Possible;
    }
    if attrs.tense == Tense::Future || PLANNING.contains(&modality) || has(&PLANNING) || after || (would && reported) {
        return Factuality::Future;
    }
    if reported {
        Factuality::Reported
    } else {
        Factuality::Asserted
    }
}
