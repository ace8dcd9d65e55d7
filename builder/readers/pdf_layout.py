"""Page geometry of a PDF: characters with font, size and position, grouped into printed rows.

What this module may do: open a PDF with pypdfium2 (PDFium), read every character with its box,
baseline, font name and effective size, and group the characters of each page into fragments
(runs of characters on one baseline without a wide gap), rows (the fragments of one baseline
in one column, left to right) and raised superscripts attached to the row they belong to. It
decides nothing about what a row *is* (body, note, heading, chrome): that is the reader's
(``pdf.py``). The grouping functions take plain ``Glyph`` lists, so tests can give them
synthetic characters without a PDF.

Coordinates are PDF points with the origin at the top-left corner of the page (y grows
downwards). A character's size is its font size times the vertical scale of its text matrix
(the size a reader sees), so PDFs that set a 1-point font and scale it still measure right.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..errors import SourceError

# Characters PDFium reports for ligature glyphs: decomposed (NFKC) for these only, so that
# full-width forms and other compatibility characters stay as the page prints them.
LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}

GAP_BREAK = 1.5  # a gap wider than this many ems ends a fragment (column gutters, table cells)
SPACE_GAP = 0.22  # a gap wider than this many ems is a space between words
WIDE_SPACE_GAP = 0.8  # between Chinese characters only a gap this wide is (letter-spacing is not)
MIXED_SPACE_GAP = 0.4  # between a Chinese and a Latin character: wider than the usual quarter em
SUPER_RATIO = 0.85  # a superscript is at most this size of the text it is raised over
SUPER_RAISE = 0.1  # ... and its baseline at least this many ems above that text's baseline
# What a note label looks like (a fragment of only this may be a superscript at full size, or on
# the baseline when smaller): circled numbers, stars, bracketed numbers, up to three digits.
MARKER_LIKE = re.compile(r"^(?:[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]|[∗*＊†‡]|[\[［【〔]\d{1,3}[\]］】〕]"
                         r"|[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})+$")


@dataclass(slots=True)
class Glyph:
    char: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    font: str = ""
    base: float = 0.0  # baseline (y of the character's origin)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


class Fragment:
    """Characters on one baseline without a wide gap, in reading order (x). Its geometry is
    measured once, by ``finish``, when its characters are all there."""

    __slots__ = ("glyphs", "supers", "x0", "x1", "top", "bottom", "base", "size")

    def __init__(self, glyphs: list[Glyph]) -> None:
        self.glyphs = glyphs
        self.supers: list[Fragment] = []  # raised smaller fragments within it
        self.finish()

    def finish(self) -> "Fragment":
        glyphs = self.glyphs
        self.glyphs.sort(key=lambda g: g.x0 + g.x1)
        self.x0 = min(g.x0 for g in glyphs)
        self.x1 = max(g.x1 for g in glyphs)
        self.top = min(g.top for g in glyphs)
        self.bottom = max(g.bottom for g in glyphs)
        self.base = _most_common([round(g.base, 1) for g in glyphs])
        self.size = _most_common([round(g.size, 1) for g in glyphs])
        return self

    @property
    def text(self) -> str:
        return glyph_text(self.glyphs)


@dataclass
class Row:
    """One printed line of a column: fragments on one baseline, left to right. ``pieces`` is
    its text in order: strings, and ``Raised`` fragments where a superscript sits."""

    page: int
    fragments: list[Fragment]
    column: int = 0  # 0 left (or only) column, 1 right column, -1 spanning both
    kind: str = ""  # set by the reader
    line: int = 0  # synthetic line number in the extracted text (set by the reader)

    def __post_init__(self) -> None:
        self.fragments.sort(key=lambda f: f.x0)
        glyphs = [g for f in self.fragments for g in f.glyphs]
        self.x0 = min(g.x0 for g in glyphs)
        self.x1 = max(g.x1 for g in glyphs)
        self.top = min(g.top for g in glyphs)
        self.bottom = max(g.bottom for g in glyphs)
        sizes = Counter(round(g.size, 1) for g in glyphs)
        self.size = max(sizes, key=lambda s: (sizes[s], s))
        fonts = Counter(g.font for g in glyphs)
        self.font = fonts.most_common(1)[0][0]
        self.base = _most_common([round(g.base, 1) for g in glyphs])
        self.glyph_count = len(glyphs)

    @property
    def pieces(self) -> list:
        """The row's text: strings and Raised superscripts, in x order."""
        return _pieces(self.fragments)

    @property
    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.pieces)

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def fragment_pieces(*fragments: "Fragment") -> list:
    """Some fragments' text: strings and Raised superscripts, in x order."""
    return _pieces(list(fragments))


def clusters(fragments: list["Fragment"]) -> list[list["Fragment"]]:
    """A row's fragments in groups apart by a gap wider than GAP_BREAK ems (fragments that touch
    or overlap stay together)."""
    out: list[list[Fragment]] = []
    right = None
    for fragment in sorted(fragments, key=lambda f: f.x0):
        if out and fragment.x0 <= right + GAP_BREAK * fragment.size:
            out[-1].append(fragment)
            right = max(right, fragment.x1)
        else:
            out.append([fragment])
            right = fragment.x1
    return out


def _pieces(fragments: list["Fragment"]) -> list:
    items: list[tuple[float, object]] = []
    for fragment in fragments:
        items.extend((g.cx, g) for g in fragment.glyphs)
        items.extend(((s.x0 + s.x1) / 2, Raised(s)) for s in fragment.supers)
    items.sort(key=lambda item: item[0])
    out: list = []
    run: list[Glyph] = []
    for _, item in items:
        if isinstance(item, Raised):
            if run:
                out.append(glyph_text(run))
                run = []
            out.append(item)
        else:
            run.append(item)
    if run:
        out.append(glyph_text(run))
    return out


@dataclass
class Raised:
    """A superscript fragment inside a row (a note marker, usually)."""

    fragment: Fragment
    clean: str = ""  # its text normalised (set by the reader)

    @property
    def text(self) -> str:
        return self.fragment.text


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]


def _most_common(values: list[float]) -> float:
    return Counter(values).most_common(1)[0][0]


# --------------------------------------------------------------------------- text of glyphs


def glyph_text(glyphs: list[Glyph]) -> str:
    """Characters in order, a space where the gap between two is wider than a word space
    (between Chinese characters: nearly an em, wider than letter-spacing and justification;
    between a Chinese and a Latin one: wider than the quarter em usually set there)."""
    out = []
    previous = None
    for g in glyphs:
        if previous is not None:
            gap = (g.x0 - previous.x1) / max(g.size, previous.size)
            wide = _wide(g.char) + _wide(previous.char)
            if gap > (SPACE_GAP, MIXED_SPACE_GAP, WIDE_SPACE_GAP)[wide]:
                out.append(" ")
        out.append(g.char)
        previous = g
    return "".join(out)


def _wide(char: str) -> bool:
    """Chinese characters and punctuation: set without word spaces (a gap beside them is
    justification or letter-spacing, not a space)."""
    code = ord(char[0])
    if 0xFF10 <= code <= 0xFF5A and char.isalnum():  # full-width Latin letters and digits: Latin
        return False
    if 0xE000 <= code <= 0xF8FF or code >= 0xF0000:  # private-use stand-ins: unknown, not wide
        return False
    return 0x2E80 <= code <= 0xFFEF or char in "·—…“”‘’"


# --------------------------------------------------------------------------- reading a PDF


def read_pdf(data: bytes, path: str) -> list[Page]:
    """Every page's characters. Raises SourceError (one line naming the file) for a PDF that
    cannot be read: damaged, encrypted, or without any text layer (a scan)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc)
        if "password" in reason.lower():
            raise SourceError(path, "the PDF is encrypted (password protected); give an unprotected copy") from None
        raise SourceError(path, f"not a readable PDF ({reason})") from None
    try:
        pages = [_read_page(document, index) for index in range(len(document))]
    except pdfium.PdfiumError as exc:
        raise SourceError(path, f"damaged PDF: {exc}") from None
    finally:
        document.close()
    if not any(page.glyphs for page in pages):
        raise SourceError(path, "the PDF has no text layer (a scanned image?); it cannot be read as text")
    return pages


def _read_page(document, index: int) -> Page:
    import pypdfium2.raw as raw

    page = document[index]
    # Characters come in the page's own coordinates: unrotated, and offset by where its visible
    # box (crop box) lies; measure from that box's top-left corner.
    left, bottom, right, top = page.get_bbox()
    width, height = right - left, top - bottom
    textpage = page.get_textpage()
    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    rect, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
    x, y = ctypes.c_double(), ctypes.c_double()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    styles: dict[int, tuple[float, str]] = {}  # per text object: (size, font name)
    glyphs: list[Glyph] = []
    pending_high = ""
    unicode_of, box_of, origin_of = raw.FPDFText_GetUnicode, raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharOrigin
    object_of, void = raw.FPDFText_GetTextObject, ctypes.c_void_p
    for i in range(count):
        code = unicode_of(handle, i)
        if code in (0, 0xFFFE, 0xFFFF) or code < 0x21 and raw.FPDFText_IsGenerated(handle, i):
            continue  # PDFium's own spaces and line breaks between words and lines
        char = chr(code)
        if 0xD800 <= code < 0xDC00:  # a character outside the BMP comes as two UTF-16 halves
            pending_high = char
            continue
        if 0xDC00 <= code < 0xE000:
            if not pending_high:
                continue
            char = (pending_high + char).encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        pending_high = ""
        if char.isspace():
            continue
        box_of(handle, i, rect)
        origin_of(handle, i, x, y)
        obj = ctypes.cast(object_of(handle, i), void).value or 0
        style = styles.get(obj)
        if style is None:  # one font, size and matrix per text object: asked once
            raw.FPDFText_GetMatrix(handle, i, matrix)
            size = raw.FPDFText_GetFontSize(handle, i) * (abs(matrix.d) if matrix.d else abs(matrix.b) or 1.0)
            length = raw.FPDFText_GetFontInfo(handle, i, name, len(name), flags)
            style = styles[obj] = (round(size, 2), name.raw[:max(length - 1, 0)].decode("latin-1"))
        glyphs.append(Glyph(LIGATURES.get(char, char), rect.left - left, top - rect.top, rect.right - left,
                            top - rect.bottom, style[0], style[1], top - y.value))
    textpage.close()
    page.close()
    return Page(index + 1, width, height, glyphs)


# --------------------------------------------------------------------------- grouping


def fragments_of(glyphs: list[Glyph]) -> list[Fragment]:
    """Group characters (in content-stream order) into fragments: same baseline, similar size,
    each character continuing the fragment to the right without a gap wider than GAP_BREAK ems."""
    open_fragments: list[tuple[Fragment, list]] = []  # (fragment, [base, size, x1])
    out: list[Fragment] = []
    for g in glyphs:
        home = None
        for fragment, state in reversed(open_fragments[-12:]):
            base, size, x1 = state
            em = max(size, g.size)
            if (abs(g.base - base) <= 0.2 * em and min(size, g.size) >= 0.8 * max(size, g.size)
                    and x1 - 0.6 * em <= g.x0 <= x1 + GAP_BREAK * em):
                home = (fragment, state)
                break
        if home is None:
            fragment = Fragment.__new__(Fragment)
            fragment.glyphs, fragment.supers = [g], []
            open_fragments.append((fragment, [g.base, g.size, g.x1]))
            out.append(fragment)
        else:
            home[0].glyphs.append(g)
            home[1][2] = max(home[1][2], g.x1)
    return [fragment.finish() for fragment in out]


def attach_superscripts(fragments: list[Fragment]) -> list[Fragment]:
    """Move raised, smaller fragments into the fragment they are raised over (a fragment whose
    line they sit on and that they touch or follow within an em), and fragments holding only a
    note label that are raised at full size or smaller on the baseline. Returns the others."""
    by_size = sorted(fragments, key=lambda f: (-f.size, MARKER_LIKE.match(f.text) is not None))
    hosts: list[Fragment] = []
    for fragment in by_size:
        host = _host_of(fragment, hosts) if len(fragment.glyphs) <= 8 else None
        if host is None:
            hosts.append(fragment)
        else:
            host.supers.append(fragment)
    kept = {id(f) for f in hosts}
    return [f for f in fragments if id(f) in kept]


def _host_of(small: Fragment, hosts: list[Fragment]) -> Fragment | None:
    """The fragment a small one is a superscript of: smaller and raised; or, when it holds only
    a note label, raised at the same size or smaller on the same baseline."""
    best, best_gap = None, None
    label = MARKER_LIKE.match(small.text) is not None
    for host in hosts:
        if host is small:
            continue
        em = host.size
        raise_by = host.base - small.base
        smaller = small.size <= SUPER_RATIO * em
        raised = SUPER_RAISE * em <= raise_by <= 0.9 * em
        if not (smaller and raised or label and (raised and small.size <= em or smaller and abs(raise_by) < 0.1 * em)):
            continue
        gap = max(small.x0 - host.x1, host.x0 - small.x1, 0.0)
        if gap > 1.0 * em:
            continue
        if best_gap is None or gap < best_gap:
            best, best_gap = host, gap
    return best


@dataclass
class Columns:
    """Two columns split at ``gutter`` within each band (top, bottom) of the page; text outside
    the bands (a title, an abstract, a wide figure between two column sections) spans the page."""

    gutter: float
    bands: list[tuple[float, float]]


def rows_of(fragments: list[Fragment], page: int, columns: Columns | None) -> list[Row]:
    """Fragments of one baseline in one column joined into rows, in reading order: top to
    bottom, and within a band of two columns the left column, then the right one."""
    keyed: dict[tuple[int, int], list[Fragment]] = {}
    order: list[tuple[int, int]] = []
    for fragment in sorted(fragments, key=lambda f: (f.base, f.x0)):
        column = column_of(fragment, columns)
        key = None
        for candidate in reversed(order[-8:]):
            first = keyed[candidate][0]
            if candidate[1] == column and abs(first.base - fragment.base) <= 0.25 * max(first.size, fragment.size):
                key = candidate
                break
        if key is None:
            key = (len(order), column)
            order.append(key)
            keyed[key] = []
        keyed[key].append(fragment)
    rows = [Row(page, keyed[key], column=key[1]) for key in order]
    return sorted(rows, key=lambda r: _reading_key(r, columns))


def _reading_key(row: Row, columns: Columns | None) -> tuple:
    if columns is None:
        return (0.0, 0, row.base, row.x0)
    band = _band_of(row.top, row.bottom, columns) if row.column >= 0 else None
    if band is None:
        return (row.top, 0, row.base, row.x0)
    return (band[0], row.column, row.base, row.x0)


def _band_of(top: float, bottom: float, columns: Columns) -> tuple[float, float] | None:
    for band in columns.bands:
        if top >= band[0] - 2 and bottom <= band[1] + 2:
            return band
    return None


def column_of(fragment: Fragment, columns: Columns | None) -> int:
    """0 or 1 inside a column band; -1 for text crossing the gutter or outside the bands."""
    if columns is None:
        return 0
    if _band_of(fragment.top, fragment.bottom, columns) is None:
        return -1
    if fragment.x1 <= columns.gutter:
        return 0
    if fragment.x0 >= columns.gutter:
        return 1
    return -1


def find_columns(fragments: list[Fragment], body_size: float) -> Columns | None:
    """Two columns: a vertical gutter near the middle of the text and a band of the page where
    no fragment crosses it, holding at least six fragments on either side, most of each side
    starting at one or two left edges and filling the column (text columns, not the cells of a
    table); other bands on the same gutter with three or more on either side are columns too.
    None for one column."""
    frags = [f for f in fragments if len(f.glyphs) >= 2]
    if len(frags) < 12:
        return None
    gutter = _least_crossed(frags)
    bands = _column_bands(frags, gutter)
    if not bands:
        return None
    left = [f for band in bands for f in band[2]]
    right = [f for band in bands for f in band[3]]
    left_right = max(f.x1 for f in left)
    right_left = min(f.x0 for f in right)
    if right_left - left_right < 0.8 * body_size:
        return None
    return Columns((left_right + right_left) / 2, sorted((top, bottom) for top, bottom, _, _ in bands))


def _least_crossed(frags: list[Fragment]) -> float:
    """The x in the middle 40 % of the text that the fewest fragments cross (the middle of the
    widest such stretch)."""
    left_edge = int(min(f.x0 for f in frags))
    right_edge = int(max(f.x1 for f in frags)) + 1
    delta = [0] * (right_edge - left_edge + 2)
    for f in frags:
        delta[int(f.x0) - left_edge + 1] += 1
        delta[int(f.x1) - left_edge] -= 1
    cover, running = [], 0
    for step in delta:
        running += step
        cover.append(running)
    span = right_edge - left_edge
    lo, hi = int(0.3 * span), int(0.7 * span)
    least = min(cover[lo:hi])
    best_run, run_start = (0, lo), None
    for i in range(lo, hi + 1):
        if i < hi and cover[i] == least:
            run_start = i if run_start is None else run_start
        elif run_start is not None:
            best_run = max(best_run, (i - run_start, run_start))
            run_start = None
    length, start = best_run
    return left_edge + start + length / 2


def _column_bands(frags: list[Fragment], x: float) -> list[tuple]:
    """The stretches of the page between fragments crossing x that hold two text columns, as
    (top, bottom, left fragments, right fragments); [] unless one of them holds six or more
    fragments on either side."""
    crossing = sorted((f for f in frags if f.x0 < x - 1 and f.x1 > x + 1), key=lambda f: f.top)
    cuts = [(-1e9, -1e9)] + [(f.top, f.bottom) for f in crossing] + [(1e9, 1e9)]
    bands = []
    for (_, upper), (lower, _) in zip(cuts, cuts[1:]):
        inside = [f for f in frags if f.top >= upper - 1 and f.bottom <= lower + 1]
        left = [f for f in inside if f.x1 <= x]
        right = [f for f in inside if f.x0 >= x]
        if len(left) < 3 or len(right) < 3 or not (_aligned(left, 3) and _aligned(right, 3)):
            continue
        if not (_filled(left, min(f.x0 for f in left), x) and _filled(right, x, max(f.x1 for f in right))):
            continue
        bands.append((min(f.top for f in left + right), max(f.bottom for f in left + right), left, right))
    if not any(len(left) >= 6 and len(right) >= 6 and _aligned(left) and _aligned(right)
               for _, _, left, right in bands):
        return []
    return bands


def _aligned(frags: list[Fragment], least: int = 4) -> bool:
    """Most fragments start at one or two left edges (a text column: body lines, or body lines
    and the hanging lines of its notes), unlike the centred cells of a table."""
    edges = Counter(round(f.x0 / 2) for f in frags)
    covered = 0
    for edge, _ in edges.most_common(2):
        covered += sum(n for e, n in edges.items() if abs(e - edge) <= 1)
        edges = Counter({e: n for e, n in edges.items() if abs(e - edge) > 1})
    return covered >= 0.6 * len(frags) and covered >= least


def _filled(frags: list[Fragment], left: float, right: float) -> bool:
    """Most fragments of a text column fill most of its width (table cells do not)."""
    widths = sorted(f.x1 - f.x0 for f in frags)
    return widths[len(widths) // 2] >= 0.6 * (right - left)
