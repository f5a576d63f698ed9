"""Turning rows into outcomes: decode, extract, score and sum in chunks, in this process
or in worker processes (everything a worker gets is a picklable module-level object)."""

from __future__ import annotations

import collections
import concurrent.futures
import json
import multiprocessing
import signal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ssrl_rewards.cli.columns import Keys, error_kind, item
from ssrl_rewards.cli.common import REASON_CHARS, shorten, shown
from ssrl_rewards.cli.report import TaskStats
from ssrl_rewards.cli.sources import Row, as_record
from ssrl_rewards.config import RewardConfig
from ssrl_rewards.errors import GroundTruthError, SSRLRewardsError
from ssrl_rewards.reward import score

CHUNK_ROWS = 256


@dataclass(frozen=True)
class Outcome:
    """A scored row (result dicts) or a malformed one (error)."""

    number: int
    result: dict[str, Any] | None = None
    paper: dict[str, Any] | None = None
    error: str | None = None
    column: str | None = None
    kind: str | None = None  # a malformed row's kind (`columns.error_kind`)


@dataclass(frozen=True)
class Job:
    """What every worker needs to turn rows into outcomes (pickled once per chunk)."""

    keys: Keys
    forced_task: str | None
    config: RewardConfig
    paper: RewardConfig | None
    write_out: bool = False


@dataclass
class ChunkScores:
    """A scored chunk, summed where it was scored so the parent only merges.

    ``stats`` holds per-task sums over the chunk's rows in input order; ``malformed``
    the chunk's malformed rows; ``lines`` the ``--out`` lines, when asked for.
    """

    rows: int
    stats: dict[str, TaskStats]
    malformed: list[Outcome]
    lines: list[str] | None


def truth_problem(exc: SSRLRewardsError, raw: Any) -> str:
    """Why a ground truth is invalid, showing the value as the file holds it (the library
    names the value it parsed: an integer 5 becomes ``(5,)``), never longer than a line."""
    if isinstance(exc, GroundTruthError) and exc.field == "ground_truth":
        return shorten(f"{exc.task}: ground_truth {shown(raw)} {exc.why}", REASON_CHARS)
    return shorten(str(exc), REASON_CHARS)


def score_chunk(rows: Sequence[Row], job: Job) -> ChunkScores:
    """Decode, extract, score and sum a chunk of rows; runs in worker processes too."""
    stats: dict[str, TaskStats] = {}
    malformed: list[Outcome] = []
    lines: list[str] | None = [] if job.write_out else None
    for outcome in score_rows(rows, job):
        if outcome.result is None:
            malformed.append(outcome)
        else:
            task = outcome.result["task"]
            task_stats = stats.get(task)
            if task_stats is None:
                task_stats = stats[task] = TaskStats()
            task_stats.add(outcome.result, outcome.paper)
        if lines is not None:
            lines.append(json.dumps(out_record(outcome), ensure_ascii=False) + "\n")
    return ChunkScores(len(rows), stats, malformed, lines)


def score_rows(rows: Sequence[Row], job: Job) -> list[Outcome]:
    """Decode, extract and score rows: one outcome per row, in order."""
    config, paper = job.config, job.paper
    outcomes = []
    for row in rows:
        got = item(as_record(row), job.keys, job.forced_task, need_completion=True)
        if got.error is not None:
            outcomes.append(
                Outcome(
                    got.number,
                    error=shorten(got.error, REASON_CHARS),
                    column=got.column,
                    kind=got.kind,
                )
            )
            continue
        try:
            result = score(
                got.completion, got.ground_truth, got.task, prompt=got.prompt, config=config
            )
            paper_result = (
                score(got.completion, got.ground_truth, got.task, prompt=got.prompt, config=paper)
                if paper is not None
                else None
            )
        except SSRLRewardsError as exc:  # a bad ground truth or task: the row is malformed
            problem = truth_problem(exc, got.ground_truth)
            kind = error_kind(exc)
            outcomes.append(Outcome(got.number, error=problem, column=got.truth_key, kind=kind))
            continue
        except RecursionError:  # a ground truth nested past what its parser can read
            problem = f"ground truth {shown(got.ground_truth)} is nested too deeply to read"
            kind = "too_deep"
            outcomes.append(Outcome(got.number, error=problem, column=got.truth_key, kind=kind))
            continue
        outcomes.append(
            Outcome(
                got.number,
                result.to_dict(),
                paper_result.to_dict() if paper_result is not None else None,
            )
        )
    return outcomes


def out_record(outcome: Outcome) -> dict[str, Any]:
    """One ``--out`` line: the row number and its result, or its error."""
    if outcome.result is None:
        return {
            "row": outcome.number,
            "error": outcome.error,
            "column": outcome.column,
            "kind": outcome.kind,
        }
    record = {"row": outcome.number, **outcome.result}
    if outcome.paper is not None:
        record["paper"] = {
            key: outcome.paper[key]
            for key in ("score", "accuracy", "format", "reason", "format_reason", "pred")
        }
    return record


def chunks(items: Iterator[Row], size: int) -> Iterator[list[Row]]:
    """Consecutive lists of `size` rows (the last one shorter)."""
    chunk: list[Row] = []
    for row in items:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which cancels them and exits with 130."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def scored(batches: Iterator[list[Row]], workers: int, job: Job) -> Iterator[ChunkScores]:
    """Scored chunks in input order; at most 4 chunks per worker in flight."""
    if workers <= 1:
        for chunk in batches:
            yield score_chunk(chunk, job)
        return
    context = multiprocessing.get_context("spawn")
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=ignore_interrupts
    )
    pending: collections.deque[concurrent.futures.Future[ChunkScores]] = collections.deque()
    try:
        for chunk in batches:
            pending.append(pool.submit(score_chunk, chunk, job))
            if len(pending) >= 4 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
