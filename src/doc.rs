//! The one data model every stage shares, after spaCy's `Doc`/`Span`: a document's
//! text never changes once read, and every annotation (sentence, entity, time, event
//! evidence) is a [`Span`] of byte offsets into it. Offsets leave the program as
//! Unicode scalar values (what the JSON contracts promise), converted by [`CharIndex`].

use serde::Serialize;
use std::ops::{Index, IndexMut};

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

/// A document: its index in the input, which every stage keeps (the timeline's
/// `documents`, the resolution's mentions per document, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(pub usize);

/// An entity: its index into the resolution's entities, which the timeline keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub usize);

/// An event: its index into the timeline's events (not its place in time order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(pub usize);

/// `get` by id, for an id that may be out of range: `documents.by_id(doc)`.
pub trait ById<Id> {
    type Item;
    fn by_id(&self, id: Id) -> Option<&Self::Item>;
    fn by_id_mut(&mut self, id: Id) -> Option<&mut Self::Item>;
}

/// Every list kept in input, entity or event order (the items themselves, or what is
/// known of each, like a document's date) is indexed by the matching id: `entities[id]`,
/// or `entities.by_id(id)`.
macro_rules! index_by {
    ($($id:ident),*) => {$(
        impl<T> ById<$id> for [T] {
            type Item = T;
            fn by_id(&self, id: $id) -> Option<&T> {
                self.get(id.0)
            }

            fn by_id_mut(&mut self, id: $id) -> Option<&mut T> {
                self.get_mut(id.0)
            }
        }

        impl<T> Index<$id> for [T] {
            type Output = T;
            fn index(&self, id: $id) -> &T {
                &self[id.0]
            }
        }

        impl<T> IndexMut<$id> for [T] {
            fn index_mut(&mut self, id: $id) -> &mut T {
                &mut self[id.0]
            }
        }

        impl<T> Index<$id> for Vec<T> {
            type Output = T;
            fn index(&self, id: $id) -> &T {
                &self[id.0]
            }
        }

        impl<T> IndexMut<$id> for Vec<T> {
            fn index_mut(&mut self, id: $id) -> &mut T {
                &mut self[id.0]
            }
        }
    )*};
}

index_by!(DocId, EntityId, EventId);

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
