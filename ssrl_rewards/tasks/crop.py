"""Cropped-patch inpainting: which of four candidate images (A-D) fills the black hole.

The options are images, so only the letter grammar of `choice` applies (no option text).
"""

from __future__ import annotations

import random
from typing import Any

from ssrl_rewards.registry import attach_renderers, register_task
from ssrl_rewards.tasks.letters import LetterRenderers, is_letter, letter_schema, make_choice_spec

__all__ = ["SPEC"]


def claims(payload: Any, prompt: str | None) -> bool:
    """A letter ground truth whose prompt asks for the missing part."""
    return is_letter(payload) and prompt is not None and "missing part" in prompt.lower()


SPEC = register_task(
    make_choice_spec(
        "crop",
        ("crop_inpainting", "cropped_patch_inpainting", "inpainting", "cropped_patch"),
        "Cropped patch inpainting: the letter of the candidate patch that fills the hole.",
        claims,
        infer_rank=40,
        uses_options=False,
    )
)


# --- renderers (the soundness kit): the paper's crop question ---------------------------------

CROP_QUESTION = (
    "Which image is the missing part in the first image <image>? Please select one of the "
    "four options <image><image><image><image>. The final answer should be chosen from "
    "'A', 'B', 'C', and 'D'."
)


def question(rng: random.Random) -> str:
    """The crop question (the options are images, so it is always the same)."""
    del rng
    return CROP_QUESTION


SPEC = attach_renderers(SPEC, LetterRenderers(question, uses_options=False), letter_schema)
