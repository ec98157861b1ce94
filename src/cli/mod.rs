//! The `annalist` command: argument parsing and output formatting over the library.
//! Each subcommand lives in its own file and calls one library entry point.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod eval;
mod eval_semeval;
mod eval_timeml;
mod extract;
mod input;
mod ner;
mod times;
mod train;

#[derive(Parser)]
#[command(name = "annalist", version, about = "Dated, sourced timelines from news articles")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Timeline from articles: JSON, TimelineJS, DOT, SVG.
    Extract(extract::ExtractArgs),
    /// Tag people, places, organisations: JSON lines, or CoNLL with --conll.
    Ner(ner::NerArgs),
    /// Find and normalise dates and times (TIMEX3): JSON lines or TimeML.
    Times(times::TimesArgs),
    /// Measure a stage against gold data.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Fine-tune a model.
    #[command(subcommand)]
    Train(train::TrainCommand),
}

pub fn main() -> ExitCode {
    // Like other Unix tools, stop quietly when the reader of stdout goes away (`| head`).
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract::run(&args),
        Command::Ner(args) => ner::run(&args),
        Command::Times(args) => times::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Eval(cmd) => eval::run(cmd),
        Command::Train(cmd) => train::run(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("annalist: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Model selection shared by every command that runs the NER model.
#[derive(clap::Args, Debug, Clone)]
pub struct ModelArgs {
    /// A Hugging Face token-classification folder (config.json, vocab.txt or
    /// tokenizer.json, model.safetensors); default: the bundled model.
    #[arg(long, value_name = "DIR")]
    model: Option<std::path::PathBuf>,
    /// auto (CUDA when available), cpu, cuda or cuda:N.
    #[arg(long, default_value = "auto")]
    device: String,
    /// Windows of up to --window word pieces per forward pass.
    #[arg(long, default_value_t = 16)]
    batch_size: usize,
    /// Longest window in word pieces; longer documents are cut into overlapping windows.
    #[arg(long, default_value_t = 256)]
    window: usize,
}

impl ModelArgs {
    fn load(&self) -> anyhow::Result<(crate::ner::NerModel, crate::ner::NerOptions)> {
        let device = crate::ner::device::parse(&self.device)?;
        let dir = self.model.clone().unwrap_or_else(crate::ner::model::default_dir);
        let model = crate::ner::NerModel::load(&dir, device)?;
        let opts = crate::ner::NerOptions { batch_size: self.batch_size.max(1), window: self.window.max(8), ..Default::default() };
        Ok((model, opts))
    }
}
