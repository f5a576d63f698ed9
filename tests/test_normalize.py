"""The light, task-agnostic normalisation of answer text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ssrl_rewards import normalize_answer
from ssrl_rewards.normalize import matching_brace
from tests.strategies import arbitrary_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("B", "B"),
        ("  B  ", "B"),
        ("Ｂ", "B"),
        ("０-２", "0-2"),
        ("B.", "B"),
        ("$B$.", "B"),
        ("\\text{B}.", "B"),
        ("$\\text{0-2-3-1}$ .", "0-2-3-1"),
        ("\\(B\\).", "B"),
        ("$B.$.", "B"),
        ("B..", "B."),
        ("$B$", "B"),
        ("$$B$$", "B"),
        ("\\(B\\)", "B"),
        ("\\text{B}", "B"),
        ("\\textbf{ B }", "B"),
        ("\\mathrm{B}", "B"),
        ("\\mathbf{B}", "B"),
        ("$\\text{B}$", "B"),
        ("\\text{\\text{B}}", "B"),  # nested font commands render as the text
        ("\\text{A} or \\text{B}", "A or B"),  # rendered: still two answers
        ("B\u200b", "B"),
        ("\u202eB", "B"),
        ("\ufeffB", "B"),
        ("0\u00ad-1", "0-1"),
        ("А", "А"),  # Cyrillic look-alike is kept, so it never equals a Latin A
        ("", ""),
        ("$", "$"),
        ("x\ud800", "x\ud800"),
        # one Markdown emphasis, quote or font wrapper around the whole answer
        ("**B**", "B"),
        ("**B**.", "B"),
        ("__B__", "B"),
        ("*B*", "B"),
        ("`B`", "B"),
        ("'B'", "B"),
        ('"B"', "B"),
        ("“B”", "B"),
        ("‘B’", "B"),
        ("'B'.", "B"),
        ("**$B$**", "B"),
        ("\\textit{B}", "B"),
        ("\\texttt{B}", "B"),
        ("\\textsf{B}", "B"),
        ("\\textrm{B}", "B"),
        ("\\emph{B}", "B"),
        ("\\mathit{B}", "B"),
        ("\\mathsf{B}", "B"),
        ("\\mathtt{B}", "B"),
        ("\\textit{B}.", "B"),
        # ... but never two answers joined into one, and never two layers of one kind
        ("**A** or **B**", "A or B"),
        ('"A" or "B"', '"A" or "B"'),
        ("'3'-'0'", "'3'-'0'"),
        ("*A*, *B*", "*A*, *B*"),
        ("$A$ or $B$", "$A$ or $B$"),
        ("$$A$$ or $$B$$", "$$A$$ or $$B$$"),
        ("\\(A\\) or \\(B\\)", "\\(A\\) or \\(B\\)"),
        ("***B***", "B"),  # bold italic
        ("'\"B\"'", '"B"'),
        ("_B_", "_B_"),  # a lone underscore is LaTeX, not Markdown, here
    ],
)
def test_normalize_answer(raw: str, expected: str) -> None:
    assert normalize_answer(raw) == expected


# --- properties ------------------------------------------------------------------------------

_ANSWERS = ["A", "B", "C", "D", "0-2-3-1", "0-3-2-1", "3-1-2", "1-3-2", "3-0", "3-1", "2-0"]
_WRAPPERS = st.sampled_from(
    [("", ""), (" ", " "), ("$", "$"), ("$$", "$$"), ("\\(", "\\)"), ("\\text{", "}"),
     ("\\textbf{", "}"), ("\\mathrm{", "}"), ("\\mathbf{", "}"), ("", "."), ("\u200b", ""),
     ("\ufeff", "\u200d"), ("$\\text{", "}$"), ("$", "$."), ("\\text{", "}."), ("**", "**"),
     ("**", "**."), ("*", "*"), ("__", "__"), ("`", "`"), ("'", "'"), ('"', '"'), ("“", "”"),
     ("\\textit{", "}"), ("\\texttt{", "}"), ("\\mathsf{", "}"), ("**$", "$**")]
)  # fmt: skip


@given(st.sampled_from(_ANSWERS), st.sampled_from(_ANSWERS), _WRAPPERS, st.booleans())
def test_normalisation_never_turns_one_answer_into_another(
    answer: str, other: str, wrapper: tuple[str, str], wide: bool
) -> None:
    text = answer.translate(str.maketrans("0123ABCD", "０１２３ＡＢＣＤ")) if wide else answer
    normalised = normalize_answer(wrapper[0] + text + wrapper[1])
    assert normalised == answer
    if other != answer:
        assert normalised != other


@given(arbitrary_text())
def test_normalisation_never_raises_and_strips(text: str) -> None:
    result = normalize_answer(text)
    assert isinstance(result, str)
    assert result == result.strip()
    assert len(result) <= max(len(text), len(unicodedata.normalize("NFKC", text)))


def _naive_matching_brace(text: str, start: int, stop: int) -> int:
    depth = 1
    for index in range(start, stop):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return -1


@given(
    st.lists(st.sampled_from(["{", "}", "x", "{{", "}}", "\\"]), max_size=60).map("".join),
    st.data(),
)
def test_matching_brace_equals_a_naive_depth_scan(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    stop = data.draw(st.integers(start, len(text)))
    assert matching_brace(text, start, stop) == _naive_matching_brace(text, start, stop)


@pytest.mark.parametrize("depth", [1, 4095, 4096, 4097, 10_000])
@pytest.mark.parametrize("filler", [0, 4090, 8192])
def test_matching_brace_across_block_boundaries(depth: int, filler: int) -> None:
    text = "x" * filler + "{" * (depth - 1) + "A" + "}" * depth + "tail}"
    expected = _naive_matching_brace(text, 0, len(text))
    assert matching_brace(text, 0, len(text)) == expected == filler + 2 * depth - 1
    assert matching_brace(text, 0, expected) == -1


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(["{", "}", "{A}", "x" * 50, "{" * 40, "}" * 40, "\ud800"]),
        min_size=400,
        max_size=3_000,
    ).map("".join),
    st.data(),
)
def test_matching_brace_on_long_regions_equals_a_naive_depth_scan(
    text: str, data: st.DataObject
) -> None:
    """Regions past the vectorised threshold (numpy chunks) agree with the naive scan."""
    start = data.draw(st.integers(0, min(len(text), 50)))
    assert matching_brace(text, start, len(text)) == _naive_matching_brace(text, start, len(text))


@pytest.mark.parametrize("chunks", [1, 2, 3])
def test_matching_brace_across_vector_chunks(chunks: int) -> None:
    pairs = "{A}" * (65_536 * chunks // 3 + 5)
    text = "{" + pairs + "}tail"
    assert matching_brace(text, 1, len(text)) == len(text) - 5
    assert matching_brace(text, 1, len(text) - 5) == -1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("\\small B", "B"), ("B\\hfill", "B"), ("\\textsuperscript{B}", "B"),
     ("\\overline{B}", "B"), ("\\footnote{B}", "B"), ("\\shadowbox{B}", "B"),
     ("\\bbox[yellow]{B}", "B"), ("\\framebox(20,10)[c]{B}", "B"), ("0\\hspace{1em}2", "0 2")],
)  # fmt: skip
def test_layout_size_and_box_commands_render_as_their_text(raw: str, expected: str) -> None:
    assert normalize_answer(raw) == expected
