"""What every reader shares: the input it gets, paragraph splitting, block construction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..chinese import HAN_RE
from ..chrome import ChromeRules
from ..diagnostics import Diagnostics
from ..models import Block, DocMeta, Document, Dropped, Text
from ..normalize import join_lines

LATIN = re.compile(r"[A-Za-z]")
HAN = HAN_RE


@dataclass
class Source:
    """A decoded, character-normalised source text and its metadata."""

    meta: DocMeta
    text: str
    dropped: list[tuple[int, str, str]] = field(default_factory=list)  # from normalisation
    data: bytes = b""  # the file's bytes, for a binary source (a PDF) that its reader decodes itself

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass
class ReadContext:
    diag: Diagnostics
    chrome: ChromeRules = field(default_factory=ChromeRules)


def new_document(source: Source) -> Document:
    doc = Document(meta=source.meta, source_text=source.text)
    doc.chrome = [Dropped(line, text, reason) for line, text, reason in source.dropped]
    return doc


def paragraphs(lines: list[str], start: int = 1) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines as (first line number, lines). Line numbers are 1-based."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(lines, start):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            out.append((first, current))
            current = []
    if current:
        out.append((first, current))
    return out


def language_of(text: str) -> str:
    """'zh' when Han characters dominate, else 'en'."""
    han = len(HAN.findall(text))
    latin = len(LATIN.findall(text))
    return "zh" if han * 2 >= latin else "en"


def text_block(kind: str, text: str, line: int, level: int = 0, lang: str = "", page: int = 0) -> Block:
    return Block(kind=kind, inlines=[Text(text)], level=level, lang=lang or language_of(text),
                 line=line, page=page)


def paragraph_block(lines: list[str], line: int, page: int = 0) -> Block:
    return text_block("paragraph", join_lines(lines), line, page=page)
