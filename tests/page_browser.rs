//! The analyst's page in a real browser: headless Chromium (Debian's `chromium`, which
//! `.ci/run` installs) opens it from `file://` with networking off, and the tests read
//! what a person would see in the DOM it renders. View state comes from the URL hash
//! (`#type=visit`, `#open=EV3`), as a shared link would give it.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

const ARTICLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/articles");

fn chromium() -> PathBuf {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let out = Command::new("which").arg(name).output().ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        })
        .expect("these tests need Chromium: apt-get install chromium (.ci/run installs it)")
}

/// The page's DOM after its script ran, and what the browser logged (console included).
fn render(page: &Path, hash: &str) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
        ])
        // No network: every host unresolvable, and no proxy to reach one.
        .args([
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            "--disable-background-networking",
        ])
        .args([
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}#{hash}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Console messages (errors included) the page logged.
fn console(log: &str) -> Vec<&str> {
    log.lines().filter(|l| l.contains("CONSOLE")).collect()
}

/// The summaries of the event rows on screen.
fn rows(dom: &str) -> Vec<String> {
    dom.split("class=\"text\">")
        .skip(1)
        .filter_map(|s| s.split('<').next())
        .filter(|s| !s.starts_with("${"))
        .map(str::to_string)
        .collect()
}

/// The page and the timeline JSON of the test articles (three reports of one story).
fn story_page(dir: &Path) -> (PathBuf, Value) {
    let mut articles: Vec<PathBuf> = std::fs::read_dir(ARTICLES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    articles.sort();
    let (page, json) = (dir.join("story.html"), dir.join("story.json"));
    for (format, path) in [("html", &page), ("json", &json)] {
        let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
            .args(["extract", "--device", "cpu", "--format", format, "--output"])
            .arg(path)
            .args(&articles)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    (
        page,
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap(),
    )
}

#[test]
#[cfg_attr(
    not(chromium),
    ignore = "needs Chromium on the PATH: apt-get install chromium, then touch build.rs"
)]
fn the_story_page_renders_offline_filters_and_opens_an_event() {
    let dir = tempfile::tempdir().unwrap();
    let (page, t) = story_page(dir.path());
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: nothing to fetch.
    for remote in ["<script src", "<link", "@import", "url("] {
        assert!(!html.contains(remote), "the page loads {remote}");
    }
    let events = t["events"].as_array().unwrap();
    let id_of = |trigger: &str| {
        events.iter().find(|e| e["trigger"] == trigger).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };

    // Everything listed, as text, and no console message at all.
    let (dom, log) = render(&page, "");
    assert!(dom.contains("data-ready=\"1\""), "the script did not finish: {log}");
    assert!(console(&log).is_empty(), "{:#?}", console(&log));
    assert!(dom.contains(&format!("{} of {} events shown", events.len(), events.len())));
    let shown = rows(&dom);
    assert!(shown.iter().any(|r| r.contains("Barry Madlener, urged")), "{shown:#?}");

    // The most salient first, and in time order one click (here: the hash) away.
    let summaries = |list: Vec<&Value>| -> Vec<String> {
        list.iter()
            .map(|e| e["summary"].as_str().unwrap().to_string())
            .take(shown.len())
            .collect()
    };
    let salience = |e: &Value| e["salience"].as_f64().unwrap();
    let mut ranked: Vec<&Value> = events.iter().collect();
    ranked.sort_by(|a, b| salience(b).total_cmp(&salience(a)));
    assert_eq!(shown, summaries(ranked));
    assert!(dom.contains("data-order=\"salience\" aria-pressed=\"true\""), "{dom}");
    let (dom, log) = render(&page, "order=time");
    assert!(console(&log).is_empty(), "{:#?}", console(&log));
    let in_time = rows(&dom);
    assert_eq!(in_time, summaries(events.iter().collect()));
    assert_ne!(in_time, shown, "the story's orders differ");
    assert!(dom.contains("data-order=\"time\" aria-pressed=\"true\""));

    // A type filter hides the rest.
    let (dom, log) = render(&page, "type=meeting");
    assert!(console(&log).is_empty(), "{:#?}", console(&log));
    let meetings = events.iter().filter(|e| e["type"] == "meeting").count();
    assert!(dom.contains(&format!("{meetings} of {} events shown", events.len())));
    let shown = rows(&dom);
    assert_eq!(shown.len(), meetings, "{shown:#?}");
    assert!(shown.iter().all(|r| !r.contains("urged")) && shown.iter().any(|r| r.contains("Negotiators")));

    // Opening an event shows every source sentence with its trigger and names marked.
    let warned = id_of("warned");
    let sources = events.iter().find(|e| e["id"] == warned.as_str()).unwrap()["sources"]
        .as_array()
        .unwrap()
        .len();
    assert!(sources >= 2, "the dated article and an undated one report it");
    let (dom, log) = render(&page, &format!("open={warned}"));
    assert!(console(&log).is_empty(), "{:#?}", console(&log));
    let detail = &dom[dom.find("id=\"detail-body\"").expect("the details are open")..];
    let detail = &detail[..detail.find("</aside>").unwrap()];
    assert_eq!(detail.matches("class=\"source\"").count(), sources);
    assert!(
        detail.contains("<mark class=\"trigger\" title=\"event trigger\">warned</mark>"),
        "{detail}"
    );
    assert!(
        detail.contains("title=\"Marieke de Vries\">De Vries</a></mark>"),
        "{detail}"
    );
    assert!(detail.contains("(date inferred)"), "{detail}");
}

/// A synthetic timeline of `n` events over two years, in the JSON contract.
fn big_timeline(n: usize) -> Value {
    let types = ["statement", "meeting", "visit", "agreement", "other"];
    let facts = ["asserted", "reported", "possible", "future", "negated"];
    let day0 = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let events: Vec<Value> = (0..n)
        .map(|i| {
            let undated = i % 10 == 9;
            let day = (day0 + chrono::Days::new((i * 730 / n) as u64)).to_string();
            let sentence = format!("Person {} met Person {} for talks number {i}.", i % 50, (i + 1) % 50);
            json!({
                "id": format!("EV{}", i + 1), "type": types[i % 5], "class": "OCCURRENCE", "trigger": "met",
                "summary": sentence.trim_end_matches('.'), "factuality": facts[i % 5], "reported_by": [],
                "time": {"value": if undated { Value::Null } else { json!(day) }, "start": if undated { Value::Null } else { json!(day) },
                         "end": if undated { Value::Null } else { json!(day) }, "text": null, "mod": null, "from": null, "anchor": null, "doc": null},
                "participants": [{"entity": format!("E{}", i % 50 + 1), "role": "agent"}], "places": [], "quotes": [],
                "sources": [{"doc": format!("d{}", i % 1000), "start": 0, "end": sentence.chars().count(), "sentence": sentence,
                             "trigger": {"start": 9, "end": 12}}],
                "confidence": 0.5, "undated": undated,
            })
        })
        .collect();
    let entities: Vec<Value> = (0..50)
        .map(|e| json!({"id": format!("E{}", e + 1), "name": format!("Person {e}"), "type": "PER", "aliases": [], "roles": [],
                        "external_id": null, "mentions": []}))
        .collect();
    let documents: Vec<Value> = (0..1000)
        .map(|d| {
            json!({"id": format!("d{d}"), "source": format!("d{d}.txt"), "title": format!("Article {d}"), "url": null,
                        "published": "2025-12-31", "published_from": "flag"})
        })
        .collect();
    let timeline: Vec<Value> = events.iter().map(|e| e["id"].clone()).collect();
    json!({"schema": "annalist.timeline/1", "documents": documents, "entities": entities, "events": events, "timeline": timeline})
}

#[test]
#[cfg_attr(
    not(chromium),
    ignore = "needs Chromium on the PATH: apt-get install chromium, then touch build.rs"
)]
fn ten_thousand_events_render_in_view_only_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("big.html");
    let digest = json!({"dates": [{"date": "2024-03-01", "summary": ["Person 1 met Person 2."], "events": ["EV3"], "sources": [], "score": 1.0}]});
    let mut timeline = big_timeline(10_000);
    timeline["documents"][0]["url"] = json!("javascript:alert(1)");
    std::fs::write(&page, annalist::export::analyst_page(&timeline, Some(&digest))).unwrap();

    let (dom, log) = render(&page, "");
    assert!(dom.contains("data-ready=\"1\"") && console(&log).is_empty(), "{log}");
    assert!(dom.contains("10000 of 10000 events shown"));
    // Only the rows in view are in the page, not ten thousand.
    let shown = rows(&dom).len();
    assert!((1..200).contains(&shown), "{shown} rows in the DOM");
    // The digest's key date comes first, linked to its event.
    assert!(dom.find("id=\"digest-list\"").unwrap() < dom.find("id=\"bins\"").unwrap());
    assert!(dom.contains("<summary>2024-03-01: Person 1 met Person 2.</summary>"));

    // Filters: by entity and factuality, and by date range (undated ones drop out).
    let (dom, _) = render(&page, "entity=E7&fact=reported");
    let expected = (0..10_000).filter(|i| i % 50 == 6 && i % 5 == 1).count();
    assert!(dom.contains(&format!("{expected} of 10000 events shown")), "{expected}");
    // A bad link never becomes one; a bad hash is ignored, not fatal.
    let (dom, log) = render(&page, "open=EV1&from=x&zoom=foo");
    assert!(dom.contains("data-ready=\"1\"") && console(&log).is_empty(), "{log}");
    assert!(!dom.contains("href=\"javascript:") && dom.contains("Article 0"));
    let (dom, _) = render(&page, "from=2024-01-01&to=2024-01-31");
    let january = (0..10_000).filter(|i| i % 10 != 9 && i * 730 / 10_000 < 31).count();
    assert!(dom.contains(&format!("{january} of 10000 events shown")), "{january}");
}
