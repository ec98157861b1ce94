//! `annalist merge`: one timeline from the output folders of `annalist batch` runs.

use super::output::TimelineArgs;
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// Output folders of batch runs (shards of one job, or separate runs).
    #[arg(required = true, value_name = "DIR")]
    dirs: Vec<PathBuf>,
    #[command(flatten)]
    timeline: TimelineArgs,
}

pub fn run(args: &MergeArgs) -> Result<()> {
    let aliases = args.timeline.aliases()?;
    args.timeline.write(&crate::batch::merge(&args.dirs, aliases.as_ref())?)
}
