//! Ingest: documents in (files, directories, globs, JSON lines, stdin), each with its
//! publication date, title and the spans of its article body.
//!
//! [`read_inputs`] streams: it holds one document at a time (and one directory listing
//! per level of a directory walk), so millions of documents read in flat memory.
//!
//! Problems come in two strengths. An input that gives no document (missing, empty,
//! binary, a malformed JSON line, a line without `text`) is an [`InputError`] item that
//! names it and says what to do, and the iteration goes on with the next. A document
//! read with a caveat (undecodable bytes replaced, an unreadable `published` field)
//! comes through with a note starting `warning: `, which the CLI should print to stderr;
//! the other notes say what cleaning left out.

mod clean;
mod document;
mod jsonl;
mod sources;

pub use document::{Document, Related};

use crate::time::dct::{find_in_text, parse_dct};
use crate::time::{Dct, DctSource};
use sources::Source;
use std::fmt;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::iter::once;

/// How documents are read.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// The `--dct` flag: every document's publication date, over metadata and text.
    pub dct: Option<Dct>,
    /// Keep related-links headlines as [`Document::related`] items (they are never body).
    pub keep_related: bool,
}

/// An input that gave no document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The input: a path, `path:line` for JSON lines, a glob, or `stdin`.
    pub input: String,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl InputError {
    fn new(input: impl Into<String>, message: impl Into<String>) -> Self {
        InputError { input: input.into(), message: message.into() }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.input, self.message)
    }
}

impl std::error::Error for InputError {}

/// Reads the documents of `inputs`, in order: files; directories, walked recursively
/// in name order (hidden entries skipped); globs (`*`, `?`, `**`) when no file has
/// that name; `*.jsonl`/`*.ndjson` files, one JSON object per line
/// (`{"id","text","published"?,"title"?,"url"?}`); and `-` for stdin, read as JSON
/// lines when its first non-blank line starts with `{`, else as one text.
///
/// The publication date is `opts.dct`, else the JSON `published` field, else the date
/// line in the text's header. Lazy: nothing is read before the iterator is advanced.
pub fn read_inputs(
    inputs: &[String],
    opts: &IngestOptions,
) -> impl Iterator<Item = Result<Document, InputError>> + Send {
    let opts = opts.clone();
    read_raw(inputs, |_| true).map(move |raw| raw.map(|r| r.build(&opts)))
}

/// [`read_inputs`] without the dating and cleaning ([`RawDocument::build`]), which
/// the caller can then run on other threads. Plain files whose id (their path) fails
/// `wanted` are not even read: a shard of a large directory reads only its own files.
pub fn read_raw(
    inputs: &[String],
    wanted: impl Fn(&str) -> bool + Send + 'static,
) -> impl Iterator<Item = Result<RawDocument, InputError>> + Send {
    // Owned, so that the iterator borrows nothing from the caller.
    let inputs = inputs.to_vec();
    let mut stdin_reads = 0;
    inputs.into_iter().flat_map(sources::expand).flat_map(move |source| -> Docs {
        match source {
            Err(e) => Box::new(once(Err(e))),
            Ok(Source::Stdin) => {
                stdin_reads += 1;
                let name = if stdin_reads == 1 { "stdin".to_string() } else { format!("stdin#{stdin_reads}") };
                read_stream(name, BufReader::new(std::io::stdin()))
            }
            Ok(Source::File(path)) => {
                let name = path.display().to_string();
                if sources::is_json_lines(&path) {
                    match std::fs::File::open(&path) {
                        Ok(file) => Box::new(jsonl::JsonLines::new(name, BufReader::new(file))),
                        Err(e) => Box::new(once(Err(cannot_read(name, e)))),
                    }
                } else if !wanted(&name) {
                    Box::new(std::iter::empty())
                } else {
                    let doc = std::fs::read(&path)
                        .map_err(|e| cannot_read(name.clone(), e))
                        .and_then(|bytes| text_document(name.clone(), name, bytes));
                    Box::new(once(doc))
                }
            }
        }
    })
}

/// How many items [`read_inputs`] gives for `inputs`, counted without reading any
/// document: one per file, one per non-blank line of JSON lines. For progress
/// estimates; `None` when stdin is an input (it can be read only once).
pub fn count_items(inputs: &[String]) -> Option<u64> {
    let mut n = 0;
    for source in inputs.iter().cloned().flat_map(sources::expand) {
        n += match source {
            Ok(Source::Stdin) => return None,
            Ok(Source::File(path)) if sources::is_json_lines(&path) => match std::fs::File::open(&path) {
                Ok(file) => {
                    let lines = BufReader::new(file).split(b'\n').map_while(Result::ok);
                    lines.filter(|l| !l.trim_ascii().is_empty()).count() as u64
                }
                Err(_) => 1,
            },
            _ => 1,
        };
    }
    Some(n)
}

type Docs = Box<dyn Iterator<Item = Result<RawDocument, InputError>> + Send>;

fn cannot_read(name: String, e: std::io::Error) -> InputError {
    InputError::new(name, format!("cannot read: {e}; check the path and its permissions"))
}

/// Stdin (or any stream), as JSON lines or as one text, decided by its first
/// non-blank line.
fn read_stream<R: BufRead + Send + 'static>(name: String, mut reader: R) -> Docs {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        match reader.read_until(b'\n', &mut head) {
            Ok(0) => break,
            Ok(_) if head[before..].trim_ascii().is_empty() => continue,
            Ok(_) => break,
            Err(e) => return Box::new(once(Err(cannot_read(name, e)))),
        }
    }
    if head.trim_ascii_start().starts_with(b"{") {
        let reader = BufReader::new(Cursor::new(head).chain(reader));
        return Box::new(jsonl::JsonLines::new(name, reader));
    }
    let doc = match reader.read_to_end(&mut head) {
        Ok(_) => text_document(name, "-".to_string(), head),
        Err(e) => Err(cannot_read(name, e)),
    };
    Box::new(once(doc))
}

/// A plain-text document: its id is `name`, the title is guessed from its first lines.
fn text_document(name: String, source: String, bytes: Vec<u8>) -> Result<RawDocument, InputError> {
    if bytes.trim_ascii().is_empty() {
        return Err(InputError::new(name, "empty; there is no text to read"));
    }
    let (text, warning) = decode(&name, bytes)?;
    Ok(RawDocument { id: name, source, text, title: None, url: None, published: None, warnings: Vec::from_iter(warning) })
}

/// UTF-8 text without a byte order mark; undecodable bytes become U+FFFD, with a
/// warning naming `name`. UTF-16 and binary input (NUL bytes) are errors.
pub fn decode(name: &str, mut bytes: Vec<u8>) -> Result<(String, Option<String>), InputError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(InputError::new(name, "looks like UTF-16 text; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)"));
    }
    if bytes.contains(&0) {
        return Err(InputError::new(name, "looks binary (it holds NUL bytes); pass text or JSON lines files"));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let warning = format!(
                "warning: {name}: not valid UTF-8 (first bad byte at offset {at}); undecodable bytes replaced with U+FFFD"
            );
            (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(warning))
        }
    })
}

/// A document as read, before dating and cleaning.
pub struct RawDocument {
    /// As [`Document::id`].
    pub id: String,
    /// As [`Document::source`].
    pub source: String,
    text: String,
    title: Option<String>,
    url: Option<String>,
    /// The metadata publication date, unparsed.
    published: Option<String>,
    warnings: Vec<String>,
}

impl RawDocument {
    /// Dates and cleans the document. Precedence of the date: flag, metadata, text.
    pub fn build(self, opts: &IngestOptions) -> Document {
        build(self, opts)
    }

    /// [`Self::build`], then, with `opts.keep_related`, each related headline as a
    /// document of its own ([`Document::with_related`]).
    pub fn documents(self, opts: &IngestOptions) -> Vec<Document> {
        let doc = self.build(opts);
        if opts.keep_related {
            doc.with_related()
        } else {
            vec![doc]
        }
    }
}

fn build(raw: RawDocument, opts: &IngestOptions) -> Document {
    let mut notes = raw.warnings;
    let dct = match (&opts.dct, raw.published.as_deref()) {
        (Some(flag), _) => Some(flag.clone()),
        (None, Some(published)) => match parse_dct(published, DctSource::Metadata) {
            Ok(dct) => Some(dct),
            Err(e) => {
                notes.push(format!("warning: {}: \"published\" not used: {e}", raw.source));
                find_in_text(&raw.text)
            }
        },
        (None, None) => find_in_text(&raw.text),
    };
    let cleaned = clean::clean(&raw.text, raw.title.as_deref(), opts.keep_related);
    notes.extend(cleaned.notes);
    Document {
        id: raw.id,
        source: raw.source,
        title: raw.title.or(cleaned.title),
        url: raw.url,
        text: raw.text,
        dct,
        body: cleaned.body,
        related: cleaned.related,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(input: &'static [u8]) -> Vec<Result<Document, InputError>> {
        read_stream("stdin".to_string(), input).map(|r| r.map(|r| r.build(&IngestOptions::default()))).collect()
    }

    #[test]
    fn a_stream_is_json_lines_when_its_first_line_is_an_object() {
        let got = stream(b"\n  {\"id\": \"a\", \"text\": \"One.\"}\n{\"id\": \"b\", \"text\": \"Two.\"}\n");
        let ids: Vec<String> = got.into_iter().map(|d| d.unwrap().source).collect();
        assert_eq!(ids, vec!["stdin:2", "stdin:3"]);
        let text = stream(b"Kyiv Talks\n\nDelegations met on Monday.\n");
        let doc = text[0].as_ref().unwrap();
        assert_eq!((doc.id.as_str(), doc.source.as_str(), doc.title.as_deref()), ("stdin", "-", Some("Kyiv Talks")));
        assert_eq!(doc.body.iter().map(|s| s.of(&doc.text)).collect::<Vec<_>>(), vec!["Delegations met on Monday."]);
    }

    #[test]
    fn unreadable_text_is_an_error_that_says_what_to_do() {
        let message = |bytes: &'static [u8]| stream(bytes)[0].as_ref().unwrap_err().to_string();
        assert_eq!(message(b""), "stdin: empty; there is no text to read");
        assert!(message(b"\xFF\xFEK\0y\0").contains("UTF-16"));
        assert!(message(b"GIF89a\0\0").contains("looks binary"));
        let doc = stream(b"\xEF\xBB\xBFKyiv, Monday.")[0].clone().unwrap();
        assert_eq!(doc.text, "Kyiv, Monday.", "the byte order mark is not text");
    }
}
