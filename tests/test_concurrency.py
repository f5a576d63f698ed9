"""Concurrency, distribution and time: `score` is a pure function of its inputs.

- The same 10,000 completions scored by 8 threads at once, and by a process pool, give
  results identical to a single-threaded run (caches cleared in between, so the threads
  also race to fill them).
- Every reward callable from `make_reward_fn` (each framework, each component, default
  and paper mode) and every integration entry point survives `pickle` and `cloudpickle`
  round trips and gives identical results after.
- With Ray installed, two Ray actors on a local CPU cluster score the workload identically
  (verl's own reward managers in Ray actors: `tests/integrations/test_verl.py`).
- Time: the cost of each hostile input family at 1 MB stays within a generous factor of a
  benign 1 MB input, measured as a ratio in one process; growing a hostile input 8x grows
  its cost far less than the 64x a quadratic scan would; and the floods that lack a
  character every tag or box must hold cost about what plain prose costs, because the
  envelope's one-character searches prove at memory speed that they hold no match.
"""

from __future__ import annotations

import functools
import gc
import itertools
import pickle
import random
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

import cloudpickle
import pytest

import ssrl_rewards as sr
from ssrl_rewards import reward_fn
from ssrl_rewards.integrations import easyr1, openrlhf, verl
from ssrl_rewards.integrations.base import ExampleRow, get_trainer

POSITION_PROMPT = (
    "Assume that there is a camera at position '1' and it's facing to the left of the image."
    " According to the camera, where is the region marker '2'? A. Left B. Right C. Front"
    " D. Back. The final answer should be chosen from 'A', 'B', 'C', and 'D'."
)
SPACES: dict[str, tuple[list[str], str | None]] = {
    "shuffle": (["-".join(map(str, p)) for p in itertools.permutations(range(4))], None),
    "depth": (["-".join(map(str, p)) for p in itertools.permutations(range(1, 4))], None),
    "flip": ([f"{label}-{d}" for label in range(4) for d in (0, 1)], None),
    "crop": (list("ABCD"), "Which image is the missing part in the first image?"),
    "position": (list("ABCD"), POSITION_PROMPT),
}
MODES = {
    "default": sr.RewardConfig(),
    "paper": sr.RewardConfig(mode="paper"),
    "positionwise": sr.RewardConfig(credit="positionwise"),
    "kendall": sr.RewardConfig(credit="kendall"),
}
EXTRAS = ["", " \\boxed{A}", " <think>again</think>", " or B", "\u200b", " }", "\ud800"]


def _completion(rng: random.Random, task: str, space: list[str], truth: str) -> str:
    answer = truth if rng.random() < 0.5 else rng.choice(space)
    if task in ("shuffle", "depth", "flip"):
        answer = answer.replace("-", rng.choice(["-", ", ", " ", " - ", "→"]))
    elif task == "position" and rng.random() < 0.3:
        answer = {"A": "Left", "B": "Right", "C": "Front", "D": "Back"}[answer]
    if rng.random() < 0.1:
        answer += " or " + rng.choice(space)
    words = " ".join(rng.choice(["left", "patch", "sky", "edge", "<", "{", "1"]) for _ in range(60))
    opening = rng.choice(["<think>", "<think>", "", "< think >"])
    return f"{opening}{words}</think> \\boxed{{{answer}}}{rng.choice(EXTRAS)}"


def _workload(
    n: int = 10_000, seed: int = 20_251_122
) -> list[tuple[str, str, str, str | None, str]]:
    """(completion, ground truth, task, prompt, mode) rows, deterministic."""
    rng = random.Random(seed)
    rows = []
    for index in range(n):
        task = rng.choice(sorted(SPACES))
        space, prompt = SPACES[task]
        truth = rng.choice(space)
        rows.append(
            (_completion(rng, task, space, truth), truth, task, prompt, sorted(MODES)[index % 4])
        )
    return rows


WORKLOAD = _workload()


def _score_rows(rows: Sequence[tuple[str, str, str, str | None, str]]) -> list[sr.RewardResult]:
    return [sr.score(c, g, t, prompt=p, config=MODES[m]) for c, g, t, p, m in rows]


def _clear_caches() -> int:
    """Empty every memo of the package, so concurrent runs also race to fill them."""
    cleared = 0
    modules = [m for name, m in sorted(sys.modules.items()) if name.startswith("ssrl_rewards")]
    for module in modules:
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == module.__name__:
                clear()
                cleared += 1
    return cleared


@pytest.fixture(scope="module")
def baseline() -> list[sr.RewardResult]:
    """The single-threaded results of the workload, from empty caches."""
    assert _clear_caches() >= 3  # the verdict, ground-truth and prompt-option memos at least
    results = _score_rows(WORKLOAD)
    assert len(results) == len(WORKLOAD)
    # the workload is varied: right, wrong, partial and refused answers all occur
    reasons = {r.reason for r in results}
    assert {sr.Reason.CORRECT, sr.Reason.WRONG, sr.Reason.MULTIPLE_ANSWERS} <= reasons
    assert any(0.0 < r.accuracy < 1.0 for r in results)
    return results


def test_eight_threads_at_once_match_a_single_thread(baseline: list[sr.RewardResult]) -> None:
    """8 threads each score all 10,000 rows (each from a different offset) simultaneously."""
    _clear_caches()
    n_threads = 8
    barrier = threading.Barrier(n_threads)
    outputs: dict[int, list[sr.RewardResult]] = {}
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            offset = index * len(WORKLOAD) // n_threads
            order = list(range(offset, len(WORKLOAD))) + list(range(offset))
            barrier.wait()
            scored = _score_rows([WORKLOAD[i] for i in order])
            result: list[Any] = [None] * len(WORKLOAD)
            for position, value in zip(order, scored, strict=True):
                result[position] = value
            outputs[index] = result
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(outputs) == list(range(n_threads))
    for index in range(n_threads):
        assert outputs[index] == baseline, f"thread {index} disagrees"


def test_process_pool_matches_a_single_thread(baseline: list[sr.RewardResult]) -> None:
    """`score_batch` in a 2-process pool (spawned workers) gives the same results."""
    jobs = []
    for mode, cfg in MODES.items():
        indices = [i for i, row in enumerate(WORKLOAD) if row[4] == mode]
        for chunk in (indices[: len(indices) // 2], indices[len(indices) // 2 :]):
            jobs.append((chunk, cfg))
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        futures = [
            (
                chunk,
                pool.submit(
                    functools.partial(sr.score_batch, config=cfg),
                    [WORKLOAD[i][0] for i in chunk],
                    [WORKLOAD[i][1] for i in chunk],
                    [WORKLOAD[i][2] for i in chunk],
                    prompts=[WORKLOAD[i][3] for i in chunk],
                ),
            )
            for chunk, cfg in jobs
        ]
        merged: list[Any] = [None] * len(WORKLOAD)
        for chunk, future in futures:
            for index, result in zip(chunk, future.result(), strict=True):
                merged[index] = result
    assert merged == baseline


def test_ray_actors_match_a_single_thread(baseline: list[sr.RewardResult]) -> None:
    """Two Ray actors on a local 2-CPU cluster score the workload; results are identical.

    Needs Ray (skipped otherwise): it runs in the integration environment, e.g.
    ``/work/venvs/integ/bin/python -m pytest tests/test_concurrency.py -k ray``. verl's own
    reward managers in Ray actors are tested in ``tests/integrations/test_verl.py``.
    """
    ray = pytest.importorskip("ray")
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:

        class Scorer:  # local, so cloudpickle ships it to the workers by value
            def __init__(self) -> None:
                self.reward = sr.make_reward_fn("verl", component="accuracy")

            def score(self, rows: list[Any]) -> list[Any]:
                return [sr.score(c, g, t, prompt=p, config=MODES[m]) for c, g, t, p, m in rows]

            def verl(self, rows: list[Any]) -> list[Any]:
                return [
                    self.reward("ssrl", c, g, {"task": t, "prompt": p}) for c, g, t, p, _ in rows
                ]

        actors = [ray.remote(Scorer).remote() for _ in range(2)]
        half = len(WORKLOAD) // 2
        parts = [WORKLOAD[:half], WORKLOAD[half:]]
        scored = ray.get([a.score.remote(part) for a, part in zip(actors, parts, strict=True)])
        assert scored[0] + scored[1] == baseline
        sample = WORKLOAD[:500]
        local = Scorer().verl(sample)
        assert ray.get(actors[1].verl.remote(sample)) == local
    finally:
        if started:
            ray.shutdown()


# --- pickling every reward callable --------------------------------------------------------

SAMPLES = [
    # (completion, ground truth, task, prompt)
    ("<think>sky on top</think> \\boxed{0-2-3-1}", "0-2-3-1", "shuffle", None),
    ("<think>sky on top</think> \\boxed{0-3-2-1}", "0-2-3-1", "shuffle", None),
    ("<think>near</think> \\boxed{3, 1, 2}", "3-1-2", "depth", None),
    ("<think>mirror</think> \\boxed{2-0}", "2-1", "flip", None),
    ("<think>hole</think> \\boxed{A} \\boxed{B}", "B", "crop", None),
    ("<think>camera</think> \\boxed{Left}", "A", "position", POSITION_PROMPT),
    ("no reasoning, no box", "C", "crop", None),
]


def _call(fn: Any) -> Any:
    """Call a reward callable the way its trainer does, on SAMPLES: each registered
    trainer's own example call (`TrainerSpec.example`), so a new trainer needs no branch."""
    spec = get_trainer(fn.framework)
    return spec.example(fn, [ExampleRow(*sample) for sample in SAMPLES])


def _reward_fns() -> list[Any]:
    fns = []
    for framework in reward_fn.FRAMEWORKS:
        for component in reward_fn.COMPONENTS:
            fns.append(pytest.param(framework, component, {}, id=f"{framework}-{component}"))
        fns.append(pytest.param(framework, "score", {"mode": "paper"}, id=f"{framework}-paper"))
        fns.append(
            pytest.param(framework, "accuracy", {"credit": "kendall"}, id=f"{framework}-kendall")
        )
    return fns


@pytest.mark.parametrize(("framework", "component", "fields"), _reward_fns())
@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
def test_reward_callables_survive_pickling(
    framework: str, component: str, fields: dict[str, Any], dumps: Callable[[Any], bytes]
) -> None:
    """A round trip keeps the callable's name, config and every result."""
    fn = sr.make_reward_fn(framework, component=component, **fields)
    before = _call(fn)
    clone = pickle.loads(dumps(fn))
    assert type(clone) is type(fn)
    assert clone.__name__ == fn.__name__ == f"ssrl_{component}"
    assert clone.config == fn.config
    assert _call(clone) == before
    # the results are not trivial: some rows pay, some do not
    flat = repr(before)
    assert "1.0" in flat and "0.0" in flat


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
def test_swift_orm_classes_survive_pickling(dumps: Callable[[Any], bytes]) -> None:
    """The ms-swift plugin's ORM classes, built as ms-swift builds them (``cls(args=...)``)."""
    swift = pytest.importorskip("ssrl_rewards.integrations.swift")
    for cls in swift.SWIFT_REWARDS.values():
        fn = cls(args=None)
        clone = pickle.loads(dumps(fn))
        assert type(clone) is type(fn)
        assert _call(clone) == _call(fn)


def test_openrlhf_tensors_survive_pickling() -> None:
    """The OpenRLHF call itself (torch tensors) after a cloudpickle round trip."""
    torch = pytest.importorskip("torch")
    fn = sr.make_reward_fn("openrlhf")
    clone = cloudpickle.loads(cloudpickle.dumps(fn))
    labels = [{"task": t, "answer": g} for _, g, t, _ in SAMPLES]
    args = ([s[0] for s in SAMPLES], [s[3] for s in SAMPLES], labels)
    assert torch.equal(fn(*args)["rewards"], clone(*args)["rewards"])


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
def test_integration_entry_points_survive_pickling(dumps: Callable[[Any], bytes]) -> None:
    """The functions trainers load by path (verl, EasyR1, OpenRLHF) pickle by reference."""
    c, g, t, p = SAMPLES[0]
    clone = pickle.loads(dumps(verl.compute_score))
    assert clone("spatial_ssrl/shuffle", c, g, {}) == verl.compute_score(
        "spatial_ssrl/shuffle", c, g, {}
    )
    batch = pickle.loads(dumps(verl.compute_score_batch))
    assert batch(["shuffle"], [c], [g]) == verl.compute_score_batch(["shuffle"], [c], [g])
    inputs = [{"response": c, "response_length": len(c), "ground_truth": g}]
    assert pickle.loads(dumps(easyr1.compute_score))(inputs) == easyr1.compute_score(inputs)
    assert pickle.loads(dumps(openrlhf.reward_func)) is openrlhf.reward_func
    assert pickle.loads(dumps(sr.score))(c, g, t, prompt=p) == sr.score(c, g, t, prompt=p)


# --- time: hostile 1 MB inputs against a benign 1 MB input ---------------------------------

MB = 1_000_000
BIG = {"max_chars": 8 * MB}


def _big(mode: str) -> sr.RewardConfig:
    """A config that scans the big inputs (paper mode has no length limit to raise)."""
    return sr.RewardConfig(**BIG) if mode == "default" else sr.RewardConfig(mode="paper")


FACTOR = 100  # generous: a quadratic scan of 1 MB costs >10,000x the benign input
GROWTH = 24  # 8x the input may cost at most 24x the time (linear: 8x, quadratic: 64x)
THINK = "<think>x</think>"


def _benign(size: int) -> str:
    """Reasoning prose with inline LaTeX and comparisons, then one box: an honest long input."""
    unit = "Patch $p_{1}$ lies left of $p_{2}$ since $x_1 < x_2$ and \\frac{a}{b} > 1. "
    return "<think>" + unit * (size // len(unit)) + "</think> \\boxed{A}"


def _fill(unit: str, size: int) -> str:
    return unit * (size // len(unit))


def _prose(size: int) -> str:
    """Reasoning of plain words, then one box: what a `str.find` scan passes at memory speed."""
    return "<think>" + _fill("the left patch shows sky and grass ", size) + "</think> \\boxed{A}"


# name -> (builder of an input of about `size` characters, ground truth, task, prompt)
HOSTILE: dict[str, Callable[[int], str]] = {
    "many_lt": lambda n: THINK + _fill("<", n) + "\\boxed{A}",
    "lt_space_runs": lambda n: _fill("<" + " " * 60, n),
    "unclosed_think": lambda n: "<think>" + _fill("<", n),
    "think_opens": lambda n: _fill("<think>", n),
    "think_closes": lambda n: _fill("</think>", n),
    "think_pairs": lambda n: _fill("<think>a</think>", n),
    "tag_whitespace": lambda n: "< " + " " * n + "think>",
    "slash_tags": lambda n: _fill("< / think" + " " * 20, n),
    "backslashes": lambda n: THINK + _fill("\\", n),
    "box_opens": lambda n: THINK + _fill("\\boxed{", n),
    "box_spaces": lambda n: THINK + _fill("\\boxed" + " " * 60, n),
    "boxes": lambda n: THINK + _fill("\\boxed{A}", n),
    "boxes_in_think": lambda n: "<think>" + _fill("\\boxed{B}", n) + "</think>\\boxed{A}",
    "open_braces": lambda n: THINK + "\\boxed{" + "{" * n,
    "nested_braces": lambda n: THINK + "\\boxed{" + "{" * (n // 2) + "A" + "}" * (n // 2) + "}",
    "close_braces": lambda n: THINK + "\\boxed{A" + "}" * n,
    "answer_tags": lambda n: THINK + _fill("<answer>A</answer>", n),
    "answer_opens": lambda n: THINK + _fill("<answer>", n),
    "answer_closes": lambda n: THINK + _fill("</answer>", n),
    "answer_tags_with_boxes": lambda n: THINK + _fill("<answer>\\boxed{A}</answer>", n),
    "zero_width": lambda n: "<think>" + "\u200b" * n + "</think>\\boxed{A}",
    "surrogates": lambda n: "<think>" + "\ud800" * n + "</think>\\boxed{A}",
    "nul": lambda n: "<think>" + "\x00" * n + "</think>\\boxed{A}",
    "answer_is": lambda n: THINK + _fill("the answer is ", n),
    "box_letters": lambda n: THINK + "\\boxed{" + _fill("A B ", n) + "}",
    "box_option_hedge": lambda n: THINK + "\\boxed{" + _fill("Left or ", n) + "}",
    "box_whitespace_slash": lambda n: THINK + "\\boxed{" + _fill(" " * 40 + "/", n) + "}",
    "box_text_wrappers": lambda n: THINK + "\\boxed{" + _fill("\\text{", n) + "}",
    # every tag or box search ends at a missing character (see MEMCHR_FAMILIES)
    "fbox_spaces": lambda n: THINK + _fill("\\fbox ", n),
    "fbox_spaces_bare": lambda n: _fill("\\fbox ", n),
    "backslash_braces": lambda n: THINK + _fill("\\{", n),
    # every character a search leapfrogs is present: the regex engine scans the rest
    "backslash_x_braces": lambda n: THINK + _fill("\\x{", n),
    "lt_k_gt": lambda n: THINK + _fill("<k>", n) + "\\boxed{A}",
    "spaced_answer_closes": lambda n: THINK + _fill("< /answer>", n),
    # empty boxes, hedging answer tags, a balanced box far over max_answer_chars
    "empty_boxes": lambda n: THINK + _fill("\\boxed{}", n),
    "tag_hedges": lambda n: THINK + _fill("<answer>B \\boxed{A}</answer>", n),
    "long_box_then_box": lambda n: THINK + "\\boxed{" + _fill("A ", n) + "} \\boxed{A}",
    # a box that never closes but holds a brace pair every 3 characters (fuzz's slowest)
    "sibling_brace_pairs": lambda n: THINK + "\\boxed{" + _fill("{A}", n),
    # alternatives offered after the final box
    "trailing_or": lambda n: THINK + "\\boxed{A}" + _fill(" or maybe B", n),
}
# Floods without a character that every match of some search must hold (`{` for a box,
# `/` for a closing tag, `k` for a think tag): one `str.find` each proves it absent.
MEMCHR_FAMILIES = (
    "many_lt",
    "lt_space_runs",
    "unclosed_think",
    "think_opens",
    "slash_tags",
    "backslashes",
    "box_spaces",
    "answer_opens",
    "fbox_spaces",
    "fbox_spaces_bare",
    "backslash_braces",
)
MEMCHR_FACTOR = 10  # measured about 1x; the scans these replaced cost 19x to 150x


def _best_time(text: str, cfg: sr.RewardConfig, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        sr.score(text, "A", "position", prompt=POSITION_PROMPT, config=cfg)
        best = min(best, time.perf_counter() - start)
    return best


def _params() -> list[Any]:
    params = []
    for mode in ("default", "paper"):
        for name in HOSTILE:
            params.append(pytest.param(mode, name, id=f"{mode}-{name}"))
    return params


@pytest.fixture(scope="module")
def benign_cost() -> dict[str, float]:
    """Best-of time of the benign 1 MB input, per mode (enough repeats to be stable)."""
    gc.collect()
    return {mode: _best_time(_benign(MB), _big(mode), 25) for mode in ("default", "paper")}


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "family"), _params())
def test_hostile_megabyte_costs_a_bounded_multiple_of_benign(
    mode: str, family: str, benign_cost: dict[str, float]
) -> None:
    """Each hostile family at 1 MB costs at most FACTOR x the benign 1 MB input."""
    cfg = _big(mode)
    text = HOSTILE[family](MB)
    assert MB * 0.9 <= len(text) <= MB * 1.1
    result = sr.score(text, "A", "position", prompt=POSITION_PROMPT, config=cfg)
    assert result.reason is not sr.Reason.TOO_LONG  # really scanned
    cost = _best_time(text, cfg, 5)
    ratio = cost / benign_cost[mode]
    assert ratio <= FACTOR, f"{family}: {cost * 1e3:.2f} ms = {ratio:.0f}x benign"


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["default", "paper"])
def test_hostile_cost_grows_linearly(mode: str) -> None:
    """From 125 kB to 1 MB (8x) every family's cost grows by at most GROWTH x."""
    cfg = _big(mode)
    floor = 2e-4  # below 0.2 ms, timer noise dominates: treat as this much
    for family, build in HOSTILE.items():
        small = max(_best_time(build(MB // 8), cfg, 5), floor)
        large = max(_best_time(build(MB), cfg, 5), floor)
        assert large / small <= GROWTH, f"{family}: {small * 1e3:.2f} ms -> {large * 1e3:.2f} ms"


@pytest.mark.slow
@pytest.mark.parametrize("family", MEMCHR_FAMILIES)
def test_floods_missing_a_needed_character_cost_about_what_prose_costs(family: str) -> None:
    """Within MEMCHR_FACTOR x a plain-prose megabyte (a ratio in one process, best of runs)."""
    cfg = sr.RewardConfig(**BIG)
    gc.collect()
    prose = _best_time(_prose(MB), cfg, 25)
    cost = _best_time(HOSTILE[family](MB), cfg, 25)
    ratio = cost / prose
    assert ratio <= MEMCHR_FACTOR, f"{family}: {cost * 1e3:.3f} ms = {ratio:.1f}x prose"


def test_default_cap_makes_megabytes_constant_time() -> None:
    """Under the default max_chars a 1 MB input is refused unread (too_long)."""
    for build in HOSTILE.values():
        result = sr.score(build(MB), "A", "position", prompt=POSITION_PROMPT)
        assert (result.accuracy, result.reason) == (0.0, sr.Reason.TOO_LONG)
