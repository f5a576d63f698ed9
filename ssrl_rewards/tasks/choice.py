"""A plain A-D choice: a letter ground truth whose task is not known.

Scores letters when neither an explicit task nor the prompt says crop or position; the
prompt's options are still used when it lists any.
"""

from __future__ import annotations

from typing import Any

from ssrl_rewards.registry import register_task
from ssrl_rewards.tasks.letters import is_letter, make_choice_spec

__all__ = ["SPEC"]


def claims(payload: Any, prompt: str | None) -> bool:
    """Any one-letter ground truth (asked last)."""
    del prompt
    return is_letter(payload)


SPEC = register_task(
    make_choice_spec(
        "choice",
        ("multiple_choice", "letter"),
        "A plain A-D choice: a letter ground truth whose task is not known.",
        claims,
        infer_rank=99,
        uses_options=True,
    )
)
