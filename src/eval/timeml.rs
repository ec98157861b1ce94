//! TempEval-3 TIMEX3 evaluation: the tagger against gold TimeML files.
//!
//! The metrics and the span matching are those of `shared/tools/timex/score_timex.py`,
//! reimplemented so that `annalist eval timeml` needs no Python, and kept identical
//! (down to tie-breaking and character offsets) so the two always agree:
//!
//! - the DCT timex is not scored;
//! - strict: identical span; relaxed: overlapping span, matched one-to-one (identical
//!   spans first, in gold order, then the largest overlaps);
//! - value / type: accuracy over relaxed matches, and P/R/F1 where a true positive is a
//!   relaxed match with the identical value / type string.

use crate::doc::{CharIndex, Span};
use crate::time::timeml::{self, GoldDoc};
use crate::time::{self, Timex};
use anyhow::{bail, Context};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Scores of the tagger on a directory of gold files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimexReport {
    /// Documents scored.
    pub docs: usize,
    /// Gold files that could not be read, with the reason; they are not scored.
    pub failed: Vec<(PathBuf, String)>,
    /// Gold timexes (DCT excluded) and system timexes.
    pub gold: usize,
    pub system: usize,
    /// True positives of each measure.
    pub strict: usize,
    pub relaxed: usize,
    pub value: usize,
    pub kind: usize,
    /// Recall and value accuracy by gold type (empty string: no type given).
    pub by_type: BTreeMap<String, TypeCounts>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TypeCounts {
    pub gold: usize,
    /// Relaxed matches.
    pub found: usize,
    /// Relaxed matches with the gold value.
    pub value_ok: usize,
}

/// Precision, recall and F1, in percent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prf {
    pub p: f64,
    pub r: f64,
    pub f1: f64,
}

impl TimexReport {
    /// P/R/F1 for `tp` true positives (one of the count fields).
    pub fn prf(&self, tp: usize) -> Prf {
        let p = percent(tp, self.system);
        let r = percent(tp, self.gold);
        let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        Prf { p, r, f1 }
    }

    pub fn value_accuracy(&self) -> f64 {
        percent(self.value, self.relaxed)
    }

    pub fn type_accuracy(&self) -> f64 {
        percent(self.kind, self.relaxed)
    }

    fn add(&mut self, gold: &[Scored], system: &[Scored]) {
        self.docs += 1;
        self.gold += gold.len();
        self.system += system.len();
        for g in gold {
            self.by_type.entry(g.kind.clone()).or_default().gold += 1;
        }
        for (i, j, exact) in match_spans(gold, system) {
            let (g, s) = (&gold[i], &system[j]);
            let value_ok = g.value == s.value;
            self.relaxed += 1;
            self.strict += usize::from(exact);
            self.value += usize::from(value_ok);
            self.kind += usize::from(g.kind == s.kind);
            let t = self.by_type.entry(g.kind.clone()).or_default();
            t.found += 1;
            t.value_ok += usize::from(value_ok);
        }
    }
}

fn percent(n: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        100.0 * n as f64 / of as f64
    }
}

impl fmt::Display for TimexReport {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        writeln!(
            f,
            "TIMEX3 (TempEval-3, DCT excluded): {} docs, gold {}, system {}",
            self.docs, self.gold, self.system
        )?;
        writeln!(f, "{:<9}{:>7}{:>7}{:>7}{:>7}", "", "P", "R", "F1", "tp")?;
        for (name, tp) in [
            ("strict", self.strict),
            ("relaxed", self.relaxed),
            ("value", self.value),
            ("type", self.kind),
        ] {
            let s = self.prf(tp);
            writeln!(f, "{name:<9}{:>7.2}{:>7.2}{:>7.2}{tp:>7}", s.p, s.r, s.f1)?;
        }
        writeln!(
            f,
            "value accuracy on relaxed matches {:.2}%, type accuracy {:.2}%",
            self.value_accuracy(),
            self.type_accuracy()
        )?;
        writeln!(
            f,
            "{:<10}{:>6}{:>16}{:>18}",
            "gold type", "n", "relaxed recall", "value acc found"
        )?;
        for (kind, t) in &self.by_type {
            let kind = if kind.is_empty() { "(none)" } else { kind };
            writeln!(
                f,
                "{kind:<10}{:>6}{:>15.1}%{:>17.1}%",
                t.gold,
                percent(t.found, t.gold),
                percent(t.value_ok, t.found)
            )?;
        }
        if !self.failed.is_empty() {
            writeln!(
                f,
                "{} gold files could not be read and are not scored:",
                self.failed.len()
            )?;
            for (path, why) in &self.failed {
                writeln!(f, "  {}: {why}", path.display())?;
            }
        }
        Ok(())
    }
}

/// A timex as the scorer sees it: char offsets, value and type strings.
struct Scored {
    start: usize,
    end: usize,
    kind: String,
    value: String,
}

/// One-to-one matching, as the scorer does it: identical spans first (each gold in
/// order takes the first free identical system span), then the remaining pairs by
/// decreasing overlap, ties to the later gold, then the later system timex.
/// Returns `(gold index, system index, identical span)`.
fn match_spans(gold: &[Scored], system: &[Scored]) -> Vec<(usize, usize, bool)> {
    let mut pairs = Vec::new();
    let mut used_g = vec![false; gold.len()];
    let mut used_s = vec![false; system.len()];
    for (i, g) in gold.iter().enumerate() {
        if let Some(j) = (0..system.len()).find(|&j| !used_s[j] && system[j].start == g.start && system[j].end == g.end)
        {
            pairs.push((i, j, true));
            used_g[i] = true;
            used_s[j] = true;
        }
    }
    let mut candidates = Vec::new();
    for (i, g) in gold.iter().enumerate().filter(|(i, _)| !used_g[*i]) {
        for (j, s) in system.iter().enumerate().filter(|(j, _)| !used_s[*j]) {
            let overlap = g.end.min(s.end) as isize - g.start.max(s.start) as isize;
            if overlap > 0 {
                candidates.push((overlap, i, j));
            }
        }
    }
    candidates.sort_unstable_by(|a, b| b.cmp(a));
    for (_, i, j) in candidates {
        if !used_g[i] && !used_s[j] {
            pairs.push((i, j, false));
            used_g[i] = true;
            used_s[j] = true;
        }
    }
    pairs
}

/// The `*.tml` files of TBAQ-cleaned's TimeBank and AQUAINT parts under `root`, in
/// name order; a part that cannot be listed is skipped.
pub fn tbaq_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["TimeBank", "AQUAINT"]
        .iter()
        .filter_map(|part| super::files_with_extension(&root.join(part), "tml").ok())
        .flatten()
        .collect();
    files.sort();
    files
}

/// Runs [`time::tag`] on every `*.tml` file of `gold_dir` with that file's DCT and
/// scores it. Unreadable files are listed in the report and skipped.
///
/// With `write_system_to`, also writes there what the tagger produced: `<doc>.tml`
/// per document and `system.jsonl` (char offsets), both of which
/// `score_timex.py score GOLD_DIR ...` accepts, to check these numbers independently.
pub fn evaluate(gold_dir: &Path, write_system_to: Option<&Path>) -> anyhow::Result<TimexReport> {
    let files = super::files_with_extension(gold_dir, "tml")
        .with_context(|| format!("cannot list the gold directory {}", gold_dir.display()))?;
    if files.is_empty() {
        bail!(
            "no .tml files in {}; give a directory of TimeML gold files such as TBAQ-cleaned/TimeBank",
            gold_dir.display()
        );
    }
    let mut jsonl = match write_system_to {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            let path = dir.join("system.jsonl");
            let file = std::fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
            Some((path, std::io::BufWriter::new(file)))
        }
        None => None,
    };
    let mut report = TimexReport::default();
    for path in files {
        let doc = match timeml::read(&path) {
            Ok(doc) => doc,
            Err(e) => {
                report.failed.push((path, format!("{e:#}")));
                continue;
            }
        };
        let mut found = time::tag(&doc.text, doc.dct.as_ref());
        // The scorer orders system timexes by span; matching ties depend on the order.
        found.sort_by_key(|t| (t.span.start, t.span.end));
        let index = CharIndex::new(&doc.text);
        let gold: Vec<Scored> = doc
            .timexes
            .iter()
            .map(|t| scored(&index, t.span, &t.kind, &t.value))
            .collect();
        let system: Vec<Scored> = found
            .iter()
            .map(|t| scored(&index, t.span, timeml::type_name(t.kind), &t.value))
            .collect();
        report.add(&gold, &system);
        if let (Some(dir), Some((jsonl_path, out))) = (write_system_to, jsonl.as_mut()) {
            let tml = dir.join(format!("{}.tml", doc.id));
            std::fs::write(&tml, timeml::render(&doc.id, &doc.text, doc.dct.as_ref(), &found))
                .with_context(|| format!("cannot write {}", tml.display()))?;
            writeln!(out, "{}", system_line(&doc, &found, &system))
                .with_context(|| format!("cannot write {}", jsonl_path.display()))?;
        }
    }
    if let Some((path, mut out)) = jsonl {
        out.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(report)
}

fn scored(index: &CharIndex, span: Span, kind: &str, value: &str) -> Scored {
    let (start, end) = index.chars(span);
    Scored {
        start,
        end,
        kind: kind.to_string(),
        value: value.to_string(),
    }
}

/// One line of the scorer's jsonl system format.
fn system_line(doc: &GoldDoc, found: &[Timex], system: &[Scored]) -> serde_json::Value {
    let timexes: Vec<_> = found
        .iter()
        .zip(system)
        .map(|(t, s)| {
            serde_json::json!({
                "start": s.start, "end": s.end, "type": s.kind, "value": s.value,
                "mod": t.modifier, "text": t.span.of(&doc.text),
            })
        })
        .collect();
    serde_json::json!({ "doc": doc.id, "timexes": timexes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(start: usize, end: usize, kind: &str, value: &str) -> Scored {
        Scored {
            start,
            end,
            kind: kind.into(),
            value: value.into(),
        }
    }

    #[test]
    fn exact_spans_match_first_then_largest_overlap() {
        let gold = [
            s(0, 10, "DATE", "a"),
            s(20, 30, "DATE", "b"),
            s(40, 45, "DURATION", "P1D"),
        ];
        // sys 0 overlaps gold 0 by 5, sys 1 overlaps gold 0 by 8 and is identical to nothing,
        // sys 2 is identical to gold 1, sys 3 overlaps gold 1 only (already taken).
        let system = [
            s(5, 12, "DATE", "a"),
            s(2, 10, "DATE", "x"),
            s(20, 30, "TIME", "b"),
            s(25, 35, "DATE", "b"),
        ];
        let pairs = match_spans(&gold, &system);
        assert_eq!(pairs, [(1, 2, true), (0, 1, false)]);
        let mut r = TimexReport::default();
        r.add(&gold, &system);
        assert_eq!(
            (r.gold, r.system, r.strict, r.relaxed, r.value, r.kind),
            (3, 4, 1, 2, 1, 1)
        );
        assert_eq!(
            r.by_type["DATE"],
            TypeCounts {
                gold: 2,
                found: 2,
                value_ok: 1
            }
        );
        assert_eq!(
            r.by_type["DURATION"],
            TypeCounts {
                gold: 1,
                found: 0,
                value_ok: 0
            }
        );
        let relaxed = r.prf(r.relaxed);
        assert_eq!((relaxed.p, relaxed.r), (50.0, 100.0 * 2.0 / 3.0));
        assert!((relaxed.f1 - 400.0 / 7.0).abs() < 1e-9);
    }

    #[test]
    fn overlap_ties_go_to_the_later_gold_then_the_later_system_timex() {
        // One system timex overlapping two gold ones by the same amount.
        let gold = [s(0, 4, "DATE", "a"), s(6, 10, "DATE", "b")];
        let system = [s(2, 8, "DATE", "b")];
        assert_eq!(match_spans(&gold, &system), [(1, 0, false)]);
    }

    #[test]
    fn empty_report_has_zero_scores_not_nan() {
        let r = TimexReport::default();
        assert_eq!(
            r.prf(0),
            Prf {
                p: 0.0,
                r: 0.0,
                f1: 0.0
            }
        );
        assert_eq!(r.value_accuracy(), 0.0);
        assert!(r.to_string().contains("strict"));
    }

    #[test]
    fn missing_or_empty_gold_dir_is_an_error_naming_it() {
        let err = evaluate(Path::new("/nonexistent/gold"), None).unwrap_err();
        assert!(format!("{err:#}").contains("/nonexistent/gold"));
    }
}
