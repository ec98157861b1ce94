//! `annalist batch` throughput on CPU: documents/s, sentences/s, word pieces/s and peak
//! memory at a few token budgets per forward pass (`--batch-tokens`), over the 256
//! news articles of TempEval-3 TBAQ-cleaned, through the whole pipeline (ingest,
//! sentences, NER, time, results written and synced).
//!
//! `cargo bench --bench batch [-- BUDGET...]`, each budget with the model seeing whole
//! documents (in windows, the default) and single sentences (`--scope sentence`). Peak RSS is reset between budgets
//! (Linux `clear_refs`), so each row's peak is its own. The corpus is read from
//! `../shared` beside the checkout; without it the bench says so and measures nothing.

use annalist::batch::{self, journal, BatchOptions, Item, Progress, Settings};
use annalist::eval::timeml::tbaq_files;
use annalist::ingest::{read_raw, IngestOptions};
use annalist::model::{self, Model, Options, Scope};
use annalist::ner::Ner;
use annalist::time::timeml;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/tempeval3/TBAQ-cleaned");

fn main() -> anyhow::Result<()> {
    let budgets: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let budgets = if budgets.is_empty() {
        vec![256, 1024, 4096]
    } else {
        budgets
    };
    let tmp = tempfile::tempdir()?;
    let input = tmp.path().join("tbaq.jsonl");
    let docs = write_corpus(&input)?;
    if docs == 0 {
        println!("no TBAQ corpus at {CORPUS}; nothing measured");
        return Ok(());
    }
    let inputs = vec![input.display().to_string()];
    let model = Model::load(&model::default_dir(), tch::Device::Cpu)?;
    let mut ner = Ner {
        model,
        opts: Options::default(),
    };
    println!("{docs} documents, threads {}", tch::get_num_threads());
    println!(
        "{:>9} {:>13} {:>8} {:>11} {:>10} {:>13}",
        "scope", "batch tokens", "docs/s", "sentences/s", "pieces/s", "peak RSS MiB"
    );
    let runs = [Scope::Document, Scope::Sentence]
        .into_iter()
        .flat_map(|s| budgets.iter().map(move |&b| (s, b)));
    for (n, (scope, budget)) in runs.enumerate() {
        ner.opts.batch_tokens = budget;
        ner.opts.scope = scope;
        let out = tmp.path().join(format!("out{n}"));
        let opts = BatchOptions {
            output_dir: out.clone(),
            resume: false,
            shard: None,
            chunk: 64,
            ingest: IngestOptions::default(),
        };
        let settings = Settings {
            inputs: inputs.clone(),
            model: String::new(),
            shard: None,
            dct: None,
            keep_related: false,
        };
        let items = read_raw(&inputs, annalist::ingest::DEFAULT_MAX_BYTES, |_| true).map(Item::from);
        reset_peak_rss();
        let start = Instant::now();
        let quiet = |done| Progress::new(done, Arc::default(), Duration::from_secs(3600));
        let summary = batch::run(items, &ner, &opts, &settings, quiet)?;
        let secs = start.elapsed().as_secs_f64();
        let mut sentences = 0;
        for record in journal::records(&out)? {
            sentences += record?.sentences.len();
        }
        println!(
            "{:>9} {budget:>13} {:>8.1} {:>11.1} {:>10.0} {:>13.0}",
            format!("{scope:?}").to_lowercase(),
            summary.docs as f64 / secs,
            sentences as f64 / secs,
            summary.pieces as f64 / secs,
            peak_rss_mib()
        );
    }
    Ok(())
}

/// The TBAQ texts as JSON lines (id, text, published); returns how many.
fn write_corpus(path: &Path) -> anyhow::Result<usize> {
    let paths = tbaq_files(Path::new(CORPUS));
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut n = 0;
    for doc in paths.iter().filter_map(|p| timeml::read(p).ok()) {
        let published = doc.dct.map(|d| d.date.to_string());
        writeln!(
            out,
            "{}",
            serde_json::json!({ "id": doc.id, "text": doc.text, "published": published })
        )?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
