//! The `annalist` command: argument parsing and output formatting over the library.
//! Each subcommand lives in its own file and calls one library entry point.

use crate::model::Precision;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod batch;
mod digest;
mod eval;
mod eval_ecb;
mod eval_semeval;
mod eval_timeline17;
mod eval_timeml;
mod extract;
mod input;
mod merge;
mod ner;
mod output;
mod parse;
mod tag;
mod time_links;
mod times;
mod train;
mod train_coref;
mod train_ranker;

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
    /// Annotate a large corpus as a stream: resumable, sharded, results as JSON lines.
    Batch(batch::BatchArgs),
    /// One timeline from the output folders of batch runs (shards).
    Merge(merge::MergeArgs),
    /// Key dates of a timeline (JSON or batch folders), each with sentences from the articles.
    Digest(digest::DigestArgs),
    /// Tag people, places, organisations: JSON lines, or CoNLL with --conll.
    Ner(ner::NerArgs),
    /// Universal Dependencies parses: CoNLL-U from text, or a CoNLL-U file filled in.
    Parse(parse::ParseArgs),
    /// Every layer of each document (entities, dates, events, parse) from one model pass.
    Tag(tag::TagArgs),
    /// Find and normalise dates and times (TIMEX3): JSON lines or TimeML.
    Times(times::TimesArgs),
    /// Measure a stage against gold data.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Fine-tune the model: entities, and with UD and TimeML data, parse and events.
    Train(train::TrainArgs),
    /// Train the event coreference head on ECB+ into a model folder.
    TrainEventCoref(train_coref::TrainCorefArgs),
    /// Train the entity coreference head on GUM-style CoNLL-U chains into a model folder.
    TrainEntityCoref(train_coref::TrainEntityCorefArgs),
    /// Fit the digest's date ranker to Timeline17-style gold timelines.
    TrainDateRanker(train_ranker::TrainRankerArgs),
    /// Fit the event–time link models (which date anchors an event) to TimeML TLINKs.
    TrainTimeLinks(time_links::TrainTimeLinksArgs),
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
        Command::Batch(args) => batch::run(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Digest(args) => digest::run(&args),
        Command::Ner(args) => ner::run(&args),
        Command::Parse(args) => parse::run(&args),
        Command::Tag(args) => tag::run(&args),
        Command::Times(args) => times::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Eval(cmd) => eval::run(cmd),
        Command::Train(cmd) => train::run(cmd),
        Command::TrainEventCoref(cmd) => train_coref::run(cmd),
        Command::TrainEntityCoref(cmd) => train_coref::run_entity(cmd),
        Command::TrainDateRanker(args) => train_ranker::run(&args),
        Command::TrainTimeLinks(args) => time_links::train(&args),
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
    /// What the model computes in: auto (the fastest that keeps the measured accuracy and
    /// batch-independent results: f32 today), f32, bf16 (1.5–1.7x on a CPU with AVX-512 BF16;
    /// results depend on batching), int8 (CPU: the encoder's linear layers in int8), f16
    /// (for GPUs).
    #[arg(long, value_enum, default_value_t = Precision::Auto)]
    precision: Precision,
    /// Most word pieces per forward pass, padding included; sequences of similar
    /// length are packed together up to it. Default: 1024 on CPU (larger is slower
    /// there), 16384 on CUDA.
    #[arg(long, value_name = "N")]
    batch_tokens: Option<usize>,
    /// Longest window in word pieces; longer text is cut into overlapping windows.
    #[arg(long, default_value_t = 256)]
    window: usize,
    /// What the model sees at once: the whole document (in windows), or each sentence.
    #[arg(long, value_enum, default_value_t = crate::model::Scope::Document)]
    scope: crate::model::Scope,
    /// Do not show the model letter case (for text whose case is lost, e.g. all
    /// capitals; and to measure what case buys). No effect on models that ignore case.
    #[arg(long)]
    no_case: bool,
}

impl ModelArgs {
    fn load(&self) -> anyhow::Result<(crate::model::Model, crate::model::Options)> {
        let device = crate::model::device::parse(&self.device)?;
        let dir = self.model_dir();
        let mut model = crate::model::Model::load(&dir, device)?;
        model.case_types &= !self.no_case;
        model.set_precision(self.precision)?;
        let opts = crate::model::Options {
            batch_tokens: self
                .batch_tokens
                .unwrap_or(if device.is_cuda() { 16384 } else { 1024 })
                .max(1),
            window: self.window.max(8),
            scope: self.scope,
            ..Default::default()
        };
        Ok((model, opts))
    }

    fn model_dir(&self) -> std::path::PathBuf {
        self.model.clone().unwrap_or_else(crate::model::default_dir)
    }
}

/// Prints the `warning: ` notes ingest attached to `doc`.
fn print_warnings(doc: &crate::ingest::Document) {
    for line in warnings(doc) {
        eprintln!("{line}");
    }
}

/// The `warning: ` notes of `doc`, each after its source, once.
fn warnings(doc: &crate::ingest::Document) -> impl Iterator<Item = String> + '_ {
    doc.notes
        .iter()
        .filter_map(|n| n.strip_prefix("warning: "))
        .map(|note| format!("annalist: warning: {}: {note}", doc.source))
}

/// The exit status of a command that reports and skips what it cannot read: failure
/// when anything was skipped.
fn status(skipped: usize) -> ExitCode {
    if skipped > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The documents of `inputs`, read and cleaned as `ingest` says, with the warnings
/// printed; inputs that cannot be read are reported and skipped. Also says how many
/// inputs were read and skipped.
fn read_documents(
    inputs: &[String],
    ingest: &crate::ingest::IngestOptions,
) -> (Vec<crate::ingest::Document>, usize, usize) {
    let (mut docs, mut read, mut skipped) = (Vec::new(), 0, 0);
    for item in crate::ingest::read_raw(inputs, ingest.max_bytes, |_| true) {
        match item {
            Ok(raw) => {
                let got = raw.documents(ingest);
                print_warnings(&got[0]);
                docs.extend(got);
                read += 1;
            }
            Err(e) => {
                eprintln!("annalist: error: {e}; skipped");
                skipped += 1;
            }
        }
    }
    (docs, read, skipped)
}

/// How documents are read, shared by the commands that ingest articles.
#[derive(clap::Args, Debug, Clone)]
pub struct IngestArgs {
    /// Read related-links headlines as documents of their own, with their own dates.
    #[arg(long)]
    pub keep_related: bool,
    /// Publication date of every input, over metadata and text (e.g. 2025-07-15).
    #[arg(long, value_name = "DATE")]
    pub dct: Option<String>,
    #[command(flatten)]
    pub read: input::ReadArgs,
}

impl IngestArgs {
    fn options(&self) -> anyhow::Result<crate::ingest::IngestOptions> {
        use crate::time::{dct::parse_dct, DctSource};
        let dct = self
            .dct
            .as_deref()
            .map(|s| parse_dct(s, DctSource::Flag).map_err(|e| anyhow::anyhow!("--dct {s:?}: {e}")))
            .transpose()?;
        Ok(crate::ingest::IngestOptions {
            dct,
            keep_related: self.keep_related,
            max_bytes: self.read.max_bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_warning_names_its_line_once() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("docs.jsonl");
        std::fs::write(
            &path,
            "{\"id\": \"a\", \"text\": \"Kyiv.\", \"published\": \"someday\"}\n",
        )
        .unwrap();
        let doc = crate::ingest::read_inputs(&[path.display().to_string()], &Default::default())
            .next()
            .unwrap()
            .unwrap();
        let lines: Vec<String> = super::warnings(&doc).collect();
        let at = format!("annalist: warning: {}:1: ", path.display());
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(
            lines[0].starts_with(&at) && lines[0][at.len()..].starts_with("\"published\" not used"),
            "{lines:?}"
        );
    }
}
