"""HTTP reward server for OpenRLHF's and slime's remote reward protocols (standard library only).

    serve(host="127.0.0.1", port=5000, config=None, *, task=None, component="score",
          max_body_bytes=DEFAULT_MAX_BODY_BYTES, quiet=False, workers=1, token=None) -> None
    start_server(host="127.0.0.1", port=0, config=None, ...) -> RewardServer  # background

``ssrl-rewards serve --port 5000 --workers 2`` runs `serve` (see `add_arguments` / `run`).

- ``POST /get_reward`` (also ``POST /``) with OpenRLHF's ``{"query": [...], "prompts": [...],
  "labels": [...]}`` returns ``{"rewards": [...], "scores": [...], "extra_logs": {...}}``
  (``rewards`` is the chosen component, ``scores`` the accuracy, ``extra_logs`` holds
  ``accuracy``, ``format``, ``answered`` and ``internal_error``). ``prompts`` may be omitted.
- The same paths take slime's ``remote_rm`` body ``{"prompt": ..., "response": ...,
  "label": ...}`` and answer a bare JSON number, which slime uses as the reward; with
  ``?detail=1`` they answer ``{"score", "accuracy", "format", "answered", "reason",
  "pred"}`` instead (for slime's ``--reward-key score``).
- ``GET /health`` returns ``{"status": "ok", ...}``; ``GET /metrics`` Prometheus text.
- Bad requests (not JSON, missing or mismatched fields, a bad label, a body over
  ``max_body_bytes``, a missing token) get a 4xx with ``{"error": "..."}``; the server
  keeps serving. A refused row (a bad ground truth, a foreign or misspelled task) is a
  422 whose body also names the error class (``"error_type": "ForeignTaskError"``).

HTTP/1.1 with keep-alive and chunked request bodies. ``workers`` > 1 forks that many
processes after binding, which accept from the one listening socket (POSIX only). Metrics
live in shared memory, so any worker answers ``/metrics`` for all of them (summed).

A bearer token (``token=`` or ``$SSRL_REWARDS_TOKEN``) is required to bind anything but
loopback; once set, every route except ``/health`` needs ``Authorization: Bearer <token>``
or, for trainers that cannot set headers (OpenRLHF, slime), ``?token=<token>`` in the URL.
"""

from __future__ import annotations

import argparse
import contextlib
import hmac
import ipaddress
import json
import logging
import math
import mmap
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from typing import Any
from urllib.parse import parse_qs

import numpy as np

from ssrl_rewards import __version__
from ssrl_rewards.config import RewardConfig
from ssrl_rewards.errors import SSRLRewardsError
from ssrl_rewards.result import Reason
from ssrl_rewards.reward_fn import OpenRLHFReward
from ssrl_rewards.rows import read_row, request_row, score_row

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "TOKEN_ENV_VAR",
    "RewardServer",
    "ServerConfigError",
    "add_arguments",
    "run",
    "serve",
    "start_server",
]

logger = logging.getLogger("ssrl_rewards.server")

DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024
"""Largest accepted request body (64 MiB: thousands of long completions per request)."""

TOKEN_ENV_VAR = "SSRL_REWARDS_TOKEN"
"""Environment variable holding the bearer token when ``--token`` is not given."""

_DRAIN_BYTES = 256 * 1024 * 1024
"""An over-limit body up to this size is read and discarded so the client, still sending,
receives the 413 instead of a broken pipe; a larger one just gets the connection closed."""

_CHUNK_LINE_LIMIT = 4096
"""Longest chunk-size line (size plus extensions) or trailer line accepted."""

REWARD_PATHS = frozenset({"/get_reward", "/"})
HEALTH_PATHS = frozenset({"/health", "/healthz", "/"})
METRICS_PATH = "/metrics"

_PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class ServerConfigError(ValueError):
    """A server option that cannot work (a non-loopback bind without a token, workers < 1)."""


class _RequestError(Exception):
    """A client error: the HTTP status and a message for the JSON error body (plus the
    typed error's class name, ``error_type``, when a row was refused)."""

    def __init__(
        self,
        status: HTTPStatus,
        message: str,
        *,
        close: bool = False,
        error_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.close = close
        self.error_type = error_type


# --------------------------------------------------------------------------- metrics

_CODES = (200, 400, 401, 404, 405, 408, 411, 413, 414, 422, 431, 500, 501, 505)
_ERROR_KINDS = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    408: "timeout",
    411: "length_required",
    413: "too_large",
    414: "uri_too_long",
    422: "bad_label",
    431: "headers_too_large",
    500: "internal",
    501: "not_implemented",
    505: "http_version",
}
_KINDS = tuple(dict.fromkeys([*_ERROR_KINDS.values(), "other"]))
_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# One row of float64 slots per worker: requests by code (+ other), errors by kind,
# completions, latency bucket counts (+Inf last), latency sum, latency count.
_REQ0 = 0
_ERR0 = _REQ0 + len(_CODES) + 1
_COMPLETIONS = _ERR0 + len(_KINDS)
_BUCKET0 = _COMPLETIONS + 1
_LAT_SUM = _BUCKET0 + len(_BUCKETS) + 1
_LAT_COUNT = _LAT_SUM + 1
_SLOTS = _LAT_COUNT + 1


class _Metrics:
    """Counters in anonymous shared memory, one row per worker, summed when scraped.

    Created before the workers fork, so every worker writes its own row and reads all of
    them; a thread lock guards the row of this process (its handler threads).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._buffer = mmap.mmap(-1, workers * _SLOTS * 8)
        self._table = np.frombuffer(self._buffer, dtype=np.float64).reshape(workers, _SLOTS)
        self._lock = threading.Lock()
        self.row = 0

    def record(self, status: int, seconds: float | None, completions: int) -> None:
        """One answered request: its status, its latency if it was a scoring request."""
        code = _CODES.index(status) if status in _CODES else len(_CODES)
        row = self._table[self.row]
        with self._lock:
            row[_REQ0 + code] += 1
            if status >= 400:
                row[_ERR0 + _KINDS.index(_ERROR_KINDS.get(status, "other"))] += 1
            row[_COMPLETIONS] += completions
            if seconds is not None:
                bucket = next(
                    (i for i, edge in enumerate(_BUCKETS) if seconds <= edge), len(_BUCKETS)
                )
                row[_BUCKET0 + bucket] += 1
                row[_LAT_SUM] += seconds
                row[_LAT_COUNT] += 1

    def render(self) -> str:
        """Prometheus text exposition (version 0.0.4) of the sums over all workers."""
        total = self._table.sum(axis=0)
        lines = [
            "# HELP ssrl_rewards_info Version of the serving package.",
            "# TYPE ssrl_rewards_info gauge",
            f'ssrl_rewards_info{{version="{_label(__version__)}"}} 1',
            "# HELP ssrl_rewards_workers Worker processes sharing the port.",
            "# TYPE ssrl_rewards_workers gauge",
            f"ssrl_rewards_workers {self.workers}",
            "# HELP ssrl_rewards_requests_total HTTP requests answered, by status code.",
            "# TYPE ssrl_rewards_requests_total counter",
        ]
        for index, code in enumerate([*map(str, _CODES), "other"]):
            lines.append(
                f'ssrl_rewards_requests_total{{code="{code}"}} {_num(total[_REQ0 + index])}'
            )
        lines += [
            "# HELP ssrl_rewards_errors_total Requests answered with an error, by kind.",
            "# TYPE ssrl_rewards_errors_total counter",
        ]
        for index, kind in enumerate(_KINDS):
            lines.append(f'ssrl_rewards_errors_total{{kind="{kind}"}} {_num(total[_ERR0 + index])}')
        lines += [
            "# HELP ssrl_rewards_completions_scored_total Completions scored.",
            "# TYPE ssrl_rewards_completions_scored_total counter",
            f"ssrl_rewards_completions_scored_total {_num(total[_COMPLETIONS])}",
            "# HELP ssrl_rewards_request_duration_seconds Time to answer a scoring request.",
            "# TYPE ssrl_rewards_request_duration_seconds histogram",
        ]
        cumulative = 0.0
        for index, edge in enumerate([*map(repr, _BUCKETS), "+Inf"]):
            cumulative += float(total[_BUCKET0 + index])
            lines.append(
                f'ssrl_rewards_request_duration_seconds_bucket{{le="{edge}"}} {_num(cumulative)}'
            )
        lines += [
            f"ssrl_rewards_request_duration_seconds_sum {float(total[_LAT_SUM])!r}",
            f"ssrl_rewards_request_duration_seconds_count {_num(total[_LAT_COUNT])}",
        ]
        return "\n".join(lines) + "\n"


def _num(value: float) -> str:
    return str(int(value)) if math.isfinite(value) and value == int(value) else repr(float(value))


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


# --------------------------------------------------------------------------- server


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer carrying the reward, limits, token and metrics for its handlers."""

    daemon_threads = True
    request_queue_size = 512

    def __init__(
        self,
        address: tuple[str, int],
        reward: OpenRLHFReward,
        max_body_bytes: int,
        token: str | None,
        metrics: _Metrics,
    ) -> None:
        self.reward = reward
        self.max_body_bytes = max_body_bytes
        self.token = token
        self.metrics = metrics
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    """One connection: requests routed, validated, scored and answered in JSON.

    HTTP/1.1: the connection stays open between requests unless the client or an error
    closes it. Never lets an error escape.
    """

    server: _Server
    server_version = "ssrl-rewards"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # kept-alive answers go out at once, not after a delayed ACK
    timeout = 120  # seconds a client may stall (mid-request or idle) before its thread is freed

    _started = 0.0
    _completions = 0
    _timed = False
    _linger = False

    def parse_request(self) -> bool:
        """Start the clock and reset the per-request counters."""
        self._started = time.perf_counter()
        self._completions = 0
        self._timed = False
        self._linger = False
        return super().parse_request()

    def do_GET(self) -> None:
        """Health check and metrics."""
        path, query = self._route()
        try:
            if path == METRICS_PATH:
                self._check_token(query)
                self._send_text(HTTPStatus.OK, self.server.metrics.render(), _PROMETHEUS_TYPE)
                return
            if path not in HEALTH_PATHS:
                raise _RequestError(HTTPStatus.NOT_FOUND, f"no route GET {path}")
        except _RequestError as exc:
            self._send(exc.status, {"error": exc.message})
            return
        reward = self.server.reward
        self._send(
            HTTPStatus.OK,
            {
                "status": "ok",
                "version": __version__,
                "component": reward.component,
                "task": reward.task,
                "workers": self.server.metrics.workers,
                "pid": os.getpid(),
                "config": reward.config.model_dump(),
            },
        )

    def do_POST(self) -> None:
        """Score a batch (OpenRLHF) or one sample (slime)."""
        self._timed = True
        path, query = self._route()
        body: object
        try:
            self._check_token(query)
            if path not in REWARD_PATHS:
                self._read_body()  # keep the connection usable: the body must be consumed
                raise _RequestError(HTTPStatus.NOT_FOUND, f"no route POST {path}")
            payload = self._read_json()
            try:
                body = self._score(payload, detail=query.get("detail", ["0"])[-1] not in ("", "0"))
            except SSRLRewardsError as exc:
                raise _RequestError(
                    HTTPStatus.UNPROCESSABLE_ENTITY, str(exc), error_type=type(exc).__name__
                ) from None
        except _RequestError as exc:
            if exc.close:
                self.close_connection = True
                self._linger = True
            error: dict[str, str] = {"error": exc.message}
            if exc.error_type is not None:
                error["error_type"] = exc.error_type
            self._send(exc.status, error)
            return
        except Exception as exc:  # a bug of ours: answer 500 and keep serving
            logger.exception("reward request failed")
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"internal error: {exc!r}"})
            return
        self._send(HTTPStatus.OK, body)

    def _route(self) -> tuple[str, dict[str, list[str]]]:
        path, _, query = self.path.partition("?")
        return path, parse_qs(query, keep_blank_values=True)

    def _check_token(self, query: dict[str, list[str]]) -> None:
        expected = self.server.token
        if expected is None:
            return
        offered = query.get("token", [""])[-1]
        header = self.headers.get("Authorization", "")
        scheme, _, credential = header.partition(" ")
        if scheme.lower() == "bearer":
            offered = credential.strip()
        if not offered or not hmac.compare_digest(offered.encode(), expected.encode()):
            self.close_connection = True  # an unread body must not be parsed as a request
            self._linger = True
            raise _RequestError(HTTPStatus.UNAUTHORIZED, "missing or wrong bearer token")

    def _score(self, payload: object, *, detail: bool) -> object:
        if isinstance(payload, dict) and "response" in payload and "query" not in payload:
            return self._score_slime(payload, detail=detail)
        queries, prompts, labels = _fields(payload)
        reward = self.server.reward
        rewards: list[float] = []
        scores: list[float] = []
        logs: dict[str, list[float]] = {
            "accuracy": [],
            "format": [],
            "answered": [],
            "internal_error": [],
        }
        for index, query in enumerate(queries):
            prompt = prompts[index] if prompts is not None else None
            row = request_row(query, prompt, labels[index], index=index, task=reward.task)
            result = score_row(row, reward.config)
            rewards.append(float(getattr(result, reward.component)))
            scores.append(result.accuracy)
            logs["accuracy"].append(result.accuracy)
            logs["format"].append(result.format)
            logs["answered"].append(0.0 if result.answer is None else 1.0)
            logs["internal_error"].append(1.0 if result.reason is Reason.INTERNAL_ERROR else 0.0)
        self._completions = len(queries)
        return {"rewards": rewards, "scores": scores, "extra_logs": logs}

    def _score_slime(self, payload: dict[str, Any], *, detail: bool) -> object:
        """slime's ``remote_rm``: one ``{prompt, response, label}``; the reward as a number.

        The response is the reply alone (no query to cut), read by the row contract with
        ``label`` as the ground-truth column and ``prompt`` (text or messages) as the prompt.
        """
        if "label" not in payload:
            raise _RequestError(HTTPStatus.BAD_REQUEST, "missing field 'label'")
        reward = self.server.reward
        row = read_row(
            payload,
            index=0,
            completion_key="response",
            ground_truth_key="label",
            prompt_key="prompt",
            task=reward.task,
        )
        result = score_row(row, reward.config)
        self._completions = 1
        value = float(getattr(result, reward.component))
        if not detail:
            return value
        return {
            "score": value,
            "accuracy": result.accuracy,
            "format": result.format,
            "answered": 0.0 if result.answer is None else 1.0,
            "reason": result.reason.value,
            "pred": result.pred,
        }

    # ------------------------------------------------------------------ request bodies

    def _read_json(self) -> object:
        data = self._read_body()
        try:
            return json.loads(data)
        except ValueError as exc:
            raise _RequestError(HTTPStatus.BAD_REQUEST, f"body is not JSON: {exc}") from None
        except RecursionError:
            raise _RequestError(HTTPStatus.BAD_REQUEST, "body nests JSON too deeply") from None

    def _read_body(self) -> bytes:
        encoding = self.headers.get("Transfer-Encoding")
        if encoding is not None:
            if self.headers.get("Content-Length") is not None:
                raise _RequestError(
                    HTTPStatus.BAD_REQUEST,
                    "both Transfer-Encoding and Content-Length given",
                    close=True,
                )
            if encoding.strip().lower() != "chunked":
                raise _RequestError(
                    HTTPStatus.NOT_IMPLEMENTED,
                    f"Transfer-Encoding {encoding!r} is not supported (only chunked)",
                    close=True,
                )
            return self._read_chunked()
        raw_length = self.headers.get("Content-Length")
        if raw_length is None:
            raise _RequestError(
                HTTPStatus.LENGTH_REQUIRED,
                "Content-Length (or Transfer-Encoding: chunked) is required",
                close=True,
            )
        try:
            length = int(raw_length)
        except ValueError:
            length = -1
        if length < 0 or not raw_length.strip().isdigit():
            raise _RequestError(
                HTTPStatus.BAD_REQUEST, f"bad Content-Length {raw_length!r}", close=True
            )
        if length > self.server.max_body_bytes:
            self.close_connection = True  # the unread body must not be parsed as a request
            self._discard(length)
            raise _RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, self._too_large(length))
        data = self.rfile.read(length)
        if len(data) < length:
            raise _RequestError(
                HTTPStatus.BAD_REQUEST, "body shorter than Content-Length", close=True
            )
        return data

    def _too_large(self, length: int) -> str:
        return f"body of {length} bytes exceeds the limit of {self.server.max_body_bytes}"

    def _read_chunked(self) -> bytes:
        """A chunked body, bounded by ``max_body_bytes``; trailers are read and ignored."""
        limit = self.server.max_body_bytes
        parts: list[bytes] = []
        size = 0
        while True:
            chunk_size = self._chunk_size()
            if chunk_size == 0:
                break
            if size + chunk_size > limit:
                self.close_connection = True
                self._discard(chunk_size)
                raise _RequestError(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                    f"chunked body exceeds the limit of {limit} bytes",
                )
            data = self.rfile.read(chunk_size)
            if len(data) < chunk_size or self.rfile.read(2) != b"\r\n":
                raise _RequestError(HTTPStatus.BAD_REQUEST, "malformed chunk", close=True)
            parts.append(data)
            size += chunk_size
        for _ in range(100):  # trailer lines up to the empty line
            line = self.rfile.readline(_CHUNK_LINE_LIMIT + 1)
            if line in (b"\r\n", b"\n"):
                return b"".join(parts)
            if not line or len(line) > _CHUNK_LINE_LIMIT:
                break
        raise _RequestError(HTTPStatus.BAD_REQUEST, "malformed chunked trailer", close=True)

    def _chunk_size(self) -> int:
        line = self.rfile.readline(_CHUNK_LINE_LIMIT + 1)
        if len(line) > _CHUNK_LINE_LIMIT or not line.endswith(b"\n"):
            raise _RequestError(HTTPStatus.BAD_REQUEST, "malformed chunk-size line", close=True)
        digits = line.split(b";", 1)[0].strip()
        if (
            not digits
            or len(digits) > 16
            or any(c not in b"0123456789abcdefABCDEF" for c in digits)
        ):
            raise _RequestError(
                HTTPStatus.BAD_REQUEST, f"bad chunk size {digits[:20]!r}", close=True
            )
        return int(digits, 16)

    def _discard(self, length: int) -> None:
        """Read and drop up to `_DRAIN_BYTES` of a refused body (see `_DRAIN_BYTES`)."""
        left = min(length, _DRAIN_BYTES)
        try:
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 20))
                if not chunk:
                    return
                left -= len(chunk)
        except OSError:
            return

    def finish(self) -> None:
        """After an answer to a malformed body, drain what the client still sends (briefly)
        before closing, so the close does not reset the connection and lose the answer."""
        try:
            super().finish()
            if self._linger:
                self.connection.shutdown(socket.SHUT_WR)
                self.connection.settimeout(1.0)
                left = 1 << 20
                while left > 0 and (chunk := self.connection.recv(65536)):
                    left -= len(chunk)
        except OSError:
            pass

    # ------------------------------------------------------------------ answers

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's errors (bad request line, unknown method) as JSON too."""
        status = HTTPStatus(code)
        self.close_connection = True
        if self.command == "HEAD":
            try:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.send_header("Connection", "close")
                self.end_headers()
            except OSError:
                pass
            self._record(status)
            return
        self._send(status, {"error": message or status.phrase})

    def _send(self, status: HTTPStatus, body: object) -> None:
        self._send_bytes(status, json.dumps(body).encode("utf-8"), "application/json")

    def _send_text(self, status: HTTPStatus, text: str, content_type: str) -> None:
        self._send_bytes(status, text.encode("utf-8"), content_type)

    def _send_bytes(self, status: HTTPStatus, data: bytes, content_type: str) -> None:
        if self.request_version == "HTTP/1.0" and (
            self.headers is None or self.headers.get("Connection", "").lower() != "keep-alive"
        ):
            self.close_connection = True
        # Counted before the answer leaves: a client that reads its answer and then scrapes
        # /metrics must see this request counted (afterwards it raced the scrape).
        self._record(status)
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            if self.close_connection:
                self.send_header("Connection", "close")
            elif self.request_version == "HTTP/1.0":
                self.send_header("Connection", "keep-alive")
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client went away; nothing to answer
            self.close_connection = True

    def _record(self, status: HTTPStatus) -> None:
        seconds = time.perf_counter() - self._started if self._timed and self._started else None
        try:
            self.server.metrics.record(int(status), seconds, self._completions)
        except Exception:  # metrics must never break an answer
            logger.exception("metrics update failed")

    def log_message(self, format: str, *args: Any) -> None:
        """Access log at DEBUG level, tokens in URLs masked."""
        if logger.isEnabledFor(logging.DEBUG):
            line = format % args
            if self.server.token:
                line = line.replace(self.server.token, "***")
            logger.debug("%s - %s", self.address_string(), line)


def _fields(payload: object) -> tuple[list[object], list[object] | None, list[object]]:
    """(queries, prompts or None, labels) from an OpenRLHF request body; 400 when malformed."""
    if not isinstance(payload, dict):
        raise _RequestError(HTTPStatus.BAD_REQUEST, "body must be a JSON object")
    queries = payload.get("query", payload.get("queries"))
    prompts = payload.get("prompts")
    labels = payload.get("labels")
    for name, value in (("query", queries), ("labels", labels)):
        if value is None:
            raise _RequestError(HTTPStatus.BAD_REQUEST, f"missing field {name!r}")
    for name, value in (("query", queries), ("prompts", prompts), ("labels", labels)):
        if value is not None and not isinstance(value, list):
            raise _RequestError(HTTPStatus.BAD_REQUEST, f"field {name!r} must be a list")
    if not isinstance(queries, list) or not isinstance(labels, list):
        raise _RequestError(HTTPStatus.BAD_REQUEST, "fields 'query' and 'labels' must be lists")
    n = len(queries)
    sizes = {"query": n, "labels": len(labels)}
    if isinstance(prompts, list):
        sizes["prompts"] = len(prompts)
    if len(set(sizes.values())) > 1:
        raise _RequestError(HTTPStatus.BAD_REQUEST, f"lists differ in length: {sizes}")
    return queries, prompts if isinstance(prompts, list) else None, labels


class RewardServer:
    """A reward server running in a background thread (for tests and notebooks).

    ``url`` is the reward endpoint (``http://host:port/get_reward``); use as a context
    manager or call `shutdown`.
    """

    def __init__(self, server: _Server) -> None:
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name="ssrl-rewards-server", daemon=True
        )
        self._thread.start()

    @property
    def host(self) -> str:
        """The bound address."""
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        """The bound port (the real one when 0 was asked for)."""
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://host:port``."""
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The reward endpoint, as OpenRLHF's ``--reward.remote_url`` wants it."""
        return f"{self.base_url}/get_reward"

    def shutdown(self) -> None:
        """Stop serving, close the socket and join the thread."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> RewardServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def is_loopback(host: str) -> bool:
    """True when `host` names only the loopback interface (``localhost``, 127.x, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _resolve_token(token: str | None) -> str | None:
    value = token if token is not None else os.environ.get(TOKEN_ENV_VAR)
    return value or None


def _make_server(
    host: str,
    port: int,
    config: RewardConfig | None,
    task: str | None,
    component: str,
    max_body_bytes: int,
    token: str | None,
    workers: int,
) -> _Server:
    if max_body_bytes < 1:
        raise ServerConfigError(f"max_body_bytes={max_body_bytes!r} must be positive")
    if workers < 1:
        raise ServerConfigError(f"workers={workers!r} must be at least 1")
    if workers > 1 and not hasattr(os, "fork"):
        raise ServerConfigError("workers > 1 needs os.fork (POSIX); use workers=1 here")
    if token is not None and any(c.isspace() for c in token):
        raise ServerConfigError("the token must not contain white space")
    if token is None and not is_loopback(host):
        raise ServerConfigError(
            f"refusing to serve on {host!r} without a token: anyone who can reach it could "
            f"use it; set --token or ${TOKEN_ENV_VAR}, or bind 127.0.0.1"
        )
    reward = OpenRLHFReward(component=component, task=task, config=config)
    server_cls = _Server6 if ":" in host else _Server
    return server_cls((host, port), reward, max_body_bytes, token, _Metrics(workers))


class _Server6(_Server):
    address_family = socket.AF_INET6


def start_server(
    host: str = "127.0.0.1",
    port: int = 0,
    config: RewardConfig | None = None,
    *,
    task: str | None = None,
    component: str = "score",
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    token: str | None = None,
) -> RewardServer:
    """Start a one-process server in a daemon thread and return at once (port 0: a free one).

    `token` defaults to ``$SSRL_REWARDS_TOKEN``; without one only loopback may be bound.
    """
    return RewardServer(
        _make_server(host, port, config, task, component, max_body_bytes, _resolve_token(token), 1)
    )


def serve(
    host: str = "127.0.0.1",
    port: int = 5000,
    config: RewardConfig | None = None,
    *,
    task: str | None = None,
    component: str = "score",
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    quiet: bool = False,
    workers: int = 1,
    token: str | None = None,
) -> None:
    """Serve rewards until interrupted (Ctrl-C or SIGTERM returns cleanly). Blocks.

    With ``workers`` > 1 the socket is bound here and that many forked processes serve it.
    """
    server = _make_server(
        host, port, config, task, component, max_body_bytes, _resolve_token(token), workers
    )
    if not quiet:
        bound_host, bound_port = server.server_address[0], server.server_address[1]
        print(
            f"ssrl-rewards: serving rewards on http://{bound_host!s}:{bound_port}/get_reward "
            f"(OpenRLHF and slime; GET /health, /metrics) with {workers} worker"
            f"{'s' if workers > 1 else ''}",
            flush=True,
        )
    if workers == 1:
        _serve_in_process(server)
    else:
        _serve_forked(server, workers)


def _serve_in_process(server: _Server) -> None:
    """serve_forever in this thread; SIGTERM (in the main thread) stops it like Ctrl-C."""
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _serve_forked(server: _Server, workers: int) -> None:
    """Fork `workers` children on the bound socket; restart one that dies; stop on a signal."""
    children: dict[int, int] = {}  # pid -> worker row

    def spawn(row: int) -> None:
        pid = os.fork()
        if pid == 0:  # the child: serve, then leave without running the parent's cleanup
            code = 0
            try:
                signal.signal(signal.SIGTERM, _raise_interrupt)
                signal.signal(signal.SIGINT, _raise_interrupt)
                server.metrics.row = row
                server.serve_forever()
            except KeyboardInterrupt:
                pass
            except Exception:
                logger.exception("reward worker %d failed", row)
                code = 1
            finally:
                os._exit(code)
        children[pid] = row

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        for row in range(workers):
            spawn(row)
        while children:
            pid, status = os.wait()
            row = children.pop(pid, -1)
            if row >= 0 and not stopping:
                logger.warning("reward worker %d exited (status %d); restarting it", row, status)
                time.sleep(0.5)
                spawn(row)
    except KeyboardInterrupt:
        stopping = True
    finally:
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                children.pop(pid, None)
        deadline = time.monotonic() + 10
        while children and time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid:
                children.pop(pid, None)
            else:
                time.sleep(0.05)
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        server.server_close()
        signal.signal(signal.SIGTERM, previous)


# --------------------------------------------------------------------------- CLI


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``serve`` subcommand's flags (today's flags plus workers, token and body limit)."""
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    parser.add_argument("--task", metavar="NAME", help="score every request as this task")
    parser.add_argument("--quiet", "-q", action="store_true", help="no start-up line")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="processes sharing the port (default 1; POSIX only above 1)",
    )
    parser.add_argument(
        "--token",
        default=None,
        help=f"bearer token required by every route but /health (default ${TOKEN_ENV_VAR}); "
        "needed to bind anything but loopback",
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=DEFAULT_MAX_BODY_BYTES,
        metavar="N",
        help=f"largest request body (default {DEFAULT_MAX_BODY_BYTES})",
    )
    from ssrl_rewards.cli.flags import add_config_flags  # noqa: PLC0415 - the CLI's own flags

    add_config_flags(parser)


def run(args: argparse.Namespace) -> int:
    """Run ``serve`` from parsed `add_arguments` flags; 0 on a clean stop, 2 on bad options."""
    from ssrl_rewards.cli.flags import config_from  # noqa: PLC0415 - the CLI's own flags
    from ssrl_rewards.registry import find_task, task_names  # noqa: PLC0415

    try:
        config = config_from(args)
    except SSRLRewardsError as exc:
        return _usage_error(str(exc))
    task = None
    if args.task is not None:
        spec = find_task(args.task)
        if spec is None:
            return _usage_error(
                f"--task {args.task!r} is not a registered task; "
                f"known tasks: {', '.join(task_names())}"
            )
        task = spec.name
    try:
        serve(
            args.host,
            args.port,
            config,
            task=task,
            quiet=args.quiet,
            workers=args.workers,
            token=args.token,
            max_body_bytes=args.max_body_bytes,
        )
    except ServerConfigError as exc:
        return _usage_error(str(exc))
    except OSError as exc:
        return _usage_error(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}")
    return 0


def _usage_error(message: str) -> int:
    """One line on stderr in the CLI's error format (``ssrl-rewards: error: ...``); exit 2."""
    print(f"ssrl-rewards: error: serve: {' '.join(message.split())}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ssrl_rewards.server``: the ``serve`` subcommand on its own."""
    parser = argparse.ArgumentParser(prog="ssrl-rewards serve", description=__doc__.split("\n")[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
