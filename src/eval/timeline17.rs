//! Timeline17 (Tran et al. 2013): news articles on a topic and the timelines
//! journalists wrote of it, scored as Ghalandari & Ifrim (2020) do. For each gold
//! timeline: only the articles published between its first and last date; as many
//! dates as it has (K), about as many sentences per date as it has on average. Date
//! precision and recall are averaged over timelines, and F1 taken from the two averages.
//!
//! Beside the digest, the count baseline: the K days the temporal tagger names most
//! often in the same articles (what `annalist times` finds), within the same span.

use crate::annotated::Annotated;
use crate::digest::{digest, Digest, Options};
use crate::graph::Timeline;
use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// One topic folder: `articles.jsonl` and `timelines/*.txt`.
#[derive(Debug, Clone)]
pub struct Topic {
    pub name: String,
    pub articles: PathBuf,
    pub timelines: Vec<Gold>,
}

/// A gold timeline: its dates, each with its sentences.
#[derive(Debug, Clone)]
pub struct Gold {
    /// The file's name without `.txt`.
    pub name: String,
    pub dates: BTreeMap<NaiveDate, Vec<String>>,
}

/// The topics of `dir` (each sub-folder with `articles.jsonl`), in name order, or only
/// those named in `only`.
pub fn topics(dir: &Path, only: &[String]) -> Result<Vec<Topic>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("reading folder {}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("articles.jsonl").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    if let Some(missing) = only.iter().find(|t| !names.contains(t)) {
        bail!("{}: no topic {missing:?} (a folder with articles.jsonl); topics there: {}", dir.display(), names.join(", "));
    }
    if names.is_empty() {
        bail!("{}: no topic folder (TOPIC/articles.jsonl and TOPIC/timelines/*.txt)", dir.display());
    }
    names
        .into_iter()
        .filter(|n| only.is_empty() || only.contains(n))
        .map(|name| {
            let timelines = super::files_with_extension(&dir.join(&name).join("timelines"), "txt")?
                .iter()
                .map(|p| Gold::read(p))
                .collect::<Result<Vec<_>>>()?;
            Ok(Topic { articles: dir.join(&name).join("articles.jsonl"), name, timelines })
        })
        .collect()
}

impl Gold {
    /// Reads a timeline as distributed: a date line, its sentences, a line of dashes
    /// between dates. A date given twice gathers the sentences of both.
    pub fn read(path: &Path) -> Result<Gold> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let mut dates: BTreeMap<NaiveDate, Vec<String>> = BTreeMap::new();
        let mut current: Option<NaiveDate> = None;
        for (n, line) in text.lines().map(str::trim).enumerate() {
            if line.is_empty() {
                continue;
            } else if line.len() >= 5 && line.chars().all(|c| c == '-') {
                current = None;
            } else if current.is_none() {
                let day = NaiveDate::parse_from_str(line, "%Y-%m-%d")
                    .with_context(|| format!("{}:{}: a date YYYY-MM-DD is wanted, not {line:?}", path.display(), n + 1))?;
                dates.entry(day).or_default();
                current = Some(day);
            } else if let Some(day) = current {
                dates.entry(day).or_default().push(line.to_string());
            }
        }
        if dates.is_empty() {
            bail!("{}: no dated entry", path.display());
        }
        Ok(Gold { name, dates })
    }

    /// Its first and last date.
    pub fn span(&self) -> (NaiveDate, NaiveDate) {
        let first = self.dates.keys().next().copied().unwrap_or_default();
        (first, self.dates.keys().next_back().copied().unwrap_or(first))
    }

    /// Its sentences per date, on average, rounded (at least one).
    pub fn sentences_per_date(&self) -> usize {
        let total: usize = self.dates.values().map(Vec::len).sum();
        ((total as f64 / self.dates.len().max(1) as f64).round() as usize).max(1)
    }
}

/// Date precision and recall of one timeline, or their averages.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DateScore {
    pub precision: f64,
    pub recall: f64,
}

impl DateScore {
    pub fn of(predicted: &[NaiveDate], gold: &Gold) -> DateScore {
        let mut days = predicted.to_vec();
        days.sort_unstable();
        days.dedup();
        let hits = days.iter().filter(|d| gold.dates.contains_key(d)).count() as f64;
        DateScore {
            precision: if days.is_empty() { 0.0 } else { hits / days.len() as f64 },
            recall: if gold.dates.is_empty() { 0.0 } else { hits / gold.dates.len() as f64 },
        }
    }

    /// The mean precision and mean recall of `scores`.
    pub fn mean(scores: &[DateScore]) -> DateScore {
        let n = scores.len().max(1) as f64;
        DateScore {
            precision: scores.iter().map(|s| s.precision).sum::<f64>() / n,
            recall: scores.iter().map(|s| s.recall).sum::<f64>() / n,
        }
    }

    pub fn f1(&self) -> f64 {
        let sum = self.precision + self.recall;
        if sum > 0.0 { 2.0 * self.precision * self.recall / sum } else { 0.0 }
    }
}

/// One gold timeline's run: the timeline of its span's articles, the digest, and the
/// dates of the digest and of the count baseline, scored.
pub struct Run {
    pub timeline: Timeline,
    pub digest: Digest,
    pub score: DateScore,
    pub baseline: DateScore,
}

/// Runs the protocol for `gold` over a topic's annotated articles.
pub fn run(docs: &[Annotated], gold: &Gold) -> Result<Run> {
    let (first, last) = gold.span();
    let in_span: Vec<Annotated> =
        docs.iter().filter(|a| a.doc.dct.as_ref().is_some_and(|d| first <= d.date && d.date <= last)).cloned().collect();
    let timeline = crate::pipeline::build_timeline(&in_span, None);
    let opts = Options {
        dates: gold.dates.len(),
        per_date: gold.sentences_per_date(),
        published_from: Some(first),
        published_to: Some(last),
        about: Vec::new(),
    };
    let digest = digest(&timeline, &opts).with_context(|| format!("timeline {}", gold.name))?;
    let days: Vec<NaiveDate> = digest.dates.iter().map(|d| d.date).collect();
    let baseline = most_named_days(&in_span, (first, last), gold.dates.len());
    Ok(Run { score: DateScore::of(&days, gold), baseline: DateScore::of(&baseline, gold), timeline, digest })
}

/// The `k` days within `span` that the documents' one-day TIMEX3s name most often
/// (ties to the earlier day).
pub fn most_named_days(docs: &[Annotated], span: (NaiveDate, NaiveDate), k: usize) -> Vec<NaiveDate> {
    let mut counts: HashMap<NaiveDate, usize> = HashMap::new();
    for x in docs.iter().flat_map(|a| &a.timexes) {
        if let Some((a, _)) = x.interval.filter(|(a, b)| a == b && span.0 <= *a && *b <= span.1) {
            *counts.entry(a).or_default() += 1;
        }
    }
    let mut days: Vec<(NaiveDate, usize)> = counts.into_iter().collect();
    days.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    days.into_iter().take(k).map(|(d, _)| d).collect()
}

/// The digest in the gold files' format (a date line, its sentences, dashes), for
/// ROUGE scorers of timelines.
pub fn as_gold_format(d: &Digest) -> String {
    let mut out = String::new();
    for day in &d.dates {
        let _ = writeln!(out, "{}", day.date.format("%Y-%m-%d"));
        for q in &day.summary {
            let _ = writeln!(out, "{}", q.text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        out.push_str("--------------------------------\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotated::testing::annotated;

    fn gold(text: &str) -> Gold {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.txt");
        std::fs::write(&path, text).unwrap();
        Gold::read(&path).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn gold_dates_gather_repeats_and_scores_average_then_f1() {
        let g = gold("2009-05-04\nA . \nB .\n-----\n2009-05-01\nC .\n-----\n2009-05-01\nD .\nE .\n--------\n");
        assert_eq!(g.dates.len(), 2);
        assert_eq!(g.dates[&day("2009-05-01")], ["C .", "D .", "E ."]);
        assert_eq!(g.span(), (day("2009-05-01"), day("2009-05-04")));
        assert_eq!(g.sentences_per_date(), 3, "5 sentences over 2 dates, rounded up");
        let s = DateScore::of(&[day("2009-05-01"), day("2009-05-02"), day("2009-05-02")], &g);
        assert_eq!(s, DateScore { precision: 0.5, recall: 0.5 });
        let m = DateScore::mean(&[s, DateScore { precision: 1.0, recall: 0.0 }]);
        assert_eq!(m, DateScore { precision: 0.75, recall: 0.25 });
        assert!((m.f1() - 0.375).abs() < 1e-9, "F1 of the averages, not the average F1");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.txt"), "May 4\nA .\n").unwrap();
        assert!(Gold::read(&dir.path().join("bad.txt")).unwrap_err().to_string().contains("bad.txt:1"));
    }

    #[test]
    fn baseline_counts_day_expressions_within_the_span() {
        let a = annotated(
            "a",
            "On May 1 it began. By May 2 it spread. On May 1 schools shut. On April 20 it was unknown.\n",
            Some("2009-05-03"),
            &[],
            &[("May 1", "2009-05-01"), ("May 2", "2009-05-02"), ("May 1", "2009-05-01"), ("April 20", "2009-04-20")],
        );
        let days = most_named_days(&[a], (day("2009-04-25"), day("2009-05-04")), 5);
        assert_eq!(days, [day("2009-05-01"), day("2009-05-02")]);
    }
}
