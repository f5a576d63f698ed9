"""Throughput on one GRPO step: completions per second and the ratio to the published reward.

A step is GRPO groups of five completions sharing a prompt and ground truth
(`bench_data.grpo_step`). Every round scores a fresh step (a new seed: new prompts and
answers, as in training; our caches stay warm across rounds as they do across steps).
Slow peers (math-verify, TRL) score the first ``peer_n`` rows of the same step; rates
are per completion.

    python benchmarks/bench_throughput.py [--quick]
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from typing import Any

import bench_common as bc
import bench_data
import bench_peers

import ssrl_rewards as sr

Row = dict[str, Any]
REFERENCE = "published img_score"


def methods(peers: bool) -> dict[str, tuple[Callable[[Sequence[Row]], Any], bool]]:
    """Name -> (scorer over rows, is it a slow peer scored on a subset)."""
    paper = sr.RewardConfig(mode="paper")

    def ours(config: sr.RewardConfig | None) -> Callable[[Sequence[Row]], Any]:
        def run(rows: Sequence[Row]) -> Any:
            return sr.score_batch(
                [r["completion"] for r in rows],
                [r["ground_truth"] for r in rows],
                [r["task"] for r in rows],
                prompts=[r["prompt"] for r in rows],
                config=config,
            )

        return run

    out: dict[str, tuple[Callable[[Sequence[Row]], Any], bool]] = {
        "ssrl_rewards default": (ours(None), False),
        "ssrl_rewards paper": (ours(paper), False),
    }
    out[REFERENCE] = (bench_peers.published_scorer(), False)
    if peers:
        for name, loader in (
            ("math-verify parse+verify", bench_peers.math_verify_scorer),
            ("TRL accuracy_reward", bench_peers.trl_scorer),
        ):
            scorer = loader()
            if scorer is not None:
                out[name] = (scorer, True)
    return out


def run(
    report: bc.Report,
    *,
    n: int,
    token_lengths: Sequence[int],
    rounds: int,
    peer_n: int,
    peers: bool = True,
    source: str = "auto",
) -> dict[str, Any]:
    """Measure every method at every reasoning length; add a table per length to `report`."""
    scorers = methods(peers)
    missing = [
        name
        for name, module in (
            ("math-verify", "math_verify"),
            ("TRL accuracy_reward", "trl"),
        )
        if not bench_peers.available(module)
    ]
    figures: dict[str, Any] = {}
    for tokens in token_lengths:
        warm, generator = bench_data.grpo_step(n, seed=999, reasoning_tokens=tokens, source=source)
        for scorer, slow in scorers.values():
            scorer(warm[:peer_n] if slow else warm)
        times: dict[str, list[float]] = {name: [] for name in scorers}
        counts = {name: (min(peer_n, n) if slow else n) for name, (_, slow) in scorers.items()}
        chars = 0
        names = list(scorers)
        for index in range(rounds):
            rows, _ = bench_data.grpo_step(
                n, seed=1000 + index, reasoning_tokens=tokens, source=source
            )
            chars = sorted(len(r["completion"]) for r in rows)[len(rows) // 2]
            shift = index % len(names)
            for name in names[shift:] + names[:shift]:
                scorer, slow = scorers[name]
                subset = rows[:peer_n] if slow else rows
                times[name].append(bc.timed(lambda s=scorer, b=subset: s(b)))
        per_item = {name: [t / counts[name] for t in ts] for name, ts in times.items()}
        table_rows = []
        level: dict[str, Any] = {}
        for name in names:
            rate = 1.0 / bc.median(per_item[name])
            ratio = (
                bc.median_ratio(per_item[REFERENCE], per_item[name])
                if REFERENCE in per_item
                else float("nan")
            )
            level[name] = {"per_s": rate, "vs_published": ratio, "us_each": 1e6 / rate}
            table_rows.append(
                (
                    name,
                    counts[name],
                    bc.fmt(rate),
                    bc.fmt(1e6 / rate),
                    bc.fmt(ratio) + "x" if not math.isnan(ratio) else "-",
                )
            )
        figures[str(tokens)] = level
        note = (
            f"{n} completions per step in GRPO groups of 5, ~{tokens} tokens of reasoning"
            f" (median {chars:,} chars),"
            f" generator `{generator}`, published extractor {bench_peers.extractor()[1]};"
            f" median of {rounds} interleaved rounds, each on a fresh"
            " step. Ratio = median over rounds of (method rate / published rate)."
        )
        if missing:
            note += " Not installed, skipped: " + ", ".join(missing) + "."
        report.section(
            f"Throughput, one GRPO step, ~{tokens} tokens",
            note
            + "\n\n"
            + bc.table(
                ("method", "scored/round", "completions/s", "µs each", "vs published"),
                table_rows,
            ),
        )
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny smoke size")
    args = parser.parse_args(argv)
    report = bc.Report()
    if args.quick:
        run(report, n=40, token_lengths=(100,), rounds=2, peer_n=10)
    else:
        run(report, n=1280, token_lengths=(100, 400, 4000), rounds=5, peer_n=128)


if __name__ == "__main__":
    main()
