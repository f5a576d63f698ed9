"""The generator benchmark runs at a tiny size and prints its tables (no timing asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.generate.needs import need

ROOT = Path(__file__).resolve().parents[2]


def test_bench_generate_quick(tmp_path: Path) -> None:
    need("PIL")
    need("pyarrow")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_generate.py"),
            "--quick",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=600,
    )
    assert "samples/s" in done.stdout and "peak MB" in done.stdout
    figures = json.loads(out.read_text())
    tasks = [row[0] for row in figures["320x240"]]
    assert tasks == ["decode+copy", "shuffle", "flip", "crop", "depth", "position", "rotation"]
    assert len(figures["memory"]) == 3
