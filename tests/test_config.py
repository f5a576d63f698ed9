"""`RewardConfig`: every bad field raises `ConfigError` naming the field and the value."""

from __future__ import annotations

from typing import Any

import pytest

import ssrl_rewards as sr

BAD_FIELDS: list[tuple[dict[str, Any], str, str]] = [
    ({"mode": "papr"}, "mode", "papr"),
    ({"credit": "partial"}, "credit", "partial"),
    ({"format_policy": "lenient"}, "format_policy", "lenient"),
    ({"accuracy_weight": 1.5}, "accuracy_weight", "1.5"),
    ({"accuracy_weight": -0.1}, "accuracy_weight", "-0.1"),
    ({"format_weight": 2.0}, "format_weight", "2.0"),
    ({"accuracy_weight": "0.9"}, "accuracy_weight", "0.9"),
    ({"accuracy_weight": 0.95, "format_weight": 0.1}, "accuracy_weight + format_weight", "1.05"),
    ({"max_chars": 0}, "max_chars", "0"),
    ({"max_answer_chars": -1}, "max_answer_chars", "-1"),
    ({"max_candidates": 0}, "max_candidates", "0"),
    ({"max_chars": "big"}, "max_chars", "big"),
    ({"answer_tags": "yes"}, "answer_tags", "yes"),
    ({"fbox": 1}, "fbox", "1"),
    ({"think_prefilled": "no"}, "think_prefilled", "no"),
    ({"lenient_fallback": None}, "lenient_fallback", "None"),
    ({"mode": None}, "mode", "None"),
    ({"max_candidates": 2.5}, "max_candidates", "2.5"),
    ({"colour": "red"}, "colour", "red"),
]


@pytest.mark.parametrize(("fields", "field", "value"), BAD_FIELDS)
def test_bad_field_raises_config_error_naming_field_and_value(
    fields: dict[str, Any], field: str, value: str
) -> None:
    with pytest.raises(sr.ConfigError) as info:
        sr.RewardConfig(**fields)
    message = str(info.value)
    assert field in message
    assert value in message
    assert isinstance(info.value, ValueError)


def test_defaults_are_the_papers_weights_and_the_safe_policies() -> None:
    cfg = sr.RewardConfig()
    assert (cfg.accuracy_weight, cfg.format_weight) == (0.9, 0.1)
    assert (cfg.mode, cfg.credit, cfg.format_policy) == ("default", "exact", "strict")
    assert cfg.max_chars == 65_536
    assert cfg.lenient_fallback is False
    assert cfg == sr.DEFAULT_CONFIG


def test_config_is_frozen_and_hashable() -> None:
    cfg = sr.RewardConfig(credit="kendall")
    with pytest.raises(Exception, match="frozen"):
        cfg.credit = "exact"  # type: ignore[misc]
    assert hash(cfg) == hash(sr.RewardConfig(credit="kendall"))
    assert {cfg: 1}[sr.RewardConfig(credit="kendall")] == 1


def test_make_config_overrides_fields_and_rejects_unknown_ones() -> None:
    base = sr.RewardConfig(mode="paper")
    assert sr.make_config(base, format_weight=0.0) == sr.RewardConfig(
        mode="paper", format_weight=0.0
    )
    assert sr.make_config() is sr.DEFAULT_CONFIG
    with pytest.raises(sr.ConfigError, match="nonsense"):
        sr.make_config(base, nonsense=1)
    with pytest.raises(sr.ConfigError, match="config="):
        sr.make_config({"mode": "paper"})  # type: ignore[arg-type]


def test_score_rejects_a_config_that_is_not_a_reward_config() -> None:
    with pytest.raises(sr.ConfigError, match="config="):
        sr.score("\\boxed{B}", "B", config={"mode": "paper"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("weights", "expected"), [((0.9, 0.1), 0.9), ((0.5, 0.5), 0.5), ((1.0, 0.0), 1.0)]
)
def test_score_uses_the_configured_weights(weights: tuple[float, float], expected: float) -> None:
    cfg = sr.RewardConfig(accuracy_weight=weights[0], format_weight=weights[1])
    right_without_format = sr.score("\\boxed{B}", "B", "crop", config=cfg)
    assert right_without_format.score == pytest.approx(expected)
    assert sr.score("<think>x</think> \\boxed{B}", "B", "crop", config=cfg).score == pytest.approx(
        weights[0] + weights[1]
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"ground_truths": ["B"]}, "ground_truths"),
        ({"ground_truths": ["B", "B"], "prompts": [None]}, "prompts"),
        ({"ground_truths": ["B", "B"], "tasks": ["crop"]}, "tasks"),
    ],
)
def test_score_batch_rejects_misaligned_lists(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(sr.ConfigError, match=field):
        sr.score_batch(["\\boxed{B}", "\\boxed{B}"], **kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        ((None, None), {}, "completions=None"),
        ((["\\boxed{B}"], None), {}, "ground_truths=None"),
        (("B", "B"), {}, "completions='B': expected a list"),
        ((["\\boxed{B}"], {"answer": "B"}), {}, "ground_truths={'answer': 'B'}"),
        ((["\\boxed{B}"], ["B"]), {"prompts": 7}, "prompts=7"),
        ((["\\boxed{B}"], ["B"]), {"tasks": 7}, "tasks=7"),
        ((["\\boxed{B}"], ["B"]), {"config": {"mode": "paper"}}, "config="),
    ],
)
def test_score_batch_names_a_missing_or_wrong_argument(
    args: tuple[Any, ...], kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(sr.ConfigError) as caught:
        sr.score_batch(*args, **kwargs)
    assert field in str(caught.value)


def test_score_batch_takes_any_sequence_or_iterable_of_rows() -> None:
    completion = "<think>x</think> \\boxed{B}"
    expected = sr.score_batch([completion, completion], ["B", "C"], "crop")
    assert [r.reason for r in expected] == [sr.Reason.CORRECT, sr.Reason.WRONG]
    assert sr.score_batch((completion, completion), ("B", "C"), ["crop", "crop"]) == expected
    rows = iter([completion, completion])
    assert sr.score_batch(rows, iter(["B", "C"]), "crop", prompts=iter([None, None])) == expected


def test_check_config_names_the_argument() -> None:
    from ssrl_rewards.config import check_config  # noqa: PLC0415

    assert check_config(None) is sr.DEFAULT_CONFIG
    with pytest.raises(sr.ConfigError, match=r"settings=\{'mode': 'paper'\}.*RewardConfig\(\*\*"):
        check_config({"mode": "paper"}, "settings")
