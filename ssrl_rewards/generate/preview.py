"""A contact sheet: a few generated samples per task with their answers, as one PNG."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

__all__ = ["contact_sheet"]

_CELL_W, _CELL_H, _TEXT_H, _THUMB = 280, 210, 34, 64


def _open(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as im:
        rgb: Image.Image = im.convert("RGB")
        return rgb


def _caption(row: Mapping[str, Any]) -> str:
    answer = str(row["answer"])
    options = row.get("meta", {}).get("options")
    if row["task"] == "position" and options:
        answer += f" = {options['ABCD'.index(answer)]} ({row['meta'].get('kind')})"
    elif row["task"] == "shuffle":
        answer += f" ({row['meta'].get('layout')})"
    elif row["task"] == "rotation":
        answer += f"° {row['meta'].get('direction')}"
    return f"{row['task']}: {answer}"


def contact_sheet(
    rows_by_task: Mapping[str, Sequence[Mapping[str, Any]]], path: str | Path
) -> Path:
    """Draw the rows (dicts with ``task``, ``answer``, ``images`` as PNG bytes, ``meta``),
    one line per task, into a PNG at `path` (must not exist)."""
    tasks = [task for task, rows in rows_by_task.items() if rows]
    columns = max((len(rows_by_task[task]) for task in tasks), default=1)
    # a line per task: the question image, the candidates (crop only), the caption
    heights = [
        _CELL_H + _TEXT_H + (_THUMB if any(len(r["images"]) > 1 for r in rows_by_task[t]) else 0)
        for t in tasks
    ]
    sheet = Image.new("RGB", (columns * _CELL_W, max(1, sum(heights))), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=14)
    y = 0
    for task, height in zip(tasks, heights, strict=True):
        for c, row in enumerate(rows_by_task[task]):
            x = c * _CELL_W
            pictures = [_open(data) for data in row["images"]]
            main = pictures[0]
            main.thumbnail((_CELL_W - 8, _CELL_H - 8))
            sheet.paste(main, (x + 4, y + 4))
            below = y + main.height + 8
            for k, candidate in enumerate(pictures[1:]):
                candidate.thumbnail((_THUMB - 6, _THUMB - 6))
                sheet.paste(candidate, (x + 4 + k * _THUMB, below))
                label_at = (x + 4 + k * _THUMB, below + candidate.height)
                draw.text(label_at, "ABCD"[k], fill="red", font=font)
            caption_y = below + (_THUMB + 10 if len(pictures) > 1 else 0)
            draw.text((x + 4, caption_y), _caption(row), fill="black", font=font)
        y += height
    out = Path(path)
    with out.open("xb") as handle:
        sheet.save(handle, format="PNG")
    return out
