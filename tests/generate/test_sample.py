"""Pixel-level oracle tests: each answer is checked against the pixels it was made from.

For every layout the shuffled image reassembled by the answer gives back the source;
flipping the named patch back restores it; the crop candidate at the answer's letter is
the cut-out; the depth order matches the depth map at the meta points; the position
answer follows from meta and the depth map by the paper's table (written out again here,
independently of the generator). Pixels under drawn labels, borders and markers
(``meta["marks"]``) are left out of the comparisons.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.generate.needs import need

need("PIL")
from PIL import Image  # noqa: E402

from ssrl_rewards import parse_options, score  # noqa: E402
from ssrl_rewards.generate import (  # noqa: E402
    GenerateError,
    SampleError,
    make_sample,
    oracle_completion,
)
from ssrl_rewards.generate.scenes import scene  # noqa: E402

SEEDS = range(6)
SCENES = range(4)
LAYOUTS = ["2x2", "2x2-masked", "1x3", "1x4", "3x1", "4x1", "3x3", "2x3-masked"]


def mark_mask(shape: tuple[int, ...], marks: list[list[int]]) -> np.ndarray[Any, Any]:
    mask = np.zeros(shape[:2], dtype=bool)
    for x0, y0, x1, y1 in marks:
        mask[y0:y1, x0:x1] = True
    return mask


def labels(answer: str) -> list[int]:
    return [int(part) for part in answer.split("-")]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("index", SCENES)
def test_shuffle_reassembled_by_the_answer_gives_back_the_source(layout: str, index: int) -> None:
    rgb, _ = scene(index)
    for seed in SEEDS:
        sample = make_sample("shuffle", rgb, seed=seed, layout=layout)
        rows, cols = sample.meta["rows"], sample.meta["cols"]
        shown = sample.images[0]
        ph, pw = shown.shape[0] // rows, shown.shape[1] // cols
        hidden = mark_mask(shown.shape, sample.meta["marks"])
        order = labels(sample.answer)
        assert sorted(order) == list(range(rows * cols))
        assert order != list(range(rows * cols)), "identity permutation"
        rebuilt = np.zeros_like(shown)
        rebuilt_hidden = np.zeros_like(hidden)
        for slot, label in enumerate(order):
            r, c = divmod(slot, cols)
            lr, lc = divmod(label, cols)
            src = (slice(lr * ph, (lr + 1) * ph), slice(lc * pw, (lc + 1) * pw))
            dst = (slice(r * ph, (r + 1) * ph), slice(c * pw, (c + 1) * pw))
            rebuilt[dst] = shown[src]
            rebuilt_hidden[dst] = hidden[src] | (label == sample.meta["masked"])
        source = rgb[: rows * ph, : cols * pw]
        compare = ~rebuilt_hidden
        assert compare.mean() > 0.5
        np.testing.assert_array_equal(rebuilt[compare], source[compare])
        if sample.meta["masked"] is not None:
            m = sample.meta["masked"]
            r, c = divmod(m, cols)
            slot_pixels = shown[r * ph : (r + 1) * ph, c * pw : (c + 1) * pw]
            visible = ~hidden[r * ph : (r + 1) * ph, c * pw : (c + 1) * pw]
            assert (slot_pixels[visible] == 255).all()


def test_shuffle_never_the_identity_and_every_layout_drawn() -> None:
    rgb, _ = scene(0)
    seen = set()
    for seed in range(300):
        sample = make_sample("shuffle", rgb, seed=seed)
        seen.add(sample.meta["layout"])
        assert labels(sample.answer) != sorted(labels(sample.answer))
    assert seen == {"2x2", "2x2-masked", "1x3", "1x4", "3x1", "4x1"}


@pytest.mark.parametrize("index", SCENES)
def test_flipping_the_named_patch_back_restores_the_source(index: int) -> None:
    rgb, _ = scene(index)
    seen = set()
    for seed in range(12):
        sample = make_sample("flip", rgb, seed=seed)
        label, direction = labels(sample.answer)
        seen.add((label, direction))
        shown = sample.images[0].copy()
        hidden = mark_mask(shown.shape, sample.meta["marks"])
        ph, pw = shown.shape[0] // 2, shown.shape[1] // 2
        r, c = divmod(label, 2)
        region = (slice(r * ph, (r + 1) * ph), slice(c * pw, (c + 1) * pw))
        undo = (lambda a: a[::-1]) if direction == 0 else (lambda a: a[:, ::-1])
        shown[region] = undo(shown[region])
        hidden[region] = hidden[region] | undo(hidden[region])
        source = rgb[: 2 * ph, : 2 * pw]
        np.testing.assert_array_equal(shown[~hidden], source[~hidden])
        # and the patch as shown really differs from the source patch
        assert not np.array_equal(sample.images[0][region], source[region])
    assert {d for _, d in seen} == {0, 1}


@pytest.mark.parametrize("index", SCENES)
def test_crop_candidate_at_the_answer_letter_is_the_cut_out(index: int) -> None:
    rgb, _ = scene(index)
    letters = set()
    for seed in SEEDS:
        sample = make_sample("crop", rgb, seed=seed)
        x0, y0, x1, y1 = sample.meta["box"]
        assert x1 - x0 == y1 - y0 == min(rgb.shape[:2]) // 2
        assert len(sample.images) == 5
        letter = "ABCD".index(sample.answer)
        letters.add(sample.answer)
        np.testing.assert_array_equal(sample.images[1 + letter], rgb[y0:y1, x0:x1])
        for k, candidate in enumerate(sample.images[1:]):
            assert candidate.shape == (y1 - y0, x1 - x0, 3)
            if k != letter:
                assert not np.array_equal(candidate, rgb[y0:y1, x0:x1])
        question = sample.images[0]
        assert (question[y0:y1, x0:x1] == 0).all()
        outside = np.ones(rgb.shape[:2], dtype=bool)
        outside[y0:y1, x0:x1] = False
        np.testing.assert_array_equal(question[outside], rgb[outside])
        assert sample.meta["candidates"][letter] == "correct"
    assert len(letters) > 1


@pytest.mark.parametrize("index", SCENES)
def test_depth_order_matches_the_depth_map_at_the_meta_points(index: int) -> None:
    rgb, depth = scene(index)
    for seed in SEEDS:
        sample = make_sample("depth", rgb, depth, seed=seed)
        points = sample.meta["points"]
        values = [float(depth[y, x]) for x, y in points]
        assert all(np.isfinite(values))
        nearest_first = sorted(range(3), key=lambda k: values[k])
        assert sample.answer == "-".join(str(k + 1) for k in nearest_first)
        assert len(set(values)) == 3
        hidden = mark_mask(rgb.shape, sample.meta["marks"])
        assert all(hidden[y, x] for x, y in points)  # a marker is drawn on each point
        np.testing.assert_array_equal(sample.images[0][~hidden], rgb[~hidden])


# The paper's table (reference/tasks.md), written out independently of the generator.
TABLE_X = {  # camera faces -> (dx >= 0, dx < 0)
    "left": ("Back", "Front"),
    "right": ("Front", "Back"),
    "towards": ("Left", "Right"),
    "away": ("Right", "Left"),
}
TABLE_D = {  # camera faces -> (dd >= 0, dd < 0)
    "left": ("Right", "Left"),
    "right": ("Left", "Right"),
    "towards": ("Back", "Front"),
    "away": ("Front", "Back"),
}


def expected_position(meta: dict[str, Any], depth: np.ndarray[Any, Any]) -> str:
    camera = meta["camera"]
    target = "2" if camera == "1" else "1"
    (cx, cy), (tx, ty) = meta["points"][camera], meta["points"][target]
    dx = tx - cx
    dd = float(depth[ty, tx]) - float(depth[cy, cx])
    x_word = TABLE_X[meta["facing"]][0 if dx >= 0 else 1]
    d_word = TABLE_D[meta["facing"]][0 if dd >= 0 else 1]
    if meta["kind"] == "near":
        return x_word
    if meta["kind"] == "far_same_x":
        return d_word
    words = {x_word, d_word}
    lateral = ({"Left", "Right"} & words).pop()
    sagittal = ({"Front", "Back"} & words).pop()
    return f"{lateral}-{sagittal}"


@pytest.mark.parametrize("kind", ["near", "far_same_x", "far_diff_x", None])
@pytest.mark.parametrize("index", SCENES)
def test_position_answer_follows_from_meta_and_depth(kind: str | None, index: int) -> None:
    rgb, depth = scene(index)
    height, width = depth.shape
    made = 0
    for seed in SEEDS:
        try:
            sample = make_sample("position", rgb, depth, seed=seed, layout=kind)
        except SampleError:
            continue
        made += 1
        meta = sample.meta
        if kind is not None:
            assert meta["kind"] == kind
        options = parse_options(sample.question)
        assert options is not None and list(options.values()) == meta["options"]
        assert options[sample.answer] == expected_position(meta, depth)
        (x1, y1), (x2, y2) = meta["points"]["1"], meta["points"]["2"]
        d1, d2 = float(depth[y1, x1]), float(depth[y2, x2])
        if meta["kind"] == "near":
            assert abs(x1 - x2) >= min(height, width) // 8
        else:
            assert d1 != d2
        if meta["kind"] == "far_same_x":
            assert abs(x1 - x2) <= 0.15 * width
        if meta["kind"] == "far_diff_x":
            assert abs(x1 - x2) > 0.15 * width
        assert f"camera at position '{meta['camera']}'" in sample.question
    assert made > 0


@pytest.mark.parametrize("task", ["shuffle", "flip", "crop", "depth", "position", "rotation"])
def test_samples_are_deterministic_and_oracle_scores_one(task: str) -> None:
    rgb, depth = scene(1)
    rgb_before, depth_before = rgb.copy(), depth.copy()
    first = make_sample(task, rgb, depth, seed=7)
    again = make_sample(task, rgb, depth, seed=7)
    assert first.answer == again.answer and first.meta == again.meta
    assert all(np.array_equal(a, b) for a, b in zip(first.images, again.images, strict=True))
    assert first.prompt.startswith(first.question) and "\\boxed{}" in first.prompt
    assert first.question.count("<image>") == len(first.images)
    np.testing.assert_array_equal(rgb, rgb_before)  # the caller's arrays are never drawn on
    np.testing.assert_array_equal(depth, depth_before)
    result = score(oracle_completion(first.answer), first.answer, task, prompt=first.prompt)
    assert result.score == 1.0
    # a wrong answer of the same shape does not score
    answers = {make_sample(task, rgb, depth, seed=s).answer for s in range(30)}
    assert len(answers) > 1
    wrong = sorted(answers - {first.answer})[0]
    result = score(oracle_completion(wrong), first.answer, task, prompt=first.prompt)
    assert result.score < 1.0


# PIL's ROTATE_90 turns counterclockwise: undoing a clockwise turn of a degrees is a
# counterclockwise turn of a degrees (written with PIL, independently of the generator)
_CCW = {
    0: None,
    90: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_270,
}


def turn_back(picture: np.ndarray[Any, Any], degrees: int, direction: str) -> np.ndarray[Any, Any]:
    """`picture` turned by `degrees` against `direction`, losslessly."""
    undo = degrees if direction == "clockwise" else (360 - degrees) % 360
    method = _CCW[undo]
    image = Image.fromarray(picture)
    return np.asarray(image if method is None else image.transpose(method))


@pytest.mark.parametrize("direction", [None, "clockwise", "counterclockwise"])
@pytest.mark.parametrize("index", SCENES)
def test_rotating_back_by_the_answer_restores_the_source(direction: str | None, index: int) -> None:
    rgb, _ = scene(index)
    seen = set()
    for seed in range(12):
        sample = make_sample("rotation", rgb, seed=seed, layout=direction)
        stated = direction or "clockwise"
        assert sample.meta == {"angle": int(sample.answer), "direction": stated, "marks": []}
        assert len(sample.images) == 1 and sample.question.count("<image>") == 1
        # the question names its direction and never the other one
        other = "counterclockwise" if stated == "clockwise" else "clockwise"
        assert f"rotated {stated} by" in sample.question
        assert other not in sample.question.replace(stated, "")
        np.testing.assert_array_equal(turn_back(sample.images[0], int(sample.answer), stated), rgb)
        for wrong in {0, 90, 180, 270} - {int(sample.answer)}:
            back = turn_back(sample.images[0], wrong, stated)
            assert back.shape != rgb.shape or not np.array_equal(back, rgb)
        seen.add(sample.answer)
    assert seen == {"0", "90", "180", "270"}  # 0 is an answer, as in SSL4RL


def test_rotation_answers_in_the_other_direction_read_against_the_question() -> None:
    rgb, _ = scene(3)
    sample = next(
        s for s in (make_sample("rotation", rgb, seed=k) for k in range(20)) if s.answer == "90"
    )
    prompt = sample.prompt
    for text, accuracy in [
        ("\\boxed{90}", 1.0),
        ("\\boxed{90^\\circ}", 1.0),
        ("\\boxed{90° clockwise}", 1.0),
        ("\\boxed{270 counterclockwise}", 1.0),
        ("\\boxed{90 counterclockwise}", 0.0),
        ("\\boxed{270}", 0.0),
        ("\\boxed{90 or 270}", 0.0),
    ]:
        result = score(f"<think>turned</think> {text}", sample.answer, "rotation", prompt=prompt)
        assert result.accuracy == accuracy, (text, result.reason)
    # the row's answer is read as a rotation from the answer and question alone
    inferred = score(oracle_completion(sample.answer), sample.answer, None, prompt=prompt)
    assert inferred.score == 1.0


def test_image_as_array_pil_or_path_and_depth_with_a_channel(tmp_path: Path) -> None:
    rgb, depth = scene(2)
    path = tmp_path / "scene.png"
    Image.fromarray(rgb).save(path)
    base = make_sample("depth", rgb, depth, seed=3)
    for image in (Image.fromarray(rgb), path, str(path)):
        other = make_sample("depth", image, depth[:, :, None], seed=3)
        assert other.answer == base.answer and other.meta == base.meta


def test_inputs_that_cannot_give_a_sample_raise_typed_errors_naming_them() -> None:
    rgb, depth = scene(0)
    with pytest.raises(SampleError, match="needs a depth map") as info:
        make_sample("depth", rgb, name="frame_0042.png")
    assert info.value.source == "frame_0042.png"
    with pytest.raises(SampleError, match="no valid pixels"):
        make_sample("depth", rgb, np.full(depth.shape, np.nan), name="x")
    with pytest.raises(SampleError, match="constant"):
        make_sample("position", rgb, np.ones(depth.shape), name="x")
    with pytest.raises(SampleError, match="depth map is"):
        make_sample("depth", rgb, depth[:100], name="x")
    flat = np.full((96, 96, 3), 128, dtype=np.uint8)
    for task in ("flip", "crop", "shuffle", "rotation"):
        with pytest.raises(SampleError, match=r"flat|identical|symmetric|looks the same"):
            make_sample(task, flat, name="grey.png")
    with pytest.raises(SampleError, match="too small"):
        make_sample("shuffle", rgb[:60, :200], layout="4x1")
    with pytest.raises(SampleError, match="only 40x24 pixels"):
        make_sample("crop", rgb[:24, :40])
    with pytest.raises(SampleError, match="uint8"):
        make_sample("crop", rgb.astype(np.float32))
    with pytest.raises(GenerateError, match="layout"):
        make_sample("shuffle", rgb, layout="2by2")
    with pytest.raises(GenerateError, match=r"3\.\.36"):
        make_sample("shuffle", rgb, layout="1x2")
    with pytest.raises(GenerateError, match="generator makes"):
        make_sample("choice", rgb)
    with pytest.raises(GenerateError, match="non-negative"):
        make_sample("crop", rgb, seed=-3)
    # a depth region is never chosen on invalid pixels
    holed = depth.copy()
    holed[:, : depth.shape[1] // 2] = 0
    for seed in SEEDS:
        try:
            sample = make_sample("depth", rgb, holed, seed=seed)
        except SampleError:
            continue
        assert all(x >= depth.shape[1] // 2 for x, _ in sample.meta["points"])


def test_import_ssrl_rewards_does_not_import_the_generator_or_pillow() -> None:
    code = (
        "import sys, ssrl_rewards; "
        "print(any(m.startswith(('ssrl_rewards.generate', 'PIL')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("task", "layout", "phrases"),
    [
        (
            "shuffle",
            "2x2",
            [
                "4 shuffled patches labeled 0, 1, 2, and 3",
                "'TopLeft-TopRight-BottomLeft-BottomRight'",
            ],
        ),
        ("shuffle", "2x2-masked", ["masked in white", "'TopLeft-TopRight-BottomLeft-BottomRight'"]),
        ("shuffle", "1x3", ["horizontal strips labeled 0, 1, and 2", "'Left-Middle-Right'"]),
        ("shuffle", "1x4", ["horizontal strips", "'Left-Middle1-Middle2-Right'"]),
        ("shuffle", "3x1", ["vertical strips", "'Top-Middle-Bottom'"]),
        ("shuffle", "4x1", ["vertical strips", "'Top-Middle1-Middle2-Bottom'"]),
        ("flip", None, ["'Label-Direction'", "0(flipped vertically) or 1(flipped horizontally)"]),
        (
            "crop",
            None,
            ["missing part in the first image <image>?", "<image><image><image><image>"],
        ),
        ("depth", None, ["three regions marked as 1, 2, and 3", "'Smallest-Middle-Largest'"]),
        ("position", "near", ["two regions marked as 1, and 2", "According to the camera"]),
        ("rotation", None, ["<image>The image has been rotated clockwise by 0, 90, 180", "'270'"]),
    ],
)
def test_questions_follow_the_paper_templates(
    task: str, layout: str | None, phrases: list[str]
) -> None:
    rgb, depth = scene(0)
    sample = make_sample(task, rgb, depth, seed=0, layout=layout)
    for phrase in phrases:
        assert phrase in sample.question
    assert sample.prompt.endswith("The final answer MUST BE put in \\boxed{}.")
    far = "ignore the height difference" in sample.question
    assert far == (task == "position" and sample.meta["kind"] != "near")
