"""Relative 3D position: where region b lies for a camera imagined at region a.

The prompt lists the options (``A. Left B. Right C. Front D. Back`` or compound
``Left-Front`` …); the ground truth is only the letter, so option text in an answer is
resolved against the prompt.
"""

from __future__ import annotations

from typing import Any

from ssrl_rewards.registry import register_task
from ssrl_rewards.tasks.letters import is_letter, make_choice_spec

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
