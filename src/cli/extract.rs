//! `annalist extract`: articles in, a dated and sourced timeline out (JSON, TimelineJS,
//! DOT, SVG). Ingest → sentences → NER → time → [`build_timeline`] → export.

use super::ModelArgs;
use crate::doc::Span;
use crate::export;
use crate::ingest::{read_inputs, Document, IngestOptions};
use crate::ner::{EntityTagger, Ner};
use crate::pipeline::{build_timeline, Annotated};
use crate::resolve::Aliases;
use crate::time::{dct::parse_dct, DctSource};
use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ExtractArgs {
    /// Files, directories, globs, JSON lines (`.jsonl`), or `-` for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    /// Where to write the timeline; default: standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// json: the timeline contract; timelinejs: TimelineJS's JSON; html: a page showing it.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Also write the timeline graph as GraphViz DOT.
    #[arg(long, value_name = "FILE")]
    dot: Option<PathBuf>,
    /// Also render the graph to SVG (needs Graphviz's `dot` program).
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Alias file (TSV: canonical name, aliases separated by |, external id, type).
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
    /// Read related-links headlines as documents of their own, with their own dates.
    #[arg(long)]
    keep_related: bool,
    /// Publication date of every input, over metadata and text (e.g. 2025-07-15).
    #[arg(long, value_name = "DATE")]
    dct: Option<String>,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Timelinejs,
    Html,
}

pub fn run(args: &ExtractArgs) -> Result<ExitCode> {
    let aliases = args.aliases.as_deref().map(Aliases::load).transpose()?;
    let dct = args.dct.as_deref().map(|s| parse_dct(s, DctSource::Flag).map_err(|e| anyhow!("--dct {s:?}: {e}"))).transpose()?;
    let opts = IngestOptions { dct, keep_related: args.keep_related };
    let mut failed = false;
    let mut docs: Vec<Document> = Vec::new();
    for item in read_inputs(&args.inputs, &opts) {
        match item {
            Ok(doc) => {
                for note in doc.notes.iter().filter_map(|n| n.strip_prefix("warning: ")) {
                    eprintln!("annalist: warning: {}: {note}", doc.source);
                }
                docs.extend(with_related(doc, args.keep_related));
            }
            Err(e) => {
                eprintln!("annalist: error: {e}; skipped");
                failed = true;
            }
        }
    }
    if docs.is_empty() {
        bail!("no document could be read from the inputs");
    }

    let paragraphs: Vec<Vec<Span>> = docs.iter().map(paragraphs).collect();
    let words: Vec<Vec<Span>> = docs
        .iter()
        .zip(&paragraphs)
        .map(|(d, ps)| ps.iter().flat_map(|p| crate::segment::words(&d.text, *p)).collect())
        .collect();
    let (model, opts) = args.model.load()?;
    let tagger = Ner { model, opts };
    let batch: Vec<(&str, &[Span])> = docs.iter().zip(&words).map(|(d, w)| (d.text.as_str(), w.as_slice())).collect();
    let mentions = tagger.tag(&batch)?;
    drop(batch);
    let annotated: Vec<Annotated> = docs
        .into_iter()
        .zip(paragraphs)
        .zip(mentions)
        .map(|((doc, ps), mentions)| {
            let sentences = ps.iter().flat_map(|p| crate::segment::sentences(&doc.text, *p)).collect();
            let timexes = crate::time::tag(&doc.text, doc.dct.as_ref());
            Annotated { doc, sentences, mentions, timexes }
        })
        .collect();

    let timeline = build_timeline(&annotated, aliases.as_ref());
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&export::timeline_json(&timeline))?,
        Format::Timelinejs => serde_json::to_string_pretty(&export::timelinejs_json(&timeline))?,
        Format::Html => export::timelinejs_html(&export::timelinejs_json(&timeline)),
    };
    match &args.output {
        Some(path) => write(path, &out)?,
        None => println!("{out}"),
    }
    if args.dot.is_some() || args.svg.is_some() {
        let dot = export::to_dot(&timeline);
        if let Some(path) = &args.dot {
            write(path, &dot)?;
        }
        if let Some(path) = &args.svg {
            write(path, &export::render_svg(&dot)?)?;
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The spans read for entities and events: the body, or all the text when cleaning
/// found no body.
fn paragraphs(d: &Document) -> Vec<Span> {
    if d.body.is_empty() {
        vec![Span::new(0, d.text.len())]
    } else {
        d.body.clone()
    }
}

/// `doc`, then (with `keep`) each related headline as a document of its own: its text,
/// its date, id `<id>#related<n>`.
fn with_related(doc: Document, keep: bool) -> Vec<Document> {
    let related: Vec<Document> = if keep {
        doc.related
            .iter()
            .enumerate()
            .filter_map(|(n, r)| {
                let text = doc.text.get(r.span.start..r.span.end)?.to_string();
                Some(Document {
                    id: format!("{}#related{}", doc.id, n + 1),
                    source: doc.source.clone(),
                    title: Some(text.clone()),
                    url: None,
                    body: vec![Span::new(0, text.len())],
                    text,
                    dct: r.dct.clone(),
                    related: Vec::new(),
                    notes: Vec::new(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    std::iter::once(doc).chain(related).collect()
}

fn write(path: &Path, content: &str) -> Result<()> {
    std::fs::write(path, content).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Related;

    #[test]
    fn related_headlines_become_documents() {
        let text = "Body.\nTrump Threatens Tariffs\n";
        let doc = Document {
            id: "a".into(),
            source: "a.txt".into(),
            title: None,
            url: None,
            text: text.into(),
            dct: None,
            body: vec![Span::new(0, 5)],
            related: vec![Related { span: Span::new(6, 29), dct: None }, Related { span: Span::new(6, 99), dct: None }],
            notes: Vec::new(),
        };
        assert_eq!(with_related(doc.clone(), false).len(), 1);
        let docs = with_related(doc, true);
        assert_eq!(docs.len(), 2, "an out-of-range span is skipped");
        assert_eq!((docs[1].id.as_str(), docs[1].text.as_str()), ("a#related1", "Trump Threatens Tariffs"));
        assert_eq!(paragraphs(&docs[1]), [Span::new(0, 23)]);
    }
}
