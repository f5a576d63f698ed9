"""Ground truths: every accepted shape parses, every rejected one raises a useful typed error."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

import ssrl_rewards as sr
from ssrl_rewards import reward
from ssrl_rewards.tasks.flip import FlipAnswer
from ssrl_rewards.tasks.letters import ChoiceAnswer
from ssrl_rewards.tasks.ordering import Ordering

SHUFFLE = Ordering((0, 2, 3, 1), 0)
DEPTH = Ordering((3, 1, 2), 1)
FLIP = FlipAnswer(3, 0)

ACCEPTED: list[tuple[object, str | None, str, object]] = [
    # (ground truth, task given, task used, typed truth)
    ("0-2-3-1", "shuffle", "shuffle", SHUFFLE),
    (" 0-2-3-1 \n", "shuffle", "shuffle", SHUFFLE),
    ("0,2,3,1", "shuffle", "shuffle", SHUFFLE),
    ("0, 2, 3, 1", "shuffle", "shuffle", SHUFFLE),
    ("0 - 2 - 3 - 1", "shuffle", "shuffle", SHUFFLE),
    ("[0, 2, 3, 1]", "shuffle", "shuffle", SHUFFLE),
    ("(0,2,3,1)", "shuffle", "shuffle", SHUFFLE),
    ([0, 2, 3, 1], "shuffle", "shuffle", SHUFFLE),
    ((0, 2, 3, 1), "shuffle", "shuffle", SHUFFLE),
    (["0", "2", "3", "1"], "shuffle", "shuffle", SHUFFLE),
    (np.array([0, 2, 3, 1]), "shuffle", "shuffle", SHUFFLE),
    (np.array([0, 2, 3, 1], dtype=np.int8), "shuffle", "shuffle", SHUFFLE),
    (np.array([0, 2, 3, 1], dtype=np.uint64), "patch_reordering", "shuffle", SHUFFLE),
    ([np.int64(0), np.int64(2), np.int64(3), np.int64(1)], "shuffle", "shuffle", SHUFFLE),
    ("1-2-0", "shuffle", "shuffle", Ordering((1, 2, 0), 0)),
    ("3-1-2", "depth", "depth", DEPTH),
    (np.array([3, 1, 2]), "depth_ordering", "depth", DEPTH),
    ("2-4-1-3", "depth", "depth", Ordering((2, 4, 1, 3), 1)),
    ("3-0", "flip", "flip", FLIP),
    ([3, 0], "flip", "flip", FLIP),
    ("3, 0", "flipped_patch", "flip", FLIP),
    ("B", "crop", "crop", ChoiceAnswer("B")),
    (" b ", "crop", "crop", ChoiceAnswer("B")),
    (np.str_("C"), "position", "position", ChoiceAnswer("C")),
    ("D", "Relative Position", "position", ChoiceAnswer("D")),
    # the task can ride along in a dict or JSON string
    ({"task": "depth", "answer": "3-1-2"}, None, "depth", DEPTH),
    ({"task": "depth", "answer": [3, 1, 2]}, None, "depth", DEPTH),
    ({"task": "depth", "ground_truth": "3-1-2"}, None, "depth", DEPTH),
    ({"task": "depth", "solution": "3-1-2"}, "depth", "depth", DEPTH),
    ({"task": "crop_inpainting", "label": "a"}, None, "crop", ChoiceAnswer("A")),
    ({"answer": "3-0"}, None, "flip", FLIP),
    (json.dumps({"task": "shuffle", "answer": "0-2-3-1"}), None, "shuffle", SHUFFLE),
    (json.dumps({"task": "shuffle", "answer": [0, 2, 3, 1]}), "shuffle", "shuffle", SHUFFLE),
    ('  {"task": "position", "answer": "C"}  ', None, "position", ChoiceAnswer("C")),
]


@pytest.mark.parametrize(("ground_truth", "task", "used", "typed"), ACCEPTED)
def test_accepted_ground_truths_parse_to_the_typed_truth(
    ground_truth: object, task: str | None, used: str, typed: object
) -> None:
    spec, truth = sr.parse_ground_truth(ground_truth, task)
    assert spec.name == used
    assert truth == typed
    completion = f"<think>x</think> \\boxed{{{truth}}}"
    assert sr.score(completion, ground_truth, task).accuracy == 1.0


REJECTED: list[tuple[object, str | None, str, str, str]] = [
    # (ground truth, task, task named in the message, field, value shown)
    ("0-2-3-3", "shuffle", "shuffle", "ground_truth", "'0-2-3-3'"),
    ("1-2-3-4", "shuffle", "shuffle", "ground_truth", "'1-2-3-4'"),
    ("0", "shuffle", "shuffle", "ground_truth", "'0'"),
    ("0 2 3 1", "shuffle", "shuffle", "ground_truth", "'0 2 3 1'"),
    ("0231", "shuffle", "shuffle", "ground_truth", "'0231'"),
    ("abc", "shuffle", "shuffle", "ground_truth", "'abc'"),
    ("", "shuffle", "shuffle", "ground_truth", "''"),
    (None, "shuffle", "shuffle", "ground_truth", "None"),
    (True, "shuffle", "shuffle", "ground_truth", "True"),
    ([0, 2, 3, True], "shuffle", "shuffle", "ground_truth", "True"),
    (np.array([0.0, 2.0, 3.0, 1.0]), "shuffle", "shuffle", "ground_truth", "0.0"),
    (["0", "x", "3", "1"], "shuffle", "shuffle", "ground_truth", "'x' is not one"),
    (["B"], "crop", "crop", "ground_truth", "'B' is not one"),
    (np.array([True, False, True]), "shuffle", "shuffle", "ground_truth", "True is not one"),
    ("0-1-2", "depth", "depth", "ground_truth", "'0-1-2'"),
    ("1-1-2", "depth", "depth", "ground_truth", "'1-1-2'"),
    ("4-0", "flip", "flip", "ground_truth", "'4-0'"),
    ("3-2", "flip", "flip", "ground_truth", "'3-2'"),
    ("3", "flip", "flip", "ground_truth", "'3'"),
    ("3-0-1", "flip", "flip", "ground_truth", "'3-0-1'"),
    ("E", "crop", "crop", "ground_truth", "'E'"),
    ("AB", "crop", "crop", "ground_truth", "'AB'"),
    ("Left", "position", "position", "ground_truth", "'Left'"),
    (3.5, "crop", "crop", "ground_truth", "3.5"),
    (b"B", "crop", "crop", "ground_truth", "b'B'"),
    ("{not json", "depth", "depth", "ground_truth", "'{not json'"),
    ({"task": "crop"}, None, "?", "ground_truth", "'crop'"),
    ({"answer": {"answer": "B"}}, None, "?", "ground_truth", "'B'"),
    ({"task": 3, "answer": "B"}, None, "?", "ground_truth.task", "3"),
    ({"task": "flip", "answer": "3-0"}, "depth", "depth", "ground_truth.task", "'flip'"),
    ('{"task": "flip", "answer": "9-9"}', None, "flip", "ground_truth", "'9-9'"),
    ("xyz", None, "?", "ground_truth", "'xyz'"),
    ("9-9", None, "?", "ground_truth", "'9-9'"),
]


@pytest.mark.parametrize(("ground_truth", "task", "named", "field", "shown"), REJECTED)
def test_rejected_ground_truth_raises_a_typed_error_naming_task_field_and_value(
    ground_truth: object, task: str | None, named: str, field: str, shown: str
) -> None:
    with pytest.raises(sr.GroundTruthError) as info:
        sr.parse_ground_truth(ground_truth, task)
    error = info.value
    assert isinstance(error, ValueError)
    assert (error.task, error.field) == (named, field)
    message = str(error)
    assert message.startswith(f"{named}: {field} ")
    assert shown in message
    assert len(message) < 300
    # score() raises the same error, whatever the completion
    with pytest.raises(sr.GroundTruthError):
        sr.score("<think>x</think> \\boxed{B}", ground_truth, task)


def test_long_ground_truth_values_are_cut_in_messages() -> None:
    with pytest.raises(sr.GroundTruthError) as info:
        sr.parse_ground_truth("x" * 10_000, "crop")
    assert len(str(info.value)) < 200
    assert "..." in str(info.value)


@pytest.mark.parametrize(
    ("ground_truth", "task"), [("B", "nope"), ({"task": "nope", "answer": "B"}, None)]
)
def test_unknown_task_lists_the_known_tasks(ground_truth: Any, task: str | None) -> None:
    with pytest.raises(sr.UnknownTaskError) as info:
        sr.score("\\boxed{B}", ground_truth, task)
    message = str(info.value)
    assert "nope" in message
    for name in sr.task_names():
        assert name in message
    assert isinstance(info.value, KeyError)


def test_parsed_ground_truths_are_cached_per_value() -> None:
    reward._resolve.cache_clear()
    reward._parse_string_truth.cache_clear()
    for _ in range(5):
        sr.score("<think>x</think> \\boxed{0-2-3-1}", "0-2-3-1", "shuffle")
    parsed = reward._resolve.cache_info()
    looked_up = reward._parse_string_truth.cache_info()
    # parsed once, then found in one lookup
    assert (parsed.misses, parsed.hits) == (1, 0)
    assert (looked_up.misses, looked_up.hits) == (1, 4)


def test_task_aliases_and_dataset_folder_names_resolve() -> None:
    names = {
        "shuffle": ["shuffle", "patch_reordering", "Shuffled Patch Reordering", "jigsaw"],
        "flip": ["flip", "flipped_patch", "Flipped-Patch-Recognition"],
        "crop": ["crop", "crop_inpainting", "cropped_patch_inpainting"],
        "depth": ["depth", "depth_ordering", "Regional Depth Ordering"],
        "position": ["position", "relative_position", "Relative-3D-Position"],
    }
    for canonical, aliases in names.items():
        for alias in aliases:
            assert sr.get_task(alias).name == canonical, alias


@pytest.mark.parametrize("name", ["z" * 2_000_000, ["shuffle"] * 100_000])
def test_a_huge_task_argument_is_quoted_short(name: object) -> None:
    """`get_task` quotes a huge `task=` in a few dozen characters, not in full."""
    from ssrl_rewards.registry import get_task  # noqa: PLC0415

    with pytest.raises(sr.UnknownTaskError) as info:
        get_task(name)
    message = str(info.value)
    assert len(message) < 400
    assert "..." in message
    for known in sr.task_names():
        assert known in message
