"""Run every benchmark and print the tables; the one documented command.

    python benchmarks/run_all.py            # full run (a few minutes on 2 cores)
    python benchmarks/run_all.py --quick    # tiny smoke size (seconds)

Writes ``results.md``, ``results.json`` and (with matplotlib) ``scaling.png`` to
``--out``: by default ``docs/benchmarks/`` for a full run (the figures the docs link to,
committed, never copied by hand) and the git-ignored ``benchmarks/results/`` for ``--quick``,
so a smoke run never replaces the published figures. Peers that are not installed (mathruler,
math-verify, TRL) are skipped with a note; install them with the ``bench`` extra.
No figure here is an assertion: targets are reported as met or missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_adapters
import bench_common as bc
import bench_correctness
import bench_envelope
import bench_import
import bench_throughput

SIZES = {
    "quick": {
        "n": 40,
        "tokens": (100,),
        "rounds": 2,
        "peer_n": 8,
        "correct_n": 60,
        "sizes": (1024, 16_384),
        "adapter_rounds": 2,
        "import_rounds": 1,
    },
    "full": {
        "n": 1280,
        "tokens": (100, 400, 4000),
        "rounds": 7,
        "peer_n": 128,
        "correct_n": 1280,
        "sizes": tuple(1024 * 4**k for k in range(6)),
        "adapter_rounds": 31,
        "import_rounds": 3,
    },
}


def source_revision() -> str:
    """The git commit of the scored package, marked when its files have local changes."""
    import ssrl_rewards  # noqa: PLC0415 - only to locate the source tree

    package = Path(ssrl_rewards.__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(package), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(package), "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"{package} (not a git checkout)"
    return commit + (" with uncommitted changes" if dirty else "")


def machine() -> str:
    """CPU model, cores, Python and package versions, as one paragraph."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = [f"ssrl_rewards source {source_revision()}"]
    for dist in ("ssrl-rewards", "mathruler", "math-verify", "trl", "torch"):
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist} not installed")
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs (shared), {platform.system()}; Python"
        f" {platform.python_version()} ({platform.python_implementation()}); "
        + ", ".join(versions)
        + "."
    )


def targets(report: bc.Report, figures: dict[str, Any]) -> None:
    """The issue's targets, met or missed, from this run's figures."""
    through = figures["throughput"]
    headline = "400" if "400" in through else next(iter(through))
    for tokens, level in through.items():
        default = level["ssrl_rewards default"]["vs_published"]
        paper = level["ssrl_rewards paper"]["vs_published"]
        graded = tokens == headline  # the step of the issue; other lengths are shown as info
        report.target(
            f"default mode >= 5x published (~{tokens} tokens)",
            default >= 5.0 if graded else None,
            f"{bc.fmt(default)}x",
        )
        report.target(
            f"paper mode >= 1x published (~{tokens} tokens)",
            paper >= 1.0 if graded else None,
            f"{bc.fmt(paper)}x",
        )
    hostile = figures["envelope"]["hostile_over_benign"]
    for name in (
        "envelope, default cap",
        "envelope, cap lifted",
        "score default, cap lifted",
        "score paper, cap lifted",
    ):
        info = hostile[name]
        report.target(
            f"hostile <= 5x benign at the largest size ({name})",
            info["worst_ratio"] <= 5.0 if info["worst_family"] else None,
            f"worst {info['worst_family']}: {bc.fmt(info['worst_ratio'])}x",
        )
    for name, info in figures["adapters"].items():
        if isinstance(info, dict) and name != "raw score":
            report.target(
                f"adapter overhead < 10% ({name})",
                info["overhead"] < 0.10,
                f"{100 * info['overhead']:+.1f}%",
            )
    paid = figures["correctness"]["default_false_positives"]
    report.target("zero false positives, default mode", not paid, f"{len(paid)} paid wrong rows")
    mismatches = figures["correctness"]["paper_mode_mismatches"]
    report.target(
        "paper mode identical to the published reward",
        mismatches == 0,
        f"{mismatches} rows differ",
    )
    bad = figures["import"]["import"]["forbidden_imported"]
    report.target(
        "import pulls no scipy/torch/trainer package",
        not bad,
        ", ".join(bad) if bad else "none imported",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run everything; returns 0 (missed targets are reported, not failures)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny smoke size (seconds)")
    parser.add_argument("--out", type=Path, default=None, help="where to write the results")
    parser.add_argument("--no-peers", action="store_true", help="skip math-verify and TRL")
    parser.add_argument("--no-plot", action="store_true", help="do not write scaling.png")
    args = parser.parse_args(argv)
    size = SIZES["quick" if args.quick else "full"]
    if args.out is None:
        here = Path(__file__).resolve().parent
        args.out = here / "results" if args.quick else here.parent / "docs" / "benchmarks"
    started = time.perf_counter()
    report = bc.Report()
    report.section("Machine", machine())
    figures: dict[str, Any] = {"machine": machine(), "quick": args.quick}
    figures["envelope"] = bench_envelope.run(
        report,
        sizes=size["sizes"],
        rounds=size["rounds"],
        plot_path=None if args.no_plot else args.out / "scaling.png",
    )
    figures["throughput"] = bench_throughput.run(
        report,
        n=size["n"],
        token_lengths=size["tokens"],
        rounds=size["rounds"],
        peer_n=size["peer_n"],
        peers=not args.no_peers,
    )
    figures["correctness"] = bench_correctness.run(report, n=size["correct_n"])
    figures["adapters"] = bench_adapters.run(report, n=size["n"], rounds=size["adapter_rounds"])
    figures["import"] = bench_import.run(report, n=size["n"], rounds=size["import_rounds"])
    targets(report, figures)
    report.section("Targets", report.target_table())
    elapsed = time.perf_counter() - started
    command = "python benchmarks/run_all.py" + (" --quick" if args.quick else "")
    print(f"Total {elapsed:.0f} s. Command: {command}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text("\n".join(report.sections), encoding="utf-8")
    figures["targets"] = [
        {"target": name, "met": met, "figures": detail} for name, met, detail in report.targets
    ]
    (args.out / "results.json").write_text(
        json.dumps(figures, indent=1, default=str), encoding="utf-8"
    )
    print(f"Wrote {args.out / 'results.md'} and {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
