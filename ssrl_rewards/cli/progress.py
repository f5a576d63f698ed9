"""A one-line progress bar on stderr: rows, rows per second and, when the size is known,
the share done and the time left."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO


class Progress:
    """A one-line progress bar on stderr (rows, rows/s, ETA); silent when disabled."""

    def __init__(
        self,
        stream: IO[str],
        enabled: bool,
        total_rows: int | None = None,
        total_bytes: int | None = None,
        bytes_read: Callable[[], int] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.enabled = enabled
        self.total_rows = total_rows
        self.total_bytes = total_bytes
        self.bytes_read = bytes_read
        self.clock = clock
        self.start = clock()
        self.last = -1.0
        self.rows = 0

    def update(self, rows: int) -> None:
        self.rows += rows
        if not self.enabled:
            return
        now = self.clock()
        if now - self.last < 0.2:
            return
        self.last = now
        self.stream.write("\r" + self.line(now) + "\x1b[K")
        self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.rows / elapsed
        done: float | None = None
        if self.total_rows:
            done = self.rows / self.total_rows
        elif self.total_bytes and self.bytes_read is not None:
            done = self.bytes_read() / self.total_bytes
        text = f"{self.rows:,} rows  {rate:,.0f} rows/s"
        if done is not None and done > 0:
            remaining = elapsed * (1 - min(done, 1.0)) / done
            text += f"  {100 * min(done, 1.0):.0f}%  ETA {clock_text(remaining)}"
        return text

    def close(self) -> None:
        if self.enabled and self.last >= 0:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def clock_text(seconds: float) -> str:
    whole = int(seconds + 0.5)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
