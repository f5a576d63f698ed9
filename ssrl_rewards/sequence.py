"""Lenient reading of label sequences written by a model (`0-2-3-1` and its honest variants).

Accepted separators: hyphens with or without spaces, en and em dashes, minus signs,
commas, spaces, arrows (``->``, ``-->``, ``=>``, ``–>``, ``→``, ``⟶``, ``⇒``, ``⟹``, ``➔``,
``➝``, ``➡``, ``\\to``, ``\\rightarrow``, ``\\longrightarrow``, ``\\Rightarrow``), a separator
inside ``\\text{}`` or ``\\mathrm{}``
(``0\\text{-}2``); one layer of brackets or parentheses; concatenated single digits when
the count is right (``0231``). A bare ``>`` or ``<`` is not a separator: ``2 > 1 > 3`` is an
inequality chain, which may list the labels in either order, so it is refused. Only ASCII
digits count as labels (after NFKC, so full-width digits do), which keeps look-alike
digits from other scripts out. Text that splits on ``or``, ``and``, ``and/or``, ``&``,
``/``, ``|``, ``;`` or ``vs`` into differing parts is a hedge.

Every pattern here either starts at a fixed literal or, for whitespace runs, only at the
start of a run (``(?<!\\s)``), so each scan is linear in the text.
"""

from __future__ import annotations

import re

__all__ = ["MAX_LABEL_DIGITS", "separated_labels", "split_hedge", "split_labels", "strip_brackets"]

MAX_LABEL_DIGITS = 3
_BRACKETS = {"(": ")", "[": "]", "{": "}", "<": ">", "⟨": "⟩"}
_ARROWS = re.compile(
    r"\\rightarrow|\\to|\\longrightarrow|\\Rightarrow|\\Longrightarrow|->|=>|-->|[–—]>|[→⟶⇒➔➝➡⟹]"
)
# `0\text{-}2\text{-}3`: a LaTeX text wrapper around nothing but a separator. It becomes
# the separator padded with spaces, so two labels are never run together.
_TEXT_SEPARATOR = re.compile(r"\\(?:text|textrm|mathrm)\{([\s,\-–—−‐‑]*)\}")
_SEPARATORS = re.compile(r"[\s,\-–—−‐‑]+")
_LABELS = re.compile(r"[0-9]+")
_HEDGE = re.compile(r"(?<!\s)\s+(?:or|and/or|and|vs\.?)\s+|/|\||;|&", re.IGNORECASE)


def split_hedge(text: str) -> list[str]:
    """The non-empty parts of `text` between hedge separators (one part if none)."""
    if not _HEDGE.search(text):
        return [text]
    return [part.strip() for part in _HEDGE.split(text) if part.strip()]


def strip_brackets(text: str) -> str:
    """`text` stripped, without one layer of brackets enclosing all of it."""
    text = text.strip()
    if len(text) >= 2 and _BRACKETS.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    return text


def separated_labels(text: str) -> list[str] | None:
    """The label tokens of a piece of a sequence (possibly none), or None if anything but
    labels and separators occurs in it. No bracket is removed."""
    if "\\" in text:
        text = _TEXT_SEPARATOR.sub(lambda m: f" {m.group(1)} ", text)
    text = _ARROWS.sub("-", text)
    tokens = _LABELS.findall(text)
    rest = _LABELS.sub("", text) if tokens else text
    if rest and not _SEPARATORS.fullmatch(rest):
        return None
    return tokens


def split_labels(text: str) -> list[str] | None:
    """The label tokens of an ordering, or None if anything but labels and separators occurs."""
    tokens = separated_labels(strip_brackets(text))
    return tokens or None
