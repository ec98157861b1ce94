//! Training the multi-task model (`annalist train`): one encoder, fine-tuned at once on
//! CoNLL-2003 entities, UD trees and TimeML events. Every example is a window made as
//! at inference (whole documents, sentence-aligned cores, context margins); a batch
//! holds windows of one corpus and trains the heads that corpus annotates. AdamW with
//! linear warm-up and decay, the encoder at one learning rate and the heads at a
//! higher one; a checkpoint after every epoch (training resumes from it) and the best
//! epoch on the development data kept.

pub mod coref;
pub mod entity_coref;
pub mod time_links;

use crate::eval::conll::{predict, Corpus};
use crate::model::encode::{self, Window, CASE_TYPES};
use crate::model::heads::HeadSpec;
use crate::model::{read_config, Model, Options, Weights};
use crate::ner::labels::{conll_labels, Tag};
use crate::ner::Decoding;
use crate::parse::conllu::{Conllu, DEPREL, FORM, UPOS};
use crate::time::timeml::{GoldDoc, Modality};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;
use tch::{nn, nn::OptimizerConfig, Device, Kind, Reduction, Tensor};

/// Everything a training run depends on; written into the training log.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TrainOptions {
    /// Where training starts: a BERT-family encoder or an earlier model folder.
    pub base: PathBuf,
    pub ner_train: Option<PathBuf>,
    pub ner_valid: Option<PathBuf>,
    /// Names whose entities in the entity training data become organisations.
    pub ner_org: Vec<String>,
    pub ud_train: Vec<PathBuf>,
    pub ud_valid: Vec<PathBuf>,
    /// A TBAQ-cleaned folder (TimeBank/, AQUAINT/); every `holdout`-th file (in name
    /// order) is held out for model selection and reporting.
    pub timeml: Option<PathBuf>,
    pub holdout: usize,
    pub output: PathBuf,
    pub epochs: usize,
    /// Fraction of the CoNLL windows used each epoch (when starting from a trained
    /// entity tagger, a part suffices to keep it sharp).
    pub ner_fraction: f64,
    pub learning_rate: f64,
    pub head_learning_rate: f64,
    pub warmup: f64,
    pub weight_decay: f64,
    /// How often a window is shown without letter case.
    pub case_dropout: f64,
    pub batch_tokens: usize,
    pub window: usize,
    pub context: usize,
    pub seed: i64,
}

/// Which corpus an example comes from, and so which heads it trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Task {
    Ner,
    Ud,
    Events,
}

/// One window and its targets per owned word (-100: no target).
struct Example {
    task: Task,
    window: Window,
    /// Entity class (Ner), UPOS (Ud) or event class (Events).
    tag: Vec<i64>,
    /// Ud: head as 0 (root) or 1 + the owned index of the head word; Events: polarity.
    head: Vec<i64>,
    /// Ud: relation; Events: modality, tense and aspect, three per word.
    rel: Vec<i64>,
}

/// The label sets the heads are built with.
pub fn head_spec(ud: &[Conllu]) -> HeadSpec {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for c in ud {
        for s in &c.sentences {
            for w in s.words() {
                *counts.entry(w[DEPREL].clone()).or_default() += 1;
            }
        }
    }
    // Relations seen at least five times, most frequent first (`root` among them).
    let mut deprel: Vec<(String, usize)> = counts.into_iter().filter(|(r, n)| *n >= 5 && r != "_").collect();
    deprel.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    HeadSpec {
        upos: owned(&[
            "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
            "SCONJ", "SYM", "VERB", "X",
        ]),
        deprel: deprel.into_iter().map(|(r, _)| r).collect(),
        event: owned(&[
            "O",
            "OCCURRENCE",
            "REPORTING",
            "STATE",
            "I_ACTION",
            "I_STATE",
            "ASPECTUAL",
            "PERCEPTION",
        ]),
        polarity: owned(&["POS", "NEG"]),
        modality: owned(&[
            "none", "would", "could", "can", "may", "might", "must", "should", "other",
        ]),
        tense: owned(&[
            "NONE",
            "PAST",
            "PRESENT",
            "FUTURE",
            "INFINITIVE",
            "PRESPART",
            "PASTPART",
        ]),
        aspect: owned(&["NONE", "PERFECTIVE", "PROGRESSIVE", "PERFECTIVE_PROGRESSIVE"]),
        arc_dim: 256,
        rel_dim: 96,
    }
}

fn index_of(list: &[String], value: &str) -> Option<i64> {
    list.iter()
        .position(|l| l.eq_ignore_ascii_case(value))
        .map(|i| i as i64)
}

/// TimeML modality as the head predicts it: unmarked first, a word off the list last.
fn modality_class(spec: &HeadSpec, m: &Modality) -> i64 {
    match m.word() {
        None => 0,
        Some(m) => index_of(&spec.modality, m).unwrap_or(spec.modality.len() as i64 - 1),
    }
}

/// A document's windows, made as at inference (the whole document one context).
fn windows_of(model: &Model, sentences: &[Vec<&str>], win: Options) -> Vec<Window> {
    encode::doc_windows(&model.tokenizer, sentences, model.clamp(win)).0
}

fn ner_examples(model: &Model, corpus: &Corpus, as_org: &[String], win: Options) -> Vec<Example> {
    let labels = &model.labels;
    let class_of = |t: Tag| labels.iter().position(|l| Tag::parse(l) == t).unwrap_or(0) as i64;
    let mut out = Vec::new();
    for doc in corpus.documents() {
        let words: Vec<Vec<&str>> = doc
            .iter()
            .map(|s| s.iter().map(|&i| corpus.word(i)).collect())
            .collect();
        let flat: Vec<&str> = words.concat();
        let mut tags = corpus.gold_tags(&doc.concat());
        let relabelled = relabel_as_org(&mut tags, &flat, as_org);
        let gold: Vec<i64> = tags.into_iter().map(class_of).collect();
        for window in windows_of(model, &words, win) {
            let tag: Vec<i64> = window.owned.iter().map(|&(_, w)| gold[w]).collect();
            // A relabelled name goes against all the model learnt before: its windows
            // are shown ORG_REPEAT times.
            let shown = if window.owned.iter().any(|&(_, w)| relabelled.contains(&w)) {
                ORG_REPEAT
            } else {
                1
            };
            for _ in 0..shown {
                out.push(Example {
                    task: Task::Ner,
                    window: window.clone(),
                    tag: tag.clone(),
                    head: Vec::new(),
                    rel: Vec::new(),
                });
            }
        }
    }
    out
}

/// Makes the gold entities whose words spell one of `names` organisations. CoNLL-2003
/// tags "Kremlin" and "White House" as places wherever they occur, while news uses
/// them almost always for the government that sits there.
/// Returns the first words of the entities it changed.
fn relabel_as_org(tags: &mut [Tag], words: &[&str], names: &[String]) -> Vec<usize> {
    let mut changed = Vec::new();
    for (s, e, _) in crate::ner::labels::entities(tags) {
        if names.iter().any(|n| n.split(' ').eq(words[s..e].iter().copied())) {
            tags[s] = Tag::Begin(crate::ner::EntityType::ORG);
            tags[s + 1..e]
                .iter_mut()
                .for_each(|t| *t = Tag::Inside(crate::ner::EntityType::ORG));
            changed.push(s);
        }
    }
    changed
}

/// How often a window with a relabelled name is shown per epoch (before
/// `--ner-fraction` sampling).
const ORG_REPEAT: usize = 8;

fn ud_examples(model: &Model, spec: &HeadSpec, file: &Conllu, win: Options) -> Vec<Example> {
    let mut out = Vec::new();
    for range in file.documents() {
        let sentences = &file.sentences[range];
        let words: Vec<Vec<&str>> = sentences
            .iter()
            .map(|s| s.words().map(|w| w[FORM].as_str()).collect())
            .collect();
        // Per document word: UPOS, head as a document word index (None: root), relation.
        let mut gold: Vec<(i64, Option<usize>, i64)> = Vec::new();
        for s in sentences {
            let start = gold.len();
            let tree = s.tree();
            for (k, w) in s.words().enumerate() {
                let (head, rel) = match &tree {
                    Some(t) => (
                        if t[k].0 == 0 { None } else { Some(start + t[k].0 - 1) },
                        index_of(&spec.deprel, &t[k].1).unwrap_or(-100),
                    ),
                    None => (Some(usize::MAX), -100),
                };
                gold.push((index_of(&spec.upos, &w[UPOS]).unwrap_or(-100), head, rel));
            }
        }
        for window in windows_of(model, &words, win) {
            let slot: BTreeMap<usize, usize> = window.owned.iter().enumerate().map(|(i, &(_, w))| (w, i)).collect();
            let (mut tag, mut head, mut rel) = (Vec::new(), Vec::new(), Vec::new());
            for &(_, w) in &window.owned {
                let (upos, h, r) = gold[w];
                tag.push(upos);
                let target = match h {
                    None => Some(0),
                    Some(h) => slot.get(&h).map(|&i| i as i64 + 1),
                };
                head.push(target.unwrap_or(-100));
                rel.push(if target.is_some() { r } else { -100 });
            }
            out.push(Example {
                task: Task::Ud,
                window,
                tag,
                head,
                rel,
            });
        }
    }
    out
}

fn event_examples(model: &Model, spec: &HeadSpec, docs: &[GoldDoc], win: Options) -> Vec<Example> {
    let mut out = Vec::new();
    for doc in docs {
        let (_, spans) = crate::segment::sentence_words(&doc.text, &[crate::doc::Span::new(0, doc.text.len())]);
        let words: Vec<Vec<&str>> = spans
            .iter()
            .map(|s| s.iter().map(|w| w.of(&doc.text)).collect())
            .collect();
        let flat = spans.concat();
        // Per word: class, then polarity, modality, tense, aspect (-100 off events).
        let mut gold = vec![[0i64, -100, -100, -100, -100]; flat.len()];
        let mut next = 0;
        for e in &doc.events {
            while next < flat.len() && flat[next].end <= e.span.start {
                next += 1;
            }
            if next < flat.len() && flat[next].overlaps(e.span) {
                let a = &e.attrs;
                gold[next] = [
                    index_of(&spec.event, a.class.as_str()).unwrap_or(0),
                    index_of(&spec.polarity, a.polarity.as_str()).unwrap_or(0),
                    modality_class(spec, &a.modality),
                    index_of(&spec.tense, a.tense.as_str()).unwrap_or(0),
                    index_of(&spec.aspect, a.aspect.as_str()).unwrap_or(0),
                ];
            }
        }
        for window in windows_of(model, &words, win) {
            let g: Vec<[i64; 5]> = window.owned.iter().map(|&(_, w)| gold[w]).collect();
            let tag = g.iter().map(|x| x[0]).collect();
            let head = g.iter().map(|x| x[1]).collect();
            let rel = g.iter().flat_map(|x| x[2..].to_vec()).collect();
            out.push(Example {
                task: Task::Events,
                window,
                tag,
                head,
                rel,
            });
        }
    }
    out
}

/// Targets of a batch as `[batch, words]` (or `[batch, words, k]`) tensors, -100 padded.
fn targets(rows: &[&Vec<i64>], words: usize, per_word: usize, device: Device) -> Tensor {
    let mut v = vec![-100i64; rows.len() * words * per_word];
    for (b, r) in rows.iter().enumerate() {
        v[b * words * per_word..b * words * per_word + r.len()].copy_from_slice(r);
    }
    let t = Tensor::from_slice(&v).to_device(device);
    if per_word == 1 {
        t.view([rows.len() as i64, words as i64])
    } else {
        t.view([rows.len() as i64, words as i64, per_word as i64])
    }
}

/// Mean cross-entropy over the targets that are not -100; 0 when there are none (a
/// batch without events has no attribute targets), never NaN.
fn ce(logits: &Tensor, target: &Tensor) -> Tensor {
    let n = *logits.size().last().expect("logits have a class dimension");
    let target = target.reshape([-1]);
    let count = target.ne(-100).sum(Kind::Float).clamp_min(1.0);
    logits
        .reshape([-1, n])
        .to_kind(Kind::Float)
        .cross_entropy_loss::<Tensor>(&target, None, Reduction::Sum, -100, 0.0)
        / count
}

/// Loss of a batch of one task's examples; windows lose their case with probability
/// `case_dropout` (drawn from `rng`).
fn batch_loss(model: &Model, batch: &[&Example], case_dropout: f64, rng: &mut u64) -> Result<Tensor> {
    let windows: Vec<&Window> = batch.iter().map(|e| &e.window).collect();
    let t = model.batch(&windows);
    let device = t.ids.device();
    let keep: Vec<i64> = batch.iter().map(|_| i64::from(unit(rng) >= case_dropout)).collect();
    let types = &t.types * Tensor::from_slice(&keep).to_device(device).unsqueeze(1);
    let hidden = model.hidden(&t.ids, &types, &t.mask, true)?;
    let words = Model::word_vectors(&hidden, &t.positions);
    let tag = targets(&batch.iter().map(|e| &e.tag).collect::<Vec<_>>(), t.words, 1, device);
    let task = batch[0].task;
    if task == Task::Ner {
        return Ok(ce(&model.entity_logits(&words, true), &tag));
    }
    let heads = model
        .heads
        .as_ref()
        .context("training parse or event data needs the extra heads")?;
    let logits = heads.tags(&words, true);
    let head = targets(&batch.iter().map(|e| &e.head).collect::<Vec<_>>(), t.words, 1, device);
    Ok(match task {
        Task::Ud => {
            let arcs = heads.arcs(&words, &model.allowed_heads(&windows, t.words), true);
            let rels = heads.rels_at(&words, &head.clamp_min(0), true);
            let rel = targets(&batch.iter().map(|e| &e.rel).collect::<Vec<_>>(), t.words, 1, device);
            ce(&logits[0], &tag) + ce(&arcs, &head) + ce(&rels, &rel)
        }
        _ => {
            let attrs = targets(&batch.iter().map(|e| &e.rel).collect::<Vec<_>>(), t.words, 3, device);
            let mut loss = ce(&logits[1], &tag) + ce(&logits[2], &head);
            for k in 0..3 {
                loss += ce(&logits[3 + k], &attrs.select(2, k as i64));
            }
            loss
        }
    })
}

/// Development scores after an epoch.
#[derive(Debug, Default, serde::Serialize)]
struct DevScores {
    ner_f1: Option<f64>,
    ner_f1_without_case: Option<f64>,
    las: Vec<f64>,
    event_f1: Option<f64>,
    event_class_f1: Option<f64>,
}

impl DevScores {
    fn is_empty(&self) -> bool {
        self.ner_f1.is_none() && self.las.is_empty() && self.event_f1.is_none()
    }

    /// The mean of the scores there are: the model selection criterion.
    fn mean(&self) -> f64 {
        let v: Vec<f64> = self
            .ner_f1
            .iter()
            .chain(&self.las)
            .chain(&self.event_f1)
            .copied()
            .collect();
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    }
}

/// Trains, evaluating after each epoch; the best epoch is saved to `output` (F16), the
/// latest to `output/checkpoint` (F32), from which a new run with the same options
/// resumes. Returns the best development mean.
pub fn train(opts: &TrainOptions, device: Device) -> Result<f64> {
    tch::manual_seed(opts.seed);
    let ud_train: Vec<Conllu> = opts.ud_train.iter().map(|p| Conllu::read(p)).collect::<Result<_>>()?;
    let ud_valid: Vec<Conllu> = opts.ud_valid.iter().map(|p| Conllu::read(p)).collect::<Result<_>>()?;
    let (tml_train, tml_held) = match &opts.timeml {
        Some(dir) => crate::eval::events::split(dir, opts.holdout)?,
        None => (Vec::new(), Vec::new()),
    };
    let multi = !ud_train.is_empty() || !tml_train.is_empty();
    let checkpoint = opts.output.join("checkpoint");
    let progress = checkpoint.join("progress.json");
    let (start_dir, first_epoch, mut best) = match std::fs::read_to_string(&progress) {
        Ok(text) => {
            let p: serde_json::Value =
                serde_json::from_str(&text).with_context(|| format!("{}", progress.display()))?;
            let epoch = p["epoch"].as_u64().unwrap_or(0) as usize;
            eprintln!("train: resuming after epoch {epoch} from {}", checkpoint.display());
            (
                checkpoint.clone(),
                epoch + 1,
                p["best"].as_f64().unwrap_or(f64::NEG_INFINITY),
            )
        }
        Err(_) => (opts.base.clone(), 1, f64::NEG_INFINITY),
    };
    let mut config = read_config(&start_dir)?;
    if config.get("id2label").is_none() || first_epoch == 1 && opts.ner_train.is_some() && !has_conll_labels(&config) {
        let labels = conll_labels();
        config["id2label"] = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (i.to_string(), serde_json::Value::from(l.as_str())))
            .collect();
        config["label2id"] = labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.clone(), serde_json::Value::from(i)))
            .collect();
    }
    config["architectures"] = serde_json::json!(["BertForTokenClassification"]);
    if multi && config.get("annalist").is_none() {
        config["type_vocab_size"] = serde_json::json!(CASE_TYPES);
        config["annalist"] = serde_json::json!({"case_types": true, "heads": head_spec(&ud_train)});
    }
    let mut model = Model::build(&start_dir, config, device, Weights::Start)?;
    let win = Options {
        window: opts.window,
        context: opts.context,
        ..Default::default()
    };

    let ner_train = opts.ner_train.as_deref().map(Corpus::read).transpose()?;
    let ner_valid = opts.ner_valid.as_deref().map(Corpus::read).transpose()?;
    let mut examples = Vec::new();
    if let Some(c) = &ner_train {
        examples.extend(ner_examples(&model, c, &opts.ner_org, win));
    }
    if let Some(h) = &model.heads {
        for f in &ud_train {
            examples.extend(ud_examples(&model, &h.spec, f, win));
        }
        examples.extend(event_examples(&model, &h.spec, &tml_train, win));
    }
    if examples.is_empty() {
        bail!("no training data: pass --ner-train, --ud-train or --timeml");
    }
    let count = |t: Task| examples.iter().filter(|e| e.task == t).count();
    eprintln!(
        "train: windows: {} CoNLL, {} UD, {} TimeML",
        count(Task::Ner),
        count(Task::Ud),
        count(Task::Events)
    );

    // Encoder variables in group 0, the heads (new) in group 1.
    let mut opt = nn::AdamW {
        wd: opts.weight_decay,
        ..Default::default()
    }
    .build(&model.vs, opts.learning_rate)?;
    std::fs::create_dir_all(&opts.output).with_context(|| format!("creating {}", opts.output.display()))?;
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(opts.output.join("train.log.jsonl"))
        .with_context(|| format!("creating the training log in {}", opts.output.display()))?;
    writeln!(
        log,
        "{}",
        serde_json::json!({"options": opts, "start": start_dir, "first_epoch": first_epoch})
    )?;

    let started = Instant::now();
    for epoch in first_epoch..=opts.epochs {
        // Each epoch draws from its own seed, so a resumed run samples as an unbroken one.
        let mut rng = (opts.seed as u64 ^ 0x5EED).wrapping_add((epoch as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let batches = epoch_batches(&examples, opts, &mut rng);
        let mut total = 0.0;
        for (k, batch) in batches.iter().enumerate() {
            let batch: Vec<&Example> = batch.iter().map(|&i| &examples[i]).collect();
            let loss = batch_loss(&model, &batch, opts.case_dropout, &mut rng)?;
            let value = loss.double_value(&[]);
            if !value.is_finite() {
                eprintln!("epoch {epoch} batch {}: loss {value}, step skipped", k + 1);
                continue;
            }
            // Warm-up then linear decay over the whole run, by how far through it we are.
            let at = ((epoch - 1) as f64 + k as f64 / batches.len() as f64) / opts.epochs as f64;
            let rate = if at < opts.warmup {
                at / opts.warmup
            } else {
                ((1.0 - at) / (1.0 - opts.warmup).max(1e-9)).max(0.0)
            };
            // The heads (group 1) learn faster than the pre-trained encoder (group 0).
            opt.set_lr_group(0, opts.learning_rate * rate);
            if model.heads.is_some() {
                opt.set_lr_group(1, opts.head_learning_rate * rate);
            }
            opt.backward_step_clip_norm(&loss, 5.0);
            total += value;
            if k % 50 == 49 {
                eprintln!(
                    "epoch {epoch} batch {}/{}: loss {:.4}, {:.0}s",
                    k + 1,
                    batches.len(),
                    total / (k + 1) as f64,
                    started.elapsed().as_secs_f64()
                );
            }
        }
        let dev = evaluate(&mut model, ner_valid.as_ref(), &ud_valid, &tml_held, win)?;
        let mean = dev.mean();
        let line = serde_json::json!({"epoch": epoch, "loss": total / batches.len().max(1) as f64, "dev": dev, "dev_mean": mean, "seconds": started.elapsed().as_secs()});
        writeln!(log, "{line}")?;
        eprintln!("epoch {epoch}: {line}");
        // Without development data, the latest epoch is the one kept.
        if mean > best || dev.is_empty() {
            best = mean;
            model.save(&opts.base, &opts.output)?;
            eprintln!("saved {} (dev mean {mean:.2})", opts.output.display());
        }
        model.save_as(&opts.base, &checkpoint, Kind::Float)?;
        std::fs::write(&progress, serde_json::json!({"epoch": epoch, "best": best}).to_string())?;
    }
    Ok(best)
}

fn has_conll_labels(config: &serde_json::Value) -> bool {
    config
        .get("id2label")
        .and_then(|m| m.as_object())
        .is_some_and(|m| m.len() == conll_labels().len())
}

/// The batches of one epoch: each task's windows (CoNLL subsampled) packed by length,
/// then all batches shuffled together.
fn epoch_batches(examples: &[Example], opts: &TrainOptions, rng: &mut u64) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for task in [Task::Ner, Task::Ud, Task::Events] {
        let chosen: Vec<usize> = (0..examples.len())
            .filter(|&i| examples[i].task == task)
            .filter(|_| task != Task::Ner || unit(rng) < opts.ner_fraction)
            .collect();
        let lengths: Vec<usize> = chosen.iter().map(|&i| examples[i].window.ids.len()).collect();
        out.extend(
            encode::pack(&lengths, opts.batch_tokens)
                .into_iter()
                .map(|b| b.into_iter().map(|k| chosen[k]).collect::<Vec<_>>()),
        );
    }
    shuffle(&mut out, rng);
    out
}

fn evaluate(
    model: &mut Model,
    ner: Option<&Corpus>,
    ud: &[Conllu],
    tml: &[GoldDoc],
    win: Options,
) -> Result<DevScores> {
    let mut dev = DevScores::default();
    if let Some(c) = ner {
        dev.ner_f1 = Some(c.score_predictions(&predict(model, c, win, Decoding::Viterbi)?)?.f1());
        if model.case_types {
            model.case_types = false;
            let without = predict(model, c, win, Decoding::Viterbi);
            model.case_types = true;
            dev.ner_f1_without_case = Some(c.score_predictions(&without?)?.f1());
        }
    }
    let model = &*model;
    if model.heads.is_some() {
        for f in ud {
            dev.las.push(crate::eval::ud::evaluate(model, f, win)?.las_pct());
        }
        if !tml.is_empty() {
            let s = crate::eval::events::evaluate(model, tml, win)?;
            dev.event_f1 = Some(s.relaxed_f1());
            dev.event_class_f1 = Some(s.class_f1());
        }
    }
    Ok(dev)
}

/// A uniform draw in [0, 1) from splitmix64.
fn unit(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// Fisher-Yates: reproducible batch order without another dependency.
fn shuffle<T>(v: &mut [T], state: &mut u64) {
    for i in (1..v.len()).rev() {
        let j = (unit(state) * (i + 1) as f64) as usize;
        v.swap(i, j.min(i));
    }
}

/// The model of folder `dir` on the CPU without its head `key` (`"annalist".key` of
/// `config.json`): a head is trained on the encoder's hidden states, not on an older
/// head's outputs, whose settings may not even fit this annalist.
fn model_without(dir: &std::path::Path, key: &str) -> Result<Model> {
    let mut config = read_config(dir)?;
    if let Some(extra) = config.get_mut("annalist").and_then(|a| a.as_object_mut()) {
        extra.remove(key);
    }
    Model::build(dir, config, Device::Cpu, Weights::Complete)
}

/// Writes a head's weights (`file`) and settings (`"annalist".key` of `config.json`)
/// into the model folder `dir`.
fn save_head(
    vs: &nn::VarStore,
    dir: &std::path::Path,
    file: &str,
    key: &str,
    settings: impl serde::Serialize,
) -> Result<()> {
    let mut named: Vec<(String, Tensor)> = vs.variables().into_iter().collect();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    let path = dir.join(file);
    Tensor::write_safetensors(&named, &path).with_context(|| format!("writing {}", path.display()))?;
    let mut config = read_config(dir)?;
    let extra = config
        .as_object_mut()
        .context("config.json is not an object")?
        .entry("annalist")
        .or_insert_with(|| serde_json::json!({}));
    extra
        .as_object_mut()
        .context("config.json: \"annalist\" is not an object")?
        .insert(key.into(), serde_json::to_value(settings)?);
    let path = dir.join("config.json");
    std::fs::write(&path, serde_json::to_string_pretty(&config)? + "\n")
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::EntityType::{LOC, ORG, PER};

    #[test]
    fn gold_modality_maps_to_the_head_s_list() {
        let spec = head_spec(&[]);
        let class = |word: &str| modality_class(&spec, &Modality::new(word));
        assert_eq!(
            [class(""), class("NONE"), class("Would"), class("have to")],
            [0, 0, 1, spec.modality.len() as i64 - 1],
            "unmarked first, any case, a word off the list as other"
        );
    }

    #[test]
    fn listed_names_become_organisations_and_nothing_else_changes() {
        let words = ["the", "White", "House", "and", "the", "Kremlin", "met", "White"];
        let mut tags = vec![
            Tag::Outside,
            Tag::Begin(LOC),
            Tag::Inside(LOC),
            Tag::Outside,
            Tag::Outside,
            Tag::Begin(LOC),
            Tag::Outside,
            Tag::Begin(PER),
        ];
        assert_eq!(
            relabel_as_org(&mut tags, &words, &["Kremlin".into(), "White House".into()]),
            [1, 5]
        );
        assert_eq!(tags[1..3], [Tag::Begin(ORG), Tag::Inside(ORG)]);
        assert_eq!(tags[5], Tag::Begin(ORG));
        assert_eq!(tags[7], Tag::Begin(PER), "a part of a name is not the name");
    }
}
