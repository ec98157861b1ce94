//! The ingest and sentence stages on the bundled test articles (written for these tests,
//! in the layout of scraped news: a header date line, a related-links block, a footer,
//! repeated paragraphs) and on inputs that go wrong.

use annalist::doc::Span;
use annalist::ingest::{read_inputs, Document, IngestOptions, InputError};
use annalist::segment::sentences;
use annalist::time::{dct::parse_dct, DctSource};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/articles/");
const DATED: &str = "000_rotterdam_dated.txt";
const ARTICLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ingest/articles.jsonl");

fn read(inputs: &[String], opts: &IngestOptions) -> Vec<Result<Document, InputError>> {
    read_inputs(inputs, opts).collect()
}

fn article(name: &str, opts: &IngestOptions) -> Document {
    let path = format!("{FIXTURES}{name}");
    let mut docs = read(&[path], opts);
    assert_eq!(docs.len(), 1);
    docs.remove(0).expect("the fixture reads")
}

fn body(doc: &Document) -> Vec<&str> {
    doc.body.iter().map(|s| s.of(&doc.text)).collect()
}

#[test]
fn a_header_line_dates_the_article() {
    let doc = article(DATED, &IngestOptions::default());
    let dct = doc.dct.as_ref().expect("the article has a date line");
    assert_eq!(dct.date.to_string(), "2025-03-12");
    assert_eq!(
        dct.datetime.map(|d| d.to_rfc3339()).as_deref(),
        Some("2025-03-12T09:30:00+01:00")
    );
    assert_eq!(dct.source, DctSource::Text);
    assert_eq!(
        doc.title.as_deref(),
        Some("Rotterdam Port Talks Resume as Union Weighs Second Strike")
    );
}

#[test]
fn the_dct_flag_beats_the_header_line() {
    let flag = parse_dct("2025-01-01", DctSource::Flag).unwrap();
    let doc = article(
        DATED,
        &IngestOptions {
            dct: Some(flag.clone()),
            ..Default::default()
        },
    );
    assert_eq!(doc.dct, Some(flag));
}

#[test]
fn the_body_is_the_article_without_header_links_or_footer() {
    let doc = article(DATED, &IngestOptions::default());
    let body = body(&doc);
    assert_eq!(body.len(), 6, "{body:#?}");
    assert_eq!(
        body[0], "Rotterdam Port Talks Resume as Union Weighs Second Strike",
        "the headline, once"
    );
    assert!(body[1].starts_with("Negotiators meet again after a stoppage"));
    assert!(body[5].starts_with("Talks began in January"));
    assert!(doc.related.is_empty());
    assert!(
        doc.notes
            .iter()
            .any(|n| n == "related-links block (2 headlines) left out"),
        "{:?}",
        doc.notes
    );
    assert!(body
        .iter()
        .all(|p| !p.contains("Follow us") && !p.contains("Rights Reserved")));
}

#[test]
fn related_headlines_are_dated_items_when_kept() {
    let doc = article(
        DATED,
        &IngestOptions {
            keep_related: true,
            ..Default::default()
        },
    );
    assert_eq!(doc.body.len(), 6, "related headlines are never body");
    let items: Vec<(&str, String)> = doc
        .related
        .iter()
        .map(|r| {
            let when = r.dct.as_ref().and_then(|d| d.datetime).map(|d| d.to_rfc3339());
            (r.span.of(&doc.text), when.unwrap_or_default())
        })
        .collect();
    assert_eq!(
        items,
        [
            (
                "Antwerp Braces for Extra Container Traffic as Dutch Dispute Drags On",
                "2025-03-11T18:05:12+00:00".to_string()
            ),
            (
                "Hamburg Port Reports Record Month After Diversions From Rotterdam",
                "2025-03-11T10:41:07+00:00".to_string()
            ),
        ]
    );
    assert!(doc
        .related
        .iter()
        .all(|r| r.dct.as_ref().is_some_and(|d| d.source == DctSource::Text)));
}

#[test]
fn undated_articles_read_repeated_paragraphs_once() {
    for (name, note) in [
        ("001_rotterdam_undated.txt", "2 repeated paragraphs read once"),
        ("002_rotterdam_undated.txt", "1 repeated paragraph read once"),
    ] {
        let doc = article(name, &IngestOptions::default());
        assert!(doc.dct.is_none(), "{name} has no date line");
        let body = body(&doc);
        let mut distinct = body.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), body.len(), "{name}: {body:#?}");
        let title = doc.title.as_deref().expect("a headline on the second line");
        assert_eq!(
            body.iter().filter(|b| **b == title).count(),
            1,
            "{name}: the headline is read once"
        );
        assert!(doc.notes.iter().any(|n| n == note), "{name}: {:?}", doc.notes);
        let text: Vec<&str> = body.iter().copied().filter(|b| *b != title).collect();
        assert!(
            text[0].starts_with("Dockworkers and") || text[0].starts_with("The Port of Rotterdam Authority will"),
            "{name}: the lead paragraph before the title is body"
        );
    }
}

#[test]
fn sentences_keep_initials_inside() {
    let doc = article(DATED, &IngestOptions::default());
    let all: Vec<&str> = doc
        .body
        .iter()
        .flat_map(|&p| sentences(&doc.text, p))
        .map(|s: Span| s.of(&doc.text))
        .collect();
    assert!(all.contains(
        &"Shipping lines such as Maersk and MSC diverted vessels to Antwerp and Hamburg during the stoppage, said Jan P. Bakker of the Dutch shippers' council."
    ));
    assert!(all.contains(
        &"She warned that a second strike remained possible if no agreement is reached by the end of March."
    ));
    assert_eq!(all.len(), 10, "{all:#?}");
}

#[test]
fn a_malformed_json_line_is_reported_with_its_number_and_the_rest_come_through() {
    let got = read(&[ARTICLES.to_string()], &IngestOptions::default());
    assert_eq!(got.len(), 4);
    let first = got[0].as_ref().unwrap();
    assert_eq!(
        (first.id.as_str(), first.url.as_deref()),
        ("kyiv-1", Some("https://example.org/kyiv-1"))
    );
    assert_eq!(
        first.dct.as_ref().map(|d| (d.date.to_string(), d.source)),
        Some(("2025-07-15".into(), DctSource::Metadata))
    );
    assert_eq!(
        body(first),
        vec![
            "Talks Resume in London",
            "Delegations from Kyiv and Moscow met in London on Monday."
        ]
    );

    let broken = got[1].as_ref().unwrap_err();
    assert_eq!(broken.input, format!("{ARTICLES}:2"));
    assert!(broken.message.contains("not a valid document line"), "{broken}");

    let second = got[2].as_ref().unwrap();
    assert_eq!(second.id, "kyiv-2");
    assert_eq!(
        second.dct.as_ref().map(|d| (d.date.to_string(), d.source)),
        Some(("2025-07-16".into(), DctSource::Text))
    );

    let no_text = got[3].as_ref().unwrap_err();
    assert_eq!(no_text.input, format!("{ARTICLES}:4"));
    assert!(no_text.message.starts_with("no \"text\" field"), "{no_text}");
}

#[test]
fn empty_and_binary_files_are_errors_that_do_not_stop_the_iteration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a_empty.txt"), " \n\n").unwrap();
    std::fs::write(dir.path().join("b_image.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(
        dir.path().join("c_ok.txt"),
        "Kyiv Talks\nDelegations met in London on Monday.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("d_latin1.txt"),
        b"Caf\xE9 talks resumed in Kyiv on Monday.\n",
    )
    .unwrap();
    let got = read(&[dir.path().display().to_string()], &IngestOptions::default());
    assert_eq!(got.len(), 4);
    let empty = got[0].as_ref().unwrap_err();
    assert!(
        empty.input.ends_with("a_empty.txt") && empty.message.starts_with("empty"),
        "{empty}"
    );
    let binary = got[1].as_ref().unwrap_err();
    assert!(
        binary.input.ends_with("b_image.png") && binary.message.starts_with("looks binary"),
        "{binary}"
    );
    assert_eq!(got[2].as_ref().unwrap().title.as_deref(), Some("Kyiv Talks"));
    let lossy = got[3].as_ref().unwrap();
    assert!(
        lossy.notes[0].starts_with("warning: not valid UTF-8"),
        "the note does not repeat the source, the CLI prints it: {:?}",
        lossy.notes
    );
}

#[test]
fn a_large_document_reads_in_linear_time() {
    // 5 MB keeps the unoptimised test quick; at 50 MB this templated text (the worst
    // case for near-duplicate search) takes about 4 s of CPU in release.
    let paragraph = |i: usize| {
        format!(
            "Report {i} says delegation {} met officials in city {} on day {}, and talks went on.\n",
            i * 7,
            i % 97,
            i % 31
        )
    };
    let mut text = String::with_capacity(5 << 20);
    let mut i = 0;
    while text.len() < 5 << 20 {
        text.push_str(&paragraph(i));
        i += 1;
    }
    text.push_str(&paragraph(0));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    std::fs::write(&path, &text).unwrap();
    let start = std::time::Instant::now();
    let doc = read(&[path.display().to_string()], &IngestOptions::default())
        .remove(0)
        .unwrap();
    let sentences: usize = doc.body.iter().map(|&p| sentences(&doc.text, p).len()).sum();
    assert_eq!(doc.body.len(), i, "every paragraph but the repeated first one");
    assert_eq!(sentences, i);
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}

fn tmp_file(dir: &std::path::Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[test]
fn a_byte_order_mark_is_character_zero_and_everything_after_it_shifts_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let article = std::fs::read(format!("{FIXTURES}{DATED}")).unwrap();
    let plain = tmp_file(dir.path(), "plain.txt", &article);
    let marked = tmp_file(dir.path(), "bom.txt", &[b"\xEF\xBB\xBF".as_slice(), &article].concat());
    let docs = read(&[plain, marked.clone()], &IngestOptions::default());
    let (plain, marked_doc) = (docs[0].as_ref().unwrap(), docs[1].as_ref().unwrap());
    // What Python's open(path, encoding="utf-8").read() gives: the mark is a character.
    let python = std::fs::read_to_string(&marked).unwrap();
    assert_eq!(marked_doc.text, python);
    assert_eq!(
        (&marked_doc.title, marked_doc.notes.len()),
        (&plain.title, plain.notes.len())
    );
    let shifted = |s: &Span| Span::new(s.start + 3, s.end + 3);
    assert_eq!(marked_doc.body, plain.body.iter().map(shifted).collect::<Vec<_>>());
    let (a, b) = (plain.dct.as_ref().unwrap(), marked_doc.dct.as_ref().unwrap());
    assert_eq!((a.date, b.span), (b.date, a.span.as_ref().map(shifted)));
}

#[test]
fn a_json_lines_byte_order_mark_is_no_part_of_the_first_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = tmp_file(
        dir.path(),
        "bom.jsonl",
        b"\xEF\xBB\xBF{\"id\": \"a\", \"text\": \"Kyiv, Monday.\"}\n",
    );
    let doc = read(&[path], &IngestOptions::default()).remove(0).unwrap();
    assert_eq!(doc.text, "Kyiv, Monday.");
}

#[test]
fn repeated_ids_are_numbered_in_input_order_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let lines = tmp_file(
        dir.path(),
        "docs.jsonl",
        b"{\"id\": \"a\", \"text\": \"One.\"}\n{\"id\": \"a\", \"text\": \"Two.\"}\n{\"id\": \"a#2\", \"text\": \"Three.\"}\n",
    );
    let text = tmp_file(dir.path(), "t.txt", b"Four.");
    let docs = read(&[lines.clone(), text.clone(), text.clone()], &IngestOptions::default());
    let ids: Vec<String> = docs.iter().map(|d| d.as_ref().unwrap().id.clone()).collect();
    assert_eq!(ids, ["a", "a#2", "a#2#2", &text, &format!("{text}#2")]);
    let second = docs[1].as_ref().unwrap();
    assert_eq!(second.source, format!("{lines}:2"));
    assert!(second
        .notes
        .contains(&"warning: id \"a\" is already an earlier document's; this one is \"a#2\"".to_string()));
    assert!(
        docs[4].as_ref().unwrap().notes[0].starts_with("warning: given more than once"),
        "{:?}",
        docs[4]
    );
}

#[test]
fn endless_special_and_oversized_inputs_are_reported_and_the_good_ones_read() {
    let dir = tempfile::tempdir().unwrap();
    let good = tmp_file(dir.path(), "good.txt", b"Kyiv, Monday.");
    let big = tmp_file(dir.path(), "big.txt", &b"word ".repeat(300));
    let long_line = format!(
        "{{\"id\": \"long\", \"text\": \"{}\"}}\n{{\"id\": \"short\", \"text\": \"Kyiv.\"}}\n",
        "w".repeat(2000)
    );
    let lines = tmp_file(dir.path(), "docs.jsonl", long_line.as_bytes());
    let opts = IngestOptions {
        max_bytes: 1000,
        ..Default::default()
    };
    let got = read(
        &["/dev/zero".to_string(), big.clone(), lines.clone(), good.clone()],
        &opts,
    );
    let summary: Vec<String> = got
        .iter()
        .map(|r| match r {
            Ok(d) => format!("ok {}", d.id),
            Err(e) => format!(
                "{}: {}",
                e.input,
                e.message.split(' ').take(3).collect::<Vec<_>>().join(" ")
            ),
        })
        .collect();
    let want = [
        "/dev/zero: not a regular".to_string(),
        format!("{big}: too large for"),
        format!("{lines}:1: too large for"),
        "ok short".to_string(),
        format!("ok {good}"),
    ];
    assert_eq!(summary, want);
}
