"""Numeric answers (vsGRPO / VSI-100k, Smooth Operator): distances, sizes and counts.

Two tasks live here, sharing one number reader:

- ``numeric`` (aliases ``absolute_distance``, ``object_size``, ``room_size``, ...): a
  distance, size or area. The ground truth is a number with an optional unit (``"2.0"``,
  ``"2.0 m"``, ``"45 cm"``, ``"15 m²"``). Answers may carry a unit and are converted: m,
  cm, mm, km, ft, in (and their spelled-out names), and the squares of these for areas
  (``m²``, ``m^2``, ``sq m``, ``square feet``). A bare number is in the ground truth's
  unit; a ground truth without a unit is in metres (write an area's unit in its ground
  truth: ``"15 m²"``). Accuracy is the mean relative accuracy (MRA) of VSI-Bench: the
  share of θ ∈ {0.50, 0.55, ..., 0.95} with |ŷ − y| / |y| < 1 − θ, computed exactly on
  the decimal strings (no float rounding at the thresholds). An answer within 5% scores
  1.0 (reason ``correct``), within 50% a share, beyond it 0 (``wrong``). For y = 0 the
  relative error is undefined: only ŷ = 0 pays (1.0), any other answer scores 0. MRA is
  the accuracy under every credit mode (the credit modes are ordering credits).
- ``object_count`` (alias ``object_counting``): how many objects. The ground truth
  is a non-negative whole number; the answer must equal it (``3`` or ``3.0`` for 3) under
  every credit mode. A unit or a fraction is ``not_in_answer_space``.

Both: a leading ``approximately``, ``about``, ``around``, ``roughly``, ``~``, ``≈`` or
``\\approx`` is allowed (it names no second answer). Ranges (``2-3 m``, ``2 to 3``),
several numbers (``2 or 3``, ``2, 3``, ``2 m (200 cm)``) and thousands separators
(``1,500``, which could be 1.5) are ``multiple_answers``; negative numbers and units of
another kind (``2 kg``, an area for a distance) are ``not_in_answer_space``.

Inference (untagged ground truths): ``object_count`` claims a bare whole number when the prompt
asks "how many"; ``numeric`` claims a number with a unit or a decimal point, or a bare
number when the prompt asks for a distance or size. A bare integer with neither prompt
is claimed by no task (pass the task).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ssrl_rewards.errors import GroundTruthError
from ssrl_rewards.registry import RenderCase, TaskSpec, attach_renderers, register_task
from ssrl_rewards.result import Reason

__all__ = [
    "COUNT_SPEC",
    "NUMERIC_SPEC",
    "THRESHOLDS",
    "CountingRenderers",
    "NumericRenderers",
    "Quantity",
    "Unit",
    "mean_relative_accuracy",
    "read_quantity",
]

_NUMERIC = "numeric"
_COUNT = "object_count"
_MAX_UNIT_CHARS = 32  # the `{0,32}` bounds below
THRESHOLDS = tuple(Fraction(k, 20) for k in range(10, 20))  # θ = 0.50, 0.55, ..., 0.95
_PREFIX = re.compile(
    r"(?:(?:the\s+)?(?:final\s+)?answer(?:\s+is)?\s*[:：]?\s*)?"
    r"(?:(?:approximately|approx\.?|about|around|roughly)\s+|~|≈|\\approx\b|\\sim\b)?\s*",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"(?P<sign>[-+\u2212])?\s*"
    r"(?P<number>[0-9]{1,24}(?:\.[0-9]{0,24})?|\.[0-9]{1,24})(?:[eE](?P<exp>[-+]?[0-9]{1,2}))?"
    r"\s*(?P<unit>.{0,32})",
    re.DOTALL,
)
_NUMBERS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_TEX_WRAPPER = re.compile(r"\\(?:text|mathrm|textrm|rm)\s*\{([^{}]{0,32})\}")
_UNIT_JUNK = re.compile(r"[\s.{}]+|\\[,;:! ]")
_HOW_MANY = re.compile(r"\bhow\s+many\b|\bcount\s+the\b|\bnumber\s+of\b", re.IGNORECASE)
_MEASURE = re.compile(
    r"\bhow\s+(?:far|long|tall|high|wide|big|large|deep)\b|\b(?:distance|size|length|height"
    r"|width|depth|area|dimensions?|met(?:er|re)s?|centimet(?:er|re)s?)\b",
    re.IGNORECASE,
)

# Length units: spelling -> metres per unit (exact). Areas are their squares.
_LENGTHS: dict[str, tuple[Fraction, tuple[str, ...]]] = {
    "m": (Fraction(1), ("m", "meter", "meters", "metre", "metres")),
    "cm": (Fraction(1, 100), ("cm", "centimeter", "centimeters", "centimetre", "centimetres")),
    "mm": (Fraction(1, 1000), ("mm", "millimeter", "millimeters", "millimetre", "millimetres")),
    "km": (Fraction(1000), ("km", "kilometer", "kilometers", "kilometre", "kilometres")),
    "ft": (Fraction(3048, 10000), ("ft", "foot", "feet")),
    "in": (Fraction(254, 10000), ("in", "inch", "inches")),
}


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit: its canonical symbol, base units (metres or square metres) per unit, and
    its dimension (1 length, 2 area)."""

    symbol: str
    factor: Fraction
    dimension: int


def _unit_table() -> dict[str, Unit]:
    """Every accepted spelling of a unit, keyed as `_unit_key` writes it."""
    table: dict[str, Unit] = {}
    for symbol, (factor, spellings) in _LENGTHS.items():
        length = Unit(symbol, factor, 1)
        area = Unit(f"{symbol}²", factor * factor, 2)
        for spelling in spellings:
            table[spelling] = length
            table[f"square{spelling}"] = area
            table[f"sq{spelling}"] = area
        for suffix in ("2", "²", "^2", "^{2}"):
            table[_unit_key(symbol + suffix)] = area
    return table


def _unit_key(text: str) -> str:
    """A unit's spelling reduced for lookup: lower case, no spaces, dots or braces."""
    return _UNIT_JUNK.sub("", text.lower())


_UNITS = _unit_table()
_METRES = Unit("m", Fraction(1), 1)
_BARE = Unit("", Fraction(1), 0)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A non-negative quantity in base units (metres, square metres; plain for counts).

    The unit it was written in is part of its identity (a bare answer means the truth's
    unit, so parses and verdicts are cached per unit); credit compares values only.
    """

    value: Fraction
    unit: Unit = _BARE

    def __str__(self) -> str:
        shown = self.value / self.unit.factor
        number = str(shown.numerator) if shown.denominator == 1 else f"{float(shown):.6g}"
        return f"{number} {self.unit.symbol}" if self.unit.symbol else number


def _clean(text: str) -> str:
    """The text without a leading qualifier and with TeX wrappers around a unit opened."""
    text = text.strip()
    prefix = _PREFIX.match(text)
    if prefix is not None and prefix.end():
        text = text[prefix.end() :]
    if "\\" in text:
        text = _TEX_WRAPPER.sub(r" \1", text)
    return text.strip()


def read_quantity(text: str) -> tuple[Fraction, Unit | None] | Reason:
    """(value as written, its unit or None for a bare number) of one quantity text, or why
    it is not one. Linear: one anchored match and a dictionary lookup."""
    text = _clean(text)
    match = _QUANTITY.fullmatch(text)
    if match is None or _NUMBERS.search(match.group("unit")) is not None:
        numbers = _NUMBERS.findall(text[:4096])
        if len(numbers) > 1 and not _is_area_suffix(match):
            return Reason.MULTIPLE_ANSWERS
        if match is None:  # words around the number (`It is about 2 m away`)
            return Reason.UNPARSEABLE
    if match.group("sign"):
        return Reason.NOT_IN_ANSWER_SPACE
    raw = match.group("number")
    exponent = match.group("exp")
    value = Fraction(raw if raw != "." else "0")
    if exponent:
        value *= Fraction(10) ** int(exponent)
    spelled = match.group("unit").strip()
    if not spelled:
        return value, None
    unit = _UNITS.get(_unit_key(spelled))
    if unit is None:
        return Reason.NOT_IN_ANSWER_SPACE if spelled.isalpha() else Reason.UNPARSEABLE
    return value, unit


def _is_area_suffix(match: re.Match[str] | None) -> bool:
    """Whether the only digits after the number are an area's ``2`` (``m^2``, ``m2``)."""
    return match is not None and _UNITS.get(_unit_key(match.group("unit")), _BARE).dimension == 2


def _truth_of(task: str, payload: Any) -> tuple[Fraction, Unit | None]:
    """(value, unit) of a ground-truth payload, or `GroundTruthError`."""
    if isinstance(payload, tuple) and len(payload) == 1 and isinstance(payload[0], int):
        payload = str(payload[0])
    if not isinstance(payload, str):
        raise GroundTruthError(task, payload, "must be one number (like '2.0' or '2.0 m')")
    read = read_quantity(payload)
    if isinstance(read, Reason):
        raise GroundTruthError(
            task,
            payload,
            "must be one non-negative number with an optional unit"
            " (m, cm, mm, km, ft, in, or their squares)",
        )
    prefix = _PREFIX.match(payload.strip())
    if prefix is not None and prefix.end():
        raise GroundTruthError(task, payload, "must be a plain number, not an approximation")
    return read


def parse_numeric_truth(payload: Any) -> Quantity:
    """Strict: a non-negative number with an optional unit; the value in base units."""
    value, unit = _truth_of(_NUMERIC, payload)
    if unit is None:
        return Quantity(value, _BARE)
    return Quantity(value * unit.factor, unit)


def parse_numeric(text: str, truth: Quantity, prompt: str | None) -> Quantity | Reason:
    """Lenient: one quantity, converted to base units (a bare number is in the truth's
    unit) and shown in the truth's unit."""
    del prompt
    read = read_quantity(text)
    if isinstance(read, Reason):
        return read
    value, unit = read
    if unit is None:
        unit = truth.unit
    elif unit.dimension != (truth.unit.dimension or 1):  # a bare truth is in metres
        return Reason.NOT_IN_ANSWER_SPACE  # an area for a distance, or the reverse
    # shown in the truth's unit: `200 cm` and `2 m` are one answer to a truth in metres
    return Quantity(value * unit.factor, truth.unit)


def mean_relative_accuracy(prediction: Fraction, truth: Fraction) -> float:
    """VSI-Bench's MRA: the share of θ ∈ {0.50, ..., 0.95} with |ŷ−y|/|y| < 1−θ.

    y = 0 has no relative error: 1.0 for ŷ = 0 exactly, else 0.0.
    """
    if truth == 0:
        return 1.0 if prediction == 0 else 0.0
    error = abs(prediction - truth) / abs(truth)
    return sum(1 for theta in THRESHOLDS if error < 1 - theta) / len(THRESHOLDS)


def numeric_credit(answer: Quantity, truth: Quantity, mode: str) -> float:
    """MRA under every credit mode."""
    del mode
    return mean_relative_accuracy(answer.value, truth.value)


def numeric_shape(truth: Quantity) -> Quantity:
    """The parse reads only the truth's unit."""
    return Quantity(Fraction(1), truth.unit)


def claims_numeric(payload: Any, prompt: str | None) -> bool:
    """A number with a unit or a decimal point, or a bare number asked as a measurement."""
    if not isinstance(payload, (str, tuple)):
        return False
    try:
        value, unit = _truth_of(_NUMERIC, payload)
    except GroundTruthError:
        return False
    del value
    if unit is not None or (isinstance(payload, str) and "." in payload):
        return True
    return prompt is not None and _MEASURE.search(prompt) is not None


# --- count ---------------------------------------------------------------------------------


def parse_count_truth(payload: Any) -> Quantity:
    """Strict: a non-negative whole number without a unit."""
    value, unit = _truth_of(_COUNT, payload)
    if unit is not None or value.denominator != 1:
        raise GroundTruthError(_COUNT, payload, "must be a whole number without a unit")
    return Quantity(value)


def parse_count(text: str, truth: Quantity, prompt: str | None) -> Quantity | Reason:
    """Lenient: one whole number (``3``, ``3.0``); a unit or a fraction is out of space."""
    del truth, prompt
    read = read_quantity(text)
    if isinstance(read, Reason):
        return read
    value, unit = read
    if unit is not None or value.denominator != 1:
        return Reason.NOT_IN_ANSWER_SPACE
    return Quantity(value)


def count_credit(answer: Quantity, truth: Quantity, mode: str) -> float:
    """Exact under every credit mode."""
    del mode
    return 1.0 if answer.value == truth.value else 0.0


_ANY_COUNT = Quantity(Fraction(0))


def count_shape(truth: Quantity) -> Quantity:
    """The count parse ignores the truth."""
    del truth
    return _ANY_COUNT


def claims_count(payload: Any, prompt: str | None) -> bool:
    """A bare whole number whose prompt asks how many."""
    if prompt is None or _HOW_MANY.search(prompt) is None:
        return False
    if isinstance(payload, tuple):
        return len(payload) == 1 and isinstance(payload[0], int) and payload[0] >= 0
    return isinstance(payload, str) and payload.strip().isdigit()


_NO_CHANCE = "n/a (an unbounded answer space)"
_MODES = ("exact", "positionwise", "kendall", "footrule", "adjacency")

NUMERIC_SPEC: TaskSpec[Quantity, Quantity] = register_task(
    TaskSpec(
        name=_NUMERIC,
        aliases=("numeric_answer", "absolute_distance", "object_size", "room_size",
                 "numerical_answer"),
        description="A distance, size or area; scored by mean relative accuracy (MRA).",
        answer_format="one number with an optional unit (m, cm, mm, km, ft, in; m² for areas);"
        " a bare number is in the ground truth's unit",
        examples=("2.0", "2.0 m", "200 cm", "6.5 ft"),
        parse_ground_truth=parse_numeric_truth,
        parse=parse_numeric,
        credit=numeric_credit,
        claims=claims_numeric,
        infer_rank=55,
        chance=dict.fromkeys(_MODES, _NO_CHANCE),
        parse_shape=numeric_shape,
    )
)  # fmt: skip

COUNT_SPEC: TaskSpec[Quantity, Quantity] = register_task(
    TaskSpec(
        name=_COUNT,
        aliases=("object_counting", "count_objects"),
        description="How many objects: a whole number, paid only when exact.",
        answer_format="one non-negative whole number",
        examples=("3", "12"),
        parse_ground_truth=parse_count_truth,
        parse=parse_count,
        credit=count_credit,
        claims=claims_count,
        infer_rank=50,
        chance=dict.fromkeys(_MODES, _NO_CHANCE),
        parse_shape=count_shape,
    )
)


# --- renderers (the soundness kit): how numeric and counting answers are written ----------


def decimal_text(value: Fraction) -> str:
    """`value` as a plain decimal (exact when its denominator divides a power of ten)."""
    if value.denominator == 1:
        return str(value.numerator)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return format(exact.normalize(), "f")


# (question, ground-truth unit, value drawn as integer / scale): the VSI-Bench shapes
_NUMERIC_CASES: tuple[tuple[str, str, int, int, int], ...] = (
    ("How far apart are the chair and the table, in metres?", "", 50, 1000, 100),
    ("What is the distance between the sofa and the door?", "m", 50, 1000, 100),
    ("What is the height of the lamp, in centimetres?", "cm", 10, 300, 1),
    ("What is the size of the room, in square metres?", "m²", 50, 900, 10),
)
_SPELLED = {"m": "meters", "cm": "centimeters", "mm": "millimeters", "km": "kilometers"}


@dataclass(frozen=True)
class NumericRenderers:
    """Renderers of `numeric`: VSI-Bench-shaped distances, sizes and areas."""

    def case(self, rng: random.Random) -> RenderCase[Quantity]:
        """A random quantity with its question."""
        question, unit, low, high, scale = rng.choice(_NUMERIC_CASES)
        text = decimal_text(Fraction(rng.randrange(low, high), scale))
        ground_truth = f"{text} {unit}" if unit else text
        return RenderCase(parse_numeric_truth(ground_truth), ground_truth, f"<image>{question}")

    def right(self, truth: Quantity) -> Quantity:
        """The truth itself."""
        return truth

    def canonical(self, answer: Quantity, prompt: str | None) -> str:
        """The value in the ground truth's unit (``2.35``, ``45 cm``)."""
        del prompt
        return str(answer)

    def notations(self, answer: Quantity, prompt: str | None) -> Sequence[str]:
        """The value bare and in every unit of its kind, spelled out, with TeX spacing,
        after a qualifier."""
        del prompt
        unit = answer.unit
        shown = decimal_text(answer.value / unit.factor)
        forms = [f"{shown} {unit.symbol}".strip(), shown, f"about {shown}", f"~{shown}"]
        area = unit.dimension == 2
        for symbol, (factor, _) in _LENGTHS.items():
            if symbol in ("ft", "in"):
                continue  # not exact in decimals
            value = decimal_text(answer.value / (factor * factor if area else factor))
            forms.append(f"{value} {symbol}²" if area else f"{value} {symbol}")
            forms.append(f"{value} sq {symbol}" if area else f"{value}{symbol}")
            if not area:
                forms += [f"{value} {_SPELLED[symbol]}", f"{value}\\,\\text{{{symbol}}}"]
        return forms

    def other(self, truth: Quantity, prompt: str | None, rng: random.Random) -> Quantity:
        """A quantity at least 60% off (MRA 0), in the same unit."""
        del prompt
        factor = rng.choice((Fraction(2), Fraction(3), Fraction(2, 5)))
        return Quantity(truth.value * factor, truth.unit)

    def out_of_space(self, truth: Quantity, prompt: str | None, rng: random.Random) -> str:
        """A negative value, or a unit of another kind."""
        del prompt
        shown = decimal_text(truth.value / truth.unit.factor)
        wrong_kind = f"{shown} m" if truth.unit.dimension == 2 else f"{shown} m²"
        return rng.choice((f"-{shown}", f"{shown} kg", f"{shown} seconds", wrong_kind))

    def hedge_parts(self, answer: Quantity, prompt: str | None) -> Sequence[str]:
        """The value bare and with its unit."""
        del prompt
        shown = decimal_text(answer.value / answer.unit.factor)
        return (shown, f"{shown} {answer.unit.symbol}".strip())


_OBJECTS = ("chairs", "cups", "people", "windows", "books")


@dataclass(frozen=True)
class CountingRenderers:
    """Renderers of `object_count`: how-many questions and whole numbers."""

    def case(self, rng: random.Random) -> RenderCase[Quantity]:
        """A random count with its question."""
        n = rng.randrange(0, 25)
        prompt = f"<image>How many {rng.choice(_OBJECTS)} are in the image?"
        return RenderCase(Quantity(Fraction(n)), str(n), prompt)

    def right(self, truth: Quantity) -> Quantity:
        """The truth itself."""
        return truth

    def canonical(self, answer: Quantity, prompt: str | None) -> str:
        """``3``."""
        del prompt
        return str(answer)

    def notations(self, answer: Quantity, prompt: str | None) -> Sequence[str]:
        """``3``, ``3.0``, after a qualifier."""
        del prompt
        return (str(answer), f"{answer}.0", f"about {answer}", f"Answer: {answer}")

    def other(self, truth: Quantity, prompt: str | None, rng: random.Random) -> Quantity:
        """Another count."""
        del prompt
        return Quantity(truth.value + rng.randrange(1, 5))

    def out_of_space(self, truth: Quantity, prompt: str | None, rng: random.Random) -> str:
        """A fraction, a unit or a negative number."""
        del prompt
        return rng.choice((f"{truth}.5", f"{truth} m", f"-{truth.value + 1}"))

    def hedge_parts(self, answer: Quantity, prompt: str | None) -> Sequence[str]:
        """``3`` and ``3.0``."""
        del prompt
        return (str(answer), f"{answer}.0")


def _pattern_schema(pattern: str, description: str, examples: list[str]) -> dict[str, Any]:
    from typing import Annotated  # noqa: PLC0415 - off the scoring path

    from pydantic import Field, TypeAdapter  # noqa: PLC0415

    text = Annotated[str, Field(pattern=pattern, description=description, examples=examples)]
    return TypeAdapter(text).json_schema()


def numeric_schema() -> dict[str, Any]:
    """The JSON Schema of a numeric answer's canonical text."""
    return _pattern_schema(
        r"^[0-9]+(\.[0-9]+)?( ?(m|cm|mm|km|ft|in)²?)?$",
        "a non-negative number with an optional unit",
        ["2.35", "45 cm", "15.2 m²"],
    )


def counting_schema() -> dict[str, Any]:
    """The JSON Schema of an object_count answer's canonical text."""
    return _pattern_schema(r"^[0-9]+$", "a non-negative whole number", ["3"])


NUMERIC_SPEC = attach_renderers(NUMERIC_SPEC, NumericRenderers(), answer_schema=numeric_schema)
COUNT_SPEC = attach_renderers(COUNT_SPEC, CountingRenderers(), answer_schema=counting_schema)
