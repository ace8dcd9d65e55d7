"""The data model: plain dataclasses passed between stages. No behaviour beyond small helpers.

Reading order of the pipeline and what each stage fills in:

- config   -> DocMeta (one per corpus document), Glossary (curated entries)
- readers  -> Document with blocks whose inlines are Text (and Marker where the reader knows a
               marker by structure), raw notes, back matter, chrome
- footnotes-> splits Text into NoteRef / MissingNoteRef, builds Note list, orphan notes
- terms    -> Glossary entries (extracted + curated), splits Text into TermRef
- crosslink-> Link / DocRef inlines, related documents, authors, works
- render   -> Markdown text per page
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    """Literal source text. The renderer escapes it; it never becomes markup."""

    text: str


@dataclass(frozen=True)
class NoteRef:
    """A footnote marker resolved to a note of the same document."""

    number: int  # document-wide, in reading order
    label: str  # the source's own marker: "①", "a", "12", "¹²"


@dataclass(frozen=True)
class MissingNoteRef:
    """A marker whose note text is not in the source. Shown, never dropped."""

    label: str


@dataclass(frozen=True)
class Marker:
    """A footnote marker a reader identified by structure (a raised superscript in a PDF, the
    ``[1]`` syntax of a Markdown repost, a marker printed on a line of its own), not yet resolved.

    The footnote stage resolves it to a RawNote with the same label (``normalize_label``): first
    a note of the same ``page`` (page-scoped labels such as ①, restarting on every page), then a
    document-wide note (page 0: a reference list, notes numbered through the text). A document
    whose reader emits Marker inlines is not searched for markers by pattern."""

    label: str
    page: int = 0


@dataclass(frozen=True)
class Link:
    """A hyperlink from the source (repaired URL) or a cross-reference made by the builder."""

    text: str
    url: str
    title: str = ""


@dataclass(frozen=True)
class TermRef:
    """A mention of a glossary entry."""

    text: str
    entry_id: str
    title: str  # tooltip: English name and abbreviation


Inline = Union[Text, Marker, NoteRef, MissingNoteRef, Link, TermRef]


def plain_text(inlines: list[Inline]) -> str:
    """The reader-visible text of a run of inlines (markers as their source label)."""
    out = []
    for node in inlines:
        if isinstance(node, (NoteRef, MissingNoteRef, Marker)):
            out.append(node.label)
        else:
            out.append(node.text)
    return "".join(out)


# --------------------------------------------------------------------------- blocks


@dataclass
class Block:
    """A heading, paragraph, quote or list item of a document body.

    kind: "heading" | "paragraph" | "quote" | "list_item" | "pair"
    A "pair" block holds two aligned blocks (English first, Chinese second) in ``pair``.
    """

    kind: str
    inlines: list[Inline] = field(default_factory=list)
    level: int = 0  # headings: 2 (top section) .. 6
    lang: str = "zh"
    line: int = 0  # 1-based source line where the block starts
    page: int = 0  # printed page (0-based) for page-scoped note conventions
    anchor: str = ""  # set by structure.assign_anchors
    pair: list["Block"] = field(default_factory=list)
    # (character offset, page) where the block's text crosses onto another printed page
    page_breaks: list[tuple[int, int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return plain_text(self.inlines)


def leaf_blocks(blocks: list[Block]):
    """Every block that holds text, in reading order: each side of an aligned pair, every other
    block as it is (headings included)."""
    for block in blocks:
        if block.pair:
            yield from leaf_blocks(block.pair)
        else:
            yield block


@dataclass
class RawNote:
    """A note text as found in the source, before resolution."""

    label: str  # normalised marker: "①" / "a" / "12"
    text: str
    line: int
    page: int = 0
    lang: str = "zh"


@dataclass
class Note:
    """A resolved note of a document."""

    number: int
    label: str
    inlines: list[Inline]
    line: int
    page: int = 0
    referenced: bool = True  # False: an orphan note, whose marker is not in the text

    @property
    def text(self) -> str:
        return plain_text(self.inlines)

    @property
    def anchor(self) -> str:
        """Its id on the document page: Python-Markdown's footnote id, or the orphan notes' own."""
        return f"fn:{self.number}" if self.referenced else f"orphan-{self.number}"


@dataclass
class BackMatter:
    """Non-body material recognised as such: abbreviation list, table of contents, citation block…

    kind: "abbreviations" | "contents" | "author-notes" | "publications" | "citation"
          | "colophon" | "references" | "disclaimer" | "summary"
    """

    kind: str
    title: str
    items: list[Block] = field(default_factory=list)
    line: int = 0
    lang: str = "zh"


@dataclass
class Dropped:
    """Page chrome removed from the body (navigation, share buttons, PDF debris)."""

    line: int
    text: str
    reason: str


# --------------------------------------------------------------------------- metadata


@dataclass
class Author:
    name: str
    romanized: str = ""


@dataclass
class DocMeta:
    """One document's metadata, as the editor wrote it in ``corpus/<stem>.yml``."""

    id: str
    title_zh: str
    kind: str
    reader: str
    languages: list[str]
    text_path: str  # path of the source text, relative to the project
    meta_path: str
    title_en: str = ""
    authors: list[Author] = field(default_factory=list)
    translators: list[Author] = field(default_factory=list)
    venue: str = ""
    publisher: str = ""
    date: str = ""
    source_url: str = ""
    doi: str = ""
    summary: str = ""
    source_note: str = ""  # what kind of source this is, for readers (e.g. partisan outlet)
    editor_supplied: list[str] = field(default_factory=list)  # fields not given by the text
    private_use: dict[str, str] = field(default_factory=dict)  # "E010" -> "."
    note_style: str = "auto"
    glyph_map: dict[str, str] = field(default_factory=dict)  # inside URLs: stand-in glyph -> character
    related: list[str] = field(default_factory=list)  # ids of documents the editor links
    csv: dict[str, str] = field(default_factory=dict)  # CSV sources: role ("text", "title", …) -> column
    encoding: str = ""  # the source text's encoding when the editor names it (else detected)
    pages: str = ""  # PDF extractions: pages of the file holding the article, e.g. "2-23"


# --------------------------------------------------------------------------- documents


@dataclass
class DocStats:
    chars_in: int = 0  # non-whitespace characters of the decoded source
    chars_placed: int = 0  # of those, shown on the page: body, notes, back matter, header block
    chars_chrome: int = 0  # of those, not on the page but listed as dropped chrome (line, text, reason)
    paragraphs: int = 0
    headings: int = 0
    markers_found: int = 0
    markers_resolved: int = 0
    missing_notes: int = 0
    orphan_notes: int = 0
    crossrefs_found: int = 0
    crossrefs_resolved: int = 0
    terms_linked: int = 0
    conservation_counted: bool = False  # chars_in/chars_placed are filled in


@dataclass
class Document:
    meta: DocMeta
    blocks: list[Block] = field(default_factory=list)
    raw_notes: list[RawNote] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    backmatter: list[BackMatter] = field(default_factory=list)
    chrome: list[Dropped] = field(default_factory=list)
    metadata_lines: list[str] = field(default_factory=list)  # source lines shown in the header block
    stats: DocStats = field(default_factory=DocStats)
    source_text: str = ""  # decoded and normalised source, for conservation and excerpts
    note_style: str = ""  # the convention the footnote stage detected


# --------------------------------------------------------------------------- glossary


@dataclass
class Occurrence:
    doc_id: str
    anchor: str
    context: str  # keyword-in-context line


@dataclass
class GlossaryEntry:
    id: str
    zh: str
    en: list[str] = field(default_factory=list)
    abbr: str = ""
    kind: str = "concept"
    pinyin: str = ""
    aliases: list[str] = field(default_factory=list)
    definition: str = ""
    definition_source: str = ""  # "editor" or "doc-id#anchor"
    definition_kind: str = ""  # "editor" | "source" (the text defines it) | "context" (sentence quoted)
    link: bool = True  # False: listed in the glossary, mentions not linked
    curated: bool = False
    evidence: list[str] = field(default_factory=list)  # how it was extracted
    occurrences: list[Occurrence] = field(default_factory=list)
    related: list[str] = field(default_factory=list)


@dataclass
class Glossary:
    entries: dict[str, GlossaryEntry] = field(default_factory=dict)
    stop: set[str] = field(default_factory=set)


@dataclass
class Library:
    documents: list[Document]
    glossary: Glossary = field(default_factory=Glossary)
    # filled by the terms stage
    glossary_figures: dict = field(default_factory=dict)
    term_queue: list | None = None  # pairs awaiting review; None: the terms stage did not run (pages reused)
    # filled by the crosslink stage
    works: dict[str, CitedWork] = field(default_factory=dict)  # slug -> work cited in notes
    authors: dict[str, AuthorRecord] = field(default_factory=dict)  # slug -> author of a corpus document
    related: dict[str, list[RelatedDoc]] = field(default_factory=dict)  # doc id -> the best related documents
    related_total: dict[str, int] = field(default_factory=dict)  # doc id -> how many are related at all
    cited_here: dict | None = None  # doc id -> works its notes cite (None: not indexed yet)
    crosslink_figures: dict = field(default_factory=dict)
    # (the documents list it was made from, its length, id -> first document with it)
    _by_id: tuple = field(default=(None, 0, None), init=False, repr=False, compare=False)

    def document(self, doc_id: str) -> Document:
        """The (first) document with this id (KeyError if none). Pages name documents often: they
        are looked up in a dict, made on first use and again when the documents list changed."""
        docs, count, by_id = self._by_id
        if docs is not self.documents or count != len(self.documents):
            by_id = {d.meta.id: d for d in reversed(self.documents)}
            self._by_id = (self.documents, len(self.documents), by_id)
        return by_id[doc_id]


# --------------------------------------------------------------------------- cross-links


@dataclass(frozen=True)
class NotePlace:
    """Where a note is: its document and its anchor on the document page."""

    doc_id: str
    number: int
    label: str
    referenced: bool = True

    @property
    def anchor(self) -> str:
        return f"fn:{self.number}" if self.referenced else f"orphan-{self.number}"


@dataclass
class CitedWork:
    """A work cited in notes, possibly by several notes of several documents."""

    slug: str
    title: str
    authors: list[str] = field(default_factory=list)
    et_al: bool = False
    venue: str = ""
    year: str = ""
    url: str = ""
    doi: str = ""
    lang: str = "zh"
    document: str = ""  # id of the corpus document this work is, if any
    citations: list[tuple[NotePlace, str]] = field(default_factory=list)  # (note, segment text)


@dataclass
class AuthorRecord:
    """An author of a corpus document, with their documents and the notes that cite them."""

    slug: str
    name: str
    romanized: str = ""
    documents: list[str] = field(default_factory=list)
    citing: list[tuple[NotePlace, str]] = field(default_factory=list)  # (note, segment text)
    works: list[str] = field(default_factory=list)  # slugs of cited works they wrote
    profile: list[tuple[str, str, str]] = field(default_factory=list)  # (doc id, anchor, text)


@dataclass
class RelatedDoc:
    doc_id: str
    score: int
    # (label, items): ("共同术语", ["北斗", ...]); items are plain source text, escaped when rendered
    reasons: list[tuple[str, list[str]]] = field(default_factory=list)
