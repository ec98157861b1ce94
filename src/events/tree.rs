//! One parsed sentence as the event rules read it: each word with its head, relation,
//! entity and event trigger. Word indices are 0-based positions in the sentence.
//!
//! The parse may come from a stored batch record, so nothing here trusts it: a head out
//! of range counts as the root, and walks up the tree stop after [`MAX_DEPTH`] steps, so
//! a cycle cannot hang them.

use crate::doc::{EntityId, Span};
use crate::parse::Token;
use crate::resolve::Resolved;
use crate::time::timeml::EventClass;
use crate::triggers::EventMention;

/// How many steps a walk up the tree takes at most (walks down stop at words already
/// seen).
pub const MAX_DEPTH: usize = 12;

pub struct Sentence<'a> {
    /// The whole document's text (spans index it).
    pub text: &'a str,
    pub span: Span,
    pub words: &'a [Span],
    tokens: &'a [Token],
    children: Vec<Vec<usize>>,
    /// The entity of the smallest resolved mention covering each word.
    entity: Vec<Option<EntityId>>,
    /// The event trigger on each word.
    trigger: Vec<Option<&'a EventMention>>,
}

impl<'a> Sentence<'a> {
    /// `mentions` and `events` may hold those of the whole document: only the ones on
    /// this sentence's words are kept.
    pub fn new(
        text: &'a str,
        span: Span,
        words: &'a [Span],
        tokens: &'a [Token],
        mentions: &[Resolved],
        events: &'a [EventMention],
    ) -> Sentence<'a> {
        let n = words.len().min(tokens.len());
        let (words, tokens) = (&words[..n], &tokens[..n]);
        let mut children = vec![Vec::new(); n];
        for (i, t) in tokens.iter().enumerate() {
            if let Some(h) = t.head.checked_sub(1).filter(|&h| h < n && h != i) {
                children[h].push(i);
            }
        }
        let entity = words
            .iter()
            .map(|w| {
                mentions
                    .iter()
                    .filter(|m| m.span.overlaps(*w))
                    .min_by_key(|m| m.span.end - m.span.start)
                    .map(|m| m.entity)
            })
            .collect();
        let trigger = words
            .iter()
            .map(|w| events.iter().find(|e| e.span.overlaps(*w)))
            .collect();
        Sentence {
            text,
            span,
            words,
            tokens,
            children,
            entity,
            trigger,
        }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The word's head, None for the root (or a head out of range).
    pub fn head(&self, i: usize) -> Option<usize> {
        self.tokens
            .get(i)?
            .head
            .checked_sub(1)
            .filter(|&h| h < self.len() && h != i)
    }

    /// The full relation ("nsubj:pass").
    pub fn rel(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.deprel.as_str())
    }

    /// The relation without its subtype ("nsubj").
    pub fn base(&self, i: usize) -> &str {
        let r = self.rel(i);
        r.split_once(':').map_or(r, |(b, _)| b)
    }

    pub fn upos(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.upos.as_str())
    }

    pub fn form(&self, i: usize) -> &'a str {
        self.words
            .get(i)
            .and_then(|w| self.text.get(w.start..w.end))
            .unwrap_or("")
    }

    pub fn lower(&self, i: usize) -> String {
        self.form(i).to_lowercase()
    }

    pub fn children(&self, i: usize) -> &[usize] {
        self.children.get(i).map_or(&[], Vec::as_slice)
    }

    /// Children whose full or base relation is one of `rels`.
    pub fn with_rel<'s>(&'s self, i: usize, rels: &'s [&str]) -> impl Iterator<Item = usize> + 's {
        self.children(i)
            .iter()
            .copied()
            .filter(move |&c| rels.contains(&self.rel(c)) || rels.contains(&self.base(c)))
    }

    pub fn entity(&self, i: usize) -> Option<EntityId> {
        self.entity.get(i).copied().flatten()
    }

    pub fn trigger(&self, i: usize) -> Option<&'a EventMention> {
        self.trigger.get(i).copied().flatten()
    }

    /// Whether word `i` is a reporting verb: a trigger of TimeML class REPORTING, which
    /// attributes its complement to its subject ("Peskov said that …").
    pub fn is_reporting(&self, i: usize) -> bool {
        self.trigger(i).is_some_and(|m| m.attrs.class == EventClass::Reporting)
    }

    /// The word whose span overlaps `span` and whose head lies outside it: the head of
    /// a multiword expression.
    pub fn head_of(&self, span: Span) -> Option<usize> {
        let inside: Vec<usize> = (0..self.len()).filter(|&i| self.words[i].overlaps(span)).collect();
        inside
            .iter()
            .copied()
            .find(|&i| self.head(i).is_none_or(|h| !inside.contains(&h)))
            .or(inside.first().copied())
    }

    /// `i` and every word below it, in text order, leaving out the subtrees of children
    /// whose relation is in `skip` (below `i` only).
    pub fn subtree(&self, i: usize, skip: &[&str]) -> Vec<usize> {
        let mut out = vec![i];
        let mut frontier: Vec<(usize, usize)> = vec![(i, 0)];
        while let Some((w, depth)) = frontier.pop() {
            if depth >= MAX_DEPTH * 4 {
                continue;
            }
            for &c in self.children(w) {
                if out.contains(&c) || (w == i && (skip.contains(&self.rel(c)) || skip.contains(&self.base(c)))) {
                    continue;
                }
                out.push(c);
                frontier.push((c, depth + 1));
            }
        }
        out.sort_unstable();
        out
    }

    /// The text from the first to the last of `words` (sorted), as byte span; words out
    /// of order (a hand-edited record) give the span they cover, never an inverted one.
    pub fn extent(&self, words: &[usize]) -> Option<Span> {
        let spans: Vec<Span> = words.iter().filter_map(|&w| self.words.get(w).copied()).collect();
        Some(Span::new(
            spans.iter().map(|s| s.start).min()?,
            spans.iter().map(|s| s.end).max()?,
        ))
    }

    /// The lowercased preposition or case marker of a nominal ("with" in "with Putin"):
    /// the first, in "for the Port of Rotterdam" where a flat name holds another.
    pub fn case_of(&self, i: usize) -> Option<String> {
        self.with_rel(i, &["case"]).next().map(|c| self.lower(c))
    }

    /// `i` and the words coordinated with it ("Moscow and Kyiv"), through chains of
    /// `conj`.
    pub fn conjuncts(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        let mut at = 0;
        while at < out.len() && out.len() < MAX_DEPTH {
            let w = out[at];
            for c in self.with_rel(w, &["conj"]).collect::<Vec<_>>() {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            at += 1;
        }
        out
    }

    /// Whether the word is a verb, auxiliary or adjective: a predicate that can carry a
    /// subject.
    pub fn is_predicate(&self, i: usize) -> bool {
        matches!(self.upos(i), "VERB" | "AUX" | "ADJ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_trees_do_not_hang_or_panic() {
        let text = "a b c";
        let words = [Span::new(0, 1), Span::new(2, 3), Span::new(4, 5)];
        let tok = |head: usize| Token {
            upos: "NOUN".into(),
            head,
            deprel: "dep".into(),
        };
        // A cycle (1 → 2 → 1), a self-loop and a head out of range.
        let tokens = [tok(2), tok(1), tok(9)];
        let s = Sentence::new(text, Span::new(0, 5), &words, &tokens, &[], &[]);
        assert_eq!(s.head(2), None);
        assert_eq!(s.subtree(0, &[]), [0, 1]);
        assert_eq!(s.head_of(Span::new(0, 3)), Some(0));
        let short = Sentence::new(text, Span::new(0, 5), &words, &tokens[..1], &[], &[]);
        assert_eq!(short.len(), 1);
        assert_eq!(short.form(5), "");
    }
}
