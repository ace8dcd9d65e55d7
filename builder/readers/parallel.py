"""Reader for bilingual parallel pages: each paragraph in one language followed by the same
paragraph in the other (a translation shown beside its original).

What this reader may do, with general rules only:

- lines that are page chrome (``corpus/chrome.yml``: navigation, share buttons, download links)
  go to ``doc.chrome``;
- lines repeating the title given in the metadata (either language) become ``doc.metadata_lines``;
  a paragraph standing before the first aligned pair (a page's description) becomes a
  "summary" BackMatter;
- an English unit followed by a Chinese one (or the reverse) becomes a ``pair`` block, English
  first; headings pair with headings, their levels from ``structure.heading_level``;
- a unit with no partner stays a single block: never dropped;
- a citation of the page (a paragraph naming an author from the metadata and quoting the title)
  becomes a "citation" BackMatter, titled by a short line just before it.

Consecutive lines in one language form one unit (hard-wrapped lines are joined); a change of
language starts a new unit even without a blank line.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..links import linkify
from ..models import BackMatter, Block, Document, Dropped
from ..normalize import join_lines
from ..structure import heading_level, is_short_title
from .common import ReadContext, Source, language_of, new_document, text_block

MAX_PAIRED_HEADING = 160


@dataclass
class Unit:
    line: int
    lines: list[str]
    lang: str

    @property
    def text(self) -> str:
        return join_lines(self.lines)


def read(source: Source, ctx: ReadContext) -> Document:
    doc = new_document(source)
    units = _units(source.lines, ctx, doc)
    units = _take_titles(units, doc)
    units, citation = _take_citation(units, doc)
    doc.blocks = _blocks(units, doc)
    if citation:
        doc.backmatter.append(citation)
    return doc


def _units(lines: list[str], ctx: ReadContext, doc: Document) -> list[Unit]:
    """Runs of non-blank, non-chrome lines in one language."""
    units: list[Unit] = []
    current: Unit | None = None
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            current = None
            continue
        reason = ctx.chrome.match(line)
        if reason:
            doc.chrome.append(Dropped(number, line, reason))
            current = None
            continue
        lang = language_of(line)
        if current is None or current.lang != lang:
            current = Unit(number, [], lang)
            units.append(current)
        current.lines.append(line)
    return units


def _take_titles(units: list[Unit], doc: Document) -> list[Unit]:
    """Units repeating the metadata's title, before the body starts, go to metadata_lines."""
    titles = {doc.meta.title_zh, doc.meta.title_en} - {""}
    first_pair = _first_pair(units, titles)
    kept = []
    for index, unit in enumerate(units):
        if index < first_pair and unit.text in titles:
            doc.metadata_lines.append(unit.text)
        else:
            kept.append(unit)
    return kept


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
    return len(unit.lines) == 1 and heading_level(unit.text) is not None


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


def _blocks(units: list[Unit], doc: Document) -> list[Block]:
    """Pairs, single blocks, and the description before the first pair (a summary)."""
    blocks: list[Block] = []
    first_pair = _first_pair(units, set())
    index = 0
    while index < len(units):
        unit = units[index]
        if index < first_pair:
            doc.backmatter.append(_summary(unit))
            index += 1
        elif index + 1 < len(units) and _pairs(unit, units[index + 1]):
            blocks.append(_pair(unit, units[index + 1]))
            index += 2
        else:
            blocks.append(_single(unit))
            index += 1
    return blocks


def _summary(unit: Unit) -> BackMatter:
    section = BackMatter("summary", "", line=unit.line, lang=unit.lang)
    section.items.append(_paragraph(unit))
    return section


def _pair(first: Unit, second: Unit) -> Block:
    level = None
    if _is_heading(first) or _is_heading(second):  # both sides are headings (see _pairs)
        level = heading_level(first.text) or heading_level(second.text)
    sides = [_side(first, level), _side(second, level)]
    sides.sort(key=lambda block: block.lang != "en")  # English first
    return Block(kind="pair", pair=sides, level=level or 0, lang="", line=first.line)


def _side(unit: Unit, level: int | None) -> Block:
    if level:
        return text_block("heading", unit.text, unit.line, level, lang=unit.lang)
    return _paragraph(unit)


def _paragraph(unit: Unit) -> Block:
    """A paragraph; URLs in it become links."""
    block = text_block("paragraph", unit.text, unit.line, lang=unit.lang)
    block.inlines = linkify(unit.text)
    return block


def _single(unit: Unit) -> Block:
    level = heading_level(unit.text) if len(unit.lines) == 1 else None
    if level:
        return text_block("heading", unit.text, unit.line, level, lang=unit.lang)
    return _paragraph(unit)
