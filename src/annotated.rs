//! A document with what the per-document stages found in it: the input of the stages
//! that work across documents ([`crate::resolve`], [`crate::events`]). It sits below
//! them, so that data flows one way, from file to timeline.

use crate::doc::Span;
use crate::ingest::Document;
use crate::ner::Mention;
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
    pub events: Vec<crate::triggers::EventMention>,
}

/// Hand-made [`Annotated`] documents for the unit tests of the later stages.
#[cfg(test)]
pub mod testing {
    use super::*;
    use crate::doc::Span;
    use crate::ingest::Document;
    use crate::ner::{EntityType, Mention};
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

