"""ms-swift 4.x: our plugin file loaded by ms-swift's plugin loader, our ORMs resolved by
name from its registry and scored by its own ``compute_rewards_per_func`` on samples.

ms-swift is installed without dependencies in the integration environment (it pins
``trl<1.0``; its reward path needs only dacite, modelscope, json_repair and msgspec).
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from integration_helpers import quiet_import, trainer_import

from ssrl_rewards import score
from ssrl_rewards.hooks import integration_path
from ssrl_rewards.reward_fn import CONFIG_ENV_VAR

QUESTION = "Where is the car? A. Left B. Right C. Front D. Back"
ROWS = [
    # (completion, extra columns)
    ("<think>sky</think> \\boxed{0-2-3-1}", {"solution": "0-2-3-1", "task": "shuffle"}),
    ("<think>sky</think> \\boxed{0-1-2}", {"solution": "0-2-1", "task": "shuffle"}),
    ("<think>car</think> \\boxed{Right}", {"solution": "B", "task": "position"}),
    ("<think>x</think> \\boxed{A} \\boxed{B}", {"solution": "B", "task": "crop"}),
    ("\\boxed{42}", {"solution": "42", "task": "gsm8k"}),
    ("no answer", {"solution": "3-1-2", "task": None}),
]


@pytest.fixture(scope="module")
def swift() -> Any:
    trainer_import("torch")
    trainer_import("swift.rl_core.grpo_algorithm")
    utils = quiet_import("swift.utils")
    utils.import_external_file(integration_path("swift"))
    return quiet_import("swift")


def samples() -> list[Any]:
    data = quiet_import("swift.rl_core.data")
    return [
        data.GRPOSample(
            messages=[
                {"role": "system", "content": "Think, then box the answer."},
                {"role": "user", "content": QUESTION},
                {"role": "assistant", "content": completion},
            ],
            extra=dict(extra),
        )
        for completion, extra in ROWS
    ]


def test_plugin_registers_our_orms(swift: Any) -> None:
    rewards = quiet_import("swift.rewards")
    for name in ("ssrl", "ssrl_accuracy", "ssrl_format"):
        assert rewards.orms[name].__module__ == "ssrl_rewards.integrations.swift"


def test_ms_swift_scores_with_our_orms(swift: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)
    torch = quiet_import("torch")
    utils = quiet_import("swift.rlhf_trainers.utils")
    algorithm = quiet_import("swift.rl_core.grpo_algorithm")
    funcs, names = utils.resolve_reward_funcs(["ssrl", "ssrl_accuracy", "ssrl_format"], args=None)
    assert names == ["SSRLScoreORM", "SSRLAccuracyORM", "SSRLFormatORM"]
    table = algorithm.compute_rewards_per_func(samples(), funcs, None, torch.device("cpu"))
    assert table.shape == (len(ROWS), 3)
    for row, (completion, extra) in zip(table.tolist(), ROWS, strict=True):
        if extra["task"] == "gsm8k":  # another task's row: None from us, NaN in ms-swift
            assert all(math.isnan(value) for value in row)
            continue
        want = score(completion, extra["solution"], extra["task"], prompt=QUESTION)
        assert row == pytest.approx([want.score, want.accuracy, want.format])
    assert table[0].tolist() == [1.0, 1.0, 1.0] and table[2, 1] == 1.0 and table[3, 1] == 0.0


def test_config_from_environment(swift: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIG_ENV_VAR, '{"format_policy": "none"}')
    torch = quiet_import("torch")
    utils = quiet_import("swift.rlhf_trainers.utils")
    algorithm = quiet_import("swift.rl_core.grpo_algorithm")
    funcs, _ = utils.resolve_reward_funcs(["ssrl_format"], args=object())
    table = algorithm.compute_rewards_per_func(samples()[:2], funcs, None, torch.device("cpu"))
    assert table[:, 0].tolist() == [1.0, 1.0]
