"""Video clip ordering (VideoSSR, Visual Jigsaw): the shuffled clips in temporal order.

The clips are shown shuffled and labelled 1..n (3 <= n <= 8); the answer lists the labels
in the order the clips happened (``"3-4-1-5-6-2"``: clip 3 comes first). Every ordering
notation of shuffle and depth is accepted (``3, 4, 1, 5, 6, 2``, ``341562``,
``3 -> 4 -> 1 ...``, brackets, wrappers), hedges pay nothing.

Credit modes: ``exact``; ``positionwise``; ``kendall``; ``footrule``, VideoSSR's
1 - Σ|Δpos| / (n²/2); ``adjacency``, the share of consecutive clip pairs kept.

Inference: a bare 1-based permutation is claimed here only when the prompt speaks of
clips, frames (plural: "in the frame" is an image's) or a video; otherwise it stays
``depth`` (the paper's data). Select this
task by name or alias (``clip_order``, ``video_order``, ...), by ``{"task": ...}`` in the
ground truth, or by a data source.
"""

from __future__ import annotations

import dataclasses
import random
import re
from typing import Any

from ssrl_rewards.errors import GroundTruthError
from ssrl_rewards.ground_truth import as_labels
from ssrl_rewards.registry import TaskSpec, attach_renderers, register_task
from ssrl_rewards.tasks.ordering import (
    Ordering,
    OrderingRenderers,
    is_permutation,
    make_ordering_spec,
    ordering_schema,
)

__all__ = ["MAX_CLIPS", "MIN_CLIPS", "SPEC"]

_NAME = "frame_order"
MIN_CLIPS = 3
MAX_CLIPS = 8
# "frame" alone is common in image questions ("in the frame"); its plural is not
_VIDEO_WORDS = re.compile(r"\b(?:clips?|frames|videos?)\b", re.IGNORECASE)


def claims(payload: Any, prompt: str | None) -> bool:
    """A 1-based permutation of 3-8 labels whose prompt speaks of clips, frames or video."""
    labels = as_labels(payload)
    return (
        labels is not None
        and MIN_CLIPS <= len(labels) <= MAX_CLIPS
        and is_permutation(labels, 1)
        and prompt is not None
        and _VIDEO_WORDS.search(prompt) is not None
    )


_BASE = make_ordering_spec(
    _NAME,
    ("clip_order", "clip_ordering", "video_order", "video_clip_order", "frame_ordering",
     "temporal_order", "clip_reordering"),
    "Video clip ordering: the shuffled clips' labels in temporal order.",
    base=1,
    examples=("3-4-1-5-6-2", "2-3-1"),
    claims=claims,
    infer_rank=24,
)  # fmt: skip


def parse_ground_truth(payload: Any) -> Ordering:
    """Strict: a permutation of 1..n with 3 <= n <= 8."""
    truth: Ordering = _BASE.parse_ground_truth(payload)
    if not MIN_CLIPS <= len(truth.labels) <= MAX_CLIPS:
        raise GroundTruthError(
            _NAME, payload, f"orders {len(truth.labels)} clips; expected {MIN_CLIPS} to {MAX_CLIPS}"
        )
    return truth


SPEC: TaskSpec[Ordering, Ordering] = register_task(
    dataclasses.replace(
        _BASE,
        answer_format=f"a permutation of the clip labels 1..n ({MIN_CLIPS} <= n <= {MAX_CLIPS})"
        " joined by '-', earliest clip first",
        parse_ground_truth=parse_ground_truth,
    )
)


# --- renderers (the soundness kit): VideoSSR-style clip-ordering questions, 3-8 clips ------


def question(n: int, rng: random.Random) -> str:
    """A clip-ordering question for `n` clips."""
    del rng
    return (
        f"<video>The video was cut into {n} clips, shown shuffled and labelled 1 to {n}."
        " Give the clip labels in the order the clips happened, earliest first, joined by"
        " '-'."
    )


SPEC = attach_renderers(
    SPEC,
    OrderingRenderers(1, tuple(range(MIN_CLIPS, MAX_CLIPS + 1)), question),
    answer_schema=ordering_schema(1),
)
