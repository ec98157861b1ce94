//! The user's alias file: names that must resolve to one entity, with an optional
//! external id, overriding what resolution would guess.
//!
//! Format: UTF-8 text, one entity per line, tab-separated columns
//!
//! ```text
//! # canonical name <TAB> aliases separated by | <TAB> external id <TAB> type
//! Volodymyr Zelensky<TAB>Zelenskyy|Zelenskiy|Зеленський<TAB>Q3881<TAB>PER
//! Dmitry Peskov<TAB>Dmitri S. Peskov|Dmitri Peskov<TAB>Q2624048
//! ```
//!
//! (`<TAB>` stands for a tab character.)
//! Only the first column is required; empty trailing columns may be left out. Blank
//! lines and lines starting with `#` are skipped. Names match case-insensitively,
//! ignoring dots and possessives, as resolution compares names.

use crate::ner::EntityType;
use anyhow::{bail, Context};
use std::path::Path;

/// One line of the alias file.
#[derive(Debug, Clone, PartialEq)]
pub struct AliasEntry {
    pub canonical: String,
    pub aliases: Vec<String>,
    /// An external identifier, e.g. a Wikidata QID; passed through to the output.
    pub id: Option<String>,
    pub kind: Option<EntityType>,
}

/// A parsed alias file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aliases {
    pub entries: Vec<AliasEntry>,
}

impl Aliases {
    pub fn load(path: &Path) -> anyhow::Result<Aliases> {
        let text = crate::ingest::read_data_file(path).map_err(|e| anyhow::anyhow!("alias file {e}"))?;
        Aliases::parse(&text).with_context(|| format!("in alias file {}", path.display()))
    }

    pub fn parse(text: &str) -> anyhow::Result<Aliases> {
        let mut entries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let canonical = cols[0];
            if canonical.is_empty() {
                bail!("line {}: the first column (canonical name) is empty", n + 1);
            }
            let aliases = cols
                .get(1)
                .map(|a| {
                    a.split('|')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            let id = cols.get(2).filter(|s| !s.is_empty()).map(|s| s.to_string());
            let kind = match cols.get(3).copied().unwrap_or("") {
                "" => None,
                "PER" => Some(EntityType::PER),
                "LOC" => Some(EntityType::LOC),
                "ORG" => Some(EntityType::ORG),
                "MISC" => Some(EntityType::MISC),
                other => bail!("line {}: type {other:?} is not one of PER, LOC, ORG, MISC", n + 1),
            };
            entries.push(AliasEntry {
                canonical: canonical.to_string(),
                aliases,
                id,
                kind,
            });
        }
        Ok(Aliases { entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_columns_comments_and_errors() {
        let text = "# comment\n\nVolodymyr Zelensky\tZelenskyy| Zelenskiy \tQ3881\tPER\r\nKremlin\n";
        let a = Aliases::parse(text).unwrap();
        assert_eq!(a.entries.len(), 2);
        assert_eq!(a.entries[0].aliases, ["Zelenskyy", "Zelenskiy"]);
        assert_eq!(
            (a.entries[0].id.as_deref(), a.entries[0].kind),
            (Some("Q3881"), Some(EntityType::PER))
        );
        assert_eq!(
            (a.entries[1].canonical.as_str(), a.entries[1].id.as_deref()),
            ("Kremlin", None)
        );
        assert!(Aliases::parse("\tX\n").is_err());
        assert!(Aliases::parse("A\t\t\tPERSON\n")
            .unwrap_err()
            .to_string()
            .contains("line 1"));
    }
}
