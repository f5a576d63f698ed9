"""Fuzzing `score` with hypothesis: arbitrary text and mixtures of the answer grammar's pieces.

Properties, for every task and in default, paper and partial-credit modes:

- `score` never raises on model output (any string, lone surrogates and NUL included, or
  a non-string), returns numbers in [0, 1] with ``score = 0.9 * accuracy + 0.1 * format``,
  and is deterministic;
- no completion pays two different answers: scored against every answer of the task's
  space, at most one gets accuracy 1 (a hedge can never be right twice);
- paper mode equals a re-statement of the published reward on every generated input;
- a completion whose final-answer region holds a box with a wrong answer, in any honest
  notation and surrounded by arbitrary grammar soup, never gets accuracy 1 (0 in exact
  mode).

Slow by design (14,500 generated examples) but part of the default run: about 25 s of CPU.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ssrl_rewards as sr

sys.path.insert(0, str(Path(__file__).resolve().parent / "adversarial"))
from build_cases import published_img_score  # the re-stated published reward

from tests.fuzz_vocabulary import OPTIONS, PIECES, SEPARATORS, SPACES, STRIPS, WRAPS

pytestmark = pytest.mark.slow

CONFIGS = {
    "default": sr.RewardConfig(),
    "paper": sr.RewardConfig(mode="paper"),
    "positionwise": sr.RewardConfig(credit="positionwise"),
    "kendall": sr.RewardConfig(credit="kendall"),
}


soup = st.lists(st.sampled_from(PIECES), max_size=24).map("".join)
anything = st.text(
    alphabet=st.characters(exclude_categories=()),  # every code point, surrogates included
    max_size=300,
)
task_names = st.sampled_from(sorted(SPACES))


def _check(result: sr.RewardResult, cfg: sr.RewardConfig) -> None:
    assert isinstance(result, sr.RewardResult)
    for value in (result.score, result.accuracy, result.format):
        assert 0.0 <= value <= 1.0
    expected = cfg.accuracy_weight * result.accuracy + cfg.format_weight * result.format
    assert math.isclose(result.score, min(1.0, expected), abs_tol=1e-12)


def _score_everywhere(completion: object, task: str, truth: str, prompt: str | None) -> None:
    for cfg in CONFIGS.values():
        first = sr.score(completion, truth, task, prompt=prompt, config=cfg)
        _check(first, cfg)
        again = sr.score(completion, truth, task, prompt=prompt, config=cfg)
        assert again == first  # deterministic (and the verdict caches agree with a fresh run)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=anything, task=task_names, data=st.data())
def test_arbitrary_text_never_breaks_the_scorer(text: str, task: str, data: st.DataObject) -> None:
    """Any string at all: no exception, numbers in range, same result twice."""
    space, prompt = SPACES[task]
    truth = data.draw(st.sampled_from(space))
    _score_everywhere(text, task, truth, prompt)
    _score_everywhere("<think>x</think> \\boxed{" + text + "}", task, truth, prompt)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=soup, task=task_names, data=st.data())
def test_grammar_soup_never_breaks_the_scorer(text: str, task: str, data: st.DataObject) -> None:
    """Mixtures of tags, boxes, braces, separators and look-alikes: same guarantees."""
    space, prompt = SPACES[task]
    _score_everywhere(text, task, data.draw(st.sampled_from(space)), prompt)


@pytest.mark.parametrize("completion", [None, b"\\boxed{A}", 3, ["\\boxed{A}"], {"a": 1}])
def test_non_strings_score_zero(completion: object) -> None:
    """Non-string completions are refused with a reason, in every mode."""
    for cfg in CONFIGS.values():
        result = sr.score(completion, "A", "crop", config=cfg)
        _check(result, cfg)
        assert result.accuracy == 0.0
        assert result.reason is sr.Reason.NOT_A_STRING


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=soup, task=task_names, mode=st.sampled_from(sorted(CONFIGS)))
def test_no_completion_pays_two_answers(text: str, task: str, mode: str) -> None:
    """Scored against every answer of the space, at most one ground truth gets accuracy 1."""
    space, prompt = SPACES[task]
    cfg = CONFIGS[mode]
    paid = [t for t in space if sr.score(text, t, task, prompt=prompt, config=cfg).accuracy == 1]
    assert len(paid) <= 1, (text, paid)


# --- wrong answers in honest notations ----------------------------------------------------


@st.composite
def rendered(draw: st.DrawFn, task: str, canonical: str) -> str:
    """`canonical` written in one of the notations the task accepts."""
    if task in ("crop", "position"):
        letter = canonical
        forms = [
            letter,
            letter.lower(),
            f"({letter})",
            f"{letter}.",
            f"{letter})",
            f"{letter}:",
            f"Option {letter}",
            f"Answer: {letter}",
            f"\\text{{{letter}}}",
            chr(ord(letter) + 0xFEE0),
        ]
        if task == "position":
            text = OPTIONS[letter]
            forms += [f"{letter}. {text}", f"{letter}) {text}", text, text.lower()]
        return draw(st.sampled_from(forms))
    labels = canonical.split("-")
    if task == "flip" and draw(st.booleans()):
        word = draw(
            st.sampled_from(
                ["vertical", "vertically"] if labels[1] == "0" else ["horizontal", "horizontally"]
            )
        )
        return f"{labels[0]}, {word}"
    if draw(st.booleans()):
        body = "".join(labels)
    else:
        body = draw(st.sampled_from(SEPARATORS)).join(labels)
    if draw(st.booleans()):
        body = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in body)
    opening, closing = draw(st.sampled_from(WRAPS))
    return opening + body + closing


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task=task_names, before=soup, after=soup, data=st.data())
def test_a_wrong_final_box_never_pays(
    task: str, before: str, after: str, data: st.DataObject
) -> None:
    """A wrong answer boxed after the reasoning is never paid, whatever surrounds it."""
    space, prompt = SPACES[task]
    truth = data.draw(st.sampled_from(space))
    wrong = data.draw(st.sampled_from([a for a in space if a != truth]))
    answer = data.draw(rendered(task, wrong))
    completion = before + "</think> \\boxed{" + answer + "}" + after
    for mode in ("default", "positionwise", "kendall"):
        result = sr.score(completion, truth, task, prompt=prompt, config=CONFIGS[mode])
        assert result.accuracy < 1.0, (mode, completion)
        if mode == "default":
            assert result.accuracy == 0.0, completion


HEDGE_JOINERS = [" or ", ", ", " / ", " | ", "; ", "\n", " and ", " vs ", "}, \\boxed{"]


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task=task_names, data=st.data())
def test_a_hedge_including_the_right_answer_pays_nothing(task: str, data: st.DataObject) -> None:
    """The right answer plus a different one, in any notations and order: 0 in every mode."""
    space, prompt = SPACES[task]
    truth = data.draw(st.sampled_from(space))
    other = data.draw(st.sampled_from([a for a in space if a != truth]))
    parts = [data.draw(rendered(task, truth)), data.draw(rendered(task, other))]
    if data.draw(st.booleans()):
        parts.reverse()
    joiner = data.draw(st.sampled_from(HEDGE_JOINERS))
    completion = "<think>Two candidates.</think> \\boxed{" + joiner.join(parts) + "}"
    for mode in ("default", "positionwise", "kendall"):
        result = sr.score(completion, truth, task, prompt=prompt, config=CONFIGS[mode])
        assert result.accuracy == 0.0, (mode, completion, result.reason)


@settings(max_examples=1000, deadline=None)
@given(task=task_names, data=st.data())
def test_the_right_answer_in_any_notation_pays(task: str, data: st.DataObject) -> None:
    """The honest twin of the property above: the same notations pay when right."""
    space, prompt = SPACES[task]
    truth = data.draw(st.sampled_from(space))
    answer = data.draw(rendered(task, truth))
    completion = "<think>Looking at the patches.</think> \\boxed{" + answer + "}"
    result = sr.score(completion, truth, task, prompt=prompt)
    assert (result.accuracy, result.format) == (1.0, 1.0), (completion, result)


def test_three_strip_shuffle_pays_at_most_one_answer() -> None:
    """The n = 3 shuffle space too: each rendering of each answer pays for that answer only."""
    space, _ = STRIPS
    for canonical in space:
        for separator in SEPARATORS:
            completion = "<think>x</think> \\boxed{" + canonical.replace("-", separator) + "}"
            paid = [t for t in space if sr.score(completion, t, "shuffle").accuracy == 1.0]
            assert paid == [canonical], (completion, paid)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=soup, task=task_names, data=st.data())
def test_paper_mode_is_the_published_reward(text: str, task: str, data: st.DataObject) -> None:
    """Paper mode gives the published reward's accuracy and format on grammar soup."""
    space, prompt = SPACES[task]
    truth = data.draw(st.sampled_from(space))
    result = sr.score(text, truth, task, prompt=prompt, config=CONFIGS["paper"])
    assert (result.accuracy, result.format) == published_img_score(text, truth), text
