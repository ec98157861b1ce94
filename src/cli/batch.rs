//! `annalist batch`: a corpus in, per-document results as JSON lines out, with a
//! manifest, resumable and shardable; see [`crate::batch`].

use super::{IngestArgs, ModelArgs};
use crate::batch::{self, BatchOptions, Item, Progress, Settings, Shard};
use crate::ingest::read_raw;
use crate::ner::Ner;
use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct BatchArgs {
    /// Directories, files, globs, JSON lines (`.jsonl`), or `-` for stdin.
    #[arg(long, short, required = true, num_args = 1.., value_name = "INPUT")]
    input: Vec<String>,
    /// Where results.jsonl, manifest.jsonl and timeline.json go.
    #[arg(long, value_name = "DIR")]
    output_dir: PathBuf,
    /// Continue the run in --output-dir after a crash or kill (or start it there).
    #[arg(long)]
    resume: bool,
    /// Only this shard I/N of the documents (by id): one of N machines sharing a job.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    /// Documents per chunk: per commit, and per round of packing sentences into batches.
    #[arg(long, default_value_t = 64, value_name = "N")]
    chunk: usize,
    /// Skip writing the merged timeline.json at the end (shards: use `annalist merge`).
    #[arg(long)]
    no_timeline: bool,
    /// Alias file for the merged timeline (TSV, as for `extract`).
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
    /// Seconds between progress lines when stderr is not a terminal.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    log_every: u64,
    #[command(flatten)]
    ingest: IngestArgs,
    #[command(flatten)]
    model: ModelArgs,
}

pub fn run(args: &BatchArgs) -> Result<ExitCode> {
    let aliases = args.aliases.as_deref().map(crate::resolve::Aliases::load).transpose()?;
    let settings = Settings {
        inputs: args.input.clone(),
        model: args.model.model_dir().display().to_string(),
        shard: args.shard.map(|s| s.to_string()),
        dct: args.ingest.dct.clone(),
        keep_related: args.ingest.keep_related,
    };
    let opts = BatchOptions {
        output_dir: args.output_dir.clone(),
        resume: args.resume,
        shard: args.shard,
        chunk: args.chunk,
        ingest: args.ingest.options()?,
    };
    let (model, ner_opts) = args.model.load()?;
    let ner = Ner { model, opts: ner_opts };

    // The total, for the ETA, is counted on the side: it can take a while.
    let total = Arc::new(AtomicU64::new(0));
    {
        let (total, inputs, shards) = (total.clone(), args.input.clone(), args.shard.map_or(1, |s| s.count));
        std::thread::spawn(move || {
            if let Some(n) = crate::ingest::count_items(&inputs) {
                total.store(n.div_ceil(shards), Ordering::Relaxed);
            }
        });
    }
    let shard = args.shard;
    let items = read_raw(&args.input, args.ingest.read.max_bytes, move |id| {
        shard.is_none_or(|s| s.contains(id))
    })
    .map(Item::from);
    let every = Duration::from_secs(args.log_every.max(1));
    batch::run(items, &ner, &opts, &settings, |done| Progress::new(done, total, every))?;
    if !args.no_timeline {
        let timeline = batch::merge(std::slice::from_ref(&args.output_dir), aliases.as_ref())?;
        batch::write_timeline(&args.output_dir.join("timeline.json"), &timeline)?;
    }
    Ok(ExitCode::SUCCESS)
}
