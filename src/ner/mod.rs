//! Named entities: a transformer token classifier (rust-bert on libtorch) over
//! CoNLL-style words, with document-level windows and constrained IOB2 decoding.

pub mod labels;
mod mention;

pub use mention::{EntityTagger, EntityType, Mention};

use crate::doc::Span;
use crate::model::{DocOutput, Model, Options};
use anyhow::Result;

/// The decoded label of one word and its probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WordLabel {
    pub label: usize,
    pub prob: f32,
}

/// How word labels are read off the model's scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Decoding {
    /// The best IOB2-valid sequence ([`labels::decode`]): what the pipeline uses.
    #[default]
    Viterbi,
    /// Each word's most likely label on its own (an "I-ORG" after "B-PER" starts a new
    /// entity): the decoding before the constrained one, kept to measure it against.
    Argmax,
}

/// Labels every word of every document (each given as its sentences' words), in text
/// order across the document.
pub fn label_words(
    model: &Model,
    docs: &[Vec<Vec<&str>>],
    opts: Options,
    decoding: Decoding,
) -> Result<Vec<Vec<WordLabel>>> {
    let opts = Options { grammar: false, ..opts };
    Ok(model
        .run_sentences(docs, opts)?
        .iter()
        .map(|o| match decoding {
            Decoding::Viterbi => decode(model, &o.ner),
            Decoding::Argmax => o.ner.iter().map(|row| most_likely(row)).collect(),
        })
        .collect())
}

/// A word's most likely label by its log-probabilities.
fn most_likely(logp: &[f32]) -> WordLabel {
    let label = labels::best(logp);
    WordLabel {
        label,
        prob: logp.get(label).map_or(0.0, |p| p.exp()),
    }
}

/// The best label sequence of a document (IOB2-constrained Viterbi), with each word's
/// probability.
pub fn decode(model: &Model, logp: &[Vec<f32>]) -> Vec<WordLabel> {
    let tags: Vec<labels::Tag> = model.labels.iter().map(|l| labels::Tag::parse(l)).collect();
    labels::decode(logp, &tags)
        .into_iter()
        .zip(logp)
        .map(|(label, row)| WordLabel {
            label,
            prob: row[label].exp(),
        })
        .collect()
}

/// The mentions of a document from the model's output, given its words in order.
pub fn mentions(model: &Model, out: &DocOutput, words: &[Span]) -> Vec<Mention> {
    to_mentions(model, words, &decode(model, &out.ner))
}

/// Groups labelled words into mentions.
pub fn to_mentions(model: &Model, words: &[Span], labels: &[WordLabel]) -> Vec<Mention> {
    let tags: Vec<labels::Tag> = labels
        .iter()
        .map(|l| labels::Tag::parse(&model.labels[l.label]))
        .collect();
    labels::entities(&tags)
        .into_iter()
        .map(|(s, e, kind)| Mention {
            span: Span::new(words[s].start, words[e - 1].end),
            kind,
            score: crate::model::four_decimals(labels[s..e].iter().map(|l| l.prob).sum::<f32>() / (e - s) as f32),
        })
        .collect()
}

/// The model with its inference options, as an [`EntityTagger`].
pub struct Ner {
    pub model: Model,
    pub opts: Options,
}

impl EntityTagger for Ner {
    fn tag(&self, docs: &[(&str, &[Vec<Span>])]) -> Result<Vec<Vec<Mention>>> {
        let outputs = self.model.run_spans(
            docs,
            Options {
                grammar: false,
                ..self.opts
            },
        )?;
        Ok(docs
            .iter()
            .zip(&outputs)
            .map(|((_, sentences), out)| mentions(&self.model, out, &sentences.concat()))
            .collect())
    }
}
