"""Regional depth ordering: the region markers from nearest to farthest.

Position j is the j-th closest region; its value is that region's 1-based marker label.
Three regions in the paper's data; any n >= 2 works when given explicitly.
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
    """A 1-based permutation of at least three labels."""
    del prompt
    labels = as_labels(payload)
    return labels is not None and len(labels) >= 3 and is_permutation(labels, 1)


SPEC = register_task(
    make_ordering_spec(
        "depth",
        ("depth_ordering", "regional_depth_ordering", "depth_order", "relative_depth"),
        "Regional depth ordering: marker labels sorted from nearest to farthest.",
        base=1,
        examples=("3-1-2", "2-1-3"),
        claims=claims,
        infer_rank=25,
    )
)


# --- renderers (the soundness kit): the paper's three-region depth question -------------------


def question(n: int, rng: random.Random) -> str:
    """A depth question for `n` marked regions."""
    del rng
    labels = ", ".join(str(i) for i in range(1, n)) + f", and {n}"
    slots = "-".join(("Smallest", *(["Middle"] * (n - 2)), "Largest"))
    return (
        f"<image>There are {'three' if n == 3 else n} regions marked as {labels} in the image. "
        f"Please sort the depths of the {'three' if n == 3 else n} regions from smallest to "
        f"largest from the camera, in the format '{slots}'."
    )


SPEC = attach_renderers(
    SPEC, OrderingRenderers(1, (3,), question), answer_schema=ordering_schema(1)
)
