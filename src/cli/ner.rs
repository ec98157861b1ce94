//! `annalist ner`: entity mentions as JSON lines, or CoNLL predictions.

use super::ModelArgs;
use crate::doc::{CharIndex, Span};
use crate::eval::conll::{predict, Corpus};
use crate::ner::{Decoding, EntityTagger, Ner};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct NerArgs {
    /// Text files (`-` for stdin); one JSON line per entity.
    files: Vec<PathBuf>,
    #[command(flatten)]
    read: super::input::ReadArgs,
    /// Tag a CoNLL-2003 file instead: each word line gets the predicted tag appended.
    #[arg(long, value_name = "IN", requires = "output", conflicts_with = "files")]
    conll: Option<PathBuf>,
    /// Where --conll writes its predictions.
    #[arg(long, value_name = "OUT")]
    output: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
}

/// One output line, fields in the documented order.
#[derive(serde::Serialize)]
struct MentionLine<'a> {
    doc: &'a str,
    text: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    start: usize,
    end: usize,
    score: f64,
}

pub fn run(args: &NerArgs) -> Result<ExitCode> {
    if let (Some(input), Some(output)) = (&args.conll, &args.output) {
        let corpus = Corpus::read(input)?;
        let (model, opts) = args.model.load()?;
        let tags = predict(&model, &corpus, opts, Decoding::Viterbi)?;
        std::fs::write(output, corpus.with_predictions(&tags))
            .with_context(|| format!("writing {}", output.display()))?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.files.is_empty() {
        anyhow::bail!("no input: pass text files (or - for stdin), or --conll IN --output OUT");
    }
    // Read everything first, reporting and skipping what cannot be read.
    let (docs, failed) = super::input::read_all(&args.files, &args.read);
    if !docs.is_empty() {
        let (model, opts) = args.model.load()?;
        let tagger = Ner { model, opts };
        let units: Vec<Vec<Vec<Span>>> = docs
            .iter()
            .map(|(_, t)| crate::segment::sentence_words(t, &[Span::new(0, t.len())]).1)
            .collect();
        let batch: Vec<_> = docs
            .iter()
            .zip(&units)
            .map(|((_, t), u)| (t.as_str(), u.as_slice()))
            .collect();
        let mentions = tagger.tag(&batch)?;
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for ((name, text), mentions) in docs.iter().zip(mentions) {
            let chars = CharIndex::new(text);
            for m in mentions {
                let (start, end) = chars.chars(m.span);
                let line = MentionLine {
                    doc: name,
                    text: m.span.of(text),
                    kind: m.kind.as_str(),
                    start,
                    end,
                    score: m.rounded_score(),
                };
                writeln!(out, "{}", serde_json::to_string(&line)?)?;
            }
        }
        out.flush()?;
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
