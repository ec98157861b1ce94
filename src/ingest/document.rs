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

impl Document {
    /// A text that came in without ingest (the commands over plain text and gold
    /// corpora): no cleaning, no publication date, all of it body.
    pub fn plain(id: &str, text: String) -> Document {
        Document {
            id: id.to_string(),
            source: id.to_string(),
            title: None,
            url: None,
            body: vec![Span::new(0, text.len())],
            text,
            dct: None,
            related: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// This document, then each related headline as a document of its own: its text,
    /// its date, id `<id>#related<n>`. Spans out of range are skipped.
    pub fn with_related(self) -> Vec<Document> {
        let related: Vec<Document> = self
            .related
            .iter()
            .enumerate()
            .filter_map(|(n, r)| {
                let text = self.text.get(r.span.start..r.span.end)?.to_string();
                Some(Document {
                    id: format!("{}#related{}", self.id, n + 1),
                    source: self.source.clone(),
                    title: Some(text.clone()),
                    url: None,
                    body: vec![Span::new(0, text.len())],
                    text,
                    dct: r.dct.clone(),
                    related: Vec::new(),
                    notes: Vec::new(),
                })
            })
            .collect();
        std::iter::once(self).chain(related).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_headlines_become_documents() {
        let text = "Body.\nTrump Threatens Tariffs\n";
        let doc = Document {
            id: "a".into(),
            source: "a.txt".into(),
            title: None,
            url: None,
            text: text.into(),
            dct: None,
            body: vec![Span::new(0, 5)],
            related: vec![
                Related {
                    span: Span::new(6, 29),
                    dct: None,
                },
                Related {
                    span: Span::new(6, 99),
                    dct: None,
                },
            ],
            notes: Vec::new(),
        };
        let docs = doc.with_related();
        assert_eq!(docs.len(), 2, "an out-of-range span is skipped");
        assert_eq!(
            (docs[1].id.as_str(), docs[1].text.as_str()),
            ("a#related1", "Trump Threatens Tariffs")
        );
        assert_eq!(docs[1].body, [Span::new(0, 23)]);
    }
}
