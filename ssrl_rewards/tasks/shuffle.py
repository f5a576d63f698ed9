"""Shuffled patch reordering: put the numbered patches back in reading order.

Position j of the answer is original slot j in reading order (TopLeft, TopRight,
BottomLeft, BottomRight; or left to right; or top to bottom); its value is the 0-based
label of the patch that belongs there. n = 3 or 4 in the paper's data.
"""

from __future__ import annotations

import random
from typing import Any

from ssrl_rewards.ground_truth import as_labels
from ssrl_rewards.registry import attach_renderers, register_task
from ssrl_rewards.tasks.ordering import (
    OrderingRenderers,
    is_permutation,
    make_ordering_spec,
    ordering_schema,
)

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
    )
)


# --- renderers (the soundness kit): the paper's shuffle questions, 3 or 4 pieces --------------

_LAYOUTS = {
    3: (("horizontal", "Left-Middle-Right"), ("vertical", "Top-Middle-Bottom")),
    4: (
        ("2x2", "TopLeft-TopRight-BottomLeft-BottomRight"),
        ("masked", "TopLeft-TopRight-BottomLeft-BottomRight"),
        ("horizontal", "Left-Middle1-Middle2-Right"),
        ("vertical", "Top-Middle1-Middle2-Bottom"),
    ),
}


def question(n: int, rng: random.Random) -> str:
    """A shuffle question for `n` pieces in one of the paper's layouts."""
    layout, answer_format = rng.choice(_LAYOUTS.get(n, _LAYOUTS[4]))
    if layout == "2x2":
        pieces = f"divided into {n} shuffled patches"
    elif layout == "masked":
        pieces = f"divided into {n} shuffled patches, and one of them is masked in white"
    else:
        pieces = f"cut into {n} shuffled {layout} strips"
    labels = ", ".join(str(i) for i in range(n - 1)) + f", and {n - 1}"
    return (
        f"<image>The image is {pieces} labeled {labels}. Please answer the correct arrangement "
        f"of the pieces that restores the original image, in the format '{answer_format}'."
    )


SPEC = attach_renderers(
    SPEC, OrderingRenderers(0, (3, 4), question), answer_schema=ordering_schema(0)
)
