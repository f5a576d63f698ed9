"""Fuzz `ssrl_rewards.score` with a million generated completions.

    python benchmarks/fuzz.py                      # 1,000,000 completions on 2 processes
    python benchmarks/fuzz.py -n 50000 -j 1        # a quick run
    python benchmarks/fuzz.py --seed 7             # another deterministic stream

Completions mix random Unicode (lone surrogates, NUL, format characters), soup of the
answer grammar's pieces (tags, boxes, braces, separators, letters, digits, look-alikes),
well-formed answers in every honest notation (right and wrong ones, wrapped in soup), and
hostile long inputs (repeated tags, boxes, braces, up to ~160 KB; some over the 65,536
character cap). Every one is scored in one of default, paper, positionwise and kendall
mode. Prints:

- exceptions raised by `score` (must be 0);
- wrong answers paid: a wrong answer boxed after ``</think>`` that got accuracy 1 in a
  non-paper mode (must be 0);
- the slowest input (repr, truncated), its time and its time per kilobyte, and the
  highest time per kilobyte among inputs of at least 1 KB.

Exits 1 if an exception or a paid wrong answer occurred.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import random
import sys
import time
from pathlib import Path
from typing import Any

import ssrl_rewards as sr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository's tests/
from tests import fuzz_vocabulary as vocab
from tests.fuzz_vocabulary import OPTIONS, PIECES, WRAPS

SPACES = {**vocab.SPACES, "strips": vocab.STRIPS}  # "strips" rows: shuffle, three strips
TASKS = sorted(SPACES)
KEEP = 12  # slowest, worst-per-KB and longest inputs kept per chunk for re-timing
NOISE = 2e-4  # calls slower than this are timed twice more (scheduler noise is common)
CONFIGS = {
    "default": sr.RewardConfig(),
    "paper": sr.RewardConfig(mode="paper"),
    "positionwise": sr.RewardConfig(credit="positionwise"),
    "kendall": sr.RewardConfig(credit="kendall"),
}
MODES = sorted(CONFIGS)
SEPARATORS = [*vocab.SEPARATORS, ""]  # also concatenated digits (0231)
HOSTILE_UNITS = [
    "<",
    "< ",
    "<think>",
    "</think>",
    "< / think",
    "\\",
    "\\boxed{",
    "\\boxed{A}",
    "{",
    "}",
    "<answer>",
    "</answer>",
    "<answer>A</answer>",
    " ",
    "\u200b",
    "\ud800",
    "\x00",
    "the answer is ",
    "0-1-2-3 or ",
    "A B ",
    "Left or ",
    "{A}",
    "\\text{",
]


def random_unicode(rng: random.Random, size: int) -> str:
    """Random code points (any plane, surrogates included), biased to ASCII."""
    chars = []
    for _ in range(size):
        roll = rng.random()
        if roll < 0.6:
            chars.append(chr(rng.randrange(0x20, 0x7F)))
        elif roll < 0.8:
            chars.append(chr(rng.randrange(0, 0x3000)))
        else:
            chars.append(chr(rng.randrange(0, 0x110000)))
    return "".join(chars)


def soup(rng: random.Random, pieces: int) -> str:
    """A mixture of the grammar's pieces."""
    return "".join(rng.choice(PIECES) for _ in range(pieces))


def render(rng: random.Random, task: str, canonical: str) -> str:
    """`canonical` in one of the honest notations of its task."""
    if task in ("crop", "position"):
        forms = [
            canonical,
            canonical.lower(),
            f"({canonical})",
            f"{canonical}.",
            f"Option {canonical}",
            f"\\text{{{canonical}}}",
            chr(ord(canonical) + 0xFEE0),
        ]
        if task == "position":
            forms += [f"{canonical}. {OPTIONS[canonical]}", OPTIONS[canonical].lower()]
        return rng.choice(forms)
    body = rng.choice(SEPARATORS).join(canonical.split("-"))
    opening, closing = rng.choice(WRAPS)
    return opening + body + closing


def generate(rng: random.Random) -> tuple[str, str, str | None, str, bool]:
    """(completion, ground truth, prompt, task, holds a wrong final box)."""
    kind = rng.random()
    task = rng.choice(TASKS)
    space, prompt = SPACES[task]
    truth = rng.choice(space)
    wrong_box = False
    if kind < 0.15:
        completion = random_unicode(rng, rng.randrange(0, 400))
    elif kind < 0.45:
        completion = soup(rng, rng.randrange(0, 40))
    elif kind < 0.75:
        answer = truth if rng.random() < 0.5 else rng.choice([a for a in space if a != truth])
        wrong_box = answer != truth
        completion = (
            soup(rng, rng.randrange(0, 12))
            + "</think> \\boxed{"
            + render(rng, task, answer)
            + "}"
            + soup(rng, rng.randrange(0, 12))
        )
    elif kind < 0.995:
        reasoning = random_unicode(rng, rng.randrange(200, 2500))
        completion = f"<think>{reasoning}</think> \\boxed{{{render(rng, task, truth)}}}"
    else:  # hostile long input, 1-160 KB
        unit = rng.choice(HOSTILE_UNITS)
        body = unit * (rng.randrange(1_000, 160_000) // len(unit))
        shapes = [
            body,
            "<think>x</think>" + body,
            "<think>" + body + "</think>\\boxed{A}",
            "<think>x</think>\\boxed{" + body + "}",
            "<think>x</think>\\boxed{A}" + body,
        ]
        completion = rng.choice(shapes)
    return completion, truth, prompt, "shuffle" if task == "strips" else task, wrong_box


def run_chunk(job: tuple[int, int]) -> dict[str, Any]:
    """Score `count` completions from the stream seeded by `seed`; return the statistics."""
    seed, count = job
    rng = random.Random(seed)
    stats: dict[str, Any] = {
        "n": 0,
        "exceptions": 0,
        "exception_examples": [],
        "wrong_paid": 0,
        "wrong_paid_examples": [],
        "candidates": {},
        "seconds": 0.0,
        "chars": 0,
    }
    clock = time.perf_counter
    for _ in range(count):
        completion, truth, prompt, task, wrong_box = generate(rng)
        mode = rng.choice(MODES)
        start = clock()
        try:
            result = sr.score(completion, truth, task, prompt=prompt, config=CONFIGS[mode])
        except Exception as exc:  # the property under test: this must never happen
            elapsed = clock() - start
            stats["exceptions"] += 1
            if len(stats["exception_examples"]) < 5:
                stats["exception_examples"].append(
                    f"{type(exc).__name__}: {exc} | {task} {truth!r} {mode} {completion[:200]!r}"
                )
            result = None
        else:
            elapsed = clock() - start
        stats["n"] += 1
        stats["seconds"] += elapsed
        stats["chars"] += len(completion)
        if result is not None and elapsed > NOISE:  # a slow call: keep it only if it repeats
            elapsed = min(elapsed, retime((completion, truth, prompt, task, mode), repeats=2))
        if result is not None and wrong_box and mode != "paper" and result.accuracy == 1.0:
            stats["wrong_paid"] += 1
            if len(stats["wrong_paid_examples"]) < 5:
                stats["wrong_paid_examples"].append(f"{task} {truth!r} {mode} {completion!r:.300}")
        case = (completion, truth, prompt, task, mode)
        candidates = stats["candidates"].setdefault(mode, {"slow": [], "kb": [], "long": []})
        _keep(candidates["slow"], elapsed, case)
        _keep(candidates["long"], float(len(completion)), case)
        if len(completion) >= 1024:
            _keep(candidates["kb"], elapsed / (len(completion) / 1024), case)
    return stats


def _keep(top: list[tuple[float, Any]], value: float, case: Any) -> None:
    """Keep the `KEEP` largest (value, case) pairs: candidates to re-time at the end."""
    if len(top) < KEEP or value > top[-1][0]:
        top.append((value, case))
        top.sort(key=lambda item: -item[0])
        del top[KEEP:]


def retime(case: tuple[str, str, str | None, str, str], repeats: int = 5) -> float:
    """Best of `repeats` timings of one case (single-call timings are noisy)."""
    completion, truth, prompt, task, mode = case
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        sr.score(completion, truth, task, prompt=prompt, config=CONFIGS[mode])
        best = min(best, time.perf_counter() - start)
    return best


def merge(total: dict[str, Any], part: dict[str, Any]) -> None:
    """Fold one chunk's statistics into the running total."""
    for key in ("n", "exceptions", "wrong_paid", "seconds", "chars"):
        total[key] += part[key]
    for key in ("exception_examples", "wrong_paid_examples"):
        total[key] = (total[key] + part[key])[:5]
    for mode, lists in part["candidates"].items():
        mine = total["candidates"].setdefault(mode, {"slow": [], "kb": [], "long": []})
        for key, top in lists.items():
            for value, case in top:
                _keep(mine[key], value, case)


def main(argv: list[str] | None = None) -> int:
    """Run the fuzzer and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--completions", type=int, default=1_000_000)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chunk", type=int, default=20_000)
    args = parser.parse_args(argv)
    jobs = []
    remaining = args.completions
    for index in itertools.count():
        if remaining <= 0:
            break
        size = min(args.chunk, remaining)
        jobs.append((args.seed * 1_000_003 + index, size))
        remaining -= size
    total: dict[str, Any] = {
        "n": 0,
        "exceptions": 0,
        "exception_examples": [],
        "wrong_paid": 0,
        "wrong_paid_examples": [],
        "candidates": {},
        "seconds": 0.0,
        "chars": 0,
    }
    wall = time.perf_counter()
    if args.jobs > 1:
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            for part in pool.imap_unordered(run_chunk, jobs):
                merge(total, part)
    else:
        for job in jobs:
            merge(total, run_chunk(job))
    wall = time.perf_counter() - wall

    # Re-time the candidates of each mode (best of 5): slowest, worst per KB, longest.
    timed: dict[str, list[tuple[float, Any]]] = {}
    for mode, lists in sorted(total["candidates"].items()):
        cases = [case for top in lists.values() for _, case in top]
        timed[mode] = [(retime(case), case) for case in cases]
    everything = [item for items in timed.values() for item in items]
    slow_t, slow_case = max(everything, key=lambda item: item[0])
    print(f"ssrl_rewards {sr.__version__} fuzz: seed {args.seed}, {args.jobs} process(es)")
    print(f"completions scored : {total['n']:,} ({total['chars'] / 1e6:,.1f} M characters)")
    print(f"wall time          : {wall:,.1f} s ({total['seconds']:,.1f} s inside score)")
    print(f"mean per completion: {total['seconds'] / max(total['n'], 1) * 1e6:,.1f} us")
    print(f"exceptions         : {total['exceptions']}")
    for example in total["exception_examples"]:
        print(f"  {example}")
    print(f"wrong answers paid : {total['wrong_paid']}")
    for example in total["wrong_paid_examples"]:
        print(f"  {example}")
    slow_len = len(slow_case[0])
    print(
        f"slowest input      : {slow_t * 1e3:,.2f} ms, {slow_len:,} chars, "
        f"{slow_t * 1e6 / (max(slow_len, 1) / 1024):,.2f} us/KB ({slow_case[3]}, {slow_case[4]})"
    )
    print(f"  {slow_case[0][:160]!r}")
    for mode, items in timed.items():
        worst_t, worst_case = max(items, key=lambda item: item[0])
        big = [(t / (len(c[0]) / 1024), c) for t, c in items if len(c[0]) >= 1024]
        kb_t, kb_case = max(big, key=lambda item: item[0])
        print(
            f"{mode:>13} mode : slowest {worst_t * 1e3:,.2f} ms ({len(worst_case[0]):,} chars); "
            f"worst {kb_t * 1e6:,.2f} us/KB on {len(kb_case[0]):,} chars: {kb_case[0][:60]!r}"
        )
    return 1 if total["exceptions"] or total["wrong_paid"] else 0


if __name__ == "__main__":
    sys.exit(main())
