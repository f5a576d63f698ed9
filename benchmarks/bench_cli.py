"""Command-line throughput: ``ssrl-rewards score`` on generated rollouts, 1 and 2 workers.

    python benchmarks/bench_cli.py              # 100,000 rows of ~400 tokens
    python benchmarks/bench_cli.py --rows 2000  # a quick run

Writes the rows (from `ssrl_rewards.synthetic`) to a temporary JSONL file, runs the real
console entry point in a fresh interpreter for each worker count, and prints rows per
second (wall time of the whole command: start-up, reading, scoring, report) and the peak
resident memory of its largest process (the command or one of its workers). Also checks
that both runs print the same report.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench_common import table

from ssrl_rewards.synthetic import iter_rows


def write_rows(path: Path, rows: int, reasoning_tokens: int) -> int:
    """Write `rows` generated rollouts as JSONL; returns the file's size in bytes."""
    with path.open("w", encoding="utf-8") as handle:
        for row in iter_rows(rows, seed=11, reasoning_tokens=reasoning_tokens):
            handle.write(json.dumps(row.sample_record()) + "\n")
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
        [sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True
    )
    head, _, report = done.stdout.partition("\n")
    seconds, rss_kib = head.split()
    return float(seconds), int(rss_kib) / 1024, report


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tokens", type=int, default=400, help="reasoning tokens per row")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rollouts.jsonl"
        size = write_rows(path, args.rows, args.tokens)
        figures = []
        reports = set()
        for workers in (1, 2):
            seconds, rss, report = run_cli(path, workers)
            reports.add(report)
            figures.append(
                (str(workers), f"{args.rows / seconds:,.0f}", f"{seconds:.1f}", f"{rss:.0f}")
            )
    print(
        f"ssrl-rewards score on {args.rows:,} generated rows (~{args.tokens} tokens of reasoning,"
        f" {size / 2**20:.0f} MiB JSONL); {os.cpu_count()} logical CPUs.\n"
    )
    print(table(("workers", "rows/s", "seconds", "peak RSS MiB, largest process"), figures))
    print("\nSame report with 1 and 2 workers:", "yes" if len(reports) == 1 else "NO")


if __name__ == "__main__":
    main()
