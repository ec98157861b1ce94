//! `annalist train ner`: fine-tune a BERT-family encoder on CoNLL annotations.

use crate::ner::train::{train, TrainOptions};
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum TrainCommand {
    /// Fine-tune a token classifier; the best epoch on --valid is saved to --output.
    Ner(TrainNerArgs),
}

#[derive(clap::Args, Debug)]
pub struct TrainNerArgs {
    /// Base encoder folder (config.json, vocab.txt, model.safetensors).
    #[arg(long)]
    base: PathBuf,
    /// Training data, CoNLL-2003 format (tag in the last column).
    #[arg(long)]
    train: PathBuf,
    /// Development data for model selection, same format.
    #[arg(long)]
    valid: PathBuf,
    /// Output model folder.
    #[arg(long)]
    output: PathBuf,
    #[arg(long, default_value_t = 4)]
    epochs: usize,
    #[arg(long, default_value_t = 1e-4)]
    learning_rate: f64,
    #[arg(long, default_value_t = 0.1)]
    warmup: f64,
    #[arg(long, default_value_t = 0.01)]
    weight_decay: f64,
    /// Padded word pieces per optimisation step.
    #[arg(long, default_value_t = 4096)]
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

pub fn run(cmd: TrainCommand) -> Result<ExitCode> {
    let TrainCommand::Ner(a) = cmd;
    let device = crate::ner::device::parse(&a.device)?;
    let opts = TrainOptions {
        base: a.base,
        train: a.train,
        valid: a.valid,
        output: a.output,
        epochs: a.epochs,
        learning_rate: a.learning_rate,
        warmup: a.warmup,
        weight_decay: a.weight_decay,
        batch_tokens: a.batch_tokens,
        window: a.window,
        context: a.context,
        seed: a.seed,
    };
    let best = train(&opts, device)?;
    println!("best valid F1 {best:.2}; model in {}", opts.output.display());
    Ok(ExitCode::SUCCESS)
}
