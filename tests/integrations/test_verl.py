"""verl 0.9.x: our ``compute_score`` loaded by verl's own loader and driven by its managers.

- `get_custom_reward_fn` loads ``pkg://ssrl_rewards.integrations.verl`` with ``reward_kwargs``;
- the reward-loop ``NaiveRewardManager`` (what ``load_reward_manager`` builds) scores a
  fake rollout batch sample by sample on its own event loop;
- ``RewardLoopManager.compute_rm_score`` does the same inside two Ray reward actors on a
  local CPU Ray cluster (verl takes the key list from the first sample: keys must agree);
- the legacy ``BatchRewardManager`` calls ``compute_score_batch``;
- our callable pickled into a Ray task (what the ``remote`` manager does).
Every path must give the same keys and the values that calling ``compute_score`` directly
gives.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from integration_helpers import build_tokenizer, quiet_import, trainer_import

from ssrl_rewards import score
from ssrl_rewards.integrations.verl import compute_score, compute_score_batch
from ssrl_rewards.reward_fn import make_reward_fn

PKG_PATH = "pkg://ssrl_rewards.integrations.verl"
KEYS = ["score", "acc", "format", "pred"]

SAMPLES = [
    # (data_source, response, ground truth, extra_info)
    ("spatial_ssrl/shuffle", "<think> the sky </think> \\boxed{0-2-3-1}", "0-2-3-1", {}),
    ("spatial_ssrl/shuffle", "<think> the sky </think> \\boxed{0-1-2}", "0-2-1", {}),
    ("spatial_ssrl", "<think> look </think> \\boxed{2-1}", "2-1", {"task": "flip"}),
    ("spatial_ssrl/depth", "the answer is 3", "3-1-2", {}),
    ("crop", "<think> region </think> \\boxed{B}", "B", {"index": 7}),
    ("spatial_ssrl/position", "<think> Left </think> \\boxed{A} \\boxed{B}", "B", {}),
    ("ssrl", "<think> the patch </think> \\boxed{3-0}", {"task": "flip", "answer": "3-0"}, {}),
    ("ssrl", "", "0-1-2", {"task": "shuffle"}),
]


@pytest.fixture(scope="module")
def verl() -> Any:
    """verl (and torch) or skip."""
    trainer_import("torch")
    return trainer_import("verl")


def reward_config(tokenizer_dir: Path, **reward_kwargs: Any) -> Any:
    """The ``reward`` section from verl's own reward.yaml plus what the managers read."""
    omegaconf = quiet_import("omegaconf")
    verl = quiet_import("verl")
    yaml_path = Path(verl.__file__).parent / "trainer" / "config" / "reward" / "reward.yaml"
    reward = omegaconf.OmegaConf.load(yaml_path)
    reward.num_workers = 2
    reward.custom_reward_function.path = PKG_PATH
    reward.custom_reward_function.name = "compute_score"
    reward.custom_reward_function.reward_kwargs = dict(reward_kwargs)
    return omegaconf.OmegaConf.create(
        {
            "reward": reward,
            "actor_rollout_ref": {"model": {"path": str(tokenizer_dir), "tokenizer_path": None}},
            "trainer": {"experiment_name": "ssrl-rewards-test"},  # the gdpo manager reads it
        }
    )


def make_batch(tokenizer: Any, samples: list[tuple[Any, ...]]) -> Any:
    """A rollout-shaped DataProto: left-padded prompts, right-padded responses."""
    torch = quiet_import("torch")
    protocol = quiet_import("verl.protocol")
    prompt_len, response_len = 6, 12
    pad = tokenizer.pad_token_id
    prompts, responses, masks = [], [], []
    for _, response, _, _ in samples:
        p_ids = tokenizer("which one is it", add_special_tokens=False)["input_ids"][:prompt_len]
        r_ids = tokenizer(response, add_special_tokens=False)["input_ids"][: response_len - 1]
        r_ids = [*r_ids, tokenizer.eos_token_id]
        prompts.append([pad] * (prompt_len - len(p_ids)) + p_ids)
        responses.append(r_ids + [pad] * (response_len - len(r_ids)))
        masks.append(
            [0] * (prompt_len - len(p_ids))
            + [1] * len(p_ids)
            + [1] * len(r_ids)
            + [0] * (response_len - len(r_ids))
        )
    prompts_t = torch.tensor(prompts)
    responses_t = torch.tensor(responses)
    return protocol.DataProto.from_dict(
        tensors={
            "prompts": prompts_t,
            "responses": responses_t,
            "input_ids": torch.cat([prompts_t, responses_t], dim=1),
            "attention_mask": torch.tensor(masks),
        },
        non_tensors={
            "data_source": np.array([s[0] for s in samples], dtype=object),
            "reward_model": np.array(
                [{"style": "rule", "ground_truth": s[2]} for s in samples], dtype=object
            ),
            "extra_info": np.array([dict(s[3]) for s in samples], dtype=object),
        },
    )


def expected(tokenizer: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """What compute_score returns, called directly on the text verl decodes."""
    out = []
    for source, response, truth, extra in SAMPLES:
        ids = tokenizer(response, add_special_tokens=False)["input_ids"][:11]
        text = tokenizer.decode(ids, skip_special_tokens=True)
        out.append(compute_score(source, text, truth, dict(extra), **kwargs))
    return out


def test_compute_score_contract() -> None:
    """Same keys on every path, numeric where verl averages, pred a string."""
    for source, response, truth, extra in SAMPLES:
        result = compute_score(
            data_source=source, solution_str=response, ground_truth=truth, extra_info=extra
        )
        assert list(result) == KEYS
        assert all(isinstance(result[k], float) for k in ("score", "acc", "format"))
        assert isinstance(result["pred"], str)
    first = compute_score("spatial_ssrl/shuffle", SAMPLES[0][1], "0-2-3-1")
    assert first == {"score": 1.0, "acc": 1.0, "format": 1.0, "pred": "0-2-3-1"}
    flip = compute_score("x", SAMPLES[2][1], "2-1", {"task": "flip"})
    assert flip["acc"] == score(SAMPLES[2][1], "2-1", "flip").accuracy == 1.0
    paper = compute_score("spatial_ssrl/shuffle", "\\boxed{0-2-3-1}", "0-2-3-1", mode="paper")
    assert paper["score"] == score("\\boxed{0-2-3-1}", "0-2-3-1", "shuffle", config=_paper()).score


def _paper() -> Any:
    from ssrl_rewards import make_config  # noqa: PLC0415

    return make_config(mode="paper")


def test_loaded_through_verls_custom_reward_loader(verl: Any, tiny_tokenizer_dir: Path) -> None:
    reward_mod = quiet_import("verl.trainer.ppo.reward")
    cfg = reward_config(tiny_tokenizer_dir, mode="paper", accuracy_weight=1.0, format_weight=0.0)
    fn = reward_mod.get_custom_reward_fn(cfg)
    result = fn(
        data_source="spatial_ssrl/shuffle",
        solution_str="\\boxed{0-2-3-1}",
        ground_truth="0-2-3-1",
        extra_info={},
    )
    assert result == {"score": 1.0, "acc": 1.0, "format": 0.0, "pred": "0-2-3-1"}


def run_manager(name: str, tokenizer_dir: Path, num_workers: int = 2) -> list[dict[str, Any]]:
    """Build the reward-loop manager `name` as verl does and score SAMPLES one by one."""
    reward_mod = quiet_import("verl.trainer.ppo.reward")
    tokenizer = build_tokenizer()
    cfg = reward_config(tokenizer_dir)
    cfg.reward.reward_manager.name = name
    cfg.reward.num_workers = num_workers
    mgr = reward_mod.load_reward_manager(cfg, tokenizer)
    batch = make_batch(tokenizer, SAMPLES)
    with closing_loop(mgr.loop):
        return [
            mgr.loop.run_until_complete(mgr.run_single(batch[i : i + 1]))
            for i in range(len(batch))
        ]


@contextlib.contextmanager
def closing_loop(loop: asyncio.AbstractEventLoop) -> Iterator[None]:
    """Close the event loop verl's manager set as current: a later `asyncio.run` unsets it,
    and an unclosed loop garbage-collected in another test fails it (ResourceWarning)."""
    try:
        yield
    finally:
        asyncio.set_event_loop(None)
        loop.close()


@pytest.mark.parametrize("name", ["dapo", "gdpo"])
def test_other_rule_reward_loop_managers(verl: Any, tiny_tokenizer_dir: Path, name: str) -> None:
    want = expected(build_tokenizer())
    for out, exp in zip(run_manager(name, tiny_tokenizer_dir), want, strict=True):
        assert out["reward_extra_info"] == exp and out["reward_score"] == exp["score"]


def test_naive_reward_loop_manager(verl: Any, tiny_tokenizer_dir: Path) -> None:
    reward_mod = quiet_import("verl.trainer.ppo.reward")
    tokenizer = build_tokenizer()
    mgr = reward_mod.load_reward_manager(reward_config(tiny_tokenizer_dir), tokenizer)
    assert type(mgr).__name__ == "NaiveRewardManager"
    batch = make_batch(tokenizer, SAMPLES)
    with closing_loop(mgr.loop):
        outputs = [
            mgr.loop.run_until_complete(mgr.run_single(batch[i : i + 1]))
            for i in range(len(batch))
        ]
    want = expected(tokenizer)
    for out, exp in zip(outputs, want, strict=True):
        assert list(out["reward_extra_info"]) == KEYS
        assert out["reward_extra_info"] == exp
        assert out["reward_score"] == exp["score"]
    assert want[0]["acc"] == 1.0 and want[2]["acc"] == 1.0


def test_legacy_batch_reward_manager(verl: Any) -> None:
    batch_mod = quiet_import("verl.workers.reward_manager.batch")
    tokenizer = build_tokenizer()
    mgr = batch_mod.BatchRewardManager(tokenizer, 0, compute_score_batch)
    out = mgr(make_batch(tokenizer, SAMPLES), return_dict=True)
    want = expected(tokenizer)
    for key in KEYS:
        assert list(out["reward_extra_info"][key]) == [w[key] for w in want]
    tensor = out["reward_tensor"]
    assert [float(row.sum()) for row in tensor] == pytest.approx([w["score"] for w in want])


@pytest.fixture(scope="module")
def ray_cluster(verl: Any) -> Iterator[Any]:
    """A local 2-CPU Ray cluster for the module (started once: Ray start-up is slow)."""
    ray = trainer_import("ray")
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
    yield ray
    ray.shutdown()


def test_reward_loop_manager_in_ray_actors(ray_cluster: Any, tiny_tokenizer_dir: Path) -> None:
    loop_mod = quiet_import("verl.experimental.reward_loop.reward_loop")
    tokenizer = build_tokenizer()
    manager = loop_mod.RewardLoopManager(reward_config(tiny_tokenizer_dir))
    batch = make_batch(tokenizer, SAMPLES)
    result = manager.compute_rm_score(batch)
    want = expected(tokenizer)
    assert result.meta_info["reward_extra_keys"] == KEYS
    for key in KEYS:
        assert list(result.non_tensor_batch[key]) == [w[key] for w in want]
    rm_scores = result.batch["rm_scores"]
    assert [float(row.sum()) for row in rm_scores] == pytest.approx([w["score"] for w in want])
    for actor in manager.reward_loop_workers:
        ray_cluster.kill(actor)


def test_remote_reward_manager_ships_compute_score_to_ray_workers(
    ray_cluster: Any, tiny_tokenizer_dir: Path
) -> None:
    """verl's ``remote`` manager pickles compute_score into its own Ray worker actor."""
    want = expected(build_tokenizer())
    outputs = run_manager("remote", tiny_tokenizer_dir, num_workers=1)
    for out, exp in zip(outputs, want, strict=True):
        assert out["reward_extra_info"] == exp and out["reward_score"] == exp["score"]


def test_reward_callable_pickled_into_ray(ray_cluster: Any) -> None:
    """What verl's ``remote`` manager does: ship the callable to a Ray worker and call it."""
    reward = make_reward_fn("verl", component="accuracy", credit="positionwise")

    @ray_cluster.remote
    def run(fn: Any, samples: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        return [fn(s[0], s[1], s[2], dict(s[3])) for s in samples]

    remote = ray_cluster.get(run.remote(reward, SAMPLES))
    local = [reward(s[0], s[1], s[2], dict(s[3])) for s in SAMPLES]
    assert remote == local
    assert remote[1]["score"] == remote[1]["acc"] and 0.0 < remote[1]["acc"] < 1.0
