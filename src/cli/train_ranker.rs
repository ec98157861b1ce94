//! `annalist train-date-ranker`: fits the digest's date ranker
//! ([`crate::digest::rank`]) to the gold timelines of Timeline17-style topics and
//! writes it as JSON (the shipped one is `models/digest/date_ranker.json`).

use super::eval_timeline17::{prepare_topic, topic_examples, TopicArgs};
use crate::digest::rank::{self, DateRanker};
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct TrainRankerArgs {
    #[command(flatten)]
    topics: TopicArgs,
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
}

pub fn run(args: &TrainRankerArgs) -> Result<ExitCode> {
    let (topics, annotations) = args.topics.read()?;
    let mut examples = Vec::new();
    let mut lines = String::new();
    for topic in &topics {
        let (timelines, damaged) = prepare_topic(topic, &annotations)?;
        if damaged > 0 {
            bail!("topic {}: {damaged} damaged lines of its --batch-dir folder (see above): mend or re-run that batch before fitting", topic.name);
        }
        for (gold, date, e) in topic_examples(&timelines)? {
            if args.examples.is_some() {
                let features: serde_json::Map<String, serde_json::Value> = rank::FEATURES
                    .iter()
                    .zip(e.features)
                    .map(|(n, x)| (n.to_string(), x.into()))
                    .collect();
                let line = serde_json::json!({"topic": topic.name, "timeline": gold.name, "date": date.to_string(), "key": e.key, "features": features});
                lines.push_str(&line.to_string());
                lines.push('\n');
            }
            examples.push(e);
        }
    }
    if let Some(path) = &args.examples {
        std::fs::write(path, lines).with_context(|| format!("writing {}", path.display()))?;
    }
    let dir = args.topics.dir().display();
    let keys = examples.iter().filter(|e| e.key).count();
    if keys == 0 {
        bail!("no gold date of {dir} is a candidate day: nothing to learn from");
    }
    let names: Vec<&str> = topics.iter().map(|t| t.name.as_str()).collect();
    let timelines: usize = topics.iter().map(|t| t.timelines.len()).sum();
    let about = format!(
        "{dir} ({}): {timelines} gold timelines, {} candidate days, {keys} of them gold; L2 {}",
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
