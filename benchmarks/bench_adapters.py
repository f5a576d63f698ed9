"""Adapter overhead: the TRL callable and verl's ``compute_score`` versus raw ``score``.

All three score the same rows with the same task and prompt; overhead is the median over
interleaved rounds of (adapter time / raw time) - 1.

    python benchmarks/bench_adapters.py [--quick]
"""

from __future__ import annotations

import argparse
import importlib.util
from collections.abc import Callable, Sequence
from typing import Any

import bench_common as bc
import bench_data

import ssrl_rewards as sr


def adapters(rows: Sequence[dict[str, Any]]) -> tuple[dict[str, Callable[[], Any]], list[str]]:
    """Name -> zero-argument call scoring every row; and notes on adapters that are absent."""
    completions = [r["completion"] for r in rows]
    truths = [r["ground_truth"] for r in rows]
    tasks = [r["task"] for r in rows]
    prompts = [r["prompt"] for r in rows]
    sources = [f"spatial_ssrl/{t}" for t in tasks]
    extras = [{"task": t, "prompt": p} for t, p in zip(tasks, prompts, strict=True)]
    calls: dict[str, Callable[[], Any]] = {
        "raw score": lambda: [
            sr.score(c, g, t, prompt=p).score
            for c, g, t, p in zip(completions, truths, tasks, prompts, strict=True)
        ],
    }
    notes = []
    make = getattr(sr, "make_reward_fn", None)
    if make is not None:
        trl_fn = make("trl")
        calls["TRL make_reward_fn('trl')"] = lambda: trl_fn(
            prompts=prompts, completions=completions, solution=truths, task=tasks
        )
    else:
        notes.append("make_reward_fn is not in this version, TRL adapter skipped")
    if importlib.util.find_spec("ssrl_rewards.integrations.verl") is not None:
        from ssrl_rewards.integrations.verl import compute_score  # noqa: PLC0415

        calls["verl compute_score"] = lambda: [
            compute_score(s, c, g, e)["score"]
            for s, c, g, e in zip(sources, completions, truths, extras, strict=True)
        ]
    else:
        notes.append("ssrl_rewards.integrations.verl is absent, verl adapter skipped")
    return calls, notes


def run(report: bc.Report, *, n: int, rounds: int) -> dict[str, Any]:
    """Time the adapters against raw `score`; check they return the same scores."""
    rows, generator = bench_data.grpo_step(n, seed=3, reasoning_tokens=400)
    calls, notes = adapters(rows)
    reference = calls["raw score"]()
    disagree = [name for name, call in calls.items() if list(call()) != reference]
    times = bc.interleaved(calls, rounds)
    figures: dict[str, Any] = {}
    table_rows = []
    for name in calls:
        overhead = bc.median_ratio(times[name], times["raw score"]) - 1.0
        per = bc.median(times[name]) / n * 1e6
        figures[name] = {"us_each": per, "overhead": overhead}
        table_rows.append((name, bc.fmt(per), f"{100 * overhead:+.1f}%"))
    body = (
        f"{n} completions (~400 tokens, generator `{generator}`), task and prompt passed to"
        f" each; median of {rounds} interleaved rounds.\n\n"
        + bc.table(("call", "µs each", "overhead vs raw score"), table_rows)
    )
    if disagree:
        body += "\n\nSCORES DIFFER from raw score: " + ", ".join(disagree)
    if notes:
        body += "\n\n" + "; ".join(notes) + "."
    figures["disagree"] = disagree
    report.section("Adapter overhead", body)
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny smoke size")
    args = parser.parse_args(argv)
    run(bc.Report(), n=40 if args.quick else 1280, rounds=2 if args.quick else 15)


if __name__ == "__main__":
    main()
