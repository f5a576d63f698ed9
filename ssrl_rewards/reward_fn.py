"""`make_reward_fn`: the Spatial-SSRL reward shaped for each GRPO trainer's calling convention.

    from ssrl_rewards import make_reward_fn
    reward = make_reward_fn("trl")                        # full score, default mode
    acc = make_reward_fn("trl", component="accuracy")     # or "format": separate TRL curves
    paper = make_reward_fn("trl", mode="paper")           # any RewardConfig field as a keyword

The trainers are registered in `ssrl_rewards.integrations` (one module each, holding its
callable class, entry points and hooks text); this module builds the one asked for and
keeps the old import paths working (``from ssrl_rewards.reward_fn import TRLReward``).
Every reward function is an instance of a module-level class, never a closure: trainers
ship them to worker processes and Ray actors, call them from thread pools and log them
under ``__name__`` (``ssrl_score``, ``ssrl_accuracy``, ``ssrl_format``). No trainer
package is imported here. Rows are read by the row contract (`ssrl_rewards.rows`).
"""

from __future__ import annotations

from typing import Any

from ssrl_rewards.config import RewardConfig, make_config
from ssrl_rewards.integrations.base import (
    COMPONENTS,
    CONFIG_ENV_VAR,
    SSRLReward,
    fields_from_env,
    get_trainer,
    reward_from_fields,
    trainer_names,
)
from ssrl_rewards.integrations.easyr1 import EasyR1Reward
from ssrl_rewards.integrations.openrlhf import OpenRLHFReward
from ssrl_rewards.integrations.swift import SwiftReward
from ssrl_rewards.integrations.trl import TRLReward
from ssrl_rewards.integrations.verl import VerlReward
from ssrl_rewards.rows import (
    GROUND_TRUTH_COLUMNS,
    completion_text,
    extract_response,
    strip_template,
)

__all__ = [
    "COMPONENTS",
    "CONFIG_ENV_VAR",
    "FRAMEWORKS",
    "GROUND_TRUTH_COLUMNS",
    "EasyR1Reward",
    "OpenRLHFReward",
    "SSRLReward",
    "SwiftReward",
    "TRLReward",
    "VerlReward",
    "completion_text",
    "extract_response",
    "fields_from_env",
    "make_reward_fn",
    "reward_from_fields",
    "strip_template",
]

FRAMEWORKS: tuple[str, ...] = trainer_names()
"""The registered trainers (`ssrl_rewards.integrations.base.trainer_names`)."""


def make_reward_fn(
    framework: str,
    *,
    component: str = "score",
    task: str | None = None,
    config: RewardConfig | None = None,
    ground_truth_key: str | None = None,
    task_key: str | None = "task",
    **config_fields: Any,
) -> SSRLReward:
    """A picklable, thread-safe reward callable for `framework`.

    - ``framework``: a registered trainer (`FRAMEWORKS`): ``"trl"``, ``"verl"``,
      ``"easyr1"``, ``"openrlhf"``, ``"swift"`` (ms-swift ORM), ``"areal"``, ``"slime"``,
      ``"roll"``, ``"nemo_gym"``, ``"verifiers"`` or ``"unsloth"``; case-insensitive.
    - ``component``: what the trainer optimises: ``"score"`` (weighted total),
      ``"accuracy"`` or ``"format"``. The callable's ``__name__`` is ``ssrl_<component>``.
    - ``task``: force one task for every row (name or alias); by default each row's task
      comes from its data (task cell, dict ground truth, data source) or is inferred
      (docs/rows.md has the decision table).
    - ``config`` plus ``**config_fields``: the `RewardConfig` (fields override the base).
    - ``ground_truth_key`` / ``task_key``: TRL dataset columns (by default the ground
      truth comes from the columns in `GROUND_TRUTH_COLUMNS`, which must agree;
      ``task_key=None`` ignores task columns).

    Raises `ConfigError` for an unknown framework, component or config field and
    `UnknownTaskError` for an unknown ``task``.
    """
    spec = get_trainer(framework)
    cfg = make_config(config, **config_fields)
    return spec.reward_class(
        component=component,
        task=task,
        config=cfg,
        ground_truth_key=ground_truth_key,
        task_key=task_key,
    )
