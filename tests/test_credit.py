"""Partial credit: Kendall against scipy as an oracle, chance levels by exhaustive enumeration."""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import kendalltau

import ssrl_rewards as sr
from ssrl_rewards.credit import exact_credit, kendall_credit, positionwise_credit


def _scipy_credit(pred: list[int], truth: list[int]) -> float:
    """Kendall credit from scipy: (1 + tau) / 2 over the positions of each label."""
    position_in_pred = {label: index for index, label in enumerate(pred)}
    position_in_truth = {label: index for index, label in enumerate(truth)}
    labels = sorted(truth)
    tau = kendalltau(
        [position_in_truth[label] for label in labels],
        [position_in_pred[label] for label in labels],
    ).statistic
    return (1.0 + float(tau)) / 2.0


@st.composite
def _permutation_pairs(draw: st.DrawFn, max_n: int = 9) -> tuple[list[int], list[int]]:
    n = draw(st.integers(2, max_n))
    return draw(st.permutations(range(n))), draw(st.permutations(range(n)))


@given(_permutation_pairs())
def test_kendall_equals_scipy_kendalltau(pair: tuple[list[int], list[int]]) -> None:
    pred, truth = pair
    assert kendall_credit(pred, truth) == pytest.approx(_scipy_credit(pred, truth), abs=1e-12)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_kendall_equals_scipy_on_every_pair_of_small_permutations(n: int) -> None:
    for truth in itertools.permutations(range(n)):
        for pred in itertools.permutations(range(n)):
            expected = _scipy_credit(list(pred), list(truth))
            assert kendall_credit(pred, truth) == pytest.approx(expected, abs=1e-12)


def test_long_orderings_take_the_scipy_path_and_agree() -> None:

    rng = random.Random(7)
    truth = list(range(100))
    pred = truth[:]
    rng.shuffle(pred)
    assert kendall_credit(pred, truth) == pytest.approx(_scipy_credit(pred, truth), abs=1e-9)
    assert kendall_credit(truth, truth) == 1.0
    assert kendall_credit(truth[::-1], truth) == pytest.approx(0.0, abs=1e-12)


@given(_permutation_pairs())
def test_every_credit_is_one_iff_exact_and_stays_in_unit_interval(
    pair: tuple[list[int], list[int]],
) -> None:
    pred, truth = pair
    for credit in (exact_credit, positionwise_credit, kendall_credit):
        value = credit(pred, truth)
        assert 0.0 <= value <= 1.0
        assert (value == 1.0) == (pred == truth)


@pytest.mark.parametrize(
    ("pred", "truth"), [([0, 1], [0, 1, 2]), ([0, 0, 1], [0, 1, 2]), ([3, 1, 2], [0, 1, 2])]
)
def test_kendall_gives_nothing_when_label_sets_differ(pred: list[int], truth: list[int]) -> None:
    assert kendall_credit(pred, truth) == 0.0


def test_positionwise_gives_nothing_for_a_length_mismatch_or_empty_truth() -> None:
    assert positionwise_credit([0, 2], [0, 2, 1]) == 0.0
    assert positionwise_credit([], []) == 0.0
    assert positionwise_credit([0, 1, 2], [0, 2, 1]) == pytest.approx(1 / 3)


def _chance(credit: str, truth: str, task: str, answers: list[str]) -> Fraction:
    cfg = sr.RewardConfig(credit=credit)
    total = Fraction(0)
    for answer in answers:
        result = sr.score(f"<think>x</think> \\boxed{{{answer}}}", truth, task, config=cfg)
        total += Fraction(result.accuracy).limit_denominator(1000)
    return total / len(answers)


def _orderings(labels: range) -> list[str]:
    return ["-".join(map(str, p)) for p in itertools.permutations(labels)]


CHANCE = [
    # task, truth, answer space, credit, expected mean accuracy of a uniform valid guess
    ("shuffle", "0-2-3-1", _orderings(range(4)), "exact", Fraction(1, 24)),
    ("shuffle", "0-2-3-1", _orderings(range(4)), "positionwise", Fraction(1, 4)),
    ("shuffle", "0-2-3-1", _orderings(range(4)), "kendall", Fraction(1, 2)),
    ("shuffle", "2-0-1", _orderings(range(3)), "exact", Fraction(1, 6)),
    ("shuffle", "2-0-1", _orderings(range(3)), "positionwise", Fraction(1, 3)),
    ("shuffle", "2-0-1", _orderings(range(3)), "kendall", Fraction(1, 2)),
    ("depth", "3-1-2", _orderings(range(1, 4)), "exact", Fraction(1, 6)),
    ("depth", "3-1-2", _orderings(range(1, 4)), "positionwise", Fraction(1, 3)),
    ("depth", "3-1-2", _orderings(range(1, 4)), "kendall", Fraction(1, 2)),
    ("flip", "3-0", [f"{a}-{d}" for a in range(4) for d in (0, 1)], "exact", Fraction(1, 8)),
    ("flip", "3-0", [f"{a}-{d}" for a in range(4) for d in (0, 1)], "positionwise", Fraction(3, 8)),
    ("flip", "3-0", [f"{a}-{d}" for a in range(4) for d in (0, 1)], "kendall", Fraction(3, 8)),
    ("crop", "B", list("ABCD"), "exact", Fraction(1, 4)),
    ("crop", "B", list("ABCD"), "kendall", Fraction(1, 4)),
    ("position", "B", list("ABCD"), "positionwise", Fraction(1, 4)),
]


@pytest.mark.parametrize(("task", "truth", "space", "credit", "expected"), CHANCE)
def test_chance_level_by_exhaustive_enumeration(
    task: str, truth: str, space: list[str], credit: str, expected: Fraction
) -> None:
    assert _chance(credit, truth, task, space) == expected


@pytest.mark.parametrize("task", ["shuffle", "depth", "flip", "crop", "position"])
def test_chance_levels_documented_on_the_spec_match_enumeration(task: str) -> None:
    spec = sr.get_task(task)
    for credit in ("exact", "positionwise", "kendall"):
        documented = spec.chance[credit]
        rows = [row for row in CHANCE if row[0] == task and row[3] == credit]
        for _, _, space, _, expected in rows:
            n = len(space[0].split("-"))
            if documented.startswith("1/n!"):
                assert expected == Fraction(1, math.factorial(n))
            elif documented == "1/n":
                assert expected == Fraction(1, n)
            else:
                assert Fraction(documented) == expected


def test_flip_partial_credit_is_half_for_label_and_half_for_direction() -> None:
    cfg = sr.RewardConfig(credit="positionwise")
    expected = {"3-0": 1.0, "3-1": 0.5, "2-0": 0.5, "2-1": 0.0}
    for answer, accuracy in expected.items():
        result = sr.score(f"<think>x</think> \\boxed{{{answer}}}", "3-0", "flip", config=cfg)
        assert result.accuracy == accuracy
        assert (
            result.reason
            is {1.0: sr.Reason.CORRECT, 0.5: sr.Reason.PARTIAL, 0.0: sr.Reason.WRONG}[accuracy]
        )


def test_partial_credit_never_pays_invalid_or_hedged_orderings() -> None:
    for credit in ("positionwise", "kendall"):
        cfg = sr.RewardConfig(credit=credit)
        for answer in ("0-2-3-3", "0-2-3", "0-2-3-1 or 0-2-1-3", "0-2-3-1-4"):
            result = sr.score(f"<think>x</think> \\boxed{{{answer}}}", "0-2-3-1", config=cfg)
            assert result.accuracy == 0.0, (credit, answer)
