//! `annalist extract`: articles in, a dated and sourced timeline out (JSON, TimelineJS,
//! DOT, SVG). Ingest → [`prepare`] (sentences, words, time) → the model (entities,
//! parse, event triggers) → [`build_timeline`] → export.

use super::output::TimelineArgs;
use super::{IngestArgs, ModelArgs};
use crate::ingest::{read_raw, Document};
use crate::pipeline::{annotate_all, build_timeline, prepare, Prepared};
use anyhow::{bail, Result};
use rayon::prelude::*;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct ExtractArgs {
    /// Files, directories, globs, JSON lines (`.jsonl`), or `-` for stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    #[command(flatten)]
    timeline: TimelineArgs,
    #[command(flatten)]
    ingest: IngestArgs,
    #[command(flatten)]
    model: ModelArgs,
}

pub fn run(args: &ExtractArgs) -> Result<ExitCode> {
    let aliases = args.timeline.aliases()?;
    let mut failed = false;
    let mut docs: Vec<Document> = Vec::new();
    let ingest = args.ingest.options()?;
    for item in read_raw(&args.inputs, |_| true) {
        match item {
            Ok(raw) => {
                let read = raw.documents(&ingest);
                super::print_warnings(&read[0]);
                docs.extend(read);
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

    let prepared: Vec<Prepared> = docs.into_par_iter().map(|d| prepare(d)).collect();
    let (model, opts) = args.model.load()?;
    if model.heads.is_none() {
        eprintln!("annalist: warning: the model has no parse and event heads (a plain entity tagger): the timeline will have entities but no events");
    }
    let annotated = annotate_all(&model, opts, prepared)?;
    args.timeline.write(&build_timeline(&annotated, aliases.as_ref()))?;
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
