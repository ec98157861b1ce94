//! Batch runs over corpora too large to hold: documents stream through the pipeline in
//! chunks and leave as JSON lines, resumable after a crash, shardable across machines.
//!
//! Three threads overlap the work, so the model never waits on the CPU stages:
//!
//! ```text
//! reader:  ingest (read) → shard filter → chunk → rayon: date, clean, prepare, word pieces
//! main:    the model, over sentences of the whole chunk packed by token budget
//! writer:  results + manifest committed in input order ([`journal`]), progress
//! ```
//!
//! A chunk is the unit of commit: with `--resume`, the first documents already in the
//! manifest are skipped (their ids checked against the input) and the run goes on as
//! if it had never stopped. [`merge`] builds one timeline from the results of any
//! number of runs (shards), independent of their order.

pub mod journal;
mod progress;
pub mod record;
mod shard;

pub use journal::{Problem, Settings};
pub use progress::Progress;
pub use record::Record;
pub use shard::Shard;

use crate::annotated::Annotated;
use crate::graph::Timeline;
use crate::ingest::{IngestOptions, InputError, RawDocument};
use crate::model::coref::EventCoref;
use crate::model::encode::{doc_windows, Window, WordTokenizer};
use crate::model::{DocOutput, Options};
use crate::ner::Ner;
use crate::pipeline::{build_timeline, prepare, Prepared};
use crate::resolve::Aliases;
use anyhow::{bail, Result};
use journal::{Entry, Journal, Status};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;

/// How a batch run is cut and where it goes.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub output_dir: PathBuf,
    /// Continue the run in `output_dir` instead of refusing to touch it.
    pub resume: bool,
    /// Only the documents of this shard.
    pub shard: Option<Shard>,
    /// Documents per chunk: per commit, and per round of packing sentences into batches.
    pub chunk: usize,
    /// Dating and cleaning.
    pub ingest: IngestOptions,
}

/// One input item, a document as read or what stopped it from being one.
pub struct Item {
    pub origin: Origin,
    pub doc: Result<RawDocument, String>,
}

/// The id and source the manifest gives an item.
pub struct Origin {
    pub id: String,
    pub source: String,
}

impl From<Result<RawDocument, InputError>> for Item {
    fn from(item: Result<RawDocument, InputError>) -> Item {
        match item {
            Ok(doc) => Item {
                origin: Origin {
                    id: doc.id.clone(),
                    source: doc.source.clone(),
                },
                doc: Ok(doc),
            },
            Err(e) => Item {
                origin: Origin {
                    id: e.input.clone(),
                    source: e.input,
                },
                doc: Err(e.message),
            },
        }
    }
}

/// What happened to one document: annotated, or failed with a reason.
type Outcome = (Origin, Result<Annotated, String>);

/// A document ready for the model, with the windows of its sentences.
struct Ready {
    prepared: Prepared,
    windows: Vec<Window>,
    /// Word counts of the units the windows cover.
    sizes: Vec<usize>,
}

/// What one call of [`run`] did (documents done before a `--resume` not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub docs: u64,
    pub failed: u64,
    /// Word pieces through the model, specials included.
    pub pieces: u64,
}

/// Runs `items` (in input order) through the pipeline into `opts.output_dir`, committing
/// every chunk. `progress` makes the display from the number of documents already done
/// (by the run being resumed); it is told about each commit.
pub fn run(
    items: impl Iterator<Item = Item> + Send,
    ner: &Ner,
    opts: &BatchOptions,
    settings: &Settings,
    progress: impl FnOnce(u64) -> Progress,
) -> Result<Summary> {
    let (mut journal, done) = Journal::open(&opts.output_dir, settings, opts.resume)?;
    let mut progress = progress(done);
    let mut reading = progress.reading();
    let shard = opts.shard;
    let items = items.filter(move |item| shard.is_none_or(|s| s.contains(&item.origin.id)));
    let chunk = opts.chunk.max(1);
    let committed = journal::entries(&opts.output_dir)?.take(done as usize);
    let tokenizer = &ner.model.tokenizer;
    let ingest = &opts.ingest;
    let win = ner.model.clamp(ner.opts);

    std::thread::scope(|s| -> Result<Summary> {
        let (prepared_tx, prepared_rx) = sync_channel::<Result<Vec<(Origin, Result<Ready, String>)>>>(1);
        s.spawn(move || {
            let mut items = items;
            if let Err(e) = skip_committed(&mut items, committed) {
                let _ = prepared_tx.send(Err(e));
                return;
            }
            loop {
                let chunk: Vec<Item> = items.by_ref().take(chunk).inspect(|_| reading.add()).collect();
                if chunk.is_empty() {
                    return;
                }
                reading.chunk_read();
                let ready: Vec<Vec<(Origin, Result<Ready, String>)>> = chunk
                    .into_par_iter()
                    .map(|Item { origin, doc }| match doc {
                        Err(e) => vec![(origin, Err(e))],
                        Ok(raw) => match guarded(|| raw.documents(ingest)) {
                            Err(e) => vec![(origin, Err(e))],
                            Ok(docs) => docs
                                .into_iter()
                                .map(|doc| {
                                    let origin = Origin {
                                        id: doc.id.clone(),
                                        source: doc.source.clone(),
                                    };
                                    (origin, guarded(|| ready(prepare(doc), tokenizer, win)))
                                })
                                .collect(),
                        },
                    })
                    .collect();
                let ready = ready.into_iter().flatten().collect();
                if prepared_tx.send(Ok(ready)).is_err() {
                    return;
                }
            }
        });

        let (tagged_tx, tagged_rx) = sync_channel::<(Vec<Outcome>, u64)>(1);
        let writer = s.spawn(move || -> Result<Summary> {
            let mut sum = Summary::default();
            for (outcomes, pieces) in tagged_rx {
                let (results, manifest, failed) = lines(&outcomes)?;
                journal.commit(&results, &manifest)?;
                let docs = outcomes.len() as u64;
                progress.add(docs, failed, pieces);
                sum = Summary {
                    docs: sum.docs + docs,
                    failed: sum.failed + failed,
                    pieces: sum.pieces + pieces,
                };
            }
            progress.finish();
            Ok(sum)
        });

        for chunk in prepared_rx {
            if tagged_tx.send(tag_chunk(ner, chunk?)).is_err() {
                break;
            }
        }
        drop(tagged_tx);
        writer.join().unwrap_or_else(|_| bail!("the writer thread panicked"))
    })
}

/// Skips the items already in the manifest, checking that they are the same documents.
/// An item's related headlines (`--keep-related`) follow it there, as `<id>#related<n>`.
fn skip_committed(
    items: &mut impl Iterator<Item = Item>,
    committed: impl Iterator<Item = Result<Entry, Problem>>,
) -> Result<()> {
    let mut committed = committed.peekable();
    let mut n = 0;
    while let Some(entry) = committed.next() {
        let entry = entry?;
        n += 1;
        match items.next() {
            Some(item) if item.origin.id == entry.id => {}
            Some(item) => bail!(
                "--resume: input document {n} is {:?}, but the run recorded {:?} there; the input changed since the run started; use the same input or another --output-dir",
                item.origin.id,
                entry.id
            ),
            None => bail!("--resume: the input has fewer documents than the run already recorded; use the same input"),
        }
        let related = format!("{}#related", entry.id);
        while committed
            .next_if(|e| e.as_ref().is_ok_and(|e| e.id.starts_with(&related)))
            .is_some()
        {}
    }
    Ok(())
}

/// Runs `f`, turning a panic into an error, so that one bad document cannot stop a run.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned());
        format!(
            "internal error ({}); please report it with this document",
            what.unwrap_or_default()
        )
    })
}

fn ready(prepared: Prepared, tokenizer: &WordTokenizer, opts: Options) -> Ready {
    let sentences: Vec<Vec<&str>> = prepared
        .words
        .iter()
        .map(|u| u.iter().map(|w| w.of(&prepared.doc.text)).collect())
        .collect();
    let (windows, sizes) = doc_windows(tokenizer, &sentences, opts);
    Ready {
        prepared,
        windows,
        sizes,
    }
}

/// Tags the sentences of a whole chunk together. If that fails (a device error, say),
/// each document is tried on its own, so that only the ones at fault fail.
fn tag_chunk(ner: &Ner, chunk: Vec<(Origin, Result<Ready, String>)>) -> (Vec<Outcome>, u64) {
    let ready: Vec<&Ready> = chunk.iter().filter_map(|(_, r)| r.as_ref().ok()).collect();
    let pieces = ready.iter().flat_map(|r| &r.windows).map(|w| w.ids.len() as u64).sum();
    let mut outputs = match tag(ner, &ready) {
        Ok(all) => all.into_iter().map(Ok).collect::<Vec<Result<DocOutput, String>>>(),
        Err(_) => ready
            .iter()
            .map(|r| tag(ner, &[r]).map(|mut m| m.remove(0)).map_err(|e| format!("{e:#}")))
            .collect(),
    }
    .into_iter();
    let outcomes = chunk
        .into_iter()
        .map(|(origin, ready)| {
            let annotated = ready.and_then(|r| {
                let out = outputs.next().expect("one per ready document")?;
                guarded(|| r.prepared.annotate_all(&ner.model, &out))
            });
            (origin, annotated)
        })
        .collect();
    (outcomes, pieces)
}

/// What the model says about each document, all their windows in one packed run.
fn tag(ner: &Ner, docs: &[&Ready]) -> Result<Vec<DocOutput>> {
    let inputs: Vec<_> = docs
        .iter()
        .map(|r| (r.windows.as_slice(), r.sizes.as_slice()))
        .collect();
    ner.model.run_docs(&inputs, ner.model.with_grammar(ner.opts))
}

/// A chunk's result lines, manifest lines and number of failures.
fn lines(outcomes: &[Outcome]) -> Result<(Vec<u8>, Vec<u8>, u64)> {
    let (mut results, mut manifest, mut failed) = (Vec::new(), Vec::new(), 0);
    for (origin, outcome) in outcomes {
        let (status, error) = match outcome {
            Ok(a) => {
                serde_json::to_writer(&mut results, &Record::new(a))?;
                results.push(b'\n');
                (Status::Ok, None)
            }
            Err(e) => {
                failed += 1;
                (Status::Failed, Some(e.clone()))
            }
        };
        let entry = Entry {
            id: origin.id.clone(),
            status,
            error,
            source: origin.source.clone(),
        };
        serde_json::to_writer(&mut manifest, &entry)?;
        manifest.push(b'\n');
    }
    Ok((results, manifest, failed))
}

/// One timeline from the committed results of batch output folders. Documents are
/// taken in id order, so the timeline does not depend on how the corpus was sharded
/// or in which order the folders are given. A damaged line is an error here, where a
/// folder just written is read; [`read_annotated`] reports such lines and reads on.
pub fn merge(dirs: &[PathBuf], aliases: Option<&Aliases>) -> Result<Timeline> {
    let stored = read_annotated(dirs)?;
    if let Some(problem) = stored.problems.first() {
        bail!("{problem}; `annalist merge` reports each such line, skips it and merges the rest");
    }
    Ok(build_timeline(&stored.docs, aliases, stored.coref.as_ref()))
}

/// What the batch folders hold: the documents read, and the lines skipped.
#[derive(Debug, Default)]
pub struct Stored {
    /// In id order.
    pub docs: Vec<Annotated>,
    pub problems: Vec<Problem>,
    /// The event coreference head of the model that annotated them, which reads the
    /// event vectors they carry.
    pub coref: Option<EventCoref>,
}

/// The committed documents of batch output folders, annotated as stored, in id order,
/// and the lines that could not be read (see [`journal::records`]). A folder that holds
/// no run is an error.
pub fn read_annotated(dirs: &[PathBuf]) -> Result<Stored> {
    let (mut docs, mut problems) = (Vec::new(), Vec::new());
    for dir in dirs {
        for record in journal::records(dir)? {
            match record {
                Ok(annotated) => docs.push(annotated),
                Err(problem) => problems.push(problem),
            }
        }
    }
    docs.sort_by(|a, b| (&a.doc.id, &a.doc.source).cmp(&(&b.doc.id, &b.doc.source)));
    let repeated = docs.windows(2).filter(|w| w[0].doc.id == w[1].doc.id).count();
    if repeated > 0 {
        eprintln!(
            "annalist: warning: {repeated} document ids appear more than once in {}; were shards given twice?",
            show(dirs)
        );
    }
    Ok(Stored {
        docs,
        problems,
        coref: stored_coref(dirs),
    })
}

/// The event coreference head of the model named in the first folder's settings. When it
/// cannot be read, a warning says so and events are joined without it.
fn stored_coref(dirs: &[PathBuf]) -> Option<EventCoref> {
    let dir = dirs.first()?;
    let loaded = journal::settings(dir).and_then(|s| EventCoref::from_folder(Path::new(&s.model)));
    match loaded {
        Ok(coref) => coref,
        Err(e) => {
            eprintln!(
                "annalist: warning: {}: {e:#}; events are joined without the model's event coreference head",
                dir.display()
            );
            None
        }
    }
}

fn show(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes `timeline` as JSON into `path`, atomically.
pub fn write_timeline(path: &Path, timeline: &Timeline) -> Result<()> {
    journal::write_atomic(
        path,
        &serde_json::to_vec_pretty(&crate::export::timeline_json(timeline))?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str) -> Item {
        Item {
            origin: Origin {
                id: id.into(),
                source: format!("{id}.txt"),
            },
            doc: Err("unread".into()),
        }
    }

    fn entry(id: &str) -> Result<Entry, Problem> {
        Ok(Entry {
            id: id.into(),
            status: Status::Ok,
            error: None,
            source: String::new(),
        })
    }

    #[test]
    fn resuming_skips_committed_items_with_their_related_headlines() {
        let mut items = ["a", "b", "c"].map(item).into_iter();
        let committed = vec![entry("a"), entry("a#related1"), entry("a#related2"), entry("b")];
        skip_committed(&mut items, committed.into_iter()).unwrap();
        assert_eq!(items.next().map(|i| i.origin.id), Some("c".to_string()));
    }

    #[test]
    fn resuming_on_another_input_is_refused() {
        let mut items = ["a", "x"].map(item).into_iter();
        let err = skip_committed(&mut items, vec![entry("a"), entry("b")].into_iter())
            .unwrap_err()
            .to_string();
        assert!(err.contains("input changed") && err.contains("\"x\""), "{err}");
        let mut short = ["a"].map(item).into_iter();
        let err = skip_committed(&mut short, vec![entry("a"), entry("b")].into_iter())
            .unwrap_err()
            .to_string();
        assert!(err.contains("fewer documents"), "{err}");
    }

    #[test]
    fn a_panic_becomes_a_recorded_error() {
        let err = guarded(|| -> u8 { panic!("boom") }).unwrap_err();
        assert!(err.contains("internal error (boom)"), "{err}");
    }
}
