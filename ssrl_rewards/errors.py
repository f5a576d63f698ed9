"""Typed errors for configuration and ground truth.

Model output is never an error: every completion gets a score and a reason. These
exceptions are raised only for things the user controls (ground truth, task names,
configuration), at once and with a message naming the task, the field and the value.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousGroundTruthError",
    "ConfigError",
    "ForeignTaskError",
    "GroundTruthError",
    "RowError",
    "SSRLRewardsError",
    "TaskCellError",
    "UnknownTaskError",
]


class SSRLRewardsError(Exception):
    """Base class of every error this library raises on purpose."""


class ConfigError(SSRLRewardsError, ValueError):
    """A reward configuration value is invalid (names the field and the value)."""


class GroundTruthError(SSRLRewardsError, ValueError):
    """A ground truth cannot be parsed for its task (names the task, field and value)."""

    def __init__(self, task: str, value: object, why: str, *, field: str = "ground_truth") -> None:
        self.task = task
        self.field = field
        self.value = value
        self.why = why
        super().__init__(f"{task}: {field} {_preview(value)} {why}")


class UnknownTaskError(SSRLRewardsError, ValueError, KeyError):
    """A task name is not registered (the message lists the known names)."""

    def __str__(self) -> str:  # KeyError would repr() the message; keep it readable.
        return str(self.args[0]) if self.args else ""


def _preview(value: object, limit: int = 80) -> str:
    """A short repr of a value for error messages (long values are cut)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _rebuild(
    cls: type[BaseException], args: tuple[object, ...], state: dict[str, object]
) -> object:
    """Unpickle an error without calling its keyword-only constructor."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class RowError(SSRLRewardsError, ValueError):
    """A dataset row that cannot be scored as it stands (names the column, row and value).

    Entry points that can skip rows count it (the CLI's malformed rows); trainer entry
    points raise it, since a dataset problem must stop a run at its first step.
    """

    def __init__(
        self, message: str, *, column: str | None = None, row: object = None, value: object = None
    ) -> None:
        self.column = column
        self.row = row
        self.value = value
        SSRLRewardsError.__init__(self, message)

    def __reduce__(self) -> tuple[object, ...]:  # picklable across Ray and worker processes
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


class TaskCellError(UnknownTaskError, RowError):
    """A task cell that is almost a registered task name (``shufle``, ``Shuffle-task``) or
    is not a name at all; ``suggestion`` is the task it probably meant (or None)."""

    def __init__(
        self,
        message: str,
        *,
        column: str | None = None,
        row: object = None,
        value: object = None,
        suggestion: str | None = None,
    ) -> None:
        self.suggestion = suggestion
        RowError.__init__(self, message, column=column, row=row, value=value)


class ForeignTaskError(UnknownTaskError, RowError):
    """A task cell naming another reward function's task (``gsm8k``), at an entry point
    that cannot skip a row (verl, EasyR1, OpenRLHF, the server, the CLI's malformed rows)."""


class AmbiguousGroundTruthError(GroundTruthError, RowError):
    """A row holds different ground truths in two default columns and none was named.

    ``columns`` and ``values`` list them; name the right one (``ground_truth_key=``).
    """

    def __init__(self, columns: tuple[str, ...], values: tuple[object, ...], row: object) -> None:
        shown = ", ".join(f"{c}={_preview(v)}" for c, v in zip(columns, values, strict=True))
        self.columns = columns
        self.values = values
        self.task = "?"
        self.field = columns[0]
        self.why = "differs between columns"
        RowError.__init__(
            self,
            f"row {row}: different ground truths in columns {list(columns)} ({shown}); "
            "name the ground-truth column (ground_truth_key=... or --ground-truth-key)",
            column=columns[0],
            row=row,
            value=values,
        )
