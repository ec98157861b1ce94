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

use crate::doc::{ById, DocId, EntityId, EventId, Span};
use crate::events::{Event, Role};
use crate::ingest::Document;
use crate::resolve::Entity;
use crate::time::Timex;
use chrono::NaiveDate;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction::{Incoming, Outgoing};
use std::collections::{BTreeMap, BTreeSet};

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
        Timeline {
            documents,
            texts: Vec::new(),
            entities,
            events,
            order,
            date_evidence,
            times,
            graph,
        }
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
    use crate::events::{Anchor, EventTime, EventType, Evidence, Factuality, Participant};
    use crate::ner::EntityType;

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
            sources: vec![Evidence {
                doc,
                sentence: Span::new(0, 1),
                clause: Vec::new(),
                trigger: Span::new(0, 1),
            }],
            confidence: 0.5,
        }
    }

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
    use super::testing::{day, entity, event, involving};
    use super::*;
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
        let docs = ["a", "b"]
            .map(|id| Document {
                id: id.into(),
                source: id.into(),
                title: None,
                url: None,
                text: String::new(),
                dct: None,
                body: Vec::new(),
                related: Vec::new(),
                notes: Vec::new(),
            })
            .to_vec();
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
}
