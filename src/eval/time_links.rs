//! Event–time links against TimeML gold (the TLINKs of TBAQ): the timeline's dates of
//! the events that TimeML marks, read two ways ([`Dating`]), on the same documents.
//!
//! - **Anchoring**: an event is anchored when a date expression dates it on that date
//!   (its time has a span and no `mod` BEFORE or AFTER): one of its sentence or the one
//!   before, or one another event there takes. The gold anchors are the date expressions
//!   a TLINK of some overlap ([`class_of`]) ties it to, among those the pipeline can
//!   reach (a DATE or TIME it found in the event's sentence or the one before); for an
//!   event without one, those of the events of its sentence and the one before that a
//!   TLINK of some overlap ties it to (reached from their sentence in the same way).
//!   Precision counts an anchor the gold has no link for as wrong, though TBAQ does not
//!   link every pair: it is a lower bound.
//! - **How**: of the events a reading links to a date that the gold links them to too,
//!   the share with the gold's relation (on it, before it, after it; a time with mod
//!   `BEFORE` or `AFTER` is before or after its date).
//! - **The publication day**: for the events with a TLINK to the creation time, whether
//!   the timeline puts them before it, on it (overlapping), after it, or says nothing,
//!   read off their time: a date against the day, `tense` before, `publication` on, and
//!   none after when the event is future (else nothing).
//!
//! Events are matched to the gold by their trigger; gold events the pipeline does not
//! find count for neither reading.

use crate::annotated::Annotated;
use crate::events::timelinks::{class_of, relation_to_day, DCT_CLASSES};
use crate::events::{Anchor, Dating, Event, Factuality};
use crate::time::timeml::GoldDoc;
use crate::time::TimexType;
use anyhow::Result;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// Counts of one reading.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LinkScore {
    /// Gold events the pipeline found (an event on their trigger).
    pub found: usize,
    /// Found events with a reachable gold anchor: by place (its sentence, the one
    /// before, through another event; an event may have the first two, the third only
    /// without them), and in all.
    pub gold: [usize; 3],
    pub gold_any: usize,
    /// Found events the reading anchors, by place.
    pub system: [usize; 3],
    /// Of those, anchored to a gold anchor: by the reading's place (for precision), and by
    /// the place of the gold anchor it hit (for recall): a date found through another
    /// event that is the event's own gold anchor is a hit of the own sentence's row.
    pub correct: [usize; 3],
    pub recalled: [usize; 3],
    /// Events the reading links to a date (on it, before or after it) that the gold links
    /// them to as well, and of those, how many with the gold's relation.
    pub linked: usize,
    pub agreed: usize,
    /// The publication day: gold class ([`DCT_CLASSES`]) × the reading's (those, then
    /// nothing).
    pub dct: [[usize; 4]; 3],
}

/// Runs the pipeline's first stages over the text of each gold document, with its
/// creation time as publication date.
pub fn annotate(model: &crate::model::Model, opts: crate::model::Options, gold: &[GoldDoc]) -> Result<Vec<Annotated>> {
    let prepared = gold
        .iter()
        .map(|g| {
            let mut doc = crate::ingest::Document::plain(&g.id, g.text.clone());
            doc.dct = g.dct.clone();
            crate::pipeline::prepare(doc)
        })
        .collect();
    crate::pipeline::annotate_all(model, opts, prepared)
}

/// Scores the events of `docs` (annotated from `gold`, in order) dated by `dating`.
pub fn score(docs: &[Annotated], gold: &[GoldDoc], dating: Dating) -> LinkScore {
    let res = crate::resolve::resolve(docs, None);
    let events = crate::events::extract(docs, &res, dating);
    let mut out = LinkScore::default();
    let mut by_doc: Vec<Vec<&Event>> = vec![Vec::new(); docs.len()];
    for e in &events {
        if let Some(list) = by_doc.get_mut(e.sources[0].doc.0) {
            list.push(e);
        }
    }
    for ((a, g), events) in docs.iter().zip(gold).zip(by_doc) {
        out.add(a, g, &events);
    }
    out
}

impl LinkScore {
    fn add(&mut self, a: &Annotated, gold: &GoldDoc, events: &[&Event]) {
        let mut anchors: HashMap<&str, HashSet<&str>> = HashMap::new();
        let mut related: HashMap<(&str, &str), &str> = HashMap::new();
        let mut dct: HashMap<&str, &str> = HashMap::new();
        let mut overlapping: HashMap<&str, Vec<&str>> = HashMap::new();
        for l in gold.event_links.iter().filter(|l| class_of(l.relation) == "overlap") {
            overlapping.entry(l.from.as_str()).or_default().push(l.to.as_str());
            overlapping.entry(l.to.as_str()).or_default().push(l.from.as_str());
        }
        for l in &gold.time_links {
            match &l.tid {
                Some(tid) => {
                    related
                        .entry((l.eid.as_str(), tid.as_str()))
                        .or_insert(class_of(l.relation));
                    if class_of(l.relation) == "overlap" {
                        anchors.entry(l.eid.as_str()).or_default().insert(tid.as_str());
                    }
                }
                None => {
                    dct.entry(l.eid.as_str()).or_insert(class_of(l.relation));
                }
            }
        }
        let ours: Vec<_> = a
            .timexes
            .iter()
            .filter(|t| matches!(t.kind, TimexType::Date | TimexType::Time))
            .collect();
        let sentence_of = |at: usize| {
            a.sentences
                .iter()
                .position(|s| s.start <= at && at < s.end.max(s.start + 1))
        };
        let mut seen = HashSet::new();
        for e in events {
            let source = &e.sources[0];
            let Some(g) = gold.events.iter().find(|g| g.span.overlaps(source.trigger)) else {
                continue;
            };
            if !seen.insert(g.eid.as_str()) {
                continue;
            }
            self.found += 1;
            let here = sentence_of(source.trigger.start);
            // How far before sentence `at` the gold span starting at `start` lies: 0 in
            // it, 1 in the one before.
            let back = |start: usize, at: Option<usize>| -> Option<usize> {
                let (x, h) = (sentence_of(start)?, at?);
                (x <= h && h - x <= 1).then_some(h - x)
            };
            // Where a gold timex stands to sentence `at`, when one of our dates or times
            // covers it there.
            let place_of = |tid: &str, at: Option<usize>| -> Option<usize> {
                let t = gold.timexes.iter().find(|t| t.tid == tid)?;
                ours.iter().find(|o| o.span.overlaps(t.span))?;
                back(t.span.start, at)
            };
            let direct = |eid: &str, at: Option<usize>| -> Vec<(&str, usize)> {
                anchors
                    .get(eid)
                    .into_iter()
                    .flatten()
                    .filter_map(|tid| Some((*tid, place_of(tid, at)?)))
                    .collect()
            };
            let mut gold_anchors = direct(g.eid.as_str(), here);
            if gold_anchors.is_empty() {
                for other in overlapping.get(g.eid.as_str()).into_iter().flatten() {
                    let Some(o) = gold.events.iter().find(|o| o.eid == *other) else {
                        continue;
                    };
                    if back(o.span.start, here).is_some() {
                        let at = sentence_of(o.span.start);
                        gold_anchors.extend(direct(other, at).into_iter().map(|(tid, _)| (tid, 2)));
                    }
                }
            }
            for place in 0..3 {
                self.gold[place] += usize::from(gold_anchors.iter().any(|&(_, p)| p == place));
            }
            self.gold_any += usize::from(!gold_anchors.is_empty());
            let time = e.time.as_ref();
            if let Some((t, span)) = time.and_then(|t| Some((t, t.span?))) {
                let relation = match t.modifier.as_deref() {
                    Some("BEFORE") => "before",
                    Some("AFTER") => "after",
                    _ => "overlap",
                };
                let tid = gold
                    .timexes
                    .iter()
                    .find(|x| x.span.overlaps(span))
                    .map(|x| x.tid.as_str());
                if let Some(gold_relation) = tid.and_then(|tid| related.get(&(g.eid.as_str(), tid))) {
                    self.linked += 1;
                    self.agreed += usize::from(*gold_relation == relation);
                }
                if relation == "overlap" {
                    let place = match t.anchor {
                        Anchor::Narrative => 1,
                        Anchor::Event => 2,
                        _ => 0,
                    };
                    self.system[place] += 1;
                    let hit = tid.and_then(|tid| gold_anchors.iter().filter(|(g, _)| *g == tid).map(|&(_, p)| p).min());
                    if let Some(gold_place) = hit {
                        self.correct[place] += 1;
                        self.recalled[gold_place] += 1;
                    }
                }
            }
            if let Some(class) = dct.get(g.eid.as_str()) {
                let gold_class = DCT_CLASSES.iter().position(|c| c == class).unwrap_or(0);
                let said = match (time, &a.doc.dct) {
                    (Some(t), _) if t.anchor == Anchor::Tense => Some("before"),
                    (Some(t), _) if t.anchor == Anchor::Publication => Some("overlap"),
                    (Some(t), Some(d)) => relation_to_day(t.interval, d.date),
                    (None, _) if e.factuality == Factuality::Future => Some("after"),
                    _ => None,
                };
                let ours = said.and_then(|c| DCT_CLASSES.iter().position(|x| *x == c)).unwrap_or(3);
                self.dct[gold_class][ours] += 1;
            }
        }
    }

    /// Precision, recall and F1 (percent) of the anchors: at `place` (0, 1, 2), or all.
    pub fn anchoring(&self, place: Option<usize>) -> (f64, f64, f64) {
        let sum = |x: &[usize; 3]| place.map_or(x.iter().sum(), |p| x[p]);
        let gold = place.map_or(self.gold_any, |p| self.gold[p]);
        let (p, r) = (
            pct(sum(&self.correct), sum(&self.system)),
            pct(sum(&self.recalled), gold),
        );
        (p, r, harmonic(p, r))
    }

    /// Accuracy and macro F1 (percent, over the three classes) of the publication-day
    /// relation, and the number of events scored.
    pub fn publication(&self) -> (f64, f64, usize) {
        let n: usize = self.dct.iter().flatten().sum();
        let right: usize = (0..3).map(|c| self.dct[c][c]).sum();
        let f1s: Vec<f64> = (0..3)
            .map(|c| {
                let gold: usize = self.dct[c].iter().sum();
                let system: usize = (0..3).map(|g| self.dct[g][c]).sum();
                prf(self.dct[c][c], gold, system).2
            })
            .collect();
        (pct(right, n), f1s.iter().sum::<f64>() / 3.0, n)
    }
}

fn pct(x: usize, n: usize) -> f64 {
    if n == 0 {
        0.0
    } else {
        100.0 * x as f64 / n as f64
    }
}

fn prf(tp: usize, gold: usize, system: usize) -> (f64, f64, f64) {
    let (p, r) = (pct(tp, system), pct(tp, gold));
    (p, r, harmonic(p, r))
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// The two readings side by side.
pub struct Comparison {
    pub documents: usize,
    pub tree: LinkScore,
    pub learned: LinkScore,
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        writeln!(
            f,
            "{} documents, {} gold events found by the pipeline",
            self.documents, self.learned.found
        )?;
        writeln!(f, "{:<34} {:>22} {:>22}", "", "tree rules", "learned links")?;
        for (name, place) in [
            ("anchored by a date: P / R / F1", None),
            ("  in its sentence", Some(0)),
            ("  in the sentence before", Some(1)),
            ("  through another event", Some(2)),
        ] {
            let cell = |s: &LinkScore| {
                let (p, r, f1) = s.anchoring(place);
                format!("{p:5.1} / {r:5.1} / {f1:5.1}")
            };
            writeln!(f, "{name:<34} {:>22} {:>22}", cell(&self.tree), cell(&self.learned))?;
        }
        let cell = |s: &LinkScore| format!("{:5.1} ({})", pct(s.agreed, s.linked), s.linked);
        writeln!(
            f,
            "{:<34} {:>22} {:>22}",
            "relation right where gold links",
            cell(&self.tree),
            cell(&self.learned)
        )?;
        let cell = |s: &LinkScore| {
            let (acc, f1, _) = s.publication();
            format!("{acc:5.1} / {f1:5.1}")
        };
        let n = self.learned.publication().2;
        writeln!(
            f,
            "{:<34} {:>22} {:>22}",
            format!("publication day ({n}): acc / F1"),
            cell(&self.tree),
            cell(&self.learned)
        )?;
        writeln!(
            f,
            "(gold anchors reachable: {} in the sentence, {} in the one before, {} through another event)",
            self.learned.gold[0], self.learned.gold[1], self.learned.gold[2]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotated::testing::parsed;
    use crate::ner::EntityType::PER;

    /// "On Monday Zelensky met Putin ." with its gold: "met" within Monday, before the
    /// creation day.
    fn sample(dct: &str) -> (Annotated, GoldDoc) {
        let a = parsed(
            "d",
            Some(dct),
            &[
                "On/2/case/ADP Monday/4/obl/PROPN Zelensky/4/nsubj/PROPN met/0/root/VERB/OCCURRENCE,POS,none,PAST \
               Putin/4/obj/PROPN ./4/punct/PUNCT",
            ],
            &[("Zelensky", PER), ("Putin", PER)],
            &[("Monday", "2025-07-14")],
        );
        let gold = crate::time::timeml::parse(
            "d",
            &format!(
                r#"<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" functionInDocument="CREATION_TIME"/></DCT>
<TEXT>On <TIMEX3 tid="t1" type="DATE" value="2025-07-14">Monday</TIMEX3> Zelensky <EVENT eid="e1" class="OCCURRENCE">met</EVENT> Putin .</TEXT>
<MAKEINSTANCE eiid="ei1" eventID="e1" tense="PAST" aspect="NONE" polarity="POS"/>
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t1"/>
<TLINK lid="l2" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t0"/></TimeML>"#
            ),
        )
        .unwrap();
        assert_eq!(gold.text, a.doc.text);
        (a, gold)
    }

    #[test]
    fn an_event_dated_by_its_gold_anchor_counts_right_in_every_column() {
        let (a, gold) = sample("2025-07-15");
        let s = score(&[a], &[gold], Dating::Tree);
        assert_eq!(
            (s.found, s.gold, s.gold_any, s.system, s.correct, s.recalled),
            (1, [1, 0, 0], 1, [1, 0, 0], [1, 0, 0], [1, 0, 0])
        );
        assert_eq!((s.linked, s.agreed), (1, 1));
        assert_eq!(s.anchoring(None), (100.0, 100.0, 100.0));
        assert_eq!(
            s.dct[0],
            [1, 0, 0, 0],
            "Monday lies before the creation day, as the gold says"
        );
    }

    #[test]
    fn a_date_after_the_creation_day_disagrees_with_a_gold_before() {
        // The same text published the Sunday before: Monday now lies after it.
        let (a, gold) = sample("2025-07-13");
        let s = score(&[a], &[gold], Dating::Tree);
        assert_eq!(s.dct[0], [0, 0, 1, 0]);
        assert_eq!(s.publication().0, 0.0);
    }
}
