//! Training the entity coreference head (`annalist train-entity-coref`) on the
//! `Entity=` chains of GUM-style CoNLL-U files.
//!
//! The encoder stays as it is: each document runs through the model once, on its gold
//! words and sentences, and the candidate words (those the UPOS head calls a noun,
//! proper noun or pronoun, as at inference) keep their hidden states. A candidate's gold
//! antecedents are the earlier candidates, within the window, that head a mention of
//! its chain; a candidate with none (a first mention, a singleton, a word that is no
//! mention) has "none" as its answer. The loss is the negative log of the probability
//! the scores give to all of its right answers together (Dobrovolskii 2021), one
//! document per step. Beside it, a cross-entropy loss teaches the kind scores the GUM
//! type of the mention each candidate heads (every mention, singletons included).
//!
//! After each epoch the dev documents are decoded as the pipeline decodes them
//! ([`crate::chains::antecedents`]) at a range of thresholds and scored as `eval coref`
//! scores chains; the best epoch, at the best threshold or at the one given, is written
//! into the model folder
//! (`entity_coref.safetensors`, `"annalist"."entity_coref"` in `config.json`) with a
//! log line per epoch in `entity_coref.log.jsonl`.

use crate::chains::{best_antecedents, chains, cut, Candidate};
use crate::doc::Span;
use crate::eval::coref::CorefCounts;
use crate::eval::entity_coref::{self, EntityCorefReport, GoldDoc};
use crate::model::entity_coref::{EntityCoref, MentionKind, Settings, BUCKETS, CANDIDATE_UPOS};
use crate::model::heads::TAG_HEADS;
use crate::model::{Model, Options, Vectors};
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use tch::{nn, nn::OptimizerConfig, Device, Kind, Tensor};

#[derive(Debug, Clone)]
pub struct EntityCorefTrainOptions {
    /// CoNLL-U files with `Entity=` chains: training and development.
    pub train: Vec<PathBuf>,
    pub dev: Vec<PathBuf>,
    /// The model folder whose encoder the head reads; the head is written into it.
    pub model: PathBuf,
    pub dim: usize,
    pub window: usize,
    pub epochs: usize,
    pub learning_rate: f64,
    /// Dropout on the hidden states while training.
    pub dropout: f64,
    /// The threshold to ship; None: the one with the best dev CoNLL F1.
    pub threshold: Option<f32>,
    pub seed: i64,
}

/// One document's candidates: their hidden states and what the loss and the dev score
/// need of them.
struct Doc {
    gold: GoldDoc,
    /// `[candidates, hidden]`.
    hidden: Tensor,
    /// Per candidate: its word, sentence and lowercased form.
    words: Vec<usize>,
    sentences: Vec<usize>,
    forms: Vec<String>,
    /// Whether the UPOS head calls it a pronoun.
    pronouns: Vec<bool>,
    /// Per candidate, the gold chain it heads a mention of (-1: none).
    chains: Vec<i64>,
    /// Per candidate, the [`MentionKind`] (index in [`MentionKind::ALL`]) of the mention it heads (-1: none).
    kinds: Vec<i64>,
}

/// Trains the head and writes it into the model folder; returns the best dev CoNLL F1.
pub fn train(opts: &EntityCorefTrainOptions) -> Result<f64> {
    tch::manual_seed(opts.seed);
    let model = super::model_without(&opts.model, "entity_coref")?;
    let read = |files: &[PathBuf]| -> Result<Vec<Doc>> {
        let mut gold = Vec::new();
        for f in files {
            gold.extend(entity_coref::read_file(f)?);
        }
        candidates(&model, gold)
    };
    let train = read(&opts.train)?;
    let dev = read(&opts.dev)?;
    let hidden = train
        .iter()
        .map(|d| d.hidden.size()[1])
        .next()
        .context("no training document")?;
    eprintln!(
        "train: {} documents, {} candidates ({} in gold chains); dev: {} documents",
        train.len(),
        train.iter().map(|d| d.words.len()).sum::<usize>(),
        train.iter().flat_map(|d| &d.chains).filter(|&&c| c >= 0).count(),
        dev.len()
    );
    let vs = nn::VarStore::new(Device::Cpu);
    let root = vs.root();
    let dim = opts.dim as i64;
    let kinds = MentionKind::ALL.len() as i64;
    let projection = nn::linear(&root / "projection", hidden, 1 + 2 * dim + kinds, Default::default());
    let distance = root.zeros("distance", &[BUCKETS as i64]);
    let same_form = root.zeros("same_form", &[1]);
    let same_pronoun = root.zeros("same_pronoun", &[1]);
    let same_sentence = root.zeros("same_sentence", &[1]);
    let mut adam = nn::AdamW::default().build(&vs, opts.learning_rate)?;
    let log_path = opts.model.join("entity_coref.log.jsonl");
    let mut log = std::fs::File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
    let mut best: Option<(f64, usize, f32)> = None;
    for epoch in 1..=opts.epochs {
        let order = Vec::<i64>::try_from(&Tensor::randperm(train.len() as i64, (Kind::Int64, Device::Cpu)))?;
        let mut total = 0.0;
        for &d in &order {
            let doc = &train[d as usize];
            let p = doc.hidden.dropout(opts.dropout, true).apply(&projection);
            let weights = PairWeights {
                distance: &distance,
                same_form: &same_form,
                same_pronoun: &same_pronoun,
                same_sentence: &same_sentence,
            };
            let scores = pair_scores(doc, &p, dim, opts.window, &weights);
            let loss = loss(doc, &scores, opts.window) + kind_loss(doc, &p.narrow(1, 1 + 2 * dim, kinds));
            adam.backward_step(&loss);
            total += loss.double_value(&[]);
        }
        let settings = Settings {
            dim: opts.dim,
            kinds: kind_names(),
            window: opts.window,
            threshold: 0.0,
        };
        let tensors: HashMap<String, Tensor> = vs.variables().into_iter().map(|(n, t)| (n, t.detach())).collect();
        let head = EntityCoref::from_tensors(&tensors, settings, hidden as usize, Device::Cpu)?;
        let projected: Vec<Vec<f32>> = dev
            .iter()
            .map(|d| crate::model::heads::to_vec_f32(&tch::no_grad(|| head.project(&d.hidden))))
            .collect::<Result<_>>()?;
        let kinds_right = kind_accuracy(&dev, &projected, &head);
        let scores = dev_scores(&dev, &projected, &head, opts.threshold);
        let (best_threshold, best_conll) = scores
            .iter()
            .copied()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .context("thresholds tried")?;
        let (threshold, conll) = match opts.threshold {
            Some(t) => scores
                .iter()
                .copied()
                .find(|s| s.0 == t)
                .context("the fixed threshold is scored")?,
            None => (best_threshold, best_conll),
        };
        let loss = total / train.len() as f64;
        writeln!(
            log,
            "{}",
            serde_json::json!({"epoch": epoch, "loss": loss, "dev_conll": conll, "threshold": threshold,
                "best_dev_conll": best_conll, "best_threshold": best_threshold, "dev_kind_accuracy": kinds_right})
        )?;
        eprintln!(
            "epoch {epoch}: loss {loss:.4}, dev CoNLL F1 {:.2} at threshold {threshold:.2} (best {:.2} at {best_threshold:.2}), kinds {:.2}% right",
            100.0 * conll,
            100.0 * best_conll,
            100.0 * kinds_right
        );
        if best.is_none_or(|(b, ..)| conll > b) {
            best = Some((conll, epoch, threshold));
            let settings = Settings {
                dim: opts.dim,
                kinds: kind_names(),
                window: opts.window,
                threshold,
            };
            super::save_head(
                &vs,
                &opts.model,
                crate::model::entity_coref::FILE,
                "entity_coref",
                settings,
            )?;
        }
    }
    let (conll, epoch, threshold) = best.context("no epoch ran; give --epochs 1 or more")?;
    eprintln!("kept epoch {epoch} (threshold {threshold:.2})");
    Ok(conll)
}

/// Runs the model over each gold document's words and keeps its candidates.
fn candidates(model: &Model, gold: Vec<GoldDoc>) -> Result<Vec<Doc>> {
    let spec = &model
        .heads
        .as_ref()
        .context("the model has no UPOS head; train the entity coreference head on an annalist model")?
        .spec;
    let is_candidate: Vec<bool> = spec.upos.iter().map(|u| CANDIDATE_UPOS.contains(&u.as_str())).collect();
    let upos = TAG_HEADS.iter().position(|h| *h == "upos").expect("a UPOS head");
    let pronoun = spec.upos.iter().position(|u| u == "PRON").map(|p| p as u16);
    let opts = Options {
        grammar: true,
        vectors: Vectors::All,
        ..Options::default()
    };
    let sentences: Vec<Vec<usize>> = gold.iter().map(sentence_of_words).collect();
    let grouped: Vec<Vec<Vec<Span>>> = gold
        .iter()
        .zip(&sentences)
        .map(|(g, s)| {
            let mut out: Vec<Vec<Span>> = Vec::new();
            for (w, &k) in g.words.iter().zip(s) {
                if out.len() <= k {
                    out.push(Vec::new());
                }
                out[k].push(*w);
            }
            out
        })
        .collect();
    let inputs: Vec<(&str, &[Vec<Span>])> = gold
        .iter()
        .zip(&grouped)
        .map(|(g, s)| (g.text.as_str(), s.as_slice()))
        .collect();
    let outputs = model.run_spans(&inputs, opts)?;
    let mut docs = Vec::new();
    for ((g, out), sentence) in gold.into_iter().zip(outputs).zip(sentences) {
        let chain_of = chain_heads(&g);
        let kind_of = kind_heads(&g);
        let words: Vec<usize> = (0..g.words.len())
            .filter(|&w| {
                crate::chains::may_mention(g.words[w].of(&g.text))
                    && out
                        .tags
                        .get(w)
                        .is_some_and(|t| is_candidate.get(t[upos].label as usize) == Some(&true))
            })
            .collect();
        if words.is_empty() {
            continue;
        }
        let hidden: Vec<f32> = words.iter().flat_map(|&w| out.vectors[w].iter().copied()).collect();
        let width = out.vectors[words[0]].len() as i64;
        docs.push(Doc {
            hidden: Tensor::from_slice(&hidden).view([words.len() as i64, width]),
            sentences: words.iter().map(|&w| sentence[w]).collect(),
            forms: words.iter().map(|&w| g.words[w].of(&g.text).to_lowercase()).collect(),
            pronouns: words
                .iter()
                .map(|&w| pronoun.is_some_and(|p| out.tags[w][upos].label == p))
                .collect(),
            chains: words
                .iter()
                .map(|w| chain_of.get(w).map_or(-1, |&c| c as i64))
                .collect(),
            kinds: words.iter().map(|w| kind_of.get(w).map_or(-1, |&k| k as i64)).collect(),
            words,
            gold: g,
        });
    }
    Ok(docs)
}

/// The sentence of each word: sentences are the lines of the rebuilt text.
fn sentence_of_words(g: &GoldDoc) -> Vec<usize> {
    let mut s = 0;
    let mut last = 0;
    g.words
        .iter()
        .map(|w| {
            if g.text.get(last..w.start).is_some_and(|between| between.contains('\n')) {
                s += 1;
            }
            last = last.max(w.end);
            s
        })
        .collect()
}

/// The chain of every word that heads a mention of an entity mentioned twice or more.
fn chain_heads(g: &GoldDoc) -> HashMap<usize, usize> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for m in &g.mentions {
        *count.entry(m.entity.as_str()).or_default() += 1;
    }
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut out = HashMap::new();
    for m in &g.mentions {
        if count[m.entity.as_str()] < 2 {
            continue;
        }
        let n = ids.len();
        let id = *ids.entry(m.entity.as_str()).or_insert(n);
        if let Some(h) = entity_coref::head_word(g, m.first, m.last) {
            out.entry(h).or_insert(id);
        }
    }
    out
}

/// The kind (index in [`MentionKind::ALL`]) of the mention each word heads, for every mention
/// whose type GUM names.
fn kind_heads(g: &GoldDoc) -> HashMap<usize, usize> {
    let mut out = HashMap::new();
    for m in &g.mentions {
        let kind = MentionKind::ALL.iter().position(|k| k.name() == m.kind);
        if let (Some(k), Some(h)) = (kind, entity_coref::head_word(g, m.first, m.last)) {
            out.entry(h).or_insert(k);
        }
    }
    out
}

fn kind_names() -> Vec<String> {
    MentionKind::ALL.iter().map(|k| k.name().to_string()).collect()
}

/// Cross-entropy of the kind scores (`[n, kinds]`) over the candidates that head a mention.
fn kind_loss(doc: &Doc, scores: &Tensor) -> Tensor {
    let rows: Vec<i64> = (0..doc.kinds.len() as i64)
        .filter(|&i| doc.kinds[i as usize] >= 0)
        .collect();
    if rows.is_empty() {
        return Tensor::zeros([], (Kind::Float, Device::Cpu));
    }
    let targets: Vec<i64> = rows.iter().map(|&i| doc.kinds[i as usize]).collect();
    scores
        .index_select(0, &Tensor::from_slice(&rows))
        .cross_entropy_for_logits(&Tensor::from_slice(&targets))
}

/// How many of the dev candidates that head a mention the head gives its GUM type.
fn kind_accuracy(dev: &[Doc], projected: &[Vec<f32>], head: &EntityCoref) -> f64 {
    let (mut right, mut all) = (0usize, 0usize);
    let width = head.width();
    for (d, projected) in dev.iter().zip(projected) {
        for (i, &k) in d.kinds.iter().enumerate() {
            if k >= 0 {
                all += 1;
                right += usize::from(
                    head.kind(&projected[i * width..(i + 1) * width]) == Some(MentionKind::ALL[k as usize]),
                );
            }
        }
    }
    right as f64 / all.max(1) as f64
}

/// The pair score's weights besides the projection.
struct PairWeights<'a> {
    distance: &'a Tensor,
    same_form: &'a Tensor,
    same_pronoun: &'a Tensor,
    same_sentence: &'a Tensor,
}

/// `[n, n]`: the score of every candidate `j` as the antecedent of `i`, from the
/// projections `p` (`[n, 1 + 2 dim + kinds]`), as [`EntityCoref::score`] computes it.
fn pair_scores(doc: &Doc, p: &Tensor, dim: i64, window: usize, w: &PairWeights) -> Tensor {
    let n = doc.words.len();
    let m = p.narrow(1, 0, 1);
    let q = p.narrow(1, 1, dim);
    let k = p.narrow(1, 1 + dim, dim);
    let mut buckets = vec![0i64; n * n];
    let mut form = vec![0f32; n * n];
    let mut pronoun = vec![0f32; n * n];
    let mut sentence = vec![0f32; n * n];
    for i in 0..n {
        for j in i.saturating_sub(window)..i {
            let at = i * n + j;
            buckets[at] = crate::model::entity_coref::bucket(doc.words[i] - doc.words[j]) as i64;
            let same = doc.forms[i] == doc.forms[j];
            form[at] = f32::from(u8::from(same && !doc.pronouns[i]));
            pronoun[at] = f32::from(u8::from(same && doc.pronouns[i]));
            sentence[at] = f32::from(u8::from(doc.sentences[i] == doc.sentences[j]));
        }
    }
    let shape = [n as i64, n as i64];
    let matrix = |v: &[f32]| Tensor::from_slice(v).view(shape);
    let buckets = Tensor::from_slice(&buckets);
    &m + m.transpose(0, 1)
        + q.matmul(&k.transpose(0, 1))
        + w.distance.index_select(0, &buckets).view(shape)
        + matrix(&form) * w.same_form
        + matrix(&pronoun) * w.same_pronoun
        + matrix(&sentence) * w.same_sentence
}

/// The negative log-probability of the right answers (module docs), averaged over candidates.
fn loss(doc: &Doc, scores: &Tensor, window: usize) -> Tensor {
    let n = doc.words.len();
    let mut allowed = vec![false; n * (n + 1)];
    let mut right = vec![false; n * (n + 1)];
    for i in 0..n {
        let row = i * (n + 1);
        allowed[row] = true;
        let mut any = false;
        for j in i.saturating_sub(window)..i {
            allowed[row + 1 + j] = true;
            if doc.chains[i] >= 0 && doc.chains[i] == doc.chains[j] {
                right[row + 1 + j] = true;
                any = true;
            }
        }
        right[row] = !any;
    }
    let shape = [n as i64, n as i64 + 1];
    let allowed = Tensor::from_slice(&allowed).view(shape);
    let right = Tensor::from_slice(&right).view(shape);
    let none = Tensor::zeros([n as i64, 1], (Kind::Float, Device::Cpu));
    let all = Tensor::cat(&[none, scores.shallow_clone()], 1).masked_fill(&allowed.logical_not(), -1e4);
    let total = all.logsumexp([1], false);
    let good = all.masked_fill(&right.logical_not(), -1e4).logsumexp([1], false);
    (total - good).mean(Kind::Float)
}

/// Dev CoNLL F1 at each threshold tried (every half from -4 to 2, and `fixed`), the dev
/// documents projected by `head` (`projected`, one row per candidate): each candidate's
/// best antecedent is scored once, and each threshold only cuts.
fn dev_scores(dev: &[Doc], projected: &[Vec<f32>], head: &EntityCoref, fixed: Option<f32>) -> Vec<(f32, f64)> {
    let width = head.width();
    let best: Vec<Vec<Option<(usize, f32)>>> = dev
        .iter()
        .zip(projected)
        .map(|(d, p)| {
            let candidates: Vec<Candidate> = (0..d.words.len())
                .map(|i| Candidate {
                    word: d.words[i],
                    sentence: d.sentences[i],
                    form: d.forms[i].clone(),
                    pronoun: d.pronouns[i],
                    vector: &p[i * width..(i + 1) * width],
                })
                .collect();
            best_antecedents(head, &candidates)
        })
        .collect();
    let mut thresholds: Vec<f32> = (-8..=4).map(|k| k as f32 * 0.5).chain(fixed).collect();
    thresholds.sort_by(f32::total_cmp);
    thresholds.dedup();
    thresholds
        .into_iter()
        .map(|threshold| {
            let mut counts = CorefCounts::default();
            for (d, best) in dev.iter().zip(&best) {
                let spans: Vec<Vec<Span>> = chains(&cut(best, threshold))
                    .into_iter()
                    .map(|c| c.into_iter().map(|i| d.gold.words[d.words[i]]).collect())
                    .collect();
                let mut report = EntityCorefReport::default();
                report.add_chains(&d.gold, &spans);
                counts += report.counts;
            }
            (threshold, counts.scores().conll)
        })
        .collect()
}
