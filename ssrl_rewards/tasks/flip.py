"""Flipped patch recognition: which patch of a 2x2 grid is mirrored, and how.

The answer is ``label-direction``: the 0-based patch label (reading order) and the
direction, 0 for a vertical flip (upside down) and 1 for a horizontal one (mirror).

A direction word (``vertical``, ``horizontally``, any case, optionally in parentheses)
always fills the direction slot, wherever it stands: ``3-vertical``, ``vertical, 3`` and
``vertically 3`` all mean ``3-0``; the one number beside it is the label. With both numbers
given, a word is an annotation that must agree with the direction digit: ``2-1
(horizontal)`` is ``2-1``, ``2-1 (vertical)`` is ``inconsistent_choice``. Two different
direction words (``3-vertical-horizontal``) are a hedge. Partial credit gives half for the
label and half for the direction.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ssrl_rewards.errors import GroundTruthError
from ssrl_rewards.ground_truth import as_labels, quotable
from ssrl_rewards.registry import RenderCase, TaskSpec, attach_renderers, register_task
from ssrl_rewards.result import Reason
from ssrl_rewards.sequence import (
    separated_labels,
    split_hedge,
    split_labels,
    strip_brackets,
    strip_prefix,
)
from ssrl_rewards.tasks.ordering import labels_of, sequence_notations

__all__ = ["SPEC", "FlipAnswer", "FlipRenderers", "flip_schema"]

N_PATCHES = 4
# A direction word, alone or alone in parentheses/brackets (`2-1 (horizontal)`).
_DIRECTION_WORDS = re.compile(
    r"\(\s*(?:(vertical)|horizontal)(?:ly)?\s*\)|\[\s*(?:(vertical)|horizontal)(?:ly)?\s*\]"
    r"|\b(?:(vertical)|horizontal)(?:ly)?\b",
    re.IGNORECASE,
)


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
        raise GroundTruthError("flip", quotable(payload), "must be 'label-direction' like '3-0'")
    if not _valid(labels):
        raise GroundTruthError(
            "flip", quotable(payload), "has a label outside 0..3 or a direction other than 0/1"
        )
    return FlipAnswer(labels[0], labels[1])


def parse(text: str, truth: FlipAnswer, prompt: str | None) -> FlipAnswer | Reason:
    """Lenient parse: two numbers with any honest separator, or a label and a direction word."""
    del truth, prompt
    parts = split_hedge(strip_prefix(text))
    if len(parts) > 1 and len(set(parts)) > 1:
        return Reason.MULTIPLE_ANSWERS
    if not parts:
        return Reason.UNPARSEABLE
    if _DIRECTION_WORDS.search(parts[0]):
        return _parse_with_words(parts[0])
    tokens = split_labels(parts[0])
    if tokens is None:
        return Reason.UNPARSEABLE
    labels = labels_of(tokens, 2)
    if isinstance(labels, Reason):
        return labels
    if len(labels) > 2 and len(labels) % 2 == 0:
        pairs = [labels[i : i + 2] for i in range(0, len(labels), 2)]
        if all(_valid(pair) for pair in pairs):
            return Reason.MULTIPLE_ANSWERS if len(set(pairs)) > 1 else FlipAnswer(*pairs[0])
    if not _valid(labels):
        return Reason.NOT_IN_ANSWER_SPACE
    return FlipAnswer(labels[0], labels[1])


def _parse_with_words(text: str) -> FlipAnswer | Reason:
    """A flip answer holding direction words; each word fills the direction slot.

    Read as a sequence of numbers (N) and words (W) between separators: ``NW`` and ``WN``
    (with repeats of the same word) are label and direction; ``NNW`` / ``WNN`` are
    label-direction plus a word that must agree; ``NWNW`` / ``WNWN``… are one answer per
    pair (a hedge when the labels differ). Anything else is refused.
    """
    text = strip_brackets(text)
    kinds: list[str] = []
    tokens: list[str] = []
    directions: set[int] = set()
    position = 0
    for match in _DIRECTION_WORDS.finditer(text):
        numbers = separated_labels(text[position : match.start()])
        if numbers is None:
            return Reason.UNPARSEABLE
        kinds += ["N"] * len(numbers) + ["W"]
        tokens += numbers
        directions.add(0 if match.group(1) or match.group(2) or match.group(3) else 1)
        position = match.end()
    numbers = separated_labels(text[position:])
    if numbers is None:
        return Reason.UNPARSEABLE
    kinds += ["N"] * len(numbers)
    tokens += numbers
    if len(directions) > 1:
        return Reason.MULTIPLE_ANSWERS
    direction = directions.pop()
    if not tokens:
        return Reason.NOT_IN_ANSWER_SPACE  # a direction without a label
    labels = labels_of(tokens, 0)
    if isinstance(labels, Reason):
        return labels
    shape = "".join(kinds)
    if len(labels) == 1:
        label = labels[0]
    elif shape in ("NNW", "WNN"):
        if labels[1] not in (0, 1):
            return Reason.NOT_IN_ANSWER_SPACE
        if labels[1] != direction:
            return Reason.INCONSISTENT_CHOICE
        label = labels[0]
    elif shape in ("NW" * len(labels), "WN" * len(labels)):
        if len(set(labels)) > 1:
            return Reason.MULTIPLE_ANSWERS
        label = labels[0]
    else:
        return Reason.UNPARSEABLE
    if not _valid((label, direction)):
        return Reason.NOT_IN_ANSWER_SPACE
    return FlipAnswer(label, direction)


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


SPEC: TaskSpec[FlipAnswer, FlipAnswer] = register_task(
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


# --- renderers (the soundness kit): how flip answers are written --------------------------------

FLIP_QUESTION = (
    "<image>The image is divided into 4 patches labeled 0, 1, 2, and 3 in reading order. "
    "One of the four patches is flipped either horizontally or vertically. Which patch is "
    "flipped, and how? Answer in the format 'Label-Direction'. The direction can only be "
    "0(flipped vertically) or 1(flipped horizontally)."
)
FLIP_SPACE: tuple[FlipAnswer, ...] = tuple(
    FlipAnswer(label, direction) for label in range(N_PATCHES) for direction in (0, 1)
)
DIRECTION_WORDS: dict[int, tuple[str, ...]] = {
    0: ("vertical", "vertically", "Vertical", "VERTICALLY"),
    1: ("horizontal", "horizontally", "Horizontal", "HORIZONTALLY"),
}


class FlipRenderers:
    """Renderers of the flip task: two numbers, or a label and a direction word."""

    def case(self, rng: random.Random) -> RenderCase[FlipAnswer]:
        """A random flip and the paper's question."""
        truth = rng.choice(FLIP_SPACE)
        return RenderCase(truth, str(truth), FLIP_QUESTION)

    def right(self, truth: FlipAnswer) -> FlipAnswer:
        """The truth itself."""
        return truth

    def canonical(self, answer: FlipAnswer, prompt: str | None) -> str:
        """``3-0``."""
        del prompt
        return str(answer)

    def notations(self, answer: FlipAnswer, prompt: str | None) -> Sequence[str]:
        """Two numbers with any ordering separator; a direction word beside the label; a
        direction word annotating both numbers."""
        del prompt
        label, direction = answer.label, answer.direction
        words = [
            form.format(label=label, word=word, separator=separator)
            for word in DIRECTION_WORDS[direction]
            for separator in ("-", " ", ", ", " - ")
            for form in ("{label}{separator}{word}", "{word}{separator}{label}")
        ]
        annotated = [
            form.format(label=label, direction=direction, word=word)
            for word in DIRECTION_WORDS[direction]
            for form in ("{label}-{direction} ({word})", "({label}, {word})", "{label} ({word})")
        ]
        return [*sequence_notations((label, direction)), *words, *annotated]

    def other(self, truth: FlipAnswer, prompt: str | None, rng: random.Random) -> FlipAnswer:
        """Another patch or the other direction."""
        del prompt
        return rng.choice([answer for answer in FLIP_SPACE if answer != truth])

    def out_of_space(self, truth: FlipAnswer, prompt: str | None, rng: random.Random) -> str:
        """A label past 3 or a direction other than 0/1."""
        del prompt
        return rng.choice(
            (f"{rng.choice((4, 5, 9))}-{truth.direction}", f"{truth.label}-{rng.choice((2, 3))}")
        )

    def hedge_parts(self, answer: FlipAnswer, prompt: str | None) -> Sequence[str]:
        """``3-0`` and ``3, 0``."""
        del prompt
        return (str(answer), f"{answer.label}, {answer.direction}")


def flip_schema() -> dict[str, Any]:
    """The JSON Schema of a flip answer's text (pydantic, built when called)."""
    from typing import Annotated  # noqa: PLC0415 - off the scoring path

    from pydantic import Field, TypeAdapter  # noqa: PLC0415

    text = Annotated[
        str,
        Field(
            pattern=r"^[0-3]-[01]$",
            description="'label-direction': label 0-3, direction 0 (vertical) or 1 (horizontal)",
            examples=["3-0", "2-1"],
        ),
    ]
    return TypeAdapter(text).json_schema()


SPEC = attach_renderers(SPEC, FlipRenderers(), answer_schema=flip_schema)
