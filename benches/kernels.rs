//! The encoder's matrix products alone, f32 against bf16 and int8, on this CPU: the
//! check made before `--precision int8` was built, and its layer beside them. MiniLM-L6's linear layers are
//! 384→384 (query, key, value, output), 384→1536 and 1536→384, applied to every word
//! piece of a batch.
//!
//! `cargo bench --bench kernels [-- ROWS...]` (default 512 and 4096 rows, the word
//! pieces of one forward pass); `THREADS=N` sets libtorch's threads, and `MALLOPT=1`
//! keeps large buffers in the heap (no fresh pages for each output, which shows how
//! much of an elementwise pass is the kernel zeroing pages). Routes timed, all libtorch
//! kernels through tch:
//! - `f32`, `bf16`: `linear` on f32 and on bf16 tensors;
//! - `int8 dynamic`: activations quantised per row at run time, `_int_mm` of int8
//!   matrices into int32, rescaled by the row and channel scales, all in libtorch
//!   operations; `Int8Linear` is [`annalist::model::quant::Int8Linear`], what
//!   `--precision int8` runs (the same arithmetic, the quantising and the rescaling
//!   each one pass in Rust); `per tensor` one scale for all rows, in libtorch;
//! - the pieces alone: `_int_mm`, the quantisation, the int32 to f32 conversion;
//! - `int8 weights, f32/bf16 activations`: `_weight_int8pack_mm` (weights stored in
//!   int8 per output channel, products in floating point).

use std::time::Instant;
use tch::{Device, Kind, Tensor};

/// A named way of computing one layer's output.
type Route<'a> = (&'static str, Box<dyn FnMut() -> Tensor + 'a>);

fn time(mut f: impl FnMut() -> Tensor) -> f64 {
    let _ = f();
    let _ = f();
    let reps = 20;
    let start = Instant::now();
    for _ in 0..reps {
        let _ = f();
    }
    start.elapsed().as_secs_f64() / reps as f64
}

fn main() {
    let rows: Vec<i64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let rows = if rows.is_empty() { vec![512, 4096] } else { rows };
    tch::manual_seed(0);
    if std::env::var("MALLOPT").is_ok() {
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 30);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
        }
    }
    if let Some(n) = std::env::var("THREADS").ok().and_then(|t| t.parse().ok()) {
        tch::set_num_threads(n);
    }
    println!("threads {}", tch::get_num_threads());
    println!(
        "{:>6} {:>11} {:>36} {:>9} {:>9} {:>8}",
        "rows", "in→out", "route", "ms", "GFLOP/s", "× f32"
    );
    for &m in &rows {
        for (k, n) in [(384i64, 384i64), (384, 1536), (1536, 384)] {
            let x = Tensor::randn([m, k], (Kind::Float, Device::Cpu));
            let w = Tensor::randn([n, k], (Kind::Float, Device::Cpu)) / (k as f64).sqrt();
            let b = Tensor::randn([n], (Kind::Float, Device::Cpu));
            let (xb, wb, bb) = (
                x.to_kind(Kind::BFloat16),
                w.to_kind(Kind::BFloat16),
                b.to_kind(Kind::BFloat16),
            );
            // Weights in int8 per output channel.
            let ws = w.abs().amax([1], false) / 127.0;
            let wq = (&w / ws.unsqueeze(1)).round().clamp(-127, 127).to_kind(Kind::Int8);
            let wqt = wq.tr().contiguous();
            let quantise = |x: &Tensor| {
                let s = x.abs().amax([1], true).clamp_min(1e-8) / 127.0;
                ((x / &s).round().clamp(-127, 127).to_kind(Kind::Int8), s)
            };
            let (xq, _) = quantise(&x);
            let int8 = annalist::model::quant::Int8Linear::new(&w, &b);
            let routes: Vec<Route> = vec![
                ("f32", Box::new(|| x.linear(&w, Some(&b)))),
                ("bf16", Box::new(|| xb.linear(&wb, Some(&bb)))),
                (
                    "int8 dynamic (quantise, _int_mm, rescale)",
                    Box::new(|| {
                        let (q, s) = quantise(&x);
                        q.internal_int_mm(&wqt).to_kind(Kind::Float) * s * &ws + &b
                    }),
                ),
                ("Int8Linear (--precision int8)", Box::new(|| int8.forward(&x))),
                (
                    "int8 dynamic per tensor",
                    Box::new(|| {
                        let s = x.abs().max().clamp_min(1e-8) / 127.0;
                        let q = (&x / &s).round_().clamp_(-127, 127).to_kind(Kind::Int8);
                        let y = q.internal_int_mm(&wqt).to_kind(Kind::Float);
                        b.addcmul(&y, &(&ws * s))
                    }),
                ),
                ("int8 _int_mm alone", Box::new(|| xq.internal_int_mm(&wqt))),
                ("int8 quantise alone", Box::new(|| quantise(&x).0)),
                (
                    "int32 to f32 alone",
                    Box::new(|| xq.internal_int_mm(&wqt).to_kind(Kind::Float)),
                ),
                (
                    "int8 weights, f32 activations",
                    Box::new(|| x.internal_weight_int8pack_mm(&wq, &ws)),
                ),
                (
                    "int8 weights, bf16 activations",
                    Box::new(|| xb.internal_weight_int8pack_mm(&wq, &ws.to_kind(Kind::BFloat16))),
                ),
            ];
            let flops = 2.0 * (m * k * n) as f64;
            let mut base = None;
            for (name, mut f) in routes {
                let t = time(&mut f);
                let f32_time = *base.get_or_insert(t);
                println!(
                    "{m:>6} {:>11} {name:>36} {:>9.3} {:>9.1} {:>8.2}",
                    format!("{k}→{n}"),
                    t * 1e3,
                    flops / t / 1e9,
                    f32_time / t
                );
            }
        }
    }
}
