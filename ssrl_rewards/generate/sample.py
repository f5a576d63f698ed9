"""`make_sample`: one pretext-task question, its verifiable answer and its images.

The answer strings are built with the library's own task types (`Ordering` with the
task's label base, `FlipAnswer`, the option `LETTERS`) and every sample is checked by
`verify_sample` through `ssrl_rewards.score`, so the generator and the verifier cannot
drift apart.

Randomness comes only from ``numpy.random.default_rng(seed)``: a seed always gives the
same sample. Coordinates in `Sample.meta` are ``[x, y]`` pixels of the input image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

from ssrl_rewards.config import make_config
from ssrl_rewards.generate import templates as tpl
from ssrl_rewards.generate.depthio import as_depth
from ssrl_rewards.generate.errors import GenerateError, SampleError, VerificationError
from ssrl_rewards.registry import canonical_task_name
from ssrl_rewards.reward import parse_ground_truth, score
from ssrl_rewards.tasks.flip import FlipAnswer
from ssrl_rewards.tasks.letters import LETTERS
from ssrl_rewards.tasks.ordering import Ordering
from ssrl_rewards.tasks.rotation import ANGLES, Rotation

__all__ = [
    "CROP_DISTRACTORS",
    "GENERATED_TASKS",
    "PAPER_TASKS",
    "POSITION_KINDS",
    "ROTATION_DIRECTIONS",
    "SHUFFLE_LAYOUTS",
    "Sample",
    "load_image",
    "make_sample",
    "oracle_completion",
    "verify_sample",
]

UInt8Array = npt.NDArray[np.uint8]
FloatArray = npt.NDArray[np.float32]

# The paper's five pretext tasks, then the tasks that followed it (made on request only).
PAPER_TASKS: tuple[str, ...] = ("shuffle", "flip", "crop", "depth", "position")
GENERATED_TASKS: tuple[str, ...] = (*PAPER_TASKS, "rotation")
DEPTH_TASKS = frozenset({"depth", "position"})
# The paper's layouts (Table 6) and how often each occurs in its data (strip counts split
# evenly between 3 and 4 strips).
SHUFFLE_LAYOUTS: dict[str, float] = {
    "2x2": 4000,
    "2x2-masked": 4028,
    "1x3": 4991 / 2,
    "1x4": 4991 / 2,
    "3x1": 3009 / 2,
    "4x1": 3009 / 2,
}
POSITION_KINDS: tuple[str, ...] = ("near", "far_same_x", "far_diff_x")
CROP_DISTRACTORS: tuple[str, ...] = (
    "rotate_left",
    "rotate_right",
    "interior",
    "exterior_0.25",
    "exterior_0.5",
    "shifted",
)
# The direction a rotation question states (the `layout` of the rotation task); clockwise
# unless asked.
ROTATION_DIRECTIONS: tuple[str, ...] = ("clockwise", "counterclockwise")
# Facing weights of the released generator (left, right, towards, away).
_FACINGS = ("left", "right", "towards", "away")
_FACING_P = np.array([30, 30, 30, 10], dtype=float) / 100
_LAYOUT = re.compile(r"([1-9][0-9]?)x([1-9][0-9]?)(-masked)?")
_MIN_PATCH = 24  # a label (10 px font at least) must fit inside a piece
_MAX_PIECES = 36
_MIN_DIFF = 2.0  # mean absolute difference (0-255) below which two pictures look alike
_ORACLE_THINK = "<think>The construction of the sample gives the answer.</think> "


@dataclass
class Sample:
    """One generated question.

    ``prompt`` is ``question`` plus the GRPO answer-format sentence; ``question`` has one
    ``<image>`` token per entry of ``images`` (question image first; for crop the four
    candidates follow, A-D). ``answer`` is the canonical ground-truth string.
    """

    task: str
    prompt: str
    answer: str
    images: list[UInt8Array]
    meta: dict[str, Any] = field(default_factory=dict)
    question: str = ""


# --- inputs -----------------------------------------------------------------------------------


def load_image(image: Any, name: str | None = None) -> tuple[UInt8Array, str]:
    """(H, W, 3) uint8 RGB from an array, a PIL image or a path; and a name for errors."""
    if isinstance(image, (str, Path)):
        label = name or str(image)
        try:
            with Image.open(image) as im:
                return np.asarray(im.convert("RGB")).copy(), label
        except (OSError, ValueError, Image.DecompressionBombError) as exc:
            raise SampleError(label, f"cannot read image: {exc}") from exc
    if isinstance(image, Image.Image):
        return np.asarray(image.convert("RGB")).copy(), name or "image"
    label = name or "image"
    arr = np.asarray(image)
    if arr.ndim == 2:
        arr = np.repeat(arr[:, :, None], 3, axis=2)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise SampleError(label, f"image must be an (H, W, 3) RGB array, got shape {arr.shape}")
    if arr.dtype != np.uint8:
        raise SampleError(label, f"image must be uint8, got dtype {arr.dtype}")
    return np.ascontiguousarray(arr[:, :, :3]), label


# --- drawing ----------------------------------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled scalable font at `size` pixels (not the tiny bitmap fallback)."""
    return ImageFont.load_default(size=size)


def _box(box: tuple[float, float, float, float], width: int, height: int) -> list[int]:
    """A drawn region as [x0, y0, x1, y1] (end exclusive), padded by one pixel, clipped."""
    x0, y0, x1, y1 = box
    return [
        max(0, int(np.floor(x0)) - 1),
        max(0, int(np.floor(y0)) - 1),
        min(width, int(np.ceil(x1)) + 2),
        min(height, int(np.ceil(y1)) + 2),
    ]


def _label_patches(
    canvas: UInt8Array, slots: list[tuple[int, int, int, int]], labels: list[str]
) -> list[list[int]]:
    """Red borders and outlined white labels on each slot (x0, y0, x1, y1); the marks."""
    height, width = canvas.shape[:2]
    marks: list[list[int]] = []
    side = min(min(x1 - x0, y1 - y0) for x0, y0, x1, y1 in slots)
    thick = max(1, side // 100)
    for x0, y0, x1, y1 in slots:
        canvas[y0 : y0 + thick, x0:x1] = (255, 0, 0)
        canvas[y1 - thick : y1, x0:x1] = (255, 0, 0)
        canvas[y0:y1, x0 : x0 + thick] = (255, 0, 0)
        canvas[y0:y1, x1 - thick : x1] = (255, 0, 0)
        marks += [
            [x0, y0, x1, y0 + thick],
            [x0, y1 - thick, x1, y1],
            [x0, y0, x0 + thick, y1],
            [x1 - thick, y0, x1, y1],
        ]
    pil = Image.fromarray(canvas)
    draw = ImageDraw.Draw(pil)
    size = int(np.clip(side // 6, 10, 64))
    font = _font(size)
    stroke = max(1, size // 12)
    for (x0, y0, _x1, _y1), text in zip(slots, labels, strict=True):
        at = (x0 + thick + max(2, size // 5), y0 + thick + max(1, size // 8))
        draw.text(at, text, font=font, fill="white", stroke_width=stroke, stroke_fill="black")
        marks.append(_box(draw.textbbox(at, text, font=font, stroke_width=stroke), width, height))
    canvas[...] = np.asarray(pil)
    return marks


def _draw_markers(
    image: UInt8Array, points: list[tuple[int, int]], labels: list[str]
) -> tuple[UInt8Array, list[list[int]]]:
    """Circled numbers (white disc, black ring) centred on (x, y) points; the marks."""
    height, width = image.shape[:2]
    radius = max(7, min(height, width) // 32)
    pil = Image.fromarray(image)
    draw = ImageDraw.Draw(pil)
    font = _font(max(8, int(radius * 1.3)))
    marks: list[list[int]] = []
    for (x, y), text in zip(points, labels, strict=True):
        box = (x - radius, y - radius, x + radius, y + radius)
        draw.ellipse(box, fill="white", outline="black", width=max(1, radius // 6))
        draw.text((x, y), text, font=font, fill="black", anchor="mm")
        marks.append(_box(box, width, height))
    return np.asarray(pil).copy(), marks


def _resize(arr: UInt8Array, side: int) -> UInt8Array:
    return np.asarray(Image.fromarray(arr).resize((side, side), Image.Resampling.BILINEAR))


def _differs(a: UInt8Array, b: UInt8Array) -> bool:
    return a.shape != b.shape or float(np.abs(a.astype(np.int16) - b).mean()) >= _MIN_DIFF


# --- shuffle ----------------------------------------------------------------------------------


def _parse_layout(layout: str | None, rng: np.random.Generator) -> tuple[str, int, int, bool]:
    if layout is None:
        names = list(SHUFFLE_LAYOUTS)
        weights = np.array(list(SHUFFLE_LAYOUTS.values()))
        layout = names[int(rng.choice(len(names), p=weights / weights.sum()))]
    match = _LAYOUT.fullmatch(layout)
    if match is None:
        raise GenerateError(
            f"shuffle: layout={layout!r} is not ROWSxCOLS[-masked] "
            f"(e.g. {', '.join(SHUFFLE_LAYOUTS)})"
        )
    rows, cols = int(match.group(1)), int(match.group(2))
    if not 3 <= rows * cols <= _MAX_PIECES:
        raise GenerateError(
            f"shuffle: layout={layout!r} must cut 3..{_MAX_PIECES} pieces "
            "(two pieces would read as a flip answer)"
        )
    return layout, rows, cols, match.group(3) is not None


def _shuffle(img: UInt8Array, name: str, rng: np.random.Generator, layout: str | None) -> Sample:
    layout, rows, cols, masked = _parse_layout(layout, rng)
    height, width = img.shape[:2]
    ph, pw = height // rows, width // cols
    if min(ph, pw) < _MIN_PATCH:
        raise SampleError(name, f"{width}x{height} is too small for a {layout} cut")
    n = rows * cols
    patches = [
        img[r * ph : (r + 1) * ph, c * pw : (c + 1) * pw] for r in range(rows) for c in range(cols)
    ]
    white = np.full_like(patches[0], 255)
    shown = [*patches, white] if masked else patches
    for i in range(len(shown)):
        for j in range(i + 1, len(shown)):
            if np.array_equal(shown[i], shown[j]):
                raise SampleError(name, f"pieces {i} and {j} of the {layout} cut are identical")
    perm = rng.permutation(n)
    while np.array_equal(perm, np.arange(n)):
        perm = rng.permutation(n)
    slot_masked = int(rng.integers(n)) if masked else None
    canvas = np.empty((rows * ph, cols * pw, 3), dtype=np.uint8)
    slots: list[tuple[int, int, int, int]] = []
    for k in range(n):
        r, c = divmod(k, cols)
        piece = white if k == slot_masked else patches[int(perm[k])]
        canvas[r * ph : (r + 1) * ph, c * pw : (c + 1) * pw] = piece
        slots.append((c * pw, r * ph, (c + 1) * pw, (r + 1) * ph))
    marks = _label_patches(canvas, slots, [str(k) for k in range(n)])
    answer = str(Ordering(tuple(int(v) for v in np.argsort(perm)), 0))
    question = tpl.shuffle_question(rows, cols, masked)
    meta = {
        "layout": layout,
        "rows": rows,
        "cols": cols,
        "masked": slot_masked,
        "permutation": [int(v) for v in perm],
        "marks": marks,
    }
    return Sample("shuffle", "", answer, [canvas], meta, question)


# --- flip -------------------------------------------------------------------------------------


def _flip(img: UInt8Array, name: str, rng: np.random.Generator, layout: str | None) -> Sample:
    if layout not in (None, "2x2"):
        raise GenerateError(f"flip: layout={layout!r}; the flip task has only the 2x2 grid")
    height, width = img.shape[:2]
    ph, pw = height // 2, width // 2
    if min(ph, pw) < _MIN_PATCH:
        raise SampleError(name, f"{width}x{height} is too small for a 2x2 grid")
    canvas = img[: 2 * ph, : 2 * pw].copy()  # never draw on the caller's array
    first = (int(rng.integers(4)), int(rng.integers(2)))
    choices = [first, (first[0], 1 - first[1])]  # then the other direction, then any
    choices += [(int(k) // 2, int(k) % 2) for k in rng.permutation(8)]
    for label, direction in choices:
        r, c = divmod(label, 2)
        patch = canvas[r * ph : (r + 1) * ph, c * pw : (c + 1) * pw]
        flipped = patch[::-1] if direction == 0 else patch[:, ::-1]
        if _differs(patch, flipped):
            canvas[r * ph : (r + 1) * ph, c * pw : (c + 1) * pw] = flipped.copy()
            break
    else:
        raise SampleError(name, "every patch looks the same flipped (symmetric or flat image)")
    slots = [(c * pw, r * ph, (c + 1) * pw, (r + 1) * ph) for r in range(2) for c in range(2)]
    marks = _label_patches(canvas, slots, ["0", "1", "2", "3"])
    answer = str(FlipAnswer(label, direction))
    meta = {"rows": 2, "cols": 2, "patch": label, "direction": direction, "marks": marks}
    return Sample("flip", "", answer, [canvas], meta, tpl.flip_question())


# --- crop -------------------------------------------------------------------------------------


def _distractor(
    kind: str, img: UInt8Array, box: tuple[int, int, int], rng: np.random.Generator
) -> UInt8Array | None:
    x0, y0, side = box
    height, width = img.shape[:2]
    crop = img[y0 : y0 + side, x0 : x0 + side]
    if kind == "rotate_left":
        return np.ascontiguousarray(np.rot90(crop, 1))
    if kind == "rotate_right":
        return np.ascontiguousarray(np.rot90(crop, -1))
    if kind == "interior":
        q = side // 4
        return _resize(np.ascontiguousarray(crop[q : side - q, q : side - q]), side)
    if kind.startswith("exterior"):
        m = side // 4 if kind.endswith("0.25") else side // 2
        rows = slice(max(0, y0 - m), min(height, y0 + side + m))
        cols = slice(max(0, x0 - m), min(width, x0 + side + m))
        region = img[rows, cols]
        return _resize(np.ascontiguousarray(region), side)
    # shifted: the same size, half a side away in one of eight directions, inside the image
    step = side // 2
    offsets = [(dx, dy) for dx in (-step, 0, step) for dy in (-step, 0, step) if (dx, dy) != (0, 0)]
    inside = [
        (x0 + dx, y0 + dy)
        for dx, dy in offsets
        if 0 <= x0 + dx <= width - side and 0 <= y0 + dy <= height - side
    ]
    if not inside:
        return None
    sx, sy = inside[int(rng.integers(len(inside)))]
    shifted: UInt8Array = img[sy : sy + side, sx : sx + side].copy()
    return shifted


def _crop(img: UInt8Array, name: str, rng: np.random.Generator, layout: str | None) -> Sample:
    if layout is not None:
        raise GenerateError(f"crop: layout={layout!r}; the crop task has no layouts")
    height, width = img.shape[:2]
    side = min(height, width) // 2
    if side < _MIN_PATCH:
        raise SampleError(name, f"{width}x{height} is too small to cut a square")
    x0 = int(rng.integers(0, width - side + 1))
    y0 = int(rng.integers(0, height - side + 1))
    correct = img[y0 : y0 + side, x0 : x0 + side].copy()
    chosen: list[tuple[str, UInt8Array]] = []
    for k in rng.permutation(len(CROP_DISTRACTORS)):
        kind = CROP_DISTRACTORS[int(k)]
        picture = _distractor(kind, img, (x0, y0, side), rng)
        if picture is None or not _differs(picture, correct):
            continue
        if all(_differs(picture, other) for _, other in chosen):
            chosen.append((kind, picture))
        if len(chosen) == 3:
            break
    else:
        raise SampleError(name, "fewer than three distractors differ from the cut-out (flat image)")
    slot = int(rng.integers(4))
    chosen.insert(slot, ("correct", correct))
    question_image = img.copy()
    question_image[y0 : y0 + side, x0 : x0 + side] = 0
    meta = {
        "box": [x0, y0, x0 + side, y0 + side],
        "candidates": [kind for kind, _ in chosen],
        "marks": [],
    }
    images = [question_image, *(picture for _, picture in chosen)]
    return Sample("crop", "", LETTERS[slot], images, meta, tpl.crop_question())


# --- depth helpers ----------------------------------------------------------------------------


def _normalise(depth: FloatArray, name: str) -> FloatArray:
    """Depth scaled by its 0.5 / 99.5 percentiles to [0, 1]; outside and invalid are NaN."""
    valid = np.isfinite(depth)
    if valid.sum() < 16:
        raise SampleError(name, "depth map has (almost) no valid pixels")
    low, high = np.percentile(depth[valid], [0.5, 99.5])
    if not high > low:
        raise SampleError(name, "depth map is constant: no depth ordering to ask about")
    norm = (depth - low) / (high - low)
    norm[~valid | (norm < 0) | (norm > 1)] = np.nan
    out: FloatArray = norm.astype(np.float32)
    return out


def _window_stats(
    norm: FloatArray, size: int
) -> tuple[npt.NDArray[np.bool_], FloatArray, FloatArray]:
    """Per pixel: whether its size x size window is inside the image and fully valid, and
    the window's min and max of normalised depth."""
    from scipy import ndimage  # noqa: PLC0415 - scipy is imported lazily library-wide

    # an invalid pixel or the image edge in a window makes its min -inf and its max +inf
    invalid = np.isnan(norm)
    inf = np.float32(np.inf)
    low = ndimage.minimum_filter(
        np.where(invalid, -inf, norm), size=size, mode="constant", cval=-inf
    )
    high = ndimage.maximum_filter(
        np.where(invalid, inf, norm), size=size, mode="constant", cval=inf
    )
    ok = np.isfinite(low) & np.isfinite(high)
    return ok, low, high


def _odd(value: float, least: int) -> int:
    n = max(least, round(value))
    return n if n % 2 else n + 1


def _check_depth(depth: Any, img: UInt8Array, name: str, task: str) -> FloatArray:
    if depth is None:
        raise SampleError(name, f"the {task} task needs a depth map")
    arr = as_depth(depth, f"{name} (depth)")
    if arr.shape != img.shape[:2]:
        raise SampleError(
            name,
            f"depth map is {arr.shape[1]}x{arr.shape[0]}, image is {img.shape[1]}x{img.shape[0]}",
        )
    return arr


# --- depth ordering ---------------------------------------------------------------------------

_BANDS = ((0.0, 0.3), (0.35, 0.65), (0.7, 1.0))


def _depth(
    img: UInt8Array, depth: Any, name: str, rng: np.random.Generator, layout: str | None
) -> Sample:
    if layout is not None:
        raise GenerateError(f"depth: layout={layout!r}; the depth task has no layouts")
    raw = _check_depth(depth, img, name, "depth")
    norm = _normalise(raw, name)
    height, width = raw.shape
    radius = max(7, min(height, width) // 32)
    # the paper's flatness rule on DIODE (25 px, range < 0.15; fallback 11 px, < 0.2),
    # scaled to the image size
    tests = [(_odd(min(height, width) / 30, 5), 0.15), (_odd(min(height, width) / 70, 3), 0.2)]
    stats: dict[int, tuple[npt.NDArray[np.bool_], FloatArray]] = {}  # the fallback on demand
    inside = np.zeros((height, width), dtype=bool)  # markers stay whole inside the image
    inside[radius : height - radius, radius : width - radius] = True
    chosen: list[tuple[int, int]] = []
    for low_band, high_band in _BANDS:
        in_band = inside & (norm >= low_band) & (norm <= high_band)
        point = None
        for size, thr in tests:
            if size not in stats:
                ok, low, high = _window_stats(norm, size)
                stats[size] = (ok, high - low)
            ok, spread = stats[size]
            candidates = np.argwhere(in_band & ok & (spread < thr))
            if chosen and len(candidates):
                ys, xs = candidates[:, 0], candidates[:, 1]
                far = np.ones(len(candidates), dtype=bool)
                for cy, cx in chosen:
                    far &= np.hypot(ys - cy, xs - cx) >= 3 * radius
                candidates = candidates[far]
            if len(candidates):
                y, x = candidates[int(rng.integers(len(candidates)))]
                point = (int(y), int(x))
                break
        if point is None:
            raise SampleError(
                name, f"no flat region with normalised depth in [{low_band}, {high_band}]"
            )
        chosen.append(point)
    # chosen[r] has depth rank r + 1 (nearest first); markers go to ranks in random order
    ranks = [int(v) for v in rng.permutation(3)]  # marker label i + 1 sits on chosen[ranks[i]]
    points = [chosen[r] for r in ranks]
    labelled, marks = _draw_markers(img, [(x, y) for y, x in points], ["1", "2", "3"])
    answer = str(Ordering(tuple(ranks.index(r) + 1 for r in range(3)), 1))
    meta = {"points": [[x, y] for y, x in points], "marks": marks}
    return Sample("depth", "", answer, [labelled], meta, tpl.depth_question(3))


# --- relative position ------------------------------------------------------------------------


def _position(
    img: UInt8Array, depth: Any, name: str, rng: np.random.Generator, layout: str | None
) -> Sample:
    if layout is not None and layout not in POSITION_KINDS:
        raise GenerateError(f"position: layout={layout!r} is not one of {POSITION_KINDS}")
    raw = _check_depth(depth, img, name, "position")
    norm = _normalise(raw, name)
    height, width = raw.shape
    short = min(height, width)
    size = _odd(short / 50, 5)
    ok, low, high = _window_stats(norm, size)
    flat = ok & ((high - low) <= 0.15)
    # block centres on a grid, within the central 90% of the image (the released rule)
    stride = max(1, size // 2)
    grid = np.zeros_like(flat)
    y_lo, y_hi = int(0.05 * height), int(0.95 * height)
    x_lo, x_hi = int(0.05 * width), int(0.95 * width)
    grid[y_lo:y_hi:stride, x_lo:x_hi:stride] = True
    cand = np.argwhere(flat & grid)
    if len(cand) < 2:
        raise SampleError(name, "fewer than two flat blocks with valid depth")
    ys, xs = cand[:, 0], cand[:, 1]
    lows, highs = low[ys, xs], high[ys, xs]
    min_dist = short // 8
    same_x = 0.15 * width  # 150 px of a ~1000 px MegaDepth image
    near_y = height / 32  # 30 px of a ~1000 px MegaDepth image
    kinds = [layout] if layout else [POSITION_KINDS[int(k)] for k in rng.permutation(3)]
    pair = None
    for kind in kinds:
        firsts = rng.permutation(len(cand))[:64]
        for i in firsts:
            dx = np.abs(xs - xs[i])
            dy = np.abs(ys - ys[i])
            if kind == "near":
                good = (
                    (np.abs(highs[i] - lows) <= 0.25)
                    & (np.abs(highs - lows[i]) <= 0.25)
                    & (dy < near_y)
                    & (dx >= min_dist)
                )
            else:
                gap = np.maximum(lows[i], lows) - np.minimum(highs[i], highs)
                good = (gap >= 0.25) & (np.hypot(dx, dy) >= min_dist)
                good &= (dx <= same_x) if kind == "far_same_x" else (dx > same_x)
            hits = np.flatnonzero(good)
            if len(hits):
                j = int(hits[int(rng.integers(len(hits)))])
                pair = (int(i), j, kind)
                break
        if pair is not None:
            break
    if pair is None:
        raise SampleError(name, f"no pair of flat blocks fits the {'/'.join(kinds)} rules")
    i, j, kind = pair
    first, second = rng.permutation(2)
    points = {str(first + 1): (int(xs[i]), int(ys[i])), str(second + 1): (int(xs[j]), int(ys[j]))}
    camera = str(int(rng.integers(2)) + 1)
    target = "2" if camera == "1" else "1"
    facing = _FACINGS[int(rng.choice(4, p=_FACING_P))]
    (cx, cy), (tx, ty) = points[camera], points[target]
    text = tpl.position_answer(kind, facing, tx - cx, float(raw[ty, tx]) - float(raw[cy, cx]))
    pool = list(tpl.SIMPLE_OPTIONS if kind != "far_diff_x" else tpl.COMPOUND_OPTIONS)
    options = [pool[int(k)] for k in rng.permutation(4)]
    letter = LETTERS[options.index(text)]
    labelled, marks = _draw_markers(img, [points["1"], points["2"]], ["1", "2"])
    question = tpl.position_question(camera, target, facing, kind != "near", options)
    meta = {
        "points": {key: list(points[key]) for key in ("1", "2")},
        "camera": camera,
        "facing": facing,
        "kind": kind,
        "options": options,
        "marks": marks,
    }
    return Sample("position", "", letter, [labelled], meta, question)


# --- rotation ---------------------------------------------------------------------------------


def _rotate(img: UInt8Array, degrees: int, direction: str) -> UInt8Array:
    """`img` turned by `degrees` in `direction`: lossless (numpy's rot90 turns
    counterclockwise for a positive count)."""
    turns = degrees // 90 if direction == "counterclockwise" else -(degrees // 90)
    return np.ascontiguousarray(np.rot90(img, turns))


def _rotation(img: UInt8Array, name: str, rng: np.random.Generator, layout: str | None) -> Sample:
    """SSL4RL's rotation prediction: the image turned by 0, 90, 180 or 270 degrees (0 is
    an answer, as in SSL4RL: an upright image must be recognised as upright)."""
    direction = "clockwise" if layout is None else layout
    if direction not in ROTATION_DIRECTIONS:
        raise GenerateError(
            f"rotation: layout={layout!r} is not a direction of {ROTATION_DIRECTIONS}"
        )
    degrees = ANGLES[int(rng.integers(len(ANGLES)))]
    rotated = _rotate(img, degrees, direction)
    # the answer must be the only one: an image that looks the same turned by another angle
    # (flat, or symmetric) cannot tell the angles apart; a turn that swaps H and W of a
    # non-square image differs by its shape alone
    square = img.shape[0] == img.shape[1]
    for other in ANGLES:
        if other == degrees or (not square and (other - degrees) % 180):
            continue
        if not _differs(rotated, _rotate(img, other, direction)):
            raise SampleError(
                name, f"the image looks the same rotated by {degrees} and by {other} degrees"
            )
    meta = {"angle": degrees, "direction": direction, "marks": []}
    answer = str(Rotation(degrees))
    return Sample("rotation", "", answer, [rotated], meta, tpl.rotation_question(direction))


# --- public -----------------------------------------------------------------------------------


def make_sample(
    task: str,
    image: Any,
    depth: Any = None,
    *,
    seed: int = 0,
    layout: str | None = None,
    name: str | None = None,
) -> Sample:
    """One sample of `task` from `image` (RGB array, PIL image or path) and, for depth and
    position, `depth` ((H, W) or (H, W, 1), larger = farther; NaN or <= 0 invalid).
    `layout` picks a shuffle layout, a position kind or a rotation direction (clockwise by
    default).

    Deterministic for a seed. Raises `SampleError` (naming the input, or `name`, and the
    reason) when this input cannot give a sample, `GenerateError` for a bad task or layout.
    """
    canonical = canonical_task_name(task)
    if canonical not in GENERATED_TASKS:
        raise GenerateError(f"task={task!r}: the generator makes {', '.join(GENERATED_TASKS)}")
    img, label = load_image(image, name)
    if img.shape[0] < 2 * _MIN_PATCH or img.shape[1] < 2 * _MIN_PATCH:
        raise SampleError(label, f"image is only {img.shape[1]}x{img.shape[0]} pixels")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise GenerateError(f"seed={seed!r} must be a non-negative integer")
    rng = np.random.default_rng(seed)
    if canonical == "shuffle":
        sample = _shuffle(img, label, rng, layout)
    elif canonical == "flip":
        sample = _flip(img, label, rng, layout)
    elif canonical == "crop":
        sample = _crop(img, label, rng, layout)
    elif canonical == "depth":
        sample = _depth(img, depth, label, rng, layout)
    elif canonical == "rotation":
        sample = _rotation(img, label, rng, layout)
    else:
        sample = _position(img, depth, label, rng, layout)
    sample.prompt = f"{sample.question} {tpl.PROMPT_SUFFIX}"
    verify_sample(sample)
    return sample


def oracle_completion(answer: str) -> str:
    """A completion that gives `answer` the way the paper's prompt asks."""
    return f"{_ORACLE_THINK}\\boxed{{{answer}}}"


def verify_sample(sample: Sample) -> None:
    """Check a sample through the library: its answer parses as a ground truth of its task
    (explicitly and by inference from answer and prompt), an oracle completion scores 1 in
    the default and the paper mode, and there is one `<image>` per image.

    Raises `VerificationError`: a failure is a bug of the generator, not of the input.
    """
    try:
        spec, _ = parse_ground_truth(sample.answer, sample.task)
        inferred, _ = parse_ground_truth(sample.answer, None, prompt=sample.question)
    except (GenerateError, ValueError) as exc:
        raise VerificationError(
            f"{sample.task}: answer {sample.answer!r} does not parse: {exc}"
        ) from exc
    if spec.name != sample.task or inferred.name != sample.task:
        raise VerificationError(
            f"{sample.task}: answer {sample.answer!r} reads as task {inferred.name!r}"
        )
    completion = oracle_completion(sample.answer)
    for mode in ("default", "paper"):
        result = score(
            completion,
            sample.answer,
            sample.task,
            prompt=sample.prompt,
            config=None if mode == "default" else _PAPER,
        )
        if result.score != 1.0:
            raise VerificationError(
                f"{sample.task}: the oracle completion of {sample.answer!r} scores "
                f"{result.score} in {mode} mode ({result.reason})"
            )
    if sample.question.count("<image>") != len(sample.images):
        raise VerificationError(
            f"{sample.task}: {sample.question.count('<image>')} <image> tokens for "
            f"{len(sample.images)} images"
        )


_PAPER = make_config(mode="paper")
