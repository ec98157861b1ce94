//! The digest on a small story written for it: a raid on Goma on Saturday 1 March 2025
//! that later articles still name, aid on Wednesday the 5th, a visit on Friday the 7th,
//! and a meeting that three undated articles report (it has no day).

use super::*;
use crate::annotated::testing::{annotated, parsed};
use crate::annotated::Annotated;
use crate::ner::EntityType::*;
use crate::pipeline::build_timeline;

fn story() -> Vec<Annotated> {
    let a = parsed(
        "a",
        Some("2025-03-02"),
        &[
            "On/2/case/ADP Saturday/4/obl/PROPN rebels/4/nsubj/NOUN attacked/0/root/VERB/OCCURRENCE,POS,none,PAST \
           Goma/4/obj/PROPN ./4/punct/PUNCT",
        ],
        &[("Goma", LOC)],
        &[("Saturday", "2025-03-01")],
    );
    let b = annotated(
        "b",
        "The attack on Goma on March 1 killed forty people. Aid reached the city on Wednesday after days of waiting.\n",
        Some("2025-03-06"),
        &[("Goma", LOC)],
        &[("March 1", "2025-03-01"), ("Wednesday", "2025-03-05")],
    );
    let c = annotated(
        "c",
        "Residents of Goma still remember March 1 and the fires of that night. Kabila visited Kinshasa on Friday to meet donors.\n",
        Some("2025-03-09"),
        &[("Goma", LOC), ("Kabila", PER), ("Kinshasa", LOC)],
        &[("March 1", "2025-03-01"), ("Friday", "2025-03-07")],
    );
    let undated = |id: &str| {
        parsed(
            id,
            None,
            &["Lumumba/2/nsubj/PROPN met/0/root/VERB/OCCURRENCE,POS,none,PAST Tshombe/2/obj/PROPN ./2/punct/PUNCT"],
            &[("Lumumba", PER), ("Tshombe", PER)],
            &[],
        )
    };
    vec![a, b, c, undated("u1"), undated("u2"), undated("u3")]
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dates(d: &Digest) -> Vec<String> {
    d.dates.iter().map(|k| k.date.to_string()).collect()
}

fn opts(k: usize) -> Options {
    Options {
        dates: k,
        ..Options::default()
    }
}

#[test]
fn the_day_later_articles_still_name_comes_first() {
    let t = build_timeline(&story(), None, None);
    let d = digest(&t, &opts(1)).unwrap();
    assert_eq!(dates(&d), ["2025-03-01"]);
    let first = &d.dates[0];
    assert_eq!(first.evidence.references, 3);
    assert_eq!(first.evidence.later_references, 2, "b and c were published days after");
    assert!(!first.events.is_empty() && first.events.iter().all(|&e| t.events[e].trigger == "attacked"));
    assert_eq!(first.summary.len(), 2);
    for q in &first.summary {
        assert_eq!(
            q.text,
            t.documents[q.source.doc].text[q.source.span.start..q.source.span.end],
            "verbatim"
        );
    }
    assert_eq!(d.articles, 6);
}

#[test]
fn more_dates_asked_than_there_are_gives_all_in_order_and_never_an_undated_event() {
    let t = build_timeline(&story(), None, None);
    let undated: Vec<EventId> = (0..t.events.len()).map(EventId).filter(|&i| !t.is_dated(i)).collect();
    assert!(
        !undated.is_empty() && undated.iter().any(|&i| t.events[i].sources.len() == 3),
        "the meeting has three reports"
    );
    let d = digest(&t, &opts(50)).unwrap();
    assert_eq!(
        dates(&d),
        ["2025-03-01", "2025-03-05", "2025-03-07"],
        "days with something said about them, no bare publication day"
    );
    assert!(d.dates.iter().flat_map(|k| &k.events).all(|e| !undated.contains(e)));
    assert!(d.dates.iter().all(|k| !k.summary.is_empty() && k.score > 0.0));
}

#[test]
fn publication_span_limits_articles_and_days() {
    let t = build_timeline(&story(), None, None);
    let to = Options {
        published_to: Some(day("2025-03-06")),
        ..opts(10)
    };
    let d = digest(&t, &to).unwrap();
    assert_eq!(dates(&d), ["2025-03-01", "2025-03-05"]);
    assert_eq!(
        d.dates[0].evidence.references, 2,
        "c, published on the 9th, is not read"
    );
    let from = Options {
        published_from: Some(day("2025-03-03")),
        ..opts(10)
    };
    let d = digest(&t, &from).unwrap();
    assert_eq!(dates(&d), ["2025-03-05", "2025-03-07"], "only days in the span");
    assert_eq!(d.articles, 2);

    // An event reported inside and outside the span keeps only its reports inside.
    let mut t = t;
    let c = DocId(t.documents.iter().position(|x| x.id == "c").unwrap());
    let attack = t.events.iter().position(|e| e.trigger == "attacked").unwrap();
    let report = crate::events::Evidence {
        doc: c,
        sentence: Span::new(0, 10),
        clause: Vec::new(),
        trigger: Span::new(0, 9),
    };
    t.events[attack].sources.push(report);
    let d = digest(&t, &to).unwrap();
    assert!(d
        .dates
        .iter()
        .flat_map(|k| k.sources.iter().chain(k.summary.iter().map(|q| &q.source)))
        .all(|s| s.doc != c));
}

#[test]
fn an_empty_span_says_what_there_is() {
    let t = build_timeline(&story(), None, None);
    let o = Options {
        published_from: Some(day("2025-04-01")),
        published_to: Some(day("2025-04-30")),
        ..opts(10)
    };
    let err = digest(&t, &o).unwrap_err().to_string();
    assert!(
        err.contains("no article was published from 2025-04-01 to 2025-04-30"),
        "{err}"
    );
    assert!(err.contains("published from 2025-03-02 to 2025-03-09"), "{err}");
    assert!(digest(&build_timeline(&[], None, None), &opts(3))
        .unwrap_err()
        .to_string()
        .contains("no articles"));
}

#[test]
fn about_keeps_the_story_of_an_entity() {
    let t = build_timeline(&story(), None, None);
    let o = Options {
        about: vec!["kabila".into()],
        ..opts(10)
    };
    let d = digest(&t, &o).unwrap();
    let c = DocId(t.documents.iter().position(|x| x.id == "c").unwrap());
    assert_eq!(
        dates(&d),
        ["2025-03-01", "2025-03-07"],
        "the days c, the one article naming Kabila, names"
    );
    assert!(d.dates.iter().flat_map(|k| &k.sources).all(|s| s.doc == c));
    assert!(
        d.dates.iter().all(|k| k.events.is_empty()),
        "Kabila takes part in no dated event"
    );
    assert_eq!(d.about.len(), 1);
    let err = digest(
        &t,
        &Options {
            about: vec!["Kab".into()],
            ..opts(10)
        },
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("\"Kab\"") && err.contains("did you mean Kabila"), "{err}");
}

#[test]
fn json_follows_its_schema_and_markdown_reads() {
    let t = build_timeline(&story(), None, None);
    let d = digest(
        &t,
        &Options {
            about: vec!["Goma".into()],
            ..opts(2)
        },
    )
    .unwrap();
    let out = d.to_json(&t);
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).expect("schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("valid draft 2020-12 schema");
    let errors: Vec<String> = validator
        .iter_errors(&out)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(out["schema"], SCHEMA_VERSION);
    assert_eq!(out["about"][0]["name"], "Goma");
    let first = &out["dates"][0];
    assert_eq!(first["date"], "2025-03-01");
    assert_eq!(first["events"][0]["type"], "attack");
    let (s, e) = (
        first["summary"][0]["start"].as_u64().unwrap() as usize,
        first["summary"][0]["end"].as_u64().unwrap() as usize,
    );
    let doc = t.documents.iter().find(|x| x.id == first["summary"][0]["doc"]).unwrap();
    let chars: Vec<char> = doc.text.chars().collect();
    assert_eq!(
        chars[s..e].iter().collect::<String>(),
        first["summary"][0]["text"].as_str().unwrap()
    );
    let md = d.to_markdown(&t);
    assert!(
        md.starts_with("# Key dates") && md.contains("## 2025-03-01 (Saturday)") && md.contains("about Goma"),
        "{md}"
    );
}

/// Articles that only name days (no parse, so no events), with the date expressions
/// the time stage finds in them, as the pipeline gives them.
fn naming(id: &str, published: &str, text: &str) -> Annotated {
    let mut a = annotated(id, text, Some(published), &[], &[]);
    a.timexes = crate::time::tag(&a.doc.text, a.doc.dct.as_ref());
    a
}

#[test]
fn an_article_votes_once_for_a_day_and_its_own_time_stamp_is_no_vote() {
    // One long article names 2 March five times and carries its own stamps; three short
    // ones name 1 March once each. The mention count would take 2 March.
    let long = naming(
        "long",
        "2025-03-02",
        "Sunday 2 March 2025 10.40 GMT. On March 2 crowds gathered. Later on March 2 they left. \
         Police said March 2 was calm. By the evening of March 2 shops had reopened. Talks of March 2 ended.\n",
    );
    let short = |id: &str| naming(id, "2025-03-05", "The strike of March 1 is not forgotten.\n");
    let t = build_timeline(&[long, short("s1"), short("s2"), short("s3")], None, None);
    let d = digest(&t, &opts(1)).unwrap();
    assert_eq!(dates(&d), ["2025-03-01"]);
    let both = digest(&t, &opts(2)).unwrap();
    let second = &both.dates[1];
    assert_eq!(second.date, day("2025-03-02"));
    assert_eq!(
        second.evidence.references, 1,
        "one article, however often it names the day"
    );
    assert!(
        second
            .sources
            .iter()
            .all(|s| !t.documents[s.doc].text[s.span.start..s.span.end].contains("GMT")),
        "the stamp sentence is no source: {:?}",
        second.sources
    );
    assert!(
        second
            .summary
            .iter()
            .all(|q| !q.text.contains("GMT") && !q.text.is_empty()),
        "nor quoted, though it leads an article of the day: {:?}",
        second.summary
    );
}

#[test]
fn the_start_of_a_since_span_is_a_day_remembered() {
    let since = |id: &str| {
        naming(
            id,
            "2025-03-09",
            "Goma has been under siege since March 1, aid workers said.\n",
        )
    };
    let once = naming("once", "2025-03-04", "Aid arrived on March 3.\n");
    let t = build_timeline(&[since("a"), since("b"), once], None, None);
    let d = digest(&t, &opts(1)).unwrap();
    assert_eq!(dates(&d), ["2025-03-01"]);
    assert_eq!(d.dates[0].evidence.later_references, 2);
}

#[test]
fn an_article_reporting_many_events_of_a_day_is_still_one_vote() {
    // One article tells of four raids on Sunday 2 March; three articles, days later,
    // name 1 March. Summing every report would take 2 March.
    let raid = |place: &str| {
        format!(
            "On/2/case/ADP Sunday/4/obl/PROPN rebels/4/nsubj/NOUN attacked/0/root/VERB/OCCURRENCE,POS,none,PAST \
             {place}/4/obj/PROPN ./4/punct/PUNCT"
        )
    };
    let places = ["Goma", "Bukavu", "Uvira", "Sake"];
    let sentences: Vec<String> = places.iter().map(|p| raid(p)).collect();
    let long = parsed(
        "long",
        Some("2025-03-03"),
        &sentences.iter().map(String::as_str).collect::<Vec<_>>(),
        &places.map(|p| (p, LOC)),
        &[
            ("Sunday", "2025-03-02"),
            ("Sunday", "2025-03-02"),
            ("Sunday", "2025-03-02"),
            ("Sunday", "2025-03-02"),
        ],
    );
    let short = |id: &str| naming(id, "2025-03-04", "The strike of March 1 is not forgotten.\n");
    let t = build_timeline(&[long, short("s1"), short("s2"), short("s3")], None, None);
    let sunday: Vec<usize> = (0..t.events.len())
        .filter(|&i| t.events[i].trigger == "attacked")
        .collect();
    assert_eq!(sunday.len(), 4, "four raids, four events");
    let d = digest(&t, &opts(2)).unwrap();
    assert_eq!(
        d.dates
            .iter()
            .max_by(|a, b| a.score.total_cmp(&b.score))
            .map(|k| k.date),
        Some(day("2025-03-01"))
    );
    let raids = d
        .dates
        .iter()
        .find(|k| k.date == day("2025-03-02"))
        .expect("the raids' day is second");
    assert_eq!(raids.events.len(), 4);
}

#[test]
fn a_report_of_the_days_heaviest_event_outranks_one_of_a_lesser_event() {
    let a = parsed(
        "a",
        Some("2025-03-02"),
        &[
            "On/2/case/ADP Saturday/4/obl/PROPN rebels/4/nsubj/NOUN attacked/0/root/VERB/OCCURRENCE,POS,none,PAST \
             Goma/4/obj/PROPN ./4/punct/PUNCT",
            "Yesterday/3/obl:tmod/NOUN Kabila/3/nsubj/PROPN spoke/0/root/VERB/OCCURRENCE,POS,none,PAST ./3/punct/PUNCT",
        ],
        &[("Goma", LOC), ("Kabila", PER)],
        &[("Saturday", "2025-03-01"), ("Yesterday", "2025-03-01")],
    );
    let t = build_timeline(&[a], None, None);
    let o = opts(1);
    let scope = Scope::new(&t, &o).unwrap();
    let (days, _) = candidate_days(&t, &scope, &o);
    let saturday = day("2025-03-01");
    let scored = candidates(&t, saturday, &days[&saturday], &scope.docs);
    let score = |word: &str| {
        scored
            .iter()
            .find(|(s, _, _)| text(&t, *s).contains(word))
            .map(|c| c.1)
            .unwrap_or_else(|| panic!("no candidate with {word:?}: {scored:?}"))
    };
    // Both name the day; the attack weighs more than a statement or an `other`.
    assert!(score("attacked") > score("spoke"), "{scored:?}");
}
