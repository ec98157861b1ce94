//! From words to model input: word pieces per word, and windows that cover a whole
//! document so that every word is predicted exactly once, with context on both sides.

use anyhow::{Context, Result};
use std::path::Path;
use tokenizers::Tokenizer;

/// A word longer than this many pieces is noise (a URL, a hash); its first pieces
/// carry its prediction, so the rest are dropped to keep windows useful.
const MAX_PIECES_PER_WORD: usize = 16;

/// A Hugging Face tokenizer used one word at a time, so that pieces map to words.
pub struct WordTokenizer {
    tokenizer: Tokenizer,
    /// Byte-level BPE (RoBERTa) marks word starts with a leading space.
    space_prefix: bool,
    pub cls: i64,
    pub sep: i64,
    pub pad: i64,
    unk: i64,
}

impl WordTokenizer {
    /// Loads `tokenizer.json`, else `vocab.txt` (WordPiece), else `vocab.json` +
    /// `merges.txt` (byte-level BPE) from a model folder.
    pub fn load(dir: &Path, byte_level: bool) -> Result<Self> {
        let json = dir.join("tokenizer.json");
        let mut tokenizer = if json.exists() {
            Tokenizer::from_file(&json).map_err(|e| {
                anyhow::anyhow!(
                    "{}: not a valid tokenizer.json ({e}); re-export it with a recent `transformers`",
                    json.display()
                )
            })?
        } else if dir.join("vocab.txt").exists() {
            wordpiece(dir)?
        } else if dir.join("vocab.json").exists() && dir.join("merges.txt").exists() {
            byte_level_bpe(dir)?
        } else {
            anyhow::bail!(
                "{}: no tokenizer found; a model folder needs tokenizer.json, or vocab.txt (BERT), or vocab.json + merges.txt (RoBERTa)",
                dir.display()
            );
        };
        tokenizer.with_truncation(None).map_err(anyhow::Error::msg)?;
        tokenizer.with_padding(None);
        let id = |names: &[&str]| -> Result<i64> {
            names
                .iter()
                .find_map(|n| tokenizer.token_to_id(n))
                .map(i64::from)
                .with_context(|| {
                    format!(
                        "{}: the tokenizer has none of the special tokens {names:?}",
                        dir.display()
                    )
                })
        };
        Ok(WordTokenizer {
            cls: id(&["[CLS]", "<s>"])?,
            sep: id(&["[SEP]", "</s>"])?,
            pad: id(&["[PAD]", "<pad>"])?,
            unk: id(&["[UNK]", "<unk>"])?,
            space_prefix: byte_level,
            tokenizer,
        })
    }

    /// The piece ids of one word (never empty: unknown stuff becomes the unknown piece).
    pub fn pieces(&self, word: &str) -> Vec<i64> {
        let input = if self.space_prefix {
            format!(" {word}")
        } else {
            word.to_string()
        };
        let mut ids: Vec<i64> = match self.tokenizer.encode(input, false) {
            Ok(enc) => enc.get_ids().iter().map(|&i| i64::from(i)).collect(),
            Err(_) => Vec::new(),
        };
        ids.truncate(MAX_PIECES_PER_WORD);
        if ids.is_empty() {
            ids.push(self.unk);
        }
        ids
    }
}

fn wordpiece(dir: &Path) -> Result<Tokenizer> {
    use tokenizers::models::wordpiece::WordPiece;
    use tokenizers::normalizers::bert::BertNormalizer;
    use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
    let vocab = dir.join("vocab.txt");
    let model = WordPiece::from_file(&vocab.to_string_lossy())
        .unk_token("[UNK]".into())
        .build()
        .map_err(|e| anyhow::anyhow!("{}: cannot read the WordPiece vocabulary: {e}", vocab.display()))?;
    let lowercase = lowercases(dir, &vocab)?;
    let mut tokenizer = Tokenizer::new(model);
    tokenizer.with_normalizer(Some(BertNormalizer::new(true, true, Some(lowercase), lowercase)));
    tokenizer.with_pre_tokenizer(Some(BertPreTokenizer));
    Ok(tokenizer)
}

/// `do_lower_case` from tokenizer_config.json; without it, a vocabulary with no
/// upper-case entries is taken as uncased.
fn lowercases(dir: &Path, vocab: &Path) -> Result<bool> {
    let config = dir.join("tokenizer_config.json");
    if let Ok(text) = std::fs::read_to_string(&config) {
        let value: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{}: not valid JSON", config.display()))?;
        if let Some(b) = value.get("do_lower_case").and_then(|v| v.as_bool()) {
            return Ok(b);
        }
    }
    let words = std::fs::read_to_string(vocab).with_context(|| format!("reading {}", vocab.display()))?;
    Ok(!words
        .lines()
        .any(|w| !w.starts_with('[') && w.chars().any(char::is_uppercase)))
}

fn byte_level_bpe(dir: &Path) -> Result<Tokenizer> {
    use tokenizers::models::bpe::BPE;
    use tokenizers::pre_tokenizers::byte_level::ByteLevel;
    let (vocab, merges) = (dir.join("vocab.json"), dir.join("merges.txt"));
    let model = BPE::from_file(&vocab.to_string_lossy(), &merges.to_string_lossy())
        .build()
        .map_err(|e| anyhow::anyhow!("{}: cannot read the BPE vocabulary/merges: {e}", dir.display()))?;
    let mut tokenizer = Tokenizer::new(model);
    tokenizer.with_pre_tokenizer(Some(ByteLevel::new(false, true, true)));
    tokenizer.with_decoder(Some(ByteLevel::default()));
    Ok(tokenizer)
}

/// One model input: `[CLS] pieces [SEP]` over a run of one unit's words.
#[derive(Debug, Clone)]
pub struct Window {
    /// Index of the unit (a sentence, or a whole document) among those being tagged:
    /// the model sees no further than its unit.
    pub unit: usize,
    pub ids: Vec<i64>,
    /// The letter case of the word each piece comes from ([`case_class`]), the
    /// token-type input of models that see case; 0 for the special pieces.
    pub types: Vec<i64>,
    /// `(position in ids, word index)` for the first piece of each word this window
    /// predicts. Words in its context margins belong to a neighbouring window.
    pub owned: Vec<(usize, usize)>,
    /// The sentence (index within the unit) of each owned word: the parser attaches
    /// words only within their sentence.
    pub sentences: Vec<usize>,
}

/// Token types for letter case. The base encoder is uncased, so case enters as a
/// token-type embedding per piece; 0 (no information) is also what a plain checkpoint
/// sees everywhere, and what training shows the model now and then so that it copes
/// without case (and so that what case buys can be measured on the same weights).
pub const CASE_TYPES: usize = 6;

/// The case class of a word: 1 no letters, 2 lower, 3 Capitalised, 4 UPPER (two or
/// more letters), 5 mixed (iPhone, McDonald).
pub fn case_class(word: &str) -> i64 {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else { return 1 };
    let (mut upper, mut lower, mut n) = (0, 0, 1);
    for c in letters {
        n += 1;
        if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        }
    }
    match (first.is_uppercase(), upper, lower) {
        (false, 0, _) => 2,
        (true, 0, _) => 3,
        (true, u, 0) if u + 1 == n => 4,
        _ => 5,
    }
}

/// A unit's words as the model takes them: the pieces of each word, its case class,
/// and the sentence it belongs to (non-decreasing).
pub struct UnitPieces {
    pub pieces: Vec<Vec<i64>>,
    pub types: Vec<i64>,
    pub sentence: Vec<usize>,
}

impl UnitPieces {
    /// The pieces of `sentences` (each its words), tokenized one word at a time.
    pub fn new(tokenizer: &WordTokenizer, sentences: &[Vec<&str>]) -> Self {
        let mut u = UnitPieces {
            pieces: Vec::new(),
            types: Vec::new(),
            sentence: Vec::new(),
        };
        for (s, words) in sentences.iter().enumerate() {
            for w in words {
                u.pieces.push(tokenizer.pieces(w));
                u.types.push(case_class(w));
                u.sentence.push(s);
            }
        }
        u
    }
}

/// Cuts a unit into windows of at most `max_len` pieces (specials included). Each
/// window predicts a core run of words and sees up to `context` pieces on each side;
/// cores tile the unit, so each word is predicted once, by a window where it is not at
/// an edge (unless the unit itself ends). Cores end at sentence ends where a whole
/// sentence fits, so that a sentence is parsed in one window; only a sentence longer
/// than a core is cut inside.
pub fn windows(unit: usize, u: &UnitPieces, max_len: usize, context: usize, cls: i64, sep: i64) -> Vec<Window> {
    let pieces = &u.pieces;
    let budget = max_len.saturating_sub(2).max(1);
    let total: usize = pieces.iter().map(Vec::len).sum();
    let context = if total <= budget { 0 } else { context.min(budget / 4) };
    let core_budget = budget - 2 * context;
    let mut out = Vec::new();
    let mut start = 0;
    while start < pieces.len() {
        // Core: as many words as fit, at least one; then back to the last sentence end.
        let mut end = start;
        let mut used = 0;
        while end < pieces.len() && (end == start || used + pieces[end].len() <= core_budget) {
            used += pieces[end].len();
            end += 1;
        }
        if end < pieces.len() && u.sentence[end] == u.sentence[end - 1] {
            if let Some(cut) = (start + 1..end).rev().find(|&w| u.sentence[w] != u.sentence[w - 1]) {
                end = cut;
            }
        }
        // Margins: whole words, up to `context` pieces each side.
        let (mut left, mut right) = (start, end);
        let mut margin = 0;
        while left > 0 && margin + pieces[left - 1].len() <= context {
            left -= 1;
            margin += pieces[left].len();
        }
        margin = 0;
        while right < pieces.len() && margin + pieces[right].len() <= context {
            margin += pieces[right].len();
            right += 1;
        }
        let mut w = Window {
            unit,
            ids: vec![cls],
            types: vec![0],
            owned: Vec::with_capacity(end - start),
            sentences: Vec::new(),
        };
        for (k, piece) in pieces.iter().enumerate().take(right).skip(left) {
            if (start..end).contains(&k) {
                w.owned.push((w.ids.len(), k));
                w.sentences.push(u.sentence[k]);
            }
            let room = budget + 1 - w.ids.len();
            let taken = piece.len().min(room);
            w.ids.extend_from_slice(&piece[..taken]);
            w.types.extend(std::iter::repeat_n(u.types[k], taken));
        }
        w.ids.push(sep);
        w.types.push(0);
        out.push(w);
        start = end;
    }
    out
}

/// The windows of `units` (each its sentences, each its words), word pieces from
/// `tokenizer`; `Window::unit` indexes `units`. Needs only the tokenizer, so it can run
/// on other threads than the model.
pub fn unit_windows(tokenizer: &WordTokenizer, units: &[&[Vec<&str>]], max_len: usize, context: usize) -> Vec<Window> {
    units
        .iter()
        .enumerate()
        .flat_map(|(i, sentences)| {
            windows(
                i,
                &UnitPieces::new(tokenizer, sentences),
                max_len,
                context,
                tokenizer.cls,
                tokenizer.sep,
            )
        })
        .collect()
}

/// The windows of one document given as its sentences' words, and the word counts of
/// its units (all sentences together, or each alone, by `opts.scope`). Needs only the
/// tokenizer, so it can run on other threads than the model.
pub fn doc_windows(
    tokenizer: &WordTokenizer,
    sentences: &[Vec<&str>],
    opts: super::Options,
) -> (Vec<Window>, Vec<usize>) {
    let units: Vec<&[Vec<&str>]> = match opts.scope {
        super::Scope::Document => vec![sentences],
        super::Scope::Sentence => sentences.chunks(1).collect(),
    };
    let sizes = units.iter().map(|u| u.iter().map(Vec::len).sum()).collect();
    (unit_windows(tokenizer, &units, opts.window, opts.context), sizes)
}

/// Groups sequences of the given lengths into forward passes of at most `budget`
/// pieces, padding included. Shortest first, so each pass holds sequences of similar
/// length and pads little; a sequence longer than the budget goes alone. Deterministic:
/// equal lengths keep their order. Returns indices into `lengths`.
pub fn pack(lengths: &[usize], budget: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&i| lengths[i]);
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for i in order {
        // Sorted, so this sequence sets the padded width of the pass.
        if !current.is_empty() && (current.len() + 1) * lengths[i] > budget {
            out.push(std::mem::take(&mut current));
        }
        current.push(i);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words of varied piece counts; piece id = 1000 * word + k, to trace them back.
    fn doc(n: usize) -> UnitPieces {
        let pieces: Vec<Vec<i64>> = (0..n)
            .map(|w| (0..(1 + w % 3)).map(|k| (1000 * w + k) as i64).collect())
            .collect();
        UnitPieces {
            types: vec![2; n],
            sentence: vec![0; n],
            pieces,
        }
    }

    #[test]
    fn every_word_is_owned_once_and_windows_fit() {
        for n in [0, 1, 5, 37, 200] {
            for max_len in [8, 16, 64] {
                let pieces = doc(n);
                let wins = windows(0, &pieces, max_len, 4, -1, -2);
                let mut owned: Vec<usize> = wins.iter().flat_map(|w| w.owned.iter().map(|o| o.1)).collect();
                owned.sort();
                assert_eq!(owned, (0..n).collect::<Vec<_>>(), "n={n} max_len={max_len}");
                for w in &wins {
                    assert!(w.ids.len() <= max_len);
                    assert_eq!((w.ids[0], *w.ids.last().unwrap()), (-1, -2));
                    for &(pos, word) in &w.owned {
                        assert_eq!(w.ids[pos], 1000 * word as i64, "first piece of word {word}");
                    }
                }
            }
        }
    }

    #[test]
    fn owned_words_have_context_away_from_document_edges() {
        let pieces = doc(300);
        let wins = windows(0, &pieces, 64, 8, -1, -2);
        assert!(wins.len() > 3);
        for w in &wins[1..wins.len() - 1] {
            let first = w.owned[0].0;
            let last = w.owned.last().unwrap().0;
            assert!(first > 6, "left context before position {first}");
            assert!(w.ids.len() - 1 - last >= 6, "right context");
        }
    }

    #[test]
    fn packs_every_sequence_once_within_the_budget() {
        let lengths = [30, 5, 200, 7, 7, 31, 1, 90, 6];
        let batches = pack(&lengths, 64);
        let mut seen: Vec<usize> = batches.concat();
        seen.sort();
        assert_eq!(seen, (0..lengths.len()).collect::<Vec<_>>());
        for b in &batches {
            let width = b.iter().map(|&i| lengths[i]).max().unwrap();
            assert!(b.len() == 1 || b.len() * width <= 64, "{b:?}");
        }
        assert!(batches.iter().any(|b| b == &[2]), "over budget goes alone");
        assert_eq!(batches[0], [6, 1, 8, 3, 4], "short ones together, ties in order");
    }

    #[test]
    fn a_giant_word_still_gets_a_window() {
        let pieces = vec![vec![7; 40], vec![8], vec![9; 3]];
        let wins = windows(
            0,
            &UnitPieces {
                types: vec![1; 3],
                sentence: vec![0; 3],
                pieces,
            },
            16,
            2,
            -1,
            -2,
        );
        let owned: Vec<usize> = wins.iter().flat_map(|w| w.owned.iter().map(|o| o.1)).collect();
        assert_eq!(owned, vec![0, 1, 2]);
        assert!(wins.iter().all(|w| w.ids.len() <= 16));
    }

    #[test]
    fn cores_end_at_sentence_ends_when_a_sentence_fits() {
        // 30 sentences of 7 one-piece words: a core of 20 pieces holds two sentences.
        let n = 210;
        let u = UnitPieces {
            pieces: (0..n).map(|w| vec![w as i64]).collect(),
            types: vec![2; n],
            sentence: (0..n).map(|w| w / 7).collect(),
        };
        let wins = windows(0, &u, 32, 4, -1, -2);
        let mut owned = 0;
        for w in &wins {
            let first = w.owned[0].1;
            let last = w.owned.last().unwrap().1;
            assert_eq!(first % 7, 0, "a core starts a sentence");
            assert_eq!(last % 7, 6, "a core ends a sentence");
            assert!(w.sentences.iter().zip(&w.owned).all(|(&s, &(_, word))| s == word / 7));
            assert_eq!(w.types.len(), w.ids.len());
            owned += w.owned.len();
        }
        assert_eq!(owned, n);
    }

    #[test]
    fn case_classes() {
        let got: Vec<i64> = [
            "1999", "apple", "Apple", "NATO", "iPhone", "McDonald", "U.S.", "A", "-", "Émile", "ÉTAT",
        ]
        .iter()
        .map(|w| case_class(w))
        .collect();
        assert_eq!(got, [1, 2, 3, 4, 5, 5, 4, 3, 1, 3, 4]);
    }
}
