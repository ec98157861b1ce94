//! Event mentions as TimeML annotates them (TempEval-3): a trigger word with its
//! class, polarity, modality, tense and aspect, read off the model's event heads.

use crate::doc::Span;
use crate::model::coref::EventCoref;
use crate::model::heads::{HeadSpec, TAG_HEADS};
use crate::model::DocOutput;
use crate::time::timeml::{EventAttrs, Modality};
use serde::Serialize;

/// One event trigger found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventMention {
    pub span: Span,
    #[serde(flatten)]
    pub attrs: EventAttrs,
    /// The probability of the trigger's class.
    pub score: f32,
    /// Its unit vector from the event coreference head ([`crate::model::coref`]), which
    /// events are compared by; empty without that head.
    #[serde(skip)]
    pub vector: Vec<f32>,
}

impl EventMention {
    /// The score to four decimals, as output shows it.
    pub fn rounded_score(&self) -> f64 {
        (f64::from(self.score) * 1e4).round() / 1e4
    }
}

/// The event mentions of a document from the model's output, given its words in the
/// order the model numbered them, with their vectors when `coref` is given and the run
/// returned the words' hidden states.
///
/// Labels are read as NER reads its own ([`crate::ner::labels::Tag::parse`]): a class
/// label that is no TimeML class (another scheme's, in a model not trained here) marks no
/// event, and a polarity, tense or aspect label outside TimeML reads as the unmarked
/// value (POS, NONE). The bundled model's labels are all TimeML's.
pub fn decode(spec: &HeadSpec, coref: Option<&EventCoref>, out: &DocOutput, words: &[Span]) -> Vec<EventMention> {
    let head = |name: &str| TAG_HEADS.iter().position(|h| *h == name).expect("a per-word head");
    let label = |tags: &crate::model::WordTags, name: &str| {
        spec.labels(name)
            .get(usize::from(tags[head(name)].label))
            .map_or("", String::as_str)
    };
    let event = head("event");
    out.tags
        .iter()
        .zip(words)
        .enumerate()
        .filter(|(_, (t, _))| t[event].label != 0)
        .filter_map(|(i, (t, &span))| {
            Some(EventMention {
                span,
                attrs: EventAttrs {
                    class: label(t, "event").parse().ok()?,
                    polarity: unmarked_unless(label(t, "polarity")),
                    modality: Modality::new(label(t, "modality")),
                    tense: unmarked_unless(label(t, "tense")),
                    aspect: unmarked_unless(label(t, "aspect")),
                },
                score: crate::model::four_decimals(t[event].prob),
                vector: vector(coref, out, i),
            })
        })
        .collect()
}

/// The vector of word `i` from its hidden state in `out`, when both are there.
pub fn vector(coref: Option<&EventCoref>, out: &DocOutput, i: usize) -> Vec<f32> {
    match (coref, out.vectors.get(i)) {
        (Some(c), Some(h)) if !h.is_empty() => c.embed(h),
        _ => Vec::new(),
    }
}

/// The value `label` names, else the unmarked one.
fn unmarked_unless<T: std::str::FromStr + Default>(label: &str) -> T {
    label.parse().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Pick, WordTags};
    use crate::time::timeml::{Aspect, EventClass, Polarity, Tense};

    #[test]
    fn labels_decode_to_timeml_values() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
        let spec = HeadSpec {
            upos: v(&["NOUN"]),
            deprel: v(&["root"]),
            event: v(&["O", "REPORTING", "HAPPENING"]),
            polarity: v(&["POS", "NEG"]),
            modality: v(&["none", "would"]),
            tense: v(&["NONE", "PAST", "PLUPERFECT"]),
            aspect: v(&["NONE", "PERFECTIVE"]),
            arc_dim: 1,
            rel_dim: 1,
        };
        // Per word: upos, event, polarity, modality, tense, aspect.
        let word = |labels: [u16; 6]| -> WordTags { labels.map(|label| Pick { label, prob: 0.5 }) };
        let out = DocOutput {
            ner: Vec::new(),
            tags: vec![
                word([0, 1, 1, 1, 1, 1]),
                word([0, 0, 1, 1, 1, 1]),
                word([0, 2, 0, 0, 0, 0]),
                word([0, 1, 0, 0, 2, 0]),
            ],
            parts: Vec::new(),
            ..DocOutput::default()
        };
        let words: Vec<Span> = (0..4).map(|i| Span::new(2 * i, 2 * i + 1)).collect();
        let got = decode(&spec, None, &out, &words);
        let attrs = &got[0].attrs;
        assert_eq!(
            (
                attrs.class,
                attrs.polarity,
                attrs.modality.word(),
                attrs.tense,
                attrs.aspect
            ),
            (
                EventClass::Reporting,
                Polarity::Neg,
                Some("would"),
                Tense::Past,
                Aspect::Perfective
            )
        );
        let spans: Vec<Span> = got.iter().map(|m| m.span).collect();
        assert_eq!(
            spans,
            [words[0], words[3]],
            "O and a class outside TimeML mark no event"
        );
        assert_eq!(
            (got[1].attrs.tense, got[1].attrs.modality.word()),
            (Tense::None, None),
            "a tense outside TimeML reads as unmarked"
        );
    }
}
