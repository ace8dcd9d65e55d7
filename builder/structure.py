"""Structure: headings at their true levels, paragraphs, anchors. Shared by all readers.

Heading numbering conventions recognised (general rules, not per document):

- ``一、引言`` / ``一　研究背景`` (Chinese numeral + 、 or space)    -> level 2
- ``（一）发展历程`` (parenthesised Chinese numeral)          -> level 3
- ``1. …`` / ``1 …`` short numbered line                                 -> level 4
- ``I. The History…`` (Roman numeral)                                    -> level 2
- Markdown ``## …``                                                       -> its own level
"""

from __future__ import annotations

import re

from .models import Document

CN_NUM = "一二三四五六七八九十"
HEADING_RULES: list[tuple[re.Pattern, int]] = [
    (re.compile(f"^[{CN_NUM}]{{1,3}}\\s*、\\s*\\S"), 2),
    (re.compile(f"^[{CN_NUM}]{{1,3}}[\\s\u3000]+\\S"), 2),
    (re.compile(f"^[（(][{CN_NUM}]{{1,3}}[）)]\\s*\\S"), 3),
    (re.compile(r"^(?:[IVX]{1,5})\.\s+[A-Z]"), 2),
    (re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S"), 4),
]
_TERMINAL = re.compile(r"[。！？；，：…”\.;,:]$")
MAX_HEADING_CHARS = 40


def heading_level(line: str) -> int | None:
    """The level of a standalone heading line, or None when it reads as running text."""
    text = line.strip()
    if not text or len(text) > MAX_HEADING_CHARS * (3 if text.isascii() else 1):
        return None
    for pattern, level in HEADING_RULES:
        if pattern.match(text):
            if level == 4 and _TERMINAL.search(text):
                return None
            if level == 2 and "。" in text:
                return None
            return level
    return None


_RUN_IN = re.compile(f"^([（(][{CN_NUM}]{{1,3}}[）)][^。！？]{{2,30}}?。)(.+)$", re.S)


def split_run_in_heading(text: str) -> tuple[str, str] | None:
    """``（一）发展历程。自1990年起…`` -> (heading with its full stop, rest of paragraph)."""
    match = _RUN_IN.match(text)
    if not match:
        return None
    return match.group(1), match.group(2)


def is_short_title(line: str, limit: int = 24) -> bool:
    """A short line without terminal punctuation: a candidate unnumbered sub-heading."""
    text = line.strip()
    return 0 < len(text) <= limit and not _TERMINAL.search(text) and not text.startswith(("•", "-", "*"))


def assign_anchors(doc: Document) -> None:
    """Stable anchors: ``s<n>`` for headings and ``p<n>`` for paragraphs, in reading order.

    Pairs get one anchor for the pair and ``-en``/``-zh`` for its sides.
    """
    paragraphs = headings = 0
    for block in doc.blocks:
        if block.kind == "heading" or (block.pair and block.pair[0].kind == "heading"):
            headings += 1
            block.anchor = f"s{headings}"
        else:
            paragraphs += 1
            block.anchor = f"p{paragraphs}"
        for side in block.pair:
            side.anchor = f"{block.anchor}-{side.lang}"
    doc.stats.paragraphs = paragraphs
    doc.stats.headings = headings


def nested_level(stack: list[tuple[int, int]], numbering: int) -> int:
    """A heading's level from its numbering style (``heading_level``) and the headings above it:
    a style seen before in the same section keeps its level; a new one goes one level below the
    current heading (never skipping a level); the first is a top section (2). ``stack`` holds the
    open (numbering, level) pairs and is updated."""
    while stack and stack[-1][0] > numbering:
        stack.pop()
    if stack and stack[-1][0] == numbering:
        level = stack.pop()[1]
    else:
        level = stack[-1][1] + 1 if stack else 2
    stack.append((numbering, level))
    return level
