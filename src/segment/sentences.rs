use super::words::ABBREVIATIONS;
use crate::doc::Span;

/// Bytes looked back for the word before a full stop; longer words are never abbreviations.
const MAX_ABBREVIATION: usize = 32;

/// Splits `text[within]` into sentences, trimmed of whitespace, never empty, in order.
///
/// A sentence ends at a line break (paragraphs and headlines are lines, and headlines
/// have no final full stop), or at `.`, `!`, `?`, `…` followed by whitespace and a word
/// that is not lowercase. Closing quotes and brackets after the stop stay with the
/// sentence (`... "ready for any conversation." He`). A lone full stop does not end a
/// sentence after an initial ("Dmitri S. Peskov"), a dotted abbreviation ("U.S.
/// President", "a.m.") or a title or month ("Gen.", "Jan. 5"); so "in the U.S. The"
/// stays one sentence unless a line break follows, which is the cheaper mistake: a
/// wrong split cuts a name or date in half. Linear in the length of `within`; empty
/// when `within` is not a valid range of `text`.
pub fn sentences(text: &str, within: Span) -> Vec<Span> {
    let Some(s) = text.get(within.start..within.end) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\n' {
            push_trimmed(s, within.start, start, i, &mut out);
            start = i + 1;
        } else if is_terminal(c) {
            // The whole run of stops and closers: `?!`, `...`, `."`, `.)`.
            let mut end = i + c.len_utf8();
            let mut lone_stop = c == '.';
            while let Some(&(j, d)) = chars.peek() {
                if is_terminal(d) {
                    lone_stop = false;
                } else if !is_closer(d) {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            if ends_sentence(s, i, end, lone_stop) {
                push_trimmed(s, within.start, start, end, &mut out);
                start = end;
            }
        }
    }
    push_trimmed(s, within.start, start, s.len(), &mut out);
    out
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
}

fn is_opener(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '(' | '[' | '«')
}

/// Whether the stop run `s[stop..end]` ends a sentence.
fn ends_sentence(s: &str, stop: usize, end: usize, lone_stop: bool) -> bool {
    let rest = &s[end..];
    match rest.chars().next() {
        None => return true,
        Some(c) if !c.is_whitespace() => return false, // "3.5", "U.S.", "example.com"
        Some(_) => {}
    }
    match rest.chars().find(|&c| !c.is_whitespace() && !is_opener(c)) {
        None => true,
        Some(next) if next.is_lowercase() => false,
        Some(_) => !(lone_stop && is_abbreviation(word_before(s, stop))),
    }
}

/// The word that ends at byte `at`, without opening quotes or brackets; empty when
/// it is too long to be an abbreviation.
fn word_before(s: &str, at: usize) -> &str {
    let mut from = at;
    for (i, c) in s[..at].char_indices().rev() {
        if c.is_whitespace() || is_opener(c) {
            break;
        }
        if at - i > MAX_ABBREVIATION {
            return "";
        }
        from = i;
    }
    &s[from..at]
}

/// An initial ("S"), a dotted abbreviation ("U.S", "a.m", "Ph.D"; not "3.5") or a
/// listed title or month, each given without its final full stop.
fn is_abbreviation(word: &str) -> bool {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.is_uppercase(),
        _ => {
            ABBREVIATIONS.contains(&word)
                || (word.contains('.')
                    && word
                        .split('.')
                        .all(|part| (1..=2).contains(&part.chars().count()) && part.chars().all(char::is_alphabetic)))
        }
    }
}

/// Pushes `s[from..to]` trimmed of whitespace, as a span of the whole text, unless empty.
fn push_trimmed(s: &str, base: usize, from: usize, to: usize, out: &mut Vec<Span>) {
    let part = &s[from..to];
    let trimmed = part.trim_start();
    let start = from + part.len() - trimmed.len();
    let trimmed = trimmed.trim_end();
    if !trimmed.is_empty() {
        out.push(Span::new(base + start, base + start + trimmed.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text, Span::new(0, text.len()))
            .iter()
            .map(|s| s.of(text))
            .collect()
    }

    #[test]
    fn initials_titles_and_months_do_not_end_sentences() {
        let text = "On Tuesday, Kremlin spokesman Dmitri S. Peskov acknowledged it. Russian President \
                    Vladimir V. Putin met Gen. Smith and Mr. Jones on Jan. 5 at 9 a.m. near St. Petersburg. Next.";
        assert_eq!(
            split(text),
            vec![
                "On Tuesday, Kremlin spokesman Dmitri S. Peskov acknowledged it.",
                "Russian President Vladimir V. Putin met Gen. Smith and Mr. Jones on Jan. 5 at 9 a.m. near St. Petersburg.",
                "Next."
            ]
        );
    }

    #[test]
    fn us_stays_inside_unless_a_line_break_follows() {
        assert_eq!(
            split("U.S. officials met. The U.S. President spoke."),
            vec!["U.S. officials met.", "The U.S. President spoke."]
        );
        assert_eq!(
            split("Aid came from the U.S.\nThe talks"),
            vec!["Aid came from the U.S.", "The talks"]
        );
    }

    #[test]
    fn closing_quotes_and_brackets_belong_to_the_sentence() {
        let text = "Zelensky said Ukraine is \"ready for any conversation.\" Peskov saw “nuances.” (He left.) Then";
        assert_eq!(
            split(text),
            vec![
                "Zelensky said Ukraine is \"ready for any conversation.\"",
                "Peskov saw “nuances.”",
                "(He left.)",
                "Then"
            ]
        );
        assert_eq!(
            split("\"Why?\" he asked. \"Now!\" she said."),
            vec!["\"Why?\" he asked.", "\"Now!\" she said."]
        );
    }

    #[test]
    fn headlines_decimals_and_ellipses() {
        let text =
            "Russia and Ukraine Show Signs of Openness\nGDP grew 3.5 percent. It was... expected... Really? Yes!";
        assert_eq!(
            split(text),
            vec![
                "Russia and Ukraine Show Signs of Openness",
                "GDP grew 3.5 percent.",
                "It was... expected...",
                "Really?",
                "Yes!"
            ]
        );
        assert_eq!(
            split("He waited … Then he left. Prices fell in 2022. 2023 was better."),
            vec![
                "He waited …",
                "Then he left.",
                "Prices fell in 2022.",
                "2023 was better."
            ]
        );
    }

    #[test]
    fn spans_are_offsets_into_the_whole_text() {
        let text = "skip this. First one.  Second one.\n\n  skip";
        let within = Span::new(11, 35);
        let got = sentences(text, within);
        assert_eq!(
            got.iter().map(|s| s.of(text)).collect::<Vec<_>>(),
            vec!["First one.", "Second one."]
        );
        assert!(got.iter().all(|s| within.contains(*s)));
        assert!(sentences(text, Span::new(0, 999)).is_empty());
        assert!(sentences("  \n \n", Span::new(0, 5)).is_empty());
    }

    proptest! {
        #[test]
        fn spans_are_trimmed_nonempty_ordered_and_inside(text in "[a-zA-Z .!?\"”’()\n…3]{0,80}", cut in 0usize..8) {
            let start = text.char_indices().nth(cut).map_or(text.len(), |(i, _)| i);
            let within = Span::new(start, text.len());
            let got = sentences(&text, within);
            let mut prev = within.start;
            for s in got {
                prop_assert!(within.contains(s) && s.start >= prev && !s.is_empty());
                let t = s.of(&text);
                prop_assert_eq!(t, t.trim());
                prev = s.end;
            }
        }
    }
}
