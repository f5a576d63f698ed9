"""The envelope's leapfrogging tag and box searches equal a plain regex search, on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ssrl_rewards import envelope

_PIECES = st.sampled_from(
    [
        "<",
        ">",
        "/",
        " ",
        "\n",
        "\u3000",
        "think",
        "answer",
        "boxed",
        "fbox",
        "\\",
        "{",
        "}",
        "<think>",
        "</think>",
        "< / think >",
        "<answer>",
        "</ answer>",
        "\\boxed{",
        "\\fbox {",
        "x",
        "thinks",
        "t",
        "<<",
        "\\\\boxed{",
        "k",
        "w",
        "k>",
        "/",
        "< /",
        "\\fbox ",
        "\\{",
        "answe",
        "thin",
        "\t",
        "ANSWER",
        "Answer",
        "W",
        "İ",
        ' class="x"',
        "\\colorbox{",
        "\\fcolorbox{",
        "{red}",
        "\\framebox",
        "[2cm]",
        "[",
        "]",
        "\\ovalbox{",
        "     ",
        "THINK",
    ]
)
_TEXT = st.lists(_PIECES, max_size=40).map("".join)
_TAGS = [
    envelope._THINK_OPEN,
    envelope._THINK_CLOSE,
    envelope._THINK_ANY,
    envelope._ANSWER_OPEN,
    envelope._ANSWER_CLOSE,
]


def _span(match: object) -> tuple[int, int] | None:
    return None if match is None else match.span()  # type: ignore[attr-defined]


@settings(max_examples=300)
@given(_TEXT, st.data())
def test_find_tag_equals_regex_search(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    folded = envelope._fold(text)
    for pattern in _TAGS:
        expected = _span(pattern.search(text, start, end))
        hay = folded if pattern.flags & re.IGNORECASE else text  # answer tags: any case
        assert _span(envelope._find_tag(pattern, hay, start, end)) == expected


@settings(max_examples=300)
@given(_TEXT, st.data(), st.booleans())
def test_find_box_equals_regex_search(text: str, data: st.DataObject, fbox: bool) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    pattern = envelope._BOX if fbox else envelope._BOXED_ONLY
    assert _span(envelope._find_box(text, start, end, fbox)) == _span(
        pattern.search(text, start, end)
    )


def test_searches_find_candidates_past_the_probe_limit() -> None:
    text = "</think>" * 50 + "< think >" + "\\boxed" * 50 + "\\boxed {A}"
    assert _span(envelope._find_tag(envelope._THINK_OPEN, text, 0, len(text))) == (
        400,
        409,
    )
    box = envelope._find_box(text, 0, len(text), True)
    assert box is not None
    assert text[box.start() : box.end()] == "\\boxed {"


_FLOOD_UNITS = st.sampled_from(
    ["<think>", "</think>", "<answer>", "</answer>", "\\fbox ", "\\", "\\{", "< / think ",
     "k>", "<k", "{", "/", "\\boxed ", "<w>", "thin<k>", "\\colorbox{", "\\colorbox{x}",
     "\\framebox[", "<answer a", "</ANSWER>", "\\fcolorbox{a}{"]
)  # fmt: skip
_NEEDLES = st.sampled_from(["", "<think>", "</ think>", "<answer>", "</answer>", "\\boxed{",
                            "\\fbox {", "<ANSWER>", "<answer class='x'>", "\\colorbox{y}{",
                            "\\framebox[1cm]{", "\\fcolorbox{a}{b}{", "\\ovalbox {"])  # fmt: skip


@settings(max_examples=200)
@given(_FLOOD_UNITS, st.integers(0, 40), _NEEDLES, st.integers(0, 40), st.booleans())
def test_searches_equal_regex_search_in_floods(
    unit: str, before: int, needle: str, after: int, fbox: bool
) -> None:
    """Floods of near-misses (past the probe limit) around one real tag or box."""
    text = unit * before + needle + unit * after
    folded = envelope._fold(text)
    for pattern in _TAGS:
        expected = _span(pattern.search(text, 0, len(text)))
        hay = folded if pattern.flags & re.IGNORECASE else text
        assert _span(envelope._find_tag(pattern, hay, 0, len(text))) == expected
    box_pattern = envelope._BOX if fbox else envelope._BOXED_ONLY
    assert _span(envelope._find_box(text, 0, len(text), fbox)) == _span(box_pattern.search(text))
