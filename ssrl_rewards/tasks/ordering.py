"""Orderings of labels (shuffle, depth): the shared typed answer, parsers and credit.

An ordering task differs only in its label base (0 for shuffle patches, 1 for depth
markers) and names; `make_ordering_spec` builds its `TaskSpec` from those.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ssrl_rewards.credit import (
    adjacency_credit,
    exact_credit,
    footrule_credit,
    kendall_credit,
    positionwise_credit,
)
from ssrl_rewards.errors import GroundTruthError
from ssrl_rewards.ground_truth import as_labels
from ssrl_rewards.registry import TaskSpec
from ssrl_rewards.result import Reason
from ssrl_rewards.sequence import MAX_LABEL_DIGITS, split_hedge, split_labels

__all__ = ["Ordering", "labels_of", "make_ordering_spec", "parse_labels"]

_CREDIT = {
    "exact": exact_credit,
    "positionwise": positionwise_credit,
    "kendall": kendall_credit,
    "footrule": footrule_credit,
}


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
    parts = split_hedge(text)
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
        raise GroundTruthError(task, payload, "must be labels joined by '-' (like '0-2-3-1')")
    if not is_permutation(labels, base):
        raise GroundTruthError(
            task, payload, f"is not a permutation of {base}..{base + len(labels) - 1}"
        )
    return Ordering(labels, base)


def ordering_shape(truth: Ordering) -> Ordering:
    """The identity ordering with the truth's label count and base: `parse_ordering` reads
    nothing else of the truth."""
    return Ordering(tuple(range(truth.base, truth.base + len(truth.labels))), truth.base)


def ordering_credit(
    answer: Ordering, truth: Ordering, mode: str, columns: Callable[[int], int] | None = None
) -> float:
    """Exact, position-wise, Kendall, footrule or adjacency credit of two orderings.

    Adjacency reads the labels as a grid of ``columns(n)`` columns (one row when None).
    """
    if mode == "adjacency":
        n = len(truth.labels)
        return adjacency_credit(answer.labels, truth.labels, columns(n) if columns else n)
    return _CREDIT[mode](answer.labels, truth.labels)


def make_ordering_spec(
    name: str,
    aliases: tuple[str, ...],
    description: str,
    base: int,
    examples: tuple[str, ...],
    claims: Any,
    infer_rank: int,
    columns: Callable[[int], int] | None = None,
) -> TaskSpec:
    """A TaskSpec for an ordering task whose labels start at `base`; `columns(n)` is the
    width of the grid n labels fill (adjacency credit), None for a chain."""
    return TaskSpec(
        name=name,
        aliases=aliases,
        description=description,
        answer_format=f"a permutation of the labels {base}..{base}+n-1 joined by '-'",
        examples=examples,
        parse_ground_truth=functools.partial(parse_ordering_truth, name, base),
        parse=parse_ordering,
        credit=functools.partial(ordering_credit, columns=columns),
        claims=claims,
        infer_rank=infer_rank,
        parse_shape=ordering_shape,
        chance={
            "exact": "1/n! (1/24 for n=4, 1/6 for n=3)",
            "positionwise": "1/n",
            "kendall": "1/2",
            "footrule": "1/3 + 2/(3n²) (0.375 for n=4, 0.407 for n=3)",
            "adjacency": "1/n for a chain; 1/(k(k+1)) on a k x k grid (1/6 for 2x2)"
            if columns is not None
            else "1/n",
        },
    )
