//! Mentions that are not names: pronouns ("he", "it") and descriptions ("the company",
//! "the Dutch port operator"), tied to the entity they stand for through the coreference
//! head's links ([`crate::chains`]), so that an entity's events are found where its name
//! is not repeated.
//!
//! A word the head linked stands for the entity of the first name its links lead back
//! to ("he" → "the spokesman" → "Peskov"). A proper noun that is no resolved name ends
//! the path: it names someone of its own whom the entity tagger missed ("Cook … he"),
//! and names join only by resolve's name rules. Words whose links lead to no name take the
//! entity of a name that was linked back to them ("In his speech, Obama said ...": "Obama"
//! → "his"). Words linked to no name at all add nothing: the timeline's entities are
//! the named ones. Following one word's own links, rather than taking any name of its
//! chain, keeps one wrong link from handing a long chain's pronouns to the wrong name.
//! And a word stands only for a name of a type its kind fits ([`fits`]): whatever the
//! links say, "the statement" is not a person.
//!
//! The mention is the head word with the determiners, adjectives, numbers, compounds and
//! possessives to its left ("the Dutch port operator"); where that phrase would overlap
//! a name ("the Kremlin spokesman"), the head word alone.

use super::{Entity, Resolved, Via};
use crate::annotated::Annotated;
use crate::doc::{ById, EntityId, Span};
use crate::model::entity_coref::MentionKind;
use crate::ner::EntityType;
use std::collections::{HashMap, HashSet};

/// The relations of the left modifiers a description's phrase takes in.
const MODIFIERS: &[&str] = &["det", "det:poss", "nmod:poss", "amod", "compound", "nummod"];

/// Adds the reference mentions of every document to `mentions` (per document).
pub(super) fn add(docs: &[Annotated], entities: &[Entity], mentions: &mut [Vec<Resolved>]) {
    for (d, a) in docs.iter().enumerate() {
        let Some(names) = mentions.get(d) else {
            continue;
        };
        let proper: HashSet<Span> = a
            .grammar
            .words
            .iter()
            .zip(&a.grammar.parse)
            .flat_map(|(w, t)| w.iter().zip(t))
            .filter(|(_, t)| t.upos == "PROPN")
            .map(|(&w, _)| w)
            .collect();
        // The named entity of every linked word, looked up once.
        let named_of: HashMap<Span, Option<EntityId>> = a
            .grammar
            .coref
            .iter()
            .flat_map(|l| [l.mention, l.antecedent])
            .map(|w| (w, names.iter().find(|m| m.span.overlaps(w)).map(|m| m.entity)))
            .collect();
        let named = |w: Span| named_of.get(&w).copied().flatten();
        let antecedent: HashMap<Span, Span> = a.grammar.coref.iter().map(|l| (l.mention, l.antecedent)).collect();
        // The words each link leads back to, nearest first (links run backwards in the
        // text, so every path ends).
        let back = |w: Span| {
            std::iter::successors(antecedent.get(&w).copied(), |x| antecedent.get(x).copied())
                .take(a.grammar.coref.len())
        };
        // The entity of the first name each word's links reach, if a resolved one ends
        // them: in text order, each word from its antecedent's, so a long chain of "I"s
        // is followed once, not once per word.
        let mut reached: HashMap<Span, Option<EntityId>> = HashMap::new();
        let mut links: Vec<&crate::chains::Link> = a.grammar.coref.iter().collect();
        links.sort_by_key(|l| l.mention);
        for l in &links {
            let ant = l.antecedent;
            let from_antecedent = match named(ant) {
                Some(e) => Some(e),
                None if proper.contains(&ant) => None,
                None => reached.get(&ant).copied().flatten(),
            };
            reached.insert(l.mention, from_antecedent);
        }
        let first_name = |w: Span| reached.get(&w).copied().flatten();
        let kind_of: HashMap<Span, MentionKind> = a
            .grammar
            .coref
            .iter()
            .filter_map(|l| Some((l.mention, l.kind?)))
            .collect();
        // Whether word `w` may stand for entity `e`: its kind fits the entity's type (a
        // word the head gave no kind may).
        let may = |w: Span, e: EntityId| {
            kind_of
                .get(&w)
                .is_none_or(|&k| entities.by_id(e).is_some_and(|x| fits(k, x.kind)))
        };
        let mut entity_of: Vec<(Span, EntityId)> = Vec::new();
        let mut taken: HashSet<Span> = HashSet::new();
        for l in &a.grammar.coref {
            if named(l.mention).is_none() && !proper.contains(&l.mention) {
                if let Some(e) = first_name(l.mention).filter(|&e| may(l.mention, e)) {
                    if taken.insert(l.mention) {
                        entity_of.push((l.mention, e));
                    }
                }
            }
        }
        for l in &a.grammar.coref {
            let Some(e) = named(l.mention) else {
                continue;
            };
            for w in back(l.mention).take_while(|&w| named(w).is_none() && !proper.contains(&w)) {
                if may(w, e) && taken.insert(w) {
                    entity_of.push((w, e));
                }
            }
        }
        let found: Vec<Resolved> = entity_of
            .into_iter()
            .map(|(head, entity)| {
                let phrase = phrase(a, head);
                let span = if names.iter().any(|m| m.span.overlaps(phrase)) {
                    head
                } else {
                    phrase
                };
                Resolved {
                    span,
                    entity,
                    via: Via::Reference,
                }
            })
            .collect();
        mentions[d].extend(found);
    }
}

/// Whether a mention of `kind` may stand for a named entity of `ner` type: the two
/// schemes' types matched by their definitions (GUM's guidelines, CoNLL-2003's). A
/// government acts under its place's name ("Moscow said"), so places and organisations
/// may stand for each other; MISC names products, events, works and ideas.
fn fits(kind: MentionKind, ner: EntityType) -> bool {
    match ner {
        EntityType::PER => kind == MentionKind::Person,
        EntityType::ORG | EntityType::LOC => matches!(kind, MentionKind::Organization | MentionKind::Place),
        EntityType::MISC => matches!(
            kind,
            MentionKind::Object | MentionKind::Event | MentionKind::Abstract | MentionKind::Organization
        ),
    }
}

/// The head word `head` with its left modifiers (module docs), by the parse; the word
/// alone where the parse does not have it.
fn phrase(a: &Annotated, head: Span) -> Span {
    for (words, tokens) in a.grammar.words.iter().zip(&a.grammar.parse) {
        let Some(w) = words.iter().position(|&x| x == head) else {
            continue;
        };
        let start = (0..w.min(tokens.len()))
            .filter(|&c| tokens[c].head == w + 1 && MODIFIERS.contains(&tokens[c].deprel.as_str()))
            .map(|c| words[c].start)
            .min()
            .unwrap_or(head.start);
        return Span::new(start, head.end);
    }
    head
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotated::testing::parsed;
    use crate::chains::Link;
    use crate::ner::EntityType;

    /// Entity 0, a person.
    fn peskov_entity() -> Entity {
        Entity {
            name: "Peskov".into(),
            kind: EntityType::PER,
            aliases: Vec::new(),
            roles: Vec::new(),
            external_id: None,
            mentions: Vec::new(),
        }
    }

    /// A name mention of entity 0.
    fn named(span: Span) -> Resolved {
        Resolved {
            span,
            entity: EntityId(0),
            via: Via::Name,
        }
    }

    #[test]
    fn linked_words_take_the_name_their_links_lead_to() {
        let mut a = parsed(
            "d",
            Some("2025-07-15"),
            &[
                "His/2/nmod:poss/PRON talks/0/root/NOUN with/5/case/ADP the/5/det/DET company/2/nmod/NOUN \
                 failed/2/dep/VERB ./2/punct/PUNCT",
                "Peskov/2/nsubj/PROPN said/0/root/VERB the/4/det/DET firm/2/obj/NOUN lied/2/dep/VERB ./2/punct/PUNCT",
            ],
            &[("Peskov", EntityType::PER)],
            &[],
        );
        let find = |a: &Annotated, w: &str| {
            let at = a.doc.text.find(w).unwrap();
            Span::new(at, at + w.len())
        };
        let (his, company, peskov, firm) = (
            find(&a, "His"),
            find(&a, "company"),
            find(&a, "Peskov"),
            find(&a, "firm"),
        );
        let link = |mention, antecedent| Link {
            mention,
            antecedent,
            kind: None,
        };
        // Peskov → His: "His" takes Peskov (linked back to); firm → company: no name.
        a.grammar.coref = vec![link(peskov, his), link(firm, company)];
        let name = named(peskov);
        let people = [peskov_entity()];
        let mut mentions = vec![vec![name]];
        add(std::slice::from_ref(&a), &people, &mut mentions);
        assert_eq!(mentions[0].len(), 2, "{:?}", mentions[0]);
        assert_eq!((mentions[0][1].span, mentions[0][1].entity), (his, EntityId(0)));
        // firm → company → Peskov: both descriptions reach the name, with their determiners.
        a.grammar.coref = vec![link(company, peskov), link(firm, company)];
        let mut mentions = vec![vec![name]];
        add(std::slice::from_ref(&a), &people, &mut mentions);
        let spans: Vec<Span> = mentions[0][1..].iter().map(|m| m.span).collect();
        assert_eq!(spans, [find(&a, "the company"), find(&a, "the firm")]);
    }

    #[test]
    fn a_word_stands_only_for_a_name_its_kind_fits() {
        let a = parsed(
            "d",
            Some("2025-07-15"),
            &["Peskov/2/nsubj/PROPN issued/0/root/VERB a/4/det/DET statement/2/obj/NOUN ./2/punct/PUNCT"],
            &[("Peskov", EntityType::PER)],
            &[],
        );
        let find = |w: &str| {
            let at = a.doc.text.find(w).unwrap();
            Span::new(at, at + w.len())
        };
        let peskov = peskov_entity();
        let name = named(find("Peskov"));
        let with_kind = |kind: MentionKind| {
            let mut a = a.clone();
            a.grammar.coref = vec![Link {
                mention: find("statement"),
                antecedent: find("Peskov"),
                kind: Some(kind),
            }];
            let mut mentions = vec![vec![name]];
            add(std::slice::from_ref(&a), std::slice::from_ref(&peskov), &mut mentions);
            mentions[0].len()
        };
        assert_eq!(with_kind(MentionKind::Abstract), 1, "a statement is no person");
        assert_eq!(with_kind(MentionKind::Person), 2);
        assert!(fits(MentionKind::Place, EntityType::ORG) && !fits(MentionKind::Person, EntityType::MISC));
    }
}
