"""Command-line throughput: ``ssrl-rewards score`` on generated rollouts, 1 and 2 workers.

    python benchmarks/bench_cli.py              # 100,000 rows of ~400 tokens
    python benchmarks/bench_cli.py --rows 2000  # a quick run

Writes the rows (from `ssrl_rewards.synthetic`) to a temporary JSONL file, runs the real
console entry point in a fresh interpreter for each worker count, and prints rows per
second (wall time of the whole command: start-up, reading, scoring, report) and the peak
resident memory of its largest process (the command or one of its workers). Also checks
that both runs print the same report.

With pyarrow installed, the same rows are then written as Parquet in ONE row group (the
worst case for memory: pyarrow's writer puts up to ~1M rows in a group) and timed the same
way; the report must match the JSONL one.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench_common import table

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the checkout beside this file, not an installed copy
    sys.path.insert(0, str(ROOT))

from ssrl_rewards.synthetic import iter_rows  # noqa: E402


def write_rows(path: Path, rows: int, reasoning_tokens: int) -> int:
    """Write `rows` generated rollouts as JSONL; returns the file's size in bytes."""
    with path.open("w", encoding="utf-8") as handle:
        for row in iter_rows(rows, seed=11, reasoning_tokens=reasoning_tokens):
            handle.write(json.dumps(row.sample_record()) + "\n")
    return path.stat().st_size


def write_parquet(jsonl: Path, path: Path) -> int | None:
    """The JSONL rows as Parquet in one row group; its size in bytes (None: no pyarrow)."""
    if importlib.util.find_spec("pyarrow") is None:
        return None
    import pyarrow.json as pj  # noqa: PLC0415 - optional
    import pyarrow.parquet as pq  # noqa: PLC0415

    rows = pj.read_json(jsonl)
    pq.write_table(rows, path, row_group_size=max(rows.num_rows, 1))
    return path.stat().st_size


def run_cli(path: Path, workers: int) -> tuple[float, float, str]:
    """(seconds, peak RSS in MiB of the largest process of the command, JSON report)."""
    command = [sys.executable, "-m", "ssrl_rewards", "score", str(path), "--json", "--quiet"]
    command += ["--workers", str(workers)]
    # A fresh interpreter per run, measured by a wrapper so that ru_maxrss of the
    # children counts this run only.
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "out = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True).stdout\n"
        "elapsed = time.perf_counter() - start\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(elapsed, rss)\n"
        "sys.stdout.write(out)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *command],
        capture_output=True,
        text=True,
        check=True,
        env=_env_with_checkout(),
    )
    head, _, report = done.stdout.partition("\n")
    seconds, rss_kib = head.split()
    return float(seconds), int(rss_kib) / 1024, report


def _env_with_checkout() -> dict[str, str]:
    """The environment with this checkout first on the import path, so the command timed is
    the code beside this benchmark (not whatever copy is installed)."""
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tokens", type=int, default=400, help="reasoning tokens per row")
    args = parser.parse_args(argv)
    headers = ("workers", "rows/s", "seconds", "peak RSS MiB, largest process")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rollouts.jsonl"
        size = write_rows(path, args.rows, args.tokens)
        figures, reports = timed_runs(path, args.rows)
        parquet = Path(tmp) / "rollouts.parquet"
        parquet_size = write_parquet(path, parquet)
        parquet_figures: list[tuple[str, ...]] = []
        parquet_reports: set[str] = set()
        if parquet_size is not None:
            parquet_figures, parquet_reports = timed_runs(parquet, args.rows)
    print(
        f"ssrl-rewards score on {args.rows:,} generated rows (~{args.tokens} tokens of reasoning,"
        f" {size / 2**20:.0f} MiB JSONL); {os.cpu_count()} logical CPUs.\n"
    )
    print(table(headers, figures))
    print("\nSame report with 1 and 2 workers:", "yes" if len(reports) == 1 else "NO")
    if parquet_size is None:
        print("\nParquet: skipped (pyarrow is not installed)")
        return
    print(f"\nThe same rows as Parquet, all in one row group ({parquet_size / 2**20:.1f} MiB):\n")
    print(table(headers, parquet_figures))
    same = {_without_source(report) for report in reports | parquet_reports}
    print("\nSame report from Parquet as from JSONL:", "yes" if len(same) == 1 else "NO")


def timed_runs(path: Path, rows: int) -> tuple[list[tuple[str, ...]], set[str]]:
    """Table rows (workers, rows/s, seconds, peak MiB) for 1 and 2 workers; the reports."""
    figures: list[tuple[str, ...]] = []
    reports = set()
    for workers in (1, 2):
        seconds, rss, report = run_cli(path, workers)
        reports.add(report)
        figures.append((str(workers), f"{rows / seconds:,.0f}", f"{seconds:.1f}", f"{rss:.0f}"))
    return figures, reports


def _without_source(report: str) -> str:
    """A JSON report without its source line (the file name), to compare two files."""
    document = json.loads(report)
    document.pop("source", None)
    return json.dumps(document, sort_keys=True)


if __name__ == "__main__":
    main()
