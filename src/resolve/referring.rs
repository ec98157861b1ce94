//! Mentions that are not names: pronouns ("he", "she") and definite descriptions ("the
//! company", "the country", "the spokesman"), tied to the entity they most likely stand
//! for, so that an entity's events are found where its name is not repeated.
//!
//! Rules, for documents with a parse:
//! - he/him/his/she/her: the last person named as a subject before it in the sentence
//!   or in the two before, else the last person named there.
//! - "the" + an organisation noun ("the company", "the carmaker", "the union", "the
//!   authority"): the last organisation named in the last eight sentences, one whose
//!   name holds the noun first ("the Port of Rotterdam Authority"); "the" + a
//!   place noun ("the country", "the city"): the last place.
//! - "the" + a role noun ("the spokesman", "the president"): the last person named in
//!   the last eight sentences whose roles hold that word.
//!
//! A noun phrase with a name inside it ("the Kremlin spokesman") is left to the names.

use super::{Entity, Resolved, Via};
use crate::annotated::Annotated;
use crate::doc::{ById, EntityId, Span};
use crate::ner::EntityType;

const PRONOUNS: &[&str] = &["he", "him", "his", "himself", "she", "her", "hers", "herself"];

const ORGANISATIONS: &[&str] = &[
    "company",
    "firm",
    "carmaker",
    "automaker",
    "airline",
    "carrier",
    "bank",
    "lender",
    "insurer",
    "group",
    "maker",
    "manufacturer",
    "retailer",
    "giant",
    "union",
    "authority",
    "agency",
    "ministry",
    "government",
    "party",
    "court",
    "club",
    "team",
    "network",
    "corporation",
    "conglomerate",
    "startup",
    "operator",
    "regulator",
    "administration",
    "alliance",
    "organisation",
    "organization",
    "council",
    "commission",
    "committee",
    "broadcaster",
    "publisher",
];

const PLACES: &[&str] = &[
    "country", "nation", "city", "capital", "region", "state", "province", "island", "town",
];

const ROLES: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "president",
    "minister",
    "chancellor",
    "premier",
    "envoy",
    "leader",
    "chief",
    "executive",
    "ceo",
    "chairman",
    "chairwoman",
    "founder",
    "governor",
    "mayor",
    "senator",
    "secretary",
    "ambassador",
    "negotiator",
    "director",
    "coach",
    "king",
    "queen",
    "prince",
    "pope",
];

/// How many sentences before its own a pronoun, and a description, look back for their
/// entity (its own sentence, before it, counts too).
const PRONOUN_REACH: usize = 2;
const DESCRIPTION_REACH: usize = 8;

/// Which of the recently seen entities a description may stand for.
type SeenTest<'a> = Box<dyn Fn(&Seen) -> bool + 'a>;

/// A name mention seen so far in a document.
struct Seen {
    entity: EntityId,
    sentence: usize,
    subject: bool,
}

/// Adds the reference mentions of every document to `mentions` (per document).
pub(super) fn add(docs: &[Annotated], entities: &[Entity], mentions: &mut [Vec<Resolved>]) {
    for (d, a) in docs.iter().enumerate() {
        let Some(names) = mentions.get(d).cloned() else {
            continue;
        };
        let mut seen: Vec<Seen> = Vec::new();
        let mut found: Vec<Resolved> = Vec::new();
        for (i, (words, tokens)) in a.grammar.words.iter().zip(&a.grammar.parse).enumerate() {
            let n = words.len().min(tokens.len());
            let rel = |w: usize| tokens[w].deprel.as_str();
            let children = |w: usize| (0..n).filter(move |&c| tokens[c].head == w + 1);
            let lower = |w: usize| {
                a.doc
                    .text
                    .get(words[w].start..words[w].end)
                    .unwrap_or("")
                    .to_lowercase()
            };
            let named = |w: usize| names.iter().find(|m| m.span.overlaps(words[w]));
            // A subject: the word's relation, or that of the name's head ("Volodymyr" in
            // a flat name hangs from "Zelensky").
            let subject = |w: usize| {
                let up = if matches!(rel(w), "flat" | "compound" | "appos") {
                    tokens[w].head.checked_sub(1).filter(|&h| h < n)
                } else {
                    None
                };
                rel(w).starts_with("nsubj") || up.is_some_and(|h| rel(h).starts_with("nsubj"))
            };
            for w in 0..n {
                if let Some(m) = named(w) {
                    if seen.last().is_none_or(|s| s.entity != m.entity || s.sentence != i) || subject(w) {
                        seen.push(Seen {
                            entity: m.entity,
                            sentence: i,
                            subject: subject(w),
                        });
                    }
                    continue;
                }
                let form = lower(w);
                let recent = |reach: usize| seen.iter().rev().take_while(move |s| s.sentence + reach >= i);
                let kind = |e: EntityId| entities.by_id(e).map(|x| x.kind);
                let target = if PRONOUNS.contains(&form.as_str()) && tokens[w].upos == "PRON" {
                    recent(PRONOUN_REACH)
                        .find(|s| s.subject && kind(s.entity) == Some(EntityType::PER))
                        .or_else(|| recent(PRONOUN_REACH).find(|s| kind(s.entity) == Some(EntityType::PER)))
                        .map(|s| (s.entity, words[w]))
                } else if tokens[w].upos == "NOUN" {
                    let the = children(w).find(|&c| rel(c) == "det" && lower(c) == "the");
                    let plain = children(w).all(|c| tokens[c].upos != "PROPN" && named(c).is_none());
                    let wanted: Option<SeenTest> = if ORGANISATIONS.contains(&form.as_str()) {
                        Some(Box::new(|s: &Seen| kind(s.entity) == Some(EntityType::ORG)))
                    } else if PLACES.contains(&form.as_str()) {
                        Some(Box::new(|s: &Seen| kind(s.entity) == Some(EntityType::LOC)))
                    } else if ROLES.contains(&form.as_str()) {
                        Some(Box::new(|s: &Seen| {
                            entities.by_id(s.entity).is_some_and(|e| {
                                e.kind == EntityType::PER
                                    && e.roles
                                        .iter()
                                        .any(|r| r.to_lowercase().split_whitespace().any(|x| x == form))
                            })
                        }))
                    } else {
                        None
                    };
                    // "the authority": first an entity whose name says so.
                    let says = |s: &Seen| {
                        entities
                            .by_id(s.entity)
                            .is_some_and(|e| e.name.to_lowercase().split_whitespace().any(|x| x == form))
                    };
                    match (the, wanted) {
                        (Some(the), Some(wanted)) if plain => recent(DESCRIPTION_REACH)
                            .find(|s| wanted(s) && says(s))
                            .or_else(|| recent(DESCRIPTION_REACH).find(|s| wanted(s)))
                            .map(|s| (s.entity, Span::new(words[the].start.min(words[w].start), words[w].end))),
                        _ => None,
                    }
                } else {
                    None
                };
                if let Some((entity, span)) = target {
                    found.push(Resolved {
                        span,
                        entity,
                        via: Via::Reference,
                    });
                    seen.push(Seen {
                        entity,
                        sentence: i,
                        subject: subject(w),
                    });
                }
            }
        }
        mentions[d].extend(found);
    }
}
