//! `annalist eval semeval2015`: SemEval-2015 Task 4 (TimeLine) track A timelines, and
//! their scores against the gold.

use crate::eval::semeval::{self, DateStyle, Scoring};
use anyhow::bail;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct EvalSemevalArgs {
    /// A folder of CAT XML documents (`*.xml`), e.g. Corpus-trial-data_task4.
    #[arg(long, value_name = "DIR")]
    pub corpus: PathBuf,
    /// The target entities: a text file with one name per line, or a folder of
    /// timelines whose header lines name them (the gold folder). Default: --gold.
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,
    /// Where to write one `<target>.txt` timeline per target.
    #[arg(long, value_name = "DIR")]
    pub output_dir: PathBuf,
    /// Gold timelines to score against (a folder of `<target>.txt`).
    #[arg(long, value_name = "DIR")]
    pub gold: Option<PathBuf>,
    /// The task's scorer, run with python3.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "../shared/tools/timeline/score_timelines.py"
    )]
    pub scorer: PathBuf,
    /// How months and years are written: `short` (2006-03, 1968: the trial gold) or
    /// `padded` (2006-03-XX, 1968-XX-XX: the test gold).
    #[arg(long, value_enum, default_value = "padded")]
    pub date_style: DateStyle,
    #[command(flatten)]
    pub dating: super::time_links::DatingArg,
    #[command(flatten)]
    pub model: super::ModelArgs,
}

/// Writes the timelines and prints the report (with scores when --gold is given).
pub fn run(args: &EvalSemevalArgs) -> anyhow::Result<()> {
    let Some(targets_from) = args.targets.as_ref().or(args.gold.as_ref()) else {
        bail!("give the target entities with --targets (or --gold, whose files name them)");
    };
    let targets = semeval::read_targets(targets_from)?;
    let scoring = args.gold.as_ref().map(|gold| Scoring {
        gold_dir: gold.clone(),
        scorer: args.scorer.clone(),
    });
    let links = args.dating.links()?;
    let (model, opts) = args.model.load()?;
    let report = semeval::run(
        &args.corpus,
        &targets,
        &args.output_dir,
        args.date_style,
        scoring.as_ref(),
        &model,
        opts,
        links
            .as_deref()
            .map_or(crate::events::Dating::Tree, crate::events::Dating::Learned),
    )?;
    print!("{report}");
    Ok(())
}
