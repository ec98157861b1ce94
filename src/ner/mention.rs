//! What NER produces, free of any model dependency so later stages can use it alone.

use crate::doc::Span;
use serde::Serialize;

/// The CoNLL-2003 entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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

/// Anything that finds entity mentions in texts split into words: the transformer
/// model, or a fixed list in tests of later stages.
pub trait EntityTagger {
    /// For each `(text, words)`, its mentions in text order.
    fn tag(&self, docs: &[(&str, &[Span])]) -> anyhow::Result<Vec<Vec<Mention>>>;
}
