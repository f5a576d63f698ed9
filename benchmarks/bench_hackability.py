"""The hackability table: the soundness audit run on this library and its peers, same seed.

Rows: this library (default and paper mode), the published Spatial-SSRL reward (as
re-stated in ``bench_peers.py``), mathruler's ``grade_answer`` on the last box, math-verify,
TRL's ``accuracy_reward``, and a substring matcher as a known-hackable reference. Peers that
are not importable (install the ``bench`` extra) are skipped with a printed note. Each cell
is violations / cases of one family (see ``docs/soundness-kit.md``).

    python benchmarks/bench_hackability.py [--examples N] [--seed S] [--out docs/hackability.md]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_peers

import ssrl_rewards as sr
from ssrl_rewards.testing import FAMILIES, AuditReport, audit

ROOT = Path(__file__).resolve().parent.parent
PAPER = sr.RewardConfig(mode="paper")


def ours(
    completion: str, ground_truth: str, prompt: str | None = None, task: str | None = None
) -> float:
    """This library, default mode."""
    return sr.score(completion, ground_truth, task, prompt=prompt).score


def ours_paper(
    completion: str, ground_truth: str, prompt: str | None = None, task: str | None = None
) -> float:
    """This library, paper mode (the published rule, made safe)."""
    return sr.score(completion, ground_truth, task, prompt=prompt, config=PAPER).score


def substring(completion: str, ground_truth: str) -> float:
    """A known-hackable reference: pays any completion mentioning the truth."""
    return 1.0 if ground_truth in completion else 0.0


def _published() -> tuple[Callable[..., float], str]:
    reward = bench_peers.published_reward()
    _, extractor = bench_peers.extractor()

    def published(completion: str, ground_truth: str) -> float:
        return reward(completion, ground_truth)["overall"]

    return published, extractor


def _mathruler() -> Callable[..., float] | None:
    try:
        from mathruler.grader import extract_boxed_content, grade_answer  # noqa: PLC0415
    except ImportError:
        return None

    def mathruler(completion: str, ground_truth: str) -> float:
        return 1.0 if grade_answer(extract_boxed_content(completion), ground_truth) else 0.0

    return mathruler


def _math_verify() -> Callable[..., float] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from math_verify import parse, verify  # noqa: PLC0415
    except ImportError:
        return None

    def math_verify(completion: str, ground_truth: str) -> float:
        truth = f"${ground_truth}$" if "," in ground_truth else ground_truth
        return 1.0 if verify(parse(truth), parse(completion)) else 0.0

    return math_verify


def _trl() -> Callable[..., Any] | None:
    if importlib.util.find_spec("math_verify") is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from trl.rewards import accuracy_reward  # noqa: PLC0415
    except ImportError:
        return None
    return accuracy_reward


def rewards() -> list[tuple[str, Callable[..., Any] | None, str, str]]:
    """(row name, reward or None, signature, note) for every row of the table."""
    published, extractor = _published()
    return [
        ("ssrl_rewards (default)", ours, "plain", ""),
        ("ssrl_rewards (paper mode)", ours_paper, "plain", ""),
        ("published reward (re-stated)", published, "plain", f"extractor: {extractor}"),
        ("mathruler grade_answer", _mathruler(), "plain", "needs mathruler (bench extra)"),
        ("math-verify", _math_verify(), "plain", "needs math-verify (bench extra)"),
        ("TRL accuracy_reward", _trl(), "trl", "needs trl and math-verify (bench extra)"),
        ("substring matcher (reference)", substring, "plain", ""),
    ]


def table(reports: list[tuple[str, AuditReport]]) -> str:
    """Markdown: a row per reward, a column per family (violations / cases)."""
    head = "| reward | " + " | ".join(FAMILIES) + " | seconds |"
    rule = "|---|" + "---:|" * len(FAMILIES) + "---:|"
    rows = [head, rule]
    for name, report in reports:
        cells = []
        for family in FAMILIES:
            f = report.families[family]
            cells.append(f"**{f.violations}**/{f.cases}" if f.violations else f"0/{f.cases}")
        rows.append(f"| {name} | " + " | ".join(cells) + f" | {report.seconds:.1f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "hackability.md")
    args = parser.parse_args(argv)
    reports: list[tuple[str, AuditReport]] = []
    notes: list[str] = []
    examples: list[str] = []
    for name, reward, signature, note in rewards():
        if reward is None:
            print(f"skipped {name}: {note}", file=sys.stderr)
            notes.append(f"{name}: skipped, not importable here ({note}).")
            continue
        started = time.perf_counter()
        report = audit(
            reward, signature=signature, examples=args.examples, seed=args.seed, name=name
        )
        print(f"{report.summary()} [{time.perf_counter() - started:.1f} s]", file=sys.stderr)
        reports.append((name, report))
        if note and not note.startswith("needs"):
            notes.append(f"{name}: {note}.")
        for family, f in report.families.items():
            if f.example is not None and name != "substring matcher (reference)":
                examples.append(f"- {name}, `{family}`: {f.example.describe()}")
    text = "\n".join(
        [
            "# Hackability table",
            "",
            "Generated by `python benchmarks/bench_hackability.py"
            f" --examples {args.examples} --seed {args.seed}` with `ssrl_rewards.testing.audit`:"
            " every reward gets the same attempts for every registered task. A cell is"
            " violations / cases (bold when any attack was paid). `honest_refused`: an accepted"
            " notation earned less than the canonical right answer; `wrong_paid`: a different"
            " valid answer earned as much as the right one; the other attack families: the"
            " attack earned more than a committed wrong answer in the same envelope. See"
            " [soundness-kit.md](soundness-kit.md).",
            "",
            table(reports),
            "",
            *(f"- {note}" for note in notes),
            "",
            "## One minimal example per flagged family",
            "",
            *[line.replace("\n", "\\n") for line in examples],
            "",
        ]
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(table(reports))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
