"""AReaL, slime, ROLL, NeMo Gym and Unsloth: each entry point's contract, offline.

None of these trainers installs on CPU here (they need CUDA builds of sglang, Megatron,
vLLM or Unsloth's kernels), so these tests call our entry points exactly as the trainers'
source does (read from their repositories; docs/scale.md names the files) and compare
with `score_row` on the same row. verifiers' real package is driven in test_verifiers.py.
"""

from __future__ import annotations

import asyncio
import json
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pytest

from ssrl_rewards import ConfigError, GroundTruthError, make_config, make_reward_fn, score
from ssrl_rewards.errors import ForeignTaskError
from ssrl_rewards.integrations import areal, nemo_gym, roll, slime, unsloth
from ssrl_rewards.integrations.base import trainer_names
from ssrl_rewards.integrations.trl import TRLReward
from ssrl_rewards.rows import read_row, score_row

QUESTION = "Where is the car? A. Left B. Right"
TEMPLATED = f"<|im_start|>user\n{QUESTION}<|im_end|>\n<|im_start|>assistant\n"
ROWS: list[tuple[str, Any, str | None]] = [
    ("<think>sky</think> \\boxed{0-2-3-1}<|im_end|>", "0-2-3-1", "shuffle"),
    ("<think>sky</think> \\boxed{0-1-2}", "0-2-1", None),
    ("<think>car</think> \\boxed{Right}", "B", "position"),
    ("<think>hedge</think> \\boxed{A} or \\boxed{B}", "B", "position"),
    ("nothing", "3-1-2", "depth"),
]


def want(completion: str, truth: Any, task: str | None, **config: Any) -> float:
    return score(completion, truth, task, prompt=QUESTION, config=make_config(**config)).score


MODULES = {"areal": areal, "slime": slime, "roll": roll, "nemo_gym": nemo_gym, "unsloth": unsloth}


def make_reward(name: str, *, component: str = "score", **kwargs: Any) -> Any:
    """`make_reward_fn(name, ...)`, with `RewardConfig` fields as keywords."""
    keys = {k: kwargs.pop(k) for k in ("ground_truth_key", "task_key", "task") if k in kwargs}
    return make_reward_fn(name, component=component, config=make_config(**kwargs), **keys)


def test_trainer_specs_are_complete_and_import_no_trainer() -> None:
    for name, module in MODULES.items():
        spec = module.TRAINER
        assert spec.name == name and spec.hooks().strip() and spec.summary
        reward = make_reward(name, mode="paper")
        assert isinstance(reward, spec.reward_class) and reward.config.mode == "paper"
        assert pickle.loads(pickle.dumps(reward)).config == reward.config
        assert name in trainer_names() and type(make_reward_fn(name)) is spec.reward_class
    assert nemo_gym.TRAINER.aliases == ("nemo-gym", "nemo_rl", "nemo-rl")
    # importing the modules imported none of the trainers
    assert not {"areal", "slime", "roll", "nemo_gym", "unsloth"} & set(sys.modules)


# --- AReaL: reward_fn(prompt, completions, prompt_ids, completion_ids, **data) ------------------


def test_areal_reward_fn_as_the_rlvr_workflow_calls_it() -> None:
    """areal/workflow/rlvr.py: positional (prompt, completion, input ids, output ids, **row)."""
    for completion, truth, task in ROWS:
        data = {"answer": truth, "task": task, "query_id": "q1"}
        got = areal.reward_fn(TEMPLATED, completion, [1, 2], [3, 4], **data)
        assert got == want(completion, truth, task) and isinstance(got, float)
        # vision_rlvr.py passes everything by keyword, images included
        kw = areal.reward_fn(
            prompt=TEMPLATED,
            completions=completion,
            prompt_ids=[1],
            completion_ids=[2],
            images=[b"..."],
            **data,
        )
        assert kw == got


def test_areal_instance_config_columns_and_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    reward = make_reward("areal", component="accuracy", ground_truth_key="gold")
    assert reward(TEMPLATED, "\\boxed{Right}", [], [], gold="B", answer="A") == 1.0
    monkeypatch.setenv("SSRL_REWARDS_CONFIG", json.dumps({"mode": "paper"}))
    paper = areal.reward_fn(TEMPLATED, "\\boxed{B}", [], [], answer="B")
    assert paper == want("\\boxed{B}", "B", None, mode="paper")
    with pytest.raises(GroundTruthError):
        areal.reward_fn(TEMPLATED, "\\boxed{B}", [], [], answer="nonsense", task="shuffle")
    with pytest.raises(ForeignTaskError):
        areal.reward_fn(TEMPLATED, "x", [], [], answer="3", task="gsm8k")
    # a process pool (AReaL's AsyncRewardWrapper) pickles the function by reference
    assert pickle.loads(pickle.dumps(areal.reward_fn)) is areal.reward_fn


# --- slime: async custom_rm(args, sample) and the --group-rm variant -----------------------------


@dataclass
class Sample:
    """The fields slime.utils.types.Sample gives a reward function."""

    prompt: str | list[dict[str, str]] = ""
    response: str = ""
    label: Any = None
    metadata: dict[str, Any] = field(default_factory=dict)
    reward: Any = None


def test_slime_custom_rm_one_sample_and_group() -> None:
    samples = [
        Sample(TEMPLATED, completion, truth, {"task": task} if task else {})
        for completion, truth, task in ROWS
    ]
    expected = [want(c, t, k) for c, t, k in ROWS]
    got = [asyncio.run(slime.reward_func(None, sample)) for sample in samples]
    assert got == expected
    assert asyncio.run(slime.batched_reward_func(None, samples)) == expected
    reward = make_reward("slime", component="format")
    assert asyncio.run(reward(None, samples)) == [
        score(c, t, k, prompt=QUESTION).format for c, t, k in ROWS
    ]
    chat = Sample([{"role": "user", "content": QUESTION}], "\\boxed{Right}", "B")
    assert asyncio.run(slime.reward_func(None, chat)) == want("\\boxed{Right}", "B", None)
    with pytest.raises(GroundTruthError):
        asyncio.run(slime.reward_func(None, Sample("p", "x", "nonsense", {"task": "depth"})))


# --- ROLL: a reward worker's compute_rewards columns --------------------------------------------


def test_roll_score_columns_as_the_worker_fills_them() -> None:
    """What SSRLRuleRewardWorker.compute_rewards computes from the decoded responses and
    data.non_tensor_batch (prompt, ground_truth, tag, task)."""
    reward = make_reward("roll")
    responses = [c for c, _, _ in ROWS]
    truths = [t for _, t, _ in ROWS]
    tags = ["spatial_ssrl/" + (k or "shuffle") for _, _, k in ROWS]
    out = reward.score_columns(responses, truths, [TEMPLATED] * len(ROWS), tags)
    rows = [
        {"response": c, "ground_truth": t, "prompt": TEMPLATED, "data_source": tag}
        for (c, t, _), tag in zip(ROWS, tags, strict=True)
    ]
    results = [score_row(read_row(row, completion_key="response")) for row in rows]
    assert out["rewards"] == [r.score for r in results]
    assert out["scores"] == [r.accuracy for r in results]
    plain = reward.score_columns(responses, truths, tasks=[k for _, _, k in ROWS])
    assert plain["rewards"] == [score(c, t, k).score for c, t, k in ROWS]


def test_roll_worker_class_needs_roll() -> None:
    with pytest.raises(ImportError):
        roll.SSRLRuleRewardWorker  # noqa: B018 - attribute access builds the class
    with pytest.raises(AttributeError):
        roll.NoSuchThing  # noqa: B018


# --- NeMo Gym: /verify body in, body plus reward out --------------------------------------------


def verify_body(
    text: str, truth: Any, task: str | None, reasoning: str | None = None
) -> dict[str, Any]:
    """A /verify request as NeMo Gym posts it (Responses API objects as JSON)."""
    output: list[dict[str, Any]] = []
    if reasoning is not None:
        output.append(
            {
                "type": "reasoning",
                "id": "r",
                "summary": [{"type": "summary_text", "text": reasoning}],
            }
        )
    output.append(
        {
            "type": "message",
            "id": "m",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": text, "annotations": []}],
        }
    )
    body: dict[str, Any] = {
        "responses_create_params": {
            "input": [{"role": "user", "content": [{"type": "input_text", "text": QUESTION}]}]
        },
        "response": {"id": "resp", "object": "response", "output": output},
        "expected_answer": truth,
    }
    if task is not None:
        body["task"] = task
    return body


def test_nemo_gym_verify() -> None:
    reward = make_reward("nemo_gym")
    for completion, truth, task in ROWS:
        body = verify_body(completion, truth, task)
        answer = reward.verify(body)
        result = score(completion, truth, task, prompt=QUESTION)
        assert answer["reward"] == result.score and answer["accuracy"] == result.accuracy
        assert answer["extracted_answer"] == result.pred
        assert {k: answer[k] for k in body} == body  # the request comes back with the reward
    split = reward.verify(verify_body("\\boxed{Right}", "B", None, reasoning="the car is right"))
    assert split["reward"] == want("<think>the car is right</think>\\boxed{Right}", "B", None)
    empty = reward.verify({**verify_body("", "B", None), "response": {"output": []}})
    assert empty["reward"] == 0.0 and empty["reason"] == "not_a_string"
    assert nemo_gym.response_text({"output": [{"type": "function_call"}]}) is None
    with pytest.raises(GroundTruthError):
        reward.verify(verify_body("x", "nonsense", "depth"))


def test_nemo_gym_server_class_needs_nemo_gym() -> None:
    with pytest.raises(ImportError):
        nemo_gym.SSRLResourcesServer  # noqa: B018


# --- Unsloth: TRL reward functions ---------------------------------------------------------------


def test_unsloth_reward_funcs_are_trl_reward_functions() -> None:
    """Unsloth's GRPOTrainer calls TRL reward functions as TRL does (prompts, completions,
    completion_ids, **columns); TRL's own trainer drives them in test_trl.py."""
    funcs = unsloth.reward_funcs(format_weight=0.2, accuracy_weight=0.8)
    assert len(funcs) == 1 and isinstance(funcs[0], TRLReward)
    completions = [[{"role": "assistant", "content": c}] for c, _, _ in ROWS]
    prompts = [[{"role": "user", "content": QUESTION}]] * len(ROWS)
    got = funcs[0](
        prompts=prompts,
        completions=completions,
        completion_ids=[[1]] * len(ROWS),
        answer=[t for _, t, _ in ROWS],
        task=[k for _, _, k in ROWS],
    )
    assert got == [
        want(c.removesuffix("<|im_end|>"), t, k, format_weight=0.2, accuracy_weight=0.8)
        for c, t, k in ROWS
    ]
    names = [f.__name__ for f in unsloth.reward_funcs(log_components=True)]
    assert names == ["ssrl_score", "ssrl_accuracy", "ssrl_format"]
    with pytest.raises(ConfigError):
        unsloth.reward_funcs(no_such_field=1)


def test_areal_reward_fn_runs_in_a_process_pool_as_async_reward_wrapper_runs_it() -> None:
    """AReaL's AsyncRewardWrapper awaits loop.run_in_executor(ProcessPoolExecutor,
    partial(reward_fn, *args, **kwargs)): the function and its arguments cross a process."""

    async def run_all() -> list[float]:
        loop = asyncio.get_running_loop()
        with ProcessPoolExecutor(max_workers=1) as pool:
            calls = [
                loop.run_in_executor(
                    pool, partial(areal.reward_fn, TEMPLATED, c, [1], [2], answer=t, task=k)
                )
                for c, t, k in ROWS
            ]
            return list(await asyncio.gather(*calls))

    assert asyncio.run(run_all()) == [want(c, t, k) for c, t, k in ROWS]
