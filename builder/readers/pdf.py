"""Reader for journal articles given as PDF: the page layout decides what each printed row is.

What this reader may do: read the PDF's characters with their fonts, sizes and positions
(``pdf_layout``), decide for every printed row whether it is page chrome, front matter, a
heading, body text, a note, or the text of a table or figure, re-join rows into paragraphs and
notes, and hand over the note markers it sees as ``Marker`` inlines. It never drops a
character: every row ends up in a block, a note, the header block (``metadata_lines``), the
tables-and-figures list (back matter) or the chrome list with a reason.

**Extracted text and line numbers.** The document's ``source_text`` is the text this reader
extracted: one line per printed row, pages in order, rows in reading order (columns left then
right), a raised superscript written where it sits in its row, characters normalised as for
text sources (full-width letters and digits folded, the metadata's ``private_use`` map
applied). Line numbers of blocks, notes and chrome entries count lines of that text
(synthetic line numbers, 1-based); conservation is counted against it.

Layout rules (general, from the geometry; no rule names a document's words):

- **Body font**: the most common character size (weighted by characters) is the body size; the
  most common font at that size the body font. Smaller means at most 0.9 of it.
- **Chrome**: rows in the top or bottom 15 % of the page whose text (digits ignored) repeats on
  three or more pages at about the same height (running heads and footers), rows there that are
  only a page number, rows anywhere repeated at one place on half the pages (watermarks, download
  stamps), rows wholly beside the text block (vertical margin labels), and text printed outside
  the page.
- **Article pages**: pages before the one whose large type prints the title (the metadata's) are
  cover pages; trailing pages with no row in the body font are not the article's (another
  article's contents or abstracts) unless their notes go on with the article's note labels.
  Both kinds go to chrome with their reason. A page range in the metadata (``pages: 2-23``)
  overrides the recognition.
- **Columns**: a gutter near the middle of the text that a band of the page never crosses, with
  aligned text columns on either side (``pdf_layout.find_columns``); read the rows above the band,
  the left column, the right column, then the rows below.
- **Notes**: the run of smaller rows at the bottom of each column, from the first row that
  starts with a note label (①, ∗/*, ［n］, [n], a raised label, a number followed by a space);
  rows without a label at its top go on with the previous page's last note when they are set
  close above the first labelled one, or when that note did not end a sentence. Notes split at
  their labels (also inside a row: short notes side by side). Labels that occur once in the
  document (a reference list numbered through, a single funding note) are document-wide notes
  (page 0); repeated labels and circled numbers (restarting on each page by convention) belong
  to their page.
- **Markers**: raised smaller fragments in a row (``pdf_layout.attach_superscripts``) whose text is
  a marker (circled numbers, ∗ * †, bracketed numbers, digits and letters when a note has that
  label) become ``Marker(label, page)`` at their exact position, and so do superscript digit
  characters (¹²) when a note has that label. A raised group of reference numbers (``［3-5］``,
  ``［3，7］``) is one marker per number when each has a note. Nothing else is a marker.
- **Front matter** (the title page, before the first heading or body-font row): the title rows
  (large type) and every field (a labelled one: keywords, author notes, classification numbers;
  or rows of one size set close together: a byline, a masthead line) go to the header block; the longest field is the abstract, kept as a quote block. When a note marker
  is raised on the title (a funding note), the printed title is the first block with the marker
  after it; the note of a marker raised on the byline goes to the header block with it.
- **Headings**: rows at least 1.1 times the body size, or short standalone rows in another font
  than the body's that end no sentence, or short rows in the body font numbered as a section
  (一、, （一）) followed by a paragraph start; consecutive heading rows of one size are one heading.
  Levels from the numbering (``structure.heading_level``), else from the size.
- **Paragraphs**: body rows re-joined in reading order across columns and pages; a row indented
  by about an em from its column's left edge starts a paragraph, so does a row after one that
  ends a sentence short of the right edge. Page breaks inside a paragraph are recorded.
- **Tables and figures**: smaller rows that are not notes, rows of several cells (fragments apart
  by a wide gap) and caption rows (``表 1``, ``图 2``, ``Table``, ``Figure``) form regions listed
  under back matter, out of the paragraphs. A region of two or more smaller rows that mostly fill
  the column, with no caption and no cells, is running text: a quotation block in its place.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .. import links
from ..diagnostics import Diagnostics
from ..errors import SourceError
from ..footnotes import CIRCLED, SUPERSCRIPT_DIGITS, normalize_label
from ..models import BackMatter, Block, Document, Dropped, Marker, RawNote, Text
from ..normalize import is_cjk, normalize_characters, tighten_cjk_spaces
from ..structure import heading_level
from . import pdf_layout
from .common import ReadContext, Source, language_of
from .pdf_layout import Page, Raised, Row

SMALL = 0.9  # rows at most this share of the body size are "smaller"
LARGER = 1.1  # headings: at least this share
MARGIN = 0.15  # share of the page height at the top and at the bottom where chrome is looked for
SENTENCE_END = "。！？….!?：:"
CLOSERS = "”’」』）)》"

_MARK = f"[{CIRCLED}]|[∗*＊†‡]|[\\[［【〔]\\s*\\d{{1,3}}\\s*[\\]］】〕]|[{SUPERSCRIPT_DIGITS}]+|\\d{{1,3}}|[a-z]"
MARKER_TOKEN = re.compile(_MARK)
MARKERS_ONLY = re.compile(f"^(?:\\s*(?:{_MARK}))+\\s*$")
ALWAYS_MARKER = re.compile(f"^(?:[{CIRCLED}]|[∗*＊†‡]|[\\[［【〔]\\s*\\d{{1,3}}\\s*[\\]］】〕])$")
NOTE_LABEL = re.compile(
    f"^\\s*([{CIRCLED}]|[∗*＊†‡]|[\\[［【〔]\\s*\\d{{1,3}}\\s*[\\]］】〕]|[{SUPERSCRIPT_DIGITS}]{{1,3}}"
    f"|\\d{{1,3}}(?=[\\s.．、)）]))\\s*")
PAGE_NUMBER = re.compile(r"^[\s\-–—|·•]*\d{1,4}[\s\-–—|·•]*$")
CAPTION = re.compile(r"^\s*(?:[表图]\s*\d|(?:Table|Figure|Fig\.)\s*\d)", re.I)
FIELD_LABEL = re.compile(r"^\s*(?:[\[［【〔][^\]］】〕]{1,12}[\]］】〕]|[^\s:：。，,]{2,8}\s*[:：])")
ENCLOSED = re.compile(r"^[（(［\[【〔].*[）)］\]】〕]$")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_SUP_DIGITS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
BRACKET_GROUP = re.compile(r"^\s*([\[［【〔])\s*(\d{1,3}(?:\s*[-–—~～,，、]\s*\d{1,3})+)\s*([\]］】〕])\s*$")


@dataclass
class _Note:
    raw_label: str  # as printed ("［ 1 ］" without its spaces)
    label: str  # normalised
    parts: list[str]  # its text, row by row
    line: int
    page: int


@dataclass
class _Para:
    kind: str
    page: int
    line: int
    inlines: list = field(default_factory=list)
    breaks: list[tuple[int, int]] = field(default_factory=list)
    last: Row | None = None
    first: Row | None = None
    length: int = 0


def read(source: Source, ctx: ReadContext) -> Document:
    """The document of a PDF. One that cannot be read (damaged, encrypted, a scan without text)
    is a warning naming the file and an empty document, so the rest of the library builds
    (``--strict`` fails on it)."""
    try:
        pages = pdf_layout.read_pdf(source.data, source.meta.text_path)
    except SourceError as exc:
        ctx.diag.warn("source.unreadable", source.meta.text_path, exc.message)
        return Document(meta=source.meta)
    return read_pages(source, ctx, pages)


def read_pages(source: Source, ctx: ReadContext, pages: list[Page]) -> Document:
    """The document of pages already read (tests give synthetic pages here)."""
    return _Reader(source, ctx, pages).run()


class _Reader:
    def __init__(self, source: Source, ctx: ReadContext, pages: list[Page]) -> None:
        self.source, self.ctx, self.meta = source, ctx, source.meta
        self.doc = Document(meta=source.meta)
        self.pages = pages
        self.quiet = Diagnostics()
        self.rows_by_page: dict[int, list[Row]] = {}
        self.texts: dict[int, list] = {}  # id(row) -> normalised pieces
        self.body_size = 10.0
        self.body_font = ""
        self.note_pages: dict[str, bool] = {}
        self.note_labels: set[str] = set()
        self.heading_levels: dict[float, int] = {}
        self.edges: dict[tuple[int, int], tuple[float, float]] = {}
        self.heading_sizes: set[float] = set()
        self.front_labels: set[str] = set()  # labels of markers raised on the title or byline
        self.body_labels: set[str] = set()  # labels of the markers of the body

    # ------------------------------------------------------------------ driver

    def run(self) -> Document:
        self.layout()
        self.number_rows()
        rows = [r for p in self.pages for r in self.rows_by_page[p.number]]
        self.mark_outside(rows)
        self.mark_chrome(rows)
        self.mark_side_margins(rows)
        first, last = self.article_pages()
        notes = self.find_notes(first, last)
        self.scope_notes(notes)
        self.front_matter(first)
        self.body(first, last)
        self.emit_notes(notes)
        self.emit_dropped(rows)
        return self.doc

    # ------------------------------------------------------------------ layout

    def layout(self) -> None:
        sizes: Counter = Counter()
        for page in self.pages:
            for g in page.glyphs:
                sizes[round(g.size, 1)] += 1
        total = sum(sizes.values())
        if total:  # the largest size holding a fifth of the characters (notes may hold more)
            common = [s for s, n in sizes.items() if n >= 0.2 * total] or [max(sizes, key=sizes.get)]
            self.body_size = max(common)
        fonts = Counter(_base_font(g.font) for p in self.pages for g in p.glyphs
                        if abs(g.size - self.body_size) <= 0.05 * self.body_size)
        self.body_font = fonts.most_common(1)[0][0] if fonts else ""
        for page in self.pages:
            fragments = pdf_layout.attach_superscripts(pdf_layout.fragments_of(page.glyphs))
            columns = pdf_layout.find_columns(fragments, self.body_size)
            self.rows_by_page[page.number] = pdf_layout.rows_of(fragments, page.number, columns) if fragments else []

    def number_rows(self) -> None:
        """Normalise every row's pieces and give it its line in the extracted text."""
        lines = []
        for page in self.pages:
            for row in self.rows_by_page[page.number]:
                pieces = []
                for piece in row.pieces:
                    if isinstance(piece, Raised):
                        pieces.append(Raised(piece.fragment, self.clean(piece.text)))
                    else:
                        pieces.append(self.clean(piece))
                self.texts[id(row)] = pieces
                lines.append(_line_text(pieces))
                row.line = len(lines)
        text = "\n".join(lines)
        normalize_characters(text, self.meta.private_use, self.meta.text_path, self.ctx.diag)  # warnings, once
        self.doc.source_text = text

    def clean(self, text: str) -> str:
        return normalize_characters(text, self.meta.private_use, self.meta.text_path, self.quiet)[0]

    def text_of(self, row: Row) -> str:
        return _line_text(self.texts[id(row)])

    def plain_of(self, row: Row) -> str:
        """The row's text without its raised pieces."""
        return "".join(p for p in self.texts[id(row)] if isinstance(p, str))

    # ------------------------------------------------------------------ chrome

    def mark_outside(self, rows: list[Row]) -> None:
        heights = {p.number: (p.width, p.height) for p in self.pages}
        for row in rows:
            width, height = heights[row.page]
            if row.bottom < 0 or row.top > height or row.x1 < 0 or row.x0 > width:
                row.kind = "outside"

    def mark_chrome(self, rows: list[Row]) -> None:
        """Running heads and footers (repeated in the margins) and page numbers."""
        heights = {p.number: p.height for p in self.pages}
        seen: dict[tuple[str, str], set[int]] = {}
        where: dict[tuple[str, str], list[float]] = {}
        candidates = []
        for row in rows:
            if row.kind:
                continue
            band = self.margin_band(row, heights[row.page])
            if not band:
                continue
            key = (band, _DIGITS.sub("#", _SPACES.sub("", self.text_of(row))))
            seen.setdefault(key, set()).add(row.page)
            where.setdefault(key, []).append(row.top / heights[row.page])
            candidates.append((row, key))
        self.mark_repeated(rows)
        needed = 3 if len(self.pages) > 4 else 2
        for row, key in candidates:
            text = self.text_of(row)
            if PAGE_NUMBER.match(text):
                row.kind = "chrome:page number"
            elif len(seen[key]) >= needed and not _labelled_note(text) and _close(where[key]):
                row.kind = "chrome:running head" if key[0] == "top" else "chrome:running footer"

    def mark_repeated(self, rows: list[Row]) -> None:
        """Rows printed at the same place with the same text (digits aside) on at least half
        of the pages, three at least, wherever on the page: a watermark or a download stamp."""
        places: dict[str, list[Row]] = {}
        for row in rows:
            if not row.kind:
                places.setdefault(_DIGITS.sub("#", _SPACES.sub("", self.text_of(row))), []).append(row)
        needed = max(3, len(self.pages) // 2)
        for same in places.values():
            if len({r.page for r in same}) < needed or _labelled_note(self.text_of(same[0])):
                continue
            heights = [r.top / self.pages[r.page - 1].height for r in same]
            lefts = [r.x0 / self.pages[r.page - 1].width for r in same]
            if _close(heights) and _close(lefts):
                for row in same:
                    row.kind = "chrome:repeated on most pages (a watermark or stamp)"

    def mark_side_margins(self, rows: list[Row]) -> None:
        """Rows wholly left or right of the text block (a vertical label in the margin, a side
        stamp): the text block is where the body-font rows are."""
        body = [r for r in rows if not r.kind and self.is_body_font(r) and r.glyph_count >= 4]
        if len(body) < 10:
            return
        lefts = sorted(r.x0 for r in body)
        rights = sorted(r.x1 for r in body)
        left, right = lefts[len(lefts) // 20], rights[-1 - len(rights) // 20]
        for row in rows:
            if not row.kind and (row.x1 < left - self.body_size or row.x0 > right + self.body_size):
                row.kind = "chrome:outside the text block (a label in the page margin)"

    def margin_band(self, row: Row, height: float) -> str:
        if row.bottom <= MARGIN * height:
            return "top"
        if row.top >= (1 - MARGIN) * height:
            return "bottom"
        return ""

    # ------------------------------------------------------------------ article pages

    def article_pages(self) -> tuple[int, int]:
        """First and last page of the article; the others are marked as chrome. The article
        goes on from its title page while a page has rows in the body font, continues the
        notes of the page before, or is followed by a page in the body font (a page that is all
        figure); the first page that does none of these ends it."""
        numbers = [p.number for p in self.pages]
        given = _page_range(str(getattr(self.meta, "pages", "") or ""), numbers[-1])
        if given:  # the editor's page range (metadata ``pages``) wins
            first, last = given
        else:
            first = self.title_page() or numbers[0]
            last = first
            for number in numbers[first:]:  # pages after the title page, while they go on with it
                if not (self.has_body_font(number) or self.continues_notes(number)
                        or number + 1 in self.rows_by_page and self.has_body_font(number + 1)):
                    break
                last = number
        for number in numbers:
            if number < first or number > last:
                reason = "cover page (before the article's first page)" if number < first else \
                    "page after the article (other material of the issue)"
                for row in self.rows_by_page[number]:
                    if not row.kind:
                        row.kind = "chrome:" + reason
        return first, last

    def title_page(self) -> int | None:
        """The page printing the metadata's title in the largest type (a cover sheet before the
        article may print it too, smaller); else the first page with type half again the body's."""
        title = _fold(self.meta.title_zh or self.meta.title_en)
        found: list[tuple[float, int]] = []
        for page in self.pages:
            for row in self.rows_by_page[page.number]:
                if row.kind or row.size < 1.3 * self.body_size:
                    continue
                text = _fold(self.plain_of(row))
                if len(text) >= 4 and title and (text in title or title in text):
                    found.append((-row.size, page.number))
        if found:
            return min(found)[1]
        for page in self.pages:
            if any(not r.kind and r.size >= 1.5 * self.body_size for r in self.rows_by_page[page.number]):
                return page.number
        return None

    def has_body_font(self, number: int) -> bool:
        return any(not r.kind and self.is_body_font(r) and r.glyph_count >= 4 for r in self.rows_by_page[number])

    def is_body_font(self, row: Row) -> bool:
        return abs(row.size - self.body_size) <= 0.05 * self.body_size and _base_font(row.font) == self.body_font

    def continues_notes(self, number: int) -> bool:
        """A trailing page whose first labelled row continues the numbered labels of the page
        before it in the same style (a reference list or notes running on)."""
        before = [v for v in map(self.label_value, self.rows_by_page.get(number - 1, [])) if v]
        if not before:
            return False
        style, value = before[-1]
        here = [v for v in map(self.label_value, self.rows_by_page[number]) if v and v[0] == style]
        return bool(here) and here[0][1] == value + 1

    def label_value(self, row: Row) -> tuple[str, int] | None:
        """(label style, number) of a row that starts with a numbered note label."""
        if row.kind:
            return None
        match = NOTE_LABEL.match(self.text_of(row))
        if not match:
            return None
        token = _SPACES.sub("", match.group(1))
        digits = re.sub(r"\D", "", normalize_label(token))
        style = re.sub(r"\d", "", token.translate(_SUP_DIGITS)) or "digit"
        return (style, int(digits)) if digits else None

    # ------------------------------------------------------------------ notes

    def is_small(self, row: Row) -> bool:
        return row.size <= SMALL * self.body_size

    def find_notes(self, first: int, last: int) -> list[_Note]:
        """The notes of every article page, in order. Rows at the top of a page's notes without
        a label go on with the previous page's last note."""
        notes: list[_Note] = []
        for number in range(first, last + 1):
            rows = [r for r in self.rows_by_page[number] if not r.kind]
            for column in sorted({r.column for r in rows}):
                block = self.bottom_block([r for r in rows if r.column == column])
                self.split_notes(block, notes)
        return notes

    def bottom_block(self, rows: list[Row]) -> list[Row]:
        """The smaller rows at the bottom of a column, from the first labelled one (or from the
        top of the run when it goes on with an unfinished note of the page before)."""
        block: list[Row] = []
        for row in reversed(rows):
            if not self.is_small(row):
                if not block and ENCLOSED.match(self.plain_of(row).strip()):
                    continue  # an editor's line in brackets below the last note stays in the flow
                break
            block.append(row)
        block.reverse()
        for index, row in enumerate(block):
            if self.starts_note(self.texts[id(row)]):
                tight = all(-0.5 * b.size <= b.top - a.bottom <= 1.0 * b.size
                            for a, b in zip(block[:index], block[1:index + 1]))
                tight = tight and all(self.fills_column(r) for r in block[:index - 1])  # running text
                # rows set close above the first labelled note finish the note before it
                return block if index and (self.continuing or self.had_notes and tight) else block[index:]
        return block if self.continuing else []

    def fills_column(self, row: Row) -> bool:
        """A row at least 70 % as wide as its column's text (left edge to the widest row)."""
        rows = [r for r in self.rows_by_page[row.page] if r.column == row.column]
        width = max(r.x1 for r in rows) - min(r.x0 for r in rows)
        return row.width >= 0.7 * width

    continuing = False  # the last note found so far ends without finishing its sentence
    last_number = 0  # the last bare-number note label found so far
    had_notes = False  # notes were found on an earlier page or column

    def starts_note(self, pieces: list) -> bool:
        """Pieces (of a row, or of a cell of a row) opening with a note label: raised, circled,
        starred or bracketed; a bare number only when it goes on with the bare-number labels
        before it (1 starts them again), so a wrapped note line that begins with a page number
        or a year is no note."""
        if pieces and isinstance(pieces[0], Raised):
            return True
        match = NOTE_LABEL.match(_line_text(pieces))
        if not match:
            return False
        number = _bare_number(match.group(1))
        return number is None or number in (1, self.last_number + 1)

    def cells(self, row: Row) -> list[list]:
        """A note row's pieces, split where a fragment after a wide gap opens another note (short
        notes set side by side on one row)."""
        cells: list[list] = []
        for cluster in pdf_layout.clusters(row.fragments):
            pieces = []
            for piece in pdf_layout.fragment_pieces(*cluster):
                if isinstance(piece, Raised):
                    piece.clean = self.clean(piece.text)
                    pieces.append(piece)
                else:
                    pieces.append(self.clean(piece))
            if cells and not self.starts_note(pieces):
                cells[-1].extend([" "] + pieces)
            else:
                cells.append(pieces)
        return cells

    def split_notes(self, block: list[Row], notes: list[_Note]) -> None:
        for row in block:
            row.kind = "note"
            for index, cell in enumerate(self.cells(row) if len(row.fragments) > 1 else [self.texts[id(row)]]):
                if self.starts_note(cell) or not notes:
                    raw_label, label, rest = self.note_label(cell)
                    notes.append(_Note(raw_label, label, [rest], row.line, row.page))
                    number = _bare_number(raw_label)
                    self.last_number = number if number is not None else self.last_number
                else:
                    notes[-1].parts.append(_line_text(cell))
        if notes and block:
            self.continuing = not _ends_sentence(notes[-1].parts[-1])
            self.had_notes = True

    def scope_notes(self, notes: list[_Note]) -> None:
        """Page-scoped labels: repeated ones and circled numbers (which restart on every page by
        convention, so a marker never takes another page's ① even when that is the only one);
        document-wide (page 0): the others, which occur once (a reference list, a funding note)."""
        labels = Counter(note.label for note in notes)
        for label, count in labels.items():
            self.note_pages[label] = count > 1 or label[:1] in CIRCLED
            if label:
                self.note_labels.add(label)

    def note_label(self, pieces: list) -> tuple[str, str, str]:
        """(label as printed, normalised label, the rest of the text) of a note's first pieces."""
        if pieces and isinstance(pieces[0], Raised):
            raw = _SPACES.sub("", pieces[0].clean)
            return raw, normalize_label(raw), _line_text(pieces[1:])
        text = _line_text(pieces)
        match = NOTE_LABEL.match(text)
        if not match or not self.starts_note(pieces):
            return "", "", text
        raw = _SPACES.sub("", match.group(1))
        return raw, normalize_label(raw), text[match.end():]

    def emit_notes(self, notes: list[_Note]) -> None:
        for note in notes:
            text = _join(note.parts)
            text, changed = links.repair_urls(text, self.meta.glyph_map)
            for original, _ in changed:
                self.doc.chrome.append(Dropped(note.line, original,
                                               "URL as printed (broken); the note links the repaired URL"))
            if note.label in self.front_labels and note.label not in self.body_labels:
                # the note of a marker on the title or byline (funding, acknowledgements): the
                # marker is in the header block, so the note goes there with it
                self.doc.metadata_lines.append(f"{note.raw_label} {text}")
                continue
            page = note.page if self.note_pages.get(note.label) else 0
            self.doc.raw_notes.append(RawNote(note.raw_label, text, note.line, page, language_of(text)))

    # ------------------------------------------------------------------ front matter

    def front_matter(self, first: int) -> None:
        """Title, bylines and labelled fields of the title page, up to the first heading or
        body-font row. The longest field is the abstract (a quote block)."""
        rows = [r for r in self.rows_by_page[first] if not r.kind]
        front: list[Row] = []
        for row in rows:
            if self.is_body_font(row) or (front and self.is_heading_row(row) and heading_level(self.plain_of(row))):
                break
            front.append(row)
        largest = max((r.size for r in front), default=0.0)
        title_rows = [r for r in front if r.size >= max(1.3 * self.body_size, 0.8 * largest)]
        self.front_labels = {normalize_label(p.clean) for r in front for p in self.texts[id(r)]
                             if isinstance(p, Raised) and MARKERS_ONLY.match(p.clean)}
        self.title_block(title_rows)
        fields: list[list[Row]] = []
        for row in front:
            row.kind = "front"
            if row in title_rows:
                continue
            if not fields or FIELD_LABEL.match(self.text_of(row)) or not _same_block(fields[-1][-1], row):
                fields.append([row])
            else:
                fields[-1].append(row)
        if not fields:
            return
        longest = max(fields, key=lambda f: sum(len(self.text_of(r)) for r in f))
        for rows_of_field in fields:
            if rows_of_field is longest and len(rows_of_field) >= 3:
                text = _join([self.text_of(r) for r in rows_of_field])
                self.doc.blocks.append(Block("quote", [Text(text)], lang=language_of(text),
                                             line=rows_of_field[0].line, page=rows_of_field[0].page))
            else:  # spaces kept: they separate keywords and names
                self.doc.metadata_lines.append(_join([self.text_of(r) for r in rows_of_field], tighten=False))

    def title_block(self, rows: list[Row]) -> None:
        """The title rows go to the header block; when a note marker is raised on the title (a
        funding note), the printed title is the first block with the marker after it, so the
        note keeps its place (the page's heading is the metadata's title)."""
        markers = [m for r in rows for p in self.texts[id(r)] if isinstance(p, Raised)
                   for m in self.markers_of(p.clean, r.page)]
        if not markers:
            self.doc.metadata_lines.extend(self.text_of(r) for r in rows)
            return
        text = _join([self.plain_of(r) for r in rows])
        self.doc.blocks.append(Block("paragraph", [Text(text), *markers], lang=language_of(text),
                                     line=rows[0].line, page=rows[0].page))

    # ------------------------------------------------------------------ body

    def body(self, first: int, last: int) -> None:
        flow = [r for n in range(first, last + 1) for r in self.rows_by_page[n] if not r.kind]
        self.learn_heading_levels(flow)
        edges = self.edges = self.column_edges(flow)
        para: _Para | None = None
        tables: list[list[Row]] = []
        index = 0
        while index < len(flow):
            row = flow[index]
            if self.is_table_row(row):
                region = [row]
                while index + len(region) < len(flow) and self.is_table_row(flow[index + len(region)]):
                    region.append(flow[index + len(region)])
                index += len(region)
                if self.is_quotation(region):
                    self.flush(para)
                    para = None
                    self.add_quotation(region)
                else:  # a table or figure: listed apart, the paragraph around it goes on
                    for table_row in region:
                        table_row.kind = "table"
                    tables.append(region)
                continue
            heading_rows = self.heading_rows(flow, index)
            if heading_rows:
                self.flush(para)
                para = None
                self.add_heading(heading_rows)
                index += len(heading_rows)
                continue
            row.kind = "body"
            left, right = edges.get((row.page, row.column), (row.x0, row.x1))
            if para is None or self.starts_paragraph(row, para.last, left, right, edges):
                self.flush(para)
                para = _Para("paragraph", row.page, row.line)
            self.append(para, row)
            index += 1
        self.flush(para)
        self.add_tables(tables)

    def is_quotation(self, region: list[Row]) -> bool:
        """Smaller rows that are running text, not a table or figure: two or more, no caption,
        no row of separate cells, most rows filling the column (a quotation set in smaller type)."""
        if len(region) < 2 or any(CAPTION.match(self.plain_of(r)) or len(pdf_layout.clusters(r.fragments)) > 1
                                  for r in region):
            return False
        full = 0
        for row in region[:-1]:  # the last row of running text may be short
            left, right = self.edges.get((row.page, row.column), (row.x0, row.x1))
            full += row.width >= 0.7 * max(right - left, 1)
        return full >= 0.7 * (len(region) - 1)

    def add_quotation(self, rows: list[Row]) -> None:
        para = _Para("quote", rows[0].page, rows[0].line)
        for row in rows:
            row.kind = "body"
            self.append(para, row)
        self.flush(para)

    def column_edges(self, flow: list[Row]) -> dict[tuple[int, int], tuple[float, float]]:
        """Left edge (most common start) and right edge (most common end) of the body rows of
        each column, on left-hand and right-hand pages apart (their margins may differ); keyed
        by (page, column)."""
        starts: dict[tuple[int, int], Counter] = {}
        ends: dict[tuple[int, int], Counter] = {}
        for row in flow:
            if abs(row.size - self.body_size) <= 0.1 * self.body_size:
                side = (row.page % 2, row.column)
                starts.setdefault(side, Counter())[round(row.x0)] += 1
                ends.setdefault(side, Counter())[round(row.x1)] += 1
        sides = {side: (_frequent_least(starts[side]), float(max(ends[side].most_common(3))[0])) for side in starts}
        return {(row.page, row.column): sides[(row.page % 2, row.column)]
                for row in flow if (row.page % 2, row.column) in sides}

    def starts_paragraph(self, row: Row, last: Row | None, left: float, right: float, edges) -> bool:
        if last is None:
            return True
        if row.x0 - left >= 0.8 * self.body_size:
            return True
        last_left, last_right = edges.get((last.page, last.column), (last.x0, last.x1))
        short = last.x1 < last_right - 1.5 * self.body_size
        return short and _ends_sentence(self.plain_of(last))

    def append(self, para: _Para, row: Row) -> None:
        if para.last is not None and (row.page != para.last.page):
            para.breaks.append((para.length, row.page))
        for piece in self.texts[id(row)]:
            if isinstance(piece, Raised):
                markers = self.markers_of(piece.clean, row.page, row.line)
                if markers:
                    para.inlines.extend(markers)
                    para.length += sum(len(m.label) for m in markers)
                    continue
                piece = piece.clean
            self.add_text_with_superscripts(para, piece, row.page)
        para.last = row
        para.first = para.first or row
        self.add_text(para, "\n")  # a line end, resolved when the next row is joined

    def add_text_with_superscripts(self, para: _Para, text: str, page: int) -> None:
        """Text, with superscript digit characters (¹²) as markers when a note has that label."""
        last = 0
        for match in SUPERSCRIPT_RUN.finditer(text):
            markers = self.markers_of(match.group(), page)
            if markers:
                self.add_text(para, text[last:match.start()])
                para.inlines.extend(markers)
                para.length += len(match.group())
                last = match.end()
        self.add_text(para, text[last:])

    def add_text(self, para: _Para, text: str) -> None:
        if para.inlines and isinstance(para.inlines[-1], Text):
            para.inlines[-1] = Text(para.inlines[-1].text + text)
        else:
            para.inlines.append(Text(text))
        para.length += len(text)

    def markers_of(self, text: str, page: int, line: int = 0) -> list[Marker]:
        """The markers a raised piece holds; [] when it is no marker (a raised word, an
        exponent, a number with no note of that label)."""
        group = BRACKET_GROUP.match(text)
        if group:
            return self.grouped_markers(group, text, page, line)
        if not MARKERS_ONLY.match(text):
            return []
        out = []
        for token in MARKER_TOKEN.findall(text):
            label = normalize_label(token)
            if not ALWAYS_MARKER.match(token) and label not in self.note_labels:
                return []
            out.append(Marker(token, page if self.note_pages.get(label) else 0))
        self.body_labels.update(normalize_label(m.label) for m in out)
        return out

    def grouped_markers(self, group: re.Match, text: str, page: int, line: int) -> list[Marker]:
        """``［3-5］``, ``［3，7］``: one marker per reference number when each has a note; the
        printed group is listed as chrome (its dash or comma is not shown)."""
        numbers = _expand_numbers(group.group(2))
        opening, closing = group.group(1), group.group(3)
        if not numbers or any(str(n) not in self.note_labels for n in numbers):
            return []
        out = [Marker(f"{opening}{n}{closing}", page if self.note_pages.get(str(n)) else 0) for n in numbers]
        self.body_labels.update(str(n) for n in numbers)
        self.doc.chrome.append(Dropped(line, text, "reference numbers printed as a range or list; "
                                                   "the page shows each as its own marker"))
        return out

    def flush(self, para: _Para | None) -> None:
        if para is None or not para.inlines:
            return
        inlines, breaks = _join_inlines(para.inlines, para.breaks)
        if not inlines:
            return
        text = "".join(n.text for n in inlines if isinstance(n, Text))
        if len(inlines) == 1 and para.first is para.last and ENCLOSED.match(text) and len(text) <= 40:
            self.doc.metadata_lines.append(text)  # an editor's or author's line standing alone
            return
        self.doc.blocks.append(Block(para.kind, inlines, lang=language_of(text), line=para.line,
                                     page=para.page, page_breaks=breaks))

    # ------------------------------------------------------------------ headings

    def is_heading_row(self, row: Row) -> bool:
        text = self.plain_of(row).strip()
        if not text or len(text) > 60 or _ends_sentence(text) and not text.endswith(("”", ")", "）")):
            return False
        if ENCLOSED.match(text):  # an editor's or author's line in brackets, not a heading
            return False
        if row.size >= LARGER * self.body_size:
            return True
        return _base_font(row.font) != self.body_font and abs(row.size - self.body_size) <= 0.1 * self.body_size

    def numbered_heading(self, flow: list[Row], index: int) -> bool:
        """A short standalone row in the body's own font numbered as a section (一、 （一）):
        a heading set in body type, when the row after it starts a paragraph."""
        row = flow[index]
        text = _heading_text(self.plain_of(row))
        if heading_level(text) not in (2, 3) or _ends_sentence(text) or self.is_small(row):
            return False
        left, right = self.edges.get((row.page, row.column), (row.x0, row.x1))
        if row.width > 0.6 * max(right - left, 1):
            return False
        if index + 1 == len(flow):
            return True
        after = flow[index + 1]
        after_left = self.edges.get((after.page, after.column), (after.x0, after.x1))[0]
        return after.x0 - after_left >= 0.8 * self.body_size or self.is_heading_row(after)

    def heading_rows(self, flow: list[Row], index: int) -> list[Row]:
        row = flow[index]
        if not (self.is_heading_row(row) or self.numbered_heading(flow, index)) or self.is_small(row):
            return []
        previous = flow[index - 1] if index else None
        if previous is not None and previous.kind == "body" and not _ends_sentence(self.plain_of(previous)) \
                and row.size < LARGER * self.body_size:
            return []
        rows = [row]
        while index + len(rows) < len(flow):
            nxt = flow[index + len(rows)]
            if not (nxt.page == row.page and abs(nxt.size - row.size) < 0.3 and nxt.font == row.font
                    and nxt.top - rows[-1].bottom < 1.0 * row.size and self.is_heading_row(nxt)):
                break
            rows.append(nxt)
        width_limit = 0.75 if row.size < LARGER * self.body_size else 1.0
        left, right = self.edges.get((row.page, row.column), (row.x0, row.x1))
        if row.size < LARGER * self.body_size and max(r.width for r in rows) > width_limit * max(right - left, 1):
            return []
        return rows

    def learn_heading_levels(self, flow: list[Row]) -> None:
        """Levels by size: sizes of numbered headings take their numbering's level; other heading
        sizes rank below the largest."""
        self.heading_sizes = {round(r.size, 1) for r in flow if self.is_heading_row(r)
                              and not self.is_small(r) and r.size >= LARGER * self.body_size}
        for row in flow:
            if self.is_heading_row(row) and row.size >= LARGER * self.body_size:
                level = heading_level(_heading_text(self.plain_of(row)))
                if level and row.size not in self.heading_levels:
                    self.heading_levels[row.size] = level

    def add_heading(self, rows: list[Row]) -> None:
        for row in rows:
            row.kind = "heading"
        parts = [self.texts[id(r)] for r in rows]
        text = _heading_text(_join([_line_text([p for p in pieces if isinstance(p, str)]) for pieces in parts],
                                   tighten=False))
        raised = [p.clean for pieces in parts for p in pieces if isinstance(p, Raised)]
        level = heading_level(text) or self.heading_levels.get(rows[0].size)
        larger = {size for size in self.heading_sizes if size > rows[0].size + 0.3}
        if level:  # never deeper than its size allows: the largest headings are top sections
            level = min(level, 2 + len(larger))
        else:  # unnumbered: the level of the nearest numbered heading size at or above its own
            at_or_above = sorted((size, lvl) for size, lvl in self.heading_levels.items() if size >= rows[0].size)
            level = at_or_above[0][1] if at_or_above else 2
        inlines = [Text(text)] + ([Text(" " + " ".join(raised))] if raised else [])
        self.doc.blocks.append(Block("heading", inlines, level=min(level, 6), lang=language_of(text),
                                     line=rows[0].line, page=rows[0].page))

    # ------------------------------------------------------------------ tables and figures

    def is_table_row(self, row: Row) -> bool:
        if self.is_small(row):
            return True
        if CAPTION.match(self.plain_of(row)) and self.centred_and_short(row):
            return True
        fragments = sorted(row.fragments, key=lambda f: f.x0)
        gaps = [b.x0 - a.x1 for a, b in zip(fragments, fragments[1:])]
        return any(gap > 2 * self.body_size for gap in gaps)

    def centred_and_short(self, row: Row) -> bool:
        """A row much shorter than its column and about in its middle (a caption)."""
        left, right = self.edges.get((row.page, row.column), (row.x0, row.x1))
        width = max(right - left, 1.0)
        return row.width < 0.7 * width and abs((row.x0 - left) - (right - row.x1)) < 0.1 * width

    def add_tables(self, tables: list[list[Row]]) -> None:
        if not tables:
            return
        items = []
        for rows in tables:
            text = " / ".join(self.text_of(r) for r in rows)
            items.append(Block("paragraph", [Text(text)], lang=language_of(text), line=rows[0].line, page=rows[0].page))
        self.doc.backmatter.append(BackMatter("tables", "图表与其他非正文文字", items, line=tables[0][0].line))

    # ------------------------------------------------------------------ what is left

    def emit_dropped(self, rows: list[Row]) -> None:
        for row in rows:
            text = self.text_of(row)
            if row.kind == "outside":
                self.doc.chrome.append(Dropped(row.line, text, "text printed outside the page"))
            elif row.kind.startswith("chrome:"):
                self.doc.chrome.append(Dropped(row.line, text, row.kind[len("chrome:"):]))
            elif not row.kind:
                self.doc.chrome.append(Dropped(row.line, text, "row not placed by the layout rules"))


# --------------------------------------------------------------------------- helpers


def _base_font(name: str) -> str:
    """A font name without its subset prefix (``ABCDEF+``)."""
    return name.split("+", 1)[1] if "+" in name[:8] else name


def _expand_numbers(group: str) -> list[int]:
    """``"3-5"`` -> [3, 4, 5], ``"3，7"`` -> [3, 7]; [] for a range running backwards or over 20."""
    out: list[int] = []
    for part in re.split(r"\s*[,，、]\s*", group.strip()):
        ends = [int(n) for n in re.split(r"\s*[-–—~～]\s*", part)]
        if len(ends) == 1:
            out.append(ends[0])
        elif len(ends) == 2 and 0 < ends[1] - ends[0] <= 20:
            out.extend(range(ends[0], ends[1] + 1))
        else:
            return []
    return out


def _same_block(above: Row, row: Row) -> bool:
    """Two rows of one front-matter field: one size, one column, the second right below."""
    return (abs(above.size - row.size) < 0.3 and above.page == row.page and above.column == row.column
            and -0.5 * row.size <= row.top - above.bottom <= 1.0 * row.size)


def _page_range(spec: str, count: int) -> tuple[int, int] | None:
    """``"2-23"`` -> (2, 23), ``"5"`` -> (5, 5), within the document's pages; None when not given."""
    numbers = [int(n) for n in re.findall(r"\d+", spec)[:2]]
    if not numbers:
        return None
    first, last = numbers[0], numbers[-1]
    first, last = max(1, min(first, count)), max(1, min(last, count))
    return (first, last) if first <= last else None


def _frequent_least(counter: Counter) -> float:
    """The smallest of the frequent values (a quarter as frequent as the most frequent one): the
    left edge of a column, below the indent of first rows however many paragraphs there are."""
    most = counter.most_common(1)[0][1]
    return float(min(value for value, count in counter.items() if count >= 0.25 * most))


def _bare_number(label: str) -> int | None:
    """The value of a label that is a bare ASCII number ("12"), else None."""
    label = label.strip()
    return int(label) if label.isascii() and label.isdigit() else None


def _labelled_note(text: str) -> bool:
    """A row that opens with a note label other than a bare number (which may be a page number
    printed beside a running head)."""
    match = NOTE_LABEL.match(text)
    return bool(match) and not match.group(1).strip().isdigit()


def _line_text(pieces: list) -> str:
    return "".join(p if isinstance(p, str) else p.clean for p in pieces)


def _fold(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text)


def _close(positions: list[float]) -> bool:
    """Most occurrences at about the same height of the page (within 3 % of it)."""
    positions = sorted(positions)
    middle = positions[len(positions) // 2]
    return sum(1 for p in positions if abs(p - middle) <= 0.03) >= 0.6 * len(positions)


def _ends_sentence(text: str) -> bool:
    text = text.rstrip()
    if text and text[-1] in CLOSERS and len(text) > 1:
        return text[-2] in SENTENCE_END or text[-1] in "）)》"
    return bool(text) and text[-1] in SENTENCE_END


def _heading_text(text: str) -> str:
    text = _SPACES.sub(" ", text).strip()
    text = re.sub(r"([（(])\s+", r"\1", text)
    text = re.sub(r"\s+([）)])", r"\1", text)
    match = re.match(r"^([一二三四五六七八九十]{1,3})\s+(?=\S)", text)
    if match:
        return f"{match.group(1)} {tighten_cjk_spaces(text[match.end():])}"
    return tighten_cjk_spaces(text)


def _wide(char: str) -> bool:
    return is_cjk(char)


def _join(parts: list[str], tighten: bool = True) -> str:
    """Rows joined: no space where either side of the break is Chinese or after a hyphen or
    slash; one space between Latin words."""
    out = ""
    for part in parts:
        part = _SPACES.sub(" ", part).strip()
        if not part:
            continue
        if out and not (_wide(out[-1]) or _wide(part[0]) or out.endswith(("-", "/", "‐"))):
            out += " "
        out += part
    return tighten_cjk_spaces(out) if tighten else out


def _join_inlines(nodes: list, breaks: list[tuple[int, int]]) -> tuple[list, list[tuple[int, int]]]:
    """Resolve the line ends ("\\n") of a paragraph's inlines with the row-joining rule, tidy
    spaces, and move the page breaks to the offsets of the joined text."""
    out: list = []
    offsets: list[tuple[int, int]] = []  # (raw offset, joined offset)
    raw = joined = 0
    pending_break = False
    for node in nodes:
        if not isinstance(node, Text):
            if pending_break:
                pending_break = False
            out.append(node)
            raw += len(node.label)
            joined += len(node.label)
            offsets.append((raw, joined))
            continue
        pieces = node.text.split("\n")
        for i, piece in enumerate(pieces):
            if i > 0:
                pending_break = True
                raw += 1
            piece_clean = _SPACES.sub(" ", piece)
            if not piece_clean.strip():
                raw += len(piece)
                continue
            previous = _last_char(out)
            if pending_break:
                piece_clean = piece_clean.lstrip()
                if previous and not (_wide(previous) or _wide(piece_clean[0]) or previous in "-/‐"):
                    piece_clean = " " + piece_clean
                pending_break = False
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + piece_clean)
            else:
                out.append(Text(piece_clean))
            raw += len(piece)
            joined += len(piece_clean)
            offsets.append((raw, joined))
    out = [Text(tighten_cjk_spaces(n.text)) if isinstance(n, Text) else n for n in out]
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip())
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())
    out = [n for n in out if not (isinstance(n, Text) and not n.text)]
    moved = []
    for offset, page in breaks:
        target = next((j for r, j in offsets if r >= offset), joined)
        moved.append((target, page))
    return out, moved


def _last_char(nodes: list) -> str:
    for node in reversed(nodes):
        text = node.text if isinstance(node, Text) else node.label
        if text.strip():
            return text.rstrip()[-1]
    return ""
