"""Generate the five Spatial-SSRL pretext tasks from a lab's own RGB and RGB-D images.

Needs the ``generate`` extra (Pillow; h5py only for MegaDepth ``.h5`` depth):
``pip install "ssrl-rewards[generate]"``. Never imported by ``import ssrl_rewards``.

>>> from ssrl_rewards.generate import make_sample
>>> from ssrl_rewards.generate.scenes import scene
>>> rgb, depth = scene(0)
>>> sample = make_sample("depth", rgb, depth, seed=1)
>>> sorted(sample.answer.split("-")), len(sample.images), sample.question.count("<image>")
(['1', '2', '3'], 1, 1)
"""

from __future__ import annotations

try:
    import PIL  # noqa: F401
except ModuleNotFoundError as exc:  # pragma: no cover - exercised without Pillow only
    raise ModuleNotFoundError(
        "ssrl_rewards.generate needs Pillow: pip install 'ssrl-rewards[generate]'", name="PIL"
    ) from exc

from ssrl_rewards.generate.depthio import find_depth, read_depth
from ssrl_rewards.generate.errors import GenerateError, SampleError, VerificationError
from ssrl_rewards.generate.sample import (
    GENERATED_TASKS,
    POSITION_KINDS,
    SHUFFLE_LAYOUTS,
    Sample,
    load_image,
    make_sample,
    oracle_completion,
    verify_sample,
)

__all__ = [
    "GENERATED_TASKS",
    "POSITION_KINDS",
    "SHUFFLE_LAYOUTS",
    "GenerateError",
    "Sample",
    "SampleError",
    "VerificationError",
    "find_depth",
    "load_image",
    "make_sample",
    "oracle_completion",
    "read_depth",
    "verify_sample",
]
