//! One line of `results.jsonl`: an annotated document, self-contained (its text
//! included) so that [`super::merge`] can rebuild the timeline from results alone.
//! Offsets are Unicode scalar values (Python string indices), like every JSON output.

use crate::annotated::{Annotated, Grammar};
use crate::doc::{CharIndex, Span};
use crate::ingest::Document;
use crate::ner::{EntityType, Mention};
use crate::parse::Token;
use crate::time::timeml::EventAttrs;
use crate::time::{Dct, DctSource, Timex, TimexType};
use crate::triggers::EventMention;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub source: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub dct: Option<RecordDct>,
    pub text: String,
    /// Body paragraphs, `[start, end)`.
    pub body: Vec<[usize; 2]>,
    pub sentences: Vec<[usize; 2]>,
    pub mentions: Vec<RecordMention>,
    pub timexes: Vec<RecordTimex>,
    /// Event triggers (with a model that has the event heads).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<RecordEvent>,
    /// Each sentence's words with their parse (with a model that has the parse heads).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parse: Vec<Vec<RecordWord>>,
    /// Entity coreference links (with a model that has the coreference head).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coref: Vec<RecordLink>,
    /// What cleaning left out, and warnings about the input.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordEvent {
    pub start: usize,
    pub end: usize,
    #[serde(flatten)]
    pub attrs: EventAttrs,
    pub score: f64,
    /// The trigger's unit vector ([`EventMention::vector`]), a byte per value
    /// ([`crate::model::coref::to_byte`]): the grid the head puts it on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vector: Vec<i8>,
}

/// A mention's head word `[start, end)`, its antecedent's, and what it refers to
/// ([`crate::chains::Link`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordLink {
    pub mention: [usize; 2],
    pub antecedent: [usize; 2],
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::model::entity_coref::MentionKind>,
}

/// A word and its dependency: `head` is the 1-based index of the head word in the
/// sentence, 0 for the root.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordWord {
    pub start: usize,
    pub end: usize,
    pub upos: String,
    pub head: usize,
    pub deprel: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordDct {
    pub date: NaiveDate,
    pub datetime: Option<DateTime<FixedOffset>>,
    pub source: DctSource,
    /// Where in the text it was read, for source `text`.
    pub span: Option<[usize; 2]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordMention {
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordTimex {
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub kind: TimexType,
    pub value: String,
    #[serde(rename = "mod", default, skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<(NaiveDate, NaiveDate)>,
}

impl Record {
    pub fn new(a: &Annotated) -> Record {
        let chars = CharIndex::new(&a.doc.text);
        let span = |s: Span| -> [usize; 2] {
            let (start, end) = chars.chars(s);
            [start, end]
        };
        let d = &a.doc;
        Record {
            id: d.id.clone(),
            source: d.source.clone(),
            title: d.title.clone(),
            url: d.url.clone(),
            dct: d.dct.as_ref().map(|t| RecordDct {
                date: t.date,
                datetime: t.datetime,
                source: t.source,
                span: t.span.map(span),
            }),
            text: d.text.clone(),
            body: d.body.iter().copied().map(span).collect(),
            sentences: a.sentences.iter().copied().map(span).collect(),
            mentions: a
                .mentions
                .iter()
                .map(|m| {
                    let [start, end] = span(m.span);
                    RecordMention {
                        start,
                        end,
                        kind: m.kind,
                        score: m.rounded_score(),
                    }
                })
                .collect(),
            timexes: a
                .timexes
                .iter()
                .map(|t| {
                    let [start, end] = span(t.span);
                    RecordTimex {
                        start,
                        end,
                        kind: t.kind,
                        value: t.value.clone(),
                        modifier: t.modifier.clone(),
                        interval: t.interval,
                    }
                })
                .collect(),
            events: a
                .grammar
                .events
                .iter()
                .map(|e| {
                    let [start, end] = span(e.span);
                    RecordEvent {
                        start,
                        end,
                        attrs: e.attrs.clone(),
                        score: e.rounded_score(),
                        vector: e.vector.iter().map(|&v| crate::model::coref::to_byte(v)).collect(),
                    }
                })
                .collect(),
            parse: a
                .grammar
                .words
                .iter()
                .zip(&a.grammar.parse)
                .map(|(words, tokens)| {
                    words
                        .iter()
                        .zip(tokens)
                        .map(|(w, t)| {
                            let [start, end] = span(*w);
                            RecordWord {
                                start,
                                end,
                                upos: t.upos.clone(),
                                head: t.head,
                                deprel: t.deprel.clone(),
                            }
                        })
                        .collect()
                })
                .collect(),
            coref: a
                .grammar
                .coref
                .iter()
                .map(|l| RecordLink {
                    mention: span(l.mention),
                    antecedent: span(l.antecedent),
                    kind: l.kind,
                })
                .collect(),
            notes: d.notes.clone(),
        }
    }

    /// Back to an annotated document. Fails, naming the offset, when a span is not
    /// within the text: the file was edited or is not a results file.
    pub fn into_annotated(self) -> Result<Annotated, String> {
        let chars = CharIndex::new(&self.text);
        let span = |[start, end]: [usize; 2]| -> Result<Span, String> {
            match (chars.byte_of(start), chars.byte_of(end)) {
                (Some(s), Some(e)) if s <= e => Ok(Span::new(s, e)),
                _ => Err(format!(
                    "span [{start}, {end}] is not within the text of document {:?}",
                    self.id
                )),
            }
        };
        let spans = |v: &[[usize; 2]]| v.iter().map(|&s| span(s)).collect::<Result<Vec<_>, _>>();
        let dct = match &self.dct {
            Some(t) => Some(Dct {
                date: t.date,
                datetime: t.datetime,
                source: t.source,
                span: t.span.map(span).transpose()?,
            }),
            None => None,
        };
        let body = spans(&self.body)?;
        let sentences = spans(&self.sentences)?;
        let mentions = self
            .mentions
            .iter()
            .map(|m| {
                Ok(Mention {
                    span: span([m.start, m.end])?,
                    kind: m.kind,
                    score: m.score as f32,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let timexes = self
            .timexes
            .iter()
            .map(|t| {
                if let Some((first, last)) = t.interval.filter(|(first, last)| first > last) {
                    return Err(format!("a time's days run backwards ({first} to {last})"));
                }
                Ok(Timex {
                    span: span([t.start, t.end])?,
                    kind: t.kind,
                    value: t.value.clone(),
                    modifier: t.modifier.clone(),
                    interval: t.interval,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let events = self
            .events
            .iter()
            .map(|e| {
                Ok(EventMention {
                    span: span([e.start, e.end])?,
                    attrs: e.attrs.clone(),
                    score: e.score as f32,
                    vector: e.vector.iter().map(|&v| crate::model::coref::from_byte(v)).collect(),
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let mut grammar = Grammar {
            events,
            coref: self
                .coref
                .iter()
                .map(|l| {
                    Ok(crate::chains::Link {
                        mention: span(l.mention)?,
                        antecedent: span(l.antecedent)?,
                        kind: l.kind,
                    })
                })
                .collect::<Result<_, String>>()?,
            ..Grammar::default()
        };
        for sentence in &self.parse {
            grammar.words.push(
                sentence
                    .iter()
                    .map(|w| span([w.start, w.end]))
                    .collect::<Result<_, _>>()?,
            );
            grammar.parse.push(
                sentence
                    .iter()
                    .map(|w| Token {
                        upos: w.upos.clone(),
                        head: w.head,
                        deprel: w.deprel.clone(),
                    })
                    .collect(),
            );
        }
        let doc = Document {
            id: self.id,
            source: self.source,
            title: self.title,
            url: self.url,
            text: self.text,
            dct,
            body,
            related: Vec::new(),
            notes: self.notes,
        };
        Ok(Annotated {
            doc,
            sentences,
            mentions,
            timexes,
            grammar,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotated::testing::seed_docs;

    #[test]
    fn a_record_round_trips_through_json_with_char_offsets() {
        let mut a = crate::annotated::testing::annotated(
            "é",
            "Zürich — Zelensky met Peskov on Monday.\n",
            Some("2025-07-15"),
            &[("Zelensky", EntityType::PER), ("Peskov", EntityType::PER)],
            &[("Monday", "2025-07-14")],
        );
        let (zelensky, peskov) = (a.mentions[0].span, a.mentions[1].span);
        a.grammar.coref = vec![crate::chains::Link {
            mention: peskov,
            antecedent: zelensky,
            kind: Some(crate::model::entity_coref::MentionKind::Person),
        }];
        let record = Record::new(&a);
        assert_eq!(record.mentions[0].start, "Zürich — ".chars().count());
        assert_eq!(record.coref[0].mention[0], "Zürich — Zelensky met ".chars().count());
        let line = serde_json::to_string(&record).unwrap();
        let back: Record = serde_json::from_str(&line).unwrap();
        assert_eq!(back, record);
        let b = back.into_annotated().unwrap();
        assert_eq!(
            (b.sentences, b.timexes, b.doc.body),
            (a.sentences, a.timexes, a.doc.body)
        );
        assert_eq!(
            b.mentions.iter().map(|m| m.span).collect::<Vec<_>>(),
            a.mentions.iter().map(|m| m.span).collect::<Vec<_>>()
        );
        assert_eq!(b.grammar.coref, a.grammar.coref);
    }

    #[test]
    fn a_span_outside_the_text_is_an_error() {
        let mut record = Record::new(&seed_docs()[1]);
        record.mentions[0].end = 1_000_000;
        assert!(record.into_annotated().unwrap_err().contains("not within the text"));
    }
}
