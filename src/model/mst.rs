//! The best dependency tree from arc scores: Chu-Liu/Edmonds maximum spanning
//! arborescence, with exactly one word hanging from the root (every root arc carries
//! the same large penalty, so the best tree uses as few as it can: one).

/// `score[d][h]`: the score of word `d` (1-based; row 0 unused) taking head `h` (0 the
/// root). Returns `heads[d]` for `d` in `1..=n` (`heads[0]` is 0): a tree in which
/// exactly one word hangs from the root. Non-finite scores are impossible arcs, unless
/// a word has no finite choice, when it falls back to the root.
pub fn tree(score: &[Vec<f32>]) -> Vec<usize> {
    let n = score.len();
    if n <= 1 {
        return vec![0; n];
    }
    // Row 0 (the root has no head) is ignored; short rows count as impossible arcs.
    let mut s: Vec<Vec<f64>> = std::iter::once(vec![f64::NEG_INFINITY; n])
        .chain(score.iter().skip(1).map(|row| {
            (0..n)
                .map(|h| {
                    row.get(h)
                        .copied()
                        .filter(|x| x.is_finite())
                        .map_or(f64::NEG_INFINITY, f64::from)
                })
                .collect()
        }))
        .collect();
    // Larger than any sum of finite arc scores the model gives (log-probabilities, or
    // -1e9 for arcs across sentence parts).
    let penalty = 1e12;
    for (d, row) in s.iter_mut().enumerate().skip(1) {
        row[d] = f64::NEG_INFINITY;
        // A word with no finite choice hangs from the root.
        if row.iter().all(|x| !x.is_finite()) {
            row[0] = 0.0;
        }
        // Every word may hang from the root, at a price; so a tree always exists.
        row[0] = if row[0].is_finite() {
            row[0] - penalty
        } else {
            -2.0 * penalty
        };
    }
    let mut heads = edmonds(&s);
    heads[0] = 0;
    heads
}

/// Maximum spanning arborescence rooted at node 0 (`s[d][h]`, `d >= 1`).
fn edmonds(s: &[Vec<f64>]) -> Vec<usize> {
    let n = s.len();
    let best = |d: usize| -> usize {
        (0..n)
            .filter(|&h| h != d)
            .max_by(|&a, &b| s[d][a].total_cmp(&s[d][b]))
            .unwrap_or(0)
    };
    let mut heads: Vec<usize> = (0..n).map(|d| if d == 0 { 0 } else { best(d) }).collect();
    let Some(cycle) = find_cycle(&heads) else { return heads };
    let in_cycle: Vec<bool> = (0..n).map(|v| cycle.contains(&v)).collect();
    // Contract the cycle into one node `c`; `keep[i]` is the old node of new node i.
    let keep: Vec<usize> = (0..n).filter(|&v| !in_cycle[v]).collect();
    let c = keep.len();
    let m = c + 1;
    let mut t = vec![vec![f64::NEG_INFINITY; m]; m];
    // For arcs into the cycle, which cycle word takes them; out of it, which word heads.
    let mut enter = vec![0usize; m];
    let mut leave = vec![0usize; m];
    let cycle_score: f64 = cycle.iter().map(|&v| s[v][heads[v]]).sum();
    for (i, &d) in keep.iter().enumerate() {
        for (j, &h) in keep.iter().enumerate() {
            t[i][j] = s[d][h];
        }
        // d's head inside the cycle
        let (h, x) = cycle
            .iter()
            .map(|&h| (h, s[d][h]))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("cycle not empty");
        t[i][c] = x;
        leave[i] = h;
    }
    for (j, &h) in keep.iter().enumerate() {
        let (d, x) = cycle
            .iter()
            .map(|&d| (d, s[d][h] - s[d][heads[d]] + cycle_score))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .expect("cycle not empty");
        t[c][j] = x;
        enter[j] = d;
    }
    let sub = edmonds(&t);
    for (i, &d) in keep.iter().enumerate().skip(1) {
        heads[d] = if sub[i] == c { leave[i] } else { keep[sub[i]] };
    }
    let outside = keep[sub[c]];
    heads[enter[sub[c]]] = outside;
    heads
}

/// A cycle among `heads` (node 0 is the root and has none), if any.
fn find_cycle(heads: &[usize]) -> Option<Vec<usize>> {
    let n = heads.len();
    let mut state = vec![0u8; n]; // 0 unseen, 1 on the current path, 2 done
    state[0] = 2;
    for start in 1..n {
        let mut path = Vec::new();
        let mut v = start;
        while state[v] == 0 {
            state[v] = 1;
            path.push(v);
            v = heads[v];
        }
        if state[v] == 1 {
            let at = path.iter().position(|&x| x == v).expect("on the path");
            return Some(path[at..].to_vec());
        }
        path.iter().for_each(|&x| state[x] = 2);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_tree(heads: &[usize]) -> bool {
        heads.iter().skip(1).filter(|&&h| h == 0).count() == 1 && find_cycle(heads).is_none()
    }

    #[test]
    fn breaks_a_cycle_the_cheapest_way() {
        // 1 and 2 prefer each other; 3 prefers 2; root slightly prefers 1.
        let ninf = f32::NEG_INFINITY;
        let s = vec![
            vec![ninf; 4],
            vec![-2.0, ninf, -0.1, -3.0],
            vec![-2.5, -0.1, ninf, -3.0],
            vec![-4.0, -3.0, -0.2, ninf],
        ];
        let h = tree(&s);
        assert_eq!(h, vec![0, 0, 1, 2]);
    }

    /// Pseudo-random log-probability-like scores for `n` words (LCG state `x`).
    fn random_scores(n: usize, x: &mut u64) -> Vec<Vec<f32>> {
        (0..=n)
            .map(|_| {
                (0..=n)
                    .map(|_| {
                        *x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        -((*x >> 40) as f32 / (1u64 << 24) as f32) * 4.0
                    })
                    .collect()
            })
            .collect()
    }

    /// The best score of a tree with one root word, by brute force.
    fn best_by_enumeration(s: &[Vec<f32>]) -> f64 {
        let n = s.len() - 1;
        let mut best = f64::NEG_INFINITY;
        let mut heads = vec![0usize; n + 1];
        let total = (n + 1).pow(n as u32);
        for code in 0..total {
            let mut c = code;
            for h in heads.iter_mut().skip(1) {
                *h = c % (n + 1);
                c /= n + 1;
            }
            if (1..=n).any(|d| heads[d] == d) || !is_tree(&heads) {
                continue;
            }
            best = best.max((1..=n).map(|d| f64::from(s[d][heads[d]])).sum());
        }
        best
    }

    #[test]
    fn finds_the_best_single_root_tree() {
        let mut x: u64 = 99;
        for n in 1..=5 {
            for _ in 0..30 {
                let s = random_scores(n, &mut x);
                let h = tree(&s);
                let got: f64 = (1..=n).map(|d| f64::from(s[d][h[d]])).sum();
                assert!((got - best_by_enumeration(&s)).abs() < 1e-4, "n={n}: {h:?}");
            }
        }
    }

    #[test]
    fn always_one_root_and_no_cycle() {
        // Pseudo-random scores, many sizes.
        let mut x: u64 = 7;
        for n in 1..40 {
            let s = random_scores(n, &mut x);
            let h = tree(&s);
            assert_eq!(h.len(), n + 1);
            assert!(is_tree(&h), "n={n}: {h:?}");
        }
    }
}
