//! Events: who did what to whom, where and when, read sentence by sentence.
//!
//! Without a tagger or parser the rules are positional, within a clause ([`clause`]):
//! - **Trigger**: a verb or event noun from the [`lexicon`] (not inside a name or a quote).
//! - **Agent/speaker**: for a verb, the last person before it (else organisation, else
//!   any entity not after "in/at/to…"), with those coordinated by "and"; for a noun, a
//!   possessive or modifier right before it ("Russia's invasion"), "by/from X" after it,
//!   or the clause subject when no other trigger comes between and at most eight words do
//!   ("Witkoff is set for another visit"). A verb's subject is skipped when a reporting
//!   verb comes between ("Peskov remarked … worth discussing"). In a relative clause, the
//!   name it hangs on; a he/she/they before the trigger takes the agents of the previous
//!   event in the sentence or, failing that, in the previous sentence of the paragraph.
//! - **Others**: entities after the trigger up to the next trigger: "with/between X" is a
//!   counterpart, "in/at/near X" (and a visit's destination) a place, else a patient or
//!   target. A noun takes them only when a preposition follows it ("talks with X",
//!   "a meeting scheduled in London").
//! - **Time**: the nearest date or time in the clause, else (except in a relative clause,
//!   which is background) in the sentence outside relative clauses; else, when the sentence continues the
//!   previous one of the same paragraph (opens with he/she/they/it/this/yet/but/also/
//!   concurrently/meanwhile…), that sentence's time; else undated. Never the run date.
//! - Statements, announcements, threats and proposals need a speaker; other events an
//!   agent, a place or two participants ("talks between Moscow and Kyiv"). Same-type triggers of one sentence with the same agent are one event.
//!
//! [`merge`] then joins reports of one event across sentences and documents.

pub mod clause;
pub mod lexicon;
mod merge;

pub use merge::merge;

use crate::doc::Span;
use crate::ner::EntityType;
use crate::annotated::Annotated;
use crate::resolve::{names, Resolution};
use crate::time::{Timex, TimexType};
use chrono::NaiveDate;
use clause::Clause;
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// What kind of thing happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventType {
    Statement,
    Meeting,
    Visit,
    Negotiation,
    Proposal,
    Agreement,
    Announcement,
    Threat,
    Sanction,
    Attack,
    Other,
}

impl EventType {
    pub fn name(self) -> &'static str {
        match self {
            EventType::Statement => "statement",
            EventType::Meeting => "meeting",
            EventType::Visit => "visit",
            EventType::Negotiation => "negotiation",
            EventType::Proposal => "proposal",
            EventType::Agreement => "agreement",
            EventType::Announcement => "announcement",
            EventType::Threat => "threat",
            EventType::Sanction => "sanction",
            EventType::Attack => "attack",
            EventType::Other => "other",
        }
    }

    /// Who acts in it: a speaker for what is said, else an agent.
    fn agent_role(self) -> Role {
        match self {
            EventType::Statement | EventType::Announcement => Role::Speaker,
            _ => Role::Agent,
        }
    }

    /// The role of an entity after the trigger, absent a telling preposition.
    fn object_role(self) -> Role {
        match self {
            EventType::Threat | EventType::Sanction | EventType::Attack => Role::Target,
            EventType::Meeting | EventType::Negotiation | EventType::Agreement | EventType::Visit => Role::Counterpart,
            _ => Role::Patient,
        }
    }

    /// Whether a place name right before its noun is where it happens ("Moscow visit"),
    /// not who does it ("U.S. sanctions").
    fn placed_by_modifier(self) -> bool {
        matches!(self, EventType::Visit | EventType::Meeting | EventType::Negotiation | EventType::Attack)
    }

    /// Whether the event is made of words, so that it needs a speaker.
    fn needs_agent(self) -> bool {
        matches!(self, EventType::Statement | EventType::Announcement | EventType::Threat | EventType::Proposal)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Agent,
    Speaker,
    Patient,
    Target,
    Counterpart,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Speaker => "speaker",
            Role::Patient => "patient",
            Role::Target => "target",
            Role::Counterpart => "counterpart",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Participant {
    /// Index into the resolution's entities.
    pub entity: usize,
    pub role: Role,
}

/// How an event got its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSource {
    Clause,
    Sentence,
    /// Inherited from the previous sentence of the paragraph, which this one continues.
    PreviousSentence,
}

impl TimeSource {
    pub fn name(self) -> &'static str {
        match self {
            TimeSource::Clause => "clause",
            TimeSource::Sentence => "sentence",
            TimeSource::PreviousSentence => "previous-sentence",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventTime {
    /// TIMEX3 value (`2025-07-14`, `XXXX-WXX-1`, `2025-W29`).
    pub value: String,
    pub modifier: Option<String>,
    /// First and last day, when the value pins calendar days.
    pub interval: Option<(NaiveDate, NaiveDate)>,
    /// The expression as written.
    pub text: String,
    /// Where it was read: document index and byte span.
    pub doc: usize,
    pub span: Span,
    pub source: TimeSource,
}

/// One report of an event: the sentence, clause and trigger word in a document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evidence {
    pub doc: usize,
    pub sentence: Span,
    /// The pieces of the trigger's clause (see [`clause`]).
    pub clause: Vec<Span>,
    pub trigger: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: EventType,
    /// The trigger word as written in the first report.
    pub trigger: String,
    pub summary: String,
    /// None: undated.
    pub time: Option<EventTime>,
    pub participants: Vec<Participant>,
    /// Entities (places) where it happened.
    pub places: Vec<usize>,
    pub quotes: Vec<String>,
    pub sources: Vec<Evidence>,
    /// A rough 0–1 belief that the event is real and rightly read; grows with sources.
    pub confidence: f32,
}

impl Event {
    /// Entities taking part with role `role`.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = usize> + '_ {
        self.participants.iter().filter(move |p| p.role == role).map(|p| p.entity)
    }

    /// Every entity it involves, places included.
    pub fn entities(&self) -> impl Iterator<Item = usize> + '_ {
        self.participants.iter().map(|p| p.entity).chain(self.places.iter().copied())
    }
}

/// The events of every document, one per report (before [`merge`]).
pub fn extract(docs: &[Annotated], res: &Resolution) -> Vec<Event> {
    let mut out = Vec::new();
    for (d, a) in docs.iter().enumerate() {
        let mut carried: Option<Carried> = None;
        for (paragraph, s) in event_sentences(a) {
            let prev = carried.take().filter(|c| c.paragraph == paragraph);
            let ctx = Ctx::new(a, d, s, res);
            let events = ctx.events(prev.as_ref(), res);
            carried = Some(Carried {
                paragraph,
                time: events.iter().rev().find_map(|e| e.time.clone()),
                agents: events.iter().rev().map(|e| agents(e).collect::<Vec<_>>()).find(|a| !a.is_empty()).unwrap_or_default(),
            });
            out.extend(events);
        }
    }
    out
}

fn agents(e: &Event) -> impl Iterator<Item = usize> + '_ {
    e.participants.iter().filter(|p| matches!(p.role, Role::Agent | Role::Speaker)).map(|p| p.entity)
}

/// What a sentence hands to the next one of its paragraph.
struct Carried {
    paragraph: usize,
    time: Option<EventTime>,
    agents: Vec<usize>,
}

/// The sentences events are read from, with the index of their paragraph.
fn event_sentences(a: &Annotated) -> Vec<(usize, Span)> {
    let text = &a.doc.text;
    let valid = |s: &Span| s.start < s.end && text.get(s.start..s.end).is_some();
    let paragraphs: Vec<Span> =
        if a.doc.body.is_empty() { vec![Span::new(0, text.len())] } else { a.doc.body.iter().copied().filter(valid).collect() };
    let sentences = if a.sentences.is_empty() { &paragraphs } else { &a.sentences };
    sentences
        .iter()
        .filter(|s| valid(s))
        .filter_map(|s| paragraphs.iter().position(|p| p.overlaps(*s)).map(|p| (p, *s)))
        .collect()
}

/// An entity mention inside the sentence being read.
#[derive(Debug, Clone, Copy)]
struct M {
    span: Span,
    entity: usize,
    kind: EntityType,
}

#[derive(Debug, Clone, Copy)]
struct Trigger {
    span: Span,
    kind: EventType,
    noun: bool,
}

/// One sentence and what is in it.
struct Ctx<'a> {
    text: &'a str,
    doc: usize,
    sentence: Span,
    mentions: Vec<M>,
    timexes: Vec<&'a Timex>,
    quotes: Vec<Span>,
    clauses: Vec<Clause>,
    triggers: Vec<Trigger>,
}

static QUOTE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"[“"][^“”"]{1,500}[”"]"#).expect("quote regex"));

/// Words after which a verb-or-noun form is a noun.
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these", "those",
    "another", "any", "no", "multiple", "several", "many", "new", "planned", "first", "further",
];

/// Prepositions before an entity that make it a place or complement, not a subject.
const LOCATIVE: &[&str] = &["in", "at", "near", "to", "from", "across", "inside", "outside", "into", "toward", "towards", "around", "within"];

/// Prepositions that let a noun trigger take the entities after it.
const NOUN_PREPOSITIONS: &[&str] = &["with", "between", "from", "by", "against", "on", "to", "in", "at", "of", "for", "over"];

/// First words of a sentence that continues the previous one.
const CONTINUATIONS: &[&str] = &[
    "he", "she", "they", "it", "this", "these", "yet", "but", "however", "also", "concurrently", "meanwhile", "then", "later",
];

const PRONOUNS: &[&str] = &["he", "she", "they"];

impl<'a> Ctx<'a> {
    fn new(a: &'a Annotated, doc: usize, sentence: Span, res: &Resolution) -> Ctx<'a> {
        let text = a.doc.text.as_str();
        let inside = |s: Span| sentence.contains(s);
        let all: Vec<M> = res
            .mentions
            .get(doc)
            .into_iter()
            .flatten()
            .filter(|m| inside(m.span))
            .filter_map(|m| Some(M { span: m.span, entity: m.entity, kind: res.kind(m.entity)? }))
            .collect();
        // "Kremlin" inside the role mention "the Kremlin spokesman" is no participant of its own.
        let mentions: Vec<M> =
            all.iter().copied().filter(|m| !all.iter().any(|o| o.span != m.span && o.span.contains(m.span))).collect();
        let timexes =
            a.timexes.iter().filter(|t| inside(t.span) && matches!(t.kind, TimexType::Date | TimexType::Time)).collect();
        let quotes = QUOTE.find_iter(sentence.of(text)).map(|m| Span::new(sentence.start + m.start(), sentence.start + m.end())).collect();
        let mut ctx = Ctx { text, doc, sentence, mentions, timexes, quotes, clauses: clause::split(text, sentence), triggers: Vec::new() };
        ctx.triggers = ctx.find_triggers();
        ctx
    }

    fn find_triggers(&self) -> Vec<Trigger> {
        let words: Vec<Span> = names::word_spans(self.sentence.of(self.text))
            .into_iter()
            .map(|w| Span::new(w.start + self.sentence.start, w.end + self.sentence.start))
            .collect();
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let Some(entry) = lexicon::lookup(&w.of(self.text).to_lowercase()) else { continue };
            if self.mentions.iter().any(|m| m.span.overlaps(*w)) || self.quotes.iter().any(|q| q.contains(*w)) {
                continue;
            }
            let after_determiner = i > 0 && {
                let prev = words[i - 1].of(self.text);
                DETERMINERS.contains(&prev.to_lowercase().as_str())
                    || prev.ends_with("'s")
                    || prev.ends_with("’s")
                    || self.mentions.iter().any(|m| m.span.end <= w.start && self.gap(m.span.end, w.start).trim().is_empty())
            };
            let noun = entry.noun && (!entry.verb || after_determiner);
            out.push(Trigger { span: *w, kind: entry.kind, noun });
        }
        out
    }

    /// Text between two offsets, empty when they are out of order.
    fn gap(&self, from: usize, to: usize) -> &'a str {
        self.text.get(from..to).unwrap_or("")
    }

    /// The last word before `at`, looking back no further than `floor`, lowercased;
    /// "the" and "a" skipped.
    fn word_before(&self, floor: usize, at: usize) -> Option<String> {
        let window = self.gap(floor, at);
        names::word_spans(window).iter().rev().map(|w| w.of(window).to_lowercase()).find(|w| w != "the" && w != "a")
    }

    fn clause_of(&self, at: usize) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.contains(at))
    }

    fn events(&self, prev: Option<&Carried>, res: &Resolution) -> Vec<Event> {
        let mut out: Vec<Event> = Vec::new();
        for (i, t) in self.triggers.iter().enumerate() {
            let Some(e) = self.event(i, *t, prev, &out, res) else { continue };
            // Same-type triggers of one sentence with the same agents are one event.
            let same = out.iter_mut().find(|o| {
                o.kind == e.kind && {
                    let (a, b): (Vec<usize>, Vec<usize>) = (agents(o).collect(), agents(&e).collect());
                    a.is_empty() || b.is_empty() || a.iter().any(|x| b.contains(x))
                }
            });
            match same {
                Some(o) => {
                    for p in e.participants {
                        if !o.participants.iter().any(|q| q.entity == p.entity) {
                            o.participants.push(p);
                        }
                    }
                    for p in e.places {
                        if !o.places.contains(&p) {
                            o.places.push(p);
                        }
                    }
                    o.time = o.time.take().or(e.time);
                    o.confidence = o.confidence.max(e.confidence);
                }
                None => out.push(e),
            }
        }
        out
    }

    /// The event of trigger `i`, if it has the participants it needs.
    fn event(&self, i: usize, t: Trigger, prev: Option<&Carried>, earlier: &[Event], res: &Resolution) -> Option<Event> {
        let clause = self.clause_of(t.span.start)?;
        let in_clause: Vec<M> = self.mentions.iter().copied().filter(|m| clause.contains(m.span.start)).collect();
        let window_end = self.triggers[i + 1..]
            .iter()
            .find(|n| clause.contains(n.span.start))
            .map_or(self.sentence.end, |n| n.span.start);
        let locative = |m: &M| self.word_before(clause.start(), m.span.start).is_some_and(|w| LOCATIVE.contains(&w.as_str()));

        // Agents.
        let mut confidence: f32 = if t.noun { 0.45 } else { 0.6 };
        let before: Vec<M> =
            in_clause.iter().copied().filter(|m| m.span.end <= t.span.start && !locative(m)).collect();
        let mut agents: Vec<usize> = Vec::new();
        let mut places: Vec<usize> = Vec::new();
        if t.noun {
            let last = in_clause.iter().rev().find(|m| m.span.end <= t.span.start).copied();
            match last.and_then(|m| Some((m, self.modifies(&m, t)?))) {
                Some((m, Modifier::Bare)) if m.kind == EntityType::LOC && t.kind.placed_by_modifier() => places.push(m.entity),
                Some((m, _)) => agents.push(m.entity),
                None => {}
            }
        }
        if agents.is_empty() {
            // The clause subject, unless a verb comes between (a noun's subject is a
            // light verb's: "X held talks"; a verb's, unless a reporting verb intervenes).
            let pool: Vec<M> = before.iter().copied().filter(|m| !places.contains(&m.entity)).collect();
            if let Some(head) = subject(&pool) {
                let blocked = self.triggers[..i].iter().any(|o| {
                    o.span.start >= head.span.end
                        && clause.contains(o.span.start)
                        && !o.noun
                        && (t.noun || o.kind.needs_agent())
                });
                let near = !t.noun || self.clause_words(clause, head.span.end, t.span.start) <= 8;
                if !blocked && near {
                    agents = self.coordinated(head, &pool, clause);
                }
            }
        }
        if !agents.is_empty() {
            confidence += 0.15;
        } else if let Some(host) = clause.host {
            // A relative clause is about the name it hangs on.
            let host_start = self.clauses.get(host).map_or(self.sentence.start, Clause::start);
            let antecedent = self.mentions.iter().rev().find(|m| {
                m.span.end <= clause.start() && m.span.start >= host_start && matches!(m.kind, EntityType::PER | EntityType::ORG)
            });
            if let Some(m) = antecedent {
                agents.push(m.entity);
                confidence += 0.1;
            }
        } else if let Some(pronoun) = self.pronoun_before(clause, t) {
            // "he"/"she" stand for people only; "they" for anyone.
            let fits = |e: &usize| pronoun == "they" || res.kind(*e) == Some(EntityType::PER);
            let last_agents = |a: Vec<usize>| Some(a.into_iter().filter(fits).collect::<Vec<_>>()).filter(|a| !a.is_empty());
            agents = earlier
                .iter()
                .rev()
                .find_map(|e| last_agents(self::agents(e).collect()))
                .or_else(|| last_agents(prev?.agents.clone()))
                .unwrap_or_default();
        }

        // Entities after the trigger.
        let mut participants: Vec<Participant> =
            agents.iter().map(|&entity| Participant { entity, role: t.kind.agent_role() }).collect();
        // A noun takes a preposition's objects, after at most one participle ("a meeting
        // scheduled in London").
        let first_end = self.next_word_end(t.span.end);
        let mut first_after = self.word_before(t.span.end, first_end);
        if first_after.as_deref().is_some_and(|w| w.ends_with("ed")) {
            first_after = self.word_before(first_end, self.next_word_end(first_end));
        }
        let takes_objects = !t.noun || first_after.as_deref().is_some_and(|w| NOUN_PREPOSITIONS.contains(&w));
        let mut anchor = t.span.end;
        let mut last_role: Option<Role> = None;
        for m in in_clause.iter().filter(|m| m.span.start >= t.span.end && m.span.start < window_end) {
            if !takes_objects {
                break;
            }
            let between = self.gap(anchor, m.span.start).trim().to_lowercase();
            let word = self.word_before(anchor, m.span.start);
            anchor = m.span.end;
            let coordinated = matches!(between.as_str(), "," | "and" | ", and" | "or" | "and the" | ", the");
            let role = match word.as_deref() {
                _ if coordinated && last_role.is_some() => last_role,
                _ if coordinated && places.last().is_some() && m.kind == EntityType::LOC => None,
                Some("with" | "between" | "alongside") => Some(Role::Counterpart),
                Some("by" | "from") if t.noun && agents.is_empty() => Some(t.kind.agent_role()),
                Some(w) if m.kind == EntityType::LOC && LOCATIVE.contains(&w) => None,
                _ if m.kind == EntityType::LOC && t.kind == EventType::Visit => None,
                _ => Some(t.kind.object_role()),
            };
            match role {
                Some(role) => {
                    if !participants.iter().any(|p| p.entity == m.entity) {
                        participants.push(Participant { entity: m.entity, role });
                    }
                }
                None => places.push(m.entity),
            }
            last_role = role;
        }
        // "In London, …": a place anywhere in the clause.
        for m in in_clause.iter().filter(|m| m.kind == EntityType::LOC && m.span.end <= t.span.start && locative(m)) {
            if matches!(self.word_before(clause.start(), m.span.start).as_deref(), Some("in" | "at" | "near")) {
                places.push(m.entity);
            }
        }
        places.sort_unstable();
        places.dedup();
        participants.retain(|p| !places.contains(&p.entity) || agents.contains(&p.entity));

        let has_agent = participants.iter().any(|p| p.role == t.kind.agent_role());
        let enough = has_agent || (!t.kind.needs_agent() && (!places.is_empty() || participants.len() >= 2));
        if !enough {
            return None;
        }
        let time = self.time(t, clause, prev);
        confidence += match time.as_ref().map(|t| t.source) {
            Some(TimeSource::Clause | TimeSource::Sentence) => 0.1,
            Some(TimeSource::PreviousSentence) => 0.03,
            None => 0.0,
        };
        if !places.is_empty() {
            confidence += 0.05;
        }
        Some(Event {
            kind: t.kind,
            trigger: t.span.of(self.text).to_string(),
            summary: self.summary(t, clause, &agents, res),
            time,
            participants,
            places,
            quotes: self.quotes.iter().map(|q| clean_quote(q.of(self.text))).filter(|q| !q.is_empty()).collect(),
            sources: vec![Evidence { doc: self.doc, sentence: self.sentence, clause: clause.parts.clone(), trigger: t.span }],
            confidence: confidence.clamp(0.05, 0.95),
        })
    }

    /// The end of the first word after `at` (the sentence end when none).
    fn next_word_end(&self, at: usize) -> usize {
        let rest = self.gap(at, self.sentence.end);
        names::word_spans(rest).first().map_or(self.sentence.end, |w| at + w.end)
    }

    /// How mention `m` modifies noun trigger `t`, if it does: "Russia's full-scale
    /// invasion" (possessive), "Moscow visit", "U.S. sanctions" (bare).
    fn modifies(&self, m: &M, t: Trigger) -> Option<Modifier> {
        static POSSESSIVE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^(?:['’]s?)?\s+(?:[\p{L}\-]+\s+){0,2}$").expect("possessive regex"));
        let surface = m.span.of(self.text);
        let between = self.gap(m.span.end, t.span.start);
        if self.triggers.iter().any(|o| o.span.start >= m.span.end && o.span.end <= t.span.start) {
            return None; // "Ukraine’s proposal warranting discussion": the proposal's, not the discussion's
        }
        let possessive = surface.ends_with("'s") || surface.ends_with("’s") || between.starts_with(['\'', '’']);
        if between.trim().is_empty() && !possessive {
            Some(Modifier::Bare)
        } else if possessive && POSSESSIVE.is_match(between) {
            Some(Modifier::Possessive)
        } else {
            None
        }
    }

    /// `head` and the mentions coordinated with it before it: "the Kremlin and Ukrainian
    /// President Volodymyr Zelensky", "Zelensky of Ukraine and Kremlin spokesman Peskov".
    fn coordinated(&self, head: M, before: &[M], clause: &Clause) -> Vec<usize> {
        static COORD: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^\s*(?:of\s+(?:the\s+)?\p{Lu}\S*(?:\s+\p{Lu}\S*){0,2}\s*)?(?:,\s*and|,|and|&|as well as)\s+(?:the\s+|both\s+)?$")
                .expect("coordination regex")
        });
        let mut out = vec![head.entity];
        let mut current = head;
        for m in before.iter().rev().filter(|m| m.span.end <= head.span.start) {
            if m.span.end > current.span.start {
                continue;
            }
            let role_start = names::role_before(self.text, clause.start(), current.span.start).map_or(current.span.start, |r| r.start);
            if m.span.start >= role_start {
                continue; // "Ukrainian" in "Ukrainian President Zelensky"
            }
            if self.word_before(clause.start(), m.span.start).as_deref() == Some("of") {
                continue; // "of Ukraine" belongs to the name before it
            }
            if !COORD.is_match(self.gap(m.span.end, role_start)) {
                break;
            }
            if !out.contains(&m.entity) {
                out.push(m.entity);
            }
            current = *m;
        }
        out.reverse();
        out
    }

    /// How many words of `clause` lie between byte offsets `from` and `to`.
    fn clause_words(&self, clause: &Clause, from: usize, to: usize) -> usize {
        clause
            .parts
            .iter()
            .map(|p| names::word_spans(self.gap(p.start.max(from), p.end.min(to))).len())
            .sum()
    }

    /// The subject pronoun before the trigger in its clause, lowercased.
    fn pronoun_before(&self, clause: &Clause, t: Trigger) -> Option<String> {
        let before = self.gap(clause.start(), t.span.start);
        names::word_spans(before).iter().map(|w| w.of(before).to_lowercase()).find(|w| PRONOUNS.contains(&w.as_str()))
    }

    /// The event's time (module docs give the order of preference).
    fn time(&self, t: Trigger, clause: &Clause, prev: Option<&Carried>) -> Option<EventTime> {
        let distance = |x: &Timex| {
            if x.span.end <= t.span.start { t.span.start - x.span.end } else { x.span.start.saturating_sub(t.span.end) }
        };
        let nearest = |keep: &dyn Fn(&Timex) -> bool| self.timexes.iter().copied().filter(|x| keep(x)).min_by_key(|x| distance(x));
        let in_relative = |x: &Timex| self.clauses.iter().any(|c| c.host.is_some() && c.contains(x.span.start));
        let found = nearest(&|x| clause.contains(x.span.start)).map(|x| (x, TimeSource::Clause)).or_else(|| {
            // A relative clause is background ("who has met Putin"): no time but its own.
            clause.host.is_none().then(|| nearest(&|x| !in_relative(x)).map(|x| (x, TimeSource::Sentence))).flatten()
        });
        if let Some((x, source)) = found {
            return Some(EventTime {
                value: x.value.clone(),
                modifier: x.modifier.clone(),
                interval: x.interval,
                text: self.gap(x.span.start, x.span.end).to_string(),
                doc: self.doc,
                span: x.span,
                source,
            });
        }
        let first = names::word_spans(self.sentence.of(self.text)).first().map(|w| w.of(self.sentence.of(self.text)).to_lowercase());
        let continues = first.is_some_and(|w| CONTINUATIONS.contains(&w.as_str()));
        let inherited = prev.filter(|_| continues)?.time.clone()?;
        Some(EventTime { source: TimeSource::PreviousSentence, ..inherited })
    }

    /// "<agents> <verb … to the end of its clause piece>", "<agents>: <noun …>", or
    /// "<Type>: <trigger …>" without agents.
    fn summary(&self, t: Trigger, clause: &Clause, agents: &[usize], res: &Resolution) -> String {
        let piece_end = clause.parts.iter().find(|p| p.start <= t.span.start && t.span.start < p.end).map_or(self.sentence.end, |p| p.end);
        let tail: String = self.gap(t.span.start, piece_end).split_whitespace().collect::<Vec<_>>().join(" ");
        let tail = truncate(tail.trim_end_matches(['.', ',', ';', ':', ' ']), 140);
        let names: Vec<&str> = agents.iter().filter_map(|&e| res.entities.get(e)).map(|e| e.name.as_str()).collect();
        if !names.is_empty() && t.noun {
            format!("{}: {tail}", names.join(" and "))
        } else if names.is_empty() {
            let kind = t.kind.name();
            let mut chars = kind.chars();
            let label: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
            format!("{label}: {tail}")
        } else {
            format!("{} {tail}", names.join(" and "))
        }
    }
}

/// How a name before an event noun relates to it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Modifier {
    /// "Russia's invasion": the doer.
    Possessive,
    /// "Moscow visit": the place for visits, meetings, talks and attacks, else the doer.
    Bare,
}

/// The last person before the trigger, else organisation, else any entity.
fn subject(before: &[M]) -> Option<M> {
    [EntityType::PER, EntityType::ORG]
        .iter()
        .find_map(|k| before.iter().rev().find(|m| m.kind == *k))
        .or_else(|| before.last())
        .copied()
}

/// A quote without its marks and trailing commas.
fn clean_quote(q: &str) -> String {
    q.trim_matches(['“', '”', '"']).trim().trim_end_matches(',').trim().to_string()
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
mod tests;
