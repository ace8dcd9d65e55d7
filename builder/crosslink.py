"""Cross-links: authors, cited works, related documents (placeholder interface)."""

from __future__ import annotations

from .diagnostics import Diagnostics
from .models import Document, Library


def build(library: Library, diag: Diagnostics) -> None:
    return None


def document_sections(library: Library, doc: Document) -> list[str]:
    """Extra Markdown sections for a document page (related documents)."""
    return []


def pages(library: Library) -> dict[str, str]:
    return {}
