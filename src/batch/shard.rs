//! `--shard I/N`: which documents one of N machines takes, decided by document id
//! alone, so every machine agrees without talking to the others.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Whether the document (or failed input) with this id belongs to this shard.
    pub fn contains(&self, id: &str) -> bool {
        fnv1a(id.as_bytes()) % self.count == self.index
    }
}

/// FNV-1a, 64 bits: fixed by its definition, so shards stay the same across
/// machines, platforms and annalist versions (std's hasher promises none of that).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("{s:?}: expected I/N with 0 <= I < N, e.g. 0/4 for the first of four shards");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u64, u64) = (
            i.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_ids_and_do_not_change() {
        let shards: Vec<Shard> = (0..4).map(|i| format!("{i}/4").parse().unwrap()).collect();
        let ids: Vec<String> = (0..1000).map(|i| format!("doc-{i}")).collect();
        let mut sizes = [0; 4];
        for id in &ids {
            let owners: Vec<u64> = shards.iter().filter(|s| s.contains(id)).map(|s| s.index).collect();
            assert_eq!(owners.len(), 1, "{id}");
            sizes[owners[0] as usize] += 1;
        }
        assert!(sizes.iter().all(|&n| (200..300).contains(&n)), "balanced: {sizes:?}");
        // Pinned: FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(shards[0].to_string(), "0/4");
    }

    #[test]
    fn bad_shards_say_what_is_expected() {
        for s in ["4/4", "1", "a/2", "1/0", ""] {
            assert!(s.parse::<Shard>().unwrap_err().contains("expected I/N"), "{s}");
        }
    }
}
