"""Rotation prediction (SSL4RL): by how many degrees was the image rotated.

The answer space is 0, 90, 180 and 270 degrees in the direction the question states; the
ground truth is the angle (``"90"``). Accepted for 90: ``90``, ``90°``, ``90 °``,
``90 degrees``, ``90 degree``, ``90 deg``, ``90deg``, ``90^\\circ``, ``90^{\\circ}``,
``$90^{\\circ}$``, ``90\\degree``, ``90.0``; with a direction word after it
(``90° clockwise``, ``90 degrees counterclockwise``, also ``anticlockwise``, ``cw``,
``ccw``) when the prompt names exactly one direction: the same direction as the prompt
is that angle, the opposite direction is 360 minus it (``90 counterclockwise`` answers a
clockwise question with 270). A direction word with a prompt naming no direction, or
both, cannot be checked and is ``unparseable``.

Signed angles (``-90``, ``+90``) are ``not_in_answer_space``: a sign presumes a convention
the question does not state, and ``-90`` is as often "rotate back by 90" (the applied
rotation was +90) as "rotated by -90" (270); 360 and 45 are ``not_in_answer_space`` too.
Two angles (``90 or 270``, ``90, 180``, ``90/270``) are a hedge. Every credit mode is
exact: chance is 1/4.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ssrl_rewards.errors import GroundTruthError
from ssrl_rewards.registry import RenderCase, TaskSpec, attach_renderers, register_task
from ssrl_rewards.result import Reason

__all__ = ["ANGLES", "SPEC", "Rotation", "RotationRenderers"]

ANGLES = (0, 90, 180, 270)
_NAME = "rotation"
# One angle: digits (an optional `.0`), a degree mark, an optional direction word. Every
# piece is a fixed literal or a bounded run of one character class: linear.
_ANGLE = re.compile(
    r"(?P<sign>[-+\u2212])?\s*(?P<digits>[0-9]{1,6})(?:\.0{1,4})?\s*"
    r"(?:(?P<unit>°|\^\s*(?:\{\s*)?\\circ\s*\}?|\^o\b|\\circ\b|\\degree\b|\\textdegree\b"
    r"|degrees?\b|deg\b)\s*)?"
    r"(?P<dir>(?:counter|anti)[\s-]?clockwise|clockwise|ccw|cw)?",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_HEDGE = re.compile(r"\s(?:or|and)\s|[/|;,&]", re.IGNORECASE)
_COUNTER = re.compile(r"(?:counter|anti)[\s-]?clockwise", re.IGNORECASE)
_CLOCKWISE = re.compile(r"clockwise", re.IGNORECASE)
_ROTATION_WORD = re.compile(r"rotat", re.IGNORECASE)
_PREFIX = re.compile(r"(?:the\s+)?(?:answer|angle|rotation)(?:\s+is)?\s*[:：]?\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Rotation:
    """A rotation angle in degrees, one of 0, 90, 180, 270 (in the question's direction)."""

    degrees: int

    def __post_init__(self) -> None:
        if self.degrees not in ANGLES:
            raise ValueError(f"rotation {self.degrees!r} is not one of {ANGLES}")

    def __str__(self) -> str:
        return str(self.degrees)


def _clean(text: str) -> str:
    """Drop TeX spacing (``\\,``, ``\\ ``, ``~``) and a ``\\text{}`` around a unit word."""
    if "\\" in text or "~" in text:
        text = text.replace("\\,", " ").replace("\\;", " ").replace("\\ ", " ").replace("~", " ")
        text = re.sub(r"\\(?:text|mathrm|textrm)\{\s*([A-Za-z\s-]{0,24})\}", r" \1 ", text)
    return text.strip()


def _read(text: str) -> tuple[int, str | None] | Reason:
    """(angle, direction word or None) of one angle text, or why it is not one."""
    match = _ANGLE.fullmatch(text)
    if match is None:
        return Reason.UNPARSEABLE
    if match.group("sign"):
        return Reason.NOT_IN_ANSWER_SPACE
    degrees = int(match.group("digits"))
    if degrees not in ANGLES:
        return Reason.NOT_IN_ANSWER_SPACE
    direction = match.group("dir")
    return degrees, None if direction is None else direction.lower()


@functools.lru_cache(maxsize=4096)
def prompt_direction(prompt: str | None) -> str | None:
    """``"clockwise"`` or ``"counterclockwise"`` when the prompt names exactly one of
    them, else None."""
    if not prompt:
        return None
    counter = len(_COUNTER.findall(prompt))
    clockwise = len(_CLOCKWISE.findall(prompt)) - counter
    if counter and not clockwise:
        return "counterclockwise"
    if clockwise and not counter:
        return "clockwise"
    return None


def _is_counter(word: str) -> bool:
    return word == "ccw" or word.startswith(("counter", "anti"))


def parse(text: str, truth: Rotation, prompt: str | None) -> Rotation | Reason:
    """Lenient parse of one angle (see the module docstring). Never raises."""
    del truth
    text = _clean(text)
    if _PREFIX.match(text):
        text = _PREFIX.sub("", text, count=1).strip()
    if not text:
        return Reason.UNPARSEABLE
    parts = [part.strip() for part in _HEDGE.split(text)] if _HEDGE.search(text) else [text]
    readings = [_one(part, prompt) for part in parts if part]
    angles = {r for r in readings if isinstance(r, Rotation)}
    if len(angles) > 1 or (len(readings) > 1 and len(set(readings)) > 1):
        return Reason.MULTIPLE_ANSWERS
    if not readings:
        return Reason.UNPARSEABLE
    if isinstance(readings[0], Reason) and len(_NUMBER.findall(text)) > 1:
        return Reason.MULTIPLE_ANSWERS  # `90 180`, `90-180`: two angles
    return readings[0]


def _one(text: str, prompt: str | None) -> Rotation | Reason:
    """One hedge-free angle text as a rotation in the prompt's direction."""
    read = _read(text)
    if isinstance(read, Reason):
        return read
    degrees, direction = read
    if direction is not None:
        stated = prompt_direction(prompt)
        if stated is None:
            return Reason.UNPARSEABLE
        if _is_counter(direction) != (stated == "counterclockwise"):
            degrees = (360 - degrees) % 360
    return Rotation(degrees)


def parse_ground_truth(payload: Any) -> Rotation:
    """Strict: one of 0, 90, 180, 270 (a string, an int, optionally with a degree mark)."""
    if isinstance(payload, tuple) and len(payload) == 1:
        payload = str(payload[0])
    if isinstance(payload, str):
        read = _read(_clean(payload))
        if not isinstance(read, Reason) and read[1] is None:
            return Rotation(read[0])
    raise GroundTruthError(_NAME, payload, "must be one of the angles 0, 90, 180, 270 (like '90')")


def credit(answer: Rotation, truth: Rotation, mode: str) -> float:
    """Exact under every credit mode."""
    del mode
    return 1.0 if answer == truth else 0.0


def claims(payload: Any, prompt: str | None) -> bool:
    """An angle with a degree mark (``90°``), or a bare 0/90/180/270 asked about rotation."""
    if isinstance(payload, tuple) and len(payload) == 1:
        payload = str(payload[0])
    if not isinstance(payload, str):
        return False
    read = _read(_clean(payload))
    if isinstance(read, Reason) or read[1] is not None:
        return False
    if not payload.strip().isdigit():
        return True
    return prompt is not None and _ROTATION_WORD.search(prompt) is not None


SPEC: TaskSpec[Rotation, Rotation] = register_task(
    TaskSpec(
        name=_NAME,
        aliases=("rotation_prediction", "image_rotation", "rotation_angle"),
        description="Rotation prediction: the angle (0, 90, 180, 270) the image was rotated by.",
        answer_format="one angle in degrees: 0, 90, 180 or 270 (a degree mark is optional)",
        examples=("90", "180°", "270 degrees", "$90^{\\circ}$"),
        parse_ground_truth=parse_ground_truth,
        parse=parse,
        credit=credit,
        claims=claims,
        infer_rank=45,
        chance=dict.fromkeys(("exact", "positionwise", "kendall", "footrule", "adjacency"), "1/4"),
        uses_prompt=True,
    )
)


# --- renderers (the soundness kit): how rotation answers are written -------------------------

_FORMS = (
    "{d}", "{d}°", "{d} °", "{d} degrees", "{d} degree", "{d} deg", "{d}deg", "{d}^\\circ",
    "{d}^{{\\circ}}", "${d}^{{\\circ}}$", "{d}\\degree", "{d}.0", "{d}^o", "{d} \\text{{degrees}}",
    "The answer is {d}", "Answer: {d}°",
)  # fmt: skip


@dataclass(frozen=True)
class RotationRenderers:
    """Renderers of `rotation`: a question naming one direction, angles in every notation."""

    def case(self, rng: random.Random) -> RenderCase[Rotation]:
        """A random angle and a question that states the direction."""
        direction = rng.choice(("clockwise", "counterclockwise"))
        truth = Rotation(rng.choice(ANGLES))
        prompt = (
            f"<image>The image has been rotated {direction} by 0, 90, 180 or 270 degrees."
            f" By how many degrees was it rotated {direction}?"
        )
        return RenderCase(truth, str(truth), prompt)

    def right(self, truth: Rotation) -> Rotation:
        """The truth itself."""
        return truth

    def canonical(self, answer: Rotation, prompt: str | None) -> str:
        """``90``."""
        del prompt
        return str(answer)

    def notations(self, answer: Rotation, prompt: str | None) -> Sequence[str]:
        """Every angle form; with a direction in the prompt, the angle with that word and
        the opposite angle with the opposite word."""
        forms = [form.format(d=answer.degrees) for form in _FORMS]
        stated = prompt_direction(prompt)
        if stated is not None:
            opposite = "clockwise" if stated == "counterclockwise" else "counterclockwise"
            forms += [f"{answer.degrees}° {stated}", f"{answer.degrees} degrees {stated}"]
            forms.append(f"{(360 - answer.degrees) % 360} {opposite}")
        return forms

    def other(self, truth: Rotation, prompt: str | None, rng: random.Random) -> Rotation:
        """Another angle."""
        del prompt
        return Rotation(rng.choice([angle for angle in ANGLES if angle != truth.degrees]))

    def out_of_space(self, truth: Rotation, prompt: str | None, rng: random.Random) -> str:
        """An angle the question does not offer, or a signed one."""
        del prompt
        return rng.choice(("45", "135°", "360", "-90", f"-{truth.degrees or 90}", "30 degrees"))

    def hedge_parts(self, answer: Rotation, prompt: str | None) -> Sequence[str]:
        """Short writings of the angle."""
        del prompt
        return (str(answer), f"{answer}°", f"{answer} degrees")


def answer_schema() -> dict[str, Any]:
    """The JSON Schema of a rotation answer's canonical text (pydantic, off the hot path)."""
    from pydantic import TypeAdapter  # noqa: PLC0415 - off the scoring path

    return TypeAdapter(Literal["0", "90", "180", "270"]).json_schema()


SPEC = attach_renderers(SPEC, RotationRenderers(), answer_schema=answer_schema)
