"""ssrl_rewards: typed, hedge-proof rewards for the five Spatial-SSRL pretext tasks.

>>> import ssrl_rewards as sr
>>> sr.score("<think>Patch 0 holds the sky.</think> \\\\boxed{0, 2, 3, 1}", "0-2-3-1").score
1.0
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from ssrl_rewards.config import DEFAULT_CONFIG, RewardConfig, make_config
from ssrl_rewards.envelope import Box, Envelope, parse_envelope
from ssrl_rewards.errors import ConfigError, GroundTruthError, SSRLRewardsError, UnknownTaskError
from ssrl_rewards.normalize import normalize_answer
from ssrl_rewards.prompts import parse_options, prompt_text
from ssrl_rewards.registry import TaskSpec, find_task, get_task, register_task, task_names
from ssrl_rewards.result import Reason, RewardResult
from ssrl_rewards.reward import parse_ground_truth, score, score_batch
from ssrl_rewards.reward_fn import make_reward_fn

if TYPE_CHECKING:  # imported on first use at run time (`__getattr__`): no pandas, no pyarrow
    from ssrl_rewards.batch import BatchScorer


def __getattr__(name: str) -> object:
    """`BatchScorer` is imported on first use (module ``ssrl_rewards.batch``)."""
    if name == "BatchScorer":
        from ssrl_rewards.batch import BatchScorer  # noqa: PLC0415 - lazy export

        return BatchScorer
    raise AttributeError(f"module 'ssrl_rewards' has no attribute {name!r}")


try:
    __version__ = version("ssrl-rewards")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "DEFAULT_CONFIG",
    "BatchScorer",
    "Box",
    "ConfigError",
    "Envelope",
    "GroundTruthError",
    "Reason",
    "RewardConfig",
    "RewardResult",
    "SSRLRewardsError",
    "TaskSpec",
    "UnknownTaskError",
    "__version__",
    "find_task",
    "get_task",
    "make_config",
    "make_reward_fn",
    "normalize_answer",
    "parse_envelope",
    "parse_ground_truth",
    "parse_options",
    "prompt_text",
    "register_task",
    "score",
    "score_batch",
    "task_names",
]
