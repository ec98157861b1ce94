//! The loader against the reference implementation: tiny random token classifiers
//! saved by Hugging Face `transformers` (BERT with vocab.txt, DistilBERT with a
//! WordPiece tokenizer.json, RoBERTa with a byte-level BPE tokenizer.json and
//! vocab.json + merges.txt), and the log-probabilities `transformers` computes from
//! them with annalist's input convention. Made by scripts/make-tiny-checkpoints.sh.

use annalist::model::{Model, Options};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn expected() -> Value {
    let path = fixture("tiny-expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn load(dir: &Path) -> Model {
    match Model::load(dir, tch::Device::Cpu) {
        Ok(model) => model,
        Err(e) => panic!("loading {}: {e:#}", dir.display()),
    }
}

fn load_error(dir: &Path) -> String {
    match Model::load(dir, tch::Device::Cpu) {
        Ok(_) => panic!("{} loaded, but should not", dir.display()),
        Err(e) => format!("{e:#}"),
    }
}

/// A copy of a fixture folder without the files named in `leave_out`.
fn copy_without(name: &str, leave_out: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture(name)).unwrap() {
        let entry = entry.unwrap();
        let file = entry.file_name().into_string().unwrap();
        if !leave_out.contains(&file.as_str()) {
            std::fs::copy(entry.path(), tmp.path().join(&file)).unwrap();
        }
    }
    tmp
}

fn docs(expected: &Value) -> Vec<Vec<String>> {
    expected["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            d.as_array()
                .unwrap()
                .iter()
                .map(|w| w.as_str().unwrap().to_string())
                .collect()
        })
        .collect()
}

/// Loads `dir` and checks labels, word pieces and log-probabilities against the
/// values `transformers` computed for the model `kind` of tiny-expected.json.
/// Entity label log-probabilities per document and word, each document one context.
fn logprobs(model: &Model, docs: &[Vec<&str>]) -> Vec<Vec<Vec<f32>>> {
    let docs: Vec<Vec<Vec<&str>>> = docs.iter().map(|d| vec![d.clone()]).collect();
    model
        .run_sentences(&docs, Options::default())
        .unwrap()
        .into_iter()
        .map(|o| o.ner)
        .collect()
}

fn check(dir: &Path, kind: &str) {
    let expected = expected();
    let tolerance = expected["tolerance"].as_f64().unwrap() as f32;
    let model = load(dir);

    let labels: Vec<&str> = expected["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(model.labels, labels, "{kind}: labels in id2label order");

    let owned = docs(&expected);
    let docs: Vec<Vec<&str>> = owned.iter().map(|d| d.iter().map(String::as_str).collect()).collect();

    // Word pieces first: a tokenizer difference explains any later mismatch.
    for (d, words) in docs.iter().enumerate() {
        for (w, word) in words.iter().enumerate() {
            let want: Vec<i64> = expected["pieces"][kind][d][w]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_i64().unwrap())
                .collect();
            assert_eq!(
                model.tokenizer.pieces(word),
                want,
                "{kind}: pieces of {word:?} (doc {d}, word {w})"
            );
        }
    }

    // All documents in one padded batch, then each alone: the same numbers.
    let together = logprobs(&model, &docs);
    let alone: Vec<Vec<Vec<f32>>> = docs
        .iter()
        .map(|d| logprobs(&model, std::slice::from_ref(d)).remove(0))
        .collect();
    for (how, got) in [("batched", &together), ("one document at a time", &alone)] {
        assert_eq!(got.len(), docs.len());
        for (d, words) in docs.iter().enumerate() {
            assert_eq!(got[d].len(), words.len(), "{kind}, {how}: one row per word of doc {d}");
            for (w, word) in words.iter().enumerate() {
                let want: Vec<f32> = expected[kind][d][w]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap() as f32)
                    .collect();
                let row = &got[d][w];
                assert_eq!(row.len(), want.len(), "{kind}: one log-probability per label");
                let worst = row.iter().zip(&want).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
                assert!(
                    worst <= tolerance,
                    "{kind}, {how}: doc {d} word {w} {word:?}: got {row:?}, transformers gives {want:?} (off by {worst})"
                );
            }
        }
    }
}

#[test]
fn bert_with_vocab_txt_matches_transformers() {
    check(&fixture("tiny-bert"), "bert");
}

#[test]
fn bert_without_tokenizer_config_infers_lower_case_from_the_vocabulary() {
    let dir = copy_without("tiny-bert", &["tokenizer_config.json"]);
    check(dir.path(), "bert");
}

#[test]
fn distilbert_with_tokenizer_json_matches_transformers() {
    check(&fixture("tiny-distilbert"), "distilbert");
}

#[test]
fn roberta_with_tokenizer_json_matches_transformers() {
    check(&fixture("tiny-roberta"), "roberta");
}

#[test]
fn roberta_with_vocab_json_and_merges_txt_matches_transformers() {
    let dir = copy_without("tiny-roberta", &["tokenizer.json"]);
    check(dir.path(), "roberta");
}

#[test]
fn an_unsupported_model_type_names_config_json_and_the_supported_types() {
    let dir = copy_without("tiny-bert", &[]);
    let path = dir.path().join("config.json");
    let mut config: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    config["model_type"] = Value::from("gpt2");
    std::fs::write(&path, serde_json::to_string_pretty(&config).unwrap()).unwrap();
    let err = load_error(dir.path());
    for needle in ["config.json", "gpt2", "bert", "distilbert", "roberta"] {
        assert!(err.contains(needle), "error lacks {needle:?}: {err}");
    }
}

#[test]
fn a_folder_without_weights_names_model_safetensors() {
    for name in ["tiny-bert", "tiny-distilbert", "tiny-roberta"] {
        let dir = copy_without(name, &["model.safetensors"]);
        let err = load_error(dir.path());
        assert!(
            err.contains("model.safetensors"),
            "{name}: error lacks model.safetensors: {err}"
        );
        assert!(
            err.contains("missing"),
            "{name}: error does not say it is missing: {err}"
        );
    }
}
