"""Flipped patch recognition: which patch of a 2x2 grid is mirrored, and how.

The answer is ``label-direction``: the 0-based patch label (reading order) and the
direction, 0 for a vertical flip (upside down) and 1 for a horizontal one (mirror).
Direction words (``vertical``, ``horizontally``) are read as 0 and 1. Partial credit
gives half for the label and half for the direction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ssrl_rewards.errors import GroundTruthError
from ssrl_rewards.ground_truth import as_labels
from ssrl_rewards.registry import TaskSpec, register_task
from ssrl_rewards.result import Reason
from ssrl_rewards.tasks.ordering import parse_labels

__all__ = ["SPEC", "FlipAnswer"]

N_PATCHES = 4
_DIRECTION_WORDS = re.compile(r"\b(?:(vertical)|(horizontal))(?:ly)?\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FlipAnswer:
    """The flipped patch's label (0-3) and the flip direction (0 vertical, 1 horizontal)."""

    label: int
    direction: int

    def __post_init__(self) -> None:
        if not (0 <= self.label < N_PATCHES and self.direction in (0, 1)):
            raise ValueError(f"flip answer {self.label}-{self.direction} is not in 0..3 x 0..1")

    def __str__(self) -> str:
        return f"{self.label}-{self.direction}"


def _valid(labels: tuple[int, ...]) -> bool:
    return len(labels) == 2 and 0 <= labels[0] < N_PATCHES and labels[1] in (0, 1)


def parse_ground_truth(payload: Any) -> FlipAnswer:
    """Strict: ``"label-direction"`` (or a two-item list) with label 0-3, direction 0/1."""
    labels = as_labels(payload)
    if labels is None or len(labels) != 2:
        raise GroundTruthError("flip", payload, "must be 'label-direction' like '3-0'")
    if not _valid(labels):
        raise GroundTruthError(
            "flip", payload, "has a label outside 0..3 or a direction other than 0/1"
        )
    return FlipAnswer(labels[0], labels[1])


def parse(text: str, truth: FlipAnswer, prompt: str | None) -> FlipAnswer | Reason:
    """Lenient parse: two numbers with any honest separator, or a direction word."""
    del truth, prompt
    if _DIRECTION_WORDS.search(text):
        text = _DIRECTION_WORDS.sub(lambda m: "0" if m.group(1) else "1", text)
    labels = parse_labels(text, 2)
    if isinstance(labels, Reason):
        return labels
    if len(labels) > 2 and len(labels) % 2 == 0:
        pairs = [labels[i : i + 2] for i in range(0, len(labels), 2)]
        if all(_valid(pair) for pair in pairs):
            return Reason.MULTIPLE_ANSWERS if len(set(pairs)) > 1 else FlipAnswer(*pairs[0])
    if not _valid(labels):
        return Reason.NOT_IN_ANSWER_SPACE
    return FlipAnswer(labels[0], labels[1])


_ANY_FLIP = FlipAnswer(0, 0)


def any_flip(truth: FlipAnswer) -> FlipAnswer:
    """The parse shape of every flip truth: `parse` ignores the truth."""
    del truth
    return _ANY_FLIP


def credit(answer: FlipAnswer, truth: FlipAnswer, mode: str) -> float:
    """Exact, or half for the label plus half for the direction under partial credit."""
    if mode == "exact":
        return 1.0 if answer == truth else 0.0
    return 0.5 * (answer.label == truth.label) + 0.5 * (answer.direction == truth.direction)


def claims(payload: Any, prompt: str | None) -> bool:
    """Two numbers: a label 0-3 then a direction 0/1."""
    del prompt
    labels = as_labels(payload)
    return labels is not None and _valid(labels)


SPEC: TaskSpec = register_task(
    TaskSpec(
        name="flip",
        aliases=("flipped_patch", "flipped_patch_recognition", "flip_recognition", "flipped"),
        description="Flipped patch recognition: which patch is mirrored, and how.",
        answer_format="'label-direction': label 0-3, direction 0 (vertical) or 1 (horizontal)",
        examples=("3-0", "2-1"),
        parse_ground_truth=parse_ground_truth,
        parse=parse,
        credit=credit,
        claims=claims,
        infer_rank=10,
        chance={"exact": "1/8", "positionwise": "3/8", "kendall": "3/8"},
        parse_shape=any_flip,
    )
)
