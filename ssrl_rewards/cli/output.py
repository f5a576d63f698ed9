"""``--out``: per-row results written where the user asked, never over the input.

A regular file is written to a temporary file beside it and renamed over the target only
when the command succeeds, so an interrupted or failed run leaves the old file (if any)
untouched and never half a file. ``-`` is standard output; a device or a pipe
(``/dev/null``, a FIFO) is written directly.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ssrl_rewards.cli.common import UserError
from ssrl_rewards.cli.sources import Source


def refuse_input(out: str | None, source: Source) -> None:
    """A `UserError` when ``--out`` names the file being read, by any path (a symbolic or
    hard link, a relative path): checked before anything is opened for writing."""
    if out is None or out == "-":
        return
    try:
        target = os.stat(out)
    except OSError:
        return  # nothing there yet (or unreachable: opening it will say why)
    inputs = [source.identity] if source.identity is not None else []
    for found in inputs:
        if stat.S_ISREG(found.st_mode) and os.path.samestat(found, target):
            raise UserError(
                f"--out {out} is the input file {source.label}; "
                "write the results to another path (nothing was written)"
            )


@contextlib.contextmanager
def opened_out(path: str | None) -> Iterator[OutFile | None]:
    """The ``--out`` destination, or None without ``--out``; see `OutFile`."""
    if path is None:
        yield None
        return
    out = OutFile(path)
    try:
        yield out
    finally:
        out.discard()  # a no-op after commit()


class OutFile:
    """Where ``--out`` lines go: stdout, a device written in place, or a temporary file
    renamed over the target by `commit` (and removed by `discard`)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.to_stdout = path == "-"
        self.temp: str | None = None
        self.handle: IO[str]
        if self.to_stdout:
            self.handle = sys.stdout
            return
        target = Path(os.path.realpath(path))  # through a symbolic link: replace its file
        try:
            mode = target.stat().st_mode
        except OSError:
            mode = None
        if mode is not None and not stat.S_ISREG(mode):  # /dev/null, a FIFO: write in place
            self.handle = self._open(path, "w")
            return
        directory = target.parent
        if not directory.is_dir():
            raise UserError(f"--out {path}: cannot write: no such directory {str(directory)!r}")
        # O_EXCL creates a new file with the umask's permissions, as `open(path, "w")` would.
        for attempt in range(100):
            temp = directory / f".{target.name}.{os.getpid()}.{attempt}.tmp"
            try:
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                continue
            except OSError as exc:
                raise UserError(f"--out {path}: cannot write: {exc.strerror or exc}") from None
            self.temp = str(temp)
            self.handle = open(fd, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
            if mode is not None:  # keep the permissions of the file being replaced
                with contextlib.suppress(OSError):
                    os.chmod(self.temp, stat.S_IMODE(mode))
            return
        raise UserError(f"--out {path}: cannot write: no free temporary name beside it")

    @staticmethod
    def _open(path: str, how: str) -> IO[str]:
        try:
            return open(path, how, encoding="utf-8", newline="\n")
        except OSError as exc:
            raise UserError(f"--out {path}: cannot write: {exc.strerror or exc}") from None

    def writelines(self, lines: list[str]) -> None:
        """Write result lines (each ends in a newline)."""
        self.handle.writelines(lines)

    def commit(self) -> None:
        """Finish: flush, and rename the temporary file over the target."""
        if self.to_stdout:
            self.handle.flush()
            return
        try:
            self.handle.close()
            if self.temp is not None:
                os.replace(self.temp, os.path.realpath(self.path))
                self.temp = None
        except OSError as exc:
            raise UserError(f"--out {self.path}: cannot write: {exc.strerror or exc}") from None

    def discard(self) -> None:
        """Drop what was written to a temporary file (the target stays as it was)."""
        if self.to_stdout:
            return
        with contextlib.suppress(OSError):
            self.handle.close()
        if self.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)
            self.temp = None
