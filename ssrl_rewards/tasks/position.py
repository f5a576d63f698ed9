"""Relative 3D position: where region b lies for a camera imagined at region a.

The prompt lists the options (``A. Left B. Right C. Front D. Back`` or compound
``Left-Front`` …); the ground truth is only the letter, so option text in an answer is
resolved against the prompt.
"""

from __future__ import annotations

import random
from typing import Any

from ssrl_rewards.registry import attach_renderers, register_task
from ssrl_rewards.tasks.letters import LetterRenderers, is_letter, letter_schema, make_choice_spec

__all__ = ["SPEC"]


def claims(payload: Any, prompt: str | None) -> bool:
    """A letter ground truth whose prompt places a camera at a region marker."""
    if not is_letter(payload) or prompt is None:
        return False
    lowered = prompt.lower()
    return "camera" in lowered and "region marker" in lowered


SPEC = register_task(
    make_choice_spec(
        "position",
        ("relative_position", "relative_3d_position", "3d_position", "position_3d"),
        "Relative 3D position: the letter of the option (Left, Front, Right-Back, ...).",
        claims,
        infer_rank=30,
        uses_options=True,
    )
)


# --- renderers (the soundness kit): the paper's relative-position question -------------------

SIMPLE_OPTIONS = ("Left", "Right", "Front", "Back")
COMPOUND_OPTIONS = ("Left-Front", "Right-Front", "Right-Back", "Left-Back")
_FACINGS = ("to the left of the image", "to the right of the image", "to me", "away from me")


def question(rng: random.Random) -> str:
    """A position question listing simple or compound options in a random order."""
    compound = rng.random() < 0.5
    options = list(COMPOUND_OPTIONS if compound else SIMPLE_OPTIONS)
    rng.shuffle(options)
    far = compound or rng.random() < 0.5
    camera, target = rng.sample(("1", "2"), 2)
    listed = " ".join(f"{letter}. {text}" for letter, text in zip("ABCD", options, strict=True))
    ignore = " and ignore the height difference between the two regions" if far else ""
    return (
        "<image>I've taken an image and there are two regions marked as 1, and 2 on the "
        f"image. Assume that there is a camera at position '{camera}' and it's facing "
        f"{rng.choice(_FACINGS)}. According to the camera, where is the region marker "
        f"'{target}'? {listed}. Consider cues such as depth, orientation, and 3D spatial "
        f"relationship{ignore}. The final answer should be chosen from 'A', 'B', 'C', and 'D'."
    )


SPEC = attach_renderers(SPEC, LetterRenderers(question, uses_options=True), letter_schema)
