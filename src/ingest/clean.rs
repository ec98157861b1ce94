//! Cleaning that keeps offsets: chooses which lines of a scraped page are article body
//! without editing the text. Pages arrive one paragraph per line; the headline is read
//! once, as the first paragraph; date lines, navigation and copyright lines, the
//! headline's repeats, related-links blocks, repeated paragraphs and the
//! readers' comments below an article are left out, and each kind left out is counted
//! in a note.

use super::Related;
use crate::doc::Span;
use crate::time::{dct::find_in_text, Dct};
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// A line of more words, or with a final full stop, is prose rather than a headline.
const MAX_HEADLINE_WORDS: usize = 25;
/// Lines longer than this are never navigation or copyright lines.
const MAX_BOILERPLATE_BYTES: usize = 200;
/// Lines longer than this are never only a date (a labelled, timed date with its zone
/// name is about 70).
const MAX_DATE_BYTES: usize = 120;
/// Shorter paragraphs ("Q:", "Watch:") may repeat legitimately.
const MIN_DEDUP_WORDS: usize = 4;
/// Near-duplicate detection needs enough word triples for the overlap to mean something.
const MIN_NEAR_WORDS: usize = 8;
/// Jaccard similarity of word-triple sets from which a paragraph repeats an earlier one.
const NEAR_DUPLICATE: f64 = 0.8;
/// MinHash bands: paragraphs that share a band's minimum are compared. With Jaccard
/// ≥ 0.8 a pair shares at least one of 4 with probability ≥ 1 - 0.2⁴ ≈ 0.998.
const BANDS: usize = 4;
/// Paragraphs kept per band bucket, so the comparisons per paragraph stay bounded.
const BUCKET_CAP: usize = 8;

/// Whole-line headers that open a related-links block.
const RELATED_HEADERS: &[&str] = &[
    "more on theme",
    "related",
    "related articles",
    "related stories",
    "related news",
    "related content",
    "read more",
    "read also",
    "see also",
    "more on this",
    "more on this story",
    "more stories",
    "you may also like",
    "recommended",
    "most read",
];
/// Whole-line navigation and page furniture.
const NAVIGATION: &[&str] = &[
    "follow us",
    "share",
    "share this",
    "share this article",
    "share this story",
    "subscribe",
    "subscribe now",
    "sign up",
    "advertisement",
    "print",
    "email",
    "comments",
    "back to top",
];
/// Line openings of inline links ("Read more: Kyiv braces for ...").
const LINK_PREFIXES: &[&str] = &[
    "read more:",
    "related:",
    "read also:",
    "also read:",
    "see also:",
    "follow us on",
];

pub(super) struct Cleaned {
    /// The headline guessed from the first lines, when no title was given.
    pub title: Option<String>,
    pub body: Vec<Span>,
    pub related: Vec<Related>,
    pub notes: Vec<String>,
}

/// Chooses the body paragraphs of `text`. `title` is the known title, if any; without
/// one the first lines are searched for a headline. Related-links headlines become
/// [`Related`] items when `keep_related`, otherwise they are only counted.
pub(super) fn clean(text: &str, title: Option<&str>, keep_related: bool) -> Cleaned {
    let guessed = if title.is_some() {
        None
    } else {
        guess_title(text).map(|s| s.of(text))
    };
    let mut words = Vec::new();
    let title_key = title.or(guessed).map(|t| {
        word_hashes(t, &mut words);
        exact_key(&words)
    });
    let mut body = Vec::new();
    let mut related = Vec::new();
    let mut block: Option<Block> = None;
    let (mut blocks, mut headlines, mut boilerplate, mut repeated, mut near) = (0, 0, 0, 0, 0);
    let mut dedup = Dedup::default();
    let mut title_read = false;
    for span in lines(text) {
        let kind = classify(text, span);
        if let Some(b) = block.as_mut() {
            if b.take(&kind, span, text, &mut related) {
                continue;
            }
            headlines += b.headlines;
            block = None;
        }
        match kind {
            Kind::RelatedHeader => {
                blocks += 1;
                block = Some(Block::default());
            }
            Kind::Date(_) | Kind::Navigation => boilerplate += 1,
            Kind::Text => {
                word_hashes(span.of(text), &mut words);
                // The headline is read once, as the first paragraph it is: it names the
                // story's main event. Pages repeat it (page title, heading); the copies go.
                if !words.is_empty() && title_key == Some(exact_key(&words)) {
                    if title_read {
                        continue;
                    }
                    title_read = true;
                }
                match dedup.check(&words) {
                    Seen::First => body.push(span),
                    Seen::Repeat => repeated += 1,
                    Seen::NearRepeat => near += 1,
                }
            }
        }
    }
    headlines += block.map_or(0, |b| b.headlines);

    let mut notes = Vec::new();
    // Only below an article: a page of nothing but comments keeps them.
    let from = body.first().map(|first| first.start);
    if let Some(cut) = from.and_then(|from| comments_start(text, from).filter(|&cut| from < cut)) {
        body.retain(|s| s.start < cut);
        if let Some(last) = body.pop() {
            // The paragraph the comments begin in keeps what comes before them.
            body.extend(trim(
                text,
                Span::new(last.start, last.end.min(cut)),
                char::is_whitespace,
            ));
        }
        let header = text.get(cut..).and_then(|t| t.split(" wrote:").next()).unwrap_or("");
        notes.push(format!("readers' comments left out, from {header:?} on"));
    }
    if repeated > 0 {
        notes.push(format!(
            "{} read once",
            plural(repeated, "repeated paragraph", "repeated paragraphs")
        ));
    }
    if near > 0 {
        let what = plural(near, "near-duplicate paragraph", "near-duplicate paragraphs");
        notes.push(format!(
            "{what} left out (80% or more the same words as an earlier one)"
        ));
    }
    if boilerplate > 0 {
        let what = plural(
            boilerplate,
            "navigation, copyright or date line",
            "navigation, copyright or date lines",
        );
        notes.push(format!("{what} left out"));
    }
    if blocks > 0 {
        let which = if blocks == 1 {
            "related-links block".to_string()
        } else {
            format!("{blocks} related-links blocks")
        };
        let items = plural(headlines, "headline", "headlines");
        notes.push(if keep_related {
            format!("{which} ({items}) kept as related items, not body")
        } else {
            related.clear();
            format!("{which} ({items}) left out")
        });
    }
    Cleaned {
        title: guessed.map(str::to_string),
        body,
        related,
        notes,
    }
}

/// The header of a reader's comment: a clock time, a date with its year, a name and
/// "wrote:" ("At 14:33 3rd May 2009, Stephen wrote:", "At 6:53 P.M. on Jan 13, 2010,
/// Jessica Clark wrote:"), opening a line or following a sentence, and with no sentence
/// break inside ([`comments_start`] checks that).
static COMMENT_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\n|[.!?\x22”)]\s+)(At [0-9]{1,2}[:.][0-9][0-9]\b[^\n]{0,40}?\b(?:1[89]|20)[0-9][0-9], [^\n.!?:]{1,40} wrote:)")
        .expect("comment header regex")
});

/// Where the readers' comments below an article begin: the first comment header at or
/// after `from` (where the body starts), when at least two headers follow it. A comment
/// section holds many; one header alone is more likely news quoting a post ("At 11:02
/// p.m. on Jan. 20, 2017, the president wrote:"), and what readers write is no report.
fn comments_start(text: &str, from: usize) -> Option<usize> {
    let mut headers = COMMENT_HEADER.captures_iter(text).filter_map(|c| c.get(1)).filter(|m| {
        // "At 10:30 the minister left. In 2009, critics wrote:" is two sentences.
        let inside = m.as_str();
        let breaks = inside
            .match_indices(". ")
            .any(|(i, _)| inside[i + 2..].trim_start().starts_with(char::is_uppercase));
        m.start() >= from && !breaks
    });
    let first = headers.next()?;
    headers.next().map(|_| first.start())
}

/// What a line is, as far as cleaning cares.
enum Kind {
    /// Only a date (the publication date line, the dates of related headlines).
    Date(Dct),
    RelatedHeader,
    Navigation,
    Text,
}

fn classify(text: &str, span: Span) -> Kind {
    let line = span.of(text);
    if line.len() > MAX_BOILERPLATE_BYTES {
        return Kind::Text;
    }
    // Date lines are short and end without a full stop; the check keeps the date
    // parser off ordinary paragraphs.
    if line.len() <= MAX_DATE_BYTES && !line.ends_with('.') && line.bytes().any(|b| b.is_ascii_digit()) {
        if let Some(mut dct) = find_in_text(line) {
            dct.span = dct.span.map(|s| Span::new(span.start + s.start, span.start + s.end));
            return Kind::Date(dct);
        }
    }
    let lower = line.to_lowercase();
    let key = lower.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '#' | ':' | '»' | '›' | '|'));
    if RELATED_HEADERS.contains(&key) {
        Kind::RelatedHeader
    } else if NAVIGATION.contains(&key)
        || LINK_PREFIXES.iter().any(|p| key.starts_with(p))
        || key.starts_with('©')
        || key.starts_with("copyright")
        || key.starts_with("(c) ")
        || key.contains("all rights reserved")
    {
        Kind::Navigation
    } else {
        Kind::Text
    }
}

/// A related-links block being read: dated headlines until prose or navigation.
#[derive(Default)]
struct Block {
    headlines: usize,
    /// A date line read since the last headline, for the next headline.
    date_before: Option<Dct>,
    /// The related item of a headline that had no date before it, for the next date.
    undated: Option<usize>,
}

impl Block {
    /// Takes a line into the block; false when the line ends the block instead.
    fn take(&mut self, kind: &Kind, span: Span, text: &str, related: &mut Vec<Related>) -> bool {
        match kind {
            Kind::RelatedHeader => true,
            Kind::Date(dct) => {
                match self.undated.take() {
                    Some(i) => related[i].dct = Some(dct.clone()),
                    None => self.date_before = Some(dct.clone()),
                }
                true
            }
            Kind::Text if is_headline(span.of(text)) => {
                let dct = self.date_before.take();
                self.undated = dct.is_none().then_some(related.len());
                related.push(Related {
                    span: trim_markup(text, span),
                    dct,
                });
                self.headlines += 1;
                true
            }
            Kind::Navigation | Kind::Text => false,
        }
    }
}

/// The first of the first three lines that reads as a headline, when more lines follow
/// and no related-links block comes first.
fn guess_title(text: &str) -> Option<Span> {
    let mut lines = lines(text);
    for _ in 0..3 {
        let span = lines.next()?;
        match classify(text, span) {
            Kind::Text if is_headline(span.of(text)) => return lines.next().map(|_| trim_markup(text, span)),
            Kind::RelatedHeader => return None,
            _ => {}
        }
    }
    None
}

/// Short, with a letter, and no final full stop.
fn is_headline(line: &str) -> bool {
    let end = line.trim_end_matches(['*', '_', '"', '\'', '”', '’']);
    !end.ends_with('.')
        && line.split_whitespace().nth(MAX_HEADLINE_WORDS).is_none()
        && line.chars().any(char::is_alphabetic)
}

/// The non-blank lines of `text`, trimmed.
fn lines(text: &str) -> impl Iterator<Item = Span> + '_ {
    let mut offset = 0;
    text.split('\n').filter_map(move |line| {
        let start = offset;
        offset += line.len() + 1;
        // A byte order mark opens the first line and is no part of it.
        trim(text, Span::new(start, start + line.len()), |c| {
            c.is_whitespace() || c == '\u{FEFF}'
        })
    })
}

/// `span` without Markdown emphasis or heading marks around it (`**Headline**`).
fn trim_markup(text: &str, span: Span) -> Span {
    trim(text, span, |c| c.is_whitespace() || matches!(c, '*' | '_' | '#')).unwrap_or(span)
}

fn trim(text: &str, span: Span, strip: impl Fn(char) -> bool + Copy) -> Option<Span> {
    let s = span.of(text);
    let rest = s.trim_start_matches(strip);
    let start = span.start + s.len() - rest.len();
    let kept = rest.trim_end_matches(strip);
    (!kept.is_empty()).then(|| Span::new(start, start + kept.len()))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Whether a paragraph was read before.
enum Seen {
    First,
    Repeat,
    NearRepeat,
}

/// Finds repeated paragraphs in linear time: exact repeats by a hash of their
/// normalised words (case, quotes, punctuation and spacing ignored), near repeats by
/// Jaccard similarity of word triples, compared only with earlier paragraphs that share
/// a MinHash band bucket (at most [`BUCKET_CAP`] each).
#[derive(Default)]
struct Dedup {
    exact: HashSet<u64>,
    /// Word-triple sets of the paragraphs in `buckets`, 4 bytes a word.
    sets: Vec<Vec<u32>>,
    buckets: HashMap<u64, Vec<usize>>,
}

impl Dedup {
    /// `words` are a paragraph's word hashes; a paragraph seen first is remembered.
    fn check(&mut self, words: &[u64]) -> Seen {
        if words.len() < MIN_DEDUP_WORDS {
            return Seen::First;
        }
        if !self.exact.insert(exact_key(words)) {
            return Seen::Repeat;
        }
        if words.len() < MIN_NEAR_WORDS {
            return Seen::First;
        }
        let set = triples(words);
        let mut keys = [u64::MAX; BANDS];
        for &t in &set {
            for (band, key) in keys.iter_mut().enumerate() {
                *key = (*key).min(mix(u64::from(t) ^ SEEDS[band]));
            }
        }
        let mut compared = Vec::new();
        for (band, key) in keys.iter_mut().enumerate() {
            *key = mix(*key ^ band as u64);
            for &earlier in self.buckets.get(&*key).into_iter().flatten() {
                if !compared.contains(&earlier) {
                    compared.push(earlier);
                    if jaccard(&set, &self.sets[earlier]) >= NEAR_DUPLICATE {
                        return Seen::NearRepeat;
                    }
                }
            }
        }
        let id = self.sets.len();
        let mut stored = false;
        for key in keys {
            let bucket = self.buckets.entry(key).or_default();
            if bucket.len() < BUCKET_CAP {
                bucket.push(id);
                stored = true;
            }
        }
        if stored {
            self.sets.push(set);
        }
        Seen::First
    }
}

const SEEDS: [u64; BANDS] = [
    0x243F_6A88_85A3_08D3,
    0x1319_8A2E_0370_7344,
    0xA409_3822_299F_31D0,
    0x082E_FA98_EC4E_6C89,
];

/// SplitMix64's finaliser: a fast, well-spread 64-bit hash of a 64-bit value.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hashes of the lowercased alphanumeric words of `s`, into `out`: punctuation,
/// quote style, case and spacing do not change them. FNV-1a over the chars, mixed.
fn word_hashes(s: &str, out: &mut Vec<u64>) {
    const FNV_OFFSET: u64 = 0xCBF2_9CE4_8422_2325;
    const FNV_PRIME: u64 = 0x0000_0100_0000_01B3;
    out.clear();
    let mut h = FNV_OFFSET;
    let mut in_word = false;
    for c in s.chars() {
        let alphanumeric = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if alphanumeric {
            if c.is_ascii() {
                h = (h ^ u64::from(c.to_ascii_lowercase())).wrapping_mul(FNV_PRIME);
            } else {
                for l in c.to_lowercase() {
                    h = (h ^ u64::from(l)).wrapping_mul(FNV_PRIME);
                }
            }
            in_word = true;
        } else if in_word {
            out.push(mix(h));
            h = FNV_OFFSET;
            in_word = false;
        }
    }
    if in_word {
        out.push(mix(h));
    }
}

fn exact_key(words: &[u64]) -> u64 {
    words.iter().fold(words.len() as u64, |acc, &w| mix(acc ^ w))
}

/// The sorted, distinct hashes of consecutive word triples, 32 bits each: collisions
/// among a paragraph's few hundred triples are rare enough not to move a similarity.
fn triples(words: &[u64]) -> Vec<u32> {
    let mut out: Vec<u32> = words
        .windows(3)
        .map(|w| (mix(w[0] ^ w[1].rotate_left(21) ^ w[2].rotate_left(42)) >> 32) as u32)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Jaccard similarity of two sorted, distinct sets.
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    if union == 0 {
        1.0
    } else {
        shared as f64 / union as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "Talks Resume in London\n\nPublished: July 15, 2025\nTalks Resume in London\n\
        Delegations from both sides met in London on Monday to resume talks.\n\
        Delegations from both sides met in London on Monday to resume talks.\n\
        A second paragraph says more about the talks and what comes next for everyone involved.\n\
        A second paragraph says more about the talks and what comes next for everyone involved today.\n\
        Related\n\nMon, 14 Jul 2025 20:39:39 GMT\n\n**Trump Backs New Deal**\n\nMon, 14 Jul 2025 20:39:39 GMT\n\
        Mon, 14 Jul 2025 18:24:08 GMT\nSanctions Loom\nFollow us\n© 2024 Example Media. All rights reserved.\n";

    fn body(c: &Cleaned) -> Vec<&str> {
        c.body.iter().map(|s| s.of(PAGE)).collect()
    }

    #[test]
    fn boilerplate_title_and_repeats_are_left_out_and_counted() {
        let c = clean(PAGE, None, false);
        assert_eq!(c.title.as_deref(), Some("Talks Resume in London"));
        assert_eq!(
            body(&c),
            vec![
                "Talks Resume in London",
                "Delegations from both sides met in London on Monday to resume talks.",
                "A second paragraph says more about the talks and what comes next for everyone involved."
            ]
        );
        assert!(c.related.is_empty());
        assert_eq!(
            c.notes,
            vec![
                "1 repeated paragraph read once",
                "1 near-duplicate paragraph left out (80% or more the same words as an earlier one)",
                "3 navigation, copyright or date lines left out",
                "related-links block (2 headlines) left out",
            ]
        );
    }

    #[test]
    fn readers_comments_below_an_article_are_left_out() {
        // As scraped blog pages come: paragraphs run together, then the comments.
        let page = "Health officials confirmed a second case on Friday.  Schools stay open.  \
            At 14:33 3rd May 2009, Stephen wrote: The virus is unlikely to spread here.  \
            At 6:53 P.M. on Jan 13, 2010, Jessica Clark wrote: I agree.\n\
            More from readers.\n";
        let c = clean(page, Some("Flu"), false);
        let body: Vec<&str> = c.body.iter().map(|s| s.of(page)).collect();
        assert_eq!(
            body,
            ["Health officials confirmed a second case on Friday.  Schools stay open."]
        );
        assert_eq!(
            c.notes,
            [r#"readers' comments left out, from "At 14:33 3rd May 2009, Stephen" on"#]
        );

        // News quoting a post (one header, or none with a year), and a time and a year
        // in two sentences, stay whole.
        for news in [
            "At 6:12 a.m., the president wrote: \"We will win.\" Aides said nothing.\n",
            "Aides were stunned. At 11:02 p.m. on Jan. 20, 2017, the president wrote: \"Win.\" Nobody answered.\n",
            "At 10:30 the minister left. In 2009, critics wrote: no. At 11:30 he came back. In 2010, critics wrote: yes.\n",
        ] {
            let c = clean(news, Some("Posts"), false);
            assert_eq!(c.body.iter().map(|s| s.of(news)).collect::<Vec<_>>(), [news.trim_end()], "{news}");
            assert!(c.notes.is_empty(), "{news}");
        }
    }

    #[test]
    fn related_headlines_keep_the_date_next_to_them() {
        let c = clean(PAGE, Some("Talks Resume in London"), true);
        assert_eq!(c.title, None, "a given title is not guessed again");
        let got: Vec<(&str, String)> = c
            .related
            .iter()
            .map(|r| {
                (
                    r.span.of(PAGE),
                    r.dct
                        .as_ref()
                        .and_then(|d| d.datetime)
                        .map(|d| d.to_rfc3339())
                        .unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("Trump Backs New Deal", "2025-07-14T20:39:39+00:00".to_string()),
                ("Sanctions Loom", "2025-07-14T18:24:08+00:00".to_string())
            ]
        );
        let span = c.related[1].dct.as_ref().and_then(|d| d.span).unwrap();
        assert_eq!(span.of(PAGE), "Mon, 14 Jul 2025 18:24:08 GMT");
        assert!(c.notes.last().unwrap().ends_with("kept as related items, not body"));
    }

    #[test]
    fn a_date_after_an_undated_headline_is_its_date() {
        let text = "Body text of the article goes here and is long enough.\nRead more\nFirst Link\nJuly 1, 2025\nSecond Link\nJuly 2, 2025\n";
        let c = clean(text, None, true);
        let dates: Vec<String> = c
            .related
            .iter()
            .map(|r| r.dct.as_ref().unwrap().date.to_string())
            .collect();
        assert_eq!(dates, vec!["2025-07-01", "2025-07-02"]);
    }

    #[test]
    fn prose_ends_a_related_block_and_short_repeats_stay() {
        let text = "Lead paragraph of the story, with a full stop.\nSee also\nA Headline\nThe story goes on after the links, as stories do.\nQ: Why?\nQ: Why?\n";
        let c = clean(text, None, false);
        let got: Vec<&str> = c.body.iter().map(|s| s.of(text)).collect();
        assert_eq!(
            got,
            vec![
                "Lead paragraph of the story, with a full stop.",
                "The story goes on after the links, as stories do.",
                "Q: Why?",
                "Q: Why?"
            ]
        );
        assert_eq!(c.title, None, "prose is not a title");
    }

    #[test]
    fn near_duplicates_need_most_word_triples_shared() {
        let mut words = Vec::new();
        let mut set = |s: &str| {
            word_hashes(s, &mut words);
            triples(&words)
        };
        let a = set("The delegation will meet U.S. and European officials in London later this week, officials said.");
        let b = set("The delegation will meet U.S. and European officials in London later this week, officials say.");
        let c = set("The delegation will not travel to London this week, a spokesman for the ministry said.");
        assert!(jaccard(&a, &b) >= NEAR_DUPLICATE && jaccard(&a, &c) < 0.3);
        word_hashes("“Ready,” he SAID", &mut words);
        let curly = words.clone();
        word_hashes("\"ready\",   he said", &mut words);
        assert_eq!(curly, words, "quotes, case and spacing are normalised");
    }
}
