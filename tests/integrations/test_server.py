"""The OpenRLHF-protocol reward server over loopback: real HTTP requests, good and bad.

Standard library only, so it also runs in the main test environment.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from ssrl_rewards import score
from ssrl_rewards.rows import read_row, request_row, score_row
from ssrl_rewards.server import RewardServer, ServerConfigError, is_loopback, serve, start_server

QUESTION = "Where is the car? A. Left B. Right"
PROMPT = f"<|im_start|>user\n{QUESTION}<|im_end|>\n<|im_start|>assistant\n"
ROWS = [
    ("<think>sky</think> \\boxed{0-2-3-1}<|im_end|>", "0-2-3-1"),
    ("<think>sky</think> \\boxed{0-1-2}<|im_end|>", "0-2-1"),
    ("<think>car</think> \\boxed{Right}<|im_end|>", {"task": "position", "answer": "B"}),
    ("<think>hedge</think> \\boxed{A} or \\boxed{B}<|im_end|>", "B"),
    ("nothing", "3-1-2"),
]


def request(
    server: RewardServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        assert response.getheader("Content-Type") == "application/json"
        return response.status, json.loads(data)
    finally:
        conn.close()


def post(server: RewardServer, payload: object, path: str = "/get_reward") -> tuple[int, Any]:
    return request(server, "POST", path, json.dumps(payload).encode())


def payload(rows: list[tuple[str, Any]] = ROWS) -> dict[str, Any]:
    return {
        "query": [PROMPT + response for response, _ in rows],
        "prompts": [PROMPT] * len(rows),
        "labels": [label for _, label in rows],
    }


def expected(rows: list[tuple[str, Any]] = ROWS) -> list[Any]:
    return [score(r.removesuffix("<|im_end|>"), label, prompt=QUESTION) for r, label in rows]


@pytest.fixture(scope="module")
def server() -> Iterator[RewardServer]:
    with start_server(max_body_bytes=64 * 1024) as running:
        yield running


def test_binds_to_loopback_and_answers_health(server: RewardServer) -> None:
    assert server.host == "127.0.0.1"
    status, body = request(server, "GET", "/health")
    assert status == 200 and body["status"] == "ok" and body["config"]["mode"] == "default"


def test_scores_a_batch(server: RewardServer) -> None:
    status, body = post(server, payload())
    assert status == 200
    want = expected()
    assert body["rewards"] == [w.score for w in want]
    assert body["scores"] == [w.accuracy for w in want]
    assert body["extra_logs"]["format"] == [w.format for w in want]
    assert body["extra_logs"]["answered"] == [0.0 if w.answer is None else 1.0 for w in want]
    assert body["extra_logs"]["internal_error"] == [0.0] * len(want)
    assert body["rewards"][0] == 1.0 and body["scores"][2] == 1.0 and body["scores"][3] == 0.0


def test_prompts_are_optional_and_root_path_works(server: RewardServer) -> None:
    status, body = post(server, {"query": ["\\boxed{2-1}"], "labels": ["2-1"]}, path="/")
    assert status == 200 and body["scores"] == [1.0]


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        (b"{not json", 400, "not JSON"),
        (b"[1, 2]", 400, "JSON object"),
        (json.dumps({"labels": ["B"]}).encode(), 400, "'query'"),
        (json.dumps({"query": ["x"]}).encode(), 400, "'labels'"),
        (json.dumps({"query": "x", "labels": ["B"]}).encode(), 400, "list"),
        (json.dumps({"query": ["x", "y"], "labels": ["B"]}).encode(), 400, "length"),
        (json.dumps({"query": ["x"], "prompts": [], "labels": ["B"]}).encode(), 400, "length"),
        (json.dumps({"query": ["x", "y"], "labels": ["B", "nonsense"]}).encode(), 422, "row 1"),
        (json.dumps({"query": ["x"], "labels": [None]}).encode(), 422, "row 0"),
        (b"[" * 30_000 + b"]" * 30_000, 400, "deeply"),
    ],
)
def test_bad_requests_get_4xx_json_and_the_server_keeps_serving(
    server: RewardServer, body: bytes, status: int, needle: str
) -> None:
    got, answer = request(server, "POST", "/get_reward", body)
    assert got == status and needle in answer["error"]
    assert post(server, payload())[0] == 200


def test_non_string_queries_score_zero(server: RewardServer) -> None:
    status, body = post(server, {"query": [None, 3, ["x"]], "labels": ["B", "B", "B"]})
    assert status == 200 and body["rewards"] == [0.0, 0.0, 0.0]


def test_body_over_the_limit_is_413(server: RewardServer) -> None:
    big = json.dumps({"query": ["x" * 100_000], "labels": ["B"]}).encode()
    status, body = request(server, "POST", "/get_reward", big)
    assert status == 413 and "limit" in body["error"]
    assert post(server, payload())[0] == 200


def test_body_over_the_limit_is_413_even_to_a_client_still_sending(server: RewardServer) -> None:
    """Several MB (more than socket buffers hold): the client gets the 413, not a broken pipe."""
    big = json.dumps({"query": ["x" * 5_000_000], "labels": ["B"]}).encode()
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(urllib.request.Request(server.url, data=big), timeout=30)
    assert caught.value.code == 413 and "limit" in json.loads(caught.value.read())["error"]
    assert post(server, payload())[0] == 200


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"GET / extra HTTP/1.1\r\n\r\n", 400),
        (b"PUT /get_reward HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 501),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    ],
)
def test_protocol_errors_are_json_too(server: RewardServer, raw: bytes, status: int) -> None:
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        sock.sendall(raw)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.split(b" ", 2)[1] == str(status).encode()
    assert b"Content-Type: application/json" in head and "error" in json.loads(body)
    assert post(server, payload())[0] == 200


def test_missing_length_and_unknown_routes(server: RewardServer) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    conn.putrequest("POST", "/get_reward")
    conn.endheaders()
    response = conn.getresponse()
    assert response.status == 411 and "Content-Length" in json.loads(response.read())["error"]
    conn.close()
    assert request(server, "GET", "/nope")[0] == 404
    assert post(server, payload(), path="/nope")[0] == 404


def test_concurrent_burst(server: RewardServer) -> None:
    """8 clients x 200 requests: no error, every answer right for its own request."""
    want = expected()

    def client(index: int) -> int:
        ok = 0
        for step in range(200):
            k = (index + step) % len(ROWS)
            rows = ROWS[k:] + ROWS[:k]
            status, body = post(server, payload(rows))
            rotated = want[k:] + want[:k]
            if status == 200 and body["rewards"] == [w.score for w in rotated]:
                ok += 1
        return ok

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(client, range(8)))
    assert results == [200] * 8


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_blocks_and_serves_in_a_process() -> None:
    """`serve` as `ssrl-rewards serve` runs it: a foreground process on loopback."""
    port = _free_port()
    code = f"from ssrl_rewards.server import serve; serve(port={port}, quiet=True)"
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/health")
                assert conn.getresponse().status == 200
                conn.close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("POST", "/get_reward", json.dumps({"query": ["\\boxed{B}"], "labels": ["B"]}))
        assert json.loads(conn.getresponse().read())["scores"] == [1.0]
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --- HTTP/1.1, chunked bodies, metrics, tokens, slime, workers (issue 17) ----------------------


def _read_response(sock_file: Any) -> tuple[int, dict[str, str], bytes]:
    """One HTTP response off a raw socket's file: status, lower-cased headers, body."""
    status_line = sock_file.readline()
    status = int(status_line.split(b" ", 2)[1])
    headers: dict[str, str] = {}
    while (line := sock_file.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    body = sock_file.read(int(headers["content-length"]))
    return status, headers, body


def test_keep_alive_serves_many_requests_on_one_connection(server: RewardServer) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        conn.connect()
        first = conn.sock
        for _ in range(20):
            conn.request("POST", "/get_reward", json.dumps(payload()).encode())
            response = conn.getresponse()
            assert response.status == 200 and response.version == 11
            assert json.loads(response.read())["rewards"] == [w.score for w in expected()]
            assert response.getheader("Connection") is None
        conn.request("GET", "/health")
        assert conn.getresponse().read() and conn.sock is first  # never reconnected
    finally:
        conn.close()


def test_keep_alive_survives_client_errors_that_consumed_the_body(server: RewardServer) -> None:
    """A 400/404/422 answer leaves the connection usable; the next request is answered."""
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        stream = sock.makefile("rb")
        for body, status in ((b"{bad", 400), (b'{"query": ["x"], "labels": [null]}', 422)):
            sock.sendall(
                b"POST /get_reward HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s"
                % (len(body), body)
            )
            assert _read_response(stream)[0] == status
        sock.sendall(b"POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
        assert _read_response(stream)[0] == 404
        good = json.dumps(payload()).encode()
        sock.sendall(
            b"POST /get_reward HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s"
            % (len(good), good)
        )
        got, _, data = _read_response(stream)
        assert got == 200 and json.loads(data)["rewards"][0] == 1.0


def test_http_1_0_client_gets_a_closed_connection(server: RewardServer) -> None:
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        sock.sendall(b"GET /health HTTP/1.0\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):  # the server closes: the loop ends
            data += chunk
    assert b"200" in data.split(b"\r\n", 1)[0] and b"Connection: close" in data


def _chunked(data: bytes, size: int) -> bytes:
    out = b""
    for start in range(0, len(data), size):
        piece = data[start : start + size]
        out += b"%x;ext=1\r\n%s\r\n" % (len(piece), piece)
    return out + b"0\r\nX-Trailer: yes\r\n\r\n"


def test_chunked_request_bodies_are_read(server: RewardServer) -> None:
    body = json.dumps(payload()).encode()
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        stream = sock.makefile("rb")
        for size in (1, 7, 1000, len(body)):
            sock.sendall(
                b"POST /get_reward HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + _chunked(body, size)
            )
            status, _, data = _read_response(stream)
            assert status == 200 and json.loads(data)["rewards"] == [w.score for w in expected()]


def test_chunked_bodies_via_http_client(server: RewardServer) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        body = json.dumps(payload()).encode()
        parts = iter([body[:10], body[10:]])
        conn.request("POST", "/get_reward", body=parts, encode_chunked=True)
        response = conn.getresponse()
        assert response.status == 200 and json.loads(response.read())["scores"][0] == 1.0
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("raw", "status", "needle"),
    [
        (b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "chunk size"),
        (b"Transfer-Encoding: chunked\r\n\r\n5\r\nabc", 400, "malformed chunk"),
        (b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n", 400, "malformed chunk"),
        (b"Transfer-Encoding: gzip\r\n\r\n", 501, "not supported"),
        (b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400, "both"),
        (b"Content-Length: -1\r\n\r\n", 400, "Content-Length"),
        (b"Content-Length: 10\r\n\r\n{}", 400, "shorter"),
        (b"Transfer-Encoding: chunked\r\n\r\n" + b"f" * 10_000 + b"\r\n", 400, "chunk-size"),
        (b"Transfer-Encoding: chunked\r\n\r\n10001\r\n" + b"x" * 70_000, 413, "limit"),
        (
            b"Transfer-Encoding: chunked\r\n\r\n" + b"8000\r\n" + b" " * 0x8000 + b"\r\n"
            b"8001\r\n" + b" " * 0x8001 + b"\r\n0\r\n\r\n",
            413,
            "limit",
        ),
    ],
)
def test_bad_bodies_are_json_errors_and_close_the_connection(
    server: RewardServer, raw: bytes, status: int, needle: str
) -> None:
    with socket.create_connection((server.host, server.port), timeout=30) as sock:
        sock.sendall(b"POST /get_reward HTTP/1.1\r\nHost: x\r\n" + raw)
        with contextlib.suppress(OSError):  # the server may have answered and closed already
            sock.shutdown(socket.SHUT_WR)  # a short body ends here instead of stalling the server
        stream = sock.makefile("rb")
        got, headers, body = _read_response(stream)
        assert got == status and needle in json.loads(body)["error"]
        assert headers["content-type"] == "application/json"
        assert headers.get("connection") == "close" and stream.read() == b""
    assert post(server, payload())[0] == 200


def test_slime_remote_rm_shape(server: RewardServer) -> None:
    """slime's remote_rm posts {prompt, response, label} and takes the JSON answer as the reward."""
    for response, label in ROWS:
        want = score(response.removesuffix("<|im_end|>"), label, prompt=QUESTION)
        body = {"prompt": PROMPT, "response": response.removesuffix("<|im_end|>"), "label": label}
        status, answer = post(server, body)
        assert status == 200 and answer == want.score and isinstance(answer, float)
        status, detail = post(server, body, path="/get_reward?detail=1")
        assert status == 200 and detail == {
            "score": want.score,
            "accuracy": want.accuracy,
            "format": want.format,
            "answered": 0.0 if want.answer is None else 1.0,
            "reason": want.reason.value,
            "pred": want.pred,
        }
    messages = [{"role": "user", "content": QUESTION}]  # slime's chat prompts are message lists
    want_right = score("\\boxed{Right}", "B", prompt=QUESTION).score
    assert want_right > 0
    assert (
        post(server, {"prompt": messages, "response": "\\boxed{Right}", "label": "B"})[1]
        == want_right
    )
    assert post(server, {"prompt": QUESTION, "response": "\\boxed{Right}", "label": "B"})[0] == 200
    status, answer = post(server, {"prompt": "p", "response": "\\boxed{B}"})
    assert status == 400 and "'label'" in answer["error"]
    status, answer = post(server, {"prompt": "p", "response": "x", "label": "nonsense"})
    assert status == 422


# Prometheus text format 0.0.4, checked line by line without a parser.
_METRIC_LINE = (
    r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
    r'(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? '
    r"(-?[0-9.]+(e[+-]?[0-9]+)?|\+Inf|-Inf|NaN)$"
)


def _metrics(server_host: str, port: int, headers: dict[str, str] | None = None) -> str:
    conn = http.client.HTTPConnection(server_host, port, timeout=30)
    try:
        conn.request("GET", "/metrics", headers=headers or {})
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type", "").startswith("text/plain; version=0.0.4")
        return response.read().decode()
    finally:
        conn.close()


def _check_exposition(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """A strict hand check of the text format; prometheus_client's parser too when present."""
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    typed: dict[str, str] = {}
    assert text.endswith("\n")
    for line in text.rstrip("\n").split("\n"):
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in {"counter", "gauge", "histogram"} and name not in typed
            typed[name] = kind
            continue
        assert re.match(_METRIC_LINE, line), line
        name, _, value = line.rpartition(" ")
        metric, _, labels = name.partition("{")
        pairs = frozenset(
            tuple(pair.split("=", 1)) for pair in re.findall(r'(\w+="[^"]*")', labels)
        )
        family = re.sub(r"_(bucket|sum|count)$", "", metric)
        assert metric in typed or family in typed, line
        samples[(metric, frozenset((k, v.strip('"')) for k, v in pairs))] = float(value)
    try:
        parser = importlib.import_module("prometheus_client.parser")
    except ImportError:
        return samples
    families = {family.name: family for family in parser.text_string_to_metric_families(text)}
    assert {"ssrl_rewards_request_duration_seconds", "ssrl_rewards_errors"} <= set(families)
    assert families["ssrl_rewards_request_duration_seconds"].type == "histogram"
    return samples


def test_metrics_count_requests_errors_completions_and_latency() -> None:
    with start_server(max_body_bytes=64 * 1024) as fresh:
        for _ in range(3):
            assert post(fresh, payload())[0] == 200
        assert post(fresh, {"prompt": "p", "response": "\\boxed{B}", "label": "B"})[0] == 200
        assert request(fresh, "POST", "/get_reward", b"{bad")[0] == 400
        assert request(fresh, "GET", "/nope")[0] == 404
        samples = _check_exposition(_metrics(fresh.host, fresh.port))
    assert samples[("ssrl_rewards_requests_total", frozenset({("code", "200")}))] == 4
    assert samples[("ssrl_rewards_errors_total", frozenset({("kind", "bad_request")}))] == 1
    assert samples[("ssrl_rewards_errors_total", frozenset({("kind", "not_found")}))] == 1
    assert samples[("ssrl_rewards_completions_scored_total", frozenset())] == 3 * len(ROWS) + 1
    count = samples[("ssrl_rewards_request_duration_seconds_count", frozenset())]
    assert count == 5  # the four scored and the bad body (GETs are not timed)
    assert (
        samples[("ssrl_rewards_request_duration_seconds_bucket", frozenset({("le", "+Inf")}))] == 5
    )
    assert samples[("ssrl_rewards_request_duration_seconds_sum", frozenset())] > 0
    assert samples[("ssrl_rewards_workers", frozenset())] == 1


def test_token_is_required_by_every_route_but_health() -> None:
    with start_server(token="s3cret") as locked:
        assert request(locked, "GET", "/health")[0] == 200
        status, body = post(locked, payload())
        assert status == 401 and "token" in body["error"]
        assert request(locked, "GET", "/metrics")[0] == 401
        wrong = {"Authorization": "Bearer nope"}
        assert (
            request(locked, "POST", "/get_reward", json.dumps(payload()).encode(), wrong)[0] == 401
        )
        right = {"Authorization": "Bearer s3cret"}
        status, body = request(locked, "POST", "/get_reward", json.dumps(payload()).encode(), right)
        assert status == 200 and body["rewards"][0] == 1.0
        assert post(locked, payload(), path="/get_reward?token=s3cret")[0] == 200  # OpenRLHF, slime
        assert post(locked, payload(), path="/get_reward?token=s3cre")[0] == 401
        assert "ssrl_rewards_errors_total" in _metrics(locked.host, locked.port, right)


def test_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSRL_REWARDS_TOKEN", "from-env")
    with start_server() as locked:
        assert post(locked, payload())[0] == 401
        assert post(locked, payload(), path="/get_reward?token=from-env")[0] == 200


def test_non_loopback_bind_needs_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSRL_REWARDS_TOKEN", raising=False)
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.1.2.3") and not is_loopback("::")
    with pytest.raises(ServerConfigError, match="without a token"):
        start_server("0.0.0.0")
    with start_server("0.0.0.0", token="t") as open_server:
        status, _ = request(open_server, "GET", "/health")
        assert status == 200
    with pytest.raises(ServerConfigError, match="workers"):
        serve(workers=0)


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from ssrl_rewards.server import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_run_refuses_bad_options_with_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSRL_REWARDS_TOKEN", raising=False)
    done = _run_cli("--host", "0.0.0.0", "--port", "0")
    assert done.returncode == 2 and "without a token" in done.stderr
    done = _run_cli("--task", "nope")
    assert done.returncode == 2 and "not a registered task" in done.stderr
    done = _run_cli("--workers", "0")
    assert done.returncode == 2 and "workers" in done.stderr


def _wait_ready(port: int, proc: subprocess.Popen[bytes], workers: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            body = json.loads(conn.getresponse().read())
            conn.close()
            assert body["workers"] == workers
            return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise
            time.sleep(0.1)


def test_two_workers_bounded_load_test_and_summed_metrics() -> None:
    """--workers 2 as a process: 16 keep-alive clients x 50 requests, every answer its own;
    both workers serve; /metrics sums both; SIGTERM stops the whole group cleanly."""
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from ssrl_rewards.server import main; sys.exit(main(sys.argv[1:]))",
            "--port",
            str(port),
            "--workers",
            "2",
            "--quiet",
        ]
    )
    try:
        _wait_ready(port, proc, 2)
        want = expected()

        def client(index: int) -> tuple[int, set[int]]:
            ok = 0
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            seen: set[int] = set()
            for step in range(50):
                k = (index + step) % len(ROWS)
                conn.request("POST", "/get_reward", json.dumps(payload(ROWS[k:] + ROWS[:k])))
                response = conn.getresponse()
                body = json.loads(response.read())
                if response.status == 200 and body["rewards"] == [
                    w.score for w in want[k:] + want[:k]
                ]:
                    ok += 1
            conn.request("GET", "/health")
            seen.add(json.loads(conn.getresponse().read())["pid"])
            conn.close()
            return ok, seen

        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(client, range(16)))
        assert [ok for ok, _ in results] == [50] * 16
        pids = set().union(*(seen for _, seen in results))
        assert len(pids) == 2 and proc.pid not in pids  # both workers served
        samples = _check_exposition(_metrics("127.0.0.1", port))
        # every scrape, whichever worker answers it, sees both workers' counts
        assert samples[("ssrl_rewards_requests_total", frozenset({("code", "200")}))] >= 800
        assert samples[("ssrl_rewards_completions_scored_total", frozenset())] == 800 * len(ROWS)
        assert samples[("ssrl_rewards_workers", frozenset())] == 2
        children = subprocess.run(
            ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(children) == 2
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0
    for child in children:
        with pytest.raises(ProcessLookupError):
            os.kill(int(child), 0)


def test_requests_are_read_by_the_row_contract(server: RewardServer) -> None:
    """The server's answer equals rows.request_row + score_row, row for row (one contract)."""
    hidden = "<think>x</think> \\boxed{A}<|im_start|>assistant\n\\boxed{B}<|im_end|>"
    queries = [PROMPT + hidden, PROMPT + "\\boxed{B}", "no template \\boxed{2-1}"]
    labels: list[object] = ["B", {"task": "position", "answer": "B"}, "2-1"]
    prompts: list[object] = [PROMPT, PROMPT, None]
    status, body = post(server, {"query": queries, "prompts": prompts, "labels": labels})
    want = [
        score_row(request_row(q, p, lab, index=i))
        for i, (q, p, lab) in enumerate(zip(queries, prompts, labels, strict=True))
    ]
    assert status == 200 and body["rewards"] == [w.score for w in want]
    item = {
        "prompt": [{"role": "user", "content": QUESTION}],
        "response": "\\boxed{B}",
        "label": "B",
    }
    one = score_row(
        read_row(item, completion_key="response", ground_truth_key="label", prompt_key="prompt")
    )
    assert post(server, item)[1] == one.score


def test_foreign_or_misspelt_task_labels_are_422(server: RewardServer) -> None:
    status, body = post(server, {"query": ["x"], "labels": [{"task": "gsm8k", "answer": "3"}]})
    assert status == 422 and "gsm8k" in body["error"]
    assert body["error_type"] == "ForeignTaskError"
    status, body = post(server, {"query": ["x"], "labels": [{"task": "shufle", "answer": "1-2"}]})
    assert status == 422 and "shuffle" in body["error"]
    assert body["error_type"] == "TaskCellError"
    status, body = post(server, {"query": ["x"], "labels": ["nonsense"]})
    assert status == 422 and body["error_type"].endswith("GroundTruthError")
