use crate::doc::Span;
use crate::time::Dct;
use serde::Serialize;

/// One input document. `text` is exactly what was read (after UTF-8 repair); cleaning
/// never edits it, it only chooses which spans are article body.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Stable id: the JSON lines `id`, else the path (or `stdin`, `stdin#2`, ...).
    pub id: String,
    /// Where it came from: a path, `path:line` for JSON lines, or `-`.
    pub source: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub text: String,
    /// The publication date and where it came from (text, metadata or flag).
    pub dct: Option<Dct>,
    /// Article body paragraphs, in order, each read once (duplicates and
    /// boilerplate left out).
    pub body: Vec<Span>,
    /// Dated headlines of related-links blocks, kept as separate items.
    pub related: Vec<Related>,
    /// What cleaning left out ("2 repeated paragraphs read once", ...) and, starting
    /// `warning: `, caveats about the input itself (undecodable bytes replaced, an
    /// unreadable `published` field), which the CLI should print to stderr.
    pub notes: Vec<String>,
}

/// A headline from a related-links block ("MORE ON THEME"), with its own date.
#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub span: Span,
    pub dct: Option<Dct>,
}
