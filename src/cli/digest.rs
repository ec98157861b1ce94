//! `annalist digest`: the key dates of a timeline already made (a timeline JSON from
//! `extract` or `merge`, or `batch` output folders), without running the model.

use crate::digest::{digest, Digest, Options};
use crate::graph::Timeline;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct DigestArgs {
    /// A timeline JSON (from `extract` or `merge`), or `batch` output folders (joined
    /// as `merge` does).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    digest: DigestOptions,
    /// Where to write the digest; default: standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// json: the digest contract; md: a Markdown report; html: the analyst's page with
    /// the key dates first.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
}

/// What a digest covers and how much of it.
#[derive(clap::Args, Debug)]
struct DigestOptions {
    /// How many dates.
    #[arg(long, default_value_t = 20, value_name = "K")]
    dates: usize,
    /// Summary sentences per date.
    #[arg(long, default_value_t = 2, value_name = "N")]
    per_date: usize,
    /// Only articles published on or after this day (YYYY-MM-DD), and only dates from it.
    #[arg(long, value_name = "DATE", value_parser = day)]
    published_from: Option<NaiveDate>,
    /// Only articles published on or before this day, and only dates up to it.
    #[arg(long, value_name = "DATE", value_parser = day)]
    published_to: Option<NaiveDate>,
    /// Only the story of these entities (names or aliases, any case): the articles that
    /// name one, the events one takes part in.
    #[arg(long, value_name = "NAME", num_args = 1..)]
    about: Vec<String>,
    #[command(flatten)]
    ranker: RankerArg,
}

/// `--ranker` (`digest`, `eval timeline17`).
#[derive(clap::Args, Debug)]
pub(super) struct RankerArg {
    /// How days are ranked: `votes` (the articles' votes), `learned` (the ranker in
    /// models/digest, which scored below the votes on Timeline17 dev, leave-one-topic-out),
    /// or a ranker's JSON from `annalist train-date-ranker`.
    #[arg(long, default_value = "votes", value_name = "votes|learned|FILE")]
    ranker: String,
}

impl RankerArg {
    pub(super) fn ranking(&self) -> Result<crate::digest::Ranking> {
        crate::digest::Ranking::named(&self.ranker)
    }
}

impl DigestOptions {
    fn digest(&self, t: &Timeline) -> Result<Digest> {
        if let (Some(from), Some(to)) = (self.published_from, self.published_to) {
            if from > to {
                bail!("--published-from {from} is after --published-to {to}");
            }
        }
        let opts = Options {
            dates: self.dates,
            per_date: self.per_date,
            published_from: self.published_from,
            published_to: self.published_to,
            about: self.about.clone(),
            ranking: self.ranker.ranking()?,
        };
        digest(t, &opts)
    }
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Md,
    Html,
}

fn day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| format!("{s:?} is not a day YYYY-MM-DD: {e}"))
}

/// Writes the digest; fails (after writing) when a line of a batch folder was skipped.
pub fn run(args: &DigestArgs) -> Result<ExitCode> {
    let (t, skipped) = read(&args.inputs)?;
    let d = args.digest.digest(&t)?;
    if d.dates.is_empty() {
        eprintln!(
            "annalist: warning: no dated event or date in the {} articles read: the digest is empty",
            d.articles
        );
    }
    let json = d.to_json(&t);
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&json)?,
        Format::Md => d.to_markdown(&t),
        Format::Html => crate::export::analyst_page(&crate::export::timeline_json(&t), Some(&json)),
    };
    match &args.output {
        Some(path) => std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?,
        None => println!("{out}"),
    }
    Ok(super::status(skipped))
}

/// The timeline of `inputs` (one timeline JSON, or batch output folders, read as `merge`
/// reads them) and how many damaged lines of the folders were skipped.
fn read(inputs: &[PathBuf]) -> Result<(Timeline, usize)> {
    let (dirs, files): (Vec<PathBuf>, Vec<PathBuf>) = inputs.iter().cloned().partition(|p| p.is_dir());
    match (dirs.is_empty(), files.as_slice()) {
        (false, []) => super::merge::merged(&dirs, None),
        (true, [file]) => Ok((read_timeline(file)?, 0)),
        (true, _) => bail!("give one timeline JSON: separate timelines cannot be joined (merge their batch folders, or extract the articles together)"),
        (false, _) => bail!("give either batch output folders or one timeline JSON, not both"),
    }
}

fn read_timeline(path: &Path) -> Result<Timeline> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: not JSON (a timeline from `annalist extract` or `merge` is wanted)",
            path.display()
        )
    })?;
    crate::export::timeline_from_json(&json)
        .with_context(|| format!("{}: not a readable annalist timeline", path.display()))
}
