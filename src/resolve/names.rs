//! Reading names and roles out of text: titles and possessives stripped from a mention,
//! and the role phrases around a person ("Kremlin spokesman Dmitri S. Peskov",
//! "Peskov, spokesperson for the Kremlin", "President Zelensky of Ukraine").
//!
//! There is no parser, so a role is a run of words ending in an office word (the
//! [`TITLES`] list), led by at most three capitalised words ("White House", "Ukraine’s")
//! or a few lowercase modifiers ("former", "deputy").

use crate::doc::Span;
use regex::Regex;
use std::sync::LazyLock;

/// Office words: a person's role, never part of their name.
const TITLES: &[&str] = &[
    "president",
    "vice-president",
    "minister",
    "chancellor",
    "premier",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "envoy",
    "ambassador",
    "secretary",
    "senator",
    "governor",
    "mayor",
    "general",
    "commander",
    "leader",
    "chief",
    "king",
    "queen",
    "prince",
    "pope",
    "ceo",
    "chairman",
    "chairwoman",
    "director",
    "adviser",
    "advisor",
    "aide",
    "negotiator",
    "representative",
    "diplomat",
    "lawmaker",
    "judge",
    "prosecutor",
    "congressman",
    "congresswoman",
    "speaker",
];

/// Forms of address: stripped from names, but no role.
const COURTESY: &[&str] = &[
    "mr", "mrs", "ms", "dr", "sir", "dame", "prof", "sen", "gen", "rep", "gov",
];

/// Lowercase words that may lead a role ("former President", "deputy foreign minister").
const PREMODIFIERS: &[&str] = &[
    "former",
    "then",
    "acting",
    "deputy",
    "vice",
    "senior",
    "top",
    "interim",
    "outgoing",
    "incoming",
    "foreign",
    "defense",
    "defence",
    "finance",
    "prime",
    "special",
    "presidential",
    "chief",
];

/// Capitalised words that never lead a role: sentence openers and calendar words.
const NOT_MODIFIERS: &[&str] = &[
    "the",
    "a",
    "an",
    "on",
    "in",
    "at",
    "and",
    "but",
    "as",
    "by",
    "for",
    "with",
    "from",
    "when",
    "while",
    "after",
    "before",
    "late",
    "early",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "both",
    "meanwhile",
    "yet",
];

/// Adjectives of place mapped to the place, so "Ukrainian President" and "Ukraine’s
/// President" share a [`role_key`].
const DEMONYMS: &[(&str, &str)] = &[
    ("ukrainian", "ukraine"),
    ("russian", "russia"),
    ("american", "us"),
    ("america", "us"),
    ("british", "uk"),
    ("french", "france"),
    ("german", "germany"),
    ("chinese", "china"),
    ("israeli", "israel"),
    ("iranian", "iran"),
    ("european", "europe"),
    ("turkish", "turkey"),
    ("polish", "poland"),
    ("indian", "india"),
    ("japanese", "japan"),
    ("palestinian", "palestine"),
];

/// A word of text: letters or digits with inner apostrophes, hyphens and dots.
static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[\p{L}\p{N}][\p{L}\p{N}’'\-.]*").expect("word regex"));

/// The words of `s` as byte ranges of `s`. A trailing dot stays only on abbreviations
/// ("U.S.", "S.", "Mr.") so that "Putin." at a sentence end reads as "Putin".
pub fn word_spans(s: &str) -> Vec<Span> {
    WORD.find_iter(s)
        .map(|m| {
            let w = m.as_str();
            let bare = w.trim_end_matches('.');
            let abbrev =
                bare.chars().count() == 1 || bare.contains('.') || COURTESY.contains(&bare.to_lowercase().as_str());
            let end = if abbrev { m.end() } else { m.start() + bare.len() };
            Span::new(m.start(), end)
        })
        .collect()
}

/// `w` lowercased, without dots and without a possessive `'s`.
pub fn fold(w: &str) -> String {
    let w = strip_possessive(w);
    w.chars().filter(|c| *c != '.').flat_map(char::to_lowercase).collect()
}

fn strip_possessive(w: &str) -> &str {
    for suffix in ["'s", "’s", "'", "’"] {
        if let Some(stem) = w.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem;
            }
        }
    }
    w
}

fn is_title(w: &str) -> bool {
    TITLES.contains(&fold(w).as_str())
}

fn is_courtesy(w: &str) -> bool {
    COURTESY.contains(&fold(w).as_str())
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// A mention's surface read as a name: leading titles ("President", "Mr."), a leading
/// "the" and a trailing possessive removed. `person` enables title stripping, which
/// would spoil organisations ("General Motors"). Returns the byte range of the name
/// within `surface`; empty input gives an empty range.
pub fn name_within(surface: &str, person: bool) -> Span {
    let words = word_spans(surface);
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return Span::new(0, 0);
    };
    let mut start = first.start;
    if person {
        // The name starts after the last title word that still leaves a word behind.
        for (i, w) in words.iter().enumerate().take(words.len() - 1) {
            let t = w.of(surface);
            if is_title(t) || is_courtesy(t) {
                start = words[i + 1].start;
            }
        }
    } else if words.len() > 1 && fold(first.of(surface)) == "the" {
        start = words[1].start;
    }
    let last_word = last.of(surface);
    let end = last.start + strip_possessive(last_word).len();
    Span::new(start, end.max(start))
}

/// The role phrase that ends right before byte `end` of `text` (only spaces between),
/// looking no further back than `floor`: "Ukrainian President" in "… and Ukrainian
/// President |Volodymyr Zelensky". Its last word must be an office word.
pub fn role_before(text: &str, floor: usize, end: usize) -> Option<Span> {
    let window = text.get(floor..end)?;
    let words = word_spans(window);
    let last = *words.last()?;
    if !window[last.end..].trim().is_empty() || !is_title(last.of(window)) {
        return None;
    }
    let mut first = words.len() - 1;
    let mut capitals = 0;
    while first > 0 {
        let prev = words[first - 1];
        if !window[prev.end..words[first].start].chars().all(char::is_whitespace) {
            break;
        }
        let w = prev.of(window);
        let folded = fold(w);
        let ok = if is_title(w) || PREMODIFIERS.contains(&folded.as_str()) {
            true
        } else if is_capitalised(w) && !NOT_MODIFIERS.contains(&folded.as_str()) && capitals < 3 {
            capitals += 1;
            true
        } else {
            false
        };
        if !ok {
            break;
        }
        first -= 1;
    }
    Some(Span::new(floor + words[first].start, floor + last.end))
}

static TITLE_ALT: LazyLock<String> = LazyLock::new(|| TITLES.join("|"));

/// "…, spokesperson for the Kremlin," right after a name.
static APPOSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    let cap = r"\p{Lu}[\p{L}\p{N}’'.\-]*";
    Regex::new(&format!(
        r"^\s*,\s+(?:(?i:the|a)\s+)?((?:{cap}\s+){{0,3}}(?i:{t})(?:\s+(?:of|for|to)\s+(?:the\s+)?{cap}(?:\s+{cap}){{0,2}})?)\s*[,.;)]",
        t = *TITLE_ALT
    ))
    .expect("appositive regex")
});

/// " of Ukraine" right after a name that had a bare title before it.
static OF_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+of\s+(?:the\s+)?(\p{Lu}[\p{L}’'.\-]*(?:\s+\p{Lu}[\p{L}’'.\-]*){0,2})").expect("of regex")
});

/// The role written right after a name, as an appositive: the span of "spokesperson
/// for the Kremlin" in "Peskov, spokesperson for the Kremlin, said".
pub fn role_after(text: &str, name_end: usize) -> Option<Span> {
    let rest = text.get(name_end..)?;
    let rest = &rest[..floor_boundary(rest, 120)];
    let c = APPOSITIVE.captures(rest)?.get(1)?;
    Some(Span::new(name_end + c.start(), name_end + c.end()))
}

/// " of Ukraine" after a name, completing a bare title before it ("President … of Ukraine").
pub fn of_place_after(text: &str, name_end: usize) -> Option<&str> {
    let rest = text.get(name_end..)?;
    let rest = &rest[..floor_boundary(rest, 80)];
    let place = OF_PLACE.captures(rest)?.get(1)?.as_str();
    // The words may run into the next sentence: "of Ukraine. Putin".
    let place = place.split_once(". ").map_or(place, |(head, _)| head);
    Some(if place.matches('.').count() == 1 {
        place.trim_end_matches('.')
    } else {
        place
    })
}

/// The largest char boundary of `s` at or below `max`.
fn floor_boundary(s: &str, max: usize) -> usize {
    let mut i = max.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Every role phrase in `text` (spans of `text`), for finding people named by role alone.
pub fn roles_in(text: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    for w in word_spans(text) {
        if !is_title(w.of(text)) {
            continue;
        }
        // From the previous role's start, so "Secretary General" reads as one role.
        let floor = out.last().map_or(0, |r| r.start);
        if let Some(r) = role_before(text, floor, w.end) {
            // "deputy foreign minister": keep the longest run only.
            if out.last().is_some_and(|p| p.end >= r.start) {
                out.pop();
            }
            out.push(r);
        }
    }
    out
}

/// A comparable form of a role: lowercase, no "the", place adjectives as places, "X of Y"
/// as "Y X", spokesperson/spokeswoman as spokesman. "Ukraine’s President", "Ukrainian
/// President" and "President of Ukraine" all give "ukraine president".
pub fn role_key(role: &str) -> String {
    let words: Vec<String> = word_spans(role)
        .iter()
        .map(|w| fold(w.of(role)))
        .filter(|w| w != "the")
        .map(|w| {
            let w = DEMONYMS
                .iter()
                .find(|(adj, _)| *adj == w)
                .map_or(w, |(_, place)| place.to_string());
            match w.as_str() {
                "spokesperson" | "spokeswoman" => "spokesman".to_string(),
                _ => w,
            }
        })
        .collect();
    match words.iter().position(|w| w == "of" || w == "for" || w == "to") {
        Some(i) => {
            let mut key = words[i + 1..].to_vec();
            key.extend_from_slice(&words[..i]);
            key.join(" ")
        }
        None => words.join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> &str {
        name_within(s, true).of(s)
    }

    #[test]
    fn names_lose_titles_and_possessives() {
        assert_eq!(name("President Volodymyr Zelensky"), "Volodymyr Zelensky");
        assert_eq!(name("Ukraine’s President Zelensky"), "Zelensky");
        assert_eq!(name("Kremlin spokesman Dmitri S. Peskov"), "Dmitri S. Peskov");
        assert_eq!(name("Trump's"), "Trump");
        assert_eq!(name("Mr. Putin"), "Putin");
        assert_eq!(name("President"), "President", "a lone title is left alone");
        let org = "the Kremlin’s";
        assert_eq!(name_within(org, false).of(org), "Kremlin");
        assert_eq!(
            name_within("General Motors", false).of("General Motors"),
            "General Motors"
        );
        assert!(name_within("", true).is_empty());
    }

    #[test]
    fn roles_before_names() {
        let cases = [
            (
                "On Tuesday, Kremlin spokesman Dmitri S. Peskov",
                "Dmitri",
                Some("Kremlin spokesman"),
            ),
            (
                "both the Kremlin and Ukrainian President Volodymyr Zelensky",
                "Volodymyr",
                Some("Ukrainian President"),
            ),
            ("White House envoy Steve Witkoff", "Steve", Some("White House envoy")),
            ("as former President Trump calls", "Trump", Some("former President")),
            (
                "from Ukraine’s President Zelensky",
                "Zelensky",
                Some("Ukraine’s President"),
            ),
            ("On Tuesday Peskov", "Peskov", None),
        ];
        for (text, name, want) in cases {
            let at = text.find(name).unwrap();
            assert_eq!(role_before(text, 0, at).map(|r| r.of(text)), want, "{text}");
        }
    }

    #[test]
    fn roles_after_names() {
        let text = "Concurrently, Dmitri S. Peskov, spokesperson for the Kremlin, remarked";
        let end = text.find(", spokesperson").unwrap();
        assert_eq!(
            role_after(text, end).map(|r| r.of(text)),
            Some("spokesperson for the Kremlin")
        );
        let text = "Both President Volodymyr Zelensky of Ukraine and Peskov";
        let end = text.find(" of Ukraine").unwrap();
        assert_eq!(of_place_after(text, end), Some("Ukraine"));
        assert_eq!(role_after("Putin, who said", 5), None);
    }

    #[test]
    fn role_keys_unify_spellings() {
        assert_eq!(role_key("Ukrainian President"), "ukraine president");
        assert_eq!(role_key("Ukraine’s President"), "ukraine president");
        assert_eq!(role_key("President of Ukraine"), "ukraine president");
        assert_eq!(role_key("spokesperson for the Kremlin"), role_key("Kremlin spokesman"));
        assert_eq!(role_key("U.S. President"), "us president");
    }

    #[test]
    fn roles_in_text() {
        let text = "The Kremlin spokesman said so, and the White House envoy left.";
        let got: Vec<&str> = roles_in(text).iter().map(|r| r.of(text)).collect();
        assert_eq!(got, ["Kremlin spokesman", "White House envoy"]);
    }
}
