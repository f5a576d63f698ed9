"""ms-swift GRPO reward plugin: ORM classes ``ssrl``, ``ssrl_accuracy``, ``ssrl_format``.

    swift rlhf --rlhf_type grpo \\
        --external_plugins <ssrl_rewards>/integrations/ms_swift_plugin/ssrl_rewards_plugin.py \\
        --reward_funcs ssrl_accuracy ssrl_format --reward_weights 0.9 0.1

The plugin file (printed by ``ssrl-rewards hooks swift``) calls `register`, which adds the
classes to ms-swift's ``orms`` registry. It sits in a directory of its own because
ms-swift puts a plugin's directory first on ``sys.path``: next to this package's other
modules it would shadow packages named ``verl``, ``openrlhf`` or ``swift``.

ms-swift builds each class as ``cls(args=grpo_args)`` and calls it as
``reward(completions, **columns)``; the rules are those of `SwiftReward` (the TRL rules,
with the prompt taken from the ``messages`` column). Configuration comes from
``$SSRL_REWARDS_CONFIG`` (a JSON object of `RewardConfig` fields plus ``task``).
Importing this module does not import ms-swift; `register` does.
"""

from __future__ import annotations

import importlib
from collections.abc import MutableMapping, Sequence
from typing import Any

from ssrl_rewards.config import make_config
from ssrl_rewards.errors import ConfigError
from ssrl_rewards.integrations.base import (
    ExampleRow,
    TrainerSpec,
    fields_from_env,
    integration_path,
)
from ssrl_rewards.integrations.trl import TRLReward

__all__ = [
    "SWIFT_REWARDS",
    "TRAINER",
    "SSRLAccuracyORM",
    "SSRLFormatORM",
    "SSRLScoreORM",
    "SwiftReward",
    "register",
]


class SwiftReward(TRLReward):
    """ms-swift GRPO ORM: ``reward(completions, **columns)`` with completions positional.

    ms-swift passes each completion as the final message's text and the dataset columns
    (including ``messages``, whose user messages hold the prompt) as keywords. Otherwise
    the TRL rules apply (the row contract): ground truth from the default columns, task
    from the task cells, None for rows of other tasks (ms-swift turns it into NaN).
    """

    framework = "swift"

    def __call__(  # type: ignore[override]
        self, completions: Sequence[object] | None = None, **kwargs: Any
    ) -> list[float | None]:
        """Score an ms-swift batch (see the class docstring)."""
        messages = kwargs.get("messages")
        prompts = kwargs.pop("prompts", None)
        if prompts is None and isinstance(messages, Sequence) and not isinstance(messages, str):
            prompts = list(messages)
        return super().__call__(prompts=prompts, completions=completions, **kwargs)


class _SSRLORM(SwiftReward):
    """A `SwiftReward` built the way ms-swift builds ORMs: ``cls(args=...)``."""

    component_name = "score"

    def __init__(self, args: object = None, **kwargs: Any) -> None:
        fields = fields_from_env()
        fields.pop("component", None)
        task = fields.pop("task", None)
        super().__init__(component=self.component_name, task=task, config=make_config(**fields))


class SSRLScoreORM(_SSRLORM):
    """Full score (``accuracy_weight * accuracy + format_weight * format``)."""

    component_name = "score"


class SSRLAccuracyORM(_SSRLORM):
    """Accuracy only (pair with ``ssrl_format`` and ``--reward_weights``)."""

    component_name = "accuracy"


class SSRLFormatORM(_SSRLORM):
    """Format only."""

    component_name = "format"


SWIFT_REWARDS: dict[str, type[_SSRLORM]] = {
    "ssrl": SSRLScoreORM,
    "ssrl_accuracy": SSRLAccuracyORM,
    "ssrl_format": SSRLFormatORM,
}
"""The names to pass to ``--reward_funcs``."""


def register(orms: MutableMapping[str, Any] | None = None) -> None:
    """Add our ORMs to ms-swift's registry (``swift.rewards.orms``; ``swift.plugin`` before 4)."""
    if orms is None:
        orms = _swift_orms()
    orms.update(SWIFT_REWARDS)


def _swift_orms() -> MutableMapping[str, Any]:
    for module_name in ("swift.rewards", "swift.plugin"):
        try:
            registry = getattr(importlib.import_module(module_name), "orms", None)
        except ImportError:
            continue
        if isinstance(registry, MutableMapping):
            return registry
    raise ConfigError("ms-swift's ORM registry was not found: is ms-swift installed?")


def _hooks() -> str:
    return f"""\
# ms-swift (GRPO): register our ORMs with a plugin file, then name them.
--external_plugins {integration_path("swift")}
--reward_funcs ssrl_accuracy ssrl_format --reward_weights 0.9 0.1
# (or --reward_funcs ssrl for the full score in one curve)
# config (optional): export SSRL_REWARDS_CONFIG='{{"mode": "paper"}}'
# Dataset columns: the ground truth in "ground_truth", "answer", "solution" or "label",
# the task in "task" (optional; else inferred).
"""


def _example(reward: SwiftReward, rows: Sequence[ExampleRow]) -> list[float | None]:
    """ms-swift's call: completions positional, the prompt inside ``messages``."""
    return reward(
        [r.completion for r in rows],
        solution=[r.ground_truth for r in rows],
        task=[r.task for r in rows],
        messages=[[{"role": "user", "content": r.prompt or ""}] for r in rows],
    )


TRAINER = TrainerSpec(
    name="swift",
    reward_class=SwiftReward,
    hooks=_hooks,
    summary="ms-swift GRPO: ORM plugin (--external_plugins, --reward_funcs ssrl)",
    example=_example,
    aliases=("ms-swift", "ms_swift"),
    order=50,
)
