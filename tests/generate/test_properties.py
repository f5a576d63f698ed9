"""Properties over random inputs: any image (and depth map) gives either a sample that
verifies and repeats for its seed, or a `SampleError`; never another exception."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.generate.needs import need

need("PIL")
from ssrl_rewards import score  # noqa: E402
from ssrl_rewards.generate import SampleError, make_sample, oracle_completion  # noqa: E402

TASKS = ("shuffle", "flip", "crop", "depth", "position", "rotation")


@st.composite
def rgbd(draw: Any) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """A random image of 24..200 px a side: smooth colour ramps, blocks and noise, and a
    depth map of planes and steps with holes (NaN and 0) in it."""
    height = draw(st.integers(24, 200))
    width = draw(st.integers(24, 200))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    kind = draw(st.sampled_from(["noise", "ramps", "flat", "blocks"]))
    if kind == "noise":
        rgb = rng.integers(0, 256, (height, width, 3))
    elif kind == "flat":
        rgb = np.full((height, width, 3), rng.integers(0, 256))
    else:
        rgb = np.stack([xx * rng.uniform(0, 3), yy * rng.uniform(0, 3), xx + yy], axis=2)
        if kind == "blocks":
            rgb += 80 * ((xx // rng.integers(4, 20) + yy // rng.integers(4, 20)) % 2)[..., None]
    depth = 1 + yy * rng.uniform(-0.05, 0.1) + xx * rng.uniform(-0.05, 0.05)
    depth += 5 * (xx > rng.uniform(0, width))
    holes = rng.random((height, width)) < draw(st.sampled_from([0.0, 0.01, 0.5, 1.0]))
    depth[holes] = draw(st.sampled_from([np.nan, 0.0, -1.0]))
    return np.clip(rgb, 0, 255).astype(np.uint8), depth


@settings(max_examples=60)
@given(rgbd(), st.sampled_from(TASKS), st.integers(0, 2**31))
def test_a_sample_verifies_and_repeats_or_the_input_is_refused(
    data: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]], task: str, seed: int
) -> None:
    rgb, depth = data
    try:
        sample = make_sample(task, rgb, depth, seed=seed, name="random")
    except SampleError as exc:
        assert exc.source == "random" and exc.reason
        event(f"{task}: refused")
        return
    event(f"{task}: made")
    again = make_sample(task, rgb, depth, seed=seed)
    assert again.answer == sample.answer and again.meta == sample.meta
    assert (
        score(oracle_completion(sample.answer), sample.answer, task, prompt=sample.prompt).score
        == 1.0
    )
    assert sample.question.count("<image>") == len(sample.images)
    for image in sample.images:
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3
    if task in ("depth", "position"):
        points = sample.meta["points"]
        xy = points if task == "depth" else list(points.values())
        assert all(np.isfinite(depth[y, x]) and depth[y, x] > 0 for x, y in xy)
