"""The answer envelope: where the final answer sits, and whether the format is respected.

`parse_envelope` takes any completion and returns an immutable `Envelope`, without ever
raising and in time linear in the input. Tags and boxes are found by leapfrogging
``str.find`` searches for the single characters every match must hold (``<``, ``/``, a
rare letter of the tag word, ``>``; ``\\``, ``x``, ``{`` for a box), which run at memory
speed and prove at once that a flood lacking one of them holds no match; a few candidates
are confirmed with a compiled pattern that cannot backtrack catastrophically, and past
that the pattern scans the rest in C. Brace matching is a `str.count`/`str.find` walk, and
at most ``max_candidates`` final answers are read before the completion counts as a hedge.

Default rules:

- Tags tolerate whitespace inside (``< think >``, ``< / think >``).
- The final answer may only sit after the first ``</think>``; a ``<think>`` that never
  closes (a truncated completion) has no answer. With no reasoning tags at all, the whole
  text is the answer region (the format check then fails).
- Final answers are ``\\boxed{…}`` (and, with ``fbox`` on, ``\\fbox{…}``, ``\\framebox[…]{…}``,
  ``\\ovalbox{…}``, ``\\shadowbox{…}``, ``\\doublebox{…}``, ``\\bbox[…]{…}``,
  ``\\colorbox{c}{…}``, ``\\fcolorbox{f}{c}{…}``; optional whitespace
  before the brace, nested braces kept) and, when enabled, ``<answer>…</answer>`` that
  holds no box. When a tag holds boxes, the tag's text outside them is kept
  (``Envelope.tag_context``) for the task-aware scorer, which refuses
  ``<answer>B \\boxed{C}</answer>`` as a hedge.
  ``\\boxed X`` without braces is not recognised: the prompt asks for braces.
- A final answer that is empty after light normalisation (``\\boxed{}``, ``\\boxed{ }``,
  ``<answer></answer>``) carries no answer and is ignored: ``Put it in \\boxed{}.
  \\boxed{A}`` answers A, and only empty boxes mean ``no_answer``.
- Several final answers that differ after light normalisation are a hedge
  (``multiple_answers``); the same answer twice is not. An unclosed box makes the answer
  ambiguous (``unbalanced_box``). A container whose content runs past
  ``max_answer_chars`` is no answer (``answer_too_long``; a box still open there counts,
  whether or not a later ``}`` would close it), and nothing after it is read: a later box
  could otherwise be paid next to it.
- A completion longer than ``max_chars`` is not scanned at all (``too_long``): its middle
  could hide a hedge, and no Spatial-SSRL response is that long.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ssrl_rewards.config import RewardConfig, check_config
from ssrl_rewards.normalize import (
    holds_answer,
    matching_brace,
    normalize_answer,
    says_something,
)
from ssrl_rewards.result import Reason

__all__ = ["Box", "Envelope", "parse_envelope"]

# Each pattern has at most one whitespace run between two literals, so a failed attempt
# costs O(run) and attempts start only at a literal `<` or `\`: linear overall.
_THINK_OPEN = re.compile(r"<\s*think\s*>")
_THINK_CLOSE = re.compile(r"<\s*/\s*think\s*>")
_THINK_ANY = re.compile(r"<\s*(?:/\s*)?think\s*>")
# `<answer>`, `<ANSWER>`, `<Answer class="final">`: any case, attributes after a space.
_ANSWER_OPEN = re.compile(r"<\s*answer(?:\s[^<>]*)?>", re.IGNORECASE)
_ANSWER_CLOSE = re.compile(r"<\s*/\s*answer\s*>", re.IGNORECASE)
# Every LaTeX box that frames its last argument: `\boxed{}`, `\fbox{}`, `\framebox[w][c]{}`
# (and picture mode's `\framebox(w,h){}`), `\ovalbox{}`, `\Ovalbox{}`, `\shadowbox{}`,
# `\doublebox{}`, MathJax's `\bbox[style]{}`, `\colorbox[model]{color}{}`,
# `\fcolorbox{frame}{fill}{}`.
# Option arguments are short and brace-free, so a failed attempt costs O(1) beyond them.
_ARG = r"\s*\{[^{}\\]{0,64}\}"
_OPT = r"\s*\[[^\[\]{}\\]{0,64}\]"
_PIC = r"\s*\([^(){}\\]{0,64}\)"
_OTHER_BOXES = (
    rf"|framebox(?:{_PIC})?(?:{_OPT}){{0,2}}|[oO]valbox|shadowbox|doublebox|bbox(?:{_OPT})?"
    rf"|colorbox(?:{_OPT})?{_ARG}|fcolorbox(?:{_OPT})?{_ARG}{_ARG}"
)
_BOX = re.compile(rf"\\(?:boxed|fbox{_OTHER_BOXES})\s*\{{")
_BOXED_ONLY = re.compile(r"\\boxed\s*\{")
_FALLBACK_MARKERS = ("answer is", "answer:")
# Reasoning says something when it holds a visible character. Whitespace, controls (NUL),
# invisible format characters (zero-width spaces and joiners, bidi controls, BOM, word
# joiner, soft hyphen, invisible operators, tag characters), lone surrogates, Hangul
# fillers, variation selectors, Mongolian and Khmer invisible marks, the combining grapheme
# joiner and the braille blank alone are no reasoning: no format point. Punctuation counts
# (`<think>.</think>` keeps the point): the point rewards the shape, and one visible
# character costs a policy no more than one letter would. An explicit class (Unicode 15
# categories Cc, Cs, Cf without the visible prepended marks, plus those): the stdlib engine
# tests it per character from a bitmap, 3-30 ms for a megabyte of invisible text.
_VISIBLE = re.compile(
    "[^\u0000-\u0020\u007f-\u00a0\u00ad\u034f\u061c\u115f-\u1160\u1680\u17b4-\u17b5"
    "\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u2800\u3000\u3164"
    "\ud800-\udfff\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\U000e0100-\U000e01ef]"
)
_PROBES = 8
_LT_NO_SLASH = re.compile(r"<[^/]")  # where an opening tag may start
# Each tag pattern: a letter that occurs once in its word and is rare in text, the
# letter's offset in the word, and whether the tag has a slash (None: either).
_TAG_SHAPES: dict[re.Pattern[str], tuple[str, int, bool | None]] = {
    _THINK_OPEN: ("k", 4, False),
    _THINK_CLOSE: ("k", 4, True),
    _THINK_ANY: ("k", 4, None),
    _ANSWER_OPEN: ("w", 3, False),
    _ANSWER_CLOSE: ("w", 3, True),
}


def _fold(text: str) -> str:
    """`text` with the same length and positions, where `<ANSWER>` can be found by its
    lower-case rare letter (the patterns ignore case for the other letters). Lower-casing
    keeps every position unless a character lower-cases to two (only `İ`); then only ASCII
    letters are folded."""
    if "W" not in text:
        return text
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def _find_tag(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """`pattern.search(text, start, end)` for a tag pattern ``<\\s*(/\\s*)?word\\s*>``.

    A tag holds, in order, ``<``, ``/`` (closing tags), its word's rare letter and ``>``,
    with only whitespace, ``/`` and the word's other letters between them. Each probe
    finds the next of each with a one-character `str.find` (memory speed; a missing one
    ends the search at once), so a flood without one of them (``<think>`` repeated, when
    looking for ``</think>``) costs a few passes of ``memchr``. The only candidate around
    the rare letter is the last ``<`` before its word, confirmed with `pattern.match`; if
    it fails, no tag starts before the word. Every probe consumes one ``<`` and one rare
    letter and the searches never go back, so the work is linear.

    After a few failed probes (a flood of near-misses) the regex engine scans the rest in
    C. An opening tag's ``<`` is never followed by ``/``, so in a flood of closing tags
    (which no single character tells apart from opening ones) that scan first skips to a
    ``<`` without one, the cheapest test the engine has, and probes again from there.
    """
    found, position = _probe_tag(pattern, text, start, end)
    if position == -1:
        return found
    if _TAG_SHAPES[pattern][2] is False:
        lead = _LT_NO_SLASH.search(text, position, end)
        if lead is None:
            return None
        found, position = _probe_tag(pattern, text, lead.start(), end)
        if position == -1:
            return found
    return pattern.search(text, position, end)


def _probe_tag(
    pattern: re.Pattern[str], text: str, start: int, end: int
) -> tuple[re.Match[str] | None, int]:
    """Up to ``_PROBES`` leapfrog probes for the first tag in [start, end).

    Returns (the tag or None, -1) once settled, else (None, a position before which no
    tag starts) for the caller to go on from.
    """
    rare, offset, slash = _TAG_SHAPES[pattern]
    position = start
    slash_at = close_at = -1  # the next `/` and `>` found so far (searched once each)
    for _ in range(_PROBES):
        opening = text.find("<", position, end)
        if opening == -1:
            return None, -1
        floor = opening + 1
        if slash:
            if slash_at < floor:
                slash_at = text.find("/", floor, end)
                if slash_at == -1:
                    return None, -1
            floor = slash_at + 1
        letter = text.find(rare, floor + offset, end)
        if letter == -1:
            return None, -1
        if close_at <= letter:
            close_at = text.find(">", letter + 1, end)
            if close_at == -1:
                return None, -1
        word_at = letter - offset
        match = pattern.match(text, text.rfind("<", opening, word_at), end)
        if match is not None:
            return match, -1
        position = word_at
    return None, position


def _find_box(text: str, start: int, end: int, fbox: bool) -> re.Match[str] | None:
    """The first ``\\boxed{`` (or ``\\fbox{``) in [start, end), found like tags.

    A box is a ``\\``, its name, whitespace and ``{``: its ``x`` is the first after its
    ``\\``, its ``{`` the first after its ``x`` and its ``\\`` the last before its ``{``.
    Each probe finds the next ``\\``, ``x`` and ``{`` in turn with `str.find` (a flood of
    backslashes, of ``\\{`` or of ``\\fbox `` without a brace ends at once) and confirms
    the last ``\\`` before that ``{``; if it fails, no box starts before the ``{``. Past a
    few failed probes the regex engine scans the rest in C.
    """
    pattern = _BOX if fbox else _BOXED_ONLY
    position = start
    for _ in range(_PROBES):
        backslash = text.find("\\", position, end)
        if backslash == -1:
            return None
        letter = text.find("x", backslash + 3, end)  # \box, \fbox
        if letter == -1:
            return None
        brace = text.find("{", letter + 1, end)
        if brace == -1:
            return None
        start = text.rfind("\\", backslash, brace)
        # `\colorbox{red}{B}`: its content brace comes after the color argument's, so the
        # match may run past `brace`; arguments are bounded and whitespace runs are the
        # probe's own, so the work stays linear
        match = pattern.match(text, start, end)
        if match is not None:
            return match
        position = brace + 1
    return pattern.search(text, position, end)


class Box(NamedTuple):
    """One final-answer container: its raw content and where it sits.

    ``kind`` is ``"boxed"``, ``"fbox"`` or ``"answer_tag"``. ``closed`` is False for a box
    whose brace never closes (it then runs to the end of its region); ``too_long`` is True
    for a container whose content is longer than ``max_answer_chars``. Either way its
    ``content`` is empty and it holds no answer.
    """

    content: str
    start: int
    end: int
    in_think: bool
    kind: str
    closed: bool = True
    too_long: bool = False


class Envelope(NamedTuple):
    """What a completion looks like from outside the answer.

    ``answer`` is the normalised final answer text, or None with ``reason`` saying why
    (``ok`` when there is an answer). ``format`` is 1.0 or 0.0 with ``format_reason``.
    ``think`` is the reasoning text (None without a reasoning block); ``boxes`` lists the
    containers found inside and after the reasoning (at most ``max_candidates`` each).
    ``tag_context`` holds, for each ``<answer>`` tag that holds final boxes, the tag's text
    around them (n boxes leave n + 1 pieces): whether that text names another answer
    (``<answer>B \\boxed{C}</answer>``) is for the task-aware scorer to say.
    """

    answer: str | None
    raw_answer: str | None
    reason: Reason
    format: float
    format_reason: Reason
    think: str | None
    boxes: tuple[Box, ...]
    length: int
    tag_context: tuple[tuple[str, ...], ...] = ()

    @property
    def has_answer(self) -> bool:
        """True when a single final answer was found."""
        return self.answer is not None


def _no_answer(reason: Reason, length: int) -> Envelope:
    return Envelope(None, None, reason, 0.0, reason, None, (), length)


def parse_envelope(completion: object, config: RewardConfig | None = None) -> Envelope:
    """Describe where the final answer of `completion` is, and check its format.

    Never raises on `completion`: non-strings get ``not_a_string``, over-long text
    ``too_long``. A `config` that is not a `RewardConfig` (or None) raises `ConfigError`.
    """
    cfg = config if type(config) is RewardConfig else check_config(config)
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
    open_match = _find_tag(_THINK_OPEN, text, 0, length)
    close_match = _find_tag(_THINK_CLOSE, text, 0, length)
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
    elif _find_tag(_THINK_CLOSE, text, open_match.end(), length) is None:
        return _finish_unclosed(text, cfg, open_match.end())
    else:  # a stray closing tag before the opening one: the answer follows the first close
        structure = Reason.TEXT_BEFORE_THINK
        think_end, region_start = close_match.start(), close_match.end()  # type: ignore[union-attr]
    later_tag = _find_tag(_THINK_ANY, text, region_start, length) if region_start else None
    if region_start:
        think = text[think_start:think_end]
        if structure is Reason.OK:
            if not _reasons(text, think_start, think_end):
                structure = Reason.EMPTY_THINK
            elif (
                later_tag is not None
                or _find_tag(_THINK_OPEN, text, think_start, think_end) is not None
            ):
                structure = Reason.MULTIPLE_THINK

    # --- final answers ---------------------------------------------------------------
    think_boxes: list[Box] = []
    if think is not None:
        think_boxes = _find_boxes(text, think_start, think_end, True, cfg)
    final_boxes = _find_boxes(text, region_start, length, False, cfg)
    holders: list[tuple[int, int]] = []
    if cfg.answer_tags:
        final_boxes, holders = _merge_answer_tags(text, region_start, final_boxes, cfg)
    if later_tag is not None and final_boxes:  # re-opened reasoning holds no answer
        # only tags before the last box can enclose a box: the rest is never searched
        spans = _reopened_spans(text, region_start, final_boxes[-1].start + 1, cfg)
        moved = [box for box in final_boxes if _inside(box.start, spans)]
        if moved:
            think_boxes += [box._replace(in_think=True) for box in moved]
            final_boxes = [box for box in final_boxes if not _inside(box.start, spans)]
    boxes = tuple(think_boxes) + tuple(final_boxes)

    answer, raw, reason = _decide(final_boxes, think_boxes, cfg)
    if answer is None and reason is Reason.NO_ANSWER and cfg.lenient_fallback:
        raw = _fallback_answer(text, region_start)
        if raw is not None:
            answer, reason = normalize_answer(raw), Reason.OK
    context = _tag_context(text, holders, final_boxes) if holders and answer is not None else ()

    fmt, fmt_reason = _format_verdict(text, cfg, structure, reason, region_start)
    return Envelope(answer, raw, reason, fmt, fmt_reason, think, boxes, length, context)


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
    if not _reasons(text, think_start, close_at):
        return None
    think = text[think_start:close_at]
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
    if not says_something(answer):  # empty or a `...` placeholder: the full path decides
        return None
    fmt_reason = Reason.NOT_CHECKED if unchecked else Reason.OK
    found = Box(raw, box, closing + 1, False, "boxed")
    return Envelope(answer, raw, Reason.OK, 1.0, fmt_reason, think, (found,), length)


def _reasons(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] shows anything: one visible character, not only invisible
    ones. Honest reasoning has one among its first characters."""
    return _VISIBLE.search(text, start, end) is not None


def _reopened_spans(text: str, start: int, end: int, cfg: RewardConfig) -> list[tuple[int, int]]:
    """Spans of reasoning re-opened in [start, end) (an unclosed one runs to `end`).

    At most ``2 * max_candidates`` re-openings are followed; past that the rest counts as
    reasoning, so a flood of tags costs a bounded number of searches.
    """
    spans: list[tuple[int, int]] = []
    position = start
    for _ in range(2 * cfg.max_candidates):
        opening = _find_tag(_THINK_OPEN, text, position, end)
        if opening is None:
            return spans
        closing = _find_tag(_THINK_CLOSE, text, opening.end(), end)
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

    Nested boxes are part of their outer box. A box that never closes, or whose content is
    longer than ``max_answer_chars``, ends the search: what follows it is not read.
    """
    found: list[Box] = []
    position = start
    limit = cfg.max_candidates + 1
    while len(found) < limit:
        match = _find_box(text, position, stop, cfg.fbox)
        if match is None:
            break
        content_start = match.end()
        # matched within the answer cap only: past it the box is void whether or not it
        # closes, and walking a megabyte of `{A}{A}...` brace by brace is slow
        window = min(stop, content_start + cfg.max_answer_chars + 1)
        closing = matching_brace(text, content_start, window)
        kind = "boxed" if text.startswith("\\boxed", match.start()) else "fbox"
        if closing == -1 and (window == stop or text.find("}", window, stop) == -1):
            found.append(Box("", match.start(), stop, in_think, kind, closed=False))
            break
        if closing == -1:
            found.append(Box("", match.start(), stop, in_think, kind, too_long=True))
            break
        found.append(Box(text[content_start:closing], match.start(), closing + 1, in_think, kind))
        position = closing + 1
    return found


def _merge_answer_tags(
    text: str, start: int, boxes: list[Box], cfg: RewardConfig
) -> tuple[list[Box], list[tuple[int, int]]]:
    """Add `<answer>…</answer>` contents that hold no box as final answers, in order.

    Also returns the content spans of the tags that hold boxes: their text around the
    boxes is the envelope's ``tag_context``. A tag whose content is longer than
    ``max_answer_chars`` is no answer (``too_long``) and ends the search.
    """
    tags: list[Box] = []
    holders: list[tuple[int, int]] = []
    position = start
    limit = cfg.max_candidates + 1
    folded = _fold(text)
    while len(tags) < limit:
        opening = _find_tag(_ANSWER_OPEN, folded, position, len(text))
        if opening is None:
            break
        closing = _find_tag(_ANSWER_CLOSE, folded, opening.end(), len(text))
        if closing is None:
            break
        inner = (opening.end(), closing.start())
        if inner[1] - inner[0] > cfg.max_answer_chars:
            tags.append(Box("", opening.start(), closing.end(), False, "answer_tag", too_long=True))
            break
        if any(inner[0] <= box.start < inner[1] for box in boxes):
            holders.append(inner)
        else:
            tags.append(
                Box(text[inner[0] : inner[1]], opening.start(), closing.end(), False, "answer_tag")
            )
        position = closing.end()
    if not tags:
        return boxes, holders
    return sorted(boxes + tags, key=lambda box: box.start), holders


def _tag_context(
    text: str, holders: list[tuple[int, int]], final: list[Box]
) -> tuple[tuple[str, ...], ...]:
    """For each tag content span holding final boxes, its text around those boxes."""
    context = []
    for start, end in holders:
        pieces = []
        position = start
        for box in final:
            if start <= box.start < end and box.kind != "answer_tag":
                pieces.append(text[position : box.start])
                position = min(box.end, end)
        if pieces:
            pieces.append(text[position:end])
            context.append(tuple(pieces))
    return tuple(context)


def _decide(
    final: list[Box], think: list[Box], cfg: RewardConfig
) -> tuple[str | None, str | None, Reason]:
    """Pick the single final answer, or say why there is none.

    Containers that are empty after light normalisation carry no answer and are ignored;
    more than ``max_candidates`` containers (empty ones included) is a hedge unread.
    """
    if any(not box.closed for box in final):
        return None, None, Reason.UNBALANCED_BOX
    if any(box.too_long for box in final):
        return None, None, Reason.ANSWER_TOO_LONG
    if len(final) > cfg.max_candidates:
        return None, None, Reason.MULTIPLE_ANSWERS
    answer = raw = None
    for box in final:
        normalised = normalize_answer(box.content)
        if not says_something(normalised):  # an empty or `...` box holds no answer
            continue
        if answer is None:
            answer, raw = normalised, box.content
        elif box.content != raw and normalised != answer:
            return None, None, Reason.MULTIPLE_ANSWERS
    if answer is None:
        in_think = any(not box.closed or box.too_long or holds_answer(box.content) for box in think)
        return None, None, Reason.ANSWER_IN_THINK if in_think else Reason.NO_ANSWER
    return answer, raw, Reason.OK


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
    if cfg.format_policy == "r1" and not _is_single_answer_tag(text, region_start):
        return 0.0, Reason.BAD_ANSWER_TAG
    return 1.0, Reason.OK


def _is_single_answer_tag(text: str, start: int) -> bool:
    """True if `text[start:]` is exactly one non-empty `<answer>…</answer>` and whitespace."""
    length = len(text)
    folded = _fold(text)
    opening = _find_tag(_ANSWER_OPEN, folded, start, length)
    if opening is None or text[start : opening.start()].strip():
        return False
    closing = _find_tag(_ANSWER_CLOSE, folded, opening.end(), length)
    return (
        closing is not None
        and not text[closing.end() :].strip()
        and _find_tag(_ANSWER_OPEN, folded, opening.end(), length) is None
        and bool(text[opening.end() : closing.start()].strip())
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
    for _ in range(3):  # `The answer is:\n\n(B) right`: the marker's line, else the next one
        line_end = rest.find("\n")
        candidate = (rest if line_end == -1 else rest[:line_end]).strip().strip("*:").strip()
        if candidate or line_end == -1:
            break
        rest = rest[line_end + 1 :]
    return candidate or None
