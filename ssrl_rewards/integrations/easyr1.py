"""EasyR1 reward function file (upstream hiyouga/EasyR1 and the Spatial-SSRL fork).

    worker.reward.reward_function=<path of this file>:compute_score
    worker.reward.reward_function_kwargs='{"mode": "paper"}'     # optional config fields
    worker.reward.reward_type=batch          # the fork only; upstream reads REWARD_TYPE

EasyR1 loads this file by path (as module ``custom_reward_fn``) inside a Ray actor, so
the package is imported absolutely. Each input holds only ``response``,
``response_length`` and ``ground_truth``: the task rides along in a dict/JSON ground
truth (``{"task": "depth", "answer": "3-1-2"}``), is inferred from its shape, or is
fixed for the run with ``reward_function_kwargs={"task": ...}``. EasyR1 passes no prompt,
so a position row brings its options in the ground truth:
``{"task": "position", "answer": "B", "options": {"A": "Left", "B": "Right"}}``.
Returns one dict per input with numeric ``overall``, ``format`` and ``accuracy`` (EasyR1
logs each as ``reward/<key>``). Keyword arguments are `RewardConfig` fields plus ``task``
and ``component``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from ssrl_rewards.errors import ConfigError
from ssrl_rewards.integrations.base import (
    ExampleRow,
    SSRLReward,
    TrainerSpec,
    adopt_canonical,
    integration_path,
    reward_from_fields,
)
from ssrl_rewards.rows import Row, ground_truth_task, score_row

__all__ = ["REWARD_NAME", "REWARD_TYPE", "TRAINER", "EasyR1Reward", "compute_score"]

REWARD_TYPE = "batch"
REWARD_NAME = "ssrl"


class EasyR1Reward(SSRLReward):
    """EasyR1 batch reward: ``fn(reward_inputs)`` with dicts holding ``response``,
    ``response_length`` and ``ground_truth``; returns one dict per input with numeric
    ``overall`` (this callable's component), ``format`` and ``accuracy``. The task comes
    from a dict/JSON ground truth (a foreign or misspelled one raises), else inference
    (or ``task=`` for the whole run); the ground truth's ``options`` stand in for the
    prompt.
    """

    framework = "easyr1"

    def __call__(self, reward_inputs: Sequence[object], **kwargs: Any) -> list[dict[str, float]]:
        """Score an EasyR1 batch (see the class docstring)."""
        out = []
        for index, item in enumerate(reward_inputs):
            row = item if isinstance(item, Mapping) else {}
            if "ground_truth" not in row:
                raise ConfigError(
                    f"reward_inputs[{index}] has no 'ground_truth' key "
                    f"(keys: {sorted(map(str, row))}); check data.answer_key"
                )
            truth = row["ground_truth"]
            where = f"ground_truth of reward_inputs[{index}]"
            task = self.task
            if task is None:
                task = ground_truth_task(truth, column=f"reward_inputs[{index}].ground_truth")
            result = score_row(
                Row(row.get("response"), truth, task, None, "ground_truth", index),
                self.config,
                where=where,
            )
            out.append(
                {
                    "overall": self._value(result),
                    "format": result.format,
                    "accuracy": result.accuracy,
                }
            )
        return out


def compute_score(reward_inputs: Sequence[object], **kwargs: Any) -> list[dict[str, float]]:
    """One ``{"overall", "format", "accuracy"}`` dict per reward input."""
    key = tuple(sorted(kwargs.items()))
    try:
        reward = _cached(key)
    except TypeError:  # an unhashable value (e.g. a list): build uncached
        reward = reward_from_fields(EasyR1Reward, kwargs)
    return reward(reward_inputs)


@functools.lru_cache(maxsize=64)
def _cached(key: tuple[tuple[str, Any], ...]) -> EasyR1Reward:
    return reward_from_fields(EasyR1Reward, dict(key))


def _hooks() -> str:
    return f"""\
# EasyR1 (upstream hiyouga/EasyR1 and the Spatial-SSRL fork): config overrides.
worker.reward.reward_function={integration_path("easyr1")}:compute_score
# (the file sets REWARD_TYPE = "batch" for upstream; the Spatial-SSRL fork's
#  worker.reward.reward_type defaults to batch: leave it unset, upstream rejects the key)
# optional config fields, task or component:
# worker.reward.reward_function_kwargs='{{"mode": "paper"}}'
# Task: a dict/JSON ground truth {{"task": "depth", "answer": "3-1-2"}}, else inferred.
# Position options (no prompt reaches the reward):
# {{"task": "position", "answer": "B", "options": {{"A": "Left", "B": "Right"}}}}
"""


def _example(reward: EasyR1Reward, rows: Sequence[ExampleRow]) -> list[float | None]:
    """EasyR1's batch call; a task rides in a dict ground truth (EasyR1 passes no prompt)."""
    inputs = [
        {
            "response": r.completion,
            "response_length": len(r.completion),
            "ground_truth": {"task": r.task, "answer": r.ground_truth}
            if r.task
            else r.ground_truth,
        }
        for r in rows
    ]
    return [float(out["overall"]) for out in reward(inputs)]


TRAINER = TrainerSpec(
    name="easyr1",
    reward_class=EasyR1Reward,
    hooks=_hooks,
    summary="EasyR1: batch reward function file (worker.reward.reward_function)",
    example=_example,
    order=30,
)

adopt_canonical(globals(), "ssrl_rewards.integrations.easyr1")
