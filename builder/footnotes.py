"""Footnotes: find markers in the body, resolve each to its note, report what cannot be resolved.

Readers deliver blocks whose text still carries the source's markers, and the note texts they
found (RawNote, with the printed page for page-scoped conventions). This stage:

1. picks the convention (metadata ``note_style``, or detected from the text),
2. splits every Text inline at its markers into NoteRef (resolved) or MissingNoteRef,
3. numbers notes per document in reading order; notes never referenced become orphan notes,
4. links cross-references between notes ("（注释5）", "同上", "Ibid.").

Conventions:
- circled: ①②… restarting on each printed page; resolved to the note of the same page.
- superscript: ¹²… numbered through the document; note lines start with the superscript or a
  plain number.
- letter: a, b, c… glued after Chinese text or punctuation, restarting on each page.
- numeric: digits glued after punctuation or a word in English text ("satellites.6"), or one
  space after a sentence ("Putin. 53"); accepted only as a running sequence 1, 2, 3…, so the
  convention is detected (and markers shown as missing) even when the notes are not in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .diagnostics import Diagnostics
from .links import linkify
from .models import (Block, Document, Inline, Link, Marker, MissingNoteRef, Note, NoteRef, RawNote, Text,
                     leaf_blocks)

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿"
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_ASCII = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")

PAGE_SCOPED = {"circled", "letter"}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_CJK_PUNCT = "，。、；：？！”’）》」』…—%"
_OPENING_PUNCT = "“‘（《「『"
MARKER_PATTERNS = {
    "circled": re.compile(f"[{CIRCLED}]"),
    "superscript": re.compile(f"[{SUPERSCRIPT_DIGITS}]+"),
    # a lowercase letter glued after a Chinese character, Chinese punctuation or a percent sign,
    # and followed by Chinese text, punctuation (opening quotes too: "服务。b“商业"), a space,
    # the end, or digits ("任务。a2020年"; not after a digit: "1a2" is no marker): never inside
    # a Latin word.
    # (Each pattern that starts with look-behinds first checks the character it matches, so that
    # the look-behinds are tried only there, not at every position of the text: same matches.)
    "letter": re.compile(f"(?=[a-z])(?:(?<=[{_CJK}{_CJK_PUNCT}])[a-z](?=[{_CJK}{_CJK_PUNCT}{_OPENING_PUNCT}0-9\\s]|$)"
                         f"|(?<=[0-9])[a-z](?=[{_CJK}{_CJK_PUNCT}{_OPENING_PUNCT}\\s]|$))"),
    # English text: 1-3 digits glued after a lowercase word ("Accords44"), after a word's
    # punctuation ("satellites.6", "Act.40", "technology,27") or closing quote ("cooperation.”24");
    # or one space after sentence punctuation or a closing bracket ("Putin. 53 It",
    # "CD/1665) 23. After") when a capital letter or the paragraph's end follows. Candidates
    # are only accepted when they continue the running sequence (see _Resolver.in_sequence),
    # which rules out years, "S-500", "2010-2012", decimals ("3.5") and list numbers.
    "numeric": re.compile(
        r"(?=\d)(?:(?:(?<=[a-z])|(?<=[a-z\)\]”\"’'][.,;:!?])|(?<=[”\"’'\)\]]))(\d{1,3})(?![\d%]|[.,]\d|[A-Za-z])"
        r"|(?:(?<=[.!?] )|(?<=[.!?][”\"’'\)\]] )|(?<=[\)\]] ))(\d{1,3})"
        r"(?=[.,;:]?\s+[A-Z“\"(]|[.,;:]?\s*$))"),
}
# Styles whose markers must continue the running sequence 1, 2, 3… to count as markers.
SEQUENCED = {"numeric"}
SEQUENCE_GAP = 3  # a marker may skip at most this many numbers (markers lost in extraction)


def circled_value(label: str) -> int:
    return CIRCLED.index(label) + 1


_LABEL_FOLD = str.maketrans({**{ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")},
                             ord("∗"): "*", ord("＊"): "*"})
_LABEL_BRACKETS = re.compile(r"^[\[［【〔(（]\s*(.*?)\s*[\]］】〕)）]$")


def normalize_label(label: str) -> str:
    """The comparable form of a marker: circled and letters as they are, numbers as ASCII
    ("¹²" and "１２" -> "12"), brackets dropped ("［12］", "[12]", "【 12 】" -> "12"), "∗"/"＊" -> "*"."""
    label = label.translate(_SUP_TO_ASCII).translate(_LABEL_FOLD).strip()
    bracketed = _LABEL_BRACKETS.match(label)
    return bracketed.group(1) if bracketed else label


def detect_style(doc: Document) -> str:
    """The note convention the document uses, by counting candidate markers in the body."""
    if doc.meta.note_style != "auto":
        return doc.meta.note_style
    body = "\n".join(_block_texts(doc.blocks))
    counts = {style: len(pattern.findall(body)) for style, pattern in MARKER_PATTERNS.items()}
    counts["numeric"] = len(sequential_numbers(body))
    # letters are only trusted when note lines with letter labels exist
    note_labels = {normalize_label(n.label) for n in doc.raw_notes}
    if not note_labels & set("abcdefghij"):
        counts["letter"] = 0
    if not note_labels & {str(i) for i in range(1, 200)}:
        counts["superscript"] = counts["superscript"] if counts["superscript"] > 2 else 0
        # without note texts, numeric markers are trusted only as a run 1, 2, 3… of some length
        counts["numeric"] = counts["numeric"] if counts["numeric"] >= MIN_SEQUENCE_WITHOUT_NOTES else 0
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] else "none"


MIN_SEQUENCE_WITHOUT_NOTES = 5


def sequential_numbers(text: str) -> list[int]:
    """The numeric marker candidates of a text that continue the sequence 1, 2, 3…"""
    accepted: list[int] = []
    for match in MARKER_PATTERNS["numeric"].finditer(text):
        value = int(match.group(1) or match.group(2))
        if _continues(accepted[-1] if accepted else 0, value):
            accepted.append(value)
    return accepted


def _continues(last: int, value: int) -> bool:
    return last < value <= last + SEQUENCE_GAP


def _block_texts(blocks: list[Block]):
    for block in blocks:
        if block.pair:
            yield from _block_texts(block.pair)
        else:
            yield block.text


@dataclass
class _Resolver:
    doc: Document
    style: str
    diag: Diagnostics

    def __post_init__(self) -> None:
        self.by_key: dict[tuple[int, str], list[int]] = {}
        self.by_page_key: dict[tuple[int, str], list[int]] = {}  # for Marker inlines
        for index, raw in enumerate(self.doc.raw_notes):
            key = (raw.page if self.style in PAGE_SCOPED else 0, normalize_label(raw.label))
            self.by_key.setdefault(key, []).append(index)
            self.by_page_key.setdefault((raw.page, normalize_label(raw.label)), []).append(index)
        self.number_of: dict[int, int] = {}  # raw note index -> note number
        self.used: set[int] = set()
        self.last_in_sequence: dict[str, int] = {}  # language -> last sequenced marker value

    def in_sequence(self, label: str, lang: str) -> bool:
        """For sequenced styles: accept a candidate that continues its language's sequence."""
        value = int(normalize_label(label))
        if not _continues(self.last_in_sequence.get(lang, 0), value):
            return False
        self.last_in_sequence[lang] = value
        return True

    def resolve_marker(self, marker: Marker) -> Inline:
        """A marker the reader identified: the note of its page, else a document-wide note
        (page 0; one cited again takes the same note). Never another page's note."""
        label = normalize_label(marker.label)
        if marker.page:
            on_page = self.by_page_key.get((marker.page, label), [])
            fresh = [i for i in on_page if i not in self.used]
            if fresh:
                return self._take(fresh[0], marker.label)
            if on_page:
                return MissingNoteRef(marker.label)
        listed = self.by_page_key.get((0, label), [])
        if listed:
            fresh = [i for i in listed if i not in self.used]
            return self._take((fresh or listed)[0], marker.label)
        return MissingNoteRef(marker.label)

    def _take(self, index: int, label: str) -> NoteRef:
        self.used.add(index)
        if index not in self.number_of:
            self.number_of[index] = len(self.number_of) + 1
        return NoteRef(self.number_of[index], label)

    def resolve_label(self, label: str, page: int) -> Inline:
        key = (page if self.style in PAGE_SCOPED else 0, normalize_label(label))
        candidates = self.by_key.get(key, [])
        fresh = [i for i in candidates if i not in self.used]
        if fresh:
            index = fresh[0]
        elif candidates and self.style not in PAGE_SCOPED:
            index = candidates[0]  # the same note referenced again
        else:
            return MissingNoteRef(label)
        return self._take(index, label)


def resolve(doc: Document, diag: Diagnostics) -> None:
    """Split markers out of the body text and build ``doc.notes``. Mutates ``doc``."""
    if doc.note_style == READER or _has_markers(doc):  # the reader identified the markers: search no pattern
        style = READER
        resolver = _Resolver(doc, style, diag)
        for block in leaf_blocks(doc.blocks):  # headings too: a reader places markers only where printed
            block.inlines = [resolver.resolve_marker(n) if isinstance(n, Marker) else n for n in block.inlines]
    else:
        style = detect_style(doc)
        resolver = _Resolver(doc, style, diag)
        if style != "none":
            for block in _leaf_blocks(doc.blocks):
                block.inlines = _split_block(block, style, resolver)
    doc.note_style = style
    doc.notes = _build_notes(doc, resolver)
    _count(doc)
    _link_crossrefs(doc)
    _report(doc, diag)


# A reader that identifies markers by structure sets ``doc.note_style = READER`` (even when it found
# none): the footnote stage then resolves its Marker inlines and searches the text for no pattern.
READER = "reader"


def _has_markers(doc: Document) -> bool:
    return any(isinstance(n, Marker) for b in leaf_blocks(doc.blocks) for n in b.inlines)


def _leaf_blocks(blocks: list[Block]):
    """The blocks pattern search looks at: not headings, where a number is a section number
    (a Marker a reader placed in a heading is resolved all the same: ``leaf_blocks``)."""
    return (block for block in leaf_blocks(blocks) if block.kind != "heading")


def _split_block(block: Block, style: str, resolver: _Resolver) -> list[Inline]:
    pattern = MARKER_PATTERNS[style]
    out: list[Inline] = []
    offset = 0
    for node in block.inlines:
        if not isinstance(node, Text):
            out.append(node)
            offset += len(getattr(node, "text", "") or getattr(node, "label", ""))
            continue
        out.extend(_split_text(node.text, offset, block, pattern, style, resolver))
        offset += len(node.text)
    return out


def _split_text(text: str, offset: int, block: Block, pattern: re.Pattern, style: str,
                resolver: _Resolver) -> list[Inline]:
    out: list[Inline] = []
    last = 0
    for match in pattern.finditer(text):
        group = next((g for g in range(1, pattern.groups + 1) if match.group(g) is not None), 0)
        labels = _labels_of(match.group(group), style)
        if style in SEQUENCED and not resolver.in_sequence(labels[0], block.lang):
            continue  # a number out of the marker sequence is text (a year, a quantity)
        page = page_at(block, offset + match.start())
        refs = [resolver.resolve_label(label, page) for label in labels]
        if style == "letter" and all(isinstance(r, MissingNoteRef) for r in refs):
            continue  # a lone letter with no note on its page is text, not a marker
        start = match.start(group)
        if start > last:
            out.append(Text(text[last:start]))
        out.extend(refs)
        last = match.end(group)
        # keep separators the numeric pattern consumed before the digits ("Putin. 53")
    if last < len(text):
        out.append(Text(text[last:]))
    return _merge_text(out)


def _labels_of(raw: str, style: str) -> list[str]:
    if style == "superscript":
        return [raw]
    if style == "circled":
        return list(raw)
    return [raw]


def page_at(block: Block, offset: int) -> int:
    """The printed page at a character offset of a block (blocks can span a page break)."""
    page = block.page
    for start, number in block.page_breaks:
        if offset >= start:
            page = number
    return page


def _merge_text(nodes: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        if out and isinstance(node, Text) and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return out


def _build_notes(doc: Document, resolver: _Resolver) -> list[Note]:
    notes: list[Note] = []
    for index, number in sorted(resolver.number_of.items(), key=lambda kv: kv[1]):
        raw = doc.raw_notes[index]
        notes.append(Note(number, raw.label, linkify(raw.text), raw.line, raw.page, True))
    next_number = len(notes) + 1
    for index, raw in enumerate(doc.raw_notes):
        if index not in resolver.number_of:
            notes.append(Note(next_number, raw.label, linkify(raw.text), raw.line, raw.page, False))
            next_number += 1
    return notes


def _count(doc: Document) -> None:
    refs = [n for b in leaf_blocks(doc.blocks) for n in b.inlines if isinstance(n, (NoteRef, MissingNoteRef))]
    doc.stats.markers_found = len(refs)
    doc.stats.markers_resolved = sum(isinstance(r, NoteRef) for r in refs)
    doc.stats.missing_notes = sum(isinstance(r, MissingNoteRef) for r in refs)
    doc.stats.orphan_notes = sum(not n.referenced for n in doc.notes)


# --------------------------------------------------------------------------- cross-references

CROSSREF = re.compile(r"[（(]注释?\s*(\d{1,3})[）)]|(同上|Ibid\.?|ibid\.?|见前注)")


def _link_crossrefs(doc: Document) -> None:
    by_label = {normalize_label(n.label): n.number for n in doc.notes}
    previous: Note | None = None
    for note in doc.notes:
        text = note.text
        parts: list[Inline] = []
        last = 0
        for match in CROSSREF.finditer(text):
            doc.stats.crossrefs_found += 1
            target = by_label.get(match.group(1)) if match.group(1) else (previous.number if previous else None)
            if target is None or target == note.number:
                continue
            doc.stats.crossrefs_resolved += 1
            parts.append(Text(text[last:match.start()]))
            parts.append(Link(match.group(0), f"#fn:{target}", f"注释 {target}"))
            last = match.end()
        if parts:
            parts.append(Text(text[last:]))
            note.inlines = _merge_text(parts)
        previous = note


def _report(doc: Document, diag: Diagnostics) -> None:
    where = doc.meta.text_path
    for block in leaf_blocks(doc.blocks):
        for node in block.inlines:
            if isinstance(node, MissingNoteRef):
                diag.warn("footnote.missing-note", f"{where}:{block.line}",
                          f"marker '{node.label}' has no note text in the source; shown as a marker without a note")
    for note in doc.notes:
        if not note.referenced:
            diag.warn("footnote.orphan-note", f"{where}:{note.line}",
                      f"note '{note.label}' has no marker in the text; listed under notes without a marker")


def raw_note_from_line(label: str, text: str, line: int, page: int = 0) -> RawNote:
    return RawNote(normalize_label(label), text.strip(), line, page)
