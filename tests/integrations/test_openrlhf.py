"""OpenRLHF 0.11: our ``reward_func`` file and our HTTP server, driven by OpenRLHF's own
``SingleTurnAgentExecutor`` (the code that loads ``--reward.remote_url`` and calls it).

OpenRLHF installs on CPU only with ``--no-deps`` (its flash-attn dependency needs CUDA);
``openrlhf.utils.agent`` then imports with aiohttp. A fake async engine stands in for
vLLM: it returns fixed response tokens, and the executor builds the query (prompt plus
response, special tokens kept), calls our hook, and stores rewards, scores and logs.
"""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace
from typing import Any

import pytest
from integration_helpers import build_tokenizer, quiet_import, trainer_import

from ssrl_rewards import score
from ssrl_rewards.hooks import integration_path
from ssrl_rewards.integrations.openrlhf import reward_func
from ssrl_rewards.reward_fn import CONFIG_ENV_VAR, extract_response
from ssrl_rewards.server import start_server

QUESTION = "which position A Left B Right"
CASES = [
    # (response, label, expected accuracy)
    ("<think> the sky </think> \\boxed{0-2-3-1}", "0-2-3-1", 1.0),
    ("<think> the sky </think> \\boxed{0-1-2}", "0-2-1", 0.0),
    ("<think> look </think> \\boxed{B}", json.dumps({"task": "position", "answer": "B"}), 1.0),
    ("<think> look </think> \\boxed{A} \\boxed{B}", "B", 0.0),
    ("\\boxed{2-1}", {"task": "flip", "answer": "2-1"}, 1.0),
    ("no box here", "3-1-2", 0.0),
]


class FakeEngine:
    """Stands in for OpenRLHF's vLLM engine: always generates `response_ids`."""

    def __init__(self, response_ids: list[int]) -> None:
        self.response_ids = response_ids

    async def generate(
        self, prompt_ids: list[int], params: Any, multi_modal_data: Any = None
    ) -> Any:
        output = SimpleNamespace(token_ids=self.response_ids, finish_reason="stop", logprobs=None)
        return SimpleNamespace(outputs=[output])


def run_executor(remote_rm_url: str, response: str, label: Any) -> dict[str, Any]:
    """One rollout through OpenRLHF's executor with our reward hook."""
    agent = trainer_import("openrlhf.utils.agent")
    tokenizer = build_tokenizer()
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": QUESTION}], tokenize=False, add_generation_prompt=True
    )
    response_ids = tokenizer(response, add_special_tokens=False)["input_ids"]
    response_ids = [*response_ids, tokenizer.eos_token_id]
    executor = agent.SingleTurnAgentExecutor(remote_rm_url=remote_rm_url)
    params = SimpleNamespace(max_tokens=32, logprobs=None)
    coro = executor.execute(prompt, label, params, 256, tokenizer, FakeEngine(response_ids))
    result: dict[str, Any] = asyncio.run(coro)
    return result


@pytest.fixture(autouse=True)
def _needs_openrlhf(monkeypatch: pytest.MonkeyPatch) -> None:
    trainer_import("torch")
    trainer_import("openrlhf.utils.agent")
    monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)


@pytest.mark.parametrize(("response", "label", "accuracy"), CASES)
def test_reward_func_file_through_openrlhf_executor(
    response: str, label: Any, accuracy: float
) -> None:
    out = run_executor(integration_path("openrlhf"), response, label)
    want = score(response, label, prompt=QUESTION)
    assert want.accuracy == accuracy
    assert out["reward"] is not None, "OpenRLHF swallowed an exception from reward_func"
    assert out["reward"].shape == (1,)
    assert float(out["reward"][0]) == pytest.approx(want.score)
    assert float(out["scores"][0]) == pytest.approx(want.accuracy)
    assert set(out["extra_logs"]) == {"accuracy", "format", "answered", "internal_error"}
    assert float(out["extra_logs"]["format"][0]) == pytest.approx(want.format)


def test_reward_server_through_openrlhf_executor() -> None:
    with start_server() as server:
        for response, label, _ in CASES:
            out = run_executor(server.url, response, label)
            want = score(response, label, prompt=QUESTION)
            assert out["reward"] is not None
            # the server answers JSON lists: OpenRLHF keeps them as they come
            assert out["reward"] == pytest.approx([want.score])
            assert out["scores"] == pytest.approx([want.accuracy])
            assert out["extra_logs"]["accuracy"] == pytest.approx([want.accuracy])


def test_reward_func_config_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        CONFIG_ENV_VAR, json.dumps({"component": "accuracy", "format_policy": "none"})
    )
    out = run_executor(integration_path("openrlhf"), "\\boxed{0-2-3-1}", "0-2-3-1")
    assert float(out["reward"][0]) == 1.0 and float(out["extra_logs"]["format"][0]) == 1.0


def test_reward_func_returns_1d_tensors_for_a_batch() -> None:
    torch = quiet_import("torch")
    tokenizer = build_tokenizer()
    queries, prompts, labels = [], [], []
    for response, label, _ in CASES:
        prompt = tokenizer.apply_chat_template(
            [{"role": "user", "content": QUESTION}], tokenize=False, add_generation_prompt=True
        )
        prompts.append(prompt)
        queries.append(prompt + response + "<|im_end|>")
        labels.append(label)
    out = reward_func(queries, prompts, labels)
    for key in ("rewards", "scores"):
        assert isinstance(out[key], torch.Tensor) and out[key].shape == (len(CASES),)
        assert out[key].dtype == torch.float32
    for value in out["extra_logs"].values():
        assert value.shape == (len(CASES),)
    assert out["scores"].tolist() == [c[2] for c in CASES]
    assert extract_response(queries[0], prompts[0]) == CASES[0][0]
