//! Entity coreference, word by word (after Dobrovolskii 2021): each noun, proper noun
//! and pronoun is a candidate, and the head scores every earlier candidate as its
//! antecedent against a dummy "none" (score 0). Mentions are their head words, so no span
//! is scored; the parse gives the phrase around a head when one is wanted.
//!
//! One linear layer turns each candidate word's hidden state into `[m, q (dim), k (dim),
//! kinds]` inside the forward pass ([`EntityCoref::project`]); the pair score is then, in
//! plain Rust, `m_i + m_j + q_i·k_j` plus weights for how far apart the words are,
//! whether they are the same word, and whether they share a sentence
//! ([`EntityCoref::score`]). The `kinds` scores say what the word's mention refers to,
//! as GUM types its entities (a person, an organisation, a place, an abstract idea, …):
//! `resolve` ties "the statement" to no person whatever the link says.
//! The encoder does not see two words 500 words apart at once; the same-word weight is
//! what lets a name repeated far away find its earlier mention.
//!
//! Trained by `annalist train-entity-coref` on GUM's `Entity=` chains
//! ([`crate::train::entity_coref`]); the weights are `entity_coref.safetensors` in the
//! model folder and the settings `"annalist"."entity_coref"` in its `config.json`.

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use tch::{Device, Kind, Tensor};

/// The weights' file in a model folder.
pub const FILE: &str = "entity_coref.safetensors";

/// The parts of speech whose words are candidates (as the UPOS head names them).
pub const CANDIDATE_UPOS: [&str; 3] = ["NOUN", "PROPN", "PRON"];

/// How many distance buckets the pair score has ([`bucket`]).
pub const BUCKETS: usize = 10;

/// `config.json`'s `"annalist"."entity_coref"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Length of the query and key vectors.
    pub dim: usize,
    /// The [`MentionKind`] names, in the order of the projection's kind scores.
    pub kinds: Vec<String>,
    /// How many candidates back a word looks for its antecedent.
    pub window: usize,
    /// A word links to its best antecedent when that one scores above the dummy by this
    /// much (chosen on GUM dev).
    pub threshold: f32,
}

/// Distance bucket of two words `d` words apart (d ≥ 1): 1, 2, 3, 4, 5–7, 8–15, 16–31,
/// 32–63, 64–127, 128 and more.
pub fn bucket(d: usize) -> usize {
    match d {
        0..=4 => d.saturating_sub(1),
        _ => (d.ilog2() as usize + 2).min(BUCKETS - 1),
    }
}

/// What the pair score reads besides the two words' vectors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// Words between them plus one.
    pub distance: usize,
    /// The same word, letter case aside.
    pub same_form: bool,
    /// The later word is a pronoun (for which the same word says much less: "he" … "he").
    pub pronoun: bool,
    pub same_sentence: bool,
}

/// What a mention refers to: GUM's entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    Person,
    Organization,
    Place,
    Event,
    Object,
    Time,
    Abstract,
    Substance,
    Animal,
    Plant,
}

impl MentionKind {
    pub const ALL: [MentionKind; 10] = [
        MentionKind::Person,
        MentionKind::Organization,
        MentionKind::Place,
        MentionKind::Event,
        MentionKind::Object,
        MentionKind::Time,
        MentionKind::Abstract,
        MentionKind::Substance,
        MentionKind::Animal,
        MentionKind::Plant,
    ];

    /// Its name as GUM writes it ("person").
    pub fn name(self) -> &'static str {
        match self {
            MentionKind::Person => "person",
            MentionKind::Organization => "organization",
            MentionKind::Place => "place",
            MentionKind::Event => "event",
            MentionKind::Object => "object",
            MentionKind::Time => "time",
            MentionKind::Abstract => "abstract",
            MentionKind::Substance => "substance",
            MentionKind::Animal => "animal",
            MentionKind::Plant => "plant",
        }
    }

    pub fn from_name(name: &str) -> Option<MentionKind> {
        MentionKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The loaded head.
#[derive(Debug)]
pub struct EntityCoref {
    pub settings: Settings,
    /// `[1 + 2 dim + kinds, hidden]` and `[1 + 2 dim + kinds]`, on the model's device.
    weight: Tensor,
    bias: Tensor,
    /// The kinds, in the order of their scores.
    kinds: Vec<MentionKind>,
    distance: [f32; BUCKETS],
    same_form: f32,
    same_pronoun: f32,
    same_sentence: f32,
}

impl EntityCoref {
    /// The head that `config` (the folder's `config.json`) describes, for an encoder of
    /// `hidden` units, on `device`; None when it describes none.
    pub fn from_config(dir: &Path, config: &serde_json::Value, hidden: usize, device: Device) -> Result<Option<Self>> {
        let Some(c) = config.get("annalist").and_then(|a| a.get("entity_coref")) else {
            return Ok(None);
        };
        let settings: Settings = serde_json::from_value(c.clone()).map_err(|e| {
            anyhow::anyhow!(
                "{}: \"annalist\".\"entity_coref\": {e}",
                dir.join("config.json").display()
            )
        })?;
        let path = dir.join(FILE);
        let tensors: HashMap<String, Tensor> = Tensor::read_safetensors(&path)
            .with_context(|| {
                format!(
                    "{}: not a readable safetensors file (the entity coreference weights)",
                    path.display()
                )
            })?
            .into_iter()
            .collect();
        Self::from_tensors(&tensors, settings, hidden, device)
            .with_context(|| format!("{}", path.display()))
            .map(Some)
    }

    /// The head from its tensors by name: `projection.weight`, `projection.bias`,
    /// `distance`, `same_form`, `same_pronoun`, `same_sentence`.
    pub fn from_tensors(
        tensors: &HashMap<String, Tensor>,
        settings: Settings,
        hidden: usize,
        device: Device,
    ) -> Result<Self> {
        let get = |key: &str, shape: &[i64]| -> Result<Tensor> {
            let t = tensors.get(key).with_context(|| format!("tensor {key} missing"))?;
            if t.size() != shape {
                bail!("tensor {key} has shape {:?}, the settings ask for {shape:?}", t.size());
            }
            Ok(t.to_kind(Kind::Float))
        };
        let kinds = settings
            .kinds
            .iter()
            .map(|k| MentionKind::from_name(k).with_context(|| format!("unknown mention kind {k:?}; retrain the head")))
            .collect::<Result<Vec<MentionKind>>>()?;
        let out = Self::width_of(&settings) as i64;
        let scalar = |key: &str| -> Result<f32> { Ok(get(key, &[1])?.double_value(&[0]) as f32) };
        let distance: Vec<f32> = super::heads::to_vec_f32(&get("distance", &[BUCKETS as i64])?)?;
        Ok(EntityCoref {
            weight: get("projection.weight", &[out, hidden as i64])?.to_device(device),
            bias: get("projection.bias", &[out])?.to_device(device),
            distance: distance.try_into().expect("BUCKETS values"),
            same_form: scalar("same_form")?,
            same_pronoun: scalar("same_pronoun")?,
            same_sentence: scalar("same_sentence")?,
            kinds,
            settings,
        })
    }

    /// `[.., 1 + 2 dim + kinds]`: each word's `[m, q, k, kind scores]` from its hidden
    /// state `[.., hidden]`.
    pub fn project(&self, words: &Tensor) -> Tensor {
        words.to_kind(Kind::Float).linear(&self.weight, Some(&self.bias))
    }

    /// The length of a [`Self::project`] row.
    pub fn width(&self) -> usize {
        Self::width_of(&self.settings)
    }

    fn width_of(settings: &Settings) -> usize {
        1 + 2 * settings.dim + settings.kinds.len()
    }

    /// What the mention headed by a word with projection `a` most likely refers to.
    pub fn kind(&self, a: &[f32]) -> Option<MentionKind> {
        let scores = a.get(1 + 2 * self.settings.dim..)?;
        let best = scores.iter().enumerate().max_by(|x, y| x.1.total_cmp(y.1))?.0;
        self.kinds.get(best).copied()
    }

    /// How much word `a` prefers the earlier word `b` as its antecedent over none
    /// (each given by its [`Self::project`] row).
    pub fn score(&self, a: &[f32], b: &[f32], pair: Pair) -> f32 {
        let d = self.settings.dim;
        let q = &a[1..1 + d];
        let k = &b[1 + d..1 + 2 * d];
        a[0] + b[0]
            + q.iter().zip(k).map(|(x, y)| x * y).sum::<f32>()
            + self.distance[bucket(pair.distance)]
            + match (pair.same_form, pair.pronoun) {
                (false, _) => 0.0,
                (true, false) => self.same_form,
                (true, true) => self.same_pronoun,
            }
            + if pair.same_sentence { self.same_sentence } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_grow_by_powers_of_two() {
        let got: Vec<usize> = [1, 2, 3, 4, 5, 7, 8, 15, 16, 64, 127, 128, 5000]
            .iter()
            .map(|&d| bucket(d))
            .collect();
        assert_eq!(got, [0, 1, 2, 3, 4, 4, 5, 5, 6, 8, 8, 9, 9]);
    }

    #[test]
    fn the_score_adds_its_parts() {
        let t = |v: &[f32]| Tensor::from_slice(v);
        let tensors: HashMap<String, Tensor> = [
            ("projection.weight", t(&[0.0; 7]).view([7, 1])),
            ("projection.bias", t(&[0.0; 7])),
            ("distance", t(&[0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0])),
            ("same_form", t(&[2.0])),
            ("same_pronoun", t(&[0.125])),
            ("same_sentence", t(&[0.25])),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let settings = Settings {
            dim: 2,
            kinds: vec!["person".into(), "place".into()],
            window: 10,
            threshold: 0.0,
        };
        let head = EntityCoref::from_tensors(&tensors, settings, 1, Device::Cpu).unwrap();
        // a = [m 1, q (1, 2), k .., kinds]; b = [m -0.5, q .., k (3, 4), kinds]: 1 - 0.5 + 11.
        let (a, b) = (
            [1.0, 1.0, 2.0, 0.0, 0.0, 0.1, 0.9],
            [-0.5, 0.0, 0.0, 3.0, 4.0, 2.0, 1.0],
        );
        assert_eq!(
            (head.kind(&a), head.kind(&b)),
            (Some(MentionKind::Place), Some(MentionKind::Person))
        );
        let near = Pair {
            distance: 1,
            same_form: true,
            pronoun: false,
            same_sentence: true,
        };
        assert_eq!(head.score(&a, &b, near), 11.5 + 0.5 + 2.0 + 0.25);
        let far = Pair {
            distance: 900,
            same_form: false,
            pronoun: false,
            same_sentence: false,
        };
        assert_eq!(head.score(&a, &b, far), 11.5 - 1.0);
        let pronouns = Pair {
            same_form: true,
            pronoun: true,
            ..far
        };
        assert_eq!(head.score(&a, &b, pronouns), 11.5 - 1.0 + 0.125);
        assert_eq!(head.project(&t(&[3.0]).view([1, 1])).size(), [1, 7]);
    }
}
