"""Reader for plain-text extractions of journal-article PDFs.

Texts that keep ``pdftotext``'s form feeds between pages are read page by page
(``pdf_paged``: furniture by repetition across pages, note blocks per page, markers handed
over as ``Marker(label, page)``); the rules below read texts without page breaks.

What this reader may do: decide which source lines are body, headings, note texts, front matter
or page furniture; re-join hard-wrapped lines; count printed pages; repair broken URLs and lost
range dashes. It never drops a character: what is not body goes to the notes, the header block
(``metadata_lines``) or the report's chrome list with a reason.

Layout signals used (general to such extractions, not to one document):

- Line width. Chinese characters count 2, Latin letters, digits and spaces 1. The most common
  width is a full body line. A line ending in sentence punctuation and clearly shorter than
  that ends a paragraph; a full line ending in punctuation may or may not, and is joined.
  Blank lines are not trusted as paragraph breaks (some extractions put one after every line).
- Page-bottom note blocks interrupt the body. They start with labelled notes (``① text``,
  ``a   text``), a run of bare markers (``①`` ``②`` … then the texts without markers), or an
  indented line wider than a body line (smaller type holds more characters). A block ends at two
  blank lines in a row, at an indented line of body width (the next page's first line), or at
  page furniture. Each note block ends a printed page; a sentence cut by the block goes on after
  it and is re-joined, with a page break recorded at that offset (``Block.page_breaks``).
- Circled markers restart on each page, so a circled marker not greater than the previous one
  also starts a new page (this keeps pages apart when a page's note block is missing).
- Bare markers are paired with the texts that follow only when the counts are equal; texts
  without any marker are paired with the page's body markers only when the counts are equal.
  Otherwise the texts stay unpaired (orphan notes) and the markers in the body stay unresolved.
- Front matter: a short first line without punctuation is the title (header block); a bracketed
  abstract label starts the abstract, kept as a quote block at the top.
- Furniture: running heads (``《刊名》2023 年第 10 期`` with a page number) go to the header
  block the first time and to chrome after; bare page numbers and vertical side labels (one
  character per line) to chrome; the journal's editor line to the header block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import links
from ..footnotes import CIRCLED, circled_value
from ..models import Block, Document, Dropped, RawNote, Text
from ..structure import heading_level, nested_level, split_run_in_heading
from . import pdf_paged
from .common import ReadContext, Source, language_of, new_document
from .pdf_lines import (Line, body_width, ends_sentence, heading_text, join, join_with_offsets,
                        restore_year_ranges)

# --------------------------------------------------------------------------- patterns

_CIRCLED_CHAR = re.compile(f"[{CIRCLED}]")
_BARE_MARKERS = re.compile(f"^[{CIRCLED}\\s]+$")
_CIRCLED_NOTE = re.compile(f"^([{CIRCLED}])\\s*(\\S.*)$")
_LETTER_NOTE = re.compile(r"^([a-z])(?:[ \t]{2,}|[ \t]*\u2003)\s*(\S.*)$")
_MARKER_SPACE = re.compile(f"([{CIRCLED}])[ \t]+(?=[^A-Za-z\\s])")
_PAGE_NUMBER = re.compile(r"^[-–—|\s]*\d{1,4}[-–—|\s]*$")
_RUNNING_HEAD = re.compile(r"^[|\s\d]*《[^》]{1,40}》\s*\d{4}\s*年\s*第\s*\d{1,3}\s*期[|\s\d]*$")
_EDITOR_LINE = re.compile(r"^[（(]?\s*(?:责任编辑|编辑|校对)\s*[：:][^）)]{1,20}[）)]?$")
_ABSTRACT_LABEL = re.compile(r"^[\[【［〔]\s*(?:内容提要|内容摘要|提要|摘要|Abstract)\s*[\]】］〕]", re.I)
_RUN_IN_START = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_PUNCT = re.compile(r"[，。、；：？！“”‘’（）《》〈〉【】「」『』…—,.;:?!()\[\]\"'/]")


# --------------------------------------------------------------------------- the reader


@dataclass
class _Paragraph:
    line: int
    page: int
    pieces: list[str] = field(default_factory=list)
    breaks: list[tuple[int, int, int]] = field(default_factory=list)  # (piece, offset in piece, page)
    kind: str = "paragraph"
    last: Line | None = None
    current_page: int = 0


@dataclass
class _NoteText:
    label: str
    line: int
    lines: list[str] = field(default_factory=list)
    ended: bool = False
    last_width: int = 0


class _Reader:
    def __init__(self, source: Source, ctx: ReadContext) -> None:
        self.source, self.ctx = source, ctx
        self.doc: Document = new_document(source)
        self.lines = [Line(n, raw) for n, raw in enumerate(source.lines, 1)]
        self.full = body_width(self.lines)
        self.note_wide = self.full + 5  # an indented line this wide is set in the smaller note type
        self.glyph_map = source.meta.glyph_map
        self.page = 0
        self.last_circled = 0
        self.page_markers: list[str] = []
        self.para: _Paragraph | None = None
        self.heading_stack: list[tuple[int, int]] = []  # (numbering level, level given)
        self.seen_running_head = False

    # ------------------------------------------------------------------ driver

    def run(self) -> Document:
        i = self.front_matter(0)
        n = len(self.lines)
        while i < n:
            line = self.lines[i]
            if line.blank:
                i += 1
                continue
            if self.furniture(line):
                i += 1
                continue
            vertical = self.vertical_label(i)
            if vertical > i:
                i = vertical
                continue
            if self.note_start(line):
                i = self.note_block(i)
                continue
            heading_end = self.heading(i)
            if heading_end > i:
                i = heading_end
                continue
            self.body_line(line)
            i += 1
        self.flush()
        return self.doc

    # ------------------------------------------------------------------ front matter

    def front_matter(self, i: int) -> int:
        while i < len(self.lines) and self.lines[i].blank:
            i += 1
        if i >= len(self.lines):
            return i
        first = self.lines[i]
        if (first.width < self.full * 0.7 and not _PUNCT.search(first.text)
                and not heading_level(first.text)):
            self.doc.metadata_lines.append(first.text)
            i += 1
        while i < len(self.lines) and self.lines[i].blank:
            i += 1
        if i < len(self.lines) and _ABSTRACT_LABEL.match(self.lines[i].text):
            para = _Paragraph(self.lines[i].number, self.page, kind="quote")
            while i < len(self.lines):
                line = self.lines[i]
                i += 1
                if line.blank:
                    continue
                para.pieces.append(self.prepare(line.text))
                if ends_sentence(line.text) and line.width <= self.full - 4:
                    break
            self.para = para
            self.flush()
        return i

    # ------------------------------------------------------------------ furniture

    def furniture(self, line: Line) -> bool:
        """Page chrome and journal furniture: placed in chrome or the header block."""
        text = line.text
        reason = self.ctx.chrome.match(text)
        if reason:
            self.doc.chrome.append(Dropped(line.number, text, reason))
            return True
        if _PAGE_NUMBER.match(text):
            self.doc.chrome.append(Dropped(line.number, text, "page number"))
            return True
        if _RUNNING_HEAD.match(text):
            if self.seen_running_head:
                self.doc.chrome.append(Dropped(line.number, text, "running head of a printed page"))
            else:
                self.doc.metadata_lines.append(text)
                self.seen_running_head = True
            return True
        if _EDITOR_LINE.match(text):
            self.doc.metadata_lines.append(text)
            return True
        return False

    def vertical_label(self, i: int) -> int:
        """Three or more one-character lines in a row: text set vertically in the page margin."""
        j, chars = i, []
        while j < len(self.lines) and len(self.lines[j].text) == 1:
            chars.append(self.lines[j].text)
            j += 1
        if len(chars) < 3:
            return i
        self.doc.chrome.append(Dropped(self.lines[i].number, "".join(chars), "vertical page-margin label"))
        return j

    # ------------------------------------------------------------------ headings

    def heading(self, i: int) -> int:
        """A standalone heading line (possibly wrapped onto a second line); returns the next index."""
        line = self.lines[i]
        text = heading_text(line.raw)
        if self.para and not ends_sentence(self.para.last.text):
            return i
        level = heading_level(text)
        if level and re.search("[。！？]", text):
            return i  # a run-in heading: handled with its paragraph
        if not level:
            if not self.paragraph_ended() or line.width > 24 or _PUNCT.search(text) or not self.next_starts_block(i):
                return i
            level = self.heading_stack[0][0] if self.heading_stack else 2
        j = i + 1
        if line.width >= self.full - 4 and not ends_sentence(text):
            k = self.next_nonblank(j)
            if k is not None and self.lines[k].width < self.full * 0.6 and not _PUNCT.search(self.lines[k].text):
                text = text + self.lines[k].text
                j = k + 1
        self.flush()
        self.add_heading(text, line.number, level)
        return j

    def next_nonblank(self, j: int) -> int | None:
        while j < len(self.lines) and self.lines[j].blank:
            j += 1
        return j if j < len(self.lines) else None

    def next_starts_block(self, i: int) -> bool:
        k = self.next_nonblank(i + 1)
        return k is None or self.lines[k].width >= self.full * 0.6 or bool(heading_level(self.lines[k].text))

    def add_heading(self, text: str, line: int, numbering: int, page: int | None = None) -> None:
        """Headings at their true levels (``structure.nested_level``)."""
        level = nested_level(self.heading_stack, numbering)
        self.doc.blocks.append(Block("heading", [Text(text)], level=min(level, 6), lang=language_of(text),
                                     line=line, page=self.page if page is None else page))

    # ------------------------------------------------------------------ body

    def paragraph_ended(self) -> bool:
        last = self.para.last if self.para else None
        return last is None or (ends_sentence(last.text) and last.width <= self.full - 4)

    def body_line(self, line: Line) -> None:
        text = self.prepare(line.text)
        if self.para and (self.paragraph_ended() or self.starts_block(line)):
            self.flush()
        if not self.para:
            self.para = _Paragraph(line.number, self.page, current_page=self.page)
        if self.para.current_page != self.page:  # the paragraph goes on after a note block
            self.para.breaks.append((len(self.para.pieces), 0, self.page))
        self.track_markers(text)
        self.para.current_page = self.page
        self.para.pieces.append(text)
        self.para.last = line

    def starts_block(self, line: Line) -> bool:
        """A new paragraph after a sentence end: a run-in heading, or a first line as much shorter
        than a full line as a paragraph indent (the extraction lost the indent, not the width)."""
        last = self.para.last if self.para else None
        if not (last and ends_sentence(last.text)):
            return False
        if _RUN_IN_START.match(line.text):
            return True
        indent_width = self.full - 8 <= line.width <= self.full - 3
        return indent_width and not ends_sentence(line.text) and not re.search("[A-Za-z]", line.text)

    def prepare(self, text: str) -> str:
        text = _MARKER_SPACE.sub(r"\1", text)
        return restore_year_ranges(text)

    def track_markers(self, text: str) -> None:
        """Circled markers restart on each page: one not above the last starts a new page."""
        for match in _CIRCLED_CHAR.finditer(text):
            index, char = match.start(), match.group()
            value = circled_value(char)
            if value <= self.last_circled:
                self.new_page()
                self.para.breaks.append((len(self.para.pieces), index, self.page))
            self.last_circled = value
            self.page_markers.append(char)

    def new_page(self) -> None:
        self.page += 1
        self.last_circled = 0
        self.page_markers = []

    def flush(self) -> None:
        para, self.para = self.para, None
        if not para or not para.pieces:
            return
        text, starts = join_with_offsets(para.pieces)
        breaks = [(starts[piece] + offset if piece < len(starts) else len(text), page)
                  for piece, offset, page in para.breaks]
        text, breaks = self.repair_urls(text, breaks, para.line)
        if para.kind == "paragraph":
            run_in = split_run_in_heading(text)
            if run_in:
                heading, rest = run_in
                self.add_heading(heading, para.line, 3, para.page)
                shift = len(heading)
                text = rest
                breaks = [(max(0, o - shift), p) for o, p in breaks]
        page = para.page
        while breaks and breaks[0][0] == 0:
            page = breaks.pop(0)[1]
        block = Block(para.kind, links.linkify(text), lang=language_of(text), line=para.line, page=page,
                      page_breaks=breaks)
        self.doc.blocks.append(block)

    def repair_urls(self, text: str, points: list[tuple[int, int]], line: int) -> tuple[str, list[tuple[int, int]]]:
        """Broken URLs repaired (page breaks moved with the text); each changed one listed as printed."""
        text, changed, points = links.repair_urls_at(text, points, self.glyph_map)
        for original, _url in changed:
            self.doc.chrome.append(Dropped(line, original, "URL as printed (broken); the link shows the repaired URL"))
        return text, points

    # ------------------------------------------------------------------ notes

    def note_start(self, line: Line) -> bool:
        text = line.text
        if _BARE_MARKERS.match(text) or _LETTER_NOTE.match(line.raw.strip(" ")):
            return True
        if _CIRCLED_NOTE.match(text) and (line.indented or not self.para or self.paragraph_ended()
                                          or line.width >= self.note_wide):
            return True
        return line.indented and line.width >= self.note_wide

    def note_block(self, i: int) -> int:
        """Read one page-bottom note block starting at line ``i``; returns the next index."""
        bare: list[tuple[str, int]] = []
        texts: list[_NoteText] = []
        current: _NoteText | None = None
        blank_run = 0
        j = i
        while j < len(self.lines):
            line = self.lines[j]
            if line.blank:
                blank_run += 1
                j += 1
                if blank_run >= 2:
                    break
                continue
            gap, blank_run = blank_run, 0
            if j > i and (self.furniture_like(line) or (line.indented and line.width < self.note_wide
                                                          and not self.labelled(line))):
                break
            if _BARE_MARKERS.match(line.text):
                bare.extend((c, line.number) for c in line.text if c in CIRCLED)
                current = None
            elif self.labelled(line):
                label, rest = self.labelled(line)
                current = _NoteText(label, line.number, [rest])
                texts.append(current)
            elif current is None or (line.indented and j > i) or (
                    not current.label and current.ended and (gap or current.last_width < self.note_wide - 4)):
                current = _NoteText("", line.number, [line.text])
                texts.append(current)
            else:
                current.lines.append(line.text)
            if current:
                current.ended = ends_sentence(line.text)
                current.last_width = line.width
            j += 1
        self.place_notes(bare, texts)
        self.new_page()
        return j

    def furniture_like(self, line: Line) -> bool:
        text = line.text
        return bool(self.ctx.chrome.match(text) or _RUNNING_HEAD.match(text) or _EDITOR_LINE.match(text))

    def labelled(self, line: Line) -> tuple[str, str] | None:
        match = _LETTER_NOTE.match(line.raw.strip(" ")) or _CIRCLED_NOTE.match(line.text)
        return (match.group(1), match.group(2)) if match else None

    def place_notes(self, bare: list[tuple[str, int]], texts: list[_NoteText]) -> None:
        unlabelled = [t for t in texts if not t.label]
        if bare:
            if len(bare) == len(unlabelled):
                for (label, _), note in zip(bare, unlabelled):
                    note.label = label
            else:
                self.doc.chrome.append(Dropped(bare[0][1], "".join(label for label, _ in bare),
                                               f"{len(bare)} bare note markers but {len(unlabelled)} note "
                                               "texts: not paired (texts kept as notes without a marker)"))
        elif unlabelled and len(unlabelled) == len(texts):
            markers = self.page_markers
            if markers and len(markers) == len(unlabelled) and len(set(markers)) == len(markers):
                for label, note in zip(markers, unlabelled):
                    note.label = label
        for note in texts:
            text = restore_year_ranges(join(note.lines))
            text, changed = links.repair_urls(text, self.glyph_map)
            for original, _ in changed:
                self.doc.chrome.append(Dropped(note.line, original,
                                               "URL as printed (broken); the note links the repaired URL"))
            self.doc.raw_notes.append(RawNote(note.label, text, note.line, self.page, language_of(text)))


def read(source: Source, ctx: ReadContext) -> Document:
    """Texts that keep their page breaks (form feeds) are read page by page (``pdf_paged``);
    others by the line-shape rules above."""
    return pdf_paged.read(source, ctx) or _Reader(source, ctx).run()
