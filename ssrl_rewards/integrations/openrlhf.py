"""OpenRLHF reward function file: ``reward_func(queries, prompts, labels)``.

    --reward.remote_url <path of this file> --data.label_key answer      # OpenRLHF >= 0.10.2
    --remote_rm_url <path of this file> --label_key answer               # OpenRLHF <= 0.10.1

OpenRLHF loads this file by path (as module ``reward_func``) and calls it from a thread
of its rollout actor, one sample per call since 0.9.1. ``queries`` are prompt plus
response with special tokens; the response is found after the last assistant header.
``labels`` are the ground truths (a dict/JSON label may carry the task). Configuration
comes from the environment, as OpenRLHF passes no arguments: ``SSRL_REWARDS_CONFIG`` is
a JSON object of `RewardConfig` fields plus ``task`` and ``component``. Returns
``{"rewards", "scores", "extra_logs"}`` as 1-D float tensors.

A bad label raises (after logging the reason at ERROR level, since OpenRLHF logs
reward exceptions only at INFO). For a reward server instead of a file, run
``ssrl-rewards serve`` and pass its ``/get_reward`` URL.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence
from typing import Any

from ssrl_rewards.errors import SSRLRewardsError
from ssrl_rewards.reward_fn import (
    CONFIG_ENV_VAR,
    OpenRLHFReward,
    fields_from_env,
    reward_from_fields,
)

__all__ = ["reward_func"]

logger = logging.getLogger("ssrl_rewards")


def reward_func(
    queries: Sequence[object],
    prompts: Sequence[object] | None = None,
    labels: Sequence[object] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """``{"rewards", "scores", "extra_logs"}`` tensors for OpenRLHF (see the module docstring)."""
    try:
        return _cached(os.environ.get(CONFIG_ENV_VAR, "").strip())(queries, prompts, labels)
    except SSRLRewardsError as exc:
        logger.error("ssrl_rewards reward_func: %s", exc)
        raise


@functools.lru_cache(maxsize=8)
def _cached(raw: str) -> OpenRLHFReward:
    """The reward for one value of ``$SSRL_REWARDS_CONFIG`` (parsed once)."""
    return reward_from_fields(OpenRLHFReward, fields_from_env({CONFIG_ENV_VAR: raw}))
