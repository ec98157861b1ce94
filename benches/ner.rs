//! NER throughput on CPU: word pieces/s, documents/s and peak memory at a few batch
//! sizes, over the first documents of CoNLL-2003 valid (or the bundled example).
//!
//! `cargo bench --bench ner [-- DOCS]`. Peak RSS is reset between batch sizes
//! (Linux `clear_refs`), so each row's peak is its own.

use annalist::eval::conll::Corpus;
use annalist::ner::{model, NerModel, NerOptions};
use std::path::Path;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let n_docs: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100);
    let model = NerModel::load(&model::default_dir(), tch::Device::Cpu)?;
    let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/conll2003/valid.txt");
    let corpus = if valid.exists() {
        Corpus::read(&valid)?
    } else {
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/harbour-talks.txt"))?;
        Corpus::parse(&text.split_whitespace().map(|w| format!("{w} X X O\n")).collect::<String>())?
    };
    let docs: Vec<Vec<&str>> = corpus
        .documents()
        .iter()
        .take(n_docs)
        .map(|d| d.iter().map(|&i| corpus.word(i)).collect())
        .collect();
    let words: usize = docs.iter().map(Vec::len).sum();
    println!("{} documents, {words} words, threads {}", docs.len(), tch::get_num_threads());
    println!("{:>10} {:>10} {:>12} {:>10} {:>14}", "batch", "docs/s", "pieces/s", "words/s", "peak RSS MiB");
    for batch_size in [1, 8, 32] {
        let opts = NerOptions { batch_size, ..Default::default() };
        let pieces: usize = model.windows(&docs, opts).iter().map(|w| w.ids.len()).sum();
        model.label_words(&docs[..docs.len().min(4)], opts)?; // warm-up
        reset_peak_rss();
        let start = Instant::now();
        model.label_words(&docs, opts)?;
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{batch_size:>10} {:>10.1} {:>12.0} {:>10.0} {:>14.0}",
            docs.len() as f64 / secs,
            pieces as f64 / secs,
            words as f64 / secs,
            peak_rss_mib()
        );
    }
    Ok(())
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
