//! Event coreference on ECB+ ([`super::ecb`]): what `annalist eval ecb` measures and
//! what `annalist train event-coref` learns from.
//!
//! A topic's documents go through the pipeline as one run, one line per ECB+ sentence
//! (one body paragraph each, so no sentence crosses a line). Events are compared with
//! the gold by their triggers: a trigger is a gold mention when it lies inside the
//! mention's tokens, first to last, and only triggers and mentions in the selected
//! sentences count (the README's convention). Each gold mention is matched once; a
//! second trigger inside it is spurious.

use super::coref::{CorefCounts, Prf};
use super::ecb::{EcbDoc, Topic};
use crate::annotated::Annotated;
use crate::doc::Span;
use crate::ingest::Document;
use crate::model::{Model, Options, Vectors};
use crate::pipeline::prepare;
use crate::time::timeml::{EventAttrs, EventClass, Polarity};
use crate::triggers::EventMention;
use anyhow::Result;
use std::collections::HashMap;

/// Where a topic's event triggers come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Triggers {
    /// The model's event head, as in every run.
    Predicted,
    /// The gold mentions, one trigger word each (coreference alone is measured).
    Gold,
}

/// The topic's documents annotated by `model` as the pipeline annotates them, with the
/// event triggers of `triggers`. Each trigger carries the head's vector, or, when the
/// model has no event coreference head, the encoder's hidden state (what the head is
/// trained on).
pub fn annotate(model: &Model, opts: Options, topic: &Topic, triggers: Triggers) -> Result<Vec<Annotated>> {
    let prepared: Vec<_> = topic.docs.iter().map(|d| prepare(document(topic, d))).collect();
    let inputs: Vec<(&str, &[Vec<Span>])> = prepared
        .iter()
        .map(|p| (p.doc.text.as_str(), p.words.as_slice()))
        .collect();
    let raw = model.event_coref.is_none();
    let vectors = if raw || triggers == Triggers::Gold {
        Vectors::All
    } else {
        Vectors::Events
    };
    let outputs = model.run_spans(
        &inputs,
        Options {
            vectors,
            ..model.with_grammar(opts)
        },
    )?;
    drop(inputs);
    Ok(prepared
        .into_iter()
        .zip(&outputs)
        .zip(&topic.docs)
        .map(|((p, out), gold)| {
            let mut a = p.annotate_all(model, out);
            let words = a.grammar.words.concat();
            let vector = |i: usize| match &model.event_coref {
                Some(_) => crate::triggers::vector(model.event_coref.as_ref(), out, i),
                None => out.vectors.get(i).cloned().unwrap_or_default(),
            };
            if triggers == Triggers::Gold {
                a.grammar.events = gold_triggers(&a, gold);
            }
            for e in &mut a.grammar.events {
                if let Some(i) = words.iter().position(|w| *w == e.span) {
                    e.vector = vector(i);
                }
            }
            a
        })
        .collect())
}

/// One ECB+ document as the pipeline reads it: no publication date, each line a paragraph.
fn document(topic: &Topic, d: &EcbDoc) -> Document {
    let mut doc = Document::plain(&format!("{}/{}", topic.id, d.name), d.text.clone());
    doc.body = d.sentences.iter().map(|(_, s)| *s).collect();
    doc
}

/// A trigger word for each gold mention of `gold`: the word of the mention the model
/// tags as an event, else its last verb, noun or adjective, else its first word.
fn gold_triggers(a: &Annotated, gold: &EcbDoc) -> Vec<EventMention> {
    let words = a.grammar.words.concat();
    let upos: Vec<&str> = a.grammar.parse.iter().flatten().map(|t| t.upos.as_str()).collect();
    let mut out: Vec<EventMention> = gold
        .mentions
        .iter()
        .filter_map(|m| {
            let inside: Vec<usize> = (0..words.len()).filter(|&i| m.span.contains(words[i])).collect();
            let tagged = a.grammar.events.iter().find(|e| m.span.contains(e.span));
            let word = tagged
                .and_then(|e| inside.iter().copied().find(|&i| words[i] == e.span))
                .or_else(|| {
                    inside
                        .iter()
                        .rev()
                        .copied()
                        .find(|&i| matches!(upos.get(i), Some(&"VERB" | &"NOUN" | &"ADJ")))
                })
                .or_else(|| inside.first().copied())?;
            let mut attrs = tagged.map_or_else(
                || EventAttrs {
                    class: EventClass::Occurrence,
                    polarity: Polarity::default(),
                    modality: Default::default(),
                    tense: Default::default(),
                    aspect: Default::default(),
                },
                |e| e.attrs.clone(),
            );
            attrs.class = class(&m.tag);
            if m.tag.starts_with("NEG_") {
                attrs.polarity = Polarity::Neg;
            }
            Some(EventMention {
                span: words[word],
                attrs,
                score: tagged.map_or(1.0, |e| e.score),
                vector: Vec::new(),
            })
        })
        .collect();
    out.sort_by_key(|e| e.span.start);
    out.dedup_by_key(|e| e.span);
    out
}

/// The TimeML class of an ECB+ event tag (`ACTION_OCCURRENCE`, `NEG_ACTION_STATE`, ...).
fn class(tag: &str) -> EventClass {
    match tag.trim_start_matches("NEG_").trim_start_matches("ACTION_") {
        "REPORTING" => EventClass::Reporting,
        "STATE" => EventClass::State,
        "ASPECTUAL" => EventClass::Aspectual,
        "PERCEPTION" => EventClass::Perception,
        _ => EventClass::Occurrence,
    }
}

/// A trigger in a document: (document index, trigger span).
pub type Trigger = (usize, Span);

/// How the triggers of a topic match its gold mentions.
#[derive(Debug, Clone)]
pub struct Matching {
    /// Per trigger in the selected sentences: the gold mention's id (its index in the
    /// topic's gold mentions, in document order), or None when spurious.
    pub gold: HashMap<Trigger, Option<usize>>,
    /// Gold mentions in the topic.
    pub mentions: usize,
}

impl Matching {
    /// Matches `triggers` (each once, in the order given) with the gold mentions of `topic`.
    pub fn new(topic: &Topic, triggers: &[Trigger]) -> Matching {
        let mut ids = Vec::new();
        for (d, doc) in topic.docs.iter().enumerate() {
            for m in &doc.mentions {
                ids.push((d, m.span));
            }
        }
        let mut used = vec![false; ids.len()];
        let mut gold = HashMap::new();
        for &(d, span) in triggers {
            let doc = &topic.docs[d];
            let selected = doc
                .sentences
                .iter()
                .any(|(n, s)| doc.selected.contains(n) && s.contains(span));
            if !selected || gold.contains_key(&(d, span)) {
                continue;
            }
            let id = (0..ids.len()).find(|&i| !used[i] && ids[i].0 == d && ids[i].1.contains(span));
            if let Some(i) = id {
                used[i] = true;
            }
            gold.insert((d, span), id);
        }
        Matching {
            gold,
            mentions: ids.len(),
        }
    }

    /// Mention precision, recall and F1.
    pub fn mention_prf(&self) -> Prf {
        let correct = self.gold.values().filter(|g| g.is_some()).count();
        Prf::from_counts(correct as f64, self.gold.len() as f64, self.mentions as f64)
    }

    /// The coreference counts of `clusters` of triggers against the topic's gold clusters
    /// (triggers outside the selected sentences left out; spurious ones as mentions of
    /// their own).
    pub fn counts(&self, topic: &Topic, clusters: &[Vec<Trigger>]) -> CorefCounts {
        let offsets = mention_offsets(topic);
        let key: Vec<Vec<usize>> = topic
            .gold_clusters()
            .into_iter()
            .map(|c| c.into_iter().map(|(d, m)| offsets[d] + m).collect())
            .collect();
        let mut spurious = self.mentions;
        let response: Vec<Vec<usize>> = clusters
            .iter()
            .map(|c| {
                c.iter()
                    .filter_map(|t| self.gold.get(t))
                    .map(|g| {
                        g.unwrap_or_else(|| {
                            spurious += 1;
                            spurious
                        })
                    })
                    .collect()
            })
            .collect();
        CorefCounts::new(&key, &response)
    }
}

/// Where each document's gold mentions start in the topic's numbering of them.
pub fn mention_offsets(topic: &Topic) -> Vec<usize> {
    topic
        .docs
        .iter()
        .scan(0, |at, d| {
            let first = *at;
            *at += d.mentions.len();
            Some(first)
        })
        .collect()
}

/// The baseline: triggers with the same lowercased word are one event.
pub fn same_word(topic: &Topic, triggers: &[Trigger]) -> Vec<Vec<Trigger>> {
    let mut groups: Vec<(String, Vec<Trigger>)> = Vec::new();
    for &(d, span) in triggers {
        let word = span.of(&topic.docs[d].text).to_lowercase();
        match groups.iter_mut().find(|(w, _)| *w == word) {
            Some((_, g)) => g.push((d, span)),
            None => groups.push((word, vec![(d, span)])),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic() -> Topic {
        crate::eval::ecb::read(std::path::Path::new("tests/fixtures/ecb"), None)
            .expect("the fixture")
            .remove(0)
    }

    /// The first word of `word` in document `d`'s text, as a trigger.
    fn at(t: &Topic, d: usize, word: &str) -> Trigger {
        let start = t.docs[d].text.find(word).expect("the word");
        (d, Span::new(start, start + word.len()))
    }

    #[test]
    fn the_gold_mentions_as_triggers_score_one_and_the_rest_is_spurious_or_ignored() {
        let t = topic();
        let gold: Vec<Trigger> = t
            .docs
            .iter()
            .enumerate()
            .flat_map(|(d, doc)| doc.mentions.iter().map(move |m| (d, m.span)))
            .collect();
        let perfect: Vec<Vec<Trigger>> = t
            .gold_clusters()
            .into_iter()
            .map(|c| c.into_iter().map(|(d, m)| (d, t.docs[d].mentions[m].span)).collect())
            .collect();
        let m = Matching::new(&t, &gold);
        assert_eq!((m.mention_prf().p, m.mention_prf().r), (1.0, 1.0));
        assert_eq!(m.counts(&t, &perfect).scores().conll, 1.0);
        // "fence" is in a selected sentence and no mention: spurious; "rested" is in a
        // sentence that was not selected: not counted at all.
        let (fence, rested) = (at(&t, 0, "fence"), at(&t, 0, "rested"));
        let more: Vec<Trigger> = gold.iter().copied().chain([fence, rested]).collect();
        let m = Matching::new(&t, &more);
        assert_eq!(m.gold.get(&fence), Some(&None));
        assert!(!m.gold.contains_key(&rested));
        let prf = m.mention_prf();
        assert_eq!(prf.r, 1.0);
        assert!((prf.p - gold.len() as f64 / (gold.len() + 1) as f64).abs() < 1e-9);
        let with_fence: Vec<Vec<Trigger>> = perfect.iter().cloned().chain([vec![fence]]).collect();
        assert!(m.counts(&t, &with_fence).scores().conll < 1.0);
    }

    #[test]
    fn the_baseline_groups_one_word_across_documents() {
        let t = topic();
        let painted = [at(&t, 0, "painted"), at(&t, 1, "painted")];
        let groups = same_word(&t, &[painted[0], at(&t, 0, "said"), painted[1]]);
        assert_eq!(groups, vec![painted.to_vec(), vec![at(&t, 0, "said")]]);
    }
}
