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
    /// Most word pieces per forward pass, padding included. Windows of similar length
    /// are packed together up to this budget ([`encode::pack`]).
    pub batch_tokens: usize,
    /// Longest window in word pieces (specials included; capped by the model).
    pub window: usize,
    /// Pieces of context kept on each side of a window's own words.
    pub context: usize,
    /// What the model sees at once.
    pub scope: Scope,
}

impl Default for NerOptions {
    fn default() -> Self {
        NerOptions { batch_tokens: 1024, window: 256, context: 48, scope: Scope::Document }
    }
}

/// What the model sees at once: a unit of text, cut into windows when long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scope {
    /// The whole body, in overlapping windows: the most context, as in training
    /// ("Peskov echoed..." is a person because earlier sentences say so).
    Document,
    /// Each sentence alone: shorter sequences, faster, a little less accurate.
    Sentence,
}

/// The decoded label of one word and its probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordLabel {
    pub label: usize,
    pub prob: f32,
}

impl NerModel {
    /// Labels every word of every unit (each given as its words). A unit is the model's
    /// whole context: a sentence, or a whole document cut into overlapping windows.
    pub fn label_words(&self, units: &[Vec<&str>], opts: NerOptions) -> Result<Vec<Vec<WordLabel>>> {
        Ok(self.decode(&self.unit_logprobs(units, opts)?))
    }

    /// Per-word log-probabilities of every label, `[unit][word][label]`.
    pub fn unit_logprobs(&self, units: &[Vec<&str>], opts: NerOptions) -> Result<Vec<Vec<Vec<f32>>>> {
        let sizes: Vec<usize> = units.iter().map(Vec::len).collect();
        self.word_logprobs(&self.windows(units, opts), &sizes, opts)
    }

    /// The windows of a batch of units, each word turned into its pieces.
    pub fn windows(&self, units: &[Vec<&str>], opts: NerOptions) -> Vec<Window> {
        encode::unit_windows(&self.tokenizer, units, opts.window.min(self.max_len), opts.context)
    }

    /// [`Self::unit_logprobs`] from windows already made, which cover units of
    /// `sizes[unit]` words.
    pub fn word_logprobs(&self, windows: &[Window], sizes: &[usize], opts: NerOptions) -> Result<Vec<Vec<Vec<f32>>>> {
        let n_labels = self.labels.len();
        let mut out: Vec<Vec<Vec<f32>>> = sizes.iter().map(|&n| vec![Vec::new(); n]).collect();
        let lengths: Vec<usize> = windows.iter().map(|w| w.ids.len()).collect();
        for batch in encode::pack(&lengths, opts.batch_tokens) {
            let batch: Vec<&Window> = batch.iter().map(|&i| &windows[i]).collect();
            let (ids, mask) = self.batch_tensors(&batch);
            let logp = tch::no_grad(|| -> Result<Tensor> {
                Ok(self.logits(&ids, &mask, false)?.to_kind(Kind::Float).log_softmax(-1, Kind::Float).to_device(tch::Device::Cpu))
            })?;
            let width = ids.size()[1] as usize;
            let flat: Vec<f32> = Vec::<f32>::try_from(logp.flatten(0, -1))?;
            for (b, w) in batch.iter().enumerate() {
                for &(pos, word) in &w.owned {
                    let at = (b * width + pos) * n_labels;
                    out[w.unit][word] = flat[at..at + n_labels].to_vec();
                }
            }
        }
        Ok(out)
    }

    /// The best label sequence of each unit (IOB2-constrained Viterbi), with each
    /// word's probability.
    pub fn decode(&self, logp: &[Vec<Vec<f32>>]) -> Vec<Vec<WordLabel>> {
        logp.iter()
            .map(|unit| {
                labels::decode(unit, &self.tags)
                    .into_iter()
                    .zip(unit)
                    .map(|(label, row)| WordLabel { label, prob: row[label].exp() })
                    .collect()
            })
            .collect()
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

    /// The mentions of each document, given as its units (each as its word spans) and
    /// their windows (`Window::unit` indexing that document's units). The windows of all
    /// documents are packed into forward passes together.
    pub fn mentions(&self, docs: &[(&[Vec<Span>], &[Window])], opts: NerOptions) -> Result<Vec<Vec<Mention>>> {
        let mut windows = Vec::new();
        let mut sizes = Vec::new();
        for (units, wins) in docs {
            let base = sizes.len();
            windows.extend(wins.iter().map(|w| Window { unit: base + w.unit, ..w.clone() }));
            sizes.extend(units.iter().map(Vec::len));
        }
        let labels = self.decode(&self.word_logprobs(&windows, &sizes, opts)?);
        let mut labels = labels.iter();
        Ok(docs
            .iter()
            .map(|(units, _)| units.iter().zip(labels.by_ref()).flat_map(|(u, l)| self.to_mentions(u, l)).collect())
            .collect())
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
    fn tag(&self, docs: &[(&str, &[Vec<Span>])]) -> Result<Vec<Vec<Mention>>> {
        let windows: Vec<Vec<Window>> = docs
            .iter()
            .map(|(t, units)| {
                let words: Vec<Vec<&str>> = units.iter().map(|u| u.iter().map(|s| s.of(t)).collect()).collect();
                self.model.windows(&words, self.opts)
            })
            .collect();
        let inputs: Vec<_> = docs.iter().zip(&windows).map(|((_, units), w)| (*units, w.as_slice())).collect();
        self.model.mentions(&inputs, self.opts)
    }
}
