//! `annalist extract`: articles in, a dated and sourced timeline out (JSON, TimelineJS,
//! DOT, SVG): the stages of [`crate::pipeline`], then export.

use super::output::TimelineArgs;
use super::{IngestArgs, ModelArgs};
use crate::graph::{interval, Timeline};
use crate::pipeline::{annotate_all, build_timeline, prepare, Prepared};
use anyhow::{bail, Result};
use rayon::prelude::*;
use std::path::Path;
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
    /// Print no summary line at the end (warnings and errors still go to stderr).
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: &ExtractArgs) -> Result<ExitCode> {
    let aliases = args.timeline.aliases()?;
    let (docs, read, skipped) = super::read_documents(&args.inputs, &args.ingest.options()?);
    if docs.is_empty() {
        bail!("no document could be read from the inputs");
    }

    let prepared: Vec<Prepared> = docs.into_par_iter().map(prepare).collect();
    let (model, opts) = args.model.load()?;
    if model.heads.is_none() {
        eprintln!("annalist: warning: the model has no parse and event heads (a plain entity tagger): the timeline will have entities but no events");
    }
    let annotated = annotate_all(&model, opts, prepared)?;
    let timeline = build_timeline(&annotated, aliases.as_ref(), model.event_coref.as_ref());
    args.timeline.write(&timeline)?;
    if !args.quiet {
        eprintln!("{}", summary(read, skipped, &timeline, args.timeline.files()));
    }
    Ok(super::status(skipped))
}

/// The line that says what a run did.
fn summary<'a>(read: usize, skipped: usize, timeline: &Timeline, files: impl Iterator<Item = &'a Path>) -> String {
    let undated = timeline.events.iter().filter(|e| interval(e).is_none()).count();
    let files: Vec<String> = files.map(|f| f.display().to_string()).collect();
    let wrote = if files.is_empty() {
        "the timeline to stdout".to_string()
    } else {
        files.join(", ")
    };
    format!(
        "annalist extract: {read} documents read, {skipped} skipped; {} entities; {} events ({} dated, {undated} undated); wrote {wrote}",
        timeline.entities.len(),
        timeline.events.len(),
        timeline.events.len() - undated,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_what_was_read_found_and_written() {
        let timeline = Timeline::new(Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let files = [Path::new("t.json"), Path::new("g.dot")];
        assert_eq!(
            summary(3, 1, &timeline, files.into_iter()),
            "annalist extract: 3 documents read, 1 skipped; 0 entities; 0 events (0 dated, 0 undated); wrote t.json, g.dot"
        );
        assert!(summary(1, 0, &timeline, std::iter::empty()).ends_with("wrote the timeline to stdout"));
    }
}
