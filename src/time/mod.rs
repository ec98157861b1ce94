//! Temporal expressions: find every date, time, duration and set in English news text
//! and normalise it to a TimeML TIMEX3 value, anchored on the publication date.
//!
//! Deterministic and model-free: the same text and publication date always give the
//! same output, whatever day it runs. Without a publication date, relative expressions
//! stay underspecified (`XXXX-WXX-1`) instead of being resolved against "today".
//!
//! Layout: [`recognize`] tokenises and reads expressions into an unanchored meaning,
//! [`normalize`] anchors them on the DCT and does the calendar arithmetic, [`words`]
//! reads numbers written out. [`tag`] runs both over a text.

mod normalize;
mod recognize;
mod words;

use crate::doc::Span;
use chrono::{DateTime, FixedOffset, NaiveDate};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

// Note for the TimeML/CLI side: the types below are unchanged; the public functions are
// `tag`, `tag_within` and `is_well_formed_value` (end of file). `Timex.modifier` may hold
// START, END, MID, APPROX, LESS_THAN, MORE_THAN, EQUAL_OR_LESS, EQUAL_OR_MORE and
// ON_OR_AFTER; TIME values without a date anchor look like `T14:00`.

/// A document's creation time (publication date), the anchor of relative expressions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dct {
    pub date: NaiveDate,
    /// The full timestamp with its offset, when the source gives one.
    pub datetime: Option<DateTime<FixedOffset>>,
    pub source: DctSource,
    /// Where in the text it was read, for `DctSource::Text`.
    pub span: Option<Span>,
}

/// Where a publication date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DctSource {
    Text,
    Metadata,
    Flag,
    /// Inferred from the events the document shares with dated ones
    /// ([`crate::events::dating`]).
    Inferred,
}

/// TIMEX3 types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

/// One normalised temporal expression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timex {
    pub span: Span,
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// The TimeML value: `2025-07-14`, `2025-W29`, `P3D`, `PAST_REF`, `XXXX-WXX-1`...
    pub value: String,
    /// TimeML `mod`: START, END, MID, APPROX, BEFORE, AFTER, ...
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    /// First and last day covered (inclusive), when the value pins calendar days.
    pub interval: Option<(NaiveDate, NaiveDate)>,
}

pub mod dct;
pub mod timeml;

/// Finds and normalises every temporal expression in `text`, sorted by span and
/// non-overlapping. Relative expressions are anchored on `dct`; without one they stay
/// underspecified (`XXXX-WXX-1`). Never panics; deterministic.
///
/// Conventions beyond plain TimeML: "since February" gives `February` an interval from
/// its first day to the DCT and mod `ON_OR_AFTER`; "FY2025" gets value `FY2025` and no
/// interval (fiscal years start on different days); a year in a copyright line is skipped.
pub fn tag(text: &str, dct: Option<&Dct>) -> Vec<Timex> {
    let toks = recognize::tokenize(text);
    let anchor = dct.map(|d| d.date);
    let mut ctx = normalize::Discourse::default();
    let mut out = Vec::new();
    for m in recognize::mentions(&toks) {
        let Some(n) = normalize::resolve(&m.expr, anchor, m.tense, &ctx) else {
            continue;
        };
        if !is_well_formed_value(&n.value) {
            continue;
        }
        normalize::remember(&mut ctx, &m.expr, &n, anchor, m.tense);
        let mut modifier = m.modifier.map(str::to_string);
        let mut interval = n.interval;
        if let (true, Some(d), Some((first, _))) = (m.since, anchor, interval) {
            if first <= d && n.kind == TimexType::Date {
                interval = Some((first, d));
                modifier.get_or_insert_with(|| "ON_OR_AFTER".to_string());
            }
        }
        out.push(Timex {
            span: m.span,
            kind: n.kind,
            value: n.value,
            modifier,
            interval,
        });
    }
    out
}

/// [`tag`] restricted to `within` (a sentence, a paragraph); spans stay offsets into
/// `text`. Empty when `within` is not a valid range of `text`.
pub fn tag_within(text: &str, within: Span, dct: Option<&Dct>) -> Vec<Timex> {
    let Some(part) = text.get(within.start..within.end) else {
        return Vec::new();
    };
    let mut out = tag(part, dct);
    for t in &mut out {
        t.span = Span::new(t.span.start + within.start, t.span.end + within.start);
    }
    out
}

/// Whether `v` is a TimeML TIMEX3 value this tagger may produce: calendar dates down to
/// the minute with `X` placeholders, weeks, quarters, halves, seasons, decades,
/// centuries, parts of day, durations, the three REFs and `FY` years.
pub fn is_well_formed_value(v: &str) -> bool {
    static GRAMMAR: LazyLock<Regex> = LazyLock::new(|| {
        let year = r"(?:\d{4}|XXXX)";
        let month = r"(?:0[1-9]|1[0-2]|XX)";
        let day = r"(?:0[1-9]|[12]\d|3[01]|XX)";
        let week = r"(?:0[1-9]|[1-4]\d|5[0-3]|XX)";
        let time = r"T(?:(?:[01]\d|2[0-4]):[0-5]\d|MO|AF|EV|NI)";
        let date = format!(
            r"{year}-{month}-{day}(?:{time})?|{year}-W{week}-(?:[1-7](?:{time})?|WE)|{year}(?:-(?:{month}|W{week}|Q[1-4X]|H[12X]|SP|SU|FA|WI))?"
        );
        let duration = r"P(?:(?:\d+|X)[YMWDQECL])*(?:T(?:(?:\d+|X)[HMS])+)?";
        Regex::new(&format!(
            r"^(?:{date}|\d{{2,3}}|X{{2,3}}|(?:PRESENT|PAST|FUTURE)_REF|FY\d{{4}}|T(?:[01]\d|2[0-4]):[0-5]\d|{duration})$"
        ))
        .expect("value grammar")
    });
    v.len() > 1 && v != "PT" && GRAMMAR.is_match(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dct(s: &str) -> Dct {
        let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Dct {
            date,
            datetime: None,
            source: DctSource::Flag,
            span: None,
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The timex whose text is `what`, tagged with DCT 2025-07-15 (a Tuesday).
    fn find(text: &str, what: &str) -> Timex {
        let dct = dct("2025-07-15");
        tag(text, Some(&dct))
            .into_iter()
            .find(|t| t.span.of(text) == what)
            .unwrap_or_else(|| panic!("{what:?} not tagged in {text:?}: {:?}", tag(text, Some(&dct))))
    }

    #[test]
    fn seed_weekdays_follow_clause_tense() {
        let late = find(
            "Late Monday, Zelensky conveyed via social media that Ukraine is ready.",
            "Late Monday",
        );
        assert_eq!(
            (late.value.as_str(), late.modifier.as_deref()),
            ("2025-07-14", Some("END"))
        );
        assert_eq!(
            find(
                "On Tuesday, Kremlin spokesman Dmitri S. Peskov acknowledged that",
                "Tuesday"
            )
            .value,
            "2025-07-15"
        );
        let text = "Trump expressed hope on his Truth Social platform on Sunday that a deal could come this week.";
        assert_eq!(find(text, "Sunday").value, "2025-07-13");
        assert_eq!(
            find("The delegations will meet on Friday in London.", "Friday").value,
            "2025-07-18"
        );
    }

    #[test]
    fn seed_weeks() {
        let text = "Trump expressed hope on Sunday that a deal could come this week.";
        let week = find(text, "this week");
        assert_eq!(week.value, "2025-W29");
        assert_eq!(week.interval, Some((d("2025-07-14"), d("2025-07-20"))));
        let later = find(
            "Witkoff is also set for another Moscow visit later this week.",
            "later this week",
        );
        assert_eq!(
            (later.value.as_str(), later.interval),
            ("2025-W29", Some((d("2025-07-14"), d("2025-07-20"))))
        );
        assert_eq!(
            find("Contrary to last week's assertive comments from Trump", "last week").value,
            "2025-W28"
        );
        assert_eq!(
            find("The talks collapsed two weeks ago.", "two weeks ago").value,
            "2025-W27"
        );
    }

    #[test]
    fn seed_months_years_and_spans() {
        let since = find(
            "Witkoff, who has held multiple meetings with Putin since February, is set to go.",
            "February",
        );
        assert_eq!(since.value, "2025-02");
        assert_eq!(since.interval, Some((d("2025-02-01"), d("2025-07-15"))));
        let y = find(
            "the early stages of Russia's invasion in 2022, this new potential",
            "2022",
        );
        assert_eq!(
            (y.value.as_str(), y.interval),
            ("2022", Some((d("2022-01-01"), d("2022-12-31"))))
        );
        let early = find("A summit is planned for early next month.", "early next month");
        assert_eq!(
            (early.value.as_str(), early.modifier.as_deref()),
            ("2025-08", Some("START"))
        );
        let past = find("Prices rose over the past three years.", "the past three years");
        assert_eq!(
            (past.value.as_str(), past.kind, past.interval),
            ("P3Y", TimexType::Duration, None)
        );
    }

    #[test]
    fn seed_holidays_seasons_quarters_fiscal_words() {
        assert_eq!(find("Shops will close on Christmas.", "Christmas").value, "2025-12-25");
        assert_eq!(find("Sales slumped at Christmas.", "Christmas").value, "2024-12-25");
        assert_eq!(find("Sales slowed this summer.", "this summer").value, "2025-SU");
        let q = find("Revenue grew in the third quarter.", "the third quarter");
        assert_eq!(
            (q.value.as_str(), q.interval),
            ("2025-Q3", Some((d("2025-07-01"), d("2025-09-30"))))
        );
        assert_eq!(find("Profit fell in Q3 2024.", "Q3 2024").value, "2024-Q3");
        assert_eq!(find("The FY2025 budget was cut.", "FY2025").value, "FY2025");
        assert_eq!(
            find("Fighting continued for twenty four hours.", "twenty four hours").value,
            "PT24H"
        );
    }

    #[test]
    fn copyright_years_are_not_dates() {
        let text = "© 2024 SwissX Media. All rights reserved.";
        assert!(tag(text, Some(&dct("2025-07-15"))).is_empty());
    }

    #[test]
    fn without_dct_relative_values_stay_underspecified() {
        let got: Vec<String> = tag("He left on Monday and returns next week, on July 14.", None)
            .into_iter()
            .map(|t| t.value)
            .collect();
        assert_eq!(got, ["XXXX-WXX-1", "XXXX-WXX", "XXXX-07-14"]);
    }

    #[test]
    fn timebank_conventions() {
        let dct = dct("1989-10-26");
        let text = "Net rose in the third quarter. A year earlier, it earned $1. It fell over the past two months.";
        let got: Vec<(String, String)> = tag(text, Some(&dct))
            .into_iter()
            .map(|t| (t.span.of(text).to_string(), t.value))
            .collect();
        let want = [
            ("the third quarter", "1989-Q3"),
            ("A year earlier", "1988-Q3"),
            ("the past two months", "P2M"),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    #[test]
    fn discourse_anchors_back_references_and_clock_times() {
        let text = "Slepian was shot on Oct. 23, 1998, at 10 p.m. Later that year police found the rifle.";
        assert_eq!(find(text, "10 p.m.").value, "1998-10-23T22:00");
        assert_eq!(find(text, "Later that year").value, "1998");
        let text = "Net rose in the third quarter. In the first nine months, net was $9, up from a year earlier.";
        assert_eq!(find(text, "a year earlier").value, "2024");
        let text = "Net rose in the second quarter, compared with $3 a share in the 2024 period.";
        assert_eq!(find(text, "the 2024 period").value, "2024-Q2");
    }

    #[test]
    fn tense_cues_beyond_verbs() {
        assert_eq!(
            find("The father could arrive as early as Friday.", "Friday").value,
            "2025-07-18"
        );
        assert_eq!(
            find("Officials postponed until Monday any action.", "Monday").value,
            "2025-07-21"
        );
        assert_eq!(
            find("A bomb exploded next to the embassy Monday.", "Monday").value,
            "2025-07-14"
        );
        assert_eq!(
            find("The summit would still be held on Friday.", "Friday").value,
            "2025-07-18"
        );
    }

    #[test]
    fn value_grammar() {
        for ok in [
            "2025-07-14",
            "2025-W29",
            "2025-W29-WE",
            "2025-02",
            "2022",
            "P3D",
            "PT24H",
            "P2Y6M",
            "PAST_REF",
            "XXXX-XX-XX",
            "2025-Q3",
            "2025-SU",
            "T14:00",
            "2025-07-14T14:00",
            "2025-07-14TMO",
            "199",
            "19",
            "XXXX-WXX-1",
            "FY2025",
            "PXY",
            "PTXH",
        ] {
            assert!(is_well_formed_value(ok), "{ok}");
        }
        for bad in ["", "P", "2025-13", "2025-07-32", "20255", "hello", "2025-W54", "PT"] {
            assert!(!is_well_formed_value(bad), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_text_tags_without_panic_into_well_formed_values(text in "\\PC{0,200}") {
            for t in tag(&text, Some(&dct("2025-07-15"))).into_iter().chain(tag(&text, None)) {
                prop_assert!(is_well_formed_value(&t.value), "{:?}", t);
                prop_assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
            }
        }

        #[test]
        fn date_like_phrases_tag_without_panic(
            n in prop_oneof![Just("99999999999999999999".to_string()), Just("0th".to_string()), Just("99999".to_string()), "[0-9]{1,6}"],
            word in prop_oneof![Just("days ago"), Just("February"), Just("years"), Just("BC"), Just("th of March"), Just("-year-old"), Just(":61 p.m.")],
            lead in prop_oneof![Just("February"), Just("in"), Just("the past"), Just("Q"), Just("FY"), Just("mid-"), Just("")],
        ) {
            let text = format!("{lead} {n} {word}, {lead}{n}{word} 30");
            for t in tag(&text, Some(&dct("2025-07-15"))).into_iter().chain(tag(&text, None)) {
                prop_assert!(is_well_formed_value(&t.value), "{:?}", t);
            }
        }
    }

    #[test]
    fn invalid_calendar_dates_are_dropped() {
        let dct = dct("2025-07-15");
        assert!(tag("on February 30, 2025", Some(&dct))
            .iter()
            .all(|t| t.value != "2025-02-30"));
        assert!(tag("in the year 99999 and 99999999999999999999 days", Some(&dct))
            .iter()
            .all(|t| is_well_formed_value(&t.value)));
    }
}
