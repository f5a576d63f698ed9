"""Smoke test of the benchmarks at a tiny size: they run, print their tables, write results.

No timing is asserted. Peers that are not installed (mathruler, math-verify, TRL) are
skipped by the benchmarks themselves, with a note in the printout.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench_data() -> Iterator[ModuleType]:
    """The benchmarks' data module, imported from the benchmarks directory."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield importlib.import_module("bench_data")
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_run_all_quick(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "run_all.py"),
            "--quick",
            "--no-plot",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for title in ("Throughput", "Correctness", "Scaling", "Adapter overhead", "Import", "Targets"):
        assert f"## {title}" in done.stdout
    figures = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert figures["correctness"]["default_false_positives"] == []
    assert figures["correctness"]["paper_mode_mismatches"] == 0
    assert figures["import"]["import"]["forbidden_imported"] == []
    assert (tmp_path / "results.md").read_text(encoding="utf-8").startswith("## Machine")


def test_local_generator_labels_agree_with_default_mode(bench_data: ModuleType) -> None:
    import ssrl_rewards as sr  # noqa: PLC0415

    rows = bench_data.generate(300, seed=11, reasoning_tokens=30)
    assert rows == bench_data.generate(300, seed=11, reasoning_tokens=30)
    assert {r["kind"] for r in rows} >= {"right", "wrong", "hedge", "box_in_think", "truncated"}
    for row in rows:
        result = sr.score(row["completion"], row["ground_truth"], row["task"], prompt=row["prompt"])
        assert result.accuracy == row["expected_accuracy"], row


def test_hostile_builders_have_the_requested_size(bench_data: ModuleType) -> None:
    for build in (bench_data.benign, *bench_data.hostile_families().values()):
        text = build(4096)
        assert 4096 <= len(text) <= 4096 + 64


def test_cli_benchmark_runs_and_both_worker_counts_agree() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_cli.py"), "--rows", "200", "--tokens", "20"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=BENCHMARKS,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| 1       |" in done.stdout and "| 2       |" in done.stdout
    assert "Same report with 1 and 2 workers: yes" in done.stdout
    if importlib.util.find_spec("pyarrow") is None:
        assert "Parquet: skipped (pyarrow is not installed)" in done.stdout
    else:
        parquet = done.stdout.split("The same rows as Parquet, all in one row group")[1]
        assert "| 1       |" in parquet and "| 2       |" in parquet
        assert "Same report from Parquet as from JSONL: yes" in parquet
