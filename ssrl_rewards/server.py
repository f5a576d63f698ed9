"""HTTP reward server speaking OpenRLHF's remote reward-model protocol (standard library only).

    serve(host="127.0.0.1", port=5000, config=None, *, task=None, component="score",
          max_body_bytes=DEFAULT_MAX_BODY_BYTES, quiet=False) -> None    # blocks
    start_server(host="127.0.0.1", port=0, config=None, ...) -> RewardServer  # background

``ssrl-rewards serve --host 127.0.0.1 --port 5000`` runs `serve`; point OpenRLHF at
``--reward.remote_url http://127.0.0.1:5000/get_reward``.

- ``POST /get_reward`` (also ``POST /``) with JSON ``{"query": [...], "prompts": [...],
  "labels": [...]}`` returns ``{"rewards": [...], "scores": [...], "extra_logs": {...}}``
  (``rewards`` is the chosen component, ``scores`` the accuracy, ``extra_logs`` holds
  ``accuracy``, ``format`` and ``answered``). ``prompts`` may be omitted.
- ``GET /health`` returns ``{"status": "ok", ...}``.
- Bad requests (not JSON, missing or mismatched fields, a bad label, a body over
  ``max_body_bytes``) get a 4xx with ``{"error": "..."}``; the server keeps serving.

It binds to loopback by default: the server has no authentication, so exposing it on
another interface is an explicit choice. Requests are handled in threads; the scorer is
stateless, so they need no lock.
"""

from __future__ import annotations

import json
import logging
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ssrl_rewards import __version__
from ssrl_rewards.config import RewardConfig
from ssrl_rewards.errors import SSRLRewardsError
from ssrl_rewards.reward_fn import OpenRLHFReward

__all__ = ["DEFAULT_MAX_BODY_BYTES", "RewardServer", "serve", "start_server"]

logger = logging.getLogger("ssrl_rewards.server")

DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024
"""Largest accepted request body (64 MiB: thousands of long completions per request)."""

_DRAIN_BYTES = 256 * 1024 * 1024
"""An over-limit body up to this size is read and discarded so the client, still sending,
receives the 413 instead of a broken pipe; a larger one just gets the connection closed."""

REWARD_PATHS = frozenset({"/get_reward", "/"})
HEALTH_PATHS = frozenset({"/health", "/healthz", "/"})


class _RequestError(Exception):
    """A client error: the HTTP status and a message for the JSON error body."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer carrying the reward and the body limit for its handlers."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], reward: OpenRLHFReward, max_body_bytes: int
    ) -> None:
        self.reward = reward
        self.max_body_bytes = max_body_bytes
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    """One request: route, validate, score, answer JSON. Never lets an error escape."""

    server: _Server
    server_version = "ssrl-rewards"
    timeout = 120  # seconds a client may stall mid-request before its thread is freed

    def do_GET(self) -> None:
        """Health check."""
        if self.path.split("?", 1)[0] not in HEALTH_PATHS:
            self._send(HTTPStatus.NOT_FOUND, {"error": f"no route GET {self.path}"})
            return
        reward = self.server.reward
        self._send(
            HTTPStatus.OK,
            {
                "status": "ok",
                "version": __version__,
                "component": reward.component,
                "task": reward.task,
                "config": reward.config.model_dump(),
            },
        )

    def do_POST(self) -> None:
        """Score a batch in OpenRLHF's remote reward-model format."""
        try:
            if self.path.split("?", 1)[0] not in REWARD_PATHS:
                raise _RequestError(HTTPStatus.NOT_FOUND, f"no route POST {self.path}")
            payload = self._read_json()
            queries, prompts, labels = _fields(payload)
            try:
                body = self.server.reward.score_lists(queries, prompts, labels)
            except SSRLRewardsError as exc:
                raise _RequestError(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc)) from None
        except _RequestError as exc:
            self._send(exc.status, {"error": exc.message})
            return
        except Exception as exc:  # a bug of ours: answer 500 and keep serving
            logger.exception("reward request failed")
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": f"internal error: {exc!r}"})
            return
        self._send(HTTPStatus.OK, body)

    def _read_json(self) -> object:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise _RequestError(HTTPStatus.LENGTH_REQUIRED, "chunked bodies are not supported")
        raw_length = self.headers.get("Content-Length")
        if raw_length is None:
            raise _RequestError(HTTPStatus.LENGTH_REQUIRED, "Content-Length is required")
        try:
            length = int(raw_length)
        except ValueError:
            raise _RequestError(
                HTTPStatus.BAD_REQUEST, f"bad Content-Length {raw_length!r}"
            ) from None
        if length < 0:
            raise _RequestError(HTTPStatus.BAD_REQUEST, f"bad Content-Length {raw_length!r}")
        if length > self.server.max_body_bytes:
            self.close_connection = True  # the unread body must not be parsed as a request
            self._discard(length)
            raise _RequestError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"body of {length} bytes exceeds the limit of {self.server.max_body_bytes}",
            )
        data = self.rfile.read(length)
        try:
            return json.loads(data)
        except ValueError as exc:
            raise _RequestError(HTTPStatus.BAD_REQUEST, f"body is not JSON: {exc}") from None
        except RecursionError:
            raise _RequestError(HTTPStatus.BAD_REQUEST, "body nests JSON too deeply") from None

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

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's errors (bad request line, unknown method) as JSON too."""
        status = HTTPStatus(code)
        self.close_connection = True
        if self.command == "HEAD":
            try:
                self.send_response(status)
                self.send_header("Connection", "close")
                self.end_headers()
            except OSError:
                pass
            return
        self._send(status, {"error": message or status.phrase})

    def _send(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client went away; nothing to answer
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Access log at DEBUG level (stderr lines per request would swamp a training log)."""
        logger.debug("%s - %s", self.address_string(), format % args)


def _fields(payload: object) -> tuple[list[object], list[object] | None, list[object]]:
    """(queries, prompts or None, labels) from a request body; 400 when malformed."""
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


def _make_server(
    host: str,
    port: int,
    config: RewardConfig | None,
    task: str | None,
    component: str,
    max_body_bytes: int,
) -> _Server:
    if max_body_bytes < 1:
        raise ValueError(f"max_body_bytes={max_body_bytes!r} must be positive")
    reward = OpenRLHFReward(component=component, task=task, config=config)
    return _Server((host, port), reward, max_body_bytes)


def start_server(
    host: str = "127.0.0.1",
    port: int = 0,
    config: RewardConfig | None = None,
    *,
    task: str | None = None,
    component: str = "score",
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> RewardServer:
    """Start a server in a daemon thread and return at once (port 0 picks a free port)."""
    return RewardServer(_make_server(host, port, config, task, component, max_body_bytes))


def serve(
    host: str = "127.0.0.1",
    port: int = 5000,
    config: RewardConfig | None = None,
    *,
    task: str | None = None,
    component: str = "score",
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    quiet: bool = False,
) -> None:
    """Serve rewards until interrupted (Ctrl-C returns cleanly). Blocks."""
    server = _make_server(host, port, config, task, component, max_body_bytes)
    if not quiet:
        bound_host, bound_port = server.server_address[0], server.server_address[1]
        print(
            f"ssrl-rewards: serving OpenRLHF rewards on http://{bound_host!s}:{bound_port}"
            "/get_reward (GET /health)",
            flush=True,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
