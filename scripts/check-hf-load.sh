#!/usr/bin/env bash
# Checks that `transformers` still loads models/ner as a token classifier, and that its
# tags (with the case token types annalist gives) match annalist's on CoNLL-2003 valid,
# one sentence at a time. Extra heads are extra tensors, which transformers ignores.
#   scripts/check-hf-load.sh [MODEL_DIR] [--limit N]      HF_VENV=DIR reuses a venv
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
model=${1:-$root/models/ner}
shift || true
valid=${SHARED:-$root/../shared}/data/conll2003/valid.txt
venv=${HF_VENV:-$(mktemp -d)/venv}
# shellcheck source=scripts/hf-venv.sh
. "$root/scripts/hf-venv.sh"
hf_venv "$venv"
pred=$(mktemp)
"$root/target/release/annalist" ner --device cpu --scope sentence --model "$model" --conll "$valid" --output "$pred"
"$venv/bin/python" "$root/scripts/check_hf_load.py" "$model" "$pred" "$@"
