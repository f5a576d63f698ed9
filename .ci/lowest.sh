#!/usr/bin/env bash
# The core test suite (no trainers) on the lowest dependency versions pyproject.toml declares
# (.ci/lowest-constraints.txt), so the declared minimums are ones the tests really pass on.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.ci-venv-lowest
python3 -m venv --clear "$venv"
# shellcheck disable=SC1091
. "$venv/bin/activate"
python -m pip install --quiet --upgrade pip
pip install --quiet -c .ci/lowest-constraints.txt -e ".[test]"
python - <<'PY'
from importlib.metadata import version

pins = {}
for line in open(".ci/lowest-constraints.txt"):
    line = line.split("#")[0].strip()
    if line:
        name, _, pin = line.partition("==")
        pins[name] = pin
found = {name: version(name) for name in pins}
wrong = {name: (pins[name], found[name]) for name in pins if found[name] != pins[name]}
if wrong:
    raise SystemExit(f"lowest-version environment did not install the pins: {wrong}")
print("lowest versions:", ", ".join(f"{n} {v}" for n, v in found.items()))
PY
# Not CI=true here: the trainer-driven tests (Ray, torch) are the integration environment's job.
env -u CI python -m pytest tests --ignore=tests/integrations -q -p no:cacheprovider -m "not slow"
