//! Event mentions as TimeML annotates them (TempEval-3): a trigger word with its
//! class, polarity, modality, tense and aspect, read off the model's event heads.

use crate::doc::Span;
use crate::model::heads::{HeadSpec, TAG_HEADS};
use crate::model::DocOutput;
use crate::time::timeml::EventAttrs;
use serde::Serialize;

/// One event trigger found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventMention {
    pub span: Span,
    #[serde(flatten)]
    pub attrs: EventAttrs,
    /// The probability of the trigger's class.
    pub score: f32,
}

impl EventMention {
    /// The score to four decimals, as output shows it.
    pub fn rounded_score(&self) -> f64 {
        (f64::from(self.score) * 1e4).round() / 1e4
    }
}

/// The event mentions of a document from the model's output, given its words in the
/// order the model numbered them.
pub fn decode(spec: &HeadSpec, out: &DocOutput, words: &[Span]) -> Vec<EventMention> {
    let head = |name: &str| TAG_HEADS.iter().position(|h| *h == name).expect("a per-word head");
    let label = |tags: &crate::model::WordTags, name: &str| {
        spec.labels(name)
            .get(usize::from(tags[head(name)].label))
            .cloned()
            .unwrap_or_default()
    };
    let event = head("event");
    out.tags
        .iter()
        .zip(words)
        .filter(|(t, _)| t[event].label != 0)
        .map(|(t, &span)| EventMention {
            span,
            attrs: EventAttrs {
                class: label(t, "event"),
                polarity: label(t, "polarity"),
                modality: label(t, "modality"),
                tense: label(t, "tense"),
                aspect: label(t, "aspect"),
            },
            score: crate::model::four_decimals(t[event].prob),
        })
        .collect()
}
