"""Text cleanup before any NLP: mojibake, whitespace, site clutter, markdown.

Each function is pure (``str -> str``) so the reading stage can compose them
and tests can check each one alone. Cleaning changes offsets, which is why the
reader skips all of it in raw mode.
"""

from __future__ import annotations

import re
import statistics
from functools import cache
from importlib import resources

import ftfy

# Repair text that was encoded as UTF-8 and decoded as Latin-1/cp1252
# ("Â£" -> "£"), but otherwise leave characters alone: curly quotes and «»
# carry meaning for quote detection, so ftfy must not straighten them.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    explain=False,
)

_TERMINAL = tuple('.!?:;"”»’)')
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
# A line that opens with a wire dateline ("MOSCOW, ...", "PARIS (AFP) ...") starts
# a paragraph, even right under a long headline in a hard-wrapped block.
_DATELINE_START = re.compile(r"[A-Z][A-Z'’.\-]+(?:[ /][A-Z][A-Z'’.\-]+)*(?:,| \(| [-–—])")
# A word broken across a line end by a hyphen: "inter-\nnational".
_HYPHEN_BREAK = re.compile(r"(\w)-\n(?=[a-z])")


def repair_mojibake(text: str) -> str:
    """Undo encoding mix-ups such as ``Â£`` for ``£`` or ``â€™`` for ``’``."""
    return ftfy.fix_text(text, config=_FTFY_CONFIG)


def join_hyphenated(text: str) -> str:
    """Rejoin words that a layout (PDF) hyphenated across a line break."""
    return _HYPHEN_BREAK.sub(r"\1", text)


def normalize_whitespace(text: str) -> str:
    """Paragraphs separated by one blank line, single spaces, no trailing blanks.

    A block of hard-wrapped lines (a PDF page, a wrapped e-mail) is rejoined
    into paragraphs; otherwise every line of a block is its own paragraph.
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", _tidy_lines(text)):
        lines = [line for line in block.split("\n") if line]
        if lines:
            paragraphs.extend(_unwrap(lines))
    return "\n\n".join(paragraphs)


def _tidy_lines(text: str) -> str:
    """Unix line ends, no zero-width characters, single spaces, no blanks at line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _ZERO_WIDTH.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def _unwrap(lines: list[str]) -> list[str]:
    """Join the lines of one block where they look like a wrapped paragraph."""
    if len(lines) < 2:
        return lines
    width = sorted(len(line) for line in lines)[int(0.9 * (len(lines) - 1))]
    # Wrapped text has a narrow, even measure; lines of prose paragraphs run long.
    wrapped = (
        40 <= width <= 130 and statistics.median(len(line) for line in lines[:-1]) >= 0.5 * width
    )
    if not wrapped:
        return lines
    paragraphs = [lines[0]]
    for previous, line in zip(lines, lines[1:], strict=False):
        ends_sentence = previous.endswith(_TERMINAL)
        continues = (
            line[:1].islower()
            or (len(previous) >= 0.5 * width and not ends_sentence)
            or len(previous) >= 0.85 * width
        )
        if continues and not _DATELINE_START.match(line):
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    return paragraphs


@cache
def _boilerplate() -> re.Pattern[str]:
    source = resources.files("claimscope") / "data" / "boilerplate.txt"
    patterns = [
        line.strip()
        for line in source.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    """Whether a whole line is site clutter ("All news", "Share", a cookie notice)."""
    return _boilerplate().fullmatch(line.strip(" \t|•·>»-–—")) is not None


def remove_boilerplate(text: str) -> str:
    """Drop lines that are entirely clutter; words inside sentences are kept."""
    return "\n".join(line for line in text.split("\n") if not is_boilerplate(line))


def clean_text(text: str) -> str:
    """The full cleanup of an article body: mojibake, clutter, whitespace."""
    text = repair_mojibake(text)
    # Clutter goes before unwrapping, so that a "Share" line is never glued to prose.
    text = remove_boilerplate(_tidy_lines(text))
    return normalize_whitespace(text)


_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^```.*$", re.MULTILINE), ""),  # code fences (keep the code as text)
    (re.compile(r"^ {0,3}(?:[-*_] *){3,}$", re.MULTILINE), ""),  # horizontal rules
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.MULTILINE), r"\1"),  # ATX headings
    (re.compile(r"^ {0,3}> ?", re.MULTILINE), ""),  # block quotes
    (re.compile(r"^ {0,3}(?:[-*+]|\d+[.)])[ \t]+", re.MULTILINE), ""),  # list markers
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> link text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$", re.MULTILINE), ""),  # link definitions
    (re.compile(r"<[^>\n]+>"), ""),  # inline html tags
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis *x*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # emphasis _x_
    (re.compile(r"~~(.+?)~~"), r"\1"),  # strikethrough
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
)
_MD_TITLE = re.compile(r"^ {0,3}#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_MD_SETEXT = re.compile(r"^(.+)\n(=+|-+)[ \t]*$", re.MULTILINE)


def strip_markdown(text: str) -> tuple[str | None, str]:
    """Markdown to plain text, and the first ``# heading`` as the title.

    Only the syntax goes: heading text, link text and emphasised words stay,
    because a headline or a linked name can carry a claim.
    """
    text = text.replace("\r\n", "\n")
    text = _MD_SETEXT.sub(lambda m: ("# " if m.group(2)[0] == "=" else "## ") + m.group(1), text)
    found = _MD_TITLE.search(text)
    title = _strip_markdown_syntax(found.group(1)).strip() if found else None
    return title or None, _strip_markdown_syntax(text)


def _strip_markdown_syntax(text: str) -> str:
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text
