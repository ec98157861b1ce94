//! Choosing a day's summary sentences: the ones most like what the other articles say
//! about that day (centrality), from those that are about it, none repeating what the
//! digest already says (redundancy).

use crate::doc::DocId;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Page furniture that sentence splitting leaves at the head of a sentence: a time
/// stamp ("Friday 14 January 2005 02.44 GMT", "Last updated at 17:57 GMT", "12.31 BST on
/// Friday 30 April 2010"), and a photo credit ("Photograph: Gerald Herbert/AP", "AP
/// Photo/Patrick Semansky"), with whatever came before it (a headline, a caption). A time
/// with a zone alone is no stamp ("at 16:53 EST Tuesday"). The credit's name ends at an
/// agency after a slash, at a known agency, or after two words.
static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    let zone = r"(?:GMT|BST|UTC|CET|EST|EDT|CST|CDT|PST|PDT|ET)";
    let time = format!(r"\d{{1,2}}[.:]\d{{2}}\s*{zone}\b");
    let month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)";
    let day = format!(r"\d{{1,2}}\s+{month},?\s+\d{{4}}");
    let stamp = format!(
        r"\b{day},?\s+{time}(?:\s+\d{{1,2}}:\d{{2}}\s+UK)?|\b(?:Last updated|Last modified|First published|Updated)(?:\s+(?:at|on))?\s+{time}|\b{time}\s+on\s+[A-Z][a-z]+day,?\s+{day}"
    );
    let agency = r"(?:AP|AFP|EPA|Reuters|PA(?: Wire)?|Getty(?: Images)?|Bloomberg|Rex(?: Features)?|Corbis|Alamy|Xinhua|UPI|Nasa|NASA)";
    let name = r"[A-Z][\w.'-]*";
    // "Mario Tama/Getty Images", "Reuters/Eliana Aponte": after a slash, an agency or a
    // person's two names.
    let slashed = format!(r"(?:{name}\s+){{0,3}}{name}(?:\\?/(?:{agency}\b|{name}\s+{name}))+");
    let credit = format!(
        r"\b(?:Photograph|Photo|Picture|Illustration|Image)s?:\s*(?:{slashed}|{agency}\b|{name}\s+{name})|\(AP Photo(?:\\?/{name}(?:\s+{name})?)?\)|\bAP Photo\\?/{name}(?:\s+{name})?"
    );
    Regex::new(&format!("{stamp}|{credit}")).expect("a fixed pattern")
});

/// The part of a sentence to quote: after the last time stamp or photo credit in it
/// ([`FURNITURE`]) that a new sentence follows (a capital, a quotation mark or a digit,
/// or no word), trimmed. Empty when no word is left.
pub(super) fn clean(sentence: &str) -> std::ops::Range<usize> {
    let starts = |c: char| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'".contains(c);
    let wordless = |s: &str| !s.chars().any(char::is_alphanumeric);
    let start = FURNITURE
        .find_iter(sentence)
        .filter(|m| {
            let rest = &sentence[m.end()..];
            rest.trim_start().chars().next().is_none_or(starts) || wordless(rest)
        })
        .last()
        .map_or(0, |m| m.end());
    let rest = &sentence[start..];
    if wordless(rest) {
        return sentence.len()..sentence.len();
    }
    let start = start + (rest.len() - rest.trim_start().len());
    start..start + rest.trim().len()
}

/// A sentence as weighted words (tf-idf, unit length), words as ids sorted.
#[derive(Debug, Clone, Default)]
pub(super) struct Bag(Vec<(u32, f64)>);

impl Bag {
    /// The normalised sum of `bags`: what a set of sentences says.
    pub fn centroid<'a>(bags: impl Iterator<Item = &'a Bag>) -> Bag {
        let mut sum: std::collections::BTreeMap<u32, f64> = std::collections::BTreeMap::new();
        for (w, x) in bags.flat_map(|b| &b.0) {
            *sum.entry(*w).or_default() += x;
        }
        Bag::unit(sum.into_iter().collect())
    }

    /// `v` (sorted by word) scaled to unit length.
    fn unit(mut v: Vec<(u32, f64)>) -> Bag {
        let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|(_, x)| *x /= norm);
        }
        Bag(v)
    }

    pub fn cosine(&self, other: &Bag) -> f64 {
        let (mut i, mut j, mut dot) = (0, 0, 0.0);
        while i < self.0.len() && j < other.0.len() {
            match self.0[i].0.cmp(&other.0[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dot += self.0[i].1 * other.0[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        dot
    }
}

/// Lower-cased words of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Bags for `texts`, words weighted by their inverse frequency among `texts`, so that
/// the words every sentence has count for little without a stop list.
pub(super) fn bags(texts: &[&str]) -> Vec<Bag> {
    let mut ids: HashMap<String, u32> = HashMap::new();
    let counted: Vec<HashMap<u32, f64>> = texts
        .iter()
        .map(|t| {
            let mut tf: HashMap<u32, f64> = HashMap::new();
            for w in words(t) {
                let next = ids.len() as u32;
                *tf.entry(*ids.entry(w).or_insert(next)).or_default() += 1.0;
            }
            tf
        })
        .collect();
    let mut df = vec![0.0f64; ids.len()];
    for tf in &counted {
        for &w in tf.keys() {
            df[w as usize] += 1.0;
        }
    }
    let n = texts.len() as f64;
    counted
        .into_iter()
        .map(|tf| {
            let mut v: Vec<(u32, f64)> = tf
                .into_iter()
                .map(|(w, c)| (w, c * ((n + 1.0) / (df[w as usize] + 0.5)).ln()))
                .collect();
            v.sort_unstable_by_key(|(w, _)| *w);
            Bag::unit(v)
        })
        .collect()
}

/// A candidate summary sentence of one day.
pub(super) struct Candidate {
    pub doc: DocId,
    /// How surely it tells what happened that day (1: one of its events, dated).
    pub about: f64,
    pub bag: Bag,
    /// Words; very short and very long sentences summarise badly.
    pub len: usize,
}

/// Sentences this similar say the same thing.
pub(super) const SAME: f64 = 0.6;

/// Picks up to `n` of `candidates`: each the most central among those about the day
/// (summed similarity to the candidates of other articles) times the square of one less
/// its greatest similarity to what is already chosen (`chosen`, the digest so far,
/// grows); none as like as [`SAME`]. Returns indices.
pub(super) fn choose(candidates: &[Candidate], n: usize, chosen: &mut Vec<Bag>) -> Vec<usize> {
    let fits = |c: &Candidate| (6..=60).contains(&c.len);
    let pool: Vec<usize> = if candidates.iter().any(fits) {
        (0..candidates.len()).filter(|&i| fits(&candidates[i])).collect()
    } else {
        (0..candidates.len()).filter(|&i| candidates[i].len > 0).collect()
    };
    let central: Vec<f64> = pool
        .iter()
        .map(|&i| {
            let c = &candidates[i];
            let support: f64 = pool
                .iter()
                .filter(|&&j| candidates[j].doc != c.doc)
                .map(|&j| c.bag.cosine(&candidates[j].bag))
                .sum();
            c.about * (1.0 + support)
        })
        .collect();
    let mut picked = Vec::new();
    while picked.len() < n {
        let best = pool
            .iter()
            .zip(&central)
            .filter(|(i, _)| !picked.contains(*i))
            .filter_map(|(&i, &score)| {
                let redundancy = chosen.iter().map(|b| candidates[i].bag.cosine(b)).fold(0.0, f64::max);
                (redundancy < SAME).then_some((i, score * (1.0 - redundancy).powi(2)))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let Some((i, _)) = best else { break };
        picked.push(i);
        chosen.push(candidates[i].bag.clone());
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_and_credits_are_cut_from_the_head_of_a_quote() {
        let cut = |s: &str| s[clean(s)].to_string();
        assert_eq!(
            cut("BP faces storm Wednesday 30 June 2010 09.55 BST The first named storm of the season has hit the clean-up."),
            "The first named storm of the season has hit the clean-up."
        );
        assert_eq!(
            cut(
                r"The rig burning last week Photograph: Gerald Herbert\/AP Underwater robots dived to the ocean floor."
            ),
            "Underwater robots dived to the ocean floor."
        );
        assert_eq!(
            cut("Photograph: Reuters Barack Obama today risked the wrath of families."),
            "Barack Obama today risked the wrath of families."
        );
        assert_eq!(
            cut("Photograph: Dave Martin When the chief executive spoke, shares fell."),
            "When the chief executive spoke, shares fell."
        );
        assert_eq!(
            cut(r"AP Photo\/Patrick Semansky Oil-dispersing chemicals carry their own risks."),
            "Oil-dispersing chemicals carry their own risks."
        );
        assert_eq!(
            cut("29 September 2011 Last updated at 17:57 GMT One of the bodyguards testified."),
            "One of the bodyguards testified."
        );
        assert_eq!(
            cut(r"Booms ring the bay Photograph: Gerald Herbert\/AP"),
            "",
            "a caption and its credit leave nothing"
        );
        assert_eq!(
            cut(r"Photograph: Reuters\/Eliana Aponte Mexico City lowered its alert level."),
            "Mexico City lowered its alert level."
        );
        assert_eq!(
            cut("Protesters marched Photograph: Danny Lawson/PA Wire \u{201c}We will not leave,\u{201d} one said."),
            "\u{201c}We will not leave,\u{201d} one said."
        );
        assert_eq!(cut("Caption Photograph: AP   "), "", "nothing left, an empty range");
        assert_eq!(cut("Sunday 2 March 2025 10.40 GMT."), "", "a stamp alone");
        for plain in [
            "The talks resumed at 10.30 in Geneva on Monday.",
            "Shares closed at 16.30 GMT, down 3% on the day.",
            "The earthquake struck at 16:53 EST Tuesday, about 15km from Port-au-Prince.",
            "The deadline expired at 12:00 GMT Sunday without a deal.",
            "The AP Photo Editor, Santiago Lyon, said the image was genuine.",
        ] {
            assert_eq!(cut(plain), plain, "no stamp or credit");
        }
    }

    #[test]
    fn central_sentences_first_repeats_left_out() {
        let texts = [
            "The earthquake struck the capital on Tuesday, killing thousands of people.",
            "A powerful earthquake struck the capital on Tuesday, killing thousands.",
            "An earthquake struck the capital on Tuesday and thousands were killed there.",
            "The minister said on Tuesday that schools would reopen next month in the north.",
            // Other days' sentences, which weigh the words as in a digest.
            "The minister said the talks would resume next month.",
            "Aid flights landed on Thursday as rescuers searched the rubble.",
            "The president said on Friday that the border would stay open.",
            "Schools in the south reopened on Monday.",
        ];
        let bags = bags(&texts);
        let candidates: Vec<Candidate> = bags
            .into_iter()
            .take(4)
            .enumerate()
            .map(|(doc, bag)| Candidate {
                doc: DocId(doc),
                about: 1.0,
                bag,
                len: 11,
            })
            .collect();
        let mut chosen = Vec::new();
        let picked = choose(&candidates, 2, &mut chosen);
        assert!(
            picked[0] < 3,
            "the quake, told by three articles, comes first: {picked:?}"
        );
        assert_eq!(picked[1], 3, "then something new, not the quake again: {picked:?}");
        assert_eq!(chosen.len(), 2);
        let first = &candidates[picked[0]..=picked[0]];
        assert!(
            choose(first, 1, &mut chosen).is_empty(),
            "a sentence already in the digest is not said again"
        );
    }
}
