//! Coreference metrics: MUC (Vilain et al. 1995), B³ (Bagga & Baldwin 1998), CEAF-e
//! (Luo 2005, entity similarity φ4) and CoNLL F1, their mean, as the reference scorer
//! computes them (Pradhan et al. 2014), so numbers compare with the literature.
//!
//! Scores are fractions in 0–1. Key and response may cover different mentions: a key
//! mention missing from the response (or the reverse) counts as a singleton of its own
//! in MUC partitions, adds nothing to the B³ numerators but counts in the denominators,
//! and adds nothing to CEAF-e overlaps. Singletons count: MUC gives them no links, B³ and
//! CEAF-e score them like any cluster.
//!
//! Several documents or topics are scored together the way the reference scorer does:
//! [`CorefCounts`] of each part are added up and turned into scores once. As clusters
//! never cross parts, this equals scoring one concatenated clustering (CEAF-e's best
//! alignment never pairs clusters that share no mention), and mention ids need only be
//! unique within a part.

use std::collections::HashMap;
use std::iter::Sum;
use std::ops::AddAssign;

/// Precision, recall and F1, as fractions in 0–1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    pub p: f64,
    pub r: f64,
    pub f1: f64,
}

impl Prf {
    /// P and R with their harmonic mean (0 when both are 0).
    pub fn new(p: f64, r: f64) -> Prf {
        let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        Prf { p, r, f1 }
    }

    /// P = correct / predicted, R = correct / gold; a ratio over nothing is 0.
    pub fn from_counts(correct: f64, predicted: f64, gold: f64) -> Prf {
        Prf::new(ratio(correct, predicted), ratio(correct, gold))
    }
}

fn ratio(num: f64, den: f64) -> f64 {
    if den > 0.0 {
        num / den
    } else {
        0.0
    }
}

/// MUC, B³, CEAF-e and CoNLL F1 (the mean of the three F1s), as fractions in 0–1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CorefScores {
    pub muc: Prf,
    pub b3: Prf,
    pub ceafe: Prf,
    pub conll: f64,
}

/// Numerators and denominators of one metric's recall and precision.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Counts {
    pub recall_num: f64,
    pub recall_den: f64,
    pub precision_num: f64,
    pub precision_den: f64,
}

impl Counts {
    pub fn prf(&self) -> Prf {
        Prf::new(
            ratio(self.precision_num, self.precision_den),
            ratio(self.recall_num, self.recall_den),
        )
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.recall_num += o.recall_num;
        self.recall_den += o.recall_den;
        self.precision_num += o.precision_num;
        self.precision_den += o.precision_den;
    }
}

/// The counts of the three metrics for one part (document or topic); add parts up with
/// `+=` or `sum()` to score them together.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CorefCounts {
    pub muc: Counts,
    pub b3: Counts,
    pub ceafe: Counts,
}

impl CorefCounts {
    /// Clusters are lists of mention ids, singletons as one-element lists. A mention listed
    /// again (in the same or another cluster) counts only where it is first listed; empty
    /// clusters are ignored.
    pub fn new(key: &[Vec<usize>], response: &[Vec<usize>]) -> CorefCounts {
        let key = distinct(key);
        let response = distinct(response);
        let key_over = overlaps(&key, &cluster_of(&response));
        let response_over = overlaps(&response, &cluster_of(&key));
        let muc_r = muc_side(&key, &key_over);
        let muc_p = muc_side(&response, &response_over);
        let b3_r = b3_side(&key, &key_over);
        let b3_p = b3_side(&response, &response_over);
        let phi = ceafe_similarity(&key, &response, &key_over, &response_over);
        CorefCounts {
            muc: Counts {
                recall_num: muc_r.0,
                recall_den: muc_r.1,
                precision_num: muc_p.0,
                precision_den: muc_p.1,
            },
            b3: Counts {
                recall_num: b3_r.0,
                recall_den: b3_r.1,
                precision_num: b3_p.0,
                precision_den: b3_p.1,
            },
            ceafe: Counts {
                recall_num: phi,
                recall_den: key.len() as f64,
                precision_num: phi,
                precision_den: response.len() as f64,
            },
        }
    }

    pub fn scores(&self) -> CorefScores {
        let (muc, b3, ceafe) = (self.muc.prf(), self.b3.prf(), self.ceafe.prf());
        CorefScores {
            muc,
            b3,
            ceafe,
            conll: (muc.f1 + b3.f1 + ceafe.f1) / 3.0,
        }
    }
}

impl AddAssign for CorefCounts {
    fn add_assign(&mut self, o: CorefCounts) {
        self.muc += o.muc;
        self.b3 += o.b3;
        self.ceafe += o.ceafe;
    }
}

impl Sum for CorefCounts {
    fn sum<I: Iterator<Item = CorefCounts>>(iter: I) -> CorefCounts {
        let mut total = CorefCounts::default();
        for c in iter {
            total += c;
        }
        total
    }
}

/// Scores one response against one key (see [`CorefCounts::new`] for the input).
pub fn score(key: &[Vec<usize>], response: &[Vec<usize>]) -> CorefScores {
    CorefCounts::new(key, response).scores()
}

fn distinct(clusters: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut seen = std::collections::HashSet::new();
    clusters
        .iter()
        .map(|c| c.iter().copied().filter(|&m| seen.insert(m)).collect::<Vec<_>>())
        .filter(|c| !c.is_empty())
        .collect()
}

fn cluster_of(clusters: &[Vec<usize>]) -> HashMap<usize, usize> {
    clusters
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.iter().map(move |&m| (m, i)))
        .collect()
}

/// For each cluster of one side: the clusters of the other side it shares mentions with,
/// and how many, in order of the other side's cluster index.
fn overlaps(clusters: &[Vec<usize>], other_of: &HashMap<usize, usize>) -> Vec<Vec<(usize, usize)>> {
    clusters
        .iter()
        .map(|c| {
            let mut counts: HashMap<usize, usize> = HashMap::new();
            for m in c {
                if let Some(&j) = other_of.get(m) {
                    *counts.entry(j).or_default() += 1;
                }
            }
            let mut counts: Vec<(usize, usize)> = counts.into_iter().collect();
            counts.sort_unstable();
            counts
        })
        .collect()
}

/// MUC numerator and denominator of one side: each cluster's links (size − 1) against
/// the links left after cutting it by the other side's clusters, where a mention the other
/// side lacks is a part of its own.
fn muc_side(clusters: &[Vec<usize>], over: &[Vec<(usize, usize)>]) -> (f64, f64) {
    clusters.iter().zip(over).fold((0.0, 0.0), |(num, den), (c, o)| {
        let shared: usize = o.iter().map(|&(_, n)| n).sum();
        let parts = o.len() + (c.len() - shared);
        (num + (c.len() - parts) as f64, den + (c.len() - 1) as f64)
    })
}

/// B³ numerator and denominator of one side: Σ over clusters C and other-side clusters
/// D of |C∩D|²/|C|, over the number of mentions.
fn b3_side(clusters: &[Vec<usize>], over: &[Vec<(usize, usize)>]) -> (f64, f64) {
    clusters.iter().zip(over).fold((0.0, 0.0), |(num, den), (c, o)| {
        let sq: usize = o.iter().map(|&(_, n)| n * n).sum();
        (num + sq as f64 / c.len() as f64, den + c.len() as f64)
    })
}

/// The total φ4 similarity of the best one-to-one alignment of key and response
/// clusters. Only clusters sharing mentions have non-zero similarity, so each connected
/// group of key and response clusters is aligned on its own: small matrices even when a
/// whole corpus is scored at once.
fn ceafe_similarity(
    key: &[Vec<usize>],
    response: &[Vec<usize>],
    key_over: &[Vec<(usize, usize)>],
    response_over: &[Vec<(usize, usize)>],
) -> f64 {
    let mut key_seen = vec![false; key.len()];
    let mut response_seen = vec![false; response.len()];
    let mut total = 0.0;
    for start in 0..key.len() {
        if key_seen[start] || key_over[start].is_empty() {
            continue;
        }
        // Breadth-first over the bipartite overlap graph.
        key_seen[start] = true;
        let (mut keys, mut responses) = (vec![start], Vec::new());
        let (mut ki, mut ri) = (0, 0);
        while ki < keys.len() || ri < responses.len() {
            if ki < keys.len() {
                for &(j, _) in &key_over[keys[ki]] {
                    if !std::mem::replace(&mut response_seen[j], true) {
                        responses.push(j);
                    }
                }
                ki += 1;
            } else {
                for &(i, _) in &response_over[responses[ri]] {
                    if !std::mem::replace(&mut key_seen[i], true) {
                        keys.push(i);
                    }
                }
                ri += 1;
            }
        }
        let column: HashMap<usize, usize> = responses.iter().enumerate().map(|(c, &j)| (j, c)).collect();
        let weights: Vec<Vec<f64>> = keys
            .iter()
            .map(|&i| {
                let mut row = vec![0.0; responses.len()];
                for &(j, n) in &key_over[i] {
                    row[column[&j]] = 2.0 * n as f64 / (key[i].len() + response[j].len()) as f64;
                }
                row
            })
            .collect();
        total += max_weight_assignment(&weights);
    }
    total
}

/// The largest total weight of a one-to-one assignment of rows to columns (every row
/// or every column assigned, whichever are fewer), by the Hungarian method with
/// potentials (Kuhn 1955, Munkres 1957) in O(n²m).
fn max_weight_assignment(weights: &[Vec<f64>]) -> f64 {
    let rows = weights.len();
    let cols = weights.first().map_or(0, Vec::len);
    if rows == 0 || cols == 0 {
        return 0.0;
    }
    if rows > cols {
        let transposed: Vec<Vec<f64>> = (0..cols).map(|c| weights.iter().map(|r| r[c]).collect()).collect();
        return max_weight_assignment(&transposed);
    }
    // Minimise cost = −weight. Rows and columns are numbered from 1; column 0 is a
    // sentinel holding the row being inserted. `owner[c]`: the row assigned to column c.
    let cost = |r: usize, c: usize| -weights[r - 1][c - 1];
    let mut row_pot = vec![0.0; rows + 1];
    let mut col_pot = vec![0.0; cols + 1];
    let mut owner = vec![0usize; cols + 1];
    let mut prev = vec![0usize; cols + 1];
    for row in 1..=rows {
        owner[0] = row;
        let mut col = 0;
        let mut slack = vec![f64::INFINITY; cols + 1];
        let mut done = vec![false; cols + 1];
        // Grow a tree of tight edges from `row` until it reaches a free column.
        loop {
            done[col] = true;
            let r = owner[col];
            let (mut delta, mut next) = (f64::INFINITY, 0);
            for c in 1..=cols {
                if done[c] {
                    continue;
                }
                let reduced = cost(r, c) - row_pot[r] - col_pot[c];
                if reduced < slack[c] {
                    slack[c] = reduced;
                    prev[c] = col;
                }
                if slack[c] < delta {
                    delta = slack[c];
                    next = c;
                }
            }
            for c in 0..=cols {
                if done[c] {
                    row_pot[owner[c]] += delta;
                    col_pot[c] -= delta;
                } else {
                    slack[c] -= delta;
                }
            }
            col = next;
            if owner[col] == 0 {
                break;
            }
        }
        // Flip the augmenting path back to the sentinel.
        while col != 0 {
            let p = prev[col];
            owner[col] = owner[p];
            col = p;
        }
    }
    (1..=cols)
        .filter(|&c| owner[c] != 0)
        .map(|c| weights[owner[c] - 1][c - 1])
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn assert_prf(got: Prf, p: f64, r: f64) {
        let want = Prf::new(p, r);
        assert!(
            close(got.p, want.p) && close(got.r, want.r) && close(got.f1, want.f1),
            "{got:?} != {want:?}"
        );
    }

    #[test]
    fn prf_from_counts_and_empty_denominators() {
        assert_prf(Prf::from_counts(2.0, 4.0, 8.0), 0.5, 0.25);
        assert!(close(Prf::from_counts(2.0, 4.0, 8.0).f1, 1.0 / 3.0));
        assert_eq!(Prf::from_counts(0.0, 0.0, 0.0), Prf::default());
    }

    #[test]
    fn split_and_merge_worked_by_hand() {
        // key {1,2,3} {4,5}; response {1,2} {3,4,5}.
        // MUC R: {1,2,3} cut into {1,2},{3} → 3−2 = 1 link; {4,5} whole → 1; of 2+1 → 2/3.
        //     P: {1,2} whole → 1; {3,4,5} cut into {3},{4,5} → 1; of 1+2 → 2/3.
        // B³ R: (2²+1²)/3 + 2²/2 = 11/3 over 5 mentions → 11/15; P: 2²/2 + (1+2²)/3 → 11/15.
        // CEAF-e φ4: K1R1 = 2·2/5 = .8, K1R2 = 2/6, K2R2 = 2·2/5 = .8, K2R1 = 0; best .8+.8 = 1.6,
        //     over 2 key and 2 response clusters → .8.
        // CoNLL = (2/3 + 11/15 + 4/5) / 3 = 33/45 = 11/15.
        let s = score(&[vec![1, 2, 3], vec![4, 5]], &[vec![1, 2], vec![3, 4, 5]]);
        assert_prf(s.muc, 2.0 / 3.0, 2.0 / 3.0);
        assert_prf(s.b3, 11.0 / 15.0, 11.0 / 15.0);
        assert_prf(s.ceafe, 0.8, 0.8);
        assert!(close(s.conll, 11.0 / 15.0));
    }

    #[test]
    fn identical_clusterings_score_one() {
        let key = vec![vec![1, 2, 3], vec![4, 5], vec![6]];
        let response = vec![vec![6], vec![5, 4], vec![3, 1, 2]];
        let s = score(&key, &response);
        for prf in [s.muc, s.b3, s.ceafe] {
            assert_prf(prf, 1.0, 1.0);
        }
        assert!(close(s.conll, 1.0));
    }

    #[test]
    fn all_singletons_against_one_cluster_worked_by_hand() {
        // key {1} {2} {3} {4}; response {1,2,3,4}.
        // MUC R: no key links → 0/0 = 0; P: {1,2,3,4} cut into 4 parts → 0 of 3 links → 0.
        // B³ R: each singleton 1²/1 → 4/4 = 1; P: 4 · 1²/4 = 1 over 4 mentions → 1/4.
        // CEAF-e: every φ4(Ki, R) = 2/5; one response cluster → best .4; R = .4/4 = .1, P = .4/1.
        //   F1s: MUC 0, B³ 2·.25/1.25 = .4, CEAF-e 2·.04/.5 = .16; CoNLL .56/3.
        let singletons: Vec<Vec<usize>> = (1..=4).map(|m| vec![m]).collect();
        let one = vec![vec![1, 2, 3, 4]];
        let s = score(&singletons, &one);
        assert_prf(s.muc, 0.0, 0.0);
        assert_prf(s.b3, 0.25, 1.0);
        assert_prf(s.ceafe, 0.4, 0.1);
        assert!(close(s.conll, 0.56 / 3.0));
        // The other way round, precision and recall swap.
        let t = score(&one, &singletons);
        assert_prf(t.muc, 0.0, 0.0);
        assert_prf(t.b3, 1.0, 0.25);
        assert_prf(t.ceafe, 0.1, 0.4);
    }

    #[test]
    fn twinless_mentions_worked_by_hand() {
        // key {1,2} {3}; response {1,2,4} {5}: 3 only in the key, 4 and 5 only in the response.
        // MUC R: {1,2} whole → 1 of 1; {3} has no links → 1/1.
        //     P: {1,2,4} cut into {1,2},{4} → 1 of 2 links; {5} none → 1/2.
        // B³ R: 2²/2 + 0 = 2 over 3 key mentions → 2/3; P: 2²/3 + 0 = 4/3 over 4 → 1/3.
        // CEAF-e: only K1R1 overlaps, φ4 = 2·2/5 = .8; R = .8/2, P = .8/2 → .4.
        // CoNLL = (2/3 + 4/9 + 2/5) / 3.
        let s = score(&[vec![1, 2], vec![3]], &[vec![1, 2, 4], vec![5]]);
        assert_prf(s.muc, 0.5, 1.0);
        assert_prf(s.b3, 1.0 / 3.0, 2.0 / 3.0);
        assert_prf(s.ceafe, 0.4, 0.4);
        assert!(close(s.conll, (2.0 / 3.0 + 4.0 / 9.0 + 0.4) / 3.0));
    }

    #[test]
    fn ceafe_takes_the_best_alignment_not_the_greedy_one() {
        // key {1,2,3} {4}; response {1,2,4} {3}. φ4: K1R1 = 2·2/6 = 2/3, K1R2 = 2/4, K2R1 = 2/4,
        // K2R2 = 0. Greedy takes K1R1 (2/3) and is left with 0; the best is K1R2 + K2R1 = 1.
        let s = score(&[vec![1, 2, 3], vec![4]], &[vec![1, 2, 4], vec![3]]);
        assert_prf(s.ceafe, 0.5, 0.5);
    }

    #[test]
    fn repeated_mentions_and_empty_clusters_are_ignored() {
        let s = score(&[vec![1, 2, 2], vec![], vec![2, 3]], &[vec![1, 2], vec![3]]);
        assert_eq!(s, score(&[vec![1, 2], vec![3]], &[vec![1, 2], vec![3]]));
        assert_eq!(score(&[], &[]), CorefScores::default());
    }

    fn brute_force(weights: &[Vec<f64>]) -> f64 {
        fn go(weights: &[Vec<f64>], row: usize, used: &mut Vec<bool>) -> f64 {
            if row == weights.len() {
                return 0.0;
            }
            // A row may also stay unassigned when there are more rows than columns.
            let mut best = if weights.len() > used.len() {
                go(weights, row + 1, used)
            } else {
                f64::MIN
            };
            for c in 0..used.len() {
                if !used[c] {
                    used[c] = true;
                    best = best.max(weights[row][c] + go(weights, row + 1, used));
                    used[c] = false;
                }
            }
            best
        }
        go(weights, 0, &mut vec![false; weights[0].len()])
    }

    /// Random clusterings of mention ids 0..n: each mention gets a cluster label or is left out.
    fn clustering() -> impl Strategy<Value = Vec<Vec<usize>>> {
        prop::collection::vec(prop::option::of(0usize..4), 0..9).prop_map(|labels| {
            let mut clusters = vec![Vec::new(); 4];
            for (m, l) in labels.into_iter().enumerate() {
                if let Some(l) = l {
                    clusters[l].push(m);
                }
            }
            clusters
        })
    }

    proptest! {
        #[test]
        fn hungarian_matches_brute_force(rows in 1usize..5, cols in 1usize..5, seed in prop::collection::vec(0u8..10, 25)) {
            let weights: Vec<Vec<f64>> =
                (0..rows).map(|r| (0..cols).map(|c| f64::from(seed[r * 5 + c]) / 10.0).collect()).collect();
            prop_assert!(close(max_weight_assignment(&weights), brute_force(&weights)));
        }

        #[test]
        fn swapping_key_and_response_swaps_precision_and_recall(key in clustering(), response in clustering()) {
            let (a, b) = (score(&key, &response), score(&response, &key));
            for (x, y) in [(a.muc, b.muc), (a.b3, b.b3), (a.ceafe, b.ceafe)] {
                prop_assert!(close(x.p, y.r) && close(x.r, y.p));
            }
        }

        #[test]
        fn summed_parts_equal_the_concatenation(k1 in clustering(), r1 in clustering(), k2 in clustering(), r2 in clustering()) {
            let shift = |c: &[Vec<usize>]| c.iter().map(|c| c.iter().map(|m| m + 100).collect()).collect::<Vec<Vec<usize>>>();
            let joined = |a: &[Vec<usize>], b: &[Vec<usize>]| [a.to_vec(), shift(b)].concat();
            let parts = [CorefCounts::new(&k1, &r1), CorefCounts::new(&k2, &r2)].into_iter().sum::<CorefCounts>();
            let whole = CorefCounts::new(&joined(&k1, &k2), &joined(&r1, &r2));
            for (x, y) in [(parts.muc, whole.muc), (parts.b3, whole.b3), (parts.ceafe, whole.ceafe)] {
                prop_assert!(close(x.recall_num, y.recall_num) && close(x.precision_num, y.precision_num));
                prop_assert!(close(x.recall_den, y.recall_den) && close(x.precision_den, y.precision_den));
            }
        }
    }
}
