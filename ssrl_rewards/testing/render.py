"""The generic half of the soundness kit: envelopes around a task's answers.

A task's renderers (``TaskSpec.renderers``) write answers of its space; this module puts
them in completions: honest envelopes and wrappers, hedge joins, answers left inside the
reasoning, truncations, format games and hostile shapes. Every builder takes a seeded
`random.Random`, so the audit (plain seeds) and the hypothesis strategies (hypothesis'
own `Random`, which shrinks) draw the same attempts.

An `Attempt` is a completion with a reference completion of the same sample: the canonical
right answer for honest notations, a committed wrong answer for attacks. Payment is
relative to the reference, so any reward scale works.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ssrl_rewards.registry import RenderCase, TaskRenderers, TaskSpec, get_task, renderers_of

__all__ = [
    "ATTACK_FAMILIES",
    "FAMILIES",
    "GRAMMAR_PIECES",
    "HEDGE_JOINERS",
    "HONEST_WRAPPERS",
    "HOSTILE_SHAPES",
    "PROMPT_SUFFIX",
    "REASONING",
    "Attempt",
    "Sample",
    "attempt",
    "draw_sample",
    "honest_completion",
]

#: The GRPO training suffix the paper appends to every question.
PROMPT_SUFFIX = (
    "You FIRST think about the reasoning process as an internal monologue and then provide "
    "the final answer. The reasoning process MUST BE enclosed within <think> </think> tags. "
    "The final answer MUST BE put in \\boxed{}."
)
#: Families scored against a reference (the rest are exceptions, nondeterministic, slow).
ATTACK_FAMILIES: tuple[str, ...] = (
    "honest_refused",
    "wrong_paid",
    "invalid_paid",
    "hedge_paid",
    "think_only_paid",
    "truncated_paid",
    "format_gamed",
)
FAMILIES: tuple[str, ...] = (*ATTACK_FAMILIES, "exceptions", "nondeterministic", "slow")
#: How each family compares an attempt's score with its reference's: ``below`` flags an
#: honest notation earning less than the canonical answer; ``at_least`` a wrong answer
#: earning as much as the right one; ``above`` an attack earning more than a committed
#: wrong answer.
RULES: dict[str, Literal["below", "at_least", "above"]] = {
    "honest_refused": "below",
    "wrong_paid": "at_least",
    "invalid_paid": "above",
    "hedge_paid": "above",
    "think_only_paid": "above",
    "truncated_paid": "above",
    "format_gamed": "above",
}

#: Plain reasoning sentences (no digits, letters standing alone or markup).
REASONING: tuple[str, ...] = (
    "I compare the edges of the pieces and the lighting.",
    "The shadows fall the same way in the neighbouring parts of the scene.",
    "Looking at the horizon line and the texture gradient settles it.",
    "The road continues across the seam, so the arrangement follows.",
    "Hm.",
)
#: The shortest reasoning, used when shrinking an example.
MINIMAL_REASONING = "Hm."
_R = "\x00REASONING\x00"  # placeholder for the reasoning in a template

# Tag spellings a lenient reader tolerates, and text around the final box.
_LEADS = ("", " ", "\n")
_OPEN_TAGS = ("<think>", "<think>\n", "< think >", "<think >")
_CLOSE_TAGS = ("</think>", "\n</think>\n\n", "< /think >", "</ think>", "< / think >")
_BEFORE = (" ", "\n", " So the answer is ", "\nFinal answer: ", "\n\nTherefore the answer is ")
_BOXES = (("\\boxed{", "}"), ("\\boxed {", "}"))
_AFTER = ("", ".", " ", "\n", " is my answer.")
#: Wrappers a lenient reader removes around a whole answer: (prefix, suffix); the
#: invisible characters (zero-width space, direction marks, BOM) among them.
HONEST_WRAPPERS: tuple[tuple[str, str], ...] = (
    ("", ""), (" ", "  "), ("$", "$"), ("\\(", "\\)"), ("\\text{", "}"), ("\\textbf{", "}"),
    ("\\mathrm{", "}"), ("", "."), ("\u200b", ""), ("\u200e", "\u200f"), ("\ufeff", ""),
    ("**", "**"), ("*", "*"), ("`", "`"), ("'", "'"), ('"', '"'), ("“", "”"),
)  # fmt: skip
#: Words and marks that join two answers into a hedge.
HEDGE_JOINERS: tuple[str, ...] = (
    " or ", " OR ", " / ", "/", " | ", "; ", " and ", " & ", " and/or ", ", ",
)  # fmt: skip
#: Hostile completion shapes for the exceptions and slow families: name -> unit repeated.
HOSTILE_SHAPES: dict[str, str] = {
    "open braces": "{",
    "box openings": "\\boxed{",
    "think closings": "</think>",
    "think openings": "<think>",
    "answer closings": "</answer>",
    "backslashes": "\\",
    "parentheses": "(",
    "label runs": "0-",
    "hedge words": " or ",
}
#: Pieces of the answer grammar, for concatenated "soup" completions.
GRAMMAR_PIECES: tuple[str, ...] = (
    "<think>", "</think>", "< think >", "</ think>", "< / think >", "<answer>", "</answer>",
    "\\boxed{", "\\boxed {", "\\fbox{", "{", "}", "\\", "<", ">", "/", " ", "\n", "\u3000",
    "0-2-3-1", "0 - 2 - 3 - 1", "3-1-2", "3-0", "A", "B", "(B)", "b", "B. Right", "Right",
    " or ", "x", "think", "\\text{B}", "$", "\x00", "\ud800",
)  # fmt: skip
#: Hostile values that must get a score, not an exception.
HOSTILE_TEXTS: tuple[str, ...] = (
    "",
    " ",
    "\x00" * 16,
    "\ud800\udfff",
    "\ufeff<think>\u202e</think>\\boxed{\u200b}",
    "<think></think>\\boxed{}",
    "\\boxed{" * 2000,
    "}" * 2000,
    "<think>" + "x" * 200_000,
)


@dataclass(frozen=True)
class Sample:
    """One question of a task: its renderers, the case and the right and a wrong answer."""

    task: str
    case: RenderCase[Any]
    renderers: TaskRenderers[Any, Any]
    right: Any
    other: Any

    @property
    def prompt(self) -> str | None:
        """The prompt as a trainer sees it (the question and the GRPO suffix)."""
        question = self.case.prompt
        return None if question is None else f"{question} {PROMPT_SUFFIX}"

    def canonical(self, answer: Any) -> str:
        return self.renderers.canonical(answer, self.case.prompt)

    def notations(self, answer: Any) -> Sequence[str]:
        return self.renderers.notations(answer, self.case.prompt)

    def hedge_parts(self, answer: Any) -> Sequence[str]:
        return self.renderers.hedge_parts(answer, self.case.prompt)


@dataclass(frozen=True)
class Attempt:
    """A completion to score and the reference it is compared with (same sample).

    ``completion`` and ``reference`` hold a reasoning placeholder; `text` and
    `reference_text` fill it (the audit shrinks an example by shortening the reasoning).
    """

    family: str
    task: str
    ground_truth: str
    prompt: str | None
    completion: str
    reference: str
    reasoning: str
    detail: str

    def text(self, reasoning: str | None = None) -> str:
        return self.completion.replace(_R, self.reasoning if reasoning is None else reasoning)

    def reference_text(self, reasoning: str | None = None) -> str:
        return self.reference.replace(_R, self.reasoning if reasoning is None else reasoning)


def spec_renderers(task: str | TaskSpec[Any, Any]) -> tuple[str, TaskRenderers[Any, Any]]:
    """(canonical name, renderers) of a task; `MissingRenderersError` saying what to add."""
    spec = task if isinstance(task, TaskSpec) else get_task(task)
    return spec.name, renderers_of(spec)


def draw_sample(task: str | TaskSpec[Any, Any], rng: random.Random) -> Sample:
    """A random sample of `task` with its right answer and a committed wrong one."""
    name, renderers = spec_renderers(task)
    case = renderers.case(rng)
    other = renderers.other(case.truth, case.prompt, rng)
    return Sample(name, case, renderers, renderers.right(case.truth), other)


def standard(answer: str) -> str:
    """The plain envelope: closed reasoning, then one box."""
    return f"<think>{_R}</think>\n\nSo the answer is \\boxed{{{answer}}}."


def honest_completion(answer: str, rng: random.Random) -> str:
    """`answer` in a well-formed envelope drawn from the tolerated tag spellings."""
    opening, closing = rng.choice(_BOXES)
    return (
        f"{rng.choice(_LEADS)}{rng.choice(_OPEN_TAGS)}{_R}{rng.choice(_CLOSE_TAGS)}"
        f"{rng.choice(_BEFORE)}{opening}{answer}{closing}{rng.choice(_AFTER)}"
    )


def _honest(sample: Sample, rng: random.Random) -> tuple[str, str, str]:
    notations = list(sample.notations(sample.right))
    style = rng.randrange(3)
    if style == 0:  # any notation, plain envelope
        answer = rng.choice(notations)
        return standard(answer), standard(sample.canonical(sample.right)), f"notation {answer!r}"
    if style == 1:  # a wrapper around one of the first notations
        prefix, suffix = rng.choice(HONEST_WRAPPERS)
        answer = prefix + rng.choice(notations[:3]) + suffix
        return standard(answer), standard(sample.canonical(sample.right)), f"wrapped {answer!r}"
    answer = rng.choice(notations)
    completion = honest_completion(answer, rng)
    return completion, standard(sample.canonical(sample.right)), f"envelope, notation {answer!r}"


def _wrong(sample: Sample, rng: random.Random) -> tuple[str, str, str]:
    wrong = rng.choice(list(sample.notations(sample.other)))
    return standard(wrong), standard(sample.canonical(sample.right)), f"wrong answer {wrong!r}"


def _invalid(sample: Sample, rng: random.Random) -> tuple[str, str, str]:
    text = sample.renderers.out_of_space(sample.case.truth, sample.case.prompt, rng)
    return standard(text), standard(sample.canonical(sample.other)), f"out of space {text!r}"


def _hedge(sample: Sample, rng: random.Random) -> tuple[str, str, str]:
    if rng.random() < 0.5:
        a = rng.choice(list(sample.hedge_parts(sample.right)))
        b = rng.choice(list(sample.hedge_parts(sample.other)))
    else:
        a = rng.choice(list(sample.notations(sample.right)))
        b = rng.choice(list(sample.notations(sample.other)))
    if rng.random() < 0.5:
        a, b = b, a
    joiner = rng.choice(HEDGE_JOINERS)
    shapes = (
        (f"<think>{_R}</think>\n\n\\boxed{{{a}{joiner}{b}}}", f"in one box joined by {joiner!r}"),
        (f"<think>{_R}</think>\n\nIt is \\boxed{{{a}}} or \\boxed{{{b}}}.", "two boxes"),
        (f"<think>{_R}</think>\n\n\\boxed{{{a}}} \\boxed{{{b}}}", "two boxes side by side"),
        (f"<think>{_R}</think>\n\n<answer>{a}</answer> \\boxed{{{b}}}", "answer tag and box"),
        (f"<think>{_R}</think>\n\n\\boxed{{{a}}} (or possibly {b})", "alternative after box"),
    )
    completion, how = rng.choice(shapes)
    return completion, standard(sample.canonical(sample.other)), f"hedge, {how}"


def _think_only(sample: Sample, rng: random.Random) -> tuple[str, str, str]:
    right = rng.choice(list(sample.notations(sample.right))[:3])
    shapes = (
        (f"<think>{_R} So \\boxed{{{right}}}.</think>\n\nI have worked it out above.", "closed"),
        (f"<think>{_R} So \\boxed{{{right}}}.</think>", "nothing after the reasoning"),
        (f"<think>{_R}</think> <think>So \\boxed{{{right}}}</think>", "second think block"),
    )
    completion, how = rng.choice(shapes)
    return completion, standard(sample.canonical(sample.other)), f"answer inside reasoning, {how}"


def _truncated(sample: Sample, rng: random.Random) -> tuple[str, str, str]:
    right = sample.canonical(sample.right)
    style = rng.randrange(3)
    if style == 0:
        completion, how = f"<think>{_R} Tentatively \\boxed{{{right}}}, but let me", "open think"
    elif style == 1:
        completion, how = f"<think>{_R}</think>\n\n\\boxed{{{right}", "box never closed"
    else:
        cut = rng.randrange(len(right) + 1)
        completion, how = f"<think>{_R} \\boxed{{{right[:cut]}", f"cut after {cut} answer chars"
    return completion, standard(sample.canonical(sample.other)), f"truncated, {how}"


def _format_game(sample: Sample, rng: random.Random) -> tuple[str, str, str]:
    right = sample.canonical(sample.right)
    wrong = sample.canonical(sample.other)
    shapes = (
        (f"<think>{_R} \\boxed{{{right}}}</think>\n\n\\boxed{{{wrong}}}", "right box in reasoning"),
        (f"<think>{_R}</think>\n\n{right} is tempting, but \\boxed{{{wrong}}}", "right in text"),
        (f"<think>{_R}</think>\n\n\\boxed{{}} {right}", "empty box, answer outside"),
        (f"<think>{_R}</think>\n\nThe answer is {right}.", "no box, answer in text"),
        (f"{right} <think>{_R}</think>\n\n\\boxed{{{wrong}}}", "right before the reasoning"),
    )
    completion, how = rng.choice(shapes)
    return completion, standard(wrong), f"format game, {how}"


_BUILDERS: dict[str, Callable[[Sample, random.Random], tuple[str, str, str]]] = {
    "honest_refused": _honest,
    "wrong_paid": _wrong,
    "invalid_paid": _invalid,
    "hedge_paid": _hedge,
    "think_only_paid": _think_only,
    "truncated_paid": _truncated,
    "format_gamed": _format_game,
}


def attempt(family: str, sample: Sample, rng: random.Random) -> Attempt:
    """One attempt of `family` (one of `ATTACK_FAMILIES`) on `sample`."""
    completion, reference, detail = _BUILDERS[family](sample, rng)
    return Attempt(
        family,
        sample.task,
        sample.case.ground_truth,
        sample.prompt,
        completion,
        reference,
        rng.choice(REASONING),
        detail,
    )
