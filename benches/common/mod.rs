//! What the throughput benches share: the corpus, one batch run, peak memory.

use annalist::batch::{self, journal, BatchOptions, Item, Progress, Settings, Summary};
use annalist::eval::timeml::tbaq_files;
use annalist::ingest::{read_raw, IngestOptions};
use annalist::ner::Ner;
use annalist::time::timeml;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The 256 news articles of TempEval-3 TBAQ-cleaned, beside the checkout.
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/tempeval3/TBAQ-cleaned");

/// The TBAQ corpus as JSON lines in a temporary folder: the folder (kept while it
/// lives), the file and how many documents; None, said on stdout, when the corpus is
/// not beside the checkout.
pub fn corpus() -> anyhow::Result<Option<(tempfile::TempDir, std::path::PathBuf, usize)>> {
    let tmp = tempfile::tempdir()?;
    let input = tmp.path().join("tbaq.jsonl");
    let docs = write_corpus(&input)?;
    if docs == 0 {
        println!("no TBAQ corpus at {CORPUS}; nothing measured");
        return Ok(None);
    }
    Ok(Some((tmp, input, docs)))
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

pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

pub fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// One `annalist batch` run of the JSON lines `input` into `out`: its summary, seconds,
/// sentences written and peak RSS in MiB (the peak reset at the start).
pub fn run_batch(ner: &Ner, input: &Path, out: &Path) -> anyhow::Result<(Summary, f64, usize, f64)> {
    let inputs = vec![input.display().to_string()];
    let opts = BatchOptions {
        output_dir: out.to_path_buf(),
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
    let summary = batch::run(items, ner, &opts, &settings, quiet)?;
    let secs = start.elapsed().as_secs_f64();
    let peak = peak_rss_mib();
    let mut sentences = 0;
    for record in journal::records(out)? {
        sentences += record?.sentences.len();
    }
    Ok((summary, secs, sentences, peak))
}
