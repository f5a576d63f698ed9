"""Hypothesis strategies for every registered task with renderers (``pip install
"ssrl-rewards[testing]"``).

    from hypothesis import given
    from ssrl_rewards.testing import strategies as sst

    @given(sst.attempts("shuffle", "hedge"))
    def test_my_reward_pays_no_hedge(attempt):
        assert my_reward(attempt.text(), attempt.ground_truth) <= my_reward(
            attempt.reference_text(), attempt.ground_truth)

Kinds: ``honest`` (the right answer in an accepted notation and envelope; the reference is
the canonical right answer), and the attacks ``wrong``, ``invalid``, ``hedge``,
``think_only``, ``truncated``, ``format_gaming`` (the reference is a committed wrong answer).
Tasks are looked up when a strategy is built, so a task registered by a lab works too.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

from ssrl_rewards.registry import TaskSpec, get_task, renderers_of, task_names
from ssrl_rewards.testing.render import (
    GRAMMAR_PIECES,
    HOSTILE_TEXTS,
    Attempt,
    Sample,
    attempt,
    draw_sample,
    honest_completion,
)

__all__ = [
    "KINDS",
    "arbitrary_text",
    "attempts",
    "completions",
    "envelopes",
    "grammar_soup",
    "ground_truths",
    "hostile_texts",
    "prompts",
    "samples",
    "tasks_with_renderers",
]

#: Kind of completion -> the audit family it belongs to.
KINDS: dict[str, str] = {
    "honest": "honest_refused",
    "wrong": "wrong_paid",
    "invalid": "invalid_paid",
    "hedge": "hedge_paid",
    "think_only": "think_only_paid",
    "truncated": "truncated_paid",
    "format_gaming": "format_gamed",
}


def _spec(task: str | TaskSpec[Any, Any]) -> TaskSpec[Any, Any]:
    spec = task if isinstance(task, TaskSpec) else get_task(task)
    renderers_of(spec)  # MissingRenderersError now, saying what to add
    return spec


def tasks_with_renderers() -> tuple[str, ...]:
    """Registered tasks that the kit can write answers for."""
    return tuple(name for name in task_names() if get_task(name).renderers is not None)


def _randoms() -> st.SearchStrategy[random.Random]:
    """Seeded generators (the renderers draw from a `random.Random`; a seed shrinks to 0)."""
    return st.integers(0, 2**32 - 1).map(random.Random)


def samples(task: str | TaskSpec[Any, Any]) -> st.SearchStrategy[Sample]:
    """A sample of `task`: truth, prompt, the right answer and a different valid one."""
    spec = _spec(task)
    return _randoms().map(lambda rng: draw_sample(spec, rng))


def ground_truths(task: str | TaskSpec[Any, Any]) -> st.SearchStrategy[str]:
    """Ground truths of `task` as a dataset cell holds them."""
    return samples(task).map(lambda sample: sample.case.ground_truth)


def prompts(task: str | TaskSpec[Any, Any]) -> st.SearchStrategy[str | None]:
    """Prompts of `task` (question and training suffix; None when the task has none)."""
    return samples(task).map(lambda sample: sample.prompt)


def attempts(task: str | TaskSpec[Any, Any], kind: str) -> st.SearchStrategy[Attempt]:
    """Attempts of one `kind` (see `KINDS`) with their reference completions."""
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is not one of {', '.join(KINDS)}")
    family = KINDS[kind]
    spec = _spec(task)
    return st.tuples(samples(spec), _randoms()).map(lambda pair: attempt(family, pair[0], pair[1]))


def completions(
    task: str | TaskSpec[Any, Any], kind: str
) -> st.SearchStrategy[tuple[str, str, str | None]]:
    """``(completion, ground_truth, prompt)`` rows of one `kind`."""
    return attempts(task, kind).map(lambda a: (a.text(), a.ground_truth, a.prompt))


def envelopes(answer: str) -> st.SearchStrategy[str]:
    """`answer` in a well-formed completion (tolerated tag spellings, text around the box)."""
    return st.tuples(_randoms(), st.sampled_from(("Hm.", "I compare the edges."))).map(
        lambda pair: honest_completion(answer, pair[0]).replace("\x00REASONING\x00", pair[1])
    )


def hostile_texts() -> st.SearchStrategy[str]:
    """Texts that must get a score, not an exception (NUL, surrogates, floods)."""
    return st.sampled_from(HOSTILE_TEXTS)


def grammar_soup(max_pieces: int = 25) -> st.SearchStrategy[str]:
    """Concatenations of tags, boxes, braces, answers and hedge words."""
    return st.lists(st.sampled_from(GRAMMAR_PIECES), max_size=max_pieces).map("".join)


def arbitrary_text(max_size: int = 200) -> st.SearchStrategy[str]:
    """Any text: every code point, lone surrogates, NUL and control characters included."""
    anything = st.characters(exclude_categories=())
    controls = st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\ud800", "\udfff", "\ufeff"])
    return st.text(alphabet=st.one_of(anything, controls), max_size=max_size)
