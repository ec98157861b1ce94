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

/// The spans read for entities and events: the body, or all the text when cleaning
/// found no body.
pub fn body(d: &Document) -> Vec<Span> {
    if d.body.is_empty() {
        vec![Span::new(0, d.text.len())]
    } else {
        d.body.clone()
    }
}

/// What the model's parse and event heads found in a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grammar {
    /// The words of each sentence (of [`Annotated::sentences`]), with their parse.
    pub words: Vec<Vec<Span>>,
    pub parse: Vec<Vec<crate::parse::Token>>,
    /// Event triggers in text order.
    pub events: Vec<crate::triggers::EventMention>,
    /// Entity coreference links ([`crate::chains`]) in text order (with a model that has
    /// the coreference head).
    pub coref: Vec<crate::chains::Link>,
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
                    let capital_next = content[i + c.len_utf8()..]
                        .trim_start()
                        .chars()
                        .next()
                        .is_none_or(char::is_uppercase);
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
            let start = *from
                + text[*from..]
                    .find(what)
                    .unwrap_or_else(|| panic!("{what:?} not in {text:?}"));
            *from = start + what.len();
            Span::new(start, start + what.len())
        };
        let mut from = 0;
        let mentions = mentions
            .iter()
            .map(|(s, kind)| Mention {
                span: find(&mut from, s),
                kind: *kind,
                score: 0.9,
            })
            .collect();
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
        Annotated {
            doc,
            sentences,
            mentions,
            timexes,
            grammar: Grammar::default(),
        }
    }

    /// One paragraph of parsed sentences, each given as its words separated by
    /// spaces, a word as `form/head/deprel/UPOS` with `/CLASS` for an event trigger
    /// (`/CLASS,polarity,modality,tense` to set more), heads 1-based as in CoNLL-U.
    /// The text is the forms joined by spaces; mentions and timexes as in
    /// [`annotated`]. Panics on a malformed word: a broken test, not input.
    pub fn parsed(
        id: &str,
        dct: Option<&str>,
        sentences: &[&str],
        mentions: &[(&str, EntityType)],
        timexes: &[(&str, &str)],
    ) -> Annotated {
        let mut text = String::new();
        let mut spans = Vec::new();
        let mut grammar = Grammar::default();
        for sentence in sentences {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            let (mut words, mut tokens) = (Vec::new(), Vec::new());
            for (i, word) in sentence.split(' ').enumerate() {
                let f: Vec<&str> = word.split('/').collect();
                assert!(f.len() >= 4, "word {word:?} wants form/head/deprel/UPOS");
                if i > 0 {
                    text.push(' ');
                }
                let span = Span::new(text.len(), text.len() + f[0].len());
                text.push_str(f[0]);
                words.push(span);
                tokens.push(crate::parse::Token {
                    upos: f[3].into(),
                    head: f[1].parse().expect("head"),
                    deprel: f[2].into(),
                });
                if let Some(event) = f.get(4) {
                    use crate::time::timeml::{Aspect, EventAttrs, Modality};
                    let a: Vec<&str> = event.split(',').collect();
                    fn value<T: std::str::FromStr<Err = anyhow::Error>>(a: &[&str], i: usize, default: &str) -> T {
                        let v = a.get(i).copied().unwrap_or(default);
                        v.parse().unwrap_or_else(|e| panic!("event {a:?}: {e}"))
                    }
                    grammar.events.push(crate::triggers::EventMention {
                        span,
                        attrs: EventAttrs {
                            class: value(&a, 0, "OCCURRENCE"),
                            polarity: value(&a, 1, "POS"),
                            modality: Modality::new(a.get(2).copied().unwrap_or("none")),
                            tense: value(&a, 3, "NONE"),
                            aspect: Aspect::None,
                        },
                        score: 0.9,
                        vector: Vec::new(),
                    });
                }
            }
            spans.push(Span::new(start, text.len()));
            grammar.words.push(words);
            grammar.parse.push(tokens);
        }
        let mut a = annotated(id, &text, dct, mentions, timexes);
        a.sentences = spans;
        a.grammar = grammar;
        a
    }

    /// A small parsed story for the exports' tests: one article dated 2025-07-15 by
    /// flag (four dated events, from Sunday 13 to the week of the 14th, and one only
    /// hoped for), and one undated article whose event shares nothing with it.
    pub fn story() -> Vec<Annotated> {
        use EntityType::*;
        let a = parsed(
            "000",
            Some("2025-07-15"),
            &[
                "On/2/case/ADP Sunday/4/obl/PROPN Trump/4/nsubj/PROPN said/0/root/VERB/REPORTING,POS,none,PAST \
                 Ukraine’s/6/nmod:poss/PROPN proposal/8/nsubj/NOUN was/8/cop/AUX fair/4/ccomp/ADJ ./4/punct/PUNCT",
                "Late/2/amod/ADJ Monday/5/obl/PROPN Volodymyr/5/nsubj/PROPN Zelensky/3/flat/PROPN \
                 conveyed/0/root/VERB/REPORTING,POS,none,PAST his/7/nmod:poss/PRON readiness/5/obj/NOUN ./5/punct/PUNCT",
                "Envoy/3/compound/NOUN Steve/5/nsubj/PROPN Witkoff/3/flat/PROPN will/5/aux/AUX \
                 visit/0/root/VERB/OCCURRENCE,POS,will,FUTURE Moscow/5/obj/PROPN this/8/det/DET week/5/obl:tmod/NOUN ./5/punct/PUNCT",
                "Zelensky/2/nsubj/PROPN hopes/0/root/VERB/I_STATE,POS,none,PRESENT for/4/case/ADP \
                 talks/2/obl/NOUN/OCCURRENCE with/6/case/ADP Putin/4/nmod/PROPN ./2/punct/PUNCT",
            ],
            &[("Trump", PER), ("Ukraine", LOC), ("Volodymyr Zelensky", PER), ("Steve Witkoff", PER), ("Moscow", LOC),
              ("Zelensky", PER), ("Putin", PER)],
            &[("Sunday", "2025-07-13"), ("Late Monday", "2025-07-14"), ("this week", "2025-W29")],
        );
        let b = parsed(
            "001",
            None,
            &["Zelensky/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE,POS,none,PAST Putin/2/obj/PROPN ./2/punct/PUNCT"],
            &[("Zelensky", PER), ("Putin", PER)],
            &[],
        );
        vec![a, b]
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
            &[
                ("President Volodymyr Zelensky", PER),
                ("Ukraine", LOC),
                ("Kremlin", ORG),
                ("Dmitri S. Peskov", PER),
                ("Zelensky", PER),
                ("Ukraine", LOC),
                ("Peskov", PER),
                ("Ukraine", LOC),
                ("White House", ORG),
                ("Steve Witkoff", PER),
                ("Russian", MISC),
                ("Vladimir Putin", PER),
                ("Moscow", LOC),
            ],
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
