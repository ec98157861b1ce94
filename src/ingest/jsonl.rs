//! JSON lines: one document per line, `{"id","text","published"?,"title"?,"url"?}`.
//! Each line is read and parsed on its own, so a malformed line is reported with its
//! number and the lines after it still come through. A line longer than the document
//! limit is reported and skipped without being held.

use super::read::{read_line, too_large, Line as Read};
use super::{decode, InputError, RawDocument, BOM};
use serde::Deserialize;
use std::io::BufRead;

const SHAPE: &str = r#"each line must be one JSON object like {"id": "a1", "text": "...", "published": "2025-07-15"}"#;

/// The fields read from a line; others are ignored.
#[derive(Deserialize)]
struct Line {
    id: Option<serde_json::Value>,
    text: Option<String>,
    published: Option<String>,
    title: Option<String>,
    url: Option<String>,
}

pub(super) struct JsonLines<R> {
    /// The input's name: a path or `stdin`.
    name: String,
    reader: R,
    line: usize,
    buf: Vec<u8>,
    max_bytes: u64,
    seen_any: bool,
    done: bool,
}

impl<R: BufRead> JsonLines<R> {
    pub(super) fn new(name: String, reader: R, max_bytes: u64) -> Self {
        JsonLines {
            name,
            reader,
            line: 0,
            buf: Vec::new(),
            max_bytes,
            seen_any: false,
            done: false,
        }
    }

    /// The document on the current line, which is not blank.
    fn document(&mut self) -> Result<RawDocument, InputError> {
        let at = format!("{}:{}", self.name, self.line);
        let (line, warning) = decode(&at, std::mem::take(&mut self.buf))?;
        let line = if self.line == 1 {
            line.strip_prefix(BOM).unwrap_or(&line)
        } else {
            &line
        };
        let fields: Line = serde_json::from_str(line)
            .map_err(|e| InputError::new(at.clone(), format!("not a valid document line ({e}); {SHAPE}")))?;
        let text = match fields.text {
            None => return Err(InputError::new(at, format!("no \"text\" field; {SHAPE}"))),
            Some(t) if t.trim().is_empty() => {
                return Err(InputError::new(at, "\"text\" is empty; there is no text to read"))
            }
            Some(t) => t,
        };
        let id = match fields.id {
            None | Some(serde_json::Value::Null) => at.clone(),
            Some(serde_json::Value::String(s)) => s,
            Some(other) => other.to_string(),
        };
        let nonblank = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(RawDocument {
            id,
            source: at,
            text,
            title: nonblank(fields.title),
            url: nonblank(fields.url),
            published: nonblank(fields.published),
            warnings: Vec::from_iter(warning.map(|w| format!("warning: {w}"))),
        })
    }
}

impl<R: BufRead> Iterator for JsonLines<R> {
    type Item = Result<RawDocument, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match read_line(&mut self.reader, &mut self.buf, self.max_bytes) {
                Ok(Read::End) => {
                    self.done = true;
                    let empty = InputError::new(self.name.clone(), "empty; there are no JSON lines to read");
                    return (!self.seen_any).then_some(Err(empty));
                }
                Ok(Read::Read) => {}
                Ok(Read::TooLong) => {
                    self.line += 1;
                    self.seen_any = true;
                    return Some(Err(too_large(
                        format!("{}:{}", self.name, self.line),
                        "a longer line",
                        self.max_bytes,
                    )));
                }
                Err(e) => {
                    self.done = true;
                    let at = format!("{}:{}", self.name, self.line + 1);
                    return Some(Err(InputError::new(
                        at,
                        format!("cannot read: {e}; the lines before it were read"),
                    )));
                }
            }
            self.line += 1;
            let blank = if self.line == 1 {
                self.buf.strip_prefix(BOM.as_bytes()).unwrap_or(&self.buf)
            } else {
                &self.buf
            };
            if !blank.trim_ascii().is_empty() {
                self.seen_any = true;
                return Some(self.document());
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Document, IngestOptions};

    fn read(input: &[u8]) -> Vec<Result<Document, InputError>> {
        JsonLines::new("x".to_string(), input, 1000)
            .map(|r| r.map(|r| r.build(&IngestOptions::default())))
            .collect()
    }

    #[test]
    fn bad_lines_are_reported_with_their_number_and_reading_goes_on() {
        let input = "{\"id\": \"a\", \"text\": \"Kyiv, July 14.\", \"published\": \"2025-07-15\"}\n\n{oops\n{\"id\": 7}\n{\"text\": \" \"}\n{\"text\": \"No id here.\", \"title\": \"T\"}\n";
        let got = read(input.as_bytes());
        assert_eq!(got.len(), 5);
        let a = got[0].as_ref().unwrap();
        assert_eq!((a.id.as_str(), a.source.as_str()), ("a", "x:1"));
        assert_eq!(
            a.dct.as_ref().map(|d| d.date.to_string()),
            Some("2025-07-15".to_string())
        );
        let errors: Vec<(&str, &str)> = got[1..4]
            .iter()
            .map(|r| r.as_ref().unwrap_err())
            .map(|e| (e.input.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(errors[0].0, "x:3");
        assert!(errors[0].1.starts_with("not a valid document line"), "{}", errors[0].1);
        assert_eq!(errors[1].0, "x:4");
        assert!(errors[1].1.starts_with("no \"text\" field"));
        assert_eq!(errors[2].0, "x:5");
        let last = got[4].as_ref().unwrap();
        assert_eq!((last.id.as_str(), last.title.as_deref()), ("x:6", Some("T")));
    }

    #[test]
    fn unreadable_metadata_and_bytes_are_warnings_not_errors() {
        let bytes = b"{\"text\": \"caf\xE9 opens.\", \"published\": \"someday\"}\n";
        let got = read(bytes);
        let doc = got[0].as_ref().unwrap();
        assert!(doc.text.contains('\u{FFFD}') && doc.dct.is_none());
        assert!(doc.notes[0].starts_with("warning: not valid UTF-8"), "{:?}", doc.notes);
        assert!(
            doc.notes[1].starts_with("warning: \"published\" not used"),
            "{:?}",
            doc.notes
        );
    }

    #[test]
    fn an_empty_input_is_an_error() {
        let got = read(b"\n  \n");
        assert_eq!(got.len(), 1);
        assert!(got[0].as_ref().unwrap_err().message.starts_with("empty"));
    }
}
