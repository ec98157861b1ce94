//! `annalist train-time-links` and `annalist eval time-links`: the event–time link
//! models ([`crate::events::timelinks`]) fitted to, and measured on, TimeML gold.

use super::ModelArgs;
use crate::eval::time_links::{annotate, score, Comparison};
use crate::events::timelinks::TimeLinks;
use crate::events::Dating;
use crate::learn::Fit;
use crate::train::time_links::{accuracy, examples, fit};
use anyhow::{bail, Context, Result};
use std::borrow::Cow;
use std::path::PathBuf;
use std::process::ExitCode;

/// The gold and its split.
#[derive(clap::Args, Debug)]
pub struct GoldArgs {
    /// A folder of gold TimeML with TLINKs: TBAQ-cleaned (TimeBank/, AQUAINT/) or `*.tml`.
    gold_dir: PathBuf,
    /// Every N-th file in name order is held out (the split `annalist train` holds out):
    /// the models are fitted on the others and measured on these.
    #[arg(long, default_value_t = 5, value_name = "N")]
    holdout: usize,
    #[command(flatten)]
    model: ModelArgs,
}

#[derive(clap::Args, Debug)]
pub struct TrainTimeLinksArgs {
    #[command(flatten)]
    gold: GoldArgs,
    /// Where to write the models' JSON (the shipped one is models/when/time_links.json).
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
    /// The L2 penalty on the weights.
    #[arg(long, default_value_t = Fit::default().l2)]
    l2: f32,
    /// The probabilities at which a date anchors an event (that of its likeliest
    /// relation but none) to try on the held-out files, comma-separated; the one with the
    /// best anchoring F1 there is kept.
    #[arg(long, value_delimiter = ',', default_values_t = [0.3, 0.4, 0.5, 0.6])]
    thresholds: Vec<f32>,
    /// The probabilities at which a dated event passes its date to an undated one, tried
    /// after the threshold above is chosen, the same way; above 1 the event–event model
    /// never dates anything, and it is kept when no other does better.
    #[arg(long, value_delimiter = ',', default_values_t = [OFF, 0.3, 0.4, 0.5, 0.6, 0.7])]
    event_thresholds: Vec<f32>,
}

/// An event threshold no probability reaches.
const OFF: f32 = 1.01;

/// Sets one of the links' thresholds.
type SetThreshold = fn(&mut TimeLinks, f32);

#[derive(clap::Args, Debug)]
pub struct EvalTimeLinksArgs {
    #[command(flatten)]
    gold: GoldArgs,
    #[command(flatten)]
    dating: DatingArg,
}

/// `--dating` (`eval semeval2015`, `eval time-links`).
#[derive(clap::Args, Debug)]
pub(super) struct DatingArg {
    /// How events take their dates: `learned` (the event–time links in models/when),
    /// `tree` (the tree rules alone), or links' JSON from `annalist train-time-links`.
    #[arg(long, default_value = "learned", value_name = "learned|tree|FILE")]
    dating: String,
}

impl DatingArg {
    /// The links it names; None for the tree rules.
    pub(super) fn links(&self) -> Result<Option<Cow<'static, TimeLinks>>> {
        Ok(match self.dating.as_str() {
            "tree" => None,
            "learned" => Some(Cow::Borrowed(TimeLinks::shipped())),
            path => Some(Cow::Owned(TimeLinks::read(std::path::Path::new(path))?)),
        })
    }
}

impl GoldArgs {
    /// The (train, held-out) gold documents.
    fn read(&self) -> Result<(Vec<crate::time::timeml::GoldDoc>, Vec<crate::time::timeml::GoldDoc>)> {
        if self.holdout < 2 {
            bail!(
                "--holdout {} leaves nothing to fit or nothing to measure; use 2 or more",
                self.holdout
            );
        }
        let (train, held) = crate::eval::events::split(&self.gold_dir, self.holdout)?;
        if held.is_empty() {
            bail!(
                "{}: {} TimeML files, none of them held out with --holdout {}; give a smaller N or more files",
                self.gold_dir.display(),
                train.len(),
                self.holdout
            );
        }
        Ok((train, held))
    }
}

pub fn train(args: &TrainTimeLinksArgs) -> Result<ExitCode> {
    let (train, held) = args.gold.read()?;
    let (model, opts) = args.gold.model.load()?;
    eprintln!("annalist: annotating {} + {} TimeML documents", train.len(), held.len());
    let (train_docs, held_docs) = (annotate(&model, opts, &train)?, annotate(&model, opts, &held)?);
    let (train_ex, held_ex) = (examples(&train_docs, &train), examples(&held_docs, &held));
    if train_ex.timex.is_empty() || train_ex.dct.is_empty() {
        bail!(
            "{}: no event–time TLINKs on the events and dates the pipeline finds; is it TimeML with TLINKs?",
            args.gold.gold_dir.display()
        );
    }
    let opts_fit = Fit {
        l2: args.l2,
        ..Fit::default()
    };
    let mut links = fit(&train_ex, opts_fit, 0.5, OFF);
    println!(
        "examples: date pairs {} train / {} held out; event pairs {} / {}; publication day {} / {}",
        train_ex.timex.len(),
        held_ex.timex.len(),
        train_ex.event.len(),
        held_ex.event.len(),
        train_ex.dct.len(),
        held_ex.dct.len()
    );
    for (name, m, ex) in [
        ("date pairs", &links.timex, &held_ex.timex),
        ("event pairs", &links.event, &held_ex.event),
        ("publication day", &links.dct, &held_ex.dct),
    ] {
        let (acc, common) = accuracy(m, ex);
        println!("held out, {name}: accuracy {acc:.2} (the most common class: {common:.2})");
    }
    // The date threshold with the event–event model off, then the event threshold.
    let choices: [(&str, &[f32], SetThreshold); 2] = [
        ("threshold", &args.thresholds, |l, t| l.threshold = t),
        ("event threshold", &args.event_thresholds, |l, t| l.event_threshold = t),
    ];
    for (name, thresholds, set) in choices {
        let mut best = (f64::MIN, OFF);
        for &t in thresholds {
            let mut tried = links.clone();
            set(&mut tried, t);
            let s = score(&held_docs, &held, Dating::Learned(&tried));
            let (p, r, f1) = s.anchoring(None);
            println!("{name} {t}: anchoring P {p:.1} R {r:.1} F1 {f1:.1}");
            if f1 > best.0 {
                best = (f1, t);
            }
        }
        set(&mut links, best.1);
    }
    let json = serde_json::to_string(&links)?;
    std::fs::write(&args.output, json + "\n").with_context(|| format!("writing {}", args.output.display()))?;
    eprintln!(
        "annalist: thresholds {} and {} (events) kept; written to {}",
        links.threshold,
        links.event_threshold,
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn eval(args: &EvalTimeLinksArgs) -> Result<ExitCode> {
    let (_, held) = args.gold.read()?;
    let Some(links) = args.dating.links()? else {
        bail!("--dating tree: eval time-links always shows the tree rules; name the learned links to set beside them");
    };
    let (model, opts) = args.gold.model.load()?;
    let docs = annotate(&model, opts, &held)?;
    let comparison = Comparison {
        documents: held.len(),
        tree: score(&docs, &held, Dating::Tree),
        learned: score(&docs, &held, Dating::Learned(&links)),
    };
    print!("{comparison}");
    Ok(ExitCode::SUCCESS)
}
