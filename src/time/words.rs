//! Numbers written in words or digits ("twenty-four", "2 1/2", "a couple of",
//! "nineteen ninety-six"), read off the token stream.
//!
//! Amounts are kept as whole numbers plus an optional half, which is all that
//! English durations use in practice ("two and a half years" → `P2Y6M`).

use super::recognize::Toks;

/// A count read from the text: `None` in `n` means vague ("several", "a few").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Amount {
    pub n: Option<u64>,
    /// "and a half", "1/2".
    pub half: bool,
    /// "a couple of" is two, approximately.
    pub approx: bool,
}

impl Amount {
    pub fn exact(n: u64) -> Self {
        Amount {
            n: Some(n),
            half: false,
            approx: false,
        }
    }
}

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const ORDINALS: [&str; 32] = [
    "",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "twenty-first",
    "twenty-second",
    "twenty-third",
    "twenty-fourth",
    "twenty-fifth",
    "twenty-sixth",
    "twenty-seventh",
    "twenty-eighth",
    "twenty-ninth",
    "thirtieth",
    "thirty-first",
];

/// Value of a single number word below 100 ("seven", "forty").
fn small_word(w: &str) -> Option<u64> {
    UNITS
        .iter()
        .position(|u| *u == w)
        .or_else(|| TENS.iter().position(|t| !t.is_empty() && *t == w).map(|i| i * 10))
        .map(|v| v as u64)
}

/// "twenty four", "twenty-four", "seven": a number below 100 in words.
fn below_hundred(t: &Toks, i: usize) -> Option<(usize, u64)> {
    let v = small_word(t.lower(i)?)?;
    if v >= 20 && v % 10 == 0 {
        let j = if t.is(i + 1, "-") && t.glued(i + 1) {
            i + 2
        } else {
            i + 1
        };
        if let Some(u) = t.lower(j).and_then(small_word).filter(|u| (1..10).contains(u)) {
            return Some((j + 1, v + u));
        }
    }
    Some((i + 1, v))
}

/// A cardinal in words up to the thousands ("two hundred", "a hundred", "two thousand").
fn words_cardinal(t: &Toks, i: usize) -> Option<(usize, u64)> {
    let (mut j, mut v) = if t.is_any(i, &["a", "one"]) && t.is_any(i + 1, &["hundred", "thousand"]) {
        (i + 1, 1)
    } else {
        below_hundred(t, i)?
    };
    if t.is(j, "hundred") {
        v *= 100;
        j += 1;
        let k = if t.is(j, "and") { j + 1 } else { j };
        if let Some((e, r)) = below_hundred(t, k).filter(|(_, r)| *r > 0) {
            v += r;
            j = e;
        }
    }
    if t.is(j, "thousand") {
        v *= 1000;
        j += 1;
    }
    Some((j, v))
}

/// A count: digits, number words, "a"/"an" (one), or a vague quantity
/// ("several", "a few", "many"). Followed optionally by a half ("2 1/2", "two and a half").
pub fn amount(t: &Toks, i: usize) -> Option<(usize, Amount)> {
    let (j, mut a) = if let Some(n) = t.number(i) {
        (i + 1, Amount::exact(n))
    } else if t.is_any(i, &["a", "an"]) && t.is_any(i + 1, &["few", "couple"]) {
        let couple = t.is(i + 1, "couple");
        let j = if t.is(i + 2, "of") { i + 3 } else { i + 2 };
        let n = if couple { Some(2) } else { None };
        (
            j,
            Amount {
                n,
                half: false,
                approx: couple,
            },
        )
    } else if t.is_any(i, &["several", "few", "many", "some", "couple"]) {
        let j = if t.is(i, "couple") && t.is(i + 1, "of") {
            i + 2
        } else {
            i + 1
        };
        (
            j,
            Amount {
                n: None,
                half: false,
                approx: false,
            },
        )
    } else if t.is_any(i, &["a", "an"]) && !t.is_any(i + 1, &["hundred", "thousand"]) {
        (i + 1, Amount::exact(1))
    } else {
        let (j, n) = words_cardinal(t, i)?;
        (j, Amount::exact(n))
    };
    // "2 1/2"
    if a.n.is_some() && t.is(j, "1") && t.is(j + 1, "/") && t.is(j + 2, "2") {
        a.half = true;
        return Some((j + 3, a));
    }
    // "two and a half" (the unit may also come before: "a minute and a half", handled by the caller)
    if a.n.is_some() && t.is(j, "and") && t.is(j + 1, "a") && t.is(j + 2, "half") {
        a.half = true;
        return Some((j + 3, a));
    }
    Some((j, a))
}

/// An ordinal 1..=31: "first", "twenty-first", "14th", "3rd".
pub fn ordinal(t: &Toks, i: usize) -> Option<(usize, u32)> {
    let w = t.lower(i)?;
    if let Some(n) = t.number(i) {
        let suffix = t.lower(i + 1).filter(|_| t.glued(i + 1));
        if matches!(suffix, Some("st" | "nd" | "rd" | "th")) {
            return u32::try_from(n).ok().map(|n| (i + 2, n));
        }
        return None;
    }
    if let Some(p) = ORDINALS.iter().position(|o| !o.is_empty() && *o == w) {
        return Some((i + 1, p as u32));
    }
    // "twenty-first" arrives as three tokens
    let tens = TENS.iter().position(|x| !x.is_empty() && *x == w)?;
    if t.is(i + 1, "-") && t.glued(i + 1) {
        let unit = ORDINALS[..10]
            .iter()
            .position(|o| !o.is_empty() && Some(*o) == t.lower(i + 2))?;
        let n = (tens * 10 + unit) as u32;
        return (n <= 31).then_some((i + 3, n));
    }
    None
}

/// A year spelled out: "nineteen ninety-six", "nineteen eighty", "two thousand (and) one".
pub fn spelled_year(t: &Toks, i: usize) -> Option<(usize, i32)> {
    let century = small_word(t.lower(i)?).filter(|c| (10..=20).contains(c))?;
    if let Some((j, rest)) = below_hundred(t, i + 1).filter(|(_, r)| *r >= 10) {
        return Some((j, (century * 100 + rest) as i32));
    }
    None
}

/// "two thousand", "two thousand and one": years of the 2000s in words.
pub fn spelled_millennium_year(t: &Toks, i: usize) -> Option<(usize, i32)> {
    if !(t.is(i, "two") && t.is(i + 1, "thousand")) {
        return None;
    }
    let k = if t.is(i + 2, "and") { i + 3 } else { i + 2 };
    match below_hundred(t, k) {
        Some((j, r)) if r > 0 => Some((j, 2000 + r as i32)),
        _ => Some((i + 2, 2000)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::recognize::tokenize;

    fn amt(s: &str) -> Option<(usize, Amount)> {
        let t = tokenize(s);
        amount(&t, 0)
    }

    #[test]
    fn reads_cardinals_in_words_and_digits() {
        assert_eq!(amt("twenty four hours").unwrap().1, Amount::exact(24));
        assert_eq!(amt("twenty-four hours").unwrap().1, Amount::exact(24));
        assert_eq!(amt("a hundred years").unwrap().1, Amount::exact(100));
        assert_eq!(amt("two thousand years").unwrap().1, Amount::exact(2000));
        assert_eq!(amt("18 months").unwrap().1, Amount::exact(18));
        assert!(amt("2 1/2 years").unwrap().1.half);
        assert_eq!(amt("a few days").unwrap().1.n, None);
        assert_eq!(amt("a couple of years").unwrap().1.n, Some(2));
    }

    #[test]
    fn reads_ordinals_and_spelled_years() {
        let t = tokenize("twenty-first 14th third");
        assert_eq!(ordinal(&t, 0), Some((3, 21)));
        assert_eq!(ordinal(&t, 3), Some((5, 14)));
        assert_eq!(ordinal(&t, 5), Some((6, 3)));
        let t = tokenize("nineteen ninety-six");
        assert_eq!(spelled_year(&t, 0), Some((4, 1996)));
        let t = tokenize("two thousand and one");
        assert_eq!(spelled_millennium_year(&t, 0), Some((4, 2001)));
    }
}
