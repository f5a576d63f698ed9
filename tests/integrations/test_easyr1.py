"""EasyR1: our reward file loaded the way EasyR1's reward manager loads it.

EasyR1 is not on the package index (and its package is also named ``verl``), so this
test reproduces its documented loading contract rather than importing it:
- the file is executed as module ``custom_reward_fn`` from its path
  (``worker.reward.reward_function=<file>:compute_score``);
- upstream reads ``REWARD_TYPE`` (default ``"batch"``); the Spatial-SSRL fork reads
  ``worker.reward.reward_type`` (default ``"batch"``): both call the function once per
  batch with a list of ``{"response", "response_length", "ground_truth"}`` dicts;
- ``reward_function_kwargs`` are bound with `functools.partial`;
- ``overall`` is placed on the last response token and every returned key is averaged
  with ``np.mean`` into ``reward/<key>``: values must be numeric, never None.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import pickle
import sys
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from integration_helpers import build_tokenizer, trainer_import

from ssrl_rewards import GroundTruthError, make_config, score
from ssrl_rewards.hooks import hooks_text, integration_path

INPUTS = [
    # (response, ground truth as the dataset's answer column holds it)
    ("<think> the sky </think> \\boxed{0-2-3-1}", "0-2-3-1"),
    ("<think> the sky </think> \\boxed{0-1-2}", "0-2-1"),
    ("<think> look </think> \\boxed{2-1}", json.dumps({"task": "flip", "answer": "2-1"})),
    ("<think> which </think> \\boxed{B}", "B"),
    ("<think> a </think> \\boxed{A} \\boxed{B}", "B"),
    ("the answer is 3-1-2", "3-1-2"),
    ("", "0-1-2"),
]


def load_like_easyr1(
    path: str, name: str, kwargs: dict[str, Any]
) -> tuple[Callable[..., Any], str]:
    """(bound reward function, reward type), loaded as EasyR1's reward manager does."""
    spec = importlib.util.spec_from_file_location("custom_reward_fn", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["custom_reward_fn"] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["custom_reward_fn"]
    fn = getattr(module, name)
    return functools.partial(fn, **kwargs), getattr(module, "REWARD_TYPE", "batch")


def run_batch(
    fn: Callable[..., Any], items: list[tuple[str, Any]]
) -> tuple[list[Any], dict[str, float]]:
    """Call the batch function and aggregate its metrics as EasyR1 does."""
    reward_inputs = [
        {"response": r, "response_length": len(r.split()) + 1, "ground_truth": gt}
        for r, gt in items
    ]
    scores = fn(reward_inputs)
    metrics: dict[str, list[Any]] = defaultdict(list)
    for item in scores:
        assert isinstance(item["overall"], float)
        for key, value in item.items():
            metrics[key].append(value)
    return scores, {f"reward/{key}": float(np.mean(values)) for key, values in metrics.items()}


def test_batch_contract_matches_score() -> None:
    fn, reward_type = load_like_easyr1(integration_path("easyr1"), "compute_score", {})
    assert reward_type == "batch"
    scores, metrics = run_batch(fn, INPUTS)
    assert len(scores) == len(INPUTS)
    for (response, truth), item in zip(INPUTS, scores, strict=True):
        want = score(response, truth)
        assert item == {"overall": want.score, "format": want.format, "accuracy": want.accuracy}
    assert set(metrics) == {"reward/overall", "reward/format", "reward/accuracy"}
    assert scores[0]["overall"] == 1.0 and scores[2]["accuracy"] == 1.0
    assert scores[4]["accuracy"] == 0.0  # a hedge earns nothing


def test_reward_function_kwargs_are_config_fields() -> None:
    kwargs = {"mode": "paper", "component": "accuracy"}
    fn, _ = load_like_easyr1(integration_path("easyr1"), "compute_score", kwargs)
    scores, _ = run_batch(fn, INPUTS[:4])
    paper = make_config(mode="paper")
    for (response, truth), item in zip(INPUTS[:4], scores, strict=True):
        assert item["overall"] == score(response, truth, config=paper).accuracy
    fn_task, _ = load_like_easyr1(integration_path("easyr1"), "compute_score", {"task": "depth"})
    assert run_batch(fn_task, [("\\boxed{2-1-3}", "2-1-3")])[0][0]["accuracy"] == 1.0


def test_bad_ground_truth_names_the_row() -> None:
    fn, _ = load_like_easyr1(integration_path("easyr1"), "compute_score", {})
    with pytest.raises(GroundTruthError, match=r"reward_inputs\[1\].*'what'"):
        run_batch(fn, [("\\boxed{B}", "B"), ("\\boxed{B}", "what")])


def test_unknown_kwarg_is_a_config_error() -> None:
    fn, _ = load_like_easyr1(integration_path("easyr1"), "compute_score", {"modee": "paper"})
    with pytest.raises(ValueError, match="modee"):
        run_batch(fn, INPUTS[:1])


def test_hooks_line_points_at_this_file() -> None:
    line = next(
        ln
        for ln in hooks_text("easyr1").splitlines()
        if ln.startswith("worker.reward.reward_function=")
    )
    path, name = line.split("=", 1)[1].rsplit(":", 1)
    fn, _ = load_like_easyr1(path, name, {})
    assert run_batch(fn, INPUTS[:1])[0][0]["overall"] == 1.0


def test_responses_decoded_as_easyr1_decodes_them() -> None:
    """Responses decoded from token ids with special tokens skipped (EasyR1's default)."""
    trainer_import("transformers")
    tokenizer = build_tokenizer()
    fn, _ = load_like_easyr1(integration_path("easyr1"), "compute_score", {})
    items = []
    for response, truth in INPUTS:
        ids = tokenizer(response, add_special_tokens=False)["input_ids"] + [tokenizer.eos_token_id]
        items.append((tokenizer.decode(ids, skip_special_tokens=True), truth))
    scores, _ = run_batch(fn, items)
    assert [s["accuracy"] for s in scores[:4]] == [1.0, 0.0, 1.0, 1.0]


def test_module_state_survives_pickling_to_workers() -> None:
    """EasyR1 runs the manager in a Ray actor: the bound function must pickle by reference."""
    from ssrl_rewards.integrations.easyr1 import compute_score  # noqa: PLC0415

    bound = functools.partial(compute_score, mode="paper")
    again = pickle.loads(pickle.dumps(bound))
    assert again([{"response": "\\boxed{B}", "response_length": 2, "ground_truth": "B"}]) == bound(
        [{"response": "\\boxed{B}", "response_length": 2, "ground_truth": "B"}]
    )
