"""The ``score`` report: per-task sums merged chunk by chunk, as text tables or JSON, and
the one-line descriptions of malformed rows (each reason already shortened)."""

from __future__ import annotations

import collections
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ssrl_rewards.cli.common import REASON_CHARS, rows_text, shorten
from ssrl_rewards.config import RewardConfig
from ssrl_rewards.registry import task_names

if TYPE_CHECKING:
    from ssrl_rewards.cli.scoring import ChunkScores

INTERNAL_ERROR = "internal_error"  # the reason of a row scored 0 because of a bug of ours
MALFORMED_KEPT = 100  # malformed rows kept for the report (all are counted)
MALFORMED_SHOWN = 20  # malformed rows echoed on stderr as they come


@dataclass
class TaskStats:
    """Running sums for one task (or all tasks)."""

    rows: int = 0
    score: float = 0.0
    accuracy: float = 0.0
    format: float = 0.0
    reasons: collections.Counter[str] = field(default_factory=collections.Counter)
    format_reasons: collections.Counter[str] = field(default_factory=collections.Counter)
    paper_score: float = 0.0
    paper_accuracy: float = 0.0
    disagree: int = 0
    why: collections.Counter[str] = field(default_factory=collections.Counter)

    def add(self, result: Mapping[str, Any], paper: Mapping[str, Any] | None) -> None:
        self.rows += 1
        self.score += result["score"]
        self.accuracy += result["accuracy"]
        self.format += result["format"]
        self.reasons[result["reason"]] += 1
        self.format_reasons[result["format_reason"]] += 1
        if paper is not None:
            self.paper_score += paper["score"]
            self.paper_accuracy += paper["accuracy"]
            why = disagreement(result, paper)
            if why is not None:
                self.disagree += 1
                self.why[why] += 1

    def merge(self, other: TaskStats) -> None:
        """Add another set of sums (a chunk's) to these."""
        self.rows += other.rows
        self.score += other.score
        self.accuracy += other.accuracy
        self.format += other.format
        self.reasons.update(other.reasons)
        self.format_reasons.update(other.format_reasons)
        self.paper_score += other.paper_score
        self.paper_accuracy += other.paper_accuracy
        self.disagree += other.disagree
        self.why.update(other.why)

    def summary(self, compare: bool) -> dict[str, Any]:
        n = self.rows or 1
        out: dict[str, Any] = {
            "rows": self.rows,
            "mean_score": self.score / n,
            "accuracy": self.accuracy / n,
            "format": self.format / n,
            "reasons": dict(ranked(self.reasons)),
            "format_reasons": dict(ranked(self.format_reasons)),
        }
        if compare:
            out["paper"] = {
                "mean_score": self.paper_score / n,
                "accuracy": self.paper_accuracy / n,
                "disagree": self.disagree,
                "disagree_rate": self.disagree / n,
                "why": dict(ranked(self.why)),
            }
        return out


WHY_GLOSS = {
    "default correct / paper wrong": "honest notation; the exact match rejects it",
    "default partial / paper wrong": "partial credit; the paper gives none",
    "default multiple_answers / paper correct": "hedge; the paper pays the last box",
    "default answer_in_think / paper correct": "answer only in the reasoning; the paper pays it",
    "default unclosed_think / paper correct": "truncated; the paper pays a box in the reasoning",
    "format only: default multiple_answers / paper ok": "hedge; the paper pays the format share",
}


def disagreement(result: Mapping[str, Any], paper: Mapping[str, Any]) -> str | None:
    """Why the default and paper rewards differ on one row (None when they agree)."""
    if result["score"] == paper["score"]:
        return None
    if result["accuracy"] != paper["accuracy"]:
        return f"default {result['reason']} / paper {paper['reason']}"
    return f"format only: default {result['format_reason']} / paper {paper['format_reason']}"


def gloss(label: str) -> str:
    gloss = WHY_GLOSS.get(label)
    return f"  ({gloss})" if gloss else ""


def ranked(counter: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def task_order(names: Iterable[str]) -> list[str]:
    registered = {name: index for index, name in enumerate(task_names())}
    return sorted(names, key=lambda name: (registered.get(name, len(registered)), name))


@dataclass
class Report:
    """Everything `score` prints: per-task sums, malformed rows, the config used."""

    source: str
    unit: str
    config: RewardConfig
    compare: bool
    tasks: dict[str, TaskStats] = field(default_factory=dict)
    total: TaskStats = field(default_factory=TaskStats)
    malformed: int = 0
    malformed_rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, chunk: ChunkScores) -> None:
        """Merge one scored chunk (chunks arrive in input order)."""
        for outcome in chunk.malformed:
            self.malformed += 1
            if len(self.malformed_rows) < MALFORMED_KEPT:
                self.malformed_rows.append(
                    {"row": outcome.number, "column": outcome.column, "reason": outcome.error}
                )
        for task, stats in chunk.stats.items():
            mine = self.tasks.get(task)
            if mine is None:
                mine = self.tasks[task] = TaskStats()
            mine.merge(stats)
            self.total.merge(stats)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], config: RewardConfig, unit: str) -> Report:
        """The report of another engine's totals (`ssrl_rewards.batch.score_file_with_ray`:
        per task rows, means and reasons; malformed rows as a count and messages), so
        that one printer shows both engines' reports."""
        report = cls(str(data["source"]), unit, config, compare=False)

        def stats(summary: Mapping[str, Any]) -> TaskStats:
            rows = int(summary["rows"])
            return TaskStats(
                rows=rows,
                score=summary["mean_score"] * rows,
                accuracy=summary["accuracy"] * rows,
                format=summary["format"] * rows,
                reasons=collections.Counter(summary["reasons"]),
                format_reasons=collections.Counter(summary["format_reasons"]),
            )

        report.tasks = {name: stats(summary) for name, summary in data["tasks"].items()}
        report.total = stats(data["all"])
        malformed = data["malformed"]
        report.malformed = int(malformed["count"])
        report.malformed_rows = [
            {"row": "in a batch", "column": None, "reason": message}
            for message in malformed.get("messages", [])[:MALFORMED_KEPT]
        ]
        return report

    @property
    def internal_errors(self) -> int:
        """Rows scored 0 because of a bug of ours (reason ``internal_error``, logged)."""
        return self.total.reasons.get(INTERNAL_ERROR, 0)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON data."""
        return {
            "source": self.source,
            "config": self.config.model_dump(),
            "rows": self.total.rows + self.malformed,
            "scored": self.total.rows,
            "malformed": {"count": self.malformed, "rows": self.malformed_rows},
            "internal_errors": self.internal_errors,
            "tasks": {
                name: self.tasks[name].summary(self.compare) for name in task_order(self.tasks)
            },
            "all": self.total.summary(self.compare),
        }

    def text(self) -> str:
        """The report as text tables."""
        cfg = self.config
        lines = [
            f"ssrl-rewards score: {self.source}, {rows_text(self.total.rows + self.malformed)}",
            f"mode={cfg.mode}, credit={cfg.credit}: "
            f"score = {cfg.accuracy_weight:g} * accuracy + {cfg.format_weight:g} * format",
            "",
        ]
        names = task_order(self.tasks)
        cells = [["task", "rows", "score", "accuracy", "format"]]
        for name, stats in [*((n, self.tasks[n]) for n in names), ("all", self.total)]:
            n = stats.rows or 1
            cells.append(
                [
                    name,
                    str(stats.rows),
                    f"{stats.score / n:.3f}",
                    f"{stats.accuracy / n:.3f}",
                    f"{stats.format / n:.3f}",
                ]
            )
        lines.extend(table(cells))
        lines.append("")
        lines.append("Reasons (accuracy verdict, rows per task):")
        reason_table = [["reason", *names, "all", "share"]]
        for reason, count in ranked(self.total.reasons):
            reason_table.append(
                [
                    reason,
                    *(str(self.tasks[name].reasons.get(reason, 0)) for name in names),
                    str(count),
                    f"{100 * count / (self.total.rows or 1):.1f}%",
                ]
            )
        lines.extend(table(reason_table))
        if self.compare:
            lines.append("")
            lines.append(
                "Default vs paper reward (paper: exact string match on the last box, "
                f"same weights {cfg.accuracy_weight:g}/{cfg.format_weight:g}):"
            )
            cmp_table = [["task", "rows", "disagree", "score", "paper score", "paper accuracy"]]
            for name, stats in [*((n, self.tasks[n]) for n in names), ("all", self.total)]:
                n = stats.rows or 1
                cmp_table.append(
                    [
                        name,
                        str(stats.rows),
                        f"{stats.disagree} ({100 * stats.disagree / n:.1f}%)",
                        f"{stats.score / n:.3f}",
                        f"{stats.paper_score / n:.3f}",
                        f"{stats.paper_accuracy / n:.3f}",
                    ]
                )
            lines.extend(table(cmp_table))
            for name, stats in [*((n, self.tasks[n]) for n in names), ("all tasks", self.total)]:
                if not stats.why:
                    continue
                lines.append(f"{name}: why they disagree")
                for label, count in ranked(stats.why):
                    lines.append(f"  {count:>6}  {label}{gloss(label)}")
        lines.append("")
        if self.internal_errors:
            lines.append(
                f"Internal errors (a bug of ours, not the model; scored 0, logged on stderr; "
                f"please report): {self.internal_errors}"
            )
        lines.append(f"Malformed rows (skipped): {self.malformed}")
        for row in self.malformed_rows[:MALFORMED_SHOWN]:
            lines.append("  " + describe_row(row, self.unit))
        if self.malformed > MALFORMED_SHOWN:
            lines.append(f"  ... and {self.malformed - MALFORMED_SHOWN} more")
        return "\n".join(lines) + "\n"


def describe_row(row: Mapping[str, Any], unit: str = "row") -> str:
    """'line 7: column 'task': <reason>', with the column name and the reason shortened."""
    where = f"{unit} {row['row']}"
    column = f": column {shorten(repr(row['column']), 80)}" if row.get("column") else ""
    return f"{where}{column}: {shorten(str(row['reason']), REASON_CHARS)}"


def table(rows: list[list[str]]) -> list[str]:
    """Left-aligned first column, right-aligned numbers, two spaces apart."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells.extend(cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        out.append("  ".join(cells).rstrip())
    return out
