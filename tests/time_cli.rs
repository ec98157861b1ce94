//! `annalist times` and `annalist eval timeml` end to end, on the bundled test article
//! and TimeML sample, and on the TempEval-3 gold data when `../shared` is beside the
//! checkout.

use annalist::time::dct::find_in_text;
use serde_json::Value;
use std::process::{Command, Output};

const ARTICLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/articles/000_rotterdam_dated.txt"
);
const TIMEML: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/timeml");
const TIMEBANK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/tempeval3/TBAQ-cleaned/TimeBank"
);

fn annalist(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .output()
        .expect("run annalist");
    assert!(
        out.status.success(),
        "annalist {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The JSON lines of `annalist times ARGS`.
fn times(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["times"];
    all.extend_from_slice(args);
    let out = annalist(&all);
    String::from_utf8(out.stdout)
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// The value of the first expression (in text order) whose text contains `needle`.
fn value_of<'a>(timexes: &'a [Value], needle: &str) -> &'a str {
    timexes
        .iter()
        .find(|t| t["text"].as_str().is_some_and(|s| s.contains(needle)))
        .and_then(|t| t["value"].as_str())
        .unwrap_or_else(|| panic!("no expression containing {needle:?} in {timexes:#?}"))
}

fn assert_article_values(timexes: &[Value]) {
    for (needle, value) in [
        ("Tuesday", "2025-03-11"),
        ("Monday", "2025-03-10"),
        ("a week", "P1W"),
        ("the end of March", "2025-03"),
        ("January", "2025-01"),
        ("February", "2025-02"),
    ] {
        assert_eq!(value_of(timexes, needle), value, "{needle}");
    }
}

#[test]
fn article_with_dct_flag() {
    let timexes = times(&["--dct", "2025-03-12", ARTICLE]);
    assert_article_values(&timexes);
    let chars: Vec<char> = std::fs::read_to_string(ARTICLE).unwrap().chars().collect();
    for t in &timexes {
        assert_eq!(t["doc"], ARTICLE, "the same id extract gives: the path");
        let (start, end) = (
            t["start"].as_u64().unwrap() as usize,
            t["end"].as_u64().unwrap() as usize,
        );
        let surface: String = chars[start..end].iter().collect();
        assert_eq!(t["text"].as_str().unwrap(), surface, "char offsets");
    }
}

#[test]
fn article_dated_by_its_header() {
    let text = std::fs::read_to_string(ARTICLE).unwrap();
    let dct = find_in_text(&text).expect("the article's header date");
    assert_eq!(dct.date.to_string(), "2025-03-12");
    assert_eq!(dct.datetime.expect("with its time").offset().to_string(), "+01:00");
    assert_eq!(
        text.lines().nth(2),
        Some(dct.span.unwrap().of(&text)),
        "line 3 is the header"
    );

    // Without --dct the header anchors the same values.
    assert_article_values(&times(&[ARTICLE]));
    let xml = String::from_utf8(annalist(&["times", "--format", "timeml", ARTICLE]).stdout).unwrap();
    assert!(
        xml.contains(r#"value="2025-03-12" temporalFunction="false" functionInDocument="CREATION_TIME""#),
        "{xml}"
    );
    assert!(xml.contains("<TEXT>") && xml.contains("</TimeML>"));
}

#[test]
fn unreadable_files_are_reported_and_the_rest_still_tagged() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("blob.bin");
    std::fs::write(&binary, [0u8, 159, 146, 150]).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["times", "--dct", "2025-03-12", binary.to_str().unwrap(), ARTICLE])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("blob.bin"));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("\"2025-03-10\""),
        "the article is still tagged"
    );
}

/// The value F1 row of `annalist eval timeml DIR`.
fn value_f1(dir: &str) -> f64 {
    let report = String::from_utf8(annalist(&["eval", "timeml", dir]).stdout).unwrap();
    // The row `value  P  R  F1  tp`.
    report
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|cols| cols.len() == 5 && cols[0] == "value")
        .and_then(|cols| cols[3].parse().ok())
        .unwrap_or_else(|| panic!("no value F1 in:\n{report}"))
}

/// Five expressions (dates anchored on the DCT, durations), all found with their values.
#[test]
fn eval_timeml_scores_the_test_sample() {
    assert_eq!(value_f1(TIMEML), 100.0);
}

#[test]
#[cfg_attr(not(shared_corpora), ignore = "needs ../shared/data/tempeval3 beside the checkout")]
fn eval_timeml_on_timebank_prints_a_value_f1() {
    let f1 = value_f1(TIMEBANK);
    assert!(f1 > 70.0, "value F1 {f1} on TimeBank");
}
