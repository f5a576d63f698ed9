"""Orderings of labels (shuffle, depth): the shared typed answer, parsers and credit.

An ordering task differs only in its label base (0 for shuffle patches, 1 for depth
markers) and names; `make_ordering_spec` builds its `TaskSpec` from those.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Sequence
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
from ssrl_rewards.ground_truth import as_labels, quotable
from ssrl_rewards.registry import RenderCase, TaskSpec
from ssrl_rewards.result import Reason
from ssrl_rewards.sequence import (
    MAX_LABEL_DIGITS,
    join_final_and,
    split_hedge,
    split_labels,
    strip_prefix,
)

__all__ = [
    "Ordering",
    "OrderingRenderers",
    "labels_of",
    "make_ordering_spec",
    "ordering_schema",
    "parse_labels",
    "sequence_notations",
]

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
) -> TaskSpec[Ordering, Ordering]:
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


# --- renderers: how ordering answers are written (the soundness kit; see registry.TaskRenderers)

#: Separators an honest ordering may use between labels (the parser accepts every one).
SEQUENCE_SEPARATORS: tuple[str, ...] = (
    "-", " - ", "- ", ",", ", ", " , ", " ", "  ", "–", " – ", "—", "−", "->", " -> ",
    "=>", "→", " → ", "⟶", "⇒", " \\to ", " \\rightarrow ", "\\text{-}", "\\text{ - }",
)  # fmt: skip
#: One layer of brackets around the whole sequence.
SEQUENCE_BRACKETS: tuple[tuple[str, str], ...] = (
    ("", ""), ("[", "]"), ("(", ")"), ("{", "}"), ("⟨", "⟩"), ("[ ", " ]"),
)  # fmt: skip
_WIDE_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def sequence_notations(labels: Sequence[int]) -> list[str]:
    """Every accepted writing of a label sequence: canonical first, then each separator in
    each bracket, the digits run together (single-digit labels), full-width digits."""
    parts = [str(label) for label in labels]
    plain = [
        opening + separator.join(parts) + closing
        for separator in SEQUENCE_SEPARATORS
        for opening, closing in SEQUENCE_BRACKETS
    ]
    if all(len(part) == 1 for part in parts):
        plain.append("".join(parts))
    return plain + [text.translate(_WIDE_DIGITS) for text in plain[::7]]


def _dashed(labels: Sequence[int]) -> str:
    return "-".join(str(label) for label in labels)


@dataclass(frozen=True)
class OrderingRenderers:
    """Renderers of an ordering task: labels ``base..base+n-1``, n drawn from `sizes`,
    the question from ``question(n, rng)``."""

    base: int
    sizes: tuple[int, ...]
    question: Callable[[int, random.Random], str]

    def case(self, rng: random.Random) -> RenderCase[Ordering]:
        """A random permutation and its question."""
        n = rng.choice(self.sizes)
        labels = list(range(self.base, self.base + n))
        rng.shuffle(labels)
        return RenderCase(
            Ordering(tuple(labels), self.base), _dashed(labels), self.question(n, rng)
        )

    def right(self, truth: Ordering) -> Ordering:
        """The truth itself."""
        return truth

    def canonical(self, answer: Ordering, prompt: str | None) -> str:
        """``0-2-3-1``."""
        del prompt
        return _dashed(answer.labels)

    def notations(self, answer: Ordering, prompt: str | None) -> Sequence[str]:
        """`sequence_notations` of the labels."""
        del prompt
        return sequence_notations(answer.labels)

    def other(self, truth: Ordering, prompt: str | None, rng: random.Random) -> Ordering:
        """Another permutation of the same labels."""
        del prompt
        labels = list(truth.labels)
        while tuple(labels) == truth.labels:
            rng.shuffle(labels)
        return Ordering(tuple(labels), truth.base)

    def out_of_space(self, truth: Ordering, prompt: str | None, rng: random.Random) -> str:
        """A repeated label, the wrong base, a label past the end, or a label missing."""
        del prompt
        labels = list(truth.labels)
        style = rng.randrange(4)
        if style == 0:
            i, j = rng.sample(range(len(labels)), 2)
            labels[i] = labels[j]
        elif style == 1:
            labels = [label - 1 if truth.base else label + 1 for label in labels]
        elif style == 2:
            labels[rng.randrange(len(labels))] = truth.base + len(labels)
        else:
            del labels[rng.randrange(len(labels))]
        return _dashed(labels)

    def hedge_parts(self, answer: Ordering, prompt: str | None) -> Sequence[str]:
        """The canonical form and two spaced forms."""
        del prompt
        parts = [str(label) for label in answer.labels]
        return ("-".join(parts), ", ".join(parts), " - ".join(parts))


def ordering_schema(base: int) -> Callable[[], dict[str, Any]]:
    """A function returning the JSON Schema of an ordering answer's text (pydantic, lazily)."""

    def schema() -> dict[str, Any]:
        from typing import Annotated  # noqa: PLC0415 - off the scoring path

        from pydantic import Field, TypeAdapter  # noqa: PLC0415

        text = Annotated[
            str,
            Field(
                pattern=r"^[0-9]{1,3}(-[0-9]{1,3})+$",
                description=f"a permutation of the labels {base}..{base}+n-1 joined by '-'",
                examples=["0-2-3-1" if base == 0 else "3-1-2"],
            ),
        ]
        return TypeAdapter(text).json_schema()

    return schema
