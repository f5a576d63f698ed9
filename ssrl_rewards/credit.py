"""Partial-credit arithmetic on orderings, testable without any text.

Every function returns 1.0 exactly when the prediction equals the truth, and a value in
[0, 1] otherwise. Chance levels (expected credit of a uniformly random permutation of n
labels): exact 1/n!; position-wise 1/n; Kendall 1/2; footrule 1/3 + 2/(3n²); adjacency
1/n on a chain of n and 1/(k(k+1)) on a k x k grid.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "adjacency_credit",
    "exact_credit",
    "footrule_credit",
    "grid_columns",
    "kendall_credit",
    "positionwise_credit",
]

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


def footrule_credit(pred: Sequence[int], truth: Sequence[int]) -> float:
    """1 - Σ|Δposition| / (n²/2): Spearman's footrule distance normalised as VideoSSR does.

    Δposition is, for each label, how far its slot in `pred` is from its slot in `truth`.
    Both sequences must order the same distinct labels; otherwise 0.0.
    """
    n = len(truth)
    if len(pred) != n or len(set(truth)) != n or sorted(pred) != sorted(truth):
        return 0.0
    if n < 2:
        return 1.0
    position = {label: index for index, label in enumerate(pred)}
    displacement = sum(abs(position[label] - index) for index, label in enumerate(truth))
    return max(0.0, 1.0 - 2.0 * displacement / (n * n))


def grid_columns(n: int) -> int:
    """Columns of the grid n patches fill in reading order: k for n = k² (2x2, 3x3, ...),
    else n (one row of strips)."""
    root = int(n**0.5 + 0.5)
    return root if root > 1 and root * root == n else n


def adjacency_credit(
    pred: Sequence[int], truth: Sequence[int], columns: int | None = None
) -> float:
    """Share of the truth's neighbour pairs that `pred` keeps (Jigsaw-R1's adjacency reward).

    The labels fill a grid of `columns` columns in reading order (one row when None). A
    neighbour pair is "label a sits just left of label b" or "just above b"; the credit
    is the share of the truth's pairs that hold in `pred`, wherever in the grid they sit.
    1.0 exactly when the orderings are equal; 0.0 when they do not order the same labels.
    """
    n = len(truth)
    if len(pred) != n or len(set(truth)) != n or sorted(pred) != sorted(truth):
        return 0.0
    cols = n if columns is None else columns
    if n < 2 or cols < 1 or n % cols:
        return 1.0 if tuple(pred) == tuple(truth) else 0.0
    position = {label: index for index, label in enumerate(pred)}
    kept = pairs = 0
    for index, label in enumerate(truth):
        if (index + 1) % cols:  # a right-hand neighbour in the same row
            pairs += 1
            here = position[label]
            kept += (here + 1) % cols != 0 and position[truth[index + 1]] == here + 1
        if index + cols < n:  # a neighbour below
            pairs += 1
            kept += position[truth[index + cols]] == position[label] + cols
    return kept / pairs if pairs else 1.0
