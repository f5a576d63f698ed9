"""`make_reward_fn` and the trainer adapters, without any trainer installed."""

from __future__ import annotations

import importlib.metadata
import json
import pickle
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import cloudpickle
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssrl_rewards import (
    ConfigError,
    GroundTruthError,
    UnknownTaskError,
    make_config,
    score,
)
from ssrl_rewards.errors import AmbiguousGroundTruthError, TaskCellError
from ssrl_rewards.hooks import HOOK_FRAMEWORKS, hooks_text, integration_path
from ssrl_rewards.integrations import easyr1, verl
from ssrl_rewards.integrations import trl as trl_module
from ssrl_rewards.integrations.base import ExampleRow, get_trainer
from ssrl_rewards.reward_fn import (
    FRAMEWORKS,
    EasyR1Reward,
    OpenRLHFReward,
    TRLReward,
    VerlReward,
    completion_text,
    extract_response,
    make_reward_fn,
)

GOOD = "<think>patch 0 holds the sky</think> \\boxed{0-2-3-1}"
WRONG = "<think>patch 0 holds the sky</think> \\boxed{0-3-2-1}"
NO_THINK = "\\boxed{0-2-3-1}"


# --- make_reward_fn -------------------------------------------------------------------


def test_unknown_framework_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as info:
        make_reward_fn("deepspeed-chat")
    for name in FRAMEWORKS:
        assert name in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"component": "reward"}, ConfigError),
        ({"modee": "paper"}, ConfigError),
        ({"mode": "fast"}, ConfigError),
        ({"task": "jigsaw-3d"}, UnknownTaskError),
        ({"ground_truth_key": 3}, ConfigError),
        ({"config": {"mode": "paper"}}, ConfigError),
    ],
)
def test_bad_arguments_raise_at_construction(kwargs: dict[str, Any], error: type) -> None:
    with pytest.raises(error):
        make_reward_fn("trl", **kwargs)


EXAMPLE_ROWS = [
    ExampleRow("<think>sky</think> \\boxed{0-2-3-1}", "0-2-3-1", "shuffle"),
    ExampleRow("<think>sky</think> \\boxed{0-3-2-1}", "0-2-3-1", None),
    ExampleRow("\\boxed{3-1-2}", "3-1-2", "depth"),
    ExampleRow("<think>h</think> \\boxed{A} or \\boxed{B}", "B", "crop"),
    ExampleRow("nothing at all", "2-1", "flip"),
]


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("component", ["score", "accuracy", "format"])
def test_names_classes_and_pickling(framework: str, component: str) -> None:
    """Every registered trainer, called its own way (`TrainerSpec.example`)."""
    spec = get_trainer(framework)
    reward = make_reward_fn(framework.upper(), component=component, mode="paper")
    assert reward.__name__ == f"ssrl_{component}"
    assert type(reward) is spec.reward_class and reward.framework == spec.name
    assert type(reward).__module__.startswith("ssrl_rewards.integrations.")
    assert reward.config == make_config(mode="paper")
    got = spec.example(reward, EXAMPLE_ROWS)
    config = make_config(mode="paper")
    want = [getattr(score(*row[:3], config=config), component) for row in EXAMPLE_ROWS]
    assert got == want and len(set(want)) > 1
    for dumps, loads in ((pickle.dumps, pickle.loads), (cloudpickle.dumps, cloudpickle.loads)):
        clone = loads(dumps(reward))
        assert type(clone) is type(reward)
        assert clone.__name__ == reward.__name__ and clone.config == reward.config
        assert spec.example(clone, EXAMPLE_ROWS) == got
    assert "paper" in repr(reward) and repr(reward).startswith(f"make_reward_fn({spec.name!r}")


def test_exported_from_the_package() -> None:
    import ssrl_rewards  # noqa: PLC0415

    assert ssrl_rewards.make_reward_fn is make_reward_fn


def test_config_object_plus_overrides() -> None:
    reward = make_reward_fn("verl", config=make_config(mode="paper"), format_weight=0.0)
    assert reward.config.mode == "paper" and reward.config.format_weight == 0.0


def test_swift_orm_call_shape() -> None:
    """ms-swift passes completions positionally and the conversation in ``messages``."""
    from ssrl_rewards.integrations.swift import SWIFT_REWARDS, register  # noqa: PLC0415

    registry: dict[str, Any] = {}
    register(registry)
    assert set(registry) == {"ssrl", "ssrl_accuracy", "ssrl_format"} == set(SWIFT_REWARDS)
    reward = registry["ssrl_accuracy"](args=None)
    assert reward.__name__ == "ssrl_accuracy"
    question = "Where is the car? A. Left B. Right"
    messages = [[{"role": "user", "content": question}, {"role": "assistant", "content": "x"}]]
    assert reward(["<think>x</think> \\boxed{Right}"], messages=messages, solution=["B"]) == [1.0]
    assert pickle.loads(pickle.dumps(reward))(["\\boxed{B}"], solution=["B"]) == [1.0]


def test_classes_per_framework() -> None:
    assert isinstance(make_reward_fn("trl"), TRLReward)
    assert isinstance(make_reward_fn("verl"), VerlReward)
    assert isinstance(make_reward_fn("easyr1"), EasyR1Reward)
    assert isinstance(make_reward_fn("openrlhf"), OpenRLHFReward)


def test_importing_needs_no_trainer_package() -> None:
    code = (
        "import sys, ssrl_rewards, ssrl_rewards.reward_fn\n"
        "import ssrl_rewards.server, ssrl_rewards.hooks\n"
        "import ssrl_rewards.integrations.verl, ssrl_rewards.integrations.easyr1\n"
        "import ssrl_rewards.integrations.openrlhf\n"
        "from ssrl_rewards.reward_fn import make_reward_fn\n"
        "r = make_reward_fn('trl'); r(prompts=['q'], completions=['\\\\boxed{B}'], answer=['B'])\n"
        "heavy = {'torch', 'trl', 'verl', 'ray', 'transformers', 'openrlhf', 'datasets'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- TRL ------------------------------------------------------------------------------


def trl_call(reward: Any, completions: list[Any], **columns: Any) -> Any:
    n = len(completions)
    columns.setdefault("prompts", ["Put the patches in order."] * n)
    return reward(completions=completions, completion_ids=[[1, 2]] * n, **columns)


def test_trl_standard_and_conversational() -> None:
    reward = make_reward_fn("trl")
    assert trl_call(reward, [GOOD, WRONG, NO_THINK], answer=["0-2-3-1"] * 3) == [
        score(c, "0-2-3-1").score for c in (GOOD, WRONG, NO_THINK)
    ]
    conversational = [[{"role": "assistant", "content": c}] for c in (GOOD, WRONG)]
    prompts = [
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Order?"}]
    ] * 2
    assert trl_call(reward, conversational, prompts=prompts, solution=["0-2-3-1"] * 2) == [1.0, 0.1]


def test_trl_components() -> None:
    completions = [GOOD, WRONG, NO_THINK]
    gts = ["0-2-3-1"] * 3
    acc = trl_call(make_reward_fn("trl", component="accuracy"), completions, answer=gts)
    fmt = trl_call(make_reward_fn("trl", component="format"), completions, answer=gts)
    assert acc == [1.0, 0.0, 1.0] and fmt == [1.0, 1.0, 0.0]


def test_trl_message_shapes() -> None:
    parts = [{"role": "assistant", "content": [{"type": "text", "text": GOOD}]}]
    reasoning = [{"role": "assistant", "content": "\\boxed{0-2-3-1}", "reasoning_content": "sky"}]
    assert completion_text(parts) == GOOD
    assert completion_text(reasoning) == "<think>sky</think>\\boxed{0-2-3-1}"
    assert trl_call(make_reward_fn("trl"), [parts, reasoning], answer=["0-2-3-1"] * 2) == [1.0, 1.0]


@pytest.mark.parametrize(
    "completion",
    [None, 3, 2.5, b"\\boxed{B}", [], [None], [{"role": "assistant"}], {"content": 1}, object()],
)
def test_trl_any_completion_value_is_a_reward(completion: object) -> None:
    result = trl_call(make_reward_fn("trl"), [completion], answer=["B"])
    assert result == [0.0]


def test_trl_prompt_options_for_position() -> None:
    prompt = "Where is the car relative to the tree? A. Left B. Right C. Front D. Back"
    result = trl_call(
        make_reward_fn("trl", component="accuracy"),
        ["<think>x</think> \\boxed{Right}"],
        prompts=[[{"role": "user", "content": prompt}]],
        answer=["B"],
        task=["position"],
    )
    assert result == [1.0]


def test_trl_ground_truth_column_order_and_key() -> None:
    reward = make_reward_fn("trl", component="accuracy")
    agreeing = trl_call(reward, [GOOD], solution=["0-2-3-1"], answer=[" 0-2-3-1 "])
    assert agreeing == [1.0]  # several default columns are fine when they agree
    with pytest.raises(AmbiguousGroundTruthError, match=r"row 0.*'answer', 'solution'.*3-1-2"):
        trl_call(reward, [GOOD], solution=["0-2-3-1"], answer=["3-1-2"])
    assert trl_call(reward, [GOOD], solution=["0-2-3-1"], answer=[None]) == [1.0]
    keyed = make_reward_fn("trl", component="accuracy", ground_truth_key="label")
    assert trl_call(keyed, [GOOD], label=["0-2-3-1"], answer=["x"]) == [1.0]
    arrays = trl_call(reward, [GOOD], ground_truth=[np.array([0, 2, 3, 1])])
    assert arrays == [1.0]


def test_trl_missing_column_names_the_columns() -> None:
    with pytest.raises(
        ConfigError, match=r"ground_truth.*answer.*solution.*columns present: \['gold'"
    ):
        trl_call(make_reward_fn("trl"), [GOOD], gold=["0-2-3-1"], trainer_state=None)
    with pytest.raises(ConfigError, match="'gold'"):
        trl_call(make_reward_fn("trl", ground_truth_key="gold"), [GOOD], answer=["B"])


def test_trl_bad_ground_truth_names_column_row_and_value() -> None:
    with pytest.raises(GroundTruthError, match=r"column 'answer' row 1 'banana'"):
        trl_call(make_reward_fn("trl"), [GOOD, GOOD], answer=["0-2-3-1", "banana"])
    with pytest.raises(GroundTruthError, match="row 0"):
        trl_call(make_reward_fn("trl"), [GOOD], answer=["0-2-3-1"], task=["depth"])


def test_trl_task_column() -> None:
    reward = make_reward_fn("trl", component="accuracy")
    result = trl_call(
        reward,
        [GOOD, GOOD, GOOD, "\\boxed{42}", GOOD],
        answer=["0-2-3-1", "0-2-3-1", "0-2-3-1", "42", {"task": "math", "answer": "7"}],
        task=["shuffle", None, "", "gsm8k", None],
    )
    assert result == [1.0, 1.0, 1.0, None, None]
    no_column = make_reward_fn("trl", component="accuracy", task_key=None)
    with pytest.raises(GroundTruthError):
        trl_call(no_column, [GOOD], answer=["42"], task=["gsm8k"])
    forced = make_reward_fn("trl", component="accuracy", task="flip")
    assert trl_call(forced, ["\\boxed{3-0}"], answer=["3-0"], task=["gsm8k"]) == [1.0]


def test_trl_task_column_sources_blanks_and_bad_cells() -> None:
    reward = make_reward_fn("trl", component="accuracy")
    result = trl_call(
        reward,
        [GOOD, GOOD, "\\boxed{7}", "\\boxed{7}"],
        answer=["0-2-3-1", "0-2-3-1", '{"task": "gsm8k", "answer": "7"}', "7"],
        task=["spatial_ssrl/shuffle", float("nan"), None, "openai/gsm8k"],
    )
    assert result == [1.0, 1.0, None, None]
    with pytest.raises(TaskCellError, match=r"column 'task' row 1: task=3 "):
        trl_call(reward, [GOOD, GOOD], answer=["0-2-3-1"] * 2, task=["shuffle", 3])


def test_trl_task_from_extra_info() -> None:
    reward = make_reward_fn("trl", component="accuracy")
    extra = [{"task": "flip"}, {"task": "gsm8k"}]
    result = trl_call(reward, ["\\boxed{2-1}", "x"], answer=["2-1", "5"], extra_info=extra)
    assert result == [1.0, None]


def test_trl_log_metric() -> None:
    logged: dict[str, list[float]] = {}

    def log_metric(name: str, value: float) -> None:
        logged.setdefault(name, []).append(value)

    completions = [GOOD, "no answer", "<think>a</think> \\boxed{A} \\boxed{B}", "\\boxed{B}"]
    trl_call(
        make_reward_fn("trl"),
        completions,
        answer=["0-2-3-1", "0-2-3-1", "B", "B"],
        task=["shuffle", "shuffle", "crop", "crop"],
        log_metric=log_metric,
    )
    assert logged == {
        "ssrl/crop/accuracy": [0.5],
        "ssrl/shuffle/accuracy": [0.5],
        "ssrl/no_answer_rate": [0.25],
        "ssrl/hedge_rate": [0.25],
        "ssrl/internal_error_rate": [0.0],
    }

    def broken(name: str, value: float) -> None:
        raise RuntimeError("logger down")

    assert trl_call(make_reward_fn("trl"), [GOOD], answer=["0-2-3-1"], log_metric=broken) == [1.0]


@pytest.mark.parametrize(
    ("trl_version", "logs"),
    [("0.29.0", True), ("1.0.0", False), ("1.13.0", False), ("1.14.0", True), ("2.1", True)],
)
def test_trl_log_metric_only_where_trl_gathers_names_safely(
    monkeypatch: pytest.MonkeyPatch, trl_version: str, logs: bool
) -> None:
    monkeypatch.setattr(importlib.metadata, "version", lambda name: trl_version)
    trl_module._trl_gathers_metric_names.cache_clear()
    logged: list[str] = []
    try:
        trl_call(
            make_reward_fn("trl"),
            [GOOD],
            answer=["0-2-3-1"],
            log_metric=lambda name, value: logged.append(name),
        )
    finally:
        trl_module._trl_gathers_metric_names.cache_clear()
    assert bool(logged) is logs


def test_trl_thread_safety() -> None:
    reward = make_reward_fn("trl", credit="positionwise")
    completions = [GOOD, WRONG, NO_THINK, "x"] * 50
    gts = ["0-2-3-1"] * len(completions)
    want = trl_call(reward, completions, answer=gts)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: trl_call(reward, completions, answer=gts), range(32)))
    assert all(r == want for r in results)


# --- verl -----------------------------------------------------------------------------

VERL_KEYS = ["score", "acc", "format", "pred"]


@pytest.mark.parametrize(
    "completion",
    [GOOD, WRONG, NO_THINK, "", None, 7, "<think>a</think> \\boxed{A} \\boxed{B}", "\\boxed{"],
)
def test_verl_keys_are_fixed(completion: object) -> None:
    result = verl.compute_score("spatial_ssrl/shuffle", completion, "0-2-3-1", {})
    assert list(result) == VERL_KEYS
    assert all(type(result[k]) is float for k in VERL_KEYS[:3]) and type(result["pred"]) is str


def test_verl_task_sources() -> None:
    flip = "\\boxed{2-1}"
    assert verl.compute_score("x", flip, "2-1", {"task": "flip"})["acc"] == 1.0
    assert verl.compute_score("spatial_ssrl/flip", flip, "2-1")["acc"] == 1.0
    assert verl.compute_score("spatial_ssrl", flip, "2-1", None)["acc"] == 1.0  # inferred
    depth = verl.compute_score("spatial_ssrl/depth", "\\boxed{3-1-2}", "3-1-2", extra_info=None)
    assert depth["pred"] == "3-1-2"


def test_verl_reward_kwargs() -> None:
    plain = verl.compute_score("ssrl", NO_THINK, "0-2-3-1")
    paper = verl.compute_score("ssrl", NO_THINK, "0-2-3-1", mode="paper", component="accuracy")
    assert plain["score"] == score(NO_THINK, "0-2-3-1").score and paper["score"] == 1.0
    routed = verl.compute_score("ssrl", GOOD, "0-2-3-1", reward_router_address="h:1")
    assert routed["score"] == 1.0
    listed = verl.compute_score("ssrl", GOOD, "0-2-3-1", format_policy="none", task="shuffle")
    assert listed["format"] == 1.0
    with pytest.raises(ConfigError, match="modee"):
        verl.compute_score("ssrl", GOOD, "0-2-3-1", modee="paper")


def test_verl_bad_ground_truth_names_source_and_index() -> None:
    with pytest.raises(GroundTruthError, match=r"data_source='spatial_ssrl' index=12"):
        verl.compute_score("spatial_ssrl", GOOD, "banana", {"index": 12})


def test_verl_legacy_batch() -> None:
    out = verl.compute_score_batch(
        ["spatial_ssrl/shuffle", "spatial_ssrl/flip"], [GOOD, "\\boxed{2-1}"], ["0-2-3-1", "2-1"]
    )
    assert [list(o) for o in out] == [VERL_KEYS] * 2 and [o["acc"] for o in out] == [1.0, 1.0]


# --- EasyR1 ---------------------------------------------------------------------------


def test_easyr1_module_contract() -> None:
    assert easyr1.REWARD_TYPE == "batch"
    out = easyr1.compute_score(
        [
            {"response": GOOD, "response_length": 9, "ground_truth": "0-2-3-1"},
            {
                "response": None,
                "response_length": 0,
                "ground_truth": '{"task": "crop", "answer": "B"}',
            },
        ]
    )
    assert out == [
        {"overall": 1.0, "format": 1.0, "accuracy": 1.0},
        {"overall": 0.0, "format": 0.0, "accuracy": 0.0},
    ]
    with pytest.raises(ConfigError, match=r"reward_inputs\[0\] has no 'ground_truth'"):
        easyr1.compute_score([{"response": GOOD}])


# --- OpenRLHF -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "response"),
    [
        (
            "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\nR1 \\boxed{B}<|im_end|>",
            "R1 \\boxed{B}",
        ),
        ("<|im_start|> user Q <|im_end|> <|im_start|> assistant R2<|im_end|><|endoftext|>", " R2"),
        (
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nQ<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\nR3<|eot_id|>",
            "R3",
        ),
        ("<bos><start_of_turn>user\nQ<end_of_turn>\n<start_of_turn>model\nR4<end_of_turn>\n", "R4"),
        ("<｜begin▁of▁sentence｜><｜User｜>Q<｜Assistant｜>R5<｜end▁of▁sentence｜>", "R5"),
        ("<s>[INST] Q [/INST] R6</s>", " R6"),
        ("Question: Q Answer: R7", "Question: Q Answer: R7"),
    ],
)
def test_extract_response(query: str, response: str) -> None:
    assert extract_response(query) == response


def test_extract_response_is_linear_on_degenerate_endings() -> None:
    query = "<|im_start|>assistant\n\\boxed{B}" + "<|im_end|> \n" * 50_000
    started = time.perf_counter()
    assert extract_response(query) == "\\boxed{B}"
    assert time.perf_counter() - started < 2.0


def test_extract_response_falls_back_to_the_prompt() -> None:
    assert extract_response("Q: order? A: \\boxed{B}", "Q: order?") == " A: \\boxed{B}"


def test_openrlhf_score_lists_and_errors() -> None:
    reward = make_reward_fn("openrlhf")
    assert isinstance(reward, OpenRLHFReward)
    queries = [f"<|im_start|>assistant\n{GOOD}<|im_end|>", "<|im_start|>assistant\nnothing"]
    lists = reward.score_lists(
        queries, ["p", "p"], ["0-2-3-1", json.dumps({"task": "crop", "answer": "B"})]
    )
    assert lists["rewards"] == [1.0, 0.0] and lists["scores"] == [1.0, 0.0]
    assert lists["extra_logs"]["answered"] == [1.0, 0.0]
    with pytest.raises(ConfigError, match="1 labels for 2 queries"):
        reward.score_lists(queries, None, ["B"])
    with pytest.raises(GroundTruthError, match="label of row 1"):
        reward.score_lists(queries, None, ["B", "banana"])


# --- hooks ----------------------------------------------------------------------------


@pytest.mark.parametrize("framework", HOOK_FRAMEWORKS)
def test_hooks_text(framework: str) -> None:
    text = hooks_text(framework)
    assert text.strip() and text in hooks_text("all")
    if framework in ("easyr1", "openrlhf", "swift"):
        assert integration_path(framework) in text
    if framework == "verl":
        assert "pkg://ssrl_rewards.integrations.verl" in text
    if framework == "trl":
        compile(text, "<hooks>", "exec")


def test_hook_paths_exist_and_unknown_framework() -> None:
    from pathlib import Path  # noqa: PLC0415

    for module in ("verl", "easyr1", "openrlhf", "swift"):
        assert Path(integration_path(module)).is_file()
    with pytest.raises(ConfigError, match="trl"):
        hooks_text("megatron")


# --- never an exception on model output -----------------------------------------------

_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=200),
    st.sampled_from([GOOD, WRONG, NO_THINK, "\\boxed{", "<think>", "</think>\\boxed{B}"]),
    st.binary(max_size=20),
)
_anything = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["role", "content", "text", "reasoning"]), inner, max_size=3
        ),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(completion=_anything, prompt=_anything)
def test_any_completion_and_prompt_give_rewards(completion: object, prompt: object) -> None:
    trl_out = make_reward_fn("trl")(prompts=[prompt], completions=[completion], answer=["0-2-3-1"])
    assert len(trl_out) == 1 and isinstance(trl_out[0], float) and 0.0 <= trl_out[0] <= 1.0
    swift_out = make_reward_fn("swift")([completion], messages=[prompt], answer=["0-2-3-1"])
    assert swift_out == trl_out
    verl_out = verl.compute_score("spatial_ssrl/shuffle", completion, "0-2-3-1", {"prompt": prompt})
    assert list(verl_out) == VERL_KEYS
    easy = easyr1.compute_score([{"response": completion, "ground_truth": "0-2-3-1"}])
    assert set(easy[0]) == {"overall", "format", "accuracy"}
    reward = make_reward_fn("openrlhf")
    assert isinstance(reward, OpenRLHFReward)
    lists = reward.score_lists([completion], [prompt], ["0-2-3-1"])
    assert len(lists["rewards"]) == 1 and 0.0 <= lists["rewards"][0] <= 1.0


@settings(max_examples=200, deadline=None)
@given(query=st.text(max_size=400), prompt=st.one_of(st.none(), st.text(max_size=50)))
def test_extract_response_total(query: str, prompt: str | None) -> None:
    out = extract_response(query, prompt)
    assert isinstance(out, str) and len(out) <= len(query)


def test_verl_thread_pool_with_mixed_kwargs() -> None:
    """verl calls compute_score from a thread pool; configs built concurrently agree."""

    def run(index: int) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"mode": "paper", "component": "format"} if index % 2 else {}
        return verl.compute_score("spatial_ssrl/shuffle", NO_THINK, "0-2-3-1", {}, **kwargs)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run, range(400)))
    assert {r["score"] for r in results[0::2]} == {score(NO_THINK, "0-2-3-1").score}
    assert {r["score"] for r in results[1::2]} == {0.0}  # paper format needs <think>


def test_trainer_registry_is_the_one_list() -> None:
    """make_reward_fn, hooks and docs/trainers.md read one registry of trainers, and every
    trainer module's spec is registered (a spec under another name would be invisible)."""
    import importlib  # noqa: PLC0415
    import pkgutil  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    import ssrl_rewards.integrations as package  # noqa: PLC0415
    from ssrl_rewards.integrations.base import TrainerSpec, trainer_names, trainers  # noqa: PLC0415

    names = trainer_names()
    assert names == FRAMEWORKS == HOOK_FRAMEWORKS
    assert len(set(names)) == len(names) >= 5
    registered = set(trainers())
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"ssrl_rewards.integrations.{info.name}")
        specs = [v for v in vars(module).values() if isinstance(v, TrainerSpec)]
        assert all(spec in registered for spec in specs), f"{info.name}: unregistered spec"
        assert specs == [] or getattr(module, "TRAINER", None) in specs
    root = Path(__file__).parents[1]
    doc = (root / "docs" / "trainers.md").read_text(encoding="utf-8")
    for spec in trainers():
        assert f"| `{spec.name}`" in doc, f"docs/trainers.md lacks a row for {spec.name}"
        assert type(make_reward_fn(spec.name)) is spec.reward_class
        assert spec.hooks() == hooks_text(spec.name) and spec.hooks().strip()
        for alias in spec.aliases:
            assert get_trainer(alias.upper()) is spec
    assert get_trainer("MS-Swift").name == "swift"
    with pytest.raises(ConfigError, match="choose one of"):
        get_trainer("nemo")
