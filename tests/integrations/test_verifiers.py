"""verifiers v1: `SSRLTask` scored by verifiers' own `Task.score` on a real `Trace`.

The real-package tests are collected only where ``verifiers`` is installed (it is not in
the integration environment: ``pip install verifiers`` in a venv of your own, see
docs/scale.md); the scoring contract below runs everywhere.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from ssrl_rewards import make_config, score
from ssrl_rewards.integrations import verifiers_env

QUESTION = "Where is the car? A. Left B. Right"
CASES: list[tuple[str, Any, str | None]] = [
    ("<think>car</think> \\boxed{Right}", "B", "position"),
    ("<think>sky</think> \\boxed{0-2-3-1}", "0-2-3-1", None),
    ("<think>h</think> \\boxed{A} or \\boxed{B}", "B", None),
    ("nothing", "3-1-2", "depth"),
]


def test_score_reply_contract() -> None:
    reward = verifiers_env.VerifiersReward()
    for reply, answer, task in CASES:
        got = reward.score_reply(reply, answer, task, QUESTION)
        assert got == score(reply, answer, task, prompt=QUESTION)
    message = {"role": "assistant", "content": "\\boxed{Right}", "reasoning_content": "car"}
    assert (
        reward(message, "B", task="position")
        == score("<think>car</think>\\boxed{Right}", "B", "position", prompt=None).score
    )
    with pytest.raises(AttributeError):
        verifiers_env.NoSuchThing  # noqa: B018


if importlib.util.find_spec("verifiers") is not None:
    import verifiers.v1 as vf
    from verifiers.v1.graph import MessageNode
    from verifiers.v1.types import AssistantMessage, UserMessage

    def _trace(task: Any, reply: str, reasoning: str | None = None) -> Any:
        message = AssistantMessage(content=reply)
        if reasoning is not None:
            message = AssistantMessage(content=reply, reasoning_content=reasoning)
        return vf.Trace(
            agent=vf.AgentInfo(config=vf.AgentConfig()),
            task=vf.TraceTask(type="SSRLTask", data=task.data),
            nodes=[
                MessageNode(parent=None, message=UserMessage(content=QUESTION), sampled=False),
                MessageNode(parent=0, message=message, sampled=True),
            ],
        )

    def test_real_task_score_records_reward_and_metrics(monkeypatch: pytest.MonkeyPatch) -> None:
        for reply, answer, task_name in CASES:
            data = verifiers_env.SSRLTaskData(idx=0, prompt=QUESTION, answer=answer, task=task_name)
            task = verifiers_env.SSRLTask(data)
            trace = _trace(task, reply)
            asyncio.run(task.score(trace))
            want = score(reply, answer, task_name, prompt=QUESTION)
            assert trace.rewards["ssrl_score"].score == want.score
            assert trace.metrics == {"ssrl_accuracy": want.accuracy, "ssrl_format": want.format}
            assert trace.reward == want.score
        split = verifiers_env.SSRLTask(
            verifiers_env.SSRLTaskData(idx=1, prompt=QUESTION, answer="B", task="position")
        )
        trace = _trace(split, "\\boxed{Right}", reasoning="the car is on the right")
        asyncio.run(split.score(trace))
        assert trace.metrics["ssrl_format"] == 1.0  # the reasoning field counts as <think>
        monkeypatch.setenv("SSRL_REWARDS_CONFIG", json.dumps({"mode": "paper"}))
        asyncio.run(split.score(trace := _trace(split, "\\boxed{B}")))
        paper = score(
            "\\boxed{B}", "B", "position", prompt=QUESTION, config=make_config(mode="paper")
        )
        assert trace.rewards["ssrl_score"].score == paper.score

    def test_real_taskset_loads_rows_by_the_row_contract(tmp_path: Path) -> None:
        path = tmp_path / "rows.jsonl"
        rows = [
            {"prompt": QUESTION, "answer": "B", "task": "position"},
            {"prompt": [{"role": "user", "content": "order?"}], "solution": "1-0"},
        ]
        path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
        taskset = verifiers_env.SSRLTaskset(verifiers_env.SSRLTasksetConfig(path=str(path)))
        tasks = list(taskset.load())
        assert [t.data.answer for t in tasks] == ["B", "1-0"]
        assert [t.data.task for t in tasks] == ["position", None]
        trace = _trace(tasks[1], "<think>x</think> \\boxed{1-0}")
        asyncio.run(tasks[1].score(trace))
        assert trace.reward == 1.0
