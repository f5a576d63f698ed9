"""verifiers v1: `SSRLTask` scored by verifiers' own `Task.score` on a real `Trace`.

verifiers 0.4.0 installs on CPU (it needs no torch), so .ci/integration.sh installs it and
these tests drive the real package; where it is missing they skip, and under ``CI=true``
that skip fails (tests/integrations/conftest.py). The scoring contract runs everywhere.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from integration_helpers import quiet_import, trainer_import

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


@pytest.fixture(scope="module")
def vf() -> Any:
    """verifiers' v1 API (skips without verifiers; a failure under CI=true)."""
    trainer_import("verifiers")
    return quiet_import("verifiers.v1")


def _trace(vf: Any, task: Any, reply: str, reasoning: str | None = None) -> Any:
    MessageNode = quiet_import("verifiers.v1.graph").MessageNode
    types = quiet_import("verifiers.v1.types")
    AssistantMessage, UserMessage = types.AssistantMessage, types.UserMessage
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


def test_real_task_score_records_reward_and_metrics(
    vf: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for reply, answer, task_name in CASES:
        data = verifiers_env.SSRLTaskData(idx=0, prompt=QUESTION, answer=answer, task=task_name)
        task = verifiers_env.SSRLTask(data)
        trace = _trace(vf, task, reply)
        asyncio.run(task.score(trace))
        want = score(reply, answer, task_name, prompt=QUESTION)
        assert trace.rewards["ssrl_score"].score == want.score
        assert trace.metrics == {"ssrl_accuracy": want.accuracy, "ssrl_format": want.format}
        assert trace.reward == want.score
    split = verifiers_env.SSRLTask(
        verifiers_env.SSRLTaskData(idx=1, prompt=QUESTION, answer="B", task="position")
    )
    trace = _trace(vf, split, "\\boxed{Right}", reasoning="the car is on the right")
    asyncio.run(split.score(trace))
    assert trace.metrics["ssrl_format"] == 1.0  # the reasoning field counts as <think>
    monkeypatch.setenv("SSRL_REWARDS_CONFIG", json.dumps({"mode": "paper"}))
    asyncio.run(split.score(trace := _trace(vf, split, "\\boxed{B}")))
    paper = score("\\boxed{B}", "B", "position", prompt=QUESTION, config=make_config(mode="paper"))
    assert trace.rewards["ssrl_score"].score == paper.score


def test_real_taskset_loads_rows_by_the_row_contract(vf: Any, tmp_path: Path) -> None:
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
    trace = _trace(vf, tasks[1], "<think>x</think> \\boxed{1-0}")
    asyncio.run(tasks[1].score(trace))
    assert trace.reward == 1.0
