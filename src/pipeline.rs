//! The glue between the stages, all of it torch-free.
//!
//! Per document, [`prepare`] runs the stages that need no model (sentences, words,
//! time) into a [`Prepared`] document; the caller runs the model over its sentences
//! (batched across documents, on whatever device: [`annotate_all`] does it in one go)
//! and [`Prepared::annotate_all`]s it. Across documents, [`build_timeline`] resolves
//! entities ([`crate::resolve`]), extracts and merges events ([`crate::events`]), dates
//! undated documents from the events they share with dated ones
//! ([`crate::events::dating`]), and orders the events into a graph ([`crate::graph`]),
//! ready for [`crate::export`].

use crate::annotated::{body, Annotated, Grammar};
use crate::doc::Span;
use crate::graph::Timeline;
use crate::ingest::Document;
use crate::ner::Mention;
use crate::resolve::Aliases;
use crate::time::Timex;

/// A document with its model-free stages done, waiting for NER.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub doc: Document,
    /// Sentences of the body, in text order.
    pub sentences: Vec<Span>,
    /// The words of each sentence.
    pub words: Vec<Vec<Span>>,
    pub timexes: Vec<Timex>,
}

/// Splits `doc`'s body into sentences and words and tags its temporal expressions.
pub fn prepare(doc: Document) -> Prepared {
    let (sentences, words) = crate::segment::sentence_words(&doc.text, &body(&doc));
    let timexes = crate::time::tag(&doc.text, doc.dct.as_ref());
    Prepared {
        doc,
        sentences,
        words,
        timexes,
    }
}

impl Prepared {
    /// Adds the NER mentions (in text order) to make the finished document.
    pub fn annotate(self, mentions: Vec<Mention>) -> Annotated {
        Annotated {
            doc: self.doc,
            sentences: self.sentences,
            mentions,
            timexes: self.timexes,
            grammar: Grammar::default(),
        }
    }

    /// Adds everything the model found in one pass ([`decode`]).
    pub fn annotate_all(self, model: &crate::model::Model, out: &crate::model::DocOutput) -> Annotated {
        let (mentions, grammar) = decode(model, out, &self.words);
        Annotated {
            grammar,
            ..self.annotate(mentions)
        }
    }
}

/// Runs the model over the sentences of `prepared` (all of them in shared forward
/// passes) and annotates each document with everything it found.
pub fn annotate_all(
    model: &crate::model::Model,
    opts: crate::model::Options,
    prepared: Vec<Prepared>,
) -> anyhow::Result<Vec<Annotated>> {
    let docs: Vec<(&str, &[Vec<Span>])> = prepared
        .iter()
        .map(|p| (p.doc.text.as_str(), p.words.as_slice()))
        .collect();
    let outputs = model.run_spans(&docs, crate::model::Options { grammar: true, ..opts })?;
    drop(docs);
    Ok(prepared
        .into_iter()
        .zip(&outputs)
        .map(|(p, out)| p.annotate_all(model, out))
        .collect())
}

/// Resolves entities across `docs`, extracts and merges their events, infers the
/// publication day of undated documents that share events with dated ones (and then
/// reads their dates again from it), and orders the events. Deterministic: the same
/// input always gives the same timeline.
pub fn build_timeline(docs: &[Annotated], aliases: Option<&Aliases>) -> Timeline {
    let resolution = crate::resolve::resolve(docs, aliases);
    let events = crate::events::merge(docs, crate::events::extract(docs, &resolution));
    let inferred = crate::events::dating::infer(docs, &events);
    if inferred.iter().all(Option::is_none) {
        let evidence = vec![Vec::new(); docs.len()];
        return Timeline::new(
            docs.iter().map(|a| a.doc.clone()).collect(),
            resolution.entities,
            events,
            evidence,
        );
    }
    let dated: Vec<Annotated> = docs
        .iter()
        .zip(&inferred)
        .map(|(a, day)| match day {
            Some(day) => {
                let mut a = a.clone();
                a.doc.dct = Some(crate::events::dating::inferred_dct(*day));
                a.timexes = crate::time::tag(&a.doc.text, a.doc.dct.as_ref());
                a
            }
            None => a.clone(),
        })
        .collect();
    let events = crate::events::merge(&dated, crate::events::extract(&dated, &resolution));
    let evidence = (0..dated.len())
        .map(|u| {
            if inferred[u].is_some() {
                crate::events::dating::shared(&dated, &events, u)
            } else {
                Vec::new()
            }
        })
        .collect();
    Timeline::new(
        dated.into_iter().map(|a| a.doc).collect(),
        resolution.entities,
        events,
        evidence,
    )
}

/// Every layer the model gives one text: what `annalist tag` prints.
#[derive(Debug, Clone)]
pub struct Layers {
    pub sentences: Vec<Span>,
    pub mentions: Vec<Mention>,
    /// The words of each sentence, and the events and parses (none without the heads).
    pub grammar: Grammar,
}

/// Decodes one document's model output, given the words of each sentence in the order
/// the model numbered them: entity mentions, and the grammar when the model has heads.
pub fn decode(
    model: &crate::model::Model,
    out: &crate::model::DocOutput,
    words: &[Vec<Span>],
) -> (Vec<Mention>, Grammar) {
    let flat = words.concat();
    // The heads ran when their tags are there (or when there was nothing to tag).
    let grammar = match model.heads.as_ref().filter(|_| !out.tags.is_empty() || flat.is_empty()) {
        Some(h) => Grammar {
            events: crate::triggers::decode(&h.spec, out, &flat),
            parse: crate::parse::decode(&h.spec, out, &words.iter().map(Vec::len).collect::<Vec<_>>()),
            words: words.to_vec(),
        },
        None => Grammar {
            words: words.to_vec(),
            ..Grammar::default()
        },
    };
    (crate::ner::mentions(model, out, &flat), grammar)
}

/// Runs the model once over `paragraphs` of each text (all its sentences in shared
/// forward passes) and decodes entities, events and parses from that one pass.
pub fn layers(
    model: &crate::model::Model,
    texts: &[(&str, Vec<Span>)],
    opts: crate::model::Options,
) -> anyhow::Result<Vec<Layers>> {
    let split: Vec<(Vec<Span>, Vec<Vec<Span>>)> = texts
        .iter()
        .map(|(t, p)| crate::segment::sentence_words(t, p))
        .collect();
    let docs: Vec<(&str, &[Vec<Span>])> = texts
        .iter()
        .zip(&split)
        .map(|((t, _), (_, w))| (*t, w.as_slice()))
        .collect();
    let outputs = model.run_spans(&docs, opts)?;
    Ok(split
        .into_iter()
        .zip(outputs)
        .map(|((sentences, words), out)| {
            let (mentions, grammar) = decode(model, &out, &words);
            Layers {
                sentences,
                mentions,
                grammar,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotated::testing::annotated;
    use crate::ner::EntityType;
    use crate::time::TimexType;
    use proptest::prelude::*;

    fn span(a: usize, b: usize) -> Span {
        Span::new(a.min(b), a.max(b))
    }

    #[test]
    fn an_undated_article_takes_the_day_of_the_dated_one_reporting_its_events() {
        use crate::annotated::testing::parsed;
        let sentence =
            "On/2/case/ADP Monday/4/obl/PROPN Zelensky/4/nsubj/PROPN spoke/0/root/VERB/REPORTING,POS,none,PAST \
                        with/6/case/ADP Putin/4/obl/PROPN about/8/case/ADP peace/4/obl/NOUN ./4/punct/PUNCT";
        let people = [("Zelensky", EntityType::PER), ("Putin", EntityType::PER)];
        let dated = parsed(
            "a",
            Some("2025-07-15"),
            &[sentence],
            &people,
            &[("Monday", "2025-07-14")],
        );
        let undated = parsed("b", None, &[sentence], &people, &[("Monday", "XXXX-WXX-1")]);
        let t = build_timeline(&[dated, undated], None);
        let dct = t.documents[1].dct.as_ref().expect("inferred");
        assert_eq!(
            (dct.date.to_string(), dct.source),
            ("2025-07-15".to_string(), crate::time::DctSource::Inferred)
        );
        assert_eq!(t.events.len(), 1, "{:#?}", t.events);
        let e = &t.events[0];
        assert_eq!(
            (e.sources.len(), e.time.as_ref().map(|t| t.value.as_str())),
            (2, Some("2025-07-14"))
        );
        assert_eq!(t.date_evidence, [vec![], vec![0]]);
    }

    proptest! {
        /// Any text with any spans, in range or not, on char boundaries or not: building
        /// and exporting never panics.
        #[test]
        fn any_annotation_builds_and_exports(
            words in prop::collection::vec(prop_oneof![
                Just("Zelensky"), Just("said"), Just("met"), Just("Putin"), Just("in"), Just("Kyiv"), Just("’s"),
                Just("talks"), Just("with"), Just("."), Just(","), Just("—who"), Just("“quote”"), Just("é🇺🇦"),
                Just("Kremlin spokesman"), Just("He"), Just("\n"), Just("the"), Just("visit"), Just("and"),
            ], 0..40),
            spans in prop::collection::vec((0usize..300, 0usize..300, 0usize..4), 0..20),
        ) {
            let text = words.join(" ");
            let mut a = annotated("p", &text, Some("2025-07-15"), &[], &[]);
            let kinds = [EntityType::PER, EntityType::LOC, EntityType::ORG, EntityType::MISC];
            for (i, (x, y, k)) in spans.iter().enumerate() {
                let s = span(*x, *y);
                match i % 3 {
                    0 => a.mentions.push(crate::ner::Mention { span: s, kind: kinds[*k], score: 0.5 }),
                    1 => a.timexes.push(Timex { span: s, kind: TimexType::Date, value: "2025-07-14".into(), modifier: None,
                        interval: chrono::NaiveDate::from_ymd_opt(2025, 7, 14).map(|d| (d, d)) }),
                    _ => a.sentences.push(s),
                }
            }
            a.mentions.sort_by_key(|m| m.span);
            let docs = vec![a.clone(), a];
            let t = build_timeline(&docs, None);
            prop_assert_eq!(t.order.len(), t.events.len());
            let _ = crate::export::timeline_json(&t);
            let _ = crate::export::timelinejs_json(&t);
            let _ = crate::export::to_dot(&t, &crate::export::DotOptions { focus: vec!["Putin".into()], max_events: Some(2) });
        }
    }
}
