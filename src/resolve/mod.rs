//! Entity resolution: the NER mentions of every document become entities, each with a
//! canonical name, a type, aliases, roles and all its mentions.
//!
//! Rules, in order:
//! 1. A person's name is the mention without titles and possessives ([`names`]); the
//!    title words before it, or an appositive after it, are its roles.
//! 2. Mentions with the same name (case, dots and possessives ignored) are one group.
//! 3. The alias file, when given, joins the groups of its names under its canonical name.
//! 4. A person group joins a fuller one that it abbreviates: same surname, the other
//!    words in order or as initials ("Putin", "V. Putin", "Vladimir Putin" →
//!    "Vladimir V. Putin"). If several fuller people fit ("Trump": Donald or Melania),
//!    each mention goes to the one named in its own document, else stays apart.
//! 5. An all-capitals name joins the one group whose initials it spells ("EU").
//! 6. A role phrase with a modifier that no name follows ("the Kremlin spokesman")
//!    becomes a mention of the one entity that holds that role, if exactly one does.
//! 7. Where the model found coreference chains, pronouns and descriptions ("he", "the
//!    company") become mentions of the entity they stand for ([`referring`]); they join the
//!    mentions later stages read, not the entity's list of where it is named.
//!
//! The canonical name is the fullest form seen (or the alias file's); the type is the
//! majority of the mentions' types.

pub mod aliases;
pub mod names;
mod referring;

pub use aliases::{AliasEntry, Aliases};

use crate::annotated::Annotated;
use crate::doc::{ById, DocId, EntityId, Span};
use crate::ner::EntityType;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Where an entity is mentioned: a document (index into the input) and a byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MentionRef {
    pub doc: DocId,
    pub span: Span,
}

/// One resolved entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub name: String,
    pub kind: EntityType,
    /// Other names it goes by in the texts (and in the alias file), first seen first.
    pub aliases: Vec<String>,
    /// Roles and titles read around its mentions ("Kremlin spokesman", "former President").
    pub roles: Vec<String>,
    /// The alias file's external id (e.g. a Wikidata QID).
    pub external_id: Option<String>,
    /// Every mention, in document then text order.
    pub mentions: Vec<MentionRef>,
}

/// A mention attached to its entity, as later stages read it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved {
    pub span: Span,
    pub entity: EntityId,
    pub via: Via,
}

/// How a resolved mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// An NER mention of a name.
    Name,
    /// A role alone ("the Kremlin spokesman").
    Role,
    /// A pronoun or description ("he", "the company").
    Reference,
}

/// The entities of a set of documents.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    pub entities: Vec<Entity>,
    /// Per document (input order), its resolved mentions sorted by span.
    pub mentions: Vec<Vec<Resolved>>,
}

impl Entity {
    /// Whether `name` is its name or one of its aliases, letter case and surrounding
    /// space aside: how users pick an entity on the command line.
    pub fn goes_by(&self, name: &str) -> bool {
        let name = name.trim().to_lowercase();
        std::iter::once(&self.name)
            .chain(&self.aliases)
            .any(|n| n.to_lowercase() == name)
    }
}

impl Resolution {
    pub fn kind(&self, entity: EntityId) -> Option<EntityType> {
        self.entities.by_id(entity).map(|e| e.kind)
    }
}

/// One NER mention as resolution reads it.
struct Read {
    doc: DocId,
    span: Span,
    kind: EntityType,
    /// The name: the mention less titles and possessives.
    name: String,
    role: Option<String>,
}

/// Mentions sharing a name.
struct Group {
    words: Vec<String>,
    reads: Vec<usize>,
    kind: Option<EntityType>,
    entry: Option<usize>,
}

impl Group {
    /// How much of a name it gives: words, then how many are more than initials.
    fn fullness(&self) -> (usize, usize) {
        (
            self.words.len(),
            self.words.iter().filter(|w| w.chars().count() > 1).count(),
        )
    }
}

/// Resolves the mentions of `docs` into entities (module docs give the rules).
pub fn resolve(docs: &[Annotated], aliases: Option<&Aliases>) -> Resolution {
    let reads = read_mentions(docs);
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut group_of = Vec::with_capacity(reads.len());
    for (r, read) in reads.iter().enumerate() {
        let words = name_words(&read.name);
        let g = *by_key.entry(words.join(" ")).or_insert_with(|| {
            groups.push(Group {
                words: words.clone(),
                reads: Vec::new(),
                kind: None,
                entry: None,
            });
            groups.len() - 1
        });
        groups[g].reads.push(r);
        group_of.push(g);
    }
    for g in &mut groups {
        g.kind = majority(g.reads.iter().map(|&r| reads[r].kind));
    }

    // parent[g]: the group g joins (itself when a root).
    let mut parent: Vec<usize> = (0..groups.len()).collect();
    if let Some(aliases) = aliases {
        for (e, entry) in aliases.entries.iter().enumerate() {
            let words = name_words(&entry.canonical);
            let root = *by_key.entry(words.join(" ")).or_insert_with(|| {
                groups.push(Group {
                    words,
                    reads: Vec::new(),
                    kind: entry.kind,
                    entry: None,
                });
                parent.push(parent.len());
                groups.len() - 1
            });
            if groups[root].entry.is_some() {
                continue; // an earlier line claimed this name
            }
            groups[root].entry = Some(e);
            if entry.kind.is_some() {
                groups[root].kind = entry.kind;
            }
            for alias in &entry.aliases {
                if let Some(&g) = by_key.get(&name_words(alias).join(" ")) {
                    if g != root && groups[g].entry.is_none() && parent[g] == g {
                        parent[g] = root;
                    }
                }
            }
        }
    }

    // People by surname and other names by initials, so candidates are found by lookup.
    let mut by_surname: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_initials: HashMap<String, Vec<usize>> = HashMap::new();
    for (h, group) in groups.iter().enumerate() {
        match group.kind {
            Some(EntityType::PER) => by_surname
                .entry(group.words.last().map_or("", String::as_str))
                .or_default()
                .push(h),
            Some(_) => {
                if let Some(i) = initials(&group.words) {
                    by_initials.entry(i).or_default().push(h);
                }
            }
            None => {}
        }
    }
    let mut overrides: HashMap<usize, usize> = HashMap::new();
    let mut order: Vec<usize> = (0..groups.len())
        .filter(|&g| parent[g] == g && groups[g].entry.is_none())
        .collect();
    order.sort_by_key(|&g| std::cmp::Reverse(groups[g].fullness()));
    for &g in &order {
        let words = &groups[g].words;
        let candidates: Vec<usize> = match groups[g].kind {
            Some(EntityType::PER) => by_surname
                .get(words.last().map_or("", String::as_str))
                .into_iter()
                .flatten()
                .copied()
                .filter(|&h| {
                    h != g && groups[h].fullness() > groups[g].fullness() && abbreviates(words, &groups[h].words)
                })
                .collect(),
            Some(_) if is_acronym(&groups[g], &reads) => by_initials.get(&words[0]).cloned().unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut roots: Vec<usize> = candidates.iter().map(|&h| find(&parent, h)).collect();
        roots.sort_unstable();
        roots.dedup();
        match roots.as_slice() {
            [] => {}
            [root] => parent[g] = *root,
            _ => {
                // Ambiguous: each mention takes the one candidate its document names.
                let docs_of: Vec<HashSet<DocId>> = roots
                    .iter()
                    .map(|&root| members(&groups, &parent, root).map(|m| reads[m].doc).collect())
                    .collect();
                for &r in &groups[g].reads {
                    let here: Vec<usize> = roots
                        .iter()
                        .zip(&docs_of)
                        .filter(|(_, docs)| docs.contains(&reads[r].doc))
                        .map(|(&root, _)| root)
                        .collect();
                    if let [root] = here.as_slice() {
                        overrides.insert(r, *root);
                    }
                }
            }
        }
    }

    // Roots become entities, in order of first mention.
    let root_of: Vec<usize> = (0..reads.len())
        .map(|r| overrides.get(&r).copied().unwrap_or_else(|| find(&parent, group_of[r])))
        .collect();
    let mut entity_of_root: BTreeMap<usize, EntityId> = BTreeMap::new();
    let mut entities: Vec<Entity> = Vec::new();
    let mut mentions: Vec<Vec<Resolved>> = vec![Vec::new(); docs.len()];
    let mut members_of: Vec<Vec<usize>> = Vec::new();
    for (r, &root) in root_of.iter().enumerate() {
        let e = *entity_of_root.entry(root).or_insert_with(|| {
            members_of.push(Vec::new());
            entities.push(Entity {
                name: String::new(),
                kind: EntityType::MISC,
                aliases: Vec::new(),
                roles: Vec::new(),
                external_id: None,
                mentions: Vec::new(),
            });
            EntityId(entities.len() - 1)
        });
        members_of[e].push(r);
        mentions[reads[r].doc].push(Resolved {
            span: reads[r].span,
            entity: e,
            via: Via::Name,
        });
    }
    for (&root, &e) in &entity_of_root {
        let entry = groups[root].entry.and_then(|i| aliases.map(|a| &a.entries[i]));
        fill_entity(&mut entities[e], &members_of[e], &reads, &groups[root], entry);
    }
    add_role_mentions(docs, &entities, &mut mentions);
    for (doc, ms) in mentions.iter_mut().enumerate() {
        ms.sort_by_key(|m| (m.span, m.entity));
        ms.dedup_by_key(|m| m.span);
        for m in ms.iter().filter(|m| m.via == Via::Role) {
            entities[m.entity].mentions.push(MentionRef {
                doc: DocId(doc),
                span: m.span,
            });
        }
    }
    for e in &mut entities {
        e.mentions.sort();
        e.mentions.dedup();
    }
    referring::add(docs, &entities, &mut mentions);
    for ms in &mut mentions {
        ms.sort_by_key(|m| (m.span, m.entity));
    }
    Resolution { entities, mentions }
}

/// Every NER mention with its name and role read from the text.
fn read_mentions(docs: &[Annotated]) -> Vec<Read> {
    let mut reads = Vec::new();
    for (d, a) in docs.iter().enumerate() {
        let text = a.doc.text.as_str();
        let mut floor = 0;
        for m in &a.mentions {
            let Some(surface) = text.get(m.span.start..m.span.end) else {
                continue;
            };
            let person = m.kind == EntityType::PER;
            let inner = names::name_within(surface, person);
            let name = inner.of(surface).trim().to_string();
            if name.is_empty() {
                continue;
            }
            let name_start = m.span.start + inner.start;
            let sentence_start = a.sentences.iter().find(|s| s.contains(m.span)).map_or(0, |s| s.start);
            let role = person
                .then(|| role_of(text, floor.max(sentence_start), name_start, m.span.end))
                .flatten();
            if person {
                floor = m.span.end;
            }
            reads.push(Read {
                doc: DocId(d),
                span: m.span,
                kind: m.kind,
                name,
                role,
            });
        }
    }
    reads
}

/// The role around a person's name: title words before it (completed by "of Ukraine"
/// after it when bare), else an appositive after it.
fn role_of(text: &str, floor: usize, name_start: usize, end: usize) -> Option<String> {
    if let Some(before) = names::role_before(text, floor, name_start) {
        let role = before.of(text);
        return Some(match names::of_place_after(text, end) {
            Some(place) if !role.contains(char::is_whitespace) => format!("{role} of {place}"),
            _ => role.to_string(),
        });
    }
    names::role_after(text, end).map(|r| r.of(text).to_string())
}

/// A name as words to compare: folded, hyphens kept, dots gone ("V." → "v").
fn name_words(name: &str) -> Vec<String> {
    names::word_spans(name)
        .iter()
        .map(|w| names::fold(w.of(name)))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether person name `short` abbreviates `long`: same last word, and each other word
/// of `short` matches a later word of `long` in order, equal or as an initial.
fn abbreviates(short: &[String], long: &[String]) -> bool {
    let (Some((s_last, s_rest)), Some((l_last, l_rest))) = (short.split_last(), long.split_last()) else {
        return false;
    };
    if s_last != l_last || s_last.chars().count() < 2 {
        return false;
    }
    let mut rest = l_rest.iter();
    s_rest
        .iter()
        .all(|s| rest.any(|l| s == l || (s.chars().count() == 1 && l.starts_with(s.as_str()))))
}

/// Whether a group's name is written as an acronym ("EU", "U.S.", "NATO").
fn is_acronym(g: &Group, reads: &[Read]) -> bool {
    g.words.len() == 1
        && (2..=5).contains(&g.words[0].chars().count())
        && g.reads.iter().any(|&r| {
            let letters: Vec<char> = reads[r].name.chars().filter(|c| c.is_alphabetic()).collect();
            letters.iter().all(|c| c.is_uppercase())
        })
}

/// The initials of a multi-word name, function words skipped ("united states" → "us").
fn initials(words: &[String]) -> Option<String> {
    let content: Vec<&String> = words
        .iter()
        .filter(|w| !matches!(w.as_str(), "of" | "the" | "and" | "for"))
        .collect();
    (content.len() >= 2).then(|| content.iter().filter_map(|w| w.chars().next()).collect())
}

fn find(parent: &[usize], mut g: usize) -> usize {
    while parent[g] != g {
        g = parent[g];
    }
    g
}

/// The reads of every group under `root`.
fn members<'a>(groups: &'a [Group], parent: &'a [usize], root: usize) -> impl Iterator<Item = usize> + 'a {
    (0..groups.len())
        .filter(move |&g| find(parent, g) == root)
        .flat_map(move |g| groups[g].reads.iter().copied())
}

/// The most frequent type; ties go to the earlier in PER, LOC, ORG, MISC.
fn majority(kinds: impl Iterator<Item = EntityType>) -> Option<EntityType> {
    let mut counts: BTreeMap<EntityType, usize> = BTreeMap::new();
    for k in kinds {
        *counts.entry(k).or_default() += 1;
    }
    counts
        .iter()
        .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))
        .map(|(k, _)| *k)
}

/// Names, type, roles and mentions of one entity from its reads.
fn fill_entity(e: &mut Entity, rs: &[usize], reads: &[Read], root: &Group, entry: Option<&AliasEntry>) {
    let mut seen: Vec<(String, usize)> = Vec::new(); // name, count; first seen first
    for &r in rs {
        match seen.iter_mut().find(|(n, _)| *n == reads[r].name) {
            Some((_, n)) => *n += 1,
            None => seen.push((reads[r].name.clone(), 1)),
        }
    }
    // The fullest form: the most frequent spelling of the fullest group's name.
    let fullest = seen
        .iter()
        .filter(|(n, _)| name_words(n) == root.words)
        .max_by_key(|(_, count)| *count)
        .or_else(|| seen.iter().max_by_key(|(n, _)| name_words(n).len()))
        .map(|(n, _)| n.clone())
        .unwrap_or_default();
    e.name = entry.map_or(fullest, |a| a.canonical.clone());
    e.external_id = entry.and_then(|a| a.id.clone());
    e.kind = entry
        .and_then(|a| a.kind)
        .or_else(|| majority(rs.iter().map(|&r| reads[r].kind)))
        .unwrap_or(EntityType::MISC);
    let declared = entry.map(|a| a.aliases.as_slice()).unwrap_or_default();
    for alias in seen.iter().map(|(n, _)| n).chain(declared) {
        if *alias != e.name && !e.aliases.contains(alias) {
            e.aliases.push(alias.clone());
        }
    }
    let mut keys: Vec<String> = Vec::new();
    for role in rs.iter().filter_map(|&r| reads[r].role.as_ref()) {
        let key = names::role_key(role);
        if !keys.contains(&key) {
            keys.push(key);
            e.roles.push(role.clone());
        }
    }
    e.mentions = rs
        .iter()
        .map(|&r| MentionRef {
            doc: reads[r].doc,
            span: reads[r].span,
        })
        .collect();
}

/// Rule 6: role phrases standing for a person ("the Kremlin spokesman said").
fn add_role_mentions(docs: &[Annotated], entities: &[Entity], mentions: &mut [Vec<Resolved>]) {
    let mut holders: HashMap<String, Vec<EntityId>> = HashMap::new();
    for (e, ent) in entities.iter().enumerate() {
        let e = EntityId(e);
        for role in &ent.roles {
            let key = names::role_key(role);
            // A bare title ("President") names no one in particular.
            if key.split(' ').count() >= 2 && !holders.get(&key).is_some_and(|h| h.contains(&e)) {
                holders.entry(key).or_default().push(e);
            }
        }
    }
    for (d, a) in docs.iter().enumerate() {
        let text = a.doc.text.as_str();
        let people: Vec<Span> = mentions[d]
            .iter()
            .filter(|m| entities[m.entity].kind == EntityType::PER)
            .map(|m| m.span)
            .collect();
        for role in names::roles_in(text) {
            let named = people.iter().any(|p| {
                p.overlaps(role) || (p.start >= role.end && text[role.end..p.start].chars().all(char::is_whitespace))
            });
            if named {
                continue;
            }
            if let Some([e]) = holders.get(&names::role_key(role.of(text))).map(Vec::as_slice) {
                mentions[d].push(Resolved {
                    span: role,
                    entity: *e,
                    via: Via::Role,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotated::testing::annotated;
    use crate::ner::Mention;

    /// Resolves texts whose mentions are given as (surface, type), found in order.
    fn run(texts: &[(&str, &[(&str, EntityType)])], aliases: Option<&Aliases>) -> Resolution {
        let docs: Vec<Annotated> = texts
            .iter()
            .enumerate()
            .map(|(i, (text, ms))| annotated(&format!("d{i}"), text, None, ms, &[]))
            .collect();
        resolve(&docs, aliases)
    }

    fn entity<'a>(r: &'a Resolution, name: &str) -> &'a Entity {
        r.entities
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no {name} in {:#?}", r.entities))
    }

    use EntityType::*;

    #[test]
    fn seed_names_resolve_across_documents() {
        let r = run(
            &[
                (
                    "Both the Kremlin and Ukrainian President Volodymyr Zelensky hinted. Late Monday, Zelensky conveyed \
                     it. On Tuesday, Kremlin spokesman Dmitri S. Peskov acknowledged it. Trump’s administration. White \
                     House envoy Steve Witkoff met Russian President Vladimir V. Putin.",
                    &[("Kremlin", ORG), ("Ukrainian", MISC), ("Volodymyr Zelensky", PER), ("Zelensky", PER),
                      ("Kremlin", ORG), ("Dmitri S. Peskov", PER), ("Trump’s", PER), ("White House", ORG),
                      ("Steve Witkoff", PER), ("Russian", MISC), ("Vladimir V. Putin", PER)],
                ),
                (
                    "Former President Trump called. Concurrently, Dmitri S. Peskov, spokesperson for the Kremlin, \
                     remarked. Witkoff has had talks with Russian President Vladimir Putin.",
                    &[("Trump", PER), ("Dmitri S. Peskov", PER), ("Kremlin", ORG), ("Witkoff", PER),
                      ("Russian", MISC), ("Vladimir Putin", PER)],
                ),
                (
                    "Statements from Ukraine’s President Zelensky and President Volodymyr Zelensky of Ukraine. Putin.",
                    &[("Ukraine", LOC), ("President Zelensky", PER), ("President Volodymyr Zelensky", PER),
                      ("Ukraine", LOC), ("Putin", PER)],
                ),
            ],
            None,
        );
        let z = entity(&r, "Volodymyr Zelensky");
        assert_eq!((z.kind, z.mentions.len()), (PER, 4));
        assert_eq!(z.aliases, ["Zelensky"]);
        assert_eq!(
            z.roles,
            ["Ukrainian President"],
            "“Ukraine’s President” and “President … of Ukraine” are the same role"
        );
        let p = entity(&r, "Vladimir V. Putin");
        assert_eq!(p.mentions.len(), 3);
        assert_eq!(p.roles, ["Russian President"]);
        assert_eq!(entity(&r, "Dmitri S. Peskov").roles, ["Kremlin spokesman"]);
        assert_eq!(entity(&r, "Steve Witkoff").roles, ["White House envoy"]);
        assert_eq!(entity(&r, "Steve Witkoff").mentions.len(), 2);
        assert_eq!(entity(&r, "Trump").roles, ["Former President"]);
        let kremlin = entity(&r, "Kremlin");
        assert_eq!((kremlin.kind, kremlin.mentions.len()), (ORG, 3));
        assert_eq!(entity(&r, "Ukraine").kind, LOC);
        // Every mention lands in the per-document lists, sorted.
        assert_eq!(r.mentions.iter().map(Vec::len).sum::<usize>(), 11 + 6 + 5);
        assert!(r.mentions.iter().all(|ms| ms.windows(2).all(|w| w[0].span < w[1].span)));
    }

    #[test]
    fn ambiguous_surnames_follow_their_document() {
        let r = run(
            &[
                (
                    "Donald Trump spoke. Trump left.",
                    &[("Donald Trump", PER), ("Trump", PER)],
                ),
                (
                    "Melania Trump spoke. Trump left.",
                    &[("Melania Trump", PER), ("Trump", PER)],
                ),
                ("Trump left.", &[("Trump", PER)]),
            ],
            None,
        );
        assert_eq!(entity(&r, "Donald Trump").mentions.len(), 2);
        assert_eq!(entity(&r, "Melania Trump").mentions.len(), 2);
        assert_eq!(
            entity(&r, "Trump").mentions,
            [MentionRef {
                doc: DocId(2),
                span: Span::new(0, 5)
            }]
        );
    }

    #[test]
    fn role_phrases_and_acronyms() {
        let r = run(
            &[
                (
                    "Kremlin spokesman Dmitri S. Peskov spoke.",
                    &[("Kremlin", ORG), ("Dmitri S. Peskov", PER)],
                ),
                (
                    "The Kremlin spokesman said the European Union and the EU agreed.",
                    &[("Kremlin", ORG), ("European Union", ORG), ("EU", ORG)],
                ),
            ],
            None,
        );
        let peskov = entity(&r, "Dmitri S. Peskov");
        assert_eq!(peskov.mentions.len(), 2, "{peskov:?}");
        assert!(r.mentions[1]
            .iter()
            .any(|m| m.via == Via::Role && m.span == Span::new(4, 21)));
        assert_eq!(entity(&r, "European Union").aliases, ["EU"]);
    }

    #[test]
    fn alias_file_overrides_and_links() {
        let aliases = Aliases::parse("Dmitry Peskov\tDmitri S. Peskov|Peskov\tQ2624048\tPER\n").unwrap();
        let r = run(
            &[(
                "Dmitri S. Peskov spoke. Mr. Peskov left. Dmitri Peskov returned.",
                &[("Dmitri S. Peskov", PER), ("Mr. Peskov", PER), ("Dmitri Peskov", PER)],
            )],
            Some(&aliases),
        );
        assert_eq!(r.entities.len(), 1, "{:#?}", r.entities);
        let e = &r.entities[0];
        assert_eq!(
            (e.name.as_str(), e.external_id.as_deref()),
            ("Dmitry Peskov", Some("Q2624048"))
        );
        assert_eq!(e.aliases, ["Dmitri S. Peskov", "Peskov", "Dmitri Peskov"]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        let text = "é";
        let docs = vec![annotated("x", text, None, &[], &[])];
        let mut bad = docs.clone();
        bad[0].mentions.push(Mention {
            span: Span::new(0, 1),
            kind: PER,
            score: 1.0,
        }); // not a char boundary
        bad[0].mentions.push(Mention {
            span: Span::new(5, 9),
            kind: PER,
            score: 1.0,
        }); // out of range
        assert!(resolve(&bad, None).entities.is_empty());
        assert!(resolve(&[], None).entities.is_empty());
    }
}
