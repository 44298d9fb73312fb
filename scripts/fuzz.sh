#!/bin/sh
# The long fuzz run: the hypothesis suite in tests/fuzz with the "long" profile
# (random seeds, WIRETRACE_FUZZ_EXAMPLES examples per test, default 3000), niced.
# Extra arguments go to pytest (e.g. -k quotes, or -x to stop at the first crash).
# A crash prints its minimal input and a @reproduce_failure blob; failing inputs
# are also kept in .hypothesis/ and tried first on the next run.
#   scripts/fuzz.sh                              # everything, 3000 examples each
#   WIRETRACE_FUZZ_EXAMPLES=20000 scripts/fuzz.sh -k extract_quotes
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
export WIRETRACE_FUZZ_PROFILE=long
exec nice -n 10 "$PY" -m pytest -q tests/fuzz -p no:cacheprovider --hypothesis-show-statistics "$@"
