"""Reader for translated policy papers with a notes list (a think-tank paper laid out in pages).

What this reader may do, with general rules only (no phrase of any one paper):

- lines that are page chrome (``corpus/chrome.yml``) go to ``doc.chrome``;
- note lines, which start with superscript digits (``¹参见…``) or with a plain number and a
  space (``35 联合国…``, accepted only when it continues the notes' numbering), become RawNotes
  wherever they stand: they are interleaved with the text after the paragraphs citing them;
- the title line and a labelled author line at the top become ``doc.metadata_lines``;
- a paragraph cut by a page break (it ends without a full stop) continues in the next text
  paragraph after the notes; a box (a short title line and its paragraphs, such as a summary
  with bullets) standing between the cut and the continuation becomes a "summary" BackMatter;
- numbered headings take their level from ``structure.heading_level``; a short line without
  punctuation standing between finished paragraphs is an unnumbered heading, whose level comes
  from the paper's own contents list when it has one (listed with a numeral: 2, listed: 3,
  not listed: 4), else 3;
- back matter is recognised by its shape: an abbreviation list (``ASAT: 反卫星武器`` lines), a
  contents list (lines repeating the body's headings), publication lists (《title》, names,
  date lines), author notes (paragraphs opening with an author's name from the metadata), a DOI
  line (citation); whatever else follows the body after the last note is colophon. The short
  line just before a recognised list is its title.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..footnotes import SUPERSCRIPT_DIGITS
from ..links import linkify
from ..models import BackMatter, Block, Document, Dropped
from ..models import RawNote
from ..normalize import join_lines
from ..structure import CN_NUM, heading_level
from .common import ReadContext, Source, new_document, text_block

NOTE_SUPERSCRIPT = re.compile(f"^([{SUPERSCRIPT_DIGITS}]+)\\s*(\\S.*)$")
NOTE_PLAIN = re.compile(r"^(\d{1,3})\s+(\S.*)$")
SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
ABBREVIATION = re.compile(r"^[A-Z][A-Za-z0-9&/.\-]{0,15}\s*[:：]\s*\S")
WORK_TITLE = re.compile(r"^《[^》]+》$")
DATE_LINE = re.compile(r"^\d{4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?$")
DOI = re.compile(r"(?:^DOI\s*[:：])|doi\.org/", re.I)
LABELLED_LINE = re.compile(r"^[^\s：:]{1,6}[：:]\s*\S")
# sentence-final punctuation, optionally followed by closing quotes or brackets
FINISHED = re.compile(r"[。！？…!?.](?:[”’」』）)\]]*)$")
INNER_PUNCT = re.compile(r"[，。；！？,;!?]")
NUMBERING = re.compile(f"^(?:[{CN_NUM}]{{1,3}}\\s*[、\\s]|[（(][{CN_NUM}]{{1,3}}[）)]|\\d{{1,2}}(?:\\.\\d{{1,2}})*\\.?\\s)\\s*")
PARENTHETICAL = re.compile(r"[（(][^）)]*[）)]")
CONTINUATION = ("（", "(", "，", ",", "、", "。", "；", "：", "”", "’", "）", ")", "》")
BULLETS = ("•", "·", "-", "*", "▪", "○", "●")
MAX_HEADING = 32
MIN_LIST = 3


@dataclass
class Unit:
    """A run of non-blank, non-chrome lines: one text paragraph, or one or more notes."""

    line: int
    lines: list[str]
    notes: list[tuple[str, int, list[str]]] = field(default_factory=list)  # (label, line, lines)

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def is_note(self) -> bool:
        return bool(self.notes)

    @property
    def single(self) -> str | None:
        return self.lines[0].strip() if len(self.lines) == 1 else None


def read(source: Source, ctx: ReadContext) -> Document:
    doc = new_document(source)
    units = _units(source.lines, ctx, doc)
    for unit in units:
        for label, line, lines in unit.notes:
            # the label as printed ("¹", "35"); the footnote stage compares normalised labels
            doc.raw_notes.append(RawNote(label, join_lines(lines), line))
    text_units = [u for u in units if not u.is_note]
    start = _take_metadata(text_units, doc)
    contents = _contents_titles(units)
    tail = _tail_start(units, set(contents))
    taken = {id(u) for u in text_units[:start]}
    body = [u for u in units[:tail] if id(u) not in taken]
    body = _extract_lists(body, doc, contents)
    doc.blocks = _body_blocks(body, doc, contents)
    doc.backmatter.extend(_back_matter(units[tail:], doc, contents))
    doc.backmatter.sort(key=lambda section: section.line)
    return doc


# --------------------------------------------------------------------------- units and notes


def _units(lines: list[str], ctx: ReadContext, doc: Document) -> list[Unit]:
    units: list[Unit] = []
    current: Unit | None = None
    expected, cited = 1, set()  # the next note number; marker numbers seen in the text so far
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        reason = ctx.chrome.match(line) if line else None
        if reason:
            doc.chrome.append(Dropped(number, line, reason))
            continue
        if not line:
            current = None
            continue
        label, rest = _note_start(line, expected, cited)
        if label:
            expected = int(label.translate(_SUP)) + 1
            if current is None or not current.is_note:
                current = Unit(number, [])
                units.append(current)
            current.lines.append(line)
            current.notes.append((label, number, [rest]))
        elif current is not None and current.is_note:
            current.lines.append(line)  # a note's text wrapped onto the next line
            current.notes[-1][2].append(line)
        else:
            cited |= {int(m.translate(_SUP)) for m in SUPERSCRIPT_RUN.findall(line)}
            if current is not None:
                current.lines.append(line)
            else:
                current = Unit(number, [line])
                units.append(current)
    return units


_SUP = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")


def _note_start(line: str, expected: int, cited: set[int]) -> tuple[str, str]:
    """(label, text) when a line opens a note, else ("", ""). A plain number opens a note only
    when it is the next note's number or a marker the text has already cited."""
    match = NOTE_SUPERSCRIPT.match(line)
    if match:
        return match.group(1), match.group(2)
    match = NOTE_PLAIN.match(line)
    if match and int(match.group(1)) in cited | {expected}:
        return match.group(1), match.group(2)
    return "", ""


# --------------------------------------------------------------------------- metadata lines


def _take_metadata(units: list[Unit], doc: Document) -> int:
    """Leading title and author lines -> metadata_lines; returns how many units were taken."""
    names = _author_names(doc)
    taken = 0
    for unit in units:
        line = unit.single
        if line is None or heading_level(line):
            break
        is_title = line in {doc.meta.title_zh, doc.meta.title_en} - {""}
        is_byline = bool(LABELLED_LINE.match(line)) and any(name in line for name in names)
        if not (is_title or is_byline):
            break
        doc.metadata_lines.append(line)
        taken += 1
    return taken


def _author_names(doc: Document) -> list[str]:
    names = []
    for author in doc.meta.authors:
        names += [n for n in (author.name, author.romanized, author.romanized.upper()) if n]
    return names


# --------------------------------------------------------------------------- contents and tail


def heading_key(text: str) -> str:
    """A heading without its numbering, parentheticals and spaces, for matching contents lines."""
    return re.sub(r"\s+", "", PARENTHETICAL.sub("", NUMBERING.sub("", text.strip())))


def _could_be_heading(line: str | None) -> bool:
    return bool(line) and (heading_level(line) is not None or _plain_title(line))


def _plain_title(line: str) -> bool:
    """A short line without sentence punctuation or markers: a candidate unnumbered heading."""
    text = line.strip()
    return (0 < len(text) <= MAX_HEADING and not INNER_PUNCT.search(text) and not FINISHED.search(text)
            and not text.endswith(("：", ":", "、")) and not text.startswith(BULLETS)
            and not any(c in SUPERSCRIPT_DIGITS for c in text) and not ABBREVIATION.match(text)
            and not DATE_LINE.match(text) and not WORK_TITLE.match(text))


def _contents_run(units: list[Unit], index: int, keys: set[str]) -> int:
    """Length of a contents list starting at ``index``: heading-like lines that repeat headings
    found elsewhere in the text, from the first repeated one to the last (0 when none)."""
    def repeats(i: int) -> bool:
        return i < len(units) and _could_be_heading(units[i].single) and heading_key(units[i].single) in keys

    if units[index].is_note or not repeats(index):
        return 0
    end, last, matches = index, index, 0
    while end < len(units) and not units[end].is_note and _could_be_heading(units[end].single):
        if repeats(end):
            matches, last = matches + 1, end
        end += 1
    length = last - index + 1
    return length if matches >= MIN_LIST and matches * 3 >= length * 2 else 0


def _contents_titles(units: list[Unit]) -> dict[str, int]:
    """The paper's contents list as {heading key: level it implies}, empty when there is none."""
    counts = Counter(heading_key(u.single) for u in units if not u.is_note and _could_be_heading(u.single))
    repeated = {key for key, count in counts.items() if count > 1}
    runs = [(index, _contents_run(units, index, repeated)) for index in range(len(units))]
    index, length = max(runs, key=lambda run: run[1], default=(0, 0))  # the longest list
    run = units[index:index + length]
    return {heading_key(u.single): 2 if heading_level(u.single) else 3 for u in run}


def _tail_start(units: list[Unit], keys: set[str]) -> int:
    """Where the back matter begins: the first recognised list, or its title line, after the
    last note (after the middle of the text when the paper has no notes)."""
    last_note = max((i for i, u in enumerate(units) if u.is_note), default=len(units) // 2)
    for index in range(last_note + 1, len(units)):
        kind = _list_kind(units, index, keys)
        if kind:
            return index - 1 if _title_before(units, index) else index
    return len(units)


def _title_before(units: list[Unit], index: int) -> bool:
    return index > 0 and not units[index - 1].is_note and _plain_title(units[index - 1].single or "")


def _list_kind(units: list[Unit], index: int, keys: set[str] | None = None) -> str:
    """The kind of back-matter list starting at ``index``, or ""."""
    unit = units[index]
    if unit.is_note:
        return ""
    if len(unit.lines) >= MIN_LIST - 1 and all(ABBREVIATION.match(line) for line in unit.lines):
        return "abbreviations"
    if unit.single and WORK_TITLE.match(unit.single):
        return "publications"
    if unit.single and DOI.search(unit.single):
        return "citation"
    if keys is not None and _contents_run(units, index, keys):
        return "contents"
    return ""


# --------------------------------------------------------------------------- lists in the body


def _extract_lists(units: list[Unit], doc: Document, contents: dict[str, int]) -> list[Unit]:
    """Abbreviation lists standing before the tail become back matter; the rest stays body."""
    kept: list[Unit] = []
    for index, unit in enumerate(units):
        if _list_kind(units, index) == "abbreviations":
            title = kept.pop() if kept and _title_before(units, index) else None
            doc.backmatter.append(_abbreviations(unit, title))
        else:
            kept.append(unit)
    return kept


def _abbreviations(unit: Unit, title: Unit | None) -> BackMatter:
    section = BackMatter("abbreviations", title.single if title else "", line=(title or unit).line)
    for offset, line in enumerate(unit.lines):
        section.items.append(_text("list_item", line, unit.line + offset))
    return section


# --------------------------------------------------------------------------- body


def _body_blocks(units: list[Unit], doc: Document, contents: dict[str, int]) -> list[Block]:
    """Headings and paragraphs; paragraphs cut by notes or a box are re-joined."""
    blocks: list[Block] = []
    index = 0
    while index < len(units):
        unit = units[index]
        index += 1
        if unit.is_note:
            continue
        level = _heading_of(unit, contents)
        if level and not heading_level(unit.single) and _continued_by(units, index):
            level = None  # a fragment whose sentence goes on in the next paragraph
        if level:
            blocks.append(text_block("heading", unit.single, unit.line, level))
            continue
        lines = list(unit.lines)
        index = _continue_paragraph(units, index, lines, doc)
        blocks.append(_paragraph(lines, unit.line))
    return blocks


def _heading_of(unit: Unit, contents: dict[str, int]) -> int | None:
    line = unit.single
    if line is None:
        return None
    level = heading_level(line)
    if level:
        return level
    if not _plain_title(line):
        return None
    if not contents:
        return 3
    return contents.get(heading_key(line), 4)


def _continue_paragraph(units: list[Unit], index: int, lines: list[str], doc: Document) -> int:
    """Append the continuations of an unfinished paragraph to ``lines``; return the next index."""
    notes_between = False
    while not _finished(lines) and index < len(units):
        unit = units[index]
        if unit.is_note:
            notes_between = True
            index += 1
            continue
        if heading_level(unit.single or "") or (notes_between and _plain_title(unit.single or "")):
            break  # a section starts: the paragraph really ends unfinished
        if not notes_between and _plain_title(unit.single or "") and _box_follows(units, index):
            index = _take_box(units, index, doc)
            continue
        lines.extend(unit.lines)
        index += 1
    return index


def _continued_by(units: list[Unit], index: int) -> bool:
    """Whether the next text unit opens with punctuation that continues a sentence."""
    nxt = next((u for u in units[index:] if not u.is_note), None)
    return nxt is not None and nxt.lines[0].startswith(CONTINUATION) and not heading_level(nxt.lines[0])


def _finished(lines: list[str]) -> bool:
    text = lines[-1].strip().rstrip(SUPERSCRIPT_DIGITS).rstrip()
    return bool(FINISHED.search(text)) or not text


def _box_follows(units: list[Unit], index: int) -> bool:
    """A title line followed by text and then notes: a box set into the page, not a continuation."""
    end = index + 1
    while end < len(units) and not units[end].is_note:
        if _could_be_heading(units[end].single):
            return False
        end += 1
    return index + 1 < end < len(units)


def _take_box(units: list[Unit], index: int, doc: Document) -> int:
    title = units[index]
    section = BackMatter("summary", title.single, line=title.line)
    index += 1
    while index < len(units) and not units[index].is_note:
        section.items.append(_paragraph(units[index].lines, units[index].line))
        index += 1
    doc.backmatter.append(section)
    return index


def _paragraph(lines: list[str], line: int) -> Block:
    return _text("paragraph", join_lines(lines), line)


def _text(kind: str, text: str, line: int) -> Block:
    """A paragraph or list item; URLs in it become links."""
    block = text_block(kind, text, line)
    block.inlines = linkify(text)
    return block


# --------------------------------------------------------------------------- back matter


def _back_matter(units: list[Unit], doc: Document, contents: dict[str, int]) -> list[BackMatter]:
    """Sections of the tail, by shape; unrecognised runs become colophon sections."""
    sections: list[BackMatter] = []
    keys = set(contents)
    names = _author_names(doc)
    index = 0
    while index < len(units):
        kind = _tail_kind(units, index, keys, names)
        title = None
        line = units[index].single or ""
        if not kind and index + 1 < len(units) and _plain_title(line) and heading_key(line) not in keys:
            if _tail_kind(units, index + 1, keys, names):
                title, index = units[index], index + 1
                kind = _tail_kind(units, index, keys, names)
        if not kind:
            _colophon(sections, units[index])
            index += 1
            continue
        section = BackMatter(kind, title.single if title else "", line=(title or units[index]).line)
        after = _fill_section(section, units, index, keys, names)
        if after == index:  # the list's first entry is incomplete: keep it all as colophon
            for unit in ([title] if title else []) + [units[index]]:
                _colophon(sections, unit)
            index += 1
            continue
        sections.append(section)
        index = after
    return sections


def _tail_kind(units: list[Unit], index: int, keys: set[str], names: list[str]) -> str:
    kind = _list_kind(units, index, keys)
    if kind:
        return kind
    unit = units[index]
    text = unit.text
    if not unit.is_note and any(text.startswith(name) for name in names) and INNER_PUNCT.search(text):
        return "author-notes"
    return ""


def _fill_section(section: BackMatter, units: list[Unit], index: int, keys: set[str],
                  names: list[str]) -> int:
    if section.kind == "contents":
        length = _contents_run(units, index, keys)
        for unit in units[index:index + length]:
            section.items.append(text_block("list_item", unit.single, unit.line))
        return index + length
    if section.kind == "abbreviations":
        section.items.extend(_abbreviations(units[index], None).items)
        return index + 1
    if section.kind == "publications":
        return _publications(section, units, index)
    if section.kind == "author-notes":
        while index < len(units) and _tail_kind(units, index, keys, names) == "author-notes":
            section.items.append(_paragraph(units[index].lines, units[index].line))
            index += 1
        return index
    section.items.append(_paragraph(units[index].lines, units[index].line))  # citation
    return index + 1


def _publications(section: BackMatter, units: list[Unit], index: int) -> int:
    """Entries of a publication list: a 《title》 line, name lines, a date line."""
    while index < len(units) and units[index].single and WORK_TITLE.match(units[index].single):
        end = index + 1
        while end < len(units) and end - index <= 4 and not DATE_LINE.match(units[end].single or ""):
            end += 1
        if end >= len(units) or not DATE_LINE.match(units[end].single or ""):
            break  # not an entry: what follows is left to the caller
        lines = [line.strip() for unit in units[index:end + 1] for line in unit.lines]
        section.items.append(_text("list_item", _join_verbatim(lines), units[index].line))
        index = end + 1
    return index


def _join_verbatim(lines: list[str]) -> str:
    """Lines joined with one space, none after Chinese punctuation; spaces inside lines kept."""
    out = lines[0]
    for line in lines[1:]:
        out += ("" if out.endswith(("、", "，")) else " ") + line
    return out


def _colophon(sections: list[BackMatter], unit: Unit) -> None:
    """Unrecognised tail material, kept line by line in a colophon section."""
    if not sections or sections[-1].kind != "colophon":
        sections.append(BackMatter("colophon", "", line=unit.line))
    for offset, line in enumerate(unit.lines):
        sections[-1].items.append(_text("paragraph", line, unit.line + offset))
