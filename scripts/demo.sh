#!/usr/bin/env bash
# Set up and run wiretrace on the bundled example corpus (examples/):
# writes out/analysis.json and out/report.html, prints the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p out
.venv/bin/wiretrace analyze examples --db out/wiretrace.db -o out/analysis.json
.venv/bin/wiretrace report out/analysis.json -o out/report.html
echo "open out/report.html, or: .venv/bin/wiretrace serve --db out/wiretrace.db"
