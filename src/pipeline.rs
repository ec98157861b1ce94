//! The one place that knows the stages and their order; every command that runs more
//! than one stage runs them through here (the single-stage commands and their evals,
//! `ner`, `times`, `parse --conllu`, `eval ner|ud|timeml`, call their stage directly).
//!
//! ```text
//! per document   ingest (the caller reads) → prepare: segment, time → model: entities,
//!                parse, event triggers, coreference links → Annotated
//! across them    resolve → events (extract, merge) → publication days inferred for
//!                undated documents → graph (Timeline)
//! ```
//!
//! Per document, [`prepare`] runs the stages that need no model into a [`Prepared`]
//! document; [`annotate_all`] runs the model over the sentences of many (batched across
//! documents) and decodes what it found. `batch` schedules the same two calls over a
//! stream (its reader thread prepares, its main thread runs the model), and the
//! commands over plain text ([`Document::plain`]) take the same path with the whole text as body.
//! Across documents, [`build_timeline`] runs the rest, in order, with one explicit step
//! in between: [`infer_publication_dates`], after which the documents whose publication
//! day was inferred have their dates, and all their events, read again.

use crate::annotated::{Annotated, Grammar};
use crate::doc::{DocId, Span};
use crate::events::Event;
use crate::graph::{DocText, Timeline};
use crate::ingest::Document;
use crate::model::coref::EventCoref;
use crate::ner::Mention;
use crate::resolve::{Aliases, Resolution};
use crate::time::Timex;

/// A document with its model-free stages done, waiting for the model.
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
    let DocText { sentences, timexes } = DocText::of(&doc);
    let words = sentences.iter().map(|s| crate::segment::words(&doc.text, *s)).collect();
    Prepared {
        doc,
        sentences,
        words,
        timexes,
    }
}

impl Prepared {
    /// Adds everything the model found in one pass over this document's sentences.
    pub fn annotate_all(self, model: &crate::model::Model, out: &crate::model::DocOutput) -> Annotated {
        let (mentions, grammar) = decode(model, out, &self.doc.text, &self.words);
        Annotated {
            doc: self.doc,
            sentences: self.sentences,
            mentions,
            timexes: self.timexes,
            grammar,
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
    let outputs = model.run_spans(&docs, model.with_grammar(opts))?;
    drop(docs);
    Ok(prepared
        .into_iter()
        .zip(&outputs)
        .map(|(p, out)| p.annotate_all(model, out))
        .collect())
}

/// The stages across documents, in order: entities resolved, events extracted and
/// merged, publication days inferred for undated documents, the graph. Deterministic:
/// the same input always gives the same timeline.
pub fn build_timeline(docs: &[Annotated], aliases: Option<&Aliases>, coref: Option<&EventCoref>) -> Timeline {
    let resolution = crate::resolve::resolve(docs, aliases);
    let events = self::events(docs, &resolution, coref);
    let redated = infer_publication_dates(docs, &events);
    // Their relative dates now hang on the inferred day, and so do their events'.
    let events = match &redated {
        Some(redated) => self::events(redated, &resolution, coref),
        None => events,
    };
    let annotated = redated.as_deref().unwrap_or(docs);
    let evidence = docs
        .iter()
        .zip(annotated)
        .enumerate()
        .map(|(u, (before, after))| match (&before.doc.dct, &after.doc.dct) {
            (None, Some(_)) => crate::events::dating::shared(annotated, &events, DocId(u)),
            _ => Vec::new(),
        })
        .collect();
    let (documents, texts) = match redated {
        Some(redated) => redated
            .into_iter()
            .map(|a| {
                (
                    a.doc,
                    DocText {
                        sentences: a.sentences,
                        timexes: a.timexes,
                    },
                )
            })
            .unzip(),
        None => docs
            .iter()
            .map(|a| {
                (
                    a.doc.clone(),
                    DocText {
                        sentences: a.sentences.clone(),
                        timexes: a.timexes.clone(),
                    },
                )
            })
            .unzip(),
    };
    Timeline {
        texts,
        ..Timeline::new(documents, resolution.entities, events, evidence)
    }
}

/// The events of `docs`, read sentence by sentence and merged across sentences and
/// documents (by the event coreference head `coref` when the model has one).
fn events(docs: &[Annotated], resolution: &Resolution, coref: Option<&EventCoref>) -> Vec<Event> {
    crate::events::merge(
        crate::events::extract(docs, resolution, crate::events::Dating::shipped()),
        coref,
    )
}

/// Undated documents that report events which dated ones also report take the
/// publication day that fits those events best ([`crate::events::dating`]), and their
/// date expressions are read again from it (the time stage, once more for them). The
/// documents with those days, or None when no day was inferred (nothing is copied then).
pub fn infer_publication_dates(docs: &[Annotated], events: &[Event]) -> Option<Vec<Annotated>> {
    let inferred = crate::events::dating::infer(docs, events);
    if inferred.iter().all(Option::is_none) {
        return None;
    }
    let redated = docs
        .iter()
        .zip(&inferred)
        .map(|(a, day)| {
            let mut a = a.clone();
            if let Some(day) = day {
                a.doc.dct = Some(crate::events::dating::inferred_dct(*day));
                a.timexes = crate::time::tag(&a.doc.text, a.doc.dct.as_ref());
            }
            a
        })
        .collect();
    Some(redated)
}

/// Decodes one document's model output, given the words of each sentence in the order
/// the model numbered them: entity mentions, and the grammar when the model has heads.
fn decode(
    model: &crate::model::Model,
    out: &crate::model::DocOutput,
    text: &str,
    words: &[Vec<Span>],
) -> (Vec<Mention>, Grammar) {
    let flat = words.concat();
    // The heads ran when their tags are there (or when there was nothing to tag).
    let grammar = match model.heads.as_ref().filter(|_| !out.tags.is_empty() || flat.is_empty()) {
        Some(h) => Grammar {
            events: crate::triggers::decode(&h.spec, model.event_coref.as_ref(), out, &flat),
            parse: crate::parse::decode(&h.spec, out, &words.iter().map(Vec::len).collect::<Vec<_>>()),
            coref: model
                .entity_coref
                .as_ref()
                .map(|c| {
                    let pronoun = h.spec.upos.iter().position(|u| u == "PRON").map(|p| p as u16);
                    crate::chains::decode(c, out, pronoun, text, words)
                })
                .unwrap_or_default(),
            words: words.to_vec(),
        },
        None => Grammar {
            words: words.to_vec(),
            ..Grammar::default()
        },
    };
    // A name never runs from one sentence into the next (a headline into the line below).
    let mut mentions = crate::ner::mentions(model, out, &flat);
    mentions.retain(|m| {
        words.iter().any(|w| {
            w.first()
                .zip(w.last())
                .is_some_and(|(a, b)| a.start <= m.span.start && m.span.end <= b.end)
        })
    });
    (mentions, grammar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotated::testing::annotated;
    use crate::doc::EventId;
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
        let t = build_timeline(&[dated, undated], None, None);
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
        assert_eq!(t.date_evidence, [vec![], vec![EventId(0)]]);
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
            let t = build_timeline(&docs, None, None);
            prop_assert_eq!(t.order.len(), t.events.len());
            let _ = crate::export::timeline_json(&t);
            let _ = crate::export::timelinejs_json(&t);
            let _ = crate::export::to_dot(&t, &crate::export::DotOptions { focus: vec!["Putin".into()], max_events: Some(2) });
        }
    }
}
