//! `annalist eval ecb`: event mentions and their coreference on ECB+ topics, beside the
//! same mentions grouped by their word.

use crate::eval::coref::{CorefCounts, CorefScores, Prf};
use crate::eval::ecb;
use crate::eval::event_coref::{annotate, same_word, Matching, Trigger, Triggers};
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct EvalEcbArgs {
    /// A folder laid out like ECB+ (the CSV of selected sentences at its root, topic
    /// folders in it or in train/ and dev/).
    dir: PathBuf,
    /// Only these topics (folder names, e.g. 2 5 12); default: all.
    #[arg(long, num_args = 1.., value_name = "TOPIC")]
    topics: Vec<String>,
    /// Give the pipeline the gold event mentions instead of the model's triggers, to
    /// measure coreference alone.
    #[arg(long)]
    gold_mentions: bool,
    #[command(flatten)]
    model: super::ModelArgs,
}

pub fn run(args: &EvalEcbArgs) -> Result<()> {
    let topics = ecb::read(&args.dir, (!args.topics.is_empty()).then_some(args.topics.as_slice()))?;
    let (model, opts) = args.model.load()?;
    if model.event_coref.is_none() {
        eprintln!(
            "annalist: warning: the model has no event coreference head; events are joined by the rule without it"
        );
    }
    let triggers = if args.gold_mentions {
        Triggers::Gold
    } else {
        Triggers::Predicted
    };
    println!(
        "{:<8} {:>5} {:>5}  {:>6} {:>6} {:>6}  {:>6} {:>6} {:>6} {:>6}   {:>6} {:>7}",
        "topic", "gold", "found", "P", "R", "F1", "MUC", "B3", "CEAF-e", "CoNLL", "w.MUC", "w.CoNLL"
    );
    let (mut ours, mut baseline, mut mentions) = (CorefCounts::default(), CorefCounts::default(), (0.0, 0.0, 0.0));
    for topic in &topics {
        let docs = annotate(&model, opts, topic, triggers)?;
        let timeline = crate::pipeline::build_timeline(&docs, None, model.event_coref.as_ref());
        let clusters: Vec<Vec<Trigger>> = timeline
            .events
            .iter()
            .map(|e| e.sources.iter().map(|s| (s.doc.0, s.trigger)).collect())
            .collect();
        let all: Vec<Trigger> = clusters.iter().flatten().copied().collect();
        let matching = Matching::new(topic, &all);
        let counts = matching.counts(topic, &clusters);
        let base = matching.counts(topic, &same_word(topic, &all));
        let m = matching.mention_prf();
        let correct = matching.gold.values().filter(|g| g.is_some()).count() as f64;
        mentions.0 += correct;
        mentions.1 += matching.gold.len() as f64;
        mentions.2 += matching.mentions as f64;
        row(
            &topic.id,
            matching.mentions,
            matching.gold.len(),
            m,
            counts.scores(),
            base.scores(),
        );
        ours += counts;
        baseline += base;
    }
    let m = Prf::from_counts(mentions.0, mentions.1, mentions.2);
    row(
        "all",
        mentions.2 as usize,
        mentions.1 as usize,
        m,
        ours.scores(),
        baseline.scores(),
    );
    let kind = if args.gold_mentions { "gold" } else { "predicted" };
    println!("\n{kind} mentions; F1 in percent; w.: the same mentions grouped by their lowercased trigger word within each topic");
    Ok(())
}

fn row(name: &str, gold: usize, found: usize, m: Prf, s: CorefScores, b: CorefScores) {
    let pct = |x: f64| format!("{:6.2}", 100.0 * x);
    println!(
        "{name:<8} {gold:>5} {found:>5}  {} {} {}  {} {} {} {}   {} {}",
        pct(m.p),
        pct(m.r),
        pct(m.f1),
        pct(s.muc.f1),
        pct(s.b3.f1),
        pct(s.ceafe.f1),
        pct(s.conll),
        pct(b.muc.f1),
        pct(b.conll)
    );
}
