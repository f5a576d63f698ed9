"""Deterministic synthetic rollouts for the five pretext tasks, labelled by construction.

    generate(n, *, seed=0, tasks=None, reasoning_tokens=400, kinds=None) -> list[SyntheticRow]
    iter_rows(n, ...)  # the same rows, one at a time (for files of millions of rows)

Each row is a realistic GRPO rollout: the paper's question template (with the training
prompt suffix), a ``<think>`` block of plausible reasoning about patches and regions, a
short closing sentence and a ``\\boxed{…}`` answer. The ``kind`` says what the completion
does, and the expected accuracies are known without calling the scorer, so the bundled
sample, the benchmarks and the fuzzers can check the library against them:

- ``canonical``: the right answer in the ground truth's notation;
- ``variant``: the right answer in an honest variant notation (``0, 2, 3, 1``, ``(B)``,
  ``B. Right``, full-width digits, ...);
- ``wrong``: a different valid answer;
- ``hedge``: two different answers (two boxes, ``A or B``, ``B/C``);
- ``in_think``: the answer only inside the reasoning;
- ``truncated``: the reasoning never closes (sometimes with a box inside it);
- ``no_box``: the answer in words after the reasoning, no box;
- ``out_of_space``: an answer outside the task's answer space (``1-1-2-0``, ``4-0``, ``E``);
- ``inconsistent``: (position only) a letter with another option's text (``B. Left``).

``expected_accuracy`` is the default exact-mode accuracy (1.0 for ``canonical`` and
``variant``, else 0.0); ``expected_paper_accuracy`` is 1.0 iff the last box's content,
stripped, equals the ground truth string (the published rule). Only a seeded
``random.Random`` is used, so a seed always gives the same rows.

``python -m ssrl_rewards.synthetic --write-sample`` regenerates the bundled sample;
``python -m ssrl_rewards.synthetic -n 1000000 --out big.jsonl`` writes a large file.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "KINDS",
    "SAMPLE_COLUMNS",
    "SAMPLE_PATH",
    "TASKS",
    "SyntheticRow",
    "generate",
    "iter_rows",
    "main",
    "render_sample",
]

TASKS: tuple[str, ...] = ("shuffle", "flip", "crop", "depth", "position")
KINDS: tuple[str, ...] = (
    "canonical",
    "variant",
    "wrong",
    "hedge",
    "in_think",
    "truncated",
    "no_box",
    "out_of_space",
    "inconsistent",
)
_EXPECTED_REASON = {
    "canonical": "correct",
    "variant": "correct",
    "wrong": "wrong",
    "hedge": "multiple_answers",
    "in_think": "answer_in_think",
    "truncated": "unclosed_think",
    "no_box": "no_answer",
    "out_of_space": "not_in_answer_space",
    "inconsistent": "inconsistent_choice",
}
# How often each kind comes up in one cycle of a task's schedule: right answers are the
# most common outcome of a trained policy, failures each appear once per cycle.
_KIND_WEIGHTS = {
    "canonical": 3,
    "variant": 3,
    "wrong": 2,
    "hedge": 1,
    "in_think": 1,
    "truncated": 1,
    "no_box": 1,
    "out_of_space": 1,
    "inconsistent": 1,
}

SAMPLE_PATH = Path(__file__).resolve().parent / "data" / "sample.jsonl"
SAMPLE_COLUMNS: tuple[str, ...] = ("task", "prompt", "completion", "ground_truth", "kind")
SAMPLE_ROWS = 300
SAMPLE_SEED = 2510
SAMPLE_REASONING_TOKENS = 150

PROMPT_SUFFIX = (
    "You FIRST think about the reasoning process as an internal monologue and then provide "
    "the final answer. The reasoning process MUST BE enclosed within <think> </think> tags. "
    "The final answer MUST BE put in \\boxed{}."
)


@dataclass(frozen=True)
class SyntheticRow:
    """One labelled rollout; ``ground_truth`` is the canonical answer string."""

    task: str
    ground_truth: str
    prompt: str
    completion: str
    kind: str
    expected_accuracy: float
    expected_paper_accuracy: float
    expected_reason: str

    def to_dict(self) -> dict[str, Any]:
        """Every field, JSON-ready."""
        return asdict(self)

    def sample_record(self) -> dict[str, str]:
        """The bundled sample's columns only."""
        return {
            "task": self.task,
            "prompt": self.prompt,
            "completion": self.completion,
            "ground_truth": self.ground_truth,
            "kind": self.kind,
        }


# --- vocabulary for the reasoning --------------------------------------------------------

_THINGS = (
    "a red double-decker bus",
    "the edge of a wooden table",
    "a patch of blue sky",
    "a street sign",
    "the trunk of a tree",
    "a white ceramic plate",
    "a brick wall",
    "the roof of a house",
    "a person's shoulder",
    "a parked bicycle",
    "the shadow of a lamp post",
    "a window frame",
    "a dog's ear",
    "a strip of grass",
    "a kitchen counter",
    "the horizon line",
    "a fence post",
    "a car's rear bumper",
    "a stack of books",
    "the corner of a rug",
)
_FEATURES = (
    "diagonal line",
    "colour gradient",
    "texture",
    "shadow",
    "horizon",
    "railing",
    "curved contour",
    "row of tiles",
    "lighting",
)
_SIDES = ("left", "right", "top", "bottom")
_WHERE = ("upper part", "lower part", "left side", "right side", "centre")
_HEDGES = ("Hmm,", "Wait,", "Actually,", "Let me double-check:", "On second thought,", "Okay,")

_GENERIC = (
    "Let me look at the overall scene before deciding.",
    "I should compare the borders carefully rather than the content alone.",
    "{hedge} the lighting could be misleading here.",
    "The scene seems to show {thing} near {thing2}.",
    "Most photos like this have the sky on top and the ground at the bottom.",
    "{hedge} I need to make sure every piece is used exactly once.",
    "The colours are fairly uniform, so the fine details matter more.",
    "This looks like an outdoor scene with {thing} in it.",
)
_SHUFFLE = (
    "Patch {a} contains {thing}, which usually sits in the {where} of an image.",
    "The {feature} along the {side} border of patch {a} continues into patch {b}.",
    "{hedge} the seam between patches {a} and {b} does not line up perfectly.",
    "If patch {a} goes first, then {thing} would be cut in half, which seems odd.",
    "Patch {b} shows mostly {thing}, so it probably belongs near the {where}.",
    "The {feature} in patch {a} matches the one at the {side} edge of patch {b}.",
    "Patch {a} looks like the white masked piece, so I place it by elimination.",
    "Putting patch {a} next to patch {b} makes {thing} continuous.",
)
_FLIP = (
    "In patch {a}, {thing} looks upside down compared with the rest.",
    "The {feature} in patch {a} runs the wrong way across its {side} border.",
    "Patch {b} reads normally, so it is probably not the flipped one.",
    "{hedge} a horizontal mirror would swap left and right inside patch {a}.",
    "A vertical flip would put the bright sky at the bottom of patch {a}.",
    "The shadows in patch {b} fall the same way as in the neighbouring patches.",
    "The {feature} breaks at the seam between patches {a} and {b}.",
)
_CROP = (
    "The black square sits in the {where} of the first image.",
    "Candidate {l} shows {thing}, but it looks rotated by 90 degrees.",
    "Candidate {l} is a blurry close-up of the centre, so its scale is wrong.",
    "{hedge} candidate {l} includes context from outside the hole.",
    "The {feature} around the hole should continue into the right candidate.",
    "Candidate {l} matches the {feature} at the {side} edge of the hole.",
    "The missing part must contain part of {thing}.",
)
_DEPTH = (
    "Region {m} is on {thing}, which seems close to the camera.",
    "Region {m} lies on {thing} far in the background.",
    "{hedge} region {m} is partly occluded, so it should be behind region {n}.",
    "The perspective lines converge behind region {m}.",
    "Region {n} is larger in the image, which suggests it is nearer.",
    "The floor texture gets finer towards region {m}, so it is farther away.",
    "Region {m} and region {n} are at a similar height, but {thing} separates them.",
)
_POSITION = (
    "The camera is at region {a} and faces {facing}.",
    "Region {b} appears to the {imgside} of region {a} in the image.",
    "{hedge} region {b} looks {nearfar} than region {a}.",
    "Turning to the camera's view, image-right becomes its {turn}.",
    "Region {b} sits on {thing}, while region {a} is on {thing2}.",
    "The depth difference between the two regions is noticeable.",
    "I should ignore the height difference and use depth and left-right cues.",
)


# --- prompts (the paper's question templates, followed by the GRPO suffix) ----------------

_SHUFFLE_LAYOUTS = (
    # (layout words, label count, answer format)
    ("2x2", 4, "TopLeft-TopRight-BottomLeft-BottomRight"),
    ("masked", 4, "TopLeft-TopRight-BottomLeft-BottomRight"),
    ("horizontal", 3, "Left-Middle-Right"),
    ("horizontal", 4, "Left-Middle1-Middle2-Right"),
    ("vertical", 3, "Top-Middle-Bottom"),
    ("vertical", 4, "Top-Middle1-Middle2-Bottom"),
)
_SIMPLE_OPTIONS = ("Left", "Right", "Front", "Back")
_COMPOUND_OPTIONS = ("Left-Front", "Right-Front", "Right-Back", "Left-Back")
_FACINGS = ("to the left of the image", "to the right of the image", "to me", "away from me")


def _labels_phrase(n: int) -> str:
    labels = [str(i) for i in range(n)]
    return ", ".join(labels[:-1]) + ", and " + labels[-1]


def _shuffle_prompt(layout: str, n: int, fmt: str) -> str:
    if layout == "2x2":
        pieces = f"divided into {n} shuffled patches"
    elif layout == "masked":
        pieces = f"divided into {n} shuffled patches, and one of them is masked in white"
    else:
        pieces = f"cut into {n} shuffled {layout} strips"
    return (
        f"<image>The image is {pieces} labeled {_labels_phrase(n)}. Please answer the correct "
        f"arrangement of the pieces that restores the original image, in the format '{fmt}'."
    )


_FLIP_PROMPT = (
    "<image>The image is divided into 4 patches labeled 0, 1, 2, and 3 in reading order. "
    "One of the four patches is flipped either horizontally or vertically. Which patch is "
    "flipped, and how? Answer in the format 'Label-Direction'. The direction can only be "
    "0(flipped vertically) or 1(flipped horizontally)."
)
_CROP_PROMPT = (
    "Which image is the missing part in the first image <image>? Please select one of the "
    "four options <image><image><image><image>. The final answer should be chosen from "
    "'A', 'B', 'C', and 'D'."
)
_DEPTH_PROMPT = (
    "<image>There are three regions marked as 1, 2, and 3 in the image. Please sort the "
    "depths of the three regions from smallest to largest from the camera, in the format "
    "'Smallest-Middle-Largest'."
)


def _position_prompt(camera: str, target: str, facing: str, far: bool, options: list[str]) -> str:
    listed = " ".join(f"{letter}. {text}" for letter, text in zip("ABCD", options, strict=True))
    ignore = " and ignore the height difference between the two regions" if far else ""
    return (
        "<image>I've taken an image and there are two regions marked as 1, and 2 on the "
        f"image. Assume that there is a camera at position '{camera}' and it's facing "
        f"{facing}. According to the camera, where is the region marker '{target}'? "
        f"{listed}. Consider cues such as depth, orientation, and 3D spatial "
        f"relationship{ignore}. The final answer should be chosen from 'A', 'B', 'C', and 'D'."
    )


# --- one task instance ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Instance:
    """A question, its canonical answer and everything needed to write answers to it."""

    task: str
    prompt: str
    truth: str
    labels: tuple[int, ...] = ()  # orderings and flip
    base: int = 0  # orderings
    options: tuple[str, ...] = ()  # position: option text per letter
    facts: tuple[tuple[str, str], ...] = ()  # words for the reasoning


def _instance(task: str, rng: random.Random) -> _Instance:
    if task == "shuffle":
        layout, n, fmt = rng.choice(_SHUFFLE_LAYOUTS)
        labels = list(range(n))
        rng.shuffle(labels)
        return _Instance(task, _shuffle_prompt(layout, n, fmt), _dash(labels), tuple(labels), 0)
    if task == "flip":
        flip = (rng.randrange(4), rng.randrange(2))
        return _Instance(task, _FLIP_PROMPT, _dash(flip), flip)
    if task == "crop":
        return _Instance(task, _CROP_PROMPT, rng.choice("ABCD"))
    if task == "depth":
        labels = [1, 2, 3]
        rng.shuffle(labels)
        return _Instance(task, _DEPTH_PROMPT, _dash(labels), tuple(labels), 1)
    if task == "position":
        return _position_instance(rng)
    raise ValueError(f"task={task!r}: the generator knows only {', '.join(TASKS)}")


def _position_instance(rng: random.Random) -> _Instance:
    """A relative-position question whose answer follows the construction's rules."""
    camera, target = rng.sample(("1", "2"), 2)
    facing = rng.choice(_FACINGS)
    kind = rng.choice(("near", "far_same_x", "far_diff_x"))
    dx_right, dd_farther = rng.random() < 0.5, rng.random() < 0.5
    # near: image x only; far, same x: depth only; far, different x: both.
    by_x = {
        "to the left of the image": ("Back", "Front"),
        "to the right of the image": ("Front", "Back"),
        "to me": ("Left", "Right"),
        "away from me": ("Right", "Left"),
    }[facing]
    by_depth = {
        "to the left of the image": ("Right", "Left"),
        "to the right of the image": ("Left", "Right"),
        "to me": ("Back", "Front"),
        "away from me": ("Front", "Back"),
    }[facing]
    x_word = by_x[0] if dx_right else by_x[1]
    d_word = by_depth[0] if dd_farther else by_depth[1]
    if kind == "near":
        answer, pool = x_word, list(_SIMPLE_OPTIONS)
    elif kind == "far_same_x":
        answer, pool = d_word, list(_SIMPLE_OPTIONS)
    else:
        lateral = x_word if x_word in ("Left", "Right") else d_word
        sagittal = x_word if x_word in ("Front", "Back") else d_word
        answer, pool = f"{lateral}-{sagittal}", list(_COMPOUND_OPTIONS)
    rng.shuffle(pool)
    letter = "ABCD"[pool.index(answer)]
    prompt = _position_prompt(camera, target, facing, kind != "near", pool)
    facts = (
        ("a", camera),
        ("b", target),
        ("facing", facing.replace("to me", "towards the viewer")),
        ("imgside", "right" if dx_right else "left"),
        ("nearfar", "farther" if dd_farther else "closer"),
        ("turn", {"to me": "left", "away from me": "right"}.get(facing, "front or back")),
    )
    return _Instance("position", prompt, letter, options=tuple(pool), facts=facts)


def _dash(labels: Sequence[int]) -> str:
    return "-".join(str(label) for label in labels)


# --- answers of each kind -------------------------------------------------------------------

_FULL_WIDTH = str.maketrans("0123456789ABCDE", "０１２３４５６７８９ＡＢＣＤＥ")


def _ordering_variant(labels: Sequence[int], rng: random.Random) -> str:
    parts = [str(label) for label in labels]
    style = rng.randrange(8)
    if style == 0:
        return ", ".join(parts)
    if style == 1:
        return " - ".join(parts)
    if style == 2:
        return "[" + ", ".join(parts) + "]"
    if style == 3:
        return "(" + ",".join(parts) + ")"
    if style == 4:
        return "→".join(parts)
    if style == 5:
        return "".join(parts)
    if style == 6:
        return "–".join(parts)  # en dash
    return "-".join(parts).translate(_FULL_WIDTH)


def _flip_variant(labels: Sequence[int], rng: random.Random) -> str:
    label, direction = labels
    return rng.choice(
        (
            f"{label}, {direction}",
            f"{label} - {direction}",
            f"({label}, {direction})",
            f"[{label},{direction}]",
            f"{label}–{direction}",
            f"{label}{direction}",
            f"{label}-{direction}".translate(_FULL_WIDTH),
        )
    )


def _letter_variant(letter: str, rng: random.Random) -> str:
    return rng.choice(
        (
            letter.lower(),
            f"({letter})",
            f"{letter}.",
            f"{letter})",
            f"{letter}:",
            f"Option {letter}",
            f"\\text{{{letter}}}",
            f"${letter}$",
            letter.translate(_FULL_WIDTH),
        )
    )


def _variant(inst: _Instance, rng: random.Random) -> str:
    if inst.task in ("shuffle", "depth"):
        return _ordering_variant(inst.labels, rng)
    if inst.task == "flip":
        return _flip_variant(inst.labels, rng)
    if inst.task == "position" and rng.random() < 0.5:
        text = inst.options["ABCD".index(inst.truth)]
        if rng.random() < 0.5:
            return f"{inst.truth}. {text}"
        return text if rng.random() < 0.5 else text.lower()
    return _letter_variant(inst.truth, rng)


def _wrong(inst: _Instance, rng: random.Random) -> str:
    """A different answer from the task's answer space."""
    if inst.task in ("shuffle", "depth"):
        labels = list(inst.labels)
        while _dash(labels) == inst.truth:
            rng.shuffle(labels)
        return _dash(labels)
    if inst.task == "flip":
        label, direction = inst.labels
        if rng.random() < 0.5:
            return _dash((label, 1 - direction))
        return _dash((rng.choice([x for x in range(4) if x != label]), direction))
    letter = rng.choice([x for x in "ABCD" if x != inst.truth])
    if inst.task == "position" and rng.random() < 0.4:
        return f"{letter}. {inst.options['ABCD'.index(letter)]}"
    return letter


def _out_of_space(inst: _Instance, rng: random.Random) -> str:
    if inst.task in ("shuffle", "depth"):
        labels = list(inst.labels)
        style = rng.randrange(3)
        if style == 0:  # a repeated label
            labels[rng.randrange(len(labels))] = labels[rng.randrange(len(labels))]
            if _dash(labels) == inst.truth:
                labels[0] = labels[1]
        elif style == 1:  # the wrong base (0-based depth, 1-based shuffle)
            labels = [label - 1 if inst.base else label + 1 for label in labels]
        else:  # a label past the end
            labels[rng.randrange(len(labels))] = inst.base + len(labels)
        return _dash(labels)
    if inst.task == "flip":
        label, direction = inst.labels
        return rng.choice((f"{rng.choice((4, 5))}-{direction}", f"{label}-2", f"{label}-3"))
    return rng.choice("EF")


def _hedge(inst: _Instance, rng: random.Random) -> tuple[list[str], str]:
    """(box contents in order, joining text) for an answer that names two answers."""
    other = _wrong(inst, rng)
    if inst.task == "position" and ". " in other:
        other = other.split(".", 1)[0]
    pair = [inst.truth, other]
    rng.shuffle(pair)
    style = rng.randrange(3)
    if style == 0:
        return pair, "two_boxes"
    if style == 1:
        return [f"{pair[0]} or {pair[1]}"], "one_box"
    return [f"{pair[0]}/{pair[1]}"], "one_box"


_CLOSINGS = {
    "shuffle": (
        "So the arrangement that restores the image is",
        "Putting the patches back in reading order gives",
        "The correct arrangement is",
    ),
    "flip": (
        "So the flipped patch and its direction are",
        "The answer in Label-Direction format is",
        "Therefore the flipped patch is",
    ),
    "crop": (
        "So the missing part is option",
        "The candidate that fills the black region is",
        "Therefore the answer is",
    ),
    "depth": (
        "So the regions from nearest to farthest are",
        "Sorted by distance from the camera:",
        "The depth order is",
    ),
    "position": (
        "So, according to the camera, the target region is",
        "From the camera's point of view the answer is",
        "Therefore the answer is",
    ),
}


# --- reasoning text -------------------------------------------------------------------------


def _reasoning(inst: _Instance, words: int, rng: random.Random) -> str:
    """Plausible sentences about the task's patches or regions, about `words` words long."""
    own = {
        "shuffle": _SHUFFLE,
        "flip": _FLIP,
        "crop": _CROP,
        "depth": _DEPTH,
        "position": _POSITION,
    }[inst.task]
    n_labels = max(len(inst.labels), 3)
    facts = dict(inst.facts)
    paragraphs: list[str] = []
    sentences: list[str] = []
    count = 0
    while count < max(words, 1):
        template = rng.choice(own) if rng.random() < 0.75 else rng.choice(_GENERIC)
        a, b = rng.sample(range(n_labels), 2)
        if inst.base:
            a, b = a + 1, b + 1
        thing, thing2 = rng.sample(_THINGS, 2)
        values = {
            "a": str(a),
            "b": str(b),
            "m": str(a if inst.base else a + 1),
            "n": str(b if inst.base else b + 1),
            "l": rng.choice("ABCD"),
            "thing": thing,
            "thing2": thing2,
            "feature": rng.choice(_FEATURES),
            "side": rng.choice(_SIDES),
            "where": rng.choice(_WHERE),
            "hedge": rng.choice(_HEDGES),
            "facing": "to the left of the image",
            "imgside": rng.choice(("left", "right")),
            "nearfar": rng.choice(("closer", "farther")),
            "turn": rng.choice(("left", "right", "front", "back")),
        }
        values.update(facts)
        sentence = template.format(**values)
        sentence = sentence[0].upper() + sentence[1:]
        sentences.append(sentence)
        count += len(sentence.split())
        if len(sentences) >= rng.randint(3, 5):
            paragraphs.append(" ".join(sentences))
            sentences = []
    if sentences:
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def _think(reasoning: str, rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"<think>\n{reasoning}\n</think>\n\n"
    return f"<think>{reasoning}</think>\n"


# --- rows -----------------------------------------------------------------------------------


def _row(task: str, kind: str, reasoning_tokens: int, rng: random.Random) -> SyntheticRow:
    inst = _instance(task, rng)
    reasoning = _reasoning(inst, reasoning_tokens, rng)
    closing = rng.choice(_CLOSINGS[task])
    end = rng.choice(("", ".", ""))
    boxes: list[str] = []  # box contents in text order, for the paper's last-box rule

    if kind in ("canonical", "variant", "wrong", "out_of_space", "inconsistent"):
        if kind == "canonical":
            answer = inst.truth
        elif kind == "variant":
            answer = _variant(inst, rng)
        elif kind == "wrong":
            answer = _wrong(inst, rng)
        elif kind == "out_of_space":
            answer = _out_of_space(inst, rng)
        else:
            right = inst.options["ABCD".index(inst.truth)]
            text = rng.choice([option for option in inst.options if option != right])
            answer = f"{inst.truth}. {text}"
        boxes.append(answer)
        completion = f"{_think(reasoning, rng)}{closing} \\boxed{{{answer}}}{end}"
    elif kind == "hedge":
        contents, style = _hedge(inst, rng)
        boxes.extend(contents)
        if style == "two_boxes":
            tail = f"It is either \\boxed{{{contents[0]}}} or \\boxed{{{contents[1]}}}{end}"
        else:
            tail = f"{closing} \\boxed{{{contents[0]}}}{end}"
        completion = f"{_think(reasoning, rng)}{tail}"
    elif kind == "in_think":
        boxes.append(inst.truth)
        reasoning = f"{reasoning}\n\nSo the answer should be \\boxed{{{inst.truth}}}."
        after = rng.choice(
            (
                "I have worked out the answer above.",
                "That settles it, as shown in my reasoning.",
                "The final answer is the one I derived.",
            )
        )
        completion = f"{_think(reasoning, rng)}{after}"
    elif kind == "truncated":
        words = reasoning.split(" ")
        cut = " ".join(words[: max(1, len(words) * rng.randint(5, 9) // 10)])
        if rng.random() < 0.5:
            boxes.append(inst.truth)
            cut = f"{cut} Tentatively \\boxed{{{inst.truth}}}, but let me check the"
        completion = f"<think>\n{cut}"
    elif kind == "no_box":
        completion = f"{_think(reasoning, rng)}{closing} {inst.truth}."
    else:
        raise ValueError(f"kind={kind!r}: choose from {', '.join(KINDS)}")

    expected = 1.0 if kind in ("canonical", "variant") else 0.0
    paper = 1.0 if boxes and boxes[-1].strip() == inst.truth else 0.0
    return SyntheticRow(
        task,
        inst.truth,
        f"{inst.prompt} {PROMPT_SUFFIX}",
        completion,
        kind,
        expected,
        paper,
        _EXPECTED_REASON[kind],
    )


def _kinds_for(task: str, kinds: Sequence[str]) -> list[str]:
    return [kind for kind in kinds if kind != "inconsistent" or task == "position"]


def iter_rows(
    n: int,
    *,
    seed: int = 0,
    tasks: Sequence[str] | None = None,
    reasoning_tokens: int = 400,
    kinds: Sequence[str] | None = None,
) -> Iterator[SyntheticRow]:
    """`n` rows, lazily, tasks in turn (arguments are checked at once, `ValueError`).

    Each task works through shuffled cycles of its kinds, weighted 3 canonical, 3 variant,
    2 wrong and 1 of each failure kind, so with every kind enabled each cycle of 13 rows
    of a task (14 for position) holds every kind that task admits.
    """
    chosen_tasks = tuple(tasks) if tasks is not None else TASKS
    chosen_kinds = tuple(kinds) if kinds is not None else KINDS
    for name in chosen_tasks:
        if name not in TASKS:
            raise ValueError(f"task={name!r}: the generator knows only {', '.join(TASKS)}")
    for kind in chosen_kinds:
        if kind not in KINDS:
            raise ValueError(f"kind={kind!r}: choose from {', '.join(KINDS)}")
    if n < 0 or reasoning_tokens < 0:
        raise ValueError(f"n={n} and reasoning_tokens={reasoning_tokens} must be >= 0")
    if not chosen_tasks or not chosen_kinds:
        raise ValueError("tasks and kinds must not be empty")
    usable = {task: _kinds_for(task, chosen_kinds) for task in chosen_tasks}
    usable = {task: kinds_ for task, kinds_ in usable.items() if kinds_}
    if not usable:
        raise ValueError("no task accepts the chosen kinds ('inconsistent' is position only)")
    return _rows(n, seed, usable, reasoning_tokens)


def _rows(
    n: int, seed: int, usable: dict[str, list[str]], reasoning_tokens: int
) -> Iterator[SyntheticRow]:
    rng = random.Random(seed)
    schedules: dict[str, list[str]] = {task: [] for task in usable}
    order = itertools.cycle(tuple(usable))
    for _ in range(n):
        task = next(order)
        schedule = schedules[task]
        if not schedule:
            schedule.extend(kind for kind in usable[task] for _ in range(_KIND_WEIGHTS[kind]))
            rng.shuffle(schedule)
            schedule.reverse()
        yield _row(task, schedule.pop(), reasoning_tokens, rng)


def generate(
    n: int,
    *,
    seed: int = 0,
    tasks: Sequence[str] | None = None,
    reasoning_tokens: int = 400,
    kinds: Sequence[str] | None = None,
) -> list[SyntheticRow]:
    """`n` labelled rollouts (see the module docstring); the same seed gives the same rows."""
    return list(
        iter_rows(n, seed=seed, tasks=tasks, reasoning_tokens=reasoning_tokens, kinds=kinds)
    )


def render_sample() -> str:
    """The bundled sample's exact text (JSON Lines, UTF-8, one row per line)."""
    rows = iter_rows(SAMPLE_ROWS, seed=SAMPLE_SEED, reasoning_tokens=SAMPLE_REASONING_TOKENS)
    return "".join(json.dumps(row.sample_record(), ensure_ascii=False) + "\n" for row in rows)


# --- command line ---------------------------------------------------------------------------


def _write_jsonl(rows: Iterator[SyntheticRow], out: Path, all_fields: bool) -> int:
    count = 0
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            record = row.to_dict() if all_fields else row.sample_record()
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def _write_parquet(rows: Iterator[SyntheticRow], out: Path, all_fields: bool) -> int:
    try:
        import pyarrow as pa  # noqa: PLC0415 - lazy: an optional extra
        import pyarrow.parquet as pq  # noqa: PLC0415
    except ImportError:
        raise OSError(
            "writing Parquet needs pyarrow: pip install 'ssrl-rewards[parquet]'"
        ) from None
    writer = None
    count = 0
    try:
        while True:
            chunk = list(itertools.islice(rows, 10_000))
            if not chunk:
                break
            records = [r.to_dict() if all_fields else r.sample_record() for r in chunk]
            table = pa.Table.from_pylist(records)
            if writer is None:
                writer = pq.ParquetWriter(str(out), table.schema)
            writer.write_table(table)
            count += len(chunk)
    finally:
        if writer is not None:
            writer.close()
    return count


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ssrl_rewards.synthetic``: write the bundled sample or a generated file."""
    parser = argparse.ArgumentParser(
        prog="python -m ssrl_rewards.synthetic",
        description="Write synthetic Spatial-SSRL rollouts labelled by construction.",
    )
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument(
        "--write-sample", action="store_true", help=f"regenerate {SAMPLE_PATH.name} in the package"
    )
    action.add_argument(
        "--check-sample", action="store_true", help="exit 1 if the bundled sample is stale"
    )
    action.add_argument("--out", type=Path, help="write N rows here (.jsonl or .parquet)")
    parser.add_argument("-n", type=int, default=1000, help="rows to write (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reasoning-tokens", type=int, default=400)
    parser.add_argument("--tasks", nargs="+", choices=TASKS)
    parser.add_argument("--kinds", nargs="+", choices=KINDS)
    parser.add_argument(
        "--all-fields", action="store_true", help="also write the expected accuracies and reason"
    )
    args = parser.parse_args(argv)
    if args.write_sample:
        SAMPLE_PATH.parent.mkdir(parents=True, exist_ok=True)
        SAMPLE_PATH.write_text(render_sample(), encoding="utf-8", newline="\n")
        print(f"wrote {SAMPLE_ROWS} rows to {SAMPLE_PATH}", file=sys.stderr)
        return 0
    if args.check_sample:
        current = SAMPLE_PATH.read_text(encoding="utf-8") if SAMPLE_PATH.exists() else ""
        if current != render_sample():
            print(f"{SAMPLE_PATH} is stale: run with --write-sample", file=sys.stderr)
            return 1
        return 0
    try:
        rows = iter_rows(
            args.n,
            seed=args.seed,
            tasks=args.tasks,
            reasoning_tokens=args.reasoning_tokens,
            kinds=args.kinds,
        )
        out: Path = args.out
        if out.suffix == ".parquet":
            count = _write_parquet(rows, out, args.all_fields)
        else:
            count = _write_jsonl(rows, out, args.all_fields)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {count} rows to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
