"""verl custom reward function: ``compute_score`` for verl 0.9.x (and 0.7+).

    reward.custom_reward_function.path=pkg://ssrl_rewards.integrations.verl
    reward.custom_reward_function.name=compute_score
    +reward.custom_reward_function.reward_kwargs.mode=paper      # optional config fields

``reward_kwargs`` may hold any `RewardConfig` field, plus ``task`` (one task for every
sample) and ``component`` (``score`` | ``accuracy`` | ``format``: what ``score`` holds).
Each call returns ``{"score", "acc", "format", "pred"}``: the same keys every time, as
verl's reward loop requires. ``compute_score_batch`` serves verl's legacy ``batch``
reward manager (``compute_score(data_sources, solution_strs, ground_truths, extra_infos)``).
Loaded inside Ray actors and called from thread pools: stateless and thread-safe.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from ssrl_rewards.reward_fn import VerlReward, reward_from_fields

__all__ = ["compute_score", "compute_score_batch"]

# Keyword arguments verl itself adds to the call (a reward model's router); not config.
_VERL_KWARGS = frozenset({"reward_router_address", "reward_model_tokenizer"})


def compute_score(
    data_source: object = None,
    solution_str: object = None,
    ground_truth: object = None,
    extra_info: object = None,
    **kwargs: Any,
) -> dict[str, float | str]:
    """Score one sample: ``{"score", "acc", "format", "pred"}`` (see the module docstring)."""
    reward = _DEFAULT if not kwargs else _reward_for(kwargs)
    return reward.sample(data_source, solution_str, ground_truth, extra_info)


def compute_score_batch(
    data_sources: Sequence[object],
    solution_strs: Sequence[object],
    ground_truths: Sequence[object],
    extra_infos: Sequence[object] | None = None,
    **kwargs: Any,
) -> list[dict[str, float | str]]:
    """verl's legacy batch convention: one dict per sample, same keys as `compute_score`."""
    return _reward_for(kwargs).batch(data_sources, solution_strs, ground_truths, extra_infos)


def _reward_for(kwargs: dict[str, Any]) -> VerlReward:
    """The reward callable for these reward_kwargs (built once per distinct setting)."""
    fields = {k: v for k, v in kwargs.items() if k not in _VERL_KWARGS}
    key = tuple(sorted(fields.items()))
    try:
        return _cached(key)
    except TypeError:  # an unhashable value (e.g. a list): build uncached
        return reward_from_fields(VerlReward, fields)


@functools.lru_cache(maxsize=64)
def _cached(key: tuple[tuple[str, Any], ...]) -> VerlReward:
    return reward_from_fields(VerlReward, dict(key))


_DEFAULT = _cached(())  # the reward of a call without reward_kwargs
