//! The timeline as a graph of documents, entities, events and times, and the
//! chronological order of its events. Every export ([`crate::export`]) reads it.
//!
//! Nodes: each document, entity and event (by its index), and one [`Node::Time`] per
//! distinct day interval of the dated events ([`Timeline::times`], in time order: by
//! first day, then last day). TIMEX values with the same days (`2025-07-14`, and
//! `XXXX-WXX-1` read as that Monday) share one time; an event whose value pins no days
//! has none and is undated.
//!
//! Edges: a document `Mentions` an entity; an entity `Participates` in an event (with its
//! role) or is its `Place`; an event happens `At` its time and is `ReportedIn` each
//! document that one of its sources is from, so an event with several is one event
//! reported by several articles.
//!
//! Temporal edges join times, never events: 10,000 events on one day are 10,000 `At`
//! edges to one node. Each time has at most two, found by a sort and a binary search
//! (O(n log n)):
//! - `Before` to the first time in order that starts after it ends; every time from that
//!   one on is after it too;
//! - `Overlaps` to the next time in order when that one starts inside it; every time
//!   between it and its `Before` target starts inside it too.
//!
//! So of two times `a < b` in order, `a` is before `b` when `b` is at or past `a`'s
//! `Before` target, and they overlap otherwise ([`Timeline::relation`]): the whole
//! relation in at most two edges per time, where pairwise `Overlaps` edges would be
//! quadratic when many long intervals overlap. Following `Overlaps` where there is one
//! and `Before` otherwise walks the times in order.
//!
//! # Salience
//!
//! A timeline of a batch holds thousands of events and a reader sees a few: each event's
//! salience ([`Timeline::salience`], 0–1) says which first. The diagram keeps the most
//! salient (`--max-events`), the page lists them first, and the digest weighs its
//! events' reports by the same type, factuality and entity centrality. Of an event,
//!
//! `score = F · (0.35·S + 0.25·C + 0.2·D + 0.2·T)`, each term 0–1:
//! - **S, independent sources**: `ln(1+n) / ln(1+n_max)`, `n` the outlets that report it
//!   and `n_max` the most any event has. Documents at one web host, or read from one
//!   record (an article and its related-links headlines), are one outlet: what several
//!   outlets report is what happened, and one outlet repeating itself is not more. The
//!   logarithm makes the fifth outlet add less than the second.
//! - **C, centrality of its entities**: of its participants, places and the speakers it
//!   is attributed to, the most central one's reach (the documents that mention it or
//!   report an event it is in) over the reach of the timeline's most central entity
//!   ([`Timeline::centrality`]): an event of the story's protagonists comes before one of
//!   a passer-by.
//! - **D, a date of its own**: 1 when a date expression in its own clause dates it
//!   ([`crate::events::EventTime::is_explicit`]), else 0 (a date from the sentence
//!   before, another event's, the publication day or the tense, or none): reporters date what matters, and such an
//!   event can stand on the timeline.
//! - **T, its type** ([`type_weight`]): what is done (an agreement, an attack) marks a
//!   story more than what is said; `other` (what the type lexicon could not name) least.
//! - **F, factuality** ([`factuality_weight`]), a factor: an event told as fact counts
//!   whole, one attributed, planned, possible or denied less.
//!
//! The weights are chosen by hand: no gold data ranks events by salience. An event of
//! type `other` with no entity and no date of its own gives a reader nothing to place
//! it by: its salience is `0.1·score`, below 0.1, and every other event's `0.1 + 0.9·score`,
//! so such events rank below all others whatever the terms. They stay on the timeline.

use crate::doc::{ById, DocId, EntityId, EventId, Span};
use crate::events::{Event, EventType, Factuality, Role};
use crate::ingest::Document;
use crate::resolve::Entity;
use crate::time::Timex;
use chrono::NaiveDate;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction::{Incoming, Outgoing};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A node, by its index into the timeline's `documents`, `entities`, `events` or `times`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Node {
    Document(DocId),
    Entity(EntityId),
    Event(EventId),
    Time(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Edge {
    Mentions { count: usize },
    Participates(Role),
    Place,
    At,
    ReportedIn,
    Before,
    Overlaps,
}

/// What the pipeline found in one document's text that later steps quote and count
/// (the digest): its body sentences and its date expressions, anchored on its
/// (possibly inferred) publication date. Spans are byte offsets into the text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocText {
    pub sentences: Vec<Span>,
    pub timexes: Vec<Timex>,
}

impl DocText {
    /// What the model-free stages find in `doc`: the sentences of its body
    /// ([`crate::segment`]) and its date expressions, anchored on its publication date
    /// ([`crate::time`]).
    pub fn of(doc: &Document) -> DocText {
        DocText {
            sentences: crate::annotated::body(doc)
                .iter()
                .flat_map(|p| crate::segment::sentences(&doc.text, *p))
                .collect(),
            timexes: crate::time::tag(&doc.text, doc.dct.as_ref()),
        }
    }
}

/// Events, their entities and sources, in time order.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub documents: Vec<Document>,
    /// Per document (parallel to `documents`), its sentences and date expressions; empty
    /// for a timeline made without them.
    pub texts: Vec<DocText>,
    pub entities: Vec<Entity>,
    pub events: Vec<Event>,
    /// The events: dated ones by first then last day, then the undated ones (no day
    /// interval) in order of their first report.
    pub order: Vec<EventId>,
    /// Per document, for a publication day inferred from shared events, those events;
    /// empty otherwise.
    pub date_evidence: Vec<Vec<EventId>>,
    /// The distinct day intervals of the dated events (first, last day), in time order.
    pub times: Vec<(NaiveDate, NaiveDate)>,
    /// Its nodes are the documents, then the entities, the events and the times, each in
    /// index order ([`Timeline::node`] relies on it).
    pub graph: DiGraph<Node, Edge>,
    /// Per entity (parallel to `entities`), its reach over the widest reach of any, 0–1:
    /// the documents that mention it or report an event it is in ([`centrality`]).
    pub centrality: Vec<f32>,
    /// Per event (parallel to `events`), how much it matters to a reader, 0–1 (module
    /// docs, "Salience").
    pub salience: Vec<f32>,
}

impl Timeline {
    pub fn new(
        documents: Vec<Document>,
        entities: Vec<Entity>,
        events: Vec<Event>,
        date_evidence: Vec<Vec<EventId>>,
    ) -> Timeline {
        let mut order: Vec<EventId> = (0..events.len()).map(EventId).collect();
        order.sort_by_key(|&i| order_key(&events[i]));
        // The dated events come first, by their days.
        let mut times: Vec<(NaiveDate, NaiveDate)> = order.iter().map_while(|&i| interval(&events[i])).collect();
        times.dedup();
        let graph = build_graph(&documents, &entities, &events, &times);
        let centrality = centrality(&entities, &events, |_| true);
        let salience = salience(&documents, &events, &centrality);
        Timeline {
            documents,
            texts: Vec::new(),
            entities,
            events,
            order,
            date_evidence,
            times,
            graph,
            centrality,
            salience,
        }
    }

    /// The events, most salient first; of equal salience, in timeline order.
    pub fn by_salience(&self) -> Vec<EventId> {
        let mut ranked = self.order.clone();
        let salience = |i: EventId| self.salience.by_id(i).copied().unwrap_or(0.0);
        // A stable sort keeps the timeline order among equals.
        ranked.sort_by(|&a, &b| salience(b).total_cmp(&salience(a)));
        ranked
    }

    /// Whether event `i` has days to stand on the timeline.
    pub fn is_dated(&self, i: EventId) -> bool {
        self.events.by_id(i).is_some_and(|e| interval(e).is_some())
    }

    /// The graph node of `n`, if its index is in range.
    pub fn node(&self, n: Node) -> Option<NodeIndex> {
        let (d, e, v) = (self.documents.len(), self.entities.len(), self.events.len());
        let (at, len) = match n {
            Node::Document(i) => (i.0, d),
            Node::Entity(i) => (d + i.0, d + e),
            Node::Event(i) => (d + e + i.0, d + e + v),
            Node::Time(k) => (d + e + v + k, d + e + v + self.times.len()),
        };
        (at < len).then(|| NodeIndex::new(at))
    }

    /// The time (index into `times`) event `i` happens at; None for an undated event.
    pub fn time_of(&self, i: EventId) -> Option<usize> {
        self.edges(Node::Event(i), Outgoing)
            .find_map(|(edge, node)| match (edge, node) {
                (Edge::At, Node::Time(k)) => Some(k),
                _ => None,
            })
    }

    /// The events at time `k`, in timeline order.
    pub fn events_at(&self, k: usize) -> Vec<EventId> {
        let mut events: Vec<EventId> = self
            .edges(Node::Time(k), Incoming)
            .filter_map(|(edge, node)| match (edge, node) {
                (Edge::At, Node::Event(i)) => Some(i),
                _ => None,
            })
            .collect();
        events.sort_by_key(|&i| (order_key(&self.events[i]), i));
        events
    }

    /// The entities of event `i`, each with its `Participates` or `Place` edge, by entity.
    pub fn entities_of(&self, i: EventId) -> Vec<(EntityId, Edge)> {
        let mut entities: Vec<(EntityId, Edge)> = self
            .edges(Node::Event(i), Incoming)
            .chain(self.edges(Node::Event(i), Outgoing))
            .filter_map(|(edge, node)| match (edge, node) {
                (Edge::Participates(_) | Edge::Place, Node::Entity(x)) => Some((x, edge)),
                _ => None,
            })
            .collect();
        entities.sort_by_key(|&(x, edge)| (x, edge == Edge::Place));
        entities
    }

    /// The events entity `x` takes part in or is the place of, by id.
    pub fn events_of(&self, x: EntityId) -> BTreeSet<EventId> {
        self.edges(Node::Entity(x), Incoming)
            .chain(self.edges(Node::Entity(x), Outgoing))
            .filter_map(|(edge, node)| match (edge, node) {
                (Edge::Participates(_) | Edge::Place, Node::Event(i)) => Some(i),
                _ => None,
            })
            .collect()
    }

    /// Where time `k`'s `Before` or `Overlaps` edge (`rel`) leads, if it has one.
    pub fn time_link(&self, k: usize, rel: Edge) -> Option<usize> {
        self.edges(Node::Time(k), Outgoing).find_map(|(edge, node)| match node {
            Node::Time(to) if edge == rel => Some(to),
            _ => None,
        })
    }

    /// How time `a` stands to a later time `b` (indices into `times`, `a < b`): `Before`
    /// or `Overlaps`, read from `a`'s `Before` edge as the module docs say; None unless
    /// `a < b` and both are times.
    pub fn relation(&self, a: usize, b: usize) -> Option<Edge> {
        if a >= b || b >= self.times.len() {
            return None;
        }
        let after = self.time_link(a, Edge::Before);
        Some(if after.is_some_and(|n| b >= n) {
            Edge::Before
        } else {
            Edge::Overlaps
        })
    }

    /// The edges of node `n` in direction `dir`, each with the node at its other end.
    fn edges(&self, n: Node, dir: petgraph::Direction) -> impl Iterator<Item = (Edge, Node)> + '_ {
        self.node(n).into_iter().flat_map(move |ix| {
            self.graph.edges_directed(ix, dir).map(move |e| {
                (
                    *e.weight(),
                    self.graph[if dir == Outgoing { e.target() } else { e.source() }],
                )
            })
        })
    }
}

/// The days an event covers, if it has them.
pub fn interval(e: &Event) -> Option<(NaiveDate, NaiveDate)> {
    e.time.as_ref().and_then(|t| t.interval)
}

/// Where an event stands in the timeline: dated ones by their days, then the undated,
/// each by its first report.
fn order_key(e: &Event) -> impl Ord {
    (
        interval(e).is_none(),
        interval(e),
        e.sources.first().map(|s| (s.doc, s.sentence, s.trigger)),
    )
}

/// The weight of an event's type in its salience and in the digest's worth of its
/// reports: what is done marks a story more than what is said, and `other`, what the type
/// lexicon could not name, least.
pub fn type_weight(kind: EventType) -> f32 {
    [1.0, 0.8, 0.7, 0.5, 0.3][type_tier(kind)]
}

/// The tier of an event type that [`type_weight`] weighs, 0 the weightiest: attacks,
/// strikes, sanctions, agreements; meetings, visits, talks, proposals; announcements,
/// threats; statements; others.
pub fn type_tier(kind: EventType) -> usize {
    match kind {
        EventType::Agreement | EventType::Sanction | EventType::Attack | EventType::Strike => 0,
        EventType::Meeting | EventType::Visit | EventType::Negotiation | EventType::Proposal => 1,
        EventType::Announcement | EventType::Threat => 2,
        EventType::Statement => 3,
        EventType::Other => 4,
    }
}

/// How much of an event's salience, and of the digest's worth of its reports, its
/// factuality leaves: all for what is told as fact, less for what is attributed, planned,
/// possible or denied.
pub fn factuality_weight(f: Factuality) -> f32 {
    match f {
        Factuality::Asserted => 1.0,
        Factuality::Reported => 0.7,
        Factuality::Future => 0.4,
        Factuality::Possible => 0.3,
        Factuality::Negated => 0.2,
    }
}

/// The weights of salience's terms (module docs); they sum to 1.
const SOURCES: f32 = 0.35;
const CENTRALITY: f32 = 0.25;
const OWN_DATE: f32 = 0.2;
const TYPE: f32 = 0.2;
/// The salience below which lie the events of type `other` with no entity and no date
/// of their own, and above which all others.
const BARE: f32 = 0.1;

/// The entities an event involves: participants, places and the speakers it is
/// attributed to.
pub fn involved(e: &Event) -> impl Iterator<Item = EntityId> + '_ {
    e.entities().chain(e.reported_by.iter().copied())
}

/// Per entity, its centrality among the documents `counted` keeps (all of them for
/// [`Timeline::centrality`], those in scope for a digest): its reach, the documents that
/// mention it or report an event it is in, over the widest reach of any entity, 0–1.
pub fn centrality(entities: &[Entity], events: &[Event], counted: impl Fn(DocId) -> bool) -> Vec<f32> {
    let mut docs: Vec<Vec<DocId>> = entities
        .iter()
        .map(|x| x.mentions.iter().map(|m| m.doc).filter(|&d| counted(d)).collect())
        .collect();
    for e in events {
        for x in involved(e) {
            if let Some(d) = docs.by_id_mut(x) {
                d.extend(e.sources.iter().map(|s| s.doc).filter(|&d| counted(d)));
            }
        }
    }
    let reach: Vec<usize> = docs
        .into_iter()
        .map(|mut d| {
            d.sort_unstable();
            d.dedup();
            d.len()
        })
        .collect();
    let widest = reach.iter().copied().max().unwrap_or(0).max(1) as f32;
    reach.into_iter().map(|r| r as f32 / widest).collect()
}

/// Per event, its salience (module docs).
fn salience(documents: &[Document], events: &[Event], centrality: &[f32]) -> Vec<f32> {
    // A source outside `documents` is an outlet of its own.
    let numbered = outlets(documents);
    let outlet_of = |d: DocId| numbered.by_id(d).copied().unwrap_or(documents.len() + d.0);
    let reported: Vec<usize> = events
        .iter()
        .map(|e| {
            let mut o: Vec<usize> = e.sources.iter().map(|s| outlet_of(s.doc)).collect();
            o.sort_unstable();
            o.dedup();
            o.len()
        })
        .collect();
    let most = (1.0 + reported.iter().copied().max().unwrap_or(0).max(1) as f32).ln();
    events
        .iter()
        .zip(reported)
        .map(|(e, n)| {
            let sources = (1.0 + n as f32).ln() / most;
            let central = involved(e)
                .filter_map(|x| centrality.by_id(x).copied())
                .fold(0.0, f32::max);
            let dated = e.time.as_ref().is_some_and(|t| t.is_explicit());
            let score = factuality_weight(e.factuality)
                * (SOURCES * sources
                    + CENTRALITY * central
                    + if dated { OWN_DATE } else { 0.0 }
                    + TYPE * type_weight(e.kind));
            let bare = e.kind == EventType::Other && !dated && involved(e).next().is_none();
            if bare {
                BARE * score
            } else {
                BARE + (1.0 - BARE) * score
            }
        })
        .collect()
}

/// Per document, its outlet (the least index of the documents of that outlet): documents
/// at one web host, or read from one record (an article and its related-links
/// headlines), are one outlet.
fn outlets(documents: &[Document]) -> Vec<usize> {
    fn root(outlet: &mut [usize], mut i: usize) -> usize {
        while outlet[i] != i {
            outlet[i] = outlet[outlet[i]];
            i = outlet[i];
        }
        i
    }
    let mut outlet: Vec<usize> = (0..documents.len()).collect();
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, d) in documents.iter().enumerate() {
        let record = if d.source.is_empty() {
            format!("id {}", d.id)
        } else {
            format!("source {}", d.source)
        };
        for key in std::iter::once(record).chain(host(d).map(|h| format!("host {h}"))) {
            let at = *first.entry(key).or_insert(i);
            let (a, b) = (root(&mut outlet, at), root(&mut outlet, i));
            outlet[a.max(b)] = a.min(b);
        }
    }
    (0..documents.len()).map(|i| root(&mut outlet, i)).collect()
}

/// The web host of `d`'s URL, in lower case and without `www.`.
fn host(d: &Document) -> Option<String> {
    let rest = d.url.as_deref()?.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?.to_lowercase();
    let host = host.strip_prefix("www.").map(str::to_string).unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

/// The graph, its nodes laid out as [`Timeline::graph`] says; `times` sorted and distinct.
fn build_graph(
    documents: &[Document],
    entities: &[Entity],
    events: &[Event],
    times: &[(NaiveDate, NaiveDate)],
) -> DiGraph<Node, Edge> {
    let mut g = DiGraph::new();
    let docs: Vec<NodeIndex> = (0..documents.len())
        .map(|d| g.add_node(Node::Document(DocId(d))))
        .collect();
    let ents: Vec<NodeIndex> = (0..entities.len())
        .map(|e| g.add_node(Node::Entity(EntityId(e))))
        .collect();
    let evs: Vec<NodeIndex> = (0..events.len()).map(|e| g.add_node(Node::Event(EventId(e)))).collect();
    let tns: Vec<NodeIndex> = (0..times.len()).map(|k| g.add_node(Node::Time(k))).collect();
    for (e, ent) in entities.iter().enumerate() {
        let mut per_doc: BTreeMap<DocId, usize> = BTreeMap::new();
        for m in &ent.mentions {
            *per_doc.entry(m.doc).or_default() += 1;
        }
        for (d, count) in per_doc {
            if let Some(&dn) = docs.by_id(d) {
                g.add_edge(dn, ents[e], Edge::Mentions { count });
            }
        }
    }
    for (i, ev) in events.iter().enumerate() {
        for p in &ev.participants {
            if let Some(&en) = ents.by_id(p.entity) {
                g.add_edge(en, evs[i], Edge::Participates(p.role));
            }
        }
        for &p in &ev.places {
            if let Some(&en) = ents.by_id(p) {
                g.add_edge(evs[i], en, Edge::Place);
            }
        }
        if let Some(k) = interval(ev).and_then(|days| times.binary_search(&days).ok()) {
            g.add_edge(evs[i], tns[k], Edge::At);
        }
        let reported: BTreeSet<DocId> = ev.sources.iter().map(|s| s.doc).collect();
        for d in reported {
            if let Some(&dn) = docs.by_id(d) {
                g.add_edge(evs[i], dn, Edge::ReportedIn);
            }
        }
    }
    for (k, &(_, last)) in times.iter().enumerate() {
        let after = times.partition_point(|&(first, _)| first <= last);
        if k + 1 < after {
            g.add_edge(tns[k], tns[k + 1], Edge::Overlaps);
        }
        if let Some(&next) = tns.get(after) {
            g.add_edge(tns[k], next, Edge::Before);
        }
    }
    g
}

/// Hand-made events and entities for the tests of the graph and its exports.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::events::Participant;
    use crate::ner::EntityType;

    pub use crate::events::testing::{day, event};

    /// `e` with these speakers and places (entity indices).
    pub fn involving(mut e: Event, speakers: &[usize], places: &[usize]) -> Event {
        e.participants = speakers
            .iter()
            .map(|&entity| Participant {
                entity: EntityId(entity),
                role: Role::Speaker,
            })
            .collect();
        e.places = places.iter().copied().map(EntityId).collect();
        e
    }

    /// A document with no text, read from `source`, at `url` when given.
    pub fn document(id: &str, source: &str, url: Option<&str>) -> Document {
        Document {
            id: id.into(),
            source: source.into(),
            title: None,
            url: url.map(str::to_string),
            text: String::new(),
            dct: None,
            body: Vec::new(),
            related: Vec::new(),
            notes: Vec::new(),
        }
    }

    pub fn entity(name: &str) -> Entity {
        Entity {
            name: name.into(),
            kind: EntityType::PER,
            aliases: Vec::new(),
            roles: Vec::new(),
            external_id: None,
            mentions: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{day, document, entity, event, involving};
    use super::*;
    use crate::events::Anchor;
    use petgraph::visit::EdgeRef;

    /// The `Before` and `Overlaps` edges, as (from, to, edge) by time index.
    fn time_edges(t: &Timeline) -> Vec<(usize, usize, Edge)> {
        let mut out: Vec<(usize, usize, Edge)> = t
            .graph
            .edge_references()
            .filter_map(|e| match (t.graph[e.source()], t.graph[e.target()]) {
                (Node::Time(a), Node::Time(b)) => Some((a, b, *e.weight())),
                _ => None,
            })
            .collect();
        out.sort_by_key(|&(a, b, _)| (a, b));
        out
    }

    #[test]
    fn order_keeps_undated_last_and_shares_times() {
        let mut unresolved = event(1, Some(("2025-07-14", "2025-07-14")));
        unresolved.time.as_mut().unwrap().interval = None;
        let events = vec![
            event(0, None),
            event(1, Some(("2025-07-15", "2025-07-15"))),
            event(0, Some(("2025-07-14", "2025-07-20"))),
            event(0, Some(("2025-07-13", "2025-07-13"))),
            event(2, Some(("2025-07-15", "2025-07-15"))),
            unresolved,
        ];
        let t = Timeline::new(Vec::new(), Vec::new(), events, Vec::new());
        assert_eq!(t.order, [3, 2, 1, 4, 0, 5].map(EventId));
        assert!(!t.is_dated(EventId(0)) && t.is_dated(EventId(3)) && !t.is_dated(EventId(5)));
        assert_eq!(
            t.times,
            [
                (day("2025-07-13"), day("2025-07-13")),
                (day("2025-07-14"), day("2025-07-20")),
                (day("2025-07-15"), day("2025-07-15")),
            ]
        );
        assert_eq!(
            t.events_at(2),
            [1, 4].map(EventId),
            "one time for one interval, events in timeline order"
        );
        assert_eq!(
            (t.time_of(EventId(2)), t.time_of(EventId(0)), t.time_of(EventId(5))),
            (Some(1), None, None)
        );
        for i in (0..t.events.len()).map(EventId) {
            assert_eq!(t.graph[t.node(Node::Event(i)).unwrap()], Node::Event(i));
        }
        assert_eq!(t.node(Node::Time(3)), None);
    }

    #[test]
    fn times_are_related_by_before_and_overlaps() {
        // A month, then 13 Jul, 14 Jul, the week of 14-20 Jul, 15 Jul and 21 Jul.
        let days = [
            ("2025-07-21", "2025-07-21"),
            ("2025-07-14", "2025-07-20"),
            ("2025-07-01", "2025-07-31"),
            ("2025-07-15", "2025-07-15"),
            ("2025-07-13", "2025-07-13"),
            ("2025-07-14", "2025-07-14"),
        ];
        let events = days.iter().map(|&d| event(0, Some(d))).collect();
        let t = Timeline::new(Vec::new(), Vec::new(), events, Vec::new());
        let (month, d13, d14, week, d15, d21) = (0, 1, 2, 3, 4, 5);
        assert_eq!(t.times[week], (day("2025-07-14"), day("2025-07-20")));
        assert_eq!(
            time_edges(&t),
            [
                (month, d13, Edge::Overlaps),
                (d13, d14, Edge::Before),
                (d14, week, Edge::Overlaps),
                (d14, d15, Edge::Before),
                (week, d15, Edge::Overlaps),
                (week, d21, Edge::Before),
                (d15, d21, Edge::Before),
            ],
            "the month ends after everything: no Before"
        );
        let rel = |a, b| t.relation(a, b);
        assert_eq!(rel(month, d21), Some(Edge::Overlaps));
        assert_eq!(rel(d13, d21), Some(Edge::Before));
        assert_eq!(rel(d14, week), Some(Edge::Overlaps));
        assert_eq!(rel(d14, d21), Some(Edge::Before));
        assert_eq!(rel(week, d15), Some(Edge::Overlaps));
        assert_eq!(rel(week, d21), Some(Edge::Before));
        assert_eq!(rel(d15, d14), None, "asked in time order");
        // The relation agrees with the days, pair by pair.
        for a in 0..t.times.len() {
            for b in a + 1..t.times.len() {
                let want = if t.times[a].1 < t.times[b].0 {
                    Edge::Before
                } else {
                    Edge::Overlaps
                };
                assert_eq!(rel(a, b), Some(want), "{:?} {:?}", t.times[a], t.times[b]);
            }
        }
    }

    #[test]
    fn ten_thousand_events_on_one_day_take_linear_edges() {
        let n = 10_000;
        let events = (0..n)
            .map(|i| event(i % 3, Some(("2025-07-14", "2025-07-14"))))
            .collect();
        let t = Timeline::new(Vec::new(), Vec::new(), events, Vec::new());
        assert_eq!(t.times.len(), 1);
        assert_eq!(t.graph.edge_count(), n, "one At edge per event, nothing between events");
        assert_eq!(t.events_at(0).len(), n);

        // Overlapping long intervals, each starting a day after the last: pairwise
        // Overlaps would be millions of edges.
        let start = day("2025-01-01");
        let events = (0..n)
            .map(|i| {
                let mut e = event(0, Some(("2025-01-01", "2025-01-01")));
                let first = start + chrono::Days::new(i as u64);
                e.time.as_mut().unwrap().interval = Some((first, first + chrono::Days::new(400)));
                e
            })
            .collect();
        let t = Timeline::new(Vec::new(), Vec::new(), events, Vec::new());
        assert_eq!(t.times.len(), n);
        assert!(t.graph.edge_count() <= 3 * n, "{} edges", t.graph.edge_count());
        assert_eq!(t.relation(0, 400), Some(Edge::Overlaps));
        assert_eq!(t.relation(0, 401), Some(Edge::Before));
    }

    #[test]
    fn entities_and_events_meet_on_their_edges() {
        let mut told = involving(event(0, Some(("2025-07-14", "2025-07-14"))), &[0, 1], &[2]);
        for doc in [1, 0] {
            let mut again = told.sources[0].clone();
            again.doc = DocId(doc);
            told.sources.push(again);
        }
        let events = vec![told, involving(event(1, None), &[1], &[])];
        let docs = ["a", "b"].map(|id| document(id, id, None)).to_vec();
        let t = Timeline::new(docs, ["A", "B", "C"].map(entity).to_vec(), events, Vec::new());
        assert_eq!(
            t.entities_of(EventId(0)),
            [
                (EntityId(0), Edge::Participates(Role::Speaker)),
                (EntityId(1), Edge::Participates(Role::Speaker)),
                (EntityId(2), Edge::Place)
            ]
        );
        assert_eq!(t.events_of(EntityId(1)), BTreeSet::from([0, 1].map(EventId)));
        assert_eq!(t.events_of(EntityId(2)), BTreeSet::from([EventId(0)]));
        let reported: Vec<Node> = t
            .graph
            .edges_directed(t.node(Node::Event(EventId(0))).unwrap(), petgraph::Direction::Outgoing)
            .filter(|e| *e.weight() == Edge::ReportedIn)
            .map(|e| t.graph[e.target()])
            .collect();
        assert_eq!(reported.len(), 2, "one event reported by two articles: {reported:?}");
    }

    /// `e` also reported in each of `docs`.
    fn reported_in(mut e: Event, docs: &[usize]) -> Event {
        for &d in docs {
            let mut again = e.sources[0].clone();
            again.doc = DocId(d);
            e.sources.push(again);
        }
        e
    }

    /// Documents `d0…` each from an outlet of its own.
    fn documents(n: usize) -> Vec<Document> {
        (0..n)
            .map(|d| document(&format!("d{d}"), &format!("d{d}.txt"), None))
            .collect()
    }

    #[test]
    fn a_bare_other_event_ranks_below_every_event_with_an_entity_a_date_or_a_type() {
        // Every mix of type, entity, date (own, borrowed, none), factuality and sources.
        let facts = [
            Factuality::Asserted,
            Factuality::Reported,
            Factuality::Future,
            Factuality::Possible,
            Factuality::Negated,
        ];
        let mut events = Vec::new();
        for kind in [EventType::Other, EventType::Statement, EventType::Attack] {
            for with_entity in [false, true] {
                for anchor in [None, Some(Anchor::Explicit), Some(Anchor::Publication)] {
                    for factuality in facts {
                        for sources in [1, 4] {
                            let mut e = event(0, anchor.map(|_| ("2025-07-14", "2025-07-14")));
                            if let (Some(t), Some(a)) = (e.time.as_mut(), anchor) {
                                t.anchor = a;
                            }
                            e.kind = kind;
                            e.factuality = factuality;
                            let others: Vec<usize> = (1..sources).collect();
                            let e = reported_in(e, &others);
                            // The entity is the least central one: named in no document.
                            events.push(if with_entity { involving(e, &[1], &[]) } else { e });
                        }
                    }
                }
            }
        }
        let mut central = entity("Central");
        central.mentions = (0..4)
            .map(|d| crate::resolve::MentionRef {
                doc: DocId(d),
                span: Span::new(0, 1),
            })
            .collect();
        let t = Timeline::new(documents(4), vec![central, entity("Minor")], events, Vec::new());
        let bare = |i: usize| {
            let e = &t.events[i];
            e.kind == EventType::Other && e.participants.is_empty() && !e.time.as_ref().is_some_and(|t| t.is_explicit())
        };
        assert!(t.salience.iter().all(|s| (0.0..=1.0).contains(s)), "{:?}", t.salience);
        let (bare_max, placed_min) = (0..t.events.len()).fold((0.0f32, 1.0f32), |(b, p), i| {
            if bare(i) {
                (b.max(t.salience[i]), p)
            } else {
                (b, p.min(t.salience[i]))
            }
        });
        assert!(bare_max < placed_min, "{bare_max} {placed_min}");
        let ranked = t.by_salience();
        let first_bare = ranked.iter().position(|&i| bare(i.0)).unwrap();
        assert!(
            ranked[first_bare..].iter().all(|&i| bare(i.0)),
            "bare events last, none dropped"
        );
        assert_eq!(ranked.len(), t.events.len());
    }

    #[test]
    fn outlets_sources_dates_types_and_central_entities_raise_salience() {
        let e = |doc| event(doc, None);
        let with = |kind, mut e: Event| {
            e.kind = kind;
            e
        };
        let dated = event(0, Some(("2025-07-14", "2025-07-14")));
        let mut borrowed = dated.clone();
        borrowed.time.as_mut().unwrap().anchor = Anchor::Publication;
        let mut denied = dated.clone();
        denied.factuality = Factuality::Negated;
        let events = vec![
            reported_in(e(0), &[0, 0]),                         // 0: three reports, one document
            reported_in(e(0), &[1]),                            // 1: two outlets
            reported_in(e(0), &[2]),                            // 2: two documents of one web host
            reported_in(e(0), &[3]),                            // 3: an article and its related headline
            involving(e(0), &[0], &[]),                         // 4: the central entity
            involving(e(0), &[], &[1]),                         // 5: a place named once
            dated,                                              // 6: a date of its own
            borrowed,                                           // 7: the publication day's
            with(EventType::Attack, e(0)),                      // 8
            with(EventType::Other, involving(e(0), &[1], &[])), // 9
            denied,                                             // 10
        ];
        let mut docs = documents(4);
        docs[0].url = Some("https://www.Example.org/news/1".into());
        docs[2].url = Some("http://example.org:8080/news/2?x=1".into());
        docs[3].source = docs[0].source.clone();
        let mut central = entity("Central");
        for d in 0..3 {
            central.mentions.push(crate::resolve::MentionRef {
                doc: DocId(d),
                span: Span::new(0, 1),
            });
        }
        let t = Timeline::new(docs, vec![central, entity("Harbour")], events, Vec::new());
        let s = |i: usize| t.salience[i];
        assert!(s(1) > s(0), "two outlets over one document's three reports");
        assert_eq!(s(2), s(0), "one web host is one outlet");
        assert_eq!(s(3), s(0), "a related headline is its article's outlet");
        assert!(s(4) > s(5) && s(5) > s(0), "central entities first: {} {}", s(4), s(5));
        assert_eq!(t.centrality, [1.0, 1.0 / 3.0]);
        assert!(s(6) > s(7) && s(7) == s(0), "a date of its own");
        assert!(s(8) > s(0), "an attack over a statement");
        assert!(s(9) < s(5), "other below a statement, entities alike");
        assert!(s(10) < s(6), "denied");

        // Deterministic, and ties keep the timeline order.
        let again = Timeline::new(t.documents.clone(), t.entities.clone(), t.events.clone(), Vec::new());
        assert_eq!(again.salience, t.salience);
        let ranked = t.by_salience();
        assert_eq!(ranked[0], EventId(4));
        let ties: Vec<EventId> = ranked.iter().copied().filter(|&i| s(i.0) == s(0)).collect();
        let in_order: Vec<EventId> = t.order.iter().copied().filter(|i| ties.contains(i)).collect();
        assert_eq!(ties, in_order);
    }
}
