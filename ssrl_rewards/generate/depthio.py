"""Depth maps from the formats RGB-D datasets ship, as float32 (H, W) with NaN = invalid.

- ``.npy``: (H, W) or (H, W, 1); non-finite and non-positive values are invalid. A DIODE
  mask beside it (``x_depth.npy`` + ``x_depth_mask.npy``) marks the valid pixels.
- ``.png``: 16-bit, millimetres, 0 = invalid (robot RGB-D cameras); returned in metres.
- ``.h5`` / ``.hdf5``: MegaDepth, the ``depth`` dataset, 0 = invalid (needs h5py).

Larger values are farther everywhere. Invalid pixels are never chosen as regions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ssrl_rewards.generate.errors import SampleError

__all__ = ["DEPTH_SUFFIXES", "as_depth", "find_depth", "read_depth"]

DEPTH_SUFFIXES = (".npy", ".png", ".h5", ".hdf5")
FloatArray = npt.NDArray[np.float32]


def as_depth(depth: Any, name: str = "depth") -> FloatArray:
    """An (H, W) or (H, W, 1) array as float32 (H, W), non-finite and <= 0 set to NaN."""
    arr = np.asarray(depth)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim != 2 or arr.size == 0:
        raise SampleError(name, f"depth must be an (H, W) or (H, W, 1) array, got {arr.shape}")
    if not np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.complexfloating):
        raise SampleError(name, f"depth must be numeric, got dtype {arr.dtype}")
    out = arr.astype(np.float32, copy=True)
    out[~np.isfinite(out) | (out <= 0)] = np.nan
    return out


def _diode_mask(path: Path) -> Path | None:
    if path.stem.endswith("_depth"):
        mask = path.with_name(path.stem + "_mask" + path.suffix)
        return mask if mask.is_file() else None
    return None


def read_depth(path: str | Path) -> FloatArray:
    """Read a depth map file (see the module docstring); `SampleError` names file and reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    name = str(path)
    try:
        if suffix == ".npy":
            depth = as_depth(np.load(path, allow_pickle=False), name)
            mask_path = _diode_mask(path)
            if mask_path is not None:
                mask = np.load(mask_path, allow_pickle=False)
                mask = mask[:, :, 0] if mask.ndim == 3 else mask
                if mask.shape != depth.shape:
                    # DIODE masks are sometimes wider than the depth: keep the common part
                    if mask.shape[0] == depth.shape[0] and mask.shape[1] >= depth.shape[1]:
                        mask = mask[:, : depth.shape[1]]
                    else:
                        raise SampleError(
                            name,
                            f"mask {mask_path.name} has shape {mask.shape}, "
                            f"depth has {depth.shape}",
                        )
                depth[~mask.astype(bool)] = np.nan
            return depth
        if suffix == ".png":
            return _read_png_mm(path)
        if suffix in (".h5", ".hdf5"):
            return _read_h5(path)
    except SampleError:
        raise
    except (OSError, ValueError) as exc:
        raise SampleError(name, f"cannot read depth: {exc}") from exc
    raise SampleError(name, f"unknown depth format {suffix!r}; expected one of {DEPTH_SUFFIXES}")


def _read_png_mm(path: Path) -> FloatArray:
    from PIL import Image  # noqa: PLC0415 - Pillow is the generate extra

    with Image.open(path) as im:
        if im.mode not in ("I;16", "I;16B", "I;16L", "I"):
            raise SampleError(
                str(path), f"a depth PNG must be 16-bit (millimetres), got mode {im.mode!r}"
            )
        arr = np.asarray(im).astype(np.float32)
    arr[arr <= 0] = np.nan
    return arr / 1000.0


def _read_h5(path: Path) -> FloatArray:
    try:
        import h5py  # noqa: PLC0415 - optional, only for MegaDepth
    except ModuleNotFoundError as exc:
        raise SampleError(
            str(path), "reading MegaDepth .h5 depth needs h5py: pip install h5py"
        ) from exc
    with h5py.File(path, "r") as handle:
        if "depth" not in handle:
            raise SampleError(str(path), f"has no 'depth' dataset (keys: {sorted(handle)})")
        data = np.asarray(handle["depth"][()])
    return as_depth(data, str(path))


def find_depth(image: Path, depth_dir: Path | None) -> Path | None:
    """The depth file for an image: in `depth_dir` by stem (``x.npy``, ``x_depth.npy``,
    ``x.png``, ``x.h5``, ...), else beside the image as ``x_depth.*`` (DIODE layout)."""
    stem = image.stem
    candidates: list[Path] = []
    if depth_dir is not None:
        for base in (stem, stem + "_depth"):
            candidates += [depth_dir / (base + suffix) for suffix in DEPTH_SUFFIXES]
    candidates += [image.with_name(stem + "_depth" + suffix) for suffix in DEPTH_SUFFIXES]
    for candidate in candidates:
        if candidate.is_file() and candidate.resolve() != image.resolve():
            return candidate
    return None
