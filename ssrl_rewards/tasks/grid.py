"""Shuffle layouts beyond the paper's 2x2: slot names and prompts for m x n grids.

The paper's shuffle data holds 2x2 grids and 1x3 / 1x4 / 3x1 / 4x1 strips; the same
answer (position j is slot j in reading order, its value the 0-based label of the patch
that belongs there) scores any m x n grid. This module writes the question for a layout,
in the paper's wording, so generators and tests ask for 3x3 or 2x3 grids the same way;
`GRID_RENDERERS` writes their answers for the soundness kit.
Adjacency credit (`credit.adjacency_credit`) reads n = k² labels as a k x k grid
(`credit.grid_columns`); other counts as one row.
"""

from __future__ import annotations

import random

from ssrl_rewards.tasks.ordering import OrderingRenderers

__all__ = ["GRID_LAYOUTS", "GRID_RENDERERS", "grid_prompt", "grid_question", "slot_names"]

#: Grids beyond the paper's, by patch count: (rows, cols).
GRID_LAYOUTS: dict[int, tuple[int, int]] = {6: (2, 3), 9: (3, 3), 12: (3, 4), 16: (4, 4)}

_STRIPS = {
    2: ("Left", "Right"),
    3: ("Left", "Middle", "Right"),
    4: ("Left", "Middle1", "Middle2", "Right"),
}
_ROWS = {2: ("Top", "Bottom"), 3: ("Top", "Middle", "Bottom")}
_COLUMNS = {2: ("Left", "Right"), 3: ("Left", "Middle", "Right")}


def slot_names(rows: int, cols: int) -> tuple[str, ...]:
    """The slots of a rows x cols grid in reading order, named as the paper names them
    (``TopLeft``..``BottomRight`` for 2x2, ``Left-Middle-Right`` strips, ``Top..Bottom``
    stacks); larger grids as ``R1C1``, ``R1C2``, ... Raises ValueError below 1x2."""
    if rows < 1 or cols < 1 or rows * cols < 2:
        raise ValueError(f"a shuffle grid needs at least two patches, not {rows}x{cols}")
    if rows == 1 and cols in _STRIPS:
        return _STRIPS[cols]
    if cols == 1 and rows in _STRIPS:
        return tuple(
            name.replace("Left", "Top").replace("Right", "Bottom") for name in _STRIPS[rows]
        )
    if rows in _ROWS and cols in _COLUMNS and (rows, cols) != (3, 3):
        return tuple(f"{r}{c}" for r in _ROWS[rows] for c in _COLUMNS[cols])
    return tuple(f"R{r}C{c}" for r in range(1, rows + 1) for c in range(1, cols + 1))


def grid_prompt(rows: int, cols: int) -> str:
    """The shuffle question for a rows x cols layout, in the paper's words."""
    n = rows * cols
    labels = ", ".join(str(label) for label in range(n - 1)) + f", and {n - 1}"
    layout = f" arranged in a {rows}x{cols} grid" if rows > 1 and cols > 1 else ""
    return (
        f"<image>The image is divided into {n} shuffled patches{layout} labeled {labels}."
        " Please answer the correct arrangement in the format"
        f" '{'-'.join(slot_names(rows, cols))}'."
    )


def grid_question(n: int, rng: random.Random) -> str:
    """The question for `n` patches in the layout `GRID_LAYOUTS` gives them."""
    del rng
    return grid_prompt(*GRID_LAYOUTS[n])


#: Renderers of shuffle answers on larger grids (the shuffle task's own renderers stay
#: paper-shaped, 3 or 4 pieces, so synthetic rows and benchmarks keep the paper's mix).
GRID_RENDERERS = OrderingRenderers(0, tuple(GRID_LAYOUTS), grid_question)
