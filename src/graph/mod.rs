//! The timeline as a graph of documents, entities, events and times, and the
//! chronological order of its events.
//!
//! Edges: a document mentions an entity; an entity takes part in an event (with its
//! role) or is its place; an event happens at a time and is reported in a document; and
//! between dated events, from their day intervals, `Before` (to the next later events
//! only, the rest follows by transitivity) and `Overlaps`.

use crate::doc::Span;
use crate::events::{Event, Role};
use crate::ingest::Document;
use crate::resolve::Entity;
use crate::time::Timex;
use chrono::NaiveDate;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Document(usize),
    Entity(usize),
    Event(usize),
    /// A TIMEX3 value with the days it covers.
    Time {
        value: String,
        interval: Option<(NaiveDate, NaiveDate)>,
    },
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

/// Events, their entities and sources, in time order.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub documents: Vec<Document>,
    /// Per document (parallel to `documents`), its sentences and date expressions; empty
    /// for a timeline made without them.
    pub texts: Vec<DocText>,
    pub entities: Vec<Entity>,
    pub events: Vec<Event>,
    /// Event indices: dated events by first then last day, then the undated ones (no
    /// day interval) in order of their first report.
    pub order: Vec<usize>,
    /// Per document, for a publication day inferred from shared events, those events
    /// (indices into `events`); empty otherwise.
    pub date_evidence: Vec<Vec<usize>>,
    pub graph: DiGraph<Node, Edge>,
}

impl Timeline {
    pub fn new(
        documents: Vec<Document>,
        entities: Vec<Entity>,
        events: Vec<Event>,
        date_evidence: Vec<Vec<usize>>,
    ) -> Timeline {
        let mut order: Vec<usize> = (0..events.len()).collect();
        order.sort_by_key(|&i| {
            let e = &events[i];
            (
                interval(e).is_none(),
                interval(e),
                e.sources.first().map(|s| (s.doc, s.sentence, s.trigger)),
            )
        });
        let graph = build_graph(&documents, &entities, &events, &order);
        Timeline {
            documents,
            texts: Vec::new(),
            entities,
            events,
            order,
            date_evidence,
            graph,
        }
    }

    /// Whether event `i` has days to stand on the timeline.
    pub fn is_dated(&self, i: usize) -> bool {
        self.events.get(i).is_some_and(|e| interval(e).is_some())
    }

    /// The event-to-event edges: `(from, to, Before | Overlaps)`, by event index.
    pub fn relations(&self) -> Vec<(usize, usize, Edge)> {
        self.graph
            .edge_indices()
            .filter_map(|ix| {
                let (a, b) = self.graph.edge_endpoints(ix)?;
                match (&self.graph[a], &self.graph[b], self.graph[ix]) {
                    (Node::Event(x), Node::Event(y), rel @ (Edge::Before | Edge::Overlaps)) => Some((*x, *y, rel)),
                    _ => None,
                }
            })
            .collect()
    }
}

/// The days an event covers, if it has them.
pub fn interval(e: &Event) -> Option<(NaiveDate, NaiveDate)> {
    e.time.as_ref().and_then(|t| t.interval)
}

fn build_graph(documents: &[Document], entities: &[Entity], events: &[Event], order: &[usize]) -> DiGraph<Node, Edge> {
    let mut g = DiGraph::new();
    let docs: Vec<NodeIndex> = (0..documents.len()).map(|d| g.add_node(Node::Document(d))).collect();
    let ents: Vec<NodeIndex> = (0..entities.len()).map(|e| g.add_node(Node::Entity(e))).collect();
    let evs: Vec<NodeIndex> = (0..events.len()).map(|e| g.add_node(Node::Event(e))).collect();
    for (e, ent) in entities.iter().enumerate() {
        let mut per_doc: BTreeMap<usize, usize> = BTreeMap::new();
        for m in &ent.mentions {
            *per_doc.entry(m.doc).or_default() += 1;
        }
        for (d, count) in per_doc {
            if let Some(&dn) = docs.get(d) {
                g.add_edge(dn, ents[e], Edge::Mentions { count });
            }
        }
    }
    let mut times: BTreeMap<String, NodeIndex> = BTreeMap::new();
    for (i, ev) in events.iter().enumerate() {
        for p in &ev.participants {
            if let Some(&en) = ents.get(p.entity) {
                g.add_edge(en, evs[i], Edge::Participates(p.role));
            }
        }
        for &p in &ev.places {
            if let Some(&en) = ents.get(p) {
                g.add_edge(evs[i], en, Edge::Place);
            }
        }
        if let Some(t) = &ev.time {
            let tn = *times.entry(t.value.clone()).or_insert_with(|| {
                g.add_node(Node::Time {
                    value: t.value.clone(),
                    interval: t.interval,
                })
            });
            g.add_edge(evs[i], tn, Edge::At);
        }
        let mut reported: Vec<usize> = ev.sources.iter().map(|s| s.doc).collect();
        reported.dedup();
        for d in reported {
            if let Some(&dn) = docs.get(d) {
                g.add_edge(evs[i], dn, Edge::ReportedIn);
            }
        }
    }
    // Temporal relations over the dated events, sorted by start.
    let dated: Vec<(usize, (NaiveDate, NaiveDate))> =
        order.iter().filter_map(|&i| Some((i, interval(&events[i])?))).collect();
    for (k, &(a, (_, a_end))) in dated.iter().enumerate() {
        let mut next_start: Option<NaiveDate> = None;
        for &(b, (b_start, _)) in &dated[k + 1..] {
            if b_start <= a_end {
                g.add_edge(evs[a], evs[b], Edge::Overlaps);
            } else if next_start.is_none_or(|n| n == b_start) {
                next_start = Some(b_start);
                g.add_edge(evs[a], evs[b], Edge::Before);
            }
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::{Anchor, EventTime, EventType, Evidence, Factuality};

    fn event(doc: usize, days: Option<(&str, &str)>) -> Event {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Event {
            kind: EventType::Statement,
            trigger: "said".into(),
            summary: "X said".into(),
            time: days.map(|(a, b)| EventTime {
                value: a.into(),
                modifier: None,
                interval: Some((d(a), d(b))),
                text: a.into(),
                doc,
                span: Some(Span::new(0, 1)),
                anchor: Anchor::Explicit,
            }),
            class: "REPORTING".into(),
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

    #[test]
    fn order_keeps_undated_last_and_relates_days() {
        let events = vec![
            event(0, None),
            event(1, Some(("2025-07-15", "2025-07-15"))),
            event(0, Some(("2025-07-14", "2025-07-20"))),
            event(0, Some(("2025-07-13", "2025-07-13"))),
        ];
        let t = Timeline::new(Vec::new(), Vec::new(), events, Vec::new());
        assert_eq!(t.order, [3, 2, 1, 0]);
        assert!(!t.is_dated(0) && t.is_dated(3));
        let rel = t.relations();
        assert!(rel.contains(&(3, 2, Edge::Before)));
        assert!(rel.contains(&(2, 1, Edge::Overlaps)));
        assert!(
            !rel.contains(&(3, 1, Edge::Before)),
            "only to the next later start: {rel:?}"
        );
        assert!(
            rel.iter().all(|(a, b, _)| *a != 0 && *b != 0),
            "undated events have no temporal relation"
        );
    }
}
