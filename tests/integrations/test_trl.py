"""TRL: real GRPOTrainer and RLOOTrainer runs with our reward functions in `reward_funcs`.

A tiny random Qwen2 and a word-level tokenizer are built in code (no downloads); three
training steps on CPU take seconds. We check that TRL calls our functions with its real
arguments, logs ``rewards/ssrl_*`` and our ``ssrl/*`` metrics, and that each reward is
what `score` says for the completion TRL passed.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
from pathlib import Path
from typing import Any

import pytest
from integration_helpers import build_tokenizer, quiet_import, trainer_import

from ssrl_rewards import make_reward_fn, score
from ssrl_rewards.reward_fn import TRLReward, completion_text

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _trl_version() -> tuple[int, int]:
    try:
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        major, minor = version("trl").split(".")[:2]
        return int(major), int(minor)
    except PackageNotFoundError:  # not installed: the tests skip anyway
        return (0, 0)


TRL_VERSION = _trl_version()
HAS_LOG_METRIC = TRL_VERSION >= (1, 0)  # TRL passes log_metric to reward functions since 1.0


class RecordingReward(TRLReward):
    """Our TRL reward, recording each call's keyword arguments and results."""

    calls: list[tuple[dict[str, Any], list[float | None]]]

    def __call__(self, prompts: Any = None, completions: Any = None, **kwargs: Any) -> Any:
        result = super().__call__(prompts=prompts, completions=completions, **kwargs)
        self.calls.append(({"prompts": prompts, "completions": completions, **kwargs}, result))
        return result


def recording(component: str, **kwargs: Any) -> RecordingReward:
    reward = RecordingReward(component=component, **kwargs)
    reward.calls = []
    return reward


ROWS = [
    {"q": "shuffle the patch order of the image", "gt": "0-2-3-1", "task": "shuffle"},
    {"q": "which point is closer 1 2 3 depth order", "gt": "3-1-2", "task": "depth"},
    {"q": "which region A B C D", "gt": "B", "task": "crop"},
    {"q": "flip the image view which one", "gt": "2-1", "task": "flip"},
    {"q": "which position A Left B Right", "gt": "B", "task": "position"},
]


def standard_rows() -> list[dict[str, Any]]:
    return [
        {"prompt": r["q"], "answer": r["gt"], "task": r["task"], "extra_info": {"i": i}}
        for i, r in enumerate(ROWS)
    ]


def conversational_rows() -> list[dict[str, Any]]:
    return [
        {
            "prompt": [{"role": "user", "content": r["q"]}],
            "solution": r["gt"],
            "task": r["task"],
        }
        for r in ROWS
    ]


def _config(cls: Any, tmp_path: Path, **extra: Any) -> Any:
    settings: dict[str, Any] = {
        "output_dir": str(tmp_path / "out"),
        "per_device_train_batch_size": 4,
        "num_generations": 4,
        "max_completion_length": 8,
        "max_steps": 3,
        "learning_rate": 1e-3,
        "use_cpu": True,
        "bf16": False,
        "report_to": "none",
        "save_strategy": "no",
        "logging_steps": 1,
        "dataloader_num_workers": 0,
        "seed": 0,
    }
    settings.update(extra)
    known = {field.name for field in dataclasses.fields(cls)}
    return cls(**{key: value for key, value in settings.items() if key in known})


def _check_calls(reward: RecordingReward, conversational: bool) -> None:
    """TRL's real arguments reached us, and every reward equals `score` of its completion."""
    assert reward.calls, "TRL never called the reward function"
    for kwargs, result in reward.calls:
        prompts, completions = kwargs["prompts"], kwargs["completions"]
        assert len(result) == len(prompts) == len(completions)
        if TRL_VERSION >= (0, 18):
            assert "completion_ids" in kwargs
        if TRL_VERSION >= (0, 20):
            assert "trainer_state" in kwargs
        if HAS_LOG_METRIC:
            assert callable(kwargs.get("log_metric"))
        gt_column = "solution" if conversational else "answer"
        for index, completion in enumerate(completions):
            if conversational:
                assert isinstance(completion, list) and completion[-1]["role"] == "assistant"
            else:
                assert isinstance(completion, str)
            expected = score(
                completion_text(completion),
                kwargs[gt_column][index],
                kwargs["task"][index],
                prompt=prompts[index],
            )
            value = result[index]
            assert value is not None
            if reward.component == "score":
                assert value == expected.score
            elif reward.component == "accuracy":
                assert value == expected.accuracy
            else:
                assert value == expected.format


def _logged(trainer: Any) -> set[str]:
    return {key for entry in trainer.state.log_history for key in entry}


@pytest.mark.parametrize("conversational", [False, True], ids=["standard", "conversational"])
def test_grpo_trainer_runs_with_our_rewards(
    tiny_model_dir: Path, tmp_path: Path, conversational: bool
) -> None:
    trl = trainer_import("trl")
    datasets = quiet_import("datasets")
    rows = conversational_rows() if conversational else standard_rows()
    rewards = [recording("score"), recording("accuracy"), recording("format")]
    trainer = trl.GRPOTrainer(
        model=str(tiny_model_dir),
        reward_funcs=rewards,
        args=_config(trl.GRPOConfig, tmp_path),
        train_dataset=datasets.Dataset.from_list(rows * 4),
        processing_class=build_tokenizer(),
    )
    trainer.train()
    for reward in rewards:
        _check_calls(reward, conversational)
    logged = _logged(trainer)
    for name in ("ssrl_score", "ssrl_accuracy", "ssrl_format"):
        # TRL < 0.17 logs rewards/<name>, later ones rewards/<name>/mean and /std
        assert {f"rewards/{name}/mean", f"rewards/{name}"} & logged, sorted(logged)
    if HAS_LOG_METRIC:
        assert "ssrl/no_answer_rate" in logged and "ssrl/hedge_rate" in logged
        assert any(key.startswith("ssrl/") and key.endswith("/accuracy") for key in logged)

    # A known completion, in exactly the shape TRL passed: the reward is what score says.
    kwargs, _ = rewards[0].calls[0]
    known = "<think> the patch order </think> \\boxed{0-2-3-1}"
    shaped = [{"role": "assistant", "content": known}] if conversational else known
    n = len(kwargs["completions"])
    call = {**kwargs, "completions": [shaped] * n, "task": ["shuffle"] * n}
    gt_column = "solution" if conversational else "answer"
    call[gt_column] = ["0-2-3-1"] * n
    assert make_reward_fn("trl")(**call) == [score(known, "0-2-3-1", "shuffle").score] * n
    assert score(known, "0-2-3-1", "shuffle").score == 1.0


def test_rloo_trainer_runs_with_our_rewards(tiny_model_dir: Path, tmp_path: Path) -> None:
    trl = trainer_import("trl")
    rloo = getattr(trl, "RLOOTrainer", None)
    if rloo is None or "reward_funcs" not in inspect.signature(rloo.__init__).parameters:
        pytest.skip("this TRL's RLOOTrainer takes no reward_funcs (added in 0.22)")
    datasets = quiet_import("datasets")
    rewards = [recording("accuracy"), recording("format")]
    trainer = trl.RLOOTrainer(
        model=str(tiny_model_dir),
        reward_funcs=rewards,
        args=_config(trl.RLOOConfig, tmp_path),
        train_dataset=datasets.Dataset.from_list(standard_rows() * 4),
        processing_class=build_tokenizer(),
    )
    trainer.train()
    for reward in rewards:
        _check_calls(reward, conversational=False)
    logged = _logged(trainer)
    assert {"rewards/ssrl_accuracy/mean", "rewards/ssrl_format/mean"} <= logged


def test_foreign_task_rows_get_none_and_trl_uses_the_other_function(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    """Rows of a non-Spatial-SSRL task get None from us; TRL combines with nansum."""
    trl = trainer_import("trl")
    datasets = quiet_import("datasets")
    rows = standard_rows()
    rows[1] = {**rows[1], "task": "gsm8k", "answer": "42"}
    rows = rows[:2] * 8  # ours, gsm8k, ours, gsm8k, ...
    ours = recording("score")
    trainer = trl.GRPOTrainer(
        model=str(tiny_model_dir),
        reward_funcs=[ours, constant_reward],
        args=_config(
            trl.GRPOConfig,
            tmp_path,
            max_steps=2,
            per_device_train_batch_size=16,  # 4 prompts per step
            shuffle_dataset=False,  # (where supported) rows alternate ours / gsm8k
        ),
        train_dataset=datasets.Dataset.from_list(rows),
        processing_class=build_tokenizer(),
    )
    trainer.train()
    seen_none = False
    for kwargs, result in ours.calls:
        for task, value in zip(kwargs["task"], result, strict=True):
            assert (value is None) == (task == "gsm8k")
            seen_none = seen_none or value is None
    assert seen_none
    torch = quiet_import("torch")
    assert all(
        not torch.isnan(torch.tensor(e["loss"])) for e in trainer.state.log_history if "loss" in e
    )


def test_misspelt_task_cell_stops_the_run_at_the_first_step(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    """A near miss of a task name (``shufle``) raises naming the likely task, instead of
    returning None for every row and training on nothing."""
    from ssrl_rewards.errors import TaskCellError  # noqa: PLC0415

    trl = trainer_import("trl")
    datasets = quiet_import("datasets")
    rows = [{**row, "task": "shufle"} for row in standard_rows() if row["task"] == "shuffle"] * 4
    trainer = trl.GRPOTrainer(
        model=str(tiny_model_dir),
        reward_funcs=[make_reward_fn("trl")],
        args=_config(trl.GRPOConfig, tmp_path, max_steps=1),
        train_dataset=datasets.Dataset.from_list(rows),
        processing_class=build_tokenizer(),
    )
    with pytest.raises(TaskCellError, match="did you mean 'shuffle'"):
        trainer.train()


def constant_reward(prompts: list[Any], completions: list[Any], **kwargs: Any) -> list[float]:
    """Another reward function (as a math verifier would be) for the mixed-dataset test."""
    return [0.5] * len(completions)
