"""OpenRLHF reward function file: ``reward_func(queries, prompts, labels)``.

    --reward.remote_url <path of this file> --data.label_key answer      # OpenRLHF >= 0.10.2
    --remote_rm_url <path of this file> --label_key answer               # OpenRLHF <= 0.10.1

OpenRLHF loads this file by path (as module ``reward_func``) and calls it from a thread
of its rollout actor, one sample per call since 0.9.1. ``queries`` are prompt plus
response with special tokens; the response is the query minus its prompt (allowing for
what a decode round trip changes), or the text after the last assistant header when the
prompt is absent or not found (`ssrl_rewards.rows.extract_response`). ``labels`` are
the ground truths (a dict/JSON label may carry the task and the options). Configuration
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

from ssrl_rewards.errors import ConfigError, SSRLRewardsError
from ssrl_rewards.integrations.base import (
    CONFIG_ENV_VAR,
    ExampleRow,
    SSRLReward,
    TrainerSpec,
    adopt_canonical,
    answered,
    fields_from_env,
    integration_path,
    reward_from_fields,
)
from ssrl_rewards.result import Reason
from ssrl_rewards.rows import request_row, score_row

__all__ = ["TRAINER", "OpenRLHFReward", "reward_func"]

logger = logging.getLogger("ssrl_rewards")


class OpenRLHFReward(SSRLReward):
    """OpenRLHF ``reward_func(queries, prompts, labels)``.

    Each row goes through `ssrl_rewards.rows.request_row`: the response is the query minus
    its prompt, the label the ground truth (str, list or dict with a task; a foreign or
    misspelled task raises). Returns ``{"rewards", "scores", "extra_logs"}`` as 1-D float
    tensors of length ``len(queries)``: ``rewards`` is this callable's component,
    ``scores`` the accuracy (OpenRLHF filters groups on it), ``extra_logs`` holds
    ``accuracy``, ``format``, ``answered`` and ``internal_error``.
    """

    framework = "openrlhf"

    def __call__(
        self,
        queries: Sequence[object],
        prompts: Sequence[object] | None = None,
        labels: Sequence[object] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Score an OpenRLHF batch; returns tensors (torch is imported here, lazily)."""
        import torch  # noqa: PLC0415 - lazy: only this trainer needs tensors

        lists = self.score_lists(queries, prompts, labels)
        return {
            "rewards": torch.tensor(lists["rewards"], dtype=torch.float32),
            "scores": torch.tensor(lists["scores"], dtype=torch.float32),
            "extra_logs": {
                key: torch.tensor(values, dtype=torch.float32)
                for key, values in lists["extra_logs"].items()
            },
        }

    def score_lists(
        self,
        queries: Sequence[object],
        prompts: Sequence[object] | None,
        labels: Sequence[object] | None,
    ) -> dict[str, Any]:
        """The same payload as plain lists (what the HTTP server returns)."""
        n = len(queries)
        if labels is None or len(labels) != n:
            got = "no labels" if labels is None else f"{len(labels)} labels"
            raise ConfigError(f"{got} for {n} queries; set the label key (--data.label_key)")
        prompt_list: Sequence[object] = prompts if prompts is not None else [None] * n
        if len(prompt_list) != n:
            raise ConfigError(f"{len(prompt_list)} prompts for {n} queries")
        rewards: list[float] = []
        scores: list[float] = []
        logs: dict[str, list[float]] = {
            "accuracy": [],
            "format": [],
            "answered": [],
            "internal_error": [],
        }
        for index in range(n):
            row = request_row(
                queries[index], prompt_list[index], labels[index], index=index, task=self.task
            )
            result = score_row(row, self.config, where=f"label of row {index}")
            rewards.append(self._value(result))
            scores.append(result.accuracy)
            logs["accuracy"].append(result.accuracy)
            logs["format"].append(result.format)
            logs["answered"].append(1.0 if answered(result) else 0.0)
            logs["internal_error"].append(1.0 if result.reason is Reason.INTERNAL_ERROR else 0.0)
        return {"rewards": rewards, "scores": scores, "extra_logs": logs}


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


def _hooks() -> str:
    return f"""\
# OpenRLHF >= 0.10.2: a reward function file (one sample per call).
--reward.remote_url {integration_path("openrlhf")} --data.label_key answer
# OpenRLHF <= 0.10.1:
# --remote_rm_url {integration_path("openrlhf")} --label_key answer
# config (optional): export SSRL_REWARDS_CONFIG='{{"mode": "paper"}}'
#
# or an HTTP reward server (standard library, loopback by default):
#   ssrl-rewards serve --host 127.0.0.1 --port 5000
# --reward.remote_url http://127.0.0.1:5000/get_reward --data.label_key answer
"""


def _example(reward: OpenRLHFReward, rows: Sequence[ExampleRow]) -> list[float | None]:
    """OpenRLHF's lists (query = templated prompt + response) without torch tensors."""
    prompts = [
        f"<|im_start|>user\n{r.prompt or ''}<|im_end|>\n<|im_start|>assistant\n" for r in rows
    ]
    queries = [p + r.completion for p, r in zip(prompts, rows, strict=True)]
    labels = [
        {"task": r.task, "answer": r.ground_truth} if r.task else r.ground_truth for r in rows
    ]
    return [float(x) for x in reward.score_lists(queries, prompts, labels)["rewards"]]


TRAINER = TrainerSpec(
    name="openrlhf",
    reward_class=OpenRLHFReward,
    hooks=_hooks,
    summary="OpenRLHF: reward function file (reward_func) or the HTTP server",
    example=_example,
    order=40,
)

adopt_canonical(globals(), "ssrl_rewards.integrations.openrlhf")
