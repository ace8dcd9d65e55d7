"""The sections added to a document page: related documents (相关文献, with the authors'
pages), the works its notes cite (本文引用的文献), and the fields the site search reads.

What this module may do: turn the library's related documents, cited works and glossary links
of one document into Markdown, every piece of source text escaped. It reads nothing else and
changes nothing.
"""

from __future__ import annotations

import re

from ..models import CitedWork, Document, Library, NotePlace, RelatedDoc, TermRef
from ..render import (MENTIONED_NAMES_WEIGHT, NOT_SEARCHED, document_search_fields, escape, not_searched,
                      search_names)
from .common import note_name, work_label

SHOWN_TERMS = 8  # shared glossary entries named in a reason
SHOWN_WORKS = 3


def document_sections(library: Library, doc: Document) -> list[str]:
    """Sections appended to a document page: related documents (with authors) and cited works."""
    sections = []
    related = library.related.get(doc.meta.id, [])
    total = library.related_total.get(doc.meta.id, len(related))
    authors_line = _authors_line(library, doc)
    if related or authors_line:
        lines = [f"## 相关文献 {{ #related-documents {NOT_SEARCHED} }}"]
        if authors_line:
            lines.append(authors_line)
        if related:
            shown = related  # the best few (crosslink.related.MAX_RELATED)
            lines.append("\n".join(_related_item(library, doc, r) for r in shown))
            if total > len(shown):
                lines.append(f"另有 {total - len(shown)} 篇相关性较低的文献未列出。")
        else:
            lines.append("本库中暂无与本文相关的其他文献。")
        sections.append(not_searched("\n\n".join(lines)))
    cited = _cited_here(library, doc.meta.id)
    if cited:
        lines = [f"## 本文引用的文献（{len(cited)}） {{ #cited-works {NOT_SEARCHED} }}",
                 "*据注释整理；每条后为引用它的注释。*",
                 "\n".join(_cited_item(work, anchors) for work, anchors in cited)]
        sections.append(not_searched("\n\n".join(lines)))
    # for the site search: filters and date; the other-language names of the terms it mentions
    sections.append(document_search_fields(doc.meta))
    names = search_names(_mentioned_names(library, doc), MENTIONED_NAMES_WEIGHT)
    if names:
        sections.append(names)
    return sections


def _mentioned_names(library: Library, doc: Document) -> list[str]:
    """The names of the glossary terms a document links, in the language(s) it does not use for
    them: a search in one language then also finds the documents written in the other (space
    debris -> pages that mention 空间碎片). Chinese documents get the English names and
    abbreviations, English text the Chinese names."""
    glossary = library.glossary.entries if library.glossary else {}
    seen: dict[str, None] = {}
    parts = [part for block in doc.blocks for part in (block.pair or [block])]
    for inlines in [part.inlines for part in parts] + [note.inlines for note in doc.notes]:
        for node in inlines:
            if isinstance(node, TermRef) and node.entry_id in glossary:
                seen.setdefault(node.entry_id)
    names: list[str] = []
    languages = set(doc.meta.languages)
    for entry_id in seen:
        entry = glossary[entry_id]
        if languages != {"en"}:
            names.extend([*entry.en, *([entry.abbr] if entry.abbr else [])])
        if "en" in languages:
            names.append(entry.zh)
    return names


def _authors_line(library: Library, doc: Document) -> str:
    records = {r.name: r for r in library.authors.values()}
    links = [f"[{escape(a.name)}](../authors/{records[a.name].slug}.md)" for a in doc.meta.authors if a.name in records]
    return f"**作者**：{'、'.join(links)}" if links else ""


def _related_item(library: Library, doc: Document, related: RelatedDoc) -> str:
    other = library.document(related.doc_id)
    reasons = "；".join(_reason_text(library, label, items, other.meta.id) for label, items in related.reasons)
    return f"- [{escape(other.meta.title_zh)}](./{other.meta.id}.md)：{reasons}"


def _anchor_link(anchor: str, page: str) -> str:
    number = re.fullmatch(r"(?:fn:|orphan-)(\d+)", anchor)
    text = f"注释 {number.group(1)}" if number else "正文"
    return f"[{text}]({page}#{anchor})"


def _reason_text(library: Library, label: str, items: list[str], other_id: str) -> str:
    if label == "共同引用":
        works = library.works
        shown = [f"[《{escape(works[s].title)}》](../works/{s}.md)" for s in items[:SHOWN_WORKS]]
        more = f"等 {len(items)} 种" if len(items) > SHOWN_WORKS else ""
        return f"{label}：{'、'.join(shown)}{more}"
    if label in ("本文引用该文", "该文引用本文"):
        page = "" if label == "本文引用该文" else f"./{other_id}.md"
        anchors = [a for a in items if a]
        return f"{label}（{'、'.join(_anchor_link(a, page) for a in anchors)}）" if anchors else label
    if label == "共同术语":
        shown = "、".join(escape(i) for i in items[:SHOWN_TERMS])
        more = f"等 {len(items)} 条" if len(items) > SHOWN_TERMS else ""
        return f"{label}：{shown}{more}"
    return f"{label}：{'、'.join(escape(i) for i in items)}" if items else label


def _cited_here(library: Library, doc_id: str) -> list[tuple[CitedWork, list[NotePlace]]]:
    works = library.works
    by_doc = library.cited_here or {}
    out = [(works[slug], places) for slug, places in by_doc.get(doc_id, [])]
    return sorted(out, key=lambda wp: (wp[1][0].referenced is False, wp[1][0].number, wp[0].slug))


def _cited_item(work: CitedWork, places: list[NotePlace]) -> str:
    notes = "、".join(f"[{note_name(p)}](#{p.anchor})" for p in places)
    return f"- [{work_label(work)}](../works/{work.slug}.md)（{notes}）"
