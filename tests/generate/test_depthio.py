"""Depth readers: every format gives float32 (H, W), larger = farther, NaN where invalid."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.generate.needs import need

need("PIL")
from PIL import Image  # noqa: E402

from ssrl_rewards.generate import SampleError, find_depth, make_sample, read_depth  # noqa: E402
from ssrl_rewards.generate.dataset import find_sources  # noqa: E402
from ssrl_rewards.generate.scenes import scene  # noqa: E402


def test_npy_plain_and_with_a_channel(tmp_path: Path) -> None:
    depth = np.array([[1.0, 2.0], [0.0, np.inf]], dtype=np.float64)
    np.save(tmp_path / "a.npy", depth)
    np.save(tmp_path / "b.npy", depth[:, :, None])
    for name in ("a.npy", "b.npy"):
        out = read_depth(tmp_path / name)
        assert out.dtype == np.float32 and out.shape == (2, 2)
        assert out[0, 0] == 1.0 and out[0, 1] == 2.0
        assert np.isnan(out[1, 0]) and np.isnan(out[1, 1])


def test_diode_mask_marks_valid_pixels(tmp_path: Path) -> None:
    depth = np.arange(1, 7, dtype=np.float32).reshape(2, 3, 1)
    mask = np.array([[1, 0, 1, 1], [1, 1, 0, 1]], dtype=np.float32)  # wider, as DIODE can be
    np.save(tmp_path / "x_depth.npy", depth)
    np.save(tmp_path / "x_depth_mask.npy", mask)
    out = read_depth(tmp_path / "x_depth.npy")
    assert np.isnan(out[0, 1]) and np.isnan(out[1, 2])
    assert np.isfinite(out).sum() == 4
    np.save(tmp_path / "y_depth.npy", depth)
    np.save(tmp_path / "y_depth_mask.npy", np.ones((5, 5)))
    with pytest.raises(SampleError, match="mask"):
        read_depth(tmp_path / "y_depth.npy")


def test_png_16_bit_millimetres_zero_invalid(tmp_path: Path) -> None:
    mm = np.array([[0, 1500], [65535, 250]], dtype=np.uint16)
    Image.fromarray(mm).save(tmp_path / "d.png")
    out = read_depth(tmp_path / "d.png")
    assert np.isnan(out[0, 0])
    np.testing.assert_allclose(out[0, 1], 1.5)
    np.testing.assert_allclose(out[1, 0], 65.535)
    Image.fromarray(np.zeros((2, 2), dtype=np.uint8)).save(tmp_path / "rgb.png")
    with pytest.raises(SampleError, match="16-bit"):
        read_depth(tmp_path / "rgb.png")


def test_megadepth_h5(tmp_path: Path) -> None:
    h5py = need("h5py")
    with h5py.File(tmp_path / "m.h5", "w") as handle:
        handle["depth"] = np.array([[0.0, 3.0], [4.0, 5.0]], dtype=np.float32)
    out = read_depth(tmp_path / "m.h5")
    assert np.isnan(out[0, 0]) and out[1, 1] == 5.0
    with h5py.File(tmp_path / "bad.h5", "w") as handle:
        handle["other"] = np.ones((2, 2))
    with pytest.raises(SampleError, match="'depth'"):
        read_depth(tmp_path / "bad.h5")


def test_unreadable_and_unknown_files_raise_sample_errors(tmp_path: Path) -> None:
    (tmp_path / "broken.npy").write_bytes(b"not numpy")
    with pytest.raises(SampleError, match=r"broken\.npy"):
        read_depth(tmp_path / "broken.npy")
    (tmp_path / "d.exr").write_bytes(b"")
    with pytest.raises(SampleError, match="unknown depth format"):
        read_depth(tmp_path / "d.exr")
    np.save(tmp_path / "e.npy", np.ones((2, 2, 3)))
    with pytest.raises(SampleError, match=r"\(H, W\)"):
        read_depth(tmp_path / "e.npy")


def test_find_depth_pairs_images_with_their_maps(tmp_path: Path) -> None:
    images, depths = tmp_path / "imgs", tmp_path / "depths"
    images.mkdir()
    depths.mkdir()
    for stem in ("a", "b", "c"):
        (images / f"{stem}.jpg").write_bytes(b"")
    np.save(depths / "a.npy", np.ones((2, 2)))
    (depths / "b.h5").write_bytes(b"")
    np.save(images / "c_depth.npy", np.ones((2, 2)))  # DIODE: beside the image
    assert find_depth(images / "a.jpg", depths) == depths / "a.npy"
    assert find_depth(images / "b.jpg", depths) == depths / "b.h5"
    assert find_depth(images / "c.jpg", None) == images / "c_depth.npy"
    assert find_depth(images / "a.jpg", None) is None


def test_a_16_bit_png_depth_drives_a_depth_sample(tmp_path: Path) -> None:
    rgb, depth = scene(3)
    Image.fromarray(np.round(depth * 1000).astype(np.uint16)).save(tmp_path / "d.png")
    read = read_depth(tmp_path / "d.png")
    sample = make_sample("depth", rgb, read, seed=0)
    values = [float(depth[y, x]) for x, y in sample.meta["points"]]
    order = sorted(range(3), key=lambda k: values[k])
    assert sample.answer == "-".join(str(k + 1) for k in order)


def test_sources_skip_depth_maps_stored_under_the_image_directory(tmp_path: Path) -> None:
    (tmp_path / "rgb").mkdir()
    (tmp_path / "depth").mkdir()
    rgb, depth = scene(0)
    Image.fromarray(rgb).save(tmp_path / "rgb" / "a.png")
    Image.fromarray(np.round(depth * 1000).astype(np.uint16)).save(tmp_path / "depth" / "a.png")
    np.save(tmp_path / "rgb" / "b_depth.npy", depth)
    sources = find_sources([tmp_path], tmp_path / "depth")
    assert [(Path(s.image).name, Path(s.depth or "").name) for s in sources] == [("a.png", "a.png")]
    assert Path(sources[0].depth or "").parent.name == "depth"
