#!/usr/bin/env bash
# Speed of annalist's batch NER against the Hugging Face `transformers`
# token-classification pipeline, on CPU, same weights (models/ner), same sentences:
# the TempEval-3 TBAQ news texts ($SHARED/data/tempeval3/TBAQ-cleaned, SHARED defaults
# to ../shared beside the repository). annalist's time is its whole `batch` run, model
# loading included; HF's is the pipeline calls only, at each batch size, the best one
# counting. Also prints how many entities the two agree on exactly (scripts/compare_hf.py).
#   scripts/compare-hf.sh [--limit N] [--batch-tokens N] [--scope S] [--hf-batch-sizes 1,8,32] [--show-diffs N]
#     --limit N           only the first N documents (of 257)
#     --batch-tokens N    passed to `annalist batch`
#     --scope S           passed to `annalist batch`; default sentence, as HF gets them
#                         (document gives annalist's NER context across sentences)
#     --hf-batch-sizes L  pipeline batch sizes to try (default 1,8,32)
#     --show-diffs N      list up to N entities only annalist found, and N only HF found
#   HF_VENV=DIR  keep (and reuse) the Python venv in DIR instead of a temporary one
#                (scripts/hf-venv.sh; it can be make-tiny-checkpoints.sh's TINY_VENV).
# Needs target/release/annalist (cargo build --release) and scripts/setup.sh's torch.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tbaq=${SHARED:-$root/../shared}/data/tempeval3/TBAQ-cleaned
bin=$root/target/release/annalist
docs_args=() batch_args=() compare_args=() scope=sentence
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "compare-hf: $1 needs a value" >&2; exit 2; }
  case $1 in
    --limit) docs_args+=(--limit "$2") ;;
    --batch-tokens) batch_args+=(--batch-tokens "$2") ;;
    --scope) scope=$2 ;;
    --hf-batch-sizes) compare_args+=(--batch-sizes "$2") ;;
    --show-diffs) compare_args+=(--show-diffs "$2") ;;
    *) echo "compare-hf: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift 2
done
[ -x "$bin" ] || { echo "compare-hf: no $bin; cargo build --release first" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$root/scripts/hf-venv.sh"
venv=${HF_VENV:-$tmp/venv}
hf_venv "$venv"
export HF_HUB_OFFLINE=1 TRANSFORMERS_VERBOSITY=error HF_HUB_DISABLE_PROGRESS_BARS=1
py=("$venv/bin/python" "$root/scripts/compare_hf.py")

"${py[@]}" docs "$tbaq" "$tmp/docs.jsonl" "${docs_args[@]}"
start=$(date +%s.%N)
"$bin" batch --input "$tmp/docs.jsonl" --output-dir "$tmp/out" --model "$root/models/ner" --device cpu --scope "$scope" "${batch_args[@]}" >&2
seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
"${py[@]}" compare "$tmp/out/results.jsonl" "$root/models/ner" --annalist-seconds "$seconds" "${compare_args[@]}"
