"""The OpenRLHF-protocol reward server over loopback: real HTTP requests, good and bad.

Standard library only, so it also runs in the main test environment.
"""

from __future__ import annotations

import http.client
import json
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
from ssrl_rewards.server import RewardServer, start_server

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
