"""Several acceptable answers: a ground truth ``{"answers": [...]}`` pays any one of them.

SSL4RL-style data may accept more than one answer (``{"task": "shuffle", "answers":
["0-2-3-1", "0-3-2-1"]}``, also as a JSON string). Each answer is parsed for the task as
a ground truth of its own; the completion is scored against each, and the best verdict
counts. Naming two of them in one completion is still a hedge (``0-2-3-1 or 0-3-2-1``),
because the task parser refuses hedges whatever the truth.

Paper mode compares the prediction with each answer's string (the published reward
knows one string per row; any of them pays).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ssrl_rewards.errors import GroundTruthError
from ssrl_rewards.ground_truth import GT_ANSWER_KEYS

__all__ = ["ANSWERS_KEY", "AnyOf", "split_alternatives"]

ANSWERS_KEY = "answers"
_MAX_ANSWERS = 64


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Typed ground truths of one task, any of which pays; `sources` are the strings a
    dataset holds for them (what paper mode compares with)."""

    truths: tuple[Any, ...]
    sources: tuple[str, ...]

    def __str__(self) -> str:
        return " | ".join(str(truth) for truth in self.truths)


def split_alternatives(ground_truth: object, task: str | None) -> list[Any] | None:
    """The single ground truths of a ``{"answers": [...]}`` ground truth (dict or JSON
    string), each as ``{"task": ..., "answer": ...}``; None for any other ground truth.

    Raises `GroundTruthError` for an ``answers`` that is not a non-empty list, or a dict
    that also names a single answer."""
    value: object = ground_truth
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped.startswith("{") or f'"{ANSWERS_KEY}"' not in stripped:
            return None
        try:
            value = json.loads(stripped)
        except (ValueError, RecursionError):
            return None  # the ordinary path reports the bad JSON
    if not isinstance(value, Mapping) or ANSWERS_KEY not in value:
        return None
    name = task or (value.get("task") if isinstance(value.get("task"), str) else None) or "?"
    answers = value[ANSWERS_KEY]
    both = [key for key in GT_ANSWER_KEYS if key in value]
    if both:
        raise GroundTruthError(
            name, value[both[0]], f"is given beside {ANSWERS_KEY!r}; give one or the other",
            field=f"ground_truth.{both[0]}",
        )  # fmt: skip
    if not isinstance(answers, (list, tuple)) or not answers or len(answers) > _MAX_ANSWERS:
        raise GroundTruthError(
            name, answers, f"must be a list of 1 to {_MAX_ANSWERS} answers",
            field=f"ground_truth.{ANSWERS_KEY}",
        )  # fmt: skip
    hint = value.get("task")
    return [{"task": hint, "answer": answer} if hint else {"answer": answer} for answer in answers]


def source_string(single: Mapping[str, Any]) -> str:
    """The string a dataset would hold for one alternative (lists joined by ``-``)."""
    answer = single["answer"]
    if isinstance(answer, str):
        return answer.strip()
    if isinstance(answer, (list, tuple)):
        return "-".join(str(item) for item in answer)
    return str(answer)
