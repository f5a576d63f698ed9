"""Light, task-agnostic normalisation of a final answer's text.

Shared by every task and by the envelope's hedge check. It only removes notation that
cannot carry meaning (compatibility forms, invisible characters, one wrapper), so it can
never turn a wrong answer into a right one:

1. Unicode NFKC (full-width ``Ｂ`` becomes ``B``, ``０`` becomes ``0``);
2. drop format characters (category Cf: zero-width spaces and joiners, bidi controls,
   soft hyphens, BOM);
3. render what LaTeX and Markdown show as nothing or as plain text, anywhere in the
   answer: spacing commands (``\\,``, ``\\;``, ``\\:``, ``\\ ``, ``\\quad``, ``\\qquad``,
   ``~``) become a space, ``\\!``, ``\\displaystyle``, ``\\left``/``\\right`` and
   ``\\big`` sizes vanish (``\\left[`` is ``[``), ``\\langle``/``\\rangle`` are ``⟨⟩``,
   font, box and colour commands around brace-free text (``\\textbf{\\textit{B}}``,
   ``\\text{(Right)}``, ``\\colorbox{yellow}{B}``) and bare groups (``{B}``) leave their
   text, ``**`` and ``__`` vanish. The text reads as it renders, so two answers stay two;
4. strip surrounding whitespace;
5. drop one trailing period after a wrapper (``$B$.``, ``\\text{B}.``, ``**B**.``, ``'B'.``);
6. unwrap one Markdown emphasis or quote pair around the whole answer (``**B**``, ``__B__``,
   ``*B*``, ```B```, ``'B'``, ``"B"``, ``“B”``, ``‘B’``) whose inside holds no further
   delimiter of its kind, so ``"A" or "B"`` stays two answers;
7. unwrap one ``$…$``, ``$$…$$`` or ``\\(…\\)`` that holds no further opening delimiter;
8. unwrap whole-answer font commands (up to four nested): ``\\text{}``, ``\\textbf{}``,
   ``\\textit{}``, ``\\texttt{}``, ``\\textsf{}``, ``\\textrm{}``, ``\\emph{}``, ``\\mathrm{}``,
   ``\\mathbf{}``, ``\\mathit{}``, ``\\mathsf{}``, ``\\mathtt{}``;
9. drop one trailing period (or ideographic full stop ``。``).

Each unwrapping step removes at most one layer, and only a pair that encloses the whole
answer: it can never join two answers into one.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import regex

__all__ = [
    "CHAT_TOKEN",
    "CHAT_TOKEN_HINTS",
    "holds_answer",
    "matching_brace",
    "normalize_answer",
    "render",
    "says_something",
    "strip_chat_tokens",
]

# Chat-template special tokens (ChatML, Llama 3, Gemma, DeepSeek, Phi, Mistral, BOS/EOS/pad).
# They are markup a decoder may keep, never text a model wrote, so they read as line breaks.
CHAT_TOKEN = re.compile(
    r"<\|[A-Za-z_]{1,24}\|>|<｜[^｜<>]{1,24}｜>|<(?:start|end)_of_turn>|</?s>"
    r"|<(?:eos|bos|pad|unk)>|\[/?INST\]"
)
CHAT_TOKEN_HINTS = (
    "<|", "<｜", "_of_turn>", "<s>", "</s>", "INST]", "<eos>", "<bos>", "<pad>", "<unk>"
)


def strip_chat_tokens(text: str) -> str:
    """`text` with each chat-template special token (`<|im_end|>`, `</s>`, `<eos>`, ...) read
    as a line break; the same text when it holds none (one `in` test per hint)."""
    if any(hint in text for hint in CHAT_TOKEN_HINTS):
        return CHAT_TOKEN.sub("\n", text)
    return text

_FORMAT_CHARS = regex.compile(r"\p{Cf}+")
# LaTeX that renders as a space, as nothing, or as a plain delimiter. Each alternative
# starts at a literal, so a scan is linear.
_LATEX_SPACING = re.compile(
    r"\\(?:quad|qquad|enspace|enskip|thinspace|medspace|thickspace|space|hfill|hfil|vfill"
    r"|newline|linebreak|par|noindent|centering|tiny|scriptsize|footnotesize|small"
    r"|normalsize|large|Large|LARGE|huge|Huge)(?![A-Za-z])"
    r"|\\[hv]space\*?\s*\{[^{}\\]{0,32}\}|\\[,;: >]|~"
)
_LATEX_NOTHING = re.compile(
    r"\\(?:negthinspace|negmedspace|displaystyle|textstyle|scriptstyle|left|right"
    r"|[bB]igg?[lrm]?)(?![A-Za-z])|\\!"
)
_LATEX_SYMBOLS = {"\\langle": "⟨", "\\rangle": "⟩", "\\lbrack": "[", "\\rbrack": "]"}
_LATEX_SYMBOL = re.compile(r"\\(?:langle|rangle|lbrack|rbrack)(?![A-Za-z])")
# A command that shows its last argument as text; `\colorbox{c}{X}` and `\textcolor{c}{X}`
# after their colour. Only brace-free, backslash-free arguments: each pass unwraps one
# layer, and a few passes unwrap `\text{\textbf{\textit{B}}}`.
_SHOWN_AS_TEXT = re.compile(
    r"\\(?:text|textbf|textit|texttt|textsf|textrm|textup|textnormal|textsc|emph|mathrm"
    r"|mathbf|mathit|mathsf|mathtt|mathbb|mathcal|mathnormal|boldsymbol|bm|operatorname"
    r"|underline|overline|underbrace|overbrace|textsuperscript|textsubscript|footnote"
    r"|mbox|hbox|fbox|boxed|ovalbox|Ovalbox|shadowbox|doublebox"
    r"|framebox(?:\s*\([^(){}\\]{0,64}\))?(?:\s*\[[^\[\]{}\\]{0,64}\]){0,2}"
    r"|bbox(?:\s*\[[^\[\]{}\\]{0,64}\])?"
    r"|(?:colorbox|textcolor)\s*\{[^{}\\]*\}|fcolorbox\s*\{[^{}\\]*\}\s*\{[^{}\\]*\})"
    r"\s*\{([^{}\\]*)\}"
    r"|\\color\s*\{[^{}\\]*\}"
    r"|(?<![\\A-Za-z}\]^_])\{([^{}\\]*)\}"
)
_RENDER_PASSES = 4
_TEXT_WRAPPERS = (
    "\\text{", "\\textbf{", "\\textit{", "\\texttt{", "\\textsf{", "\\textrm{", "\\emph{",
    "\\mathrm{", "\\mathbf{", "\\mathit{", "\\mathsf{", "\\mathtt{",
)  # fmt: skip
# (opening, closing, characters the inside may not hold); `**` before `*`.
_MARKUP_WRAPPERS = (
    ("**", "**", "*"), ("__", "__", "_"), ("*", "*", "*"), ("`", "`", "`"), ("'", "'", "'"),
    ('"', '"', '"'), ("“", "”", "“”"), ("‘", "’", "‘’"),
)  # fmt: skip
_WRAPPER_ENDS = ("}", "$", "\\)", "*", "_", "`", "'", '"', "”", "’")
_MATH_WRAPPERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"))
_BRACE_BLOCK = 4096
# Past this many characters the brace is matched with numpy: a region dense with brace
# pairs (`{A}{A}{A}...`, which paper mode must match to its end) would otherwise be walked
# brace by brace in Python, ~80 ns per character.
_VECTOR_BRACES = 16_384
_VECTOR_CHUNK = 65_536
_CACHED_CHARS = 64


def normalize_answer(text: str) -> str:
    """Apply the documented light normalisation to an answer's text.

    Short texts are memoised: a GRPO step boxes the same few answers over and over.
    """
    if len(text) <= _CACHED_CHARS:
        return _normalize_short(text)
    return _normalize(text)


def render(text: str) -> str:
    """Step 3 of the normalisation: `text` as LaTeX and Markdown show it (see the module
    docstring). Linear: a fixed number of passes, each of linear regexes."""
    if "\\" in text or "~" in text:
        text = _LATEX_SPACING.sub(" ", text)
        text = _LATEX_NOTHING.sub("", text)
        if "\\l" in text or "\\r" in text:
            text = _LATEX_SYMBOL.sub(lambda m: _LATEX_SYMBOLS[m.group()], text)
    if "{" in text:
        for _ in range(_RENDER_PASSES):
            shown = _SHOWN_AS_TEXT.sub(_shown, text)
            if shown == text:
                break
            text = shown
    if "**" in text or "__" in text:
        text = text.replace("**", "").replace("__", "")
    return text


def _shown(match: re.Match[str]) -> str:
    inner = match.group(1) if match.group(1) is not None else match.group(2)
    return inner or ""


def _normalize(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = _FORMAT_CHARS.sub("", text)
        if text.endswith("。"):
            text = text[:-1] + "."
    text = render(text).strip()
    if text.endswith(".") and text[:-1].rstrip().endswith(_WRAPPER_ENDS):
        text = text[:-1].rstrip()
    for opening, closing, forbidden in _MARKUP_WRAPPERS:
        if (
            len(text) > len(opening) + len(closing)
            and text.startswith(opening)
            and text.endswith(closing)
        ):
            inside = text[len(opening) : -len(closing)]
            if not any(char in inside for char in forbidden):
                text = inside.strip()
            break
    for opening, closing in _MATH_WRAPPERS:
        if (
            len(text) > len(opening) + len(closing)
            and text.startswith(opening)
            and text.endswith(closing)
        ):
            inside = text[len(opening) : -len(closing)]
            if opening not in inside:  # `$A$ or $B$` is two math spans, not one
                text = inside.strip()
            break
    for _ in range(_RENDER_PASSES):  # `\\textbf{\\textit{1 \\to 2}}`: nested, with commands
        if not text.endswith("}"):
            break
        for opening in _TEXT_WRAPPERS:
            if text.startswith(opening) and _closes_at_end(text, len(opening)):
                text = text[len(opening) : -1].strip()
                break
        else:
            break
    if text.endswith("."):
        text = text[:-1].rstrip()
    return text


_normalize_short = functools.lru_cache(maxsize=16_384)(_normalize)


def _closes_at_end(text: str, start: int) -> bool:
    """True if the brace opened just before `start` is closed by the text's last character."""
    return matching_brace(text, start, len(text)) == len(text) - 1


def holds_answer(content: str) -> bool:
    """Whether a box's content says anything: not empty, and not a placeholder of dots
    (``\\boxed{}``, ``\\boxed{ }``, ``\\boxed{...}``, ``\\boxed{\\text{}}`` hold no answer)."""
    return says_something(normalize_answer(content))


def says_something(normalised: str) -> bool:
    """`holds_answer` for text that `normalize_answer` has already produced."""
    return bool(normalised.strip("."))


def matching_brace(text: str, start: int, stop: int) -> int:
    """Index of the `}` closing a brace opened just before `start`, or -1 if none before `stop`.

    Linear, and mostly in C: the text is taken in blocks, and a block whose closing braces
    are too few to bring the depth to zero is passed over with two `str.count` calls; only
    a block where the brace can close is walked brace by brace with `str.find`. The
    common case, a first `}` with no `{` before it, takes two `str.find` calls.
    """
    first_close = text.find("}", start, stop)
    if first_close == -1:
        return -1
    if text.find("{", start, first_close) == -1:  # the common case: no nested brace first
        return first_close
    if stop - start > _VECTOR_BRACES:
        return _matching_brace_vectorised(text, start, stop)
    depth = 1
    index = start
    while index < stop:
        end = min(stop, index + _BRACE_BLOCK)
        closes = text.count("}", index, end)
        if closes < depth:
            depth += text.count("{", index, end) - closes
            index = end
            continue
        opening = text.find("{", index, end)
        while True:
            closing = text.find("}", index, end)
            if closing == -1:
                break
            while opening != -1 and opening < closing:
                depth += 1
                opening = text.find("{", opening + 1, end)
            depth -= 1
            if depth == 0:
                return closing
            index = closing + 1
        depth += text.count("{", index, end)
        index = end
    return -1


def _matching_brace_vectorised(text: str, start: int, stop: int) -> int:
    """`matching_brace` for long regions: the running depth of each chunk in numpy."""
    import numpy as np  # noqa: PLC0415 - only long, brace-dense regions need it

    depth = 1
    for chunk_start in range(start, stop, _VECTOR_CHUNK):
        chunk = text[chunk_start : min(stop, chunk_start + _VECTOR_CHUNK)]
        codes = np.frombuffer(chunk.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        steps = (codes == 0x7B).astype(np.int64) - (codes == 0x7D)
        running = np.cumsum(steps) + depth
        closed = np.flatnonzero(running == 0)
        if closed.size:
            return chunk_start + int(closed[0])
        depth = int(running[-1])
    return -1
