"""Import cost of ``ssrl_rewards`` (in fresh subprocesses) and peak memory scoring one step.

Import time and memory are measured in a new interpreter per round, against importing
the math graders the alternatives need (``math_verify``, ``mathruler``) when installed.
The printout states which heavy packages ``import ssrl_rewards`` pulls in; scipy, torch
and the trainer packages must not be among them. Peak memory while scoring a step is the
tracemalloc peak, next to the published reward's on the same rows.

    python benchmarks/bench_import.py [--quick]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tracemalloc
from collections.abc import Sequence
from typing import Any

import bench_common as bc
import bench_data
import bench_peers

import ssrl_rewards as sr

HEAVY = ("scipy", "torch", "trl", "transformers", "verl", "ray", "sympy", "numpy", "pydantic")
FORBIDDEN = ("scipy", "torch", "trl", "transformers", "verl", "ray")
_PROBE = """
import json, os, resource, sys, time, tracemalloc
name, trace = sys.argv[1], sys.argv[3] == "trace"
def rss_kib():
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
before = rss_kib()
if trace:
    tracemalloc.start()
start = time.perf_counter()
__import__(name)
elapsed = time.perf_counter() - start
traced = tracemalloc.get_traced_memory()[1] if trace else 0
after = rss_kib()
heavy = sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules)
print(json.dumps({"seconds": elapsed, "rss_kib": after - before, "traced": traced,
                  "heavy": heavy}))
"""


def _probe(module: str, mode: str) -> dict[str, Any]:
    """Import `module` in a new interpreter (``mode`` ``time`` or ``trace``, tracemalloc on)."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, module, json.dumps(HEAVY), mode],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def import_cost(report: bc.Report, rounds: int) -> dict[str, Any]:
    """Median import figures for ssrl_rewards and the peers' graders, interleaved."""
    modules = ["ssrl_rewards"] + [
        m for m in ("math_verify", "mathruler.grader") if importlib.util.find_spec(m.split(".")[0])
    ]
    samples: dict[str, list[dict[str, Any]]] = {m: [] for m in modules}
    traces: dict[str, list[dict[str, Any]]] = {m: [] for m in modules}
    for index in range(rounds):
        shift = index % len(modules)
        for module in modules[shift:] + modules[:shift]:
            samples[module].append(_probe(module, "time"))
            traces[module].append(_probe(module, "trace"))
    rows = []
    figures: dict[str, Any] = {}
    ours_time = bc.median([s["seconds"] for s in samples["ssrl_rewards"]])
    for module in modules:
        seconds = bc.median([s["seconds"] for s in samples[module]])
        rss = bc.median([s["rss_kib"] for s in samples[module]]) / 1024
        traced = bc.median([s["traced"] for s in traces[module]]) / 1_048_576
        heavy = samples[module][-1]["heavy"]
        figures[module] = {
            "ms": seconds * 1e3,
            "rss_mib": rss,
            "traced_mib": traced,
            "heavy": heavy,
        }
        rows.append(
            (
                f"import {module}",
                bc.fmt(seconds * 1e3),
                bc.fmt(seconds / ours_time) + "x",
                bc.fmt(rss),
                bc.fmt(traced),
                ", ".join(heavy) or "none",
            )
        )
    pulled = set(figures["ssrl_rewards"]["heavy"])
    bad = sorted(pulled & set(FORBIDDEN))
    figures["forbidden_imported"] = bad
    verdict = (
        f"FORBIDDEN MODULES IMPORTED: {', '.join(bad)}"
        if bad
        else "`import ssrl_rewards` imports none of scipy, torch, trl, transformers, verl, ray."
    )
    report.section(
        "Import",
        f"Fresh interpreter per measurement, median of {rounds} interleaved rounds. RSS ="
        " growth of the resident set; traced = tracemalloc peak during the import"
        " (measured in separate runs: tracing slows imports down).\n\n"
        + bc.table(
            ("import", "ms", "vs ssrl_rewards", "RSS MiB", "traced MiB", "heavy modules loaded"),
            rows,
        )
        + f"\n\n{verdict}",
    )
    return figures


def peak_memory(report: bc.Report, n: int) -> dict[str, Any]:
    """tracemalloc peak while scoring one step, ours and the published reward."""
    rows, generator = bench_data.grpo_step(n, seed=5, reasoning_tokens=400)
    completions = [r["completion"] for r in rows]
    truths = [r["ground_truth"] for r in rows]
    tasks = [r["task"] for r in rows]
    prompts = [r["prompt"] for r in rows]
    published = bench_peers.published_reward()
    runs = {
        "ssrl_rewards score_batch, default": lambda: sr.score_batch(
            completions, truths, tasks, prompts=prompts
        ),
        "ssrl_rewards score_batch, paper": lambda: sr.score_batch(
            completions, truths, tasks, prompts=prompts, config=sr.RewardConfig(mode="paper")
        ),
        "published img_score": lambda: [
            published(c, g) for c, g in zip(completions, truths, strict=True)
        ],
    }
    figures = {}
    table_rows = []
    for name, fn in runs.items():
        fn()  # fill caches first: the steady state of a training run
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        figures[name] = peak / 1024
        table_rows.append((name, bc.fmt(peak / 1024), bc.fmt(peak / n)))
    batch_kib = sum(len(c) for c in completions) / 1024
    report.section(
        "Peak memory scoring one step",
        f"{n} completions (~400 tokens, generator `{generator}`, {bc.fmt(batch_kib)} KiB of"
        " text, not counted); tracemalloc peak of one call after a warm-up call.\n\n"
        + bc.table(("scorer", "peak KiB", "bytes per completion"), table_rows),
    )
    return figures


def run(report: bc.Report, *, n: int, rounds: int) -> dict[str, Any]:
    """Import cost and peak memory."""
    return {"import": import_cost(report, rounds), "peak_kib": peak_memory(report, n)}


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny smoke size")
    args = parser.parse_args(argv)
    run(bc.Report(), n=40 if args.quick else 1280, rounds=1 if args.quick else 3)


if __name__ == "__main__":
    main()
