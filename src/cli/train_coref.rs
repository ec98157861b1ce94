//! `annalist train-event-coref` and `annalist train-entity-coref`: the coreference heads,
//! on ECB+ and on GUM, into a model folder.

use crate::train::coref::{train, CorefTrainOptions};
use crate::train::entity_coref::EntityCorefTrainOptions;
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct TrainCorefArgs {
    /// A folder laid out like ../shared/data/ecbplus: train/ and dev/ topic folders and
    /// the CSV of selected sentences.
    #[arg(long, value_name = "DIR")]
    ecb: PathBuf,
    /// The model folder whose encoder the head reads; the head is written into it.
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
    /// Length of the event vectors.
    #[arg(long, default_value_t = 32)]
    dim: usize,
    /// Units of the pair scorer's hidden layer.
    #[arg(long, default_value_t = 32)]
    hidden: usize,
    #[arg(long, default_value_t = 4)]
    epochs: usize,
    #[arg(long, default_value_t = 1e-3)]
    learning_rate: f64,
    /// Pairs per step.
    #[arg(long, default_value_t = 256)]
    batch: usize,
    /// Dropout on the vector part of the scorer's input while training; several values
    /// train one head each and the best on dev is kept (1: the evidence alone, no vectors).
    #[arg(long, num_args = 1.., default_values_t = [0.3, 0.6, 1.0])]
    dropout: Vec<f64>,
    #[arg(long, default_value_t = 13)]
    seed: i64,
}

pub fn run(a: TrainCorefArgs) -> Result<ExitCode> {
    let opts = CorefTrainOptions {
        ecb: a.ecb,
        model: a.model.unwrap_or_else(crate::model::default_dir),
        dim: a.dim,
        hidden: a.hidden,
        epochs: a.epochs,
        learning_rate: a.learning_rate,
        batch: a.batch.max(1),
        dropout: a.dropout.iter().map(|d| d.clamp(0.0, 1.0)).collect(),
        seed: a.seed,
    };
    let best = train(&opts)?;
    println!(
        "best dev CoNLL F1 {:.2}; the head is in {}",
        100.0 * best,
        opts.model.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args, Debug)]
pub struct TrainEntityCorefArgs {
    /// CoNLL-U files with `Entity=` chains in MISC to train on (GUM's train files).
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    train: Vec<PathBuf>,
    /// CoNLL-U files with `Entity=` chains to choose the epoch and threshold on.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    dev: Vec<PathBuf>,
    /// The model folder whose encoder the head reads; the head is written into it.
    #[arg(long, value_name = "DIR")]
    model: Option<PathBuf>,
    /// Length of the query and key vectors.
    #[arg(long, default_value_t = 64)]
    dim: usize,
    /// How many candidate words back a word looks for its antecedent.
    #[arg(long, default_value_t = 200)]
    window: usize,
    #[arg(long, default_value_t = 100)]
    epochs: usize,
    #[arg(long, default_value_t = 5e-4)]
    learning_rate: f64,
    /// Dropout on the hidden states while training.
    #[arg(long, default_value_t = 0.3)]
    dropout: f64,
    /// The threshold to ship (how far an antecedent must score above "none"); by default
    /// the one with the best dev CoNLL F1.
    #[arg(long, allow_hyphen_values = true)]
    threshold: Option<f32>,
    #[arg(long, default_value_t = 13)]
    seed: i64,
}

pub fn run_entity(a: TrainEntityCorefArgs) -> Result<ExitCode> {
    let opts = EntityCorefTrainOptions {
        train: a.train,
        dev: a.dev,
        model: a.model.unwrap_or_else(crate::model::default_dir),
        dim: a.dim.max(1),
        window: a.window.max(1),
        epochs: a.epochs,
        learning_rate: a.learning_rate,
        dropout: a.dropout.clamp(0.0, 0.95),
        threshold: a.threshold,
        seed: a.seed,
    };
    let best = crate::train::entity_coref::train(&opts)?;
    println!(
        "best dev CoNLL F1 {:.2}; the head is in {}",
        100.0 * best,
        opts.model.display()
    );
    Ok(ExitCode::SUCCESS)
}
