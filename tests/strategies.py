"""Hypothesis strategies for every registered task, in one place.

`STRATEGIES` maps each registered task name to a `TaskStrategies`; the property tests in
``test_properties.py`` run for every entry, and a test fails when a registered task has
none. A new task gets the whole property suite by adding its entry here:

- ``cases``: a paper-shaped `Case` (ground-truth string and prompt);
- ``notations(case)``: every accepted rendering of the case's right answer (a finite list);
- ``other(case)``: a different valid answer, canonical (render it with ``notations`` of
  ``case.with_truth(other)`` to get a wrong answer in any accepted notation);
- ``hedge_parts(case)``: answer texts, right and wrong, that joined make a hedge.

Answers are handled as canonical strings (the ground-truth notation), so the same
functions render right and wrong answers alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from hypothesis import strategies as st

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


# --- renderings shared by the tasks ----------------------------------------------------------

SEQUENCE_SEPARATORS = (
    "-", " - ", "- ", ",", ", ", " , ", " ", "  ", "–", " – ", "—", "−", "->", " -> ",
    "=>", "→", " → ", "⟶", "⇒", " \\to ", " \\rightarrow ", "\\text{-}", "\\text{ - }",
)  # fmt: skip
BRACKETS = (("", ""), ("[", "]"), ("(", ")"), ("{", "}"), ("⟨", "⟩"), ("[ ", " ]"))
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
# Wrappers the light normalisation removes around a whole answer: (prefix, suffix).
WRAPPERS = (
    (" ", "  "), ("$", "$"), ("$$", "$$"), ("\\(", "\\)"), ("\\text{", "}"), ("\\textbf{", "}"),
    ("\\mathrm{", "}"), ("\\mathbf{", "}"), ("", "."), ("\u200b", ""), ("\u200e", "\u200f"),
    ("\\textit{", "}"), ("\\texttt{", "}"), ("\\mathsf{", "}"), ("\\emph{", "}"), ("**", "**"),
    ("**", "**."), ("__", "__"), ("*", "*"), ("`", "`"), ("'", "'"), ('"', '"'), ("“", "”"),
)  # fmt: skip
HEDGE_JOINERS = (" or ", " OR ", " / ", "/", " | ", "; ", " and ", " & ", "&", " and/or ")


def _sequence_notations(truth: str) -> list[str]:
    """`truth` ("0-2-3-1") with every separator x bracket, concatenated, wrapped, full-width."""
    labels = truth.split("-")
    plain = [
        opening + separator.join(labels) + closing
        for separator in SEQUENCE_SEPARATORS
        for opening, closing in BRACKETS
    ]
    plain.append("".join(labels))  # concatenated single digits
    wrapped = [prefix + text + suffix for prefix, suffix in WRAPPERS for text in plain[:3]]
    wide = [text.translate(FULL_WIDTH_DIGITS) for text in plain[::7]]
    return plain + wrapped + wide


def _orderings(base: int, sizes: tuple[int, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(sizes).flatmap(
        lambda n: st.permutations(range(base, base + n)).map(lambda p: "-".join(map(str, p)))
    )


def _other_ordering(case: Case) -> st.SearchStrategy[str]:
    return st.permutations(case.truth.split("-")).map("-".join).filter(lambda o: o != case.truth)


# --- flip ---------------------------------------------------------------------------------------

FLIP_SPACE = tuple(f"{label}-{direction}" for label in range(4) for direction in (0, 1))
DIRECTION_WORDS = {
    "0": ("vertical", "vertically", "Vertical", "VERTICALLY"),
    "1": ("horizontal", "horizontally", "Horizontal", "HORIZONTALLY"),
}


def _flip_notations(case: Case) -> list[str]:
    label, direction = case.truth.split("-")
    words = [
        form.format(label=label, direction=direction, word=word, separator=separator)
        for word in DIRECTION_WORDS[direction]
        for separator in ("-", " ", ", ", " - ")
        for form in ("{label}{separator}{word}", "{word}{separator}{label}")
    ]
    annotated = [
        form.format(label=label, direction=direction, word=word)
        for word in DIRECTION_WORDS[direction]
        for form in ("{label}-{direction} ({word})", "({label}, {word})", "{label} ({word})")
    ]
    return _sequence_notations(case.truth) + words + annotated


# --- letters -------------------------------------------------------------------------------------

LETTER_FORMS = (
    "{L}", "{l}", "({L})", "[{L}]", "{L}.", "{L})", "{L}:", "({l})", "Option {L}", "option {l}",
    "Answer: {L}", "The answer is {L}", "Choice {L}", "\\text{{{L}}}", "\\textbf{{{L}}}",
    "${L}$", "{W}", " {L} ", "{L}\u200b", "**{L}**", "'{L}'", '"{L}"', "`{L}`", "\\textit{{{L}}}",
    "\\texttt{{{L}}}", "\\mathsf{{{L}}}",
)  # fmt: skip
LETTER_TEXT_FORMS = (
    "{L}. {T}", "{L}) {T}", "({L}) {T}", "{L}: {T}", "{L} - {T}", "{L}.{T}", "{L} ({T})",
    "{T} ({L})",
)  # fmt: skip


def _letter_notations(case: Case) -> list[str]:
    """A letter alone; with the prompt's options, also letter plus text, or the text alone."""
    letter = case.truth
    wide = chr(ord(letter) + 0xFEE0)
    forms = [form.format(L=letter, l=letter.lower(), W=wide) for form in LETTER_FORMS]
    options = dict(case.options)
    if letter in options:
        texts = _option_texts(options[letter])
        forms += [form.format(L=letter, T=text) for form in LETTER_TEXT_FORMS for text in texts]
        forms += texts
    return forms


def _option_texts(text: str) -> list[str]:
    """Option text in any case; compound parts in either order, joined by '-', ' ' or '/'."""
    words = text.split("-")
    orders = [words, words[::-1]] if len(words) > 1 else [words]
    joiners = ["-", " ", " - ", "/"] if len(words) > 1 else ["-"]
    cases: list[Callable[[str], str]] = [str, str.lower, str.upper, str.title]
    return [
        change(joiner.join(order)) + end
        for order in orders
        for joiner in joiners
        for change in cases
        for end in ("", ".")
    ]


def _other_letter(case: Case) -> st.SearchStrategy[str]:
    return st.sampled_from([letter for letter in "ABCD" if letter != case.truth])


def _letter_hedge_parts(case: Case) -> st.SearchStrategy[str]:
    """Letters (either case) and the prompt's option texts."""
    parts = list("ABCD") + [letter.lower() for letter in "ABCD"]
    return st.sampled_from(parts + [text for _, text in case.options])


def _letter_cases(prompt: str | None) -> st.SearchStrategy[Case]:
    return st.sampled_from("ABCD").map(lambda letter: Case(letter, prompt))


@st.composite
def _position_cases(draw: st.DrawFn) -> Case:
    kind = draw(st.sampled_from([SIMPLE_OPTIONS, COMPOUND_OPTIONS]))
    options = tuple(draw(st.permutations(kind)))
    far = kind is COMPOUND_OPTIONS or draw(st.booleans())
    prompt = position_prompt(options, far=far)
    return Case(draw(st.sampled_from("ABCD")), prompt, tuple(zip("ABCD", options, strict=True)))


# --- the registry of strategies ---------------------------------------------------------------


@dataclass(frozen=True)
class TaskStrategies:
    """How to generate data for one registered task (see the module docstring)."""

    cases: st.SearchStrategy[Case]
    notations: Callable[[Case], list[str]]
    other: Callable[[Case], st.SearchStrategy[str]]
    hedge_parts: Callable[[Case], st.SearchStrategy[str]]
    ordered: bool = False  # partial credit can pay a wrong answer something (still < 1)


def _sequence_hedge_parts(case: Case) -> st.SearchStrategy[str]:
    return st.permutations(case.truth.split("-")).map("-".join)


STRATEGIES: dict[str, TaskStrategies] = {
    "shuffle": TaskStrategies(
        cases=_orderings(0, (3, 4)).map(lambda truth: Case(truth, SHUFFLE_PROMPT)),
        notations=lambda case: _sequence_notations(case.truth),
        other=_other_ordering,
        hedge_parts=_sequence_hedge_parts,
        ordered=True,
    ),
    "depth": TaskStrategies(
        cases=_orderings(1, (3,)).map(lambda truth: Case(truth, DEPTH_PROMPT)),
        notations=lambda case: _sequence_notations(case.truth),
        other=_other_ordering,
        hedge_parts=_sequence_hedge_parts,
        ordered=True,
    ),
    "flip": TaskStrategies(
        cases=st.sampled_from(FLIP_SPACE).map(lambda truth: Case(truth, FLIP_PROMPT)),
        notations=_flip_notations,
        other=lambda case: st.sampled_from([a for a in FLIP_SPACE if a != case.truth]),
        hedge_parts=lambda case: st.sampled_from(FLIP_SPACE),
        ordered=True,
    ),
    "crop": TaskStrategies(
        cases=_letter_cases(CROP_PROMPT),
        notations=_letter_notations,
        other=_other_letter,
        hedge_parts=_letter_hedge_parts,
    ),
    "position": TaskStrategies(
        cases=_position_cases(),
        notations=_letter_notations,
        other=_other_letter,
        hedge_parts=_letter_hedge_parts,
    ),
    "choice": TaskStrategies(
        cases=_letter_cases(None),
        notations=_letter_notations,
        other=_other_letter,
        hedge_parts=_letter_hedge_parts,
    ),
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
