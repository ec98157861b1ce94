//! What NER produces, free of any model dependency so later stages can use it alone.

use crate::doc::Span;
use serde::{Deserialize, Serialize};

/// The CoNLL-2003 entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityType {
    PER,
    LOC,
    ORG,
    MISC,
}

/// One entity mention found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    pub span: Span,
    pub kind: EntityType,
    /// Mean probability of the predicted tags over the mention's words.
    pub score: f32,
}

impl Mention {
    /// The score to four decimals, as output shows it: more digits would only show
    /// float noise from how sentences were batched.
    pub fn rounded_score(&self) -> f64 {
        (f64::from(self.score) * 1e4).round() / 1e4
    }
}

/// Anything that finds entity mentions in texts split into words: the transformer
/// model, or a fixed list in tests of later stages.
pub trait EntityTagger {
    /// For each `(text, sentences)`, its mentions in text order. Each sentence is given
    /// as its words, in text order.
    fn tag(&self, docs: &[(&str, &[Vec<Span>])]) -> anyhow::Result<Vec<Vec<Mention>>>;
}
