"""Cropped-patch inpainting: which of four candidate images (A-D) fills the black hole.

The options are images, so only the letter grammar of `choice` applies (no option text).
"""

from __future__ import annotations

from typing import Any

from ssrl_rewards.registry import register_task
from ssrl_rewards.tasks.letters import is_letter, make_choice_spec

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
