"""The dataset builder: images in, a trainer-ready Parquet or JSON Lines file out.

Row k of the plan (an *attempt*) takes image ``k mod len(images)`` and draws its task and
seed from ``(seed, k)`` alone, so the rows do not depend on ``workers``. Attempts that
cannot give a sample (`SampleError`) are skipped and counted by reason. Rows are written
as they come in row groups of `ROW_GROUP` (memory stays flat), each checked once more as
written: its answer parses as a ground truth of its task and the oracle completion scores 1
against the prompt as the file holds it.

Formats (images as PNG bytes in ``{"bytes", "path"}`` structs, the Hugging Face image
encoding that EasyR1, verl and `datasets` read):

- ``easyr1``: ``problem`` (question with ``<image>`` tokens; EasyR1's format prompt adds
  the answer-format sentence), ``answer``, ``images``, ``task``, ``meta``;
- ``verl``: ``data_source`` (``spatial_ssrl/<task>``), ``prompt`` (chat messages),
  ``images``, ``ability``, ``reward_model.ground_truth``, ``extra_info`` (``index``,
  ``task``, ``meta``);
- ``trl``: ``prompt`` (chat messages whose content parts place each image), ``images``,
  ``answer``, ``task``, ``meta``;
- ``jsonl``: ``train.jsonl`` with ``images`` as paths relative to the output directory,
  the PNG files in ``images/``.
"""

from __future__ import annotations

import functools
import io
import json
import multiprocessing
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
from PIL import Image

from ssrl_rewards.generate.depthio import find_depth, read_depth
from ssrl_rewards.generate.errors import GenerateError, SampleError, VerificationError
from ssrl_rewards.generate.sample import (
    DEPTH_TASKS,
    GENERATED_TASKS,
    PAPER_TASKS,
    load_image,
    make_sample,
    oracle_completion,
)
from ssrl_rewards.generate.scenes import DEFAULT_SCENES, scene
from ssrl_rewards.prompts import prompt_text
from ssrl_rewards.registry import canonical_task_name
from ssrl_rewards.reward import score

__all__ = [
    "FORMATS",
    "IMAGE_SUFFIXES",
    "PAPER_MIX",
    "BuildReport",
    "Source",
    "build",
    "default_sources",
    "find_sources",
    "iter_rows",
    "output_file",
    "parse_mix",
    "plan",
    "run_job",
]

FORMATS = ("easyr1", "verl", "trl", "jsonl")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")
# Rows per task in the paper's 81k data set.
PAPER_MIX: dict[str, float] = {
    "shuffle": 16028,
    "flip": 4005,
    "crop": 20200,
    "depth": 20620,
    "position": 20200,
}
ROW_GROUP = 64
PNG_LEVEL = 1  # fast, lossless: the pixels are the ground truth
SCENE_PREFIX = "scene:"


@dataclass(frozen=True)
class Source:
    """One input: an image path (or ``scene:K``) and its depth path (or None)."""

    image: str
    depth: str | None = None


@dataclass(frozen=True)
class Job:
    """One attempt: which input, which task, which sample seed."""

    attempt: int
    source: Source
    task: str | None
    seed: int


@dataclass
class BuildReport:
    """What a build did: rows written per task, skips per reason, timing and paths."""

    written: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    attempts: int = 0
    seconds: float = 0.0
    output: Path | None = None
    preview: Path | None = None

    @property
    def rows(self) -> int:
        """Rows written."""
        return sum(self.written.values())


# --- inputs -----------------------------------------------------------------------------------


def _is_depth_name(path: Path) -> bool:
    stem = path.stem.lower()
    return stem.endswith(("_depth", "_depth_mask"))


def find_sources(paths: Sequence[str | Path], depth_dir: str | Path | None = None) -> list[Source]:
    """Image files named or found (recursively, sorted) under `paths`, each paired with its
    depth map (see `find_depth`). Files named like depth maps (``*_depth``) or under
    `depth_dir` are not images."""
    ddir = Path(depth_dir) if depth_dir is not None else None
    images: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            images += sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file() and not _is_depth_name(p)
            )
        elif path.is_file():
            images.append(path)
        else:
            raise GenerateError(f"IMAGES: {str(path)!r} is neither a file nor a directory")
    if ddir is not None:  # depth maps stored under an image directory are not images
        root = ddir.resolve()
        images = [image for image in images if root not in image.resolve().parents]
    sources = []
    for image in images:
        depth = find_depth(image, ddir)
        sources.append(Source(str(image), str(depth) if depth is not None else None))
    return sources


def default_sources(count: int = DEFAULT_SCENES) -> list[Source]:
    """The embedded default: `count` procedural RGB-D scenes."""
    return [Source(f"{SCENE_PREFIX}{k}", f"{SCENE_PREFIX}{k}") for k in range(count)]


def parse_mix(text: str | None, tasks: Sequence[str] | None = None) -> dict[str, float]:
    """Task weights from ``paper`` (the paper's counts), ``uniform`` or ``k=v,...``,
    restricted to `tasks` when given. Raises `GenerateError` naming the bad part.

    Without `tasks`, ``paper`` and ``uniform`` cover the paper's five tasks; a later task
    (rotation) comes in when `tasks` or a ``k=v`` mix names it. Under ``paper`` such a task
    weighs the mean of the paper's five counts, as if it were a sixth task of the same size.
    """
    chosen = []
    for name in tasks or PAPER_TASKS:
        task = canonical_task_name(name)
        if task not in GENERATED_TASKS:
            raise GenerateError(f"--tasks: {name!r} is not one of {', '.join(GENERATED_TASKS)}")
        chosen.append(task)
    spec = (text or "paper").strip()
    if spec == "paper":
        mean = sum(PAPER_MIX.values()) / len(PAPER_MIX)
        weights = {task: PAPER_MIX.get(task, mean) for task in chosen}
    elif spec == "uniform":
        weights = dict.fromkeys(chosen, 1.0)
    else:
        weights = {}
        for part in spec.split(","):
            name, sep, value = part.partition("=")
            key = canonical_task_name(name.strip()) or name.strip()
            if not sep or key not in GENERATED_TASKS:
                raise GenerateError(
                    f"--mix: {part!r} is not task=weight with a task of "
                    f"{', '.join(GENERATED_TASKS)}"
                )
            try:
                weight = float(value)
            except ValueError:
                raise GenerateError(f"--mix: weight {value!r} of {key} is not a number") from None
            if not (weight >= 0 and np.isfinite(weight)):
                raise GenerateError(f"--mix: weight {value!r} of {key} must be >= 0")
            if tasks and key not in chosen:
                raise GenerateError(f"--mix names {key!r}, which --tasks leaves out")
            weights[key] = weight
    if not any(w > 0 for w in weights.values()):
        raise GenerateError(f"--mix {spec!r} gives every task weight 0")
    return {task: w for task, w in weights.items() if w > 0}


def plan(sources: Sequence[Source], mix: dict[str, float], seed: int) -> Iterator[Job]:
    """Endless attempts: input ``k mod n``, task and sample seed drawn from (seed, k)."""
    attempt = 0
    while True:
        source = sources[attempt % len(sources)]
        rng = np.random.default_rng([seed, attempt])
        feasible = [t for t in mix if source.depth is not None or t not in DEPTH_TASKS]
        task = None
        if feasible:
            weights = np.array([mix[t] for t in feasible])
            task = feasible[int(rng.choice(len(feasible), p=weights / weights.sum()))]
        yield Job(attempt, source, task, int(rng.integers(2**63 - 1)))
        attempt += 1


# --- one row (runs in the workers) ------------------------------------------------------------


def _png(array: np.ndarray[Any, Any]) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG", compress_level=PNG_LEVEL)
    return buffer.getvalue()


@functools.lru_cache(maxsize=DEFAULT_SCENES)
def _scene(index: int) -> tuple[Any, Any]:
    """A procedural scene, made once per process (make_sample never writes to its input)."""
    return scene(index)


def _load(source: Source, needs_depth: bool) -> tuple[Any, Any]:
    if source.image.startswith(SCENE_PREFIX):
        rgb, scene_depth = _scene(int(source.image[len(SCENE_PREFIX) :]))
        return rgb, scene_depth if needs_depth else None
    image, _ = load_image(source.image)
    depth = read_depth(source.depth) if needs_depth and source.depth is not None else None
    return image, depth


def run_job(job: Job) -> tuple[str, Any]:
    """("ok", row data) or ("skip", reason) for one attempt."""
    if job.task is None:
        return "skip", "no depth map for the chosen tasks"
    try:
        image, depth = _load(job.source, job.task in DEPTH_TASKS)
        sample = make_sample(job.task, image, depth, seed=job.seed, name=job.source.image)
    except SampleError as exc:
        return "skip", exc.reason
    meta = dict(sample.meta, source=job.source.image, attempt=job.attempt, seed=job.seed)
    return "ok", {
        "task": sample.task,
        "prompt": sample.prompt,
        "question": sample.question,
        "answer": sample.answer,
        "images": [_png(picture) for picture in sample.images],
        "meta": meta,
    }


# --- writers ----------------------------------------------------------------------------------


def _pa() -> Any:
    import pyarrow as pa  # noqa: PLC0415 - the parquet extra; jsonl works without it

    return pa


def _schema(fmt: str) -> Any:
    pa = _pa()
    image = pa.struct([("bytes", pa.binary()), ("path", pa.string())])
    images = pa.list_(image)
    if fmt == "easyr1":
        fields = [
            ("problem", pa.string()),
            ("answer", pa.string()),
            ("images", images),
            ("task", pa.string()),
            ("meta", pa.string()),
        ]
    elif fmt == "verl":
        message = pa.struct([("role", pa.string()), ("content", pa.string())])
        fields = [
            ("data_source", pa.string()),
            ("prompt", pa.list_(message)),
            ("images", images),
            ("ability", pa.string()),
            ("reward_model", pa.struct([("style", pa.string()), ("ground_truth", pa.string())])),
            (
                "extra_info",
                pa.struct([("index", pa.int64()), ("task", pa.string()), ("meta", pa.string())]),
            ),
        ]
    else:
        part = pa.struct([("type", pa.string()), ("text", pa.string())])
        message = pa.struct([("role", pa.string()), ("content", pa.list_(part))])
        fields = [
            ("prompt", pa.list_(message)),
            ("images", images),
            ("answer", pa.string()),
            ("task", pa.string()),
            ("meta", pa.string()),
        ]
    schema = pa.schema(fields)
    features = {f.name: _hf_feature(f.type, f.name == "images") for f in schema}
    hf = json.dumps({"info": {"features": features}})
    return schema.with_metadata({"huggingface": hf})


def _hf_feature(kind: Any, is_images: bool) -> Any:
    """The `datasets` feature JSON of an Arrow type (so `images` decode as PIL images)."""
    pa = _pa()
    if is_images:
        return [{"_type": "Image"}]
    if pa.types.is_struct(kind):
        return {
            kind.field(i).name: _hf_feature(kind.field(i).type, False)
            for i in range(kind.num_fields)
        }
    if pa.types.is_list(kind):
        return [_hf_feature(kind.value_type, False)]
    return {"dtype": "int64" if pa.types.is_int64(kind) else "string", "_type": "Value"}


def _content_parts(question: str) -> list[dict[str, str | None]]:
    """TRL content parts: text, with an image part where each ``<image>`` stood."""
    parts: list[dict[str, str | None]] = []
    for k, piece in enumerate(question.split("<image>")):
        if k:
            parts.append({"type": "image", "text": None})
        if piece.strip():
            parts.append({"type": "text", "text": piece})
    return parts


def _record(fmt: str, index: int, row: dict[str, Any]) -> tuple[dict[str, Any], object]:
    """(the file's row, the prompt as a trainer hands it to the reward)."""
    images = [{"bytes": data, "path": None} for data in row["images"]]
    meta = json.dumps(row["meta"], separators=(",", ":"))
    if fmt == "easyr1":
        record = {
            "problem": row["question"],
            "answer": row["answer"],
            "images": images,
            "task": row["task"],
            "meta": meta,
        }
        return record, row["question"]
    if fmt == "verl":
        prompt = [{"role": "user", "content": row["prompt"]}]
        record = {
            "data_source": f"spatial_ssrl/{row['task']}",
            "prompt": prompt,
            "images": images,
            "ability": "spatial",
            "reward_model": {"style": "rule", "ground_truth": row["answer"]},
            "extra_info": {"index": index, "task": row["task"], "meta": meta},
        }
        return record, prompt
    prompt = [{"role": "user", "content": _content_parts(row["prompt"])}]
    record = {
        "prompt": prompt,
        "images": images,
        "answer": row["answer"],
        "task": row["task"],
        "meta": meta,
    }
    return record, prompt


def _verify_written(task: str, answer: str, prompt: object) -> None:
    """The row as the file holds it: the oracle completion scores 1 against that prompt."""
    result = score(oracle_completion(answer), answer, task, prompt=prompt_text(prompt))
    if result.score != 1.0:
        raise VerificationError(
            f"{task}: row with answer {answer!r} scores {result.score} as written ({result.reason})"
        )


class _ParquetSink:
    def __init__(self, fmt: str, path: Path) -> None:
        pq = _parquet()
        self.fmt = fmt
        self.schema = _schema(fmt)
        self.writer = pq.ParquetWriter(str(path), self.schema, compression="snappy")
        self.buffer: list[dict[str, Any]] = []

    def write(self, index: int, row: dict[str, Any]) -> None:
        record, prompt = _record(self.fmt, index, row)
        _verify_written(row["task"], row["answer"], prompt)
        self.buffer.append(record)
        if len(self.buffer) >= ROW_GROUP:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            table = _pa().Table.from_pylist(self.buffer, schema=self.schema)
            self.writer.write_table(table)
            self.buffer = []

    def close(self) -> None:
        self.flush()
        self.writer.close()


def _parquet() -> Any:
    import pyarrow.parquet as pq  # noqa: PLC0415 - the parquet extra

    return pq


class _JsonlSink:
    def __init__(self, path: Path) -> None:
        self.root = path.parent
        (self.root / "images").mkdir(exist_ok=True)
        self.handle: TextIO = path.open("x", encoding="utf-8")

    def write(self, index: int, row: dict[str, Any]) -> None:
        _verify_written(row["task"], row["answer"], row["prompt"])
        names = []
        for k, data in enumerate(row["images"]):
            name = f"images/{index:08d}-{k}.png"
            (self.root / name).write_bytes(data)
            names.append(name)
        record = {
            "index": index,
            "task": row["task"],
            "prompt": row["prompt"],
            "question": row["question"],
            "answer": row["answer"],
            "images": names,
            "meta": row["meta"],
        }
        self.handle.write(json.dumps(record, separators=(",", ":")) + "\n")

    def close(self) -> None:
        self.handle.close()


# --- the build --------------------------------------------------------------------------------


def output_file(out: Path, fmt: str) -> Path:
    """The data file a build writes in `out`."""
    return out / ("train.jsonl" if fmt == "jsonl" else "train.parquet")


def build(
    sources: Sequence[Source],
    out: str | Path,
    fmt: str,
    *,
    mix: dict[str, float],
    n: int,
    seed: int = 0,
    workers: int = 1,
    preview: str | Path | None = None,
    progress: TextIO | None = None,
    max_attempts: int | None = None,
) -> BuildReport:
    """Write `n` verified rows from `sources` into directory `out` (created; it must not
    exist or be empty). Raises `GenerateError` for bad arguments or existing output."""
    if fmt not in FORMATS:
        raise GenerateError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    if n < 1:
        raise GenerateError(f"--n {n} must be at least 1")
    if not sources:
        raise GenerateError("no input images")
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise GenerateError(f"--out {str(out)!r} already exists and is not an empty directory")
    preview_path = Path(preview) if preview is not None else None
    if preview_path is not None and preview_path.exists():
        raise GenerateError(f"--preview {str(preview_path)!r} already exists")
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    target = output_file(out, fmt)
    partial = target.with_name(target.name + ".partial")
    sink: _ParquetSink | _JsonlSink = (
        _JsonlSink(partial) if fmt == "jsonl" else _ParquetSink(fmt, partial)
    )
    report = BuildReport()
    shown: dict[str, list[dict[str, Any]]] = {}
    limit = max_attempts if max_attempts is not None else 4 * n + 64
    started = time.perf_counter()
    ticker = _Progress(progress, n)
    try:
        for outcome, payload in _results(plan(sources, mix, seed), workers, limit):
            report.attempts += 1
            if outcome == "skip":
                report.skipped[payload] += 1
            else:
                sink.write(report.rows, payload)
                report.written[payload["task"]] += 1
                if preview_path is not None and len(shown.setdefault(payload["task"], [])) < 3:
                    shown[payload["task"]].append(payload)
            ticker.update(report)
            if report.rows >= n:
                break
    finally:
        sink.close()
    report.seconds = time.perf_counter() - started
    ticker.done(report)
    if report.rows == 0:  # leave nothing behind that looks like output
        partial.unlink()
        images = out / "images"
        if images.is_dir() and not any(images.iterdir()):
            images.rmdir()
        if created and not any(out.iterdir()):
            out.rmdir()
        return report
    partial.rename(target)
    report.output = target
    if preview_path is not None:
        from ssrl_rewards.generate.preview import contact_sheet  # noqa: PLC0415

        contact_sheet(shown, preview_path)
        report.preview = preview_path
    return report


def _results(jobs: Iterator[Job], workers: int, limit: int) -> Iterator[tuple[str, Any]]:
    """Outcomes in attempt order, `limit` attempts at most, computed in bounded batches."""
    bounded = (job for job, _ in zip(jobs, range(limit), strict=False))
    if workers <= 1:
        for job in bounded:
            yield run_job(job)
        return
    context = multiprocessing.get_context("spawn")
    batch_size = workers * 8
    with context.Pool(workers) as pool:
        while True:
            batch = [job for _, job in zip(range(batch_size), bounded, strict=False)]
            if not batch:
                return
            yield from pool.map(run_job, batch, chunksize=2)


class _Progress:
    """One status line on stderr: rewritten in place on a terminal, every 10% otherwise."""

    def __init__(self, stream: TextIO | None, total: int) -> None:
        self.stream = stream
        self.total = total
        self.tty = bool(stream is not None and stream.isatty())
        self.last = 0.0
        self.next_pct = 10
        self.started = time.perf_counter()

    def _line(self, report: BuildReport) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        skipped = sum(report.skipped.values())
        return (
            f"generate: {report.rows}/{self.total} rows, {skipped} skipped, "
            f"{report.rows / elapsed:.1f} rows/s"
        )

    def update(self, report: BuildReport) -> None:
        if self.stream is None:
            return
        now = time.perf_counter()
        if self.tty and now - self.last >= 0.2:
            self.stream.write("\r" + self._line(report))
            self.stream.flush()
            self.last = now
        elif not self.tty and report.rows * 100 >= self.next_pct * self.total:
            self.stream.write(self._line(report) + "\n")
            self.stream.flush()
            self.next_pct = report.rows * 100 // self.total + 10

    def done(self, report: BuildReport) -> None:
        if self.stream is not None and self.tty:
            self.stream.write("\r" + self._line(report) + "\n")
            self.stream.flush()


def iter_rows(path: str | Path) -> Iterable[dict[str, Any]]:
    """Rows of a built file (Parquet or JSON Lines), one at a time, for checks and tools."""
    path = Path(path)
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)
        return
    handle = _parquet().ParquetFile(str(path))
    for batch in handle.iter_batches(batch_size=ROW_GROUP):
        yield from batch.to_pylist()
