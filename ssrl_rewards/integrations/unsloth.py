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

from collections.abc import Sequence
from typing import Any

from ssrl_rewards.config import make_config
from ssrl_rewards.integrations.base import ExampleRow, TrainerSpec
from ssrl_rewards.integrations.trl import TRLReward

__all__ = ["TRAINER", "UnslothReward", "reward_funcs"]


class UnslothReward(TRLReward):
    """TRL's reward callable under Unsloth's name (``make_reward_fn("unsloth")``):
    Unsloth's GRPOTrainer calls it exactly as TRL's does."""

    framework = "unsloth"


def reward_funcs(*, log_components: bool = False, **fields: Any) -> list[UnslothReward]:
    """TRL reward callables for Unsloth's GRPOTrainer; `fields` are `RewardConfig` fields
    plus ``task``, ``ground_truth_key`` and ``task_key``."""
    task = fields.pop("task", None)
    ground_truth_key = fields.pop("ground_truth_key", None)
    task_key = fields.pop("task_key", "task")
    config = make_config(**fields)
    components = ("score", "accuracy", "format") if log_components else ("score",)
    return [
        UnslothReward(
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


def _example(reward: UnslothReward, rows: Sequence[ExampleRow]) -> list[float | None]:
    """Unsloth calls TRL's way: keyword lists, ground truth and task as columns."""
    return reward(
        prompts=[r.prompt or "" for r in rows],
        completions=[r.completion for r in rows],
        answer=[r.ground_truth for r in rows],
        task=[r.task for r in rows],
    )


TRAINER = TrainerSpec(
    name="unsloth",
    reward_class=UnslothReward,
    hooks=_hooks,
    summary="Unsloth GRPO: TRL reward functions (Unsloth's GRPOTrainer is TRL's)",
    example=_example,
    order=110,
)
