"""Pages of a plain-text PDF extraction, and the furniture printed on every page.

What this module may do: cut the lines of a text into printed pages, and name the lines that
are page furniture (running heads, footers, page numbers, rules) or lie outside the article
(cover and issue pages before its title, back matter after its end). It never changes text; it
returns line numbers with a reason, and the reader puts those lines in the chrome list.

General signals, not one journal's pattern:

- Pages: ``pdftotext`` puts a form feed before the first line of every new page. A text that
  lost them gets its breaks back from its printed page numbers (``inferred_breaks``) when they
  rise by one page after page next to running heads or feet; never guessed otherwise.
- Furniture: a line near the top or the bottom of a page (among its first or last three
  non-blank lines) whose shape (digits folded, spaces dropped) recurs in the same zone on
  several pages, or a bare page number whose value rises with the page (the offset from the
  page index is the same as on most other pages). A line is furniture only as a whole line.
- Article range: it starts at the last line of the first page that opens with the title given
  in the metadata (what precedes is cover, contents and masthead), and ends with the page that
  holds the end mark (the journal's editor line, ``责任编辑`` / ``截稿``); later pages are back
  matter of the issue. An editor may give the range instead (metadata ``pages: "2-23"``,
  1-based pages of the PDF file, i.e. form-feed pages of the text).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

ZONE = 3
WIDE_LINES = 10  # lines about two columns wide that a two-column article has (title, abstract)
_LATIN = re.compile("[A-Za-z]")  # non-blank lines at the top and at the bottom of a page where furniture is printed
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_BARE_NUMBER = re.compile(r"^[-–—·|•\s]*(\d{1,4})[-–—·|•\s]*$")
EDITOR_MARK = re.compile(r"^[（(〔［\[【]?\s*(?:本文)?\s*(?:责\s*任\s*编\s*辑|责\s*编|截\s*稿)")
_NON_WORD = re.compile(r"[\W_]+")


@dataclass
class Page:
    index: int  # 1-based page of the file (form-feed page)
    numbers: list[int] = field(default_factory=list)  # 0-based indexes into the reader's lines

    def nonblank(self, lines) -> list[int]:
        return [i for i in self.numbers if lines[i].text]


def split_pages(lines, feeds: set[int]) -> list[Page]:
    """Pages from form feeds: ``feeds`` holds the 1-based numbers of lines that began with one.
    Numbered as ``pdftotext`` pages (= pages of the PDF): a text that opens with a form feed
    has an empty first page."""
    pages = [Page(1)]
    for i, line in enumerate(lines):
        if line.number in feeds:
            pages.append(Page(len(pages) + 1))
        pages[-1].numbers.append(i)
    return pages


def shape(text: str) -> str:
    """A line's shape for repetition: digits folded, spaces dropped."""
    return _DIGITS.sub("#", _SPACE.sub("", text))


_SENTENCE_END = re.compile(r"[。．.]\s*$")
_WORDISH = re.compile(r"[^\W\d_]")


def furniture_like(text: str) -> bool:
    """Whether a repeated line can be a running head or foot: no sentence end (a note's last
    line, a reference's page range), and words in it or one decoration repeated (a rule of
    ■ or —); not the editor line."""
    if EDITOR_MARK.match(text) or _SENTENCE_END.search(text):
        return False
    squeezed = text.replace(" ", "")
    return bool(_WORDISH.search(squeezed)) or len(set(squeezed)) == 1


def zones(page: Page, lines) -> tuple[list[int], list[int]]:
    filled = page.nonblank(lines)
    return filled[:ZONE], filled[-ZONE:] if len(filled) > ZONE else []


def furniture(pages: list[Page], lines, title: str = "") -> dict[int, str]:
    """Line index -> reason, for running heads, footers, page numbers and rules. A line at the
    top of a page that is the article's title (as in the metadata) is a running head too."""
    if len(pages) < 3:
        return {}
    counts: dict[str, Counter] = {"top": Counter(), "bottom": Counter()}
    offsets: Counter = Counter()
    for page in pages:
        top, bottom = zones(page, lines)
        for zone, members in (("top", top), ("bottom", bottom)):
            for shp in {shape(lines[i].text) for i in members}:
                counts[zone][shp] += 1
            for i in members:
                number = _BARE_NUMBER.match(lines[i].text)
                if number:
                    offsets[int(number.group(1)) - page.index] += 1
    need = max(2, len(pages) // 5)
    title_key = squeeze(title)
    offset, hits = offsets.most_common(1)[0] if offsets else (None, 0)
    found: dict[int, str] = {}
    for page in pages:
        top, bottom = zones(page, lines)
        for zone, members in (("top", top), ("bottom", bottom)):
            for i in members:
                text = lines[i].text
                number = _BARE_NUMBER.match(text)
                if number and hits >= need and int(number.group(1)) - page.index == offset:
                    found[i] = "page number"
                elif counts[zone][shape(text)] >= need and furniture_like(text):
                    found[i] = "running head" if zone == "top" else "running foot"
                elif zone == "top" and title_key and squeeze(text) == title_key:
                    found[i] = "running head (the title)"
    return found


def squeeze(text: str) -> str:
    """Letters, digits and Han characters only: for comparing a printed line with the title."""
    return _NON_WORD.sub("", text)


def title_start(pages: list[Page], lines, title: str, skip: dict[int, str]) -> int | None:
    """Index of the line where the article's title is printed: the last line that begins the
    title (the line is the title's first part, or the title followed by a marker) on the first
    page that has one followed by an abstract or keywords label (else on the first page that
    has one at all; a running head repeating the title comes first)."""
    key = squeeze(title)
    if len(key) < 2:
        return None
    first = None
    for page in pages[:6]:
        hits = []
        for i in page.numbers:
            squeezed = squeeze(lines[i].text)
            if len(squeezed) >= min(4, len(key)) and (key.startswith(squeezed) or squeezed.startswith(key)):
                hits.append(i)
        if not hits:
            continue
        if any(_FRONT_LABEL.search(lines[i].text) for i in page.numbers if i > hits[-1]):
            return hits[-1]
        first = hits[-1] if first is None else first
    return first


def end_page(pages: list[Page], lines, start: int) -> Page | None:
    """The page holding the end mark (editor line) after ``start``."""
    for page in pages:
        for i in page.numbers:
            if i > start and EDITOR_MARK.match(lines[i].text):
                return page
    return None


_FRONT_LABEL = re.compile(r"(?:提|摘)\s*要|关\s*键\s*词|Abstract|Key\s*words", re.I)
_RANGE = re.compile(r"^\s*(\d{1,4})\s*[-–—]\s*(\d{1,4})\s*$|^\s*(\d{1,4})\s*$")


def parse_range(value: str) -> tuple[int, int] | None:
    """``"2-23"`` -> (2, 23); ``"5"`` -> (5, 5); anything else None."""
    match = _RANGE.match(value or "")
    if not match:
        return None
    if match.group(3):
        return int(match.group(3)), int(match.group(3))
    first, last = int(match.group(1)), int(match.group(2))
    return (first, last) if first <= last else None


def interleaved_columns(lines, full: int) -> bool:
    """Whether a text is set in two columns that ``pdftotext`` interleaved: most lines of
    body width stand alone or in pairs between blank lines (the left and the right column's
    lines alternate, a blank line between them), and some lines (title block, abstract) are
    about twice as wide as the body's (a one-column text with a blank line after every line
    has none)."""
    body = [i for i, line in enumerate(lines) if line.text and abs(line.width - full) <= 4]
    if len(body) < 50:
        return False
    alone = 0
    for i in body:
        first = i
        while first > 0 and lines[first - 1].text:
            first -= 1
        last = i
        while last + 1 < len(lines) and lines[last + 1].text:
            last += 1
        alone += last - first + 1 <= 2
    if alone / len(body) < 0.35:
        return False
    # the page's full width (title, abstract) is about two column widths
    wide = sum(1 for line in lines if line.width >= full * 1.6 and not _LATIN.search(line.text))
    return wide >= WIDE_LINES


def deinterleave(members: list[int], furniture: dict[int, str], kind, label_key=lambda block: None,
                 end: frozenset[int] = frozenset()) -> list[int]:
    """Reading order of an interleaved two-column page: furniture first, then the left
    column, then the right. The blocks of lines (runs without a blank line) alternate between
    the columns, left first; a block that reads as a note (``kind(block)`` is "note", or
    "bare" for a label standing alone, whose text is the next block) is in the right column,
    whose foot holds the notes, and the block after it goes back to the left. The note blocks
    come last, in the order of the first label they hold (``label_key``; a block without one
    goes with the block before it).

    The editor line (``end``: its first piece and the fragments of its row) is the article's
    last line: it stands outside the alternation and is read after both columns, and the column
    it stands in has ended, so the body blocks after it all go to the other column. Its first
    piece printed right after a line of the other column (no blank line between) is in the
    column opposite to that line's; printed on its own, in the column the alternation gives."""
    head = [i for i in members if i in furniture]
    rest = [i for i in members if i not in furniture]
    blocks: list[list[int]] = []
    for i in rest:
        if blocks and i == blocks[-1][-1] + 1:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    columns: tuple[list[int], list[int]] = ([], [])
    notes: list[tuple[int, int, list[int]]] = []
    closing: list[int] = []  # the editor line's pieces
    side, key, after_bare, ended = 1, 0, False, None  # ended: the column the editor line stands in
    for n, whole in enumerate(blocks):
        block = [i for i in whole if i not in end]
        if len(block) < len(whole):
            closing.extend(i for i in whole if i in end)
            if ended is None:  # on its own: the next side; after a line: the side opposite to it
                ended = 1 - side if whole[0] in end else side
        if not block:
            continue
        what = kind(block)
        if what in ("note", "bare") or after_bare or (notes and side == 0):
            side = 1  # the notes stand at the foot of the right column: below them, only notes
            found = label_key(block)
            key = key if found is None else found
            notes.append((key, n, block))
        else:
            side = 1 - side if ended is None else 1 - ended
            columns[side].extend(block)
        after_bare = what == "bare"
    ordered = [i for _, _, block in sorted(notes) for i in block]
    return head + columns[0] + columns[1] + closing + ordered


MIN_BREAKS = 3  # page numbers a recovered pagination needs
MIN_PAGE_LINES = 10  # non-blank lines between two page numbers at least
HEAD_REPEATS = 3  # a running head or foot is printed at least this often
_HEAD_WORD = re.compile(r"[^\W\d_]{2}")  # a running head has a word of two letters or characters
HEAD_LOOKAHEAD = 12  # non-blank lines after a page number at a foot where the next head is looked for
CLUSTER = 3  # furniture lines printed together with a page number at most


def inferred_breaks(lines) -> set[int]:
    """Page breaks of a text whose form feeds were lost, as the 1-based numbers of the lines that
    would begin a new page (the form-feed convention of ``split_pages``); empty unless confident.

    The signal is the printed page number: bare number lines (``49``, ``— 49 —``, ``· 129·``)
    whose values rise by one (one missing number allowed) down the text, at least
    ``MIN_BREAKS`` of them and each ``MIN_PAGE_LINES`` non-blank lines after the last. Running
    heads and feet are the lines whose shape recurs; at least half of the numbers (and
    ``MIN_BREAKS``) must touch one on the same side. If most numbers are followed by such a line
    (a number at the page foot, the next page's head after it), the next page begins right
    after the number, or, when a text line follows it, at the next running head within
    ``HEAD_LOOKAHEAD`` lines (a second column's foot printed after the number); if
    most are preceded by one (a number under the head), a page begins with the furniture run
    just above the number. Lines are never changed."""
    filled = [i for i, line in enumerate(lines) if line.text]
    chain = _number_chain(lines, filled)
    if len(chain) < MIN_BREAKS:
        return set()
    counts = Counter(shape(lines[i].text) for i in filled)
    in_chain = set(chain)

    def furniture_at(pos: int) -> bool:
        if pos < 0 or pos >= len(filled):
            return False
        i = filled[pos]
        text = lines[i].text
        return i in in_chain or (counts[shape(text)] >= HEAD_REPEATS and furniture_like(text))

    where = {i: pos for pos, i in enumerate(filled)}
    after = sum(furniture_at(where[i] + 1) and not furniture_at(where[i] - 1) for i in chain)
    before = sum(furniture_at(where[i] - 1) and not furniture_at(where[i] + 1) for i in chain)
    if after == before or 2 * max(after, before) < len(chain) or max(after, before) < MIN_BREAKS:
        return set()
    heads = {key for key, count in counts.items() if count >= HEAD_REPEATS and _HEAD_WORD.search(key)
             and furniture_like(key)}
    breaks: set[int] = set()
    for i in chain:
        pos = where[i]
        if after > before:
            start = pos + 1 if furniture_at(pos + 1) else _next_head(lines, filled, pos, heads)
        else:
            start = pos
            while start > 0 and pos - start < CLUSTER - 1 and furniture_at(start - 1):
                start -= 1
        if 0 < start < len(filled):
            breaks.add(lines[filled[start]].number)
    return breaks if len(breaks) >= MIN_BREAKS else set()


def _next_head(lines, filled: list[int], pos: int, heads: set[str]) -> int:
    """Where the page after a page number at a foot begins: at the next running head within
    ``HEAD_LOOKAHEAD`` non-blank lines (a second column's foot may be printed after the page
    number), else right after the number."""
    for ahead in range(pos + 1, min(pos + 1 + HEAD_LOOKAHEAD, len(filled))):
        if shape(lines[filled[ahead]].text) in heads:
            return ahead
    return pos + 1


def _number_chain(lines, filled: list[int]) -> list[int]:
    """Indexes of the longest run of bare number lines whose values rise by one or two, each
    at least ``MIN_PAGE_LINES`` non-blank lines after the one before."""
    numbers = []
    for pos, i in enumerate(filled):
        match = _BARE_NUMBER.match(lines[i].text)
        if match:
            numbers.append((pos, i, int(match.group(1))))
    best: list[list[int]] = []
    for k, (pos, i, value) in enumerate(numbers):
        chain = [i]
        for j in range(k - 1, -1, -1):
            before_pos, _, before_value = numbers[j]
            if value - before_value in (1, 2) and pos - before_pos >= MIN_PAGE_LINES \
                    and len(best[j]) + 1 > len(chain):
                chain = best[j] + [i]
        best.append(chain)
    longest = max(best, key=len, default=[])
    steps = [_value(lines, b) - _value(lines, a) for a, b in zip(longest, longest[1:])]
    return longest if steps.count(1) > len(steps) // 2 else []


def _value(lines, i: int) -> int:
    return int(_BARE_NUMBER.match(lines[i].text).group(1))
