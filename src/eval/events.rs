//! Event triggers against TimeML gold (TempEval-3 style): span F1, strict (same
//! extent) and relaxed (overlap), and class F1 (a relaxed match with the same class).

use crate::doc::Span;
use crate::time::timeml::{EventAttrs, GoldDoc};
use anyhow::{bail, Context, Result};
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Clone, Copy, PartialEq, Serialize)]
pub struct EventScore {
    pub gold: usize,
    pub system: usize,
    pub strict: usize,
    pub relaxed: usize,
    pub class: usize,
    /// Relaxed matches whose polarity / modality / tense / aspect also agree.
    pub polarity: usize,
    pub modality: usize,
    pub tense: usize,
    pub aspect: usize,
}

fn f1(tp: usize, gold: usize, system: usize) -> (f64, f64, f64) {
    let p = if system == 0 {
        0.0
    } else {
        100.0 * tp as f64 / system as f64
    };
    let r = if gold == 0 {
        0.0
    } else {
        100.0 * tp as f64 / gold as f64
    };
    (p, r, if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) })
}

impl EventScore {
    pub fn strict_f1(&self) -> f64 {
        f1(self.strict, self.gold, self.system).2
    }
    pub fn relaxed_f1(&self) -> f64 {
        f1(self.relaxed, self.gold, self.system).2
    }
    pub fn class_f1(&self) -> f64 {
        f1(self.class, self.gold, self.system).2
    }

    /// Adds one document's system events.
    pub fn add(&mut self, gold: &GoldDoc, system: &[(Span, &EventAttrs)]) {
        self.gold += gold.events.len();
        self.system += system.len();
        let mut used = vec![false; system.len()];
        for g in &gold.events {
            let found = system
                .iter()
                .enumerate()
                .find(|(i, (s, _))| !used[*i] && s.overlaps(g.span));
            let Some((i, (s, a))) = found else { continue };
            used[i] = true;
            self.relaxed += 1;
            self.strict += usize::from(*s == g.span);
            // An EVENT without an instance has no polarity, tense or aspect to agree
            // with; its modality is unmarked, which agrees with none.
            let (instance, g) = (g.has_instance, &g.attrs);
            self.class += usize::from(a.class == g.class);
            self.polarity += usize::from(instance && a.polarity == g.polarity);
            self.modality += usize::from(a.modality == g.modality);
            self.tense += usize::from(instance && a.tense == g.tense);
            self.aspect += usize::from(instance && a.aspect == g.aspect);
        }
    }
}

impl fmt::Display for EventScore {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let row = |f: &mut fmt::Formatter, name: &str, tp: usize| {
            let (p, r, f1) = f1(tp, self.gold, self.system);
            writeln!(f, "{name:<10} P {p:6.2}  R {r:6.2}  F1 {f1:6.2}")
        };
        writeln!(f, "events: {} gold, {} system", self.gold, self.system)?;
        row(f, "strict", self.strict)?;
        row(f, "relaxed", self.relaxed)?;
        row(f, "class", self.class)?;
        let acc = |n: usize| {
            if self.relaxed == 0 {
                0.0
            } else {
                100.0 * n as f64 / self.relaxed as f64
            }
        };
        write!(
            f,
            "attribute accuracy on relaxed matches: polarity {:.2}, modality {:.2}, tense {:.2}, aspect {:.2}",
            acc(self.polarity),
            acc(self.modality),
            acc(self.tense),
            acc(self.aspect)
        )
    }
}

/// Tags the text of each gold document with `model` and scores its events.
pub fn evaluate(model: &crate::model::Model, gold: &[GoldDoc], opts: crate::model::Options) -> Result<EventScore> {
    let prepared = gold
        .iter()
        .map(|g| crate::pipeline::prepare(crate::ingest::Document::plain(&g.id, g.text.clone())))
        .collect();
    let mut score = EventScore::default();
    for (g, a) in gold.iter().zip(crate::pipeline::annotate_all(model, opts, prepared)?) {
        let system: Vec<(Span, &EventAttrs)> = a.grammar.events.iter().map(|e| (e.span, &e.attrs)).collect();
        score.add(g, &system);
    }
    Ok(score)
}

/// Whether the `i`-th file (in name order) is held out when every `holdout`-th is.
pub fn held_out(i: usize, holdout: usize) -> bool {
    holdout > 0 && i % holdout == holdout - 1
}

/// The `*.tml` files of `dir`, or of its TimeBank/ and AQUAINT/ parts, in name order.
pub fn gold_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = super::timeml::tbaq_files(dir);
    if files.is_empty() {
        files = super::files_with_extension(dir, "tml").with_context(|| format!("cannot list {}", dir.display()))?;
    }
    if files.is_empty() {
        bail!(
            "{}: no *.tml files (nor TimeBank/*.tml, AQUAINT/*.tml); pass a folder of TimeML gold",
            dir.display()
        );
    }
    Ok(files)
}

/// The TimeML files of `dir`, split into (train, held out): every `holdout`-th file is
/// held out.
pub fn split(dir: &Path, holdout: usize) -> Result<(Vec<GoldDoc>, Vec<GoldDoc>)> {
    let (mut train, mut held) = (Vec::new(), Vec::new());
    for (i, f) in gold_files(dir)?.iter().enumerate() {
        let doc = crate::time::timeml::read(f)?;
        if held_out(i, holdout) {
            held.push(doc)
        } else {
            train.push(doc)
        }
    }
    Ok((train, held))
}

/// The gold documents to score: all of `dir`'s, or only the held-out ones.
pub fn read_gold(dir: &Path, holdout: usize) -> Result<Vec<GoldDoc>> {
    gold_files(dir)?
        .iter()
        .enumerate()
        .filter(|(i, _)| holdout == 0 || held_out(*i, holdout))
        .map(|(_, f)| crate::time::timeml::read(f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::timeml::{parse, Aspect, EventClass, Modality, Polarity, Tense};

    #[test]
    fn attributes_agree_only_where_the_gold_gives_them() {
        let gold = parse(
            "g",
            r#"<TimeML><TEXT>Talks <EVENT eid="e1" class="OCCURRENCE">began</EVENT> and <EVENT eid="e2" class="STATE">ended</EVENT>.</TEXT>
<MAKEINSTANCE eiid="ei1" eventID="e1" tense="PAST" aspect="NONE" polarity="POS" modality="WOULD"/></TimeML>"#,
        )
        .unwrap();
        let said = EventAttrs {
            class: EventClass::Occurrence,
            polarity: Polarity::Pos,
            modality: Modality::new("would"),
            tense: Tense::Past,
            aspect: Aspect::None,
        };
        let unmarked = EventAttrs {
            class: EventClass::State,
            modality: Modality::default(),
            tense: Tense::None,
            ..said.clone()
        };
        let system = [(gold.events[0].span, &said), (gold.events[1].span, &unmarked)];
        let mut score = EventScore::default();
        score.add(&gold, &system);
        let counts = [
            score.strict,
            score.class,
            score.polarity,
            score.modality,
            score.tense,
            score.aspect,
        ];
        assert_eq!(
            counts,
            [2, 2, 1, 2, 1, 1],
            "e2 has no instance: only its class and unmarked modality can agree"
        );
    }
}
