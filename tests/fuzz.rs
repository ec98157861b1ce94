//! A mutation fuzzer on the stable toolchain, over every reader of user input: ingest
//! (text, JSON lines, stdin-like streams) through sentence splitting, the date grammar
//! (`time::tag`, `parse_dct`, header dates), CoNLL, CoNLL-U, TimeML, alias files, batch
//! manifests and results (and merging them), and model folders (`config.json`,
//! `vocab.txt`). Inputs are seed files mutated at random: bytes flipped, inserted,
//! deleted, blocks repeated (enormous inputs), deep nesting, byte order marks, NUL and
//! invalid UTF-8, splices from other seeds, truncation.
//!
//! A run finds panics (a reader must return an error, never panic) and broken
//! invariants (spans inside the text, on character boundaries). Each crasher is saved
//! under `target/fuzz-crashers/` and fails the test; once fixed, it goes to
//! `tests/fixtures/fuzz/crashers/<target>-*`, which [`crashers_stay_fixed`] replays.
//!
//! `ANNALIST_FUZZ_SECS` sets the run (default 4 s, for the normal test run);
//! `ANNALIST_FUZZ_SEED` the random seed (default: the clock).
//!
//! ```sh
//! ANNALIST_FUZZ_SECS=1500 cargo test --release --test fuzz -- --nocapture
//! ```

use annalist::ingest::{read_inputs, IngestOptions};
use annalist::time::{dct::find_in_text, dct::parse_dct, tag, DctSource};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// One reader under test: its name, the seeds its inputs grow from, and the check.
struct Target {
    name: &'static str,
    seeds: Vec<Vec<u8>>,
    run: fn(&Scratch, &[u8]),
}

/// A private folder per run for the readers that take paths.
struct Scratch {
    dir: tempfile::TempDir,
    model: PathBuf,
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn articles() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(Path::new(FIXTURES).join("articles"))
        .expect("tests/fixtures/articles")
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    seeds.push(fixture("ingest/articles.jsonl"));
    seeds.push(std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/harbour-talks.txt")).unwrap());
    seeds
}

fn targets() -> Vec<Target> {
    let dates: Vec<Vec<u8>> = [
        "2025-07-15",
        "Tue, 15 Jul 2025 10:00:00 +0300",
        "2025-07-15T00:00:47+03:00",
        "July 15, 2025 10:00 AM EDT",
        "Late Monday, the talks began in January 2024 and last week; on Friday, March 14, two weeks later",
        "the 1990s, Q3 2025, every Tuesday, 3 p.m., mid-2025, next year, 48 hours",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let batch = vec![
        fixture("fuzz/seeds/batch-results.jsonl"),
        fixture("fuzz/seeds/batch-manifest.jsonl"),
    ];
    let model = vec![fixture("tiny-bert/config.json"), fixture("tiny-bert/vocab.txt")];
    vec![
        Target {
            name: "ingest-text",
            seeds: articles(),
            run: ingest_text,
        },
        Target {
            name: "ingest-jsonl",
            seeds: articles(),
            run: ingest_jsonl,
        },
        Target {
            name: "time",
            seeds: [dates.clone(), articles()].concat(),
            run: time,
        },
        Target {
            name: "dct",
            seeds: dates,
            run: dct,
        },
        Target {
            name: "conll",
            seeds: vec![fixture("fuzz/seeds/mini.conll")],
            run: conll,
        },
        Target {
            name: "conllu",
            seeds: vec![fixture("rotterdam.conllu")],
            run: conllu,
        },
        Target {
            name: "timeml",
            seeds: vec![fixture("timeml/rotterdam.tml")],
            run: timeml,
        },
        Target {
            name: "aliases",
            seeds: vec![fixture("fuzz/seeds/aliases.tsv")],
            run: aliases,
        },
        Target {
            name: "batch",
            seeds: batch,
            run: batch_folder,
        },
        Target {
            name: "model-config",
            seeds: model.clone(),
            run: model_config,
        },
        Target {
            name: "model-vocab",
            seeds: model,
            run: model_vocab,
        },
    ]
}

/// Ingest as a file: a document (or an error), every span inside its text, then the
/// sentence and time stages on it.
fn ingest_as(scratch: &Scratch, name: &str, bytes: &[u8]) {
    let path = scratch.dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let opts = IngestOptions {
        max_bytes: 1 << 20,
        keep_related: bytes.len().is_multiple_of(2),
        ..Default::default()
    };
    for doc in read_inputs(&[path.display().to_string()], &opts).flatten() {
        for span in doc
            .body
            .iter()
            .chain(doc.related.iter().map(|r| &r.span))
            .chain(doc.dct.iter().filter_map(|d| d.span.as_ref()))
        {
            assert!(
                doc.text.get(span.start..span.end).is_some(),
                "span {span:?} outside the text"
            );
        }
        for doc in doc.with_related() {
            let prepared = annalist::pipeline::prepare(doc);
            let text = &prepared.doc.text;
            for w in prepared.words.iter().flatten() {
                assert!(text.get(w.start..w.end).is_some_and(|s| !s.is_empty()), "word {w:?}");
            }
        }
    }
}

fn ingest_text(scratch: &Scratch, bytes: &[u8]) {
    ingest_as(scratch, "doc.txt", bytes)
}

fn ingest_jsonl(scratch: &Scratch, bytes: &[u8]) {
    ingest_as(scratch, "doc.jsonl", bytes)
}

/// The date grammar on any text, with and without a publication date.
fn time(_: &Scratch, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let dct = parse_dct("2025-07-15", DctSource::Flag).unwrap();
    for dct in [Some(&dct), None] {
        for t in tag(&text, dct) {
            assert!(
                text.get(t.span.start..t.span.end).is_some_and(|s| !s.is_empty()),
                "timex {:?}",
                t.span
            );
            if let Some((first, last)) = t.interval {
                assert!(first <= last, "interval {first} > {last} for {:?}", t.value);
            }
        }
    }
    if let Some(dct) = find_in_text(&text) {
        assert!(dct.span.is_none_or(|s| text.get(s.start..s.end).is_some()));
    }
}

fn dct(_: &Scratch, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for source in [DctSource::Flag, DctSource::Metadata] {
        let _ = parse_dct(&text, source);
    }
}

fn conll(_: &Scratch, bytes: &[u8]) {
    if let Ok(corpus) = annalist::eval::conll::Corpus::parse(&String::from_utf8_lossy(bytes)) {
        let _ = corpus.with_predictions(&Default::default());
    }
}

fn conllu(_: &Scratch, bytes: &[u8]) {
    if let Ok(c) = annalist::parse::conllu::Conllu::parse(&String::from_utf8_lossy(bytes)) {
        for s in &c.sentences {
            let _ = (s.tree(), s.words().count());
        }
        let _ = c.write();
    }
}

fn timeml(_: &Scratch, bytes: &[u8]) {
    if let Ok(doc) = annalist::time::timeml::parse("fuzz", &String::from_utf8_lossy(bytes)) {
        for t in &doc.timexes {
            assert!(
                doc.text.get(t.span.start..t.span.end).is_some(),
                "gold timex {:?}",
                t.span
            );
        }
    }
}

fn aliases(_: &Scratch, bytes: &[u8]) {
    let _ = annalist::resolve::Aliases::parse(&String::from_utf8_lossy(bytes));
}

/// A batch output folder with these bytes as its results (even lengths) or manifest
/// (odd), the other file the seed's: read back and merged.
fn batch_folder(scratch: &Scratch, bytes: &[u8]) {
    let dir = scratch.dir.path().join("batch");
    std::fs::create_dir_all(&dir).unwrap();
    let (fuzzed, other, seed) = if bytes.len().is_multiple_of(2) {
        ("results.jsonl", "manifest.jsonl", "fuzz/seeds/batch-manifest.jsonl")
    } else {
        ("manifest.jsonl", "results.jsonl", "fuzz/seeds/batch-results.jsonl")
    };
    std::fs::write(dir.join(fuzzed), bytes).unwrap();
    std::fs::write(dir.join(other), fixture(seed)).unwrap();
    let _ = annalist::batch::merge(&[dir], None);
}

/// The tiny BERT folder with `name` replaced by `bytes`, loaded.
fn model_file(scratch: &Scratch, name: &str, bytes: &[u8]) {
    for file in ["config.json", "vocab.txt"] {
        std::fs::write(scratch.model.join(file), fixture(&format!("tiny-bert/{file}"))).unwrap();
    }
    std::fs::write(scratch.model.join(name), bytes).unwrap();
    let _ = annalist::model::Model::load(&scratch.model, tch::Device::Cpu);
}

fn model_config(scratch: &Scratch, bytes: &[u8]) {
    model_file(scratch, "config.json", bytes)
}

fn model_vocab(scratch: &Scratch, bytes: &[u8]) {
    model_file(scratch, "vocab.txt", bytes)
}

/// xorshift64*: enough randomness for mutation, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens that readers treat specially.
const TOKENS: &[&[u8]] = &[
    b"\xEF\xBB\xBF",
    b"\0",
    b"\xFF\xFE",
    b"\xC3",
    b"\xE2\x80",
    b"\r\n",
    b"\n\n",
    b"\t",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\u0000",
    b"\\ud800",
    b"<",
    b">",
    b"</TIMEX3>",
    b"<TIMEX3 tid=\"t9\" type=\"DATE\" value=\"2025-W53\">",
    b"&amp;",
    b"&#0;",
    b"# sent_id = x",
    b"1-2\t",
    b"_\t",
    b"-DOCSTART-",
    b"|",
    b"2025-02-29",
    b"9999-99-99",
    b"Monday",
    b"last week",
    b"next month",
    b"the 1990s",
    b"99999999999999999999",
    b"-1",
    b"\xE2\x80\x93",
    b"\xF0\x9F\x98\x80",
    b"U.S.",
    b"\"published\": ",
    b"\"text\": ",
    b"\"id\": ",
    b"null",
    b"1e999",
    b"MORE ON THEME",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(4) {
        let len = input.len();
        match rng.below(10) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len + 1);
                let byte = rng.next() as u8;
                input.insert(i, byte);
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(64));
                input.drain(i..i + n);
            }
            3 | 4 => {
                let i = rng.below(len + 1);
                let token = TOKENS[rng.below(TOKENS.len())];
                input.splice(i..i, token.iter().copied());
            }
            5 if len > 0 => {
                // A block repeated: long lines, deep nesting, enormous inputs.
                let i = rng.below(len);
                let n = 1 + rng.below((len - i).min(16));
                let block = input[i..i + n].to_vec();
                let times = 1 << rng.below(12);
                let at = rng.below(len + 1);
                input.splice(at..at, block.iter().copied().cycle().take(n * times));
            }
            6 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let i = rng.below(other.len());
                    let n = 1 + rng.below(other.len() - i);
                    let at = rng.below(len + 1);
                    input.splice(at..at, other[i..i + n].iter().copied());
                }
            }
            7 if len > 0 => input.truncate(rng.below(len)),
            _ => {
                let i = rng.below(len + 1);
                const PUNCTUATION: &[u8] = b" \n.,:;0123456789-/\"{}[]<>";
                let byte = PUNCTUATION[rng.below(PUNCTUATION.len())];
                input.insert(i, byte);
            }
        }
    }
    input.truncate(1 << 20);
}

fn scratch() -> Scratch {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    std::fs::create_dir(&model).unwrap();
    for f in ["config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"] {
        std::fs::copy(Path::new(FIXTURES).join("tiny-bert").join(f), model.join(f)).unwrap();
    }
    Scratch { dir, model }
}

thread_local! {
    /// Set while a target runs: its panics are findings, not printed as they happen.
    static IN_TARGET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `target` on `input`; the panic message if it panicked.
fn check(target: &Target, scratch: &Scratch, input: &[u8]) -> Option<String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_TARGET.get() {
                default(info)
            }
        }));
    });
    IN_TARGET.set(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (target.run)(scratch, input)));
    IN_TARGET.set(false);
    result.err().map(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn fuzz_readers() {
    let secs: f64 = std::env::var("ANNALIST_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4.0);
    let seed: u64 = std::env::var("ANNALIST_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("fuzz: seed {seed}, {secs} s");
    let targets = targets();
    let scratch = scratch();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../fuzz-crashers");
    std::fs::create_dir_all(&out).unwrap();
    let mut rng = Rng(seed | 1);
    let started = Instant::now();
    let (mut runs, mut slowest) = (vec![0u64; targets.len()], vec![Duration::ZERO; targets.len()]);
    let mut crashers = Vec::new();
    while started.elapsed().as_secs_f64() < secs {
        let t = rng.below(targets.len());
        let target = &targets[t];
        let mut input = target.seeds[rng.below(target.seeds.len())].clone();
        mutate(&mut rng, &target.seeds, &mut input);
        // The input in flight, kept where a crash that aborts the process (a stack
        // overflow) leaves it.
        std::fs::write(out.join("in-flight"), &input).unwrap();
        let began = Instant::now();
        let panic = check(target, &scratch, &input);
        slowest[t] = slowest[t].max(began.elapsed());
        runs[t] += 1;
        if let Some(message) = panic {
            let path = out.join(format!("{}-{:016x}", target.name, rng.next()));
            std::fs::write(&path, &input).unwrap();
            crashers.push(format!("{}: {message}", path.display()));
        }
    }
    for (t, target) in targets.iter().enumerate() {
        eprintln!(
            "fuzz: {:<13} {:>9} runs, slowest {:.3} s",
            target.name,
            runs[t],
            slowest[t].as_secs_f64()
        );
    }
    eprintln!(
        "fuzz: {} runs in {:.0} s, {} crashers",
        runs.iter().sum::<u64>(),
        started.elapsed().as_secs_f64(),
        crashers.len()
    );
    assert!(
        crashers.is_empty(),
        "crashers (kept under {}):\n{}",
        out.display(),
        crashers.join("\n")
    );
}

/// The crashers earlier runs found, replayed through their targets.
#[test]
fn crashers_stay_fixed() {
    let targets = targets();
    let scratch = scratch();
    let dir = Path::new(FIXTURES).join("fuzz/crashers");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).into_iter().flatten() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let target = targets
            .iter()
            .find(|t| name.starts_with(&format!("{}-", t.name)))
            .unwrap_or_else(|| panic!("{name}: no such target"));
        let input = std::fs::read(&path).unwrap();
        assert_eq!(check(target, &scratch, &input), None, "{name}");
        replayed += 1;
    }
    eprintln!("{replayed} crashers replayed");
}
