//! Segmentation: sentences and words as [`Span`]s of the original text.
//!
//! Words follow CoNLL-2003 conventions, because that is what the NER model was
//! trained on: punctuation is split off, but abbreviations ("U.S.", "S.") and
//! hyphenated words stay whole, and the possessive "'s" is its own word.


mod words;

pub use words::words;
