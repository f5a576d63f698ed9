"""Correctness on a labelled batch: how often each scorer pays wrong answers and refuses right ones.

A row is *right* when ``expected_accuracy`` is 1 (one final answer after the reasoning,
naming the right answer in an honest notation); every other row is *wrong* for this
table (a wrong or invalid answer, a hedge, an answer only inside the reasoning, a
truncated completion, no box). A scorer *pays* a row when its accuracy is 1.
False-positive rate = paid wrong rows / wrong rows; false-negative rate = unpaid right
rows / right rows; TRL's ``None`` (row skipped) is counted apart.

    python benchmarks/bench_correctness.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Sequence
from typing import Any

import bench_common as bc
import bench_data
import bench_peers

import ssrl_rewards as sr

Row = dict[str, Any]
TASKS = ("shuffle", "flip", "crop", "depth", "position")
# Hand-picked cases where math graders read orderings as arithmetic or sets.
MATH_CASES = (
    ("shuffle", "0-2-3-1", "0-3-2-1"),
    ("shuffle", "0-2-3-1", "0-1-2-3"),
    ("depth", "3-1-2", "3-2-1"),
    ("flip", "2-1", "1-0"),
    ("shuffle", "2,0,3,1", "0,1,2,3"),
    ("depth", "3,1,2", "1,2,3"),
    ("crop", "B", "(B)"),
)


def ours(config: sr.RewardConfig | None) -> Callable[[Sequence[Row]], list[float | None]]:
    """Accuracy of our scorer under `config`, with task and prompt passed."""

    def run(rows: Sequence[Row]) -> list[float | None]:
        return [
            sr.score(
                r["completion"], r["ground_truth"], r["task"], prompt=r["prompt"], config=config
            ).accuracy
            for r in rows
        ]

    return run


def scorers() -> tuple[dict[str, Callable[[Sequence[Row]], list[float | None]]], list[str]]:
    """The scorers to compare, and notes on the ones that are not installed."""
    out: dict[str, Callable[[Sequence[Row]], list[float | None]]] = {
        "ssrl_rewards default": ours(None),
        "ssrl_rewards paper": ours(sr.RewardConfig(mode="paper")),
        "published img_score": bench_peers.published_scorer(),
    }
    notes = []
    optional = (
        (
            "math-verify (gold 2-0-3-1)",
            lambda: bench_peers.math_verify_scorer(gold="hyphen"),
            "math-verify",
        ),
        (
            "math-verify (gold $2,0,3,1$)",
            lambda: bench_peers.math_verify_scorer(gold="comma"),
            "math-verify",
        ),
        ("mathruler grade_answer", bench_peers.grade_answer_scorer, "mathruler"),
        ("TRL accuracy_reward", bench_peers.trl_scorer, "trl"),
    )
    for name, loader, package in optional:
        scorer = loader()
        if scorer is None:
            notes.append(f"{name}: `{package}` not installed, skipped")
        else:
            out[name] = scorer
    return out, notes


def _rate(hits: int, total: int) -> str:
    return f"{100.0 * hits / total:.1f}" if total else "-"


def run(report: bc.Report, *, n: int, seed: int = 0, source: str = "auto") -> dict[str, Any]:
    """Score one labelled batch with every scorer; add the rate tables to `report`."""
    rows, generator = bench_data.labelled_batch(n, seed=seed, reasoning_tokens=400, source=source)
    methods, notes = scorers()
    verdicts = {name: fn(rows) for name, fn in methods.items()}
    figures: dict[str, Any] = {}
    table_rows = []
    for name, values in verdicts.items():
        cells: list[str] = [name]
        per_task: dict[str, Any] = {}
        for task in (*TASKS, None):
            picked = [
                (r, v)
                for r, v in zip(rows, values, strict=True)
                if task is None or r["task"] == task
            ]
            right = [v for r, v in picked if r["expected_accuracy"] == 1.0]
            wrong = [v for r, v in picked if r["expected_accuracy"] != 1.0]
            fp = sum(1 for v in wrong if v == 1.0)
            fn = sum(1 for v in right if v != 1.0 and v is not None)
            skipped = sum(1 for _, v in picked if v is None)
            per_task[task or "all"] = {
                "fp": fp,
                "wrong": len(wrong),
                "fn": fn,
                "right": len(right),
                "skipped": skipped,
            }
            if picked and skipped == len(picked):
                cells.append("all skipped")
            else:
                cells.append(f"{_rate(fp, len(wrong))} / {_rate(fn, len(right))}")
        cells.append(str(per_task["all"]["skipped"]))
        figures[name] = per_task
        table_rows.append(cells)
    kinds = sorted({r["kind"] for r in rows if r["expected_accuracy"] != 1.0})
    kind_rows = []
    for name, values in verdicts.items():
        cells = [name]
        for kind in kinds:
            picked = [v for r, v in zip(rows, values, strict=True) if r["kind"] == kind]
            cells.append(_rate(sum(1 for v in picked if v == 1.0), len(picked)))
        kind_rows.append(cells)
    counts = {kind: sum(1 for r in rows if r["kind"] == kind) for kind in kinds}

    default = verdicts["ssrl_rewards default"]
    false_paid = [
        r for r, v in zip(rows, default, strict=True) if v == 1.0 and r["expected_accuracy"] != 1.0
    ]
    figures["default_false_positives"] = [
        {k: r[k] for k in ("task", "ground_truth", "kind", "completion")} for r in false_paid
    ]
    mismatch = _paper_mismatches(rows)
    figures["paper_mode_mismatches"] = len(mismatch)

    n_right = sum(1 for r in rows if r["expected_accuracy"] == 1.0)
    body = (
        f"{len(rows)} labelled completions (generator `{generator}`, seed {seed}, ~400 tokens;"
        f" {n_right} right, {len(rows) - n_right} wrong). Cells: false-positive % (wrong rows"
        " paid) / false-negative % (right rows refused). Skipped = rows the scorer returned"
        " None for.\n\n"
        + bc.table(("scorer", *TASKS, "all", "skipped"), table_rows)
        + "\n\nPaid rate (%) of each kind of wrong row:\n\n"
        + bc.table(("scorer", *(f"{k} ({counts[k]})" for k in kinds)), kind_rows)
        + f"\n\nOur paper mode vs the re-stated published reward on these rows: {len(mismatch)}"
        " rows differ in (score, format, accuracy)."
        + f"\n\nOur default mode paid {len(false_paid)} wrong rows."
    )
    for r in false_paid[:5]:
        where = f"{r['task']}, truth {r['ground_truth']!r}, {r['kind']}"
        body += f"\n\n- FALSE POSITIVE ({where}): {r['completion']!r}"
    if notes:
        body += "\n\nNot measured: " + "; ".join(notes) + "."
    report.section("Correctness on the labelled batch", body)
    _math_cases(report, 40 if n < 200 else 10_000)
    return figures


def _paper_mismatches(rows: Sequence[Row]) -> list[Row]:
    """Rows where our paper mode and the re-stated published reward disagree."""
    reward = bench_peers.published_reward()
    paper = sr.RewardConfig(mode="paper")
    out = []
    for r in rows:
        theirs = reward(r["completion"], r["ground_truth"])
        mine = sr.score(r["completion"], r["ground_truth"], r["task"], config=paper)
        if (mine.score, mine.format, mine.accuracy) != (
            theirs["overall"],
            theirs["format"],
            theirs["accuracy"],
        ):
            out.append(r)
    return out


def _math_cases(report: bc.Report, limit: int) -> None:
    """Show, case by case, what the math graders make of orderings."""
    graders: dict[str, Callable[[Sequence[Row]], list[float | None]]] = {
        "ssrl_rewards default": ours(None),
        "published img_score": bench_peers.published_scorer(),
    }
    for name, loader in (
        ("math-verify", lambda: bench_peers.math_verify_scorer(gold="hyphen")),
        ("mathruler grade_answer", bench_peers.grade_answer_scorer),
    ):
        scorer = loader()
        if scorer is not None:
            graders[name] = scorer
    rows = [
        {
            "task": task,
            "ground_truth": truth,
            "prompt": None,
            "completion": f"<think>Compare the seams.</think> \\boxed{{{answer}}}",
        }
        for task, truth, answer in MATH_CASES
    ]
    verdicts = {name: fn(rows) for name, fn in graders.items()}
    right = {"(B)"}
    lines = []
    for index, (task, truth, answer) in enumerate(MATH_CASES):
        label = "right" if answer in right else "wrong"
        cells = [task, f"`{truth}`", f"`{answer}` ({label})"]
        cells += ["pays" if verdicts[name][index] == 1.0 else "0" for name in graders]
        lines.append(cells)
    sweep = []
    for size, notation in ((3, "-"), (3, ","), (4, "-"), (4, ",")):
        pairs = [
            (truth, answer)
            for truth in itertools.permutations(range(size))
            for answer in itertools.permutations(range(size))
            if answer != truth
        ][:limit]
        sweep_rows = [
            {
                "task": "shuffle",
                "ground_truth": notation.join(map(str, truth)),
                "prompt": None,
                "completion": "<think>Compare the seams.</think> \\boxed{"
                + notation.join(map(str, answer))
                + "}",
            }
            for truth, answer in pairs
        ]
        cells = [f"{size} labels, `{notation}` ({len(pairs)} pairs)"]
        for fn in graders.values():
            paid = sum(1 for v in fn(sweep_rows) if v == 1.0)
            cells.append(f"{100.0 * paid / len(pairs):.1f}")
        sweep.append(cells)
    report.section(
        "Orderings read as arithmetic or sets",
        "Each answer boxed after a reasoning block; `pays` = accuracy 1. A hyphen ordering"
        " is evaluated as a subtraction (`0-3-2-1` = `0-2-3-1` = -6) and a comma list as a"
        " set (math-verify gets comma gold as `$2,0,3,1$`; bare, it parses as the number"
        " 2).\n\n"
        + bc.table(("task", "truth", "answer", *graders), lines)
        + "\n\nPaid rate (%) over wrong orderings (every truth, every other permutation),"
        " truth and answer in the same notation:\n\n" + bc.table(("orderings", *graders), sweep),
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny smoke size")
    args = parser.parse_args(argv)
    run(bc.Report(), n=60 if args.quick else 1280)


if __name__ == "__main__":
    main()
