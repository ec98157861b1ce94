//! The one data model every stage shares, after spaCy's `Doc`/`Span`: a document's
//! text never changes once read, and every annotation (sentence, entity, time, event
//! evidence) is a [`Span`] of byte offsets into it. Offsets leave the program as
//! Unicode scalar values (what the JSON contracts promise), converted by [`CharIndex`].

use serde::Serialize;

/// A half-open byte range `start..end` into a document's original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text this span covers.
    pub fn of<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Converts byte offsets of one text into Unicode scalar value (char) offsets.
///
/// Built once per text; each lookup is a binary search, so exporting thousands of
/// spans stays linear in practice.
pub struct CharIndex {
    /// Byte offset of every char, plus the text length as a sentinel.
    starts: Vec<usize>,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let mut starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        starts.push(text.len());
        CharIndex { starts }
    }

    /// The char offset of byte offset `byte` (which must lie on a char boundary).
    pub fn char_of(&self, byte: usize) -> usize {
        match self.starts.binary_search(&byte) {
            Ok(i) | Err(i) => i,
        }
    }

    /// The byte offset of char offset `char`, if it is within the text (or its end).
    pub fn byte_of(&self, char: usize) -> Option<usize> {
        self.starts.get(char).copied()
    }

    /// `span` in char offsets.
    pub fn chars(&self, span: Span) -> (usize, usize) {
        (self.char_of(span.start), self.char_of(span.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_scalar_values_not_bytes() {
        let text = "Zelenskyy – façade 🇺🇦 Kyiv";
        let start = text.find("Kyiv").unwrap();
        let span = Span::new(start, start + 4);
        let idx = CharIndex::new(text);
        let (s, e) = idx.chars(span);
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[s..e].iter().collect::<String>(), "Kyiv");
        assert!(s < start, "multi-byte chars precede the span");
    }
}
