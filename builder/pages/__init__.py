"""Pages made from the cross-link results (``builder.crosslink``): the authors and cited-works
indexes and pages (``authors``, ``works``), and the sections added to a document page
(``related``). Functions take the Library and return Markdown; nothing here resolves anything.
"""

from __future__ import annotations

from ..models import Library
from .authors import author_pages, authors_index
from .works import work_pages, works_index


def crosslink_pages(library: Library) -> dict[str, str]:
    """Site path -> Markdown: the author pages, the cited-work pages and their index pages."""
    return {"authors/index.md": authors_index(library), "works/index.md": works_index(library),
            **author_pages(library), **work_pages(library)}
