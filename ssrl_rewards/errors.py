"""Typed errors for configuration and ground truth.

Model output is never an error: every completion gets a score and a reason. These
exceptions are raised only for things the user controls (ground truth, task names,
configuration), at once and with a message naming the task, the field and the value.
"""

from __future__ import annotations

__all__ = ["ConfigError", "GroundTruthError", "SSRLRewardsError", "UnknownTaskError"]


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
