//! Which days matter, learned: each candidate day's evidence as a few numbers
//! ([`FEATURES`]), and a logistic regression over them ([`DateRanker`]) fitted to the
//! days journalists put in their timelines (Timeline17's development topics, `annalist
//! train-date-ranker`). It ships as a JSON of weights, `models/digest/date_ranker.json`,
//! compiled in. The articles' vote ([`Ranking::Votes`]) is one of its features, and it
//! stays the digest's default: on the Timeline17 development topics, each scored by a
//! ranker fitted to the others, the learned ranker chose fewer gold days than the vote
//! (README, "A learned date ranker").
//!
//! The features are relative where topics differ in size (a story of 100 articles and
//! one of 1,500), so that weights learned on some stories carry to another. The day
//! before and the day after are features too: whether a day or its neighbour carries
//! an event told overnight or reported next morning is learned, not guessed.

use super::evidence::{published, Day};
use crate::doc::ById;
use crate::graph::{type_tier, Timeline};
use anyhow::{bail, Context, Result};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The names of a day's features, in the order of [`Features`]. Counts are `ln(1 + n)`.
pub const FEATURES: [&str; 22] = [
    // The articles' vote (the digest's default score) and where it stands among the
    // candidates.
    "votes",
    "votes_rank",
    "votes_of_best",
    // Articles giving the day a vote, naming it (in all; published two or more days
    // after it; before it, a plan; the next day), published that day and the next.
    "articles",
    "references",
    "references_later",
    "references_before",
    "references_next_day",
    "published",
    "published_next_day",
    // Its dated event reports: their weight in all, the heaviest, and by kind (the
    // graph's tiers of event types: attacks, strikes, sanctions, agreements; meetings,
    // visits, talks, proposals; announcements, threats; statements; others).
    "events",
    "event_top",
    "events_tier_1",
    "events_tier_2",
    "events_tier_3",
    "events_statement",
    "events_other",
    // The most central entity among the day's heaviest event's.
    "centrality",
    // Burstiness: its vote over the votes of the week around it; the days beside it.
    "votes_of_week",
    "votes_day_before",
    "votes_day_after",
    "votes_of_neighbours",
];

/// The L2 penalty `train-date-ranker` fits with by default.
pub const L2: f64 = 0.01;

/// A day's features, in the order of [`FEATURES`].
pub type Features = [f64; FEATURES.len()];

/// How the digest orders candidate days.
#[derive(Debug, Clone, PartialEq)]
pub enum Ranking {
    /// By the articles' vote alone (the module docs of [`super`]).
    Votes,
    /// By a learned model's odds that a journalist would list the day.
    Learned(DateRanker),
}

impl Ranking {
    /// The ranker shipped in `models/digest/date_ranker.json`.
    pub fn shipped() -> Ranking {
        Ranking::Learned(DateRanker::shipped())
    }

    /// What `--ranker` names: `learned` (the shipped ranker), `votes`, or the path of
    /// a ranker from `annalist train-date-ranker`.
    pub fn named(arg: &str) -> Result<Ranking> {
        Ok(match arg {
            "learned" => Ranking::shipped(),
            "votes" => Ranking::Votes,
            path => Ranking::Learned(DateRanker::read(Path::new(path))?),
        })
    }

    /// Each day's score from its vote and features.
    pub(super) fn score(&self, votes: f64, features: &Features) -> f64 {
        match self {
            Ranking::Votes => votes,
            Ranking::Learned(r) => r.odds(features),
        }
    }
}

/// The candidate days (those with a vote) and their features. `votes` is each day's
/// vote, `centrality` the entities' in scope.
pub(super) fn features(
    t: &Timeline,
    days: &BTreeMap<NaiveDate, Day>,
    votes: &BTreeMap<NaiveDate, f64>,
    centrality: &[f32],
) -> Vec<(NaiveDate, Features)> {
    let ln = |n: f64| n.max(0.0).ln_1p();
    let vote = |d: Option<NaiveDate>| d.and_then(|d| votes.get(&d)).copied().unwrap_or(0.0);
    let candidates: Vec<NaiveDate> = days
        .iter()
        .filter(|(_, day)| !day.votes.is_empty())
        .map(|(d, _)| *d)
        .collect();
    let mut order: Vec<f64> = candidates.iter().map(|d| vote(Some(*d))).collect();
    order.sort_by(|a, b| b.total_cmp(a));
    let best = order.first().copied().unwrap_or(0.0).max(f64::MIN_POSITIVE);
    candidates
        .into_iter()
        .map(|date| {
            let day = &days[&date];
            let v = vote(Some(date));
            let rank = order.partition_point(|&o| o > v);
            let next = date.checked_add_days(Days::new(1));
            let before = date.checked_sub_days(Days::new(1));
            let naming = |when: &dyn Fn(NaiveDate) -> bool| {
                day.refs
                    .keys()
                    .filter(|&&doc| published(t, doc).is_some_and(when))
                    .count() as f64
            };
            let mut tiers = [0.0; 5];
            for &(e, w) in &day.events {
                if let Some(e) = t.events.by_id(e) {
                    tiers[type_tier(e.kind)] += w;
                }
            }
            let central = day
                .events
                .first()
                .and_then(|&(e, _)| t.events.by_id(e))
                .map_or(0.0, |e| super::evidence::most_central(e, centrality));
            let week: f64 = (-3i64..=3)
                .filter_map(|k| date.checked_add_signed(chrono::Duration::days(k)))
                .map(|d| vote(Some(d)))
                .sum();
            let (prev, after) = (vote(before), vote(next));
            let published_next = next.map_or(0, |n| days.get(&n).map_or(0, |d| d.published));
            let x = [
                ln(v),
                ln(rank as f64),
                v / best,
                ln(day.votes.len() as f64),
                ln(day.refs.len() as f64),
                ln(day.later_refs as f64),
                ln(naming(&|p| p < date)),
                ln(naming(&|p| Some(p) == next)),
                ln(day.published as f64),
                ln(published_next as f64),
                ln(day.events.iter().map(|e| e.1).sum()),
                ln(day.events.first().map_or(0.0, |e| e.1)),
                ln(tiers[0]),
                ln(tiers[1]),
                ln(tiers[2]),
                ln(tiers[3]),
                ln(tiers[4]),
                f64::from(central),
                if week > 0.0 { v / week } else { 0.0 },
                ln(prev),
                ln(after),
                v / (v + prev.max(after)).max(f64::MIN_POSITIVE),
            ];
            (date, x)
        })
        .collect()
}

/// A logistic regression over standardised [`FEATURES`]: `p = σ(bias + Σ wᵢ (xᵢ −
/// meanᵢ) / scaleᵢ)`. The weights, on standardised features, compare as they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateRanker {
    /// What it was fitted on, and how, for the reader.
    pub trained_on: String,
    pub features: Vec<String>,
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
    pub weights: Vec<f64>,
    pub bias: f64,
}

/// One candidate day of a gold timeline: its features, whether the journalists listed
/// it, and its weight (each timeline weighs the same in all).
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub features: Features,
    pub key: bool,
    pub weight: f64,
}

impl DateRanker {
    /// `models/digest/date_ranker.json`, compiled in. A test reads it, so a build that
    /// passes its tests cannot fail here.
    pub fn shipped() -> DateRanker {
        DateRanker::parse(include_str!("../../models/digest/date_ranker.json"))
            .expect("models/digest/date_ranker.json is read by the digest's tests")
    }

    /// A ranker written by `annalist train-date-ranker`.
    pub fn read(path: &Path) -> Result<DateRanker> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading date ranker {}", path.display()))?;
        DateRanker::parse(&text).with_context(|| {
            format!(
                "{}: not a date ranker of this version of annalist (write one with `annalist train-date-ranker`)",
                path.display()
            )
        })
    }

    fn parse(text: &str) -> Result<DateRanker> {
        let r: DateRanker = serde_json::from_str(text)?;
        if r.features != FEATURES {
            bail!("its features are {:?}; this build computes {:?}", r.features, FEATURES);
        }
        if [&r.mean, &r.scale, &r.weights]
            .iter()
            .any(|v| v.len() != FEATURES.len())
        {
            bail!("it needs {} means, scales and weights", FEATURES.len());
        }
        let finite = |v: &[f64]| v.iter().all(|x| x.is_finite());
        let scaled = r.scale.iter().all(|s| s.is_finite() && *s > 0.0);
        if !(finite(&r.mean) && finite(&r.weights) && r.bias.is_finite() && scaled) {
            bail!("its numbers must be finite and its scales above 0");
        }
        Ok(r)
    }

    /// The odds that a journalist lists a day with these features. Odds, not the
    /// probability: like the vote, a ratio scale, on which the digest's novelty discount
    /// means the same for every day.
    pub fn odds(&self, x: &Features) -> f64 {
        self.logit(x).exp()
    }

    fn logit(&self, x: &Features) -> f64 {
        let terms = x.iter().zip(&self.mean).zip(&self.scale).zip(&self.weights);
        self.bias + terms.map(|(((x, m), s), w)| w * (x - m) / s).sum::<f64>()
    }

    /// Fits the regression to `examples` by gradient descent on the weighted log loss
    /// with an L2 penalty of `l2` on the weights (not the bias). Features are
    /// standardised first, so the penalty treats them alike.
    pub fn fit(examples: &[Example], l2: f64, trained_on: String) -> DateRanker {
        let n = FEATURES.len();
        let total: f64 = examples.iter().map(|e| e.weight).sum::<f64>().max(f64::MIN_POSITIVE);
        let moment = |f: &dyn Fn(&Example, usize) -> f64, i: usize| {
            examples.iter().map(|e| e.weight * f(e, i)).sum::<f64>() / total
        };
        let mean: Vec<f64> = (0..n).map(|i| moment(&|e, i| e.features[i], i)).collect();
        let scale: Vec<f64> = (0..n)
            .map(|i| {
                let var = moment(&|e, i| (e.features[i] - mean[i]).powi(2), i);
                if var > 1e-12 {
                    var.sqrt()
                } else {
                    1.0
                }
            })
            .collect();
        let mut r = DateRanker {
            trained_on,
            features: FEATURES.iter().map(|s| s.to_string()).collect(),
            mean,
            scale,
            weights: vec![0.0; n],
            bias: 0.0,
        };
        let z: Vec<Vec<f64>> = examples
            .iter()
            .map(|e| (0..n).map(|i| (e.features[i] - r.mean[i]) / r.scale[i]).collect())
            .collect();
        // Standardised features keep the loss well conditioned: a fixed step converges.
        let step = 0.5;
        for _ in 0..4000 {
            let mut grad = vec![0.0; n];
            let mut grad_bias = 0.0;
            for (e, z) in examples.iter().zip(&z) {
                let p = sigmoid(r.bias + r.weights.iter().zip(z).map(|(w, z)| w * z).sum::<f64>());
                let err = e.weight * (p - f64::from(u8::from(e.key))) / total;
                grad_bias += err;
                grad.iter_mut().zip(z).for_each(|(g, z)| *g += err * z);
            }
            for (w, g) in r.weights.iter_mut().zip(&grad) {
                *w -= step * (g + l2 * *w);
            }
            r.bias -= step * grad_bias;
        }
        r
    }

    /// As JSON, as `read` wants it.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_ranker_reads_and_prefers_the_day_most_articles_vote_for() {
        // Two days of one story alike but for their votes: the best day, twenty articles
        // naming it, and the tenth, two articles.
        let day = |articles: f64, rank: f64, of_best: f64| {
            let mut x = [0.0; FEATURES.len()];
            for (name, value) in [
                ("votes", articles.ln_1p()),
                ("votes_rank", rank.ln_1p()),
                ("votes_of_best", of_best),
                ("articles", articles.ln_1p()),
                ("references", articles.ln_1p()),
            ] {
                x[FEATURES.iter().position(|&f| f == name).unwrap()] = value;
            }
            x
        };
        let r = DateRanker::shipped();
        assert!(r.odds(&day(20.0, 0.0, 1.0)) > r.odds(&day(2.0, 9.0, 0.1)));
    }

    #[test]
    fn fitting_finds_the_feature_that_tells_and_reads_back() {
        // Key days have a high first feature; the second is noise.
        let examples: Vec<Example> = (0..200)
            .map(|i| {
                let key = i % 4 == 0;
                let mut features = [0.0; FEATURES.len()];
                features[0] = if key { 2.0 } else { 0.5 } + (i % 7) as f64 * 0.1;
                features[1] = (i % 5) as f64;
                Example {
                    features,
                    key,
                    weight: 1.0,
                }
            })
            .collect();
        let r = DateRanker::fit(&examples, 0.01, "a test".into());
        assert!(r.weights[0] > 1.0, "{:?}", r.weights);
        assert!(r.weights[1].abs() < 0.5 * r.weights[0], "{:?}", r.weights);
        let right = examples.iter().filter(|e| (r.odds(&e.features) > 1.0) == e.key).count();
        assert_eq!(right, examples.len());
        let back = DateRanker::parse(&r.to_json()).unwrap();
        for e in &examples {
            assert!((back.logit(&e.features) - r.logit(&e.features)).abs() < 1e-9);
        }
    }

    #[test]
    fn a_ranker_of_other_features_is_refused_with_the_reason() {
        let mut r = DateRanker::shipped();
        r.features.pop();
        let err = DateRanker::parse(&r.to_json()).unwrap_err().to_string();
        assert!(err.contains("this build computes"), "{err}");
    }
}
