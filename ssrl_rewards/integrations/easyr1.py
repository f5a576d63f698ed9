"""EasyR1 reward function file (upstream hiyouga/EasyR1 and the Spatial-SSRL fork).

    worker.reward.reward_function=<path of this file>:compute_score
    worker.reward.reward_function_kwargs='{"mode": "paper"}'     # optional config fields
    worker.reward.reward_type=batch          # the fork only; upstream reads REWARD_TYPE

EasyR1 loads this file by path (as module ``custom_reward_fn``) inside a Ray actor, so
the package is imported absolutely. Each input holds only ``response``,
``response_length`` and ``ground_truth``: the task rides along in a dict/JSON ground
truth (``{"task": "depth", "answer": "3-1-2"}``), is inferred from its shape, or is
fixed for the run with ``reward_function_kwargs={"task": ...}``. Returns one dict per
input with numeric ``overall``, ``format`` and ``accuracy`` (EasyR1 logs each as
``reward/<key>``). Keyword arguments are `RewardConfig` fields plus ``task`` and
``component``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from ssrl_rewards.reward_fn import EasyR1Reward, reward_from_fields

__all__ = ["REWARD_NAME", "REWARD_TYPE", "compute_score"]

REWARD_TYPE = "batch"
REWARD_NAME = "ssrl"


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
