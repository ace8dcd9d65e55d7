"""Terms: glossary entries (extracted from the texts, curated in corpus/glossary.yml) and links.

Placeholder interface; the full stage extracts term pairs, merges curated entries, computes
pinyin, links mentions and renders the glossary and index pages.
"""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostics
from .models import Document, Glossary, Library


def build(library: Library, corpus: Path, diag: Diagnostics) -> Glossary:
    return Glossary()


def link(doc: Document, glossary: Glossary) -> None:
    return None


def pages(library: Library) -> dict[str, str]:
    return {"glossary/index.md": "---\ntitle: 术语表\n---\n\n# 术语表\n\n（尚无条目。）\n"}


def generated_files(library: Library) -> dict[str, str]:
    """Non-page files: the jieba user dictionary handed to the search plugin."""
    return {}
