//! GraphViz DOT that reads left to right: a spine of dates (one node per day, chained),
//! each day's events in its column (`rank=same`), entities coloured by type and linked to
//! events by role, undated events in a cluster of their own.
//!
//! A batch run holds thousands of events, which no diagram shows legibly, so
//! [`DotOptions`] narrows it: to the events of some entities (`focus`), and to the most
//! salient ones (`max_events`: most sources, then most documents, then confidence). The
//! graph's label says how many of how many it shows. Days spread over more than two
//! months are grouped in a box per month.

use super::Labels;
use crate::graph::{interval, Timeline};
use crate::ner::EntityType;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Fill colours by entity type, also used for the legend.
const COLOURS: [(EntityType, &str); 4] = [
    (EntityType::PER, "#cfe2ff"),
    (EntityType::LOC, "#d3f0d3"),
    (EntityType::ORG, "#ffe0b3"),
    (EntityType::MISC, "#e6e6e6"),
];

/// Which events go into the diagram.
#[derive(Debug, Clone, Default)]
pub struct DotOptions {
    /// Only events involving one of these entities (name or alias, any letter case).
    pub focus: Vec<String>,
    /// At most this many events, the most salient; None: all.
    pub max_events: Option<usize>,
}

/// The events `opts` keeps, in timeline order.
fn selected(t: &Timeline, opts: &DotOptions) -> Vec<usize> {
    let focus: BTreeSet<usize> = t
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| opts.focus.iter().any(|f| e.goes_by(f)))
        .map(|(i, _)| i)
        .collect();
    let mut kept: Vec<usize> = t
        .order
        .iter()
        .copied()
        .filter(|&i| {
            opts.focus.is_empty()
                || t.events
                    .get(i)
                    .is_some_and(|e| e.entities().any(|x| focus.contains(&x)))
        })
        .collect();
    if let Some(max) = opts.max_events.filter(|&m| m < kept.len()) {
        let salience = |i: usize| {
            let e = &t.events[i];
            let docs: BTreeSet<usize> = e.sources.iter().map(|s| s.doc).collect();
            (e.sources.len(), docs.len(), (e.confidence * 1000.0) as i64)
        };
        let mut ranked = kept.clone();
        ranked.sort_by_key(|&i| std::cmp::Reverse(salience(i)));
        let top: BTreeSet<usize> = ranked.into_iter().take(max).collect();
        kept.retain(|i| top.contains(i));
    }
    kept
}

/// The timeline as a GraphViz digraph, with the events `opts` selects.
pub fn to_dot(t: &Timeline, opts: &DotOptions) -> String {
    let labels = Labels::new(t);
    let kept = selected(t, opts);
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored for that reason.
    let _ = writeln!(out, "digraph timeline {{");
    let _ = writeln!(out, "  rankdir=LR; newrank=true; nodesep=0.3; ranksep=0.6;");
    let _ = writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=10]; edge [fontname=\"Helvetica\", fontsize=8, color=\"#777777\"];"
    );
    if kept.len() < t.events.len() {
        let why = if opts.focus.is_empty() {
            String::new()
        } else {
            format!(" involving {}", opts.focus.join(", "))
        };
        let capped = opts.max_events.is_some_and(|m| m == kept.len());
        let note = format!(
            "{} of {} events{why}{}",
            kept.len(),
            t.events.len(),
            if capped { ", the most reported" } else { "" }
        );
        let _ = writeln!(out, "  labelloc=t; label={};", quote(&note));
    }

    let mut days: BTreeMap<chrono::NaiveDate, Vec<usize>> = BTreeMap::new();
    let mut undated = Vec::new();
    for &i in &kept {
        match t.events.get(i).and_then(interval) {
            Some((first, _)) => days.entry(first).or_default().push(i),
            None => undated.push(i),
        }
    }
    let _ = writeln!(out, "  // date spine");
    let by_month = days
        .keys()
        .next()
        .zip(days.keys().last())
        .is_some_and(|(a, b)| (*b - *a).num_days() > 62);
    let mut previous: Option<String> = None;
    let mut month: Option<String> = None;
    for (day, events) in &days {
        let this_month = day.format("%Y-%m").to_string();
        if by_month && month.as_deref() != Some(this_month.as_str()) {
            if month.is_some() {
                let _ = writeln!(out, "  }}");
            }
            let _ = writeln!(
                out,
                "  subgraph {} {{ label={}; style=rounded; color=\"#bbbbbb\";",
                quote(&format!("cluster_{this_month}")),
                quote(&day.format("%B %Y").to_string())
            );
            month = Some(this_month);
        }
        let id = format!("day {}", day.format("%Y-%m-%d"));
        let _ = writeln!(
            out,
            "  {} [shape=box, style=\"rounded,filled,bold\", fillcolor=\"#f2f2f2\", label={}];",
            quote(&id),
            quote(&day.format("%a %-d %b %Y").to_string())
        );
        if let Some(p) = &previous {
            let _ = writeln!(
                out,
                "  {} -> {} [style=bold, color=\"#333333\", weight=100];",
                quote(p),
                quote(&id)
            );
        }
        let members: Vec<String> = events.iter().map(|&i| quote(&labels.event(i))).collect();
        let _ = writeln!(out, "  {{ rank=same; {}; {}; }}", quote(&id), members.join("; "));
        for m in &members {
            let _ = writeln!(out, "  {} -> {m} [style=dotted, arrowhead=none];", quote(&id));
        }
        previous = Some(id);
    }
    if month.is_some() {
        let _ = writeln!(out, "  }}");
    }

    let _ = writeln!(out, "  // events");
    for &i in &kept {
        let Some(e) = t.events.get(i) else { continue };
        let when = e
            .time
            .as_ref()
            .map(|t| format!("{} ({})", t.text, t.value))
            .unwrap_or_else(|| "undated".to_string());
        let label = format!(
            "{}\n[{} · {} · {} source{}]",
            wrap(&e.summary, 36),
            e.kind.name(),
            when,
            e.sources.len(),
            if e.sources.len() == 1 { "" } else { "s" }
        );
        let _ = writeln!(
            out,
            "  {} [shape=note, style=filled, fillcolor=\"#fff7d6\", label={}];",
            quote(&labels.event(i)),
            quote(&label)
        );
    }
    if !undated.is_empty() {
        let members: Vec<String> = undated.iter().map(|&i| quote(&labels.event(i))).collect();
        let _ = writeln!(
            out,
            "  subgraph cluster_undated {{ label=\"undated\"; style=dashed; color=\"#999999\"; {}; }}",
            members.join("; ")
        );
    }

    let _ = writeln!(out, "  // entities");
    let used: BTreeSet<usize> = kept
        .iter()
        .filter_map(|&i| t.events.get(i))
        .flat_map(|e| e.entities())
        .collect();
    for &e in &used {
        let Some(ent) = t.entities.get(e) else { continue };
        let colour = COLOURS
            .iter()
            .find(|(k, _)| *k == ent.kind)
            .map_or("#ffffff", |(_, c)| c);
        let label = format!("{}\n{:?}", ent.name, ent.kind);
        let _ = writeln!(
            out,
            "  {} [shape=ellipse, style=filled, fillcolor=\"{colour}\", label={}];",
            quote(&labels.entity(e)),
            quote(&label)
        );
    }
    for &i in &kept {
        let Some(e) = t.events.get(i) else { continue };
        let ev = quote(&labels.event(i));
        for p in &e.participants {
            let _ = writeln!(
                out,
                "  {} -> {ev} [label={}];",
                quote(&labels.entity(p.entity)),
                quote(p.role.name())
            );
        }
        for &p in &e.places {
            let _ = writeln!(
                out,
                "  {ev} -> {} [label=\"in\", style=dashed];",
                quote(&labels.entity(p))
            );
        }
    }
    let _ = writeln!(
        out,
        "  subgraph cluster_legend {{ label=\"entity types\"; style=dotted;"
    );
    for (kind, colour) in COLOURS {
        let _ = writeln!(
            out,
            "    \"legend {kind:?}\" [shape=ellipse, style=filled, fillcolor=\"{colour}\", label=\"{kind:?}\"];"
        );
    }
    let _ = writeln!(out, "  }}");
    let _ = writeln!(out, "}}");
    out
}

/// A DOT string literal; newlines become centred line breaks.
fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\r' => {}
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// `s` broken into lines of about `width` chars at spaces.
fn wrap(s: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines.join("\n")
}
