//! CoNLL-U, the Universal Dependencies format: read a treebank (for training and
//! scoring), fill in a file's UPOS, HEAD and DEPREL (for `annalist parse --conllu`)
//! and write it back with everything else as it was.

use anyhow::{bail, Context, Result};
use std::path::Path;

/// A CoNLL-U file as sentences.
#[derive(Debug, Clone, PartialEq)]
pub struct Conllu {
    pub sentences: Vec<Sentence>,
}

/// One sentence: its comment lines and rows, kept verbatim apart from what is filled.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub comments: Vec<String>,
    pub rows: Vec<Row>,
}

/// A row: a syntactic word (integer id), or a multiword-token range or empty node,
/// which pass through unchanged.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Word(Vec<String>),
    Other(String),
}

/// The columns of a word row.
pub const FORM: usize = 1;
pub const UPOS: usize = 3;
pub const HEAD: usize = 6;
pub const DEPREL: usize = 7;

impl Sentence {
    /// The word rows' columns, in order.
    pub fn words(&self) -> impl Iterator<Item = &Vec<String>> {
        self.rows.iter().filter_map(|r| match r {
            Row::Word(c) => Some(c),
            Row::Other(_) => None,
        })
    }

    pub fn words_mut(&mut self) -> impl Iterator<Item = &mut Vec<String>> {
        self.rows.iter_mut().filter_map(|r| match r {
            Row::Word(c) => Some(c),
            Row::Other(_) => None,
        })
    }

    /// Whether a `# newdoc` comment opens this sentence.
    pub fn starts_document(&self) -> bool {
        self.comments.iter().any(|c| c.starts_with("# newdoc"))
    }

    /// Gold heads (0 the root, `k` the k-th word) and relations, when the file has them.
    pub fn tree(&self) -> Option<Vec<(usize, String)>> {
        let n = self.words().count();
        self.words()
            .map(|c| Some((c[HEAD].parse::<usize>().ok().filter(|&h| h <= n)?, c[DEPREL].clone())))
            .collect()
    }
}

impl Conllu {
    pub fn read(path: &Path) -> Result<Conllu> {
        let text = crate::ingest::read_data_file(path)?;
        Self::parse(&text).with_context(|| format!("{}: not a CoNLL-U file", path.display()))
    }

    pub fn parse(text: &str) -> Result<Conllu> {
        let mut sentences = Vec::new();
        let mut current = Sentence {
            comments: Vec::new(),
            rows: Vec::new(),
        };
        for (n, line) in text.lines().enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                // Comments with no sentence after them stay with the next one.
                if !current.rows.is_empty() {
                    sentences.push(std::mem::replace(
                        &mut current,
                        Sentence {
                            comments: Vec::new(),
                            rows: Vec::new(),
                        },
                    ));
                }
            } else if line.starts_with('#') {
                current.comments.push(line.to_string());
            } else {
                let cols: Vec<String> = line.split('\t').map(str::to_string).collect();
                if cols.len() != 10 {
                    bail!("line {}: {} tab-separated columns, CoNLL-U has 10", n + 1, cols.len());
                }
                if cols[0].parse::<usize>().is_ok() {
                    current.rows.push(Row::Word(cols));
                } else if cols[0].contains(['-', '.']) {
                    current.rows.push(Row::Other(line.to_string()));
                } else {
                    bail!(
                        "line {}: the id {:?} is neither a word number, a range nor an empty node",
                        n + 1,
                        cols[0]
                    );
                }
            }
        }
        if !current.rows.is_empty() || !current.comments.is_empty() {
            sentences.push(current);
        }
        Ok(Conllu { sentences })
    }

    /// The file as text, with what the sentences now hold.
    pub fn write(&self) -> String {
        let mut out = String::new();
        for s in &self.sentences {
            for c in &s.comments {
                out.push_str(c);
                out.push('\n');
            }
            for r in &s.rows {
                match r {
                    Row::Word(cols) => out.push_str(&cols.join("\t")),
                    Row::Other(line) => out.push_str(line),
                }
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }

    /// The sentences grouped into documents by `# newdoc` comments (all one document
    /// when there are none), as index ranges.
    pub fn documents(&self) -> Vec<std::ops::Range<usize>> {
        let mut out: Vec<std::ops::Range<usize>> = Vec::new();
        for (i, s) in self.sentences.iter().enumerate() {
            match out.last_mut() {
                Some(r) if !s.starts_document() => r.end = i + 1,
                _ => out.push(i..i + 1),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# text = We can't go.\n1\tWe\twe\tPRON\t_\t_\t3\tnsubj\t_\t_\n2-3\tcan't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tca\tcan\tAUX\t_\t_\t3\taux\t_\t_\n3\tn't\tnot\tPART\t_\t_\t0\troot\t_\t_\n3.1\tgo\tgo\tVERB\t_\t_\t_\t_\t_\t_\n4\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_\n\n1\tOk\tok\tINTJ\t_\t_\t0\troot\t_\t_\n\n";

    #[test]
    fn round_trips_and_keeps_ranges_and_empty_nodes() {
        let c = Conllu::parse(SAMPLE).unwrap();
        assert_eq!(c.sentences.len(), 2);
        assert_eq!(c.write(), SAMPLE);
        let forms: Vec<&str> = c.sentences[0].words().map(|w| w[FORM].as_str()).collect();
        assert_eq!(forms, ["We", "ca", "n't", "."]);
        assert_eq!(c.sentences[0].tree().unwrap()[0], (3, "nsubj".to_string()));
        assert_eq!(c.documents(), vec![0..2]);
    }

    #[test]
    fn comments_without_a_sentence_are_kept() {
        let text = "# newdoc id = a\n\n# sent_id = 1\n1\tHi\t_\t_\t_\t_\t0\troot\t_\t_\n\n# trailing\n";
        let c = Conllu::parse(text).unwrap();
        assert_eq!(c.sentences.len(), 2);
        assert!(c.sentences[0].starts_document());
        assert_eq!(
            c.write(),
            "# newdoc id = a\n# sent_id = 1\n1\tHi\t_\t_\t_\t_\t0\troot\t_\t_\n\n# trailing\n\n"
        );
    }

    #[test]
    fn bad_rows_name_their_line() {
        let err = Conllu::parse("1\tonly\tthree\n").unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
    }
}
