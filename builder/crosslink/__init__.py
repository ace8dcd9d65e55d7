"""Cross-links: cited works, authors, related documents, and links between documents.

Runs after footnotes and terms, over the whole library (read everything, then resolve):

1. mentions (``mentions``): where a note or the body names another corpus document's title,
   the title becomes a Link; per document, called by the pipeline before ``build``;
2. works (``works``): every note parsed into citations, short forms ("（注释5）") resolved to
   the full reference they point at, citations of the same work grouped into a CitedWork;
3. authors (``authors``): one AuthorRecord per document author, with the notes citing or naming
   them, the works they wrote and their profile;
4. related documents (``related``): ranked by explicit links, shared authors, shared cited works
   and authors, and shared glossary entries, with the reasons to show.

``build`` fills the library's typed fields (works, authors, related, related_total, cited_here,
crosslink_figures). Nothing here makes Markdown (the pages are made by ``builder.pages``), keeps
state between calls, or knows any particular document.
"""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..models import AuthorRecord, CitedWork, Library
from .authors import collect_authors
from .mentions import DocMentions, apply_mentions, link_mentions, title_index
from .related import MAX_RELATED, RelatedIndex, check_related_ids
from .works import Found, collect_citations, document_citations, group_works, works_by_document

# What the pipeline calls: build, and per document title_index / link_mentions / apply_mentions.
__all__ = ["DocMentions", "apply_mentions", "build", "document_citations", "link_mentions", "link_mentions_all", "title_index"]


def build(library: Library, diag: Diagnostics, found: Found | None = None) -> None:
    """Fill the library's works, authors and related documents (titles linked beforehand by
    ``link_mentions``, which the ranking reads). ``found``: the citations of the library's notes
    (``collect_citations``, made here when not given)."""
    found = collect_citations(library) if found is None else found
    works = group_works(found, library.documents)
    authors = collect_authors(library, found, works)
    index = RelatedIndex(library, works, found)
    related, related_total = {}, {}
    for doc in library.documents:
        related[doc.meta.id], related_total[doc.meta.id] = index.top(doc, MAX_RELATED)
    check_related_ids(library, diag)
    library.works = works
    library.authors = authors
    library.related = related  # the MAX_RELATED best, with their reasons
    library.related_total = related_total  # how many documents are related at all
    library.cited_here = works_by_document(works)
    library.crosslink_figures = _figures(found, works, authors)


def link_mentions_all(library: Library) -> None:
    """``link_mentions`` and ``apply_mentions`` for every document of the library, nothing kept."""
    index = title_index(library.documents)
    for doc in library.documents:
        apply_mentions(doc, link_mentions(doc, index))


def _figures(found: Found, works: dict[str, CitedWork], authors: dict[str, AuthorRecord]) -> dict:
    return {
        "citations": len(found),
        "citing_notes": len({place for place, _ in found}),
        "works": len(works),
        "works_cited_more_than_once": sum(len(w.citations) > 1 for w in works.values()),
        "authors": len(authors),
        "author_citing_notes": sum(len(a.citing) for a in authors.values()),
    }
