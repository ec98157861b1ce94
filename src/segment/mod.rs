//! Segmentation: sentences and words as [`Span`]s of the original text.
//!
//! Words follow CoNLL-2003 conventions, because that is what the NER model was
//! trained on: punctuation is split off, but abbreviations ("U.S.", "S.") and
//! hyphenated words stay whole, and the possessive "'s" is its own word.

mod sentences;
mod words;

pub use sentences::sentences;
pub use words::words;

use crate::doc::Span;

/// The sentences of `paragraphs`, in order, and the words of each: the units the NER
/// model tags one at a time.
pub fn sentence_words(text: &str, paragraphs: &[Span]) -> (Vec<Span>, Vec<Vec<Span>>) {
    let sentences: Vec<Span> = paragraphs.iter().flat_map(|p| self::sentences(text, *p)).collect();
    let words = sentences.iter().map(|s| self::words(text, *s)).collect();
    (sentences, words)
}
