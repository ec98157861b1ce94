//! Events: who did what to whom, where and when, read off each sentence's dependency
//! parse and the model's TimeML event triggers ([`crate::annotated::Grammar`]).
//!
//! Every trigger the model finds is a candidate, in any domain; the rules decide what
//! it becomes:
//! - **Support verbs fold into their event.** A light, aspectual or planning verb with
//!   an event as subject, object or complement ("held talks", "talks began", "is set
//!   to travel") is not an event of its own: it lends that event its subject, dates
//!   and modality ([`read`]).
//! - **Type**: the analyst's types ([`EventType`]) over the TimeML class, from the
//!   trigger word in its context: a *strike* by workers is not an attack ([`lexicon`]).
//! - **Participants** come from the tree: subjects (through control, coordination,
//!   relative clauses and participles), objects, and obliques by their case marker
//!   ("with X": counterpart; "in X": place). Non-name mentions ("the company", "he")
//!   count once [`crate::resolve`] has tied them to an entity.
//! - **Time**: which date of its sentence (or the one before) dates an event, and how
//!   the event stands to it, is learned from TimeBank's TLINKs ([`timelinks`]), with the
//!   tree's reading (a date belongs to the event whose subtree it modifies) as
//!   evidence ([`when`]). Else the event is placed against the publication day: on it,
//!   no later than it, or (to come) undated; what is said takes the day, planned and
//!   possible ones stay open. Never the run date.
//! - **Factuality**: asserted, negated, possible, future or reported ([`factuality`]).
//! - Kept: every event, with or without participants and a date of its own (the graph's
//!   salience ranks the bare ones last).
//!
//! [`merge`] then joins reports of one event across sentences and documents (a learned
//! scorer and average-link clusters), and
//! [`dating`] infers the publication day of undated documents from the events they share
//! with dated ones.

pub mod dating;
mod factuality;
pub mod lexicon;
pub mod merge;
mod read;
pub mod timelinks;
pub mod tree;
mod when;

pub use merge::merge;
pub use timelinks::Dating;

use crate::annotated::Annotated;
use crate::doc::{DocId, EntityId, Span};
use crate::resolve::Resolution;
use chrono::NaiveDate;
use serde::Serialize;

/// What kind of thing happened, for an analyst.
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
    /// A labour strike, a walkout, a stoppage.
    Strike,
    Other,
}

/// Event types that reports of one event may differ on ([`EventType::family`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Speech,
    Encounter,
    Agreement,
    Sanction,
    Attack,
    Strike,
}

impl EventType {
    /// Every type, in declaration order.
    pub const ALL: [EventType; 12] = [
        EventType::Statement,
        EventType::Meeting,
        EventType::Visit,
        EventType::Negotiation,
        EventType::Proposal,
        EventType::Agreement,
        EventType::Announcement,
        EventType::Threat,
        EventType::Sanction,
        EventType::Attack,
        EventType::Strike,
        EventType::Other,
    ];

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
            EventType::Strike => "strike",
            EventType::Other => "other",
        }
    }

    /// The family of types one event can be read as by different reports: a statement
    /// that another report calls an announcement, a meeting that another calls talks or
    /// a visit. Events of different families are never one (an attack is not an
    /// agreement); `other` belongs to none.
    pub fn family(self) -> Option<Family> {
        match self {
            EventType::Statement | EventType::Announcement | EventType::Threat | EventType::Proposal => {
                Some(Family::Speech)
            }
            EventType::Meeting | EventType::Visit | EventType::Negotiation => Some(Family::Encounter),
            EventType::Agreement => Some(Family::Agreement),
            EventType::Sanction => Some(Family::Sanction),
            EventType::Attack => Some(Family::Attack),
            EventType::Strike => Some(Family::Strike),
            EventType::Other => None,
        }
    }

    /// A speech act: something said, announced or threatened. Who acts in it speaks.
    pub fn is_speech(self) -> bool {
        matches!(self, EventType::Statement | EventType::Announcement | EventType::Threat)
    }

    /// Who acts in it: a speaker for a speech act, else an agent.
    fn subject_role(self) -> Role {
        if self.is_speech() {
            Role::Speaker
        } else {
            Role::Agent
        }
    }

    /// The role of its direct object.
    fn object_role(self) -> Role {
        match self {
            EventType::Threat | EventType::Sanction | EventType::Attack => Role::Target,
            EventType::Meeting | EventType::Negotiation | EventType::Agreement => Role::Counterpart,
            _ => Role::Patient,
        }
    }

    /// Whether a place name modifying its noun is where it happens ("Moscow visit"),
    /// not who does it ("U.S. sanctions").
    fn placed_by_modifier(self) -> bool {
        matches!(
            self,
            EventType::Visit | EventType::Meeting | EventType::Negotiation | EventType::Attack | EventType::Strike
        )
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
    /// Told, offered or given to ("told reporters", "an offer to Ukraine").
    Recipient,
    /// Takes part in another way ("sales of the iPod", "talks on Ukraine").
    Related,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Speaker => "speaker",
            Role::Patient => "patient",
            Role::Target => "target",
            Role::Counterpart => "counterpart",
            Role::Recipient => "recipient",
            Role::Related => "related",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Participant {
    pub entity: EntityId,
    pub role: Role,
}

/// Whether the sources say the event happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Factuality {
    /// Told as fact.
    Asserted,
    /// Said not to have happened ("no agreement was reached").
    Negated,
    /// Could, may, hope, if.
    Possible,
    /// Planned, scheduled, will.
    Future,
    /// Attributed to a source and not confirmed ("X said the two sides had narrowed…").
    Reported,
}

impl Factuality {
    pub fn name(self) -> &'static str {
        match self {
            Factuality::Asserted => "asserted",
            Factuality::Negated => "negated",
            Factuality::Possible => "possible",
            Factuality::Future => "future",
            Factuality::Reported => "reported",
        }
    }
}

/// How an event got its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Anchor {
    /// A date expression in the event's own subtree (or its support verb's).
    Explicit,
    /// A past event without a date: no later than its article's publication day.
    Tense,
    /// A statement or present state without a date: its article's publication day.
    Publication,
    /// A date expression of the sentence before, which the learned links say the event
    /// belongs to ("On March 3 the company announced … Shares fell 5%").
    Narrative,
    /// The date of another event of its sentence or the one before, which the learned
    /// links say it accompanies, follows or precedes ("a week after a 48-hour strike
    /// halted traffic on Monday": the strike is before Monday).
    Event,
}

impl Anchor {
    pub fn name(self) -> &'static str {
        match self {
            Anchor::Explicit => "explicit",
            Anchor::Tense => "tense",
            Anchor::Publication => "publication",
            Anchor::Narrative => "narrative",
            Anchor::Event => "event",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventTime {
    /// TIMEX3 value (`2025-07-14`, `XXXX-WXX-1`, `2025-W29`).
    pub value: String,
    /// TIMEX3 `mod`; `ON_OR_BEFORE` for [`Anchor::Tense`].
    pub modifier: Option<String>,
    /// First and last day, when the value pins calendar days.
    pub interval: Option<(NaiveDate, NaiveDate)>,
    /// The expression as written (empty when anchored on the publication date).
    pub text: String,
    /// The document it was read from, and where: the expression, or none for a
    /// publication date.
    pub doc: DocId,
    pub span: Option<Span>,
    pub anchor: Anchor,
}

impl EventTime {
    pub fn is_explicit(&self) -> bool {
        self.anchor == Anchor::Explicit
    }

    /// The days the event may fall on: its interval, opened to the past or the future
    /// when it is before or after it (`mod` BEFORE, ON_OR_BEFORE, AFTER: "an agreement
    /// by the end of the month" may come any day before).
    pub fn reach(&self) -> Option<(NaiveDate, NaiveDate)> {
        let (first, last) = self.interval?;
        Some(match self.modifier.as_deref() {
            Some("BEFORE") => (NaiveDate::MIN, first.pred_opt().unwrap_or(first)),
            Some("ON_OR_BEFORE") => (NaiveDate::MIN, last),
            Some("AFTER") => (last.succ_opt().unwrap_or(last), NaiveDate::MAX),
            _ => (first, last),
        })
    }
}

/// What a report's findings add to its [`Event::confidence`]. Chosen by hand, not tuned:
/// no gold data scores event confidence, and it only orders and filters for a reader.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Confidence {
    /// Where every report starts.
    pub base: f32,
    /// Times the model's probability of the trigger's class.
    pub per_trigger_score: f32,
    /// When an agent or a speaker takes part: someone did it.
    pub actor: f32,
    /// When it has a date of its own.
    pub explicit_time: f32,
    /// When it has a place.
    pub place: f32,
    /// The bounds of one report's confidence: one sentence makes nothing sure or worthless.
    pub min: f32,
    pub max: f32,
}

impl Confidence {
    pub const DEFAULT: Confidence = Confidence {
        base: 0.3,
        per_trigger_score: 0.3,
        actor: 0.15,
        explicit_time: 0.1,
        place: 0.05,
        min: 0.05,
        max: 0.95,
    };

    /// The confidence of a report whose trigger scored `trigger_score`, with or without
    /// an actor, a date of its own and a place.
    pub fn of(&self, trigger_score: f32, actor: bool, explicit_time: bool, place: bool) -> f32 {
        let add = |found: bool, weight: f32| if found { weight } else { 0.0 };
        (self.base
            + self.per_trigger_score * trigger_score
            + add(actor, self.actor)
            + add(explicit_time, self.explicit_time)
            + add(place, self.place))
        .clamp(self.min, self.max)
    }
}

impl Default for Confidence {
    fn default() -> Confidence {
        Confidence::DEFAULT
    }
}

/// One report of an event: the sentence, the words of the event's own clause and the
/// trigger word in a document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evidence {
    pub doc: DocId,
    pub sentence: Span,
    /// Runs of the event's own words (its subtree less coordinated and adverbial
    /// clauses), which [`merge`] compares.
    pub clause: Vec<Span>,
    pub trigger: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: EventType,
    /// The TimeML class the model gave the trigger (OCCURRENCE, REPORTING, …).
    pub class: crate::time::timeml::EventClass,
    /// The trigger word as written in the first report.
    pub trigger: String,
    pub summary: String,
    /// None: undated.
    pub time: Option<EventTime>,
    pub factuality: Factuality,
    pub participants: Vec<Participant>,
    /// Entities (places) where it happened, or where it went.
    pub places: Vec<EntityId>,
    /// For reported speech, the speakers it is attributed to.
    pub reported_by: Vec<EntityId>,
    pub quotes: Vec<String>,
    pub sources: Vec<Evidence>,
    /// A rough 0–1 belief that the event is real and rightly read ([`Confidence`]); grows
    /// with sources.
    pub confidence: f32,
    /// The trigger's vector from the event coreference head (its best report's, once
    /// merged), which [`merge`] compares; empty without that head.
    pub vector: Vec<f32>,
    /// The content words of its clause (names left out), folded and hashed, sorted:
    /// what [`merge`] compares two reports' wording by.
    pub words: Vec<u64>,
}

impl Event {
    /// Entities taking part with role `role`.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = EntityId> + '_ {
        self.participants
            .iter()
            .filter(move |p| p.role == role)
            .map(|p| p.entity)
    }

    /// Every entity it involves, places included.
    pub fn entities(&self) -> impl Iterator<Item = EntityId> + '_ {
        self.participants
            .iter()
            .map(|p| p.entity)
            .chain(self.places.iter().copied())
    }
}

/// The events of every document, one per report (before [`merge`]), dated by `dating`.
/// Documents without a parse (a model without the grammar heads) give none.
pub fn extract(docs: &[Annotated], res: &Resolution, dating: Dating) -> Vec<Event> {
    let mut out = Vec::new();
    for (d, a) in docs.iter().enumerate() {
        let mut previous = when::Previous::default();
        for sentence in sentences(a, res.mentions.get(d).map_or(&[][..], Vec::as_slice)) {
            let (events, next) = read::events(&sentence, DocId(d), a, res, dating, &previous);
            out.extend(events);
            previous = next;
        }
    }
    out
}

/// The parsed sentences of `a`'s body, with the resolved `mentions` of its document.
fn sentences<'a>(
    a: &'a Annotated,
    mentions: &'a [crate::resolve::Resolved],
) -> impl Iterator<Item = tree::Sentence<'a>> {
    let body = crate::annotated::body(&a.doc);
    a.sentences.iter().enumerate().filter_map(move |(s, span)| {
        if !body.iter().any(|p| p.overlaps(*span)) || a.doc.text.get(span.start..span.end).is_none() {
            return None;
        }
        let (words, tokens) = (a.grammar.words.get(s)?, a.grammar.parse.get(s)?);
        Some(tree::Sentence::new(
            &a.doc.text,
            *span,
            words,
            tokens,
            mentions,
            &a.grammar.events,
        ))
    })
}

#[cfg(test)]
mod tests;

/// Hand-made events for the tests of this stage and the ones above it.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::doc::Span;

    pub fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A statement reported in document `doc`, on days `first..=last` when given.
    pub fn event(doc: usize, days: Option<(&str, &str)>) -> Event {
        let doc = DocId(doc);
        Event {
            kind: EventType::Statement,
            trigger: "said".into(),
            summary: "X said".into(),
            time: days.map(|(a, b)| EventTime {
                value: a.into(),
                modifier: None,
                interval: Some((day(a), day(b))),
                text: a.into(),
                doc,
                span: Some(Span::new(0, 1)),
                anchor: Anchor::Explicit,
            }),
            class: crate::time::timeml::EventClass::Reporting,
            factuality: Factuality::Asserted,
            reported_by: Vec::new(),
            participants: Vec::new(),
            places: Vec::new(),
            quotes: Vec::new(),
            vector: Vec::new(),
            words: Vec::new(),
            sources: vec![Evidence {
                doc,
                sentence: Span::new(0, 1),
                clause: Vec::new(),
                trigger: Span::new(0, 1),
            }],
            confidence: 0.5,
        }
    }
}
