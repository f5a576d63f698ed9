"""Task inference from the ground truth's shape (and the prompt, for letters).

On every ground truth the paper's data can hold, inference must pick the task the data
says; it must never disagree with an explicit task there.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssrl_rewards as sr
from tests.strategies import (
    CROP_PROMPT,
    DEPTH_PROMPT,
    FLIP_PROMPT,
    SHUFFLE_PROMPT,
    position_prompt,
)

POSITION_PROMPT = position_prompt(
    ("Right-Front", "Left-Back", "Left-Front", "Right-Back"), far=True
)


def _orderings(base: int, n: int) -> list[str]:
    return ["-".join(map(str, p)) for p in itertools.permutations(range(base, base + n))]


# Every ground truth of the paper's data, with its task and prompt.
PAPER_DATA: list[tuple[str, str, str]] = (
    [(truth, "shuffle", SHUFFLE_PROMPT) for truth in _orderings(0, 4) + _orderings(0, 3)]
    + [(truth, "depth", DEPTH_PROMPT) for truth in _orderings(1, 3)]
    + [(f"{label}-{d}", "flip", FLIP_PROMPT) for label in range(4) for d in (0, 1)]
    + [(letter, "crop", CROP_PROMPT) for letter in "ABCD"]
    + [(letter, "position", POSITION_PROMPT) for letter in "ABCD"]
)


@pytest.mark.parametrize(("truth", "task", "prompt"), PAPER_DATA)
def test_inference_agrees_with_the_explicit_task_on_paper_data(
    truth: str, task: str, prompt: str
) -> None:
    inferred_spec, inferred_truth = sr.parse_ground_truth(truth, None, prompt=prompt)
    explicit_spec, explicit_truth = sr.parse_ground_truth(truth, task, prompt=prompt)
    assert inferred_spec.name == explicit_spec.name == task
    assert inferred_truth == explicit_truth
    completion = f"<think>x</think> \\boxed{{{truth}}}"
    inferred = sr.score(completion, truth, prompt=prompt)
    explicit = sr.score(completion, truth, task, prompt=prompt)
    assert inferred == explicit
    assert inferred.accuracy == 1.0


@pytest.mark.parametrize(("truth", "task"), [(t, k) for t, k, _ in PAPER_DATA if k != "position"])
def test_inference_without_a_prompt_agrees_for_every_shape_but_letters(
    truth: str, task: str
) -> None:
    expected = "choice" if task == "crop" else task
    assert sr.parse_ground_truth(truth)[0].name == expected


def test_a_letter_without_a_telling_prompt_is_a_plain_choice() -> None:
    for prompt in (None, "", "Pick one: A, B, C or D."):
        result = sr.score("<think>x</think> \\boxed{(B)}", "B", prompt=prompt)
        assert (result.task, result.accuracy) == ("choice", 1.0)


def test_the_prompt_decides_crop_against_position() -> None:
    assert sr.score("\\boxed{B}", "B", prompt=CROP_PROMPT).task == "crop"
    assert sr.score("\\boxed{B}", "B", prompt=POSITION_PROMPT).task == "position"


def test_inferred_position_reads_option_text_from_the_prompt() -> None:
    result = sr.score("<think>x</think> \\boxed{left back}", "B", prompt=POSITION_PROMPT)
    assert (result.task, result.accuracy) == ("position", 1.0)
    wrong = sr.score("<think>x</think> \\boxed{B. Left-Front}", "B", prompt=POSITION_PROMPT)
    assert (wrong.accuracy, wrong.reason) == (0.0, sr.Reason.INCONSISTENT_CHOICE)


def test_chat_message_prompts_are_read_like_strings() -> None:
    messages = [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": CROP_PROMPT}]},
    ]
    assert sr.score("\\boxed{B}", "B", prompt=messages).task == "crop"
    assert sr.prompt_text(messages) == CROP_PROMPT


def test_a_task_riding_in_the_ground_truth_beats_inference() -> None:
    result = sr.score("<think>x</think> \\boxed{B}", {"task": "crop", "answer": "B"})
    assert result.task == "crop"
    ordering = sr.score("<think>x</think> \\boxed{2-1-3}", '{"task":"depth","answer":"2-1-3"}')
    assert (ordering.task, ordering.accuracy) == ("depth", 1.0)


@pytest.mark.parametrize(
    ("truth", "task"),
    [
        ("0-1-2-3", "shuffle"),
        ("1-2-3", "depth"),
        ("0-1", "flip"),
        ("1-0", "flip"),
        ("2-1-3-4", "depth"),
    ],
)
def test_shape_rules(truth: str, task: str) -> None:
    assert sr.parse_ground_truth(truth)[0].name == task


_PROMPT_LIKE = st.recursive(
    st.none() | st.text(max_size=80) | st.integers() | st.just(POSITION_PROMPT) | st.just("user"),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["role", "content", "text", "type"]), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(_PROMPT_LIKE, st.sampled_from(["B", "0-2-3-1", "3-1-2", "3-0"]))
def test_any_prompt_value_is_read_without_raising(prompt: object, truth: str) -> None:
    result = sr.score("<think>x</think> \\boxed{B. Left-Back}", truth, prompt=prompt)
    assert result.reason is not sr.Reason.INTERNAL_ERROR
    assert sr.prompt_text(prompt) is None or isinstance(sr.prompt_text(prompt), str)
