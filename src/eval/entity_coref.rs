//! Entity coreference against CoNLL-U gold with `Entity=` brackets in MISC (GUM, CorefUD):
//! each document's text goes through the pipeline, and two sets of clusters are scored
//! against the gold chains (MUC, B³, CEAF-e and CoNLL F1, [`super::coref`]): the chains
//! the coreference head finds ([`crate::chains`]), every mention of them, and the
//! entities [`crate::resolve`] makes of them (names, and the pronouns and descriptions
//! the chains tie to them), which is what the timeline reads.
//!
//! As in the CRAC shared tasks' primary score, a mention matches by its head: ours
//! matches the smallest gold mention whose words cover it and whose head word (the one
//! whose gold head lies outside the mention) it contains, so that "Biden" matches "the
//! U.S. president Joe Biden". Singletons are left out on both sides (GUM marks every
//! mention, and CRAC scores without them).

use super::coref::{CorefCounts, CorefScores};
use crate::doc::Span;
use crate::parse::conllu::{Conllu, Row, FORM, HEAD};
use anyhow::Result;
use regex::Regex;
use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

/// One gold document: its text rebuilt from the words, each word's span, and the
/// mentions as word ranges with their entity and its type.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldDoc {
    pub id: String,
    pub text: String,
    pub words: Vec<Span>,
    /// The gold head of each word, as a document word index (None for a root).
    pub heads: Vec<Option<usize>>,
    /// In order of closing.
    pub mentions: Vec<GoldMention>,
}

/// One gold mention: its words `first..=last`, its entity and the entity's type
/// ("person", "organization", "abstract", …; empty where the bracket gives none).
#[derive(Debug, Clone, PartialEq)]
pub struct GoldMention {
    pub first: usize,
    pub last: usize,
    pub entity: String,
    pub kind: String,
}

/// The documents of `c` (by `# newdoc`), with their `Entity=` mentions. Tokens join with
/// a space unless MISC says `SpaceAfter=No`; sentences with a newline.
pub fn read(c: &Conllu) -> Result<Vec<GoldDoc>> {
    static BRACKET: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\(([^()\-|]+)(?:-([^()\-|]+))?[^()|]*(\))?|([^()\-|]+)\)").expect("valid regex"));
    let mut out = Vec::new();
    for range in c.documents() {
        let sentences = &c.sentences[range];
        let id = sentences[0]
            .comments
            .iter()
            .find_map(|c| c.strip_prefix("# newdoc id = "))
            .unwrap_or("document")
            .to_string();
        let mut doc = GoldDoc {
            id,
            text: String::new(),
            words: Vec::new(),
            heads: Vec::new(),
            mentions: Vec::new(),
        };
        // Open brackets: entity, type, first word.
        let mut open: Vec<(String, String, usize)> = Vec::new();
        for s in sentences {
            if !doc.text.is_empty() {
                doc.text.truncate(doc.text.trim_end_matches(' ').len());
                doc.text.push('\n');
            }
            let first = doc.words.len();
            // A multiword token ("country's" over "country" and "'s") is written once;
            // its words share its span. (Its last word's id, its span, a space after it.)
            let mut token: Option<(usize, Span, bool)> = None;
            let space_after = |misc: &str| !misc.split('|').any(|m| m == "SpaceAfter=No");
            let mut i = 0;
            for row in &s.rows {
                let cols = match row {
                    Row::Word(cols) => cols,
                    Row::Other(line) => {
                        let c: Vec<&str> = line.split('\t').collect();
                        if let Some(last) = c[0].split_once('-').and_then(|(_, b)| b.parse::<usize>().ok()) {
                            let start = doc.text.len();
                            doc.text.push_str(c.get(FORM).copied().unwrap_or(""));
                            let span = Span::new(start, doc.text.len());
                            token = Some((last, span, space_after(c.get(9).copied().unwrap_or(""))));
                        }
                        continue;
                    }
                };
                let w = first + i;
                i += 1;
                let id = cols[0].parse::<usize>().unwrap_or(0);
                let misc = cols.get(9).map_or("", String::as_str);
                match token {
                    Some((last, span, space)) if id <= last => {
                        doc.words.push(span);
                        if id == last {
                            if space {
                                doc.text.push(' ');
                            }
                            token = None;
                        }
                    }
                    _ => {
                        let start = doc.text.len();
                        doc.text.push_str(&cols[FORM]);
                        doc.words.push(Span::new(start, doc.text.len()));
                        if space_after(misc) {
                            doc.text.push(' ');
                        }
                    }
                }
                let head = cols[HEAD]
                    .parse::<usize>()
                    .ok()
                    .filter(|&h| h > 0)
                    .map(|h| first + h - 1);
                doc.heads.push(head);
                let Some(entity) = misc.split('|').find_map(|m| m.strip_prefix("Entity=")) else {
                    continue;
                };
                for b in BRACKET.captures_iter(entity) {
                    let text = |k: usize| b.get(k).map_or(String::new(), |m| m.as_str().to_string());
                    match (b.get(1), b.get(3), b.get(4)) {
                        (Some(_), Some(_), _) => doc.mentions.push(GoldMention {
                            first: w,
                            last: w,
                            entity: text(1),
                            kind: text(2),
                        }),
                        (Some(_), None, _) => open.push((text(1), text(2), w)),
                        (None, _, Some(e)) => {
                            if let Some(k) = open.iter().rposition(|(x, ..)| x == e.as_str()) {
                                let (entity, kind, first) = open.remove(k);
                                doc.mentions.push(GoldMention {
                                    first,
                                    last: w,
                                    entity,
                                    kind,
                                });
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        doc.text.truncate(doc.text.trim_end().len());
        out.push(doc);
    }
    Ok(out)
}

/// Scores, summed over documents, and the mention counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EntityCorefReport {
    pub counts: CorefCounts,
    /// Gold mentions in chains (not singletons), ours in chains, and ours matching one.
    pub gold: usize,
    pub system: usize,
    pub matched: usize,
}

impl EntityCorefReport {
    pub fn scores(&self) -> CorefScores {
        self.counts.scores()
    }

    /// Adds one document: `gold`, and our mentions as (span, entity).
    pub fn add(&mut self, gold: &GoldDoc, ours: &[(Span, usize)]) {
        // Mentions by entity, each once (two of ours on one gold mention are one).
        let chains = |pairs: Vec<(usize, usize)>| -> Vec<Vec<usize>> {
            let mut by: HashMap<usize, Vec<usize>> = HashMap::new();
            let mut seen = std::collections::HashSet::new();
            for (m, e) in pairs {
                if seen.insert(m) {
                    by.entry(e).or_default().push(m);
                }
            }
            let mut out: Vec<Vec<usize>> = by.into_values().filter(|c| c.len() > 1).collect();
            out.sort();
            out
        };
        let mut entity_ids: HashMap<&str, usize> = HashMap::new();
        let gold_pairs: Vec<(usize, usize)> = gold
            .mentions
            .iter()
            .enumerate()
            .map(|(m, g)| {
                let n = entity_ids.len();
                (m, *entity_ids.entry(g.entity.as_str()).or_insert(n))
            })
            .collect();
        let key = chains(gold_pairs);
        // Ours as gold mention ids where they match one, else ids past the gold's.
        let mut next = gold.mentions.len();
        let response = chains(
            ours.iter()
                .map(|&(span, e)| {
                    let id = match_gold(gold, span).unwrap_or_else(|| {
                        next += 1;
                        next
                    });
                    (id, e)
                })
                .collect(),
        );
        self.gold += key.iter().map(Vec::len).sum::<usize>();
        self.system += response.iter().map(Vec::len).sum::<usize>();
        self.matched += response.iter().flatten().filter(|&&m| m < gold.mentions.len()).count();
        self.counts += CorefCounts::new(&key, &response);
    }

    /// Adds one document: `gold`, and our `chains` of mention spans.
    pub fn add_chains(&mut self, gold: &GoldDoc, chains: &[Vec<Span>]) {
        let ours: Vec<(Span, usize)> = chains
            .iter()
            .enumerate()
            .flat_map(|(c, words)| words.iter().map(move |&w| (w, c)))
            .collect();
        self.add(gold, &ours);
    }
}

/// The head of the gold mention over words `a..=b`: its first word whose gold head lies
/// outside it.
pub fn head_word(gold: &GoldDoc, a: usize, b: usize) -> Option<usize> {
    (a..=b).find(|&w| gold.heads[w].is_none_or(|h| h < a || h > b))
}

/// The gold mention `span` matches (module docs).
fn match_gold(gold: &GoldDoc, span: Span) -> Option<usize> {
    gold.mentions
        .iter()
        .enumerate()
        .filter(|(_, g)| {
            let covers = gold.words[g.first].start <= span.start && span.end <= gold.words[g.last].end;
            covers && head_word(gold, g.first, g.last).is_some_and(|h| span.overlaps(gold.words[h]))
        })
        .min_by_key(|(_, g)| g.last - g.first)
        .map(|(m, _)| m)
}

impl fmt::Display for EntityCorefReport {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let s = self.scores();
        let pct = |x: f64| 100.0 * x;
        writeln!(
            f,
            "mentions in chains: {} gold, {} ours, {} of ours on a gold mention",
            self.gold, self.system, self.matched
        )?;
        for (name, p) in [("MUC", s.muc), ("B3", s.b3), ("CEAF-e", s.ceafe)] {
            writeln!(
                f,
                "{name:<8} P {:6.2}  R {:6.2}  F1 {:6.2}",
                pct(p.p),
                pct(p.r),
                pct(p.f1)
            )?;
        }
        writeln!(f, "CoNLL F1 {:6.2}", pct(s.conll))
    }
}

/// The gold documents of a CoNLL-U file; an error when it marks no mention.
pub fn read_file(path: &std::path::Path) -> Result<Vec<GoldDoc>> {
    let gold = read(&crate::parse::conllu::Conllu::read(path)?)?;
    if gold.iter().all(|d| d.mentions.is_empty()) {
        anyhow::bail!(
            "{}: no Entity= mentions in MISC; give a CoNLL-U file with coreference (GUM, CorefUD)",
            path.display()
        );
    }
    Ok(gold)
}

/// The two scores of `eval coref`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Evaluation {
    pub documents: usize,
    /// The model's chains, every mention in them (named or not).
    pub chains: EntityCorefReport,
    /// The pipeline's entities: names resolved, with the pronouns and descriptions tied
    /// to them.
    pub entities: EntityCorefReport,
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        writeln!(f, "{} documents", self.documents)?;
        write!(f, "\nchains (the coreference head)\n{}", self.chains)?;
        write!(
            f,
            "\nentities (names, and what the chains tie to them)\n{}",
            self.entities
        )
    }
}

/// Runs each gold document's text through the pipeline and scores the chains and the
/// entities it finds.
pub fn evaluate(model: &crate::model::Model, opts: crate::model::Options, gold: &[GoldDoc]) -> Result<Evaluation> {
    let prepared = gold
        .iter()
        .map(|g| crate::pipeline::prepare(crate::ingest::Document::plain(&g.id, g.text.clone())))
        .collect();
    let docs = crate::pipeline::annotate_all(model, opts, prepared)?;
    let res = crate::resolve::resolve(&docs, None);
    let mut out = Evaluation {
        documents: gold.len(),
        ..Evaluation::default()
    };
    for (d, g) in gold.iter().enumerate() {
        out.chains
            .add_chains(g, &crate::chains::chains_of(&docs[d].grammar.coref));
        let entities: Vec<(Span, usize)> = res
            .mentions
            .get(d)
            .into_iter()
            .flatten()
            .map(|m| (m.span, m.entity.0))
            .collect();
        out.entities.add(g, &entities);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLD: &str = "# newdoc id = d1\n\
1\tThe\tthe\tDET\t_\t_\t2\tdet\t_\tEntity=(1-person-new
2\tpresident\tpresident\tNOUN\t_\t_\t4\tnsubj\t_\t_
3\tBiden\tBiden\tPROPN\t_\t_\t2\tappos\t_\tEntity=(2-person-new)1)
4\tspoke\tspeak\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No
5\t.\t.\tPUNCT\t_\t_\t4\tpunct\t_\t_

1-2\tHe's\t_\t_\t_\t_\t_\t_\t_\t_
1\tHe\the\tPRON\t_\t_\t3\tnsubj\t_\tEntity=(1-person-giv)
2\t's\tbe\tAUX\t_\t_\t3\taux\t_\t_
3\tleft\tleave\tVERB\t_\t_\t0\troot\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t_\t_\t3\tpunct\t_\t_

";

    #[test]
    fn reads_text_mentions_and_heads() {
        let docs = read(&Conllu::parse(GOLD).unwrap()).unwrap();
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(
            d.text, "The president Biden spoke.\nHe's left.",
            "a multiword token once"
        );
        assert_eq!((d.words[5], d.words[6]), (Span::new(27, 31), Span::new(27, 31)));
        let got: Vec<(usize, usize, &str, &str)> = d
            .mentions
            .iter()
            .map(|m| (m.first, m.last, m.entity.as_str(), m.kind.as_str()))
            .collect();
        assert_eq!(
            got,
            [(2, 2, "2", "person"), (0, 2, "1", "person"), (5, 5, "1", "person")]
        );
        assert_eq!(d.heads[0], Some(1));
        assert_eq!(d.heads[3], None);
    }

    #[test]
    fn our_mentions_match_by_head_and_singletons_do_not_count() {
        let d = &read(&Conllu::parse(GOLD).unwrap()).unwrap()[0];
        let span = |w: &str| {
            let at = d.text.find(w).unwrap();
            Span::new(at, at + w.len())
        };
        // "president" is the head of "The president Biden": a match; "He" is one too.
        let mut r = EntityCorefReport::default();
        r.add(d, &[(span("president"), 7), (span("He"), 7)]);
        assert_eq!((r.gold, r.system, r.matched), (2, 2, 2));
        assert!((r.scores().conll - 1.0).abs() < 1e-9, "{r}");
        // "Biden" is inside the mention but not its head: it matches its own singleton,
        // which is not in the key.
        let mut r = EntityCorefReport::default();
        r.add(d, &[(span("Biden"), 7), (span("He"), 7)]);
        assert_eq!(r.matched, 2);
        assert!(r.scores().muc.f1 < 1e-9, "{r}");
    }
}
