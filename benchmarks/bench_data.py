"""Inputs for the benchmarks: a labelled GRPO batch and the hostile scaling families.

`labelled_batch` prefers the package's own generator (`ssrl_rewards.synthetic.generate`)
when it is installed and has the expected shape; otherwise it falls back to the small
deterministic generator below. Both return rows with ``task``, ``ground_truth``,
``prompt``, ``completion``, ``kind`` and ``expected_accuracy``: 1.0 when a careful
grader should pay the completion (exactly one final answer after the reasoning that
names the right answer, in any honest notation), 0.0 otherwise.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from typing import Any

Row = dict[str, Any]

GROUP_SIZE = 5
# Mix of the published dataset (81k rows): shuffle, flip, crop, depth, position.
TASK_WEIGHTS = {
    "shuffle": 16_028,
    "flip": 4_005,
    "crop": 20_200,
    "depth": 20_620,
    "position": 20_200,
}
# Share of each kind of completion in the fallback batch (about half right, as in training).
KIND_WEIGHTS = {
    "right": 45,
    "wrong": 35,
    "hedge": 6,
    "box_in_think": 4,
    "truncated": 4,
    "invalid": 4,
    "inconsistent": 2,
}
SUFFIX = (
    " Think it through inside <think> </think> tags first, then give the final answer in \\boxed{}."
)
_TEXT = (
    "the patch on the left shows sky and a roof edge while the right one continues the"
    " street so the order must keep the horizon level across both rows; region marker"
    " depth looks closer because the texture is coarse and the shadow falls toward the"
    " camera, which suggests it is in front of the wall; comparing edges 1/2 and 3 of"
    " the grid, the seam lines up only when the tree trunk continues downward. Hence"
    " the candidate arrangement is consistent with the vanishing point near x = 0.4"
)
_WORDS = tuple(_TEXT.split())
_SIMPLE = ("Left", "Right", "Front", "Back")
_COMPOUND = ("Left-Front", "Right-Front", "Right-Back", "Left-Back")


def reasoning(rng: random.Random, tokens: int) -> str:
    """About `tokens` tokens of plausible reasoning prose (one word ~ 1.3 tokens)."""
    count = max(1, int(tokens / 1.3))
    start = rng.randrange(len(_WORDS))
    words = [_WORDS[(start + i * 7 + rng.randrange(3)) % len(_WORDS)] for i in range(count)]
    return " ".join(words)


def _prompt(task: str, rng: random.Random, n: int) -> tuple[str, dict[str, str] | None]:
    """A question in the style of the task's template, and its lettered options if any."""
    if task == "shuffle":
        labels = ", ".join(str(i) for i in range(n))
        text = (
            f"The image is divided into {n} shuffled patches labeled {labels}. Give the"
            " labels in the original reading order, joined by '-'."
        )
        return text + SUFFIX, None
    if task == "flip":
        return (
            "One of the four patches labeled 0 to 3 is flipped vertically (0) or"
            " horizontally (1). Answer as 'Label-Direction'." + SUFFIX,
            None,
        )
    if task == "depth":
        return (
            "Three regions are marked 1, 2 and 3. Sort them from nearest to farthest from"
            " the camera, as 'Smallest-Middle-Largest'." + SUFFIX,
            None,
        )
    if task == "crop":
        return (
            "Which image is the missing part in the first image <image>? Pick one of the"
            " four options <image><image><image><image>, answering 'A', 'B', 'C' or 'D'." + SUFFIX,
            None,
        )
    names = list(_SIMPLE if rng.random() < 0.6 else _COMPOUND)
    rng.shuffle(names)
    options = dict(zip("ABCD", names, strict=True))
    listed = " ".join(f"{letter}. {name}" for letter, name in options.items())
    camera, target = rng.sample(["1", "2"], 2)
    text = (
        "Two regions are marked 1 and 2 in the image. A camera stands at region marker"
        f" '{camera}' facing the left of the image. Seen from the camera, where is region"
        f" marker '{target}'? {listed}. Answer with 'A', 'B', 'C' or 'D'."
    )
    return text + SUFFIX, options


def _truth(task: str, rng: random.Random, n: int) -> Any:
    if task == "shuffle":
        return tuple(rng.sample(range(n), n))
    if task == "depth":
        return tuple(rng.sample(range(1, 4), 3))
    if task == "flip":
        return (rng.randrange(4), rng.randrange(2))
    return rng.choice("ABCD")


def _canonical(task: str, value: Any) -> str:
    return "-".join(map(str, value)) if isinstance(value, tuple) else str(value)


def _render(task: str, value: Any, rng: random.Random, options: dict[str, str] | None) -> str:
    """`value` in canonical notation (60%) or an honest variant a careful grader accepts."""
    if rng.random() < 0.6:
        return _canonical(task, value)
    if isinstance(value, tuple):
        parts = [str(v) for v in value]
        style = rng.randrange(5)
        if style == 0:
            return " - ".join(parts)
        if style == 1:
            return ", ".join(parts)
        if style == 2:
            return "[" + ", ".join(parts) + "]"
        if style == 3:
            return "\u2013".join(parts)  # en dash
        return "(" + ",".join(parts) + ")"
    letter = str(value)
    variants = [
        f"({letter})",
        letter.lower(),
        f"\\text{{{letter}}}",
        f"{letter}.",
        f"Option {letter}",
    ]
    variants.append(chr(ord(letter) + 0xFEE0))  # full-width form
    if options is not None:
        variants += [f"{letter}. {options[letter]}", options[letter]]
    return rng.choice(variants)


def _other(task: str, value: Any, rng: random.Random) -> Any:
    """A different valid answer, uniformly among the task's other answers."""
    if task in ("shuffle", "depth"):
        pool = [p for p in itertools.permutations(sorted(value)) if p != value]
    elif task == "flip":
        pool = [(a, b) for a in range(4) for b in range(2) if (a, b) != value]
    else:
        pool = [c for c in "ABCD" if c != value]
    return rng.choice(pool)


def _invalid(task: str, value: Any, rng: random.Random) -> str:
    """An answer outside the task's answer space."""
    if task in ("shuffle", "depth"):
        labels = list(value)
        labels[rng.randrange(len(labels))] = labels[0] if labels[1:] else 9
        if len(set(labels)) == len(labels):
            labels[-1] = labels[0]
        return "-".join(map(str, labels))
    if task == "flip":
        return f"{rng.randrange(4, 9)}-{rng.randrange(2)}"
    return rng.choice("EFXZ")


def _completion(
    kind: str,
    task: str,
    truth: Any,
    rng: random.Random,
    tokens: int,
    options: dict[str, str] | None,
) -> str:
    think = reasoning(rng, tokens)
    lead = rng.choice(("", "The answer is ", "So the final answer is ", "\n"))
    right = _render(task, truth, rng, options)
    if kind == "right":
        return f"<think>{think}</think>\n{lead}\\boxed{{{right}}}"
    if kind == "wrong":
        wrong = _render(task, _other(task, truth, rng), rng, options)
        return f"<think>{think}</think>\n{lead}\\boxed{{{wrong}}}"
    if kind == "hedge":
        wrong = _canonical(task, _other(task, truth, rng))
        if rng.random() < 0.5:
            return f"<think>{think}</think>\n\\boxed{{{right}}} or \\boxed{{{wrong}}}"
        both = [right, wrong]
        rng.shuffle(both)
        return f"<think>{think}</think>\n{lead}\\boxed{{{both[0]} or {both[1]}}}"
    if kind == "box_in_think":
        return f"<think>{think} So it is \\boxed{{{right}}}.</think>\nI am fairly sure of it."
    if kind == "truncated":
        return f"<think>{think} It should be \\boxed{{{right}}} but let me check the"
    if kind == "inconsistent" and options is not None:
        letter = str(truth)
        other = rng.choice([c for c in "ABCD" if c != letter])
        return f"<think>{think}</think>\n\\boxed{{{letter}. {options[other]}}}"
    return f"<think>{think}</think>\n{lead}\\boxed{{{_invalid(task, truth, rng)}}}"


def generate(n: int, *, seed: int = 0, reasoning_tokens: int = 400) -> list[Row]:
    """`n` labelled completions in GRPO groups of five (same prompt and ground truth)."""
    rng = random.Random(seed)
    tasks = list(TASK_WEIGHTS)
    kinds = list(KIND_WEIGHTS)
    rows: list[Row] = []
    while len(rows) < n:
        task = rng.choices(tasks, weights=list(TASK_WEIGHTS.values()))[0]
        size = rng.choice((3, 4, 4)) if task == "shuffle" else 0
        prompt, options = _prompt(task, rng, size)
        truth = _truth(task, rng, size)
        for _ in range(min(GROUP_SIZE, n - len(rows))):
            kind = rng.choices(kinds, weights=list(KIND_WEIGHTS.values()))[0]
            if kind == "inconsistent" and options is None:
                kind = "invalid"
            rows.append(
                {
                    "task": task,
                    "ground_truth": _canonical(task, truth),
                    "prompt": prompt,
                    "completion": _completion(kind, task, truth, rng, reasoning_tokens, options),
                    "kind": kind,
                    "expected_accuracy": 1.0 if kind == "right" else 0.0,
                }
            )
    return rows


def _as_dict(row: Any) -> Row:
    """A generator row as a dict (dataclass rows carry `to_dict`)."""
    return dict(row.to_dict()) if hasattr(row, "to_dict") else dict(row)


def _package_generator() -> Callable[..., list[Row]] | None:
    """`ssrl_rewards.synthetic.generate` if present and shaped as the benchmarks need."""
    try:
        from ssrl_rewards import synthetic  # noqa: PLC0415 - optional module
    except ImportError:
        return None
    make = getattr(synthetic, "generate", None)
    if not callable(make):
        return None
    try:
        probe = [_as_dict(r) for r in make(5, seed=0, reasoning_tokens=20)]
    except Exception:
        return None
    needed = {"task", "ground_truth", "prompt", "completion", "kind", "expected_accuracy"}
    if len(probe) != 5 or not all(needed <= set(r) for r in probe):
        return None

    def adapted(n: int, *, seed: int = 0, reasoning_tokens: int = 400) -> list[Row]:
        return [_as_dict(r) for r in make(n, seed=seed, reasoning_tokens=reasoning_tokens)]

    return adapted


def labelled_batch(
    n: int, *, seed: int = 0, reasoning_tokens: int = 400, source: str = "auto"
) -> tuple[list[Row], str]:
    """(rows, name of the generator used); `source` is ``auto``, ``package`` or ``local``."""
    package = _package_generator() if source in ("auto", "package") else None
    if package is not None:
        return package(n, seed=seed, reasoning_tokens=reasoning_tokens), "ssrl_rewards.synthetic"
    if source == "package":
        raise RuntimeError("ssrl_rewards.synthetic.generate is not available")
    return generate(n, seed=seed, reasoning_tokens=reasoning_tokens), "benchmarks.bench_data"


def grpo_step(
    n: int, *, seed: int = 0, reasoning_tokens: int = 400, source: str = "auto"
) -> tuple[list[Row], str]:
    """`n` completions arranged as GRPO groups of five: one prompt and ground truth per group.

    Rows come from `labelled_batch`; within each task, every run of five rows takes the
    prompt and ground truth of its first row, as the five samples of one prompt would.
    Labels no longer hold after this (use `labelled_batch` for correctness); the answers
    stay in the task's notation, so parsing costs are those of real rollouts.
    """
    rows, name = labelled_batch(n, seed=seed, reasoning_tokens=reasoning_tokens, source=source)
    by_task: dict[str, list[Row]] = {}
    for row in rows:
        by_task.setdefault(row["task"], []).append(row)
    groups: list[list[Row]] = []
    for task_rows in by_task.values():
        for start in range(0, len(task_rows), GROUP_SIZE):
            group = task_rows[start : start + GROUP_SIZE]
            head = group[0]
            groups.append(
                [
                    {**r, "prompt": head["prompt"], "ground_truth": head["ground_truth"]}
                    for r in group
                ]
            )
    random.Random(seed).shuffle(groups)
    return [row for group in groups for row in group], name


# --- scaling inputs ------------------------------------------------------------------


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def benign(size: int) -> str:
    """Reasoning prose of about `size` characters, then a boxed answer."""
    tail = "</think> \\boxed{0-2-3-1}"
    body = _fill(" ".join(_WORDS) + " ", max(0, size - len("<think>") - len(tail)))
    return f"<think>{body}{tail}"


def hostile_families() -> dict[str, Callable[[int], str]]:
    """Builders of degenerate completions of a given size, by family name."""
    return {
        "closing think tags": lambda size: "<think>" + _fill("</think>", size),
        "closing answer tags": lambda size: "<think>x</think>" + _fill("</answer>", size),
        "repeated \\boxed{": lambda size: "<think>x</think>" + _fill("\\boxed{", size),
        "deep braces": lambda size: "<think>x</think>\\boxed{" + "{" * size,
        "spaced slashes": lambda size: "<think>" + _fill(" / ", size) + "</think>\\boxed{A}",
    }
