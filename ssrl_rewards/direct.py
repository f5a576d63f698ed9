"""Direct answers (``RewardConfig(answer_format="direct")``): no box, the text is the answer.

Jigsaw-R1 and VideoSSR ask for the answer itself, with no ``\\boxed{}``. This module
reads such a completion into the same `Envelope` the boxed reader returns, so the task
parsers, the verdict cache and the score identity are shared.

- The answer region is the text after the reasoning block (``</think>``), or the whole
  completion when there is no reasoning block. A ``<think>`` that never closes is a
  truncated completion with no answer (``unclosed_think``); a reasoning tag after the
  block (re-opened reasoning) leaves no answer (``multiple_think``): an answer only inside
  the reasoning pays nothing.
- The region is read strictly: after the light normalisation, its whole text must be one
  answer of the task (the task parser refuses prose around it, hedges and second
  answers). One ``<answer>…</answer>`` or one ``\\boxed{…}`` enclosing the whole region is
  unwrapped first. Nothing after the reasoning is ``no_answer``; a region longer than
  ``max_answer_chars`` is ``answer_too_long``.
- Format: ``strict`` wants exactly one non-empty reasoning block at the start, then the
  answer; ``r1`` also wants the answer in an ``<answer>`` tag; ``answer_only`` wants no
  reasoning tags at all; ``none`` does not check.

Linear: a constant number of tag searches (the boxed reader's leapfrogging search) and
one brace walk.
"""

from __future__ import annotations

import re

from ssrl_rewards.config import RewardConfig

# The boxed reader's tag patterns, leapfrogging tag search and "shows anything" test, so
# both readers agree on what a reasoning block is.
from ssrl_rewards.envelope import _THINK_ANY, _THINK_CLOSE, _THINK_OPEN, Envelope, _find_tag
from ssrl_rewards.envelope import _reasons as _shows_anything
from ssrl_rewards.normalize import matching_brace, normalize_answer, says_something
from ssrl_rewards.result import Reason

__all__ = ["parse_direct"]

_ANSWER_TAG = re.compile(r"<\s*answer\s*>(.*)<\s*/\s*answer\s*>", re.IGNORECASE | re.DOTALL)
_BOX_OPEN = re.compile(r"\\(?:boxed|fbox)\s*\{")


def _none(reason: Reason, length: int, cfg: RewardConfig, think: str | None = None) -> Envelope:
    fmt, fmt_reason = (1.0, Reason.NOT_CHECKED) if cfg.format_policy == "none" else (0.0, reason)
    return Envelope(None, None, reason, fmt, fmt_reason, think, (), length)


def parse_direct(completion: object, cfg: RewardConfig) -> Envelope:
    """The envelope of a direct-answer completion (see the module docstring). Never raises."""
    if not isinstance(completion, str):
        return _none(Reason.NOT_A_STRING, 0, cfg)
    text = completion
    length = len(text)
    if length > cfg.max_chars:
        return _none(Reason.TOO_LONG, length, cfg)
    opening = _find_tag(_THINK_OPEN, text, 0, length)
    closing = _find_tag(_THINK_CLOSE, text, 0, length)
    structure = Reason.OK
    think: str | None = None
    if cfg.think_prefilled and (opening is None or (closing and closing.start() < opening.start())):
        if closing is None:
            return _none(Reason.UNCLOSED_THINK, length, cfg, text)
        think, region = text[: closing.start()], closing.end()
    elif opening is None:
        if closing is not None:  # reasoning without its opening tag
            think, region, structure = text[: closing.start()], closing.end(), Reason.NO_THINK
        else:
            region = 0
            if cfg.format_policy in ("strict", "r1"):
                structure = Reason.NO_THINK
    else:
        after = _find_tag(_THINK_CLOSE, text, opening.end(), length)
        if after is None:
            return _none(Reason.UNCLOSED_THINK, length, cfg, text[opening.end() :])
        think, region = text[opening.end() : after.start()], after.end()
        stray = closing is not None and closing.start() != after.start()
        if stray or text[: opening.start()].strip():
            structure = Reason.TEXT_BEFORE_THINK
        elif not _shows_anything(text, opening.end(), after.start()):
            structure = Reason.EMPTY_THINK
    if _find_tag(_THINK_ANY, text, region, length) is not None:
        return _none(Reason.MULTIPLE_THINK, length, cfg, think)
    if think is not None and cfg.format_policy == "answer_only":
        structure = Reason.FORMAT_MISMATCH  # a reasoning block the policy does not want
    raw = text[region:].strip()
    if len(raw) > cfg.max_answer_chars:
        return _none(Reason.ANSWER_TOO_LONG, length, cfg, think)
    tagged = _ANSWER_TAG.fullmatch(raw) if cfg.answer_tags or cfg.format_policy == "r1" else None
    if tagged is not None:
        raw = tagged.group(1).strip()
    elif cfg.format_policy == "r1" and structure is Reason.OK:
        structure = Reason.BAD_ANSWER_TAG
    raw = _unbox(raw)
    answer = normalize_answer(raw)
    if not says_something(answer):
        return _none(Reason.NO_ANSWER, length, cfg, think)
    if cfg.format_policy == "none":
        fmt, fmt_reason = 1.0, Reason.NOT_CHECKED
    else:
        fmt, fmt_reason = (1.0, Reason.OK) if structure is Reason.OK else (0.0, structure)
    return Envelope(answer, raw, Reason.OK, fmt, fmt_reason, think, (), length)


def _unbox(text: str) -> str:
    """The content of one ``\\boxed{…}`` that encloses the whole text, else the text."""
    box = _BOX_OPEN.match(text)
    if box is None or not text.endswith("}"):
        return text
    if matching_brace(text, box.end(), len(text)) != len(text) - 1:
        return text
    return text[box.end() : -1].strip()
