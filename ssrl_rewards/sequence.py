"""Lenient reading of label sequences written by a model (`0-2-3-1` and its honest variants).

Accepted separators: hyphens with or without spaces, en and em dashes, minus signs,
commas, spaces, arrows (``->``, ``=>``, ``→``, ``⟶``, ``⇒``, ``\\to``, ``\\rightarrow``); one
layer of brackets or parentheses; concatenated single digits when the count is right
(``0231``). Only ASCII digits count as labels (after NFKC, so full-width digits do), which
keeps look-alike digits from other scripts out. Text that splits on ``or``, ``/``, ``|``
or ``;`` into differing parts is a hedge.
"""

from __future__ import annotations

import re

__all__ = ["MAX_LABEL_DIGITS", "split_hedge", "split_labels"]

MAX_LABEL_DIGITS = 3
_BRACKETS = {"(": ")", "[": "]", "{": "}", "<": ">", "⟨": "⟩"}
_ARROWS = re.compile(r"\\rightarrow|\\to|\\longrightarrow|->|=>|-->|[→⟶⇒➔➝]")
_SEPARATORS = re.compile(r"[\s,\-–—−‐‑>]+")
_LABELS = re.compile(r"[0-9]+")
_HEDGE = re.compile(r"\s+or\s+|/|\||;|\s+vs\.?\s+", re.IGNORECASE)


def split_hedge(text: str) -> list[str]:
    """The non-empty parts of `text` between hedge separators (one part if none)."""
    if not _HEDGE.search(text):
        return [text]
    return [part.strip() for part in _HEDGE.split(text) if part.strip()]


def split_labels(text: str) -> list[str] | None:
    """The label tokens of an ordering, or None if anything but labels and separators occurs."""
    text = text.strip()
    if len(text) >= 2 and _BRACKETS.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    text = _ARROWS.sub("-", text)
    tokens = _LABELS.findall(text)
    if not tokens:
        return None
    rest = _LABELS.sub("", text)
    if rest and not _SEPARATORS.fullmatch(rest):
        return None
    return tokens
