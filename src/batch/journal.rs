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

fn check_settings(dir: &Path, now: &Settings) -> Result<()> {
    let path = dir.join(SETTINGS);
    let text =
        std::fs::read(&path).with_context(|| format!("reading {}; is this a batch output folder?", path.display()))?;
    let then: Settings =
        serde_json::from_slice(&text).with_context(|| format!("{}: not batch settings", path.display()))?;
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
    for (n, line) in whole_lines(&manifest)?.enumerate() {
        let (line, after) = line?;
        let entry: Entry = serde_json::from_str(&line).with_context(|| {
            format!(
                "{}:{}: not a manifest entry; the folder was changed by hand",
                manifest.display(),
                n + 1
            )
        })?;
        ok += usize::from(entry.status == Status::Ok);
        (keep, end) = (keep + 1, after);
    }
    truncate(&manifest, end)?;
    let results = dir.join(RESULTS);
    let (mut found, mut end) = (0, 0u64);
    for line in whole_lines(&results)?.take(ok) {
        (found, end) = (found + 1, line?.1);
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

/// Streams the whole (newline-ended) lines of a file, each with the byte offset just
/// after it; a torn last line is left out.
fn whole_lines(path: &Path) -> Result<impl Iterator<Item = Result<(String, u64)>>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut reader = BufReader::new(file);
    let path = path.to_path_buf();
    let mut at = 0u64;
    let mut buf = Vec::new();
    Ok(std::iter::from_fn(move || {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Err(e) => Some(Err(anyhow::Error::new(e).context(format!("reading {}", path.display())))),
            Ok(n) if n == 0 || buf.last() != Some(&b'\n') => None,
            Ok(n) => {
                at += n as u64;
                Some(Ok((String::from_utf8_lossy(&buf[..n - 1]).into_owned(), at)))
            }
        }
    }))
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

/// Streams the committed manifest entries of the run in `dir`, in order.
pub fn entries(dir: &Path) -> Result<impl Iterator<Item = Result<Entry>>> {
    let path = dir.join(MANIFEST);
    if !path.exists() {
        bail!(
            "{}: no {MANIFEST}; pass the --output-dir of an annalist batch run",
            dir.display()
        );
    }
    Ok(whole_lines(&path)?.enumerate().map(move |(n, line)| {
        serde_json::from_str(&line?.0).with_context(|| format!("{}:{}: not a manifest entry", path.display(), n + 1))
    }))
}

/// Streams the committed results of the run in `dir`, in run order: as many result
/// lines as the manifest has `ok` entries (a run killed and not resumed may have more).
/// Fewer is an error, at the end of the stream: committed results were lost.
pub fn records(dir: &Path) -> Result<impl Iterator<Item = Result<Record>>> {
    let mut ok = 0;
    for entry in entries(dir)? {
        ok += usize::from(entry?.status == Status::Ok);
    }
    let path = dir.join(RESULTS);
    let mut lines = whole_lines(&path)?;
    let mut read = 0;
    Ok(std::iter::from_fn(move || {
        if read == ok {
            return None;
        }
        read += 1;
        let Some(line) = lines.next() else {
            let found = read - 1;
            read = ok;
            return Some(Err(anyhow::anyhow!(
                "{}: {found} results for {ok} committed documents; results were lost, run the batch again into a new folder",
                path.display()
            )));
        };
        Some(line.and_then(|(line, _)| {
            serde_json::from_str(&line).with_context(|| format!("{}:{read}: not a result line", path.display()))
        }))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_results_are_an_error_not_a_shorter_merge() {
        let dir = tempfile::tempdir().unwrap();
        let entry = |id: &str| {
            serde_json::to_string(&Entry {
                id: id.into(),
                status: Status::Ok,
                error: None,
                source: id.into(),
            })
            .unwrap()
        };
        std::fs::write(dir.path().join(MANIFEST), format!("{}\n{}\n", entry("a"), entry("b"))).unwrap();
        let record = crate::batch::Record::new(&crate::annotated::testing::seed_docs()[1]);
        std::fs::write(
            dir.path().join(RESULTS),
            format!("{}\n", serde_json::to_string(&record).unwrap()),
        )
        .unwrap();
        let got: Vec<Result<Record>> = records(dir.path()).unwrap().collect();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].as_ref().unwrap(), &record);
        let err = got[1].as_ref().unwrap_err().to_string();
        assert!(err.contains("1 results for 2 committed documents"), "{err}");
    }
}
