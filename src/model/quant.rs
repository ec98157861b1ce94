//! int8 inference on CPU (`--precision int8`): the BERT encoder run with its linear
//! layers in int8, everything else (embeddings, attention products, layer norms, GELU,
//! the heads) in f32.
//!
//! Each linear layer's weights are quantised once, at load, per output channel
//! (symmetric, ±127: a channel's largest weight maps to 127). Activations are quantised
//! per row (per word piece) at run time, the product runs in libtorch's int8 kernel
//! (`_int_mm`, int32 sums), and the sums are scaled back by the row's and the channel's
//! scales before the bias is added. Per-row scales keep one word piece with large
//! activations from crushing the others to zero. `benches/kernels.rs` measures the
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
            scale,
            bias: bias.to_kind(Kind::Float),
        }
    }

    /// `x · weightᵀ + bias` for f32 `x` `[.., in]`.
    pub fn forward(&self, x: &Tensor) -> Tensor {
        let mut shape = x.size();
        let inputs = *shape.last().unwrap_or(&0);
        let x = x.reshape([-1, inputs]);
        // The row's largest magnitude maps to 127, so no value needs clamping.
        let row = x
            .linalg_norm(f64::INFINITY, [1i64].as_slice(), true, None::<Kind>)
            .clamp_min(1e-12)
            / 127.0;
        let q = (&x / &row).round_().to_kind(Kind::Int8);
        let mut y = q.internal_int_mm(&self.weight).to_kind(Kind::Float);
        let _ = y.g_mul_(&row);
        let y = self.bias.addcmul(&y, &self.scale);
        if let Some(last) = shape.last_mut() {
            *last = self.scale.size()[0];
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
            let attended = l.attention_norm.forward(&(l.attention_out.forward(&context) + &x));
            let inner = l.intermediate.forward(&attended).gelu("none");
            x = l.output_norm.forward(&(l.output.forward(&inner) + &attended));
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::Device;

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
    }
}
