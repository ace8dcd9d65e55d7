"""Signs that a document was read wrongly, as warnings an editor can act on.

Run once per document after the footnote stage. Each check compares the read document with what
every real document of its kind shows; none knows any particular document:

- ``quality.few-paragraphs``: fewer than one paragraph per 2,000 characters of body text: line
  breaks were probably joined across paragraphs (or the body was filed as something else).
- ``quality.orphan-notes``: more than 10 % of the text sits in notes without a marker: body text
  was probably read as notes, or the note labels were not recognised.
- ``quality.unresolved-markers``: markers were found and notes exist, but not one marker
  resolved: markers and notes disagree on pages or labels.
- ``quality.repeated-lines``: one short line left in the body three times or more: most likely a
  running head or footer that was not recognised as page chrome.
"""

from __future__ import annotations

from collections import defaultdict

from .diagnostics import Diagnostics
from .models import Block, Document, leaf_blocks

CHARS_PER_PARAGRAPH = 2000
ORPHAN_SHARE = 0.10
REPEATED = 3
SHORT_LINE = 40


def check_document(doc: Document, diag: Diagnostics) -> None:
    where = doc.meta.text_path
    paragraphs = [b for b in leaf_blocks(doc.blocks) if b.kind != "heading"]
    body_chars = sum(len(b.text) for b in paragraphs)
    note_chars = sum(len(n.text) for n in doc.notes)
    _few_paragraphs(where, paragraphs, body_chars, diag)
    _orphan_notes(doc, where, body_chars + note_chars, diag)
    _unresolved_markers(doc, where, diag)
    _repeated_lines(where, paragraphs, diag)


def _few_paragraphs(where: str, paragraphs: list[Block], chars: int, diag: Diagnostics) -> None:
    if chars >= 2 * CHARS_PER_PARAGRAPH and len(paragraphs) < chars / CHARS_PER_PARAGRAPH:
        longest = max(paragraphs, key=lambda b: len(b.text))
        diag.warn("quality.few-paragraphs", f"{where}:{longest.line}",
                  f"{len(paragraphs)} paragraph(s) for {chars:,} characters of body text (expected at least one "
                  f"per {CHARS_PER_PARAGRAPH:,}); the longest starts here: paragraph breaks were probably lost")


def _orphan_notes(doc: Document, where: str, chars: int, diag: Diagnostics) -> None:
    orphans = [n for n in doc.notes if not n.referenced]
    orphan_chars = sum(len(n.text) for n in orphans)
    if orphans and chars and orphan_chars > ORPHAN_SHARE * chars:
        diag.warn("quality.orphan-notes", f"{where}:{orphans[0].line}",
                  f"{orphan_chars * 100 // chars} % of the text is in {len(orphans)} note(s) without a marker, "
                  f"the first here: body text may have been read as notes, or note labels were not recognised "
                  f"(check the metadata's note_style and page range)")


def _unresolved_markers(doc: Document, where: str, diag: Diagnostics) -> None:
    stats = doc.stats
    if stats.markers_found and not stats.markers_resolved and doc.raw_notes:
        diag.warn("quality.unresolved-markers", where,
                  f"{stats.markers_found} marker(s) found and {len(doc.raw_notes)} note(s) read, but no marker "
                  f"resolved to a note: markers and notes disagree on pages or labels (check note_style)")


def _repeated_lines(where: str, paragraphs: list[Block], diag: Diagnostics) -> None:
    lines: dict[str, list[int]] = defaultdict(list)
    for block in paragraphs:
        text = block.text.strip()
        if 0 < len(text) <= SHORT_LINE:
            lines[text].append(block.line)
    for text, numbers in lines.items():
        if len(numbers) >= REPEATED:
            diag.warn("quality.repeated-lines", f"{where}:{numbers[0]}",
                      f"the line {text!r} is left in the body {len(numbers)} times (lines "
                      f"{', '.join(map(str, numbers[:6]))}): probably a running head or footer; add it to "
                      f"corpus/chrome.yml if the reader does not recognise it")
