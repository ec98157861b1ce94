//! `annalist digest` end to end: on a small timeline JSON written here (a raid on Goma
//! on Saturday 1 March 2025 that a later article names again, aid on Wednesday the
//! 5th, a visit on Friday the 7th, and a meeting three undated articles report), and on
//! a batch folder of the bundled test articles with the real model.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ARTICLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/articles");
const SCHEMA: &str = include_str!("../src/digest/digest.schema.json");

/// An event of the fixture: one sentence per source, each at the start of its document
/// unless an offset is given.
fn event(
    id: &str,
    kind: &str,
    day: Option<(&str, &str)>,
    sources: &[(&str, usize, &str)],
    participants: Value,
) -> Value {
    let sources: Vec<Value> = sources
        .iter()
        .map(|(doc, start, sentence)| {
            let end = start + sentence.chars().count();
            json!({"doc": doc, "start": start, "end": end, "sentence": sentence, "trigger": {"start": start, "end": start + 1}})
        })
        .collect();
    let time = match day {
        Some((value, doc)) => {
            json!({"value": value, "start": value, "end": value, "text": "", "mod": null, "from": "clause", "anchor": "explicit", "doc": doc})
        }
        None => {
            json!({"value": null, "start": null, "end": null, "text": null, "mod": null, "from": null, "anchor": null, "doc": null})
        }
    };
    json!({"id": id, "type": kind, "class": "OCCURRENCE", "trigger": "x", "summary": sources[0]["sentence"], "time": time,
           "factuality": "asserted", "reported_by": [], "participants": participants, "places": [], "quotes": [],
           "sources": sources, "confidence": 0.9, "undated": day.is_none()})
}

fn fixture() -> Value {
    let doc = |id: &str, published: Option<&str>| json!({"id": id, "source": format!("{id}.txt"), "title": null, "url": null, "published": published, "published_from": published.map(|_| "metadata")});
    let b2 = "The attack on Goma on March 1 killed forty people. ".chars().count();
    json!({
        "schema": "annalist.timeline/1",
        "documents": [doc("a", Some("2025-03-02")), doc("b", Some("2025-03-06")), doc("c", Some("2025-03-09")),
                      doc("u1", None), doc("u2", None), doc("u3", None)],
        "entities": [
            {"id": "E1", "name": "Goma", "type": "LOC", "aliases": [], "roles": [], "external_id": null,
             "mentions": [{"doc": "a", "start": 40, "end": 44}, {"doc": "b", "start": 14, "end": 18}]},
            {"id": "E2", "name": "Joseph Kabila", "type": "PER", "aliases": ["Kabila"], "roles": [], "external_id": null,
             "mentions": [{"doc": "c", "start": 0, "end": 6}]},
            {"id": "E3", "name": "Lumumba", "type": "PER", "aliases": [], "roles": [], "external_id": null,
             "mentions": [{"doc": "u1", "start": 0, "end": 7}]}
        ],
        "events": [
            event("EV1", "attack", Some(("2025-03-01", "a")), &[("a", 0, "On Saturday rebels attacked the town of Goma.")], json!([{"entity": "E1", "role": "target"}])),
            event("EV2", "other", Some(("2025-03-01", "b")), &[("b", 0, "The attack on Goma on March 1 killed forty people.")], json!([])),
            event("EV3", "other", Some(("2025-03-05", "b")), &[("b", b2, "Aid reached the city on Wednesday.")], json!([])),
            event("EV4", "visit", Some(("2025-03-07", "c")), &[("c", 0, "Kabila visited Kinshasa on Friday.")], json!([{"entity": "E2", "role": "agent"}])),
            event("EV5", "meeting", None, &[("u1", 0, "Lumumba met Tshombe."), ("u2", 0, "Lumumba met Tshombe."), ("u3", 0, "Lumumba met Tshombe.")],
                  json!([{"entity": "E3", "role": "agent"}]))
        ],
        "timeline": ["EV1", "EV2", "EV3", "EV4", "EV5"]
    })
}

fn annalist(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs `digest` on `input` with `args` and returns the digest JSON.
fn digest(input: &Path, args: &[&str]) -> Value {
    let out = annalist(&[&["digest", input.to_str().unwrap()], args].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    json
}

fn dates(d: &Value) -> Vec<&str> {
    d["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["date"].as_str().unwrap())
        .collect()
}

fn write_fixture(dir: &Path) -> PathBuf {
    let path = dir.join("timeline.json");
    std::fs::write(&path, serde_json::to_string_pretty(&fixture()).unwrap()).unwrap();
    path
}

#[test]
fn dates_span_about_and_more_dates_than_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let t = write_fixture(dir.path());

    let all = digest(&t, &["--dates", "50"]);
    assert_eq!(
        dates(&all),
        ["2025-03-01", "2025-03-05", "2025-03-07"],
        "every day there is, in order; the undated meeting is none"
    );
    let events: Vec<&str> = all["dates"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["events"].as_array().unwrap())
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(!events.contains(&"EV5"), "{events:?}");
    let first = &all["dates"][0];
    assert_eq!(first["evidence"]["references"], 2, "a and b name the 1st");
    assert_eq!(first["summary"].as_array().unwrap().len(), 2);
    assert!(first["summary"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["text"].as_str().unwrap().contains("Goma")));

    let top = digest(&t, &["--dates", "1", "--per-date", "1"]);
    assert_eq!(
        dates(&top),
        ["2025-03-01"],
        "the day two articles name and two events fall on"
    );
    assert_eq!(top["dates"][0]["summary"].as_array().unwrap().len(), 1);

    let early = digest(&t, &["--published-to", "2025-03-06"]);
    assert_eq!(dates(&early), ["2025-03-01", "2025-03-05"]);
    assert_eq!(early["articles"], 2);
    let late = digest(&t, &["--published-from", "2025-03-03", "--published-to", "2025-03-31"]);
    assert_eq!(
        dates(&late),
        ["2025-03-05", "2025-03-07"],
        "days before the span are left out"
    );

    let kabila = digest(&t, &["--about", "kabila"]);
    assert_eq!(dates(&kabila), ["2025-03-07"]);
    assert_eq!(kabila["about"][0]["name"], "Joseph Kabila");
}

#[test]
fn empty_span_and_bad_input_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let t = write_fixture(dir.path());
    let stderr = |out: Output| {
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = stderr(annalist(&[
        "digest",
        t.to_str().unwrap(),
        "--published-from",
        "2025-04-01",
        "--published-to",
        "2025-04-30",
    ]));
    assert!(
        err.contains("no article was published from 2025-04-01 to 2025-04-30")
            && err.contains("from 2025-03-02 to 2025-03-09"),
        "{err}"
    );
    let err = stderr(annalist(&[
        "digest",
        t.to_str().unwrap(),
        "--published-from",
        "2025-04-01",
        "--published-to",
        "2025-03-01",
    ]));
    assert!(err.contains("is after --published-to"), "{err}");
    let err = stderr(annalist(&["digest", t.to_str().unwrap(), "--about", "Mobutu"]));
    assert!(err.contains("no entity of the timeline is named \"Mobutu\""), "{err}");

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a timeline").unwrap();
    let err = stderr(annalist(&["digest", text.to_str().unwrap()]));
    assert!(err.contains("notes.txt: not JSON"), "{err}");
    let other = dir.path().join("other.json");
    std::fs::write(&other, "{\"events\": []}").unwrap();
    let err = stderr(annalist(&["digest", other.to_str().unwrap()]));
    assert!(
        err.contains("other.json: not a readable annalist timeline") && err.contains("schema"),
        "{err}"
    );
    let err = stderr(annalist(&["digest", dir.path().join("missing.json").to_str().unwrap()]));
    assert!(err.contains("missing.json"), "{err}");
    let err = stderr(annalist(&["digest", dir.path().to_str().unwrap()]));
    assert!(
        err.contains(dir.path().to_str().unwrap()),
        "a folder that is no batch output is named: {err}"
    );
}

#[test]
fn markdown_report() {
    let dir = tempfile::tempdir().unwrap();
    let t = write_fixture(dir.path());
    let md = dir.path().join("d.md");
    let out = annalist(&[
        "digest",
        t.to_str().unwrap(),
        "--format",
        "md",
        "--dates",
        "2",
        "--output",
        md.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let md = std::fs::read_to_string(md).unwrap();
    assert!(
        md.starts_with("# Key dates") && md.contains("## 2025-03-01 (Saturday)"),
        "{md}"
    );
    assert!(
        md.contains("- On Saturday rebels attacked the town of Goma. (a)"),
        "{md}"
    );
}

/// The test articles through `batch`, then a digest of the folder, and `merge` writing a
/// digest beside its page.
#[test]
fn batch_folder_and_merge_digest() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("run");
    let out = annalist(&[
        "batch",
        "--input",
        ARTICLES,
        "--output-dir",
        out_dir.to_str().unwrap(),
        "--device",
        "cpu",
        "--no-timeline",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let d = digest(&out_dir, &["--dates", "3"]);
    assert_eq!(d["articles"], 3);
    assert!(
        dates(&d).contains(&"2025-03-11"),
        "the talks of Tuesday 11 March: {:?}",
        dates(&d)
    );

    let page = dir.path().join("page.html");
    let md = dir.path().join("digest.md");
    let out = annalist(&[
        "merge",
        out_dir.to_str().unwrap(),
        "--format",
        "html",
        "--output",
        page.to_str().unwrap(),
        "--digest",
        md.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read_to_string(&md).unwrap().contains("## 2025-03-11"));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("\"schema\":\"annalist.digest/1\""),
        "the page carries the digest"
    );
}

/// A Timeline17-style topic folder under `root`: its articles (id, publication day,
/// text) and one gold timeline. Returns the folder.
fn topic(root: &Path, name: &str, articles: &[(&str, &str, &str)], gold: &str) -> PathBuf {
    let topic = root.join(name);
    std::fs::create_dir_all(topic.join("timelines")).unwrap();
    let lines: Vec<String> = articles
        .iter()
        .map(|(id, day, text)| json!({"id": id, "published": day, "text": text}).to_string())
        .collect();
    std::fs::write(topic.join("articles.jsonl"), lines.join("\n") + "\n").unwrap();
    std::fs::write(topic.join("timelines").join("gold.txt"), gold).unwrap();
    topic
}

/// The raid on Goma as a topic: three articles, ids out of file order (a batch folder
/// is read in id order).
fn goma(root: &Path) -> PathBuf {
    topic(
        root,
        "goma",
        &[
            (
                "z",
                "2025-03-02",
                "Rebels attacked Goma on Saturday. The army said it would hold the city.",
            ),
            (
                "a",
                "2025-03-06",
                "The attack on Goma on March 1 killed forty people. Aid reached the city on Wednesday.",
            ),
            (
                "m",
                "2025-03-09",
                "Residents still remember March 1. President Tshisekedi visited Goma on Friday.",
            ),
        ],
        "2025-03-01\nRebels attack Goma .\n--------\n2025-03-05\nAid arrives .\n--------\n2025-03-09\nQuiet .\n--------\n",
    )
}

/// `annalist batch` of a topic's articles into `batches/TOPIC`.
fn batch(topic: &Path, batches: &Path) {
    let name = topic.file_name().unwrap();
    let input = topic.join("articles.jsonl");
    let out = annalist(&[
        "batch",
        "--input",
        input.to_str().unwrap(),
        "--output-dir",
        batches.join(name).to_str().unwrap(),
        "--device",
        "cpu",
        "--no-timeline",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `annalist eval timeline17` of the topics under `t17` into `out`, with `extra`.
fn eval_t17(t17: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "eval",
        "timeline17",
        t17.to_str().unwrap(),
        "--output-dir",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    annalist(&args)
}

/// `eval timeline17` on a small topic written here: running the model and reading a
/// batch folder of the same articles give the same scores; a missing batch folder is
/// named with the command that makes it.
#[test]
fn eval_timeline17_from_the_model_or_a_batch_folder() {
    let dir = tempfile::tempdir().unwrap();
    let t17 = dir.path().join("t17");
    let topic = goma(&t17);
    let eval = |extra: &[&str]| eval_t17(&t17, &dir.path().join("out"), extra);
    let from_model = eval(&["--device", "cpu"]);
    assert!(
        from_model.status.success(),
        "{}",
        String::from_utf8_lossy(&from_model.stderr)
    );
    let table = String::from_utf8_lossy(&from_model.stdout).to_string();
    assert!(table.contains("goma/gold"), "{table}");

    let batches = dir.path().join("batches");
    let missing = eval(&["--batch-dir", batches.to_str().unwrap()]);
    assert!(!missing.status.success());
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(
        err.contains(batches.join("goma").to_str().unwrap()) && err.contains("annalist batch --input"),
        "{err}"
    );

    batch(&topic, &batches);
    let both = eval(&["--batch-dir", batches.to_str().unwrap(), "--device", "cpu"]);
    assert!(
        !both.status.success() && String::from_utf8_lossy(&both.stderr).contains("cannot be used with"),
        "the model is not run for a batch folder"
    );
    let from_batch = eval(&["--batch-dir", batches.to_str().unwrap()]);
    assert!(
        from_batch.status.success(),
        "{}",
        String::from_utf8_lossy(&from_batch.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&from_batch.stdout),
        table,
        "the same annotations give the same scores"
    );
}

/// `train-date-ranker` on two small topics read from batch folders writes a ranker and
/// the candidate days it learned from; `eval timeline17` reads it back, and scores each
/// topic with a ranker fitted to the other (`--leave-one-out`), which one topic cannot.
#[test]
fn a_date_ranker_is_fitted_on_topics_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let t17 = dir.path().join("t17");
    let batches = dir.path().join("batches");
    let port = topic(
        &t17,
        "port",
        &[
            (
                "p1",
                "2025-06-03",
                "Dockers walked out at Rotterdam on Monday. The port authority said talks would resume on Thursday.",
            ),
            (
                "p2",
                "2025-06-06",
                "Talks between the union and the port authority broke down on Thursday. The strike of June 2 still weighs on trade.",
            ),
            (
                "p3",
                "2025-06-10",
                "The union and the port signed a deal on Monday, a week after the strike of June 2.",
            ),
        ],
        "2025-06-02\nDockers strike .\n--------\n2025-06-09\nA deal is signed .\n--------\n2025-06-10\nShips sail .\n--------\n",
    );
    for t in [goma(&t17), port] {
        batch(&t, &batches);
    }
    let (ranker, examples) = (dir.path().join("ranker.json"), dir.path().join("days.jsonl"));
    let out = annalist(&[
        "train-date-ranker",
        t17.to_str().unwrap(),
        "--batch-dir",
        batches.to_str().unwrap(),
        "--output",
        ranker.to_str().unwrap(),
        "--examples",
        examples.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let fitted: Value = serde_json::from_str(&std::fs::read_to_string(&ranker).unwrap()).unwrap();
    assert_eq!(fitted["features"], json!(annalist::digest::rank::FEATURES));
    assert!(
        fitted["weights"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_f64() != Some(0.0)),
        "{fitted}"
    );
    let days: Vec<Value> = std::fs::read_to_string(&examples)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let keys = |topic: &str| -> Vec<&str> {
        days.iter()
            .filter(|d| d["topic"] == topic && d["key"] == true)
            .map(|d| d["date"].as_str().unwrap())
            .collect()
    };
    // 2025-03-09 is gold, but no article names it or puts an event on it: no candidate.
    assert_eq!(keys("goma"), ["2025-03-01", "2025-03-05"], "{days:?}");
    assert!(keys("port").contains(&"2025-06-02"), "{days:?}");

    let eval = |out: &str, extra: &[&str]| {
        let mut args = vec!["--batch-dir", batches.to_str().unwrap()];
        args.extend_from_slice(extra);
        eval_t17(&t17, &dir.path().join(out), &args)
    };
    // A ranker that puts the days with the fewest votes first.
    let mut reversed = fitted.clone();
    for (name, w) in fitted["features"]
        .as_array()
        .unwrap()
        .iter()
        .zip(reversed["weights"].as_array_mut().unwrap())
    {
        *w = json!(if name == "votes_of_best" { -10.0 } else { 0.0 });
    }
    let reversed_path = dir.path().join("reversed.json");
    std::fs::write(&reversed_path, reversed.to_string()).unwrap();
    let runs = [
        ("votes", vec![]),
        ("fitted", vec!["--ranker", ranker.to_str().unwrap()]),
        ("reversed", vec!["--ranker", reversed_path.to_str().unwrap()]),
        ("loto", vec!["--leave-one-out"]),
    ];
    for (out, extra) in &runs {
        let run = eval(out, extra);
        assert!(
            run.status.success(),
            "{extra:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let table = String::from_utf8_lossy(&run.stdout);
        assert!(table.contains("goma/gold") && table.contains("port/gold"), "{table}");
    }
    let chosen = |out: &str| std::fs::read_to_string(dir.path().join(out).join("goma").join("gold.txt")).unwrap();
    assert_ne!(
        chosen("votes"),
        chosen("reversed"),
        "the ranker read is the ranker used"
    );
    let one = eval("one", &["--leave-one-out", "--topics", "goma"]);
    assert!(!one.status.success());
    assert!(String::from_utf8_lossy(&one.stderr).contains("two topics or more"));
    let bad = dir.path().join("nonsense.json");
    std::fs::write(&bad, "{\"weights\": []}").unwrap();
    let refused = eval("bad", &["--ranker", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("nonsense.json") && err.contains("train-date-ranker"),
        "{err}"
    );
}
