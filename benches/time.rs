//! Throughput of the temporal tagger on the TempEval-3 TBAQ-cleaned texts, in
//! documents/s and characters/s (criterion reports both as elem/s).
//!
//! The corpus is read from `../shared` beside the checkout; without it the bench says
//! so and measures nothing.

use annalist::eval::timeml::tbaq_files;
use annalist::time::{tag, timeml};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/tempeval3/TBAQ-cleaned");

/// The gold documents of TimeBank and AQUAINT; files that fail to read are skipped.
fn corpus() -> Vec<timeml::GoldDoc> {
    tbaq_files(Path::new(CORPUS))
        .iter()
        .filter_map(|p| timeml::read(p).ok())
        .collect()
}

fn tag_corpus(c: &mut Criterion) {
    let docs = corpus();
    if docs.is_empty() {
        eprintln!("bench time: no TimeML files under {CORPUS}; skipping");
        return;
    }
    let chars: usize = docs.iter().map(|d| d.text.chars().count()).sum();
    let run = || {
        for d in &docs {
            black_box(tag(black_box(&d.text), d.dct.as_ref()));
        }
    };
    let mut group = c.benchmark_group(format!("time::tag TBAQ ({} docs, {chars} chars)", docs.len()));
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(docs.len() as u64));
    group.bench_function("documents", |b| b.iter(run));
    group.throughput(Throughput::Elements(chars as u64));
    group.bench_function("characters", |b| b.iter(run));
    group.finish();
}

criterion_group!(benches, tag_corpus);
criterion_main!(benches);
