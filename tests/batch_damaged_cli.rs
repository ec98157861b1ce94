//! A batch folder with one damaged line (garbage, or a copy cut short): `merge`,
//! `digest` and `eval timeline17 --batch-dir` name the file and line, skip it, make
//! their output from the other documents and exit non-zero. The folder is written by
//! `annalist batch` with the bundled model on three short articles written here.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn annalist(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A Timeline17-style topic `t17/harbour` (three articles, ids in file order, and one
/// gold timeline) and its batch folder `batches/harbour`; returns (t17, batches).
fn topic_and_batch(dir: &Path) -> (PathBuf, PathBuf) {
    let topic = dir.join("t17").join("harbour");
    std::fs::create_dir_all(topic.join("timelines")).unwrap();
    let articles = [
        (
            "a",
            "2024-10-07",
            "Storm Hilda closed the port of Brest on Sunday. Ferries stayed in dock.",
        ),
        (
            "b",
            "2024-10-09",
            "The port of Brest reopened on Tuesday after Storm Hilda. Mayor Anne Le Goff thanked the crews.",
        ),
        (
            "c",
            "2024-10-12",
            "Repairs to the harbour wall began on Friday. Brest expects them to last a month.",
        ),
    ];
    let lines: Vec<String> = articles
        .iter()
        .map(|(id, day, text)| json!({"id": id, "published": day, "text": text}).to_string())
        .collect();
    let input = topic.join("articles.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    std::fs::write(
        topic.join("timelines").join("gold.txt"),
        "2024-10-06\nThe storm shuts the port .\n--------\n2024-10-08\nThe port reopens .\n--------\n2024-10-11\nRepairs begin .\n--------\n",
    )
    .unwrap();
    let batches = dir.join("batches");
    let folder = batches.join("harbour");
    let out = annalist(&[
        "batch",
        "--input",
        input.to_str().unwrap(),
        "--output-dir",
        folder.to_str().unwrap(),
        "--device",
        "cpu",
        "--no-timeline",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let manifest = std::fs::read_to_string(folder.join("manifest.jsonl")).unwrap();
    assert_eq!(manifest.matches("\"status\":\"ok\"").count(), 3, "{manifest}");
    (dir.join("t17"), batches)
}

/// A copy of batch folder `from` as `to`, its `results.jsonl` changed by `damage`.
fn damaged_copy(from: &Path, to: &Path, damage: impl Fn(&str) -> String) -> PathBuf {
    std::fs::create_dir_all(to).unwrap();
    for name in ["batch.json", "manifest.jsonl", "results.jsonl"] {
        std::fs::copy(from.join(name), to.join(name)).unwrap();
    }
    let results = to.join("results.jsonl");
    let text = std::fs::read_to_string(&results).unwrap();
    std::fs::write(&results, damage(&text)).unwrap();
    results
}

/// The second of three result lines replaced by garbage.
fn garbage_second(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    format!("{}\n{{\"id\": \"b\", \"sou\u{fffd}\n{}\n", lines[0], lines[2])
}

/// The last result line cut in the middle, as a copy that ran out of disk leaves it.
fn cut_last(text: &str) -> String {
    let last = text.trim_end().rfind('\n').unwrap() + 1;
    text[..last + (text.len() - last) / 2].to_string()
}

fn document_ids(timeline: &Path) -> Vec<String> {
    let json: Value = serde_json::from_str(&std::fs::read_to_string(timeline).unwrap()).unwrap();
    json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

/// `merge` of `folder` into `dir/NAME.json`: its exit status, stderr and document ids.
fn merge(folder: &Path, dir: &Path, name: &str) -> (bool, String, Vec<String>) {
    let timeline = dir.join(format!("{name}.json"));
    let out = annalist(&[
        "merge",
        folder.to_str().unwrap(),
        "--output",
        timeline.to_str().unwrap(),
    ]);
    let ids = if timeline.exists() {
        document_ids(&timeline)
    } else {
        Vec::new()
    };
    (out.status.success(), stderr(&out), ids)
}

#[test]
fn merge_skips_a_damaged_line_names_it_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (_, batches) = topic_and_batch(dir.path());
    let clean = batches.join("harbour");
    let (ok, err, ids) = merge(&clean, dir.path(), "clean");
    assert!(ok, "{err}");
    assert_eq!(ids, ["a", "b", "c"]);
    assert!(!err.contains("error"), "{err}");

    let results = damaged_copy(&clean, &dir.path().join("garbage"), garbage_second);
    let (ok, err, ids) = merge(&dir.path().join("garbage"), dir.path(), "garbage");
    assert!(!ok, "a skipped line fails the run");
    assert_eq!(ids, ["a", "c"], "the other documents are merged");
    let at = format!("annalist: error: {}:2: not a result line", results.display());
    assert!(err.contains(&at) && err.contains("; skipped"), "{err}");
    assert!(
        err.contains("2 documents read from the batch folders; 1 errors above"),
        "{err}"
    );

    let results = damaged_copy(&clean, &dir.path().join("cut"), cut_last);
    let (ok, err, ids) = merge(&dir.path().join("cut"), dir.path(), "cut");
    assert!(!ok, "a committed line cut short fails the run");
    assert_eq!(ids, ["a", "b"]);
    assert!(
        err.contains(&format!("{}:3: ", results.display())) && err.contains("the line is cut short"),
        "{err}"
    );
}

#[test]
fn digest_and_eval_timeline17_skip_a_damaged_line_and_fail() {
    let dir = tempfile::tempdir().unwrap();
    let (t17, batches) = topic_and_batch(dir.path());
    let clean = batches.join("harbour");
    let digest = |folder: &Path| annalist(&["digest", folder.to_str().unwrap()]);
    let articles = |out: &Output| serde_json::from_slice::<Value>(&out.stdout).unwrap()["articles"].clone();
    let whole = digest(&clean);
    assert!(whole.status.success(), "{}", stderr(&whole));
    assert_eq!(articles(&whole), 3);

    let out_dir = dir.path().join("scores");
    let eval = |batches: &Path| {
        annalist(&[
            "eval",
            "timeline17",
            t17.to_str().unwrap(),
            "--output-dir",
            out_dir.to_str().unwrap(),
            "--batch-dir",
            batches.to_str().unwrap(),
        ])
    };
    let scored = eval(&batches);
    assert!(scored.status.success(), "{}", stderr(&scored));

    let damaged = dir.path().join("damaged");
    let results = damaged_copy(&clean, &damaged.join("harbour"), garbage_second);
    let at = format!("annalist: error: {}:2: not a result line", results.display());

    let partial = digest(&damaged.join("harbour"));
    assert!(!partial.status.success());
    assert_eq!(articles(&partial), 2, "the digest is of the other articles");
    assert!(stderr(&partial).contains(&at), "{}", stderr(&partial));

    std::fs::remove_dir_all(&out_dir).unwrap();
    let partial = eval(&damaged);
    assert!(!partial.status.success());
    let table = String::from_utf8_lossy(&partial.stdout);
    assert!(table.contains("harbour/gold"), "the topic is scored: {table}");
    assert!(out_dir.join("harbour").join("gold.json").is_file());
    let err = stderr(&partial);
    assert!(err.contains(&at) && err.contains("holds 2 of its 3 articles"), "{err}");
}
