"""A plain A-D choice: a letter ground truth whose task is not known.

Scores letters when neither an explicit task nor the prompt says crop or position; the
prompt's options are still used when it lists any.
"""

from __future__ import annotations

import random
from typing import Any

from ssrl_rewards.registry import attach_renderers, register_task
from ssrl_rewards.tasks.letters import LetterRenderers, is_letter, letter_schema, make_choice_spec

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


# --- renderers (the soundness kit): a bare letter with no prompt ------------------------------


def question(rng: random.Random) -> None:
    """No prompt: the generic choice is what a letter is when nothing says more."""
    del rng


SPEC = attach_renderers(SPEC, LetterRenderers(question, uses_options=True), letter_schema)
