//! `annalist extract` end to end on three reports of one story (the bundled test
//! articles, and the seed articles when `../shared` is beside the checkout): real ingest,
//! the bundled transformer, the temporal tagger, resolution, merging and the exports.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seeds");
const ARTICLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/articles");

/// Runs extract on the articles of `folder` in name order, with JSON, DOT and SVG out.
fn extract(folder: &str, dir: &Path) -> Value {
    let mut inputs: Vec<String> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{folder}: {e}"))
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    inputs.sort();
    let json = dir.join("t.json");
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .arg("extract")
        .args(&inputs)
        .args(["--device", "cpu", "--output"])
        .arg(&json)
        .arg("--dot")
        .arg(dir.join("g.dot"))
        .arg("--svg")
        .arg(dir.join("g.svg"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap()
}

/// What holds of any three reports of one story, the first dated by its header line
/// (`published`), the other two undated: the schema; the undated ones take the dated
/// one's day from the events they share; every relative date resolved; the timeline in
/// order; evidence offsets that slice the files; the diagram with its date spine
/// (`day_label`) and an SVG naming `name` when Graphviz is installed.
fn check_story(t: &Value, dir: &Path, published: &str, day_label: &str, name: &str) {
    let schema: Value = serde_json::from_str(include_str!("../src/export/timeline.schema.json")).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(t)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let events = t["events"].as_array().unwrap();
    let docs = t["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0]["published"], published);
    assert_eq!(docs[0]["published_from"], "text");
    for d in &docs[1..] {
        assert_eq!(
            (d["published"].as_str(), d["published_from"].as_str()),
            (Some(&published[..10]), Some("inferred")),
            "{d:#}"
        );
        let evidence = d["published_evidence"].as_array().unwrap();
        assert!(!evidence.is_empty() && evidence.iter().all(|e| events.iter().any(|x| &x["id"] == e)));
    }

    for e in events {
        assert!(!e["time"]["value"].as_str().unwrap_or("").contains('X'), "{e:#}");
        assert_ne!(e["time"]["value"], "2026-12-01", "never the run date");
    }

    // The timeline lists every event once, dated ones in order, undated ones after.
    let order: Vec<&Value> = t["timeline"].as_array().unwrap().iter().collect();
    assert_eq!(order.len(), events.len());
    let by_id = |id: &Value| events.iter().find(|e| &e["id"] == id).unwrap();
    let starts: Vec<Option<&str>> = order.iter().map(|id| by_id(id)["time"]["start"].as_str()).collect();
    let dated = starts.iter().take_while(|s| s.is_some()).count();
    assert!(starts[dated..].iter().all(Option::is_none));
    assert!(starts[..dated].windows(2).all(|w| w[0] <= w[1]), "{starts:?}");

    // Evidence offsets are Unicode scalar values into the original files.
    for e in events {
        for s in e["sources"].as_array().unwrap() {
            let doc = docs.iter().find(|d| d["id"] == s["doc"]).unwrap();
            let text: Vec<char> = std::fs::read_to_string(doc["source"].as_str().unwrap())
                .unwrap()
                .chars()
                .collect();
            let (a, b) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(text[a..b].iter().collect::<String>(), s["sentence"].as_str().unwrap());
        }
    }

    let dot = std::fs::read_to_string(dir.join("g.dot")).unwrap();
    assert!(dot.contains("rankdir=LR") && dot.contains(day_label), "{dot}");
    if Command::new("dot").arg("-V").output().is_ok() {
        let svg = std::fs::read_to_string(dir.join("g.svg")).unwrap();
        assert!(svg.contains("<svg") && svg.contains(name));
    }
}

fn entity<'a>(t: &'a Value, name: &str) -> &'a Value {
    t["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no entity {name}"))
}

/// The dated event of `kind` in which `entity_id` takes part, on `value`.
fn event<'a>(t: &'a Value, kind: &str, entity_id: &Value, value: &str) -> &'a Value {
    event_where(t, kind, entity_id, value, |_| true)
}

/// The first such event that also passes `test`.
fn event_where<'a>(
    t: &'a Value,
    kind: &str,
    entity_id: &Value,
    value: &str,
    test: impl Fn(&Value) -> bool,
) -> &'a Value {
    t["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["type"] == kind
                && e["time"]["value"] == value
                && e["participants"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| &p["entity"] == entity_id)
                && test(e)
        })
        .unwrap_or_else(|| panic!("no {kind} of {entity_id} on {value}"))
}

fn source_docs(e: &Value) -> Vec<String> {
    let mut docs: Vec<String> = e["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["doc"].as_str().unwrap().to_string())
        .collect();
    docs.sort();
    docs.dedup();
    docs
}

/// The three reports of the Rotterdam talks written for these tests.
#[test]
fn test_articles_become_one_dated_sourced_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let t = extract(ARTICLES, dir.path());
    check_story(
        &t,
        dir.path(),
        "2025-03-12T09:30:00+01:00",
        "Tue 11 Mar 2025",
        "Madlener",
    );

    let de_vries = entity(&t, "Marieke de Vries");
    assert_eq!(de_vries["type"], "PER");
    assert!(
        de_vries["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "Union leader"),
        "{de_vries:#}"
    );
    let madlener = entity(&t, "Barry Madlener");
    let (authority, union) = (entity(&t, "Port of Rotterdam Authority"), entity(&t, "FNV Havens"));

    // Reported by the dated article and an undated one, merged, with the dated one's days.
    let urged = event(&t, "statement", &madlener["id"], "2025-03-10");
    let met = event(&t, "meeting", &authority["id"], "2025-03-11");
    assert!(
        met["participants"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["entity"] == union["id"]),
        "{met:#}"
    );
    let offer = event(&t, "proposal", &authority["id"], "2025-03-14");
    assert_eq!(offer["factuality"], "future", "{offer:#}");
    for e in [urged, met, offer] {
        assert!(source_docs(e).len() >= 2, "{e:#}");
        assert_eq!(e["time"]["anchor"], "explicit", "{e:#}");
    }
}

#[test]
#[cfg_attr(not(shared_corpora), ignore = "needs ../shared/seeds beside the checkout")]
fn seed_articles_become_one_dated_sourced_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let t = extract(SEEDS, dir.path());
    check_story(
        &t,
        dir.path(),
        "2025-07-15T00:00:47+03:00",
        "Mon 14 Jul 2025",
        "Zelensky",
    );

    // Persons resolved to their fullest names, with roles from context.
    let zelensky = entity(&t, "Volodymyr Zelensky");
    assert_eq!(zelensky["type"], "PER");
    assert!(zelensky["aliases"].as_array().unwrap().iter().any(|a| a == "Zelensky"));
    let mention_docs: std::collections::BTreeSet<&str> = zelensky["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["doc"].as_str().unwrap())
        .collect();
    assert_eq!(mention_docs.len(), 3, "Zelensky is mentioned in all three");
    let peskov = entity(&t, "Dmitri S. Peskov");
    assert!(peskov["roles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r.as_str().unwrap().contains("Kremlin spokesman")));
    let witkoff = entity(&t, "Steve Witkoff");
    assert!(witkoff["roles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r.as_str().unwrap().contains("White House envoy")));
    let trump = t["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"].as_str().unwrap().contains("Trump"))
        .unwrap();

    // The events with the dates the temporal issue pins, merged across the articles:
    // undated reports (001, 003) take the date that 000 gives.
    let said = event(&t, "statement", &zelensky["id"], "2025-07-14");
    assert_eq!(source_docs(said).len(), 3, "{said:#}");
    // Found by its word: a looser merge of hints that day ("indications", "warned",
    // "hinted") also counts Peskov among its speakers.
    let acknowledged = event_where(&t, "statement", &peskov["id"], "2025-07-15", |e| {
        e["trigger"] == "acknowledged"
    });
    assert_eq!(source_docs(acknowledged).len(), 3, "{acknowledged:#}");
    let hoped = event(&t, "statement", &trump["id"], "2025-07-13");
    assert!(source_docs(hoped).len() >= 2, "{hoped:#}");
    let visit = event(&t, "visit", &witkoff["id"], "2025-W29");
    assert_eq!(
        (visit["time"]["start"].as_str(), visit["time"]["end"].as_str()),
        (Some("2025-07-14"), Some("2025-07-20"))
    );

    // The delegation's planned meeting in London, which all three articles report
    // ("planned engagement", "scheduled to meet", "a meeting scheduled in London"), is
    // one planned meeting with its three sources, in London.
    let london = entity(&t, "London");
    let meetings: Vec<&Value> = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["places"].as_array().is_some_and(|p| p.contains(&london["id"])))
        .filter(|e| e["type"] == "meeting")
        .collect();
    assert_eq!(meetings.len(), 1, "{meetings:#?}");
    assert_eq!(meetings[0]["factuality"], "future", "{:#}", meetings[0]);
    assert_eq!(source_docs(meetings[0]).len(), 3, "{:#}", meetings[0]);

    // Statements are told as fact.
    for e in [said, acknowledged, hoped] {
        assert_eq!(
            (e["factuality"].as_str(), e["time"]["anchor"].as_str()),
            (Some("asserted"), Some("explicit")),
            "{e:#}"
        );
    }
    // "I hope Russia and Ukraine will make a deal this week": no deal was made. (The
    // cease-fire Ukraine is "ready for any conversation" about is an agreement noun read
    // as asserted: a known misreading, left out here.)
    let deals: Vec<&Value> = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "agreement" && matches!(e["trigger"].as_str(), Some("deal" | "agreement")))
        .collect();
    assert!(
        !deals.is_empty() && deals.iter().all(|e| e["factuality"] == "possible"),
        "{deals:#?}"
    );
    assert!(
        t["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["type"] != "attack" || matches!(e["trigger"].as_str(), Some("invasion" | "attacks"))),
        "{t:#}"
    );
}

/// The bundled example: a port strike and pay talks, nothing military.
#[test]
fn the_bundled_example_reads_right() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/harbour-talks.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["extract", "--device", "cpu", example])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    let events = t["events"].as_array().unwrap();
    let find = |trigger: &str| {
        events
            .iter()
            .find(|e| e["trigger"] == trigger)
            .unwrap_or_else(|| panic!("no {trigger}: {t:#}"))
    };
    assert!(
        events.iter().all(|e| e["type"] != "attack"),
        "a labour strike is no attack: {t:#}"
    );
    // The 48-hour strike happened; "a second strike remained possible" is another one.
    let mut strikes: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "strike" && e["trigger"] == "strike")
        .map(|e| e["factuality"].as_str().unwrap_or(""))
        .collect();
    strikes.sort_unstable();
    assert_eq!(strikes, ["asserted", "possible"], "{t:#}");
    // Statements are dated by their article.
    for said in ["said", "told"] {
        let e = find(said);
        assert_eq!(
            (
                e["type"].as_str(),
                e["time"]["value"].as_str(),
                e["time"]["anchor"].as_str()
            ),
            (Some("statement"), Some("2025-03-12"), Some("publication"))
        );
    }
    // "would present a revised offer on Friday": planned, on Friday 14 March.
    let offer = find("offer");
    assert_eq!(
        (offer["type"].as_str(), offer["factuality"].as_str()),
        (Some("proposal"), Some("future"))
    );
    assert_eq!(
        (offer["time"]["value"].as_str(), offer["time"]["anchor"].as_str()),
        (Some("2025-03-14"), Some("explicit"))
    );
    // "the authority" is the port authority: the coreference head links it to the
    // headline's "Port Authority", which resolve still keeps apart from the body's
    // "Port of Rotterdam Authority" (README, Entity coreference); either is right.
    let agent = t["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == offer["participants"][0]["entity"])
        .unwrap_or_else(|| panic!("'the authority' makes the offer: {offer:#}"));
    assert!(
        ["Port Authority", "Port of Rotterdam Authority"].contains(&agent["name"].as_str().unwrap_or("")),
        "'the authority' makes the offer: {offer:#} {agent:#}"
    );
    // "Talks began in January": found, dated, the aspectual verb folded into the talks.
    let talks = find("Talks");
    assert_eq!(
        (talks["time"]["value"].as_str(), talks["factuality"].as_str()),
        (Some("2025-01"), Some("asserted"))
    );
    assert!(events.iter().all(|e| e["trigger"] != "began"));
    // "has met de Vries four times since February" is not Tuesday's meeting, though
    // "since" reaches Tuesday: the article dates the two apart.
    let meetings: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "meeting")
        .map(|e| e["time"]["value"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(meetings, ["2025-02", "2025-03-11"]);
}

#[test]
fn bad_inputs_are_reported_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(
        &good,
        "Published: 2025-03-12\n\nBarack Obama met Angela Merkel in Berlin on Tuesday.\n",
    )
    .unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let lines = dir.path().join("docs.jsonl");
    std::fs::write(
        &lines,
        "{\"id\": \"a\", \"text\": \"Emmanuel Macron spoke in Paris on Monday.\", \"published\": \"2025-03-10\"}\n{broken\n\
         {\"id\": \"a\", \"text\": \"Angela Merkel spoke in Bonn.\", \"published\": \"someday\"}\n",
    )
    .unwrap();
    let fifo = dir.path().join("fifo.txt");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["extract", "--device", "cpu"])
        .args([
            &good,
            &empty,
            &lines,
            Path::new("/dev/zero"),
            &fifo,
            Path::new("no-such-dir-*/x.txt"),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "failures give a failing exit status");
    assert!(err.contains("empty.txt") && err.contains("docs.jsonl:2"), "{err}");
    for refused in [
        "/dev/zero: not a regular file",
        "fifo.txt: not a regular file",
        "no-such-dir-*/x.txt: no files match",
    ] {
        assert!(err.contains(refused), "{refused}: {err}");
    }
    let at = format!("{}:3: ", lines.display());
    assert_eq!(err.matches(&at).count(), 2, "each warning names its line once: {err}");
    assert!(
        err.contains(&format!(
            "{at}id \"a\" is already an earlier document's; this one is \"a#2\""
        )),
        "{err}"
    );
    let t: Value = serde_json::from_slice(&out.stdout).expect("the timeline of what could be read");
    let ids: Vec<&str> = t["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids.contains(&"a") && ids.contains(&"a#2"), "{ids:?}");
    assert!(
        t["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["time"]["value"] == "2025-03-11"),
        "{t:#}"
    );
    let summary = err.lines().last().unwrap();
    assert!(
        summary.starts_with("annalist extract: 3 documents read, 5 skipped; "),
        "{summary}"
    );
    assert!(summary.ends_with("wrote the timeline to stdout"), "{summary}");
}

/// A file with a UTF-8 byte order mark: every offset slices its text out of the file as
/// Python's `open(path, encoding="utf-8").read()` sees it (the mark is character 0).
#[test]
fn offsets_index_a_file_with_a_byte_order_mark_as_python_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let article = std::fs::read(Path::new(ARTICLES).join("000_rotterdam_dated.txt")).unwrap();
    let path = dir.path().join("bom.txt");
    std::fs::write(&path, [b"\xEF\xBB\xBF".as_slice(), &article].concat()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["extract", "--device", "cpu", "--quiet"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.stderr.is_empty(),
        "--quiet: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t: Value = serde_json::from_slice(&out.stdout).unwrap();
    let chars: Vec<char> = std::fs::read_to_string(&path).unwrap().chars().collect();
    assert_eq!(chars[0], '\u{FEFF}');
    let slice = |v: &Value| -> String {
        chars[v["start"].as_u64().unwrap() as usize..v["end"].as_u64().unwrap() as usize]
            .iter()
            .collect()
    };
    let mut checked = 0;
    for e in t["entities"].as_array().unwrap() {
        let names: Vec<&str> = std::iter::once(&e["name"])
            .chain(e["aliases"].as_array().unwrap())
            .map(|n| n.as_str().unwrap())
            .collect();
        for m in e["mentions"].as_array().unwrap() {
            let text = slice(m);
            assert!(!text.is_empty() && text.trim() == text, "{text:?}");
            if names.contains(&text.as_str()) {
                checked += 1;
            }
        }
    }
    let de_vries = entity(&t, "Marieke de Vries");
    assert!(
        de_vries["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| slice(m) == "Marieke de Vries"),
        "{de_vries:#}"
    );
    for e in t["events"].as_array().unwrap() {
        for s in e["sources"].as_array().unwrap() {
            assert_eq!(slice(s), s["sentence"].as_str().unwrap());
            let trigger = slice(&s["trigger"]);
            assert!(
                !trigger.is_empty() && s["sentence"].as_str().unwrap().contains(&trigger),
                "{trigger:?} in {s}"
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked} offsets checked");
}
