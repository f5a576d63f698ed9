"""Reward-server throughput and latency: today's server (main) beside the new one, same run.

    python benchmarks/bench_server.py [--seconds 3] [--rows 1] [--ref main]

Starts each server as its own process on loopback: the server of git ref ``--ref`` (run
from a temporary copy of its server.py against this tree's package), and this tree's server
with ``--workers 1`` and ``--workers 2``. One asyncio client process drives each at
concurrency 1, 8 and 64 for ``--seconds`` and prints requests/s and p50/p99 latency. The
old server speaks HTTP/1.0 (a new connection per request); the new one is driven with
keep-alive and, for comparison, with a new connection per request as OpenRLHF's client
does (it opens an aiohttp session per request). Requests are OpenRLHF bodies of
``--rows`` completions. The client shares the machine's cores with the servers, so figures
are for comparing rows of one run, not absolute capacity.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = (1, 8, 64)
COMPLETION = "<think>The sky patch sits on top.</think> The order is \\boxed{0-2-3-1}<|im_end|>"
PROMPT = "<|im_start|>user\nRestore the order of the patches.<|im_end|>\n<|im_start|>assistant\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(code: str, port: int, extra_path: str | None = None) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    paths = [str(ROOT)] + ([extra_path] if extra_path else [])
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")])
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=str(ROOT))
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            conn.getresponse().read()
            conn.close()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"server did not start: {code}") from None
            time.sleep(0.1)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _request(port: int, rows: int) -> bytes:
    body = json.dumps(
        {
            "query": [PROMPT + COMPLETION] * rows,
            "prompts": [PROMPT] * rows,
            "labels": ["0-2-3-1"] * rows,
        }
    ).encode()
    head = (
        f"POST /get_reward HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """(status, server closes) of one response; the body is read and checked to be JSON."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {
        k.strip().lower(): v.strip()
        for k, _, v in (line.partition(":") for line in lines[1:] if line)
    }
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    else:
        body = await reader.read()
    json.loads(body)
    closes = headers.get("connection", "").lower() == "close" or lines[0].startswith("HTTP/1.0")
    return status, closes


async def _drive(
    port: int, request: bytes, concurrency: int, seconds: float, keep_alive: bool
) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        writer: asyncio.StreamWriter | None = None
        reader: asyncio.StreamReader | None = None
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            if writer is None or reader is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            status, closes = await _read_answer(reader)
            latencies.append(time.perf_counter() - start)
            if status != 200:
                errors += 1
            if closes or not keep_alive:
                writer.close()
                writer, reader = None, None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return len(latencies), latencies, errors


def _measure(
    port: int, rows: int, concurrency: int, seconds: float, keep_alive: bool
) -> dict[str, float]:
    request = _request(port, rows)
    asyncio.run(_drive(port, request, concurrency, min(0.5, seconds), keep_alive))  # warm-up
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    done, latencies, errors = asyncio.run(_drive(port, request, concurrency, seconds, keep_alive))
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0
    latencies.sort()
    return {
        "rps": done / wall,
        "p50": 1000 * statistics.median(latencies),
        "p99": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "errors": errors,
        "client_cpu": cpu / wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per cell (default 3)")
    parser.add_argument("--rows", type=int, default=1, help="completions per request (default 1)")
    parser.add_argument("--ref", default="main", help="git ref of today's server (default main)")
    args = parser.parse_args()

    old_source = subprocess.run(
        ["git", "show", f"{args.ref}:ssrl_rewards/server.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    servers: list[tuple[str, str, bool, str | None]] = []
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "ssrl_rewards_server_ref.py").write_text(old_source)
        ref_code = "import ssrl_rewards_server_ref as s; s.serve(port={port}, quiet=True)"
        servers.append((f"{args.ref} (HTTP/1.0)", ref_code, False, tmp))
        for workers in (1, 2):
            for keep_alive in (True, False):
                how = "keep-alive" if keep_alive else "new connection each"
                code = (
                    "from ssrl_rewards.server import serve; "
                    f"serve(port={{port}}, quiet=True, workers={workers})"
                )
                servers.append((f"--workers {workers}, {how}", code, keep_alive, None))
        print(
            f"{os.cpu_count()} CPUs; {args.rows} completion(s) per request; "
            f"{args.seconds:g} s per cell",
            flush=True,
        )
        print(
            f"{'server':<44}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'errors':>7}{'client CPU':>11}"
        )
        for label, code, keep_alive, extra in servers:
            port = _free_port()
            proc = _start(code.format(port=port), port, extra)
            try:
                for concurrency in CONCURRENCY:
                    cell = _measure(port, args.rows, concurrency, args.seconds, keep_alive)
                    print(
                        f"{label:<44}{concurrency:>5}{cell['rps']:>9.0f}{cell['p50']:>9.2f}"
                        f"{cell['p99']:>9.2f}{cell['errors']:>7.0f}{cell['client_cpu']:>10.0%}",
                        flush=True,
                    )
            finally:
                _stop(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
