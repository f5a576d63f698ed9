"""Partial-credit arithmetic on orderings, testable without any text.

Every function returns 1.0 exactly when the prediction equals the truth, and a value in
[0, 1] otherwise. Chance levels (expected credit of a uniformly random permutation of n
labels): exact 1/n!; position-wise 1/n; Kendall 1/2.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["exact_credit", "kendall_credit", "positionwise_credit"]

_PURE_PYTHON_LIMIT = 64


def exact_credit(pred: Sequence[int], truth: Sequence[int]) -> float:
    """1.0 if the sequences are equal, else 0.0."""
    return 1.0 if tuple(pred) == tuple(truth) else 0.0


def positionwise_credit(pred: Sequence[int], truth: Sequence[int]) -> float:
    """Fraction of slots holding the right label."""
    if len(pred) != len(truth) or not truth:
        return 0.0
    return sum(p == t for p, t in zip(pred, truth, strict=True)) / len(truth)


def kendall_credit(pred: Sequence[int], truth: Sequence[int]) -> float:
    """1 minus the normalised Kendall tau distance (share of label pairs in the wrong order).

    Both sequences must order the same labels; otherwise 0.0. Long orderings use scipy's
    O(n log n) Kendall tau (imported only then).
    """
    n = len(truth)
    if len(pred) != n or sorted(pred) != sorted(truth) or len(set(truth)) != n:
        return 0.0
    if n < 2:
        return 1.0
    position = {label: index for index, label in enumerate(pred)}
    ranks = [position[label] for label in truth]
    pairs = n * (n - 1) // 2
    if n <= _PURE_PYTHON_LIMIT:
        discordant = sum(1 for i in range(n) for j in range(i + 1, n) if ranks[i] > ranks[j])
        return 1.0 - discordant / pairs
    from scipy.stats import kendalltau  # noqa: PLC0415 - heavy import, only for long orderings

    tau = float(kendalltau(range(n), ranks).statistic)
    return (1.0 + tau) / 2.0
