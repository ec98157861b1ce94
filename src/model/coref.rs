//! Event coreference: the head that turns an event word's hidden state into a short
//! unit vector, and the scorer that reads two such vectors with the evidence the
//! pipeline has about both events (words, entities, dates, factuality) as the
//! probability that they are one event.
//!
//! Besides the trigger's hidden state, the scorer reads how alike the two trigger words
//! are out of context ([`WordVectors`]): "hit" and "struck", "died" and "killed" are far
//! apart as strings and near as the encoder's input embeddings.
//!
//! Trained by `annalist train event-coref` on ECB+ ([`crate::train::coref`]); its weights are
//! `event_coref.safetensors` in the model folder and its settings `"annalist"."event_coref"`
//! in `config.json`. Both parts run in plain Rust once loaded: the projection is one
//! small matrix product per event word, and the scorer runs on candidate pairs long
//! after the forward pass, where a tensor library would cost more than it saves.

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tch::{Kind, Tensor};

use super::encode::WordTokenizer;

/// The weights' file in a model folder.
pub const FILE: &str = "event_coref.safetensors";

/// The pair evidence the scorer reads besides the two vectors, in input order. The
/// events stage computes them ([`crate::events`]); their names are written with the
/// weights, so a model trained on other features is refused, not misread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// The trigger words are the same word, folded.
    SameWord,
    /// They share their first letters ("talks", "talked").
    SameStem,
    SameDocument,
    SameSentence,
    /// They have an entity (participant or place) in common.
    SharedEntity,
    /// Both have agents or speakers, and none in common.
    OtherAgents,
    /// Both have dates of their own, and the dates can be the same.
    DatesAgree,
    /// Both have dates of their own that cannot be the same. Two calendar dates that
    /// cannot be the same never join (`merge::may_join`, before any feature), so at least
    /// one of them is off the calendar ("Friday" and "Saturday" in articles without a
    /// publication date): reports disagree on such days too often for a hard rule.
    DatesDiffer,
    /// One has a date of its own and the other none.
    OneDated,
    /// Their analyst types are the same, and not `other`.
    SameType,
    /// Their TimeML classes are the same.
    SameClass,
    SameFactuality,
    /// In one document: 1 / (1 + characters between them / 200); 0 across documents.
    Nearness,
    /// How alike their documents' stories are: the cosine of the tf-idf weighted
    /// entities of all their reports (1 in one document). Two articles on one earthquake
    /// name its places and people; two on two earthquakes do not.
    SameStory,
    /// The cosine of the trigger words' input embeddings ([`WordVectors`]); 0 without them.
    WordSimilarity,
    /// How many words their clauses share, over the smaller clause's count (content
    /// words, names left out): "urged both sides on Monday to settle quickly" and "had
    /// called on both sides on Monday to reach an agreement quickly".
    SharedWords,
}

impl Feature {
    pub const ALL: [Feature; 16] = [
        Feature::SameWord,
        Feature::SameStem,
        Feature::SameDocument,
        Feature::SameSentence,
        Feature::SharedEntity,
        Feature::OtherAgents,
        Feature::DatesAgree,
        Feature::DatesDiffer,
        Feature::OneDated,
        Feature::SameType,
        Feature::SameClass,
        Feature::SameFactuality,
        Feature::Nearness,
        Feature::SameStory,
        Feature::WordSimilarity,
        Feature::SharedWords,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Feature::SameWord => "same_word",
            Feature::SameStem => "same_stem",
            Feature::SameDocument => "same_document",
            Feature::SameSentence => "same_sentence",
            Feature::SharedEntity => "shared_entity",
            Feature::OtherAgents => "other_agents",
            Feature::DatesAgree => "dates_agree",
            Feature::DatesDiffer => "dates_differ",
            Feature::OneDated => "one_dated",
            Feature::SameType => "same_type",
            Feature::SameClass => "same_class",
            Feature::SameFactuality => "same_factuality",
            Feature::Nearness => "nearness",
            Feature::SameStory => "same_story",
            Feature::WordSimilarity => "word_similarity",
            Feature::SharedWords => "shared_words",
        }
    }
}

/// One value per [`Feature::ALL`].
pub type Features = [f32; Feature::ALL.len()];

/// The value of feature `x` in `f`.
pub fn value(f: &Features, x: Feature) -> f32 {
    f[Feature::ALL
        .iter()
        .position(|&y| y == x)
        .expect("every feature is in ALL")]
}

/// `config.json`'s `"annalist"."event_coref"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Length of the event vectors.
    pub dim: usize,
    /// Units of the scorer's hidden layer.
    pub hidden: usize,
    /// Average-link threshold: clusters join while their mean pair probability reaches it
    /// (chosen on ECB+ dev).
    pub threshold: f32,
    /// [`Feature`] names, in input order.
    pub features: Vec<String>,
}

impl Settings {
    /// The settings of a model trained on [`Feature::ALL`].
    pub fn new(dim: usize, hidden: usize, threshold: f32) -> Settings {
        Settings {
            dim,
            hidden,
            threshold,
            features: Feature::ALL.iter().map(|f| f.name().to_string()).collect(),
        }
    }
}

/// A dense layer in plain Rust: `out = weight · x + bias`, weight row-major `[out, in]`.
#[derive(Debug, Clone)]
struct Dense {
    weight: Vec<f32>,
    bias: Vec<f32>,
    inputs: usize,
}

impl Dense {
    fn read(tensors: &HashMap<String, Tensor>, name: &str, outputs: usize, inputs: usize) -> Result<Dense> {
        let get = |part: &str, shape: &[i64]| -> Result<Vec<f32>> {
            let key = format!("{name}.{part}");
            let t = tensors.get(&key).with_context(|| format!("tensor {key} missing"))?;
            if t.size() != shape {
                bail!("tensor {key} has shape {:?}, the settings ask for {shape:?}", t.size());
            }
            super::heads::to_vec_f32(&t.to_kind(Kind::Float))
        };
        Ok(Dense {
            weight: get("weight", &[outputs as i64, inputs as i64])?,
            bias: get("bias", &[outputs as i64])?,
            inputs,
        })
    }

    fn apply(&self, x: &[f32]) -> Vec<f32> {
        self.weight
            .chunks_exact(self.inputs)
            .zip(&self.bias)
            .map(|(row, b)| row.iter().zip(x).map(|(w, v)| w * v).sum::<f32>() + b)
            .collect()
    }
}

/// The loaded head and scorer.
#[derive(Debug, Clone)]
pub struct EventCoref {
    pub settings: Settings,
    projection: Dense,
    hidden: Dense,
    out: Dense,
    /// The encoder's word embeddings, for [`Feature::WordSimilarity`].
    pub words: Arc<WordVectors>,
}

impl EventCoref {
    /// The head of the model folder `dir`, None when it has none.
    pub fn from_folder(dir: &Path) -> Result<Option<EventCoref>> {
        let config = super::read_config(dir)?;
        let hidden = config.get("hidden_size").and_then(|v| v.as_u64()).unwrap_or(0) as usize;
        Self::from_config(dir, &config, hidden)
    }

    /// The head that `config` (the folder's `config.json`) describes, for an encoder of
    /// `hidden` units; None when it describes none.
    pub fn from_config(dir: &Path, config: &serde_json::Value, hidden: usize) -> Result<Option<EventCoref>> {
        let Some(c) = config.get("annalist").and_then(|a| a.get("event_coref")) else {
            return Ok(None);
        };
        let settings = serde_json::from_value(c.clone()).map_err(|e| {
            anyhow::anyhow!(
                "{}: \"annalist\".\"event_coref\": {e}",
                dir.join("config.json").display()
            )
        })?;
        let words = Arc::new(WordVectors::load(dir, config)?);
        Self::load(dir, settings, hidden, words).map(Some)
    }

    /// Reads the weights in `dir` that `settings` describe, for an encoder of `hidden`
    /// units, with the folder's `words`.
    pub fn load(dir: &Path, settings: Settings, hidden: usize, words: Arc<WordVectors>) -> Result<EventCoref> {
        let path = dir.join(FILE);
        let expected: Vec<&str> = Feature::ALL.iter().map(|f| f.name()).collect();
        if settings.features != expected {
            bail!(
                "{}: \"annalist\".\"event_coref\".\"features\" is {:?}, this annalist reads {:?}; retrain it with `annalist train-event-coref`",
                dir.join("config.json").display(),
                settings.features,
                expected
            );
        }
        let tensors: HashMap<String, Tensor> = Tensor::read_safetensors(&path)
            .with_context(|| {
                format!(
                    "{}: not a readable safetensors file (the event coreference weights)",
                    path.display()
                )
            })?
            .into_iter()
            .collect();
        Self::from_tensors(&tensors, settings, hidden, words).with_context(|| format!("{}", path.display()))
    }

    /// The head from its tensors by name (`projection`, `hidden`, `out`; `.weight`, `.bias`).
    pub fn from_tensors(
        tensors: &HashMap<String, Tensor>,
        settings: Settings,
        hidden: usize,
        words: Arc<WordVectors>,
    ) -> Result<EventCoref> {
        let inputs = 2 * settings.dim + Feature::ALL.len();
        Ok(EventCoref {
            projection: Dense::read(tensors, "projection", settings.dim, hidden)?,
            hidden: Dense::read(tensors, "hidden", settings.hidden, inputs)?,
            out: Dense::read(tensors, "out", 1, settings.hidden)?,
            settings,
            words,
        })
    }

    /// The unit vector of an event word from its hidden state, on the grid a batch
    /// record stores it on ([`to_byte`]), so that `extract` and `batch` then `merge`
    /// compare the same vectors.
    pub fn embed(&self, hidden: &[f32]) -> Vec<f32> {
        let mut v = self.projection.apply(hidden);
        normalize(&mut v);
        v.into_iter().map(|x| from_byte(to_byte(x))).collect()
    }

    /// The probability that two events, with vectors `a` and `b` ([`Self::embed`]) and
    /// pair evidence `features`, are one.
    pub fn probability(&self, a: &[f32], b: &[f32], features: &Features) -> f32 {
        debug_assert!(
            a.len() == self.settings.dim && b.len() == self.settings.dim,
            "vectors of the head's length"
        );
        let input: Vec<f32> = a
            .iter()
            .zip(b)
            .map(|(x, y)| x * y)
            .chain(a.iter().zip(b).map(|(x, y)| (x - y).abs()))
            .chain(features.iter().copied())
            .collect();
        // The hidden layer and the output in one sweep: no vector per pair for the hidden units.
        let logit = self
            .hidden
            .weight
            .chunks_exact(self.hidden.inputs)
            .zip(&self.hidden.bias)
            .zip(&self.out.weight)
            .map(|((row, bias), w)| {
                let h = row.iter().zip(&input).map(|(r, x)| r * x).sum::<f32>() + bias;
                w * h.max(0.0)
            })
            .sum::<f32>()
            + self.out.bias[0];
        1.0 / (1.0 + (-logit).exp())
    }

    pub fn threshold(&self) -> f32 {
        self.settings.threshold
    }
}

/// The encoder's input embeddings (its word-piece table), kept to compare trigger words out
/// of context. Each row is stored in bytes with its own scale: a quarter of the memory,
/// and cosines within a hundredth of the full table's.
pub struct WordVectors {
    tokenizer: WordTokenizer,
    rows: Vec<i8>,
    scales: Vec<f32>,
    dim: usize,
}

impl std::fmt::Debug for WordVectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordVectors")
            .field("pieces", &self.scales.len())
            .field("dim", &self.dim)
            .finish_non_exhaustive()
    }
}

impl WordVectors {
    /// The word-piece table of the encoder in model folder `dir` (`model.safetensors`, the
    /// tensor named `…word_embeddings.weight`) and its tokenizer; `config` is the folder's
    /// `config.json`.
    pub fn load(dir: &Path, config: &serde_json::Value) -> Result<WordVectors> {
        let path = dir.join("model.safetensors");
        let table = Tensor::read_safetensors(&path)
            .with_context(|| format!("{}: not a readable safetensors file", path.display()))?
            .into_iter()
            .find(|(name, _)| name.ends_with("word_embeddings.weight"))
            .map(|(_, t)| t)
            .with_context(|| {
                format!(
                    "{}: no word_embeddings.weight tensor (the encoder's word pieces)",
                    path.display()
                )
            })?;
        let &[pieces, dim] = table.size().as_slice() else {
            bail!("{}: word_embeddings.weight is not a matrix", path.display());
        };
        if pieces == 0 || dim == 0 {
            bail!("{}: word_embeddings.weight is empty ({pieces} × {dim})", path.display());
        }
        let (rows, scales) = super::quant::quantise_rows(&table);
        let rows = Vec::<i8>::try_from(rows.view([-1]))?;
        let scales = Vec::<f32>::try_from(scales.view([-1]))?;
        let byte_level = config
            .get("model_type")
            .and_then(|t| t.as_str())
            .is_some_and(|t| t.contains("roberta"));
        Ok(WordVectors {
            tokenizer: WordTokenizer::load(dir, byte_level)?,
            rows,
            scales,
            dim: dim as usize,
        })
    }

    /// The unit vector of `word`: the mean of its pieces' rows.
    pub fn of(&self, word: &str) -> Vec<f32> {
        let mut v = vec![0f32; self.dim];
        for id in self.tokenizer.pieces(&word.to_lowercase()) {
            let Some(&scale) = self.scales.get(id as usize) else {
                continue;
            };
            let row = &self.rows[id as usize * self.dim..][..self.dim];
            v.iter_mut().zip(row).for_each(|(x, &q)| *x += f32::from(q) * scale);
        }
        normalize(&mut v);
        v
    }
}

/// A unit vector's component in hundred-twenty-sevenths: one byte.
pub fn to_byte(x: f32) -> i8 {
    (x * 127.0).round().clamp(-127.0, 127.0) as i8
}

pub fn from_byte(b: i8) -> f32 {
    f32::from(b) / 127.0
}

/// Scales `v` to unit length (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_is_row_major() {
        let d = Dense {
            weight: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            bias: vec![0.5, -1.0],
            inputs: 3,
        };
        assert_eq!(d.apply(&[1.0, 0.0, -1.0]), vec![1.0 - 3.0 + 0.5, 4.0 - 6.0 - 1.0]);
    }

    #[test]
    fn words_of_one_event_are_nearer_than_words_of_two() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/ner");
        let words = WordVectors::load(&dir, &super::super::read_config(&dir).unwrap()).unwrap();
        let cosine = |a: &str, b: &str| -> f32 { words.of(a).iter().zip(words.of(b)).map(|(x, y)| x * y).sum() };
        assert!((cosine("Struck", "struck") - 1.0).abs() < 1e-5, "case says nothing");
        assert!(cosine("hit", "struck") > cosine("hit", "died"));
        assert!(cosine("died", "killed") > cosine("died", "said"));
        // A word of several pieces is the mean of its pieces: still a unit vector.
        let long = words.of("earthquakes");
        assert!((long.iter().map(|x| x * x).sum::<f32>() - 1.0).abs() < 1e-4);
    }

    #[test]
    fn unit_vectors() {
        let mut v = vec![3.0, 4.0];
        normalize(&mut v);
        assert_eq!(v, vec![0.6, 0.8]);
        let mut zero = vec![0.0, 0.0];
        normalize(&mut zero);
        assert_eq!(zero, vec![0.0, 0.0]);
    }
}
