//! `annalist batch` on CPU in f32, bf16 and int8 (`--precision`), on the same documents
//! in one process: word pieces/s, words/s, peak memory, and each precision's speed
//! against f32. Rounds alternate the precisions, so a slow spell of the machine falls
//! on all of them; the best round of each is compared.
//!
//! `cargo bench --bench precision [-- ROUNDS]` (default 3). The corpus is the 256
//! TBAQ-cleaned articles beside the checkout; their texts are also written to
//! `target/bench-texts/` (one `.txt` each), so that a peer (`scripts/spacy-peer.sh
//! --texts target/bench-texts`) reads exactly the same words.

mod common;

use annalist::model::{self, Model, Options, Precision};
use annalist::ner::Ner;

const PRECISIONS: [Precision; 3] = [Precision::F32, Precision::Bf16, Precision::Int8];

fn main() -> anyhow::Result<()> {
    let rounds: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(3);
    let Some((tmp, input, docs)) = common::corpus()? else {
        return Ok(());
    };
    let words = write_texts(
        &input,
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target/bench-texts")
            .as_path(),
    )?;
    println!(
        "{docs} documents, {words} words, threads {}; auto is {:?} here",
        tch::get_num_threads(),
        Precision::fastest(tch::Device::Cpu)
    );
    println!(
        "{:>5} {:>9} {:>10} {:>9} {:>13}",
        "round", "precision", "pieces/s", "words/s", "peak RSS MiB"
    );
    let mut best = [0.0f64; PRECISIONS.len()];
    for round in 1..=rounds {
        for (i, precision) in PRECISIONS.iter().enumerate() {
            let mut model = Model::load(&model::default_dir(), tch::Device::Cpu)?;
            model.set_precision(*precision)?;
            let precision = name(*precision);
            let ner = Ner {
                model,
                opts: Options::default(),
            };
            let out = tmp.path().join(format!("out-{round}-{precision}"));
            let (summary, secs, _, peak) = common::run_batch(&ner, &input, &out)?;
            let pieces = summary.pieces as f64 / secs;
            best[i] = best[i].max(pieces);
            println!(
                "{round:>5} {precision:>9} {pieces:>10.0} {:>9.0} {peak:>13.0}",
                words as f64 / secs
            );
        }
    }
    println!("\nbest round, word pieces/s against f32:");
    for (precision, b) in PRECISIONS.iter().zip(best) {
        println!("{:>9} {b:>10.0}  x{:.2}", name(*precision), b / best[0]);
    }
    Ok(())
}

/// A precision as `--precision` spells it.
fn name(p: Precision) -> String {
    format!("{p:?}").to_lowercase()
}

/// Writes each document's text of the JSON lines `input` to `dir/ID.txt`; returns the
/// words (whitespace-separated) of all of them.
fn write_texts(input: &std::path::Path, dir: &std::path::Path) -> anyhow::Result<usize> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?; // no texts of an earlier corpus for the peer to read
    }
    std::fs::create_dir_all(dir)?;
    let mut words = 0;
    for line in std::fs::read_to_string(input)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        let (id, text) = (v["id"].as_str().unwrap_or("doc"), v["text"].as_str().unwrap_or(""));
        words += text.split_whitespace().count();
        std::fs::write(dir.join(format!("{}.txt", id.replace('/', "_"))), text)?;
    }
    Ok(words)
}
