//! The events of one parsed sentence (the rules are in the [`super`] module docs).

use super::timelinks::Dating;
use super::tree::{Sentence, MAX_DEPTH};
use super::when::{DatedEvent, Previous};
use super::{factuality, lexicon, when, Confidence, Event, EventType, Evidence, Factuality, Participant, Role};
use crate::annotated::Annotated;
use crate::doc::{ById, DocId, EntityId};
use crate::resolve::Resolution;
use crate::time::timeml::EventClass;
use crate::time::{Timex, TimexType};
use crate::triggers::EventMention;
use regex::Regex;
use std::sync::LazyLock;

/// Relations whose subtrees are other clauses: left out of an event's own words.
const OTHER_CLAUSES: &[&str] = &["conj", "parataxis", "advcl", "cc", "acl:relcl", "punct"];

/// Relations of a time or manner, never of a participant.
const NOT_ARGUMENTS: &[&str] = &[
    "obl:tmod",
    "obl:npmod",
    "obl:unmarked",
    "nmod:tmod",
    "nmod:unmarked",
    "advmod",
    "nummod",
];

/// Relative pronouns, which stand for the noun their clause modifies.
const RELATIVE: &[&str] = &["who", "which", "that", "whom"];

static QUOTE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"[“"][^“”"]{1,500}[”"]"#).expect("quote regex"));

/// One event trigger with the support verbs folded into it.
pub(super) struct Reading<'s, 'a> {
    pub s: &'s Sentence<'a>,
    /// The trigger word.
    pub word: usize,
    pub mention: &'a EventMention,
    /// The topmost support verb carrying it, else the trigger itself.
    pub top: usize,
    /// The support verbs, bottom up.
    pub supports: Vec<usize>,
}

impl Reading<'_, '_> {
    pub fn nominal(&self) -> bool {
        !self.s.is_predicate(self.word)
    }

    /// The trigger and its support verbs: the words whose dependents speak for the event.
    pub fn heads(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.word).chain(self.supports.iter().copied())
    }

    /// Whether the event, of type `kind`, is something said: a speech act
    /// ([`EventType::is_speech`]), or a trigger the model calls REPORTING whatever the
    /// lexicon makes of it ("agreed" told as news). Its clause keeps its
    /// complement and the quotes there are its words; undated and not future, it was said
    /// on the publication day ([`super::when::anchor`]).
    pub fn said(&self, kind: EventType) -> bool {
        kind.is_speech() || self.mention.attrs.class == EventClass::Reporting
    }
}

/// For each word, the event word it is or lends itself to (support verbs follow their
/// chain: "set to begin talks" → talks).
pub(super) fn event_words(s: &Sentence) -> Vec<Option<usize>> {
    let triggers: Vec<bool> = (0..s.len())
        .map(|i| s.trigger(i).is_some() && s.entity(i).is_none())
        .collect();
    // A support verb carries a trigger, or an event noun the model left untagged ("a
    // deal could come": the model marks "come").
    let noun =
        |c: usize| s.upos(c) == "NOUN" && s.entity(c).is_none() && lexicon::lookup(&s.lower(c)).is_some_and(|e| e.noun);
    let carrier: Vec<Option<usize>> = (0..s.len())
        .map(|t| {
            let m = s.trigger(t).filter(|_| triggers[t])?;
            if !lexicon::is_support(&s.lower(t), m.attrs.class) {
                return None;
            }
            let args = || s.with_rel(t, &["nsubj", "nsubj:pass", "obj", "xcomp", "obl"]);
            args().find(|&c| triggers[c]).or_else(|| args().find(|&c| noun(c)))
        })
        .collect();
    (0..s.len())
        .map(|i| {
            if !triggers[i] && !carrier.contains(&Some(i)) {
                return None;
            }
            let mut at = i;
            for _ in 0..MAX_DEPTH {
                match carrier[at] {
                    Some(next) => at = next,
                    None => return Some(at),
                }
            }
            None // a loop of support verbs: nothing to fold into
        })
        .collect()
}

/// The event readings of sentence `s`: each event word with its support verbs, from
/// `event_of` ([`event_words`]).
pub(super) fn readings<'s, 'a>(s: &'s Sentence<'a>, event_of: &[Option<usize>]) -> Vec<Reading<'s, 'a>> {
    (0..s.len())
        .filter(|&i| event_of[i] == Some(i))
        .filter_map(|word| {
            let supports: Vec<usize> = (0..s.len())
                .filter(|&t| t != word && event_of[t] == Some(word))
                .collect();
            let mention = s
                .trigger(word)
                .or_else(|| supports.iter().find_map(|&t| s.trigger(t)))?;
            // The top: from the trigger, up while the head is one of its supports.
            let mut top = word;
            for _ in 0..MAX_DEPTH {
                match s.head(top).filter(|h| supports.contains(h)) {
                    Some(h) => top = h,
                    None => break,
                }
            }
            Some(Reading {
                s,
                word,
                mention,
                top,
                supports,
            })
        })
        .collect()
}

/// The date expressions of sentence `s` of `a` that can date an event: dates and times.
pub(super) fn dates_in<'t>(s: &Sentence, a: &'t Annotated) -> Vec<&'t Timex> {
    a.timexes
        .iter()
        .filter(|t| s.span.contains(t.span) && matches!(t.kind, TimexType::Date | TimexType::Time))
        .collect()
}

/// The events of sentence `s` of document `doc`, dated by `dating`; `previous` holds the
/// date expressions and dated events of the sentence before. Returns them with what
/// this sentence hands the next.
pub(super) fn events<'t>(
    s: &Sentence,
    doc: DocId,
    a: &'t Annotated,
    res: &Resolution,
    dating: Dating,
    previous: &Previous<'t>,
) -> (Vec<Event>, Previous<'t>) {
    let event_of = event_words(s);
    let readings = readings(s, &event_of);
    let timexes = dates_in(s, a);
    let dct = a.doc.dct.as_ref();
    let dates = when::dates(s, &readings, &timexes, &previous.timexes, &event_of, dating, dct);
    // The links that lend dated events' dates, when they do.
    let links = match dating {
        Dating::Learned(links) if links.lends_event_dates() => Some(links),
        _ => None,
    };
    let dated_events: Vec<DatedEvent> = match links {
        Some(_) => readings
            .iter()
            .filter_map(|r| Some(DatedEvent::new(r, *dates.get(&r.word)?)))
            .collect(),
        None => Vec::new(),
    };
    let mut out: Vec<(usize, Event)> = Vec::new();
    for r in &readings {
        let kind = kind(r);
        let (participants, places) = participants(r, kind, res);
        let attribution = attribution(r);
        let dated = dates.get(&r.word).map(|&d| when::from_timex(s, d, doc));
        let fact = factuality::of(r, attribution.is_some(), dated.as_ref(), dct);
        let reported_by = attribution.unwrap_or_default();
        // An event without a date of its own may take a dated event's; what is
        // possible or denied has no time.
        let borrowed = || {
            let links = links.filter(|_| !matches!(fact, Factuality::Possible | Factuality::Negated))?;
            let d = when::through_events(r, &dated_events, &previous.events, links)?;
            Some(when::from_timex(s, d, doc))
        };
        let time = dated
            .or_else(borrowed)
            .or_else(|| when::anchor(r, kind, fact, dct, doc, dating, !timexes.is_empty()));
        let own = s.subtree(r.top, OTHER_CLAUSES);
        let confidence = Confidence::DEFAULT.of(
            r.mention.score,
            participants
                .iter()
                .any(|p| matches!(p.role, Role::Agent | Role::Speaker)),
            time.as_ref().is_some_and(|t| t.is_explicit()),
            !places.is_empty(),
        );
        let event = Event {
            kind,
            class: r.mention.attrs.class,
            trigger: s.form(r.word).to_string(),
            summary: summary(r, &own, &participants, res),
            time,
            factuality: fact,
            participants,
            places,
            reported_by,
            quotes: quotes(r, kind),
            sources: vec![Evidence {
                doc,
                sentence: s.span,
                clause: runs(s, &own),
                trigger: s.words[r.word],
            }],
            confidence,
            vector: r.mention.vector.clone(),
            words: content_words(s, &own),
        };
        out.push((r.top, event));
    }
    if let Dating::Tree = dating {
        when::share_with_conjuncts(s, &mut out);
    }
    let next = Previous {
        timexes,
        events: dated_events,
    };
    (out.into_iter().map(|(_, e)| e).collect(), next)
}

/// The analyst's type: the lexicon's reading of the trigger in its context, else a
/// statement for what the model calls reporting, else other.
fn kind(r: &Reading) -> EventType {
    let s = r.s;
    let mut context: Vec<String> = s
        .subtree(r.top, &[])
        .into_iter()
        .filter(|&w| w != r.word)
        .map(|w| s.lower(w))
        .collect();
    context.extend(r.heads().filter_map(|w| s.head(w)).map(|h| s.lower(h)));
    context.extend((0..s.len()).map(|w| s.lower(w)));
    lexicon::sense(&s.lower(r.word), &context).unwrap_or(if r.mention.attrs.class == EventClass::Reporting {
        EventType::Statement
    } else {
        EventType::Other
    })
}

/// The entities of argument word `w` and its conjuncts.
fn entities_of(s: &Sentence, w: usize) -> Vec<EntityId> {
    let mut out: Vec<EntityId> = Vec::new();
    for c in s.conjuncts(w) {
        if let Some(e) = entity_of(s, c) {
            if !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

/// The entity a noun phrase headed by `w` stands for: its own mention, else a name in
/// apposition or modifying it ("U.S. officials", "negotiators for the Authority").
fn entity_of(s: &Sentence, w: usize) -> Option<EntityId> {
    // "Ukrainian" in "a Ukrainian delegation" describes; it takes no part.
    if s.upos(w) == "ADJ" {
        return None;
    }
    if let Some(e) = s.entity(w) {
        return Some(e);
    }
    if s.trigger(w).is_some() || s.is_predicate(w) {
        return None;
    }
    let named = |rels: &[&str]| {
        s.with_rel(w, rels)
            .filter(|&c| s.upos(c) != "ADJ")
            .find_map(|c| s.entity(c))
    };
    named(&["appos", "flat", "compound", "amod", "nmod:poss"]).or_else(|| {
        s.with_rel(w, &["nmod"])
            .filter(|&c| matches!(s.case_of(c).as_deref(), Some("for" | "of" | "from" | "at")))
            .find_map(|c| s.entity(c))
    })
}

/// The subject words of predicate `p` (word, passive), looked for through control,
/// coordination, participles and relative clauses.
fn subjects(s: &Sentence, p: usize) -> Vec<(usize, bool)> {
    let mut at = p;
    for _ in 0..MAX_DEPTH {
        let direct: Vec<(usize, bool)> = s
            .with_rel(at, &["nsubj", "csubj"])
            .map(|c| (c, s.rel(c).ends_with(":pass")))
            .map(|(c, pass)| match antecedent(s, at) {
                // "Witkoff, who has met Putin": who is Witkoff.
                Some(h) if RELATIVE.contains(&s.lower(c).as_str()) => (h, pass),
                _ => (c, pass),
            })
            .collect();
        // Passive only for the event's own subject: "Witkoff is set to travel" makes
        // him the traveller.
        let direct: Vec<(usize, bool)> = direct.into_iter().map(|(c, pass)| (c, pass && at == p)).collect();
        if !direct.is_empty() {
            let by: Vec<(usize, bool)> = s.with_rel(at, &["obl:agent"]).map(|c| (c, false)).collect();
            return direct.into_iter().chain(by).collect();
        }
        // A participle shares its governor's subject ("…, noting that"); a clause with
        // a subordinator ("after a strike halted traffic") has its own, found or not.
        let participle = s.base(at) == "advcl" && s.with_rel(at, &["mark"]).next().is_none();
        match (s.base(at), s.head(at)) {
            ("xcomp" | "conj" | "ccomp", Some(h)) if s.is_predicate(h) || s.base(at) == "conj" => at = h,
            ("advcl", Some(h)) if participle => at = h,
            ("acl", Some(h)) => return vec![(h, false)],
            _ => return Vec::new(),
        }
    }
    Vec::new()
}

/// The noun a relative clause headed by `v` is about: its head for `acl:relcl`; for a
/// relative clause the parser hung elsewhere (`advcl:relcl`, an extraposed one), the
/// nearest noun before the clause.
fn antecedent(s: &Sentence, v: usize) -> Option<usize> {
    if !s.rel(v).ends_with("relcl") {
        return None;
    }
    match s.head(v) {
        Some(h) if s.base(v) == "acl" => Some(h),
        _ => {
            let first = s.subtree(v, &[]).first().copied()?;
            (0..first)
                .rev()
                .find(|&w| matches!(s.upos(w), "NOUN" | "PROPN" | "PRON"))
        }
    }
}

/// Who takes part and where: subjects, objects and case-marked obliques of the trigger
/// and its support verbs; for an event noun, its possessor and name modifiers too.
fn participants(r: &Reading, kind: EventType, res: &Resolution) -> (Vec<Participant>, Vec<EntityId>) {
    let s = r.s;
    let mut parts: Vec<Participant> = Vec::new();
    let mut places: Vec<EntityId> = Vec::new();
    let is_loc = |e: EntityId| res.kind(e) == Some(crate::ner::EntityType::LOC);
    let add = |parts: &mut Vec<Participant>, places: &mut Vec<EntityId>, w: usize, role: Option<Role>| {
        for e in entities_of(s, w) {
            match role {
                Some(role) if !parts.iter().any(|p| p.entity == e) => parts.push(Participant { entity: e, role }),
                None if !places.contains(&e) => places.push(e),
                _ => {}
            }
        }
    };

    // Subjects: the top predicate's, or, for an event noun governed by a predicate
    // that is no event ("Witkoff is set for another visit"), that predicate's.
    let subject_of = if r.nominal() && r.top == r.word {
        s.head(r.word).filter(|&h| {
            s.is_predicate(h) && s.trigger(h).is_none() && matches!(s.base(r.word), "obj" | "obl" | "xcomp")
        })
    } else {
        Some(r.top)
    };
    let noun_subjects: Vec<usize> = if r.nominal() {
        s.with_rel(r.word, &["nmod:poss"])
            .chain(
                s.with_rel(r.word, &["nmod"])
                    .filter(|&c| s.case_of(c).as_deref() == Some("by")),
            )
            .collect()
    } else {
        Vec::new()
    };
    for w in noun_subjects {
        add(&mut parts, &mut places, w, Some(kind.subject_role()));
    }
    if let Some(p) = subject_of.filter(|_| !parts.iter().any(|p| p.role == kind.subject_role())) {
        for (w, passive) in subjects(s, p) {
            let role = if passive && r.supports.is_empty() && !r.nominal() {
                kind.object_role()
            } else {
                kind.subject_role()
            };
            add(&mut parts, &mut places, w, Some(role));
        }
    }

    // Dependents of the trigger and of its support verbs.
    let heads: Vec<usize> = r.heads().collect();
    for &h in &heads {
        for &c in s.children(h) {
            if heads.contains(&c) || NOT_ARGUMENTS.contains(&s.rel(c)) || s.trigger(c).is_some() {
                continue;
            }
            let entities = entities_of(s, c);
            if entities.is_empty() {
                continue;
            }
            let loc = entities.iter().all(|&e| is_loc(e));
            let role = match s.rel(c) {
                "obj" if kind == EventType::Visit && loc => None,
                "obj" => Some(kind.object_role()),
                "iobj" => Some(Role::Recipient),
                "obl:agent" => Some(kind.subject_role()),
                "compound" | "amod" if h == r.word && r.nominal() => {
                    if loc && kind.placed_by_modifier() {
                        None
                    } else if kind == EventType::Other {
                        Some(Role::Related)
                    } else {
                        Some(kind.subject_role())
                    }
                }
                rel if rel.starts_with("obl") || rel.starts_with("nmod") => {
                    oblique(kind, r.nominal(), s.case_of(c).as_deref().unwrap_or(""), loc)
                }
                _ => continue,
            };
            add(&mut parts, &mut places, c, role);
        }
    }
    // Where a meeting or a visit happens is often told of whom it meets: "to meet
    // officials in London", "talks with the delegation in Geneva".
    if kind.placed_by_modifier() {
        for &h in &heads {
            for c in s.with_rel(h, &["obj", "obl", "nmod"]).collect::<Vec<_>>() {
                for g in s.with_rel(c, &["nmod", "obl"]).collect::<Vec<_>>() {
                    let entities = entities_of(s, g);
                    let at = matches!(s.case_of(g).as_deref(), Some("in" | "at"));
                    if at && !entities.is_empty() && entities.iter().all(|&e| is_loc(e)) {
                        add(&mut parts, &mut places, g, None);
                    }
                }
            }
        }
    }
    parts.retain(|p| !places.contains(&p.entity) || matches!(p.role, Role::Agent | Role::Speaker));
    (parts, places)
}

/// The role of an oblique argument by its case marker; None: a place (where it
/// happened, or where it went).
fn oblique(kind: EventType, nominal: bool, case: &str, loc: bool) -> Option<Role> {
    Some(match case {
        "by" => kind.subject_role(),
        "with" | "between" | "alongside" | "among" => Role::Counterpart,
        "against" => Role::Target,
        "on" if matches!(kind, EventType::Sanction | EventType::Attack | EventType::Threat) => Role::Target,
        "of" if nominal => kind.object_role(),
        "in" | "at" | "near" | "inside" | "outside" | "across" | "within" | "throughout" | "around" | "on" | "to"
        | "into" | "toward" | "towards" | "from"
            if loc =>
        {
            return None
        }
        "to" => Role::Recipient,
        _ => Role::Related,
    })
}

/// Who reports the event, when it is reported: the named subjects of the reporting verb
/// it hangs from ("…, Peskov said"; "Peskov said that …"), or those of "according to X".
/// `None` when nothing reports it; no names when the source has none ("Reports suggest
/// that …", "according to reports").
fn attribution(r: &Reading) -> Option<Vec<EntityId>> {
    let s = r.s;
    if let Some(v) = reporting_verb(r) {
        return Some(
            subjects(s, v)
                .into_iter()
                .flat_map(|(w, _)| entities_of(s, w))
                .collect(),
        );
    }
    let according: Vec<usize> = s
        .with_rel(r.top, &["obl"])
        .filter(|&c| s.with_rel(c, &["case"]).any(|k| s.lower(k) == "according"))
        .collect();
    (!according.is_empty()).then(|| according.into_iter().flat_map(|c| entities_of(s, c)).collect())
}

/// The reporting verb whose complement holds the event: one hanging from the event's
/// clause ("…, Peskov said"), or one reached up through complements, conjuncts, adverbial
/// and adnominal clauses, never out of a relative clause.
fn reporting_verb(r: &Reading) -> Option<usize> {
    let s = r.s;
    if let Some(v) = s.with_rel(r.top, &["parataxis"]).find(|&v| s.is_reporting(v)) {
        return Some(v);
    }
    let mut at = r.top;
    for _ in 0..MAX_DEPTH {
        let h = s.head(at)?;
        match s.base(at) {
            "ccomp" if s.is_reporting(h) => return Some(h),
            _ if s.rel(at).ends_with("relcl") => return None,
            "xcomp" | "conj" | "advcl" | "ccomp" | "acl" => at = h,
            _ => return None,
        }
    }
    None
}

/// "<subjects> <the event's own words>", the names put first only when the words do not
/// hold them (an inherited subject), cut at a word boundary.
fn summary(r: &Reading, own: &[usize], parts: &[Participant], res: &Resolution) -> String {
    let s = r.s;
    // A noun's own words are a phrase ("of Russia's invasion in 2022"); the clause it sits
    // in says what happened ("Russia's invasion in 2022 displaced millions").
    let clause = if r.nominal() {
        let mut at = r.top;
        let mut predicate = None;
        for _ in 0..MAX_DEPTH {
            match s.head(at) {
                Some(h) if s.is_predicate(h) => {
                    predicate = Some(h);
                    break;
                }
                Some(h) => at = h,
                None => break,
            }
        }
        predicate.map(|p| s.subtree(p, OTHER_CLAUSES))
    } else {
        None
    };
    let words = clause.as_deref().unwrap_or(own);
    // A phrase's leading preposition belongs to what governs it ("of invasion").
    let start = if clause.is_none() && r.nominal() {
        words
            .iter()
            .position(|&w| s.head(w) != Some(r.top) || !matches!(s.rel(w), "case" | "cc" | "punct"))
            .unwrap_or(0)
    } else {
        0
    };
    let words = &words[start..];
    let text = s.extent(words).and_then(|e| s.text.get(e.start..e.end)).unwrap_or("");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.trim_matches(|c: char| matches!(c, '.' | ',' | ';' | ':' | ' ' | '"' | '“' | '”'));
    let shown: Vec<EntityId> = words.iter().filter_map(|&w| s.entity(w)).collect();
    let missing: Vec<&str> = parts
        .iter()
        .filter(|p| matches!(p.role, Role::Agent | Role::Speaker) && !shown.contains(&p.entity))
        .filter_map(|p| res.entities.by_id(p.entity).map(|e| e.name.as_str()))
        .collect();
    // A verb's clause reads with its subject in front; a phrase stands on its own, with
    // its participants listed beside it by every output.
    let line = if missing.is_empty() || r.nominal() {
        text.to_string()
    } else {
        format!("{} {text}", missing.join(" and "))
    };
    truncate(&line, 160)
}

/// The content words among `words` (four letters or more, not part of a name), folded
/// to their first five letters and hashed, sorted and distinct.
fn content_words(s: &Sentence, words: &[usize]) -> Vec<u64> {
    let mut out: Vec<u64> = words
        .iter()
        .filter(|&&w| s.entity(w).is_none())
        .map(|&w| crate::resolve::names::fold(s.form(w)))
        .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
        .map(|w| super::merge::hash(&w.chars().take(5).collect::<String>()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Quotes within the event: for what is said, its whole clause with the complement.
fn quotes(r: &Reading, kind: EventType) -> Vec<String> {
    let s = r.s;
    let words = s.subtree(
        r.top,
        if r.said(kind) {
            &["conj", "parataxis", "advcl"]
        } else {
            OTHER_CLAUSES
        },
    );
    let Some(extent) = s.extent(&words) else {
        return Vec::new();
    };
    let Some(sentence) = s.text.get(s.span.start..s.span.end) else {
        return Vec::new();
    };
    QUOTE
        .find_iter(sentence)
        .filter(|m| extent.start <= s.span.start + m.start() && s.span.start + m.end() <= extent.end + 1)
        .map(|m| {
            m.as_str()
                .trim_matches(['“', '”', '"'])
                .trim()
                .trim_end_matches(',')
                .trim()
                .to_string()
        })
        .filter(|q| !q.is_empty())
        .collect()
}

/// Runs of consecutive words as byte spans.
fn runs(s: &Sentence, words: &[usize]) -> Vec<crate::doc::Span> {
    let mut out: Vec<crate::doc::Span> = Vec::new();
    let mut last: Option<usize> = None;
    for &w in words {
        let Some(span) = s.words.get(w) else { continue };
        match (last, out.last_mut()) {
            (Some(l), Some(run)) if w == l + 1 => run.end = span.end,
            _ => out.push(*span),
        }
        last = Some(w);
    }
    out
}

/// `s` cut to at most `max` chars at a word boundary, with an ellipsis when cut.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    //! Each rule on a hand-parsed sentence (`testing::parsed`); `super::super::tests`
    //! runs the whole extraction on longer ones.

    use super::*;
    use crate::annotated::testing::parsed;
    use crate::events::Factuality;
    use crate::ner::EntityType::{self, *};

    /// The events of sentence `s` of document 0 of `a`, dated by the tree rules, with no
    /// sentence before.
    fn tree_events(s: &Sentence, a: &Annotated, res: &Resolution) -> Vec<crate::events::Event> {
        events(s, DocId(0), a, res, Dating::Tree, &Previous::default()).0
    }

    /// A document dated 2025-07-15 of parsed `sentences`, every word whose form is one
    /// of `names` a mention of that type (so the list need not follow the text).
    fn doc(sentences: &[&str], names: &[(&str, EntityType)], timexes: &[(&str, &str)]) -> Annotated {
        let mentions: Vec<(&str, EntityType)> = sentences
            .iter()
            .flat_map(|s| s.split(' '))
            .filter_map(|w| {
                let form = w.split('/').next()?;
                names.iter().find(|(n, _)| *n == form).copied()
            })
            .collect();
        parsed("d", Some("2025-07-15"), sentences, &mentions, timexes)
    }

    /// Runs `f` on sentence `i` of `a` as `extract` builds it, with `a`'s resolution.
    fn on<T>(a: &Annotated, i: usize, f: impl FnOnce(&Sentence, &Resolution) -> T) -> T {
        let res = crate::resolve::resolve(std::slice::from_ref(a), None);
        let s = Sentence::new(
            &a.doc.text,
            a.sentences[i],
            &a.grammar.words[i],
            &a.grammar.parse[i],
            &res.mentions[0],
            &a.grammar.events,
        );
        f(&s, &res)
    }

    /// The first word written `form`.
    fn at(s: &Sentence, form: &str) -> usize {
        (0..s.len())
            .find(|&i| s.form(i) == form)
            .unwrap_or_else(|| panic!("no {form:?}"))
    }

    /// The reading of trigger word `form` with no support verb.
    fn bare<'s, 'a>(s: &'s Sentence<'a>, form: &str) -> Reading<'s, 'a> {
        let word = at(s, form);
        Reading {
            s,
            word,
            mention: s.trigger(word).expect("a trigger"),
            top: word,
            supports: Vec::new(),
        }
    }

    fn names(res: &Resolution, entities: impl IntoIterator<Item = EntityId>) -> Vec<String> {
        entities.into_iter().map(|e| res.entities[e].name.clone()).collect()
    }

    fn forms(s: &Sentence, words: &[Option<usize>]) -> Vec<Option<String>> {
        words.iter().map(|w| w.map(|w| s.form(w).to_string())).collect()
    }

    #[test]
    fn support_verbs_fold_along_their_chain_into_the_event() {
        let a = doc(
            &[
                // "Kabila plans to hold talks with Tshombe."
                "Kabila/2/nsubj/PROPN plans/0/root/VERB/I_ACTION to/4/mark/PART hold/2/xcomp/VERB/OCCURRENCE \
                 talks/4/obj/NOUN/OCCURRENCE with/7/case/ADP Tshombe/5/nmod/PROPN ./2/punct/PUNCT",
                // "A deal could come.": the model tagged only "come".
                "A/2/det/DET deal/4/nsubj/NOUN could/4/aux/AUX come/0/root/VERB/OCCURRENCE ./4/punct/PUNCT",
                // Two support verbs carrying each other (a broken parse).
                "Kabila/2/nsubj/PROPN held/3/obj/VERB/OCCURRENCE made/2/obj/VERB/OCCURRENCE",
            ],
            &[("Kabila", PER), ("Tshombe", PER)],
            &[],
        );
        on(&a, 0, |s, res| {
            let talks = Some("talks".to_string());
            assert_eq!(
                forms(s, &event_words(s)),
                [None, talks.clone(), None, talks.clone(), talks, None, None, None]
            );
            let events = tree_events(s, &a, res);
            assert_eq!(events.len(), 1, "{events:#?}");
            let e = &events[0];
            assert_eq!((e.trigger.as_str(), e.kind), ("talks", EventType::Negotiation));
            assert_eq!(
                names(res, e.with_role(Role::Agent)),
                ["Kabila"],
                "the subject of 'plans'"
            );
            assert_eq!(names(res, e.with_role(Role::Counterpart)), ["Tshombe"]);
            assert_eq!(e.summary, "Kabila plans to hold talks with Tshombe");
        });
        on(&a, 1, |s, _| {
            let deal = Some("deal".to_string());
            assert_eq!(forms(s, &event_words(s)), [None, deal.clone(), None, deal, None]);
        });
        on(&a, 2, |s, res| {
            assert_eq!(event_words(s), [None, None, None], "a loop folds into nothing");
            assert!(tree_events(s, &a, res).is_empty());
        });
    }

    #[test]
    fn a_relative_pronoun_stands_for_its_antecedent() {
        let a = doc(
            &[
                // "Witkoff, who held talks, left."
                "Witkoff/6/nsubj/PROPN ,/4/punct/PUNCT who/4/nsubj/PRON held/1/acl:relcl/VERB/OCCURRENCE \
                 talks/4/obj/NOUN/OCCURRENCE left/0/root/VERB/OCCURRENCE ./6/punct/PUNCT",
                // The same, the relative clause hung on the main verb.
                "Witkoff/7/nsubj/PROPN ,/4/punct/PUNCT who/4/nsubj/PRON held/7/advcl:relcl/VERB/OCCURRENCE \
                 talks/4/obj/NOUN/OCCURRENCE ,/4/punct/PUNCT left/0/root/VERB/OCCURRENCE ./7/punct/PUNCT",
            ],
            &[("Witkoff", PER)],
            &[],
        );
        for i in 0..2 {
            on(&a, i, |s, _| {
                let (held, witkoff) = (at(s, "held"), at(s, "Witkoff"));
                assert_eq!(antecedent(s, held), Some(witkoff), "sentence {i}");
                assert_eq!(antecedent(s, at(s, "left")), None, "not a relative clause");
                assert_eq!(subjects(s, held), [(witkoff, false)], "sentence {i}");
            });
        }
    }

    #[test]
    fn subjects_through_control_coordination_participles_passives_and_noun_modifiers() {
        let a = doc(
            &[
                "Kabila/2/nsubj/PROPN wants/0/root/VERB to/4/mark/PART visit/2/xcomp/VERB/OCCURRENCE \
                 Goma/4/obj/PROPN ./2/punct/PUNCT",
                "Kabila/2/nsubj/PROPN arrived/0/root/VERB/OCCURRENCE and/4/cc/CCONJ met/2/conj/VERB/OCCURRENCE \
                 Tshombe/4/obj/PROPN ./2/punct/PUNCT",
                "Kabila/2/nsubj/PROPN left/0/root/VERB/OCCURRENCE ,/4/punct/PUNCT meeting/2/advcl/VERB/OCCURRENCE \
                 Tshombe/4/obj/PROPN ./2/punct/PUNCT",
                "Kabila/2/nsubj/PROPN left/0/root/VERB/OCCURRENCE after/4/mark/SCONJ meeting/2/advcl/VERB/OCCURRENCE \
                 Tshombe/4/obj/PROPN ./2/punct/PUNCT",
                "Kabila/3/nsubj:pass/PROPN was/3/aux:pass/AUX arrested/0/root/VERB/OCCURRENCE by/5/case/ADP \
                 police/3/obl:agent/NOUN ./3/punct/PUNCT",
                "Kabila/3/nsubj:pass/PROPN is/3/aux:pass/AUX set/0/root/VERB to/5/mark/PART \
                 travel/3/xcomp/VERB/OCCURRENCE ./3/punct/PUNCT",
                "The/2/det/DET delegation/6/nsubj/NOUN led/2/acl/VERB/OCCURRENCE by/5/case/ADP \
                 Kabila/3/obl:agent/PROPN arrived/0/root/VERB/OCCURRENCE ./6/punct/PUNCT",
            ],
            &[("Kabila", PER), ("Tshombe", PER), ("Goma", LOC)],
            &[],
        );
        let cases: &[(&str, &[(&str, bool)])] = &[
            ("visit", &[("Kabila", false)]),
            ("met", &[("Kabila", false)]),
            ("meeting", &[("Kabila", false)]),
            ("meeting", &[]), // "after meeting": a subordinate clause keeps its own subject
            ("arrested", &[("Kabila", true), ("police", false)]),
            ("travel", &[("Kabila", false)]), // passive only for the event's own subject
            ("led", &[("delegation", false)]),
        ];
        for (i, (predicate, want)) in cases.iter().enumerate() {
            on(&a, i, |s, _| {
                let got: Vec<(&str, bool)> = subjects(s, at(s, predicate))
                    .into_iter()
                    .map(|(w, pass)| (s.form(w), pass))
                    .collect();
                assert_eq!(got, *want, "sentence {i}, {predicate}");
            });
        }
    }

    #[test]
    fn names_come_from_modifiers_apposition_and_conjuncts_but_not_adjectives() {
        let a = doc(
            &[
                // "U.S. officials met negotiators for the Authority and a Ukrainian delegation."
                "U.S./2/compound/PROPN officials/3/nsubj/NOUN met/0/root/VERB/OCCURRENCE negotiators/3/obj/NOUN \
                 for/7/case/ADP the/7/det/DET Authority/4/nmod/PROPN and/11/cc/CCONJ a/11/det/DET \
                 Ukrainian/11/amod/ADJ delegation/4/conj/NOUN ./3/punct/PUNCT",
                "Kabila/2/nsubj/PROPN visited/0/root/VERB/OCCURRENCE Moscow/2/obj/PROPN and/5/cc/CCONJ \
                 Kyiv/3/conj/PROPN ./2/punct/PUNCT",
            ],
            &[
                ("U.S.", LOC),
                ("Authority", ORG),
                ("Ukrainian", MISC),
                ("Kabila", PER),
                ("Moscow", LOC),
                ("Kyiv", LOC),
            ],
            &[],
        );
        on(&a, 0, |s, res| {
            let of = |form: &str| names(res, entity_of(s, at(s, form)));
            assert_eq!(of("officials"), ["U.S."]);
            assert_eq!(of("negotiators"), ["Authority"]);
            assert!(of("Ukrainian").is_empty(), "an adjective describes");
            assert!(of("delegation").is_empty(), "nor does it name its noun");
            assert!(of("met").is_empty(), "a predicate is no entity");
            assert_eq!(names(res, entities_of(s, at(s, "negotiators"))), ["Authority"]);
        });
        on(&a, 1, |s, res| {
            assert_eq!(names(res, entities_of(s, at(s, "Moscow"))), ["Moscow", "Kyiv"]);
            let e = &tree_events(s, &a, res)[0];
            assert_eq!(e.kind, EventType::Visit);
            assert_eq!(
                names(res, e.places.iter().copied()),
                ["Moscow", "Kyiv"],
                "where it went"
            );
            assert!(
                e.with_role(Role::Patient).next().is_none(),
                "a place visited is no patient"
            );
        });
    }

    #[test]
    fn an_oblique_s_role_follows_its_case_marker() {
        use EventType::*;
        let cases = [
            (Meeting, false, "with", false, Some(Role::Counterpart)),
            (Negotiation, true, "between", false, Some(Role::Counterpart)),
            (Statement, false, "by", false, Some(Role::Speaker)),
            (Other, false, "against", false, Some(Role::Target)),
            (Attack, false, "on", true, Some(Role::Target)),
            (Meeting, false, "on", true, None),
            (Meeting, false, "on", false, Some(Role::Related)),
            (Sanction, true, "of", false, Some(Role::Target)),
            (Proposal, false, "of", false, Some(Role::Related)),
            (Visit, false, "to", true, None),
            (Proposal, false, "to", false, Some(Role::Recipient)),
            (Meeting, false, "in", true, None),
            (Meeting, false, "in", false, Some(Role::Related)),
        ];
        for (kind, nominal, case, loc, want) in cases {
            assert_eq!(
                oblique(kind, nominal, case, loc),
                want,
                "{kind:?} nominal={nominal} {case:?} loc={loc}"
            );
        }
    }

    #[test]
    fn places_times_and_modifiers_take_their_parts() {
        let a = doc(
            &[
                "Kabila/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE,POS,none,PAST Tshombe/2/obj/PROPN in/5/case/ADP \
                 Goma/2/obl/PROPN on/7/case/ADP Monday/2/obl/PROPN ./2/punct/PUNCT",
                // "U.S. sanctions on Russia hurt exports.": a country modifying sanctions imposes them.
                "U.S./2/compound/PROPN sanctions/5/nsubj/NOUN/OCCURRENCE on/4/case/ADP Russia/2/nmod/PROPN \
                 hurt/0/root/VERB exports/5/obj/NOUN ./5/punct/PUNCT",
                // "Kabila attended the Goma meeting.": a city modifying a meeting is where it was.
                "Kabila/2/nsubj/PROPN attended/0/root/VERB the/5/det/DET Goma/5/compound/PROPN \
                 meeting/2/obj/NOUN/OCCURRENCE ./2/punct/PUNCT",
            ],
            &[
                ("Kabila", PER),
                ("Tshombe", PER),
                ("Goma", LOC),
                ("U.S.", LOC),
                ("Russia", LOC),
            ],
            &[("Monday", "2025-07-14")],
        );
        on(&a, 0, |s, res| {
            let r = bare(s, "met");
            let (parts, places) = participants(&r, EventType::Meeting, res);
            assert_eq!(names(res, places), ["Goma"]);
            let roles: Vec<Role> = parts.iter().map(|p| p.role).collect();
            assert_eq!(
                roles,
                [Role::Agent, Role::Counterpart],
                "Monday is a time, not a participant"
            );
            let e = &tree_events(s, &a, res)[0];
            let time = e.time.as_ref().expect("dated");
            assert_eq!(
                (time.value.as_str(), time.anchor),
                ("2025-07-14", crate::events::Anchor::Explicit)
            );
        });
        on(&a, 1, |s, res| {
            let (parts, places) = participants(&bare(s, "sanctions"), EventType::Sanction, res);
            assert!(places.is_empty());
            let by_role = |role| names(res, parts.iter().filter(|p| p.role == role).map(|p| p.entity));
            assert_eq!(
                (by_role(Role::Agent), by_role(Role::Target)),
                (vec!["U.S.".to_string()], vec!["Russia".to_string()])
            );
        });
        on(&a, 2, |s, res| {
            let (parts, places) = participants(&bare(s, "meeting"), EventType::Meeting, res);
            assert_eq!(names(res, places), ["Goma"]);
            assert_eq!(
                names(res, parts.iter().map(|p| p.entity)),
                ["Kabila"],
                "the subject of 'attended', which is no event"
            );
        });
    }

    #[test]
    fn the_type_is_the_trigger_read_in_its_context() {
        let a = doc(
            &[
                "Workers/2/nsubj/NOUN staged/0/root/VERB a/4/det/DET strike/2/obj/NOUN/OCCURRENCE ./2/punct/PUNCT",
                "A/3/det/DET drone/3/compound/NOUN strike/4/nsubj/NOUN/OCCURRENCE hit/0/root/VERB \
                 Kyiv/4/obj/PROPN ./4/punct/PUNCT",
                "Peskov/2/nsubj/PROPN quipped/0/root/VERB/REPORTING ./2/punct/PUNCT",
                "Prices/2/nsubj/NOUN soared/0/root/VERB/OCCURRENCE ./2/punct/PUNCT",
            ],
            &[("Kyiv", LOC), ("Peskov", PER)],
            &[],
        );
        let cases = [
            ("strike", EventType::Strike),
            ("strike", EventType::Attack),
            ("quipped", EventType::Statement), // unknown to the lexicon, but said
            ("soared", EventType::Other),
        ];
        for (i, (trigger, want)) in cases.into_iter().enumerate() {
            on(&a, i, |s, _| assert_eq!(kind(&bare(s, trigger)), want, "sentence {i}"));
        }
    }

    #[test]
    fn a_reporting_verb_above_the_clause_or_according_to_attributes_it() {
        let a = doc(
            &[
                "Peskov/2/nsubj/PROPN said/0/root/VERB/REPORTING Kabila/4/nsubj/PROPN met/2/ccomp/VERB/OCCURRENCE \
                 Tshombe/4/obj/PROPN ./2/punct/PUNCT",
                "Kabila/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE Tshombe/2/obj/PROPN ,/6/punct/PUNCT \
                 Peskov/6/nsubj/PROPN said/2/parataxis/VERB/REPORTING ./2/punct/PUNCT",
                "Kabila/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE Tshombe/2/obj/PROPN ,/7/punct/PUNCT \
                 according/7/case/VERB to/5/fixed/ADP Peskov/2/obl/PROPN ./2/punct/PUNCT",
                "Kabila/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE Tshombe/2/obj/PROPN ,/7/punct/PUNCT \
                 according/7/case/VERB to/5/fixed/ADP reports/2/obl/NOUN ./2/punct/PUNCT",
                "Kabila/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE Tshombe/2/obj/PROPN ./2/punct/PUNCT",
                "Peskov/2/nsubj/PROPN hopes/0/root/VERB/I_STATE Kabila/4/nsubj/PROPN met/2/ccomp/VERB/OCCURRENCE \
                 Tshombe/4/obj/PROPN ./2/punct/PUNCT",
            ],
            &[("Peskov", PER), ("Kabila", PER), ("Tshombe", PER)],
            &[],
        );
        let peskov = Some(vec!["Peskov".to_string()]);
        let want = [peskov.clone(), peskov.clone(), peskov, Some(Vec::new()), None, None];
        for (i, want) in want.into_iter().enumerate() {
            on(&a, i, |s, res| {
                let got = attribution(&bare(s, "met")).map(|e| names(res, e));
                assert_eq!(got, want, "sentence {i}");
            });
        }
    }

    #[test]
    fn attribution_does_not_climb_out_of_a_relative_clause() {
        // "Peskov said Kabila, who met Tshombe, left."
        let a = doc(
            &[
                "Peskov/2/nsubj/PROPN said/0/root/VERB/REPORTING Kabila/9/nsubj/PROPN ,/6/punct/PUNCT \
               who/6/nsubj/PRON met/3/acl:relcl/VERB/OCCURRENCE Tshombe/6/obj/PROPN ,/6/punct/PUNCT \
               left/2/ccomp/VERB/OCCURRENCE ./2/punct/PUNCT",
            ],
            &[("Peskov", PER), ("Kabila", PER), ("Tshombe", PER)],
            &[],
        );
        on(&a, 0, |s, res| {
            let said = at(s, "said");
            assert_eq!(reporting_verb(&bare(s, "left")), Some(said));
            assert_eq!(reporting_verb(&bare(s, "met")), None);
            let events = tree_events(s, &a, res);
            let read = |t: &str| {
                let e = events.iter().find(|e| e.trigger == t).expect(t);
                (e.factuality, names(res, e.reported_by.clone()))
            };
            assert_eq!(read("left"), (Factuality::Reported, vec!["Peskov".to_string()]));
            assert_eq!(read("met"), (Factuality::Asserted, Vec::new()));
        });
    }

    #[test]
    fn quotes_stay_with_what_is_said() {
        // "“We are ready,” Peskov said after Kabila visited Goma."
        let a = doc(
            &[
                "“/4/punct/PUNCT We/4/nsubj/PRON are/4/cop/AUX ready/8/ccomp/ADJ ,/4/punct/PUNCT ”/4/punct/PUNCT \
               Peskov/8/nsubj/PROPN said/0/root/VERB/REPORTING after/11/mark/SCONJ Kabila/11/nsubj/PROPN \
               visited/8/advcl/VERB/OCCURRENCE Goma/11/obj/PROPN ./8/punct/PUNCT",
            ],
            &[("Peskov", PER), ("Kabila", PER), ("Goma", LOC)],
            &[],
        );
        on(&a, 0, |s, res| {
            let events = tree_events(s, &a, res);
            let quoted = |t: &str| events.iter().find(|e| e.trigger == t).map(|e| e.quotes.clone());
            assert_eq!(quoted("said"), Some(vec!["We are ready".to_string()]));
            assert_eq!(quoted("visited"), Some(Vec::new()), "the quote is not the visit's");
            assert_eq!(quotes(&bare(s, "visited"), EventType::Visit), Vec::<String>::new());
        });
    }

    #[test]
    fn a_summary_names_an_inherited_subject_first() {
        let a = doc(
            &[
                "Kabila/2/nsubj/PROPN wants/0/root/VERB to/4/mark/PART visit/2/xcomp/VERB/OCCURRENCE \
                 Goma/4/obj/PROPN ./2/punct/PUNCT",
                "Kabila/2/nsubj/PROPN wants/0/root/VERB talks/2/obj/NOUN/OCCURRENCE with/5/case/ADP \
                 Tshombe/3/nmod/PROPN ./2/punct/PUNCT",
                "Kabila/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE Tshombe/2/obj/PROPN ,/6/punct/PUNCT \
                 Peskov/6/nsubj/PROPN said/2/parataxis/VERB/REPORTING ./2/punct/PUNCT",
            ],
            &[("Kabila", PER), ("Tshombe", PER), ("Goma", LOC), ("Peskov", PER)],
            &[],
        );
        let first = |i: usize| on(&a, i, |s, res| tree_events(s, &a, res).remove(0));
        assert_eq!(first(0).summary, "Kabila to visit Goma");
        assert_eq!(
            first(1).summary,
            "Kabila wants talks with Tshombe",
            "an event noun: its clause"
        );
        let met = first(2);
        assert_eq!(
            met.summary, "Kabila met Tshombe",
            "named once, without the other clause"
        );
        let clause: Vec<&str> = met.sources[0].clause.iter().map(|c| c.of(&a.doc.text)).collect();
        assert_eq!(clause, ["Kabila met Tshombe"]);
    }

    #[test]
    fn runs_join_consecutive_words() {
        let a = doc(&["a/0/root/X b/1/dep/X c/1/dep/X d/1/dep/X"], &[], &[]);
        on(&a, 0, |s, _| {
            let text: Vec<&str> = runs(s, &[0, 1, 3, 9]).iter().map(|r| r.of(s.text)).collect();
            assert_eq!(text, ["a b", "d"], "an index out of range is skipped");
            assert!(runs(s, &[]).is_empty());
        });
    }

    #[test]
    fn truncation_cuts_at_a_space_and_never_inside_a_char() {
        assert_eq!(truncate("short", 160), "short");
        assert_eq!(truncate("one two three", 9), "one two…");
        let accents = "é".repeat(200);
        let cut = truncate(&accents, 160);
        assert_eq!(
            (cut.chars().count(), cut.ends_with('…')),
            (161, true),
            "no space: cut at the limit"
        );
        let mixed = "日本 ".repeat(100);
        let cut = truncate(&mixed, 160);
        assert!(cut.chars().count() <= 161 && cut.ends_with("日本…"), "{cut}");
    }

    #[test]
    fn an_event_without_participant_place_or_date_is_kept() {
        let a = doc(
            &[
                "Prices/2/nsubj/NOUN rose/0/root/VERB/OCCURRENCE ./2/punct/PUNCT",
                "Prices/2/nsubj/NOUN rose/0/root/VERB/OCCURRENCE on/4/case/ADP Monday/2/obl/PROPN ./2/punct/PUNCT",
                "Kabila/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE Tshombe/2/obj/PROPN in/5/case/ADP \
                 Goma/2/obl/PROPN on/7/case/ADP Tuesday/2/obl/PROPN ./2/punct/PUNCT",
            ],
            &[("Kabila", PER), ("Tshombe", PER), ("Goma", LOC)],
            &[("Monday", "2025-07-14"), ("Tuesday", "2025-07-15")],
        );
        let read = |i: usize| on(&a, i, |s, res| tree_events(s, &a, res));
        let bare = read(0);
        assert_eq!(bare.len(), 1, "nobody, nowhere, never: still an event");
        assert!(bare[0].participants.is_empty() && bare[0].places.is_empty());
        let (dated, met) = (read(1), read(2));
        assert_eq!(dated.len(), 1);
        assert!(dated[0].participants.is_empty() && dated[0].places.is_empty());
        assert!(
            (0.05..=0.95).contains(&met[0].confidence) && met[0].confidence > dated[0].confidence,
            "an agent and a place add belief: {} vs {}",
            met[0].confidence,
            dated[0].confidence
        );
    }
}
