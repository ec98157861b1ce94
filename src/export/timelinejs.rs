//! TimelineJS (Knight Lab) export: its JSON format, and a small HTML page showing it.
//!
//! TimelineJS needs a date on every event, so undated events are left out (the title
//! slide says how many); multi-day events get an `end_date`.

use super::Labels;
use crate::doc::ById;
use crate::graph::{interval, Timeline};
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};

/// The timeline in TimelineJS's JSON format: `{"title", "events": [{"start_date",
/// "end_date"?, "text": {"headline", "text"}, "group", "unique_id"}]}`.
pub fn timelinejs_json(t: &Timeline) -> Value {
    let labels = Labels::new(t);
    let date = |d: NaiveDate| json!({"year": d.year().to_string(), "month": d.month().to_string(), "day": d.day().to_string()});
    let mut events = Vec::new();
    for &i in &t.order {
        let (Some(e), Some((first, last))) = (t.events.by_id(i), t.events.by_id(i).and_then(interval)) else {
            continue;
        };
        let who: Vec<String> = e
            .participants
            .iter()
            .filter_map(|p| {
                Some(format!(
                    "{} ({})",
                    super::escape_html(&t.entities.by_id(p.entity)?.name),
                    p.role.name()
                ))
            })
            .collect();
        let mut body = String::new();
        if !who.is_empty() {
            body.push_str(&format!("<p>{}</p>", who.join(", ")));
        }
        if let Some(time) = &e.time {
            body.push_str(&format!(
                "<p>When: “{}” ({})</p>",
                super::escape_html(&time.text),
                super::escape_html(&time.value)
            ));
        }
        body.push_str("<ul>");
        for s in &e.sources {
            let Some(doc) = t.documents.by_id(s.doc) else { continue };
            let sentence = doc.text.get(s.sentence.start..s.sentence.end).unwrap_or("");
            let name = doc.title.as_deref().unwrap_or(&doc.id);
            body.push_str(&format!(
                "<li><i>{}</i>: {}</li>",
                super::escape_html(name),
                super::escape_html(sentence)
            ));
        }
        body.push_str("</ul>");
        let mut ev = json!({
            "start_date": date(first),
            "text": {"headline": e.summary, "text": body},
            "group": e.kind.name(),
            "unique_id": labels.event(i),
        });
        if last != first {
            ev["end_date"] = date(last);
        }
        events.push(ev);
    }
    let undated = t.order.len() - events.len();
    let mut note = format!("{} dated events from {} documents.", events.len(), t.documents.len());
    if undated > 0 {
        note.push_str(&format!(" {undated} undated events are not shown."));
    }
    json!({"title": {"text": {"headline": "Timeline", "text": note}}, "events": events})
}
