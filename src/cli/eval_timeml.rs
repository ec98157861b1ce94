//! `annalist eval timeml`: the temporal tagger against TempEval-3 gold files.

use crate::eval::timeml::evaluate;
use anyhow::bail;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct EvalTimemlArgs {
    /// A directory of gold TimeML files (`*.tml`), e.g. TBAQ-cleaned/TimeBank.
    #[arg(value_name = "GOLD_DIR")]
    pub gold_dir: PathBuf,
    /// Also write the tagger's output there (`<doc>.tml` and `system.jsonl`), to
    /// inspect it or score it with an independent scorer.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// Prints the report; fails after printing if some gold files could not be read.
pub fn run(args: &EvalTimemlArgs) -> anyhow::Result<()> {
    let report = evaluate(&args.gold_dir, args.output.as_deref())?;
    print!("{report}");
    if !report.failed.is_empty() {
        bail!(
            "{} gold files in {} could not be read; the scores leave them out",
            report.failed.len(),
            args.gold_dir.display()
        );
    }
    Ok(())
}
