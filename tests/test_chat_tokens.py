"""A decoder may keep chat-template special tokens after the answer (verl and OpenRLHF often
do): they are markup, never an alternative answer, and they never hide one."""

from __future__ import annotations

import pytest

import ssrl_rewards as sr

ANSWER = "<think>Patch 2 holds the sky.</think> \\boxed{0-2-3-1}"
TOKENS = [
    "<|im_end|>",
    "<|endoftext|>",
    "<|eot_id|>",
    "<|end|>",
    "</s>",
    "<eos>",
    "<end_of_turn>",
    "<｜end▁of▁sentence｜>",
    "[/INST]",
    "<|im_end|>\n<|endoftext|><|endoftext|>",
]


@pytest.mark.parametrize("token", TOKENS)
def test_an_end_of_turn_token_after_the_answer_is_not_an_answer(token: str) -> None:
    result = sr.score(ANSWER + token, "0-2-3-1", "shuffle")
    assert (result.score, result.reason) == (1.0, sr.Reason.CORRECT)


@pytest.mark.parametrize("token", TOKENS)
@pytest.mark.parametrize(
    "hedge", [" or \\boxed{0-3-2-1}", " (or possibly 0-3-2-1)", " or maybe 0-3-2-1"]
)
def test_a_special_token_does_not_hide_an_alternative_after_it(token: str, hedge: str) -> None:
    result = sr.score(ANSWER + token + hedge, "0-2-3-1", "shuffle")
    assert result.accuracy == 0.0
    assert result.reason is sr.Reason.MULTIPLE_ANSWERS


def test_the_trl_callable_pays_a_conversational_completion_ending_in_its_eos_token() -> None:
    reward = sr.make_reward_fn("trl")
    got = reward(
        prompts=[[{"role": "user", "content": "Order the patches."}]],
        completions=[[{"role": "assistant", "content": ANSWER + "<|im_end|>"}]],
        answer=["0-2-3-1"],
        task=["shuffle"],
    )
    assert got == [1.0]
