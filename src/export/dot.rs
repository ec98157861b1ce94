//! GraphViz DOT that reads left to right, drawn from the timeline's graph: a spine of its
//! times (one node per day or span of days, in order, joined by their `Before` and
//! `Overlaps` relations), each time's events in its column (`rank=same`), the entities on
//! the events' participant and place edges coloured by type, and undated events in a
//! cluster of their own.
//!
//! A batch run holds thousands of events, which no diagram shows legibly, so
//! [`DotOptions`] narrows it: to the neighbourhood of some entities in the graph
//! (`focus`), and to the most salient events (`max_events`, [`Timeline::salience`]).
//! The graph's label says how many of how many it shows.
//! Days spread over more than two months are grouped in a box per month.

use super::Labels;
use crate::doc::{ById, EntityId, EventId};
use crate::graph::{Edge, Timeline};
use crate::ner::EntityType;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeSet;
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
    /// Only the neighbourhood of these entities (name or alias, any letter case): the
    /// entities themselves, the events they take part in or are the place of, and those
    /// events' times, participants and places.
    pub focus: Vec<String>,
    /// At most this many events, the most salient; None: all.
    pub max_events: Option<usize>,
}

/// What the diagram shows: events in timeline order, the entities drawn with them.
struct Selection {
    events: Vec<EventId>,
    entities: BTreeSet<EntityId>,
}

/// The events and entities `opts` keeps.
fn selected(t: &Timeline, opts: &DotOptions) -> Selection {
    let focus: BTreeSet<EntityId> = (0..t.entities.len())
        .map(EntityId)
        .filter(|&x| opts.focus.iter().any(|f| t.entities[x].goes_by(f)))
        .collect();
    let mut events: Vec<EventId> = if opts.focus.is_empty() {
        t.order.clone()
    } else {
        let near: BTreeSet<EventId> = focus.iter().flat_map(|&x| t.events_of(x)).collect();
        t.order.iter().copied().filter(|i| near.contains(i)).collect()
    };
    if let Some(max) = opts.max_events.filter(|&m| m < events.len()) {
        let candidates: BTreeSet<EventId> = events.iter().copied().collect();
        let top: BTreeSet<EventId> = t
            .by_salience()
            .into_iter()
            .filter(|i| candidates.contains(i))
            .take(max)
            .collect();
        events.retain(|i| top.contains(i));
    }
    let entities = focus
        .into_iter()
        .chain(events.iter().flat_map(|&i| t.entities_of(i)).map(|(x, _)| x))
        .collect();
    Selection { events, entities }
}

/// The timeline as a GraphViz digraph, with the events `opts` selects.
pub fn to_dot(t: &Timeline, opts: &DotOptions) -> String {
    let labels = Labels::new(t);
    let Selection {
        events: kept,
        entities: used,
    } = selected(t, opts);
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
            if capped { ", the most salient" } else { "" }
        );
        let _ = writeln!(out, "  labelloc=t; label={};", quote(&note));
    }

    // The times of the kept events, in order; the rest are undated.
    let shown: BTreeSet<EventId> = kept.iter().copied().collect();
    let times: Vec<usize> = kept
        .iter()
        .filter_map(|&i| t.time_of(i))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let undated: Vec<EventId> = kept.iter().copied().filter(|&i| t.time_of(i).is_none()).collect();
    let _ = writeln!(out, "  // time spine");
    let by_month = times
        .first()
        .zip(times.last())
        .is_some_and(|(&a, &b)| (t.times[b].0 - t.times[a].0).num_days() > 62);
    let mut month: Option<String> = None;
    for &k in &times {
        let (first, last) = t.times[k];
        let this_month = first.format("%Y-%m").to_string();
        if by_month && month.as_deref() != Some(this_month.as_str()) {
            if month.is_some() {
                let _ = writeln!(out, "  }}");
            }
            let _ = writeln!(
                out,
                "  subgraph {} {{ label={}; style=rounded; color=\"#bbbbbb\";",
                quote(&format!("cluster_{this_month}")),
                quote(&first.format("%B %Y").to_string())
            );
            month = Some(this_month);
        }
        let id = quote(&time_id(first, last));
        let _ = writeln!(
            out,
            "  {id} [shape=box, style=\"rounded,filled,bold\", fillcolor=\"#f2f2f2\", label={}];",
            quote(&time_label(first, last))
        );
        let members: Vec<String> = t
            .events_at(k)
            .into_iter()
            .filter(|i| shown.contains(i))
            .map(|i| quote(&labels.event(i)))
            .collect();
        let _ = writeln!(out, "  {{ rank=same; {id}; {}; }}", members.join("; "));
        for m in &members {
            let _ = writeln!(out, "  {id} -> {m} [style=dotted, arrowhead=none];");
        }
    }
    if month.is_some() {
        let _ = writeln!(out, "  }}");
    }
    // Consecutive times chained by their relation; where a time overlaps the next, also
    // its `Before` edge to the first shown time after it.
    let node = |k: usize| quote(&time_id(t.times[k].0, t.times[k].1));
    for (n, pair) in times.windows(2).enumerate() {
        let (a, b) = (pair[0], pair[1]);
        if t.relation(a, b) == Some(Edge::Before) {
            let _ = writeln!(
                out,
                "  {} -> {} [style=bold, color=\"#333333\", weight=100];",
                node(a),
                node(b)
            );
            continue;
        }
        let _ = writeln!(
            out,
            "  {} -> {} [style=\"bold,dashed\", color=\"#333333\", weight=100, label=\"overlaps\"];",
            node(a),
            node(b)
        );
        let after = t.time_link(a, Edge::Before).and_then(|to| {
            let at = times[n..].partition_point(|&k| k < to);
            times.get(n + at)
        });
        if let Some(&c) = after {
            let _ = writeln!(
                out,
                "  {} -> {} [color=\"#333333\", constraint=false, label=\"before\"];",
                node(a),
                node(c)
            );
        }
    }

    let _ = writeln!(out, "  // events");
    for &i in &kept {
        let Some(e) = t.events.by_id(i) else { continue };
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
    for &e in &used {
        let Some(ent) = t.entities.by_id(e) else { continue };
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
        let ev = quote(&labels.event(i));
        for (x, edge) in t.entities_of(i) {
            let x = quote(&labels.entity(x));
            match edge {
                Edge::Participates(role) => {
                    let _ = writeln!(out, "  {x} -> {ev} [label={}];", quote(role.name()));
                }
                _ => {
                    let _ = writeln!(out, "  {ev} -> {x} [label=\"in\", style=dashed];");
                }
            }
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

/// The DOT id of the time from `first` to `last`: `day 2025-07-14` for one day.
fn time_id(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        format!("day {first}")
    } else {
        format!("days {first} {last}")
    }
}

/// How a time reads: `Mon 14 Jul 2025`, `July 2025`, `2025`, or from one day to another.
fn time_label(first: NaiveDate, last: NaiveDate) -> String {
    let day = |d: NaiveDate| d.format("%a %-d %b %Y").to_string();
    let month_end = last.succ_opt().is_none_or(|next| next.day() == 1);
    if first == last {
        day(first)
    } else if first.day() == 1 && month_end && (first.year(), first.month()) == (last.year(), last.month()) {
        first.format("%B %Y").to_string()
    } else if first.ordinal() == 1 && month_end && last.month() == 12 && first.year() == last.year() {
        first.format("%Y").to_string()
    } else {
        format!("{} – {}", day(first), day(last))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testing::day;

    #[test]
    fn times_read_as_days_months_years_or_spans() {
        let label = |a, b| time_label(day(a), day(b));
        assert_eq!(label("2025-07-14", "2025-07-14"), "Mon 14 Jul 2025");
        assert_eq!(label("2024-02-01", "2024-02-29"), "February 2024");
        assert_eq!(label("2022-01-01", "2022-12-31"), "2022");
        assert_eq!(label("2025-02-01", "2025-07-15"), "Sat 1 Feb 2025 – Tue 15 Jul 2025");
        assert_eq!(label("2024-12-01", "2025-01-31"), "Sun 1 Dec 2024 – Fri 31 Jan 2025");
    }
}
