//! Fine-tuning a token classifier on CoNLL-format annotations (`annalist train ner`):
//! document windows as in inference, AdamW with linear warm-up and decay, the best
//! epoch on the development file kept.

use super::labels::{conll_labels, Tag};
use super::model::{read_config, NerModel, Weights};
use super::NerOptions;
use crate::eval::conll::{predict, Corpus};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;
use tch::{nn, nn::OptimizerConfig, Device, Kind, Reduction, Tensor};

/// Everything a training run depends on; written into the model card.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TrainOptions {
    /// A BERT-family encoder folder (config.json, vocab, model.safetensors).
    pub base: PathBuf,
    pub train: PathBuf,
    pub valid: PathBuf,
    pub output: PathBuf,
    pub epochs: usize,
    pub learning_rate: f64,
    /// Fraction of the steps spent warming the learning rate up from zero.
    pub warmup: f64,
    pub weight_decay: f64,
    /// Padded pieces per optimisation step.
    pub batch_tokens: usize,
    pub window: usize,
    pub context: usize,
    pub seed: i64,
}

/// One training example: a window and the gold class of each word it owns.
struct Example {
    window: super::encode::Window,
    labels: Vec<i64>,
}

/// Trains, evaluating on `valid` after each epoch and saving the best model.
/// Returns the best development F1.
pub fn train(opts: &TrainOptions, device: Device) -> Result<f64> {
    tch::manual_seed(opts.seed);
    let labels = conll_labels();
    let mut config = read_config(&opts.base)?;
    config["id2label"] = labels.iter().enumerate().map(|(i, l)| (i.to_string(), serde_json::Value::from(l.as_str()))).collect();
    config["label2id"] = labels.iter().enumerate().map(|(i, l)| (l.clone(), serde_json::Value::from(i))).collect();
    config["architectures"] = serde_json::json!(["BertForTokenClassification"]);
    let model = NerModel::build(&opts.base, config, device, Weights::EncoderOnly)?;
    let win = NerOptions { window: opts.window, context: opts.context, ..Default::default() };

    let train = Corpus::read(&opts.train)?;
    let valid = Corpus::read(&opts.valid)?;
    let examples = examples(&model, &train, win);
    let lengths: Vec<usize> = examples.iter().map(|e| e.window.ids.len()).collect();
    let batches = super::encode::pack(&lengths, opts.batch_tokens);
    let steps = opts.epochs * batches.len();
    eprintln!("train: {} windows in {} batches per epoch, {} steps", examples.len(), batches.len(), steps);

    let mut opt = nn::AdamW { wd: opts.weight_decay, ..Default::default() }.build(&model.vs, opts.learning_rate)?;
    let mut log = std::fs::File::create(opts.output.with_extension("log.jsonl"))
        .with_context(|| format!("creating the training log next to {}", opts.output.display()))?;
    let (mut step, mut best) = (0usize, f64::NEG_INFINITY);
    let mut order: Vec<usize> = (0..batches.len()).collect();
    let mut rng = opts.seed as u64;
    let started = Instant::now();
    for epoch in 1..=opts.epochs {
        shuffle(&mut order, &mut rng);
        let mut total = 0.0;
        for (k, &b) in order.iter().enumerate() {
            let batch: Vec<&Example> = batches[b].iter().map(|&i| &examples[i]).collect();
            let loss = batch_loss(&model, &batch)?;
            let warm = (opts.warmup * steps as f64).max(1.0);
            let rate = if (step as f64) < warm { step as f64 / warm } else { (steps - step) as f64 / (steps as f64 - warm).max(1.0) };
            opt.set_lr(opts.learning_rate * rate);
            opt.backward_step_clip_norm(&loss, 1.0);
            total += loss.double_value(&[]);
            step += 1;
            if k % 20 == 19 {
                eprintln!("epoch {epoch} batch {}/{}: loss {:.4}, {:.0}s", k + 1, order.len(), total / (k + 1) as f64, started.elapsed().as_secs_f64());
            }
        }
        let score = valid.score_predictions(&predict(&model, &valid, win)?)?;
        let f1 = score.f1();
        let line = serde_json::json!({"epoch": epoch, "loss": total / order.len() as f64, "valid_f1": f1, "seconds": started.elapsed().as_secs()});
        writeln!(log, "{line}")?;
        eprintln!("epoch {epoch}: {line}\n{score}");
        if f1 > best {
            best = f1;
            model.save(&opts.base, &opts.output)?;
            eprintln!("saved {} (valid F1 {f1:.2})", opts.output.display());
        }
    }
    Ok(best)
}

/// Windows over each training document, with the class of every owned word.
fn examples(model: &NerModel, corpus: &Corpus, win: NerOptions) -> Vec<Example> {
    let docs = corpus.documents();
    let words: Vec<Vec<&str>> = docs.iter().map(|d| d.iter().map(|&i| corpus.word(i)).collect()).collect();
    let gold: Vec<Vec<i64>> = docs
        .iter()
        .map(|d| {
            corpus.gold_tags(d).iter().map(|t| class_of(&model.tags, *t)).collect()
        })
        .collect();
    model
        .windows(&words, win)
        .into_iter()
        .map(|window| {
            let labels = window.owned.iter().map(|&(_, w)| gold[window.unit][w]).collect();
            Example { window, labels }
        })
        .collect()
}

fn class_of(tags: &[Tag], tag: Tag) -> i64 {
    tags.iter().position(|t| *t == tag).unwrap_or(0) as i64
}

/// Mean cross-entropy over the first pieces of the words the windows own.
fn batch_loss(model: &NerModel, batch: &[&Example]) -> Result<Tensor> {
    let windows: Vec<&super::encode::Window> = batch.iter().map(|e| &e.window).collect();
    let (ids, mask) = model.batch_tensors(&windows);
    let width = ids.size()[1] as usize;
    let mut target = vec![-100i64; batch.len() * width];
    for (b, e) in batch.iter().enumerate() {
        for (&(pos, _), &label) in e.window.owned.iter().zip(&e.labels) {
            target[b * width + pos] = label;
        }
    }
    let target = Tensor::from_slice(&target).to_device(ids.device());
    let logits = model.logits(&ids, &mask, true)?;
    let n = model.labels.len() as i64;
    Ok(logits.view([-1, n]).to_kind(Kind::Float).cross_entropy_loss::<Tensor>(&target, None, Reduction::Mean, -100, 0.0))
}

/// Fisher-Yates with splitmix64: reproducible batch order without another dependency.
fn shuffle(v: &mut [usize], state: &mut u64) {
    for i in (1..v.len()).rev() {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        let j = ((z ^ (z >> 31)) % (i as u64 + 1)) as usize;
        v.swap(i, j);
    }
}
