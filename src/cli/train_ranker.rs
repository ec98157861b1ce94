//! `annalist train-date-ranker`: fits the digest's date ranker
//! ([`crate::digest::rank`]) to the gold timelines of Timeline17-style topics and
//! writes it as JSON (the shipped one is `models/digest/date_ranker.json`).

use super::eval_timeline17::{prepare_topics, Annotations};
use crate::digest::rank::{self, DateRanker};
use crate::eval::timeline17;
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct TrainRankerArgs {
    /// A folder of topics laid out as `../shared/data/timeline17-dev`.
    dir: PathBuf,
    /// Only these topics (folder names); default: all.
    #[arg(long, value_name = "TOPIC", num_args = 1..)]
    topics: Vec<String>,
    /// Read each topic's annotations from DIR/TOPIC, an `annalist batch` output folder of
    /// its articles.jsonl, instead of running the model.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["model", "device", "precision", "batch_tokens", "window", "scope", "no_case"])]
    batch_dir: Option<PathBuf>,
    /// Where to write the ranker's JSON.
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
    /// Also write every candidate day as a JSON line (topic, timeline, date, whether the
    /// gold lists it, its features by name), to study what the ranker sees.
    #[arg(long, value_name = "FILE")]
    examples: Option<PathBuf>,
    /// The L2 penalty on the (standardised) weights.
    #[arg(long, default_value_t = rank::L2)]
    l2: f64,
    #[command(flatten)]
    model: super::ModelArgs,
}

pub fn run(args: &TrainRankerArgs) -> Result<ExitCode> {
    let topics = timeline17::topics(&args.dir, &args.topics)?;
    let annotations = Annotations::new(args.batch_dir.as_deref(), &args.model)?;
    let (prepared, skipped) = prepare_topics(&topics, &annotations)?;
    if skipped > 0 {
        bail!("{skipped} damaged lines of the --batch-dir folders (see above): mend or re-run those batches before fitting");
    }
    let mut examples = Vec::new();
    let mut lines = String::new();
    for (topic, timelines) in topics.iter().zip(&prepared) {
        for (p, gold) in timelines {
            for (date, e) in timeline17::examples(p, gold)? {
                let features: serde_json::Map<String, serde_json::Value> = rank::FEATURES
                    .iter()
                    .zip(e.features)
                    .map(|(n, x)| (n.to_string(), x.into()))
                    .collect();
                let line = serde_json::json!({"topic": topic.name, "timeline": gold.name, "date": date.to_string(), "key": e.key, "features": features});
                lines.push_str(&line.to_string());
                lines.push('\n');
                examples.push(e);
            }
        }
    }
    if let Some(path) = &args.examples {
        std::fs::write(path, lines).with_context(|| format!("writing {}", path.display()))?;
    }
    let keys = examples.iter().filter(|e| e.key).count();
    if keys == 0 {
        bail!(
            "no gold date of {} is a candidate day: nothing to learn from",
            args.dir.display()
        );
    }
    let names: Vec<&str> = topics.iter().map(|t| t.name.as_str()).collect();
    let timelines: usize = topics.iter().map(|t| t.timelines.len()).sum();
    let about = format!(
        "{} ({}): {timelines} gold timelines, {} candidate days, {keys} of them gold; L2 {}",
        args.dir.display(),
        names.join(", "),
        examples.len(),
        args.l2
    );
    let ranker = DateRanker::fit(&examples, args.l2, about.clone());
    std::fs::write(&args.output, ranker.to_json()).with_context(|| format!("writing {}", args.output.display()))?;
    eprintln!("annalist: fitted on {about}; written to {}", args.output.display());
    let mut weights: Vec<(&String, f64)> = ranker.features.iter().zip(ranker.weights.iter().copied()).collect();
    weights.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    for (name, w) in weights {
        println!("{name:<24} {w:>8.3}");
    }
    Ok(ExitCode::SUCCESS)
}
