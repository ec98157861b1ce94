//! `annalist train`: fine-tune the multi-task model (entities, parse, events) from a
//! BERT-family encoder or an earlier model folder.

use crate::train::{train, TrainOptions};
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct TrainArgs {
    /// Where training starts: a base encoder folder (config.json, vocab.txt,
    /// model.safetensors) or an earlier annalist model.
    #[arg(long)]
    base: PathBuf,
    /// Entity training data, CoNLL-2003 format (tag in the last column).
    #[arg(long, value_name = "FILE")]
    ner_train: Option<PathBuf>,
    /// Entity development data for model selection, same format.
    #[arg(long, value_name = "FILE")]
    ner_valid: Option<PathBuf>,
    /// A name whose entities in --ner-train are trained as organisations (e.g.
    /// "Kremlin": CoNLL-2003 tags it a place); repeat the flag for several.
    #[arg(long, value_name = "NAME")]
    ner_org: Vec<String>,
    /// UD treebanks (CoNLL-U) to train the parser on; repeat the flag for several.
    #[arg(long, value_name = "FILE")]
    ud_train: Vec<PathBuf>,
    /// UD development treebanks (LAS for model selection).
    #[arg(long, value_name = "FILE")]
    ud_valid: Vec<PathBuf>,
    /// A TBAQ-cleaned folder (TimeBank/, AQUAINT/ with TimeML EVENT and MAKEINSTANCE).
    #[arg(long, value_name = "DIR")]
    timeml: Option<PathBuf>,
    /// Every N-th TimeML file (in name order) is held out for development.
    #[arg(long, default_value_t = 5)]
    holdout: usize,
    /// Output model folder (the best epoch, F16), with checkpoint/ (the latest, F32) to
    /// resume from: run the same command again.
    #[arg(long)]
    output: PathBuf,
    #[arg(long, default_value_t = 4)]
    epochs: usize,
    /// Fraction of the CoNLL windows used each epoch.
    #[arg(long, default_value_t = 1.0)]
    ner_fraction: f64,
    /// Learning rate of the encoder.
    #[arg(long, default_value_t = 1e-4)]
    learning_rate: f64,
    /// Learning rate of the parse and event heads (the entity classifier trains at the
    /// encoder's).
    #[arg(long, default_value_t = 1e-3)]
    head_learning_rate: f64,
    #[arg(long, default_value_t = 0.1)]
    warmup: f64,
    #[arg(long, default_value_t = 0.01)]
    weight_decay: f64,
    /// How often a window is shown without letter case (so the model copes without).
    #[arg(long, default_value_t = 0.15)]
    case_dropout: f64,
    /// Padded word pieces per optimisation step.
    #[arg(long, default_value_t = 1024)]
    batch_tokens: usize,
    #[arg(long, default_value_t = 256)]
    window: usize,
    #[arg(long, default_value_t = 48)]
    context: usize,
    #[arg(long, default_value_t = 13)]
    seed: i64,
    /// auto, cpu, cuda or cuda:N.
    #[arg(long, default_value = "auto")]
    device: String,
}

pub fn run(a: TrainArgs) -> Result<ExitCode> {
    if a.holdout == 1 {
        anyhow::bail!("--holdout 1 would hold out every TimeML file; use 0 (none) or 2 and more");
    }
    let device = crate::model::device::parse(&a.device)?;
    let opts = TrainOptions {
        base: a.base,
        ner_train: a.ner_train,
        ner_valid: a.ner_valid,
        ner_org: a.ner_org,
        ud_train: a.ud_train,
        ud_valid: a.ud_valid,
        timeml: a.timeml,
        holdout: a.holdout,
        output: a.output,
        epochs: a.epochs,
        ner_fraction: a.ner_fraction,
        learning_rate: a.learning_rate,
        head_learning_rate: a.head_learning_rate,
        warmup: a.warmup,
        weight_decay: a.weight_decay,
        case_dropout: a.case_dropout,
        batch_tokens: a.batch_tokens,
        window: a.window,
        context: a.context,
        seed: a.seed,
    };
    let best = train(&opts, device)?;
    println!("best development mean {best:.2}; model in {}", opts.output.display());
    Ok(ExitCode::SUCCESS)
}
