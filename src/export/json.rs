//! The timeline JSON contract (schema: `timeline.schema.json` beside this file).
//!
//! Offsets are Unicode scalar values into each document's original text. Ids: entities
//! `E1…`, events `EV1…` numbered in timeline order, times `T1…` in time order, documents
//! keep their own id.
//!
//! Each event's `salience` is [`Timeline::salience`], to 4 decimals.
//!
//! `times` carries the graph's times and their relations ([`crate::graph`]): per time its
//! days, its events, and its one `before` and one `overlaps` link, so the list is linear
//! in size however many times overlap.

use super::Labels;
use crate::doc::{ById, CharIndex, DocId, EntityId};
use crate::events::Anchor;
use crate::graph::{interval, Edge, Timeline};
use crate::time::DctSource;
use serde_json::{json, Value};

/// The `schema` value: bump on any incompatible change of the contract.
pub const SCHEMA_VERSION: &str = "annalist.timeline/1";

/// The JSON Schema (draft 2020-12) of [`timeline_json`]'s output.
pub const SCHEMA: &str = include_str!("timeline.schema.json");

/// The timeline as JSON, following the contract in the module docs.
pub fn timeline_json(t: &Timeline) -> Value {
    let labels = Labels::new(t);
    let index: Vec<CharIndex> = t.documents.iter().map(|d| CharIndex::new(&d.text)).collect();
    let doc_id = |d: DocId| t.documents.by_id(d).map_or(Value::Null, |doc| json!(doc.id));
    let chars = |d: DocId, s: crate::doc::Span| index.by_id(d).map_or((s.start, s.end), |ix| ix.chars(s));
    let documents: Vec<Value> = t
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let published = d.dct.as_ref().map(|dct| match dct.datetime {
                Some(dt) => dt.to_rfc3339(),
                None => dct.date.format("%Y-%m-%d").to_string(),
            });
            let from = d.dct.as_ref().map(|dct| match dct.source {
                DctSource::Text => "text",
                DctSource::Metadata => "metadata",
                DctSource::Flag => "flag",
                DctSource::Inferred => "inferred",
            });
            let mut doc = json!({"id": d.id, "source": d.source, "title": d.title, "url": d.url, "published": published, "published_from": from});
            if let Some(evidence) = t.date_evidence.get(i).filter(|e| !e.is_empty()) {
                doc["published_evidence"] = json!(evidence.iter().map(|&e| labels.event(e)).collect::<Vec<_>>());
            }
            doc
        })
        .collect();
    let entities: Vec<Value> = t
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let i = EntityId(i);
            let mentions: Vec<Value> = e
                .mentions
                .iter()
                .map(|m| {
                    let (start, end) = chars(m.doc, m.span);
                    json!({"doc": doc_id(m.doc), "start": start, "end": end})
                })
                .collect();
            json!({
                "id": labels.entity(i), "name": e.name, "type": format!("{:?}", e.kind), "aliases": e.aliases,
                "roles": e.roles, "external_id": e.external_id, "mentions": mentions,
            })
        })
        .collect();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let events: Vec<Value> = t
        .order
        .iter()
        .filter_map(|&i| Some((i, t.events.by_id(i)?)))
        .map(|(i, e)| {
            let days = interval(e);
            let time = json!({
                "value": e.time.as_ref().map(|t| &t.value),
                "start": days.map(|d| day(d.0)),
                "end": days.map(|d| day(d.1)),
                "text": e.time.as_ref().map(|t| &t.text).filter(|t| !t.is_empty()),
                "mod": e.time.as_ref().and_then(|t| t.modifier.as_ref()),
                "from": e.time.as_ref().map(|t| match t.anchor {
                    Anchor::Explicit => "clause",
                    Anchor::Narrative => "previous-sentence",
                    Anchor::Event => "other-event",
                    Anchor::Tense | Anchor::Publication => "publication",
                }),
                "anchor": e.time.as_ref().map(|t| t.anchor.name()),
                "doc": e.time.as_ref().map(|t| doc_id(t.doc)),
            });
            let sources: Vec<Value> = e
                .sources
                .iter()
                .map(|s| {
                    let (start, end) = chars(s.doc, s.sentence);
                    let (t_start, t_end) = chars(s.doc, s.trigger);
                    let sentence = t.documents.by_id(s.doc).and_then(|d| d.text.get(s.sentence.start..s.sentence.end)).unwrap_or("");
                    json!({"doc": doc_id(s.doc), "start": start, "end": end, "sentence": sentence,
                           "trigger": {"start": t_start, "end": t_end}})
                })
                .collect();
            json!({
                "id": labels.event(i), "type": e.kind.name(), "class": e.class.as_str(), "trigger": e.trigger, "summary": e.summary, "time": time,
                "factuality": e.factuality.name(),
                "reported_by": e.reported_by.iter().map(|&p| labels.entity(p)).collect::<Vec<_>>(),
                "participants": e.participants.iter().map(|p| json!({"entity": labels.entity(p.entity), "role": p.role.name()})).collect::<Vec<_>>(),
                "places": e.places.iter().map(|&p| labels.entity(p)).collect::<Vec<_>>(),
                "quotes": e.quotes, "sources": sources,
                "confidence": (f64::from(e.confidence) * 1000.0).round() / 1000.0,
                "salience": (f64::from(t.salience.by_id(i).copied().unwrap_or(0.0)) * 10_000.0).round() / 10_000.0,
                "undated": days.is_none(),
            })
        })
        .collect();
    let time_id = |k: usize| format!("T{}", k + 1);
    let times: Vec<Value> = t
        .times
        .iter()
        .enumerate()
        .map(|(k, &(first, last))| {
            json!({
                "id": time_id(k), "start": day(first), "end": day(last),
                "events": t.events_at(k).into_iter().map(|i| labels.event(i)).collect::<Vec<_>>(),
                "before": t.time_link(k, Edge::Before).map(time_id),
                "overlaps": t.time_link(k, Edge::Overlaps).map(time_id),
            })
        })
        .collect();
    let timeline: Vec<String> = t.order.iter().map(|&i| labels.event(i)).collect();
    json!({"schema": SCHEMA_VERSION, "documents": documents, "entities": entities, "events": events, "times": times, "timeline": timeline})
}
