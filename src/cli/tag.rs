//! `annalist tag`: every layer the per-document stages of [`crate::pipeline`] find in
//! each document (the same documents, cleaning and dating as `extract`): entity
//! mentions, TIMEX3s, TimeML events, coreference chains and the parse, as JSON lines or
//! TempEval-3 TimeML.

use super::{IngestArgs, ModelArgs};
use crate::annotated::Annotated;
use crate::doc::{CharIndex, Span};
use crate::pipeline::{annotate_all, prepare};
use crate::time::timeml;
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct TagArgs {
    /// Files, directories, globs, JSON lines (`.jsonl`), or `-` for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    #[command(flatten)]
    ingest: IngestArgs,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// One JSON object per document; offsets in characters.
    Json,
    /// A TempEval-3 TimeML document per document: TIMEX3 and EVENT tags, text unchanged.
    Timeml,
}

/// One document of `--format json`. Offsets are Unicode scalar values, end exclusive.
#[derive(Serialize)]
struct DocLine<'a> {
    doc: &'a str,
    dct: Option<String>,
    mentions: Vec<serde_json::Value>,
    timexes: Vec<serde_json::Value>,
    events: Vec<serde_json::Value>,
    /// Entity coreference chains: each its mentions' head words, in text order, with the
    /// kind of thing the head says each stands for (none for a chain's first word).
    chains: Vec<Vec<serde_json::Value>>,
    sentences: Vec<SentenceLine>,
}

#[derive(Serialize)]
struct SentenceLine {
    start: usize,
    end: usize,
    /// Words with their part of speech and dependency (head: 1-based word index in the
    /// sentence, 0 for the root).
    words: Vec<serde_json::Value>,
}

pub fn run(args: &TagArgs) -> Result<ExitCode> {
    let (docs, _, skipped) = super::read_documents(&args.inputs, &args.ingest.options()?);
    let failed = super::status(skipped);
    if docs.is_empty() {
        return Ok(failed);
    }
    let (model, opts) = args.model.load()?;
    let annotated = annotate_all(&model, opts, docs.into_par_iter().map(prepare).collect())?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for a in &annotated {
        match args.format {
            Format::Json => {
                serde_json::to_writer(&mut out, &doc_line(a))?;
                out.write_all(b"\n")?;
            }
            Format::Timeml => {
                let events: Vec<_> = a.grammar.events.iter().map(|e| (e.span, &e.attrs)).collect();
                let d = &a.doc;
                out.write_all(
                    timeml::render_with_events(&d.id, &d.text, d.dct.as_ref(), &a.timexes, &events).as_bytes(),
                )?;
            }
        }
    }
    out.flush()?;
    Ok(failed)
}

fn doc_line(a: &Annotated) -> DocLine<'_> {
    let (text, l) = (a.doc.text.as_str(), a);
    let chars = CharIndex::new(text);
    let at = |s: Span| chars.chars(s);
    // The kind the head gave each word where it linked it (a chain's first word has none).
    let kind_of: std::collections::HashMap<Span, _> = a
        .grammar
        .coref
        .iter()
        .filter_map(|x| Some((x.mention, x.kind?)))
        .collect();
    DocLine {
        doc: &a.doc.id,
        dct: a.doc.dct.as_ref().map(|d| d.date.to_string()),
        mentions: l
            .mentions
            .iter()
            .map(|m| {
                let (start, end) = at(m.span);
                serde_json::json!({"text": m.span.of(text), "type": m.kind.as_str(), "start": start, "end": end, "score": m.rounded_score()})
            })
            .collect(),
        timexes: a
            .timexes
            .iter()
            .map(|t| {
                let (start, end) = at(t.span);
                serde_json::json!({"text": t.span.of(text), "type": timeml::type_name(t.kind), "value": t.value, "mod": t.modifier, "start": start, "end": end})
            })
            .collect(),
        events: l
            .grammar
            .events
            .iter()
            .map(|e| {
                let (start, end) = at(e.span);
                let mut v = serde_json::json!({"text": e.span.of(text), "start": start, "end": end, "score": e.rounded_score()});
                if let (Some(o), Ok(serde_json::Value::Object(attrs))) = (v.as_object_mut(), serde_json::to_value(&e.attrs)) {
                    o.extend(attrs);
                }
                v
            })
            .collect(),
        chains: crate::chains::chains_of(&l.grammar.coref)
            .iter()
            .map(|c| {
                c.iter()
                    .map(|&w| {
                        let (start, end) = at(w);
                        let kind = kind_of.get(&w).map(|k| k.name());
                        serde_json::json!({"text": w.of(text), "start": start, "end": end, "kind": kind})
                    })
                    .collect()
            })
            .collect(),
        sentences: l
            .sentences
            .iter()
            .zip(&l.grammar.words)
            .enumerate()
            .map(|(k, (s, words))| {
                let (start, end) = at(*s);
                let parse = l.grammar.parse.get(k);
                SentenceLine {
                    start,
                    end,
                    words: words
                        .iter()
                        .enumerate()
                        .map(|(i, w)| {
                            let (ws, we) = at(*w);
                            let mut v = serde_json::json!({"text": w.of(text), "start": ws, "end": we});
                            if let Some(t) = parse.and_then(|p| p.get(i)) {
                                v["upos"] = t.upos.clone().into();
                                v["head"] = t.head.into();
                                v["deprel"] = t.deprel.clone().into();
                            }
                            v
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}
