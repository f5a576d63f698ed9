"""The answer envelope: where the final answer sits, and whether the format is respected.

`parse_envelope` takes any completion and returns an immutable `Envelope`, without ever
raising and in time linear in the input: tags and boxes are found with compiled searches
that cannot backtrack catastrophically (each whitespace run is bounded by literals), brace
matching is a `str.find` walk inside a window of ``max_answer_chars``, and at most
``max_candidates`` final answers are read before the completion counts as a hedge.

Default rules:

- Tags tolerate whitespace inside (``< think >``, ``< / think >``).
- The final answer may only sit after the first ``</think>``; a ``<think>`` that never
  closes (a truncated completion) has no answer. With no reasoning tags at all, the whole
  text is the answer region (the format check then fails).
- Final answers are ``\\boxed{…}`` (and ``\\fbox{…}``, optional whitespace before the brace,
  nested braces kept) and, when enabled, ``<answer>…</answer>`` that holds no box.
  ``\\boxed X`` without braces is not recognised: the prompt asks for braces.
- A final answer that is empty after light normalisation (``\\boxed{}``, ``\\boxed{ }``,
  ``<answer></answer>``) is no answer (``no_answer``), unless it hedges with another one.
- Several final answers that differ after light normalisation are a hedge
  (``multiple_answers``); the same answer twice is not. An unclosed box makes the answer
  ambiguous (``unbalanced_box``).
- A completion longer than ``max_chars`` is not scanned at all (``too_long``): its middle
  could hide a hedge, and no Spatial-SSRL response is that long.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ssrl_rewards.config import DEFAULT_CONFIG, RewardConfig
from ssrl_rewards.normalize import matching_brace, normalize_answer
from ssrl_rewards.result import Reason

__all__ = ["Box", "Envelope", "parse_envelope"]

# Each pattern has at most one whitespace run between two literals, so a failed attempt
# costs O(run) and attempts start only at a literal `<` or `\`: linear overall.
_THINK_OPEN = re.compile(r"<\s*think\s*>")
_THINK_CLOSE = re.compile(r"<\s*/\s*think\s*>")
_THINK_ANY = re.compile(r"<\s*(?:/\s*)?think\s*>")
_ANSWER_OPEN = re.compile(r"<\s*answer\s*>")
_ANSWER_CLOSE = re.compile(r"<\s*/\s*answer\s*>")
_BOX = re.compile(r"\\(?:boxed|fbox)\s*\{")
_BOXED_ONLY = re.compile(r"\\boxed\s*\{")
_FALLBACK_MARKERS = ("answer is", "answer:")
_PROBES = 8
# A letter of each tag word that is rare in text (and absent from a flood of the other
# tag): a word cannot start before the first of its rare letter, found at memory speed.
_RARE_LETTER = {"think": ("k", 4), "answer": ("w", 3)}


def _find_tag(
    pattern: re.Pattern[str], word: str, text: str, start: int, end: int
) -> re.Match[str] | None:
    """`pattern.search(text, start, end)` for a tag pattern ``<\\s*(/\\s*)?word\\s*>``.

    Candidates are found by their word with `str.find`, which skips text without the word
    at memory speed whatever else it holds (floods of ``<`` included); each candidate is
    confirmed by looking back over whitespace and ``/`` for its ``<``. After a few failed
    candidates the regex engine scans the rest in C. The slices looked back over are
    disjoint, so the whole search stays linear. The word search starts no earlier than the
    first occurrence of the word's rare letter, so text without it (a flood of
    ``</think>`` searched for ``answer``) is passed over at memory speed.
    """
    floor = text.find("<", start, end)  # one character: memchr speed, unlike a word
    if floor == -1:
        return None
    letter, offset = _RARE_LETTER[word]
    rare = text.find(letter, floor + offset, end)
    if rare == -1:
        return None
    index = text.find(word, rare - offset, end)
    for _ in range(_PROBES):
        if index == -1:
            return None
        head = text[floor:index].rstrip()
        if head.endswith("/"):
            head = head[:-1].rstrip()
        if head.endswith("<"):
            match = pattern.match(text, floor + len(head) - 1, end)
            if match is not None:
                return match
        floor = index + len(word)
        index = text.find(word, floor, end)
    return None if index == -1 else pattern.search(text, floor, end)


def _find_box(text: str, start: int, end: int, fbox: bool) -> re.Match[str] | None:
    """The first ``\\boxed{`` (or ``\\fbox{``) in [start, end), found by its word like tags."""
    pattern = _BOX if fbox else _BOXED_ONLY
    floor = text.find("\\", start, end)  # one character: memchr speed, unlike a word
    if floor == -1:
        return None
    for _ in range(_PROBES):
        index = text.find("boxed", floor, end)
        if fbox:
            other = text.find("fbox", floor, index if index != -1 else end)
            if other != -1:
                index = other
        if index == -1:
            return None
        if index > start and text[index - 1] == "\\":
            match = pattern.match(text, index - 1, end)
            if match is not None:
                return match
        floor = index + 1
    return pattern.search(text, max(start, floor - 1), end)


class Box(NamedTuple):
    """One final-answer container: its raw content and where it sits.

    ``kind`` is ``"boxed"``, ``"fbox"`` or ``"answer_tag"``; ``closed`` is False for a box
    whose brace never closes within ``max_answer_chars`` (its ``content`` is then empty).
    """

    content: str
    start: int
    end: int
    in_think: bool
    kind: str
    closed: bool = True


class Envelope(NamedTuple):
    """What a completion looks like from outside the answer.

    ``answer`` is the normalised final answer text, or None with ``reason`` saying why
    (``ok`` when there is an answer). ``format`` is 1.0 or 0.0 with ``format_reason``.
    ``think`` is the reasoning text (None without a reasoning block); ``boxes`` lists the
    containers found inside and after the reasoning (at most ``max_candidates`` each).
    """

    answer: str | None
    raw_answer: str | None
    reason: Reason
    format: float
    format_reason: Reason
    think: str | None
    boxes: tuple[Box, ...]
    length: int

    @property
    def has_answer(self) -> bool:
        """True when a single final answer was found."""
        return self.answer is not None


def _no_answer(reason: Reason, length: int) -> Envelope:
    return Envelope(None, None, reason, 0.0, reason, None, (), length)


def parse_envelope(completion: object, config: RewardConfig | None = None) -> Envelope:
    """Describe where the final answer of `completion` is, and check its format.

    Never raises: non-strings get ``not_a_string``, over-long text ``too_long``.
    """
    cfg = config if config is not None else DEFAULT_CONFIG
    if not isinstance(completion, str):
        return _no_answer(Reason.NOT_A_STRING, 0)
    text = completion
    length = len(text)
    if length > cfg.max_chars:
        return _no_answer(Reason.TOO_LONG, length)

    if cfg.format_policy != "r1" and not cfg.think_prefilled:
        fast = _fast_envelope(text, cfg)
        if fast is not None:
            return fast

    # --- reasoning block -------------------------------------------------------------
    open_match = _find_tag(_THINK_OPEN, "think", text, 0, length)
    close_match = _find_tag(_THINK_CLOSE, "think", text, 0, length)
    think: str | None = None
    think_start = think_end = region_start = 0
    structure = Reason.OK
    if cfg.think_prefilled and (
        open_match is None or (close_match is not None and close_match.start() < open_match.start())
    ):
        if close_match is None:
            return _finish_unclosed(text, cfg, 0)
        think_end, region_start = close_match.start(), close_match.end()
    elif open_match is None:
        structure = Reason.NO_THINK
        if close_match is not None:  # reasoning without its opening tag
            think_end, region_start = close_match.start(), close_match.end()
    elif close_match is not None and open_match.start() < close_match.start():
        think_start, think_end = open_match.end(), close_match.start()
        region_start = close_match.end()
        if open_match.start() and text[: open_match.start()].strip():
            structure = Reason.TEXT_BEFORE_THINK
    elif _find_tag(_THINK_CLOSE, "think", text, open_match.end(), length) is None:
        return _finish_unclosed(text, cfg, open_match.end())
    else:  # a stray closing tag before the opening one: the answer follows the first close
        structure = Reason.TEXT_BEFORE_THINK
        think_end, region_start = close_match.start(), close_match.end()  # type: ignore[union-attr]
    later_tag = _find_tag(_THINK_ANY, "think", text, region_start, length) if region_start else None
    if region_start:
        think = text[think_start:think_end]
        if structure is Reason.OK:
            if not think.strip():
                structure = Reason.EMPTY_THINK
            elif (
                later_tag is not None
                or _find_tag(_THINK_OPEN, "think", text, think_start, think_end) is not None
            ):
                structure = Reason.MULTIPLE_THINK

    # --- final answers ---------------------------------------------------------------
    think_boxes: list[Box] = []
    if think is not None:
        think_boxes = _find_boxes(text, think_start, think_end, True, cfg)
    final_boxes = _find_boxes(text, region_start, length, False, cfg)
    if cfg.answer_tags:
        final_boxes = _merge_answer_tags(text, region_start, final_boxes, cfg)
    if later_tag is not None and final_boxes:  # re-opened reasoning holds no answer
        # only tags before the last box can enclose a box: the rest is never searched
        spans = _reopened_spans(text, region_start, final_boxes[-1].start + 1, cfg)
        moved = [box for box in final_boxes if _inside(box.start, spans)]
        if moved:
            think_boxes += [box._replace(in_think=True) for box in moved]
            final_boxes = [box for box in final_boxes if not _inside(box.start, spans)]
    boxes = tuple(think_boxes) + tuple(final_boxes)

    answer, raw, reason = _decide(final_boxes, bool(think_boxes), cfg)
    if answer is None and reason is Reason.NO_ANSWER and cfg.lenient_fallback:
        raw = _fallback_answer(text, region_start)
        if raw is not None:
            answer, reason = normalize_answer(raw), Reason.OK

    fmt, fmt_reason = _format_verdict(text, cfg, structure, reason, region_start)
    return Envelope(answer, raw, reason, fmt, fmt_reason, think, boxes, length)


def _fast_envelope(text: str, cfg: RewardConfig) -> Envelope | None:
    """The envelope of the common shapes, or None to take the general path.

    The shapes: optional whitespace and ``<think>``, reasoning without ``<`` or ``\\``,
    then either nothing more with ``<`` or ``\\`` (truncated), or ``</think>`` followed by
    text without ``<`` whose backslashes all sit in one ``\\boxed{…}`` (a final answer) or
    that has none (no answer). Only ``str.find`` and a bounded brace walk are used; the
    general path returns the same envelope for such text (a property test checks it).
    """
    open_at = text.find("<")
    if open_at == -1 or not text.startswith("<think>", open_at):
        return None
    if open_at and not text[:open_at].isspace():
        return None
    think_start = open_at + 7
    close_at = text.find("<", think_start)
    length = len(text)
    unchecked = cfg.format_policy == "none"
    if close_at == -1:  # truncated inside the reasoning
        if text.find("\\", think_start) != -1:
            return None
        fmt, fmt_reason = (1.0, Reason.NOT_CHECKED) if unchecked else (0.0, Reason.UNCLOSED_THINK)
        return Envelope(
            None, None, Reason.UNCLOSED_THINK, fmt, fmt_reason, text[think_start:], (), length
        )
    if not text.startswith("</think>", close_at):
        return None
    region = close_at + 8
    if text.find("<", region) != -1 or text.find("\\", think_start, close_at) != -1:
        return None
    think = text[think_start:close_at]
    if not think or think.isspace():
        return None
    box = text.find("\\", region)
    if box == -1:  # a closed reasoning block and no final answer
        if cfg.lenient_fallback:
            return None
        fmt, fmt_reason = (1.0, Reason.NOT_CHECKED) if unchecked else (0.0, Reason.NO_ANSWER)
        return Envelope(None, None, Reason.NO_ANSWER, fmt, fmt_reason, think, (), length)
    if not text.startswith("\\boxed{", box):
        return None
    content_start = box + 7
    window = min(length, content_start + cfg.max_answer_chars + 1)
    closing = matching_brace(text, content_start, window)
    if closing == -1 or text.find("\\", closing + 1) != -1:
        return None
    raw = text[content_start:closing]
    answer = normalize_answer(raw)
    if not answer:
        return None
    fmt_reason = Reason.NOT_CHECKED if unchecked else Reason.OK
    found = Box(raw, box, closing + 1, False, "boxed")
    return Envelope(answer, raw, Reason.OK, 1.0, fmt_reason, think, (found,), length)


def _reopened_spans(text: str, start: int, end: int, cfg: RewardConfig) -> list[tuple[int, int]]:
    """Spans of reasoning re-opened in [start, end) (an unclosed one runs to `end`).

    At most ``2 * max_candidates`` re-openings are followed; past that the rest counts as
    reasoning, so a flood of tags costs a bounded number of searches.
    """
    spans: list[tuple[int, int]] = []
    position = start
    for _ in range(2 * cfg.max_candidates):
        opening = _find_tag(_THINK_OPEN, "think", text, position, end)
        if opening is None:
            return spans
        closing = _find_tag(_THINK_CLOSE, "think", text, opening.end(), end)
        if closing is None:
            spans.append((opening.start(), end))
            return spans
        spans.append((opening.start(), closing.end()))
        position = closing.end()
    spans.append((position, end))
    return spans


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _finish_unclosed(text: str, cfg: RewardConfig, think_start: int) -> Envelope:
    """A reasoning block that never closes: truncated, so there is no answer."""
    boxes = tuple(_find_boxes(text, think_start, len(text), True, cfg))
    fmt, fmt_reason = (
        (1.0, Reason.NOT_CHECKED)
        if cfg.format_policy == "none"
        else (
            0.0,
            Reason.UNCLOSED_THINK,
        )
    )
    return Envelope(
        None, None, Reason.UNCLOSED_THINK, fmt, fmt_reason, text[think_start:], boxes, len(text)
    )


def _find_boxes(
    text: str,
    start: int,
    stop: int,
    in_think: bool,
    cfg: RewardConfig,
) -> list[Box]:
    """Boxes between `start` and `stop`, at most ``max_candidates + 1`` of them.

    Nested boxes are part of their outer box. An unclosed box ends the search.
    """
    found: list[Box] = []
    position = start
    limit = cfg.max_candidates + 1
    while len(found) < limit:
        match = _find_box(text, position, stop, cfg.fbox)
        if match is None:
            break
        content_start = match.end()
        window = min(stop, content_start + cfg.max_answer_chars + 1)
        closing = matching_brace(text, content_start, window)
        kind = "fbox" if text.startswith("\\fbox", match.start()) else "boxed"
        if closing == -1:
            found.append(Box("", match.start(), window, in_think, kind, closed=False))
            break
        found.append(Box(text[content_start:closing], match.start(), closing + 1, in_think, kind))
        position = closing + 1
    return found


def _merge_answer_tags(text: str, start: int, boxes: list[Box], cfg: RewardConfig) -> list[Box]:
    """Add `<answer>…</answer>` contents that hold no box as final answers, in order."""
    tags: list[Box] = []
    position = start
    limit = cfg.max_candidates + 1
    while len(tags) < limit:
        opening = _find_tag(_ANSWER_OPEN, "answer", text, position, len(text))
        if opening is None:
            break
        closing = _find_tag(_ANSWER_CLOSE, "answer", text, opening.end(), len(text))
        if closing is None:
            break
        if not any(opening.end() <= box.start < closing.start() for box in boxes):
            tags.append(
                Box(
                    text[opening.end() : closing.start()],
                    opening.start(),
                    closing.end(),
                    False,
                    "answer_tag",
                )
            )
        position = closing.end()
    if not tags:
        return boxes
    return sorted(boxes + tags, key=lambda box: box.start)


def _decide(
    final: list[Box], in_think: bool, cfg: RewardConfig
) -> tuple[str | None, str | None, Reason]:
    """Pick the single final answer, or say why there is none."""
    if not final:
        return None, None, Reason.ANSWER_IN_THINK if in_think else Reason.NO_ANSWER
    if any(not box.closed for box in final):
        return None, None, Reason.UNBALANCED_BOX
    if len(final) > cfg.max_candidates:
        return None, None, Reason.MULTIPLE_ANSWERS
    first = final[0]
    answer = normalize_answer(first.content)
    for box in final[1:]:
        if box.content != first.content and normalize_answer(box.content) != answer:
            return None, None, Reason.MULTIPLE_ANSWERS
    if not answer:  # an empty box holds no answer (and earns no format credit)
        return None, None, Reason.NO_ANSWER
    return answer, first.content, Reason.OK


def _format_verdict(
    text: str, cfg: RewardConfig, structure: Reason, answer_reason: Reason, region_start: int
) -> tuple[float, Reason]:
    """1.0 or 0.0 for the configured format policy, with the reason."""
    if cfg.format_policy == "none":
        return 1.0, Reason.NOT_CHECKED
    if structure is not Reason.OK:
        return 0.0, structure
    if answer_reason is not Reason.OK:
        return 0.0, answer_reason
    if cfg.format_policy == "r1" and not _is_single_answer_tag(text[region_start:].strip()):
        return 0.0, Reason.BAD_ANSWER_TAG
    return 1.0, Reason.OK


def _is_single_answer_tag(tail: str) -> bool:
    """True if `tail` is exactly one non-empty `<answer>…</answer>` and nothing else."""
    opening = _ANSWER_OPEN.match(tail)
    if opening is None:
        return False
    closing = _ANSWER_CLOSE.search(tail, opening.end())
    return (
        closing is not None
        and closing.end() == len(tail)
        and _ANSWER_OPEN.search(tail, opening.end()) is None
        and bool(tail[opening.end() : closing.start()].strip())
    )


def _fallback_answer(text: str, region_start: int) -> str | None:
    """`the answer is X` after the reasoning: the rest of that line (offline use only)."""
    region = text[region_start:]
    lowered = region.lower()
    best = -1
    marker_length = 0
    for marker in _FALLBACK_MARKERS:
        index = lowered.rfind(marker)
        if index > best:
            best, marker_length = index, len(marker)
    if best == -1:
        return None
    rest = region[best + marker_length :]
    line_end = rest.find("\n")
    candidate = (rest if line_end == -1 else rest[:line_end]).strip().strip("*:").strip()
    return candidate or None
