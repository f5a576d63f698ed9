"""EasyR1's own reward managers on our file, when an EasyR1 source tree is at hand.

Opt-in: set ``EASYR1_SRC`` to a directory holding EasyR1's ``verl`` package (upstream
hiyouga/EasyR1's checkout root, or ``training/GRPO`` of InternLM/Spatial-SSRL). EasyR1 is
not on the package index and its package is also named ``verl``, so it runs in a
subprocess with that directory first on ``PYTHONPATH``. Without ``EASYR1_SRC`` this module
is not collected (see conftest); ``test_easyr1.py`` checks the same contract offline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from integration_helpers import trainer_import

from ssrl_rewards import score
from ssrl_rewards.hooks import integration_path

SCRIPT = r"""
import json, sys
import numpy as np, torch
from transformers import AutoTokenizer
from verl.protocol import DataProto
from verl.workers import reward as reward_pkg

tokenizer = AutoTokenizer.from_pretrained(sys.argv[1])
items = json.loads(sys.argv[2])
cfg = reward_pkg.RewardConfig(reward_function=sys.argv[3] + ":compute_score",
                              reward_function_kwargs=json.loads(sys.argv[4]))
cfg.post_init()
if hasattr(reward_pkg, "AutoRewardManager"):        # upstream (reads REWARD_TYPE)
    kind, manager = "upstream", reward_pkg.AutoRewardManager(cfg, tokenizer)
else:                                               # the Spatial-SSRL fork (reward_type key)
    kind, manager = "fork", reward_pkg.BatchFunctionRewardManager(cfg, tokenizer)
width = 16
responses, masks = [], []
for response, _ in items:
    ids = tokenizer(response, add_special_tokens=False)["input_ids"][: width - 1]
    ids.append(tokenizer.eos_token_id)
    responses.append(ids + [tokenizer.pad_token_id] * (width - len(ids)))
    masks.append([1] * len(ids) + [0] * (width - len(ids)))
data = DataProto.from_dict(
    tensors={"responses": torch.tensor(responses), "response_mask": torch.tensor(masks)},
    non_tensors={"ground_truth": np.array([gt for _, gt in items], dtype=object)},
)
reward_tensor, metrics = manager.compute_reward(data)
print("RESULT " + json.dumps({
    "kind": kind,
    "overall": reward_tensor.sum(-1).tolist(),
    "metrics": {k: [float(x) for x in v] for k, v in metrics.items()},
    "means": {k: float(np.mean(v)) for k, v in metrics.items()},
}))
"""

ITEMS = [
    ("<think> the sky </think> \\boxed{0-2-3-1}", "0-2-3-1"),
    ("<think> the sky </think> \\boxed{0-1-2}", "0-2-1"),
    ("<think> look </think> \\boxed{2-1}", json.dumps({"task": "flip", "answer": "2-1"})),
    ("<think> a </think> \\boxed{A} \\boxed{B}", "B"),
    ("the answer is 3-1-2", "3-1-2"),
]


@pytest.mark.parametrize("kwargs", [{}, {"component": "accuracy"}])
def test_easyr1_reward_manager_runs_our_file(
    tiny_tokenizer_dir: Path, kwargs: dict[str, str]
) -> None:
    trainer_import("torch")
    source = os.environ.get("EASYR1_SRC")
    if not source:
        pytest.skip("set EASYR1_SRC to an EasyR1 source tree to run this test")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}
    args = [
        str(tiny_tokenizer_dir),
        json.dumps(ITEMS),
        integration_path("easyr1"),
        json.dumps(kwargs),
    ]
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    want = [score(response, truth) for response, truth in ITEMS]
    value = "accuracy" if kwargs.get("component") == "accuracy" else "score"
    assert result["overall"] == pytest.approx([getattr(w, value) for w in want])
    assert result["metrics"]["accuracy"] == [w.accuracy for w in want]
    assert result["metrics"]["format"] == [w.format for w in want]
    assert set(result["means"]) == {"overall", "format", "accuracy"}
    print(f"EasyR1 {result['kind']} reward manager at {source}: ok")
