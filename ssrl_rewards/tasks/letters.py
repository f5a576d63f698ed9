"""Lettered multiple choice (A-D): the answer grammar shared by crop, position and choice.

Accepted for a right letter B: ``B``, ``b``, ``(B)``, ``[B]``, ``B.``, ``B)``, ``B:``, ``Option
B``, ``Answer: B``, ``\\text{B}``, ``**B**``, ``'B'`` (via normalisation); with the prompt's
options known, ``B. Right`` / ``B) Right`` / ``(B) Right`` / ``B (Right)`` / ``Right (B)`` /
``B, Right`` / ``B — Right`` / ``B = Right`` when B's text is Right (otherwise
``inconsistent_choice``), and the option text alone (``Right``, any case, compound parts in any
order) when it names exactly one option. An option text the prompt lists under two letters
(``A. Left … C. Left``) names both, so alone it is ``multiple_answers`` (the text cannot tell
them apart); with a letter (``C. Left``) the letter decides. Two or more different letters or
option texts (``A or B``, ``A, B``, ``B/C``, ``A & B``, ``A B C D``, ``(B) or option c``) are a
hedge, and so is a letter whose trailing text names another letter: an upper-case A-D or a
lower-case b-d standing alone (``B. not C``, ``B) maybe d``), or an ``a`` that ends the text or
follows ``option``/``choice``/``image``/``answer``/``letter`` (``B: option a``); elsewhere a
lower-case ``a`` is read as an article (``B) a patch with a sky`` pays). Without the prompt's
options (crop), text after a letter is otherwise not checked.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ssrl_rewards.errors import GroundTruthError
from ssrl_rewards.ground_truth import as_letter, quotable
from ssrl_rewards.normalize import normalize_answer
from ssrl_rewards.prompts import cached_options, option_key
from ssrl_rewards.registry import RenderCase, TaskSpec
from ssrl_rewards.result import Reason

__all__ = [
    "LETTERS",
    "ChoiceAnswer",
    "LetterRenderers",
    "is_letter",
    "letter_schema",
    "make_choice_spec",
    "parse_choice",
]

LETTERS = "ABCD"
_PREFIX = re.compile(
    r"(?:the\s+)?(?:final\s+|correct\s+)?(?:answer|option|choice)(?:\s+is)?\s*[:：]?\s*",
    re.IGNORECASE,
)
_BARE = re.compile(r"[(\[]?([A-Za-z])[)\]]?[.:)]?")
# A letter and its option text behind any separator: `B. Right`, `B) Right`, `B: Right`,
# `B - Right`, `B, Right`, `B — Right`, `B = Right`, `B、Right`, `B (Right)`, and behind an
# arrow: `B => Right`, `B → Right`, `B \to Right`.
_TEXT_SEPARATOR = r"(?:[-=]+>|[→⇒⟶⟹]|\\(?:to|rightarrow|Rightarrow)(?![A-Za-z])|[.:)\-,=–—、])"
_LETTER_WITH_TEXT = re.compile(
    rf"[(\[]?([A-Za-z])(?:[)\]]\s*{_TEXT_SEPARATOR}?|\s*{_TEXT_SEPARATOR}|\s*(?=[(\[]))\s*(.+)",
    re.DOTALL,
)
_CLOSING = {"(": ")", "[": "]"}
_WORDS = re.compile(r"[\s,;/|&()\[\].:、]+")
_HEDGE_WORDS = frozenset({"or", "and"})
# A standalone option letter in the text after a letter; lower-case ``a`` is an article.
_LETTER_TOKEN = re.compile(r"(?<![A-Za-z0-9])([A-Db-d])(?![A-Za-z0-9])")
# ... except when it ends the text or follows a word that introduces an option: `option a`.
_LOWER_A = re.compile(
    r"\b(?:option|choice|image|answer|letter)\s+a\b|(?<![A-Za-z0-9])a[\W_]*$", re.IGNORECASE
)
_OPTION_HEDGE = re.compile(r"(?<!\s)\s+(?:or|and/or|and)\s+|[/|;,&、]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ChoiceAnswer:
    """One option letter, upper case, A-D."""

    letter: str

    def __post_init__(self) -> None:
        if self.letter not in LETTERS or len(self.letter) != 1:
            raise ValueError(f"choice letter {self.letter!r} is not one of {LETTERS}")

    def __str__(self) -> str:
        return self.letter


def parse_ground_truth_for(task: str, payload: Any) -> ChoiceAnswer:
    """Strict: one letter A-D (case-insensitive)."""
    letter = as_letter(payload)
    if letter is None or letter not in LETTERS:
        raise GroundTruthError(
            task, quotable(payload), f"must be one letter of {', '.join(LETTERS)}"
        )
    return ChoiceAnswer(letter)


def parse_choice(text: str, options: dict[str, str] | None) -> ChoiceAnswer | Reason:
    """Lenient reading of a normalised answer text as one option letter."""
    stripped = _PREFIX.sub("", text, count=1) if _PREFIX.match(text) else text
    stripped = stripped.strip()
    if not stripped:
        return Reason.UNPARSEABLE
    if _names_two_choices(stripped, options):
        return Reason.MULTIPLE_ANSWERS
    return _parse_one(stripped, options)


def _names_two_choices(text: str, options: dict[str, str] | None) -> bool:
    """True if the hedge-separated parts of `text` (``or``, ``and``, ``and/or``, ``/``,
    ``|``, ``;``, ``,``, ``&``) read, each on its own, as two or more different choices
    (``(A) or option b``). Each part gets the light normalisation first, so wrapped
    parts (``**A** or **B**``, ``"A" or "B"``) are seen too."""
    if not _OPTION_HEDGE.search(text):
        return False
    letters = set()
    for raw in _OPTION_HEDGE.split(text):
        part = normalize_answer(raw)
        part = (_PREFIX.sub("", part, count=1) if _PREFIX.match(part) else part).strip()
        if part:
            parsed = _parse_one(part, options)
            if isinstance(parsed, ChoiceAnswer):
                letters.add(parsed.letter)
    return len(letters) > 1


def _parse_one(stripped: str, options: dict[str, str] | None) -> ChoiceAnswer | Reason:
    """`parse_choice` of a stripped, prefix-free text, after the hedge check."""
    bare = _BARE.fullmatch(stripped)
    if bare is not None:
        return _letter(bare.group(1))
    words = [word for word in _WORDS.split(stripped) if word]
    if words and all(len(word) == 1 or word.lower() in _HEDGE_WORDS for word in words):
        letters = {word.upper() for word in words if len(word) == 1}
        if len(letters) > 1:
            return Reason.MULTIPLE_ANSWERS
        if len(letters) == 1:
            return _letter(letters.pop())
    with_text = _LETTER_WITH_TEXT.fullmatch(stripped)
    if with_text is not None:
        return _letter_with_text(with_text.group(1), with_text.group(2), options)
    trailing = _trailing_letter(stripped)
    if trailing is not None:
        return _letter_with_text(*trailing, options)
    if options is not None:
        named, _ = _options_named(stripped, options)
        if len(named) == 1:
            return ChoiceAnswer(next(iter(named)))
        if len(named) > 1:
            return Reason.MULTIPLE_ANSWERS
        return Reason.NOT_IN_ANSWER_SPACE
    return Reason.UNPARSEABLE


def _trailing_letter(text: str) -> tuple[str, str] | None:
    """(letter, text) of ``Right (B)``: a text followed by one letter in brackets."""
    if len(text) < 4 or text[-1] not in ")]":
        return None
    opening = text.rfind("(" if text[-1] == ")" else "[")
    inner = text[opening + 1 : -1].strip() if opening > 0 else ""
    if len(inner) != 1 or not ("A" <= inner.upper() <= "Z"):
        return None
    head = text[:opening].strip()
    return (inner, head) if head else None


def _letter_with_text(raw: str, rest: str, options: dict[str, str] | None) -> ChoiceAnswer | Reason:
    """A letter written with text (``B. Right``, ``B (Right)``, ``Right (B)``).

    Without options the text is trusted unless it names another letter; with options
    it must be the letter's own option text.
    """
    letter = raw.upper()
    rest = rest.strip().rstrip(".").strip()
    if len(rest) >= 2 and _CLOSING.get(rest[0]) == rest[-1]:
        rest = rest[1:-1].strip().rstrip(".").strip()
    if letter not in LETTERS:
        return Reason.NOT_IN_ANSWER_SPACE
    others = {m.upper() for m in _LETTER_TOKEN.findall(rest)}
    if _LOWER_A.search(rest):
        others.add("A")
    others.discard(letter)
    if options is None:
        return Reason.MULTIPLE_ANSWERS if others else ChoiceAnswer(letter)
    named, hedged = _options_named(rest, options)
    if letter in named and not hedged:
        return ChoiceAnswer(letter)
    if others or hedged:
        return Reason.MULTIPLE_ANSWERS
    return Reason.INCONSISTENT_CHOICE


def _letter(raw: str) -> ChoiceAnswer | Reason:
    letter = raw.upper()
    return ChoiceAnswer(letter) if letter in LETTERS else Reason.NOT_IN_ANSWER_SPACE


@functools.lru_cache(maxsize=4096)
def _keys_of(options: tuple[tuple[str, str], ...]) -> dict[str, frozenset[str]]:
    """Option key -> the letters listing that text (two when the prompt repeats a text),
    cached per option list (every prompt is scored many times)."""
    by_key: dict[str, frozenset[str]] = {}
    for letter, value in options:
        key = option_key(value)
        by_key[key] = by_key.get(key, frozenset()) | {letter}
    return by_key


def _options_named(text: str, options: dict[str, str]) -> tuple[frozenset[str], bool]:
    """(letters named, hedged): the letters whose option text the whole `text` names
    (several if the prompt lists that text twice), else those its hedge parts name when
    they name two or more different option texts (then `hedged` is True)."""
    by_key = _keys_of(tuple(options.items()))
    whole = by_key.get(option_key(text))
    if whole is not None:
        return whole, False
    keys = {option_key(part) for part in _OPTION_HEDGE.split(text) if part.strip()}
    keys &= by_key.keys()
    # Several options named is a hedge; one option mixed with other words names nothing.
    if len(keys) < 2:
        return frozenset(), False
    return frozenset().union(*(by_key[key] for key in keys)), True


def parse(text: str, truth: ChoiceAnswer, prompt: str | None) -> ChoiceAnswer | Reason:
    """Lenient parse using the prompt's options when it lists any."""
    del truth
    return parse_choice(text, cached_options(prompt))


def credit(answer: ChoiceAnswer, truth: ChoiceAnswer, mode: str) -> float:
    """Choices are exact under every credit mode."""
    del mode
    return 1.0 if answer == truth else 0.0


_ANY_LETTER = ChoiceAnswer("A")


def any_letter(truth: ChoiceAnswer) -> ChoiceAnswer:
    """The parse shape of every letter truth: `parse` ignores the truth."""
    del truth
    return _ANY_LETTER


def is_letter(payload: Any) -> bool:
    """True for a one-letter ground truth."""
    return as_letter(payload) is not None


def make_choice_spec(
    name: str,
    aliases: tuple[str, ...],
    description: str,
    claims: Any,
    infer_rank: int,
    *,
    uses_options: bool,
) -> TaskSpec[ChoiceAnswer, ChoiceAnswer]:
    """A TaskSpec for a lettered task (crop, position, the generic choice)."""
    return TaskSpec(
        name=name,
        aliases=aliases,
        description=description,
        answer_format="one letter A-D"
        + (" (or the option text named in the prompt)" if uses_options else ""),
        examples=("B", "(B)", "Option B") + (("B. Right", "Right") if uses_options else ()),
        parse_ground_truth=functools.partial(parse_ground_truth_for, name),
        parse=parse if uses_options else _parse_letters_only,
        credit=credit,
        claims=claims,
        infer_rank=infer_rank,
        chance={"exact": "1/4", "positionwise": "1/4", "kendall": "1/4"},
        uses_prompt=uses_options,
        parse_shape=any_letter,
    )


def _parse_letters_only(
    text: str, truth: ChoiceAnswer, prompt: str | None
) -> ChoiceAnswer | Reason:
    del truth, prompt
    return parse_choice(text, None)


# --- renderers (the soundness kit): how lettered answers are written ----------------------------

LETTER_FORMS: tuple[str, ...] = (
    "{L}", "{l}", "({L})", "[{L}]", "{L}.", "{L})", "{L}:", "({l})", "Option {L}", "option {l}",
    "Answer: {L}", "The answer is {L}", "Choice {L}", "\\text{{{L}}}", "\\textbf{{{L}}}",
    "${L}$", "{W}", "**{L}**", "'{L}'", '"{L}"', "`{L}`", "\\textit{{{L}}}", "\\texttt{{{L}}}",
    "\\mathsf{{{L}}}",
)  # fmt: skip
LETTER_TEXT_FORMS: tuple[str, ...] = (
    "{L}. {T}", "{L}) {T}", "({L}) {T}", "{L}: {T}", "{L} - {T}", "{L}.{T}", "{L} ({T})",
    "{T} ({L})",
)  # fmt: skip


def option_texts(text: str) -> list[str]:
    """An option text in any case; compound parts in either order, joined by '-', ' ',
    ' - ' or '/'; with or without a final period."""
    words = text.split("-")
    orders = [words, words[::-1]] if len(words) > 1 else [words]
    joiners = ["-", " ", " - ", "/"] if len(words) > 1 else ["-"]
    changes: tuple[Callable[[str], str], ...] = (str, str.lower, str.upper, str.title)
    return [
        change(joiner.join(order)) + end
        for order in orders
        for joiner in joiners
        for change in changes
        for end in ("", ".")
    ]


@dataclass(frozen=True)
class LetterRenderers:
    """Renderers of a lettered task; ``question(rng)`` writes the prompt (None for none).
    With `uses_options`, the option texts the prompt lists are honest notations too."""

    question: Callable[[random.Random], str | None]
    uses_options: bool

    def case(self, rng: random.Random) -> RenderCase[ChoiceAnswer]:
        """A random letter and a question."""
        truth = ChoiceAnswer(rng.choice(LETTERS))
        return RenderCase(truth, truth.letter, self.question(rng))

    def right(self, truth: ChoiceAnswer) -> ChoiceAnswer:
        """The truth itself."""
        return truth

    def canonical(self, answer: ChoiceAnswer, prompt: str | None) -> str:
        """``B``."""
        del prompt
        return answer.letter

    def _options(self, prompt: str | None) -> dict[str, str]:
        return (cached_options(prompt) or {}) if self.uses_options else {}

    def notations(self, answer: ChoiceAnswer, prompt: str | None) -> Sequence[str]:
        """The letter alone in every form; with the prompt's options, the letter with its
        option text and the text alone."""
        letter = answer.letter
        wide = chr(ord(letter) + 0xFEE0)
        forms = [form.format(L=letter, l=letter.lower(), W=wide) for form in LETTER_FORMS]
        text = self._options(prompt).get(letter)
        if text is not None:
            texts = option_texts(text)
            forms += [form.format(L=letter, T=t) for form in LETTER_TEXT_FORMS for t in texts]
            forms += texts
        return forms

    def other(self, truth: ChoiceAnswer, prompt: str | None, rng: random.Random) -> ChoiceAnswer:
        """Another letter."""
        del prompt
        return ChoiceAnswer(rng.choice([x for x in LETTERS if x != truth.letter]))

    def out_of_space(self, truth: ChoiceAnswer, prompt: str | None, rng: random.Random) -> str:
        """A letter past D."""
        del truth, prompt
        return rng.choice(("E", "F", "(E)", "Option F"))

    def hedge_parts(self, answer: ChoiceAnswer, prompt: str | None) -> Sequence[str]:
        """The letter in either case, and its option text when the prompt lists one."""
        text = self._options(prompt).get(answer.letter)
        return (answer.letter, answer.letter.lower(), *((text,) if text else ()))


def letter_schema() -> dict[str, Any]:
    """The JSON Schema of a lettered answer (pydantic, built when called)."""
    from typing import Literal  # noqa: PLC0415 - off the scoring path

    from pydantic import TypeAdapter  # noqa: PLC0415

    return TypeAdapter(Literal["A", "B", "C", "D"]).json_schema()
