//! Fitting the event–time link models ([`crate::events::timelinks`]) to the TLINKs of
//! TimeML gold, on our own parse, events and date expressions.

use crate::annotated::Annotated;
use crate::events::timelinks::{self, Examples, TimeLinks, DCT_CLASSES, TIMEX_CLASSES};
use crate::learn::{Fit, Softmax};
use crate::time::timeml::GoldDoc;

/// The labelled examples of `docs` (annotated from `gold`, in order).
pub fn examples(docs: &[Annotated], gold: &[GoldDoc]) -> Examples {
    let res = crate::resolve::resolve(docs, None);
    let mut out = Examples::default();
    for (d, (a, g)) in docs.iter().zip(gold).enumerate() {
        let mentions = res.mentions.get(d).map_or(&[][..], Vec::as_slice);
        timelinks::examples(a, mentions, g, &mut out);
    }
    out
}

/// The three models fitted to `train`, anchoring at `threshold` and passing dates on
/// at `event_threshold`.
pub fn fit(train: &Examples, fit: Fit, threshold: f32, event_threshold: f32) -> TimeLinks {
    TimeLinks {
        timex: Softmax::fit(&train.timex, &TIMEX_CLASSES, fit),
        event: Softmax::fit(&train.event, &TIMEX_CLASSES, fit),
        dct: Softmax::fit(&train.dct, &DCT_CLASSES, fit),
        threshold,
        event_threshold,
    }
}

/// The share (percent) of `examples` whose most probable class under `m` is theirs,
/// and the share of the most common class among them (what always guessing it scores).
pub fn accuracy(m: &Softmax, examples: &[(Vec<String>, usize)]) -> (f64, f64) {
    let n = examples.len().max(1) as f64;
    let right = examples
        .iter()
        .filter(|(f, y)| {
            let p = m.probabilities(f);
            (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b])) == Some(*y)
        })
        .count();
    let mut counts = vec![0usize; m.classes.len()];
    for (_, y) in examples {
        counts[*y] += 1;
    }
    let common = counts.into_iter().max().unwrap_or(0);
    (100.0 * right as f64 / n, 100.0 * common as f64 / n)
}
