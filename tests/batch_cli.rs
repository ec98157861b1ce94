//! `annalist batch` and `annalist merge` end to end, with the bundled model: a run
//! killed with SIGKILL and resumed equals a clean run; shards merged equal one run;
//! nothing is lost or doubled; a run is never silently mixed with another.

use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const ARTICLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/articles");
const DOCS: usize = 90;

fn annalist() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annalist"));
    cmd.env("RAYON_NUM_THREADS", "2");
    cmd
}

fn run(args: &[&str]) -> Output {
    annalist().args(args).output().unwrap()
}

fn ok(out: Output) -> Output {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

/// A JSON lines corpus of `DOCS` short articles cut from the test articles' paragraphs, dated
/// and undated, plus two lines that are not documents.
fn corpus(dir: &Path) -> PathBuf {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut articles: Vec<PathBuf> = std::fs::read_dir(ARTICLES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    articles.sort();
    for article in articles {
        let text = std::fs::read_to_string(article).unwrap();
        paragraphs.extend(
            text.split("\n\n")
                .map(str::trim)
                .filter(|p| p.split_whitespace().count() > 12)
                .map(String::from),
        );
    }
    let n = paragraphs.len();
    let path = dir.join("corpus.jsonl");
    let mut out = std::fs::File::create(&path).unwrap();
    for i in 0..DOCS {
        let text = format!("{}\n\n{}", paragraphs[i % n], paragraphs[(i * 7 + 3) % n]);
        let mut line = serde_json::json!({ "id": format!("doc-{i:03}"), "text": text });
        if i % 3 != 0 {
            line["published"] = Value::from(format!("2025-07-{:02}", 10 + i % 9));
        }
        writeln!(out, "{line}").unwrap();
        if i == 40 {
            writeln!(out, "{{\"id\": \"broken\", \"text\": ").unwrap();
        }
        if i == 70 {
            writeln!(out, "{{\"id\": \"no-text\"}}").unwrap();
        }
    }
    path
}

fn batch_args<'a>(input: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "batch",
        "--input",
        input,
        "--output-dir",
        out,
        "--device",
        "cpu",
        "--chunk",
        "4",
    ]
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

fn manifest(dir: &Path) -> Vec<Value> {
    read(dir.join("manifest.jsonl"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |t| t.lines().count())
}

#[test]
fn a_killed_run_resumed_equals_a_clean_run_and_shards_merge_to_it() {
    let tmp = tempfile::tempdir().unwrap();
    let input = corpus(tmp.path());
    let input = input.to_str().unwrap();
    let clean = tmp.path().join("clean");
    ok(run(&batch_args(input, clean.to_str().unwrap())));

    // Every input line once in the manifest, in input order; the two bad ones failed,
    // with a reason; every ok document has exactly one result.
    let entries = manifest(&clean);
    assert_eq!(entries.len(), DOCS + 2);
    let failed: Vec<&Value> = entries.iter().filter(|e| e["status"] == "failed").collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(failed
        .iter()
        .all(|e| e["error"].as_str().is_some_and(|m| !m.is_empty())));
    assert!(
        failed[0]["source"].as_str().unwrap().ends_with("corpus.jsonl:42"),
        "{:?}",
        failed[0]
    );
    let results: Vec<Value> = read(clean.join("results.jsonl"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ok_ids: Vec<&str> = entries
        .iter()
        .filter(|e| e["status"] == "ok")
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        results.iter().map(|r| r["id"].as_str().unwrap()).collect::<Vec<_>>(),
        ok_ids
    );
    assert!(
        results.iter().any(|r| !r["mentions"].as_array().unwrap().is_empty()),
        "the model tagged something"
    );
    let timeline: Value = serde_json::from_str(&read(clean.join("timeline.json"))).unwrap();
    assert_eq!(timeline["documents"].as_array().unwrap().len(), DOCS);

    // Kill -9 mid-way, tear the files' tails as a crash mid-write would, resume.
    let killed = tmp.path().join("killed");
    let mut child = annalist()
        .args(batch_args(input, killed.to_str().unwrap()))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while lines(&killed.join("manifest.jsonl")) < 12 {
        assert!(start.elapsed() < Duration::from_secs(300), "the run never committed");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let committed = lines(&killed.join("manifest.jsonl"));
    assert!(committed < DOCS + 2, "killed mid-way ({committed} committed)");
    for (file, tail) in [("results.jsonl", "{\"id\": \"doc-9"), ("manifest.jsonl", "{\"id\":")] {
        std::fs::OpenOptions::new()
            .append(true)
            .open(killed.join(file))
            .unwrap()
            .write_all(tail.as_bytes())
            .unwrap();
    }
    let refused = run(&batch_args(input, killed.to_str().unwrap()));
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--resume"),
        "a second run must not overwrite the first"
    );
    let mut resume = batch_args(input, killed.to_str().unwrap());
    resume.push("--resume");
    let resumed = ok(run(&resume));
    assert!(String::from_utf8_lossy(&resumed.stderr).contains("done before --resume"));
    for file in ["manifest.jsonl", "results.jsonl", "timeline.json"] {
        assert!(
            read(clean.join(file)) == read(killed.join(file)),
            "{file} differs from the clean run's"
        );
    }

    // Three shards, run at once, merged: the same documents, the same timeline.
    let shards: Vec<PathBuf> = (0..3).map(|i| tmp.path().join(format!("shard-{i}"))).collect();
    let children: Vec<_> = shards
        .iter()
        .enumerate()
        .map(|(i, dir)| {
            let shard = format!("{i}/3");
            let mut args = batch_args(input, dir.to_str().unwrap());
            args.extend(["--shard", &shard, "--no-timeline"]);
            annalist().args(&args).stderr(Stdio::piped()).spawn().unwrap()
        })
        .collect();
    for child in children {
        ok(child.wait_with_output().unwrap());
    }
    let mut seen = BTreeSet::new();
    for dir in &shards {
        assert!(!dir.join("timeline.json").exists());
        for e in manifest(dir) {
            assert!(
                seen.insert(e["id"].as_str().unwrap().to_string()),
                "{} in two shards",
                e["id"]
            );
        }
    }
    let all: BTreeSet<String> = entries.iter().map(|e| e["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(seen, all, "the shards cover the input exactly");
    let merged = tmp.path().join("merged.json");
    let mut args = vec!["merge"];
    let names: Vec<&str> = shards.iter().rev().map(|d| d.to_str().unwrap()).collect();
    args.extend(names);
    args.extend(["--output", merged.to_str().unwrap()]);
    ok(run(&args));
    assert!(
        read(&merged) == read(clean.join("timeline.json")),
        "merged shards differ from the unsharded run"
    );
}

#[test]
fn resuming_with_other_settings_or_input_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.txt");
    let b = tmp.path().join("b.txt");
    std::fs::write(
        &a,
        "Talks in Geneva\n\nDelegations met in Geneva on Monday, officials said.\n",
    )
    .unwrap();
    std::fs::write(&b, "Port strike\n\nDock workers in Rotterdam walked out on Friday.\n").unwrap();
    let out = tmp.path().join("out");
    let out = out.to_str().unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    ok(run(&["batch", "--input", a, "--output-dir", out, "--device", "cpu"]));

    let other_shard = run(&[
        "batch",
        "--input",
        a,
        "--output-dir",
        out,
        "--device",
        "cpu",
        "--resume",
        "--shard",
        "0/1",
    ]);
    let err = String::from_utf8_lossy(&other_shard.stderr);
    assert!(!other_shard.status.success() && err.contains("--shard"), "{err}");

    let other_input = run(&[
        "batch",
        "--input",
        b,
        "--output-dir",
        out,
        "--device",
        "cpu",
        "--resume",
    ]);
    let err = String::from_utf8_lossy(&other_input.stderr);
    assert!(!other_input.status.success() && err.contains("input changed"), "{err}");

    // The same input resumes to no new work, and the files stay as they were.
    let before = read(Path::new(out).join("results.jsonl"));
    ok(run(&[
        "batch",
        "--input",
        a,
        "--output-dir",
        out,
        "--device",
        "cpu",
        "--resume",
    ]));
    assert_eq!(read(Path::new(out).join("results.jsonl")), before);

    let not_a_run = run(&["merge", tmp.path().to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&not_a_run.stderr).contains("no manifest.jsonl"));
    let bad_shard = run(&["batch", "--input", a, "--output-dir", out, "--shard", "3/3"]);
    assert!(String::from_utf8_lossy(&bad_shard.stderr).contains("expected I/N"));
}

#[test]
fn a_directory_splits_across_shards_failures_included() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for i in 0..8 {
        std::fs::write(
            corpus.join(format!("{i}.txt")),
            format!("Report {i}\n\nOfficials met in Oslo on Monday, day {i}.\n"),
        )
        .unwrap();
    }
    std::fs::write(corpus.join("binary.txt"), b"GIF89a\0\0").unwrap();
    let mut ids = Vec::new();
    for i in 0..2 {
        let out = tmp.path().join(format!("shard-{i}"));
        let shard = format!("{i}/2");
        ok(run(&[
            "batch",
            "--input",
            corpus.to_str().unwrap(),
            "--output-dir",
            out.to_str().unwrap(),
            "--device",
            "cpu",
            "--shard",
            &shard,
            "--no-timeline",
        ]));
        ids.extend(
            manifest(&out)
                .into_iter()
                .map(|e| (e["id"].as_str().unwrap().to_string(), e["status"].clone())),
        );
    }
    ids.sort_by(|a, b| a.0.cmp(&b.0));
    ids.dedup_by(|a, b| a.0 == b.0);
    assert_eq!(ids.len(), 9, "each of the 9 files in exactly one shard: {ids:?}");
    assert_eq!(
        ids.iter().filter(|(_, s)| s == "failed").count(),
        1,
        "the binary file is reported by one shard"
    );
}

/// `extract` and `batch` then `merge` make the same timeline, byte for byte: the model
/// scores they weigh are kept to the same four decimals.
#[test]
fn extract_equals_batch_then_merge() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path());
    let (input, out) = (input.to_str().unwrap(), dir.path().join("out"));
    let extracted = dir.path().join("extract.json");
    // Two lines of the corpus are no documents: extract reports them, goes on, and
    // says so in its exit status.
    run(&[
        "extract",
        input,
        "--device",
        "cpu",
        "--quiet",
        "--output",
        extracted.to_str().unwrap(),
    ]);
    let mut args = batch_args(input, out.to_str().unwrap());
    args.push("--no-timeline");
    ok(run(&args));
    let merged = dir.path().join("merge.json");
    ok(run(&[
        "merge",
        out.to_str().unwrap(),
        "--output",
        merged.to_str().unwrap(),
    ]));
    assert!(read(&extracted) == read(&merged), "extract and batch + merge differ");
}
