"""The paper's question templates (appendix A.7 and the released generators) and option sets.

One `<image>` token stands for each image, in the order of `Sample.images`. The option
sets and the camera table are the position task's geometry; the verifier resolves option
text against the options the prompt lists, so the two share these strings.
"""

from __future__ import annotations

__all__ = [
    "COMPOUND_OPTIONS",
    "FACING_PHRASES",
    "PROMPT_SUFFIX",
    "SIMPLE_OPTIONS",
    "crop_question",
    "depth_question",
    "flip_question",
    "position_answer",
    "position_question",
    "rotation_question",
    "shuffle_question",
]

# The GRPO answer-format sentence (EasyR1's math.jinja in the released training code).
PROMPT_SUFFIX = (
    "You FIRST think about the reasoning process as an internal monologue and then provide "
    "the final answer. The reasoning process MUST BE enclosed within <think> </think> tags. "
    "The final answer MUST BE put in \\boxed{}."
)

SIMPLE_OPTIONS: tuple[str, ...] = ("Left", "Right", "Front", "Back")
COMPOUND_OPTIONS: tuple[str, ...] = ("Left-Front", "Right-Front", "Right-Back", "Left-Back")
FACING_PHRASES: dict[str, str] = {
    "left": "to the left of the image",
    "right": "to the right of the image",
    "towards": "to me",
    "away": "away from me",
}

# The paper's table: the option word for a positive (>= 0) and a negative offset.
# near: image x offset only; far with the same x: depth offset only; far, different x: both.
_BY_X: dict[str, tuple[str, str]] = {
    "left": ("Back", "Front"),
    "right": ("Front", "Back"),
    "towards": ("Left", "Right"),
    "away": ("Right", "Left"),
}
_BY_DEPTH: dict[str, tuple[str, str]] = {
    "left": ("Right", "Left"),
    "right": ("Left", "Right"),
    "towards": ("Back", "Front"),
    "away": ("Front", "Back"),
}


def position_answer(kind: str, facing: str, dx: float, dd: float) -> str:
    """The option text for a camera `facing` one way and target offsets dx (image x, target
    minus camera) and dd (depth, larger = farther); ties go to the >= branch."""
    x_word = _BY_X[facing][0 if dx >= 0 else 1]
    d_word = _BY_DEPTH[facing][0 if dd >= 0 else 1]
    if kind == "near":
        return x_word
    if kind == "far_same_x":
        return d_word
    lateral = x_word if x_word in ("Left", "Right") else d_word
    sagittal = x_word if x_word in ("Front", "Back") else d_word
    return f"{lateral}-{sagittal}"


def _labels_phrase(labels: list[str]) -> str:
    if len(labels) == 2:
        return f"{labels[0]} and {labels[1]}"
    return ", ".join(labels[:-1]) + ", and " + labels[-1]


def _grid_format(rows: int, cols: int) -> str:
    if (rows, cols) == (2, 2):
        return "TopLeft-TopRight-BottomLeft-BottomRight"
    if rows == 1 and cols in (3, 4):
        return "Left-Middle-Right" if cols == 3 else "Left-Middle1-Middle2-Right"
    if cols == 1 and rows in (3, 4):
        return "Top-Middle-Bottom" if rows == 3 else "Top-Middle1-Middle2-Bottom"
    if rows == 1 or cols == 1:
        slots = [f"Slot{k + 1}" for k in range(rows * cols)]
    else:
        slots = [f"R{r + 1}C{c + 1}" for r in range(rows) for c in range(cols)]
    if len(slots) > 6:  # long grids: first two, an ellipsis, the last (reading order)
        slots = [*slots[:2], "...", slots[-1]]
    return "-".join(slots)


def shuffle_question(rows: int, cols: int, masked: bool) -> str:
    """The shuffle question for a rows x cols cut (strips when one side is 1)."""
    n = rows * cols
    labels = _labels_phrase([str(i) for i in range(n)])
    if rows == 1:
        pieces = f"cut into {n} shuffled horizontal strips"
    elif cols == 1:
        pieces = f"cut into {n} shuffled vertical strips"
    else:
        pieces = f"divided into {n} shuffled patches"
        if masked:
            pieces += ", and one of them is masked in white"
    return (
        f"<image>The image is {pieces} labeled {labels}. Please answer the correct "
        "arrangement of the pieces that restores the original image, in the format "
        f"'{_grid_format(rows, cols)}'."
    )


def flip_question() -> str:
    """The flip question (2x2 grid, labels 0-3 in reading order)."""
    return (
        "<image>The image is divided into 4 patches labeled 0, 1, 2, and 3 in reading order. "
        "One of the four patches is flipped either horizontally or vertically. Which patch is "
        "flipped, and how? Answer in the format 'Label-Direction'. The direction can only be "
        "0(flipped vertically) or 1(flipped horizontally)."
    )


def crop_question() -> str:
    """The crop question: the masked image, then the four candidates A-D."""
    return (
        "Which image is the missing part in the first image <image>? Please select one of the "
        "four options <image><image><image><image>. The final answer should be chosen from "
        "'A', 'B', 'C', and 'D'."
    )


def depth_question(n: int = 3) -> str:
    """The depth-ordering question for n marked regions."""
    labels = _labels_phrase([str(i + 1) for i in range(n)])
    fmt = "Smallest-Middle-Largest" if n == 3 else "-".join(f"Rank{i + 1}" for i in range(n))
    count = _WORDS[n] if n < len(_WORDS) else str(n)
    return (
        f"<image>There are {count} regions marked as {labels} in the image. Please sort the "
        f"depths of the {count} regions from smallest to largest from the camera, in the "
        f"format '{fmt}'."
    )


_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def position_question(camera: str, target: str, facing: str, far: bool, options: list[str]) -> str:
    """The relative-position question; far kinds ask to ignore the height difference."""
    listed = " ".join(f"{letter}. {text}" for letter, text in zip("ABCD", options, strict=True))
    ignore = " and ignore the height difference between the two regions" if far else ""
    return (
        "<image>I've taken an image and there are two regions marked as 1, and 2 on the "
        f"image. Assume that there is a camera at position '{camera}' and it's facing "
        f"{FACING_PHRASES[facing]}. According to the camera, where is the region marker "
        f"'{target}'? {listed}. Consider cues such as depth, orientation, and 3D spatial "
        f"relationship{ignore}. The final answer should be chosen from 'A', 'B', 'C', and 'D'."
    )


def rotation_question(direction: str = "clockwise") -> str:
    """The rotation question (SSL4RL's rotation prediction): it names one direction, and
    only that one, because the verifier reads an answer's direction word against it."""
    return (
        f"<image>The image has been rotated {direction} by 0, 90, 180, or 270 degrees. By how "
        f"many degrees was it rotated {direction}? The final answer should be chosen from "
        "'0', '90', '180', and '270'."
    )
