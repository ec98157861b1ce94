//! `annalist batch` throughput on CPU: documents/s, sentences/s, word pieces/s and peak
//! memory at a few token budgets per forward pass (`--batch-tokens`), over the 256
//! news articles of TempEval-3 TBAQ-cleaned, through the whole pipeline (ingest,
//! sentences, NER, time, results written and synced).
//!
//! `cargo bench --bench batch [-- BUDGET...]`, each budget with the model seeing whole
//! documents (in windows, the default) and single sentences (`--scope sentence`). Peak RSS is reset between budgets
//! (Linux `clear_refs`), so each row's peak is its own. The corpus is read from
//! `../shared` beside the checkout; without it the bench says so and measures nothing.

mod common;

use annalist::model::{self, Model, Options, Scope};
use annalist::ner::Ner;

fn main() -> anyhow::Result<()> {
    let budgets: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let budgets = if budgets.is_empty() {
        vec![256, 1024, 4096]
    } else {
        budgets
    };
    let Some((tmp, input, docs)) = common::corpus()? else {
        return Ok(());
    };
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
        let (summary, secs, sentences, peak) = common::run_batch(&ner, &input, &tmp.path().join(format!("out{n}")))?;
        println!(
            "{:>9} {budget:>13} {:>8.1} {:>11.1} {:>10.0} {:>13.0}",
            format!("{scope:?}").to_lowercase(),
            summary.docs as f64 / secs,
            sentences as f64 / secs,
            summary.pieces as f64 / secs,
            peak
        );
    }
    Ok(())
}
