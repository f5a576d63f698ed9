"""What stands around the final answer: text that voids it although the answer parses.

The envelope finds the single final answer; this module, which knows the task, reads the
text next to it for a second answer or a contradiction:

- inside an ``<answer>`` tag that holds the box: ``<answer>B \\boxed{C}</answer>``,
  ``<answer>\\boxed{0-2-3-1} or 0-3-2-1</answer>``, ``<answer>\\boxed{B}: Left</answer>``;
- in the first clause after the box, when it opens with an alternative:
  ``\\boxed{B} (or possibly C)``, ``$\\boxed{B}$ or C``, ``\\boxed{B}.\\nAlternatively, A.``;
- in a parenthesis right after the box that names another option: ``\\boxed{B} (Left)``
  when B is Right;
- in the clause tied to the box by a colon, comma, dash, equals sign or ``i.e.``
  (``\\boxed{B}: Left``, ``\\boxed{B} = Left``, ``\\boxed{B}, i.e. Left``) when it names
  another answer or contradicts the box.

The text after the box is read as it renders, like an answer: NFKC, invisible characters
dropped, LaTeX spacing, ``\\text{}`` and font commands and Markdown emphasis removed, and
across line breaks; "or" counts in other common languages too (或, 还是, oder, o, ou, или,
または, ...). After a sentence end (``\\boxed{B}. Left is wrong``) only an alternative voids
the answer. Only that much is read, so honest prose (``\\boxed{B} because A is too dark``) is left
alone, and the reading is bounded (`_TRAIL_CHARS`), whatever the completion's length.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import regex

from ssrl_rewards.envelope import Envelope
from ssrl_rewards.normalize import holds_answer, normalize_answer, render, strip_chat_tokens
from ssrl_rewards.registry import TaskSpec
from ssrl_rewards.result import Reason

__all__ = ["voiding_reason"]

_TRAIL_CHARS = 200
# Skipped between the box and the clause: space, line breaks, punctuation, closing wrappers.
_TRAIL_LEAD = (
    " \t\r\n.,;:=-\u2012\u2013\u2014\u2015$*_`\"'})]\u3002\u3001"
    "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb\u2039\u203a"  # quotes: “”‘’„«»‹›
)
_SENTENCE_END = ".;!?\n\u3002"
_OR_SYMBOL = re.compile(r"\\(?:vee|lor)(?![A-Za-z])|\u2228")
_TAG_MARKUP = re.compile(r"<\s*/?\s*answer[^<>]{0,64}>", re.IGNORECASE)
_HTML_BREAK = re.compile(r"<\s*/?\s*(?:br|p)\s*/?\s*>", re.IGNORECASE)
# An arrow or an equivalence right after the box ties the clause to it like `=`
# (`\boxed{B} => Left`); elsewhere an arrow separates the labels of a sequence.
_TIE_SYMBOL = re.compile(
    r"\\(?:to|rightarrow|Rightarrow|longrightarrow|Longrightarrow|implies|equiv|mapsto|iff)"
    r"(?![A-Za-z])|(?<![-=])[-=]*>"
    r"|[\u2192\u21d2\u27f6\u27f9\u2794\u279d\u27a1\u21e8\u2261\u2259\u2254\u21a6]"  # →⇒⟶⟹➔➝➡⇨≡≙≔↦
)
# `\\begin{center}`, `\\begin{array}{c}`, `\\end{center}`: environments show their body.
_ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{[A-Za-z*]{1,24}\}(?:\{[^{}\\]{0,24}\})?")
_TRAIL_CLOSER = re.compile(r"\\\)|\\\]|<\s*/\s*answer\s*>", re.IGNORECASE)
# "or" in other common languages, spaced words: German, Spanish/Italian/Portuguese/French,
# Russian, Polish, Scandinavian, Turkish, Vietnamese, Indonesian, Arabic, Hebrew, Hindi.
_FOREIGN_OR = {
    "oder", "o", "ou", "или", "либо", "lub", "albo", "oppure", "eller", "veya", "yahut",
    "hoặc", "atau", "أو", "או", "या", "ή", "vagy", "nebo", "sau",
}  # fmt: skip
# ... and the unspaced ones (Chinese, Japanese, Korean), read as " or "; "maybe" there
# (也许, 可能是, たぶん, 아마) opens an alternative the same way.
_CJK_OR = re.compile(
    "或者|或是|或许是|或许|或|还是|還是|也可能是|可能是|也许是|也许|または|もしくは|あるいは|或いは"
    "|それとも|たぶん|多分|おそらく|もしかしたら|또는|혹은|아니면|아마도|아마"
)
_OPENERS = frozenset(
    {"or", "and/or", "alternatively", "otherwise", "maybe", "possibly", "perhaps", "else",
     "vs", "vs.", "versus", "/", "|", "oder", "bzw", "bzw.", "beziehungsweise", "vielleicht",
     "quizás", "quizá", "tal", "peut-être", "forse", "возможно", "either", "talvez", "może",
     "belki", "sinon", "correction", "edit", "scratch"} | _FOREIGN_OR
)  # fmt: skip
# Brackets that NFKC leaves alone, read as the ASCII ones.
_BRACKETS = str.maketrans(
    {"【": "[", "】": "]", "〔": "[", "〕": "]", "「": "(", "」": ")", "『": "(", "』": ")",
     "〈": "(", "〉": ")", "《": "(", "》": ")", "⟨": "(", "⟩": ")"}
)  # fmt: skip
_INVISIBLE = regex.compile(
    r"[\p{Cf}\p{Cs}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u115F\u1160\u3164\uFFA0"
    r"\uFE00-\uFE0F\U000E0100-\U000E01EF\u2800\u034F\u17B4\u17B5\u180B-\u180F]+"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # ASCII text that still needs reading
# Any other space (NEL, line and paragraph separators, Ogham, ...) reads as a plain one.
_OTHER_SPACE = re.compile(r"(?![ \t\r\n])\s")
# Before the box: where its clause starts, and the alternative joined to its front.
# A cheap test that the clause before a box may end with a joiner: a joiner word standing alone
# (the joiner itself needs a space or comma before it), a slash or bar, any non-ASCII text
# (foreign "or", invisible characters) or a backslash (a LaTeX command renders: \vee, \text{or}).
# Prose words that merely contain "or" (`for`, `order`, `more`) no longer send every clause
# through rendering.
_MAYBE_JOINER = re.compile(
    r"(?<![A-Za-z])(?:or|vs|versus|"
    + "|".join(sorted(word for word in _FOREIGN_OR if word.isascii() and word != "o"))
    + r")(?![A-Za-z])|[/|\\]|[^\x00-\x7f]",
    re.IGNORECASE,
)
_LEADING_BREAKS = ("\n", ">", ". ", "? ", "! ", ";", "\u3002")
_LEADING_JOINER = re.compile(
    r"(?:(?<![^\s,])(?:or|and/or|vs\.?|versus|" + "|".join(sorted(_FOREIGN_OR - {"o"})) + r")"
    r"|[/|])\s*$",
    re.IGNORECASE,
)
# Words that tie an explanation to the box: `\boxed{B}, i.e. Left`, `\boxed{B}: that is, Left`.
_TIE = re.compile(
    r"(?:i\.?\s?e\.?|that\s+is|namely|which\s+is|meaning|aka|viz\.?|so|therefore|thus|hence)"
    r"(?![A-Za-z])[\s,:]*",
    re.IGNORECASE,
)
_TIED_CHARS = 60
_CLAUSE_WRAPPERS = " \t*_`\"'$\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb\u2039\u203a"
_BARE_WORDS = 4  # a hedge standing alone after a sentence end: `A or C`, `Final answer: A/C`
_JOINERS = frozenset({"and", "&"})  # an alternative only when the whole clause is one
_FILLER = _OPENERS | _JOINERS | {"probably", "also", "even", "but", "though", "although", "yet"}
_CLAUSE_END = ".;!?\n"
_TIED_END_AT = re.compile(r"[;!?\n,\u3002]|\.(?![0-9])")
_CLAUSE_END_AT = re.compile(r"[;!?\n]|\.(?![0-9])")
_WORD = re.compile(r"[^\s,;:()\[\]]+")
_WORD_WRAPPERS = "*_`\"'"
_WORDS_READ = 12
_NUMBER = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[0-9]+\.[0-9]+$")
_PIECES = re.compile(r"[,:]")
_BRACKET = re.compile(r"[()\[\]]")
_NESTING = 4  # bracket levels read inside a parenthesis after the box


def voiding_reason(
    spec: TaskSpec,
    completion: object,
    envelope: Envelope,
    answer: Any,
    truth: Any,
    prompt: str | None,
) -> Reason | None:
    """Why the text around the final `answer` voids it (a hedge or a contradiction), or None."""
    if envelope.tag_context:
        reason = _tag_reason(spec, envelope, answer, truth, prompt)
        if reason is not None:
            return reason
    if type(completion) is not str:
        return None
    # The boxes that answer, found once for both sides (this runs for every paid answer).
    answering = [
        box
        for box in envelope.boxes
        if box.content and not box.in_think and holds_answer(box.content)
    ]
    if not answering:
        return None
    reason = _trailing_reason(spec, completion, answering[-1].end, answer, truth, prompt)
    if reason is None:
        reason = _leading_reason(spec, completion, answering[0].start, answer, truth, prompt)
    return reason


def _leading_reason(
    spec: TaskSpec, completion: str, start: int, answer: Any, truth: Any, prompt: str | None
) -> Reason | None:
    """An alternative joined to the front of the first box that answers: ``A or
    \\boxed{B}``, ``A/\\boxed{B}``, ``Either A or $\\boxed{B}$`` are hedges. Only the
    clause right before the box is read (back to a line break, a tag or a sentence end,
    within `_TRAIL_CHARS`), and only when it ends with "or" or a word like it."""
    if start <= 0:
        return None
    raw = completion[max(0, start - _TRAIL_CHARS) : start]
    raw = raw[max(raw.rfind("\n"), raw.rfind(">")) + 1 :]
    if not _MAYBE_JOINER.search(raw):  # the common case: nothing, or prose without "or"
        return None
    text = _rendered(raw)
    cut = max(text.rfind(mark) for mark in _LEADING_BREAKS)
    clause = text[cut + 1 :].rstrip(" \t$*_`([{\"'")
    joiner = _LEADING_JOINER.search(clause)
    if joiner is None:
        return None
    head = clause[: joiner.start()].rstrip(" \t,")
    words = _WORD.findall(head)
    if words and words[0].strip(_WORD_WRAPPERS).lower() == "either":
        head = head[head.find(words[0]) + len(words[0]) :]
    readings = [head, *[w for w in words[-_WORDS_READ:] if w != "a"]]
    if any(_names_another(spec, reading, answer, truth, prompt) for reading in readings):
        return Reason.MULTIPLE_ANSWERS
    return None


def _tag_reason(
    spec: TaskSpec, envelope: Envelope, answer: Any, truth: Any, prompt: str | None
) -> Reason | None:
    """An `<answer>` tag's text read with the box's answer in place and around it alone:
    a letter and option text that disagree are ``inconsistent_choice``; a hedge or another
    valid answer is ``multiple_answers``; filler (``The answer is``, a period) is neither.
    """
    for pieces in envelope.tag_context:
        outside = normalize_answer(" ".join(pieces))
        if not outside:
            continue
        inline = spec.parse(normalize_answer(str(envelope.answer).join(pieces)), truth, prompt)
        if inline is Reason.INCONSISTENT_CHOICE:
            return Reason.INCONSISTENT_CHOICE
        if _is_other(inline, answer) or _names_another(
            spec, outside.strip(" :;,.-()[]"), answer, truth, prompt
        ):
            return Reason.MULTIPLE_ANSWERS
    return None


def _trailing_reason(
    spec: TaskSpec, completion: str, end: int, answer: Any, truth: Any, prompt: str | None
) -> Reason | None:
    """The first clause after the last box that answers (`end`: where that box ends;
    closing wrappers skipped)."""
    if end >= len(completion):
        return None
    # A decoder may keep the end-of-turn token (`<|im_end|>`, `</s>`): markup, not an answer.
    raw = strip_chat_tokens(completion[end : end + _TRAIL_CHARS])
    if not raw.strip(" \t\r\n.$"):  # the common endings: nothing, or a period
        return None
    reason = _clause_reason(spec, _rendered(raw), answer, truth, prompt)
    if reason is None and _INVISIBLE.search(raw):
        # an invisible character may join two words (`o\u200br`) or part them
        # (`or\u200bC`): both readings are tried
        reason = _clause_reason(spec, _rendered(raw, " "), answer, truth, prompt)
    return reason


def _clause_reason(
    spec: TaskSpec, tail: str, answer: Any, truth: Any, prompt: str | None
) -> Reason | None:
    """The rendered text after the box: closing wrappers skipped, then a parenthesis, an
    alternative, a bare second answer after a sentence end, or a tied clause."""
    stripped = tail.lstrip(_TRAIL_LEAD)
    lead = tail[: len(tail) - len(stripped)]
    closer = _TRAIL_CLOSER.match(stripped) or _TIE_SYMBOL.match(stripped)
    while closer is not None:  # closing wrappers, and an arrow that ties the clause on
        rest = stripped[closer.end() :].lstrip(_TRAIL_LEAD)
        lead += stripped[: len(stripped) - len(rest)]
        stripped = rest
        closer = _TRAIL_CLOSER.match(stripped) or _TIE_SYMBOL.match(stripped)
    tail = stripped
    if not tail:
        return None
    if tail[0] in "([":
        return _annotation_reason(spec, tail, answer, truth, prompt)
    reason = _alternative_reason(spec, tail, answer, truth, prompt)
    if reason is not None:
        return reason
    if any(char in _SENTENCE_END for char in lead):
        return _bare_reason(spec, tail, answer, truth, prompt)
    return _tied_reason(spec, tail, answer, truth, prompt)


def _rendered(text: str, invisible: str = "") -> str:
    """The text after a box as it renders, the same reading as an answer's: NFKC, no
    invisible characters (or each run of them read as `invisible`), LaTeX spacing, font
    commands and emphasis removed, CJK "or" and the logical or (`∨`, `\\vee`, `\\lor`)
    read as " or ", escaped braces and other brackets read as ASCII parentheses, answer
    tag markup (also full-width), math delimiters, script braces (`^{or C}`) and
    environment markers (`\\begin{center}`) read as a space, angle brackets as parentheses."""
    if not text.isascii() or _CONTROL.search(text):
        text = unicodedata.normalize("NFKC", text)
        text = _INVISIBLE.sub(invisible, text).translate(_BRACKETS)
        text = _OTHER_SPACE.sub(" ", _CJK_OR.sub(" or ", text))
    if "\\" in text or "\u2228" in text:
        text = _OR_SYMBOL.sub(" or ", text).replace("\\{", "(").replace("\\}", ")")
    if "<" in text:
        text = _HTML_BREAK.sub("\n", _TAG_MARKUP.sub(" ", text))
    if "$" in text or "^{" in text or "_{" in text:  # math delimiters and scripts show text
        text = text.replace("$", " ").replace("^{", " {").replace("_{", " {")
    if "\\begin" in text or "\\end" in text:
        text = _ENVIRONMENT.sub(" ", text)
    text = render(text)
    return text.translate(_BRACKETS) if "\u27e8" in text or "\u27e9" in text else text


def _bare_reason(
    spec: TaskSpec, tail: str, answer: Any, truth: Any, prompt: str | None
) -> Reason | None:
    """After a sentence end, a clause that is nothing but another answer and ends its line
    (`\\boxed{B}; C`, `\\boxed{B}.\\n\\nC`, `\\boxed{B} ... C?`) is a hedge. Prose
    (`\\boxed{B}. Left is wrong`) and a list of options (`A. Left ...`) are not."""
    cut = min((i for i in map(tail.find, _SENTENCE_END) if i >= 0), default=len(tail))
    after = tail[cut:]
    line_end = after.find("\n")
    if after[: line_end if line_end >= 0 else len(after)].strip(" \t\r.;!?$*_"):
        return None  # more text on the clause's line: a list item or prose
    clause = tail[:cut]
    tie = _TIE.match(clause)  # `\\boxed{B}. Therefore, C.`
    if tie is not None:
        clause = clause[tie.end() :]
    clause = clause.strip(" \t\r*_`\"'$")
    if not clause or len(clause) > _TIED_CHARS:
        return None
    alone = spec.parse(normalize_answer(clause), truth, prompt)
    if alone is Reason.MULTIPLE_ANSWERS:  # `A or C`; not prose that lists options
        return alone if len(clause.split()) <= _BARE_WORDS else None
    if _is_other(alone, answer):
        return Reason.MULTIPLE_ANSWERS
    return None


def _tied_reason(
    spec: TaskSpec, tail: str, answer: Any, truth: Any, prompt: str | None
) -> Reason | None:
    """The clause tied to the box by a colon, comma, dash or ``=`` (no sentence end
    between): ``inconsistent_choice`` or ``multiple_answers`` if it names another answer or
    contradicts the box (``\\boxed{B}: Left``, ``\\boxed{B}, i.e. Left``)."""
    tie = _TIE.match(tail)
    if tie is not None:
        tail = tail[tie.end() :]
    end = _TIED_END_AT.search(tail)  # a decimal point (`1.0`) ends no clause
    clause = tail[: end.start() if end else len(tail)].strip(_CLAUSE_WRAPPERS)
    if not clause or len(clause) > _TIED_CHARS:
        return None
    if clause[0] in "([":
        return _annotation_reason(spec, clause, answer, truth, prompt)
    first = clause.split(maxsplit=1)[0].lower()
    if first in _OPENERS:
        return _alternative_reason(spec, clause, answer, truth, prompt)
    alone = spec.parse(normalize_answer(clause), truth, prompt)
    if alone is Reason.MULTIPLE_ANSWERS:
        return Reason.MULTIPLE_ANSWERS
    if _is_other(alone, answer):
        return Reason.INCONSISTENT_CHOICE
    # a part of an answer that is no answer alone (`\\boxed{3-0}: horizontal`): read it
    # as an annotation; option tasks refuse any unknown text there, so only other tasks
    if alone is Reason.NOT_IN_ANSWER_SPACE and not spec.uses_prompt:
        both = spec.parse(normalize_answer(f"{answer} ({clause})"), truth, prompt)
        if both is Reason.INCONSISTENT_CHOICE or both is Reason.MULTIPLE_ANSWERS:
            return both
    return None


def _alternative_reason(
    spec: TaskSpec, text: str, answer: Any, truth: Any, prompt: str | None
) -> Reason | None:
    """``multiple_answers`` if `text` opens with an alternative (`or`, `(or possibly`,
    `probably, or`, `/`) and its clause names another answer; else None."""
    opened = joined = False
    position = 0
    for _ in range(4):  # opening words
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position < len(text) and text[position] in "/|":
            opened, position = True, position + 1
            continue
        word = _WORD.match(text, position)
        key = word.group().strip(_WORD_WRAPPERS).lower() if word is not None else ""
        if word is None or key not in _FILLER:
            break
        opened = opened or key in _OPENERS
        joined = joined or key in _JOINERS
        position = word.end()
    if not (opened or joined):
        return None
    rest = text[position:].lstrip(" \t\r\n,:")  # `or\nC`: the clause goes on past the break
    end = _CLAUSE_END_AT.search(rest)  # a decimal point (`1.0`) ends no clause
    clause = _unwrapped(rest[: end.start() if end else len(rest)].strip(" \t*$"))
    readings = [clause]
    if opened:  # each word and comma piece too: `(or it could be C)`, `or, in words, 2 (vertical)`
        readings += [  # an article or a decimal number (`1.0 sure`) is no answer
            w for w in _WORD.findall(clause)[:_WORDS_READ] if w != "a" and not _DECIMAL.match(w)
        ]
        pieces = _PIECES.split(clause)
        if len(pieces) > 1:
            readings += [_unwrapped(piece.strip()) for piece in pieces[:_WORDS_READ]]
    if any(_names_another(spec, reading, answer, truth, prompt) for reading in readings):
        return Reason.MULTIPLE_ANSWERS
    if opened and any(_offers_a_part(spec, r, answer, truth, prompt) for r in readings):
        return Reason.MULTIPLE_ANSWERS
    return None


def _offers_a_part(spec: TaskSpec, text: str, answer: Any, truth: Any, prompt: str | None) -> bool:
    """Whether an alternative offers part of another answer: text that alone is no answer
    of the space (``not_in_answer_space``) but contradicts the box beside it
    (`\\boxed{3-0} (or horizontally)`) or names a label the box does not hold
    (`\\boxed{3-vertical} (or possibly 2)`)."""
    cleaned = normalize_answer(text)
    held = set(_NUMBER.findall(str(answer)))  # numbered answers only: a letter holds none
    if not held or (len(cleaned) < 2 and not cleaned.isdigit()):
        return False
    if spec.parse(cleaned, truth, prompt) is not Reason.NOT_IN_ANSWER_SPACE:
        return False
    if cleaned.isdigit():  # `(or possibly 2)`; a number in prose (`1.0 sure`) is no label
        return cleaned not in held
    both = spec.parse(normalize_answer(f"{answer} ({cleaned})"), truth, prompt)
    return both is Reason.INCONSISTENT_CHOICE


def _annotation_reason(
    spec: TaskSpec,
    tail: str,
    answer: Any,
    truth: Any,
    prompt: str | None,
    depth: int = 0,
) -> Reason | None:
    """A parenthesis right after the answer: a hedge if it, or a parenthesis nested in it,
    opens with an alternative (`\\boxed{B} (or possibly C (Left))`, `\\boxed{3-0}
    (vertical (or 2-1))`), ``inconsistent_choice`` if it names another answer
    (`\\boxed{B} (Left)`, `\\boxed{3-0} (horizontal)`). Brackets nest; one never closed
    runs to the end of its clause. At most `_NESTING` levels are read, each a bounded scan."""
    close = _group_end(tail)
    if close > 0:
        inner = tail[1:close]
    else:  # unclosed (`\\boxed{B} (or possibly C`): the rest of the clause
        rest = tail[1:]
        inner = rest[: min((i for i in map(rest.find, _CLAUSE_END) if i >= 0), default=len(rest))]
    word = _WORD.match(inner.lstrip(" \t\r\n"))
    first = word.group().strip(_WORD_WRAPPERS).lower() if word is not None else ""
    if first in _OPENERS or inner.lstrip()[:1] in ("/", "|"):
        return _alternative_reason(spec, inner, answer, truth, prompt)
    if inner.rstrip().endswith("?"):  # `\\boxed{0-2-3-1} (0-3-2-1?)`: read as `maybe ...`
        return _alternative_reason(spec, "maybe " + inner.rstrip(" ?"), answer, truth, prompt)
    if depth < _NESTING:
        for start in _group_starts(inner):
            reason = _annotation_reason(spec, inner[start:], answer, truth, prompt, depth + 1)
            if reason is not None:
                return reason
    if not inner.strip() or len(inner) > 60:
        return None
    if _names_another(spec, inner, answer, truth, prompt):
        return Reason.INCONSISTENT_CHOICE
    both = spec.parse(normalize_answer(f"{answer} ({inner})"), truth, prompt)
    if both is Reason.INCONSISTENT_CHOICE or both is Reason.MULTIPLE_ANSWERS:
        return both
    return None


def _unwrapped(clause: str) -> str:
    """`clause` without closers it never opened (the end of an enclosing parenthesis) and
    without brackets around all of it: ``C)`` and ``(C)`` are ``C``, but the closing
    bracket of ``2 (horizontal)`` stays."""
    depth = unopened = 0
    for match in _BRACKET.finditer(clause):
        if match.group() in "([":
            depth += 1
        elif depth:
            depth -= 1
        else:
            unopened += 1
    while unopened and clause and clause[-1] in ")]":
        clause, unopened = clause[:-1].rstrip(" \t*$"), unopened - 1
    for _ in range(_NESTING):
        if not clause or clause[0] not in "([" or _group_end(clause) != len(clause) - 1:
            break
        clause = clause[1:-1].strip(" \t*$")
    return clause


def _group_end(text: str) -> int:
    """Index of the bracket closing the one `text` opens with (``(`` and ``[`` nest, in any
    mix), or -1 if it never closes. One pass over the (bounded) text."""
    depth = 0
    for match in _BRACKET.finditer(text):
        depth += 1 if match.group() in "([" else -1
        if depth == 0:
            return match.start()
    return -1


def _group_starts(text: str) -> list[int]:
    """Where the top-level bracket groups of `text` open (a closed or unclosed one)."""
    starts = []
    depth = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "([":
            if depth == 0:
                starts.append(match.start())
            depth += 1
        elif depth:
            depth -= 1
    return starts


def _names_another(spec: TaskSpec, text: str, answer: Any, truth: Any, prompt: str | None) -> bool:
    """Whether `text` reads as a hedge or as a valid answer other than `answer`."""
    cleaned = normalize_answer(text)
    return bool(cleaned) and _is_other(spec.parse(cleaned, truth, prompt), answer)


def _is_other(parsed: Any, answer: Any) -> bool:
    """Whether a parse is a hedge or a valid answer other than `answer`."""
    if parsed is Reason.MULTIPLE_ANSWERS:
        return True
    return not isinstance(parsed, Reason) and parsed != answer
