//! The glue between the stages, all of it torch-free.
//!
//! Per document, [`prepare`] runs the stages that need no model (sentences, words,
//! time) into a [`Prepared`] document; the caller runs NER over its sentences (batched
//! across documents, on whatever device) and [`Prepared::annotate`]s it. Across
//! documents, [`build_timeline`] resolves entities ([`crate::resolve`]), extracts and
//! merges events ([`crate::events`]) and orders them into a graph ([`crate::graph`]),
//! ready for [`crate::export`].

use crate::doc::Span;
use crate::graph::Timeline;
use crate::ingest::Document;
use crate::ner::Mention;
use crate::resolve::Aliases;
use crate::time::Timex;

/// One document with what the earlier stages found in it. Spans are byte offsets into
/// `doc.text`.
#[derive(Debug, Clone)]
pub struct Annotated {
    pub doc: Document,
    /// Sentences in text order (`segment::sentences`). Events are read from those that
    /// overlap `doc.body` (all of them when the body is empty); with no sentences, each
    /// body paragraph counts as one.
    pub sentences: Vec<Span>,
    /// Entity mentions in text order.
    pub mentions: Vec<Mention>,
    /// Temporal expressions in text order, anchored on `doc.dct`.
    pub timexes: Vec<Timex>,
    /// Event triggers and parses, when the model has those heads.
    pub grammar: Grammar,
}

/// What the model's parse and event heads found in a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grammar {
    /// The words of each sentence (of [`Annotated::sentences`]), with their parse.
    pub words: Vec<Vec<Span>>,
    pub parse: Vec<Vec<crate::parse::Token>>,
    /// Event triggers in text order.
    pub events: Vec<crate::events::trigger::EventMention>,
}

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
    let (sentences, words) = crate::segment::sentence_words(&doc.text, &paragraphs(&doc));
    let timexes = crate::time::tag(&doc.text, doc.dct.as_ref());
    Prepared { doc, sentences, words, timexes }
}

impl Prepared {
    /// Adds the NER mentions (in text order) to make the finished document.
    pub fn annotate(self, mentions: Vec<Mention>) -> Annotated {
        Annotated { doc: self.doc, sentences: self.sentences, mentions, timexes: self.timexes, grammar: Grammar::default() }
    }

    /// Adds everything the model found in one pass ([`decode`]).
    pub fn annotate_all(self, model: &crate::model::Model, out: &crate::model::DocOutput) -> Annotated {
        let (mentions, grammar) = decode(model, out, &self.words);
        Annotated { grammar, ..self.annotate(mentions) }
    }
}

/// The spans read for entities and events: the body, or all the text when cleaning
/// found no body.
pub fn paragraphs(d: &Document) -> Vec<Span> {
    if d.body.is_empty() {
        vec![Span::new(0, d.text.len())]
    } else {
        d.body.clone()
    }
}

/// Resolves entities across `docs`, extracts and merges their events and orders them.
/// Deterministic: the same input always gives the same timeline.
pub fn build_timeline(docs: &[Annotated], aliases: Option<&Aliases>) -> Timeline {
    let resolution = crate::resolve::resolve(docs, aliases);
    let events = crate::events::merge(docs, crate::events::extract(docs, &resolution));
    Timeline::new(docs.iter().map(|a| a.doc.clone()).collect(), resolution.entities, events)
}

/// Hand-made [`Annotated`] documents for the unit tests of the later stages.
#[cfg(test)]
pub mod testing {
    use super::*;
    use crate::ner::EntityType;
    use crate::time::{Dct, DctSource, TimexType};
    use chrono::{Datelike, NaiveDate, Weekday};

    /// `text` as one document: each line a body paragraph, sentences split after `.`,
    /// `!` or `?` before a space and a capital (not after a one-letter word); mentions and timexes given by surface text, found in
    /// order, each after the previous of its list. A timex value gets its interval when
    /// it is a day (`2025-07-14`) or an ISO week (`2025-W29`). Panics on a surface not
    /// found: a broken test, not input.
    pub fn annotated(
        id: &str,
        text: &str,
        dct: Option<&str>,
        mentions: &[(&str, EntityType)],
        timexes: &[(&str, &str)],
    ) -> Annotated {
        let dct = dct.map(|d| Dct {
            date: NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("test DCT"),
            datetime: None,
            source: DctSource::Flag,
            span: None,
        });
        let mut body = Vec::new();
        let mut sentences = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end();
            if !content.is_empty() {
                body.push(Span::new(at, at + content.len()));
                let mut start = at;
                for (i, c) in content.char_indices() {
                    let next = content[i + c.len_utf8()..].chars().next();
                    // Not after an initial ("Dmitri S. Peskov").
                    let initial = c == '.' && (i < 2 || content[..i - 1].ends_with(' '));
                    let capital_next = content[i + c.len_utf8()..].trim_start().chars().next().is_none_or(char::is_uppercase);
                    if matches!(c, '.' | '!' | '?') && next.is_none_or(|n| n == ' ') && !initial && capital_next {
                        sentences.push(Span::new(start, at + i + 1));
                        start = at + i + 2;
                    }
                }
                if start < at + content.len() {
                    sentences.push(Span::new(start, at + content.len()));
                }
            }
            at += line.len();
        }
        let find = |from: &mut usize, what: &str| {
            let start = *from + text[*from..].find(what).unwrap_or_else(|| panic!("{what:?} not in {text:?}"));
            *from = start + what.len();
            Span::new(start, start + what.len())
        };
        let mut from = 0;
        let mentions =
            mentions.iter().map(|(s, kind)| Mention { span: find(&mut from, s), kind: *kind, score: 0.9 }).collect();
        let mut from = 0;
        let timexes = timexes
            .iter()
            .map(|(s, value)| Timex {
                span: find(&mut from, s),
                kind: TimexType::Date,
                value: value.to_string(),
                modifier: None,
                interval: interval_of(value),
            })
            .collect();
        let doc = Document {
            id: id.to_string(),
            source: format!("{id}.txt"),
            title: Some(format!("Title {id}")),
            url: None,
            text: text.to_string(),
            dct,
            body,
            related: Vec::new(),
            notes: Vec::new(),
        };
        Annotated { doc, sentences, mentions, timexes, grammar: Grammar::default() }
    }

    /// Three reports of the same events, after the seed articles (shared/seeds): one
    /// dated 2025-07-15 (its relative expressions resolved), two undated.
    pub fn seed_docs() -> Vec<Annotated> {
        use EntityType::*;
        let a = annotated(
            "000",
            "In recent statements, both the Kremlin and Ukrainian President Volodymyr Zelensky hinted at openness. \
             Late Monday, Zelensky conveyed via social media that Ukraine is \"ready for any conversation\" regarding a \
             cease-fire. On Tuesday, Kremlin spokesman Dmitri S. Peskov acknowledged that there are \"nuances\" within \
             Ukraine’s proposal warranting discussion.\n\
             Trump expressed hope on his Truth Social platform on Sunday that a deal could come this week.\n\
             The American diplomatic effort continues with Zelensky announcing a Ukrainian delegation's planned \
             engagement with U.S. and European officials in London. White House envoy Steve Witkoff, who has held \
             multiple meetings with Russian President Vladimir V. Putin since February, is also set for another Moscow \
             visit later this week.\n",
            Some("2025-07-15"),
            &[("Kremlin", ORG), ("Ukrainian", MISC), ("Volodymyr Zelensky", PER), ("Zelensky", PER), ("Ukraine", LOC),
              ("Kremlin", ORG), ("Dmitri S. Peskov", PER), ("Ukraine", LOC), ("Trump", PER), ("Truth Social", MISC),
              ("American", MISC), ("Zelensky", PER), ("Ukrainian", MISC), ("U.S.", LOC), ("European", MISC),
              ("London", LOC), ("White House", ORG), ("Steve Witkoff", PER), ("Russian", MISC),
              ("Vladimir V. Putin", PER), ("Moscow", LOC)],
            &[("Late Monday", "2025-07-14"), ("Tuesday", "2025-07-15"), ("Sunday", "2025-07-13"),
              ("this week", "2025-W29"), ("February", "2025-02"), ("later this week", "2025-W29")],
        );
        let b = annotated(
            "001",
            "On Monday, Ukrainian President Volodymyr Zelensky expressed via social media the country's readiness for \
             discussions around a cease-fire. Concurrently, Dmitri S. Peskov, spokesperson for the Kremlin, remarked \
             that there are “nuances” in the proposals from Ukraine worth discussing.\n\
             On the diplomatic front, developments are expected with a Ukrainian delegation scheduled to meet U.S. and \
             European officials in London. Trump also shared his optimism on social media, indicating, “I hope Russia \
             and Ukraine will make a deal this week,\" while noting the economic benefits for America. He further \
             warned, however, that a lack of cooperation from either side could lead the U.S. to withdraw its support.\n",
            None,
            &[("Ukrainian", MISC), ("Volodymyr Zelensky", PER), ("Dmitri S. Peskov", PER), ("Kremlin", ORG),
              ("Ukraine", LOC), ("Ukrainian", MISC), ("U.S.", LOC), ("European", MISC), ("London", LOC), ("Trump", PER),
              ("Russia", LOC), ("Ukraine", LOC), ("America", LOC), ("U.S.", LOC)],
            &[("Monday", "XXXX-WXX-1"), ("this week", "XXXX-WXX")],
        );
        let c = annotated(
            "003",
            "Both President Volodymyr Zelensky of Ukraine and Kremlin spokesman Dmitri S. Peskov have made statements \
             indicating a readiness for potential direct negotiations this week. In a social media post, Zelensky \
             claimed Ukraine was \"ready for any conversation\" about a cease-fire targeting civilian infrastructure. \
             Peskov echoed this sentiment but hinted that existing proposals from Ukraine contained \"nuances\" worth \
             discussing.\n\
             Reports suggest that White House envoy Steve Witkoff, who has had several interactions with Russian \
             President Vladimir Putin, is set to travel to Moscow as early as this week.\n",
            None,
            &[("President Volodymyr Zelensky", PER), ("Ukraine", LOC), ("Kremlin", ORG), ("Dmitri S. Peskov", PER),
              ("Zelensky", PER), ("Ukraine", LOC), ("Peskov", PER), ("Ukraine", LOC), ("White House", ORG),
              ("Steve Witkoff", PER), ("Russian", MISC), ("Vladimir Putin", PER), ("Moscow", LOC)],
            &[("this week", "XXXX-WXX"), ("this week", "XXXX-WXX")],
        );
        vec![a, b, c]
    }

    fn interval_of(value: &str) -> Option<(NaiveDate, NaiveDate)> {
        if let Ok(d) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            return Some((d, d));
        }
        let (year, week) = value.split_once("-W")?;
        let monday = NaiveDate::from_isoywd_opt(year.parse().ok()?, week.parse().ok()?, Weekday::Mon)?;
        Some((monday, monday + chrono::Days::new(6))).filter(|(m, _)| m.weekday() == Weekday::Mon)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::annotated;
    use super::*;
    use crate::ner::EntityType;
    use crate::time::TimexType;
    use proptest::prelude::*;

    fn span(a: usize, b: usize) -> Span {
        Span::new(a.min(b), a.max(b))
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
            let _ = crate::export::to_dot(&t);
        }
    }
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
pub fn decode(model: &crate::model::Model, out: &crate::model::DocOutput, words: &[Vec<Span>]) -> (Vec<Mention>, Grammar) {
    let flat = words.concat();
    let grammar = match model.heads.as_ref().filter(|_| !out.tags.is_empty() || flat.is_empty()) {
        Some(h) => Grammar {
            events: crate::events::trigger::decode(&h.spec, out, &flat),
            parse: crate::parse::decode(&h.spec, out, &words.iter().map(Vec::len).collect::<Vec<_>>()),
            words: words.to_vec(),
        },
        None => Grammar { words: words.to_vec(), ..Grammar::default() },
    };
    (crate::ner::mentions(model, out, &flat), grammar)
}

/// Runs the model once over `paragraphs` of each text (all its sentences in shared
/// forward passes) and decodes entities, events and parses from that one pass.
pub fn layers(model: &crate::model::Model, texts: &[(&str, Vec<Span>)], opts: crate::model::Options) -> anyhow::Result<Vec<Layers>> {
    let split: Vec<(Vec<Span>, Vec<Vec<Span>>)> = texts.iter().map(|(t, p)| crate::segment::sentence_words(t, p)).collect();
    let words: Vec<Vec<Vec<&str>>> = texts
        .iter()
        .zip(&split)
        .map(|((t, _), (_, w))| w.iter().map(|s| s.iter().map(|x| x.of(t)).collect()).collect())
        .collect();
    let outputs = model.run_sentences(&words, opts)?;
    Ok(split
        .into_iter()
        .zip(outputs)
        .map(|((sentences, words), out)| {
            let (mentions, grammar) = decode(model, &out, &words);
            Layers { sentences, mentions, grammar }
        })
        .collect())
}
