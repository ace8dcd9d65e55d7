"""Note blocks of a page of a plain-text PDF extraction, and numbered reference lists.

What this module may do: decide which lines of a page are its note block, split the block into
notes by their labels, and pair continuation lines with the note they continue. It returns
RawNotes (label, text, first line, page) and the lines it used; it never drops text.

Rules (general to such extractions):

- Labels: circled numbers (①…, restarting on every page), a star (``*``, ``∗``, ``＊``: the
  title note), superscript digits. A label starts a line, either followed by the note text or
  standing alone on its own line (then the next line not taken by another label is the note's
  first line).
- A page's note block starts at the first line labelled with the first label of a sequence
  (① or a star) once that label has been seen as a marker in the body above it on the page;
  from there to the end of the page, every line is note text.
- ``pdftotext`` often prints the first lines of all notes (beside their labels) before the
  lines that continue them (set from the left margin). A line without a label therefore
  continues the earliest note of the block that is still open; a note closes with a line that
  ends a sentence and is shorter than the block's full line.
- Reference and endnote lists: under a ``参考文献`` / ``References`` / ``注释`` heading, entries
  labelled ``［1］``, ``[ 1 ]`` or ``①`` … numbered through the document (RawNotes of page 0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..chinese import HAN_RE
from ..footnotes import CIRCLED, SUPERSCRIPT_DIGITS

STARS = "*∗＊"
_LABEL = re.compile(f"^([{CIRCLED}]|[{STARS}]|[{SUPERSCRIPT_DIGITS}]{{1,3}}|[a-z](?=\u2003))\\s*(.*)$")
_LETTER_LABEL = re.compile(r"^[ \t]*([a-z])(?:[ \t]{2,}|[ \t]*\u2003)[ \t\u2003]*(\S.*)$")
NOTE_END = "。．.！？!?]］"
ROW_CUTS = ("，", "、", "：", "；", ",")
ROW_PIECES = 4  # at most this many pieces make one printed row
REFERENCE_HEADING = re.compile(r"^(?:参\s*考\s*文\s*献|References|Bibliography|主要参考文献|注\s*释|尾\s*注|Notes)\s*[:：]?$", re.I)
_REFERENCE_ENTRY = re.compile(r"^[\[［【]\s*(\d{1,3})\s*[\]］】]\s*(.*)$")


def letter_form(raw: str, text: str) -> str:
    """The text of a line for label matching: a lowercase letter set off by wide space from
    the note text (``a   text``, as printed) keeps that space as an em space, which marks it a
    label (one ordinary space after a letter is running text)."""
    match = _LETTER_LABEL.match(raw)
    return f"{match.group(1)}\u2003{text[1:].strip()}" if match and text.startswith(match.group(1)) else text


def label_of(text: str) -> tuple[str, str] | None:
    """``"① text"`` -> ("①", "text"); a bare ``"①"`` -> ("①", "")."""
    match = _LABEL.match(text)
    if not match:
        return None
    return match.group(1), match.group(2)


_INNER_LABEL = re.compile(f"([{CIRCLED}]|[{STARS}])\\s+(\\S.*)$")
_LATIN = re.compile("[A-Za-z]")
PREFIX_LIMIT = 24  # display width of a fragment printed before a label on the label's line


def split_label(text: str, width_of) -> tuple[str, str, str] | None:
    """A label at the start of a line, or after a fragment of another row printed before it
    (``”Review of Internation① text``): (label, text after it, fragment before it). The
    fragment is short, or the line is set in Latin (a body line is Chinese)."""
    labelled = label_of(text)
    if labelled:
        return labelled[0], labelled[1], ""
    match = _INNER_LABEL.search(text)
    if not match or match.start() == 0:
        return None
    prefix = text[:match.start()].strip()
    latin = len(_LATIN.findall(text)) > 2 * len(HAN_RE.findall(text))
    if (width_of(prefix) > PREFIX_LIMIT and not latin) or re.search("[。！？]", prefix):
        return None
    return match.group(1), match.group(2), prefix


def is_first_label(label: str) -> bool:
    return label in STARS or label in (CIRCLED[0], SUPERSCRIPT_DIGITS[1], "a")


def label_value(label: str) -> int:
    """Position of a label in its sequence (stars count 0)."""
    if label in CIRCLED:
        return CIRCLED.index(label) + 1
    if label in STARS:
        return 0
    if "a" <= label <= "z":
        return ord(label) - ord("a") + 1
    return int(label.translate(str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")) or 0)


def canonical(label: str) -> str:
    return "*" if label in STARS else label


@dataclass
class NoteDraft:
    label: str
    line: int  # 1-based source line of the label
    pieces: list[str] = field(default_factory=list)
    closed: bool = False
    unsure: bool = False  # the page's notes could not be told apart with confidence


@dataclass
class _Row:
    number: int
    text: str
    width: int
    adjacent: bool  # the source line before it is not blank (same text block of pdftotext)
    label: str = ""
    rest: str = ""
    same_row: bool = False  # a later piece of the printed row of the row before it


def ends_note(text: str) -> bool:
    text = text.rstrip()
    if text.endswith(("”", "’", "）", ")")) and len(text) > 1:
        text = text[:-1]
    return bool(text) and text[-1] in NOTE_END


class NoteBlock:
    """The notes of one page: lines gathered with ``add``, notes made by ``finish``.

    Besides the label rules of the module: a row of a note may come out as two fragments in
    reverse order, one right after the other (no blank line between). A short line right
    after a bare label, followed at once by a longer one, is the tail of that row; a line that
    comes when no note is open continues the row of the next label (its head is printed after
    it)."""

    def __init__(self, full_width: int, width_of=len) -> None:
        self.rows: list[_Row] = []
        self.full = full_width
        self.width_of = width_of

    def add(self, number: int, text: str, width: int, adjacent: bool, width_of=len) -> None:
        row = _Row(number, text, width, adjacent)
        labelled = split_label(text, width_of)
        if labelled:
            row.label, row.rest, prefix = labelled
            if prefix:
                row.rest = f"{row.rest} {prefix}"
        self.rows.append(row)

    def short(self, width: int) -> bool:
        """Clearly shorter than a full line of the block (a fragment of a row)."""
        return width < self.full * 0.5

    def reorder_rows(self) -> None:
        """Put the fragments of one printed row back in order: lines that follow one another
        at once, each short of a full line and together about one full line (or a note's
        shorter last line), are one row. ``pdftotext`` often prints a row's pieces in another
        order. The one piece that does not end at a cut (``，、：；``) ends the row, so the
        pieces printed after it come first; a piece with a label starts the row."""
        rows, k = self.rows, 0
        while k < len(rows):
            best, total = None, 0
            for j in range(k, min(k + ROW_PIECES, len(rows))):
                row = rows[j]
                whole = row.label and (not row.rest or ends_note(row.rest))  # a row by itself
                if (j > k and not row.adjacent) or row.width >= self.full * 0.9 or whole:
                    break
                total += row.width
                ordered = self._row_order(rows[k:j + 1], total)
                if ordered is not None:
                    best = (j + 1, ordered)  # the longest run of pieces that makes one row
            if best is None:
                k += 1
                continue
            j, ordered = best
            adjacent = rows[k].adjacent
            for r in ordered:
                r.adjacent = r.same_row = True
            ordered[0].adjacent, ordered[0].same_row = adjacent, False
            rows[k:j] = ordered
            k = j

    def _row_order(self, group: list[_Row], total: int) -> list[_Row] | None:
        """The pieces of one row in reading order, or None when they are not one row."""
        labelled = [r for r in group if r.label]
        rest = [r for r in group if not r.label]
        if len(group) < 2 or len(labelled) > 1 or total > self.full * 1.15:
            return None
        uncut = [r for r in rest if not r.text.rstrip().endswith(ROW_CUTS)]
        if labelled:
            after = group[group.index(labelled[0]) + 1:]
            if after and not any(r in uncut for r in after):
                return None  # a head printed before its tail ends its row there; what follows starts the next
        if len(uncut) <= 1:
            if uncut:
                cut = group.index(uncut[0]) + 1
                group = group[cut:] + group[:cut]
            rest = [r for r in group if not r.label]
        elif not (labelled and group[-1] is labelled[0] and ends_note(rest[-1].text)):
            return None  # several pieces could end the row; only a head printed after its tail is sure
        ordered = labelled + rest
        if total >= self.full * 0.85 or ends_note(ordered[-1].text):
            return ordered
        return None

    def finish(self) -> list[NoteDraft]:
        self.reorder_rows()
        notes: list[NoteDraft] = []
        target: NoteDraft | None = None  # the note the last row went to
        needs: list[NoteDraft] = []  # bare labels waiting for their first line, in order
        waiting: list[_Row] = []  # lines printed before the head of the next label's row
        rows = self.rows
        k = 0
        while k < len(rows):
            row = rows[k]
            k += 1
            if row.label:
                target = NoteDraft(row.label, row.number)
                notes.append(target)
                if not row.rest:
                    needs.append(target)
                    continue
                self._append(target, row.rest, row.width)
                self._take(target, waiting)
                continue
            if row.same_row and target is not None:
                self._append(target, row.text, row.width)
                continue
            if needs:
                target = needs.pop(0)
                after = rows[k] if k < len(rows) and not rows[k].label else None
                if (after is not None and after.adjacent and not after.same_row and self.short(row.width)
                        and after.width > row.width and not ends_note(after.text)):
                    self._append(target, after.text, after.width)
                    k += 1
                self._append(target, row.text, row.width)
                self._take(target, waiting)
                continue
            target = next((n for n in notes if not n.closed), None)
            if target is not None:
                self._append(target, row.text, row.width)
            else:
                waiting.append(row)
        if waiting:
            if notes:
                self._take(notes[-1], waiting)
            else:
                notes.append(NoteDraft("", waiting[0].number, [r.text for r in waiting]))
        if not self.trustworthy(notes):
            trusted = self.trusted_prefix(notes)
            for note in notes[trusted:]:
                note.unsure = True
        return notes

    def trustworthy(self, notes: list[NoteDraft]) -> bool:
        """Whether the pairing of lines with labels can be trusted: the labels run 1, 2, 3…
        without a gap, and none comes more than one place after its successor (two neighbours
        swapped still pair: each bare label is followed by its own first line)."""
        values = [label_value(n.label) for n in notes if n.label]
        if values and sorted(values) != list(range(min(values), min(values) + len(values))):
            return False  # a label is missing (or doubled): the lines cannot be assigned
        return not any(b < a - 1 for a, b in zip(values, values[1:]))

    def trusted_prefix(self, notes: list[NoteDraft]) -> int:
        """How many notes, in printed order, come before the first label out of sequence: their
        lines were printed before the confusion began."""
        previous = None
        for n, note in enumerate(notes):
            if not note.label:
                return n
            value = label_value(note.label)
            if previous is not None and value != previous + 1:
                return n
            previous = value
        return len(notes)

    def _take(self, note: NoteDraft, waiting: list[_Row]) -> None:
        for extra in waiting:
            self._append(note, extra.text, extra.width)
        waiting.clear()

    def _append(self, note: NoteDraft, text: str, width: int) -> None:
        note.pieces.append(text)
        note.closed = ends_note(text) and width < self.full * 0.85


def reference_entry(text: str) -> tuple[str, str] | None:
    """``［ 1 ］ text`` -> ("1", "text"); an endnote ``① text`` -> ("①", "text")."""
    match = _REFERENCE_ENTRY.match(text)
    if match:
        return match.group(1), match.group(2)
    labelled = label_of(text)
    return labelled if labelled and labelled[1] else None
