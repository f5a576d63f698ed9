"""Orderings of labels (shuffle, depth): the shared typed answer, parsers and credit.

An ordering task differs only in its label base (0 for shuffle patches, 1 for depth
markers) and names; `make_ordering_spec` builds its `TaskSpec` from those.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ssrl_rewards.credit import exact_credit, kendall_credit, positionwise_credit
from ssrl_rewards.errors import GroundTruthError
from ssrl_rewards.ground_truth import as_labels, quotable
from ssrl_rewards.registry import TaskSpec
from ssrl_rewards.result import Reason
from ssrl_rewards.sequence import (
    MAX_LABEL_DIGITS,
    join_final_and,
    split_hedge,
    split_labels,
    strip_prefix,
)

__all__ = ["Ordering", "labels_of", "make_ordering_spec", "parse_labels"]

_CREDIT = {"exact": exact_credit, "positionwise": positionwise_credit, "kendall": kendall_credit}


@dataclass(frozen=True, slots=True)
class Ordering:
    """A permutation of the labels ``base .. base + n - 1``; the schema is the answer space."""

    labels: tuple[int, ...]
    base: int = 0

    def __post_init__(self) -> None:
        if not is_permutation(self.labels, self.base):
            top = self.base + len(self.labels) - 1
            raise ValueError(f"{self.labels!r} is not a permutation of {self.base}..{top}")

    def __str__(self) -> str:
        return "-".join(str(label) for label in self.labels)


def is_permutation(labels: tuple[int, ...], base: int) -> bool:
    """True if `labels` holds each of base..base+n-1 exactly once."""
    return len(labels) >= 2 and sorted(labels) == list(range(base, base + len(labels)))


def parse_labels(text: str, expected: int) -> tuple[int, ...] | Reason:
    """Label ints of an ordering answer text, or why it is not one (no range check)."""
    parts = split_hedge(join_final_and(strip_prefix(text)))
    if len(parts) > 1 and len(set(parts)) > 1:
        return Reason.MULTIPLE_ANSWERS
    tokens = split_labels(parts[0]) if parts else None
    if tokens is None:
        return Reason.UNPARSEABLE
    return labels_of(tokens, expected)


def labels_of(tokens: list[str], expected: int) -> tuple[int, ...] | Reason:
    """Label ints of digit tokens, or why they are not labels.

    Concatenated single digits are split when each token has exactly `expected` digits:
    one token (``0231``, ``30``), or, for orderings of three or more labels, several
    (``0231 0321``, two answers). Otherwise a token of more than one digit that starts
    with ``0`` (``01``, ``00``) is refused: it may mean "0 or 1" as well as 1.
    """
    if (
        2 <= expected <= 10
        and len(tokens[0]) == expected
        and (len(tokens) == 1 or (expected >= 3 and all(len(t) == expected for t in tokens)))
    ):
        tokens = [digit for token in tokens for digit in token]
    if any(len(t) > MAX_LABEL_DIGITS or (len(t) > 1 and t[0] == "0") for t in tokens):
        return Reason.NOT_IN_ANSWER_SPACE
    return tuple(int(token) for token in tokens)


def parse_ordering(text: str, truth: Ordering, prompt: str | None) -> Ordering | Reason:
    """Lenient parse of an ordering of the same labels as `truth`."""
    del prompt
    n = len(truth.labels)
    labels = parse_labels(text, n)
    if isinstance(labels, Reason):
        return labels
    if len(labels) != n:
        chunks = [labels[i : i + n] for i in range(0, len(labels), n)]
        if len(labels) % n == 0 and all(is_permutation(c, truth.base) for c in chunks):
            return (
                Reason.MULTIPLE_ANSWERS if len(set(chunks)) > 1 else Ordering(chunks[0], truth.base)
            )
        return Reason.NOT_IN_ANSWER_SPACE
    if not is_permutation(labels, truth.base):
        return Reason.NOT_IN_ANSWER_SPACE
    return Ordering(labels, truth.base)


def parse_ordering_truth(task: str, base: int, payload: Any) -> Ordering:
    """Strict: a permutation of base..base+n-1 as a string, list or array."""
    labels = as_labels(payload)
    if labels is None:
        raise GroundTruthError(
            task, quotable(payload), "must be labels joined by '-' (like '0-2-3-1')"
        )
    if not is_permutation(labels, base):
        raise GroundTruthError(
            task, quotable(payload), f"is not a permutation of {base}..{base + len(labels) - 1}"
        )
    return Ordering(labels, base)


def ordering_shape(truth: Ordering) -> Ordering:
    """The identity ordering with the truth's label count and base: `parse_ordering` reads
    nothing else of the truth."""
    return Ordering(tuple(range(truth.base, truth.base + len(truth.labels))), truth.base)


def ordering_credit(answer: Ordering, truth: Ordering, mode: str) -> float:
    """Exact, position-wise or Kendall credit of two orderings."""
    return _CREDIT[mode](answer.labels, truth.labels)


def make_ordering_spec(
    name: str,
    aliases: tuple[str, ...],
    description: str,
    base: int,
    examples: tuple[str, ...],
    claims: Any,
    infer_rank: int,
) -> TaskSpec:
    """A TaskSpec for an ordering task whose labels start at `base`."""
    return TaskSpec(
        name=name,
        aliases=aliases,
        description=description,
        answer_format=f"a permutation of the labels {base}..{base}+n-1 joined by '-'",
        examples=examples,
        parse_ground_truth=functools.partial(parse_ordering_truth, name, base),
        parse=parse_ordering,
        credit=ordering_credit,
        claims=claims,
        infer_rank=infer_rank,
        parse_shape=ordering_shape,
        chance={
            "exact": "1/n! (1/24 for n=4, 1/6 for n=3)",
            "positionwise": "1/n",
            "kendall": "1/2",
        },
    )
