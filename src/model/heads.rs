//! The small heads that share the encoder with NER: UPOS tags, a biaffine dependency
//! parser (Dozat & Manning 2017) and TimeML events (trigger class, polarity, modality,
//! tense, aspect). They read each word's first piece, as the NER classifier does, so
//! one forward pass per window serves every layer.
//!
//! Their label sets and sizes live in `config.json` under `"annalist"`; the tensors are
//! named `annalist.*`, which `transformers` ignores when it loads the folder for NER.

use serde::{Deserialize, Serialize};
use tch::{nn, Kind, Tensor};

/// What the heads predict, as stored in `config.json` (`"annalist"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadSpec {
    pub upos: Vec<String>,
    pub deprel: Vec<String>,
    /// `O` first, then the TimeML event classes.
    pub event: Vec<String>,
    pub polarity: Vec<String>,
    pub modality: Vec<String>,
    pub tense: Vec<String>,
    pub aspect: Vec<String>,
    pub arc_dim: i64,
    pub rel_dim: i64,
}

/// The per-word heads, in the order of [`TagLogits`].
pub const TAG_HEADS: [&str; 6] = ["upos", "event", "polarity", "modality", "tense", "aspect"];

impl HeadSpec {
    /// The label names of the per-word head `name` (one of [`TAG_HEADS`]).
    pub fn labels(&self, name: &str) -> &[String] {
        match name {
            "upos" => &self.upos,
            "event" => &self.event,
            "polarity" => &self.polarity,
            "modality" => &self.modality,
            "tense" => &self.tense,
            "aspect" => &self.aspect,
            _ => &[],
        }
    }
}

pub struct Heads {
    pub spec: HeadSpec,
    /// One classifier per entry of [`TAG_HEADS`].
    tags: Vec<nn::Linear>,
    arc_dep: nn::Linear,
    arc_head: nn::Linear,
    /// The head representation of the artificial root.
    arc_root: Tensor,
    arc_u: Tensor,
    arc_bias: Tensor,
    rel_dep: nn::Linear,
    rel_head: nn::Linear,
    rel_root: Tensor,
    /// `[labels, rel_dim + 1, rel_dim + 1]`: a bilinear form per relation, with bias terms.
    rel_u: Tensor,
}

/// Dropout on the heads' inputs and hidden layers while training.
const HEAD_DROPOUT: f64 = 0.2;

impl Heads {
    pub fn new(p: &nn::Path, hidden: i64, spec: HeadSpec) -> Heads {
        let lin = |name: &str, out: i64| nn::linear(p / name, hidden, out, Default::default());
        let tags = TAG_HEADS.iter().map(|h| lin(h, spec.labels(h).len() as i64)).collect();
        let (a, r, l) = (spec.arc_dim, spec.rel_dim, spec.deprel.len() as i64);
        let small = nn::Init::Randn { mean: 0.0, stdev: 0.01 };
        Heads {
            tags,
            arc_dep: lin("arc_dep", a),
            arc_head: lin("arc_head", a),
            arc_root: p.var("arc_root", &[a], small),
            arc_u: p.var("arc_u", &[a, a], nn::Init::Const(0.0)),
            arc_bias: p.var("arc_bias", &[a], nn::Init::Const(0.0)),
            rel_dep: lin("rel_dep", r),
            rel_head: lin("rel_head", r),
            rel_root: p.var("rel_root", &[r], small),
            rel_u: p.var("rel_u", &[l, r + 1, r + 1], nn::Init::Const(0.0)),
            spec,
        }
    }

    /// Logits `[batch, words, labels]` of each per-word head, in [`TAG_HEADS`] order.
    pub fn tags(&self, words: &Tensor, train: bool) -> Vec<Tensor> {
        let x = words.dropout(HEAD_DROPOUT, train);
        self.tags.iter().map(|h| x.apply(h)).collect()
    }

    /// Arc scores `[batch, words, 1 + words]`: column 0 is the root, column `j + 1` word
    /// `j`; `allowed` (same shape, bool) masks the impossible heads to a large negative.
    pub fn arcs(&self, words: &Tensor, allowed: &Tensor, train: bool) -> Tensor {
        let dep = mlp(words, &self.arc_dep, train);
        let head = with_root(&mlp(words, &self.arc_head, train), &self.arc_root);
        let scores = dep.matmul(&self.arc_u).matmul(&head.transpose(1, 2)) + head.matmul(&self.arc_bias).unsqueeze(1);
        scores.masked_fill(&allowed.logical_not(), -1e9)
    }

    /// Relation logits `[batch, words, labels]` of each word attached to `heads`
    /// (`[batch, words]`, 0 the root, `j + 1` word `j`).
    pub fn rels_at(&self, words: &Tensor, heads: &Tensor, train: bool) -> Tensor {
        let (dep, head) = self.rel_inputs(words, train);
        let size = head.size();
        let index = heads.unsqueeze(-1).expand([size[0], heads.size()[1], size[2]], false);
        let chosen = head.gather(1, &index, false);
        // [b, w, a] x [l, a, c] x [b, w, c] -> [b, w, l]
        Tensor::einsum("bwa,lac,bwc->bwl", &[&dep, &self.rel_u, &chosen], None::<i64>)
    }

    /// The best relation of each word to the head it was given (`heads` as in
    /// [`Self::rels_at`]), `[batch, words]`: `root` for a word on the root, never for another.
    pub fn rels_for(&self, words: &Tensor, heads: &Tensor) -> Tensor {
        let scores = self.rels_at(words, heads, false);
        let Some(root) = self.spec.deprel.iter().position(|r| r == "root") else {
            return scores.argmax(-1, false);
        };
        let on_root = heads.eq(0).unsqueeze(-1);
        let is_root_label = Tensor::arange(scores.size()[2], (tch::Kind::Int64, scores.device()))
            .eq(root as i64)
            .view([1, 1, -1]);
        // -1e4 where the label's rootness differs from the word's.
        let wrong = on_root.logical_xor(&is_root_label);
        scores.masked_fill(&wrong, -1e4).argmax(-1, false)
    }

    /// The relation MLP outputs with a constant 1 appended (the bilinear forms' bias
    /// terms), the head side with the root in front.
    fn rel_inputs(&self, words: &Tensor, train: bool) -> (Tensor, Tensor) {
        let dep = with_one(&mlp(words, &self.rel_dep, train));
        let head = with_one(&with_root(&mlp(words, &self.rel_head, train), &self.rel_root));
        (dep, head)
    }
}

fn mlp(words: &Tensor, layer: &nn::Linear, train: bool) -> Tensor {
    words
        .dropout(HEAD_DROPOUT, train)
        .apply(layer)
        .elu()
        .dropout(HEAD_DROPOUT, train)
}

/// `[b, w, d]` with the root vector `[d]` in front: `[b, 1 + w, d]`.
fn with_root(x: &Tensor, root: &Tensor) -> Tensor {
    let size = x.size();
    let root = root
        .to_kind(x.kind())
        .view([1, 1, size[2]])
        .expand([size[0], 1, size[2]], false);
    Tensor::cat(&[root, x.shallow_clone()], 1)
}

/// `[b, w, d]` with a column of ones: `[b, w, d + 1]`.
fn with_one(x: &Tensor) -> Tensor {
    let size = x.size();
    let ones = Tensor::ones([size[0], size[1], 1], (x.kind(), x.device()));
    Tensor::cat(&[x.shallow_clone(), ones], 2)
}

/// `tensor` as f32 on the CPU, flattened.
pub fn to_vec_f32(t: &Tensor) -> anyhow::Result<Vec<f32>> {
    Ok(Vec::<f32>::try_from(
        t.to_kind(Kind::Float).to_device(tch::Device::Cpu).flatten(0, -1),
    )?)
}

/// `tensor` as i64 on the CPU, flattened.
pub fn to_vec_i64(t: &Tensor) -> anyhow::Result<Vec<i64>> {
    Ok(Vec::<i64>::try_from(
        t.to_kind(Kind::Int64).to_device(tch::Device::Cpu).flatten(0, -1),
    )?)
}
