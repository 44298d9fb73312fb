#!/usr/bin/env bash
# Create .venv/ in the repo root and install wiretrace into it (idempotent).
# Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh test,nlp
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
spec="."
if [ -n "${1:-}" ]; then spec=".[$1]"; fi
# The embeddings extra needs torch: its CPU build first (torch 2.13.0; a plain install of
# sentence-transformers pulls the CUDA build, gigabytes). TORCH_SPEC overrides the pin.
case ",${1:-}," in
  *,embeddings,*) .venv/bin/python -m pip install -q "${TORCH_SPEC:-torch==2.13.0}" ;;
esac
.venv/bin/python -m pip install -q -e "$spec"
