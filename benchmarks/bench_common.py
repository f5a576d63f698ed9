"""Timing and table helpers shared by the benchmark scripts.

Timings are wall-clock medians over interleaved rounds: in every round each method runs
once, in a rotated order, so background load on a shared machine hits all methods alike.
Figures are reported as ratios against a reference timed in the same rounds.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any


def timed(fn: Callable[[], Any]) -> float:
    """Seconds taken by one call of `fn`, with the garbage collector paused."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        if enabled:
            gc.enable()


def interleaved(
    methods: dict[str, Callable[[], Any]], rounds: int, *, warmup: bool = True
) -> dict[str, list[float]]:
    """Seconds per round for each method; the order rotates every round."""
    names = list(methods)
    if warmup:
        for name in names:
            methods[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(timed(methods[name]))
    return times


def per_call(
    fn: Callable[[], Any], *, budget: float = 0.02, min_repeat: int = 3, max_repeat: int = 10_000
) -> float:
    """Seconds per call of `fn`: one untimed warm-up call, then enough calls to fill `budget`."""
    first = timed(fn)
    repeat = max(min_repeat, min(max_repeat, int(budget / max(first, 1e-7))))
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        return (time.perf_counter() - start) / repeat
    finally:
        if enabled:
            gc.enable()


def median(values: Sequence[float]) -> float:
    """The median (nan for no values)."""
    return statistics.median(values) if values else float("nan")


def median_ratio(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """Median of the per-round ratios numerator/denominator."""
    return median([a / b for a, b in zip(numerator, denominator, strict=True) if b > 0])


def fmt(value: float, digits: int = 3) -> str:
    """A number with about `digits` significant digits, without scientific notation."""
    if math.isnan(value):
        return "-"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 10 ** (digits - 1):
        return f"{value:,.0f}"
    decimals = digits - 1
    while magnitude >= 1 and decimals > 0:
        magnitude /= 10
        decimals -= 1
    probe = abs(value)
    while probe < 1 and decimals < 8:
        probe *= 10
        if probe < 1:
            decimals += 1
    return f"{value:,.{decimals}f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table: first column left-aligned, the others right-aligned."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(widths[i]) if i else v.ljust(widths[i]) for i, v in enumerate(values)]
        return "| " + " | ".join(parts) + " |"

    rule = (
        "|"
        + "|".join("-" * (w + 1) + ":" if i else ":" + "-" * (w + 1) for i, w in enumerate(widths))
        + "|"
    )
    return "\n".join([line(list(headers)), rule, *(line(r) for r in cells)])


class Report:
    """Collects printed sections (Markdown) and machine-readable figures."""

    def __init__(self) -> None:
        self.sections: list[str] = []
        self.figures: dict[str, Any] = {}
        self.targets: list[tuple[str, bool | None, str]] = []

    def section(self, title: str, body: str) -> None:
        """Print a titled section now and keep it for the written report."""
        text = f"## {title}\n\n{body}\n"
        print(text, flush=True)
        self.sections.append(text)

    def target(self, name: str, met: bool | None, detail: str) -> None:
        """Record a target: met, missed, or None for a figure shown for information."""
        self.targets.append((name, met, detail))

    def target_table(self) -> str:
        """The targets as a table."""
        rows = [
            (name, "met" if met else ("info" if met is None else "MISSED"), detail)
            for name, met, detail in self.targets
        ]
        return table(("target", "status", "figures"), rows)
