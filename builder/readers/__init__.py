"""Readers: one module per kind of source, each ``read(source, ctx) -> Document``.

A reader turns the normalised text of one kind of source into the shared document model:
body blocks (Text inlines that still carry the source's footnote markers), the note texts it
found (RawNote), back matter, and the page chrome it dropped. Every source line ends up in
exactly one of those, or in ``metadata_lines`` when the page header shows it.
The metadata's ``reader`` field picks the module; a new document of a known kind needs no code.
"""

from __future__ import annotations

from typing import Callable

from ..models import Document
from .common import ReadContext, Source
from . import markdown_inline, markdown_repost, parallel, pdf, pdf_journal, policy_paper

Reader = Callable[[Source, ReadContext], Document]

READERS: dict[str, Reader] = {
    "pdf_journal": pdf_journal.read,
    "policy_paper": policy_paper.read,
    "parallel": parallel.read,
    "markdown_repost": markdown_repost.read,
    "pdf": pdf.read,  # a journal article's PDF, read from its page layout (chosen for <name>.pdf)
}

# What of a source's text counts as content for conservation (report.py), by reader: a reader
# whose sources carry markup says what the markup is; the others' text counts as it is.
CONTENT: dict[str, Callable[[str], str]] = {
    "markdown_repost": markdown_inline.countable,
}

__all__ = ["READERS", "CONTENT", "ReadContext", "Source", "Reader"]
