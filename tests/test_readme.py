"""The README's Python examples run as pasted and print what their comments say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import ssrl_rewards as sr
from tests.strategies import POSITION_TEMPLATE

README = Path(__file__).resolve().parent.parent / "README.md"
# The notation table lives in docs/soundness.md (the README links to it).
SOUNDNESS = README.parent / "docs" / "soundness.md"
_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _python_blocks() -> list[str]:
    return _BLOCK.findall(README.read_text(encoding="utf-8"))


def test_readme_has_a_quickstart() -> None:
    assert _python_blocks(), "README.md lost its Python quickstart"


def test_quickstart_prints_what_its_comments_promise() -> None:
    (block,) = [b for b in _python_blocks() if b.startswith("import ssrl_rewards as sr")]
    expected = [
        line.split("#", 1)[1].strip()
        for line in block.splitlines()
        if line.startswith("print(") and "#" in line
    ]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, str(README), "exec"), {})
    assert out.getvalue().splitlines() == expected


_NOTATION_ROW = re.compile(
    r"^\| (shuffle|depth|flip|crop|position) \((.*?)\) \| (.*?) \| (.*?) \|$"
)
_CODE = re.compile(r"`([^`]+)`")


def _notation_rows() -> list[tuple[str, str, str | None, list[str], list[str]]]:
    """(task, truth, prompt, paid answers, not-paid cells) for each row of the table."""
    rows = []
    lines = SOUNDNESS.read_text(encoding="utf-8").splitlines()
    for line in lines:
        match = _NOTATION_ROW.match(line)
        if match is None:
            continue
        task, head, paid, unpaid = match.groups()
        truth, *options = _CODE.findall(head)
        prompt = None
        if options:
            prompt = POSITION_TEMPLATE.format(options=options[0])
        rows.append((task, truth, prompt, _CODE.findall(paid), _CODE.findall(unpaid)))
    return rows


def _boxed(answer: str) -> str:
    return f"<think>I compare them.</think> \\boxed{{{answer}}}"


def test_notation_table_covers_every_task() -> None:
    assert {row[0] for row in _notation_rows()} == {"shuffle", "depth", "flip", "crop", "position"}


def test_notation_table_paid_column_pays() -> None:
    for task, truth, prompt, paid, _ in _notation_rows():
        assert paid, task
        for answer in paid:
            result = sr.score(_boxed(answer), truth, task, prompt=prompt)
            assert (result.accuracy, result.reason) == (1.0, sr.Reason.CORRECT), (task, answer)


def test_notation_table_refused_column_pays_nothing_for_the_stated_reason() -> None:
    reasons = {reason.value for reason in sr.Reason}
    for task, truth, prompt, _, cells in _notation_rows():
        pending: list[str] = []
        checked = 0
        for cell in cells:
            if cell not in reasons:
                pending.append(cell)
                continue
            for answer in pending:
                result = sr.score(_boxed(answer), truth, task, prompt=prompt)
                assert (result.accuracy, result.reason.value) == (0.0, cell), (task, answer)
                checked += 1
            pending = []
        assert checked and not pending, (task, pending)


def test_readme_is_a_short_guide() -> None:
    size = len(README.read_text(encoding="utf-8"))
    assert size <= 12_000, f"README.md is {size} characters; details belong in docs/"


def test_every_relative_link_in_the_readme_and_docs_resolves() -> None:
    link = re.compile(r"\]\(([^)#:]+)(?:#[^)]*)?\)")
    pages = [README, *sorted((README.parent / "docs").glob("*.md"))]
    missing = [
        f"{page.name}: {target}"
        for page in pages
        for target in link.findall(page.read_text(encoding="utf-8"))
        if not (page.parent / target).exists()
    ]
    assert not missing, missing
