"""Unwrapping ground truths as trainers and datasets deliver them.

Trainers hand over a ground truth as a string, a list, a numpy array, or a dict / JSON
string that carries the task along (``{"task": "depth", "answer": "3-1-2"}``). This module
turns any of those into a task hint plus a hashable payload (a stripped string or a tuple
of ints) that the task's strict parser then checks.
"""

from __future__ import annotations

import json
import math
import operator
import re
import reprlib
from typing import Any

from ssrl_rewards.errors import GroundTruthError

__all__ = [
    "GT_ANSWER_KEYS",
    "as_labels",
    "as_letter",
    "quotable",
    "short_repr",
    "unwrap_ground_truth",
]

GT_ANSWER_KEYS = ("answer", "ground_truth", "solution", "label")
_STRICT_SEQUENCE = re.compile(r"[0-9]{1,3}(?:\s*[-,]\s*[0-9]{1,3})*")
_LETTER = re.compile(r"[A-Za-z]")
_MAX_LABEL_DIGITS = 32  # an integer label longer than this is no label (and int() of
# thousands of digits raises ValueError of its own)
_MAX_TASK_CHARS = 100  # a task name inside a ground truth; longer is junk, quoted short
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist = 3, 60, 60, 6
_SHORT.maxdict = 6


def short_repr(value: object) -> str:
    """A bounded repr for error messages: nesting, strings and lists are cut, so a deeply
    nested or megabyte-long ground truth neither recurses nor floods a report."""
    try:
        return _SHORT.repr(value)
    except Exception:  # a hostile __repr__ of a user object: name its type only
        return f"<{type(value).__name__}>"


def quotable(value: object) -> object:
    """What an error keeps of a bad ground truth: `value` itself when short and flat, a
    long string cut in its middle, anything else as its bounded repr."""
    if isinstance(value, (int, float)) or value is None:
        return value
    if isinstance(value, str):
        return value if len(value) <= 80 else f"{value[:56]}...{value[-20:]}"
    return short_repr(value)


def unwrap_ground_truth(value: Any, task: str = "?") -> tuple[str | None, Any]:
    """(task named inside the ground truth or None, hashable payload). Raises on junk."""
    hint: str | None = None
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("{"):
            try:
                value = json.loads(stripped)
            except ValueError:
                raise GroundTruthError(task, quotable(value), "is not valid JSON") from None
            except RecursionError:  # `{"answer": [[[[...]]]]}` nested past the stack
                raise GroundTruthError(
                    task, quotable(stripped), "nests JSON too deeply to be an answer"
                ) from None
        else:
            return None, stripped
    if isinstance(value, dict):
        raw_task = value.get("task")
        if isinstance(raw_task, str) and len(raw_task) > _MAX_TASK_CHARS:
            raise GroundTruthError(
                task, quotable(raw_task), "is too long for a task name", field="ground_truth.task"
            )
        if raw_task is not None and not isinstance(raw_task, str):
            raise GroundTruthError(
                task, quotable(raw_task), "must be a task name", field="ground_truth.task"
            )
        hint = raw_task
        for key in GT_ANSWER_KEYS:
            if key in value:
                inner = value[key]
                break
        else:
            raise GroundTruthError(
                task, quotable(value), f"has none of the keys {list(GT_ANSWER_KEYS)} for the answer"
            )
        if isinstance(inner, dict):
            raise GroundTruthError(task, quotable(value), "nests a dict inside a dict")
        _, payload = unwrap_ground_truth(inner, hint or task)
        return hint, payload
    if hasattr(value, "tolist") and not isinstance(value, (bytes, bytearray)):
        value = value.tolist()  # numpy arrays and scalars
    if isinstance(value, (list, tuple)):
        labels = []
        for item in value:
            try:
                labels.append(_as_int(item))
            except (TypeError, ValueError):
                raise GroundTruthError(
                    task,
                    quotable(value),
                    f"must hold integer labels only; {short_repr(item)} is not one",
                ) from None
        return None, tuple(labels)
    if isinstance(value, bool) or value is None:
        raise GroundTruthError(task, value, "is missing or not an answer")
    if isinstance(value, int):
        return None, (value,)
    if isinstance(value, float):  # a numeric column: its shortest round-trip decimal
        if not math.isfinite(value):
            raise GroundTruthError(task, value, "is not a finite number")
        return None, repr(value)
    raise GroundTruthError(task, quotable(value), f"has unsupported type {type(value).__name__}")


def _as_int(item: Any) -> int:
    if isinstance(item, bool):
        raise TypeError("bool")
    if isinstance(item, str) and item.strip().isascii() and item.strip().isdigit():
        if len(item.strip()) > _MAX_LABEL_DIGITS:
            raise ValueError("too many digits")
        return int(item.strip())
    return operator.index(item)


def as_labels(payload: Any) -> tuple[int, ...] | None:
    """The payload as a tuple of label ints (`"0-2-3-1"`, `"0,2,3,1"`, `"[0, 2]"`), or None."""
    if isinstance(payload, tuple):
        return payload
    if not isinstance(payload, str):
        return None
    text = payload
    if len(text) >= 2 and text[0] in "[(" and text[-1] in "])":
        text = text[1:-1].strip()
    if not _STRICT_SEQUENCE.fullmatch(text):
        return None
    return tuple(int(token) for token in re.split(r"\s*[-,]\s*", text))


def as_letter(payload: Any) -> str | None:
    """The payload as one upper-case letter, or None."""
    if isinstance(payload, str) and len(payload) == 1 and _LETTER.fullmatch(payload):
        return payload.upper()
    return None
