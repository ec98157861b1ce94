//! Writing a [`Timeline`] out: the timeline JSON contract ([`json`]), the analyst's
//! offline page ([`html`]), TimelineJS's JSON ([`timelinejs`]), GraphViz DOT ([`dot`])
//! and SVG through Graphviz ([`svg`]). [`read`] reads the JSON contract back.

pub mod dot;
pub mod html;
pub mod json;
pub mod read;
pub mod svg;
pub mod timelinejs;

pub use dot::{to_dot, DotOptions};
pub use html::analyst_page;
pub use json::{timeline_json, SCHEMA, SCHEMA_VERSION};
pub use read::timeline_from_json;
pub use svg::render_svg;
pub use timelinejs::timelinejs_json;

use crate::doc::{ById, EntityId, EventId};
use crate::graph::Timeline;

/// `s` with the characters that HTML reads as markup escaped.
fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The ids every export shares: entities `E1…` in resolution order, events `EV1…` in
/// timeline order, so the same event has the same id in the JSON and the DOT.
pub struct Labels {
    event_rank: Vec<usize>,
}

impl Labels {
    pub fn new(t: &Timeline) -> Labels {
        let mut event_rank = vec![0; t.events.len()];
        for (rank, &i) in t.order.iter().enumerate() {
            if let Some(r) = event_rank.by_id_mut(i) {
                *r = rank;
            }
        }
        Labels { event_rank }
    }

    pub fn entity(&self, i: EntityId) -> String {
        format!("E{}", i.0 + 1)
    }

    pub fn event(&self, i: EventId) -> String {
        format!("EV{}", self.event_rank.by_id(i).copied().unwrap_or(i.0) + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotated::testing::story;
    use crate::pipeline::build_timeline;
    use serde_json::Value;

    fn seed_timeline() -> Timeline {
        build_timeline(&story(), None, None)
    }

    #[test]
    fn json_follows_its_schema_and_contract() {
        let t = seed_timeline();
        let out = timeline_json(&t);
        let schema: Value = serde_json::from_str(SCHEMA).expect("schema is JSON");
        let validator = jsonschema::draft202012::new(&schema).expect("valid draft 2020-12 schema");
        let errors: Vec<String> = validator
            .iter_errors(&out)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(out["schema"], SCHEMA_VERSION);
        assert_eq!(out["documents"][0]["published"], "2025-07-15");
        assert_eq!(out["documents"][0]["published_from"], "flag");
        assert_eq!(out["documents"][1]["published"], Value::Null);

        // Events are listed, and numbered, in timeline order; undated ones last, flagged.
        let events = out["events"].as_array().unwrap();
        let ids: Vec<&str> = events.iter().map(|e| e["id"].as_str().unwrap()).collect();
        let timeline: Vec<&str> = out["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(ids, timeline);
        assert_eq!(ids[0], "EV1");
        let starts: Vec<Option<&str>> = events.iter().map(|e| e["time"]["start"].as_str()).collect();
        let dated = starts.iter().take_while(|s| s.is_some()).count();
        assert!(dated >= 4 && dated < starts.len(), "{starts:?}");
        assert!(starts[dated..].iter().all(Option::is_none) && events[dated..].iter().all(|e| e["undated"] == true));
        assert!(starts[..dated].windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(events[0]["time"]["value"], "2025-07-13");
        assert_eq!(events[0]["participants"][0]["role"], "speaker");
        // Each event's salience, to 4 decimals.
        for (e, &i) in events.iter().zip(&t.order) {
            let s = e["salience"].as_f64().unwrap();
            assert!(
                (s - f64::from(t.salience[i])).abs() <= 5e-5 && (s * 1e4 - (s * 1e4).round()).abs() < 1e-6,
                "{s}"
            );
        }

        // The times hold every dated event once, on its days, and relate as their days do.
        let times = out["times"].as_array().unwrap();
        let ids: Vec<&str> = times.iter().map(|k| k["id"].as_str().unwrap()).collect();
        let days: Vec<(&str, &str)> = times
            .iter()
            .map(|k| (k["start"].as_str().unwrap(), k["end"].as_str().unwrap()))
            .collect();
        assert!(days.windows(2).all(|w| w[0] < w[1]), "{days:?}");
        let mut listed: Vec<&str> = Vec::new();
        for (k, time) in times.iter().enumerate() {
            for id in time["events"].as_array().unwrap() {
                let e = events.iter().find(|e| e["id"] == *id).unwrap();
                assert_eq!(
                    (e["time"]["start"].as_str().unwrap(), e["time"]["end"].as_str().unwrap()),
                    days[k]
                );
                listed.push(id.as_str().unwrap());
            }
            let link = |f: &str| time[f].as_str().map(|id| ids.iter().position(|x| *x == id).unwrap());
            for later in k + 1..times.len() {
                let before = days[k].1 < days[later].0;
                assert_eq!(before, link("before").is_some_and(|b| later >= b), "{k} {later}");
            }
            assert_eq!(
                link("overlaps").is_some(),
                k + 1 < times.len() && days[k].1 >= days[k + 1].0
            );
        }
        assert_eq!(listed, timeline[..dated]);

        // Offsets count chars: mentions after the curly apostrophe still slice their name.
        let text = &t.documents[0].text;
        let chars: Vec<char> = text.chars().collect();
        let witkoff = out["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "Steve Witkoff")
            .unwrap();
        let m = &witkoff["mentions"][0];
        let (s, e) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(chars[s..e].iter().collect::<String>(), "Steve Witkoff");
        assert_eq!(m["doc"], "000");
        let source = &events[0]["sources"][0];
        let (s, e) = (
            source["start"].as_u64().unwrap() as usize,
            source["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            chars[s..e].iter().collect::<String>(),
            source["sentence"].as_str().unwrap()
        );
    }

    #[test]
    fn timelinejs_has_dated_events_only() {
        let t = seed_timeline();
        let out = timelinejs_json(&t);
        let events = out["events"].as_array().unwrap();
        assert_eq!(
            events.len(),
            (0..t.events.len()).filter(|&i| t.is_dated(EventId(i))).count()
        );
        assert_eq!(
            events[0]["start_date"],
            serde_json::json!({"year": "2025", "month": "7", "day": "13"})
        );
        assert!(
            events.iter().any(|e| e["end_date"]["day"] == "20"),
            "week-long events end on Sunday"
        );
        assert!(out["title"]["text"]["text"]
            .as_str()
            .unwrap()
            .contains("undated events are not shown"));
    }

    #[test]
    fn dot_has_a_date_spine_coloured_entities_and_undated_cluster() {
        let dot = to_dot(&seed_timeline(), &DotOptions::default());
        assert!(dot.starts_with("digraph timeline {") && dot.contains("rankdir=LR"));
        assert!(dot.contains("\"day 2025-07-13\" -> \"day 2025-07-14\""), "{dot}");
        assert!(dot.contains("{ rank=same; \"day 2025-07-13\"; \"EV1\"; }"), "{dot}");
        assert!(dot.contains("subgraph cluster_undated"));
        assert!(
            dot.contains("fillcolor=\"#cfe2ff\", label=\"Volodymyr Zelensky\\nPER\""),
            "{dot}"
        );
        assert!(dot.contains("-> \"EV1\" [label=\"speaker\"]"));
        assert_eq!(dot.matches('{').count(), dot.matches('}').count());
        if let Ok(svg) = render_svg(&dot) {
            assert!(svg.contains("Volodymyr Zelensky"));
        }
    }

    #[test]
    fn dot_keeps_the_focus_and_the_most_salient() {
        let t = seed_timeline();
        let putin = DotOptions {
            focus: vec!["putin".into()],
            max_events: None,
        };
        let dot = to_dot(&t, &putin);
        let kept = t
            .events
            .iter()
            .filter(|e| e.entities().any(|x| t.entities[x].name == "Putin"))
            .count();
        assert!(kept > 0 && kept < t.events.len());
        assert_eq!(dot.matches("shape=note").count(), kept, "{dot}");
        assert!(
            dot.contains(&format!("label=\"{kept} of {} events involving putin", t.events.len())),
            "{dot}"
        );
        let one = to_dot(
            &t,
            &DotOptions {
                focus: Vec::new(),
                max_events: Some(1),
            },
        );
        assert_eq!(one.matches("shape=note").count(), 1);
        let labels = Labels::new(&t);
        let top = t.by_salience()[0];
        assert!(
            one.contains(&format!("{} [shape=note", quoted(&labels.event(top)))),
            "the most salient event stays: {one}"
        );
        assert!(one.contains("1 of") && one.contains("the most salient"), "{one}");
        // With a focus, the most salient of its events.
        let two = to_dot(
            &t,
            &DotOptions {
                focus: vec!["putin".into()],
                max_events: Some(1),
            },
        );
        let putins = t
            .by_salience()
            .into_iter()
            .find(|&i| t.events[i].entities().any(|x| t.entities[x].name == "Putin"))
            .unwrap();
        assert!(
            two.contains(&format!("{} [shape=note", quoted(&labels.event(putins)))),
            "{two}"
        );
    }

    fn quoted(id: &str) -> String {
        format!("\"{id}\"")
    }

    #[test]
    fn dot_focus_is_a_neighbourhood_in_the_graph() {
        use crate::graph::testing::{entity, event, involving};
        let (anna, boris, harbour, carl) = (0, 1, 2, 3);
        let events = vec![
            involving(event(0, Some(("2025-07-14", "2025-07-14"))), &[anna, boris], &[harbour]),
            involving(event(0, Some(("2025-07-15", "2025-07-15"))), &[boris, carl], &[]),
            involving(event(0, Some(("2025-07-16", "2025-07-16"))), &[carl], &[]),
            involving(event(0, None), &[anna], &[]),
            involving(event(0, Some(("2025-07-14", "2025-07-20"))), &[anna], &[]),
            involving(event(0, Some(("2025-07-21", "2025-07-21"))), &[anna], &[]),
        ];
        let entities = ["Anna", "Boris", "Harbour", "Carl"].map(entity).to_vec();
        let t = Timeline::new(Vec::new(), entities, events, Vec::new());
        let opts = DotOptions {
            focus: vec!["anna".into()],
            max_events: None,
        };
        let dot = to_dot(&t, &opts);
        // Anna's events (EV1 on the 14th, EV2 that week, EV5 on the 21st, EV6 undated),
        // their co-participant and place; not Boris's and Carl's events, nor Carl.
        assert!(dot.contains("label=\"4 of 6 events involving anna\""), "{dot}");
        for shown in [
            "\"EV1\" [shape=note",
            "\"EV2\" [shape=note",
            "\"EV5\" [shape=note",
            "\"E2\" [shape=ellipse",
        ] {
            assert!(dot.contains(shown), "{shown}: {dot}");
        }
        assert!(dot.contains("cluster_undated { label=\"undated\"; style=dashed; color=\"#999999\"; \"EV6\"; }"));
        assert!(
            dot.contains("\"E2\" -> \"EV1\" [label=\"speaker\"]") && dot.contains("\"EV1\" -> \"E3\" [label=\"in\"")
        );
        for hidden in ["\"EV3\"", "\"EV4\"", "\"E4\"", "day 2025-07-15", "day 2025-07-16"] {
            assert!(!dot.contains(hidden), "{hidden}: {dot}");
        }
        // The shown times in order: the 14th overlaps the week, which is before the 21st;
        // the 14th is also before the 21st, the first shown time after it.
        let (d14, week, d21) = (
            "\"day 2025-07-14\"",
            "\"days 2025-07-14 2025-07-20\"",
            "\"day 2025-07-21\"",
        );
        assert!(
            dot.contains(&format!("{d14} -> {week} [style=\"bold,dashed\"")),
            "{dot}"
        );
        assert!(dot.contains(&format!("{week} -> {d21} [style=bold,")), "{dot}");
        assert!(dot.contains(&format!(
            "{d14} -> {d21} [color=\"#333333\", constraint=false, label=\"before\"]"
        )));
        assert!(dot.contains("label=\"Mon 14 Jul 2025 – Sun 20 Jul 2025\""));
    }

    #[test]
    fn empty_timeline_exports() {
        let t = build_timeline(&[], None, None);
        assert_eq!(timeline_json(&t)["events"], serde_json::json!([]));
        assert!(to_dot(&t, &DotOptions::default()).ends_with("}\n"));
        assert_eq!(timelinejs_json(&t)["events"], serde_json::json!([]));
    }
}
