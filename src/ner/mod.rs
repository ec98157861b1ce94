//! Named entities: a transformer token classifier (rust-bert on libtorch) over
//! CoNLL-style words, with document-level windows and constrained IOB2 decoding.

mod mention;
pub mod device;
pub mod encode;
pub mod labels;
pub mod model;
pub mod train;

pub use mention::{EntityTagger, EntityType, Mention};
pub use model::NerModel;

use crate::doc::Span;

use anyhow::Result;
use encode::Window;
use tch::{Kind, Tensor};

/// How inference cuts and batches the input.
#[derive(Debug, Clone, Copy)]
pub struct NerOptions {
    /// Windows per forward pass.
    pub batch_size: usize,
    /// Longest window in word pieces (specials included; capped by the model).
    pub window: usize,
    /// Pieces of context kept on each side of a window's own words.
    pub context: usize,
}

impl Default for NerOptions {
    fn default() -> Self {
        NerOptions { batch_size: 16, window: 256, context: 48 }
    }
}

/// The decoded label of one word and its probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordLabel {
    pub label: usize,
    pub prob: f32,
}

impl NerModel {
    /// Labels every word of every document (each given as its words), using whole
    /// documents as context: windows never see across documents.
    pub fn label_words(&self, docs: &[Vec<&str>], opts: NerOptions) -> Result<Vec<Vec<WordLabel>>> {
        let logp = self.word_logprobs(docs, opts)?;
        Ok(logp
            .iter()
            .map(|doc| {
                labels::decode(doc, &self.tags)
                    .into_iter()
                    .zip(doc)
                    .map(|(label, row)| WordLabel { label, prob: row[label].exp() })
                    .collect()
            })
            .collect())
    }

    /// The windows of a batch of documents, each word turned into its pieces.
    pub fn windows(&self, docs: &[Vec<&str>], opts: NerOptions) -> Vec<Window> {
        let len = opts.window.min(self.max_len);
        docs.iter()
            .enumerate()
            .flat_map(|(d, words)| {
                let pieces: Vec<Vec<i64>> = words.iter().map(|w| self.tokenizer.pieces(w)).collect();
                encode::windows(d, &pieces, len, opts.context, self.tokenizer.cls, self.tokenizer.sep)
            })
            .collect()
    }

    /// Per-word log-probabilities of every label, `[doc][word][label]`.
    pub fn word_logprobs(&self, docs: &[Vec<&str>], opts: NerOptions) -> Result<Vec<Vec<Vec<f32>>>> {
        let n_labels = self.labels.len();
        let mut out: Vec<Vec<Vec<f32>>> = docs.iter().map(|w| vec![Vec::new(); w.len()]).collect();
        let mut windows = self.windows(docs, opts);
        // Similar lengths together: little padding.
        windows.sort_by_key(|w| std::cmp::Reverse(w.ids.len()));
        for batch in windows.chunks(opts.batch_size.max(1)) {
            let (ids, mask) = self.batch_tensors(&batch.iter().collect::<Vec<_>>());
            let logp = tch::no_grad(|| -> Result<Tensor> {
                Ok(self.logits(&ids, &mask, false)?.log_softmax(-1, Kind::Float).to_device(tch::Device::Cpu))
            })?;
            let width = ids.size()[1] as usize;
            let flat: Vec<f32> = Vec::<f32>::try_from(logp.flatten(0, -1))?;
            for (b, w) in batch.iter().enumerate() {
                for &(pos, word) in &w.owned {
                    let at = (b * width + pos) * n_labels;
                    out[w.doc][word] = flat[at..at + n_labels].to_vec();
                }
            }
        }
        Ok(out)
    }

    /// Padded `[batch, length]` piece ids and attention mask, on the model's device.
    pub fn batch_tensors(&self, batch: &[&Window]) -> (Tensor, Tensor) {
        let width = batch.iter().map(|w| w.ids.len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(batch.len() * width);
        let mut mask = Vec::with_capacity(batch.len() * width);
        for w in batch {
            ids.extend_from_slice(&w.ids);
            ids.extend(std::iter::repeat_n(self.tokenizer.pad, width - w.ids.len()));
            mask.extend(std::iter::repeat_n(1i64, w.ids.len()));
            mask.extend(std::iter::repeat_n(0i64, width - w.ids.len()));
        }
        let shape = [batch.len() as i64, width as i64];
        let device = self.vs.device();
        (Tensor::from_slice(&ids).view(shape).to_device(device), Tensor::from_slice(&mask).view(shape).to_device(device))
    }

    /// Groups labelled words into mentions.
    pub fn to_mentions(&self, words: &[Span], labels: &[WordLabel]) -> Vec<Mention> {
        let tags: Vec<labels::Tag> = labels.iter().map(|l| self.tags[l.label]).collect();
        labels::entities(&tags)
            .into_iter()
            .map(|(s, e, kind)| Mention {
                span: Span::new(words[s].start, words[e - 1].end),
                kind,
                score: labels[s..e].iter().map(|l| l.prob).sum::<f32>() / (e - s) as f32,
            })
            .collect()
    }
}

/// The model with its inference options, as an [`EntityTagger`].
pub struct Ner {
    pub model: NerModel,
    pub opts: NerOptions,
}

impl EntityTagger for Ner {
    fn tag(&self, docs: &[(&str, &[Span])]) -> Result<Vec<Vec<Mention>>> {
        let strs: Vec<Vec<&str>> = docs.iter().map(|(t, w)| w.iter().map(|s| s.of(t)).collect()).collect();
        let labels = self.model.label_words(&strs, self.opts)?;
        Ok(docs.iter().zip(&labels).map(|((_, w), l)| self.model.to_mentions(w, l)).collect())
    }
}
