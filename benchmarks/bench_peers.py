"""The scorers we compare with, each as ``fn(rows) -> list[float | None]`` of accuracies.

- ``published``: the Spatial-SSRL ``img_score`` re-stated from its documented behaviour,
  with mathruler's ``extract_boxed_content`` as the extractor (a stand-in without it).
- ``math-verify``: ``verify(parse(gold), parse(completion))`` (needs ``math-verify``).
- ``trl``: TRL's ``accuracy_reward`` (needs ``trl`` and ``math-verify``); None = skipped.
- ``mathruler grade``: mathruler's ``grade_answer`` on the extracted box (correctness only).

Each loader returns None with a printed reason when its package is missing.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import warnings
from collections.abc import Callable, Sequence
from typing import Any

Row = dict[str, Any]
Scorer = Callable[[Sequence[Row]], list[float | None]]

_SQUEEZE = re.compile(r"\s*(<|>|/)\s*")
_FORMAT = re.compile(r"<think>.*</think>.*\\boxed\{.*\}.*", re.DOTALL)


def available(module: str) -> bool:
    """True if `module` is installed (without importing it)."""
    return importlib.util.find_spec(module) is not None


def last_box(text: str) -> str:
    """Content of the last ``\\boxed{`` with braces matched by depth, stripped, else ``"None"``.

    A stand-in for mathruler's extractor, used only when mathruler is not installed.
    """
    start = text.rfind("\\boxed{")
    if start == -1:
        return "None"
    depth = 0
    for index in range(start + 7, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return text[start + 7 : index].strip()
            depth -= 1
    return "None"


def extractor() -> tuple[Callable[[str], str], str]:
    """mathruler's ``extract_boxed_content`` if it imports, else `last_box`; and its name."""
    try:
        from mathruler.grader import extract_boxed_content  # noqa: PLC0415 - optional peer
    except ImportError:
        return last_box, "own last-box extractor (mathruler not installed)"
    return extract_boxed_content, "mathruler.extract_boxed_content"


def published_reward() -> Callable[[str, str], dict[str, float]]:
    """The published per-sample reward as ``fn(response, truth) -> {overall, format, accuracy}``."""
    extract_boxed_content, _ = extractor()

    def img_score(response: str, truth: str, format_weight: float = 0.1) -> dict[str, float]:
        # Drop whitespace next to every '<', '>' and '/', then grade the squeezed text.
        squeezed = _SQUEEZE.sub(r"\1", response)
        fmt = 1.0 if _FORMAT.fullmatch(squeezed) else 0.0
        accuracy = 1.0 if extract_boxed_content(squeezed) == truth else 0.0
        overall = (1 - format_weight) * accuracy + format_weight * fmt
        return {"overall": overall, "format": fmt, "accuracy": accuracy}

    return img_score


def published_scorer() -> Scorer:
    """Accuracy of the published reward on each row."""
    reward = published_reward()

    def run(rows: Sequence[Row]) -> list[float | None]:
        return [reward(r["completion"], r["ground_truth"])["accuracy"] for r in rows]

    return run


def _quiet_math_verify() -> None:
    for name in (
        "math_verify",
        "math_verify.parser",
        "math_verify.grader",
        "latex2sympy2_extended",
    ):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def math_verify_scorer(*, gold: str = "hyphen") -> Scorer | None:
    """math-verify ``parse`` + ``verify``; ``gold="comma"`` writes orderings as ``$2,0,3,1$``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from math_verify import parse, verify  # noqa: PLC0415 - optional peer
    except ImportError:
        return None
    _quiet_math_verify()

    def run(rows: Sequence[Row]) -> list[float | None]:
        out: list[float | None] = []
        for r in rows:
            truth = r["ground_truth"]
            if gold == "comma" and "-" in truth:
                truth = truth.replace("-", ",")
            if "," in truth:  # bare "2,0,3,1" parses as the number 2; as LaTeX it is a set
                truth = f"${truth}$"
            try:
                out.append(1.0 if verify(parse(truth), parse(r["completion"])) else 0.0)
            except Exception:  # a grader failure is a refusal
                out.append(0.0)
        return out

    return run


def trl_scorer() -> Scorer | None:
    """TRL's ``accuracy_reward`` on conversational completions (None when it skips a row)."""
    if not (available("trl") and available("math_verify")):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from trl.rewards import accuracy_reward  # noqa: PLC0415 - optional peer
    except ImportError:
        return None
    _quiet_math_verify()

    def run(rows: Sequence[Row]) -> list[float | None]:
        completions = [[{"role": "assistant", "content": r["completion"]}] for r in rows]
        solutions = [r["ground_truth"] for r in rows]
        return list(accuracy_reward(completions, solutions))

    return run


def grade_answer_scorer() -> Scorer | None:
    """mathruler's ``grade_answer`` on the last box's content (how EasyR1's math reward grades)."""
    try:
        from mathruler.grader import extract_boxed_content, grade_answer  # noqa: PLC0415
    except ImportError:
        return None

    def run(rows: Sequence[Row]) -> list[float | None]:
        out: list[float | None] = []
        for r in rows:
            try:
                ok = grade_answer(extract_boxed_content(r["completion"]), r["ground_truth"])
            except Exception:
                ok = False
            out.append(1.0 if ok else 0.0)
        return out

    return run
