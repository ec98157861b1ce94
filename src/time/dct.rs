//! The publication date (document creation time, DCT) that anchors relative
//! expressions: read from a document's own header, or parsed from metadata and the
//! `--dct` flag.
//!
//! Only the header counts. Scraped news pages repeat many other dates further down
//! ("MORE ON THEME" link lists, comments), and taking one of those would silently shift
//! every "on Monday" in the article, so the search stops where the body begins, and a
//! date only counts when it fills a whole header line (or a `|`-separated part of one).
//! An undated document has no DCT: today's date is never substituted.

use super::{Dct, DctSource};
use crate::doc::Span;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// Non-empty lines examined from the top of a document.
const HEADER_LINES: usize = 15;
/// Body paragraphs after which the header is over (a lead paragraph may precede the
/// date line, as in many scraped pages).
const BODY_PARAGRAPHS: usize = 2;
/// A line with at least this many words and final punctuation is body prose.
const PROSE_WORDS: usize = 12;

const ACCEPTED: &str = "YYYY-MM-DD, RFC 3339 (2025-07-15T10:00:00+02:00), \
RFC 2822 (Mon, 14 Jul 2025 20:39:39 GMT) or a month-name date (July 15, 2025; 15 July 2025)";

/// Finds the document's own publication date in its header.
///
/// Recognises a line that is a date and nothing else, optionally labelled
/// (`Published:`, `Updated:`, `Date:`...): JavaScript's `Date.toString()`
/// (`Tue Jul 15 2025 00:00:47 GMT+0300 (Eastern European Summer Time)`), RFC 2822,
/// ISO 8601 / RFC 3339 and month-name dates (`Wednesday, March 01, 2008`). When the
/// header has several, a `Published` date beats an unlabelled one, which beats an
/// `Updated` one; among equals the first wins.
pub fn find_in_text(text: &str) -> Option<Dct> {
    let mut best: Option<(Rank, Dct)> = None;
    let mut prose = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(HEADER_LINES) {
        if starts_related_block(line) {
            break;
        }
        // Bylines put the date beside other things: `By Jane Doe | July 15, 2025`.
        for part in line.split(['|', '•', '·']) {
            if let Some((rank, dct)) = header_date(part, offset_in(text, part)) {
                if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                    best = Some((rank, dct));
                }
            }
        }
        if is_prose(line) {
            prose += 1;
            if prose >= BODY_PARAGRAPHS {
                break;
            }
        }
    }
    best.map(|(_, dct)| dct)
}

/// Parses a publication date given as metadata or on the command line.
///
/// Accepts the forms [`find_in_text`] reads from headers, without a label. The date is
/// the calendar date as written, in its own time zone: `2025-07-15T00:30:00+03:00` is
/// 15 July, not 14 July in UTC.
pub fn parse_dct(s: &str, source: DctSource) -> Result<Dct, String> {
    let (date, datetime) =
        parse_date(s.trim()).ok_or_else(|| format!("cannot read {s:?} as a publication date; use {ACCEPTED}"))?;
    Ok(Dct {
        date,
        datetime,
        source,
        span: None,
    })
}

/// Preference among header dates: lower wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Published,
    Unlabelled,
    Updated,
}

/// The date that `part` (of a header line, at `part_start` in the document) consists
/// of, with its rank and span.
fn header_date(part: &str, part_start: usize) -> Option<(Rank, Dct)> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^\s*(?:(?P<upd>(?:last\s+)?(?:updated|modified|edited))|(?:first\s+)?(?:published|posted|created|dated|date))\b(?:\s+(?:on|at))?\s*:?\s*",
        )
        .expect("valid regex")
    });
    let (rank, rest_at) = match LABEL.captures(part) {
        Some(c) if c.name("upd").is_some() => (Rank::Updated, c[0].len()),
        Some(c) => (Rank::Published, c[0].len()),
        None => (Rank::Unlabelled, 0),
    };
    let rest = &part[rest_at..];
    let trimmed = rest.trim();
    let (date, datetime) = parse_date(trimmed)?;
    let start = part_start + rest_at + (rest.len() - rest.trim_start().len());
    let span = Span::new(start, start + trimmed.len());
    Some((
        rank,
        Dct {
            date,
            datetime,
            source: DctSource::Text,
            span: Some(span),
        },
    ))
}

/// The byte offset of `part`, a subslice of `text`, in `text`.
fn offset_in(text: &str, part: &str) -> usize {
    part.as_ptr() as usize - text.as_ptr() as usize
}

/// Whether `line` opens a list of links to other articles, whose dates are theirs.
fn starts_related_block(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    [
        "more on",
        "related",
        "read more",
        "see also",
        "recommended",
        "most read",
        "you may also like",
    ]
    .iter()
    .any(|m| l.starts_with(m))
}

/// Whether `line` reads like a body paragraph rather than a title or a date line.
fn is_prose(line: &str) -> bool {
    let l = line.trim_end();
    l.split_whitespace().count() >= PROSE_WORDS && l.ends_with(['.', '!', '?', '"', '”', ')'])
}

const MONTH: &str = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

/// Parses a string that is entirely one date, possibly with a time and a zone.
/// The datetime is kept only when both a time and a known zone are given.
fn parse_date(s: &str) -> Option<(NaiveDate, Option<DateTime<FixedOffset>>)> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        let date = format!(
            r"(?:(?P<y1>\d{{4}})-(?P<m1>\d{{2}})-(?P<d1>\d{{2}})|(?P<mon2>{MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})|(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon3>{MONTH})\.?,?\s+(?P<y3>\d{{4}}))"
        );
        let time = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?(?:\s*(?P<ampm>[ap])\.?m\.?)?";
        let zone = r"(?:(?P<utc>z|utc|gmt|ut)?\s*(?P<off>[+-]\d{1,2}(?::?\d{2})?)?|(?P<abbr>(?-i:[A-Z]{2,5})))";
        Regex::new(&format!(
            r"(?i)^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?{date}(?:(?:t|,?\s+(?:at\s+)?|\s*[-–]\s*){time})?\s*{zone}\s*(?:\([^)]*\))?\s*$"
        ))
        .expect("valid regex")
    });
    let c = DATE.captures(s)?;
    let date = date_of(&c)?;
    let Some(h) = c.name("h") else {
        return Some((date, None));
    };
    let mut hour: u32 = h.as_str().parse().ok()?;
    if let Some(ampm) = c.name("ampm") {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = hour % 12 + if ampm.as_str().eq_ignore_ascii_case("p") { 12 } else { 0 };
    }
    let minute = c["mi"].parse().ok()?;
    let second = c.name("s").map_or(Some(0), |s| s.as_str().parse().ok())?;
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    let datetime = match zone_of(&c)? {
        Some(zone) => zone.from_local_datetime(&NaiveDateTime::new(date, time)).single(),
        None => None,
    };
    Some((date, datetime))
}

fn date_of(c: &Captures) -> Option<NaiveDate> {
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let (year, month, day) = if let Some(y) = num("y1") {
        (y, num("m1")?, num("d1")?)
    } else if let Some(y) = num("y2") {
        (y, month_number(&c["mon2"])?, num("d2")?)
    } else {
        (num("y3")?, month_number(&c["mon3"])?, num("d3")?)
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

fn month_number(name: &str) -> Option<u32> {
    const PREFIXES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let prefix = name.get(..3)?.to_ascii_lowercase();
    PREFIXES.iter().position(|p| *p == prefix).map(|i| i as u32 + 1)
}

/// The zone written after the time: `Some(None)` when there is none or it is unknown
/// (the date still stands), `None` when it is malformed (the line is not a date).
fn zone_of(c: &Captures) -> Option<Option<FixedOffset>> {
    if let Some(off) = c.name("off") {
        let digits: String = off.as_str()[1..].chars().filter(char::is_ascii_digit).collect();
        let (h, m) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok()?, 0),
            3 | 4 => {
                let (h, m) = digits.split_at(digits.len() - 2);
                (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?)
            }
            _ => return None,
        };
        if m >= 60 {
            return None;
        }
        let secs = (h * 3600 + m * 60) * if off.as_str().starts_with('-') { -1 } else { 1 };
        return FixedOffset::east_opt(secs).map(Some);
    }
    if c.name("utc").is_some() {
        return Some(FixedOffset::east_opt(0));
    }
    let Some(abbr) = c.name("abbr") else {
        return Some(None);
    };
    // Common news-site abbreviations; ambiguous ones (IST, CST in Asia) read as US/EU.
    let hours = match abbr.as_str() {
        "EDT" => -4,
        "EST" | "CDT" => -5,
        "CST" | "MDT" => -6,
        "MST" | "PDT" => -7,
        "PST" => -8,
        "BST" | "CET" | "WEST" => 1,
        "CEST" | "EET" => 2,
        "EEST" | "MSK" => 3,
        "JST" | "KST" => 9,
        _ => return Some(None),
    };
    Some(FixedOffset::east_opt(hours * 3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offset_hours(dct: &Dct) -> Option<i32> {
        dct.datetime.map(|d| d.offset().local_minus_utc() / 3600)
    }

    #[test]
    fn seed_header_keeps_its_zone_and_ignores_related_links() {
        let text = "Russia and Ukraine Show Signs of Openness\n\n\
            Tue Jul 15 2025 00:00:47 GMT+0300 (Eastern European Summer Time)\n\
            Russia and Ukraine Show Signs of Openness\n\n\
            In a surprising development, both nations express tentative willingness for talks.\n\n\
            MORE ON THEME\n\nMon, 14 Jul 2025 20:39:39 GMT\n";
        let dct = find_in_text(text).expect("header date");
        assert_eq!(dct.date, NaiveDate::from_ymd_opt(2025, 7, 15).unwrap());
        assert_eq!(offset_hours(&dct), Some(3));
        assert_eq!(dct.source, DctSource::Text);
        let span = dct.span.unwrap();
        assert!(span.of(text).starts_with("Tue Jul 15 2025 00:00:47 GMT+0300"));
        assert!(span.of(text).ends_with("Time)"));
    }

    #[test]
    fn related_links_alone_give_no_dct() {
        let text = "A title\n\nBody text that says something about the talks on Monday in Kyiv today.\n\n\
            MORE ON THEME\n\nMon, 14 Jul 2025 20:39:39 GMT\n";
        assert_eq!(find_in_text(text), None);
    }

    #[test]
    fn dates_after_the_body_started_are_not_the_header() {
        let mut text = String::from("Title\n");
        for _ in 0..BODY_PARAGRAPHS {
            text.push_str("This is a paragraph of body prose with quite a few words in it, really.\n");
        }
        text.push_str("Mon, 14 Jul 2025 20:39:39 GMT\n");
        assert_eq!(find_in_text(&text), None);
    }

    #[test]
    fn dates_inside_sentences_are_not_headers() {
        assert_eq!(find_in_text("Title\nTalks resumed on July 15, 2025 in Geneva.\n"), None);
    }

    #[test]
    fn published_beats_updated_and_labels_are_not_in_the_span() {
        let text = "Title\nUpdated: 2025-07-16T09:00:00Z\nPublished: July 15, 2025 10:00 AM EDT\n";
        let dct = find_in_text(text).unwrap();
        assert_eq!(dct.date, NaiveDate::from_ymd_opt(2025, 7, 15).unwrap());
        assert_eq!(offset_hours(&dct), Some(-4));
        assert_eq!(dct.span.unwrap().of(text), "July 15, 2025 10:00 AM EDT");
    }

    #[test]
    fn byline_parts_and_wikinews_lines() {
        let text = "Title\nBy Jane Doe | Saturday, March 01, 2008\nBody.\n";
        let dct = find_in_text(text).unwrap();
        assert_eq!(dct.date, NaiveDate::from_ymd_opt(2008, 3, 1).unwrap());
        assert_eq!(dct.datetime, None);
        assert_eq!(dct.span.unwrap().of(text), "Saturday, March 01, 2008");
    }

    #[test]
    fn undated_text_has_no_dct() {
        assert_eq!(find_in_text(""), None);
        assert_eq!(find_in_text("Just a title\n\nAnd some words.\n"), None);
    }

    #[test]
    fn parse_dct_accepts_the_documented_forms() {
        let d = |s: &str| parse_dct(s, DctSource::Flag).unwrap();
        let jul15 = NaiveDate::from_ymd_opt(2025, 7, 15).unwrap();
        assert_eq!(d("2025-07-15").date, jul15);
        assert_eq!(d("2025-07-15").datetime, None);
        assert_eq!(d("2025-07-15").source, DctSource::Flag);
        let rfc3339 = d("2025-07-15T00:30:00+03:00");
        assert_eq!((rfc3339.date, offset_hours(&rfc3339)), (jul15, Some(3)));
        assert_eq!(offset_hours(&d("2025-07-15T10:00:00.250Z")), Some(0));
        assert_eq!(d("2025-07-15 10:00").datetime, None, "no zone, no datetime");
        let rfc2822 = d("Mon, 14 Jul 2025 20:39:39 GMT");
        assert_eq!(rfc2822.date, NaiveDate::from_ymd_opt(2025, 7, 14).unwrap());
        assert_eq!(rfc2822.datetime.unwrap().to_rfc3339(), "2025-07-14T20:39:39+00:00");
        assert_eq!(offset_hours(&d("14 Jul 2025 20:39:39 -0500")), Some(-5));
        assert_eq!(d("July 15, 2025").date, jul15);
        assert_eq!(d("15th of July 2025").date, jul15);
        assert_eq!(
            d("1990-08-15T13:37").date,
            NaiveDate::from_ymd_opt(1990, 8, 15).unwrap()
        );
    }

    #[test]
    fn parse_dct_errors_name_the_value_and_the_forms() {
        for bad in [
            "",
            "yesterday",
            "2025-02-30",
            "2025-07-15T25:00:00Z",
            "July 15",
            "15/07/2025",
        ] {
            let err = parse_dct(bad, DctSource::Metadata).unwrap_err();
            assert!(err.contains(&format!("{bad:?}")), "{err}");
            assert!(err.contains("YYYY-MM-DD"), "{err}");
        }
    }
}
