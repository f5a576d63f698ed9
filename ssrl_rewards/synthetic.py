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

from ssrl_rewards.prompts import parse_options
from ssrl_rewards.registry import find_task, get_task, task_names
from ssrl_rewards.testing.render import Sample, draw_sample

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


# --- one task instance: drawn from the task's renderers (TaskSpec.renderers) ----------------


def _instance(task: str, rng: random.Random) -> Sample:
    """A question of `task` with its right answer and a committed wrong one."""
    return draw_sample(task, rng)


def _truth(inst: Sample) -> str:
    return inst.case.ground_truth


def _options(inst: Sample) -> dict[str, str]:
    """The lettered options the prompt lists, when the task reads them (else empty)."""
    if not get_task(inst.task).uses_prompt:
        return {}
    return parse_options(inst.case.prompt) or {}


# --- answers of each kind -------------------------------------------------------------------


def _variant(inst: Sample, rng: random.Random) -> str:
    """The right answer in an honest notation other than the canonical one."""
    canonical = inst.canonical(inst.right)
    others = [text for text in inst.notations(inst.right) if text != canonical]
    return rng.choice(others) if others else canonical


def _wrong(inst: Sample, rng: random.Random) -> str:
    """A different answer from the task's answer space (sometimes in another notation)."""
    if rng.random() < 0.6:
        return inst.canonical(inst.other)
    return rng.choice(list(inst.notations(inst.other))[:8])


def _out_of_space(inst: Sample, rng: random.Random) -> str:
    return inst.renderers.out_of_space(inst.case.truth, inst.case.prompt, rng)


def _hedge(inst: Sample, rng: random.Random) -> tuple[list[str], str]:
    """(box contents in order, joining text) for an answer that names two answers."""
    pair = [
        rng.choice(list(inst.hedge_parts(inst.right))),
        rng.choice(list(inst.hedge_parts(inst.other))),
    ]
    rng.shuffle(pair)
    style = rng.randrange(3)
    if style == 0:
        return pair, "two_boxes"
    if style == 1:
        return [f"{pair[0]} or {pair[1]}"], "one_box"
    return [f"{pair[0]}/{pair[1]}"], "one_box"


def _inconsistent(inst: Sample, rng: random.Random) -> str:
    """The right letter with another option's text (``B. Left`` when B is Right)."""
    options = _options(inst)
    truth = _truth(inst)
    text = rng.choice([value for key, value in options.items() if key != truth])
    return f"{truth}. {text}"


_GENERIC_CLOSINGS = ("So the answer is", "Therefore the answer is", "My final answer is")
# Task-flavoured closing sentences (data; a task without an entry gets the generic ones).
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


_FACINGS = ("to the left of the image", "to the right of the image", "towards the viewer")
# Task-flavoured reasoning sentences (data; a task without an entry gets the generic ones).
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "shuffle": _SHUFFLE,
    "flip": _FLIP,
    "crop": _CROP,
    "depth": _DEPTH,
    "position": _POSITION,
}


def _reasoning(inst: Sample, words: int, rng: random.Random) -> str:
    """Plausible sentences about the task's patches or regions, about `words` words long."""
    own = _TEMPLATES.get(inst.task, _GENERIC)
    paragraphs: list[str] = []
    sentences: list[str] = []
    count = 0
    while count < max(words, 1):
        template = rng.choice(own) if rng.random() < 0.75 else rng.choice(_GENERIC)
        a, b = rng.sample(range(4), 2)
        thing, thing2 = rng.sample(_THINGS, 2)
        values = {
            "a": str(a),
            "b": str(b),
            "m": str(a % 3 + 1),
            "n": str((a + 1) % 3 + 1),
            "l": rng.choice("ABCD"),
            "thing": thing,
            "thing2": thing2,
            "feature": rng.choice(_FEATURES),
            "side": rng.choice(_SIDES),
            "where": rng.choice(_WHERE),
            "hedge": rng.choice(_HEDGES),
            "facing": rng.choice(_FACINGS),
            "imgside": rng.choice(("left", "right")),
            "nearfar": rng.choice(("closer", "farther")),
            "turn": rng.choice(("left", "right", "front", "back")),
        }
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
    truth = _truth(inst)
    reasoning = _reasoning(inst, reasoning_tokens, rng)
    closing = rng.choice(_CLOSINGS.get(task, _GENERIC_CLOSINGS))
    end = rng.choice(("", ".", ""))
    boxes: list[str] = []  # box contents in text order, for the paper's last-box rule

    if kind in ("canonical", "variant", "wrong", "out_of_space", "inconsistent"):
        if kind == "canonical":
            answer = truth
        elif kind == "variant":
            answer = _variant(inst, rng)
        elif kind == "wrong":
            answer = _wrong(inst, rng)
        elif kind == "out_of_space":
            answer = _out_of_space(inst, rng)
        else:
            answer = _inconsistent(inst, rng)
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
        boxes.append(truth)
        reasoning = f"{reasoning}\n\nSo the answer should be \\boxed{{{truth}}}."
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
            boxes.append(truth)
            cut = f"{cut} Tentatively \\boxed{{{truth}}}, but let me check the"
        completion = f"<think>\n{cut}"
    elif kind == "no_box":
        completion = f"{_think(reasoning, rng)}{closing} {truth}."
    else:
        raise ValueError(f"kind={kind!r}: choose from {', '.join(KINDS)}")

    expected = 1.0 if kind in ("canonical", "variant") else 0.0
    paper = 1.0 if boxes and boxes[-1].strip() == truth else 0.0
    return SyntheticRow(
        task,
        truth,
        inst.prompt or "",
        completion,
        kind,
        expected,
        paper,
        _EXPECTED_REASON[kind],
    )


def _kinds_for(task: str, kinds: Sequence[str]) -> list[str]:
    """The kinds a task admits: ``inconsistent`` needs a prompt listing lettered options."""
    lists_options = bool(_options(_instance(task, random.Random(0))))
    return [kind for kind in kinds if kind != "inconsistent" or lists_options]


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
        spec = find_task(name)
        if spec is None or spec.renderers is None:
            raise ValueError(
                f"task={name!r}: the generator writes rows for registered tasks with renderers "
                f"({', '.join(n for n in task_names() if get_task(n).renderers is not None)})"
            )
    chosen_tasks = tuple(get_task(name).name for name in chosen_tasks)
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
        raise ValueError(
            "no task accepts the chosen kinds ('inconsistent' is position only: it needs a "
            "prompt listing lettered options)"
        )
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
    parser.add_argument("--tasks", nargs="+", help=f"default: {' '.join(TASKS)}")
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
