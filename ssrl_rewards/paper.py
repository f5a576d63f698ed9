"""The published Spatial-SSRL reward (`img_score`), reproduced input for input in linear time.

The published reward squeezes whitespace around every ``<``, ``>`` and ``/`` of the whole
response, full-matches ``<think>.*</think>.*\\boxed\\{.*\\}.*`` for the format, takes the
last ``\\boxed{`` with brace matching (or the string ``"None"``) as the prediction, and
compares it with the ground-truth string exactly. Its squeeze and its format regex can
take quadratic time on degenerate text. Here the same decisions are made without the
whole-text squeeze, which is local:

- the squeezed text starts with ``<think>`` iff the raw text matches ``\\s*<\\s*think\\s*>``;
- a squeezed ``</think>`` is a raw ``<\\s*/\\s*think\\s*>``; squeezing never creates or
  removes ``\\boxed{`` or braces;
- so the format holds iff those occur in order, followed by ``\\boxed{`` and then ``}``;
- the prediction is the raw last box's content, squeezed (linearly) and stripped.

`tests/test_paper.py` checks all of this against a re-statement of the published code.
"""

from __future__ import annotations

import re

import regex

from ssrl_rewards.normalize import matching_brace

__all__ = ["NO_PREDICTION", "last_box", "paper_format", "paper_prediction", "squeeze"]

NO_PREDICTION = "None"
# Exactly the characters Python's `re` treats as `\s` in str patterns (checked by a test).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WS = "[" + regex.escape(WHITESPACE, special_only=False) + "]"
# A whitespace run is removed if a `<`, `>` or `/` precedes or follows it. Runs are only
# entered at their first character and never backtracked into: linear.
_SQUEEZE = regex.compile(rf"(?<=[<>/]){_WS}+|(?<!{_WS}){_WS}++(?=[<>/])")
_OPEN = re.compile(r"\s*<\s*think\s*>")
_CLOSE = re.compile(r"<\s*/\s*think\s*>")
_BOX = "\\boxed{"
_PROBES = 8


def squeeze(text: str) -> str:
    """The published whitespace squeeze (``re.sub(r"\\s*(<|>|/)\\s*", r"\\1", text)``)."""
    return _SQUEEZE.sub("", text)


def paper_format(text: str) -> float:
    """1.0 iff the squeezed text full-matches ``<think>.*</think>.*\\boxed\\{.*\\}.*``."""
    opening = _OPEN.match(text)
    if opening is None:
        return 0.0
    closing = _CLOSE.search(text, opening.end())
    if closing is None:
        return 0.0
    box = text.find(_BOX, closing.end())
    if box == -1:
        return 0.0
    return 1.0 if text.find("}", box + len(_BOX)) != -1 else 0.0


def last_box(text: str) -> int:
    """``text.rfind("\\boxed{")``, found through the last backslashes.

    A box starts at a backslash, so the last few backslashes are tried with
    single-character `rfind` (memory speed); only text dense in backslashes falls back to
    the multi-character reverse search, bounded to before the ones already tried.
    """
    index = text.rfind("\\")
    for _ in range(_PROBES):
        if index == -1 or text.startswith(_BOX, index):
            return index
        index = text.rfind("\\", 0, index)
    return -1 if index == -1 else text.rfind(_BOX, 0, index + len(_BOX))


def paper_prediction(text: str) -> str:
    """The published prediction: last box's content, squeezed and stripped, or ``"None"``."""
    start = last_box(text)
    if start == -1:
        return NO_PREDICTION
    content_start = start + len(_BOX)
    if text.find("}", content_start) == -1:  # memchr: a box with no `}` after it never closes
        return NO_PREDICTION
    closing = matching_brace(text, content_start, len(text))
    if closing == -1:
        return NO_PREDICTION
    content = text[content_start:closing]
    if "<" in content or ">" in content or "/" in content:
        content = squeeze(content)  # without those three characters it changes nothing
    return content.strip()
