//! The output folder of a batch run, written so that a crash loses nothing and
//! doubles nothing.
//!
//! Documents are committed a chunk at a time, in input order: their results are
//! appended to `results.jsonl` and synced, then their entries to `manifest.jsonl` and
//! synced. The manifest is the commit log: a result counts only once its entry is
//! there. Reopening with `--resume` cuts what a crash left half-written (a torn last
//! line, results not yet committed) and tells the run how many input documents are
//! done; since commits follow input order, those are the first ones.

use super::record::Record;
use crate::annotated::Annotated;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

pub const RESULTS: &str = "results.jsonl";
pub const MANIFEST: &str = "manifest.jsonl";
pub const SETTINGS: &str = "batch.json";

/// What a run was started with. Resuming with other values would mix two runs in one
/// folder, so it is refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The inputs as given (for the record; the documents themselves are checked by id).
    pub inputs: Vec<String>,
    pub model: String,
    pub shard: Option<String>,
    pub dct: Option<String>,
    pub keep_related: bool,
}

/// One manifest line: every input document gets exactly one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Failed,
}

/// A line of a batch folder that cannot be read (cut short, garbage, lost), and why.
/// Readers skip it and go on: one damaged line costs its document, not the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    /// 1-based; `None` when no one line is at fault (results lost at the end).
    pub line: Option<usize>,
    pub why: String,
}

impl Problem {
    fn at(path: &Path, line: usize, why: String) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line: Some(line),
            why,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self.line {
            Some(n) => write!(f, "{}:{n}: {}", self.path.display(), self.why),
            None => write!(f, "{}: {}", self.path.display(), self.why),
        }
    }
}

impl std::error::Error for Problem {}

/// The two append-only files of a run in progress.
pub struct Journal {
    results: File,
    manifest: File,
}

impl Journal {
    /// Opens `dir` for a run and returns how many input documents are already done.
    ///
    /// Without `resume`, the folder must hold no run yet (it is created if missing).
    /// With `resume`, an existing run must have the same `settings`; its files are cut
    /// back to what was committed. Resuming in a folder with no run starts
    /// one, so a job can always be (re)started with `--resume`.
    pub fn open(dir: &Path, settings: &Settings, resume: bool) -> Result<(Journal, u64)> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating the output folder {}", dir.display()))?;
        let manifest_path = dir.join(MANIFEST);
        let started = manifest_path.exists();
        if started && !resume {
            bail!(
                "{} already holds a batch run; pass --resume to continue it, or choose another --output-dir",
                dir.display()
            );
        }
        let done = if started {
            check_settings(dir, settings)?;
            recover(dir)?
        } else {
            write_atomic(&dir.join(SETTINGS), &serde_json::to_vec_pretty(settings)?)?;
            for name in [RESULTS, MANIFEST] {
                File::create(dir.join(name)).with_context(|| format!("creating {}", dir.join(name).display()))?;
            }
            0
        };
        let append = |name: &str| {
            let path = dir.join(name);
            OpenOptions::new()
                .append(true)
                .open(&path)
                .with_context(|| format!("opening {}", path.display()))
        };
        Ok((
            Journal {
                results: append(RESULTS)?,
                manifest: append(MANIFEST)?,
            },
            done,
        ))
    }

    /// Commits one chunk: its result lines, then its manifest lines, each synced.
    pub fn commit(&mut self, results: &[u8], manifest: &[u8]) -> Result<()> {
        self.results.write_all(results).context("appending to results.jsonl")?;
        self.results.sync_data().context("syncing results.jsonl")?;
        self.manifest
            .write_all(manifest)
            .context("appending to manifest.jsonl")?;
        self.manifest.sync_data().context("syncing manifest.jsonl")?;
        Ok(())
    }
}

/// The settings the run in `dir` was started with.
pub fn settings(dir: &Path) -> Result<Settings> {
    let path = dir.join(SETTINGS);
    let text =
        std::fs::read(&path).with_context(|| format!("reading {}; is this a batch output folder?", path.display()))?;
    serde_json::from_slice(&text).with_context(|| format!("{}: not batch settings", path.display()))
}

fn check_settings(dir: &Path, now: &Settings) -> Result<()> {
    let then = settings(dir)?;
    let debug = |v: &dyn std::fmt::Debug| format!("{v:?}");
    let fields = [
        ("model", debug(&then.model), debug(&now.model)),
        ("--shard", debug(&then.shard), debug(&now.shard)),
        ("--dct", debug(&then.dct), debug(&now.dct)),
        ("--keep-related", debug(&then.keep_related), debug(&now.keep_related)),
    ];
    if let Some((what, a, b)) = fields.iter().find(|(_, a, b)| a != b) {
        bail!(
            "--resume: the run in {} was started with {what} {a}, this one has {b}; resume with the same settings or choose another --output-dir",
            dir.display()
        );
    }
    Ok(())
}

/// Cuts the manifest back to its whole lines (a crash can tear the last one) and the
/// results to the committed ones. Returns the number of manifest entries kept.
fn recover(dir: &Path) -> Result<u64> {
    let manifest = dir.join(MANIFEST);
    let (mut keep, mut ok, mut end) = (0u64, 0usize, 0u64);
    for line in whole_lines(&manifest)? {
        let line = line?;
        let entry: Entry = serde_json::from_str(&line.text).with_context(|| {
            format!(
                "{}:{}: not a manifest entry; the folder was changed by hand",
                manifest.display(),
                line.n
            )
        })?;
        ok += usize::from(entry.status == Status::Ok);
        (keep, end) = (keep + 1, line.end);
    }
    truncate(&manifest, end)?;
    let results = dir.join(RESULTS);
    let (mut found, mut end) = (0, 0u64);
    for line in whole_lines(&results)?.take(ok) {
        (found, end) = (found + 1, line?.end);
    }
    if found < ok {
        bail!(
            "{}: {found} results for {ok} committed documents; the folder was changed by hand, start a new run",
            results.display()
        );
    }
    truncate(&results, end)?;
    Ok(keep)
}

/// One line of a file as read.
struct Line {
    /// 1-based.
    n: usize,
    text: String,
    /// The byte offset just after it.
    end: u64,
    /// Whether it ends with a newline; only the last line may not (a torn or cut copy).
    whole: bool,
}

/// Streams the lines of a file. A read error ends the stream as a [`Problem`] at the line
/// it stopped.
fn lines(path: &Path) -> Result<impl Iterator<Item = Result<Line, Problem>>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut reader = BufReader::new(file);
    let path = path.to_path_buf();
    let (mut n, mut end, mut failed) = (0, 0u64, false);
    let mut buf = Vec::new();
    Ok(std::iter::from_fn(move || {
        if failed {
            return None;
        }
        buf.clear();
        n += 1;
        match reader.read_until(b'\n', &mut buf) {
            Err(e) => {
                failed = true;
                Some(Err(Problem::at(
                    &path,
                    n,
                    format!("cannot be read ({e}); the rest of the file is not read"),
                )))
            }
            Ok(0) => None,
            Ok(len) => {
                end += len as u64;
                let whole = buf.last() == Some(&b'\n');
                let text = String::from_utf8_lossy(&buf[..len - usize::from(whole)]).into_owned();
                Some(Ok(Line { n, text, end, whole }))
            }
        }
    }))
}

/// The whole (newline-ended) lines of a file: a torn last line is left out, as a crash
/// mid-commit leaves one.
fn whole_lines(path: &Path) -> Result<impl Iterator<Item = Result<Line, Problem>>> {
    Ok(lines(path)?.take_while(|line| line.as_ref().map_or(true, |l| l.whole)))
}

fn truncate(path: &Path, len: u64) -> Result<()> {
    let file = OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    file.set_len(len)
        .with_context(|| format!("truncating {}", path.display()))?;
    file.sync_all().with_context(|| format!("syncing {}", path.display()))
}

/// Writes `path` through a temporary file and a rename, so readers see the old file or
/// the new one, never half of one.
pub fn write_atomic(path: &Path, content: &[u8]) -> Result<()> {
    let tmp = PathBuf::from(format!("{}.tmp", path.display()));
    let mut file = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    file.write_all(content)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming {} to {}", tmp.display(), path.display()))
}

/// Streams the committed manifest entries of the run in `dir`, in order; a line that is
/// not an entry comes as a [`Problem`] in its place. A folder without a manifest holds
/// no run: an error.
pub fn entries(dir: &Path) -> Result<impl Iterator<Item = Result<Entry, Problem>>> {
    let path = dir.join(MANIFEST);
    if !path.exists() {
        bail!(
            "{}: no {MANIFEST}; pass the --output-dir of an annalist batch run",
            dir.display()
        );
    }
    Ok(whole_lines(&path)?.map(move |line| {
        let line = line?;
        serde_json::from_str(&line.text).map_err(|e| Problem::at(&path, line.n, format!("not a manifest entry ({e})")))
    }))
}

/// Streams the committed documents of the run in `dir`, annotated as stored, in run
/// order: as many result lines as the manifest has `ok` entries (a run killed and not
/// resumed may have more). What cannot be read comes as a [`Problem`] and the stream
/// goes on:
/// - a manifest line that is not an entry, first. It may have been an `ok` one, so one
///   more result line is read for it: no committed result is dropped for it;
/// - a result line that is not a record, is cut short, or whose spans are not in its
///   text. It still counts as one committed line, so the lines after it stay theirs;
/// - fewer result lines than committed documents (results lost), at the end.
pub fn records(dir: &Path) -> Result<impl Iterator<Item = Result<Annotated, Problem>>> {
    let (mut ok, mut problems) = (0, Vec::new());
    for entry in entries(dir)? {
        match entry {
            Ok(entry) => ok += usize::from(entry.status == Status::Ok),
            Err(problem) => problems.push(problem),
        }
    }
    let path = dir.join(RESULTS);
    let mut lines = lines(&path)?.take(ok + problems.len());
    let mut read = 0;
    let results = std::iter::from_fn(move || match lines.next() {
        Some(line) => {
            read += 1;
            Some(line.and_then(|line| record(&path, line)))
        }
        None if read < ok => {
            let found = std::mem::replace(&mut read, ok);
            Some(Err(Problem {
                path: path.clone(),
                line: None,
                why: format!("only {found} of {ok} committed result lines are there: the rest were lost"),
            }))
        }
        None => None,
    });
    Ok(problems.into_iter().map(Err).chain(results))
}

/// The document of one result line.
fn record(path: &Path, line: Line) -> Result<Annotated, Problem> {
    let cut = if line.whole { "" } else { "; the line is cut short" };
    serde_json::from_str::<Record>(&line.text)
        .map_err(|e| format!("not a result line ({e}){cut}"))
        .and_then(Record::into_annotated)
        .map_err(|why| Problem::at(path, line.n, why))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, status: Status) -> String {
        serde_json::to_string(&Entry {
            id: id.into(),
            status,
            error: None,
            source: id.into(),
        })
        .unwrap()
    }

    /// The result line of seed document `i`.
    fn result(i: usize) -> String {
        serde_json::to_string(&Record::new(&crate::annotated::testing::seed_docs()[i])).unwrap()
    }

    /// An item read back: the document's id, or the problem's file name, line and why.
    type Got = Result<String, (String, Option<usize>, String)>;

    /// What [`read`] gives for seed document `i`.
    fn doc(i: usize) -> Got {
        Ok(crate::annotated::testing::seed_docs()[i].doc.id.clone())
    }

    /// A folder with these manifest and results bytes, read back.
    fn read(manifest: &str, results: &str) -> Vec<Got> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MANIFEST), manifest).unwrap();
        std::fs::write(dir.path().join(RESULTS), results).unwrap();
        records(dir.path())
            .unwrap()
            .map(|r| {
                r.map(|a| a.doc.id).map_err(|p| {
                    let file = p.path.file_name().unwrap().to_string_lossy().into_owned();
                    (file, p.line, p.why)
                })
            })
            .collect()
    }

    fn ok(n: usize) -> String {
        (0..n).map(|i| entry(&format!("{i:03}"), Status::Ok) + "\n").collect()
    }

    #[test]
    fn a_garbage_result_line_is_skipped_and_the_lines_after_it_stay_theirs() {
        let got = read(&ok(3), &format!("{}\nnot json at all\n{}\n", result(0), result(2)));
        assert_eq!(got[0], doc(0));
        let (file, line, why) = got[1].clone().unwrap_err();
        assert_eq!((file.as_str(), line), (RESULTS, Some(2)));
        assert!(why.starts_with("not a result line"), "{why}");
        assert_eq!(got[2..], [doc(2)]);
    }

    #[test]
    fn a_committed_line_cut_short_is_reported_an_uncommitted_one_is_not() {
        let cut = &result(1)[..40];
        let got = read(&ok(2), &format!("{}\n{cut}", result(0)));
        assert_eq!(got.len(), 2, "{got:?}");
        let (file, line, why) = got[1].clone().unwrap_err();
        assert_eq!((file.as_str(), line), (RESULTS, Some(2)));
        assert!(why.ends_with("the line is cut short"), "{why}");

        // A run killed between its results and its manifest leaves such a tail.
        assert_eq!(read(&ok(1), &format!("{}\n{cut}", result(0))), [doc(0)]);
        // A line that lost only its newline is whole.
        assert_eq!(read(&ok(1), &result(0)), [doc(0)]);
    }

    #[test]
    fn lost_results_are_reported_at_the_end_after_the_rest() {
        let got = read(&ok(3), &format!("{}\n", result(0)));
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], doc(0));
        let (file, line, why) = got[1].clone().unwrap_err();
        assert_eq!((file.as_str(), line), (RESULTS, None));
        assert!(why.starts_with("only 1 of 3 committed result lines"), "{why}");
    }

    #[test]
    fn a_damaged_manifest_line_is_reported_and_may_have_had_a_result() {
        let manifest = format!(
            "{}\n{{\"id\": \"001\", \"sta\n{}\n",
            entry("000", Status::Ok),
            entry("002", Status::Ok)
        );
        let all = format!("{}\n{}\n{}\n", result(0), result(1), result(2));
        let got = read(&manifest, &all);
        let (file, line, why) = got[0].clone().unwrap_err();
        assert_eq!((file.as_str(), line), (MANIFEST, Some(2)));
        assert!(why.starts_with("not a manifest entry"), "{why}");
        assert_eq!(got[1..], [doc(0), doc(1), doc(2)]);
        // Had it been a failed entry, two result lines are all there is: none lost.
        let two = format!("{}\n{}\n", result(0), result(2));
        assert_eq!(read(&manifest, &two).len(), 3);
    }

    #[test]
    fn a_record_with_spans_outside_its_text_is_a_problem_at_its_line() {
        let mut bad = Record::new(&crate::annotated::testing::seed_docs()[1]);
        bad.sentences[0] = [0, 1_000_000];
        let results = format!("{}\n{}\n", serde_json::to_string(&bad).unwrap(), result(2));
        let got = read(&ok(2), &results);
        let (_, line, why) = got[0].clone().unwrap_err();
        assert_eq!(line, Some(1));
        assert!(why.contains("not within the text"), "{why}");
        assert_eq!(got[1], doc(2));
    }

    #[test]
    fn a_folder_without_a_manifest_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = records(dir.path()).err().unwrap().to_string();
        assert!(err.contains("no manifest.jsonl"), "{err}");
    }
}
