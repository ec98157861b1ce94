//! A [`Digest`] written out: the digest JSON contract (schema: `digest.schema.json`
//! beside this file) and Markdown for a report.
//!
//! Ids and offsets are those of the timeline JSON: documents keep their own id,
//! events are `EV1…` in timeline order, entities `E1…`; offsets are Unicode scalar
//! values into each document's original text.

use super::{Digest, Source};
use crate::doc::{ById, CharIndex, DocId};
use crate::graph::Timeline;
use serde_json::{json, Value};
use std::fmt::Write;

/// The `schema` value: bump on any incompatible change of the contract.
pub const SCHEMA_VERSION: &str = "annalist.digest/1";

/// The JSON Schema (draft 2020-12) of [`Digest::to_json`]'s output.
pub const SCHEMA: &str = include_str!("digest.schema.json");

impl Digest {
    /// The digest as JSON, following the contract in the module docs.
    pub fn to_json(&self, t: &Timeline) -> Value {
        let index: Vec<CharIndex> = t.documents.iter().map(|d| CharIndex::new(&d.text)).collect();
        let source = |s: Source| {
            let (start, end) = index
                .by_id(s.doc)
                .map_or((s.span.start, s.span.end), |ix| ix.chars(s.span));
            json!({"doc": doc_id(t, s.doc), "start": start, "end": end})
        };
        let rank = event_rank(t);
        let dates: Vec<Value> = self
            .dates
            .iter()
            .map(|d| {
                let summary: Vec<Value> = d
                    .summary
                    .iter()
                    .map(|q| {
                        let mut s = source(q.source);
                        s["text"] = json!(q.text);
                        s
                    })
                    .collect();
                let events: Vec<Value> = d
                    .events
                    .iter()
                    .filter_map(|&i| Some((rank.by_id(i)?, t.events.by_id(i)?)))
                    .map(|(r, e)| json!({"id": format!("EV{}", r + 1), "type": e.kind.name(), "factuality": e.factuality.name(), "summary": e.summary}))
                    .collect();
                let e = d.evidence;
                json!({
                    "date": d.date.format("%Y-%m-%d").to_string(),
                    "score": (d.score * 1000.0).round() / 1000.0,
                    "evidence": {"articles": e.articles, "references": e.references, "later_references": e.later_references, "published": e.published},
                    "summary": summary,
                    "events": events,
                    "sources": d.sources.iter().map(|&s| source(s)).collect::<Vec<_>>(),
                })
            })
            .collect();
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        json!({
            "schema": SCHEMA_VERSION,
            "published_from": day(self.published_from),
            "published_to": day(self.published_to),
            "about": self.about.iter().filter_map(|&i| Some(json!({"id": format!("E{}", i.0 + 1), "name": t.entities.by_id(i)?.name}))).collect::<Vec<_>>(),
            "articles": self.articles,
            "dates": dates,
        })
    }

    /// The digest as a Markdown report: a heading per day, its summary quoted with the
    /// article each sentence is from, then the articles behind the day.
    pub fn to_markdown(&self, t: &Timeline) -> String {
        let mut out = String::from("# Key dates\n\n");
        let mut scope = vec![count(self.articles, "article")];
        if self.published_from.is_some() || self.published_to.is_some() {
            let show = |d: Option<chrono::NaiveDate>| d.map_or("…".to_string(), |d| d.to_string());
            scope.push(format!(
                "published {} to {}",
                show(self.published_from),
                show(self.published_to)
            ));
        }
        if !self.about.is_empty() {
            let names: Vec<&str> = self
                .about
                .iter()
                .filter_map(|&i| t.entities.by_id(i))
                .map(|e| e.name.as_str())
                .collect();
            scope.push(format!("about {}", names.join(", ")));
        }
        let _ = writeln!(out, "_{}._", scope.join("; "));
        if self.dates.is_empty() {
            out.push_str("\nNo dated event or date in these articles.\n");
        }
        for d in &self.dates {
            let _ = writeln!(out, "\n## {}\n", d.date.format("%Y-%m-%d (%A)"));
            for q in &d.summary {
                let _ = writeln!(
                    out,
                    "- {} ({})",
                    q.text.split_whitespace().collect::<Vec<_>>().join(" "),
                    doc_id(t, q.source.doc)
                );
            }
            let mut docs: Vec<String> = d.sources.iter().map(|s| doc_id(t, s.doc)).collect();
            docs.dedup();
            // A report names a few articles; the JSON has every source.
            let more = docs.len().saturating_sub(SHOWN);
            docs.truncate(SHOWN);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let e = d.evidence;
            let _ = writeln!(
                out,
                "\nScore {:.2}: {}, {} naming the day ({} later), {}. Sources: {}{more}.",
                d.score,
                count(e.articles, "article"),
                e.references,
                e.later_references,
                count(d.events.len(), "event"),
                docs.join(", ")
            );
        }
        out
    }
}

/// `n` and `word`, plural when `n` is not 1.
fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Articles a Markdown day names as its sources.
const SHOWN: usize = 10;

fn doc_id(t: &Timeline, doc: DocId) -> String {
    t.documents
        .by_id(doc)
        .map_or_else(|| format!("#{}", doc.0), |d| d.id.clone())
}

/// Each event's place in timeline order, which its `EV` id numbers.
fn event_rank(t: &Timeline) -> Vec<usize> {
    let mut rank = vec![0; t.events.len()];
    for (r, &i) in t.order.iter().enumerate() {
        if let Some(x) = rank.by_id_mut(i) {
            *x = r;
        }
    }
    rank
}
