//! Grammar: Universal Dependencies parts of speech and a dependency tree for each
//! sentence, from the model's parse heads (which decode each part of a sentence into a
//! well-formed tree: one root, no cycles; [`crate::model::mst`]). CoNLL-U in and out
//! ([`conllu`]).

pub mod conllu;

use crate::model::heads::HeadSpec;
use crate::model::DocOutput;
use serde::Serialize;

/// One word of a parsed sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Token {
    pub upos: String,
    /// 0 for the root, else the 1-based index of the head word in the sentence.
    pub head: usize,
    pub deprel: String,
}

/// Decodes the parse of each sentence of a document. `sentences` gives each
/// sentence's word count, in the order the document's words were numbered.
///
/// A sentence longer than one window comes in several parts; each is parsed alone and
/// the later parts' roots hang from the first's (`parataxis`).
pub fn decode(spec: &HeadSpec, out: &DocOutput, sentences: &[usize]) -> Vec<Vec<Token>> {
    let mut start = Vec::with_capacity(sentences.len());
    let mut at = 0;
    for &n in sentences {
        start.push(at);
        at += n;
    }
    let sentence_of = |word: usize| start.partition_point(|&s| s <= word).saturating_sub(1);
    let mut parsed: Vec<Vec<Token>> = sentences
        .iter()
        .zip(&start)
        .map(|(&n, &s)| {
            (s..s + n)
                .map(|w| Token {
                    upos: out
                        .tags
                        .get(w)
                        .and_then(|t| spec.upos.get(usize::from(t[0].label)))
                        .cloned()
                        .unwrap_or_else(|| "X".into()),
                    head: 0,
                    deprel: "root".into(),
                })
                .collect()
        })
        .collect();
    let mut root_of: Vec<Option<usize>> = vec![None; sentences.len()];
    for part in &out.parts {
        let Some(&first) = part.words.first() else { continue };
        let s = sentence_of(first);
        for ((&w, &h), &rel) in part.words.iter().zip(&part.heads).zip(&part.rels) {
            let local = w - start[s];
            let token = &mut parsed[s][local];
            token.deprel = spec
                .deprel
                .get(usize::from(rel))
                .cloned()
                .unwrap_or_else(|| "dep".into());
            if h == 0 {
                match root_of[s] {
                    None => {
                        root_of[s] = Some(local);
                        token.head = 0;
                        token.deprel = "root".into();
                    }
                    Some(r) => {
                        token.head = r + 1;
                        token.deprel = "parataxis".into();
                    }
                }
            } else {
                token.head = part.words[h - 1] - start[s] + 1;
            }
        }
    }
    parsed
}

/// Fills UPOS, HEAD and DEPREL of every word of `file` with the model's parse, each
/// `# newdoc` document as one context (by `opts.scope`). Multiword-token ranges and
/// empty nodes stay as they are.
pub fn fill(model: &crate::model::Model, file: &mut conllu::Conllu, opts: crate::model::Options) -> anyhow::Result<()> {
    let Some(heads) = &model.heads else {
        anyhow::bail!(
            "this model has no parse heads; parsing needs an annalist checkpoint (e.g. the bundled models/ner)"
        );
    };
    let docs = file.documents();
    let words: Vec<Vec<Vec<&str>>> = docs
        .iter()
        .map(|r| {
            file.sentences[r.clone()]
                .iter()
                .map(|s| s.words().map(|w| w[conllu::FORM].as_str()).collect())
                .collect()
        })
        .collect();
    let outputs = model.run_sentences(&words, opts)?;
    let parses: Vec<Vec<Vec<Token>>> = outputs
        .iter()
        .zip(&words)
        .map(|(out, d)| decode(&heads.spec, out, &d.iter().map(Vec::len).collect::<Vec<_>>()))
        .collect();
    for (range, parsed) in docs.into_iter().zip(parses) {
        for (sentence, tokens) in file.sentences[range].iter_mut().zip(parsed) {
            for (cols, t) in sentence.words_mut().zip(tokens) {
                cols[conllu::UPOS] = t.upos;
                cols[conllu::HEAD] = t.head.to_string();
                cols[conllu::DEPREL] = t.deprel;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Part;

    fn spec() -> HeadSpec {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
        HeadSpec {
            upos: v(&["NOUN", "VERB"]),
            deprel: v(&["root", "nsubj", "obj"]),
            event: v(&["O"]),
            polarity: v(&["POS"]),
            modality: v(&["none"]),
            tense: v(&["NONE"]),
            aspect: v(&["NONE"]),
            arc_dim: 1,
            rel_dim: 1,
        }
    }

    /// A part whose word `root` (0-based) heads the others, with relation `rel` for them.
    fn part(words: Vec<usize>, root: usize, rel: u16) -> Part {
        let n = words.len();
        let heads = (0..n).map(|i| if i == root { 0 } else { root + 1 }).collect();
        let rels = (0..n).map(|i| if i == root { 0 } else { rel }).collect();
        Part {
            unit: 0,
            words,
            heads,
            rels,
        }
    }

    #[test]
    fn a_sentence_in_two_parts_is_one_tree() {
        // Sentence 0: words 0-1; sentence 1: words 2-6, parsed in two parts.
        let out = DocOutput {
            ner: Vec::new(),
            tags: Vec::new(),
            parts: vec![
                part(vec![0, 1], 1, 1),
                part(vec![2, 3, 4], 0, 2),
                part(vec![5, 6], 1, 2),
            ],
            ..DocOutput::default()
        };
        let parsed = decode(&spec(), &out, &[2, 5]);
        let heads: Vec<Vec<(usize, &str)>> = parsed
            .iter()
            .map(|s| s.iter().map(|t| (t.head, t.deprel.as_str())).collect())
            .collect();
        assert_eq!(heads[0], [(2, "nsubj"), (0, "root")]);
        assert_eq!(
            heads[1],
            [(0, "root"), (1, "obj"), (1, "obj"), (5, "obj"), (1, "parataxis")]
        );
        assert!(parsed.iter().flatten().all(|t| t.upos == "X"), "no tags given");
    }
}
