//! Ingest: documents in (files, directories, globs, JSON lines, stdin), each with its
//! publication date, title and the spans of its article body.
//!
//! [`read_inputs`] streams: it holds one document at a time (and one directory listing
//! per level of a directory walk), so millions of documents read in flat memory.
//!
//! Problems come in two strengths. An input that gives no document (missing, empty,
//! binary, not a regular file, larger than `max_bytes`, a malformed JSON line, a line
//! without `text`) is an [`InputError`] item that names it and says what to do, and the
//! iteration goes on with the next. A document read with a caveat (undecodable bytes
//! replaced, an unreadable `published` field, an id already used) comes through with a
//! note starting `warning: `, which the CLI should print to stderr after the document's
//! source; the other notes say what cleaning left out.
//!
//! Text is kept as the file has it, a UTF-8 byte order mark included: offsets count
//! Unicode scalar values from the first character of the file, as Python's
//! `open(path, encoding="utf-8").read()` and Node's `readFileSync(path, "utf8")` see it.
//! (In JSON lines the mark before the first line is not part of any `text`.)

mod clean;
mod document;
mod jsonl;
mod read;
mod sources;
mod unique;

pub use document::{Document, Related};
pub use read::{read_data_file, read_file, DEFAULT_MAX_BYTES};

use crate::time::dct::{find_in_text, parse_dct};
use crate::time::{Dct, DctSource};
use sources::Source;
use std::fmt;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::iter::once;
use std::path::PathBuf;
use unique::UniqueIds;

/// The UTF-8 byte order mark.
const BOM: &str = "\u{FEFF}";

/// How documents are read.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The `--dct` flag: every document's publication date, over metadata and text.
    pub dct: Option<Dct>,
    /// Keep related-links headlines as [`Document::related`] items (they are never body).
    pub keep_related: bool,
    /// The most bytes one document (a file, a JSON line, stdin) may have.
    pub max_bytes: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            dct: None,
            keep_related: false,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
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
        InputError {
            input: input.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.input, self.message)
    }
}

impl std::error::Error for InputError {}

/// Reads the documents of `inputs`, in order: regular files; directories, walked
/// recursively in name order (hidden entries skipped); globs (`*`, `?`, `**`) when no
/// file has that name; `*.jsonl`/`*.ndjson` files, one JSON object per line
/// (`{"id","text","published"?,"title"?,"url"?}`); and `-` for stdin, read as JSON
/// lines when its first non-blank line starts with `{`, else as one text. A document
/// (file, line, stdin text) larger than `opts.max_bytes` is an error; ids are made
/// unique as [`unique`] says.
///
/// The publication date is `opts.dct`, else the JSON `published` field, else the date
/// line in the text's header. Lazy: nothing is read before the iterator is advanced.
pub fn read_inputs(
    inputs: &[String],
    opts: &IngestOptions,
) -> impl Iterator<Item = Result<Document, InputError>> + Send {
    let opts = opts.clone();
    read_raw(inputs, opts.max_bytes, |_| true).map(move |raw| raw.map(|r| r.build(&opts)))
}

/// [`read_inputs`] without the dating and cleaning ([`RawDocument::build`]), which
/// the caller can then run on other threads. Plain files whose id (their path) fails
/// `wanted` are not even read: a shard of a large directory reads only its own files.
pub fn read_raw(
    inputs: &[String],
    max_bytes: u64,
    wanted: impl Fn(&str) -> bool + Send + 'static,
) -> impl Iterator<Item = Result<RawDocument, InputError>> + Send {
    // Owned, so that the iterator borrows nothing from the caller.
    let inputs = inputs.to_vec();
    let mut stdin_reads = 0;
    let mut ids = UniqueIds::default();
    let items = inputs
        .into_iter()
        .flat_map(sources::expand)
        .flat_map(move |source| -> Pending {
            match source {
                Err(e) => Box::new(once(Item::Read(Err(e)))),
                Ok(Source::Stdin) => {
                    stdin_reads += 1;
                    let name = if stdin_reads == 1 {
                        "stdin".to_string()
                    } else {
                        format!("stdin#{stdin_reads}")
                    };
                    Box::new(read_stream(name, BufReader::new(std::io::stdin()), max_bytes).map(Item::Read))
                }
                Ok(Source::File(path)) if sources::is_json_lines(&path) => {
                    let name = path.display().to_string();
                    match read::open_regular(&path) {
                        Ok((file, _)) => {
                            Box::new(jsonl::JsonLines::new(name, BufReader::new(file), max_bytes).map(Item::Read))
                        }
                        Err(e) => Box::new(once(Item::Read(Err(e)))),
                    }
                }
                Ok(Source::File(path)) => Box::new(once(Item::Unread(path))),
            }
        });
    // Ids are claimed in input order, the unwanted files' too, so that every shard
    // gives a document the same id.
    items.filter_map(move |item| match item {
        Item::Read(Ok(mut doc)) => {
            if let Some(renamed) = ids.claim(&doc.id) {
                doc.warnings.push(format!(
                    "warning: id {:?} is already an earlier document's; this one is {renamed:?}",
                    doc.id
                ));
                doc.id = renamed;
            }
            Some(Ok(doc))
        }
        Item::Read(Err(e)) => Some(Err(e)),
        Item::Unread(path) => {
            let name = path.display().to_string();
            let renamed = ids.claim(&name);
            let id = renamed.clone().unwrap_or_else(|| name.clone());
            if !wanted(&id) {
                return None;
            }
            let doc = read_file(&path, max_bytes).and_then(|bytes| text_document(name.clone(), name, bytes));
            Some(doc.map(|mut doc| {
                if let Some(renamed) = renamed {
                    doc.warnings.push(format!(
                        "warning: given more than once; this time its id is {renamed:?}"
                    ));
                    doc.id = renamed;
                }
                doc
            }))
        }
    })
}

/// A source's documents as read, or a plain file not read yet.
enum Item {
    Read(Result<RawDocument, InputError>),
    Unread(PathBuf),
}

type Pending = Box<dyn Iterator<Item = Item> + Send>;

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

/// All of standard input, when it ends within `max_bytes`.
pub fn read_stdin(max_bytes: u64) -> Result<Vec<u8>, InputError> {
    read::read_capped("stdin".to_string(), std::io::stdin().lock(), max_bytes)
}

/// Stdin (or any stream), as JSON lines or as one text, decided by its first
/// non-blank line. Each document, the text or a line, holds at most `max_bytes`.
fn read_stream<R: BufRead + Send + 'static>(name: String, mut reader: R, max_bytes: u64) -> Docs {
    let (mut head, mut line) = (Vec::new(), Vec::new());
    let content = |head: &[u8]| {
        head.strip_prefix(BOM.as_bytes())
            .unwrap_or(head)
            .trim_ascii_start()
            .to_vec()
    };
    loop {
        match read::read_line(&mut reader, &mut line, max_bytes.saturating_sub(head.len() as u64)) {
            Ok(read::Line::End) => break,
            Ok(read::Line::Read) => head.append(&mut line),
            Ok(read::Line::TooLong) => return Box::new(once(Err(read::too_large(name, "more than that", max_bytes)))),
            Err(e) => return Box::new(once(Err(cannot_read(name, e)))),
        }
        if !content(&head).is_empty() {
            break;
        }
    }
    if content(&head).starts_with(b"{") {
        let reader = BufReader::new(Cursor::new(head).chain(reader));
        return Box::new(jsonl::JsonLines::new(name, reader, max_bytes));
    }
    let rest = read::read_capped(name.clone(), reader, max_bytes.saturating_sub(head.len() as u64));
    Box::new(once(rest.and_then(|rest| {
        text_document(name, "-".to_string(), [head, rest].concat())
    })))
}

/// A plain-text document: its id is `name`, the title is guessed from its first lines.
fn text_document(name: String, source: String, bytes: Vec<u8>) -> Result<RawDocument, InputError> {
    if bytes
        .strip_prefix(BOM.as_bytes())
        .unwrap_or(&bytes)
        .trim_ascii()
        .is_empty()
    {
        return Err(InputError::new(name, "empty; there is no text to read"));
    }
    let (text, warning) = decode(&name, bytes)?;
    let warnings = Vec::from_iter(warning.map(|w| format!("warning: {w}")));
    Ok(RawDocument {
        id: name,
        source,
        text,
        title: None,
        url: None,
        published: None,
        warnings,
    })
}

/// UTF-8 text, a byte order mark kept as the character U+FEFF; undecodable bytes become
/// U+FFFD, with a warning (which does not repeat `name`). UTF-16 and binary input (NUL
/// bytes) are errors naming `name`.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<(String, Option<String>), InputError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(InputError::new(
            name,
            "looks like UTF-16 text; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)",
        ));
    }
    if bytes.contains(&0) {
        return Err(InputError::new(
            name,
            "looks binary (it holds NUL bytes); pass text or JSON lines files",
        ));
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let warning =
                format!("not valid UTF-8 (first bad byte at offset {at}); undecodable bytes replaced with U+FFFD");
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
                notes.push(format!("warning: \"published\" not used: {e}"));
                date_in_text(&raw.text)
            }
        },
        (None, None) => date_in_text(&raw.text),
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

/// The date line of `text`'s header, a byte order mark before it skipped.
fn date_in_text(text: &str) -> Option<Dct> {
    let header = text.strip_prefix(BOM).unwrap_or(text);
    let shift = text.len() - header.len();
    find_in_text(header).map(|mut dct| {
        dct.span = dct.span.map(|s| crate::doc::Span::new(s.start + shift, s.end + shift));
        dct
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(input: &'static [u8]) -> Vec<Result<Document, InputError>> {
        read_stream("stdin".to_string(), input, 1000)
            .map(|r| r.map(|r| r.build(&IngestOptions::default())))
            .collect()
    }

    #[test]
    fn a_stream_is_json_lines_when_its_first_line_is_an_object() {
        let got = stream(b"\n  {\"id\": \"a\", \"text\": \"One.\"}\n{\"id\": \"b\", \"text\": \"Two.\"}\n");
        let ids: Vec<String> = got.into_iter().map(|d| d.unwrap().source).collect();
        assert_eq!(ids, vec!["stdin:2", "stdin:3"]);
        let text = stream(b"Kyiv Talks\n\nDelegations met on Monday.\n");
        let doc = text[0].as_ref().unwrap();
        assert_eq!(
            (doc.id.as_str(), doc.source.as_str(), doc.title.as_deref()),
            ("stdin", "-", Some("Kyiv Talks"))
        );
        assert_eq!(
            doc.body.iter().map(|s| s.of(&doc.text)).collect::<Vec<_>>(),
            vec!["Kyiv Talks", "Delegations met on Monday."]
        );
    }

    #[test]
    fn unreadable_text_is_an_error_that_says_what_to_do() {
        let message = |bytes: &'static [u8]| stream(bytes)[0].as_ref().unwrap_err().to_string();
        assert_eq!(message(b""), "stdin: empty; there is no text to read");
        assert!(message(b"\xFF\xFEK\0y\0").contains("UTF-16"));
        assert!(message(b"GIF89a\0\0").contains("looks binary"));
        assert!(
            message(b"\xEF\xBB\xBF\n ").starts_with("stdin: empty"),
            "a byte order mark alone is no text"
        );
        assert!(message(&[b'a'; 1001]).contains("limit is 1000 bytes"));
    }
}
