"""What the scorer reads from a prompt: its text, and the lettered options it lists.

How a prompt of any shape becomes its text is the row contract's (`ssrl_rewards.rows`);
`prompt_text` here forwards to it. Options are the ``A. … B. … C. … D. …`` list of the
relative-position question; both lookups are cached because every prompt is scored once
per completion in its group.
"""

from __future__ import annotations

import functools
import re

__all__ = ["option_key", "parse_options", "prompt_text"]

_MARKER = re.compile(r"(?<![\w'\"])([A-H])[.)]\s+")
_OPTION_END = re.compile(r"\.(?:\s|$)|\n")
_MAX_OPTION_CHARS = 60
_KEY_SPLIT = re.compile(r"[\s\-–—_/]+")


def prompt_text(prompt: object) -> str | None:
    """The question text of a prompt; the rule lives in `ssrl_rewards.rows.prompt_text`
    (kept here so existing imports keep working)."""
    from ssrl_rewards.rows import prompt_text as row_prompt_text  # noqa: PLC0415 - cycle

    return row_prompt_text(prompt)


def parse_options(prompt: str | None) -> dict[str, str] | None:
    """The lettered options a prompt lists (``{"A": "Left", …}``), or None if it lists none.

    Takes the last run of consecutive markers A., B., C., … in the prompt; each option's
    text runs to the next marker (the last one to the end of its sentence or line). The
    parse is cached; each call returns a fresh dict, so callers may change it.
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
    markers = list(_MARKER.finditer(prompt))
    best: list[re.Match[str]] | None = None
    for index, match in enumerate(markers):
        if match.group(1) != "A":
            continue
        run = [match]
        for follower in markers[index + 1 :]:
            if follower.group(1) == chr(ord(run[-1].group(1)) + 1):
                run.append(follower)
            elif follower.group(1) == "A":
                break
        if len(run) >= 2:
            best = run
    if best is None:
        return None
    options: dict[str, str] = {}
    for position, match in enumerate(best):
        if position + 1 < len(best):
            text = prompt[match.end() : best[position + 1].start()]
        else:
            tail = prompt[match.end() :]
            end = _OPTION_END.search(tail)
            text = tail if end is None else tail[: end.start()]
        text = text.strip().rstrip(".;,").strip()
        if not text or len(text) > _MAX_OPTION_CHARS:
            return None
        options[match.group(1)] = text
    return options


def option_key(text: str) -> str:
    """A comparison key for option text: case-folded words in sorted order.

    ``Left-Front``, ``left front`` and ``Front-Left`` share a key; nothing else does.
    """
    words = [word for word in _KEY_SPLIT.split(text.casefold()) if word]
    return "-".join(sorted(words))
