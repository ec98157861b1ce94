//! Words the event rules know: trigger forms with the analyst's type they usually
//! signal (inflections generated), the support verbs that lend their event a subject
//! and a date, and the words that make an event planned or possible. The model finds
//! the triggers; these only name them. Words with more than one sense ("strike") are
//! settled by their context ([`sense`]).

use super::EventType;
use crate::time::timeml::EventClass;
use std::collections::HashMap;
use std::sync::LazyLock;

use EventType::*;

/// Regular verbs by lemma; inflections are generated ([`verb_forms`]).
const VERBS: &[(EventType, &[&str])] = &[
    (
        Statement,
        &[
            "say",
            "tell",
            "state",
            "claim",
            "note",
            "add",
            "remark",
            "comment",
            "acknowledge",
            "convey",
            "express",
            "emphasize",
            "emphasise",
            "stress",
            "insist",
            "indicate",
            "hint",
            "mention",
            "declare",
            "assert",
            "argue",
            "respond",
            "reply",
            "echo",
            "hope",
            "write",
            "post",
            "tweet",
            "confirm",
            "deny",
            "praise",
            "criticize",
            "criticise",
            "urge",
            "call",
            "describe",
            "vow",
            "pledge",
            "promise",
        ],
    ),
    (
        Announcement,
        &[
            "announce",
            "unveil",
            "launch",
            "publish",
            "introduce",
            "release",
            "reveal",
            "demo",
            "preview",
        ],
    ),
    (Meeting, &["meet", "host", "convene"]),
    (Visit, &["visit", "travel", "arrive", "fly", "tour"]),
    (Negotiation, &["negotiate", "mediate", "discuss", "broker"]),
    (Proposal, &["propose", "offer"]),
    (Agreement, &["agree", "sign", "ratify"]),
    (Threat, &["threaten", "warn"]),
    (Sanction, &["sanction", "impose", "ban"]),
    (
        Attack,
        &[
            "attack",
            "strike",
            "invade",
            "bomb",
            "shell",
            "kill",
            "shoot",
            "assassinate",
        ],
    ),
    (
        Other,
        &[
            "appoint",
            "resign",
            "elect",
            "arrest",
            "nominate",
            "sell",
            "buy",
            "lose",
            "die",
            "sue",
            "settle",
            "win",
            "acquire",
            "discontinue",
            "rename",
        ],
    ),
];

/// Forms the rules in [`verb_forms`] get wrong.
const IRREGULAR: &[(&str, &[&str])] = &[
    ("say", &["said"]),
    ("tell", &["told"]),
    ("write", &["wrote", "written"]),
    ("meet", &["met"]),
    ("fly", &["flew", "flown"]),
    ("travel", &["travelled", "travelling"]),
    ("strike", &["struck", "stricken"]),
    ("shoot", &["shot"]),
    ("ban", &["banned", "banning"]),
    ("echo", &["echoes"]),
    ("sell", &["sold"]),
    ("buy", &["bought"]),
    ("lose", &["lost"]),
    ("win", &["won"]),
    ("die", &["died", "dying"]),
    ("demo", &["demoed"]),
];

/// Event nouns, singular; plurals are generated.
const NOUNS: &[(EventType, &[&str])] = &[
    (Statement, &["statement", "comment", "remark", "declaration", "speech"]),
    (Announcement, &["announcement"]),
    (
        Meeting,
        &["meeting", "summit", "engagement", "interaction", "conference"],
    ),
    (Visit, &["visit", "trip", "tour"]),
    (
        Negotiation,
        &["talks", "negotiation", "discussion", "dialogue", "mediation"],
    ),
    (Proposal, &["proposal", "offer"]),
    (
        Agreement,
        &[
            "agreement",
            "deal",
            "accord",
            "treaty",
            "truce",
            "ceasefire",
            "cease-fire",
            "pact",
        ],
    ),
    (Threat, &["threat", "warning", "ultimatum"]),
    (Sanction, &["sanction", "tariff", "embargo", "ban"]),
    (
        Attack,
        &[
            "attack",
            "strike",
            "invasion",
            "offensive",
            "bombing",
            "shelling",
            "assault",
            "airstrike",
            "killing",
            "assassination",
        ],
    ),
    (Strike, &["walkout", "stoppage", "picket"]),
    (
        Other,
        &[
            "election",
            "arrest",
            "resignation",
            "appointment",
            "lawsuit",
            "dispute",
            "death",
            "sale",
            "release",
            "launch",
            "keynote",
            "introduction",
            "unveiling",
        ],
    ),
];

/// What a word form triggers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    pub kind: EventType,
    /// Whether the form is an event noun (some are verbs too: "visit").
    pub noun: bool,
}

/// Lowercased word form → entry.
static LEXICON: LazyLock<HashMap<String, Entry>> = LazyLock::new(|| {
    let mut map: HashMap<String, Entry> = HashMap::new();
    let mut add = |form: String, kind: EventType, verb: bool| {
        map.entry(form).or_insert(Entry { kind, noun: false }).noun |= !verb;
    };
    for (kind, lemmas) in VERBS {
        for lemma in *lemmas {
            let extra = IRREGULAR
                .iter()
                .filter(|(l, _)| l == lemma)
                .flat_map(|(_, f)| f.iter().map(|s| s.to_string()));
            for form in verb_forms(lemma).into_iter().chain(extra) {
                add(form, *kind, true);
            }
        }
    }
    for (kind, nouns) in NOUNS {
        for noun in *nouns {
            add(noun.to_string(), *kind, false);
            if !noun.ends_with('s') {
                add(format!("{noun}s"), *kind, false);
            }
        }
    }
    map
});

/// Base, third person, past and -ing forms of a regular verb.
fn verb_forms(lemma: &str) -> Vec<String> {
    // The lemmas are ASCII constants, so byte indexing is safe.
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
const SUPPORT: &[&str] = &[
    "have",
    "has",
    "had",
    "having",
    "hold",
    "holds",
    "held",
    "holding",
    "make",
    "makes",
    "made",
    "making",
    "give",
    "gives",
    "gave",
    "given",
    "giving",
    "take",
    "takes",
    "took",
    "taken",
    "taking",
    "conduct",
    "conducted",
    "conducts",
    "stage",
    "staged",
    "stages",
    "carry",
    "carried",
    "carries",
    "strike",
    "struck",
    "strikes",
    "reach",
    "reached",
    "reaches",
    "seal",
    "sealed",
    "come",
    "comes",
    "came",
    "coming",
    "happen",
    "happens",
    "happened",
    "occur",
    "occurs",
    "occurred",
    "begin",
    "begins",
    "began",
    "begun",
    "start",
    "starts",
    "started",
    "resume",
    "resumes",
    "resumed",
    "continue",
    "continues",
    "continued",
    "get",
    "got",
    "gets",
    "present",
    "presents",
    "presented",
    "launch",
    "launched",
    "launches",
    "launching",
    "submit",
    "submits",
    "submitted",
    "table",
    "tabled",
    "put",
    "puts",
    "sign",
    "signs",
    "signed",
    "signing",
];

/// Forms that make what they govern planned: "set to", "scheduled to", "plans to".
pub const PLANNING: &[&str] = &[
    "set",
    "scheduled",
    "schedule",
    "due",
    "poised",
    "expected",
    "expects",
    "expect",
    "plan",
    "plans",
    "planned",
    "planning",
    "intend",
    "intends",
    "intended",
    "going",
    "prepare",
    "prepares",
    "preparing",
    "upcoming",
    "forthcoming",
    "next",
    "future",
    "proposed",
    "will",
    "shall",
    "'ll",
    "’ll",
];

/// Forms that make what they govern only possible.
pub const HOPING: &[&str] = &[
    "hope",
    "hopes",
    "hoped",
    "hoping",
    "want",
    "wants",
    "wanted",
    "wish",
    "wishes",
    "seek",
    "seeks",
    "sought",
    "try",
    "tries",
    "tried",
    "trying",
    "could",
    "may",
    "might",
    "can",
    "should",
    "possible",
    "possibly",
    "potential",
    "potentially",
    "likely",
    "unlikely",
    "perhaps",
    "maybe",
    "if",
    "unless",
    "whether",
    "would",
    "'d",
    "’d",
];

/// Whether `form` (lowercased) is a support verb, or the model called it aspectual.
pub fn is_support(form: &str, class: EventClass) -> bool {
    SUPPORT.contains(&form) || PLANNING.contains(&form) || class == EventClass::Aspectual
}

/// Context words that make a strike a labour one.
const LABOUR: &[&str] = &[
    "union",
    "unions",
    "worker",
    "workers",
    "staff",
    "employees",
    "dockworkers",
    "teachers",
    "nurses",
    "doctors",
    "pilots",
    "drivers",
    "miners",
    "general",
    "national",
    "pay",
    "wage",
    "wages",
    "walkout",
    "pension",
    "pensions",
    "picket",
    "stoppage",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "indefinite",
    "go",
    "went",
    "called",
    "contract",
];

/// Context words that make a strike an attack.
const MILITARY: &[&str] = &[
    "air",
    "missile",
    "missiles",
    "drone",
    "drones",
    "rocket",
    "rockets",
    "military",
    "artillery",
    "nuclear",
    "naval",
    "preemptive",
    "pre-emptive",
    "retaliatory",
    "killed",
    "troops",
    "forces",
    "army",
    "bomb",
    "bombs",
    "targeted",
    "targets",
    "precision",
    "israeli",
    "russian",
    "airstrikes",
    "casualties",
];

/// The analyst's type of a trigger word, given the words of its context (lowercased,
/// nearest first): the lexicon's type, with "strike" read as a labour strike or an
/// attack by the first context word that tells.
pub fn sense(form: &str, context: &[String]) -> Option<EventType> {
    let kind = lookup(form)?.kind;
    if kind != Attack || !form.starts_with("strik") && !form.starts_with("struck") {
        return Some(kind);
    }
    let word = |w: &String| {
        w.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
            .to_string()
    };
    context
        .iter()
        .map(word)
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
        let words = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        assert_eq!(sense("strike", &words(&["48-hour", "halted", "port"])), Some(Strike));
        assert_eq!(sense("strike", &words(&["the", "drone", "killed"])), Some(Attack));
        assert_eq!(
            sense("strike", &words(&["a", "second"])),
            Some(Other),
            "no word tells: neither"
        );
        assert_eq!(sense("said", &[]), Some(Statement));
    }
}
