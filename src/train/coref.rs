//! Training the event coreference head (`annalist train-event-coref`) on ECB+.
//!
//! The encoder stays as it is: each event trigger's hidden state is read once, and the
//! head learns on top of it. The reports are what the pipeline extracts from each topic
//! (the model's triggers, with their entities, dates and factuality), so the head learns
//! on the mentions it will meet; a pair is one event when both triggers match gold
//! mentions of one cluster ([`crate::eval::event_coref`]). Pairs are taken within a topic,
//! as in the evaluation; pairs that may never join ([`merge::may_join`]) are left out.
//!
//! The loss is binary cross-entropy over pairs.
//! After each epoch the dev topics are clustered as the pipeline clusters them, at a range
//! of thresholds; the epoch and threshold with the best CoNLL F1 are kept and written into
//! the model folder (`event_coref.safetensors`, and `"annalist"."event_coref"` in its
//! `config.json`), with a log line per epoch in `event_coref.log.jsonl`.

use crate::eval::coref::CorefCounts;
use crate::eval::ecb::{self, Topic};
use crate::eval::event_coref::{annotate, mention_offsets, Matching, Trigger, Triggers};
use crate::events::{merge, Event};
use crate::model::coref::{EventCoref, Feature, Features, Settings, WordVectors};
use crate::model::{Model, Options};
use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tch::{nn, nn::Module, nn::OptimizerConfig, Device, Kind, Tensor};

#[derive(Debug, Clone, serde::Serialize)]
pub struct CorefTrainOptions {
    /// A folder laid out like ../shared/data/ecbplus (train/ and dev/ topic folders).
    pub ecb: PathBuf,
    /// The model folder whose encoder the head reads; the head is written into it.
    pub model: PathBuf,
    pub dim: usize,
    pub hidden: usize,
    pub epochs: usize,
    pub learning_rate: f64,
    pub batch: usize,
    /// Dropout on the vector part of the scorer's input while training: one run per value,
    /// the best on dev kept; 1 reads no vector.
    pub dropout: Vec<f64>,
    pub seed: i64,
}

/// The share of training pairs, drawn anew in every batch, whose word evidence (same word,
/// same stem, word similarity) is hidden. ECB+ rewards matching words; without this the
/// scorer leans on them and keeps "planned engagement" and "scheduled to meet" apart.
const LEXICAL_DROP: f64 = 0.5;

/// The reports of one topic and how they match the gold.
struct TopicReports {
    topic: Topic,
    events: Vec<Event>,
    matching: Matching,
    /// Per report, the gold cluster of its mention (None: spurious or not selected).
    cluster: Vec<Option<usize>>,
}

/// Trains the head and writes it into the model folder; returns the best dev CoNLL F1.
pub fn train(opts: &CorefTrainOptions) -> Result<f64> {
    tch::manual_seed(opts.seed);
    let model = super::model_without(&opts.model, "event_coref")?;
    let run = Options::default();
    let split = |name: &str| -> Result<Vec<TopicReports>> {
        let names = topic_names(&opts.ecb.join(name))?;
        let topics = ecb::read(&opts.ecb, Some(&names))?;
        topics.into_iter().map(|t| reports(&model, run, t)).collect()
    };
    let train = split("train")?;
    let dev = split("dev")?;
    let words = Arc::new(WordVectors::load(
        &opts.model,
        &crate::model::read_config(&opts.model)?,
    )?);
    let hidden_size = train
        .iter()
        .flat_map(|t| &t.events)
        .map(|e| e.vector.len())
        .find(|&n| n > 0)
        .context("no event was found in the training topics")?;
    let pairs = pairs(&train, &words);
    let positives = pairs.iter().filter(|p| p.2).count();
    eprintln!(
        "train: {} topics, {} reports, {} pairs ({} one event); dev: {} topics, {} reports",
        train.len(),
        train.iter().map(|t| t.events.len()).sum::<usize>(),
        pairs.len(),
        positives,
        dev.len(),
        dev.iter().map(|t| t.events.len()).sum::<usize>()
    );
    let by_word: CorefCounts = dev.iter().map(|t| clusters_counts(t, &same_word(&t.events))).sum();
    eprintln!(
        "dev, the same reports grouped by their trigger word: CoNLL F1 {:.2}",
        100.0 * by_word.scores().conll
    );
    if positives == 0 {
        bail!(
            "no pair of reports in the training topics is one event; is {} ECB+?",
            opts.ecb.display()
        );
    }
    // Inputs as tensors: every report's hidden state, and each pair's features.
    let vectors: Vec<f32> = train
        .iter()
        .flat_map(|t| &t.events)
        .flat_map(|e| e.vector.clone())
        .collect();
    let n_reports = vectors.len() / hidden_size;
    let vectors = Tensor::from_slice(&vectors).view([n_reports as i64, hidden_size as i64]);
    let log_path = opts.model.join("event_coref.log.jsonl");
    let mut log = std::fs::File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
    let mut best: Option<(f64, f64, usize, f32)> = None;
    // 1 for the word evidence among the features, 0 for the rest.
    let lexical = Tensor::from_slice(&Feature::ALL.map(|x| {
        f32::from(u8::from(matches!(
            x,
            Feature::SameWord | Feature::SameStem | Feature::WordSimilarity
        )))
    }))
    .view([1, Feature::ALL.len() as i64]);
    for &dropout in &opts.dropout {
        tch::manual_seed(opts.seed);
        let vs = nn::VarStore::new(Device::Cpu);
        let features = Feature::ALL.len() as i64;
        let (dim, units) = (opts.dim as i64, opts.hidden as i64);
        let projection = nn::linear(vs.root() / "projection", hidden_size as i64, dim, Default::default());
        let hidden = nn::linear(vs.root() / "hidden", 2 * dim + features, units, Default::default());
        let out = nn::linear(vs.root() / "out", units, 1, Default::default());
        let mut adam = nn::AdamW::default().build(&vs, opts.learning_rate)?;
        // Dropout 1 reads no vector at all: the evidence alone, to see what the vectors add.
        let blind = dropout >= 1.0;
        for epoch in 1..=opts.epochs {
            let order = Tensor::randperm(pairs.len() as i64, (Kind::Int64, Device::Cpu));
            let order: Vec<i64> = Vec::<i64>::try_from(&order)?;
            let mut total = 0.0;
            for batch in order.chunks(opts.batch) {
                let pick = |f: &dyn Fn(&Pair) -> i64| -> Tensor {
                    Tensor::from_slice(&batch.iter().map(|&i| f(&pairs[i as usize])).collect::<Vec<_>>())
                };
                let a = pick(&|p| p.0 as i64);
                let b = pick(&|p| p.1 as i64);
                let y = Tensor::from_slice(
                    &batch
                        .iter()
                        .map(|&i| f32::from(u8::from(pairs[i as usize].2)))
                        .collect::<Vec<_>>(),
                );
                let f: Vec<f32> = batch.iter().flat_map(|&i| pairs[i as usize].3).collect();
                let f = Tensor::from_slice(&f).view([batch.len() as i64, features]);
                // Some pairs lose their word evidence ([`LEXICAL_DROP`]), so the scorer
                // learns what else makes two reports one event (entities, type, story).
                let dropped = Tensor::rand([batch.len() as i64, 1], (Kind::Float, Device::Cpu))
                    .lt(LEXICAL_DROP)
                    .to_kind(Kind::Float);
                let f = &f * (1.0 - &lexical * dropped);
                let unit = |x: Tensor| {
                    let x = projection.forward(&x);
                    let norm = x.norm_scalaropt_dim(2, [1], true).clamp_min(1e-6);
                    x / norm
                };
                let (ea, eb) = (unit(vectors.index_select(0, &a)), unit(vectors.index_select(0, &b)));
                // Dropout on the vectors' part: 25 topics teach their own words too well.
                let (product, difference) = if blind {
                    (ea.zeros_like(), eb.zeros_like())
                } else {
                    (
                        (&ea * &eb).dropout(dropout, true),
                        (&ea - &eb).abs().dropout(dropout, true),
                    )
                };
                let x = Tensor::cat(&[product, difference, f], 1);
                let logit = out.forward(&hidden.forward(&x).relu()).squeeze_dim(1);
                let loss = logit.binary_cross_entropy_with_logits::<&Tensor>(&y, None, None, tch::Reduction::Mean);
                adam.backward_step(&loss);
                total += loss.double_value(&[]) * batch.len() as f64;
            }
            if blind {
                // What the vectors would add is cut, so the head reads the evidence alone.
                tch::no_grad(|| {
                    let _ = hidden.ws.narrow(1, 0, 2 * dim).zero_();
                });
            }
            let head = head_of(
                &vs,
                Settings::new(opts.dim, opts.hidden, 0.5),
                hidden_size,
                words.clone(),
            )?;
            let (threshold, conll) = choose_threshold(&dev, head.clone());
            let loss = total / pairs.len() as f64;
            writeln!(
                log,
                "{}",
                serde_json::json!({"dropout": dropout, "epoch": epoch, "loss": loss, "dev_conll": conll, "threshold": threshold})
            )?;
            eprintln!(
                "dropout {dropout}, epoch {epoch}: loss {loss:.4}, dev CoNLL F1 {:.2} at threshold {threshold:.2}",
                100.0 * conll
            );
            if best.is_none_or(|(b, ..)| conll > b) {
                best = Some((conll, dropout, epoch, threshold));
                super::save_head(
                    &vs,
                    &opts.model,
                    crate::model::coref::FILE,
                    "event_coref",
                    Settings::new(opts.dim, opts.hidden, threshold),
                )?;
            }
        }
    }
    let (conll, dropout, epoch, threshold) = best.context("no epoch ran; give --epochs 1 or more")?;
    eprintln!("kept dropout {dropout}, epoch {epoch} (threshold {threshold:.2})");
    Ok(conll)
}

/// The topic folders (named by number) directly under `dir`.
fn topic_names(dir: &Path) -> Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| {
            format!(
                "reading {}: the ECB+ folder needs train/ and dev/ topic folders",
                dir.display()
            )
        })?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    Ok(names)
}

/// The reports the pipeline extracts from `topic` (not merged), with their hidden
/// states, and how they match the gold.
fn reports(model: &Model, opts: Options, topic: Topic) -> Result<TopicReports> {
    let docs = annotate(model, opts, &topic, Triggers::Predicted)?;
    let resolution = crate::resolve::resolve(&docs, None);
    let events: Vec<Event> = crate::events::extract(&docs, &resolution, crate::events::Dating::shipped())
        .into_iter()
        .filter(|e| !e.vector.is_empty())
        .collect();
    let triggers: Vec<Trigger> = events.iter().map(trigger).collect();
    let matching = Matching::new(&topic, &triggers);
    let offsets = mention_offsets(&topic);
    let mut cluster_of = HashMap::new();
    for (c, members) in topic.gold_clusters().into_iter().enumerate() {
        for (d, m) in members {
            cluster_of.insert(offsets[d] + m, c);
        }
    }
    let cluster = triggers
        .iter()
        .map(|t| {
            matching
                .gold
                .get(t)
                .copied()
                .flatten()
                .and_then(|g| cluster_of.get(&g).copied())
        })
        .collect();
    Ok(TopicReports {
        topic,
        events,
        matching,
        cluster,
    })
}

fn trigger(e: &Event) -> Trigger {
    (e.sources[0].doc.0, e.sources[0].trigger)
}

/// Every pair of reports of one topic that are both in the selected sentences and may
/// join: (report, report, one event, features), reports numbered across topics.
/// Two reports, whether they are one event, and their features.
type Pair = (usize, usize, bool, Features);

fn pairs(topics: &[TopicReports], words: &WordVectors) -> Vec<Pair> {
    let mut out = Vec::new();
    let mut base = 0;
    for t in topics {
        let stories = merge::Stories::of(&t.events);
        let meanings = merge::meanings(&t.events, Some(words));
        let reports: Vec<merge::Report> = t.events.iter().map(|e| merge::Report::of(e, &meanings)).collect();
        let selected: Vec<usize> = (0..t.events.len())
            .filter(|&i| t.matching.gold.contains_key(&trigger(&t.events[i])))
            .collect();
        for (k, &i) in selected.iter().enumerate() {
            for &j in &selected[k + 1..] {
                let (a, b) = (&reports[i], &reports[j]);
                if !merge::may_join(a, b) {
                    continue;
                }
                let same = t.cluster[i].is_some() && t.cluster[i] == t.cluster[j];
                let story = stories.similarity(a.doc(), b.doc());
                out.push((base + i, base + j, same, merge::features(a, b, story)));
            }
        }
        base += t.events.len();
    }
    out
}

/// The head with the weights in `vs`.
fn head_of(vs: &nn::VarStore, settings: Settings, hidden: usize, words: Arc<WordVectors>) -> Result<EventCoref> {
    let tensors: HashMap<String, Tensor> = vs.variables().into_iter().map(|(n, t)| (n, t.detach())).collect();
    EventCoref::from_tensors(&tensors, settings, hidden, words)
}

/// The threshold with the best dev CoNLL F1 when the dev topics' reports are clustered
/// as the pipeline clusters them, and that F1. The reports carry the encoder's hidden
/// states; they are compared by the head's vectors of them, as in the pipeline.
fn choose_threshold(dev: &[TopicReports], mut head: EventCoref) -> (f32, f64) {
    let dev: Vec<TopicReports> = dev
        .iter()
        .map(|t| TopicReports {
            topic: t.topic.clone(),
            events: t
                .events
                .iter()
                .map(|e| Event {
                    vector: head.embed(&e.vector),
                    ..e.clone()
                })
                .collect(),
            matching: t.matching.clone(),
            cluster: t.cluster.clone(),
        })
        .collect();
    (1..=48)
        .map(|k| k as f32 * 0.02)
        .map(|threshold| {
            head.settings.threshold = threshold;
            let counts: CorefCounts = dev.iter().map(|t| dev_counts(t, &head)).sum();
            (threshold, counts.scores().conll)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((0.5, 0.0))
}

/// Reports grouped by their lowercased trigger word: the baseline.
fn same_word(events: &[Event]) -> Vec<Vec<usize>> {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        groups.entry(e.trigger.to_lowercase()).or_default().push(i);
    }
    groups.into_values().collect()
}

fn dev_counts(t: &TopicReports, head: &EventCoref) -> CorefCounts {
    clusters_counts(t, &merge::cluster(&t.events, Some(head)))
}

fn clusters_counts(t: &TopicReports, clusters: &[Vec<usize>]) -> CorefCounts {
    let clusters: Vec<Vec<Trigger>> = clusters
        .iter()
        .map(|c| c.iter().map(|&i| trigger(&t.events[i])).collect())
        .collect();
    t.matching.counts(&t.topic, &clusters)
}
