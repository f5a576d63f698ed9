"""What stands around the final answer: text that voids it although the answer parses.

The envelope finds the single final answer; this module, which knows the task, reads the
text next to it for a second answer or a contradiction:

- inside an ``<answer>`` tag that holds the box: ``<answer>B \\boxed{C}</answer>``,
  ``<answer>\\boxed{0-2-3-1} or 0-3-2-1</answer>``, ``<answer>\\boxed{B}: Left</answer>``;
- in the first clause after the box, when it opens with an alternative:
  ``\\boxed{B} (or possibly C)``, ``$\\boxed{B}$ or C``, ``\\boxed{B}.\\nAlternatively, A.``;
- in a parenthesis right after the box that names another option: ``\\boxed{B} (Left)``
  when B is Right.

Only that much is read, so honest prose (``\\boxed{B} because A is too dark``) is left
alone, and the reading is bounded (`_TRAIL_CHARS`), whatever the completion's length.
"""

from __future__ import annotations

import re
from typing import Any

from ssrl_rewards.envelope import Envelope
from ssrl_rewards.normalize import holds_answer, normalize_answer
from ssrl_rewards.registry import TaskSpec
from ssrl_rewards.result import Reason

__all__ = ["voiding_reason"]

_TRAIL_CHARS = 200
# Skipped between the box and the clause: space, line breaks, punctuation, closing wrappers.
_TRAIL_LEAD = " \t\r\n.,;:-\u2013\u2014$*_`\"'\u201c\u201d\u2018\u2019"
_TRAIL_CLOSERS = ("\\)", "\\]", "</answer>", "</ answer>", "< /answer>")
_OPENERS = frozenset(
    {"or", "and/or", "alternatively", "otherwise", "maybe", "possibly", "perhaps", "else",
     "vs", "vs.", "versus", "/", "|"}
)  # fmt: skip
_JOINERS = frozenset({"and", "&"})  # an alternative only when the whole clause is one
_FILLER = _OPENERS | _JOINERS | {"probably", "also", "even"}
_CLAUSE_END = ".;!?\n"
_WORD = re.compile(r"[^\s,;:()\[\]]+")
_WORDS_READ = 12


def voiding_reason(
    spec: TaskSpec,
    completion: object,
    envelope: Envelope,
    answer: Any,
    truth: Any,
    prompt: str | None,
) -> Reason | None:
    """Why the text around the final `answer` voids it (a hedge or a contradiction), or None."""
    if envelope.tag_context:
        reason = _tag_reason(spec, envelope, answer, truth, prompt)
        if reason is not None:
            return reason
    return _trailing_reason(spec, completion, envelope, answer, truth, prompt)


def _tag_reason(
    spec: TaskSpec, envelope: Envelope, answer: Any, truth: Any, prompt: str | None
) -> Reason | None:
    """An `<answer>` tag's text read with the box's answer in place and around it alone:
    a letter and option text that disagree are ``inconsistent_choice``; a hedge or another
    valid answer is ``multiple_answers``; filler (``The answer is``, a period) is neither.
    """
    for pieces in envelope.tag_context:
        outside = normalize_answer(" ".join(pieces))
        if not outside:
            continue
        inline = spec.parse(normalize_answer(str(envelope.answer).join(pieces)), truth, prompt)
        if inline is Reason.INCONSISTENT_CHOICE:
            return Reason.INCONSISTENT_CHOICE
        if _is_other(inline, answer) or _names_another(
            spec, outside.strip(" :;,.-()[]"), answer, truth, prompt
        ):
            return Reason.MULTIPLE_ANSWERS
    return None


def _trailing_reason(
    spec: TaskSpec,
    completion: object,
    envelope: Envelope,
    answer: Any,
    truth: Any,
    prompt: str | None,
) -> Reason | None:
    """The first clause after the last box that answers (closing wrappers skipped)."""
    if type(completion) is not str:
        return None
    end = -1
    for box in reversed(envelope.boxes):  # in text order: the last one that answers
        if box.content and not box.in_think and holds_answer(box.content):
            end = box.end
            break
    if end < 0 or end >= len(completion):
        return None
    tail = completion[end : end + _TRAIL_CHARS].lstrip(_TRAIL_LEAD)
    while tail.startswith(_TRAIL_CLOSERS):
        closer = next(c for c in _TRAIL_CLOSERS if tail.startswith(c))
        tail = tail[len(closer) :].lstrip(_TRAIL_LEAD)
    if not tail:  # the common endings: nothing, or a period
        return None
    if tail[0] in "([":
        return _annotation_reason(spec, tail, answer, truth, prompt)
    return _alternative_reason(spec, tail, answer, truth, prompt)


def _alternative_reason(
    spec: TaskSpec, text: str, answer: Any, truth: Any, prompt: str | None
) -> Reason | None:
    """``multiple_answers`` if `text` opens with an alternative (`or`, `(or possibly`,
    `probably, or`, `/`) and its clause names another answer; else None."""
    opened = joined = False
    position = 0
    for _ in range(4):  # opening words
        while position < len(text) and text[position] in " \t,":
            position += 1
        if position < len(text) and text[position] in "/|":
            opened, position = True, position + 1
            continue
        word = _WORD.match(text, position)
        if word is None or word.group().lower() not in _FILLER:
            break
        key = word.group().lower()
        opened = opened or key in _OPENERS
        joined = joined or key in _JOINERS
        position = word.end()
    if not (opened or joined):
        return None
    rest = text[position:]
    cut = min((i for i in map(rest.find, _CLAUSE_END) if i >= 0), default=len(rest))
    clause = rest[:cut].strip(" \t()[]*$")
    readings = [clause]
    if opened:  # each word of the clause too: `(or it could be C)`, `or c because ...`
        readings += [w for w in _WORD.findall(clause)[:_WORDS_READ] if w != "a"]
    if any(_names_another(spec, reading, answer, truth, prompt) for reading in readings):
        return Reason.MULTIPLE_ANSWERS
    return None


def _annotation_reason(
    spec: TaskSpec, tail: str, answer: Any, truth: Any, prompt: str | None
) -> Reason | None:
    """A parenthesis right after the answer: a hedge if it opens with an alternative,
    ``inconsistent_choice`` if it names another answer (`\\boxed{B} (Left)`,
    `\\boxed{3-0} (horizontal)`)."""
    close = tail.find(")" if tail[0] == "(" else "]")
    inner = tail[1:close] if close > 0 else ""
    first = inner.split(maxsplit=1)[0].lower() if inner.strip() else ""
    if first in _OPENERS:
        return _alternative_reason(spec, inner, answer, truth, prompt)
    if not inner.strip() or len(inner) > 60:
        return None
    if _names_another(spec, inner, answer, truth, prompt):
        return Reason.INCONSISTENT_CHOICE
    both = spec.parse(normalize_answer(f"{answer} ({inner})"), truth, prompt)
    if both is Reason.INCONSISTENT_CHOICE or both is Reason.MULTIPLE_ANSWERS:
        return both
    return None


def _names_another(spec: TaskSpec, text: str, answer: Any, truth: Any, prompt: str | None) -> bool:
    """Whether `text` reads as a hedge or as a valid answer other than `answer`."""
    cleaned = normalize_answer(text)
    return bool(cleaned) and _is_other(spec.parse(cleaned, truth, prompt), answer)


def _is_other(parsed: Any, answer: Any) -> bool:
    """Whether a parse is a hedge or a valid answer other than `answer`."""
    if parsed is Reason.MULTIPLE_ANSWERS:
        return True
    return not isinstance(parsed, Reason) and parsed != answer
