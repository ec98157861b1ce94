//! Multinomial logistic regression over named binary features: the small learned
//! decisions of the later stages (which date expression anchors an event, how an event
//! stands to the publication day), fitted from annotated data rather than written as
//! rules.
//!
//! Features are strings ("prep=on", "tense=PAST"), so a model reads as a table of
//! weights and a feature it never saw adds nothing. Fitting is full-batch Adam on the
//! mean log loss with an L2 penalty: deterministic, and fast at the tens of thousands of
//! examples a TimeML corpus gives.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A fitted model: one weight per class for each feature, and a bias per class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Softmax {
    pub classes: Vec<String>,
    pub bias: Vec<f32>,
    pub weights: BTreeMap<String, Vec<f32>>,
}

/// How a model is fitted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// The L2 penalty on the feature weights (not the biases).
    pub l2: f32,
    /// Full-batch steps.
    pub steps: usize,
    /// Adam's step size.
    pub rate: f32,
    /// Features seen in fewer examples than this are left out.
    pub min_count: usize,
}

impl Default for Fit {
    fn default() -> Fit {
        Fit {
            l2: 1e-3,
            steps: 300,
            rate: 0.05,
            min_count: 2,
        }
    }
}

impl Softmax {
    /// The probability of each class (in [`Softmax::classes`] order) for an example
    /// with `features`; unknown features are ignored.
    pub fn probabilities<S: AsRef<str>>(&self, features: &[S]) -> Vec<f32> {
        let mut z = self.bias.clone();
        // A feature listed twice counts once, as in fitting.
        let mut names: Vec<&str> = features.iter().map(AsRef::as_ref).collect();
        names.sort_unstable();
        names.dedup();
        for f in names {
            if let Some(w) = self.weights.get(f) {
                z.iter_mut().zip(w).for_each(|(z, w)| *z += w);
            }
        }
        softmax(&mut z);
        z
    }

    /// Fits a model to `examples` (features, index into `classes`).
    pub fn fit(examples: &[(Vec<String>, usize)], classes: &[&str], fit: Fit) -> Softmax {
        let k = classes.len();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for (features, _) in examples {
            let mut names: Vec<&str> = features.iter().map(String::as_str).collect();
            names.sort_unstable();
            names.dedup();
            for f in names {
                *counts.entry(f).or_default() += 1;
            }
        }
        let mut names: Vec<&str> = counts
            .into_iter()
            .filter(|&(_, n)| n >= fit.min_count)
            .map(|(f, _)| f)
            .collect();
        names.sort_unstable();
        let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, f)| (*f, i)).collect();
        let rows: Vec<(Vec<usize>, usize)> = examples
            .iter()
            .map(|(fs, y)| {
                let mut ids: Vec<usize> = fs.iter().filter_map(|f| index.get(f.as_str()).copied()).collect();
                ids.sort_unstable();
                ids.dedup();
                (ids, *y)
            })
            .collect();
        // Parameters: the feature weights row by row, then the biases.
        let n = names.len() * k;
        let mut theta = vec![0.0f32; n + k];
        let mut adam = Adam::new(theta.len(), fit.rate);
        let scale = 1.0 / rows.len().max(1) as f32;
        for _ in 0..fit.steps {
            let mut grad = vec![0.0f32; theta.len()];
            for (ids, y) in &rows {
                let mut z = theta[n..].to_vec();
                for &f in ids {
                    z.iter_mut().zip(&theta[f * k..(f + 1) * k]).for_each(|(z, w)| *z += w);
                }
                softmax(&mut z);
                z[*y] -= 1.0;
                for &f in ids {
                    grad[f * k..(f + 1) * k]
                        .iter_mut()
                        .zip(&z)
                        .for_each(|(g, d)| *g += d * scale);
                }
                grad[n..].iter_mut().zip(&z).for_each(|(g, d)| *g += d * scale);
            }
            grad[..n]
                .iter_mut()
                .zip(&theta[..n])
                .for_each(|(g, w)| *g += fit.l2 * w);
            adam.step(&mut theta, &grad);
        }
        Softmax {
            classes: classes.iter().map(|c| c.to_string()).collect(),
            bias: theta[n..].to_vec(),
            weights: names
                .iter()
                .enumerate()
                .map(|(i, f)| (f.to_string(), theta[i * k..(i + 1) * k].to_vec()))
                .collect(),
        }
    }
}

/// `z` turned into probabilities in place.
fn softmax(z: &mut [f32]) {
    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    z.iter_mut().for_each(|v| *v /= sum);
}

/// Adam (Kingma & Ba 2015) with its usual moments.
struct Adam {
    rate: f32,
    m: Vec<f32>,
    v: Vec<f32>,
    t: i32,
}

impl Adam {
    fn new(n: usize, rate: f32) -> Adam {
        Adam {
            rate,
            m: vec![0.0; n],
            v: vec![0.0; n],
            t: 0,
        }
    }

    fn step(&mut self, theta: &mut [f32], grad: &[f32]) {
        const B1: f32 = 0.9;
        const B2: f32 = 0.999;
        self.t += 1;
        let (c1, c2) = (1.0 - B1.powi(self.t), 1.0 - B2.powi(self.t));
        for (((w, g), m), v) in theta.iter_mut().zip(grad).zip(&mut self.m).zip(&mut self.v) {
            *m = B1 * *m + (1.0 - B1) * g;
            *v = B2 * *v + (1.0 - B2) * g * g;
            *w -= self.rate * (*m / c1) / ((*v / c2).sqrt() + 1e-8);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(features: &[&str], y: usize) -> (Vec<String>, usize) {
        (features.iter().map(|f| f.to_string()).collect(), y)
    }

    #[test]
    fn learns_which_feature_predicts_which_class() {
        let mut data = Vec::new();
        for i in 0..30 {
            let noise = if i % 2 == 0 { "even" } else { "odd" };
            data.push(example(&["past", noise], 0));
            data.push(example(&["future", noise], 1));
            data.push(example(&["today", noise], 2));
        }
        data.push(example(&["seen_once"], 0));
        let m = Softmax::fit(&data, &["before", "after", "overlap"], Fit::default());
        for (f, want) in [("past", 0), ("future", 1), ("today", 2)] {
            let p = m.probabilities(&[f, "even"]);
            let best = (0..3).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
            assert_eq!(best, want, "{f}: {p:?}");
            assert!(p[want] > 0.8, "{f}: {p:?}");
        }
        assert!(!m.weights.contains_key("seen_once"), "below min_count");
        let p = m.probabilities(&["never_seen"]);
        assert_eq!(p, m.probabilities::<&str>(&[]), "an unknown feature adds nothing");
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }

    #[test]
    fn round_trips_through_json() {
        let data = vec![
            example(&["a"], 0),
            example(&["a"], 0),
            example(&["b"], 1),
            example(&["b"], 1),
        ];
        let m = Softmax::fit(&data, &["x", "y"], Fit::default());
        let back: Softmax = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        assert_eq!(back, m);
    }
}
