"""Lenient reading of label sequences written by a model (`0-2-3-1` and its honest variants).

Accepted separators: hyphens with or without spaces, en and em dashes, minus signs,
commas (also the ideographic ``、``), spaces, arrows (``->``, ``-->``, ``=>``, ``–>``, ``→``,
``⟶``, ``⇒``, ``⟹``, ``➔``, ``➝``, ``➡``, ``\\to``, ``\\rightarrow``, ``\\longrightarrow``,
``\\Rightarrow``), a separator inside ``\\text{}`` or ``\\mathrm{}``
(``0\\text{-}2``); one layer of brackets or parentheses; concatenated single digits when
the count is right (``0231``). A bare ``>`` or ``<`` is not a separator: ``2 > 1 > 3`` is an
inequality chain, which may list the labels in either order, so it is refused. Only ASCII
digits count as labels (after NFKC, so full-width digits do), which keeps look-alike
digits from other scripts out. A final "and" before the last label of a comma list
(``3, 1, and 2``) joins the list, and a lead-in (``Answer: 0-2-3-1``) is dropped. Text that
splits on ``or``, ``and``, ``and/or``, ``&``,
``/``, ``|``, ``;`` or ``vs`` into differing parts is a hedge.

Every pattern here either starts at a fixed literal or, for whitespace runs, only at the
start of a run (``(?<!\\s)``), so each scan is linear in the text.
"""

from __future__ import annotations

import re

__all__ = [
    "MAX_LABEL_DIGITS",
    "join_final_and",
    "separated_labels",
    "split_hedge",
    "split_labels",
    "strip_brackets",
    "strip_prefix",
]

MAX_LABEL_DIGITS = 3
_BRACKETS = {"(": ")", "[": "]", "{": "}", "<": ">", "⟨": "⟩"}
_ARROWS = re.compile(
    r"\\rightarrow|\\to|\\longrightarrow|\\Rightarrow|\\Longrightarrow|->|=>|-->|[–—]>|[→⟶⇒➔➝➡⟹]"
)
# `0\text{-}2\text{-}3`: a LaTeX text wrapper around nothing but a separator. It becomes
# the separator padded with spaces, so two labels are never run together.
_TEXT_SEPARATOR = re.compile(r"\\(?:text|textrm|mathrm)\{([\s,\-–—−‐‑、]*)\}")
_SEPARATORS = re.compile(r"[\s,\-–—−‐‑、]+")
_LABELS = re.compile(r"[0-9]+")
# `Answer: 0-2-3-1`, `The final order is 3-1-2`: a lead-in before the labels.
_PREFIX = re.compile(
    r"(?:the\s+)?(?:final\s+|correct\s+)?(?:answer|order|ordering|arrangement|sequence)"
    r"(?:\s+is)?\s*[:：]?\s*",
    re.IGNORECASE,
)
_FINAL_AND = re.compile(r"(?<![\s,]),?\s+and\s+([0-9]+)\s*$", re.IGNORECASE)
_HEDGE = re.compile(r"(?<!\s)\s+(?:or|and/or|and|vs\.?)\s+|/|\||;|&", re.IGNORECASE)


def strip_prefix(text: str) -> str:
    """`text` without a lead-in (``Answer:``, ``The final order is``) before the labels."""
    if text[:1].isdigit():
        return text
    match = _PREFIX.match(text)
    return text[match.end() :] if match and match.end() < len(text) else text


def join_final_and(text: str) -> str:
    """A list whose last label is joined by "and" (``3, 1, and 2``, ``0, 2, 3 and 1``) as a
    plain comma list; anything else unchanged. Only one label may follow the "and", and a
    comma list of at least two labels must precede it, so ``0-2-3-1 and 0-3-2-1`` stays
    a hedge."""
    lowered = text.lower()
    at = lowered.rfind("and")
    if at == -1:
        return text
    match = _FINAL_AND.search(text, max(0, at - 2))
    if match is None:
        return text
    head = text[: match.start()]
    tokens = separated_labels(head)
    if tokens is None or len(tokens) < 2 or "," not in head:
        return text
    return f"{head}, {match.group(1)}"


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
