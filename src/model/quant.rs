//! int8 inference on CPU (`--precision int8`): the BERT encoder run with its linear
//! layers in int8, everything else (embeddings, attention products, layer norms, GELU,
//! the heads) in f32.
//!
//! Each linear layer's weights are quantised once, at load, per output channel
//! (symmetric, ±127: a channel's largest weight maps to 127). Activations are quantised
//! per row (per word piece) at run time, the product runs in libtorch's int8 kernel
//! (`_int_mm`, int32 sums), and the sums are scaled back by the row's and the channel's
//! scales before the bias is added. Per-row scales keep one word piece with large
//! activations from crushing the others to zero. The quantising and the scaling back
//! are single passes in Rust ([`kernels`]): as libtorch operations they cost more
//! than the int8 product. `benches/kernels.rs` measures the
//! pieces; the README gives the figures and the accuracy against f32.

use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use tch::{Kind, Tensor};

/// A linear layer with int8 weights.
#[derive(Debug)]
pub struct Int8Linear {
    /// `[in, out]`, int8: the transposed weight, as `_int_mm` takes it.
    weight: Tensor,
    /// `[out]`: each output channel's scale.
    scale: Tensor,
    bias: Tensor,
}

impl Int8Linear {
    /// Quantises an f32 (or f16, bf16) `weight` `[out, in]`; `bias` `[out]`.
    pub fn new(weight: &Tensor, bias: &Tensor) -> Int8Linear {
        let w = weight.to_kind(Kind::Float);
        let scale = w.abs().amax([1], false).clamp_min(1e-12) / 127.0;
        let q = (&w / scale.unsqueeze(1)).round().clamp(-127, 127).to_kind(Kind::Int8);
        Int8Linear {
            weight: q.tr().contiguous(),
            scale: scale.contiguous(),
            bias: bias.to_kind(Kind::Float).contiguous(),
        }
    }

    /// `x · weightᵀ + bias` for f32 `x` `[.., in]`.
    pub fn forward(&self, x: &Tensor) -> Tensor {
        self.forward_add(x, None)
    }

    /// [`Int8Linear::forward`] plus `residual` (the output's shape), added in the same
    /// pass as the bias.
    pub fn forward_add(&self, x: &Tensor, residual: Option<&Tensor>) -> Tensor {
        let mut shape = x.size();
        let inputs = *shape.last().unwrap_or(&0);
        let outputs = self.scale.size()[0];
        let (q, rows) = kernels::quantise_rows(&x.reshape([-1, inputs]));
        let sums = q.internal_int_mm(&self.weight);
        let residual = residual.map(|r| r.reshape([-1, outputs]));
        let y = kernels::rescale(&sums, &rows, &self.scale, &self.bias, residual.as_ref());
        if let Some(last) = shape.last_mut() {
            *last = outputs;
        }
        y.reshape(shape)
    }
}

/// A layer norm's weight and bias.
#[derive(Debug)]
struct Norm {
    weight: Tensor,
    bias: Tensor,
}

impl Norm {
    fn forward(&self, x: &Tensor) -> Tensor {
        let n = self.weight.size();
        x.layer_norm(n.as_slice(), Some(&self.weight), Some(&self.bias), EPS, false)
    }
}

/// BERT's layer norm epsilon (as rust-bert and the Hugging Face configs have it).
const EPS: f64 = 1e-12;

#[derive(Debug)]
struct Layer {
    /// Query, key and value in one product: the input is quantised once for the three.
    qkv: Int8Linear,
    attention_out: Int8Linear,
    attention_norm: Norm,
    intermediate: Int8Linear,
    output: Int8Linear,
    output_norm: Norm,
}

/// A BERT encoder with int8 linear layers, for inference on CPU.
#[derive(Debug)]
pub struct Int8Bert {
    words: Tensor,
    positions: Tensor,
    types: Tensor,
    embedding_norm: Norm,
    layers: Vec<Layer>,
    heads: i64,
}

impl Int8Bert {
    /// The encoder from the f32 tensors of a loaded BERT model, by the names rust-bert
    /// gives them under `prefix` (`bert`), with `heads` attention heads.
    pub fn new(tensors: &HashMap<String, Tensor>, prefix: &str, heads: i64) -> Result<Int8Bert> {
        let get = |name: &str| -> Result<Tensor> {
            let key = format!("{prefix}.{name}");
            tensors
                .get(&key)
                .map(|t| t.detach().to_kind(Kind::Float))
                .with_context(|| format!("int8 encoder: tensor {key} missing"))
        };
        // One int8 layer from the weights of one or more f32 layers, their outputs joined.
        let linear = |names: &[String]| -> Result<Int8Linear> {
            let joined = |part: &str| -> Result<Tensor> {
                let ts = names
                    .iter()
                    .map(|n| get(&format!("{n}.{part}")))
                    .collect::<Result<Vec<_>>>()?;
                Ok(Tensor::cat(&ts, 0))
            };
            Ok(Int8Linear::new(&joined("weight")?, &joined("bias")?))
        };
        let norm = |name: &str| -> Result<Norm> {
            Ok(Norm {
                weight: get(&format!("{name}.weight"))?,
                bias: get(&format!("{name}.bias"))?,
            })
        };
        let count = (0..)
            .take_while(|i| tensors.contains_key(&format!("{prefix}.encoder.layer.{i}.output.dense.weight")))
            .count();
        if count == 0 {
            bail!("int8 encoder: no layers under {prefix}.encoder.layer");
        }
        let layers = (0..count)
            .map(|i| {
                let at = |name: &str| format!("encoder.layer.{i}.{name}");
                let qkv = ["query", "key", "value"].map(|p| at(&format!("attention.self.{p}")));
                Ok(Layer {
                    qkv: linear(&qkv)?,
                    attention_out: linear(&[at("attention.output.dense")])?,
                    attention_norm: norm(&at("attention.output.LayerNorm"))?,
                    intermediate: linear(&[at("intermediate.dense")])?,
                    output: linear(&[at("output.dense")])?,
                    output_norm: norm(&at("output.LayerNorm"))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Int8Bert {
            words: get("embeddings.word_embeddings.weight")?,
            positions: get("embeddings.position_embeddings.weight")?,
            types: get("embeddings.token_type_embeddings.weight")?,
            embedding_norm: norm("embeddings.LayerNorm")?,
            layers,
            heads,
        })
    }

    /// The last hidden states `[batch, length, hidden]` for piece ids, token types
    /// (None: all 0) and attention mask (1: a piece, 0: padding), as BERT computes them.
    pub fn forward(&self, ids: &Tensor, types: Option<&Tensor>, mask: &Tensor) -> Tensor {
        let (batch, length) = (ids.size()[0], ids.size()[1]);
        let positions = Tensor::arange(length, (Kind::Int64, ids.device()));
        let mut x = self
            .words
            .index_select(0, &ids.reshape([-1]))
            .reshape([batch, length, -1])
            + self.positions.index_select(0, &positions).unsqueeze(0);
        x = match types {
            Some(t) => {
                x + self
                    .types
                    .index_select(0, &t.reshape([-1]))
                    .reshape([batch, length, -1])
            }
            None => x + self.types.get(0),
        };
        let mut x = self.embedding_norm.forward(&x);
        // Padding gets -10000 before the softmax, as in BERT.
        let bias: Tensor = (mask.to_kind(Kind::Float) - 1.0) * 10000.0;
        let bias = bias.view([batch, 1, 1, length]);
        let hidden = x.size()[2];
        let size = hidden / self.heads;
        let split = |t: &Tensor| t.reshape([batch, length, self.heads, size]).transpose(1, 2);
        for l in &self.layers {
            let qkv = l.qkv.forward(&x).chunk(3, -1);
            let (q, k, v) = (split(&qkv[0]), split(&qkv[1]), split(&qkv[2]));
            // libtorch's fused attention: scores, mask, softmax and the weighted sum
            // without the scores tensor written out between them.
            let context = Tensor::scaled_dot_product_attention(&q, &k, &v, Some(&bias), 0.0, false, None, false)
                .transpose(1, 2)
                .contiguous()
                .view([batch, length, hidden]);
            let attended = l
                .attention_norm
                .forward(&l.attention_out.forward_add(&context, Some(&x)));
            let mut inner = l.intermediate.forward(&attended);
            let _ = inner.gelu_("none");
            x = l.output_norm.forward(&l.output.forward_add(&inner, Some(&attended)));
        }
        x
    }
}

/// The elementwise work around `_int_mm`, one pass each in Rust over the tensors'
/// memory: libtorch makes four passes (and fresh buffers) to quantise a matrix and
/// three to scale its sums back, and those cost more than the int8 product itself
/// (`benches/kernels.rs`). They run on the calling thread: libtorch's idle OpenMP
/// threads spin on the other cores for a while after each parallel operation, so
/// threads of our own would only share cores with them (measured slower on `batch`).
pub(crate) use kernels::quantise_rows;

mod kernels {
    use tch::{Device, Kind, Tensor};

    /// A contiguous CPU tensor's elements.
    ///
    /// # Safety
    /// `t` must be contiguous, on the CPU and hold `T`s, and nothing may write to it
    /// while the slice lives.
    unsafe fn elements<T>(t: &Tensor) -> &[T] {
        std::slice::from_raw_parts(t.data_ptr() as *const T, t.numel())
    }

    /// As [`elements`], writable: nothing else may read or write `t` meanwhile.
    #[allow(clippy::mut_from_ref)]
    unsafe fn elements_mut<T>(t: &Tensor) -> &mut [T] {
        std::slice::from_raw_parts_mut(t.data_ptr() as *mut T, t.numel())
    }

    /// Whether to run the AVX2 builds of the loops below: their conversions between
    /// ints and floats vectorise only there.
    #[cfg(target_arch = "x86_64")]
    fn avx2() -> bool {
        std::arch::is_x86_feature_detected!("avx2")
    }

    /// Rounds half to even, as libtorch's `round` does, for |x| < 2²²: adding and
    /// taking away 1.5·2²³ leaves no fraction bits.
    #[inline(always)]
    fn round_even(x: f32) -> f32 {
        const SHIFT: f32 = 12_582_912.0;
        (x + SHIFT) - SHIFT
    }

    /// Quantises one row so that its largest magnitude maps to ±127; returns the scale.
    #[inline(always)]
    fn quantise_row(row: &[f32], out: &mut [i8]) -> f32 {
        // Sixteen running maxima, so that the compiler keeps them in vector registers.
        let mut lanes = [0f32; 16];
        let mut chunks = row.chunks_exact(16);
        for chunk in &mut chunks {
            for (lane, v) in lanes.iter_mut().zip(chunk) {
                *lane = lane.max(v.abs());
            }
        }
        let largest = chunks
            .remainder()
            .iter()
            .chain(&lanes)
            .fold(0f32, |m, v| m.max(v.abs()));
        let scale = largest.max(1e-12) / 127.0;
        for (q, v) in out.iter_mut().zip(row) {
            let r = round_even(v / scale);
            // A NaN becomes 0; the clamp only guards against rounding at the edges.
            let r = if r.is_nan() { 0.0 } else { r.clamp(-127.0, 127.0) };
            // SAFETY: r is finite and within ±127. (A checked `as` would not vectorise.)
            *q = unsafe { r.to_int_unchecked::<i32>() } as i8;
        }
        scale
    }

    #[inline(always)]
    fn quantise_all(xs: &[f32], qs: &mut [i8], ss: &mut [f32], cols: usize) {
        for ((row, out), scale) in xs.chunks(cols).zip(qs.chunks_mut(cols)).zip(ss) {
            *scale = quantise_row(row, out);
        }
    }

    /// `x` `[rows, cols]` in int8 per row, and each row's scale `[rows, 1]`.
    pub(crate) fn quantise_rows(x: &Tensor) -> (Tensor, Tensor) {
        let x = x.to_kind(Kind::Float).contiguous();
        let (rows, cols) = (x.size()[0], x.size()[1]);
        let q = Tensor::empty([rows, cols], (Kind::Int8, Device::Cpu));
        let scales = Tensor::ones([rows, 1], (Kind::Float, Device::Cpu));
        // An empty tensor's data pointer may be null, which no slice may hold.
        if rows == 0 || cols == 0 {
            return (q, scales);
        }
        // SAFETY: contiguous CPU tensors of the kinds read; q and scales are new, so
        // nothing else sees them.
        let (xs, qs, ss) = unsafe {
            (
                elements::<f32>(&x),
                elements_mut::<i8>(&q),
                elements_mut::<f32>(&scales),
            )
        };
        let cols = cols as usize;
        #[cfg(target_arch = "x86_64")]
        if avx2() {
            #[target_feature(enable = "avx2")]
            fn fast(xs: &[f32], qs: &mut [i8], ss: &mut [f32], cols: usize) {
                quantise_all(xs, qs, ss, cols)
            }
            // SAFETY: the CPU has AVX2.
            unsafe { fast(xs, qs, ss, cols) };
            return (q, scales);
        }
        quantise_all(xs, qs, ss, cols);
        (q, scales)
    }

    #[inline(always)]
    fn rescale_all(s: &[i32], r: &[f32], c: &[f32], b: &[f32], add: Option<&[f32]>, o: &mut [f32]) {
        let cols = c.len();
        for (i, ((sum, out), &row)) in s.chunks(cols).zip(o.chunks_mut(cols)).zip(r).enumerate() {
            for ((o, &v), (&c, &b)) in out.iter_mut().zip(sum).zip(c.iter().zip(b)) {
                *o = (v as f32 * row) * c + b;
            }
            if let Some(add) = add {
                for (o, a) in out.iter_mut().zip(&add[i * cols..]) {
                    *o += a;
                }
            }
        }
    }

    /// `sums · row scale · column scale + bias (+ residual)` as f32 `[rows, cols]`, from
    /// `_int_mm`'s int32 `sums` `[rows, cols]`, `row_scales` `[rows, 1]`, `col_scales` and
    /// `bias` `[cols]` (f32, contiguous), and an optional `residual` of the sums' shape.
    pub fn rescale(
        sums: &Tensor,
        row_scales: &Tensor,
        col_scales: &Tensor,
        bias: &Tensor,
        residual: Option<&Tensor>,
    ) -> Tensor {
        let (rows, cols) = (sums.size()[0], sums.size()[1]);
        let out = Tensor::empty([rows, cols], (Kind::Float, Device::Cpu));
        // As in quantise_rows: no slice of an empty tensor.
        if rows == 0 || cols == 0 {
            return out;
        }
        let residual = residual.map(|r| r.to_kind(Kind::Float).contiguous());
        let sums = sums.contiguous();
        // SAFETY: contiguous CPU tensors of the kinds read (int32 from `_int_mm`, the
        // scales and bias f32 by their owner's construction); `out` is new.
        let (s, r, c, b, o) = unsafe {
            (
                elements::<i32>(&sums),
                elements::<f32>(row_scales),
                elements::<f32>(col_scales),
                elements::<f32>(bias),
                elements_mut::<f32>(&out),
            )
        };
        // SAFETY: as above, f32 by the conversion just made.
        let add = residual.as_ref().map(|t| unsafe { elements::<f32>(t) });
        #[cfg(target_arch = "x86_64")]
        if avx2() {
            #[target_feature(enable = "avx2")]
            fn fast(s: &[i32], r: &[f32], c: &[f32], b: &[f32], add: Option<&[f32]>, o: &mut [f32]) {
                rescale_all(s, r, c, b, add, o)
            }
            // SAFETY: the CPU has AVX2.
            unsafe { fast(s, r, c, b, add, o) };
            return out;
        }
        rescale_all(s, r, c, b, add, o);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::Device;

    #[test]
    fn the_kernels_compute_what_libtorch_would() {
        tch::manual_seed(2);
        // 70 rows: more than one thread's share; 50 columns: a remainder after 16 lanes.
        let x = Tensor::randn([70, 50], (Kind::Float, Device::Cpu)) * 3.0;
        let (q, rows) = kernels::quantise_rows(&x);
        let expected_rows = x.abs().amax([1], true).clamp_min(1e-12) / 127.0;
        let expected_q = (&x / &expected_rows).round().to_kind(Kind::Int8);
        assert!(rows.equal(&expected_rows));
        assert!(q.equal(&expected_q));
        let sums = Tensor::randint_low(-50_000, 50_000, [70, 20], (Kind::Int, Device::Cpu));
        let cols = Tensor::rand([20], (Kind::Float, Device::Cpu));
        let bias = Tensor::randn([20], (Kind::Float, Device::Cpu));
        let residual = Tensor::randn([70, 20], (Kind::Float, Device::Cpu));
        let y = kernels::rescale(&sums, &rows, &cols, &bias, Some(&residual));
        let expected = sums.to_kind(Kind::Float) * &rows * &cols + &bias + &residual;
        assert!(y.allclose(&expected, 1e-5, 1e-4, false));
    }

    #[test]
    fn an_int8_linear_layer_is_close_to_f32() {
        tch::manual_seed(1);
        let w = Tensor::randn([48, 32], (Kind::Float, Device::Cpu)) / 6.0;
        let b = Tensor::randn([48], (Kind::Float, Device::Cpu));
        let x = Tensor::randn([3, 5, 32], (Kind::Float, Device::Cpu));
        let exact = x.linear(&w, Some(&b));
        let q = Int8Linear::new(&w, &b).forward(&x);
        assert_eq!(q.size(), vec![3, 5, 48]);
        let error = (&q - &exact).abs().max().double_value(&[]);
        let range = exact.abs().max().double_value(&[]);
        assert!(error < 0.02 * range, "error {error} of {range}");
        // An all-zero row gives the bias, not NaN.
        let zero = Int8Linear::new(&w, &b).forward(&Tensor::zeros([1, 32], (Kind::Float, Device::Cpu)));
        assert!((&zero - b.unsqueeze(0)).abs().max().double_value(&[]) < 1e-6);
        // No rows: an empty result of the right width.
        let none = Int8Linear::new(&w, &b).forward(&Tensor::zeros([0, 32], (Kind::Float, Device::Cpu)));
        assert_eq!(none.size(), vec![0, 48]);
    }
}
