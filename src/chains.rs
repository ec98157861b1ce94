//! Entity coreference chains of one document: the coreference head's pair scores
//! ([`crate::model::entity_coref`]) decoded into chains of head words ("Peskov" …
//! "he" … "the spokesman").
//!
//! Each candidate word (a noun, proper noun or pronoun) takes as its antecedent the
//! earlier candidate, among the head's `window` last ones, that it scores highest, when
//! that score beats "none" by the head's threshold. The links are kept as the head made
//! them ([`Link`]): `resolve` follows them from a pronoun back to a name, which is more
//! reliable than any member of a long chain. The chains are what the links join.

use crate::doc::Span;
use crate::model::entity_coref::{EntityCoref, MentionKind, Pair};
use crate::model::heads::TAG_HEADS;
use crate::model::DocOutput;

/// One decision of the head: a mention's head word and the head word of the earlier
/// mention it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub mention: Span,
    pub antecedent: Span,
    /// What the mention refers to, by the head.
    pub kind: Option<MentionKind>,
}

/// A candidate word as the decoder reads it.
#[derive(Debug)]
pub struct Candidate<'a> {
    /// Its index among the document's words.
    pub word: usize,
    pub sentence: usize,
    /// The word, lowercased.
    pub form: String,
    /// Whether the UPOS head calls it a pronoun.
    pub pronoun: bool,
    /// Its row of [`EntityCoref::project`].
    pub vector: &'a [f32],
}

/// Whether a word may be a mention at all: it has a letter or a digit (the UPOS head
/// sometimes calls a paragraph's last full stop a noun).
pub fn may_mention(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric)
}

/// The antecedent of each of `candidates` (in text order) at the head's threshold: the
/// index of an earlier one, or None.
pub fn antecedents(head: &EntityCoref, candidates: &[Candidate]) -> Vec<Option<usize>> {
    cut(&best_antecedents(head, candidates), head.settings.threshold)
}

/// The best earlier candidate of each of `candidates` with its score, whatever the
/// threshold (which [`cut`] applies), so that several thresholds cost one scoring.
pub fn best_antecedents(head: &EntityCoref, candidates: &[Candidate]) -> Vec<Option<(usize, f32)>> {
    candidates
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let first = i.saturating_sub(head.settings.window);
            candidates[first..i]
                .iter()
                .enumerate()
                .map(|(k, b)| {
                    let pair = Pair {
                        distance: a.word - b.word,
                        same_form: a.form == b.form,
                        pronoun: a.pronoun,
                        same_sentence: a.sentence == b.sentence,
                    };
                    (first + k, head.score(a.vector, b.vector, pair))
                })
                .max_by(|x, y| x.1.total_cmp(&y.1))
        })
        .collect()
}

/// The antecedents of [`best_antecedents`] that score above `threshold`.
pub fn cut(best: &[Option<(usize, f32)>], threshold: f32) -> Vec<Option<usize>> {
    best.iter()
        .map(|b| b.filter(|&(_, s)| s > threshold).map(|(j, _)| j))
        .collect()
}

/// The chains that antecedent links make (`antecedents[i]` before `i`): each a list of
/// indices in order, with two members or more; chains ordered by their first member.
pub fn chains(antecedents: &[Option<usize>]) -> Vec<Vec<usize>> {
    let mut chain_of: Vec<usize> = Vec::with_capacity(antecedents.len());
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, a) in antecedents.iter().enumerate() {
        match a.and_then(|j| chain_of.get(j).copied()) {
            Some(c) => {
                chain_of.push(c);
                out[c].push(i);
            }
            None => {
                chain_of.push(out.len());
                out.push(vec![i]);
            }
        }
    }
    out.retain(|c| c.len() > 1);
    out
}

/// The links of a document whose words (`words`, per sentence, into `text`) the model
/// ran over, in text order; none without the head's projections. `pronoun`: the UPOS
/// head's label for pronouns.
pub fn decode(head: &EntityCoref, out: &DocOutput, pronoun: Option<u16>, text: &str, words: &[Vec<Span>]) -> Vec<Link> {
    let upos = TAG_HEADS.iter().position(|h| *h == "upos").expect("a UPOS head");
    let spans: Vec<(usize, Span)> = words
        .iter()
        .enumerate()
        .flat_map(|(s, w)| w.iter().map(move |&span| (s, span)))
        .collect();
    let candidates: Vec<Candidate> = spans
        .iter()
        .enumerate()
        .filter_map(|(w, &(sentence, span))| {
            let vector = out
                .coref
                .get(w)
                .filter(|v| !v.is_empty() && may_mention(span.of(text)))?;
            Some(Candidate {
                word: w,
                sentence,
                form: span.of(text).to_lowercase(),
                pronoun: pronoun.is_some_and(|p| out.tags.get(w).is_some_and(|t| t[upos].label == p)),
                vector,
            })
        })
        .collect();
    let span = |i: usize| spans[candidates[i].word].1;
    antecedents(head, &candidates)
        .into_iter()
        .enumerate()
        .filter_map(|(i, a)| {
            a.map(|j| Link {
                mention: span(i),
                antecedent: span(j),
                kind: head.kind(candidates[i].vector),
            })
        })
        .collect()
}

/// The chains of a document's `links` (in text order), as head word spans.
pub fn chains_of(links: &[Link]) -> Vec<Vec<Span>> {
    let mut words: Vec<Span> = links.iter().flat_map(|l| [l.antecedent, l.mention]).collect();
    words.sort();
    words.dedup();
    let at = |s: Span| words.binary_search(&s).ok();
    let mut antecedent = vec![None; words.len()];
    for l in links {
        if let Some(m) = at(l.mention) {
            antecedent[m] = at(l.antecedent);
        }
    }
    chains(&antecedent)
        .into_iter()
        .map(|c| c.into_iter().map(|i| words[i]).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::entity_coref::{Settings, BUCKETS};
    use std::collections::HashMap;
    use tch::{Device, Tensor};

    /// A head of dim 1 whose score is `q_a · k_b` alone, `window` back, with threshold 0.
    fn head(window: usize) -> EntityCoref {
        let zero = |n: i64| Tensor::zeros([n], (tch::Kind::Float, Device::Cpu));
        let tensors: HashMap<String, Tensor> = [
            (
                "projection.weight",
                Tensor::zeros([3, 1], (tch::Kind::Float, Device::Cpu)),
            ),
            ("projection.bias", zero(3)),
            ("distance", zero(BUCKETS as i64)),
            ("same_form", zero(1)),
            ("same_pronoun", zero(1)),
            ("same_sentence", zero(1)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let settings = Settings {
            dim: 1,
            kinds: Vec::new(),
            window,
            threshold: 0.0,
        };
        EntityCoref::from_tensors(&tensors, settings, 1, Device::Cpu).unwrap()
    }

    /// Candidates at words 0, 1, 2, …, each with `[m 0, q, k]`.
    fn candidates(rows: &[[f32; 3]]) -> Vec<Candidate<'_>> {
        rows.iter()
            .enumerate()
            .map(|(i, v)| Candidate {
                word: i,
                sentence: 0,
                form: format!("w{i}"),
                pronoun: false,
                vector: v,
            })
            .collect()
    }

    #[test]
    fn each_word_takes_its_best_antecedent_and_chains_follow_the_links() {
        // Word 2 prefers word 0 (2 x 3 = 6 over 2 x -1); word 3 prefers word 2 (1 x 5);
        // word 1 finds nothing above none (-1 x 3 < 0).
        let rows = [[0.0, 0.0, 3.0], [0.0, -1.0, -1.0], [0.0, 2.0, 5.0], [0.0, 1.0, 0.0]];
        let links = antecedents(&head(10), &candidates(&rows));
        assert_eq!(links, [None, None, Some(0), Some(2)]);
        assert_eq!(chains(&links), vec![vec![0, 2, 3]]);
        // With a window of one, word 2 sees only word 1 (a negative score): no chain
        // reaches word 0, and word 3 still joins word 2.
        assert_eq!(chains(&antecedents(&head(1), &candidates(&rows))), vec![vec![2, 3]]);
    }

    #[test]
    fn decode_numbers_words_across_sentences_and_keeps_only_candidates() {
        let text = "Ann ran . She won";
        // "." has a vector (tagged a noun) but is no mention.
        let words = vec![
            vec![Span::new(0, 3), Span::new(4, 7), Span::new(8, 9)],
            vec![Span::new(10, 13), Span::new(14, 17)],
        ];
        let out = DocOutput {
            coref: vec![
                vec![0.0, 1.0, 1.0],
                Vec::new(),
                vec![0.0, 1.0, 9.0],
                vec![0.0, 1.0, 1.0],
                Vec::new(),
            ],
            ..DocOutput::default()
        };
        let links = decode(&head(10), &out, None, text, &words);
        assert_eq!(
            links,
            [Link {
                mention: Span::new(10, 13),
                antecedent: Span::new(0, 3),
                kind: None,
            }]
        );
        assert_eq!(chains_of(&links), vec![vec![Span::new(0, 3), Span::new(10, 13)]]);
    }
}
