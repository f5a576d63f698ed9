"""The fuzzers' vocabulary: answer spaces, prompts, pieces of the answer grammar and of
the attacks on it, and the notations an answer may be written in.

Shared by `tests/test_fuzz.py` (hypothesis) and `benchmarks/fuzz.py` (a million seeded
draws). Plain data, no hypothesis import, so the benchmark runs without the test extra.
"""

from __future__ import annotations

import itertools

__all__ = [
    "CROP_PROMPT",
    "FOREIGN_OR",
    "OPTIONS",
    "PIECES",
    "POSITION_PROMPT",
    "SEPARATORS",
    "SPACES",
    "STRIPS",
    "WRAPS",
    "orderings",
]

POSITION_PROMPT = (
    "Assume that there is a camera at position '1' and it's facing to the left of the image."
    " According to the camera, where is the region marker '2'? A. Left B. Right C. Front"
    " D. Back. The final answer should be chosen from 'A', 'B', 'C', and 'D'."
)
CROP_PROMPT = "Which image is the missing part in the first image? Choose 'A', 'B', 'C' or 'D'."
OPTIONS = {"A": "Left", "B": "Right", "C": "Front", "D": "Back"}


def orderings(labels: range) -> list[str]:
    """Every ordering of `labels`, in canonical ``a-b-c`` notation."""
    return ["-".join(map(str, p)) for p in itertools.permutations(labels)]


# task -> (answer space as canonical ground-truth strings, prompt)
SPACES: dict[str, tuple[list[str], str | None]] = {
    "shuffle": (orderings(range(4)), None),
    "depth": (orderings(range(1, 4)), None),
    "flip": ([f"{label}-{d}" for label in range(4) for d in (0, 1)], None),
    "crop": (list("ABCD"), CROP_PROMPT),
    "position": (list("ABCD"), POSITION_PROMPT),
}
STRIPS = (orderings(range(3)), None)  # shuffle with three strips

PIECES = [
    "<think>",
    "</think>",
    "< think >",
    "< / think >",
    "<think >",
    "</ think>",
    "<THINK>",
    "<answer>",
    "</answer>",
    "\\boxed{",
    "\\boxed",
    "\\fbox{",
    "\\boxed {",
    "{",
    "}",
    "\\{",
    "\\text{",
    "$",
    "\\(",
    "\\)",
    " ",
    "  ",
    "\n",
    "\t",
    "-",
    " - ",
    ",",
    ", ",
    " or ",
    " and ",
    "/",
    "|",
    ";",
    ".",
    ":",
    "(",
    ")",
    "[",
    "]",
    "->",
    "→",
    "\\to",
    "–",
    "—",
    "−",
    "A",
    "B",
    "C",
    "D",
    "E",
    "a",
    "b",
    "Option ",
    "Answer: ",
    "the answer is ",
    "0",
    "1",
    "2",
    "3",
    "4",
    "9",
    "10",
    "Left",
    "Right",
    "Front",
    "Back",
    "Left-Front",
    "vertical",
    "horizontally",
    "\u0410",
    "\u0392",
    "\u0421",
    "\u0660",
    "\u0662",
    "\uff10",
    "\uff22",
    "\U0001d7ce",
    "\u2460",
    "\u200b",
    "\u200d",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\x00",
    "\ud800",
    "\udfff",
    "\\b\u03bfxed{",
    "\uff3cboxed{",
    "<|im_end|>",
    "ground truth is ",
    # issue 13: every answer container
    "<ANSWER>",
    "</ANSWER>",
    "<Answer>",
    '<answer class="final">',
    "\\framebox{",
    "\\framebox[2cm]{",
    "\\colorbox{yellow}{",
    "\\fcolorbox{red}{white}{",
    "\\ovalbox{",
    "\\shadowbox{",
    "\\doublebox{",
    "\\bbox[yellow]{",
    "\\framebox(20,10){",
    "\\hspace{1em}",
    " \\vee ",
    " ∨ ",
    "\\{",
    "\\}",
    "＜answer＞",
    " but maybe ",
    " either ",
    "; ",
    # ... "or" in other languages, and the punctuation that ties text to a box
    " 或 ",
    "或",
    "还是",
    " oder ",
    " o ",
    " ou ",
    " или ",
    " または ",
    " 또는 ",
    " i.e. ",
    " = ",
    "【",
    "】",
    "（",
    "）",
    # ... LaTeX spacing, delimiters and wrappers, invisible reasoning
    "\\,",
    "\\;",
    "\\ ",
    "\\quad ",
    "~",
    "\\!",
    "\\left[",
    "\\right]",
    "\\langle ",
    "\\rangle",
    "\\displaystyle ",
    "\\textbf{\\textit{",
    "**",
    "、",
    "。",
    "\u3164",
    "\ufe0f",
    "\u2800",
]

SEPARATORS = [
    "-", " - ", ",", ", ", " ", "–", "—", "−", " → ", " \\to ", "->",
    ",\\ ", "\\,", "\\;", "\\quad ", "~", ",\\!", "、",
]  # fmt: skip
WRAPS = [
    ("", ""), ("(", ")"), ("[", "]"), ("{", "}"), ("$", "$"), ("\\text{", "}"),
    ("\\left[", "\\right]"), ("\\langle ", " \\rangle"), ("\\displaystyle ", ""),
    ("\\textbf{\\textit{", "}}"), ("Answer: ", ""),
]  # fmt: skip
# "or" in other common languages: after a box, each one offers an alternative.
FOREIGN_OR = [" 或 ", "还是", " oder ", " o ", " ou ", " или ", " または ", " 또는 "]
