//! Dependency parsing against a UD treebank: UPOS accuracy, UAS and LAS on gold words
//! (the CoNLL 2018 shared task measures; LAS compares the universal part of DEPREL).

use crate::parse::conllu::{Conllu, DEPREL, HEAD, UPOS};
use anyhow::{bail, Result};
use std::fmt;

/// Word counts: all, right UPOS, right head, right head and relation.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct UdScore {
    pub words: usize,
    pub upos: usize,
    pub uas: usize,
    pub las: usize,
}

impl UdScore {
    fn pct(&self, n: usize) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            100.0 * n as f64 / self.words as f64
        }
    }
    pub fn upos_pct(&self) -> f64 {
        self.pct(self.upos)
    }
    pub fn uas_pct(&self) -> f64 {
        self.pct(self.uas)
    }
    pub fn las_pct(&self) -> f64 {
        self.pct(self.las)
    }
}

impl fmt::Display for UdScore {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "words {}  UPOS {:.2}  UAS {:.2}  LAS {:.2}",
            self.words,
            self.upos_pct(),
            self.uas_pct(),
            self.las_pct()
        )
    }
}

/// Compares a system file with the gold one, word by word (same words required).
pub fn score(gold: &Conllu, system: &Conllu) -> Result<UdScore> {
    let mut s = UdScore::default();
    if gold.sentences.len() != system.sentences.len() {
        bail!(
            "the system file has {} sentences, the gold {}",
            system.sentences.len(),
            gold.sentences.len()
        );
    }
    let universal = |r: &str| r.split(':').next().unwrap_or("").to_string();
    for (k, (g, p)) in gold.sentences.iter().zip(&system.sentences).enumerate() {
        if g.words().count() != p.words().count() {
            bail!(
                "sentence {}: the system has {} words, the gold {}",
                k + 1,
                p.words().count(),
                g.words().count()
            );
        }
        for (gw, pw) in g.words().zip(p.words()) {
            s.words += 1;
            s.upos += usize::from(gw[UPOS] == pw[UPOS]);
            if gw[HEAD] == pw[HEAD] {
                s.uas += 1;
                s.las += usize::from(universal(&gw[DEPREL]) == universal(&pw[DEPREL]));
            }
        }
    }
    Ok(s)
}

/// Parses a copy of `gold` with `model` and scores it.
pub fn evaluate(model: &crate::model::Model, gold: &Conllu, opts: crate::model::Options) -> Result<UdScore> {
    let mut system = gold.clone();
    crate::parse::fill(model, &mut system, opts)?;
    score(gold, &system)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_heads_and_universal_relations() {
        let gold = Conllu::parse("1\tA\t_\tDET\t_\t_\t2\tdet\t_\t_\n2\tb\t_\tNOUN\t_\t_\t0\troot\t_\t_\n3\tc\t_\tNOUN\t_\t_\t2\tnmod:poss\t_\t_\n").unwrap();
        let sys = Conllu::parse("1\tA\t_\tDET\t_\t_\t2\tdet\t_\t_\n2\tb\t_\tVERB\t_\t_\t0\troot\t_\t_\n3\tc\t_\tNOUN\t_\t_\t2\tnmod\t_\t_\n").unwrap();
        let s = score(&gold, &sys).unwrap();
        assert_eq!((s.words, s.upos, s.uas, s.las), (3, 2, 3, 3));
        let wrong = Conllu::parse(
            "1\tA\t_\tDET\t_\t_\t3\tdet\t_\t_\n2\tb\t_\tNOUN\t_\t_\t0\troot\t_\t_\n3\tc\t_\tNOUN\t_\t_\t2\tobj\t_\t_\n",
        )
        .unwrap();
        let s = score(&gold, &wrong).unwrap();
        assert_eq!((s.uas, s.las), (2, 1));
    }
}
