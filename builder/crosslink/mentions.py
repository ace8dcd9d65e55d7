"""Mentions of corpus documents: where a note or the body of one document names the title of
another, the title becomes a Link to that document's page.

What this module may do: build the index of the linkable titles (``title_index``), compute for
one document which notes and blocks change (``link_mentions``: a pure function of the document
and the index, that changes nothing), put such a result into the document (``apply_mentions``),
and list the documents a document links to (``mentioned_documents``). The pipeline calls these
per document (through its incremental layer); no Markdown is made here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..models import Document, Inline, Link, Text, leaf_blocks

MIN_TITLE_CHARS = {"cjk": 6, "latin": 15}  # a shorter title is too common to link as a mention
LINK_TITLE = "本文库收录的文献"  # the tooltip of a link to another corpus document


@dataclass
class DocMentions:
    """What linking titles changes in one document: (position, new inlines) of the notes and of
    the leaf blocks (``models.leaf_blocks``) that changed, and how many of each the document had
    (a result fits only a document of the same shape)."""

    note_count: int
    leaf_count: int
    notes: list[tuple[int, list[Inline]]] = field(default_factory=list)
    blocks: list[tuple[int, list[Inline]]] = field(default_factory=list)


def title_index(documents: list[Document]) -> "TitleIndex":
    """The index of every document title long enough to link."""
    return TitleIndex(_linkable_titles(documents))


def link_mentions(doc: Document, index: "TitleIndex") -> DocMentions:
    """The notes and body blocks (headings excepted) of ``doc`` whose text names another
    document's title, with the title as a Link. The document is not changed."""
    leaves = list(leaf_blocks(doc.blocks))
    result = DocMentions(len(doc.notes), len(leaves))
    if not index.has_others(doc.meta.id):
        return result
    for i, note in enumerate(doc.notes):
        linked = index.link(note.inlines, doc.meta.id)
        if linked != note.inlines:
            result.notes.append((i, linked))
    for i, block in enumerate(leaves):
        if block.kind != "heading":
            linked = index.link(block.inlines, doc.meta.id)
            if linked != block.inlines:
                result.blocks.append((i, linked))
    return result


def apply_mentions(doc: Document, result: DocMentions) -> bool:
    """Put a ``link_mentions`` result into the document; False (nothing changed) if it is not
    one or does not fit the document."""
    if not isinstance(result, DocMentions):
        return False
    leaves = list(leaf_blocks(doc.blocks))
    if result.note_count != len(doc.notes) or result.leaf_count != len(leaves):
        return False
    for i, inlines in result.notes:
        doc.notes[i].inlines = inlines
    for i, inlines in result.blocks:
        leaves[i].inlines = inlines
    return True


class TitleIndex:
    """The titles of the corpus documents, found in a text in one left-to-right scan: at each
    position the longest title (then the first by document id) of another document wins, and the
    scan goes on after it, as a regular expression alternation of the titles, longest first,
    would find them. Titles are looked up by their first two characters, so the cost of a text
    does not grow with the number of documents."""

    def __init__(self, titles: list[tuple[str, str]]) -> None:
        self.titles = titles  # (title, doc id), longest first, then by id
        self.docs_of: dict[str, list[str]] = {}  # title -> ids of the documents that have it, in order
        lengths: dict[str, set[int]] = {}
        for title, doc_id in titles:
            self.docs_of.setdefault(title, []).append(doc_id)
            lengths.setdefault(title[:2], set()).add(len(title))
        self.lengths = {head: sorted(found, reverse=True) for head, found in lengths.items()}  # longest first
        self.owners = {doc_id for _title, doc_id in titles}
        heads = sorted({title[0] for title, _ in titles})
        self.first = re.compile("[" + "".join(re.escape(c) for c in heads) + "]") if heads else None

    def has_others(self, doc_id: str) -> bool:
        return bool(self.owners - {doc_id})

    def link(self, inlines: list[Inline], doc_id: str) -> list[Inline]:
        out: list[Inline] = []
        for node in inlines:
            if isinstance(node, Text):
                out.extend(self.split(node.text, doc_id))
            else:
                out.append(node)
        return out

    def split(self, text: str, doc_id: str) -> list[Inline]:
        """Text and Link inlines: every title of another document mentioned in ``text``."""
        out: list[Inline] = []
        last = 0
        for found in self.first.finditer(text) if self.first else ():
            start = found.start()
            if start < last:
                continue
            title = self._title_at(text, start, doc_id)
            if not title:
                continue
            if start > last:
                out.append(Text(text[last:start]))
            target = [d for d in self.docs_of[title] if d != doc_id][-1]
            out.append(Link(title, f"./{target}.md", LINK_TITLE))
            last = start + len(title)
        if last < len(text):
            out.append(Text(text[last:]))
        return out if out else [Text(text)]

    def _title_at(self, text: str, start: int, doc_id: str) -> str:
        """The longest title starting here that some other document has (one look-up a length)."""
        for length in self.lengths.get(text[start:start + 2], ()):
            owners = self.docs_of.get(text[start:start + length])
            if owners and any(owner != doc_id for owner in owners):
                return text[start:start + length]
        return ""


def _linkable_titles(documents: list[Document]) -> list[tuple[str, str]]:
    titles = []
    for doc in documents:
        for title in (doc.meta.title_zh, doc.meta.title_en):
            script = "latin" if title.isascii() else "cjk"
            if title and len(title) >= MIN_TITLE_CHARS[script]:
                titles.append((title, doc.meta.id))
    return sorted(titles, key=lambda t: (-len(t[0]), t[1]))


def mentioned_documents(doc: Document) -> dict[str, list[str]]:
    """Ids of corpus documents this document links to, with the anchors (notes, blocks) that do so."""
    out: dict[str, list[str]] = defaultdict(list)
    for note in doc.notes:
        for node in note.inlines:
            if isinstance(node, Link) and _doc_link_target(node):
                out[_doc_link_target(node)].append(note.anchor)
    for block in leaf_blocks(doc.blocks):
        for node in block.inlines:
            if isinstance(node, Link) and _doc_link_target(node):
                out[_doc_link_target(node)].append(block.anchor)
    return dict(out)


def _doc_link_target(link: Link) -> str:
    match = re.fullmatch(r"\./([a-z0-9-]+)\.md", link.url)
    return match.group(1) if match else ""
