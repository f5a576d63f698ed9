"""The envelope's word-led tag and box searches equal a plain regex search, on any text."""

from __future__ import annotations

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
    ]
)
_TEXT = st.lists(_PIECES, max_size=40).map("".join)
_TAGS = [
    (envelope._THINK_OPEN, "think"),
    (envelope._THINK_CLOSE, "think"),
    (envelope._THINK_ANY, "think"),
    (envelope._ANSWER_OPEN, "answer"),
    (envelope._ANSWER_CLOSE, "answer"),
]


def _span(match: object) -> tuple[int, int] | None:
    return None if match is None else match.span()  # type: ignore[attr-defined]


@settings(max_examples=300)
@given(_TEXT, st.data())
def test_find_tag_equals_regex_search(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for pattern, word in _TAGS:
        expected = _span(pattern.search(text, start, end))
        assert _span(envelope._find_tag(pattern, word, text, start, end)) == expected


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
    assert _span(envelope._find_tag(envelope._THINK_OPEN, "think", text, 0, len(text))) == (
        400,
        409,
    )
    box = envelope._find_box(text, 0, len(text), True)
    assert box is not None
    assert text[box.start() : box.end()] == "\\boxed {"
