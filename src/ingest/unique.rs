//! Unique document ids. Two documents with the same id (a JSON lines `id` used twice,
//! a file given twice) could not be told apart in mentions and sources, so the second
//! document with id `X` becomes `X#2`, the third `X#3` (the next free number when
//! that id is itself taken), in input order, with a warning. The same input always
//! gives the same ids, in every shard.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// The ids seen so far, as 128-bit hashes (16 bytes a document, not the ids).
#[derive(Default)]
pub(super) struct UniqueIds {
    seen: HashMap<u128, u64>,
}

impl UniqueIds {
    /// `None` when `id` is new; else the id this document gets instead.
    pub(super) fn claim(&mut self, id: &str) -> Option<String> {
        let uses = self.seen.entry(key(id)).or_insert(0);
        *uses += 1;
        let mut n = *uses;
        if n == 1 {
            return None;
        }
        loop {
            let renamed = format!("{id}#{n}");
            if let std::collections::hash_map::Entry::Vacant(slot) = self.seen.entry(key(&renamed)) {
                slot.insert(1);
                return Some(renamed);
            }
            n += 1;
        }
    }
}

fn key(id: &str) -> u128 {
    let half = |salt: u8| {
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        id.hash(&mut h);
        h.finish() as u128
    };
    half(0) << 64 | half(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_numbered_past_ids_already_taken() {
        let mut ids = UniqueIds::default();
        let got: Vec<Option<String>> = ["a", "b", "a#2", "a", "a", "b"]
            .iter()
            .map(|id| ids.claim(id))
            .collect();
        let want = [None, None, None, Some("a#3"), Some("a#4"), Some("b#2")];
        assert_eq!(got, want.map(|s| s.map(String::from)));
    }
}
