//! Words the event rules know: trigger forms with the analyst's type they usually
//! signal (inflections generated), the support verbs that lend their event a subject
//! and a date, and the words that make an event planned or possible. The model finds
//! the triggers; these only name them. Words with more than one sense ("strike") are
//! settled by their context ([`sense`]).
//!
//! The words are data, not code: the text files beside this module, compiled in with
//! `include_str!`, each opening with a header of `# ` lines that names its source and
//! what earns a word its place. Then one entry a line; blank lines and `#` lines are
//! skipped, and every word is lowercase. In the typed lists (`verbs.txt`, `nouns.txt`)
//! a `[type]` line, an [`EventType::name`], opens the section whose type its entries
//! signal, and a verb's line may go on with the irregular forms the inflection rules
//! miss (`say said`). A list describes English, so no word is in one because an
//! evaluation text or the bundled example uses it.

use super::EventType;
use crate::time::timeml::EventClass;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use EventType::*;

/// One of the embedded lists.
struct List {
    file: &'static str,
    text: &'static str,
    /// Its entries sit under `[type]` sections.
    typed: bool,
    /// Its entries are verb lemmas, inflected by rule ([`verb_forms`]): ASCII, and a
    /// line may go on with the lemma's irregular forms.
    lemmas: bool,
}

macro_rules! list {
    ($file:literal, typed: $typed:expr, lemmas: $lemmas:expr) => {
        List {
            file: $file,
            text: include_str!($file),
            typed: $typed,
            lemmas: $lemmas,
        }
    };
}

const VERB_LIST: List = list!("verbs.txt", typed: true, lemmas: true);
const NOUN_LIST: List = list!("nouns.txt", typed: true, lemmas: false);
const SUPPORT_LIST: List = list!("support.txt", typed: false, lemmas: false);
const PLANNING_LIST: List = list!("planning.txt", typed: false, lemmas: false);
const HOPING_LIST: List = list!("hoping.txt", typed: false, lemmas: false);
const LABOUR_LIST: List = list!("labour.txt", typed: false, lemmas: false);
const MILITARY_LIST: List = list!("military.txt", typed: false, lemmas: false);

/// An entry of a list: its section's type (typed lists) and its words.
struct Item {
    kind: Option<EventType>,
    words: Vec<&'static str>,
}

/// The entries of `list`, and what is wrong with it (`file:line: problem`), a line in
/// error being left out. The lists are compiled in, so the tests parse every one and
/// no error can reach a run; a run only ever reads the good lines.
fn parse(list: &List) -> (Vec<Item>, Vec<String>) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    if !list.text.starts_with("# ") {
        errors.push(format!("{}:1: no `# ` header naming the list's source", list.file));
    }
    let mut kind = None;
    let mut seen = HashSet::new();
    for (n, line) in list.text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&'static str> = line.split_whitespace().collect();
        let problem = if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            kind = EventType::ALL.into_iter().find(|t| t.name() == name);
            match (list.typed, kind) {
                (false, _) => Some(format!("a [type] section in a list without types: {line}")),
                (true, None) => Some(format!("unknown type {line}")),
                (true, Some(_)) => None,
            }
        } else if list.typed && kind.is_none() {
            Some(format!("{line:?} is outside a [type] section"))
        } else if words.len() > 1 && !list.lemmas {
            Some(format!("one word a line, not {line:?}"))
        } else if line.chars().any(char::is_uppercase) {
            Some(format!("{line:?} is not lowercase"))
        } else if list.lemmas && !words[0].bytes().all(|b| b.is_ascii_lowercase()) {
            Some(format!(
                "the lemma {:?} is not ASCII letters, which the inflection rules need",
                words[0]
            ))
        } else if !seen.insert(words[0]) {
            Some(format!("{:?} is listed twice", words[0]))
        } else {
            items.push(Item { kind, words });
            None
        };
        errors.extend(problem.map(|p| format!("{}:{}: {p}", list.file, n + 1)));
    }
    (items, errors)
}

/// The entries of a typed list with their types.
fn typed(list: &List) -> impl Iterator<Item = (EventType, Vec<&'static str>)> {
    parse(list).0.into_iter().filter_map(|i| Some((i.kind?, i.words)))
}

/// The words of a list without types.
fn words(list: &List) -> Vec<&'static str> {
    parse(list).0.into_iter().flat_map(|i| i.words).collect()
}

/// Every form of the verbs with its type: the generated inflections and the
/// irregular forms. Lines are never empty, so each has its lemma.
fn verb_entries() -> impl Iterator<Item = (String, EventType)> {
    typed(&VERB_LIST).flat_map(|(kind, words)| {
        let lemma = words[0];
        let irregular = words.into_iter().skip(1).map(str::to_string);
        verb_forms(lemma).into_iter().chain(irregular).map(move |f| (f, kind))
    })
}

/// Every form of the event nouns with its type: singular and plural.
fn noun_entries() -> impl Iterator<Item = (String, EventType)> {
    typed(&NOUN_LIST).flat_map(|(kind, words)| {
        let noun = words[0];
        let plural = (!noun.ends_with('s')).then(|| format!("{noun}s"));
        std::iter::once(noun.to_string()).chain(plural).map(move |f| (f, kind))
    })
}

/// What a word form triggers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    pub kind: EventType,
    /// Whether the form is an event noun (some are verbs too: "visit").
    pub noun: bool,
}

/// Lowercased word form → entry. A form that is a verb and a noun ("visit") has the
/// verb's type; the tests check that the noun list agrees.
static LEXICON: LazyLock<HashMap<String, Entry>> = LazyLock::new(|| {
    let mut map: HashMap<String, Entry> = HashMap::new();
    let verbs = verb_entries().map(|(form, kind)| (form, kind, false));
    for (form, kind, noun) in verbs.chain(noun_entries().map(|(form, kind)| (form, kind, true))) {
        map.entry(form).or_insert(Entry { kind, noun: false }).noun |= noun;
    }
    map
});

/// Base, third person, past and -ing forms of a regular verb.
fn verb_forms(lemma: &str) -> Vec<String> {
    // The lemmas are ASCII (`parse` leaves out any other), so byte indexing is safe.
    let consonant_y = lemma.ends_with('y') && lemma.len() >= 2 && !b"aeou".contains(&lemma.as_bytes()[lemma.len() - 2]);
    let stem = &lemma[..lemma.len().saturating_sub(1)];
    let third = if consonant_y {
        format!("{stem}ies")
    } else if ["s", "sh", "ch", "x", "z"].iter().any(|e| lemma.ends_with(e)) {
        format!("{lemma}es")
    } else {
        format!("{lemma}s")
    };
    let past = if consonant_y {
        format!("{stem}ied")
    } else if lemma.ends_with('e') {
        format!("{lemma}d")
    } else {
        format!("{lemma}ed")
    };
    let ing = if lemma.ends_with('e') && !lemma.ends_with("ee") {
        format!("{stem}ing")
    } else {
        format!("{lemma}ing")
    };
    vec![lemma.to_string(), third, past, ing]
}

/// The trigger entry of a lowercased word form.
pub fn lookup(form: &str) -> Option<Entry> {
    LEXICON.get(form).copied()
}

/// Forms of verbs that, with an event as subject, object or complement, are not events
/// of their own but carry that one: light verbs ("held talks", "struck a deal"),
/// aspectual ones ("talks began") and planning ones ("is set to travel").
static SUPPORT: LazyLock<Vec<&str>> = LazyLock::new(|| words(&SUPPORT_LIST));

/// Forms that make what they govern planned: "set to", "scheduled to", "plans to".
pub static PLANNING: LazyLock<Vec<&str>> = LazyLock::new(|| words(&PLANNING_LIST));

/// Forms that make what they govern only possible.
pub static HOPING: LazyLock<Vec<&str>> = LazyLock::new(|| words(&HOPING_LIST));

/// Whether `form` (lowercased) is a support verb, or the model called it aspectual.
pub fn is_support(form: &str, class: EventClass) -> bool {
    SUPPORT.contains(&form) || PLANNING.contains(&form) || class == EventClass::Aspectual
}

/// Context words that make a strike a labour one.
static LABOUR: LazyLock<Vec<&str>> = LazyLock::new(|| words(&LABOUR_LIST));

/// Context words that make a strike an attack.
static MILITARY: LazyLock<Vec<&str>> = LazyLock::new(|| words(&MILITARY_LIST));

/// The analyst's type of a trigger word, given the words of its context (lowercased,
/// nearest first): the lexicon's type, with "strike" read as a labour strike or an
/// attack by the first context word that tells.
pub fn sense(form: &str, context: &[String]) -> Option<EventType> {
    let kind = lookup(form)?.kind;
    if kind != Attack || !form.starts_with("strik") && !form.starts_with("struck") {
        return Some(kind);
    }
    context
        .iter()
        .find_map(|w| {
            if LABOUR.contains(&w.as_str()) {
                Some(Strike)
            } else {
                MILITARY.contains(&w.as_str()).then_some(Attack)
            }
        })
        .or(Some(Other))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections() {
        assert_eq!(
            verb_forms("acknowledge"),
            ["acknowledge", "acknowledges", "acknowledged", "acknowledging"]
        );
        assert_eq!(verb_forms("ratify"), ["ratify", "ratifies", "ratified", "ratifying"]);
        assert_eq!(verb_forms("convey"), ["convey", "conveys", "conveyed", "conveying"]);
        assert_eq!(verb_forms("agree"), ["agree", "agrees", "agreed", "agreeing"]);
        assert_eq!(verb_forms("express")[1], "expresses");
        for (form, kind) in [
            ("said", Statement),
            ("met", Meeting),
            ("tariffs", Sanction),
            ("talks", Negotiation),
            ("warned", Threat),
            ("announcing", Announcement),
            ("deal", Agreement),
        ] {
            assert_eq!(lookup(form).map(|e| e.kind), Some(kind), "{form}");
        }
        let visit = lookup("visit").unwrap();
        assert!(visit.noun && lookup("visited").is_some_and(|e| !e.noun));
        assert!(lookup("house").is_none());
        let context = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(sense("strike", &context(&["48-hour", "over", "pay"])), Some(Strike));
        assert_eq!(sense("strike", &context(&["the", "drone", "killed"])), Some(Attack));
        assert_eq!(
            sense("strike", &context(&["a", "second"])),
            Some(Other),
            "no word tells: neither"
        );
        assert_eq!(sense("said", &[]), Some(Statement));
    }

    #[test]
    fn every_list_parses_and_the_lists_agree() {
        for list in [
            &VERB_LIST,
            &NOUN_LIST,
            &SUPPORT_LIST,
            &PLANNING_LIST,
            &HOPING_LIST,
            &LABOUR_LIST,
            &MILITARY_LIST,
        ] {
            let (items, errors) = parse(list);
            assert!(errors.is_empty() && !items.is_empty(), "{}: {errors:#?}", list.file);
        }
        let mut types: HashMap<String, EventType> = HashMap::new();
        for (form, kind) in verb_entries().chain(noun_entries()) {
            assert_eq!(
                *types.entry(form.clone()).or_insert(kind),
                kind,
                "{form:?} has two types"
            );
        }
        assert!(
            LABOUR.iter().all(|w| !MILITARY.contains(w)),
            "a context word tells one sense"
        );
    }

    #[test]
    fn bad_lines_are_reported_and_left_out() {
        let verbs = List {
            file: "v.txt",
            text: "# v\nbomb\n[attack]\nbomb\n[riot]\nloot\n[other]\nSue\nsue sued\nsue\nnaïve\n",
            typed: true,
            lemmas: true,
        };
        let (items, errors) = parse(&verbs);
        let words: Vec<Vec<&str>> = items.into_iter().map(|i| i.words).collect();
        assert_eq!(words, [vec!["bomb"], vec!["sue", "sued"]]);
        assert_eq!(
            errors,
            [
                "v.txt:2: \"bomb\" is outside a [type] section",
                "v.txt:5: unknown type [riot]",
                "v.txt:6: \"loot\" is outside a [type] section",
                "v.txt:8: \"Sue\" is not lowercase",
                "v.txt:10: \"sue\" is listed twice",
                "v.txt:11: the lemma \"naïve\" is not ASCII letters, which the inflection rules need",
            ]
        );
        let plain = List {
            file: "p.txt",
            text: "go\n[attack]\ngo on\n’ll\n",
            typed: false,
            lemmas: false,
        };
        let (items, errors) = parse(&plain);
        assert_eq!(items.iter().map(|i| i.words[0]).collect::<Vec<_>>(), ["go", "’ll"]);
        assert_eq!(
            errors,
            [
                "p.txt:1: no `# ` header naming the list's source",
                "p.txt:2: a [type] section in a list without types: [attack]",
                "p.txt:3: one word a line, not \"go on\"",
            ]
        );
    }
}
