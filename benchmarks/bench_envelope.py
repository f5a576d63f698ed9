"""Envelope cost: a typical completion, and scaling from 1 KB to 1 MB on benign and hostile text.

The default ``max_chars`` cap (65,536) makes every longer input an O(1) ``too_long``, so
the scaling is measured both with the default config and with the cap lifted
(``max_chars=2_000_000``), where the whole text is scanned. Times are microseconds per
completion (median over interleaved rounds); the published reward is timed on the same
inputs while a call stays under about a second (its format regex is quadratic). A last
table gives, per hostile family, its cost over the benign input's at the largest size
with the cap lifted (the target is 5x).

    python benchmarks/bench_envelope.py [--quick | --ratios]

``--ratios`` prints only that table at 1 MB, for `score` and `parse_envelope`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import bench_common as bc
import bench_data
import bench_peers

import ssrl_rewards as sr

LIFTED = sr.RewardConfig(max_chars=2_000_000)
LIFTED_PAPER = sr.RewardConfig(mode="paper")  # paper mode has no length cap to lift
PAPER = sr.RewardConfig(mode="paper")
PUBLISHED_LIMIT = 1.0  # seconds: do not grow the published reward's input past this
RATIO_TARGET = 5.0
THINK = "<think>x</think>"


def _fill(unit: str, size: int) -> str:
    return unit * (size // len(unit))


# Floods beyond `bench_data.hostile_families()`: each defeated an earlier scan (a Python
# loop per occurrence, or a substring search per candidate); the last two cannot be told
# apart from a match by any one character, so the regex engine must look at each `<`.
EXTRA_FAMILIES: dict[str, Callable[[int], str]] = {
    "repeated \\fbox ": lambda size: THINK + _fill("\\fbox ", size),
    "repeated <think>": lambda size: _fill("<think>", size),
    "repeated <answer>": lambda size: THINK + _fill("<answer>", size),
    "backslash run": lambda size: THINK + "\\" * size,
    "repeated \\{": lambda size: THINK + _fill("\\{", size),
    "repeated </answer>": lambda size: THINK + _fill("</answer>", size),
    "repeated </think>": lambda size: _fill("</think>", size),
}


def families() -> dict[str, Callable[[int], str]]:
    """Name -> builder of a completion of about `size` characters; benign first."""
    built: dict[str, Callable[[int], str]] = {"benign": bench_data.benign}
    built.update(bench_data.hostile_families())
    built.update(EXTRA_FAMILIES)
    return built


def scorers() -> dict[str, Callable[[str], Any]]:
    """Name -> fn(completion) for one completion scored against a shuffle truth."""
    published = bench_peers.published_reward()
    return {
        "envelope, default cap": sr.parse_envelope,
        "envelope, cap lifted": lambda text: sr.parse_envelope(text, LIFTED),
        "score default, cap lifted": lambda text: sr.score(
            text, "0-2-3-1", "shuffle", config=LIFTED
        ),
        "score paper, cap lifted": lambda text: sr.score(
            text, "0-2-3-1", "shuffle", config=LIFTED_PAPER
        ),
        "published img_score": lambda text: published(text, "0-2-3-1"),
    }


def _typical(report: bc.Report, rounds: int) -> dict[str, float]:
    """Microseconds per call on one typical completion (~400 tokens, then a box)."""
    rows, _ = bench_data.labelled_batch(60, seed=7, reasoning_tokens=400)
    row = next(r for r in rows if r["expected_accuracy"] == 1.0 and r["task"] == "shuffle")
    text, truth = row["completion"], row["ground_truth"]
    published = bench_peers.published_reward()
    calls: dict[str, Callable[[], Any]] = {
        "parse_envelope": lambda: sr.parse_envelope(text),
        "score, default mode": lambda: sr.score(text, truth, "shuffle"),
        "score, paper mode": lambda: sr.score(text, truth, "shuffle", config=PAPER),
        "published img_score": lambda: published(text, truth),
    }
    times: dict[str, list[float]] = {name: [] for name in calls}
    names = list(calls)
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(bc.per_call(calls[name], budget=0.005))
    reference = times["published img_score"]
    rows_out = []
    figures = {}
    for name in names:
        us = bc.median(times[name]) * 1e6
        ratio = bc.median_ratio(reference, times[name])
        figures[name] = us
        rows_out.append((name, bc.fmt(us), bc.fmt(ratio) + "x"))
    report.section(
        "Envelope on a typical completion",
        f"One shuffle completion of {len(text):,} characters (~400 tokens of reasoning, then"
        f" a box); median of {rounds} interleaved rounds.\n\n"
        + bc.table(("call", "µs per call", "speed vs published"), rows_out),
    )
    return figures


def _scaling(report: bc.Report, sizes: Sequence[int], rounds: int) -> dict[str, Any]:
    """µs per completion for every family, size and scorer."""
    calls = scorers()
    builders = families()
    results: dict[str, dict[str, dict[int, float | None]]] = {
        f: {name: {} for name in calls} for f in builders
    }
    for family, build in builders.items():
        published_stopped = False
        for size in sizes:
            text = build(size)
            samples: dict[str, list[float]] = {name: [] for name in calls}
            active = [n for n in calls if n != "published img_score" or not published_stopped]
            for index in range(rounds):
                shift = index % len(active)
                for name in active[shift:] + active[:shift]:
                    repeat = 1 if name == "published img_score" else 3
                    samples[name].append(
                        bc.per_call(
                            lambda fn=calls[name], t=text: fn(t), budget=0.004, min_repeat=repeat
                        )
                    )
                    if name == "published img_score" and samples[name][-1] > PUBLISHED_LIMIT / 4:
                        break
            for name in calls:
                results[family][name][size] = bc.median(samples[name]) if samples[name] else None
            last = results[family]["published img_score"][size]
            # Stop growing the published reward's input once a 4x larger one may exceed the limit.
            if last is not None and last * 16 > PUBLISHED_LIMIT:
                published_stopped = True
    return results


def _scaling_tables(
    report: bc.Report, results: dict[str, Any], sizes: Sequence[int]
) -> dict[str, Any]:
    """One table per scorer (families x sizes), and the hostile/benign ratios at the top size."""
    top = max(sizes)
    families = list(results)
    headers = ("family", *(_size(s) for s in sizes))
    summary: dict[str, Any] = {}
    text = (
        "Microseconds per completion; `-` = not run (the published reward's quadratic regex"
        " would take more than about a second). Inputs: benign = reasoning prose then a box;"
        " closing think tags = `<think>` then `</think>` repeated; closing answer tags ="
        " `</answer>` repeated after a reasoning block; repeated `\\boxed{` after a"
        " reasoning block; deep braces = `\\boxed{` then `{` repeated; spaced slashes ="
        " `<think>` then ` / ` repeated, then `</think>\\boxed{A}`; the `repeated …` and"
        " `backslash run` families after a reasoning block (`<think>` and `</think>` alone).\n"
    )
    for name in next(iter(results.values())):
        rows = []
        for family in families:
            cells = [family]
            for size in sizes:
                value = results[family][name].get(size)
                cells.append("-" if value is None else bc.fmt(value * 1e6))
            rows.append(cells)
        text += f"\n**{name}**\n\n" + bc.table(headers, rows) + "\n"
        worst = _worst(results, name, top)
        common = max(s for s in sizes if all(results[f][name].get(s) is not None for f in families))
        at_common = _worst(results, name, common)
        summary[name] = {
            "worst_family": worst[0],
            "worst_ratio": worst[1],
            "not_run_at_top": [f for f in families if results[f][name].get(top) is None],
            "largest_common_size": common,
            "worst_family_common": at_common[0],
            "worst_ratio_common": at_common[1],
        }
    ratio_rows = [
        (
            name,
            info["worst_family"] or "-",
            bc.fmt(info["worst_ratio"]) + "x" if info["worst_family"] else "-",
            ", ".join(info["not_run_at_top"]) or "none",
            f"{_size(info['largest_common_size'])}: {info['worst_family_common']},"
            f" {bc.fmt(info['worst_ratio_common'])}x",
        )
        for name, info in summary.items()
    ]
    text += f"\nWorst hostile/benign ratio at {_size(top)}:\n\n" + bc.table(
        (
            "scorer",
            "worst family",
            "hostile / benign",
            f"not run at {_size(top)}",
            "worst at the largest size all ran",
        ),
        ratio_rows,
    )
    report.section(f"Scaling {_size(min(sizes))} to {_size(top)}", text)
    return summary


def _ratio_table(
    report: bc.Report, results: dict[str, Any], size: int, names: Sequence[str]
) -> dict[str, dict[str, float]]:
    """Per hostile family, its time over the benign input's at `size` for each of `names`."""
    ratios: dict[str, dict[str, float]] = {}
    rows = []
    for family in list(results)[1:]:
        cells: list[str] = [family]
        for name in names:
            benign = results["benign"][name].get(size)
            value = results[family][name].get(size)
            ratio = value / benign if value is not None and benign else float("nan")
            ratios.setdefault(family, {})[name] = ratio
            cells.append(bc.fmt(ratio) + "x")
        rows.append(cells)
    benign_row = ["benign (µs)"] + [bc.fmt(results["benign"][n][size] * 1e6) for n in names]
    report.section(
        f"Hostile / benign at {_size(size)}, cap lifted",
        f"Each family's cost over the benign input's (target: at most {bc.fmt(RATIO_TARGET)}x)."
        " Floods of closing tags are the known exception: an opening tag differs from a"
        " closing one only by a missing `/`, which no one-character search can find, so"
        " the regex engine must look at every `<`.\n\n"
        + bc.table(("family", *names), [benign_row, *rows]),
    )
    return ratios


def ratios_only(report: bc.Report, size: int = 1_048_576, rounds: int = 5) -> dict[str, Any]:
    """The hostile/benign table alone at `size`, for `score` and `parse_envelope`."""
    calls = {
        "score default, cap lifted": lambda text: sr.score(
            text, "0-2-3-1", "shuffle", config=LIFTED
        ),
        "envelope, cap lifted": lambda text: sr.parse_envelope(text, LIFTED),
    }
    results: dict[str, dict[str, dict[int, float | None]]] = {}
    for family, build in families().items():
        text = build(size)
        samples: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(rounds):
            for name, fn in calls.items():
                samples[name].append(
                    bc.per_call(lambda fn=fn, t=text: fn(t), budget=0.02, min_repeat=5)
                )
        results[family] = {name: {size: min(samples[name])} for name in calls}
    return _ratio_table(report, results, size, list(calls))


def _worst(results: dict[str, Any], name: str, size: int) -> tuple[str, float]:
    """The hostile family with the largest time / benign time for `name` at `size`."""
    benign = results["benign"][name].get(size)
    worst = ("", float("nan"))
    for family in list(results)[1:]:
        value = results[family][name].get(size)
        if value is None or benign is None:
            continue
        if not worst[0] or value / benign > worst[1]:
            worst = (family, value / benign)
    return worst


def _size(chars: int) -> str:
    return f"{chars // 1_048_576} MB" if chars >= 1_048_576 else f"{chars // 1024} KB"


def plot(results: dict[str, Any], sizes: Sequence[int], path: Path) -> Path | None:
    """A log-log PNG of the scaling curves, if matplotlib is installed."""
    try:
        import matplotlib  # noqa: PLC0415 - optional

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415
    except ImportError:
        return None
    names = ("score default, cap lifted", "score paper, cap lifted", "published img_score")
    fig, axes = plt.subplots(1, len(names), figsize=(5 * len(names), 4), sharey=True)
    for axis, name in zip(axes, names, strict=True):
        for family, by_name in results.items():
            points = [
                (s, by_name[name][s] * 1e6) for s in sizes if by_name[name].get(s) is not None
            ]
            if points:
                xs, ys = zip(*points, strict=True)
                axis.plot(xs, ys, marker="o", label=family)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_title(name)
        axis.set_xlabel("completion length (characters)")
    axes[0].set_ylabel("µs per completion")
    axes[0].legend(fontsize="small")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def run(
    report: bc.Report,
    *,
    sizes: Sequence[int],
    rounds: int,
    plot_path: Path | None = None,
) -> dict[str, Any]:
    """Typical-completion cost, scaling tables, the hostile/benign ratios and the plot."""
    typical = _typical(report, rounds)
    results = _scaling(report, sizes, rounds)
    summary = _scaling_tables(report, results, sizes)
    ratios = _ratio_table(
        report, results, max(sizes), ("score default, cap lifted", "envelope, cap lifted")
    )
    figures: dict[str, Any] = {
        "typical_us": typical,
        "scaling_us": {
            family: {
                name: {str(s): (v * 1e6 if v is not None else None) for s, v in by.items()}
                for name, by in per.items()
            }
            for family, per in results.items()
        },
        "hostile_over_benign": summary,
        "ratio_per_family": ratios,
    }
    if plot_path is not None:
        written = plot(results, sizes, plot_path)
        figures["plot"] = str(written) if written else None
        print(f"Plot: {written}\n" if written else "Plot: matplotlib not installed, skipped\n")
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny smoke size")
    parser.add_argument("--ratios", action="store_true", help="only the 1 MB ratio table")
    args = parser.parse_args(argv)
    if args.ratios:
        ratios_only(bc.Report())
    elif args.quick:
        run(bc.Report(), sizes=(1024, 16_384), rounds=1)
    else:
        run(bc.Report(), sizes=tuple(1024 * 4**k for k in range(6)), rounds=3)


if __name__ == "__main__":
    main()
