//! The transformer: one encoder (a Hugging Face BERT, DistilBERT or RoBERTa
//! checkpoint, run by rust-bert on libtorch) with a token-classification head for
//! entities and, in annalist's own checkpoints, the small heads of [`heads`] (parse,
//! events) beside it. One forward pass per window feeds them all; the stages above
//! ([`crate::ner`], [`crate::parse`], [`crate::triggers`]) decode what they need.
//!
//! A checkpoint is a standard folder (`config.json`, tokenizer files,
//! `model.safetensors`): `transformers` loads ours as a token classifier, and plain HF
//! token classifiers load here with no extra heads.

pub mod coref;
pub mod device;
pub mod encode;
pub mod entity_coref;
pub mod heads;
pub mod mst;
pub mod quant;
mod run;

pub use run::{DocOutput, Output, Part, Pick, WordTags};

use anyhow::{bail, Context, Result};
use encode::{WordTokenizer, CASE_TYPES};
use heads::{HeadSpec, Heads};
use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use rust_bert::distilbert::{DistilBertConfig, DistilBertModel};
use rust_bert::roberta::RobertaEmbeddings;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tch::{nn, nn::Module, Device, Kind, Tensor};

/// How inference cuts and batches the input.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Most word pieces per forward pass, padding included. Windows of similar length
    /// are packed together up to this budget ([`encode::pack`]).
    pub batch_tokens: usize,
    /// Longest window in word pieces (specials included; capped by the model).
    pub window: usize,
    /// Pieces of context kept on each side of a window's own words.
    pub context: usize,
    /// What the model sees at once.
    pub scope: Scope,
    /// Whether to run the parse and event heads (when the model has them); off when only
    /// entities are wanted.
    pub grammar: bool,
    /// Which words' hidden states come back ([`DocOutput::vectors`]), with the grammar heads.
    pub vectors: Vectors,
}

/// Which words' vectors a run returns: each an event word's hidden state, which the
/// event coreference head ([`coref`]) turns into the vector events are compared by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vectors {
    None,
    /// The words the event head tags.
    Events,
    /// Every word (for training, and for events given from outside).
    All,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            batch_tokens: 1024,
            window: 256,
            context: 48,
            scope: Scope::Document,
            grammar: true,
            vectors: Vectors::None,
        }
    }
}

/// What the model sees at once: a unit of text, cut into windows when long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scope {
    /// The whole body, in overlapping windows: the most context, as in training
    /// ("Peskov echoed..." is a person because earlier sentences say so).
    Document,
    /// Each sentence alone: shorter sequences, faster, a little less accurate.
    Sentence,
}

/// What the model computes in (`--precision`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Precision {
    /// The fastest precision whose results keep the measured accuracy and do not depend
    /// on how documents are batched ([`Precision::fastest`]).
    Auto,
    F32,
    /// Half precision, for GPUs.
    F16,
    /// bfloat16: 1.5–1.7x f32 on a CPU with AVX-512 BF16, within the accuracy bounds, but
    /// its results change with the batch a document lands in (README, "Precision").
    Bf16,
    /// The encoder's linear layers in int8 ([`quant`]); CPU only.
    Int8,
}

impl Precision {
    /// What [`Precision::Auto`] picks: f32 on every device measured so far. bf16 and
    /// int8 are faster on CPU and as accurate on the corpora, but a document's results
    /// then depend on the other documents of its batch, so shards no longer merge into
    /// the unsharded run's timeline; int8 also splits the seeds' London meeting; no GPU
    /// has been measured (README, "Precision").
    pub fn fastest(_device: Device) -> Precision {
        Precision::F32
    }
}

/// The encoder behind a checkpoint.
enum Encoder {
    Bert(BertModel<BertEmbeddings>),
    DistilBert(DistilBertModel),
    Roberta(BertModel<RobertaEmbeddings>),
    /// BERT with int8 linear layers ([`quant`]), for inference on CPU.
    Int8(quant::Int8Bert),
}

/// The network with its tokenizer and label sets, on one device.
pub struct Model {
    encoder: Encoder,
    /// The entity classifier (`classifier.*`, as in HF token classifiers).
    classifier: nn::Linear,
    dropout: f64,
    /// Parse and event heads; `None` for plain token classifiers.
    pub heads: Option<Heads>,
    /// The event coreference head, when the folder has one.
    pub event_coref: Option<coref::EventCoref>,
    /// The entity coreference head, when the folder has one.
    pub entity_coref: Option<entity_coref::EntityCoref>,
    /// Whether the encoder takes letter case as token types ([`encode::case_class`]).
    pub case_types: bool,
    pub vs: nn::VarStore,
    pub tokenizer: WordTokenizer,
    /// Entity label names by class index, as in config.json's `id2label`.
    pub labels: Vec<String>,
    /// Longest input in pieces, specials included.
    pub max_len: usize,
    /// The parsed config.json, kept to write it back next to trained weights.
    pub config: serde_json::Value,
}

/// How to treat weights absent from the checkpoint.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    /// A finished model: every weight must be there.
    Complete,
    /// A start for training: the entity classifier and the extra heads may be absent
    /// (they start fresh), and a checkpoint with fewer token types than the config
    /// lends each new type its first type's embedding.
    Start,
}

impl Model {
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
        let model_type = config
            .get("model_type")
            .and_then(|v| v.as_str())
            .unwrap_or("bert")
            .to_string();
        let extra = config.get("annalist");
        let case_types = extra
            .and_then(|a| a.get("case_types"))
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let spec: Option<HeadSpec> = extra
            .and_then(|a| a.get("heads"))
            .map(|h| serde_json::from_value(h.clone()))
            .transpose()
            .map_err(|e| anyhow::anyhow!("{}: \"annalist\".\"heads\": {e}", config_path.display()))?;
        check_sizes(&config).with_context(|| format!("{}", config_path.display()))?;
        let vs = nn::VarStore::new(device);
        let root = vs.root();
        let (encoder, hidden, dropout, max_positions) = match model_type.as_str() {
            "bert" => {
                let c: BertConfig = serde_json::from_value(config.clone()).map_err(bad)?;
                if case_types && c.type_vocab_size < CASE_TYPES as i64 {
                    bail!("{}: case_types needs type_vocab_size {CASE_TYPES}", config_path.display());
                }
                let e = BertModel::new_with_optional_pooler(&root / "bert", &c, false);
                (Encoder::Bert(e), c.hidden_size, c.hidden_dropout_prob, c.max_position_embeddings)
            }
            "distilbert" => {
                // Only rust-bert's masked-LM head reads `tie_weights_`; HF configs lack it.
                let mut v = config.clone();
                if let Some(o) = v.as_object_mut() {
                    o.entry("tie_weights_").or_insert(serde_json::Value::Bool(false));
                }
                let c: DistilBertConfig = serde_json::from_value(v).map_err(bad)?;
                (Encoder::DistilBert(DistilBertModel::new(&root, &c)), c.dim, c.dropout, c.max_position_embeddings)
            }
            // RoBERTa reserves two positions for its padding offset.
            "roberta" | "xlm-roberta" => {
                let c: BertConfig = serde_json::from_value(config.clone()).map_err(bad)?;
                let e = BertModel::<RobertaEmbeddings>::new_with_optional_pooler(&root / "roberta", &c, false);
                (Encoder::Roberta(e), c.hidden_size, c.hidden_dropout_prob, c.max_position_embeddings - 2)
            }
            other => bail!(
                "{}: model_type {other:?} is not supported; annalist loads bert, distilbert and roberta token classifiers",
                config_path.display()
            ),
        };
        if (case_types || spec.is_some()) && !matches!(encoder, Encoder::Bert(_)) {
            bail!(
                "{}: annalist's extra heads and case types are only built for model_type bert",
                config_path.display()
            );
        }
        let classifier = nn::linear(&root / "classifier", hidden, labels.len() as i64, Default::default());
        // The extra heads train at their own learning rate (optimiser group 1).
        if spec
            .as_ref()
            .is_some_and(|s| s.deprel.is_empty() || s.upos.is_empty() || s.event.is_empty())
        {
            bail!("{}: \"annalist\".\"heads\" has an empty label list; the parse and event heads need UPOS, relation and event labels", config_path.display());
        }
        let heads = spec.map(|s| Heads::new(&(&root.set_group(1) / "annalist"), hidden, s));
        let tokenizer = WordTokenizer::load(dir, matches!(encoder, Encoder::Roberta(_)))?;
        let mut model = Model {
            encoder,
            classifier,
            dropout,
            heads,
            event_coref: None,
            entity_coref: None,
            case_types,
            vs,
            tokenizer,
            labels,
            max_len: max_positions.clamp(8, 512) as usize,
            config,
        };
        model.load_weights(&dir.join("model.safetensors"), weights)?;
        model.event_coref = coref::EventCoref::from_config(dir, &model.config, hidden as usize)?;
        model.entity_coref =
            entity_coref::EntityCoref::from_config(dir, &model.config, hidden as usize, model.vs.device())?;
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
            let fresh = name.starts_with("classifier.") || name.starts_with("annalist.");
            match src {
                Some(src) if src.size() == var.size() => tch::no_grad(|| {
                    var.copy_(&src.to_kind(var.kind()).to_device(device));
                }),
                // New token types (letter case) start as the first one.
                Some(src) if weights == Weights::Start && name.ends_with("token_type_embeddings.weight") => tch::no_grad(|| {
                    let first = src.get(0).to_kind(var.kind()).to_device(device);
                    var.copy_(&first.unsqueeze(0).expand_as(&var));
                }),
                Some(src) => bail!(
                    "{}: tensor {name} has shape {:?}, the config asks for {:?}; config.json and the weights do not match",
                    path.display(),
                    src.size(),
                    var.size()
                ),
                None if weights == Weights::Start && fresh => {}
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

    /// The encoder's last hidden states `[batch, length, hidden]` for piece ids, token
    /// types (case; ignored unless the model takes them) and attention mask.
    pub fn hidden(&self, ids: &Tensor, types: &Tensor, mask: &Tensor, train: bool) -> Result<Tensor> {
        let types = self.case_types.then_some(types);
        Ok(match &self.encoder {
            Encoder::Bert(m) => {
                m.forward_t(Some(ids), Some(mask), types, None, None, None, None, train)?
                    .hidden_state
            }
            Encoder::Roberta(m) => {
                m.forward_t(Some(ids), Some(mask), None, None, None, None, None, train)?
                    .hidden_state
            }
            Encoder::DistilBert(m) => m.forward_t(Some(ids), Some(mask), None, train)?.hidden_state,
            Encoder::Int8(m) => m.forward(ids, types, mask),
        })
    }

    /// Runs every head over documents given as their sentences' words (each document
    /// its own context, by `opts.scope`), in shared forward passes.
    pub fn run_sentences(&self, docs: &[Vec<Vec<&str>>], opts: Options) -> Result<Vec<DocOutput>> {
        let opts = self.clamp(opts);
        let windows: Vec<_> = docs
            .iter()
            .map(|d| encode::doc_windows(&self.tokenizer, d, opts))
            .collect();
        let inputs: Vec<_> = windows.iter().map(|(w, s)| (w.as_slice(), s.as_slice())).collect();
        self.run_docs(&inputs, opts)
    }

    /// [`Self::run_sentences`] over texts whose sentences are given as word spans.
    pub fn run_spans(&self, docs: &[(&str, &[Vec<crate::doc::Span>])], opts: Options) -> Result<Vec<DocOutput>> {
        let words: Vec<Vec<Vec<&str>>> = docs
            .iter()
            .map(|(t, sentences)| sentences.iter().map(|s| s.iter().map(|w| w.of(t)).collect()).collect())
            .collect();
        self.run_sentences(&words, opts)
    }

    /// `opts` for the whole pipeline: every head, and the event words' vectors when the
    /// model has the event coreference head that reads them.
    pub fn with_grammar(&self, opts: Options) -> Options {
        Options {
            grammar: true,
            vectors: if self.event_coref.is_some() {
                Vectors::Events
            } else {
                Vectors::None
            },
            ..opts
        }
    }

    /// `opts` with the window no longer than the model takes.
    pub fn clamp(&self, opts: Options) -> Options {
        Options {
            window: opts.window.min(self.max_len),
            ..opts
        }
    }

    /// Runs the encoder and entity classifier in `kind` (f16/bf16 for GPUs). The small
    /// heads stay in f32: their scores need the range, and they cost little.
    pub fn set_kind(&mut self, kind: Kind) {
        self.vs.root().set_kind(kind);
        (self.vs.root() / "annalist").float();
    }

    /// Sets the numbers the model computes in, [`Precision::Auto`] resolved for its device.
    pub fn set_precision(&mut self, precision: Precision) -> Result<()> {
        let precision = match precision {
            Precision::Auto => Precision::fastest(self.vs.device()),
            p => p,
        };
        match precision {
            Precision::F32 | Precision::Auto => {}
            Precision::F16 => self.set_kind(Kind::Half),
            Precision::Bf16 => self.set_kind(Kind::BFloat16),
            Precision::Int8 => self.quantize()?,
        }
        Ok(())
    }

    /// Runs the encoder's linear layers in int8 from now on ([`quant`]): CPU inference
    /// only, BERT encoders only.
    pub fn quantize(&mut self) -> Result<()> {
        if self.vs.device() != Device::Cpu {
            bail!("--precision int8 runs on the CPU; on CUDA use f32 or bf16");
        }
        if !matches!(self.encoder, Encoder::Bert(_)) {
            bail!("--precision int8 is built for BERT encoders (model_type bert); use f32 for this model");
        }
        // A BERT config has them, checked at load (`check_sizes`): positive, and the
        // hidden size a multiple of the heads.
        let heads = self
            .config
            .get("num_attention_heads")
            .and_then(|v| v.as_i64())
            .context("config.json: num_attention_heads missing")?;
        // The int8 encoder computes BERT's exact GELU; another activation would silently differ.
        let act = self.config.get("hidden_act").and_then(|v| v.as_str()).unwrap_or("gelu");
        if act != "gelu" {
            bail!("--precision int8 is built for BERT with hidden_act \"gelu\"; this model has {act:?}: use f32");
        }
        let tensors: HashMap<String, Tensor> = self.vs.variables().into_iter().collect();
        self.encoder = Encoder::Int8(quant::Int8Bert::new(&tensors, "bert", heads)?);
        Ok(())
    }

    /// Entity logits `[.., labels]` from hidden states.
    pub fn entity_logits(&self, hidden: &Tensor, train: bool) -> Tensor {
        self.classifier.forward(&hidden.dropout(self.dropout, train))
    }

    /// Writes a loadable model folder: config.json, tokenizer files, F16 safetensors.
    pub fn save(&self, src_dir: &Path, out: &Path) -> Result<()> {
        self.save_as(src_dir, out, Kind::Half)
    }

    /// [`Self::save`] with the weights in `kind` (F32 for training checkpoints).
    pub fn save_as(&self, src_dir: &Path, out: &Path, kind: Kind) -> Result<()> {
        std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
        let mut named: Vec<(String, Tensor)> = self
            .vs
            .variables()
            .into_iter()
            .map(|(n, t)| (n, t.to_kind(kind).to_device(Device::Cpu)))
            .collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        let weights = out.join("model.safetensors");
        Tensor::write_safetensors(&named, &weights).with_context(|| format!("writing {}", weights.display()))?;
        // The coreference heads read this encoder's vectors as they were when they were
        // trained: weights saved here may be new ones, so they are left out (train them again).
        let mut config = self.config.clone();
        if let Some(extra) = config.get_mut("annalist").and_then(|a| a.as_object_mut()) {
            extra.remove("event_coref");
            extra.remove("entity_coref");
        }
        let config = serde_json::to_string_pretty(&config)?;
        std::fs::write(out.join("config.json"), config + "\n")?;
        for name in [
            "vocab.txt",
            "tokenizer.json",
            "tokenizer_config.json",
            "vocab.json",
            "merges.txt",
        ] {
            let from = src_dir.join(name);
            if from.exists() && src_dir != out {
                std::fs::copy(&from, out.join(name)).with_context(|| format!("copying {}", from.display()))?;
            }
        }
        Ok(())
    }
}

/// A probability to four decimals, as every output keeps it: more digits only show
/// float noise from how sentences were batched, and a batch run's records keep four, so
/// `extract` and `batch` then `merge` weigh the same scores.
pub fn four_decimals(p: f32) -> f32 {
    ((f64::from(p) * 1e4).round() / 1e4) as f32
}

/// Reads and parses `dir/config.json`, with errors that say what to fix.
pub fn read_config(dir: &Path) -> Result<serde_json::Value> {
    if !dir.is_dir() {
        bail!("model folder {} does not exist; pass --model DIR with a Hugging Face token-classification checkpoint (config.json, vocab.txt or tokenizer.json, model.safetensors)", dir.display());
    }
    let path = dir.join("config.json");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{}: missing or unreadable; a model folder needs the checkpoint's config.json",
            path.display()
        )
    })?;
    serde_json::from_str(&text).with_context(|| format!("{}: not valid JSON", path.display()))
}

/// The most parameters a config may describe (16 GB in f32): far above any token
/// classifier, below what a typo ("hidden_size": 7680000) would try to allocate.
const MAX_PARAMETERS: f64 = 4e9;

/// Refuses network sizes that rust-bert would panic on or could not allocate: sizes
/// that are not positive, a hidden size that the attention heads do not divide, a
/// network too large to be a token classifier. (BERT and RoBERTa names first,
/// DistilBERT's second.)
fn check_sizes(config: &serde_json::Value) -> Result<()> {
    let size = |names: &[&str]| -> Result<Option<f64>> {
        let Some((name, v)) = names.iter().find_map(|n| Some((n, config.get(n)?))) else {
            return Ok(None);
        };
        match v.as_i64() {
            Some(n) if n > 0 => Ok(Some(n as f64)),
            _ => bail!("{name:?} is {v}; it must be a positive whole number"),
        }
    };
    let hidden = size(&["hidden_size", "dim"])?;
    let heads = size(&["num_attention_heads", "n_heads"])?;
    let layers = size(&["num_hidden_layers", "n_layers"])?.unwrap_or(1.0);
    let inner = size(&["intermediate_size", "hidden_dim"])?.unwrap_or(0.0);
    let vocab = size(&["vocab_size"])?.unwrap_or(0.0);
    let positions = size(&["max_position_embeddings"])?.unwrap_or(0.0);
    let types = size(&["type_vocab_size"])?.unwrap_or(0.0);
    if let (Some(h), Some(n)) = (hidden, heads) {
        if h % n != 0.0 {
            bail!("\"hidden_size\" {h} is not a multiple of the {n} attention heads");
        }
    }
    let h = hidden.unwrap_or(0.0);
    let parameters = (vocab + positions + types) * h + layers * (4.0 * h * h + 2.0 * h * inner);
    if parameters > MAX_PARAMETERS {
        bail!("these sizes make a network of {parameters:.1e} parameters, more than {MAX_PARAMETERS:.0e}; check hidden_size, vocab_size and the layer sizes");
    }
    Ok(())
}

/// Label names in class order from `id2label` (keys "0", "1", ...).
fn labels_of(config: &serde_json::Value) -> Result<Vec<String>> {
    let map = config
        .get("id2label")
        .and_then(|v| v.as_object())
        .context("no id2label: this is not a token-classification config")?;
    let mut labels = vec![String::new(); map.len()];
    for (k, v) in map {
        let i: usize = k
            .parse()
            .ok()
            .filter(|&i| i < labels.len())
            .with_context(|| format!("id2label key {k:?} is not an index below {}", labels.len()))?;
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
