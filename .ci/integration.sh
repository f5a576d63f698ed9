#!/usr/bin/env bash
# Integration suite: our reward hooks driven by the real trainers' code on CPU.
#
# Builds its own virtualenv (.ci-venv-integration) with torch 2.13.0 (CPU build, pinned by
# .ci/integration-constraints.txt for every later install), then this project with its
# `test` and `integration` extras (TRL, verl 0.9.1, Ray), OpenRLHF without dependencies (its flash-attn requirement
# cannot build without CUDA; the reward path needs only aiohttp) and ms-swift without
# dependencies (it pins trl<1.0; its reward path needs four small packages), verifiers 0.4.0
# (v1 API; needs neither torch nor a GPU). Then runs
# tests/integrations with CI=true, where a skipped test counts as a failure.
#
# `--install-only` stops after the installs: `.ci/run` uses that to run the README's test
# command (the whole suite, integration tests included) in this environment.
set -euo pipefail
cd "$(dirname "$0")/.."
install_only=false
[ "${1:-}" = "--install-only" ] && install_only=true
start=$(date +%s)
venv=.ci-venv-integration
constraints=.ci/integration-constraints.txt

step() { echo "== [integration $(( $(date +%s) - start )) s] $*"; }

step "virtualenv $venv"
python3 -m venv --clear "$venv"
# shellcheck disable=SC1091
. "$venv/bin/activate"
python -m pip install --quiet --upgrade pip

step "torch 2.13.0 (CPU)"
pip install --quiet -c "$constraints" torch==2.13.0
step "this project with its test and integration extras (trl, verl 0.9.1, ray)"
pip install --quiet -c "$constraints" -e ".[test,integration]"
step "OpenRLHF 0.11.2 (no deps) and its reward-path needs"
pip install --quiet -c "$constraints" --no-deps "openrlhf==0.11.2"
pip install --quiet -c "$constraints" aiohttp pylatexenc
step "ms-swift 4.6.0 (no deps: it pins trl<1.0, which pip reports as a conflict) and its reward-path needs"
pip install --quiet -c "$constraints" --no-deps "ms-swift==4.6.0"
pip install --quiet -c "$constraints" dacite modelscope json_repair msgspec
step "verifiers 0.4.0 (its own pins resolve beside the torch pin: it needs no torch)"
pip install --quiet -c "$constraints" "verifiers==0.4.0"

python - <<'PY'
from importlib.metadata import version

import torch

if not torch.__version__.endswith("+cpu"):
    raise SystemExit(f"expected the CPU build of torch, found {torch.__version__}")
names = ["torch", "trl", "transformers", "accelerate", "datasets", "verl", "ray", "openrlhf"]
names += ["ms-swift", "verifiers"]
print("versions:", ", ".join(f"{n} {version(n)}" for n in names))
PY

if [ "$install_only" = true ]; then
    step "installed (tests left to the caller)"
    exit 0
fi

step "pytest tests/integrations (CI=true: skips fail)"
export CI=true HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false RAY_USAGE_STATS_ENABLED=0
set +e
python -m pytest tests/integrations -p no:cacheprovider -q
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "integration pytest collected no tests: failing" >&2
    exit 1
fi
step "done (pytest exit $status)"
exit "$status"
