"""The read stage of one document: bytes -> text -> normalised text -> blocks, then its footnotes.

``read_document`` decodes and normalises a source text and hands it to the reader its metadata
names (``readers.READERS``); ``read_and_resolve`` adds the footnote stage and the per-document
checks, which is what the incremental layer remembers per document.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import footnotes, quality, report, structure
from .chrome import ChromeRules
from .diagnostics import Diagnostics
from .files import read_bytes as read_corpus_bytes
from .models import DocMeta, Document
from .normalize import decode, normalize_characters
from .readers import READERS, ReadContext, Source


@dataclass
class Entry:
    """One document after the read and footnote stages, with the warnings they gave and their
    seconds (what the incremental layer remembers per document)."""

    doc: Document
    read_warnings: list = field(default_factory=list)
    note_warnings: list = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def read_document(root: Path, meta: DocMeta, ctx: ReadContext, timings: dict[str, float] | None = None) -> Document:
    """Read, decode, normalise and structure one source text (``timings`` gets the seconds of
    each: "read", "normalise", "structure")."""
    start = time.perf_counter()
    data = read_corpus_bytes(root / meta.text_path, root / "corpus", meta.text_path)  # regular files in corpus/ only
    if meta.reader == "pdf":  # a binary source: its reader extracts and normalises the text itself
        read = normalised = time.perf_counter()
        doc = READERS[meta.reader](Source(meta, "", data=data), ctx)
    else:
        text, _encoding = decode(data, meta.text_path, meta.encoding)
        read = time.perf_counter()
        text, dropped = normalize_characters(text, meta.private_use, meta.text_path, ctx.diag)
        normalised = time.perf_counter()
        doc = READERS[meta.reader](Source(meta, text, dropped), ctx)
    structure.assign_anchors(doc)
    if timings is not None:
        timings.update(read=read - start, normalise=normalised - read, structure=time.perf_counter() - normalised)
    if not doc.blocks:
        ctx.diag.warn("structure.empty", meta.text_path, "no paragraphs found in the text")
    return doc


def read_and_resolve(root: Path, meta: DocMeta, chrome: ChromeRules) -> Entry:
    """The per-document stages (read, footnotes) of one document, with their warnings and times."""
    read_diag, note_diag = Diagnostics(), Diagnostics()
    timings: dict[str, float] = {}
    doc = read_document(root, meta, ReadContext(read_diag, chrome), timings)
    middle = time.perf_counter()
    footnotes.resolve(doc, note_diag)
    quality.check_document(doc, note_diag)  # signs that the document was read wrongly
    report.count_conservation(doc)  # per document, so remembered with it
    timings["footnotes"] = time.perf_counter() - middle
    return Entry(doc, read_diag.warnings, note_diag.warnings, timings)
