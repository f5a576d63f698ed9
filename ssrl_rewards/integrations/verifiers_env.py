"""verifiers (v1 API) taskset: a `vf.Task` whose ``@vf.reward`` is the Spatial-SSRL score.

    from ssrl_rewards.integrations.verifiers_env import SSRLTaskset, SSRLTasksetConfig
    taskset = SSRLTaskset(SSRLTasksetConfig(path="rows.jsonl"))   # prompt, answer, task

A verifiers v1 task scores a finished rollout's trace with its ``@vf.reward`` methods.
`SSRLTask` has one reward, ``ssrl_score`` (weight 1), and two metrics, ``ssrl_accuracy``
and ``ssrl_format``; the reply is the last assistant message (a reasoning field goes back
inside ``<think>``), the ground truth and task come from the task data (`SSRLTaskData`:
``answer`` and an optional ``task``), the prompt from the task's prompt. `SSRLTaskset`
loads JSON Lines rows by the row contract. The classes subclass verifiers' own and are
built on first access (``verifiers`` is imported then); `VerifiersReward.score_reply`
is the same scoring without verifiers. Configuration: ``$SSRL_REWARDS_CONFIG``.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ssrl_rewards.integrations.base import (
    CONFIG_ENV_VAR,
    ExampleRow,
    SSRLReward,
    TrainerSpec,
    fields_from_env,
    reward_from_fields,
)
from ssrl_rewards.result import RewardResult
from ssrl_rewards.rows import Row, completion_text, prompt_text, read_row

__all__ = ["TRAINER", "VerifiersReward"]  # and SSRLTask, SSRLTaskData, SSRLTaskset(Config)

_LAZY = ("SSRLTaskData", "SSRLTask", "SSRLTasksetConfig", "SSRLTaskset")


class VerifiersReward(SSRLReward):
    """Scores a verifiers reply against a task's answer (the scoring of `SSRLTask`)."""

    framework = "verifiers"

    def score_reply(
        self, reply: object, answer: object, task: str | None = None, prompt: object = None
    ) -> RewardResult:
        """The result for one reply (text or an assistant message dict)."""
        row = Row(
            completion_text(reply),
            answer,
            self.task or task,
            prompt_text(prompt),
            "answer",
            0,
        )
        return self._score(row)

    def __call__(self, reply: object, answer: object, **kwargs: Any) -> float:
        """This callable's component for one reply."""
        return float(self._value(self.score_reply(reply, answer, kwargs.get("task"))))


@functools.lru_cache(maxsize=8)
def _reward(raw: str) -> VerifiersReward:
    return reward_from_fields(VerifiersReward, fields_from_env({CONFIG_ENV_VAR: raw}))


def _env_reward() -> VerifiersReward:
    """The reward for the current ``$SSRL_REWARDS_CONFIG`` (parsed once per value)."""
    return _reward(os.environ.get(CONFIG_ENV_VAR, "").strip())


def _reply(trace: Any) -> object:
    """The last assistant message as a dict (reasoning fields kept), else the reply text."""
    messages = getattr(trace, "assistant_messages", None) or []
    if messages and getattr(trace, "root_reply", None) is None:
        last = messages[-1]
        return last.model_dump() if hasattr(last, "model_dump") else last
    return trace.last_reply


@functools.lru_cache(maxsize=1)
def _build() -> dict[str, type]:
    """The verifiers subclasses (imports verifiers.v1)."""
    vf: Any = importlib.import_module("verifiers.v1")

    class SSRLTaskData(vf.TaskData):  # type: ignore[misc]
        answer: Any = None
        task: str | None = None

    def _result(task: Any, trace: Any) -> RewardResult:
        data = task.data
        return _env_reward().score_reply(_reply(trace), data.answer, data.task, data.prompt)

    class SSRLTask(vf.Task[SSRLTaskData]):  # type: ignore[misc]
        @vf.reward(weight=1.0)  # type: ignore[untyped-decorator]
        async def ssrl_score(self, trace: Any) -> float:
            return float(_env_reward()._value(_result(self, trace)))

        @vf.metric  # type: ignore[untyped-decorator]
        async def ssrl_accuracy(self, trace: Any) -> float:
            return _result(self, trace).accuracy

        @vf.metric  # type: ignore[untyped-decorator]
        async def ssrl_format(self, trace: Any) -> float:
            return _result(self, trace).format

    class SSRLTasksetConfig(vf.TasksetConfig):  # type: ignore[misc]
        path: str = ""
        ground_truth_key: str | None = None

    class SSRLTaskset(vf.Taskset[SSRLTask, SSRLTasksetConfig]):  # type: ignore[misc]
        def load(self) -> list[Any]:
            path = Path(self.config.path)
            tasks = []
            with path.open(encoding="utf-8") as handle:
                for index, line in enumerate(handle):
                    if not line.strip():
                        continue
                    raw = json.loads(line)
                    row = read_row(
                        raw,
                        index=index + 1,
                        ground_truth_key=self.config.ground_truth_key,
                        need_completion=False,
                    )
                    prompt = raw.get("prompt", row.prompt)
                    data = SSRLTaskData(
                        idx=index, prompt=prompt, answer=row.ground_truth, task=row.task
                    )
                    tasks.append(SSRLTask(data, self.config.task))
            return tasks

    built: dict[str, type] = {
        "SSRLTaskData": SSRLTaskData,
        "SSRLTask": SSRLTask,
        "SSRLTasksetConfig": SSRLTasksetConfig,
        "SSRLTaskset": SSRLTaskset,
    }
    for name, cls in built.items():
        cls.__module__ = __name__
        cls.__qualname__ = name
    return built


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return _build()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _hooks() -> str:
    return """\
# verifiers (v1 API): a taskset whose @vf.reward is the Spatial-SSRL score
from ssrl_rewards.integrations.verifiers_env import SSRLTaskset, SSRLTasksetConfig
taskset = SSRLTaskset(SSRLTasksetConfig(path="rows.jsonl"))  # prompt, answer, task per line
# rewards: ssrl_score (weight 1); metrics: ssrl_accuracy, ssrl_format
# config (optional): export SSRL_REWARDS_CONFIG='{"format_weight": 0.1}'
"""


def _example(reward: VerifiersReward, rows: Sequence[ExampleRow]) -> list[float | None]:
    """What `SSRLTask`'s reward computes from a reply, its task data and prompt."""
    return [
        float(reward._value(reward.score_reply(r.completion, r.ground_truth, r.task, r.prompt)))
        for r in rows
    ]


TRAINER = TrainerSpec(
    name="verifiers",
    reward_class=VerifiersReward,
    hooks=_hooks,
    summary="verifiers v1: SSRLTask / SSRLTaskset with an @vf.reward",
    example=_example,
    order=100,
)
