//! CoNLL-2003 files: reading documents of tagged words, writing predictions as an extra
//! column, and exact-span entity scoring (the conlleval measure).

use crate::model::{Model, Options};
use crate::ner::labels::{entities, Tag};
use crate::ner::{Decoding, EntityType};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// One line of a CoNLL file: a word line (with its columns) or a separator.
#[derive(Debug, Clone)]
pub enum Line {
    /// `-DOCSTART-`: a document boundary, kept verbatim.
    DocStart(String),
    /// A blank line: a sentence boundary.
    Blank(String),
    /// `word POS chunk TAG [more]`: the whole line and its split columns.
    Word { raw: String, columns: Vec<String> },
}

/// A CoNLL file as lines, and its documents as ranges of word lines.
pub struct Corpus {
    pub lines: Vec<Line>,
}

impl Corpus {
    pub fn read(path: &Path) -> Result<Corpus> {
        let text = crate::ingest::read_data_file(path)?;
        Self::parse(&text).with_context(|| format!("{}: not a CoNLL-2003 file", path.display()))
    }

    pub fn parse(text: &str) -> Result<Corpus> {
        let mut lines = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let trimmed = raw.trim();
            lines.push(if trimmed.is_empty() {
                Line::Blank(raw.to_string())
            } else if trimmed.starts_with("-DOCSTART-") {
                Line::DocStart(raw.to_string())
            } else {
                let columns: Vec<String> = trimmed.split_whitespace().map(str::to_string).collect();
                if columns.len() < 2 {
                    bail!("line {}: expected `word ... TAG` columns, found {trimmed:?}", n + 1);
                }
                Line::Word {
                    raw: raw.to_string(),
                    columns,
                }
            });
        }
        Ok(Corpus { lines })
    }

    /// The word lines of each document (a file without `-DOCSTART-` is one), sentence
    /// by sentence.
    pub fn documents(&self) -> Vec<Vec<Vec<usize>>> {
        let mut docs: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new()]];
        for (i, line) in self.lines.iter().enumerate() {
            let doc = docs.last_mut().expect("never empty");
            match line {
                Line::DocStart(_) => docs.push(vec![Vec::new()]),
                Line::Word { .. } => doc.last_mut().expect("never empty").push(i),
                Line::Blank(_) => doc.push(Vec::new()),
            }
        }
        for d in &mut docs {
            d.retain(|s| !s.is_empty());
        }
        docs.retain(|d| !d.is_empty());
        docs
    }

    /// The word (first column) of a word line.
    pub fn word(&self, line: usize) -> &str {
        match &self.lines[line] {
            Line::Word { columns, .. } => &columns[0],
            _ => "",
        }
    }

    /// Column `k` from the end (0 = last) of a word line.
    pub fn column_from_end(&self, line: usize, k: usize) -> Option<&str> {
        match &self.lines[line] {
            Line::Word { columns, .. } if columns.len() > k => Some(&columns[columns.len() - 1 - k]),
            _ => None,
        }
    }

    /// The file again, each word line with `tags[line]` appended as a last column.
    pub fn with_predictions(&self, tags: &BTreeMap<usize, String>) -> String {
        let mut out = String::new();
        for (i, line) in self.lines.iter().enumerate() {
            match line {
                Line::DocStart(raw) | Line::Blank(raw) => out.push_str(raw),
                Line::Word { raw, .. } => {
                    out.push_str(raw);
                    out.push(' ');
                    out.push_str(tags.get(&i).map(String::as_str).unwrap_or("O"));
                }
            }
            out.push('\n');
        }
        out
    }

    /// Whether word lines carry a predicted tag after the four CoNLL-2003 columns.
    pub fn has_prediction_column(&self) -> bool {
        self.lines
            .iter()
            .any(|l| matches!(l, Line::Word { columns, .. } if columns.len() >= 5))
    }

    /// Sentences as lists of word-line indices (entities never cross a blank line).
    fn sentences(&self) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = vec![Vec::new()];
        for (i, line) in self.lines.iter().enumerate() {
            match line {
                Line::Word { .. } => out.last_mut().expect("never empty").push(i),
                _ => out.push(Vec::new()),
            }
        }
        out.retain(|s| !s.is_empty());
        out
    }

    /// Scores predicted tags (last column) against gold tags (the column before it).
    pub fn score(&self) -> Result<NerScore> {
        self.score_by(1, |line| self.column_from_end(line, 0))
    }

    /// Scores `predicted` tags by word line against the gold tags (last column).
    pub fn score_predictions(&self, predicted: &BTreeMap<usize, String>) -> Result<NerScore> {
        self.score_by(0, |line| Some(predicted.get(&line).map(String::as_str).unwrap_or("O")))
    }

    fn score_by<'a>(&'a self, gold_column: usize, predicted: impl Fn(usize) -> Option<&'a str>) -> Result<NerScore> {
        let mut score = NerScore::default();
        for sentence in self.sentences() {
            let tags = |column: &dyn Fn(usize) -> Option<&'a str>| -> Result<Vec<Tag>> {
                sentence
                    .iter()
                    .map(|&i| {
                        column(i)
                            .map(Tag::parse)
                            .with_context(|| format!("line {}: needs a gold and a predicted tag column", i + 1))
                    })
                    .collect()
            };
            let gold = entities(&tags(&|i| self.column_from_end(i, gold_column))?);
            let pred = entities(&tags(&predicted)?);
            score.add(&gold, &pred);
            score.touching.0 += touching(&gold);
            score.touching.1 += touching(&pred);
            // The entities with a word that does not start with a capital letter.
            let lower = |e: &&Entity| {
                (e.0..e.1).any(|k| !self.word(sentence[k]).chars().next().is_some_and(char::is_uppercase))
            };
            let (gold, pred): (Vec<Entity>, Vec<Entity>) = (
                gold.iter().filter(lower).copied().collect(),
                pred.iter().filter(lower).copied().collect(),
            );
            let u = &mut score.uncapitalised;
            u.0 += gold.iter().filter(|g| pred.contains(g)).count();
            u.1 += gold.len();
            u.2 += pred.len();
        }
        Ok(score)
    }

    /// Gold tags (last column) of a document's word lines, as IOB2 tags.
    pub fn gold_tags(&self, doc: &[usize]) -> Vec<Tag> {
        let raw: Vec<Tag> = doc
            .iter()
            .map(|&i| self.column_from_end(i, 0).map(Tag::parse).unwrap_or(Tag::Outside))
            .collect();
        let mut tags = vec![Tag::Outside; raw.len()];
        for (s, e, t) in entities(&raw) {
            tags[s] = Tag::Begin(t);
            tags[s + 1..e].iter_mut().for_each(|x| *x = Tag::Inside(t));
        }
        tags
    }
}

/// Tags every word line of `corpus` with `model`, each document as one context.
pub fn predict(model: &Model, corpus: &Corpus, opts: Options, decoding: Decoding) -> Result<BTreeMap<usize, String>> {
    let docs = corpus.documents();
    let words: Vec<Vec<Vec<&str>>> = docs
        .iter()
        .map(|d| d.iter().map(|s| s.iter().map(|&i| corpus.word(i)).collect()).collect())
        .collect();
    let labels = crate::ner::label_words(model, &words, opts, decoding)?;
    let mut out = BTreeMap::new();
    for (doc, labels) in docs.iter().zip(labels) {
        for (&line, l) in doc.iter().flatten().zip(labels) {
            out.insert(line, model.labels[l.label].clone());
        }
    }
    Ok(out)
}

/// Exact-span entity counts, overall and by type.
#[derive(Debug, Default, Clone)]
pub struct NerScore {
    /// `type -> (true positives, gold, predicted)`.
    pub by_type: BTreeMap<EntityType, (usize, usize, usize)>,
    /// The same counts over the entities with a word not capitalised ("de Vries",
    /// "ex-Yugoslav"): where a model that reads case could do worse than one that does not.
    pub uncapitalised: (usize, usize, usize),
    /// Gold and predicted entities that begin where one of another type ends, as
    /// "[Boudewijn]PER [Siemons]ORG" would: a name in two pieces, or two names side by side.
    pub touching: (usize, usize),
}

/// How many of a sentence's entities begin where one of another type ends.
fn touching(entities: &[Entity]) -> usize {
    entities
        .windows(2)
        .filter(|w| w[0].1 == w[1].0 && w[0].2 != w[1].2)
        .count()
}

type Entity = (usize, usize, EntityType);

impl NerScore {
    pub fn add(&mut self, gold: &[Entity], pred: &[Entity]) {
        for g in gold {
            self.by_type.entry(g.2).or_default().1 += 1;
            if pred.contains(g) {
                self.by_type.entry(g.2).or_default().0 += 1;
            }
        }
        for p in pred {
            self.by_type.entry(p.2).or_default().2 += 1;
        }
    }

    pub fn overall(&self) -> (usize, usize, usize) {
        self.by_type
            .values()
            .fold((0, 0, 0), |a, v| (a.0 + v.0, a.1 + v.1, a.2 + v.2))
    }

    /// Precision, recall and F1 in percent.
    pub fn prf((tp, gold, pred): (usize, usize, usize)) -> (f64, f64, f64) {
        let p = if pred == 0 {
            0.0
        } else {
            100.0 * tp as f64 / pred as f64
        };
        let r = if gold == 0 {
            0.0
        } else {
            100.0 * tp as f64 / gold as f64
        };
        let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
        (p, r, f)
    }

    pub fn f1(&self) -> f64 {
        Self::prf(self.overall()).2
    }
}

impl fmt::Display for NerScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<8} {:>9} {:>9} {:>9} {:>7} {:>7}",
            "type", "precision", "recall", "F1", "gold", "pred"
        )?;
        let rows = self.by_type.iter().map(|(t, c)| (t.as_str(), *c));
        for (name, counts) in std::iter::once(("overall", self.overall())).chain(rows) {
            let (p, r, f1) = Self::prf(counts);
            writeln!(
                f,
                "{name:<8} {p:>9.2} {r:>9.2} {f1:>9.2} {:>7} {:>7}",
                counts.1, counts.2
            )?;
        }
        let (p, r, f1) = Self::prf(self.uncapitalised);
        writeln!(
            f,
            "entities with a word not capitalised: precision {p:.2}, recall {r:.2}, F1 {f1:.2} ({} gold, {} pred)",
            self.uncapitalised.1, self.uncapitalised.2
        )?;
        writeln!(
            f,
            "entities touching one of another type: {} gold, {} pred",
            self.touching.0, self.touching.1
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Written for this test, in CoNLL-2003's column layout.
    const SAMPLE: &str = "-DOCSTART- -X- -X- O\n\nUNESCO NNP B-NP B-ORG B-ORG\npraises VBZ B-VP O O\nDutch JJ B-NP B-MISC B-LOC\nplan NN I-NP O O\n\nMarta NNP B-NP B-PER B-PER\nKowalczyk NNP I-NP I-PER O\n";

    #[test]
    fn counts_entities_that_touch_one_of_another_type() {
        // Gold: a nationality and a name side by side (one touch); predicted: the name
        // broken into a person and an organisation as well (two).
        let text = "Australian JJ B-NP B-MISC B-MISC\nTom NNP I-NP B-PER B-PER\nMoody NNP I-NP I-PER I-ORG\n";
        let score = Corpus::parse(text).unwrap().score().unwrap();
        assert_eq!(score.touching, (1, 2));
    }

    #[test]
    fn scores_exact_spans_only() {
        let score = Corpus::parse(SAMPLE).unwrap().score().unwrap();
        // Gold: ORG, MISC, PER(2 words). Predicted: ORG, LOC, PER(1 word).
        assert_eq!(score.overall(), (1, 3, 3));
        assert_eq!(score.by_type[&EntityType::ORG], (1, 1, 1));
        assert_eq!(score.by_type[&EntityType::PER], (0, 1, 1));
        assert!((score.f1() - 33.333).abs() < 0.01);
        assert_eq!(score.uncapitalised, (0, 0, 0));
        let lower = "Marieke NNP B-NP B-PER B-PER\nde NNP I-NP I-PER I-PER\nVries NNP I-NP I-PER I-PER\nmet VBD B-VP O O\nbarry NNP B-NP B-PER O\n";
        assert_eq!(Corpus::parse(lower).unwrap().score().unwrap().uncapitalised, (1, 2, 1));
    }

    #[test]
    fn predictions_keep_every_line() {
        let gold: String = SAMPLE
            .lines()
            .map(|l| {
                l.rsplit_once(' ')
                    .map_or(l, |p| if l.starts_with("-DOC") { l } else { p.0 })
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
        let corpus = Corpus::parse(&gold).unwrap();
        assert_eq!(corpus.documents().len(), 1);
        let out = corpus.with_predictions(&BTreeMap::new());
        assert_eq!(out.lines().count(), gold.lines().count());
        assert!(out.starts_with("-DOCSTART- -X- -X- O\n\nUNESCO NNP B-NP B-ORG O\n"));
    }
}
