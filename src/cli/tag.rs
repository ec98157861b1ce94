//! `annalist tag`: every layer of each document from one model pass: entity mentions,
//! TIMEX3s, TimeML events and the parse, as JSON lines or TempEval-3 TimeML.

use super::ModelArgs;
use crate::doc::{CharIndex, Span};
use crate::pipeline::Layers;
use crate::time::dct::{find_in_text, parse_dct};
use crate::time::timeml;
use crate::time::{Dct, DctSource, Timex};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct TagArgs {
    /// Text files (`-` for stdin).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    read: super::input::ReadArgs,
    /// Publication date for every file; without it, each file's header date, if any.
    #[arg(long, value_name = "DATE", value_parser = |s: &str| parse_dct(s, DctSource::Flag))]
    dct: Option<Dct>,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// One JSON object per document; offsets in characters.
    Json,
    /// A TempEval-3 TimeML document per file: TIMEX3 and EVENT tags, text unchanged.
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
    let (docs, failed) = super::input::read_all(&args.files, &args.read);
    if docs.is_empty() {
        return Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS });
    }
    let (model, opts) = args.model.load()?;
    let texts: Vec<(&str, Vec<Span>)> = docs
        .iter()
        .map(|(_, t)| (t.as_str(), vec![Span::new(0, t.len())]))
        .collect();
    let layers = crate::pipeline::layers(&model, &texts, opts)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for ((name, text), l) in docs.iter().zip(&layers) {
        let dct = args.dct.clone().or_else(|| find_in_text(text));
        let timexes = crate::time::tag(text, dct.as_ref());
        match args.format {
            Format::Json => {
                serde_json::to_writer(&mut out, &doc_line(name, text, dct.as_ref(), &timexes, l))?;
                out.write_all(b"\n")?;
            }
            Format::Timeml => {
                let events: Vec<_> = l.grammar.events.iter().map(|e| (e.span, &e.attrs)).collect();
                out.write_all(timeml::render_with_events(name, text, dct.as_ref(), &timexes, &events).as_bytes())?;
            }
        }
    }
    out.flush()?;
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn doc_line<'a>(name: &'a str, text: &str, dct: Option<&Dct>, timexes: &[Timex], l: &Layers) -> DocLine<'a> {
    let chars = CharIndex::new(text);
    let at = |s: Span| chars.chars(s);
    DocLine {
        doc: name,
        dct: dct.map(|d| d.date.to_string()),
        mentions: l
            .mentions
            .iter()
            .map(|m| {
                let (start, end) = at(m.span);
                serde_json::json!({"text": m.span.of(text), "type": m.kind.as_str(), "start": start, "end": end, "score": m.rounded_score()})
            })
            .collect(),
        timexes: timexes
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
