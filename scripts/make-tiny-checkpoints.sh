#!/usr/bin/env bash
# Regenerates tests/fixtures/tiny-{bert,distilbert,roberta}/ and tiny-expected.json
# (see scripts/make-tiny-checkpoints.py) in a throwaway venv (scripts/hf-venv.sh):
# `transformers` and `tokenizers` from PyPI, torch reused from the venv scripts/setup.sh made.
#   TINY_VENV=DIR  keep (and reuse) the venv in DIR instead of a temporary one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/hf-venv.sh"
if [ -n "${TINY_VENV:-}" ]; then
  venv=$TINY_VENV
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  venv=$tmp/venv
fi
hf_venv "$venv"

export HF_HUB_OFFLINE=1 TRANSFORMERS_VERBOSITY=error HF_HUB_DISABLE_PROGRESS_BARS=1
"$venv/bin/python" "$root/scripts/make-tiny-checkpoints.py"
