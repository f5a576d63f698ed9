"""Hypothesis strategies for every registered task, read from the registry.

`STRATEGIES` maps each registered task with renderers (``TaskSpec.renderers``) to a
`TaskStrategies`; the property tests in ``test_properties.py`` run for every entry, and a
test fails, saying what to add, when a registered task has no renderers. A new task gets
the whole property suite by declaring renderers next to its parser; each entry has:

- ``cases``: a paper-shaped `Case` (ground-truth string and prompt);
- ``notations(case)``: every accepted rendering of the case's right answer (a finite list);
- ``other(case)``: a different valid answer, canonical (render it with ``notations`` of
  ``case.with_truth(other)`` to get a wrong answer in any accepted notation);
- ``hedge_parts(case)``: answer texts, right and wrong, that joined make a hedge.

Answers are handled as canonical strings (the ground-truth notation), so the same
functions render right and wrong answers alike.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from hypothesis import strategies as st

import ssrl_rewards as sr
from ssrl_rewards.registry import renderers_of
from ssrl_rewards.tasks import ordering as _ordering
from ssrl_rewards.testing.render import PROMPT_SUFFIX

# --- prompts, as the paper's templates print them -------------------------------------------

SUFFIX = (
    " You FIRST think about the reasoning process as an internal monologue and then provide"
    " the final answer. The reasoning process MUST BE enclosed within <think> </think> tags."
    " The final answer MUST BE put in \\boxed{}."
)
SHUFFLE_PROMPT = (
    "<image>The image is divided into 4 shuffled patches labeled 0, 1, 2, and 3. Please"
    " answer the correct arrangement in the format 'TopLeft-TopRight-BottomLeft-BottomRight'."
    + SUFFIX
)
FLIP_PROMPT = (
    "<image>One of the four patches is flipped either horizontally or vertically. Answer in"
    " the format 'Label-Direction'. The direction can only be 0(flipped vertically) or"
    " 1(flipped horizontally)." + SUFFIX
)
DEPTH_PROMPT = (
    "<image>There are three regions marked as 1, 2, and 3. Please sort the depths of the"
    " three regions from smallest to largest from the camera, in the format"
    " 'Smallest-Middle-Largest'." + SUFFIX
)
CROP_PROMPT = (
    "Which image is the missing part in the first image <image>? Please select one of the"
    " four options <image><image><image><image>. The final answer should be chosen from 'A',"
    " 'B', 'C', and 'D'." + SUFFIX
)
# `POSITION_TEMPLATE.format(options="A. Left B. Right C. Front D. Back")`
POSITION_TEMPLATE = (
    "<image>I've taken an image and there are two regions marked as 1, and 2 on the image."
    " Assume that there is a camera at position '1' and it's facing to the left of the"
    " image. According to the camera, where is the region marker '2'? {options}. Consider"
    " cues such as depth, orientation, and 3D spatial relationship. The final answer should"
    " be chosen from 'A', 'B', 'C', and 'D'." + SUFFIX.replace("{}", "{{}}")
)
_FAR = " and ignore the height difference between the two regions."
SIMPLE_OPTIONS = ("Left", "Right", "Front", "Back")
COMPOUND_OPTIONS = ("Left-Front", "Right-Front", "Right-Back", "Left-Back")


def position_prompt(options: tuple[str, ...], *, far: bool = False) -> str:
    """The relative-position question listing `options` as A-D (far types add a clause)."""
    listed = " ".join(f"{letter}. {text}" for letter, text in zip("ABCD", options, strict=True))
    prompt = POSITION_TEMPLATE.format(options=listed)
    return prompt.replace("relationship.", "relationship" + _FAR, 1) if far else prompt


@dataclass(frozen=True)
class Case:
    """One paper-shaped sample: the ground-truth string, the prompt, the prompt's options."""

    truth: str
    prompt: str | None
    options: tuple[tuple[str, str], ...] = ()

    def with_truth(self, truth: str) -> Case:
        """The same sample with another answer (to render wrong answers)."""
        return replace(self, truth=truth)


# --- the registry of strategies: built from each task's renderers --------------------------

SEQUENCE_SEPARATORS = _ordering.SEQUENCE_SEPARATORS
HEDGE_JOINERS = (" or ", " OR ", " / ", "/", " | ", "; ", " and ", " & ", "&", " and/or ")


@dataclass(frozen=True)
class TaskStrategies:
    """How to generate data for one registered task (see the module docstring)."""

    cases: st.SearchStrategy[Case]
    notations: Callable[[Case], list[str]]
    other: Callable[[Case], st.SearchStrategy[str]]
    hedge_parts: Callable[[Case], st.SearchStrategy[str]]
    ordered: bool = False  # partial credit can pay a wrong answer something (still < 1)


def task_strategies(name: str) -> TaskStrategies:
    """The strategies of a registered task, from its renderers (`MissingRenderersError`
    saying what to add when it has none)."""
    spec = sr.get_task(name)
    renderers = renderers_of(spec)

    def answer(case: Case) -> Any:
        return renderers.right(spec.parse_ground_truth(case.truth))

    def to_case(rng: random.Random) -> Case:
        drawn = renderers.case(rng)
        prompt = None if drawn.prompt is None else f"{drawn.prompt} {PROMPT_SUFFIX}"
        options = tuple((sr.parse_options(prompt) or {}).items())
        return Case(drawn.ground_truth, prompt, options)

    def notations(case: Case) -> list[str]:
        return list(renderers.notations(answer(case), case.prompt))

    def other(case: Case) -> st.SearchStrategy[str]:
        truth = spec.parse_ground_truth(case.truth)
        return _seeds().map(
            lambda rng: renderers.canonical(renderers.other(truth, case.prompt, rng), case.prompt)
        )

    def hedge_parts(case: Case) -> st.SearchStrategy[str]:
        return other(case).flatmap(
            lambda wrong: st.sampled_from(
                [
                    *renderers.hedge_parts(answer(case), case.prompt),
                    *renderers.hedge_parts(answer(case.with_truth(wrong)), case.prompt),
                ]
            )
        )

    return TaskStrategies(
        cases=_seeds().map(to_case),
        notations=notations,
        other=other,
        hedge_parts=hedge_parts,
        ordered=spec.chance.get("positionwise", "") != spec.chance.get("exact", ""),
    )


def _seeds() -> st.SearchStrategy[random.Random]:
    return st.integers(0, 2**32 - 1).map(random.Random)


STRATEGIES: dict[str, TaskStrategies] = {
    name: task_strategies(name)
    for name in sr.task_names()
    if sr.get_task(name).renderers is not None
}


# --- completions ---------------------------------------------------------------------------------

REASONING_ALPHABET = "abcdefxyz ABC 0123-,.:;!?()[]\n\t'\"=+*{}"
GRAMMAR_PIECES = [
    "<think>", "</think>", "< think >", "</ think>", "< / think >", "<answer>", "</answer>",
    "\\boxed{", "\\boxed {", "\\fbox{", "{", "}", "\\", "<", ">", "/", " ", "\n", "\u3000",
    "0-2-3-1", "0 - 2 - 3 - 1", "3-1-2", "3-0", "A", "B", "(B)", "b", "B. Right", "Right",
    " or ", "x", "think", "\\text{B}", "$", "\x00", "\ud800",
]  # fmt: skip


def think(reasoning: str = "I compare the edges of the patches and the lighting.") -> str:
    """A closed, non-empty reasoning block."""
    return f"<think>{reasoning}</think>"


@st.composite
def completions(draw: st.DrawFn, answer: str) -> str:
    """A well-formed completion: reasoning in any tolerated tag form, then one box or
    answer tag."""
    lead = draw(st.sampled_from(["", " ", "\n"]))
    open_tag = draw(st.sampled_from(["<think>", "< think >", "<think >"]))
    close_tag = draw(st.sampled_from(["</think>", "< /think >", "</ think>", "< / think >"]))
    reasoning = draw(
        st.text(alphabet=st.sampled_from(REASONING_ALPHABET), min_size=1, max_size=60).filter(
            str.strip
        )
    )
    before = draw(st.sampled_from(["", " ", "\n", " So the answer is ", "\nFinal answer: "]))
    opening, closing = draw(
        st.sampled_from(
            [("\\boxed{", "}"), ("\\boxed {", "}"), ("\\fbox{", "}"), ("<answer>", "</answer>")]
        )
    )
    after = draw(st.sampled_from(["", ".", " ", "\n", " is my answer."]))
    return f"{lead}{open_tag}{reasoning}{close_tag}{before}{opening}{answer}{closing}{after}"


def arbitrary_text(max_size: int = 200) -> st.SearchStrategy[str]:
    """Any text: every code point, lone surrogates, NUL and control characters included."""
    anything = st.characters(exclude_categories=())
    controls = st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\ud800", "\udfff", "\ufeff"])
    return st.text(alphabet=st.one_of(anything, controls), max_size=max_size)


__all__ = [
    "COMPOUND_OPTIONS",
    "CROP_PROMPT",
    "DEPTH_PROMPT",
    "FLIP_PROMPT",
    "GRAMMAR_PIECES",
    "HEDGE_JOINERS",
    "POSITION_TEMPLATE",
    "SHUFFLE_PROMPT",
    "SIMPLE_OPTIONS",
    "STRATEGIES",
    "Case",
    "TaskStrategies",
    "arbitrary_text",
    "completions",
    "position_prompt",
    "think",
]
