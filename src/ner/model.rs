//! Loading a Hugging Face token-classification checkpoint (BERT, DistilBERT, RoBERTa)
//! from a local folder into rust-bert, and running it.

use super::encode::WordTokenizer;
use super::labels::Tag;
use anyhow::{bail, Context, Result};
use rust_bert::bert::{BertConfig, BertForTokenClassification};
use rust_bert::distilbert::{DistilBertConfig, DistilBertForTokenClassification};
use rust_bert::roberta::RobertaForTokenClassification;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tch::{nn, Device, Kind, Tensor};

/// The network behind a checkpoint.
enum Net {
    Bert(BertForTokenClassification),
    DistilBert(DistilBertForTokenClassification),
    Roberta(RobertaForTokenClassification),
}

/// A token classifier with its tokenizer and label set, on one device.
pub struct NerModel {
    net: Net,
    pub vs: nn::VarStore,
    pub tokenizer: WordTokenizer,
    /// Label names by class index, as in config.json's `id2label`.
    pub labels: Vec<String>,
    pub tags: Vec<Tag>,
    /// Longest input in pieces, specials included.
    pub max_len: usize,
    /// The parsed config.json, kept to write it back next to trained weights.
    pub config: serde_json::Value,
}

/// How to treat weights absent from the checkpoint.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    /// A finished token classifier: every weight must be there.
    Complete,
    /// A base encoder to fine-tune: the classification head starts fresh.
    EncoderOnly,
}

impl NerModel {
    /// Loads `dir/config.json`, the tokenizer files and `dir/model.safetensors`.
    pub fn load(dir: &Path, device: Device) -> Result<Self> {
        let config = read_config(dir)?;
        Self::build(dir, config, device, Weights::Complete)
    }

    /// Builds the network described by `config`, with the weights of `dir`.
    pub fn build(dir: &Path, config: serde_json::Value, device: Device, weights: Weights) -> Result<Self> {
        let config_path = dir.join("config.json");
        let bad = |e: serde_json::Error| anyhow::anyhow!("{}: {e}", config_path.display());
        let labels = labels_of(&config).with_context(|| format!("{}", config_path.display()))?;
        let model_type = config.get("model_type").and_then(|v| v.as_str()).unwrap_or("bert").to_string();
        let vs = nn::VarStore::new(device);
        let root = vs.root();
        let (net, max_positions) = match model_type.as_str() {
            "bert" => {
                let c: BertConfig = serde_json::from_value(config.clone()).map_err(bad)?;
                (Net::Bert(BertForTokenClassification::new(&root, &c)?), c.max_position_embeddings)
            }
            "distilbert" => {
                // Only rust-bert's masked-LM head reads `tie_weights_`; HF configs lack it.
                let mut v = config.clone();
                if let Some(o) = v.as_object_mut() {
                    o.entry("tie_weights_").or_insert(serde_json::Value::Bool(false));
                }
                let c: DistilBertConfig = serde_json::from_value(v).map_err(bad)?;
                (Net::DistilBert(DistilBertForTokenClassification::new(&root, &c)?), c.max_position_embeddings)
            }
            // RoBERTa reserves two positions for its padding offset.
            "roberta" | "xlm-roberta" => {
                let c: BertConfig = serde_json::from_value(config.clone()).map_err(bad)?;
                (Net::Roberta(RobertaForTokenClassification::new(&root, &c)?), c.max_position_embeddings - 2)
            }
            other => bail!(
                "{}: model_type {other:?} is not supported; annalist loads bert, distilbert and roberta token classifiers",
                config_path.display()
            ),
        };
        let tokenizer = WordTokenizer::load(dir, matches!(net, Net::Roberta(_)))?;
        let mut model = NerModel {
            net,
            vs,
            tokenizer,
            tags: labels.iter().map(|l| Tag::parse(l)).collect(),
            labels,
            max_len: max_positions.clamp(8, 512) as usize,
            config,
        };
        model.load_weights(&dir.join("model.safetensors"), weights)?;
        Ok(model)
    }

    /// Copies the checkpoint's tensors into the network's variables. Names may lack
    /// the encoder prefix (`bert.`), as in sentence-transformers exports.
    fn load_weights(&mut self, path: &Path, weights: Weights) -> Result<()> {
        if !path.exists() {
            bail!(
                "{}: missing; a model folder needs its weights as model.safetensors (convert a pytorch_model.bin with `safetensors.torch.save_file`)",
                path.display()
            );
        }
        let tensors: HashMap<String, Tensor> = Tensor::read_safetensors(path)
            .with_context(|| format!("{}: not a readable safetensors file", path.display()))?
            .into_iter()
            .collect();
        let mut missing = Vec::new();
        let device = self.vs.device();
        for (name, mut var) in self.vs.variables() {
            let unprefixed = name.split_once('.').map(|(_, rest)| rest).unwrap_or(&name);
            let src = tensors.get(&name).or_else(|| tensors.get(unprefixed));
            match src {
                Some(src) if src.size() == var.size() => tch::no_grad(|| {
                    var.copy_(&src.to_kind(var.kind()).to_device(device));
                }),
                Some(src) => bail!(
                    "{}: tensor {name} has shape {:?}, the config asks for {:?}; config.json and the weights do not match",
                    path.display(),
                    src.size(),
                    var.size()
                ),
                None if weights == Weights::EncoderOnly && name.starts_with("classifier.") => {}
                None => missing.push(name),
            }
        }
        if !missing.is_empty() {
            missing.sort();
            bail!(
                "{}: {} weights are missing, e.g. {}; is this a token-classification checkpoint of the model_type in config.json?",
                path.display(),
                missing.len(),
                missing.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            );
        }
        Ok(())
    }

    /// Logits `[batch, length, labels]` for piece ids and attention mask `[batch, length]`.
    pub fn logits(&self, ids: &Tensor, mask: &Tensor, train: bool) -> Result<Tensor> {
        Ok(match &self.net {
            Net::Bert(m) => m.forward_t(Some(ids), Some(mask), None, None, None, train).logits,
            Net::Roberta(m) => m.forward_t(Some(ids), Some(mask), None, None, None, train).logits,
            Net::DistilBert(m) => m.forward_t(Some(ids), Some(mask), None, train)?.logits,
        })
    }

    /// Writes a loadable model folder: config.json, tokenizer files, F16 safetensors.
    pub fn save(&self, src_dir: &Path, out: &Path) -> Result<()> {
        std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        let mut named: Vec<(String, Tensor)> = self
            .vs
            .variables()
            .into_iter()
            .map(|(n, t)| (n, t.to_kind(Kind::Half).to_device(Device::Cpu)))
            .collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        let weights = out.join("model.safetensors");
        Tensor::write_safetensors(&named, &weights).with_context(|| format!("writing {}", weights.display()))?;
        let config = serde_json::to_string_pretty(&self.config)?;
        std::fs::write(out.join("config.json"), config + "\n")?;
        for name in ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt"] {
            let from = src_dir.join(name);
            if from.exists() && src_dir != out {
                std::fs::copy(&from, out.join(name)).with_context(|| format!("copying {}", from.display()))?;
            }
        }
        Ok(())
    }
}

/// Reads and parses `dir/config.json`, with errors that say what to fix.
pub fn read_config(dir: &Path) -> Result<serde_json::Value> {
    if !dir.is_dir() {
        bail!("model folder {} does not exist; pass --model DIR with a Hugging Face token-classification checkpoint (config.json, vocab.txt or tokenizer.json, model.safetensors)", dir.display());
    }
    let path = dir.join("config.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("{}: missing or unreadable; a model folder needs the checkpoint's config.json", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: not valid JSON", path.display()))
}

/// Label names in class order from `id2label` (keys "0", "1", ...).
fn labels_of(config: &serde_json::Value) -> Result<Vec<String>> {
    let map = config
        .get("id2label")
        .and_then(|v| v.as_object())
        .context("no id2label: this is not a token-classification config")?;
    let mut labels = vec![String::new(); map.len()];
    for (k, v) in map {
        let i: usize = k.parse().ok().filter(|&i| i < labels.len()).with_context(|| format!("id2label key {k:?} is not an index below {}", labels.len()))?;
        labels[i] = v.as_str().context("id2label values must be strings")?.to_string();
    }
    Ok(labels)
}

/// Where the bundled model lives: `$ANNALIST_MODEL`, else `models/ner` next to the
/// crate (development), else next to the binary (`../models/ner` of `bin/`).
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ANNALIST_MODEL") {
        return PathBuf::from(dir);
    }
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/ner");
    if dev.exists() {
        return dev;
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("models/ner")))
        .unwrap_or(dev)
}
