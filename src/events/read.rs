//! The events of one parsed sentence (the rules are in the [`super`] module docs).

use super::tree::{Sentence, MAX_DEPTH};
use super::{factuality, lexicon, when, Event, EventType, Evidence, Participant, Role};
use crate::annotated::Annotated;
use crate::resolve::Resolution;
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
            if !lexicon::is_support(&s.lower(t), &m.attrs.class) {
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

/// The events of sentence `s` of document `doc`.
pub(super) fn events(s: &Sentence, doc: usize, a: &Annotated, res: &Resolution) -> Vec<Event> {
    let event_of = event_words(s);
    let readings: Vec<Reading> = (0..s.len())
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
        .collect();
    let timexes: Vec<&crate::time::Timex> = a
        .timexes
        .iter()
        .filter(|t| {
            s.span.contains(t.span) && matches!(t.kind, crate::time::TimexType::Date | crate::time::TimexType::Time)
        })
        .collect();
    let dates = when::explicit(s, &timexes, &event_of);
    let mut out: Vec<(usize, Event)> = Vec::new();
    for r in &readings {
        let kind = kind(r);
        let (participants, places) = participants(r, kind, res);
        let attribution = attribution(r);
        let explicit = dates.get(&r.word).map(|t| when::from_timex(s, t, doc));
        let fact = factuality::of(r, attribution.is_some(), explicit.as_ref(), a.doc.dct.as_ref());
        let reported_by = attribution.unwrap_or_default();
        if participants.is_empty() && places.is_empty() && explicit.is_none() {
            continue;
        }
        let time = explicit.or_else(|| when::anchor(r, kind, fact, a.doc.dct.as_ref(), doc));
        let own = s.subtree(r.top, OTHER_CLAUSES);
        let confidence = 0.3
            + 0.3 * r.mention.score
            + if participants
                .iter()
                .any(|p| matches!(p.role, Role::Agent | Role::Speaker))
            {
                0.15
            } else {
                0.0
            }
            + if time.as_ref().is_some_and(|t| t.is_explicit()) {
                0.1
            } else {
                0.0
            }
            + if places.is_empty() { 0.0 } else { 0.05 };
        let event = Event {
            kind,
            class: r.mention.attrs.class.clone(),
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
            confidence: confidence.clamp(0.05, 0.95),
        };
        out.push((r.top, event));
    }
    when::share_with_conjuncts(s, &mut out);
    out.into_iter().map(|(_, e)| e).collect()
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
    lexicon::sense(&s.lower(r.word), &context).unwrap_or(if r.mention.attrs.class == "REPORTING" {
        EventType::Statement
    } else {
        EventType::Other
    })
}

/// The entities of argument word `w` and its conjuncts.
fn entities_of(s: &Sentence, w: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
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
fn entity_of(s: &Sentence, w: usize) -> Option<usize> {
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
fn participants(r: &Reading, kind: EventType, res: &Resolution) -> (Vec<Participant>, Vec<usize>) {
    let s = r.s;
    let mut parts: Vec<Participant> = Vec::new();
    let mut places: Vec<usize> = Vec::new();
    let is_loc = |e: usize| res.kind(e) == Some(crate::ner::EntityType::LOC);
    let add = |parts: &mut Vec<Participant>, places: &mut Vec<usize>, w: usize, role: Option<Role>| {
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
fn attribution(r: &Reading) -> Option<Vec<usize>> {
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
    let reporting = |v: usize| s.trigger(v).is_some_and(|m| m.attrs.class == "REPORTING");
    if let Some(v) = s.with_rel(r.top, &["parataxis"]).find(|&v| reporting(v)) {
        return Some(v);
    }
    let mut at = r.top;
    for _ in 0..MAX_DEPTH {
        let h = s.head(at)?;
        match s.base(at) {
            "ccomp" if reporting(h) => return Some(h),
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
    let text = s.extent(own).and_then(|e| s.text.get(e.start..e.end)).unwrap_or("");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.trim_matches(|c: char| matches!(c, '.' | ',' | ';' | ':' | ' ' | '"' | '“' | '”'));
    let shown: Vec<usize> = own.iter().filter_map(|&w| s.entity(w)).collect();
    let missing: Vec<&str> = parts
        .iter()
        .filter(|p| matches!(p.role, Role::Agent | Role::Speaker) && !shown.contains(&p.entity))
        .filter_map(|p| res.entities.get(p.entity).map(|e| e.name.as_str()))
        .collect();
    let line = if missing.is_empty() {
        text.to_string()
    } else if r.nominal() {
        format!("{}: {text}", missing.join(" and "))
    } else {
        format!("{} {text}", missing.join(" and "))
    };
    truncate(&line, 160)
}

/// Quotes within the event: for what is said, its whole clause with the complement.
fn quotes(r: &Reading, kind: EventType) -> Vec<String> {
    let s = r.s;
    let said = matches!(kind, EventType::Statement | EventType::Announcement | EventType::Threat)
        || r.mention.attrs.class == "REPORTING";
    let words = s.subtree(
        r.top,
        if said {
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
