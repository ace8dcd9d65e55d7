"""Reader for Markdown reposts of news items (a web page saved as Markdown).

General rules, by layout (phrases of one website are data in ``corpus/chrome.yml``):

- lines: a saved web page has one line per paragraph, so every non-blank line is a unit; a
  line holding only spaces is blank; leading spaces are ignored;
- chrome: site phrases (chrome.yml), navigation, horizontal rules, a trailing bulleted list of
  link-only items (footer), caption-less images after the end matter has begun (logos, QR
  codes), the title line of a link card repeated by the block-quoted link under it;
- header: the first Markdown heading (the title) and the short lines before the first prose
  paragraph (date and source line, bylines "作者：" "翻译：", a dateline, an unnumbered heading
  that labels the column) go to the header block; images there are figures of the body;
- body: Markdown headings, the shallowest one as a top section; plain ordinal lines (一、 1、
  （一） 1） 第一部分) that are short, one sentence and continue their numbering as headings,
  levels by the order in which numbering styles nest (the first style met is the top section;
  a run of numbered lines with nothing between is a list); bold-only short lines as headings; a
  short label line ("点评：", not "他表示：") before a prose paragraph as a top heading; an
  image with its caption (text after the image, italic or credit lines right under it, or a
  short line under a bare image) as one figure block, images numbered "图片 1"…; a paragraph
  cut after "、"/"，" by a blank line re-joined; quotes; list items;
- tail (from the end back to the last prose paragraph, an image right after that paragraph
  excepted): numbered entries that cite something ("[1] …", "1. [title](url)"; a link or URL
  line under an entry continues it) are notes (RawNote, page 0); an unnumbered run of link
  lines is a reference list named by the label above it; short label lines ("来源：…",
  "翻译：…", an empty "原文链接：") are metadata; disclaimers and the author's parenthesised
  note form the disclaimer section;
- Markdown footnotes: "[^1]" is a marker and a "[^1]: …" line, wherever it stands, its note;
  circled numbers (①) are markers when the notes at the end are labelled with them;
- markers: bracketed numbers ([1] 【1】 ［1］, emphasis around them dropped) in the body are
  Marker inlines when they run as a sequence 1, 2, 3… (one cited again is kept when it was a
  marker before or the notes list it); a number out of the sequence, a lone one with no notes,
  or one that opens a paragraph of a text without notes (a list label) stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..footnotes import CIRCLED, READER, normalize_label
from ..models import BackMatter, Block, Document, Dropped, Inline, Link, Marker, RawNote, Text
from .common import ReadContext, Source, language_of, new_document
from .markdown_inline import (IMAGE_TEXT, SAFE_SCHEMES, flat_text, fully_emphasised, merge_text, parse_inline, plain,
                              plain_line, split_images)

__all__ = ["read", "SAFE_SCHEMES"]

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
LIST_ITEM = re.compile(r"^(?:[-*+]|\d+\.)\s+(.*)$")
BULLET_ITEM = re.compile(r"^[-*+]\s+(.*)$")
QUOTE = re.compile(r"^(?:>\s?)+(.*)$")
LINK_ANYWHERE = re.compile(r"!?\[[^\]]*\]\([^)]*\)")
BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$")
LABEL_LINE = re.compile(r"^(?:[^：:]{1,12}[：:]|(?:参考|参考资料|参考文献|参考消息|参考链接|参考新闻|资料来源|相关阅读|相关链接"
                        r"|延伸阅读|注释|References?|Sources?|Notes?|Further reading)[：:]?)$", re.I)
HEADING_LABEL = re.compile(r"^[^：:，。\s]{1,8}(?<![说道称示为出问曰])[：:]$")
CITATION_SIGNS = re.compile(r"https?://|www\.|[A-Za-z]{3,}|[《〈]|(?:19|20)\d\d")
LABELLED = re.compile(r"^[^\s：:]{1,6}\s*[：:]")
LIST_ENTRY = re.compile(r"^(\d{1,3})([.．、])\s*(.*)$")
URL_IN_TEXT = re.compile(r"https?://\S+")
FOOTNOTE_DEF = re.compile(r"^(\[\^[^\]\s]{1,20}\])(:)\s*(.*)$")
ENTRY = re.compile(f"^(?:[\\[［【]\\s*(\\d{{1,3}})\\s*[\\]］】]|([{CIRCLED}]))\\s*(.*)$")
DISCLAIMER = re.compile(r"^(免责声明|免責聲明|Disclaimer)\s*[：:]", re.I)
AUTHOR_NOTE = re.compile(r"^[（(][^（()）]{2,60}[）)]$")
CREDIT = re.compile(r"^[（(]?\s*(?:图片|圖片|图|圖|照片|photo|image)?\s*(?:来源|來源|提供|source|credit)s?\s*[：:]", re.I)
TRAILING_MARKERS = re.compile(r"(?:\s*[\[［【]\s*\d{1,3}\s*[\]］】])+\s*$")
TERMINAL = ("。", "！", "？", "!", "?", ".", "…", "”", "\"", "」", "』", "；")
OPEN_END = ("、", "，", ",")
LEAD_IN = ("——", "：", ":")
HEADER_PUNCT = re.compile(r"[，。；！？：]")
SENTENCE_INSIDE = re.compile(r"[。！？!?；;]")
BYLINE_MAX = 80
HEADER_MAX = 12
HEADING_MAX = 40
CAPTION_MAX = 40
CREDIT_MAX = 120
SEQUENCE_GAP = 3  # a marker may skip this many numbers (one lost in the repost)

CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九", 0)}
ORDINALS = [
    ("cn", re.compile(r"^([一二三四五六七八九十]{1,3})\s*、")),
    ("(cn)", re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")),
    ("n", re.compile(r"^(\d{1,2})\s*、")),
    ("(n)", re.compile(r"^[（(](\d{1,2})[）)]")),
    ("n)", re.compile(r"^(\d{1,2})[）)]")),
    ("part", re.compile(r"^第([一二三四五六七八九十]{1,3}|\d{1,2})(?:部分|章|节|節|篇)")),
    ("n.", re.compile(r"^(\d{1,2})[．.](?=[^\d\s.．])")),
]


@dataclass
class Unit:
    """One non-blank source line."""

    line: int
    text: str  # trimmed
    plain: str = field(init=False)
    images: list[Link] = field(init=False)  # the images of the line
    rest: str = field(init=False)  # the line without its images

    def __post_init__(self) -> None:
        heading = HEADING.match(self.text)
        self.plain = plain_line(heading.group(2) if heading else self.text)
        self.images, self.rest = split_images(self.text) if "![" in self.text else ([], self.text)


def read(source: Source, ctx: ReadContext) -> Document:
    doc = new_document(source)
    units = _units(source.lines, doc, ctx)
    units = _drop_footer(units, doc)
    body_start, figures = _read_header(units, doc)
    tail_start = _tail_start(units, body_start)
    listed = _read_tail(units[tail_start:], doc)
    doc.blocks.extend(figures)
    _read_body(units[body_start:tail_start], doc)
    _circled_markers(doc)
    _settle_markers(doc)
    _uncited_list(doc, listed)
    _number_images(doc)
    doc.note_style = READER  # markers are this reader's: bracketed numbers as a running sequence
    return doc


# --------------------------------------------------------------------------- lines and chrome


def _units(lines: list[str], doc: Document, ctx: ReadContext) -> list[Unit]:
    units = []
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text:
            continue
        definition = FOOTNOTE_DEF.match(text)
        if definition:  # "[^1]: text", wherever it stands, is the note of the marker "[^1]"
            doc.raw_notes.append(RawNote(definition.group(1), _note_text(definition.group(3)), number))
            doc.chrome.append(Dropped(number, definition.group(2), "footnote definition mark"))
            continue
        reason = ctx.chrome.match(text)
        if reason and reason != "image-only line":  # images are the reader's to place
            doc.chrome.append(Dropped(number, text, reason))
        else:
            units.append(Unit(number, text))
    return units


def _drop_footer(units: list[Unit], doc: Document) -> list[Unit]:
    """A trailing run of list items that are only links is the site footer."""
    end = len(units)
    while end and _is_link_list_item(units[end - 1].text):
        end -= 1
    if end < len(units):
        for unit in units[end:]:
            doc.chrome.append(Dropped(unit.line, unit.text, "site footer links"))
        return units[:end]
    return units


def _is_link_list_item(text: str) -> bool:
    item = BULLET_ITEM.match(text)  # (a numbered list of links is a reference list)
    return bool(item) and _is_link_only(item.group(1))


def _is_link_only(text: str) -> bool:
    return bool(text.strip()) and not LINK_ANYWHERE.sub("", text).strip()


def _is_image_only(unit: Unit) -> bool:
    return bool(unit.images) and not unit.rest.strip()


def _has_image(unit: Unit) -> bool:
    return bool(unit.images)


# --------------------------------------------------------------------------- header


def _read_header(units: list[Unit], doc: Document) -> tuple[int, list[Block]]:
    """Title and byline lines to the header block; the index of the first body unit and the
    figures met on the way."""
    figures: list[Block] = []
    index = 0
    if units and HEADING.match(units[0].text):
        doc.metadata_lines.append(flat_text(HEADING.match(units[0].text).group(2)))
        index = 1
    while index < len(units) and index < HEADER_MAX:
        unit = units[index]
        if _has_image(unit):
            block, index = _figure(units, index)
            figures.append(block)
            continue
        kicker = (HEADING.match(unit.text) and _ordinal(unit.plain) is None  # a column label over the text
                  and len(unit.plain) <= HEADING_MAX and not _is_prose(unit.plain))
        byline = LABELLED.match(unit.plain) and not _ordinal(unit.plain)  # "**作者：某某**" too
        if not kicker and (not _header_line(unit.plain) or QUOTE.match(unit.text) or LIST_ITEM.match(unit.text)
                           or HEADING.match(unit.text) or (_heading_shape(unit) and not byline)):
            break
        doc.metadata_lines.append(flat_text(HEADING.match(unit.text).group(2) if kicker else unit.text))
        index += 1
    return index, figures


def _header_line(text: str) -> bool:
    """A short line of the page header: a byline ("作者：…"), a date or source line, a dateline.
    A line with sentence punctuation, or one that ends as a lead-in ("…：", "…——"), is prose."""
    if len(text) > BYLINE_MAX or _is_prose(text) or text.endswith(OPEN_END + LEAD_IN):
        return False
    if LABELLED.match(text):
        return True
    return not HEADER_PUNCT.search(text)


def _is_prose(text: str) -> bool:
    """Ends like a sentence (a bracketed marker after the full stop aside)."""
    return TRAILING_MARKERS.sub("", text).endswith(TERMINAL)


def _heading_shape(unit: Unit) -> bool:
    """Looks like a heading whatever its context: bold-only short line or ordinal line."""
    return _bold_heading(unit) or (_ordinal(unit.plain) is not None and _short_sentence(unit.plain))


# --------------------------------------------------------------------------- tail


def _tail_start(units: list[Unit], start: int) -> int:
    """Where the end matter starts. An image right after the last paragraph, before any end
    matter, is the article's; images further on are the site's (logo, QR codes)."""
    index = len(units)
    while index > start and _is_tail_unit(units[index - 1]):
        index -= 1
    while index < len(units) and _is_image_only(units[index]):
        index += 1
    return index


def _is_tail_unit(unit: Unit) -> bool:
    text, shown = unit.text, unit.plain
    return bool((ENTRY.match(text) and _reference_like(unit)) or _list_entry(unit) or _is_link_only(text)
                or BARE_URL.match(shown)
                or LABEL_LINE.match(shown) or DISCLAIMER.match(shown) or AUTHOR_NOTE.match(shown)
                or _is_credit(shown) or _is_image_only(unit))


def _entry(unit: Unit) -> tuple[str, str, str] | None:
    """A numbered reference entry: (label, the rest, punctuation left out of the label). "[1] …"
    keeps its brackets; "1. [title](url)" is labelled "1" (the list's full stop is dropped)."""
    match = ENTRY.match(unit.text)
    if match:
        return unit.text[:match.start(3)].strip(), match.group(3), ""
    match = _list_entry(unit)
    if match:
        return match.group(1), match.group(3), match.group(2)
    return None


def _list_entry(unit: Unit) -> re.Match | None:
    """A numbered list item that cites a link or an address ("1. [title](url)")."""
    match = LIST_ENTRY.match(unit.text)
    return match if match and (LINK_ANYWHERE.search(unit.text) or URL_IN_TEXT.search(unit.text)) else None


def _reference_like(unit: Unit) -> bool:
    """A numbered line that cites something: a link or address, a Latin title, a book title or a
    year (a numbered point of the text has none of these)."""
    return bool(LINK_ANYWHERE.search(unit.text) or CITATION_SIGNS.search(unit.plain))


def _is_credit(text: str) -> bool:
    """A label line such as "来源：https://…" or "翻译：… | 校对：…" (no sentence after the label)."""
    return bool(LABELLED.match(text)) and len(text) <= CREDIT_MAX and not text.endswith(TERMINAL)


@dataclass
class _Listed:
    """The numbered entries read as notes: the lines of each, and what was set aside for them."""

    lines: list[list[Unit]] = field(default_factory=list)
    label: Unit | None = None
    set_aside: list[Dropped] = field(default_factory=list)


def _read_tail(units: list[Unit], doc: Document) -> _Listed:
    listed = _Listed()
    entry: list | None = None  # [line, label, parts]
    links: BackMatter | None = None
    disclaimer: BackMatter | None = None
    for index, unit in enumerate(units):
        later = units[index + 1] if index + 1 < len(units) else None
        numbered = _entry(unit)
        if numbered:
            label, rest, dropped = numbered
            if dropped:
                listed.set_aside.append(Dropped(unit.line, dropped, "list-number punctuation of a reference entry"))
            entry = [unit.line, label, [rest]]
            doc.raw_notes.append(_note(entry))
            listed.lines.append([unit])
            continue
        if entry and not _has_image(unit) and (_is_link_only(unit.text) or BARE_URL.match(unit.plain)):
            entry[2].append(unit.text)
            doc.raw_notes[-1] = _note(entry)
            listed.lines[-1].append(unit)
            continue
        entry = None
        if _is_link_only(unit.text) and not _is_image_only(unit):
            if links is None:
                links = BackMatter("references", "", line=unit.line)
                doc.backmatter.append(links)
            links.items.append(_block("list_item", unit.text, unit.line))
            continue
        if LABEL_LINE.match(unit.plain) and later and (_entry(later) or _is_link_only(later.text)):
            if _entry(later):
                listed.label = unit
                listed.set_aside.append(Dropped(unit.line, unit.text,
                                                "reference-list label (its entries are the notes)"))
            else:
                links = BackMatter("references", unit.plain, line=unit.line)
                doc.backmatter.append(links)
            continue
        links = None
        if _is_image_only(unit):
            doc.chrome.append(Dropped(unit.line, unit.text, "image after the article (logo, QR code)"))
        elif DISCLAIMER.match(unit.plain) or AUTHOR_NOTE.match(unit.plain):
            if disclaimer is None:
                disclaimer = BackMatter("disclaimer", "免责声明", line=unit.line)
                doc.backmatter.append(disclaimer)
            disclaimer.items.append(_block("paragraph", unit.text, unit.line))
        else:
            doc.metadata_lines.append(flat_text(unit.text))
    doc.chrome.extend(listed.set_aside)
    return listed


def _uncited_list(doc: Document, listed: _Listed) -> None:
    """Numbered entries that no marker of the text cites are a reading list, not notes."""
    if not listed.lines or any(isinstance(n, Marker) for b in doc.blocks for n in b.inlines):
        return
    section = BackMatter("references", listed.label.plain if listed.label else "", line=listed.lines[0][0].line)
    section.items = [_block("list_item", unit.text, unit.line, markers=False)
                     for lines in listed.lines for unit in lines]
    doc.backmatter.append(section)
    doc.raw_notes = [n for n in doc.raw_notes if n.line not in {lines[0].line for lines in listed.lines}]
    doc.chrome = [c for c in doc.chrome if not any(c is d for d in listed.set_aside)]


def _note(entry: list) -> RawNote:
    line, label, parts = entry
    text = " ".join(_note_text(part) for part in parts if part.strip())
    return RawNote(label, " ".join(text.split()), line)


def _note_text(text: str) -> str:
    """A reference entry as note text: a link as its text and its address."""
    out = []
    for node in parse_inline(text):
        if isinstance(node, Link):
            out.append(f" {node.url} " if node.text == node.url else f" {node.text} {node.url} ")
        else:
            out.append(plain([node]))
    return " ".join("".join(out).split())


# --------------------------------------------------------------------------- body


class _Outline:
    """Numbering styles in the order they nest: the first style met is the top section."""

    def __init__(self) -> None:
        self.styles: list[str] = []
        self.last: dict[str, int] = {}

    def continues(self, style: str, value: int) -> bool:
        return value == self.last.get(style, 0) + 1

    def level(self, style: str, value: int) -> int:
        if style in self.styles:
            for deeper in self.styles[self.styles.index(style) + 1:]:
                self.last.pop(deeper, None)
            del self.styles[self.styles.index(style) + 1:]
        else:
            self.styles.append(style)
        self.last[style] = value
        return min(1 + len(self.styles), 6)


def _read_body(units: list[Unit], doc: Document) -> None:
    outline = _Outline()
    top = min((len(m.group(1)) for m in map(HEADING.match, (u.text for u in units)) if m), default=2)
    index = 0
    while index < len(units):
        unit = units[index]
        later = units[index + 1] if index + 1 < len(units) else None
        if _has_image(unit):
            block, index = _figure(units, index)
            doc.blocks.append(block)
            continue
        index += 1
        heading = HEADING.match(unit.text)
        if heading:
            # the shallowest Markdown heading of the body is a top section (level 2)
            level = min(6, 2 + len(heading.group(1)) - top)
            doc.blocks.append(_block("heading", heading.group(2), unit.line, level))
        elif QUOTE.match(unit.text):
            _quote(unit, doc)
        elif LIST_ITEM.match(unit.text) and not fully_emphasised(unit.text):
            doc.blocks.append(_block("list_item", LIST_ITEM.match(unit.text).group(1), unit.line))
        elif DISCLAIMER.match(unit.plain):
            section = BackMatter("disclaimer", "免责声明", line=unit.line)
            section.items.append(_block("paragraph", unit.text, unit.line))
            doc.backmatter.append(section)
        else:
            level = _heading_level(unit, later, outline)
            if level:
                doc.blocks.append(_block("heading", unit.text, unit.line, level))
            elif _continues_paragraph(doc):
                last = doc.blocks[-1]
                last.inlines = merge_text(last.inlines + parse_inline(unit.text, markers=True))
            else:
                doc.blocks.append(_block("paragraph", unit.text, unit.line))


def _heading_level(unit: Unit, later: Unit | None, outline: _Outline) -> int:
    ordinal = _ordinal(unit.plain)
    if _bold_heading(unit):
        return outline.level(*ordinal) if ordinal else 2
    if ordinal and _short_sentence(unit.plain) and outline.continues(*ordinal):
        if not (later and _ordinal(later.plain) and _ordinal(later.plain)[0] == ordinal[0]):
            return outline.level(*ordinal)  # (a run of numbered lines is a list, not headings)
    if HEADING_LABEL.match(unit.plain) and later and _is_prose(later.plain) and not _has_image(later):
        return 2  # a label that opens a section ("点评："), not one that introduces speech ("他说：")
    return 0


def _bold_heading(unit: Unit) -> bool:
    return (unit.text.startswith("**") and unit.text.endswith("**") and fully_emphasised(unit.text)
            and 0 < len(unit.plain) <= HEADING_MAX and not _is_prose(unit.plain))


def _short_sentence(text: str) -> bool:
    return len(text) <= HEADING_MAX and not SENTENCE_INSIDE.search(text[:-1])


def _ordinal(text: str) -> tuple[str, int] | None:
    for style, pattern in ORDINALS:
        match = pattern.match(text)
        if match and text[match.end():].strip():
            number = match.group(1)
            return style, int(number) if number.isdigit() else _chinese_number(number)
    return None


def _chinese_number(text: str) -> int:
    """一 -> 1, 十 -> 10, 十二 -> 12, 二十 -> 20, 二十三 -> 23."""
    if "十" not in text:
        return CN_DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)


def _continues_paragraph(doc: Document) -> bool:
    """The last block is a paragraph cut in mid-sentence ("…包括后勤、" ⏎⏎ "机关、…")."""
    last = doc.blocks[-1] if doc.blocks else None
    return last is not None and last.kind == "paragraph" and last.text.rstrip().endswith(OPEN_END)


def _quote(unit: Unit, doc: Document) -> None:
    if not QUOTE.match(unit.text).group(1).strip():
        return  # an empty quote line (">") only spaces the quote's paragraphs
    block = _block("quote", QUOTE.match(unit.text).group(1), unit.line)
    previous = doc.blocks[-1] if doc.blocks else None
    if previous is not None and previous.kind == "paragraph" and previous.text.strip() == block.text.strip() \
            and any(isinstance(n, Link) for n in block.inlines):
        doc.blocks.pop()
        doc.chrome.append(Dropped(previous.line, previous.text, "link card title (repeated by the link under it)"))
    doc.blocks.append(block)


def _figure(units: list[Unit], index: int) -> tuple[Block, int]:
    """An image line with its caption: the text after the images, then italic or credit lines
    right under it (no blank line between)."""
    unit = units[index]
    images, captions = unit.images, [unit.rest.strip()]
    index += 1
    while (index < len(units) and units[index].line == units[index - 1].line + 1
           and _is_caption(units[index], loose=not any(captions))):
        captions.append(units[index].text)
        index += 1
    inlines: list[Inline] = []
    for piece in [[image] for image in images] + [parse_inline(text, markers=True) for text in captions if text]:
        inlines += ([Text(" ")] if inlines else []) + piece
    inlines = merge_text(inlines)
    return Block(kind="figure", inlines=inlines, lang=language_of(plain(inlines)), line=unit.line), index


def _number_images(doc: Document) -> None:
    """The images of the figures numbered in reading order ("图片 1"), so that each figure reads
    as its own even without a caption."""
    number = 0
    for block in doc.blocks:
        if block.kind != "figure":
            continue
        inlines, leading = [], True  # the images lead the figure; its caption follows
        for node in block.inlines:
            leading = leading and (isinstance(node, Link) or not plain([node]).strip())
            if leading and isinstance(node, Link):
                number += 1
                node = Link(node.text.replace(IMAGE_TEXT, f"{IMAGE_TEXT} {number}", 1), node.url, node.title)
            inlines.append(node)
        block.inlines = inlines


def _is_caption(unit: Unit, loose: bool) -> bool:
    """Italic or credit lines; and, under an image with no caption yet (``loose``), a short line
    that reads neither as a sentence, a lead-in nor a heading."""
    if _has_image(unit) or _heading_shape(unit) or HEADING.match(unit.text) or LIST_ITEM.match(unit.text):
        return False
    if fully_emphasised(unit.text) or CREDIT.match(unit.plain):
        return True
    return (loose and len(unit.plain) <= CAPTION_MAX and not LABELLED.match(unit.plain)
            and not unit.plain.endswith(TERMINAL + OPEN_END + LEAD_IN))


def _block(kind: str, text: str, line: int, level: int = 0, markers: bool = True) -> Block:
    inlines = parse_inline(text.strip(), markers=markers and kind != "heading")
    return Block(kind=kind, inlines=inlines, level=level, lang=language_of(plain(inlines)), line=line)


# --------------------------------------------------------------------------- markers


def _settle_markers(doc: Document) -> None:
    """Bracketed numbers are markers when they run as a sequence 1, 2, 3… through the body (a
    number cited again is a marker when it was one before or the notes list it); any other
    candidate, or a lone one with no notes, goes back to being text."""
    listed = {normalize_label(note.label) for note in doc.raw_notes}
    last, seen, accepted = 0, set(), []
    for block in doc.blocks:
        for position, node in enumerate(block.inlines):
            if not isinstance(node, Marker):
                continue
            if node.label.startswith("[^") or node.label in CIRCLED:
                accepted.append(id(node))  # Markdown's own footnote syntax, or a circled note label listed
                continue
            if not listed and _opens_block(block, position):
                continue  # "[1] 第一点……" with no notes anywhere: a list label
            value = int(normalize_label(node.label))
            if last < value <= last + SEQUENCE_GAP:
                last = value
            elif not (value in seen or str(value) in listed):
                continue
            seen.add(value)
            accepted.append(id(node))
    if len(accepted) < 2 and not listed:
        accepted = []
    keep = set(accepted)
    for block in doc.blocks:
        if any(isinstance(n, Marker) for n in block.inlines):
            block.inlines = merge_text([n if not isinstance(n, Marker) or id(n) in keep else Text(n.label)
                                        for n in block.inlines])


def _circled_markers(doc: Document) -> None:
    """Circled numbers (①) are markers when the notes at the end are labelled with them; without
    such a list they are the text's own enumeration and stay text."""
    labels = "".join(sorted({n.label for n in doc.raw_notes if n.label in CIRCLED}))
    if not labels:
        return
    pattern = re.compile(f"[{labels}]")
    for block in doc.blocks:
        if block.kind == "heading":
            continue
        inlines: list[Inline] = []
        for node in block.inlines:
            if not isinstance(node, Text) or not pattern.search(node.text):
                inlines.append(node)
                continue
            last = 0
            for match in pattern.finditer(node.text):
                inlines += [Text(node.text[last:match.start()]), Marker(match.group(0))]
                last = match.end()
            inlines.append(Text(node.text[last:]))
        block.inlines = merge_text(inlines)


def _opens_block(block: Block, position: int) -> bool:
    return all(isinstance(n, Text) and not n.text.strip() for n in block.inlines[:position])
