//! Clauses of a sentence, from punctuation and a few conjunctions: enough to keep the
//! participants and time of one predicate apart from another's without a parser.
//!
//! Breaks: `;`, dashes, ", while/although/though/but/whereas/yet", and the first comma
//! after a leading "While/Although/As/Since/Despite…". A relative clause
//! (", who …," or "—who …—") is a clause of its own whose subject is the name before it;
//! the main clause goes on after it ("Witkoff, who met Putin, is set to visit Moscow").

use crate::doc::Span;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// Its pieces of text, in order (a main clause is cut by a relative one).
    pub parts: Vec<Span>,
    /// The clause a relative clause hangs on.
    pub host: Option<usize>,
}

impl Clause {
    pub fn contains(&self, at: usize) -> bool {
        self.parts.iter().any(|p| p.start <= at && at < p.end)
    }

    /// The start of the clause's first piece.
    pub fn start(&self) -> usize {
        self.parts.first().map_or(0, |p| p.start)
    }
}

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<rel>(?:,\s*|\s*[—–]\s*)(?:who|which|whom|whose)\b)|(?P<brk>;|\s*[—–]\s*|\s+--\s+|,\s+(?:while|although|though|but|whereas|yet)\b)")
        .expect("clause regex")
});

/// Words that open a sentence with a subordinate clause ending at the first comma.
const SUBORDINATORS: &[&str] = &[
    "while", "although", "though", "as", "when", "if", "after", "before", "since", "because", "whereas", "despite", "unless", "once",
];

static CLOSE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[,;—–]").expect("close regex"));

/// The clauses of sentence `s` of `text`, in order of their first piece (one may be
/// empty, when the sentence starts with a break). An invalid span gives none.
pub fn split(text: &str, s: Span) -> Vec<Clause> {
    let Some(sentence) = text.get(s.start..s.end) else { return Vec::new() };
    let mut clauses = vec![Clause { parts: Vec::new(), host: None }];
    let mut current = 0;
    let mut pos = 0;
    let first = sentence.split_whitespace().next().unwrap_or("").to_lowercase();
    if SUBORDINATORS.contains(&first.as_str()) {
        if let Some(comma) = sentence.find(',') {
            clauses[0].parts.push(Span::new(s.start, s.start + comma));
            clauses.push(Clause { parts: Vec::new(), host: None });
            current = 1;
            pos = comma + 1;
        }
    }
    while pos < sentence.len() {
        let Some(caps) = MARKER.captures_at(sentence, pos) else { break };
        let Some(m) = caps.get(0) else { break };
        if m.start() > pos {
            clauses[current].parts.push(Span::new(s.start + pos, s.start + m.start()));
        }
        if caps.name("rel").is_some() {
            let close = CLOSE.find_at(sentence, m.end()).map_or(sentence.len(), |c| c.start());
            clauses.push(Clause { parts: vec![Span::new(s.start + m.start(), s.start + close)], host: Some(current) });
            pos = CLOSE.find_at(sentence, m.end()).map_or(sentence.len(), |c| c.end());
        } else {
            clauses.push(Clause { parts: Vec::new(), host: None });
            current = clauses.len() - 1;
            pos = m.end();
        }
    }
    if pos < sentence.len() {
        clauses[current].parts.push(Span::new(s.start + pos, s.end));
    }
    clauses
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, c: &Clause) -> Vec<&'a str> {
        c.parts.iter().map(|p| p.of(text)).collect()
    }

    #[test]
    fn relative_clauses_and_breaks() {
        let text = "Envoy Witkoff, who has met Putin since February, is set to visit Moscow; talks follow.";
        let cs = split(text, Span::new(0, text.len()));
        assert_eq!(cs.len(), 3);
        assert_eq!(texts(text, &cs[0]), ["Envoy Witkoff", " is set to visit Moscow"]);
        assert_eq!(texts(text, &cs[1]), [", who has met Putin since February"]);
        assert_eq!(cs[1].host, Some(0));
        assert_eq!(texts(text, &cs[2]), [" talks follow."]);
        let text = "Comments from Trump—who warned that it could fail—this week bring focus, while others wait.";
        let cs = split(text, Span::new(0, text.len()));
        assert_eq!(texts(text, &cs[0]), ["Comments from Trump", "this week bring focus"]);
        assert_eq!(texts(text, &cs[1]), ["—who warned that it could fail"]);
        assert_eq!(texts(text, &cs[2]), [" others wait."]);
        assert!(split("é", Span::new(0, 1)).is_empty());
        let text = "While no plans exist, the engagement signals readiness.";
        let cs = split(text, Span::new(0, text.len()));
        assert_eq!((texts(text, &cs[0]), texts(text, &cs[1])), (vec!["While no plans exist"], vec![" the engagement signals readiness."]));
    }
}
