//! SemEval-2015 Task 4 (TimeLine: cross-document event ordering), track A: raw
//! documents in CAT XML and a list of target entities in, one timeline per target out,
//! scored by the task's metric (the Python port in `shared/tools/timeline`).
//!
//! The documents go through the same stages as any news, with the CAT tokens as words
//! and the CAT sentences as sentences: [`crate::time`] (in `CatDoc::prepared`),
//! [`crate::pipeline::annotate_all`] (the model: entities, parse, event triggers),
//! [`crate::resolve`] and [`crate::events::extract`]. Reports are not merged across sentences
//! ([`crate::events::merge`]): a merged event carries one time for all its reports,
//! while the task scores every mention against its own date. Only the reading of CAT
//! XML and the writing of the task's format live here. Choices the task leaves open:
//! - An event with no date of its own is anchored on its document's creation time
//!   (what the gold does for news reported without a date), planned and possible ones
//!   included (the task has no open anchor); one whose time has no
//!   calendar year (`PAST_REF`, `XXXX-WXX-1`) goes on order 0, which is not scored.
//! - Only the creation-time TIMEX3 of the CAT markables is read: track A gives no
//!   other annotation, and any other markables are ignored.
//! - An event's id is `DOCID-SENTENCE-TOKEN` per its trigger (see [`event_id`]); the
//!   reports of one merged event share a line.

use super::files_with_extension;
use crate::annotated::Annotated;
use crate::doc::{ById, EntityId, Span};
use crate::events::Event;
use crate::ingest::Document;
use crate::pipeline::Prepared;
use crate::resolve::Entity;
use crate::time::{Dct, DctSource};
use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// One CAT token: its text and where the reader put it in [`CatDoc::text`].
#[derive(Debug, Clone, PartialEq)]
pub struct CatToken {
    /// The CAT `sentence` attribute (0 is the title).
    pub sentence: usize,
    pub text: String,
    pub span: Span,
}

/// A CAT document read back into plain text.
#[derive(Debug, Clone)]
pub struct CatDoc {
    /// The `doc_id` attribute of `<Document>`, the first part of every event id.
    pub id: String,
    pub url: Option<String>,
    /// The tokens detokenised: a space between tokens except around punctuation that
    /// hugs its neighbour, a newline between sentences, so that the time tagger and the
    /// name rules read ordinary prose.
    pub text: String,
    /// In document order.
    pub tokens: Vec<CatToken>,
    /// Per CAT sentence, in order: its number and span.
    pub sentences: Vec<(usize, Span)>,
    /// The value of the creation-time TIMEX3, if the markables have one.
    pub creation_time: Option<String>,
}

static DOCUMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<Document\b([^>]*)>").expect("document regex"));
static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<token\b([^>]*)>([^<]*)</token>").expect("token regex"));
static TIMEX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<TIMEX3\b([^>]*)>").expect("timex regex"));
static ATTR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"([\w:-]+)\s*=\s*"([^"]*)""#).expect("attribute regex"));

fn attr(attrs: &str, name: &str) -> Option<String> {
    ATTR.captures_iter(attrs)
        .find(|c| &c[1] == name)
        .map(|c| unescape(&c[2]))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Whether no space goes before this token ("Apple 's", "2010 ,").
fn hugs_left(tok: &str) -> bool {
    matches!(
        tok,
        "," | "." | ";" | ":" | "!" | "?" | ")" | "]" | "%" | "'s" | "'" | "n't" | "'re" | "'ve" | "'ll" | "'d" | "'m"
    )
}

/// Whether no space goes after this token ("( WWDC", "$ 99").
fn hugs_right(tok: &str) -> bool {
    matches!(tok, "(" | "[" | "$")
}

/// Reads a CAT XML document (`<Document doc_id=…>` with `<token t_id sentence
/// number>` elements). Tokens are taken in file order, which is the text order.
pub fn read_cat(xml: &str) -> Result<CatDoc> {
    let doc_attrs = DOCUMENT.captures(xml).context("no <Document> element")?;
    let id = attr(&doc_attrs[1], "doc_id").context("<Document> has no doc_id")?;
    let url = attr(&doc_attrs[1], "src_url");
    let mut text = String::new();
    let mut tokens: Vec<CatToken> = Vec::new();
    let mut sentences: Vec<(usize, Span)> = Vec::new();
    for c in TOKEN.captures_iter(xml) {
        let sentence: usize = attr(&c[1], "sentence")
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("token {:?} has no numeric sentence attribute", &c[0]))?;
        let word = unescape(c[2].trim());
        if word.is_empty() {
            continue;
        }
        match (sentences.last_mut(), tokens.last()) {
            (Some((n, _)), Some(prev)) if *n == sentence => {
                if !hugs_left(&word) && !hugs_right(&prev.text) {
                    text.push(' ');
                }
            }
            (last, _) => {
                if last.is_some() {
                    text.push('\n');
                }
                sentences.push((sentence, Span::new(text.len(), text.len())));
            }
        }
        let span = Span::new(text.len(), text.len() + word.len());
        text.push_str(&word);
        if let Some((_, s)) = sentences.last_mut() {
            s.end = span.end;
        }
        tokens.push(CatToken {
            sentence,
            text: word,
            span,
        });
    }
    if tokens.is_empty() {
        bail!("document {id} has no tokens");
    }
    let creation_time = TIMEX
        .captures_iter(xml)
        .find(|c| attr(&c[1], "functionInDocument").as_deref() == Some("CREATION_TIME"))
        .and_then(|c| attr(&c[1], "value"));
    Ok(CatDoc {
        id,
        url,
        text,
        tokens,
        sentences,
        creation_time,
    })
}

impl CatDoc {
    /// The token spans of each CAT sentence, in order: the units NER tags.
    pub fn sentence_words(&self) -> Vec<Vec<Span>> {
        let mut units: Vec<Vec<Span>> = Vec::new();
        let mut current = None;
        for t in &self.tokens {
            if current != Some(t.sentence) {
                units.push(Vec::new());
                current = Some(t.sentence);
            }
            units.last_mut().expect("pushed above").push(t.span);
        }
        units
    }

    /// The publication date: the creation-time TIMEX3, else the date line under the
    /// title (CAT sentence 1 of WikiNews articles).
    pub fn dct(&self) -> Option<Dct> {
        let from_markables = self
            .creation_time
            .as_deref()
            .and_then(|v| crate::time::dct::parse_dct(v.get(..10).unwrap_or(v), DctSource::Metadata).ok());
        from_markables.or_else(|| crate::time::dct::find_in_text(&self.text))
    }

    /// The document as the pipeline takes it, segmented by the corpus: the title
    /// (sentence 0) left out of the body, the rest one paragraph (CAT has no
    /// paragraphs), so that a sentence opening with "He" or "It" carries on from the one
    /// before.
    fn prepared(&self, source: &Path) -> Prepared {
        let dct = self.dct();
        let title = self.sentences.first().filter(|(n, _)| *n == 0).map(|(_, s)| *s);
        let body_start = self.sentences.iter().find(|(n, _)| *n != 0).map(|(_, s)| s.start);
        let body = body_start
            .map(|start| vec![Span::new(start, self.text.len())])
            .unwrap_or_default();
        let timexes = crate::time::tag(&self.text, dct.as_ref());
        let doc = Document {
            id: self.id.clone(),
            source: source.display().to_string(),
            title: title.map(|t| t.of(&self.text).to_string()),
            url: self.url.clone(),
            text: self.text.clone(),
            dct,
            body,
            related: Vec::new(),
            notes: Vec::new(),
        };
        Prepared {
            doc,
            sentences: self.sentences.iter().map(|(_, s)| *s).collect(),
            words: self.sentence_words(),
            timexes,
        }
    }

    /// The task's id of the event mention at `span`: `DOCID-SENTENCE-TOKEN`, the tokens
    /// it overlaps joined by `_` (`16844-2-unveiled`, `3307-3-take_away`). None when it
    /// overlaps no token.
    pub fn event_id(&self, span: Span) -> Option<String> {
        let toks: Vec<&CatToken> = self.tokens.iter().filter(|t| t.span.overlaps(span)).collect();
        let first = toks.first()?;
        let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        Some(format!("{}-{}-{}", self.id, first.sentence, words.join("_")))
    }
}

/// How the DATE column writes a month or a year: the trial gold's `2006-03` and `1968`,
/// or the test gold's `2006-03-XX` and `1968-XX-XX`. Days are `2006-03-28` in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DateStyle {
    Short,
    Padded,
}

/// A timeline anchor: a day, a month or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Anchor {
    Day(NaiveDate),
    Month(i32, u32),
    Year(i32),
}

impl Anchor {
    /// The anchor of a TIMEX3 value with its day interval: the day or month it names,
    /// else the month or year its interval falls in (`2010-W23`, `2010-Q3`). None
    /// without a calendar year.
    fn of(value: &str, interval: Option<(NaiveDate, NaiveDate)>) -> Option<Anchor> {
        let date = value.split('T').next().unwrap_or(value);
        if let Ok(d) = NaiveDate::parse_from_str(date, "%Y-%m-%d") {
            return Some(Anchor::Day(d));
        }
        let year: i32 = date
            .get(..4)
            .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))?
            .parse()
            .ok()?;
        if let Some(month) = date
            .get(4..)
            .and_then(|r| r.strip_prefix('-'))
            .and_then(|m| m.parse::<u32>().ok())
        {
            return (1..=12).contains(&month).then_some(Anchor::Month(year, month));
        }
        match interval {
            Some((a, b)) if a == b => Some(Anchor::Day(a)),
            Some((a, b)) if (a.year(), a.month()) == (b.year(), b.month()) => Some(Anchor::Month(a.year(), a.month())),
            _ => Some(Anchor::Year(year)),
        }
    }

    /// Sort key: by first day, a wider anchor before the narrower ones it contains
    /// (`2006-03` before `2006-03-28`), as in the gold.
    fn key(self) -> (i32, u32, u32, u8) {
        match self {
            Anchor::Year(y) => (y, 0, 0, 0),
            Anchor::Month(y, m) => (y, m, 0, 1),
            Anchor::Day(d) => (d.year(), d.month(), d.day(), 2),
        }
    }

    fn format(self, style: DateStyle) -> String {
        match (self, style) {
            (Anchor::Day(d), _) => d.format("%Y-%m-%d").to_string(),
            (Anchor::Month(y, m), DateStyle::Short) => format!("{y:04}-{m:02}"),
            (Anchor::Month(y, m), DateStyle::Padded) => format!("{y:04}-{m:02}-XX"),
            (Anchor::Year(y), DateStyle::Short) => format!("{y:04}"),
            (Anchor::Year(y), DateStyle::Padded) => format!("{y:04}-XX-XX"),
        }
    }
}

/// One line of a timeline: the anchor (None: order 0) and the event's mention ids.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    anchor: Option<Anchor>,
    ids: Vec<String>,
}

/// The timeline file: header, then lines ordered by anchor; equal anchors share an
/// ORDER, unanchored lines get 0 and `XXXX-XX-XX`.
fn write_timeline(target: &str, lines: &[Line], style: DateStyle) -> String {
    let anchors: BTreeSet<(i32, u32, u32, u8)> = lines.iter().filter_map(|l| l.anchor.map(Anchor::key)).collect();
    let order: BTreeMap<_, usize> = anchors.into_iter().enumerate().map(|(i, k)| (k, i + 1)).collect();
    let mut rows: Vec<(usize, String, &[String])> = lines
        .iter()
        .filter(|l| !l.ids.is_empty())
        .map(|l| match l.anchor {
            Some(a) => (order[&a.key()], a.format(style), l.ids.as_slice()),
            None => (0, "XXXX-XX-XX".to_string(), l.ids.as_slice()),
        })
        .collect();
    rows.sort_by_key(|(o, _, _)| *o);
    let mut out = format!("{target}\n");
    for (o, date, ids) in rows {
        out.push_str(&format!("{o}\t{date}\t{}\n", ids.join("\t")));
    }
    out
}

/// The file a target's timeline goes to, named as the gold names it: lower case,
/// spaces as `_`, `&` as `_and_` (`S&P 500` → `s_and_p_500.txt`).
pub fn file_name(target: &str) -> String {
    format!(
        "{}.txt",
        target
            .trim()
            .to_lowercase()
            .replace('&', "_and_")
            .replace(char::is_whitespace, "_")
    )
}

/// Target entity names: one per line of a text file (blank lines and `#` comments
/// skipped; with tabs, the first field), or, given a folder of timelines such as the
/// gold, the header line of each `*.txt` in it.
pub fn read_targets(path: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    if path.is_dir() {
        for file in files_with_extension(path, "txt")? {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let header = text.lines().next().map(str::trim).unwrap_or("");
            if header.is_empty() {
                bail!("{} has no entity name on its first line", file.display());
            }
            out.push(header.to_string());
        }
    } else {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading targets file {}", path.display()))?;
        for line in text.lines() {
            let name = line.split('\t').next().unwrap_or("").trim();
            if !name.is_empty() && !name.starts_with('#') {
                out.push(name.to_string());
            }
        }
    }
    if out.is_empty() {
        bail!("no target entities in {}", path.display());
    }
    Ok(out)
}

/// The lowercased words of a name, possessives and punctuation dropped.
fn name_words(name: &str) -> Vec<String> {
    crate::resolve::names::word_spans(name)
        .iter()
        .map(|w| w.of(name).trim_end_matches("'s").trim_end_matches("’s").to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The entities a target names: those with the target as name or alias (case
/// ignored); failing that, those whose name or alias is made only of target words,
/// the most words winning ("Apple Corps" for "Beatles Apple Corps", not "Apple").
fn target_entities(target: &str, entities: &[Entity]) -> Vec<EntityId> {
    let want = name_words(target);
    let names = |e: &Entity| -> Vec<Vec<String>> {
        std::iter::once(&e.name)
            .chain(&e.aliases)
            .map(|n| name_words(n))
            .filter(|w| !w.is_empty())
            .collect()
    };
    let exact: Vec<EntityId> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| names(e).contains(&want))
        .map(|(i, _)| EntityId(i))
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let covered: Vec<(EntityId, usize)> = entities
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let best = names(e)
                .iter()
                .filter(|n| n.iter().all(|w| want.contains(w)))
                .map(Vec::len)
                .max()?;
            Some((EntityId(i), best))
        })
        .collect();
    let most = covered.iter().map(|(_, n)| *n).max().unwrap_or(0);
    covered
        .into_iter()
        .filter(|(_, n)| *n == most)
        .map(|(i, _)| i)
        .collect()
}

/// The timeline line of `event`: its report ids and its anchor (own time, else the DCT
/// of its first report).
fn line_of(event: &Event, docs: &[CatDoc], annotated: &[Annotated]) -> Line {
    let mut ids: Vec<String> = Vec::new();
    for s in &event.sources {
        if let Some(id) = docs.by_id(s.doc).and_then(|d| d.event_id(s.trigger)) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let anchor = match &event.time {
        Some(t) => Anchor::of(&t.value, t.interval),
        None => event
            .sources
            .first()
            .and_then(|s| annotated.by_id(s.doc))
            .and_then(|a| a.doc.dct.as_ref())
            .map(|d| Anchor::Day(d.date)),
    };
    Line { anchor, ids }
}

/// Where the scores come from: the gold timelines and the task's scorer.
#[derive(Debug, Clone)]
pub struct Scoring {
    pub gold_dir: PathBuf,
    /// `score_timelines.py`, run with `python3`.
    pub scorer: PathBuf,
}

/// Micro-averaged temporal awareness over all timelines, as the scorer prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Per timeline file: P, R, F1.
    pub files: Vec<(String, f64, f64, f64)>,
}

#[derive(Debug, Clone)]
pub struct SemevalReport {
    pub documents: usize,
    /// Per target: name, entities matched, lines written, lines anchored.
    pub targets: Vec<(String, usize, usize, usize)>,
    pub output_dir: PathBuf,
    pub score: Option<Score>,
}

impl fmt::Display for SemevalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "SemEval-2015 Task 4, track A: {} documents, timelines in {}",
            self.documents,
            self.output_dir.display()
        )?;
        writeln!(f, "{:<28} {:>8} {:>6} {:>8}", "target", "entities", "lines", "anchored")?;
        for (name, entities, lines, anchored) in &self.targets {
            writeln!(f, "{name:<28} {entities:>8} {lines:>6} {anchored:>8}")?;
        }
        if let Some(s) = &self.score {
            writeln!(f, "\n{:<28} {:>6} {:>6} {:>6}", "timeline", "P", "R", "F1")?;
            for (file, p, r, f1) in &s.files {
                writeln!(f, "{file:<28} {p:>6.2} {r:>6.2} {f1:>6.2}")?;
            }
            writeln!(
                f,
                "{:<28} {:>6.2} {:>6.2} {:>6.2}",
                "MICRO", s.precision, s.recall, s.f1
            )?;
        }
        Ok(())
    }
}

/// Reads every `*.xml` CAT document of `corpus_dir`, extracts their events, writes one `<target>.txt` per target into `out_dir` and, with `scoring`, scores the
/// folder against the gold. Events take their dates by `dating`.
#[allow(clippy::too_many_arguments)] // one per option of the command
pub fn run(
    corpus_dir: &Path,
    targets: &[String],
    out_dir: &Path,
    style: DateStyle,
    scoring: Option<&Scoring>,
    model: &crate::model::Model,
    opts: crate::model::Options,
    dating: crate::events::Dating,
) -> Result<SemevalReport> {
    if let Some(s) = scoring {
        check_scorer(s)?;
    }
    let paths = files_with_extension(corpus_dir, "xml")?;
    if paths.is_empty() {
        bail!("no *.xml CAT documents in {}", corpus_dir.display());
    }
    let mut docs = Vec::with_capacity(paths.len());
    for p in &paths {
        let xml = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        docs.push(read_cat(&xml).with_context(|| format!("reading CAT XML {}", p.display()))?);
    }
    let prepared = docs.iter().zip(&paths).map(|(d, p)| d.prepared(p)).collect();
    let annotated = crate::pipeline::annotate_all(model, opts, prepared)?;
    let resolution = crate::resolve::resolve(&annotated, None);
    let events = crate::events::extract(&annotated, &resolution, dating);

    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let mut rows = Vec::new();
    for target in targets {
        let entities = target_entities(target, &resolution.entities);
        let lines: Vec<Line> = events
            .iter()
            .filter(|e| e.entities().any(|x| entities.contains(&x)))
            .map(|e| line_of(e, &docs, &annotated))
            .filter(|l| !l.ids.is_empty())
            .collect();
        let path = out_dir.join(file_name(target));
        std::fs::write(&path, write_timeline(target, &lines, style))
            .with_context(|| format!("writing {}", path.display()))?;
        let anchored = lines.iter().filter(|l| l.anchor.is_some()).count();
        rows.push((target.clone(), entities.len(), lines.len(), anchored));
    }
    let score = scoring.map(|s| score(s, out_dir)).transpose()?;
    Ok(SemevalReport {
        documents: docs.len(),
        targets: rows,
        output_dir: out_dir.to_path_buf(),
        score,
    })
}

fn check_scorer(s: &Scoring) -> Result<()> {
    if !s.scorer.is_file() {
        bail!("scorer {} not found; pass its path with --scorer", s.scorer.display());
    }
    if !s.gold_dir.is_dir() {
        bail!("gold folder {} not found", s.gold_dir.display());
    }
    Ok(())
}

/// Runs `python3 score_timelines.py --format json GOLD SYSTEM` and reads its micro
/// average and per-file rows.
fn score(s: &Scoring, system: &Path) -> Result<Score> {
    let out = std::process::Command::new("python3")
        .arg(&s.scorer)
        .args(["--format", "json"])
        .arg(&s.gold_dir)
        .arg(system)
        .output()
        .with_context(|| format!("running python3 {} (is python3 installed?)", s.scorer.display()))?;
    if !out.status.success() {
        bail!(
            "{} failed ({}): {}",
            s.scorer.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    parse_score(&String::from_utf8_lossy(&out.stdout))
        .with_context(|| format!("reading the output of {}", s.scorer.display()))
}

fn parse_score(json: &str) -> Result<Score> {
    let v: serde_json::Value = serde_json::from_str(json)?;
    let num = |x: &serde_json::Value, k: &str| {
        x.get(k)
            .and_then(serde_json::Value::as_f64)
            .with_context(|| format!("no number {k:?}"))
    };
    let micro = v.get("micro").context("no \"micro\" scores")?;
    let mut files = Vec::new();
    for row in v.get("rows").and_then(|r| r.as_array()).into_iter().flatten() {
        if row.get("skipped").and_then(serde_json::Value::as_bool) == Some(true) {
            continue;
        }
        let name = row.get("file").and_then(|f| f.as_str()).unwrap_or("?").to_string();
        files.push((name, num(row, "P")?, num(row, "R")?, num(row, "F")?));
    }
    Ok(Score {
        precision: num(micro, "P")?,
        recall: num(micro, "R")?,
        f1: num(micro, "F")?,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAT: &str = r#"<?xml version="1.0" ?><Document doc_id="16844" doc_name="16844-Apple" src_url="http://x">
<token number="0" sentence="0" t_id="1">Apple</token>
<token number="1" sentence="0" t_id="2">unveils</token>
<token number="2" sentence="1" t_id="3">June</token>
<token number="3" sentence="1" t_id="4">8</token>
<token number="4" sentence="1" t_id="5">,</token>
<token number="5" sentence="1" t_id="6">2010</token>
<token number="6" sentence="2" t_id="7">Steve</token>
<token number="7" sentence="2" t_id="8">Jobs</token>
<token number="8" sentence="2" t_id="9">'s</token>
<token number="9" sentence="2" t_id="10">(</token>
<token number="10" sentence="2" t_id="11">AT&amp;T</token>
<token number="11" sentence="2" t_id="12">)</token>
<token number="12" sentence="2" t_id="13">showed</token>
<token number="13" sentence="2" t_id="14">off</token>
<token number="14" sentence="2" t_id="15">.</token>
<Markables>
<TIMEX3 functionInDocument="CREATION_TIME" m_id="53" type="DATE" value="2010-06-08">
</TIMEX3>
</Markables>
</Document>"#;

    #[test]
    fn cat_reader_detokenises_and_keeps_token_spans() {
        let d = read_cat(CAT).unwrap();
        assert_eq!(d.id, "16844");
        assert_eq!(d.text, "Apple unveils\nJune 8, 2010\nSteve Jobs's (AT&T) showed off.");
        assert!(d.tokens.iter().all(|t| t.span.of(&d.text) == t.text));
        let sentences: Vec<(usize, &str)> = d.sentences.iter().map(|(n, s)| (*n, s.of(&d.text))).collect();
        assert_eq!(
            sentences,
            [
                (0, "Apple unveils"),
                (1, "June 8, 2010"),
                (2, "Steve Jobs's (AT&T) showed off.")
            ]
        );
        assert_eq!(d.creation_time.as_deref(), Some("2010-06-08"));
        assert_eq!(d.dct().map(|d| d.date), NaiveDate::from_ymd_opt(2010, 6, 8));
    }

    #[test]
    fn dct_falls_back_on_the_date_line() {
        let d = read_cat(&CAT.replace("CREATION_TIME", "NONE")).unwrap();
        assert_eq!(d.dct().map(|d| d.date), NaiveDate::from_ymd_opt(2010, 6, 8));
    }

    #[test]
    fn bad_cat_is_an_error_not_a_panic() {
        assert!(read_cat("<html/>").is_err());
        assert!(read_cat(r#"<Document doc_id="1"></Document>"#).is_err());
        assert!(read_cat(r#"<Document doc_id="1"><token sentence="x">a</token></Document>"#).is_err());
    }

    #[test]
    fn event_ids_join_the_tokens_of_a_mention() {
        let d = read_cat(CAT).unwrap();
        let at = |w: &str| d.text.find(w).unwrap();
        assert_eq!(
            d.event_id(Span::new(at("showed"), at("showed") + 6)).as_deref(),
            Some("16844-2-showed")
        );
        assert_eq!(
            d.event_id(Span::new(at("showed"), at("off") + 3)).as_deref(),
            Some("16844-2-showed_off")
        );
        assert_eq!(
            d.event_id(Span::new(at("Jobs"), at("Jobs") + 6)).as_deref(),
            Some("16844-2-Jobs_'s")
        );
        assert_eq!(d.event_id(Span::new(d.text.len(), d.text.len())), None);
    }

    #[test]
    fn anchors_keep_day_month_or_year() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(Anchor::of("2010-06-07", None), Some(Anchor::Day(d("2010-06-07"))));
        assert_eq!(Anchor::of("2010-06-07T14:00", None), Some(Anchor::Day(d("2010-06-07"))));
        assert_eq!(Anchor::of("2006-03", None), Some(Anchor::Month(2006, 3)));
        assert_eq!(Anchor::of("1968", None), Some(Anchor::Year(1968)));
        let week = Some((d("2010-06-07"), d("2010-06-13")));
        assert_eq!(Anchor::of("2010-W23", week), Some(Anchor::Month(2010, 6)));
        assert_eq!(Anchor::of("2010-Q3", None), Some(Anchor::Year(2010)));
        assert_eq!(Anchor::of("XXXX-WXX-1", None), None);
        assert_eq!(Anchor::of("PAST_REF", None), None);
        assert_eq!(Anchor::Month(2006, 3).format(DateStyle::Short), "2006-03");
        assert_eq!(Anchor::Month(2006, 3).format(DateStyle::Padded), "2006-03-XX");
        assert_eq!(Anchor::Year(1968).format(DateStyle::Padded), "1968-XX-XX");
    }

    #[test]
    fn timeline_orders_anchors_and_shares_equal_ones() {
        let day = |s: &str| Some(Anchor::Day(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()));
        let line = |anchor, ids: &[&str]| Line {
            anchor,
            ids: ids.iter().map(|s| s.to_string()).collect(),
        };
        let lines = [
            line(day("2006-03-28"), &["4596-3-claims"]),
            line(None, &["4596-6-sued"]),
            line(Some(Anchor::Month(2006, 3)), &["4596-2-filed"]),
            line(day("2006-03-28"), &["4596-4-said", "4954-2-said"]),
            line(Some(Anchor::Year(1968)), &["4596-16-founded"]),
        ];
        let want =
            "Beatles Apple Corps\n0\tXXXX-XX-XX\t4596-6-sued\n1\t1968\t4596-16-founded\n2\t2006-03\t4596-2-filed\n\
                    3\t2006-03-28\t4596-3-claims\n3\t2006-03-28\t4596-4-said\t4954-2-said\n";
        assert_eq!(write_timeline("Beatles Apple Corps", &lines, DateStyle::Short), want);
    }

    #[test]
    fn targets_match_names_then_the_fullest_contained_name() {
        let entity = |name: &str, aliases: &[&str]| Entity {
            name: name.to_string(),
            kind: crate::ner::EntityType::ORG,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            roles: Vec::new(),
            external_id: None,
            mentions: Vec::new(),
        };
        let ents = [
            entity("Apple", &[]),
            entity("Apple Corps", &[]),
            entity("Beatles", &[]),
            entity("Steven Jobs", &["Steve Jobs"]),
        ];
        assert_eq!(target_entities("Beatles Apple Corps", &ents), [EntityId(1)]);
        assert_eq!(target_entities("steve jobs", &ents), [EntityId(3)]);
        assert!(target_entities("iPod", &ents).is_empty());
    }

    #[test]
    fn file_names_follow_the_gold() {
        assert_eq!(file_name("Beatles Apple Corps"), "beatles_apple_corps.txt");
        assert_eq!(file_name("iPhone 3G"), "iphone_3g.txt");
        assert_eq!(file_name("S&P 500"), "s_and_p_500.txt");
    }

    #[test]
    fn scorer_json_is_read() {
        let json = r#"{"rows": [{"file": "a.txt", "P": 50.0, "R": 25.0, "F": 33.33, "skipped": false},
            {"file": "b.txt", "skipped": true}], "micro": {"P": 50.0, "R": 25.0, "F": 33.33}}"#;
        let s = parse_score(json).unwrap();
        assert_eq!((s.precision, s.recall, s.f1), (50.0, 25.0, 33.33));
        assert_eq!(s.files, [("a.txt".to_string(), 50.0, 25.0, 33.33)]);
        assert!(parse_score("{}").is_err());
    }
}
