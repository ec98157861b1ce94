//! `annalist merge`: one timeline from the output folders of `annalist batch` runs.

use super::output::TimelineArgs;
use crate::batch::Stored;
use crate::graph::Timeline;
use crate::resolve::Aliases;
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// Output folders of batch runs (shards of one job, or separate runs).
    #[arg(required = true, value_name = "DIR")]
    dirs: Vec<PathBuf>,
    #[command(flatten)]
    timeline: TimelineArgs,
}

/// Writes the timeline of the documents read; fails (after writing) when a line was skipped.
pub fn run(args: &MergeArgs) -> Result<ExitCode> {
    let aliases = args.timeline.aliases()?;
    let (timeline, skipped) = merged(&args.dirs, aliases.as_ref())?;
    args.timeline.write(&timeline)?;
    Ok(super::status(skipped))
}

/// The timeline of batch output folders, read by [`read_batches`], and how many damaged
/// lines were skipped.
pub(super) fn merged(dirs: &[PathBuf], aliases: Option<&Aliases>) -> Result<(Timeline, usize)> {
    let stored = read_batches(dirs)?;
    let timeline = crate::pipeline::build_timeline(&stored.docs, aliases, stored.coref.as_ref());
    Ok((timeline, stored.problems.len()))
}

/// The documents of batch output folders, as every command that reads them does: each
/// line that cannot be read is reported with its file and line and skipped, and the
/// rest is read; `problems` lists those skipped.
pub(super) fn read_batches(dirs: &[PathBuf]) -> Result<Stored> {
    let stored = crate::batch::read_annotated(dirs)?;
    let skipped = stored.problems.len();
    for problem in &stored.problems {
        eprintln!("annalist: error: {problem}; skipped");
    }
    if skipped > 0 {
        eprintln!(
            "annalist: {} documents read from the batch folders; {skipped} errors above, each skipped",
            stored.docs.len()
        );
    }
    Ok(stored)
}
