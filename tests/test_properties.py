"""Soundness properties, written once and run for every registered task."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssrl_rewards as sr
from tests.strategies import (
    GRAMMAR_PIECES,
    HEDGE_JOINERS,
    STRATEGIES,
    Case,
    arbitrary_text,
    completions,
    think,
)

TASKS = sorted(STRATEGIES)
CREDITS = ("exact", "positionwise", "kendall")


def test_every_registered_task_has_strategies() -> None:
    assert set(sr.task_names()) == set(STRATEGIES)


def _case_and_notation(task: str) -> st.SearchStrategy[tuple[Case, str]]:
    strategies = STRATEGIES[task]
    return strategies.cases.flatmap(
        lambda case: st.tuples(st.just(case), st.sampled_from(strategies.notations(case)))
    )


def _case_and_other(task: str) -> st.SearchStrategy[tuple[Case, str]]:
    strategies = STRATEGIES[task]
    return strategies.cases.flatmap(lambda case: st.tuples(st.just(case), strategies.other(case)))


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data())
def test_right_answer_in_any_accepted_notation_scores_one(task: str, data: st.DataObject) -> None:
    case, notation = data.draw(_case_and_notation(task))
    for credit in CREDITS:
        cfg = sr.RewardConfig(credit=credit)
        result = sr.score(
            think() + f" \\boxed{{{notation}}}", case.truth, task, prompt=case.prompt, config=cfg
        )
        assert (result.accuracy, result.score, result.reason) == (1.0, 1.0, sr.Reason.CORRECT), (
            notation
        )


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data())
def test_a_different_valid_answer_never_scores_one(task: str, data: st.DataObject) -> None:
    case, other = data.draw(_case_and_other(task))
    completion = think() + f" \\boxed{{{other}}}"
    exact = sr.score(completion, case.truth, task, prompt=case.prompt)
    assert exact.accuracy == 0.0 and exact.reason is sr.Reason.WRONG
    for credit in ("positionwise", "kendall"):
        partial = sr.score(
            completion, case.truth, task, prompt=case.prompt, config=sr.RewardConfig(credit=credit)
        )
        assert 0.0 <= partial.accuracy < 1.0


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data())
def test_hedging_pays_nothing(task: str, data: st.DataObject) -> None:
    case, other = data.draw(_case_and_other(task))
    right = case.truth
    hedges = [
        f"\\boxed{{{right}}} \\boxed{{{other}}}",
        f"\\boxed{{{other}}} or \\boxed{{{right}}}",
        f"\\boxed{{{right} or {other}}}",
        f"\\boxed{{{other} / {right}}}",
        f"<answer>{other}</answer> \\boxed{{{right}}}",
    ]
    for credit in CREDITS:
        for hedge in hedges:
            result = sr.score(
                think() + hedge,
                right,
                task,
                prompt=case.prompt,
                config=sr.RewardConfig(credit=credit),
            )
            assert result.accuracy == 0.0, hedge
            assert result.reason is sr.Reason.MULTIPLE_ANSWERS, hedge


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data())
def test_answers_inside_reasoning_or_truncated_pay_nothing(task: str, data: st.DataObject) -> None:
    case, notation = data.draw(_case_and_notation(task))
    for completion in (
        f"<think>so \\boxed{{{notation}}}</think> done",
        f"<think>so \\boxed{{{notation}}}",
        f"<think>a</think> <think>so \\boxed{{{notation}}}</think>",
    ):
        result = sr.score(completion, case.truth, task, prompt=case.prompt)
        assert result.accuracy == 0.0, completion


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data(), text=st.lists(st.sampled_from(GRAMMAR_PIECES), max_size=25).map("".join))
def test_scores_stay_in_range_and_are_deterministic(
    task: str, data: st.DataObject, text: str
) -> None:
    case = data.draw(STRATEGIES[task].cases)
    for credit in CREDITS:
        for mode in ("default", "paper"):
            cfg = (
                sr.RewardConfig(credit=credit)
                if mode == "default"
                else sr.RewardConfig(mode="paper")
            )
            first = sr.score(text, case.truth, task, prompt=case.prompt, config=cfg)
            again = sr.score(text, case.truth, task, prompt=case.prompt, config=cfg)
            assert first == again
            assert 0.0 <= first.score <= 1.0
            assert 0.0 <= first.accuracy <= 1.0 and first.format in (0.0, 1.0)
            assert (first.accuracy == 1.0) == (first.reason is sr.Reason.CORRECT)


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data())
def test_inference_agrees_with_the_explicit_task(task: str, data: st.DataObject) -> None:
    case, notation = data.draw(_case_and_notation(task))
    completion = think() + f" \\boxed{{{notation}}}"
    explicit = sr.score(completion, case.truth, task, prompt=case.prompt)
    inferred = sr.score(completion, case.truth, prompt=case.prompt)
    assert inferred == explicit


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data())
def test_a_task_riding_in_the_ground_truth_is_used(task: str, data: st.DataObject) -> None:
    case, notation = data.draw(_case_and_notation(task))
    completion = think() + f" \\boxed{{{notation}}}"
    wrapped = {"task": task, "answer": case.truth}
    assert sr.score(completion, wrapped, prompt=case.prompt).task == task


@given(st.text(max_size=300) | st.lists(st.sampled_from(GRAMMAR_PIECES), max_size=40).map("".join))
def test_never_raises_on_any_text(text: str) -> None:
    for truth in ("0-2-3-1", "3-1-2", "3-0", "B"):
        result = sr.score(text, truth)
        assert 0.0 <= result.score <= 1.0
        assert result.reason is not sr.Reason.INTERNAL_ERROR


@pytest.mark.parametrize(
    "completion",
    [
        None,
        3,
        2.5,
        b"<think>a</think>\\boxed{B}",
        ["x"],
        {"a": 1},
        object(),
        "",
        "\x00" * 10,
        "\ud800\udfff",
        "{" * 100_000,
        "\\boxed{" * 20_000,
        "</think>" * 20_000,
        "x" * 3_000_000,
    ],
)
def test_never_raises_on_hostile_values(completion: object) -> None:
    result = sr.score(completion, "B")
    assert result.accuracy == 0.0 and 0.0 <= result.score <= 1.0
    assert result.reason is not sr.Reason.INTERNAL_ERROR


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data())
def test_right_answer_in_a_generated_completion_scores_one(task: str, data: st.DataObject) -> None:
    case, notation = data.draw(_case_and_notation(task))
    completion = data.draw(completions(notation))
    for credit in CREDITS:
        cfg = sr.RewardConfig(credit=credit)
        result = sr.score(completion, case.truth, task, prompt=case.prompt, config=cfg)
        assert (result.accuracy, result.format, result.score) == (1.0, 1.0, 1.0), completion


def _case_other_notation(task: str) -> st.SearchStrategy[tuple[Case, str, str]]:
    """A case, a right notation, and a different valid answer in any notation."""
    strategies = STRATEGIES[task]
    return _case_and_other(task).flatmap(
        lambda pair: st.tuples(
            st.just(pair[0]),
            st.sampled_from(strategies.notations(pair[0])),
            st.sampled_from(strategies.notations(pair[0].with_truth(pair[1]))),
        )
    )


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data())
def test_a_different_answer_in_any_notation_never_scores_one(
    task: str, data: st.DataObject
) -> None:
    case, _, wrong = data.draw(_case_other_notation(task))
    completion = think() + f" \\boxed{{{wrong}}}"
    exact = sr.score(completion, case.truth, task, prompt=case.prompt)
    assert (exact.accuracy, exact.reason) == (0.0, sr.Reason.WRONG), wrong
    for credit in ("positionwise", "kendall"):
        cfg = sr.RewardConfig(credit=credit)
        partial = sr.score(completion, case.truth, task, prompt=case.prompt, config=cfg)
        assert 0.0 <= partial.accuracy < 1.0, wrong
        if not STRATEGIES[task].ordered:
            assert partial.accuracy == 0.0


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data(), joiner=st.sampled_from(HEDGE_JOINERS), swap=st.booleans())
def test_hedges_in_any_notation_pay_nothing(
    task: str, data: st.DataObject, joiner: str, swap: bool
) -> None:
    case, right, wrong = data.draw(_case_other_notation(task))
    first, second = (wrong, right) if swap else (right, wrong)
    for completion in (
        think() + f" \\boxed{{{first}{joiner}{second}}}",
        think() + f" \\boxed{{{first}}} or \\boxed{{{second}}}",
    ):
        for credit in CREDITS:
            cfg = sr.RewardConfig(credit=credit)
            result = sr.score(completion, case.truth, task, prompt=case.prompt, config=cfg)
            assert result.accuracy == 0.0, completion
            assert result.reason is not sr.Reason.CORRECT


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data(), text=arbitrary_text())
def test_arbitrary_text_never_raises_and_keeps_the_score_identity(
    task: str, data: st.DataObject, text: str
) -> None:
    case = data.draw(STRATEGIES[task].cases)
    for mode in ("default", "paper"):
        for credit in CREDITS:
            cfg = (
                sr.RewardConfig(credit=credit)
                if mode == "default"
                else sr.RewardConfig(mode="paper")
            )
            result = sr.score(text, case.truth, task, prompt=case.prompt, config=cfg)
            assert result.reason is not sr.Reason.INTERNAL_ERROR
            assert 0.0 <= result.accuracy <= 1.0 and result.format in (0.0, 1.0)
            assert result.score == pytest.approx(0.9 * result.accuracy + 0.1 * result.format)


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data())
def test_huge_completions_never_raise(task: str, data: st.DataObject) -> None:
    case, notation = data.draw(_case_and_notation(task))
    filler = data.draw(st.sampled_from(["x", "<", "{", "\\boxed{", "</think>", " / ", "\x00"]))
    completion = think(filler * 40_000) + f" \\boxed{{{notation}}}"
    result = sr.score(completion, case.truth, task, prompt=case.prompt)
    assert result.reason is not sr.Reason.INTERNAL_ERROR
    roomy = sr.RewardConfig(max_chars=1_000_000)
    assert sr.score(completion, case.truth, task, prompt=case.prompt, config=roomy).reason in (
        sr.Reason.CORRECT,
        sr.Reason.MULTIPLE_ANSWERS,  # a flood of boxes inside the reasoning spills out
        sr.Reason.UNBALANCED_BOX,
        sr.Reason.NO_ANSWER,
        sr.Reason.ANSWER_IN_THINK,
    )


@pytest.mark.parametrize("task", TASKS)
@given(data=st.data())
def test_parsing_depends_only_on_the_truths_shape(task: str, data: st.DataObject) -> None:
    """`TaskSpec.parse_shape` is sound: parsing with the shape equals parsing with the truth."""
    case, _, wrong = data.draw(_case_other_notation(task))
    spec, truth = sr.parse_ground_truth(case.truth, task, prompt=case.prompt)
    if spec.parse_shape is None:
        return
    shape = spec.parse_shape(truth)
    extra = data.draw(st.sampled_from(GRAMMAR_PIECES))
    for text in (wrong, sr.normalize_answer(wrong), case.truth, f"{case.truth} or {wrong}", extra):
        assert spec.parse(text, shape, case.prompt) == spec.parse(text, truth, case.prompt)


@given(data=st.data())
def test_score_batch_equals_scoring_each_row(data: st.DataObject) -> None:
    rows = []
    for task in data.draw(st.lists(st.sampled_from(TASKS), min_size=1, max_size=6)):
        case, notation = data.draw(_case_and_notation(task))
        completion = data.draw(completions(notation) | st.sampled_from(GRAMMAR_PIECES))
        rows.append((completion, case.truth, task, case.prompt))
    completions_, truths, tasks, prompts = (list(column) for column in zip(*rows, strict=True))
    batch = sr.score_batch(completions_, truths, tasks, prompts=prompts)
    assert batch == [sr.score(c, t, k, prompt=p) for c, t, k, p in rows]
