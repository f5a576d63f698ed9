"""Generator throughput and memory: `make_sample` per task, and the dataset command.

    python benchmarks/bench_generate.py            # 640x480 and 1024x768 scenes, 2,000-row build
    python benchmarks/bench_generate.py --quick    # a smoke run

1. Samples per second of ``make_sample`` for each task (verification through the scorer
   included) on procedural RGB-D scenes, with the ratio against a reference timed in the
   same interleaved rounds: decoding the scene's PNG and copying the pixels, the least
   work any generator does per image.
2. Peak resident memory of ``python -m ssrl_rewards.generate`` writing Parquet rows at two
   sizes (the ratio shows whether memory stays flat as the row count grows), against a
   process that only imports the generator and pyarrow.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from bench_common import interleaved, table
from PIL import Image

from ssrl_rewards.generate import GENERATED_TASKS, SampleError, make_sample
from ssrl_rewards.generate.scenes import scene


def per_task(size: tuple[int, int], rounds: int, per_round: int) -> list[list[str]]:
    """Rows of (task, samples/s, ms per sample, x decode+copy) at one image size."""
    scenes = [scene(k, size) for k in range(4)]
    encoded = []
    for rgb, _ in scenes:
        buffer = io.BytesIO()
        Image.fromarray(rgb).save(buffer, format="PNG")
        encoded.append(buffer.getvalue())
    seeds = iter(range(10**9))

    def reference() -> None:
        for k in range(per_round):
            with Image.open(io.BytesIO(encoded[k % 4])) as im:
                np.asarray(im.convert("RGB")).copy()

    def task_fn(task: str):  # type: ignore[no-untyped-def]
        def run() -> None:
            for k in range(per_round):
                rgb, depth = scenes[k % 4]
                with contextlib.suppress(SampleError):  # counted as time spent, like a skip
                    make_sample(task, rgb, depth, seed=next(seeds))

        return run

    methods = {"decode+copy": reference, **{t: task_fn(t) for t in GENERATED_TASKS}}
    times = interleaved(methods, rounds)
    median = {name: float(np.median(values)) / per_round for name, values in times.items()}
    rows = []
    for name in methods:
        rows.append(
            [
                name,
                f"{1 / median[name]:,.0f}",
                f"{median[name] * 1e3:.2f}",
                f"{median[name] / median['decode+copy']:.1f}x",
            ]
        )
    return rows


def peak_rss_mb(argv: list[str], body: str = "") -> tuple[float, str]:
    """Peak resident memory (MB) of a fresh interpreter running module `argv` (or `body`),
    and its stdout."""
    if body:
        argv = ["ssrl_rewards.generate.errors"]  # a module that does nothing when run
    code = (
        f"import resource, runpy, sys\n{body}\n"
        f"sys.argv = {argv!r}\n"
        "try:\n"
        "    runpy.run_module(sys.argv[0], run_name='__main__')\n"
        "except SystemExit as e:\n"
        "    code = e.code\n"
        "else:\n"
        "    code = 0\n"
        "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    peak = next(line for line in done.stdout.splitlines() if line.startswith("PEAK"))
    return int(peak.split()[1]) / 1024, done.stdout


def memory(rows: list[int]) -> list[list[str]]:
    """Rows of (what, peak MB, x import-only) for the command at each row count."""
    baseline, _ = peak_rss_mb([], "import ssrl_rewards.generate.dataset, pyarrow.parquet")
    out = [["import generator + pyarrow only", f"{baseline:.0f}", "1.0x", ""]]
    with tempfile.TemporaryDirectory() as tmp:
        for n in rows:
            target = Path(tmp) / f"out{n}"
            argv = ["ssrl_rewards.generate", "--out", str(target), "--format", "verl"]
            argv += ["--n", str(n)]
            peak, stdout = peak_rss_mb(argv)
            wrote = next(line for line in stdout.splitlines() if line.startswith("wrote"))
            seconds = float(wrote.split(" in ")[1].split(" s")[0])
            size = (target / "train.parquet").stat().st_size / 1e6
            out.append(
                [
                    f"generate --format verl --n {n}",
                    f"{peak:.0f}",
                    f"{peak / baseline:.2f}x",
                    f"{n / seconds:.0f} rows/s, {size:.1f} MB file",
                ]
            )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    sizes = [(320, 240)] if args.quick else [(640, 480), (1024, 768)]
    rounds, per_round = (2, 2) if args.quick else (5, 8)
    results: dict[str, object] = {}
    for size in sizes:
        rows = per_task(size, rounds, per_round)
        results[f"{size[0]}x{size[1]}"] = rows
        print(f"\nmake_sample on {size[0]}x{size[1]} RGB-D scenes (median of {rounds} rounds)")
        print(table(["task", "samples/s", "ms/sample", "vs decode+copy"], rows))
    counts = [20, 80] if args.quick else [200, 2000]
    mem = memory(counts)
    results["memory"] = mem
    print("\nPeak resident memory of the command (embedded 320x240 scenes, Parquet)")
    print(table(["run", "peak MB", "vs import", "throughput"], mem))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
