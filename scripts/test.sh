#!/usr/bin/env bash
# Set up everything the tests need (venv with the test, nlp, spark, tables and embeddings extras, Debian's
# Chromium for the browser tests, Java for local Spark) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test,nlp,spark,tables,embeddings
# Debian packages the tests drive for real: Chromium (browser tests), a Java runtime (local Spark).
pkgs=""
[ -x /usr/bin/chromium ] || pkgs="$pkgs chromium chromium-driver"
command -v java >/dev/null 2>&1 || pkgs="$pkgs openjdk-17-jre-headless"
if [ -n "$pkgs" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $pkgs >/dev/null
fi
exec .venv/bin/python -m pytest -q "$@"
