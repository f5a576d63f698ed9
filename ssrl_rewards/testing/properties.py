"""This library's soundness properties for one task, as a function a test can call
(needs hypothesis: the ``testing`` extra).

    from ssrl_rewards.testing.properties import property_suite
    def test_my_task_is_sound():
        property_suite("my_task")

For every credit mode: an honest notation scores 1 with reason ``correct``; a different
valid answer never scores 1; no attack (hedge, answer in the reasoning, truncation, out of
space, format game) earns more than a committed wrong answer; any text gets a score in
[0, 1] with the score identity, deterministically; parsing depends only on the truth's shape.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ssrl_rewards.config import RewardConfig
from ssrl_rewards.registry import TaskSpec, get_task
from ssrl_rewards.result import Reason
from ssrl_rewards.reward import parse_ground_truth, score
from ssrl_rewards.testing import strategies as sst
from ssrl_rewards.testing.render import Attempt

__all__ = ["CREDITS", "property_suite"]

CREDITS = ("exact", "positionwise", "kendall")


def _configs() -> list[RewardConfig]:
    return [RewardConfig(credit=credit) for credit in CREDITS]


def _score(attempt: Attempt, text: str, config: RewardConfig) -> float:
    return score(
        text, attempt.ground_truth, attempt.task, prompt=attempt.prompt, config=config
    ).score


def check_honest(task: str, max_examples: int) -> None:
    """Every honest notation in every tolerated envelope scores 1.0, reason correct."""

    @settings(max_examples=max_examples, deadline=None, database=None)
    @given(sst.attempts(task, "honest"))
    def honest(attempt: Attempt) -> None:
        for config in _configs():
            result = score(
                attempt.text(), attempt.ground_truth, task, prompt=attempt.prompt, config=config
            )
            assert (result.accuracy, result.reason) == (1.0, Reason.CORRECT), attempt.text()

    honest()


def check_attacks(task: str, max_examples: int) -> None:
    """No attack earns more than a committed wrong answer; a wrong answer never scores 1."""

    @settings(max_examples=max_examples, deadline=None, database=None)
    @given(st.sampled_from([k for k in sst.KINDS if k != "honest"]), st.data())
    def attacks(kind: str, data: st.DataObject) -> None:
        attempt = data.draw(sst.attempts(task, kind))
        for config in _configs():
            got = _score(attempt, attempt.text(), config)
            reference = _score(attempt, attempt.reference_text(), config)
            if kind == "wrong":
                assert got < reference, attempt.text()
            else:
                assert got <= reference, attempt.text()

    attacks()


def check_any_text(task: str, max_examples: int) -> None:
    """Any text gets a deterministic score in [0, 1] with the score identity."""

    @settings(max_examples=max_examples, deadline=None, database=None)
    @given(sst.samples(task), sst.arbitrary_text() | sst.grammar_soup() | sst.hostile_texts())
    def any_text(sample: Any, text: str) -> None:
        for mode in ("default", "paper"):
            config = RewardConfig(mode=mode)
            first = score(text, sample.case.ground_truth, task, prompt=sample.prompt, config=config)
            again = score(text, sample.case.ground_truth, task, prompt=sample.prompt, config=config)
            assert first == again and first.reason is not Reason.INTERNAL_ERROR
            assert 0.0 <= first.accuracy <= 1.0 and first.format in (0.0, 1.0)
            assert abs(first.score - (0.9 * first.accuracy + 0.1 * first.format)) < 1e-9

    any_text()


def check_parse_shape(task: str, max_examples: int) -> None:
    """`TaskSpec.parse_shape` is sound: parsing with the shape equals parsing with the truth."""
    spec: TaskSpec[Any, Any] = get_task(task)
    if spec.parse_shape is None:
        return
    shape_of = spec.parse_shape

    @settings(max_examples=max_examples, deadline=None, database=None)
    @given(sst.samples(task), st.data())
    def shape(sample: Any, data: st.DataObject) -> None:
        _, truth = parse_ground_truth(sample.case.ground_truth, task, prompt=sample.prompt)
        wrong = data.draw(st.sampled_from(list(sample.notations(sample.other))))
        for text in (wrong, sample.case.ground_truth, f"{sample.case.ground_truth} or {wrong}"):
            assert spec.parse(text, shape_of(truth), sample.prompt) == spec.parse(
                text, truth, sample.prompt
            )

    shape()


def property_suite(task: str, *, max_examples: int = 50) -> None:
    """Run every property for `task` (raises hypothesis' falsifying example on failure)."""
    name = get_task(task).name
    for check in (check_honest, check_attacks, check_any_text, check_parse_shape):
        check(name, max_examples)
