"""The envelope's `str.find` fast path agrees with its general path on every input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ssrl_rewards import RewardConfig, envelope

_PIECES = st.sampled_from(
    ["<think>", "</think>", " ", "\n", "x", "I think so", "\\boxed{", "\\boxed{A}", "}", "{",
     "0-2-3-1", "\\", "<", "B", "\\text{B}", "$", "\u3000", "\\fbox{C}"]
)
_CONFIGS = st.sampled_from(
    [RewardConfig(), RewardConfig(format_policy="none"), RewardConfig(max_answer_chars=3)]
)


def _general(text: str, cfg: RewardConfig) -> envelope.Envelope:
    """The general path, with the shortcut switched off."""
    original = envelope._fast_envelope
    envelope._fast_envelope = lambda text, cfg: None  # type: ignore[assignment]
    try:
        return envelope.parse_envelope(text, cfg)
    finally:
        envelope._fast_envelope = original


@settings(max_examples=400)
@given(st.lists(_PIECES, max_size=12).map("".join), _CONFIGS)
def test_fast_path_equals_general_path(text: str, cfg: RewardConfig) -> None:
    fast = envelope._fast_envelope(text, cfg)
    if fast is not None:
        assert fast == _general(text, cfg)


@given(st.sampled_from(["\\boxed{0-2-3-1}", "\\boxed{ B }", "\\boxed{\\text{B}}"]),
       st.sampled_from(["", "  ", "\n"]), st.text(alphabet="abc .\n", min_size=1))
def test_common_shapes_take_the_fast_path(box: str, lead: str, reasoning: str) -> None:
    text = f"{lead}<think>{reasoning}</think> So: {box}"
    cfg = RewardConfig()
    expected = _general(text, cfg)
    fast = envelope._fast_envelope(text, cfg)
    if any(char.isalpha() for char in reasoning) and "\\text" not in box:  # says something
        assert fast is not None
    assert envelope.parse_envelope(text, cfg) == expected


_INNER = st.sampled_from(
    [" ", "\n", "x", "I think", "\\boxed{", "\\boxed{A}", "}", "{", "0-2-3-1", "\\", "B",
     "\\text{B}", "$", "\u3000", "\\fbox{C}", "\\boxed {B}", "answer is B", ".", "\\boxed{}"]
)
_ALL_CONFIGS = st.sampled_from(
    [RewardConfig(), RewardConfig(format_policy="none"), RewardConfig(max_answer_chars=3),
     RewardConfig(lenient_fallback=True), RewardConfig(fbox=False), RewardConfig(answer_tags=False)]
)


@settings(max_examples=600)
@given(
    st.sampled_from(["", " ", "\n", "x"]),
    st.lists(_INNER, max_size=5).map("".join),
    st.sampled_from(["", "</think>"]),
    st.lists(_INNER, max_size=6).map("".join),
    _ALL_CONFIGS,
)
def test_fast_path_equals_general_path_on_think_shaped_text(
    lead: str, reasoning: str, close: str, tail: str, cfg: RewardConfig
) -> None:
    text = f"{lead}<think>{reasoning}{close}{tail}"
    fast = envelope._fast_envelope(text, cfg)
    if fast is not None:
        assert fast == _general(text, cfg)
