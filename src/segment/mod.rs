//! Segmentation: sentences and words as [`Span`]s of the original text.
//!
//! Words follow CoNLL-2003 conventions, because that is what the NER model was
//! trained on: punctuation is split off, but abbreviations ("U.S.", "S.") and
//! hyphenated words stay whole, and the possessive "'s" is its own word.


mod sentences;
mod words;

pub use sentences::sentences;
pub use words::words;
