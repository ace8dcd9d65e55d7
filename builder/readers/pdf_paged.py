"""Reader for plain-text PDF extractions that keep their page breaks (form feeds), or whose
breaks can be recovered from their printed page numbers (``pdf_text_pages.inferred_breaks``).

What this reader may do: cut the text into pages (``pdf_text_pages``), drop page furniture and
the pages outside the article into the chrome list with a reason, put the title, byline and
front-matter fields into the header block, keep the abstract as a quote, read each page's note
block (``pdf_text_notes``) and the reference list, and re-join the body's hard-wrapped lines
into headings and paragraphs. Footnote markers it identifies by structure are handed over as
``Marker(label, page)`` inlines (circled numbers and stars in the body, superscripts printed on
lines of their own), with the notes as ``RawNote(label, text, line, page)`` of the same page
numbering (reference list entries: page 0). Every character ends up in the body, the notes,
the header block or the chrome list.

Rules (besides the line shapes of ``pdf_lines``; none names a journal):

- Article range: from the title (as in the metadata) to the page of the end mark (editor
  line); or the metadata's ``pages``. Lines before the title on its page are masthead.
- Front matter: printed title (with the title note's star, taken once), byline, abstract
  (a quote; its label may be printed in two fragments), keywords and fields (header block),
  up to the first heading or note block. Keywords printed on the first heading's row (two
  columns) join the keywords.
- A marker printed on a line of its own (``［12］``, ``①``, ``*``) belongs at the end of the
  next line (``pdftotext`` prints a raised superscript before the line it sits on); that line
  and the fragment right after it are one printed row, so no paragraph ends between them.
- The fragments of one printed row, cut after commas and printed in another order, are put
  back in order (the piece not ending at a cut comes last).
- Headings: a Chinese numeral alone on a line followed by a short title line (``一`` ⏎
  ``引言``) is one heading; ``( 一) …`` is read as ``（一）…``; a heading wrapped onto a short
  second line is joined; levels by numbering.
- A page's note block starts at its first label (``①``, a star on the title page, ``a``)
  once that label was seen as a marker above; short unfinished lines just before it are the
  tail of its first row. A page whose labels have a gap keeps its notes without a link.
- Tables and charts printed one cell per line (four or more short lines) are chrome with a
  reason; captions and source lines are paragraphs of their own.
- Two interleaved columns (``pdftotext`` alternates the lines of the left and the right
  column) are read left, then right, the notes last. The editor line (its pieces printed
  apart) ends its column: it is read after both columns, and the text after it is the other
  column's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import links
from ..chinese import HAN
from ..footnotes import CIRCLED, MARKER_PATTERNS
from ..models import Block, Document, Dropped, Marker, RawNote, Text
from ..structure import heading_level, nested_level
from .common import ReadContext, Source, language_of, new_document
from . import pdf_text_notes as notes_mod
from . import pdf_text_pages as pages_mod
from .pdf_lines import (Line, body_width, display_width, ends_sentence, heading_text, join_with_offsets,
                        restore_year_ranges)

_BRACKET_MARKER = re.compile(r"^[\[［【]\s*(\d{1,3})\s*[\]］】]$")
_CHINESE_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]{1,3}|[（(][一二三四五六七八九十]{1,3}[）)])")
_NUMERAL_ALONE = re.compile(r"^[一二三四五六七八九十]{1,3}$")
_PAREN_SPACE = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*")
_ABSTRACT = re.compile(r"(?:提|摘)\s*要\s*[\]】］〕:：]|^要\s*[\]】］〕]|^Abstract\s*[:：]", re.I)
_LABEL_HEAD = re.compile(r"^[\[【［〔]\s*[摘提]$")
_LABEL_TAIL = re.compile(r"^要\s*[\]】］〕]")
_KEYWORDS = re.compile(r"^[\[【［〔]?\s*关\s*键\s*词|^Key\s*words", re.I)
_EDITOR = pages_mod.EDITOR_MARK
_CLOSE_BRACKET = re.compile(r"[）)〕］\]]\s*$")
STAR = "*"
_ONE_HAN = re.compile(f"^[{HAN}]$")
CELL_RUN = 4
EDITOR_PIECE = 24  # display width of a fragment of the editor line after its first
EDITOR_LOOKAHEAD = 6  # lines after the editor line's first piece where its fragments are looked for
_OPEN_BRACKET = re.compile(r"^[（(〔［\[【]")
_PIECE_PUNCT = re.compile(r"[，。、；：:,.！？!?“”《》]")  # a fragment of the editor's name has none
KEYWORD_LOOKAHEAD = 6
_PUNCT_OR_LABEL = re.compile(f"[，。、；：:,.（）()“”《》{CIRCLED}*∗＊\\[\\]［］【】]")
ROW_CUTS = ("，", "、", "：", "；", ",")
_SPACED_LABEL = re.compile(f"^[{CIRCLED}]\\s+\\S")
_CAPTION = re.compile(r"^(?:图|表|Figure|Table)\s*\d{1,2}", re.I)
_SOURCE_LINE = re.compile(r"^(?:资料来源|数据来源|Sources?)\s*[:：]", re.I)


def form_feed_lines(source: Source) -> set[int]:
    """1-based numbers of the lines that began with a form feed (normalisation removed it)."""
    return {line for line, text, _ in source.dropped if "\x0c" in text}


@dataclass
class _Para:
    line: int
    page: int
    kind: str = "paragraph"
    pieces: list[str] = field(default_factory=list)
    marks: list[tuple[int, int, tuple[str, int]]] = field(default_factory=list)  # (piece, offset, (label, page))
    breaks: list[tuple[int, int, int]] = field(default_factory=list)  # (piece, offset, page)
    last: Line | None = None
    last_page: int = 0
    hold: bool = False  # the last line is part of a printed row that goes on
    apart: bool = False  # a caption or source line: not run on into the text after it


class PagedReader:
    def __init__(self, source: Source, ctx: ReadContext, feeds: set[int], inferred: bool = False) -> None:
        self.source, self.ctx = source, ctx
        self.inferred = inferred  # pages recovered from page numbers: not the PDF's page indexes
        self.doc: Document = new_document(source)
        self.lines = [Line(n, raw) for n, raw in enumerate(source.lines, 1)]
        self.pages = pages_mod.split_pages(self.lines, feeds)
        self.glyph_map = source.meta.glyph_map
        self.para: _Para | None = None
        self.pending: list[str] = []  # markers printed on their own line, waiting for their row
        self.heading_stack: list[tuple[int, int]] = []
        self.references = False
        self.seen_labels: set[str] = set()
        self.title_page = 1
        self.note_blocks: list[tuple[int, notes_mod.NoteBlock]] = []
        self.consumed: set[int] = set()  # lines already placed out of their order
        self.reordered_until = 0
        self.skip: set[int] = set()
        self.row_jumped = False  # a pending superscript skipped pieces of its row

    # ------------------------------------------------------------------ driver

    def run(self) -> Document:
        lines = self.lines
        furniture = pages_mod.furniture(self.pages, lines, self.source.meta.title_zh)
        first, last, start = self.article_range(furniture)
        body_lines = [line for line in lines if line.text]
        self.full = body_width(body_lines)
        self.two_column = pages_mod.interleaved_columns(lines, self.full)
        for page in self.pages:
            if page.index < first or page.index > last:
                self.drop_page(page, "issue page outside the article (cover, contents, other articles, back matter)")
                continue
            self.read_page(page, furniture, start)
        self.close_block()
        self.place_all_notes()
        return self.doc

    def article_range(self, furniture: dict[int, str]) -> tuple[int, int, int]:
        """(first page, last page, index of the title line or -1)."""
        meta_range = None if self.inferred else pages_mod.parse_range(getattr(self.source.meta, "pages", "") or "")
        start = pages_mod.title_start(self.pages, self.lines, self.source.meta.title_zh, furniture)
        if meta_range:
            first, last = meta_range
            if start is not None and self.page_of(start) != first:
                start = None
            self.title_page = first
            return first, last, -1 if start is None else start
        first = self.page_of(start) if start is not None else 1
        self.title_page = first
        end = pages_mod.end_page(self.pages, self.lines, start if start is not None else -1)
        last = end.index if end else len(self.pages)
        return first, last, -1 if start is None else start

    def page_of(self, index: int) -> int:
        for page in self.pages:
            if page.numbers and page.numbers[0] <= index <= page.numbers[-1]:
                return page.index
        return 1

    def drop_page(self, page: pages_mod.Page, reason: str) -> None:
        for i in page.numbers:
            line = self.lines[i]
            if line.text:
                self.doc.chrome.append(Dropped(line.number, line.text, reason))

    # ------------------------------------------------------------------ one page

    def read_page(self, page: pages_mod.Page, furniture: dict[int, str], start: int) -> None:
        self.page = page.index
        self.seen_labels = set()
        self.reordered_until = 0
        self.skip = set(furniture)
        self.note_block: notes_mod.NoteBlock | None = None
        members = [i for i in page.numbers if self.lines[i].text]
        end = self.editor_pieces(members, furniture) if self.two_column else frozenset()
        if self.two_column and page.index != self.title_page:
            members = pages_mod.deinterleave(members, furniture, self.note_like, self.first_label, end)
        k = 0
        while k < len(members):
            i = members[k]
            line = self.lines[i]
            if i in self.consumed:
                k += 1
                continue
            if i == start:
                k = self.front_matter(members, k, furniture)
                if self.two_column:  # below the title block the page is in two columns
                    rest = [i for i in members[k:] if i not in self.consumed]
                    members[k:] = pages_mod.deinterleave(rest, furniture, self.note_like, self.first_label, end)
                continue
            if i in furniture:
                self.doc.chrome.append(Dropped(line.number, line.text, furniture[i]))
                k += 1
                continue
            if start >= 0 and i < start:
                self.doc.chrome.append(Dropped(line.number, line.text, "masthead before the article title"))
                k += 1
                continue
            adjacent = k > 0 and members[k - 1] == i - 1
            if self.note_block is not None:
                self.note_block.add(line.number, notes_mod.letter_form(line.raw, line.text), line.width, adjacent,
                                    display_width)
                k += 1
                continue
            if not self.references and (self.starts_notes(line) or self.tail_before_notes(members, k)):
                self.flush_pending_into_body()
                self.note_block = notes_mod.NoteBlock(self.full, display_width)  # width set by place_all_notes
                self.note_block.add(line.number, notes_mod.letter_form(line.raw, line.text), line.width, False,
                                    display_width)
                k += 1
                continue
            self.reorder_row(members, k)
            k = self.body(members, k, furniture)
        if self.note_block is not None:
            self.note_blocks.append((self.page, self.note_block))
        self.flush_pending_into_body()

    def editor_pieces(self, members: list[int], furniture: dict[int, str]) -> frozenset[int]:
        """The lines of the editor line on a page, as printed: its first piece (the mark) and,
        when that piece opens a bracket it does not close, the short fragments after it up to
        the one that closes it (lines of the other column between them are passed over; a
        fragment has no punctuation but brackets and is no note label). A bracket that does not
        close within a few lines: the first piece alone."""
        for k, i in enumerate(members):
            text = self.lines[i].text
            if i in furniture or not _EDITOR.match(text):
                continue
            if not _OPEN_BRACKET.match(text) or _CLOSE_BRACKET.search(text):
                return frozenset([i])
            pieces = [i]
            for j in members[k + 1:k + 1 + EDITOR_LOOKAHEAD]:
                line = self.lines[j]
                if (j in furniture or line.width > EDITOR_PIECE or _PIECE_PUNCT.search(line.text)
                        or notes_mod.label_of(line.text)):
                    continue
                pieces.append(j)
                if _CLOSE_BRACKET.search(line.text):
                    return frozenset(pieces)
            return frozenset([i])
        return frozenset()

    def first_label(self, block: list[int]) -> int | None:
        """Position in its sequence of the first label that starts a line of ``block``."""
        for i in block:
            labelled = notes_mod.label_of(self.lines[i].text)
            if labelled:
                return notes_mod.label_value(labelled[0])
        return None

    def note_like(self, block: list[int]) -> str:
        """What a block of a two-column page is: "bare" (a label alone), "note" (it starts
        with a label, in Latin or with a lowercase Latin letter (a word or citation going on),
        or one of its lines is a label followed by the note text) or "body"."""
        first = self.lines[block[0]].text
        labelled = notes_mod.label_of(first)
        if labelled and not labelled[1] and len(block) == 1:
            return "bare"
        if (labelled or language_of(first) == "en" or first[:1].islower()
                or any(_SPACED_LABEL.match(self.lines[i].text) for i in block)):
            return "note"
        return "body"

    def starts_notes(self, line: Line) -> bool:
        labelled = notes_mod.split_label(notes_mod.letter_form(line.raw, line.text), display_width)
        if not labelled:
            return False
        label = notes_mod.canonical(labelled[0])
        if label == STAR and self.page != self.title_page:
            return False  # the star note is the title's, on the title page
        return notes_mod.is_first_label(labelled[0]) and label in self.seen_labels

    def reorder_row(self, members: list[int], k: int) -> None:
        """Put the fragments of one printed row back in order. ``pdftotext`` cuts a justified
        row after commas and sometimes prints the pieces in another order. Lines that follow one
        another at once, each short of a full line, together about one full line, are one row;
        every piece but the row's last ends at a cut (``，、：；``), so the one piece that does
        not must come last: the pieces after it are moved in front."""
        if k < self.reordered_until:
            return
        total, j = 0, k
        while j < len(members) and (j == k or members[j] == members[j - 1] + 1):
            line = self.lines[members[j]]
            if (line.width >= self.full * 0.95 or self.own_line_marker(line.text)
                    or notes_mod.label_of(line.text) or members[j] in self.skip):
                break
            total += line.width
            j += 1
            if total >= self.full * 0.85:
                break
        if j - k < 2 or not self.full * 0.85 <= total <= self.full * 1.12:
            return
        group = members[k:j]
        uncut = [n for n, i in enumerate(group) if not self.lines[i].text.endswith(ROW_CUTS)]
        if len(uncut) == 1 and uncut[0] != len(group) - 1:
            members[k:j] = group[uncut[0] + 1:] + group[:uncut[0] + 1]
            self.reordered_until = j

    def tail_before_notes(self, members: list[int], k: int) -> bool:
        """Lines printed right before the first note's label that are the tail of its first
        row (``pdftotext`` put them first): up to three short, unfinished lines, one right after
        the other, then the label's line; or one line when the label's head is a short
        fragment."""
        for m in range(1, 4):
            if k + m >= len(members) or members[k + m] != members[k + m - 1] + 1:
                return False
            line = self.lines[members[k + m - 1]]
            if line.width >= self.full - 8 or ends_sentence(line.text):
                break
            if self.starts_notes(self.lines[members[k + m]]):
                return True
        nxt = self.lines[members[k + 1]] if k + 1 < len(members) else None
        if nxt is None or members[k + 1] != members[k] + 1 or not self.starts_notes(nxt):
            return False
        head = notes_mod.split_label(notes_mod.letter_form(nxt.raw, nxt.text), display_width)[1]
        return bool(head) and display_width(head) < self.full * 0.5 and not notes_mod.ends_note(head)

    def place_all_notes(self) -> None:
        """The notes of every page, once the width of a full note line is known from all of
        them (one page's note block may hold mostly fragments)."""
        widths = sorted(row.width for _, block in self.note_blocks for row in block.rows)
        if widths:
            upper = widths[len(widths) // 2:]
            full = max(upper[len(upper) // 2], self.full)  # note lines are at least as wide as the body's
            for _, block in self.note_blocks:
                block.full = full
        for page, block in self.note_blocks:
            self.place_notes(page, block)

    def place_notes(self, page: int, block: notes_mod.NoteBlock) -> None:
        for note in block.finish():
            text = tidy_spaces(restore_year_ranges(join_with_offsets(note.pieces)[0]))
            text, changed = links.repair_urls(text, self.glyph_map)
            for original, _ in changed:
                self.doc.chrome.append(Dropped(note.line, original,
                                               "URL as printed (broken); the note links the repaired URL"))
            label = note.label
            if note.unsure and label:
                # the lines of this page's notes could not be told apart: kept as notes
                # without a marker (their label in front) rather than linked to a wrong marker
                text, label = f"{label} {text}", ""
            self.doc.raw_notes.append(RawNote(label, text, note.line, page, language_of(text)))

    # ------------------------------------------------------------------ front matter

    def front_matter(self, members: list[int], k: int, furniture: dict[int, str]) -> int:
        """Title, byline, abstract and fields, from the title line to the first heading or
        note block of the title page. Returns the next position in ``members``."""
        title_key = pages_mod.squeeze(self.source.meta.title_zh)
        printed, got, star = [], "", None
        title_line = self.lines[members[k]].number
        while k < len(members):
            line = self.lines[members[k]]
            text = line.text
            bare = text.rstrip(notes_mod.STARS + " ")
            if text in notes_mod.STARS and printed and star is None:
                star = text
                k += 1
                continue
            squeezed = pages_mod.squeeze(bare)
            if printed and (not squeezed or not title_key.startswith(got + squeezed)):
                break
            printed.append(bare)
            got += squeezed
            if bare != text and star is None:
                star = text[len(bare):].strip()
            k += 1
            if got == title_key:
                if star is None and k < len(members) and self.lines[members[k]].text in notes_mod.STARS:
                    star = self.lines[members[k]].text  # the marker on a line of its own after the title
                    k += 1
                break
        if star is not None:
            self.mark_title(printed, star, title_line)
        else:
            self.doc.metadata_lines.append(" ".join(printed))
        abstract: _Para | None = None
        fields_started = False
        while k < len(members):
            i = members[k]
            line = self.lines[i]
            text = line.text
            if i in furniture:
                self.doc.chrome.append(Dropped(line.number, text, furniture[i]))
                k += 1
                continue
            if text in notes_mod.STARS and abstract is None and not fields_started:
                self.doc.chrome.append(Dropped(line.number, text, "star beside the byline (the title note has its marker)"))
                k += 1
                continue
            if self.starts_notes(line):
                break
            if self.heading_at(members, k, check=True) or self.numeral_heading(members, k, check=True):
                if fields_started:
                    self.keywords_after(members, k, furniture)
                break
            if _ABSTRACT.search(text) and abstract is None and not fields_started:
                abstract = _Para(line.number, self.page, kind="quote")
                metadata = self.doc.metadata_lines
                heads = [n for n in range(max(0, len(metadata) - 3), len(metadata)) if _LABEL_HEAD.match(metadata[n])]
                if _LABEL_TAIL.match(text) and heads:
                    text = metadata.pop(heads[-1]) + text  # the label printed in two fragments: ［摘 … 要］
                abstract.pieces.append(tidy_spaces(text))
            elif _KEYWORDS.match(text) or fields_started or (abstract is None and line.width <= 16):
                fields_started = fields_started or bool(_KEYWORDS.match(text))
                self.doc.metadata_lines.append(join_letter_spaced(line.raw))
            elif abstract is not None:
                abstract.pieces.append(tidy_spaces(text))
            else:
                break
            k += 1
        if abstract is not None:
            self.para = abstract
            self.flush()
        self.join_split_names()
        return k

    def join_split_names(self) -> None:
        """A name printed letter-spaced comes out one character per line (``李`` ⏎ ``冰``):
        runs of one-character header lines are joined."""
        joined: list[str] = []
        single = False  # the last line began as one character
        for text in self.doc.metadata_lines:
            one = bool(_ONE_HAN.match(text))
            if one and single:
                joined[-1] += text
            else:
                joined.append(text)
                single = one
        self.doc.metadata_lines[:] = joined

    def keywords_after(self, members: list[int], k: int, furniture: dict[int, str]) -> None:
        """Keywords printed on the row of the first heading (two columns: the heading sits in
        the left column under the keyword row) come right after it as short words without
        punctuation; they join the keywords."""
        for i in members[k + 1:k + 1 + KEYWORD_LOOKAHEAD]:
            text = self.lines[i].text
            if (self.lines[i].width <= 12 and not _PUNCT_OR_LABEL.search(text) and i not in furniture
                    and re.search(r"[^\W\d_]", text) and not _CHINESE_NUMBERED.match(text)):
                self.doc.metadata_lines.append(text)
                self.consumed.add(i)

    def mark_title(self, printed: list[str], star: str, line: int) -> None:
        """The printed title as the first block, with the title note's marker after it (the
        marker needs text to stand after; the page's heading is the metadata title)."""
        self.seen_labels.add(STAR)
        text = tidy_spaces("".join(printed) if all(_is_wide_end(p) for p in printed[:-1]) else " ".join(printed))
        self.doc.chrome.append(Dropped(line, star, "title note marker (the page shows the note's number)"))
        self.doc.blocks.append(Block("paragraph", [Text(text), Marker(star, self.page)], lang=language_of(text),
                                     line=line, page=self.page))

    # ------------------------------------------------------------------ body

    def body(self, members: list[int], k: int, furniture: dict[int, str]) -> int:
        line = self.lines[members[k]]
        text = line.text
        own = self.own_line_marker(text)
        if own:
            if _BRACKET_MARKER.match(own):
                digits = _BRACKET_MARKER.match(own).group(1)
                self.doc.chrome.append(Dropped(line.number, own.replace(digits, "").replace(" ", ""),
                                               "brackets of a superscript reference number (the page shows a note link)"))
            self.pending.append(own)
            self.seen_labels.add(notes_mod.canonical(own))
            return k + 1
        if _EDITOR.match(text):
            return self.editor_line(members, k, furniture)
        if notes_mod.REFERENCE_HEADING.match(text.replace(" ", "")):
            self.close_block()
            self.add_heading(heading_text(line.raw).replace(" ", ""), line.number, 1)
            self.references = True
            return k + 1
        if self.references:
            return self.reference(members, k)
        end = self.numeral_heading(members, k)
        if end:
            return end
        end = self.heading_at(members, k)
        if end:
            return end
        end = self.cells(members, k)
        if end:
            return end
        if _CAPTION.match(text) or _SOURCE_LINE.match(text):
            self.flush()
            self.para = _Para(line.number, self.page, last_page=self.page, apart=True)
            self.body_line(line, members, k)
            self.para.hold = bool(_CAPTION.match(text)) and len(text) <= 4
            return k + 1
        self.body_line(line, members, k)
        return k + 1

    def cells(self, members: list[int], k: int) -> int:
        """Four or more short lines in a row: the cells of a table or the labels of a chart,
        printed one per line; dropped with a reason (the table is not rebuilt)."""
        j = k
        while j < len(members) and self.is_cell(self.lines[members[j]]):
            j += 1
        if j - k < CELL_RUN:
            return 0
        self.close_block()
        for i in members[k:j]:
            line = self.lines[i]
            self.doc.chrome.append(Dropped(line.number, line.text, "table or chart text printed one cell per line"))
        return j

    def is_cell(self, line: Line) -> bool:
        text = line.text
        return (line.width < self.full * 0.3 and not self.own_line_marker(text) and not _CAPTION.match(text)
                and not _NUMERAL_ALONE.match(text) and not notes_mod.label_of(text)
                and not _CHINESE_NUMBERED.match(text))

    def own_line_marker(self, text: str) -> str | None:
        bracket = _BRACKET_MARKER.match(text)
        if bracket:
            return text
        if len(text) == 1 and (text in CIRCLED or (text in notes_mod.STARS and self.page == self.title_page)):
            return text
        return None

    def editor_line(self, members: list[int], k: int, furniture: dict[int, str]) -> int:
        """The journal's editor line, possibly printed in fragments, goes to the header block.
        A note label printed among its fragments is left for the note block after it."""
        self.close_block()
        start, pieces, labels = k, [], []
        while k < len(members) and len(pieces) < 6:
            i = members[k]
            k += 1
            if notes_mod.label_of(self.lines[i].text) or i in furniture:
                labels.append(i)
                continue
            if pieces and self.lines[i].width > EDITOR_PIECE:
                k -= 1  # running text: the editor line ended (its closing bracket is elsewhere)
                break
            pieces.append(i)
            if _CLOSE_BRACKET.search(self.lines[i].text):
                break
        members[start:k] = pieces + labels
        self.doc.metadata_lines.append(" ".join(self.lines[i].text for i in pieces))
        return start + len(pieces)

    def reference(self, members: list[int], k: int) -> int:
        line = self.lines[members[k]]
        entry = notes_mod.reference_entry(line.text)
        if entry:
            self.doc.raw_notes.append(RawNote(entry[0], entry[1], line.number, 0, language_of(entry[1])))
            label = re.sub(r"[\d\s]", "", line.text[:len(line.text) - len(entry[1])])
            if label.strip(CIRCLED):
                self.doc.chrome.append(Dropped(line.number, label,
                                               "brackets of a reference number (the list shows the number)"))
        elif self.doc.raw_notes and self.doc.raw_notes[-1].page == 0:
            last = self.doc.raw_notes[-1]
            last.text = join_with_offsets([last.text, line.text])[0]
        else:
            self.doc.raw_notes.append(RawNote("", line.text, line.number, 0, language_of(line.text)))
        return k + 1

    def heading_at(self, members: list[int], k: int, check: bool = False) -> int:
        """A numbered heading line (``一、…``, ``（一）…``); with ``check`` only tells whether."""
        line = self.lines[members[k]]
        text = tidy_spaces(_PAREN_SPACE.sub(lambda m: f"（{m.group(1)}）", heading_text(line.raw)))
        if not _CHINESE_NUMBERED.match(text):
            return 0
        level = heading_level(text)
        if not level or re.search("[。！？]", text) or line.width > 60:
            return 0
        if self.para and self.para.hold:
            return 0
        if self.para and self.para.last and not ends_sentence(self.para.last.text) and level >= 3:
            return 0
        end = k + 1
        if end < len(members) and self.heading_goes_on(text, self.lines[members[end]]):
            text += self.lines[members[end]].text
            end += 1
        if not check:
            self.close_block()
            self.add_heading(text, line.number, level)
        return end

    def heading_goes_on(self, text: str, nxt: Line) -> bool:
        """A heading wrapped onto a second, short line (narrow columns): the heading does not
        end in punctuation and the next line is short, unpunctuated and no heading itself."""
        return (not re.search(r"[。！？：:，,；;）)”]$", text) and 0 < nxt.width < self.full * 0.6
                and not re.search(r"[。！？，,；;：:]", nxt.text) and not _CHINESE_NUMBERED.match(nxt.text)
                and not notes_mod.label_of(nxt.text) and not self.own_line_marker(nxt.text)
                and len(text) + len(nxt.text) <= 40)

    def numeral_heading(self, members: list[int], k: int, check: bool = False) -> int:
        """``一`` alone on a line, then a short title line: one heading."""
        line = self.lines[members[k]]
        if not _NUMERAL_ALONE.match(line.text) or k + 1 >= len(members):
            return 0
        title = self.lines[members[k + 1]]
        if title.width > 60 or re.search("[。！？]$", title.text) or notes_mod.label_of(title.text):
            return 0
        if not check:
            self.close_block()
            self.add_heading(f"{line.text} {title.text}", line.number, 2)
        return k + 2

    def add_heading(self, text: str, line: int, numbering: int) -> None:
        level = nested_level(self.heading_stack, numbering)
        self.doc.blocks.append(Block("heading", [Text(text)], level=min(level, 6), lang=language_of(text),
                                     line=line, page=self.page))

    def paragraph_ended(self) -> bool:
        para = self.para
        if para is None or para.last is None:
            return True
        if para.hold:
            return False
        if para.apart:  # a caption or a source line ends with its first full stop
            last = para.last.text.rstrip()
            return ends_sentence(last) and (last.endswith(("。", "！", "？")) or para.last.width <= self.full - 4)
        return ends_sentence(para.last.text) and para.last.width <= self.full - 4

    def body_line(self, line: Line, members: list[int], k: int) -> None:
        text = tidy_spaces(restore_year_ranges(line.text))
        if self.para and self.para.kind != "paragraph":
            self.flush()
        if self.para and self.para.pieces and self.paragraph_ended():
            self.flush()
        if not self.para:
            self.para = _Para(line.number, self.page, last_page=self.page)
        para = self.para
        if para.last_page != self.page:
            para.breaks.append((len(para.pieces), 0, self.page))
        piece = len(para.pieces)
        # letter markers ("任务。a") are left in the text for the footnote stage's pattern search
        self.seen_labels.update(m.group() for m in MARKER_PATTERNS["letter"].finditer(text))
        out = []
        for char in text:
            if char in CIRCLED or (char in notes_mod.STARS and not out and self.page == self.title_page):
                para.marks.append((piece, len("".join(out)), (char, self.page)))
                self.seen_labels.add(notes_mod.canonical(char))
            else:
                out.append(char)
        body = "".join(out).strip()
        shift = len("".join(out)) - len("".join(out).lstrip())
        para.marks = [(p, min(len(body), max(0, o - shift)), m) if p == piece else (p, o, m)
                      for p, o, m in para.marks]
        held = bool(self.pending) and self.marker_host(members, k) == k
        jumped = bool(self.pending) and not held
        if held:
            for label in self.pending:
                para.marks.append((piece, len(body), (label, self.page)))
            self.pending = []
        para.pieces.append(body)
        para.last = line
        para.last_page = self.page
        follows = k + 1 < len(members) and members[k + 1] == members[k] + 1
        # a row whose pieces came out of order goes on after its host piece (the piece
        # printed first, cut at a comma, ends the row)
        para.hold = ((held or jumped) and follows) or (held and self.row_jumped)
        self.row_jumped = jumped or (self.row_jumped and not held)

    def marker_host(self, members: list[int], k: int) -> int:
        """Where a superscript printed on a line of its own goes: at the end of the line after
        it; but when that line is a piece of a row cut at a comma, at the end of the first
        piece of the same row (lines one right after the other) that ends a sentence (a
        marker follows the sentence it annotates)."""
        if not self.lines[members[k]].text.endswith(ROW_CUTS):
            return k
        for j in range(k + 1, min(k + 3, len(members))):
            line = self.lines[members[j]]
            if members[j] != members[j - 1] + 1 or self.own_line_marker(line.text):
                break
            if ends_sentence(line.text):
                return j
        return k

    def flush_pending_into_body(self) -> None:
        """Markers on their own line with no row after them (a note block, a heading or the
        page's end follows): they end the text before them."""
        if not self.pending:
            return
        if self.para and self.para.pieces:
            for label in self.pending:
                self.para.marks.append((len(self.para.pieces) - 1, len(self.para.pieces[-1]), (label, self.page)))
        else:
            last = next((b for b in reversed(self.doc.blocks) if b.kind in ("paragraph", "quote")), None)
            if last is not None:
                last.inlines.extend(Marker(label, self.page) for label in self.pending)
            else:
                for label in self.pending:
                    self.doc.chrome.append(Dropped(0, label, "superscript marker with no text before it"))
        self.pending = []

    def close_block(self) -> None:
        """End the block being built, with any marker still waiting for its row."""
        self.flush_pending_into_body()
        self.flush()

    def flush(self) -> None:
        para, self.para = self.para, None
        if not para or not para.pieces:
            return
        text, starts = join_with_offsets(para.pieces)
        points = [(starts[p] + o if p < len(starts) else len(text), ("mark", m)) for p, o, m in para.marks]
        points += [(starts[p] + o if p < len(starts) else len(text), ("page", pg)) for p, o, pg in para.breaks]
        text, points = self.repair_urls(text, points, para.line)
        marks = sorted((o, m) for o, (kind, m) in points if kind == "mark")
        breaks = [(o, pg) for o, (kind, pg) in points if kind == "page"]
        inlines, last = [], 0
        for offset, (label, page) in marks:
            if offset > last:
                inlines.extend(links.linkify(text[last:offset]))
            inlines.append(Marker(label, page))
            last = max(last, offset)
        if last < len(text):
            inlines.extend(links.linkify(text[last:]))
        page = para.page
        while breaks and breaks[0][0] == 0:
            page = breaks.pop(0)[1]
        self.doc.blocks.append(Block(para.kind, inlines, lang=language_of(text), line=para.line, page=page,
                                     page_breaks=breaks))

    def repair_urls(self, text: str, points: list[tuple[int, int]], line: int) -> tuple[str, list[tuple[int, int]]]:
        """Broken URLs repaired (page breaks moved with the text); each changed one listed as printed."""
        text, changed, points = links.repair_urls_at(text, points, self.glyph_map)
        for original, _url in changed:
            self.doc.chrome.append(Dropped(line, original, "URL as printed (broken); the link shows the repaired URL"))
        return text, points


_TOKEN = re.compile(r"\S+")
_WIDE_TOKEN = re.compile(r"^[\u3000-\u9fff\uff00-\uffef]+$")


def join_letter_spaced(raw: str) -> str:
    """A front-matter line with its letter-spaced runs re-joined (``关 键 词`` -> ``关键词``) but
    the spaces between words kept (``海外安全 政治风险``): the space between two Chinese
    tokens goes when one of them is a single character."""
    tokens = _TOKEN.findall(raw)
    out = tokens[:1]
    for before, token in zip(tokens, tokens[1:]):
        wide = _WIDE_TOKEN.match(before[-1]) and _WIDE_TOKEN.match(token[0])
        if wide and (len(before) == 1 or len(token) == 1):
            out[-1] += token
        else:
            out.append(token)
    return " ".join(out)


_CJK = HAN
_CLOSING = "，。、；：？！”’）》」』】〕"
_OPENING = "“‘（《「『【〔"
_PUNCT_SPACE = re.compile(f"[ \t]+(?=[{_CLOSING}])|(?<=[{_OPENING}])[ \t]+"
                          f"|(?<=[{_CJK}])[ \t]+(?=[{_OPENING}])|(?<=[{_CLOSING}])[ \t]+(?=[{_CJK}])")


def tidy_spaces(text: str) -> str:
    """Spaces a PDF puts around Chinese punctuation dropped (``某某问题 ”`` -> ``某某问题”``,
    ``实现 “某事”`` -> ``实现“某事”``); spaces between Latin words stay."""
    return _PUNCT_SPACE.sub("", text) if " " in text or "\t" in text else text


def _is_wide_end(text: str) -> bool:
    return bool(text) and display_width(text[-1]) == 2


def read(source: Source, ctx: ReadContext) -> Document | None:
    """The paged reading of a text with form feeds, or with page breaks recovered from its page
    numbers when it lost them (``pages_mod.inferred_breaks``; the metadata's ``pages``, which
    counts PDF pages, is then not used); None when neither."""
    feeds = form_feed_lines(source)
    inferred = not feeds
    if inferred:
        feeds = pages_mod.inferred_breaks([Line(n, raw) for n, raw in enumerate(source.lines, 1)])
        if not feeds:
            return None
    return PagedReader(source, ctx, feeds, inferred).run()
