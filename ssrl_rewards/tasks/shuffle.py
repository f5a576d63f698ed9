"""Shuffled patch reordering: put the numbered patches back in reading order.

Position j of the answer is original slot j in reading order (TopLeft, TopRight,
BottomLeft, BottomRight; or left to right; or top to bottom); its value is the 0-based
label of the patch that belongs there. n = 3 or 4 in the paper's data.
"""

from __future__ import annotations

from typing import Any

from ssrl_rewards.credit import grid_columns
from ssrl_rewards.ground_truth import as_labels
from ssrl_rewards.registry import register_task
from ssrl_rewards.tasks.ordering import is_permutation, make_ordering_spec

__all__ = ["SPEC"]


def claims(payload: Any, prompt: str | None) -> bool:
    """A 0-based permutation of at least three labels."""
    del prompt
    labels = as_labels(payload)
    return labels is not None and len(labels) >= 3 and is_permutation(labels, 0)


SPEC = register_task(
    make_ordering_spec(
        "shuffle",
        ("shuffled", "patch_reordering", "shuffled_patch_reordering", "jigsaw", "reorder"),
        "Shuffled patch reordering: the patch labels in reading order of their true slots.",
        base=0,
        examples=("0-2-3-1", "1-2-0-3", "2-0-1"),
        claims=claims,
        infer_rank=20,
        columns=grid_columns,
    )
)
