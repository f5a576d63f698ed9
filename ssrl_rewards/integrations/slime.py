"""slime custom reward functions: ``--custom-rm-path`` (one sample) and its batched variant.

    --custom-rm-path ssrl_rewards.integrations.slime.reward_func              # one Sample
    --custom-rm-path ssrl_rewards.integrations.slime.batched_reward_func --group-rm  # a group

slime imports the function named by ``--custom-rm-path`` and awaits
``fn(args, sample)`` (or ``fn(args, samples)`` with ``--group-rm``, one reward per sample
in order). A `Sample` carries ``prompt`` (text or chat messages), ``response`` (the reply
alone), ``label`` (the ground truth) and ``metadata`` (a dict; its ``task`` names the
task). The row contract reads them (`ssrl_rewards.rows.read_row`). Returns floats (the
score or the chosen component). Configuration: ``$SSRL_REWARDS_CONFIG``.

slime's built-in ``remote_rm`` (``--rm-type remote_rm --rm-url http://host:port/get_reward``)
posts ``{prompt, response, label}`` to a server: ``ssrl-rewards serve`` answers it too.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Mapping, Sequence
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

__all__ = ["TRAINER", "SlimeReward", "batched_reward_func", "reward_func"]


class SlimeReward(SSRLReward):
    """slime reward: `score_sample` for one `Sample`, `score_samples` for a group."""

    framework = "slime"

    def score_sample(self, sample: object, index: int = 0) -> float:
        """The reward of one slime `Sample` (any object with its attributes, or a dict)."""
        get = sample.get if isinstance(sample, Mapping) else functools.partial(getattr, sample)
        metadata = get("metadata", None)
        row: dict[str, Any] = {
            "response": get("response", None),
            "label": get("label", None),
            "prompt": get("prompt", None),
        }
        if isinstance(metadata, Mapping):
            for key in ("task", "data_source"):
                if key in metadata:
                    row[key] = metadata[key]
        parsed = read_row(
            row,
            index=index,
            completion_key="response",
            ground_truth_key="label",
            prompt_key="prompt" if row["prompt"] is not None else None,
            task_key=self.task_key,
            task=self.task,
        )
        return float(self._value(self._score(parsed)))

    def score_samples(self, samples: Sequence[object]) -> list[float]:
        """One reward per sample, in order."""
        return [self.score_sample(sample, index) for index, sample in enumerate(samples)]

    async def __call__(self, args: object, sample: object, **kwargs: Any) -> Any:
        """slime's custom reward signature: a float for a sample, a list for a group."""
        if isinstance(sample, Sequence) and not isinstance(sample, (str, Mapping)):
            return self.score_samples(sample)
        return self.score_sample(sample)


async def reward_func(args: object, sample: object, **kwargs: Any) -> float:
    """``--custom-rm-path`` target for one sample (configured by ``$SSRL_REWARDS_CONFIG``)."""
    return _reward().score_sample(sample)


async def batched_reward_func(
    args: object, samples: Sequence[object], **kwargs: Any
) -> list[float]:
    """``--custom-rm-path`` target with ``--group-rm``: one reward per sample, in order."""
    return _reward().score_samples(samples)


def _reward() -> SlimeReward:
    return _cached(os.environ.get(CONFIG_ENV_VAR, "").strip())


@functools.lru_cache(maxsize=8)
def _cached(raw: str) -> SlimeReward:
    return reward_from_fields(SlimeReward, fields_from_env({CONFIG_ENV_VAR: raw}))


def _hooks() -> str:
    return """\
# slime: a custom reward function (one sample per call)
--custom-rm-path ssrl_rewards.integrations.slime.reward_func
# or one call per group:
# --group-rm --custom-rm-path ssrl_rewards.integrations.slime.batched_reward_func
# config (optional): export SSRL_REWARDS_CONFIG='{"format_weight": 0.1}'
# or the HTTP server: ssrl-rewards serve --port 5000
# --rm-type remote_rm --rm-url http://127.0.0.1:5000/get_reward
"""


def _example(reward: SlimeReward, rows: Sequence[ExampleRow]) -> list[float | None]:
    """slime's ``--group-rm`` call: ``await fn(args, samples)`` on Sample-shaped dicts."""
    samples = [
        {
            "prompt": r.prompt,
            "response": r.completion,
            "label": r.ground_truth,
            "metadata": {"task": r.task} if r.task else {},
        }
        for r in rows
    ]
    out: list[float | None] = asyncio.run(reward(None, samples))
    return out


TRAINER = TrainerSpec(
    name="slime",
    reward_class=SlimeReward,
    hooks=_hooks,
    summary="slime: --custom-rm-path (one Sample or a --group-rm group) or remote_rm",
    example=_example,
    order=70,
)
