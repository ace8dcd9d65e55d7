"""Reader for bilingual parallel pages: each paragraph in one language followed by the same
paragraph in the other (a translation shown beside its original), and for the translation alone
(an English-only scrape of such a page, as text or as CSV).

What this reader may do, with general rules only:

- a ``.csv`` source is read by ``csv_source``: one row per paragraph, the other columns
  (title, author, date repeated on every row) shown once in the page header and otherwise listed
  as chrome with the CSV syntax;
- a text whose lines are not hard-wrapped (a line over ``UNWRAPPED_LINE`` characters, or lines
  that do not break at a width inside sentences) has one paragraph per line; otherwise
  consecutive lines in one language form one unit (joined), and a change of language starts a
  new unit even without a blank line;
- Markdown in a line (emphasis, links, escapes, ``#`` headings) is rendered; its markup is
  listed as dropped;
- lines that are page chrome (``corpus/chrome.yml``: navigation, share buttons, download links)
  go to ``doc.chrome``;
- lines repeating the title given in the metadata (either language, compared loosely) become
  ``doc.metadata_lines``, and so, in a text with no pairs, do the byline and date lines it starts
  with; a paragraph standing before the first aligned pair (a page's description) becomes a
  "summary" BackMatter; a text with no pair at all (a translation alone) has no such summary:
  all of it is body;
- an English unit followed by a Chinese one (or the reverse) becomes a ``pair`` block, English
  first; headings pair with headings; a page that does not alternate its languages is paired by
  content instead (``alignment``);
- a heading is a single line numbered as one (``I.``, ``(i)``, ``1.``, ``(1)``, ``A.``, ``(a)``,
  ``Part 2:``, ``一、``, ``（一）``, ``## …``) that reads as a title, not a sentence; each
  numbering style is one level, in the order the styles first appear (the first at level 2): a
  translation keeps its original's order (一、 (一) 1. (1) may become ``I.`` ``(i)`` ``1.``
  ``(1)`` or ``1.`` ``(1)``); in a translation alone, a short title-case line is a heading one
  level below the numbered one before it;
- a unit with no partner stays a single block: never dropped;
- a citation of the page (a paragraph naming an author from the metadata and quoting the title)
  becomes a "citation" BackMatter, titled by a short line just before it;
- note markers numbered through the English text ("fire.”1", "mistake.” 8", "(DCT), 60") are
  found as one running sequence 1, 2, 3 … (``running_markers``) and handed to the footnote stage
  as ``Marker`` inlines; years, counts and labels out of the sequence stay text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from ..footnotes import MARKER_PATTERNS, READER
from ..links import linkify
from ..models import BackMatter, Block, Document, Dropped, Link, Marker, Text
from ..normalize import join_lines, tighten_cjk_spaces
from ..structure import heading_level, is_short_title
from . import alignment, csv_source, running_markers
from .markdown_inline import parse_inline, plain
from .common import ReadContext, Source, language_of, new_document, text_block

MAX_PAIRED_HEADING = 160
UNWRAPPED_LINE = 250  # a line this long was not hard-wrapped: the text has one paragraph per line
MAX_ENGLISH_HEADING = 200


@dataclass
class Unit:
    line: int
    lines: list[str]
    lang: str
    links: list[Link] = field(default_factory=list)  # Markdown links of its lines, in order
    markdown_level: int = 0  # a Markdown heading ("## …"): its number of hashes

    @property
    def text(self) -> str:
        return join_lines(self.lines)


def read(source: Source, ctx: ReadContext) -> Document:
    doc = new_document(source)
    if doc.meta.text_path.lower().endswith(".csv"):
        units = _csv_units(source.text, ctx, doc)
    else:
        units = _units(source.lines, ctx, doc)
    units = _take_titles(units, doc)
    units, citation = _take_citation(units, doc)
    doc.blocks = _blocks(units, doc, _heading_levels(units, _first_pair(units, set()) == len(units)))
    if citation:
        doc.backmatter.append(citation)
    _mark_running_numbers(doc)
    return doc


def _csv_units(text: str, ctx: ReadContext, doc: Document) -> list[Unit]:
    """One unit per paragraph of the CSV's text column (chrome cells dropped)."""
    units = []
    for cell in csv_source.read_cells(text, doc, ctx.diag):
        if ctx.chrome.match(cell.text):
            doc.chrome.append(Dropped(cell.line, cell.text, ctx.chrome.match(cell.text)))
            continue
        shown, links, level = _markdown(cell.line, cell.text, doc)
        reason = ctx.chrome.match(shown)
        if reason:
            doc.chrome.append(Dropped(cell.line, shown, reason))
        elif shown:
            units.append(Unit(cell.line, [shown], language_of(shown), links, level))
    return units


def _units(lines: list[str], ctx: ReadContext, doc: Document) -> list[Unit]:
    """Runs of non-blank, non-chrome lines in one language; every line its own unit when the
    text is not hard-wrapped."""
    stripped = [line.strip() for line in lines]
    one_per_line = any(len(line) > UNWRAPPED_LINE for line in stripped) or not csv_source.hard_wrapped(stripped)
    units: list[Unit] = []
    current: Unit | None = None
    for number, raw in enumerate(lines, 1):
        reason = ctx.chrome.match(raw.strip())  # chrome.yml patterns are written for source lines
        if reason:
            doc.chrome.append(Dropped(number, raw.strip(), reason))
            current = None
            continue
        line, links, level = _markdown(number, raw.strip(), doc)
        if not line:
            current = None
            continue
        reason = ctx.chrome.match(line)
        if reason:
            doc.chrome.append(Dropped(number, line, reason))
            current = None
            continue
        lang = language_of(line)
        if current is None or current.lang != lang or one_per_line or level or current.markdown_level:
            current = Unit(number, [], lang, markdown_level=level)
            units.append(current)
        current.lines.append(line)
        current.links.extend(links)
    return units


_MARKDOWN_HINT = re.compile(r"\*\S|\S\*|\]\(|^#{1,6}\s|\\[!-/:-@\[-`{-~]|`|&(?:[a-z]+|#\d+);")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")


def _markdown(number: int, line: str, doc: Document) -> tuple[str, list[Link], int]:
    """(the text a line shows, its links, its Markdown heading level or 0). Markdown in the line
    (emphasis, links, heading hashes, escapes, entities) is rendered as text; the markup
    characters are listed as dropped."""
    if not _MARKDOWN_HINT.search(line):
        return line, [], 0
    heading = _MARKDOWN_HEADING.match(line)
    content = heading.group(2) if heading else line
    nodes = parse_inline(content)
    shown = plain(nodes).strip()
    links = [node for node in nodes if isinstance(node, Link)]
    kept = Counter(shown + "".join(link.url + link.title for link in links))
    markup = "".join(char * count for char, count in (Counter(line) - kept).items() if not char.isspace())
    if markup:
        doc.chrome.append(Dropped(number, markup, "Markdown markup (emphasis, link syntax, heading hashes)"))
    return shown, links, len(heading.group(1)) if heading else 0


def _take_titles(units: list[Unit], doc: Document) -> list[Unit]:
    """Units repeating the metadata's title, before the body starts, go to metadata_lines; in a
    text with no pairs, so do the short lines it starts with that name its author, venue,
    publisher or a date (a byline, a dateline)."""
    titles = {doc.meta.title_zh, doc.meta.title_en} - {""}
    first_pair = _first_pair(units, titles)
    is_title = _title_test(titles)
    if first_pair == len(units):  # no pair: only the header lines the text starts with
        header = _header_test(doc)
        first_pair = next((i for i, unit in enumerate(units) if not (is_title(unit) or header(unit))), len(units))
        is_title = lambda unit, test=is_title: test(unit) or header(unit)  # noqa: E731
    kept = []
    for index, unit in enumerate(units):
        if index < first_pair and is_title(unit):
            doc.metadata_lines.append(unit.text + "".join(f" ({link.url})" for link in unit.links))
        else:
            kept.append(unit)
    return kept


def _fold(text: str) -> str:
    """Text compared loosely: letters and digits only (compatibility forms folded, case ignored)."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


_DATE_LINE = re.compile(r"^(?:[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]{2,8} \d{4}|\d{4}[-/年.]\d{1,2}"
                        r"(?:[-/月.]\d{1,2}日?)?)$")


def _title_test(titles: set[str]):
    folded = {_fold(title) for title in titles}
    return lambda unit: unit.text in titles or _fold(unit.text) in folded


def _header_test(doc: Document):
    """A short line naming an author, the venue or the publisher, or a date alone."""
    names = [n for a in doc.meta.authors for n in (a.name, a.romanized) if n]
    names += [n for n in (doc.meta.venue, doc.meta.publisher) if n]
    folded = [_fold(name) for name in names if len(_fold(name)) >= 2]

    def test(unit: Unit) -> bool:
        text = unit.text
        if len(unit.lines) != 1 or len(text) > 120:
            return False
        return bool(_DATE_LINE.match(text)) or any(name in _fold(text) for name in folded)
    return test


def _first_pair(units: list[Unit], titles: set[str]) -> int:
    for index in range(len(units) - 1):
        if units[index].text not in titles and _pairs(units[index], units[index + 1]):
            return index
    return len(units)


def _pairs(first: Unit, second: Unit) -> bool:
    if {first.lang, second.lang} != {"en", "zh"}:
        return False
    return _is_heading(first) == _is_heading(second) or _heading_like(first) and _heading_like(second)


def _is_heading(unit: Unit) -> bool:
    return heading_style(unit) is not None


# Numbering styles of headings: "I.", "A.", "1.", "(1)", "(i)", "(a)"; Chinese "一、", "（一）".
_ENGLISH_LABEL = re.compile(r"^(?:(?P<roman>[IVXL]{1,6})\.|(?P<capital>[A-H])\.|(?P<arabic>\d{1,2})\.|"
                            r"\((?P<paren>\d{1,2})\)|\((?P<paren_roman>[ivx]{1,5})\)|\((?P<lower>[a-h])\))"
                            r"\s+(?=[A-Z“\"‘(])")
_WORD_LABEL = re.compile(r"^([A-Z][a-z]{2,15}) (?:\d{1,2}|[IVX]{1,5})[:.]\s+(?=[A-Z“\"‘(])")
_SENTENCE_INSIDE = re.compile(r"[a-z]{2}[.!?][”’\"]?\s+[A-Z]")
_CHINESE_STYLES = {2: "chinese", 3: "chinese_paren"}


def heading_style(unit: Unit) -> str | None:
    """The numbering style of a heading unit ("roman", "arabic", "paren", …, "markdown2" for
    "## …"), or None."""
    if unit.markdown_level:
        return f"markdown{unit.markdown_level}"
    if len(unit.lines) != 1:
        return None
    text = unit.text
    match = _ENGLISH_LABEL.match(text)
    if match and _reads_as_title(text[match.end():]):
        return match.lastgroup
    match = _WORD_LABEL.match(text)
    if match and not _CAPTION.match(text) and _reads_as_title(text[match.end():]):
        return "word:" + match.group(1).lower()  # "Part 2: …", "Lesson 3. …": one style per word
    level = heading_level(text)
    if level is None:
        return None
    if _ENGLISH_LABEL.match(text) or re.match(r"^\d", text):
        return None  # numbered English text that reads as a sentence
    return _CHINESE_STYLES.get(level, "roman")


def _reads_as_title(rest: str) -> bool:
    """A heading's words: short, no sentence inside, no sentence punctuation at the end."""
    bare = rest.rstrip("”’\"')] ")
    return (0 < len(rest) <= MAX_ENGLISH_HEADING and not _SENTENCE_INSIDE.search(rest)
            and not bare.endswith((".", "!", "?", ";", ":", ",")))


def _heading_levels(units: list[Unit], alone: bool) -> dict[int, int]:
    """Unit index -> level of every heading unit. Each numbering style is one level, in the order
    the styles first appear, from level 2 (a pair counts once; Chinese and Roman numerals of one
    pair are one style). In a text with no pairs (a translation alone) an unnumbered title line
    is a heading one level below the numbered heading before it (level 2 before any)."""
    levels: dict[int, int] = {}
    by_style: dict[str, int] = {}
    current = 1
    index = 0
    while index < len(units):
        group = [index, index + 1] if index + 1 < len(units) and _pairs(units[index], units[index + 1]) else [index]
        styles = [style for i in group if (style := heading_style(units[i]))]
        if styles:
            known = [by_style[style] for style in styles if style in by_style]
            level = min(known) if known else min(len(set(by_style.values())) + 2, 6)
            for style in styles:
                by_style.setdefault(style, level)
            current = level
            levels.update((i, level) for i in group)
        elif alone and _unnumbered_title(units, index):
            levels[index] = min(current + 1, 6)
        index = group[-1] + 1
    return levels


_CAPTION = re.compile(r"^(?:Figure|Fig\.|Table|Chart|Graph|Map|Box|Exhibit|Photo|Image|Source|Sources|"
                      r"Data source|Note|Notes|By)\b", re.I)


def _unnumbered_title(units: list[Unit], index: int) -> bool:
    """A short English line in title case, without sentence punctuation, followed by a paragraph:
    "Regional Goals". Not a caption or source line ("Figure 2 …", "Source: …")."""
    unit = units[index]
    text = unit.text
    if len(unit.lines) != 1 or unit.lang != "en" or index + 1 >= len(units) or not 2 <= len(text) <= 80:
        return False
    words = text.split()
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    return (len(words) <= 10 and text[0].isupper() and not _CAPTION.match(text) and _reads_as_title(text)
            and ":" not in text and sum(w[0].isupper() for w in long_words) >= 0.6 * max(1, len(long_words))
            and heading_style(units[index + 1]) is None and len(units[index + 1].text) > len(text))


def _heading_like(unit: Unit) -> bool:
    return _is_heading(unit) or (len(unit.lines) == 1 and is_short_title(unit.text, MAX_PAIRED_HEADING)
                                 and len(unit.text) <= (MAX_PAIRED_HEADING if unit.lang == "en" else 40))


def _take_citation(units: list[Unit], doc: Document) -> tuple[list[Unit], BackMatter | None]:
    """A paragraph citing the page: it names an author and quotes a title of the metadata."""
    for index, unit in enumerate(units):
        if _is_citation(unit.text, doc):
            title = units[index - 1] if index and _standalone_title(units, index - 1) else None
            section = BackMatter("citation", title.text if title else "", line=(title or unit).line,
                                 lang=unit.lang)
            section.items.append(_paragraph(unit))
            drop = {index, index - 1} if title else {index}
            return [u for i, u in enumerate(units) if i not in drop], section
    return units, None


def _is_citation(text: str, doc: Document) -> bool:
    names = [n for a in doc.meta.authors for n in (a.name, a.romanized) if n]
    titles = [t for t in (doc.meta.title_en, doc.meta.title_zh) if t]
    quoted = any(f'"{t}' in text or f"“{t}" in text for t in titles)
    return quoted and any(name in text for name in names)


def _standalone_title(units: list[Unit], index: int) -> bool:
    """A short line that is not half of an aligned pair."""
    unit = units[index]
    return index not in _paired(units) and len(unit.lines) == 1 and is_short_title(unit.text, 40)


def _paired(units: list[Unit]) -> set[int]:
    """Indices of the units that are half of a pair, pairing from the top as _blocks does."""
    paired: set[int] = set()
    index = 0
    while index + 1 < len(units):
        if _pairs(units[index], units[index + 1]):
            paired |= {index, index + 1}
            index += 2
        else:
            index += 1
    return paired


def _blocks(units: list[Unit], doc: Document, levels: dict[int, int]) -> list[Block]:
    """Pairs, single blocks, and the description before the first pair (a summary)."""
    if _needs_alignment(units):
        return _aligned_blocks(units, levels)
    blocks: list[Block] = []
    first_pair = _first_pair(units, set())
    if first_pair == len(units):  # no pair at all: a translation alone, all body
        first_pair = 0
    index = 0
    while index < len(units):
        unit = units[index]
        if index < first_pair:
            doc.backmatter.append(_summary(unit))
            index += 1
        elif index + 1 < len(units) and _pairs(unit, units[index + 1]):
            blocks.append(_pair(unit, units[index + 1], levels.get(index)))
            index += 2
        else:
            blocks.append(_single(unit, levels.get(index)))
            index += 1
    return blocks


def _needs_alignment(units: list[Unit]) -> bool:
    """Both languages present in some number, but fewer than half of them in adjacent pairs:
    the page does not alternate its languages, so pairs are found by content instead."""
    english = sum(unit.lang == "en" for unit in units)
    chinese = sum(unit.lang == "zh" for unit in units)
    return min(english, chinese) >= 3 and len(_paired(units)) < min(english, chinese)


def _aligned_blocks(units: list[Unit], levels: dict[int, int]) -> list[Block]:
    """Pairs found by content (``alignment.align``), each where its first side stands; the
    other units stay single blocks."""
    english = [i for i, unit in enumerate(units) if unit.lang == "en"]
    chinese = [i for i, unit in enumerate(units) if unit.lang == "zh"]
    pairs = alignment.align([units[i].text for i in english], [units[i].text for i in chinese],
                            [_is_heading(units[i]) for i in english], [_is_heading(units[i]) for i in chinese])
    partner: dict[int, int] = {}
    for a, b in pairs:
        partner[english[a]], partner[chinese[b]] = chinese[b], english[a]
    blocks, done = [], set()
    for index, unit in enumerate(units):
        if index in done:
            continue
        if index in partner:
            other = partner[index]
            done.add(other)
            both_headings = _is_heading(unit) and _is_heading(units[other])
            level = (levels.get(index) or levels.get(other)) if both_headings else None
            blocks.append(_pair(unit, units[other], level))
        else:
            blocks.append(_single(unit, levels.get(index)))
    return blocks


def _summary(unit: Unit) -> BackMatter:
    section = BackMatter("summary", "", line=unit.line, lang=unit.lang)
    section.items.append(_paragraph(unit))
    return section


def _pair(first: Unit, second: Unit, level: int | None) -> Block:
    """Two aligned units; ``level`` when both are headings."""
    sides = [_side(first, level), _side(second, level)]
    sides.sort(key=lambda block: block.lang != "en")  # English first
    return Block(kind="pair", pair=sides, level=level or 0, lang="", line=first.line)


def _side(unit: Unit, level: int | None) -> Block:
    return _single(unit, level)


def _paragraph(unit: Unit) -> Block:
    """A paragraph; its Markdown links and the URLs in it become links."""
    text = unit.text
    block = text_block("paragraph", text, unit.line, lang=unit.lang)
    inlines: list = []
    cursor = 0
    missing = []
    for link in unit.links:
        shown = tighten_cjk_spaces(" ".join(link.text.split()))  # as join_lines left it
        where = text.find(shown, cursor)
        if where < 0:
            missing.append(link)  # never lose the address: shown after the text
            continue
        inlines += linkify(text[cursor:where]) + [Link(shown, link.url, link.title)]
        cursor = where + len(shown)
    inlines += linkify(text[cursor:]) + [node for link in missing for node in (Text(" "), link)]
    block.inlines = [node for node in inlines if not (isinstance(node, Text) and not node.text)]
    return block


def _single(unit: Unit, level: int | None) -> Block:
    if level:
        block = text_block("heading", unit.text, unit.line, level, lang=unit.lang)
        if unit.links:  # a Markdown heading made of a link keeps it
            block.inlines = _paragraph(unit).inlines
        return block
    return _paragraph(unit)


# --------------------------------------------------------------------------- note markers


def _mark_running_numbers(doc: Document) -> None:
    """Marker inlines for every note marker of the body: the numbers of the English text's
    running sequence, and marker glyphs in either language (circled numbers; superscript numbers
    when the text has a few, not one "km²"). The reader owns the markers (``READER``): the
    footnote stage searches no pattern, even when none was found. A ``note_style`` in the
    metadata leaves the markers to the footnote stage's patterns."""
    if doc.meta.note_style != "auto":
        return  # the editor named the convention: the footnote stage applies it
    doc.note_style = READER  # even with none found: no pattern search after this reader
    english = [(block, index) for block in _paragraphs_of(doc.blocks, "en")
               for index, node in enumerate(block.inlines) if isinstance(node, Text)]
    chain = running_markers.running_sequence([block.inlines[index].text for block, index in english])
    spans: dict[tuple[int, int], tuple[Block, list[tuple[int, int]]]] = {}
    for cand in chain:
        block, index = english[cand.text]
        spans.setdefault((id(block), index), (block, []))[1].append((cand.start, cand.end))
    for block, index, start, end in _glyph_markers(doc.blocks):
        spans.setdefault((id(block), index), (block, []))[1].append((start, end))
    for (_, index), (block, found) in sorted(spans.items(), key=lambda item: -item[0][1]):
        block.inlines[index:index + 1] = _split(block.inlines[index].text, sorted(found))


def _paragraphs_of(blocks: list[Block], lang: str | None = None):
    for block in blocks:
        for side in block.pair or [block]:
            if side.kind != "heading" and (lang is None or side.lang == lang):
                yield side


def _glyph_markers(blocks: list[Block]):
    """(block, inline index, start, end) of every circled marker, and of superscript numbers when
    the text has at least three."""
    texts = [(block, index, node.text) for block in _paragraphs_of(blocks)
             for index, node in enumerate(block.inlines) if isinstance(node, Text)]
    styles = ["circled"]
    if sum(len(MARKER_PATTERNS["superscript"].findall(text)) for _, _, text in texts) >= 3:
        styles.append("superscript")
    for block, index, text in texts:
        for style in styles:
            for match in MARKER_PATTERNS[style].finditer(text):
                yield block, index, match.start(), match.end()


def _split(text: str, found: list[tuple[int, int]]) -> list:
    out: list = []
    last = 0
    for start, end in found:
        if start > last:
            out.append(Text(text[last:start]))
        out.append(Marker(text[start:end]))
        last = end
    if last < len(text):
        out.append(Text(text[last:]))
    return out
