//! Ingest: documents in (files, directories, globs, JSON lines, stdin), each with its
//! publication date, title and the spans of its article body.

mod document;

pub use document::{Document, Related};
