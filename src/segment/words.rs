use crate::doc::Span;

/// Splits `text[within]` into words (see the module docs for the conventions).
pub fn words(text: &str, within: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let slice = &text[within.start..within.end];
    let mut chunk_start: Option<usize> = None;
    for (i, c) in slice.char_indices().chain(std::iter::once((slice.len(), ' '))) {
        // A dash between words is a word of its own: "Trump—who" is two words and a dash.
        let dash = matches!(c, '\u{2013}' | '\u{2014}' | '\u{2015}');
        if c.is_whitespace() || dash {
            if let Some(s) = chunk_start.take() {
                split_chunk(text, within.start + s, within.start + i, &mut out);
            }
            if dash {
                out.push(Span::new(within.start + i, within.start + i + c.len_utf8()));
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    out
}

fn is_split_punct(c: char) -> bool {
    !c.is_alphanumeric() && !matches!(c, '-' | '&' | '@' | '_' | '/')
}

/// Peels punctuation off both ends of a whitespace-free chunk and pushes the words.
fn split_chunk(text: &str, mut start: usize, mut end: usize, out: &mut Vec<Span>) {
    let mut tail = Vec::new();
    // Leading punctuation, one char per word.
    while start < end {
        let c = text[start..end].chars().next().unwrap_or(' ');
        if !is_split_punct(c) {
            break;
        }
        out.push(Span::new(start, start + c.len_utf8()));
        start += c.len_utf8();
    }
    // Trailing punctuation, except the full stop of an abbreviation.
    while start < end {
        let word = &text[start..end];
        let c = word.chars().next_back().unwrap_or(' ');
        if !is_split_punct(c) || (c == '.' && is_abbreviation(word)) {
            break;
        }
        tail.push(Span::new(end - c.len_utf8(), end));
        end -= c.len_utf8();
    }
    if start < end {
        // Possessive and negative clitics: "Russia's" -> "Russia" "'s".
        let word = &text[start..end];
        let lower = word.to_lowercase();
        let clitic = ["'s", "’s", "n't", "n’t"]
            .iter()
            .find(|cl| lower.ends_with(*cl) && lower.len() > cl.len());
        match clitic {
            Some(cl) => {
                let cut = end - cl.len();
                out.push(Span::new(start, cut));
                out.push(Span::new(cut, end));
            }
            None => out.push(Span::new(start, end)),
        }
    }
    out.extend(tail.into_iter().rev());
}

/// "U.S.", "S.", "Gen.", "Jan." keep their full stop; a sentence-final "talks." does not.
fn is_abbreviation(word: &str) -> bool {
    let body = &word[..word.len() - 1];
    if body.contains('.') {
        return true;
    }
    let mut chars = body.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.is_uppercase(),
        _ => ABBREVIATIONS.contains(&body),
    }
}

/// Titles and month abbreviations that precede a name or number in news text.
pub(crate) const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Sgt", "Capt", "Cmdr", "Adm", "Gov", "Sen", "Rep", "Rev",
    "St", "Jr", "Sr", "Inc", "Corp", "Ltd", "Co", "No", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept",
    "Oct", "Nov", "Dec", "vs", "etc",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        words(text, Span::new(0, text.len()))
            .iter()
            .map(|s| s.of(text))
            .collect()
    }

    #[test]
    fn conll_conventions() {
        assert_eq!(
            split("Dmitri S. Peskov, the Kremlin's man, met U.S. envoys (in Moscow)."),
            vec![
                "Dmitri", "S.", "Peskov", ",", "the", "Kremlin", "'s", "man", ",", "met", "U.S.", "envoys", "(", "in",
                "Moscow", ")", "."
            ]
        );
        assert_eq!(
            split("“nuances” Russia-Ukraine"),
            vec!["“", "nuances", "”", "Russia-Ukraine"]
        );
        assert_eq!(split("  "), Vec::<&str>::new());
        assert_eq!(
            split("Trump—who spoke–twice — said"),
            vec!["Trump", "—", "who", "spoke", "–", "twice", "—", "said"]
        );
    }
}
