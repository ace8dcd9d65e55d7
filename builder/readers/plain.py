"""A generic reader for plain texts: paragraphs separated by blank lines, numbered headings.

The specialised readers build on these pieces; it is also a fallback shape for tests.
"""

from __future__ import annotations

from ..models import Document, Dropped
from ..structure import heading_level
from .common import ReadContext, Source, new_document, paragraph_block, paragraphs, text_block


def read(source: Source, ctx: ReadContext) -> Document:
    doc = new_document(source)
    for first, lines in paragraphs(source.lines):
        kept = []
        for offset, line in enumerate(lines):
            reason = ctx.chrome.match(line)
            if reason:
                doc.chrome.append(Dropped(first + offset, line.strip(), reason))
            else:
                kept.append(line)
        if not kept:
            continue
        level = heading_level(kept[0]) if len(kept) == 1 else None
        if level:
            doc.blocks.append(text_block("heading", kept[0].strip(), first, level))
        else:
            doc.blocks.append(paragraph_block(kept, first))
    return doc
