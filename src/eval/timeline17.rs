//! Timeline17 (Tran et al. 2013): news articles on a topic and the timelines
//! journalists wrote of it, scored as Ghalandari & Ifrim (2020) do. For each gold
//! timeline: only the articles published between its first and last date; as many
//! dates as it has (K), about as many sentences per date as it has on average. Date
//! precision and recall are averaged over timelines, and F1 taken from the two averages.
//!
//! Beside the digest, the count baseline: the K days the temporal tagger names most
//! often in the same articles (what `annalist times` finds), within the same span.
//!
//! The summaries are scored by ROUGE-1 and ROUGE-2 in three of the ways of Martschat &
//! Markert (2017): *concat* (all the digest's sentences against all the gold's, dates
//! ignored), *agreement* (n-grams match only between the same date's sentences) and
//! *align+ m:1*, the one papers quote: each digest date is paired with the gold date
//! that is nearest in time and content (cost `(1 − 1/(days apart + 1)) · (1 − unigram
//! F1 of the two dates' sentences)`, the lowest cost, the earliest date on a tie), and
//! its matches count `1/(days apart + 1)` each; for recall each gold date is paired
//! with a digest date the same way. Our
//! own implementation: lower-cased runs of letters and digits, the treebank bracket
//! tokens (`-LRB-`) of the gold dropped and its clitics joined again ("did n't"), no stemming, no stop words removed, counts
//! clipped; precision and recall averaged over timelines and F1 taken from the averages,
//! as for dates. Figures from other ROUGE set-ups are not directly comparable.

use crate::annotated::Annotated;
use crate::digest::rank::Example;
use crate::digest::{day_features, digest, Digest, Options, Ranking};
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
    /// Entries left out, each with why.
    pub skipped: Vec<String>,
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
        bail!(
            "{}: no topic {missing:?} (a folder with articles.jsonl); topics there: {}",
            dir.display(),
            names.join(", ")
        );
    }
    if names.is_empty() {
        bail!(
            "{}: no topic folder (TOPIC/articles.jsonl and TOPIC/timelines/*.txt)",
            dir.display()
        );
    }
    names
        .into_iter()
        .filter(|n| only.is_empty() || only.contains(n))
        .map(|name| {
            let timelines = super::files_with_extension(&dir.join(&name).join("timelines"), "txt")?
                .iter()
                .map(|p| Gold::read(p))
                .collect::<Result<Vec<_>>>()?;
            Ok(Topic {
                articles: dir.join(&name).join("articles.jsonl"),
                name,
                timelines,
            })
        })
        .collect()
}

impl Gold {
    /// Reads a timeline as distributed: a date line, its sentences, a line of dashes
    /// between dates. A date given twice gathers the sentences of both. An entry whose
    /// date line is no day (Timeline17's MJ timeline has "2011-04-0") is left out and
    /// listed in `skipped`.
    pub fn read(path: &Path) -> Result<Gold> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut dates: BTreeMap<NaiveDate, Vec<String>> = BTreeMap::new();
        let mut skipped = Vec::new();
        // The entry being read: none yet (a date line comes next), a day, or one left out.
        let mut current: Option<Option<NaiveDate>> = None;
        for (n, line) in text.lines().map(str::trim).enumerate() {
            if line.is_empty() {
                continue;
            } else if line.len() >= 5 && line.chars().all(|c| c == '-') {
                current = None;
            } else if let Some(entry) = current {
                if let Some(day) = entry {
                    dates.entry(day).or_default().push(line.to_string());
                }
            } else {
                let day = NaiveDate::parse_from_str(line, "%Y-%m-%d").ok();
                match day {
                    Some(day) => {
                        dates.entry(day).or_default();
                    }
                    None => skipped.push(format!(
                        "{}:{}: {line:?} is no date YYYY-MM-DD; its entry is left out",
                        path.display(),
                        n + 1
                    )),
                }
                current = Some(day);
            }
        }
        if dates.is_empty() {
            let why: String = skipped.iter().map(|w| format!("; {w}")).collect();
            bail!("{}: no dated entry{why}", path.display());
        }
        Ok(Gold { name, dates, skipped })
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

/// Precision and recall of one timeline (dates, or ROUGE n-grams), or their averages.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
}

impl Score {
    /// The chosen days against the gold's.
    pub fn dates(predicted: &[NaiveDate], gold: &Gold) -> Score {
        let mut days = predicted.to_vec();
        days.sort_unstable();
        days.dedup();
        let hits = days.iter().filter(|d| gold.dates.contains_key(d)).count();
        Score::ratio(hits, days.len(), gold.dates.len())
    }

    /// `hits` of `predicted` and of `gold` items.
    fn ratio(hits: usize, predicted: usize, gold: usize) -> Score {
        Score::weighted(hits as f64, hits as f64, predicted, gold)
    }

    /// Precision from `precise` weighted hits of `predicted` items, recall from
    /// `recalled` of `gold` items.
    fn weighted(precise: f64, recalled: f64, predicted: usize, gold: usize) -> Score {
        let share = |hits: f64, n: usize| if n == 0 { 0.0 } else { hits / n as f64 };
        Score {
            precision: share(precise, predicted),
            recall: share(recalled, gold),
        }
    }

    /// The mean precision and mean recall of `scores`.
    pub fn mean(scores: &[Score]) -> Score {
        let n = scores.len().max(1) as f64;
        Score {
            precision: scores.iter().map(|s| s.precision).sum::<f64>() / n,
            recall: scores.iter().map(|s| s.recall).sum::<f64>() / n,
        }
    }

    pub fn f1(&self) -> f64 {
        let sum = self.precision + self.recall;
        if sum > 0.0 {
            2.0 * self.precision * self.recall / sum
        } else {
            0.0
        }
    }
}

/// ROUGE-1 and ROUGE-2 of a digest (see the module docs), each as `[ROUGE-1, ROUGE-2]`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rouge {
    pub concat: [Score; 2],
    pub agreement: [Score; 2],
    /// align+ m:1.
    pub align: [Score; 2],
}

impl Rouge {
    /// The summaries of `digest` (sentences per date) against `gold`'s.
    pub fn of(digest: &BTreeMap<NaiveDate, Vec<String>>, gold: &Gold) -> Rouge {
        let mut out = Rouge::default();
        // Each date's n-grams, for n = 1 and 2, in date order.
        let by_date = |dates: &BTreeMap<NaiveDate, Vec<String>>, n: usize| -> Vec<(NaiveDate, Grams)> {
            dates.iter().map(|(d, s)| (*d, grams(s, n))).collect()
        };
        let per_n = [1, 2].map(|n| (by_date(digest, n), by_date(&gold.dates, n)));
        // align+ m:1 pairs the dates by their unigrams whatever n is scored.
        let (words, gold_words) = &per_n[0];
        let (precise, recalled) = (align(words, gold_words), align(gold_words, words));
        for (k, (ours, theirs)) in per_n.iter().enumerate() {
            let all = |dates: &BTreeMap<NaiveDate, Vec<String>>| grams(dates.values().flatten(), k + 1);
            let (p, g) = (all(digest), all(&gold.dates));
            out.concat[k] = Score::ratio(overlap(&p, &g), size(&p), size(&g));
            let hits = ours
                .iter()
                .filter_map(|(day, grams)| {
                    let j = theirs.binary_search_by_key(day, |t| t.0).ok()?;
                    Some(overlap(grams, &theirs[j].1))
                })
                .sum();
            out.agreement[k] = Score::ratio(hits, size(&p), size(&g));
            let weighted =
                |pairs: &[(usize, usize, f64)], from: &[(NaiveDate, Grams)], to: &[(NaiveDate, Grams)]| -> f64 {
                    pairs
                        .iter()
                        .map(|&(i, j, w)| w * overlap(&from[i].1, &to[j].1) as f64)
                        .sum()
                };
            out.align[k] = Score::weighted(
                weighted(&precise, ours, theirs),
                weighted(&recalled, theirs, ours),
                size(&p),
                size(&g),
            );
        }
        out
    }

    /// The mean of each score over `runs`.
    pub fn mean(runs: &[Rouge]) -> Rouge {
        let of = |pick: fn(&Rouge) -> Score| Score::mean(&runs.iter().map(pick).collect::<Vec<_>>());
        Rouge {
            concat: [of(|r| r.concat[0]), of(|r| r.concat[1])],
            agreement: [of(|r| r.agreement[0]), of(|r| r.agreement[1])],
            align: [of(|r| r.align[0]), of(|r| r.align[1])],
        }
    }
}

/// align+ m:1's pairing from one side: each date of `from` (its day and unigrams) with
/// the date of `to` of the lowest cost (module docs), as `(from, to, weight)` indices.
fn align(from: &[(NaiveDate, Grams)], to: &[(NaiveDate, Grams)]) -> Vec<(usize, usize, f64)> {
    let nearness = |a: NaiveDate, b: NaiveDate| 1.0 / ((a - b).num_days().abs() as f64 + 1.0);
    from.iter()
        .enumerate()
        .filter_map(|(i, (day, words))| {
            let cost = |(other, theirs): &(NaiveDate, Grams)| {
                let shared = overlap(words, theirs) as f64;
                let f1 = if shared > 0.0 {
                    2.0 * shared / (size(words) + size(theirs)) as f64
                } else {
                    0.0
                };
                (1.0 - nearness(*day, *other)) * (1.0 - f1)
            };
            let (j, best) = to.iter().enumerate().min_by(|a, b| cost(a.1).total_cmp(&cost(b.1)))?;
            Some((i, j, nearness(*day, best.0)))
        })
        .collect()
}

/// N-grams and their counts.
type Grams = HashMap<Vec<String>, usize>;

/// The `n`-grams of `sentences` (each sentence on its own), counted.
fn grams<'a>(sentences: impl IntoIterator<Item = &'a String>, n: usize) -> Grams {
    let mut out = HashMap::new();
    for s in sentences {
        // The gold is tokenised ("did n't", "Haiti 's"); the articles are not.
        let s = CLITICS.iter().fold(s.clone(), |s, c| s.replace(&format!(" {c}"), c));
        let words: Vec<String> = crate::digest::words(&s)
            .filter(|w| !BRACKETS.contains(&w.as_str()))
            .collect();
        for gram in words.windows(n) {
            *out.entry(gram.to_vec()).or_default() += 1;
        }
    }
    out
}

/// Clitics the treebank tokenisation splits off their word.
const CLITICS: [&str; 7] = ["n't", "'s", "'re", "'ve", "'ll", "'d", "'m"];

/// The treebank's bracket tokens, as [`crate::digest::words`] reads them.
const BRACKETS: [&str; 6] = ["lrb", "rrb", "lsb", "rsb", "lcb", "rcb"];

fn size(grams: &Grams) -> usize {
    grams.values().sum()
}

/// N-grams in both, each counted as often as the rarer side has it.
fn overlap(a: &Grams, b: &Grams) -> usize {
    a.iter().map(|(g, &n)| n.min(b.get(g).copied().unwrap_or(0))).sum()
}

/// One gold timeline made ready to digest: the timeline of its span's articles, the
/// digest's options under the protocol, and the count baseline's days.
pub struct Prepared {
    pub timeline: Timeline,
    pub opts: Options,
    pub baseline: Vec<NaiveDate>,
}

/// One gold timeline's run: the timeline of its span's articles, the digest, and the
/// dates of the digest and of the count baseline, scored.
pub struct Run {
    pub timeline: Timeline,
    pub digest: Digest,
    pub score: Score,
    pub baseline: Score,
    pub rouge: Rouge,
    /// ROUGE of the lead baseline on the digest's own dates: the first sentence of each
    /// article published that day, as many as the digest gives. It tells whether the
    /// digest's choice of sentences beats the articles' own leads.
    pub lead: Rouge,
}

/// Builds the timeline of `gold`'s span from a topic's annotated articles.
pub fn prepare(docs: &[Annotated], coref: Option<&crate::model::coref::EventCoref>, gold: &Gold) -> Prepared {
    let (first, last) = gold.span();
    let mut in_span: Vec<Annotated> = docs
        .iter()
        .filter(|a| a.doc.dct.as_ref().is_some_and(|d| first <= d.date && d.date <= last))
        .cloned()
        .collect();
    // In id order, as `merge` reads batch folders: the timeline does not depend on
    // where the annotations came from.
    in_span.sort_by(|a, b| (&a.doc.id, &a.doc.source).cmp(&(&b.doc.id, &b.doc.source)));
    let timeline = crate::pipeline::build_timeline(&in_span, None, coref);
    let opts = Options {
        dates: gold.dates.len(),
        per_date: gold.sentences_per_date(),
        published_from: Some(first),
        published_to: Some(last),
        ..Options::default()
    };
    let baseline = most_named_days(&in_span, (first, last), gold.dates.len());
    Prepared {
        timeline,
        opts,
        baseline,
    }
}

/// The candidate days of a prepared timeline as a date ranker learns from them: each
/// day with its features, whether `gold` lists it, and a weight that gives each
/// timeline the same say (1 over its candidates).
pub fn examples(p: &Prepared, gold: &Gold) -> Result<Vec<(NaiveDate, Example)>> {
    let days = day_features(&p.timeline, &p.opts).with_context(|| format!("timeline {}", gold.name))?;
    let weight = 1.0 / days.len().max(1) as f64;
    Ok(days
        .into_iter()
        .map(|(d, features)| {
            let key = gold.dates.contains_key(&d);
            (d, Example { features, key, weight })
        })
        .collect())
}

/// Digests a prepared timeline with `ranking` and scores it against `gold`.
pub fn score(p: Prepared, gold: &Gold, ranking: &Ranking) -> Result<Run> {
    let opts = Options {
        ranking: ranking.clone(),
        ..p.opts
    };
    let digest = digest(&p.timeline, &opts).with_context(|| format!("timeline {}", gold.name))?;
    let days: Vec<NaiveDate> = digest.dates.iter().map(|d| d.date).collect();
    let summaries = digest
        .dates
        .iter()
        .map(|d| (d.date, d.summary.iter().map(|q| q.text.clone()).collect()))
        .collect();
    let leads = digest
        .dates
        .iter()
        .map(|d| (d.date, leads(&p.timeline, d.date, opts.per_date)))
        .collect();
    Ok(Run {
        score: Score::dates(&days, gold),
        baseline: Score::dates(&p.baseline, gold),
        rouge: Rouge::of(&summaries, gold),
        lead: Rouge::of(&leads, gold),
        timeline: p.timeline,
        digest,
    })
}

/// The first body sentence of each of the first `n` articles (in timeline order)
/// published on `day`.
fn leads(t: &Timeline, day: NaiveDate, n: usize) -> Vec<String> {
    t.documents
        .iter()
        .zip(&t.texts)
        .filter(|(d, _)| d.dct.as_ref().is_some_and(|p| p.date == day))
        .filter_map(|(d, text)| {
            let first = text.sentences.first()?;
            d.text.get(first.start..first.end).map(str::to_string)
        })
        .take(n)
        .collect()
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
    fn an_entry_whose_date_is_no_day_is_left_out_and_said() {
        let g = gold("2011-03-03\nA .\n-----\n2011-04-0\nJury selection begins .\n-----\n2011-05-02\nB .\n");
        assert_eq!(
            g.dates.keys().map(|d| d.to_string()).collect::<Vec<_>>(),
            ["2011-03-03", "2011-05-02"]
        );
        assert_eq!(g.dates[&day("2011-05-02")], ["B ."]);
        assert_eq!(g.skipped.len(), 1);
        assert!(g.skipped[0].contains(":4: \"2011-04-0\""), "{:?}", g.skipped);
    }

    #[test]
    fn gold_dates_gather_repeats_and_scores_average_then_f1() {
        let g = gold("2009-05-04\nA . \nB .\n-----\n2009-05-01\nC .\n-----\n2009-05-01\nD .\nE .\n--------\n");
        assert_eq!(g.dates.len(), 2);
        assert_eq!(g.dates[&day("2009-05-01")], ["C .", "D .", "E ."]);
        assert_eq!(g.span(), (day("2009-05-01"), day("2009-05-04")));
        assert_eq!(g.sentences_per_date(), 3, "5 sentences over 2 dates, rounded up");
        let s = Score::dates(&[day("2009-05-01"), day("2009-05-02"), day("2009-05-02")], &g);
        assert_eq!(
            s,
            Score {
                precision: 0.5,
                recall: 0.5
            }
        );
        let m = Score::mean(&[
            s,
            Score {
                precision: 1.0,
                recall: 0.0,
            },
        ]);
        assert_eq!(
            m,
            Score {
                precision: 0.75,
                recall: 0.25
            }
        );
        assert!((m.f1() - 0.375).abs() < 1e-9, "F1 of the averages, not the average F1");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.txt"), "May 4\nA .\n").unwrap();
        assert!(Gold::read(&dir.path().join("bad.txt"))
            .unwrap_err()
            .to_string()
            .contains("bad.txt:1"));
    }

    #[test]
    fn rouge_concat_ignores_dates_and_agreement_matches_the_same_date() {
        let g = gold("2009-05-01\nThe WHO -LRB- agency -RRB- raised the alert .\n-----\n2009-05-02\nSchools did n't shut .\n-----\n");
        let digest: BTreeMap<NaiveDate, Vec<String>> = [
            (day("2009-05-01"), vec!["The WHO raised the alert.".to_string()]),
            (day("2009-05-03"), vec!["Schools didn't shut.".to_string()]),
        ]
        .into();
        let r = Rouge::of(&digest, &g);
        let close = |s: Score, p: f64, r: f64| (s.precision - p).abs() < 1e-9 && (s.recall - r).abs() < 1e-9;
        // Unigrams: the digest's 9 all match (the bracket tokens are dropped, "did n't"
        // is "didn't", "agency" is not said).
        assert!(close(r.concat[0], 1.0, 9.0 / 10.0), "{:?}", r.concat[0]);
        // Only 2009-05-01 is in both: its 5 unigrams and 3 bigrams.
        assert!(close(r.agreement[0], 5.0 / 9.0, 5.0 / 10.0), "{:?}", r.agreement[0]);
        assert!(close(r.concat[1], 6.0 / 7.0, 6.0 / 8.0), "{:?}", r.concat[1]);
        assert!(close(r.agreement[1], 3.0 / 7.0, 3.0 / 8.0), "{:?}", r.agreement[1]);
        // align+ m:1: 2009-05-03 pairs with 2009-05-02 (a day apart, the same words:
        // cost 0.5 · 0) rather than 2009-05-01 (cost 2/3 · 1), and its matches count half.
        assert!(close(r.align[0], 7.0 / 9.0, 7.0 / 10.0), "{:?}", r.align[0]);
        assert!(close(r.align[1], 4.5 / 7.0, 4.5 / 8.0), "{:?}", r.align[1]);
        let m = Rouge::mean(&[r, Rouge::default()]);
        assert!(close(m.concat[0], 0.5, 9.0 / 20.0));
    }

    #[test]
    fn leads_are_the_first_sentences_of_the_day_s_articles() {
        let doc = |id: &str, day: &str, text: &str| annotated(id, text, Some(day), &[], &[]);
        let docs = [
            doc("a", "2009-05-01", "Schools shut on Friday. Parents were told late.\n"),
            doc("b", "2009-05-02", "The alert was raised. Nobody panicked.\n"),
            doc("c", "2009-05-01", "A second case was confirmed. It was in Glasgow.\n"),
            doc("d", "2009-05-01", "Flights were cut. Airlines complained.\n"),
        ];
        let t = crate::pipeline::build_timeline(&docs, None, None);
        assert_eq!(
            leads(&t, day("2009-05-01"), 2),
            ["Schools shut on Friday.", "A second case was confirmed."]
        );
        assert!(leads(&t, day("2009-05-03"), 2).is_empty());
    }

    #[test]
    fn baseline_counts_day_expressions_within_the_span() {
        let a = annotated(
            "a",
            "On May 1 it began. By May 2 it spread. On May 1 schools shut. On April 20 it was unknown.\n",
            Some("2009-05-03"),
            &[],
            &[
                ("May 1", "2009-05-01"),
                ("May 2", "2009-05-02"),
                ("May 1", "2009-05-01"),
                ("April 20", "2009-04-20"),
            ],
        );
        let days = most_named_days(&[a], (day("2009-04-25"), day("2009-05-04")), 5);
        assert_eq!(days, [day("2009-05-01"), day("2009-05-02")]);
    }
}
