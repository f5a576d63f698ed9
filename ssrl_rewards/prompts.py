"""What the scorer reads from a prompt: its text, and the lettered options it lists.

How a prompt of any shape becomes its text is the row contract's (`ssrl_rewards.rows`);
`prompt_text` here forwards to it. Options are the ``A. … B. … C. … D. …`` list of the
relative-position question; both lookups are cached because every prompt is scored once
per completion in its group.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["option_key", "parse_options", "prompt_text"]

# An option marker: `A.`, `A)`, `A:`, `A、`, `(A)`, `[A]`, each maybe in bold (`**A.**`),
# upper or lower case, and `A - ` (a spaced dash, upper case only: `a - b` is algebra).
# Plain `A.` and `A)` need a space (or a non-ASCII character, as in `A.左`) after them,
# so `e.g.` and `U.S.` are no markers.
_MARKER = re.compile(
    r"(?:\*\*|__)?(?:\(\s?([A-Ha-h])\s?\)|\[\s?([A-Ha-h])\s?\]"
    r"|(?<![\w'\"])([A-Ha-h])(?:\*\*|__)?(?:([.)])(?=\s|\*\*|__|[^\x00-\x7f])|([:、]))"
    r"|(?<![\w'\"])([A-H])(?:\*\*|__)?[ \t]+[-–—][ \t])"
    r"(?:\*\*|__)?[ \t]*"
)
_OPTION_END = re.compile(r"\.(?:\s|$)|\n|。")
# `Ａ．左` has no space after its full-width period: keep one after NFKC.
_FULL_WIDTH_SEPARATORS = str.maketrans({"．": ". ", "）": ") ", "：": ": "})
_TEXT_STRIP = " \t\r\n*_;,"
_MAX_OPTION_CHARS = 60
_KEY_SPLIT = re.compile(r"[\s\-–—_/]+")


def prompt_text(prompt: object) -> str | None:
    """The question text of a prompt; the rule lives in `ssrl_rewards.rows.prompt_text`
    (kept here so existing imports keep working)."""
    from ssrl_rewards.rows import prompt_text as row_prompt_text  # noqa: PLC0415 - cycle

    return row_prompt_text(prompt)


def parse_options(prompt: str | None) -> dict[str, str] | None:
    """The lettered options a prompt lists (``{"A": "Left", …}``), or None if it lists none.

    Layouts: ``A. Left``, ``A) Left``, ``A: Left``, ``A、左``, ``(A) Left``, ``[A] Left``,
    ``A - Left`` (also an en or em dash),
    ``**A.** Left``, lower-case letters, full-width letters and brackets, all on one line or
    one per line. Takes the last run of consecutive markers A, B, C, … of one layout and
    case; each option's text runs to the next marker (the last one to the end of its
    sentence or line, so prose may follow). The parse is cached; each call returns a fresh
    dict, so callers may change it.
    """
    options = _cached_options(prompt)
    return dict(options) if options is not None else None


def cached_options(prompt: str | None) -> dict[str, str] | None:
    """`parse_options` without the copy, for internal readers that never change it."""
    return _cached_options(prompt)


@functools.lru_cache(maxsize=8192)
def _cached_options(prompt: str | None) -> dict[str, str] | None:
    if not prompt:
        return None
    if not prompt.isascii():  # full-width letters and brackets, invisible characters
        prompt = unicodedata.normalize("NFKC", prompt.translate(_FULL_WIDTH_SEPARATORS))
        prompt = "".join(c for c in prompt if unicodedata.category(c) != "Cf")
    best = _last_run(prompt)
    if best is None:
        return None
    options: dict[str, str] = {}
    for position, (letter, _, end) in enumerate(best):
        if position + 1 < len(best):
            text = prompt[end : best[position + 1][1]]
        else:
            tail = prompt[end:]
            stop = _OPTION_END.search(tail)
            text = tail if stop is None else tail[: stop.start()]
        text = text.strip(_TEXT_STRIP).rstrip(".").strip(_TEXT_STRIP)
        if not text or len(text) > _MAX_OPTION_CHARS:
            return None
        options[letter] = text
    return options


def _last_run(prompt: str) -> list[tuple[str, int, int]] | None:
    """The last run of two or more markers A, B, C, ... of one layout and case, as
    (upper-case letter, marker start, marker end); one pass over the markers."""
    runs: dict[tuple[str, bool], list[tuple[str, int, int]]] = {}
    best: list[tuple[str, int, int]] | None = None
    for match in _MARKER.finditer(prompt):
        raw = match.group(1) or match.group(2) or match.group(3) or match.group(6)
        layout = (
            "("
            if match.group(1)
            else "["
            if match.group(2)
            else "-"
            if match.group(6)
            else match.group(4) or match.group(5)
        )
        style = (layout, raw.islower())
        letter = raw.upper()
        run = runs.get(style)
        if letter == "A":
            runs[style] = [(letter, match.start(), match.end())]
        elif run is not None and ord(letter) == ord(run[-1][0]) + 1:
            run.append((letter, match.start(), match.end()))
        else:
            continue
        current = runs[style]
        if len(current) >= 2 and (best is None or current[0][1] >= best[0][1]):
            best = current
    return best


def option_key(text: str) -> str:
    """A comparison key for option text: case-folded words in sorted order.

    ``Left-Front``, ``left front`` and ``Front-Left`` share a key; nothing else does.
    """
    words = [word for word in _KEY_SPLIT.split(text.casefold()) if word]
    return "-".join(sorted(words))
