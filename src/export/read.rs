//! Reading the timeline JSON contract ([`super::json`]) back into a [`Timeline`], so
//! that later steps (a digest, another export) can start from a written timeline
//! without running the model again.
//!
//! The contract does not carry the articles' full text: each document's text is rebuilt
//! from the sentences its events quote, at their offsets, with spaces between. Spans
//! into it are exact; what lay between those sentences is unknown, and the rebuilt
//! body is the quoted sentences, whose sentences and date expressions are read again
//! for [`crate::graph::DocText`].
//!
//! The graph, `times` and their relations included, follows from the events and
//! entities, so it is rebuilt from them ([`Timeline::new`]) rather than read: the same
//! graph, and the same JSON and DOT out, as the timeline that was written; a file
//! without `times` (written before they were) reads the same, and one whose event days
//! were edited gets the relations of its new days. So is each event's salience: a file
//! without it (written before it was) reads the same.

use crate::doc::{CharIndex, DocId, EntityId, EventId, Span};
use crate::events::{Anchor, Event, EventTime, EventType, Evidence, Factuality, Participant, Role};
use crate::graph::{DocText, Timeline};
use crate::ingest::Document;
use crate::ner::EntityType;
use crate::resolve::{Entity, MentionRef};
use crate::time::dct::parse_dct;
use crate::time::timeml::EventClass;
use crate::time::DctSource;
use anyhow::{anyhow, bail, Context, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::HashMap;

const ROLES: [Role; 7] = [
    Role::Agent,
    Role::Speaker,
    Role::Patient,
    Role::Target,
    Role::Counterpart,
    Role::Recipient,
    Role::Related,
];
const FACTUALITY: [Factuality; 5] = [
    Factuality::Asserted,
    Factuality::Negated,
    Factuality::Possible,
    Factuality::Future,
    Factuality::Reported,
];
const ANCHORS: [Anchor; 5] = [
    Anchor::Explicit,
    Anchor::Tense,
    Anchor::Publication,
    Anchor::Narrative,
    Anchor::Event,
];
/// The longest document text rebuilt, and all of them together, in characters.
const MAX_CHARS: usize = 1 << 24;
const MAX_TOTAL_CHARS: usize = 1 << 27;

/// The timeline a [`super::timeline_json`] output describes. Errors name the field that
/// does not follow the contract.
pub fn timeline_from_json(v: &Value) -> Result<Timeline> {
    match v.get("schema").and_then(Value::as_str) {
        Some(s) if s == super::SCHEMA_VERSION => {}
        Some(s) => bail!("schema {s:?}: this annalist reads {}", super::SCHEMA_VERSION),
        None => bail!("not an annalist timeline: no \"schema\" field"),
    }
    let docs = array(v, "documents")?;
    let doc_index: HashMap<&str, DocId> = docs
        .iter()
        .enumerate()
        .rev()
        .filter_map(|(i, d)| Some((d.get("id")?.as_str()?, DocId(i))))
        .collect();
    let doc_of = |v: &Value, at: &str| -> Result<DocId> {
        let id = v.as_str().ok_or_else(|| anyhow!("{at}: a document id is wanted"))?;
        doc_index
            .get(id)
            .copied()
            .ok_or_else(|| anyhow!("{at}: unknown document {id:?}"))
    };
    let events = array(v, "events")?;
    let entity_json = array(v, "entities")?;
    let texts = Texts::new(docs.len(), events, entity_json, &doc_of)?;

    let entity_index = unique_ids(entity_json, "entities", EntityId)?;
    let entity_of = |v: &Value, at: &str| -> Result<EntityId> {
        let id = v.as_str().unwrap_or_default();
        entity_index
            .get(id)
            .copied()
            .ok_or_else(|| anyhow!("{at}: unknown entity {v}"))
    };
    let entities = entity_json
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let at = format!("entities[{i}]");
            let kind = match text(e, "type", &at)? {
                "PER" => EntityType::PER,
                "LOC" => EntityType::LOC,
                "ORG" => EntityType::ORG,
                "MISC" => EntityType::MISC,
                other => bail!("{at}.type: unknown entity type {other:?}"),
            };
            let mentions = array(e, "mentions")?
                .iter()
                .map(|m| {
                    let doc = doc_of(&m["doc"], &at)?;
                    Ok(MentionRef {
                        doc,
                        span: texts.span(doc, m, &at)?,
                    })
                })
                .collect::<Result<_>>()?;
            Ok(Entity {
                name: text(e, "name", &at)?.to_string(),
                kind,
                aliases: strings(e, "aliases"),
                roles: strings(e, "roles"),
                external_id: e.get("external_id").and_then(Value::as_str).map(str::to_string),
                mentions,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let event_index = unique_ids(events, "events", EventId)?;

    let events = events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let at = format!("events[{i}]");
            let named = |field: &str| e.get(field).and_then(Value::as_str).unwrap_or_default();
            let entities_of = |field: &str| -> Result<Vec<EntityId>> {
                e.get(field)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|x| entity_of(x, &format!("{at}.{field}")))
                    .collect()
            };
            let participants = e
                .get("participants")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| {
                    let role = p["role"].as_str().unwrap_or_default();
                    let role = ROLES
                        .into_iter()
                        .find(|r| r.name() == role)
                        .ok_or_else(|| anyhow!("{at}: unknown role {role:?}"))?;
                    Ok(Participant {
                        entity: entity_of(&p["entity"], &at)?,
                        role,
                    })
                })
                .collect::<Result<_>>()?;
            let sources = array(e, "sources")?
                .iter()
                .map(|s| {
                    let doc = doc_of(&s["doc"], &at)?;
                    let sentence = texts.span(doc, s, &at)?;
                    let trigger = s
                        .get("trigger")
                        .map(|t| texts.span(doc, t, &at))
                        .transpose()?
                        .unwrap_or(sentence);
                    Ok(Evidence {
                        doc,
                        sentence,
                        clause: Vec::new(),
                        trigger,
                    })
                })
                .collect::<Result<_>>()?;
            Ok(Event {
                kind: EventType::ALL
                    .into_iter()
                    .find(|t| t.name() == named("type"))
                    .ok_or_else(|| anyhow!("{at}.type: unknown {:?}", named("type")))?,
                // Optional in the contract: an event without one reads as an occurrence,
                // TimeML's class for what simply happens.
                class: match e.get("class").and_then(Value::as_str) {
                    Some(class) => class.parse().with_context(|| format!("{at}.class"))?,
                    None => EventClass::Occurrence,
                },
                trigger: named("trigger").to_string(),
                summary: named("summary").to_string(),
                time: event_time(&e["time"], &at, &doc_of)?,
                factuality: FACTUALITY
                    .into_iter()
                    .find(|f| f.name() == named("factuality"))
                    .unwrap_or(Factuality::Asserted),
                participants,
                places: entities_of("places")?,
                reported_by: entities_of("reported_by")?,
                quotes: strings(e, "quotes"),
                sources,
                confidence: e.get("confidence").and_then(Value::as_f64).unwrap_or(0.0) as f32,
                vector: Vec::new(),
                words: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let mut date_evidence = vec![Vec::new(); docs.len()];
    let documents = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let at = format!("documents[{i}]");
            for id in d
                .get("published_evidence")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let e = id
                    .as_str()
                    .and_then(|id| event_index.get(id))
                    .ok_or_else(|| anyhow!("{at}.published_evidence: unknown event {id}"))?;
                date_evidence[i].push(*e);
            }
            let source = match d.get("published_from").and_then(Value::as_str) {
                Some(s) => serde_json::from_value::<DctSource>(Value::from(s))
                    .with_context(|| format!("{at}.published_from"))?,
                None => DctSource::Metadata,
            };
            let dct = d
                .get("published")
                .and_then(Value::as_str)
                .map(|p| parse_dct(p, source).map_err(|e| anyhow!("{at}.published: {e}")))
                .transpose()?;
            let (content, body) = texts.take(DocId(i));
            let optional = |f: &str| d.get(f).and_then(Value::as_str).map(str::to_string);
            Ok(Document {
                id: text(d, "id", &at)?.to_string(),
                source: optional("source").unwrap_or_default(),
                title: optional("title"),
                url: optional("url"),
                text: content,
                dct,
                body,
                related: Vec::new(),
                notes: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    // The contract carries no sentences or date expressions: those of the rebuilt text
    // are read again, as the pipeline reads a text.
    let texts = documents.par_iter().map(DocText::of).collect();
    Ok(Timeline {
        texts,
        ..Timeline::new(documents, entities, events, date_evidence)
    })
}

/// Where each item of `items` (entities or events) is, by its `id`. A repeated id is an
/// error: the references to it would be ambiguous.
fn unique_ids<'v, T>(items: &'v [Value], field: &str, id: impl Fn(usize) -> T) -> Result<HashMap<&'v str, T>> {
    let mut index = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(key) = item.get("id").and_then(Value::as_str) {
            if index.insert(key, id(i)).is_some() {
                bail!("{field}[{i}].id: {key:?} is an earlier one's too; ids must be unique");
            }
        }
    }
    Ok(index)
}

fn event_time(t: &Value, at: &str, doc_of: &impl Fn(&Value, &str) -> Result<DocId>) -> Result<Option<EventTime>> {
    let Some(value) = t.get("value").and_then(Value::as_str) else {
        return Ok(None);
    };
    let day = |f: &str| -> Result<Option<NaiveDate>> {
        t.get(f)
            .and_then(Value::as_str)
            .map(|s| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d").with_context(|| format!("{at}.time.{f}: {s:?} is not a day"))
            })
            .transpose()
    };
    let anchor = t.get("anchor").and_then(Value::as_str).unwrap_or("explicit");
    let interval = day("start")?.zip(day("end")?);
    if let Some((start, end)) = interval.filter(|(start, end)| start > end) {
        bail!("{at}.time: start {start} is after end {end}");
    }
    Ok(Some(EventTime {
        value: value.to_string(),
        modifier: t.get("mod").and_then(Value::as_str).map(str::to_string),
        interval,
        text: t.get("text").and_then(Value::as_str).unwrap_or_default().to_string(),
        doc: doc_of(&t["doc"], &format!("{at}.time"))?,
        span: None,
        anchor: ANCHORS
            .into_iter()
            .find(|a| a.name() == anchor)
            .ok_or_else(|| anyhow!("{at}.time.anchor: unknown {anchor:?}"))?,
    }))
}

/// The documents' texts rebuilt from the quoted sentences, padded with spaces to the
/// last offset any mention or source gives, with what converts char offsets into them.
struct Texts {
    texts: Vec<String>,
    bodies: Vec<Vec<Span>>,
    index: Vec<CharIndex>,
}

impl Texts {
    fn new(
        docs: usize,
        events: &[Value],
        entities: &[Value],
        doc_of: &impl Fn(&Value, &str) -> Result<DocId>,
    ) -> Result<Texts> {
        let mut quoted: Vec<Vec<(usize, &str)>> = vec![Vec::new(); docs];
        let mut ends = vec![0; docs];
        let offset = |v: &Value, f: &str| v.get(f).and_then(Value::as_u64).unwrap_or(0) as usize;
        for (i, e) in events.iter().enumerate() {
            for s in e.get("sources").and_then(Value::as_array).into_iter().flatten() {
                let doc = doc_of(&s["doc"], &format!("events[{i}].sources"))?;
                quoted[doc].push((
                    offset(s, "start"),
                    s.get("sentence").and_then(Value::as_str).unwrap_or_default(),
                ));
                ends[doc] = ends[doc].max(offset(s, "end")).max(offset(s, "start"));
            }
        }
        for (i, e) in entities.iter().enumerate() {
            for m in e.get("mentions").and_then(Value::as_array).into_iter().flatten() {
                let doc = doc_of(&m["doc"], &format!("entities[{i}].mentions"))?;
                ends[doc] = ends[doc].max(offset(m, "end"));
            }
        }
        // The padding is allocated: offsets past what annalist reads are refused, not
        // turned into gigabytes of spaces.
        if let Some(doc) = ends.iter().position(|&e| e > MAX_CHARS) {
            bail!("document {doc}: offsets reach past {MAX_CHARS} characters, more than any document annalist reads");
        }
        if ends.iter().sum::<usize>() > MAX_TOTAL_CHARS {
            bail!("the documents' offsets reach past {MAX_TOTAL_CHARS} characters in all; for a corpus that large, give the batch output folders instead");
        }
        let mut texts = Vec::with_capacity(docs);
        let mut bodies = Vec::with_capacity(docs);
        for (mut q, end) in quoted.into_iter().zip(ends) {
            q.sort_unstable();
            q.dedup();
            let (mut text, mut chars, mut body) = (String::new(), 0, Vec::new());
            for (start, sentence) in q.into_iter().filter(|(_, s)| !s.is_empty()) {
                if start < chars {
                    continue; // overlaps a sentence already placed
                }
                text.extend(std::iter::repeat_n(' ', start - chars));
                body.push(Span::new(text.len(), text.len() + sentence.len()));
                text.push_str(sentence);
                chars = start + sentence.chars().count();
            }
            text.extend(std::iter::repeat_n(' ', end.saturating_sub(chars)));
            texts.push(text);
            bodies.push(body);
        }
        let index = texts.iter().map(|t| CharIndex::new(t)).collect();
        Ok(Texts { texts, bodies, index })
    }

    /// The byte span of `v`'s `start`/`end` char offsets in document `doc`.
    fn span(&self, doc: DocId, v: &Value, at: &str) -> Result<Span> {
        let byte = |f: &str| {
            let c = v
                .get(f)
                .and_then(Value::as_u64)
                .ok_or_else(|| anyhow!("{at}: no {f} offset"))?;
            self.index[doc]
                .byte_of(c as usize)
                .ok_or_else(|| anyhow!("{at}: {f} {c} is past the document's text"))
        };
        let (start, end) = (byte("start")?, byte("end")?);
        if start > end {
            bail!("{at}: start after end");
        }
        Ok(Span::new(start, end))
    }

    /// Document `doc`'s text and body.
    fn take(&self, doc: DocId) -> (String, Vec<Span>) {
        (self.texts[doc].clone(), self.bodies[doc].clone())
    }
}

fn array<'a>(v: &'a Value, field: &str) -> Result<&'a Vec<Value>> {
    v.get(field)
        .and_then(Value::as_array)
        .ok_or_else(|| anyhow!("no {field:?} list"))
}

fn text<'a>(v: &'a Value, field: &str, at: &str) -> Result<&'a str> {
    v.get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("{at}: no {field:?}"))
}

fn strings(v: &Value, field: &str) -> Vec<String> {
    v.get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotated::testing::story;
    use crate::export::timeline_json;
    use crate::graph::Edge;
    use crate::pipeline::build_timeline;

    #[test]
    fn a_written_timeline_reads_back_to_the_same_json() {
        let t = build_timeline(&story(), None, None);
        let written = timeline_json(&t);
        let read = timeline_from_json(&written).unwrap();
        assert_eq!(timeline_json(&read), written);
        assert_eq!(
            read.order,
            (0..t.events.len()).map(EventId).collect::<Vec<_>>(),
            "the JSON lists events in timeline order"
        );
        // The quoted sentences are where they were.
        let e = &read.events[read.order[0]];
        let s = &e.sources[0];
        assert_eq!(
            &read.documents[s.doc].text[s.sentence.start..s.sentence.end],
            &t.documents[s.doc].text[s.sentence.start..s.sentence.end]
        );
    }

    #[test]
    fn relations_read_back_to_the_same_graph_and_diagram() {
        let t = build_timeline(&story(), None, None);
        let written = timeline_json(&t);
        let times = written["times"].as_array().unwrap();
        assert!(times.len() >= 4, "{times:#?}");
        assert!(times.iter().any(|k| !k["before"].is_null()));
        let read = timeline_from_json(&written).unwrap();
        assert_eq!(read.times, t.times);
        assert_eq!(read.graph.node_count(), t.graph.node_count());
        assert_eq!(read.graph.edge_count(), t.graph.edge_count());
        for k in 0..t.times.len() {
            for rel in [Edge::Before, Edge::Overlaps] {
                assert_eq!(read.time_link(k, rel), t.time_link(k, rel));
            }
            let events = |t: &Timeline| -> Vec<String> {
                let labels = crate::export::Labels::new(t);
                t.events_at(k).into_iter().map(|i| labels.event(i)).collect()
            };
            assert_eq!(events(&read), events(&t));
        }
        let opts = crate::export::DotOptions::default();
        assert_eq!(crate::export::to_dot(&read, &opts), crate::export::to_dot(&t, &opts));
        // Without the relations and the salience, as written before they were, the same
        // timeline.
        let mut older = written.clone();
        older.as_object_mut().unwrap().remove("times");
        for e in older["events"].as_array_mut().unwrap() {
            e.as_object_mut().unwrap().remove("salience");
        }
        assert_eq!(timeline_json(&timeline_from_json(&older).unwrap()), written);
    }

    #[test]
    fn what_breaks_the_contract_is_named() {
        let written = timeline_json(&build_timeline(&story(), None, None));
        let mut other = written.clone();
        other["schema"] = "annalist.timeline/9".into();
        assert!(timeline_from_json(&other)
            .unwrap_err()
            .to_string()
            .contains("annalist.timeline/9"));
        let mut broken = written.clone();
        broken["events"][0]["sources"][0]["doc"] = "nowhere".into();
        assert!(timeline_from_json(&broken)
            .unwrap_err()
            .to_string()
            .contains("unknown document \"nowhere\""));
        let mut broken = written.clone();
        broken["entities"][0]["type"] = "ANIMAL".into();
        assert!(timeline_from_json(&broken)
            .unwrap_err()
            .to_string()
            .contains("entities[0].type"));
        let mut classless = written.clone();
        classless["events"][0]["class"] = "HAPPENING".into();
        let err = format!("{:#}", timeline_from_json(&classless).unwrap_err());
        assert!(err.contains("events[0].class") && err.contains("HAPPENING"), "{err}");
        let mut twice = written.clone();
        twice["entities"][1]["id"] = twice["entities"][0]["id"].clone();
        let err = timeline_from_json(&twice).unwrap_err().to_string();
        assert!(err.contains("entities[1].id") && err.contains("unique"), "{err}");
        let mut backwards = written;
        let dated = backwards["events"]
            .as_array()
            .unwrap()
            .iter()
            .position(|e| e["time"]["start"].is_string())
            .expect("a dated event");
        backwards["events"][dated]["time"]["start"] = "2099-01-01".into();
        let err = timeline_from_json(&backwards).unwrap_err().to_string();
        assert!(
            err.contains(&format!("events[{dated}].time: start 2099-01-01 is after end")),
            "{err}"
        );
        assert!(timeline_from_json(&serde_json::json!([1, 2])).is_err());
        let mut huge = timeline_json(&build_timeline(&story(), None, None));
        huge["entities"][0]["mentions"][0]["end"] = (1u64 << 40).into();
        assert!(timeline_from_json(&huge)
            .unwrap_err()
            .to_string()
            .contains("offsets reach past"));
    }
}
