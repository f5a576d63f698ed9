"""Small procedural RGB-D scenes: the embedded default input, so a fresh machine can try
the generator without any data.

Each scene is a textured ground plane receding to a horizon, a sky, and a few boxes at
different depths, with an exact depth map (metres, larger = farther). Only numpy is
used and a scene index always gives the same scene.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["DEFAULT_SCENES", "scene"]

DEFAULT_SCENES = 8
_SIZE = (320, 240)


def scene(
    index: int, size: tuple[int, int] = _SIZE
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float32]]:
    """(RGB uint8 (H, W, 3), depth float32 (H, W)) of procedural scene `index`."""
    width, height = size
    rng = np.random.default_rng([2510, index])
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    horizon = height * rng.uniform(0.3, 0.45)
    # ground: depth grows towards the horizon; sky: far and constant
    below = yy > horizon
    ground_depth = 2.0 + 40.0 / np.maximum((yy - horizon) / (height - horizon) * 20.0, 0.5)
    depth = np.where(below, ground_depth, 60.0).astype(np.float32)
    base_ground = rng.uniform(60, 160, 3)
    sky_top, sky_low = rng.uniform(120, 200, 3), rng.uniform(180, 250, 3)
    t = (yy / max(horizon, 1.0))[..., None]
    sky = sky_top * (1 - t) + sky_low * t
    stripes = 25 * np.sin(xx / rng.uniform(6, 14) + yy / rng.uniform(9, 20))[..., None]
    ground = base_ground + stripes + 20 * ((xx // 16 + yy // 12) % 2)[..., None]
    rgb = np.where(below[..., None], ground, sky)
    # a sun or cloud so the sky is not symmetric
    cx, cy = rng.uniform(0.1, 0.9) * width, rng.uniform(0.1, 0.8) * horizon
    sun = np.hypot(xx - cx, yy - cy) < rng.uniform(8, 18)
    rgb[sun] = rng.uniform(200, 255, 3)
    # boxes standing on the ground: nearer ones lower and bigger, each at constant depth
    for _ in range(int(rng.integers(3, 6))):
        foot = rng.uniform(horizon + 0.15 * (height - horizon), height - 2)
        d = 2.0 + 40.0 / max((foot - horizon) / (height - horizon) * 20.0, 0.5)
        box_h = int(np.clip(1200.0 / (d * 4.0 + 10.0) * rng.uniform(0.8, 1.6), 12, height // 2))
        box_w = int(box_h * rng.uniform(0.6, 1.6))
        x0 = int(rng.uniform(0, width - box_w))
        y1 = int(foot)
        y0 = max(0, y1 - box_h)
        colour = rng.uniform(30, 230, 3)
        region = (slice(y0, y1), slice(x0, x0 + box_w))
        shade = np.linspace(1.0, 0.7, box_w, dtype=np.float32)[None, :, None]
        rgb[region] = colour * shade
        rgb[y0 : y0 + max(2, box_h // 8), x0 : x0 + box_w] = colour * 0.5  # a darker top
        depth[region] = d
    rgb += rng.normal(0, 6, rgb.shape)
    return np.clip(rgb, 0, 255).astype(np.uint8), depth.astype(np.float32)
