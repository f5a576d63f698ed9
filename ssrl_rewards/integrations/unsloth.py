"""Unsloth GRPO: Unsloth's GRPOTrainer is TRL's, so it takes TRL reward functions.

    from unsloth import FastLanguageModel, PatchFastRL      # before importing trl
    from trl import GRPOConfig, GRPOTrainer
    trainer = GRPOTrainer(model=model, reward_funcs=reward_funcs(), args=GRPOConfig(...),
                          train_dataset=dataset)            # columns: prompt, answer, task

`reward_funcs` returns TRL callables (`ssrl_rewards.integrations.trl.TRLReward`): the
score alone, or the score plus accuracy and format callables with zero weight for logging
(``reward_weights=[1, 0, 0]``). Everything TRL's integration documents holds.
"""

from __future__ import annotations

from typing import Any

from ssrl_rewards.config import make_config
from ssrl_rewards.integrations.base import TrainerSpec
from ssrl_rewards.integrations.trl import TRLReward

__all__ = ["SPEC", "reward_funcs"]


def reward_funcs(*, log_components: bool = False, **fields: Any) -> list[TRLReward]:
    """TRL reward callables for Unsloth's GRPOTrainer; `fields` are `RewardConfig` fields
    plus ``task``, ``ground_truth_key`` and ``task_key``."""
    task = fields.pop("task", None)
    ground_truth_key = fields.pop("ground_truth_key", None)
    task_key = fields.pop("task_key", "task")
    config = make_config(**fields)
    components = ("score", "accuracy", "format") if log_components else ("score",)
    return [
        TRLReward(
            component=component,
            task=task,
            config=config,
            ground_truth_key=ground_truth_key,
            task_key=task_key,
        )
        for component in components
    ]


def _hooks() -> str:
    return """\
# Unsloth GRPO (TRL's GRPOTrainer, patched by unsloth): TRL reward functions
from ssrl_rewards.integrations.unsloth import reward_funcs
trainer = GRPOTrainer(model=model, reward_funcs=reward_funcs(), args=GRPOConfig(...),
                      train_dataset=dataset)   # columns: prompt, answer (or solution), task
# score plus logged components: reward_funcs(log_components=True), reward_weights=[1, 0, 0]
"""


SPEC = TrainerSpec(  # registered once the shared tests cover it: rename to TRAINER
    name="unsloth",
    reward_class=TRLReward,
    hooks=_hooks,
    summary="Unsloth GRPO: TRL reward functions (Unsloth's GRPOTrainer is TRL's)",
    order=110,
)
