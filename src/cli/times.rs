//! `annalist times`: the temporal expressions of text files, as JSON lines or TimeML.
//! Needs no model: only the rule-based tagger runs.

use super::input::{doc_id, read_text};
use crate::doc::CharIndex;
use crate::time::dct::{find_in_text, parse_dct};
use crate::time::{tag, timeml, Dct, DctSource, Timex};
use anyhow::bail;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct TimesArgs {
    /// Text files to tag; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub read: super::input::ReadArgs,
    /// Publication date for every file (YYYY-MM-DD, RFC 3339 or RFC 2822); without it,
    /// each file's own header date is used, and relative expressions stay unresolved
    /// in a file that has none.
    #[arg(long, value_name = "DATE", value_parser = parse_dct_flag)]
    pub dct: Option<Dct>,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per expression, offsets in characters.
    Json,
    /// A TempEval-3 TimeML document per file.
    Timeml,
}

fn parse_dct_flag(s: &str) -> Result<Dct, String> {
    parse_dct(s, DctSource::Flag)
}

/// One output line of `--format json`.
#[derive(Serialize)]
struct TimexLine<'a> {
    doc: &'a str,
    text: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
    #[serde(rename = "mod")]
    modifier: Option<&'a str>,
    /// Unicode scalar offsets, end exclusive.
    start: usize,
    end: usize,
    /// First and last day covered, when the value pins calendar days.
    first: Option<String>,
    last: Option<String>,
}

/// Tags each file in turn. A file that cannot be read is reported and skipped; the
/// command then fails at the end, after the others are done.
pub fn run(args: &TimesArgs) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0;
    for path in &args.files {
        let (doc, text) = match read_text(path, args.read.max_bytes) {
            Ok(text) => (doc_id(path), text),
            Err(e) => {
                eprintln!("annalist times: {e:#}");
                failed += 1;
                continue;
            }
        };
        let dct = args.dct.clone().or_else(|| find_in_text(&text));
        let timexes = tag(&text, dct.as_ref());
        match args.format {
            Format::Json => write_json(&mut out, &doc, &text, &timexes)?,
            Format::Timeml => out.write_all(timeml::render(&doc, &text, dct.as_ref(), &timexes).as_bytes())?,
        }
    }
    out.flush()?;
    if failed > 0 {
        bail!("{failed} of {} inputs could not be read (see above)", args.files.len());
    }
    Ok(())
}

fn write_json(out: &mut impl Write, doc: &str, text: &str, timexes: &[Timex]) -> anyhow::Result<()> {
    let index = CharIndex::new(text);
    for t in timexes {
        let (start, end) = index.chars(t.span);
        let line = TimexLine {
            doc,
            text: t.span.of(text),
            kind: timeml::type_name(t.kind),
            value: &t.value,
            modifier: t.modifier.as_deref(),
            start,
            end,
            first: t.interval.map(|(first, _)| first.to_string()),
            last: t.interval.map(|(_, last)| last.to_string()),
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: TimesArgs,
    }

    #[test]
    fn flags_parse_and_bad_dates_are_explained() {
        let cli = Cli::try_parse_from(["t", "--dct", "2025-07-15", "--format", "timeml", "a.txt", "-"]).unwrap();
        assert_eq!(cli.args.dct.unwrap().source, DctSource::Flag);
        assert_eq!(cli.args.format, Format::Timeml);
        assert_eq!(cli.args.files, [PathBuf::from("a.txt"), PathBuf::from("-")]);
        let err = Cli::try_parse_from(["t", "--dct", "15/07/2025", "a.txt"])
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("15/07/2025") && err.contains("YYYY-MM-DD"), "{err}");
        assert!(Cli::try_parse_from(["t"]).is_err(), "a file is required");
    }

    #[test]
    fn json_lines_use_char_offsets() {
        let text = "Zürich – Tuesday";
        let start = text.find("Tuesday").unwrap();
        let t = Timex {
            span: crate::doc::Span::new(start, text.len()),
            kind: crate::time::TimexType::Date,
            value: "2025-07-15".into(),
            modifier: None,
            interval: chrono::NaiveDate::from_ymd_opt(2025, 7, 15).map(|d| (d, d)),
        };
        let mut out = Vec::new();
        write_json(&mut out, "d", text, &[t]).unwrap();
        let line: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(line["start"], 9);
        assert_eq!(line["end"], 16);
        assert_eq!(line["text"], "Tuesday");
        assert_eq!(line["type"], "DATE");
        assert_eq!(line["mod"], serde_json::Value::Null);
        assert_eq!(line["first"], "2025-07-15");
    }
}
