"""AReaL reward function: ``reward_fn(prompt, completions, prompt_ids, completion_ids, **data)``.

    RLVRWorkflow(reward_fn="ssrl_rewards.integrations.areal.reward_fn", ...)
    VisionRLVRWorkflow(reward_fn="ssrl_rewards.integrations.areal.reward_fn", ...)

AReaL's RLVR workflows decode one completion and call the reward function once per
sample, in a process pool (`AsyncRewardWrapper`), with the templated prompt, the
completion text, both token-id lists and every other column of the dataset row as
keyword arguments. The row is read by the row contract (`ssrl_rewards.rows.read_row`):
the ground truth from ``answer``, ``solution``, ``ground_truth``... (or
``ground_truth_key``), the task from a ``task`` column, a dict ground truth or inference.
Returns the score (or the chosen component) as a float. Configuration:
``$SSRL_REWARDS_CONFIG`` for the module function, or `AReaLReward` with arguments (a
picklable instance can be given to the workflow instead of the import path).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

from ssrl_rewards.integrations.base import (
    CONFIG_ENV_VAR,
    ExampleRow,
    SSRLReward,
    TrainerSpec,
    fields_from_env,
    reward_from_fields,
)
from ssrl_rewards.rows import read_row

__all__ = ["TRAINER", "AReaLReward", "reward_fn"]

_COMPLETION = "\x00completion"  # a column name no dataset has
_PROMPT = "\x00prompt"


class AReaLReward(SSRLReward):
    """AReaL ``reward_fn``: one completion in, one float out (see the module docstring)."""

    framework = "areal"

    def __call__(
        self,
        prompt: object = None,
        completions: object = None,
        prompt_ids: object = None,
        completion_ids: object = None,
        **data: Any,
    ) -> float:
        """Score one AReaL sample; a bad ground truth raises naming the column."""
        row = dict(data)
        row[_COMPLETION] = completions
        row[_PROMPT] = prompt
        parsed = read_row(
            row,
            index=0,
            completion_key=_COMPLETION,
            ground_truth_key=self.ground_truth_key,
            task_key=self.task_key,
            prompt_key=_PROMPT if prompt is not None else None,
            task=self.task,
        )
        return float(self._value(self._score(parsed)))


def reward_fn(
    prompt: object = None,
    completions: object = None,
    prompt_ids: object = None,
    completion_ids: object = None,
    **data: Any,
) -> float:
    """AReaL's reward-function signature, configured by ``$SSRL_REWARDS_CONFIG``."""
    reward = _cached(os.environ.get(CONFIG_ENV_VAR, "").strip())
    return reward(prompt, completions, prompt_ids, completion_ids, **data)


@functools.lru_cache(maxsize=8)
def _cached(raw: str) -> AReaLReward:
    return reward_from_fields(AReaLReward, fields_from_env({CONFIG_ENV_VAR: raw}))


def _hooks() -> str:
    return """\
# AReaL (RLVRWorkflow / VisionRLVRWorkflow): the reward function by import path
workflow = RLVRWorkflow(reward_fn="ssrl_rewards.integrations.areal.reward_fn", ...)
# config (optional): export SSRL_REWARDS_CONFIG='{"format_weight": 0.1}'
# or an instance: reward_fn=AReaLReward(ground_truth_key="answer")
"""


def _example(reward: AReaLReward, rows: Sequence[ExampleRow]) -> list[float | None]:
    """AReaL's call per sample: prompt, completion, token ids, then the row's columns."""
    return [
        reward(r.prompt, r.completion, [1], [2], answer=r.ground_truth, task=r.task) for r in rows
    ]


TRAINER = TrainerSpec(
    name="areal",
    reward_class=AReaLReward,
    hooks=_hooks,
    summary="AReaL RLVR workflows: reward_fn(prompt, completions, prompt_ids, completion_ids, **data)",  # noqa: E501
    example=_example,
    order=60,
)
