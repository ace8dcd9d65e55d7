"""Cross-links: authors, cited works, related documents, links between documents.

Runs after footnotes and terms, over the whole library (read everything, then resolve):

1. parse every note into citations (``citations.parse_note``); short forms ("（注释5）") are
   resolved to the full reference of the note they point at, or dropped;
2. group citations of the same work (normalised title, compatible authors) into CitedWork;
3. one AuthorRecord per document author: their documents, every note of the corpus that cites
   or names them, the cited works they wrote, their profile in the documents' author notes;
4. link mentions of another corpus document's title in notes and body text (Link inlines);
5. rank related documents by explicit links, shared authors, shared cited works and authors,
   and shared glossary entries, keeping the reasons to show them.

Results go into typed fields of the Library (works, authors, related, related_total, cited_here,
crosslink_figures). The Markdown of the author and work pages and of the "相关文献" section is made here, with every piece
of source text escaped. Nothing here knows any particular document.
"""

from __future__ import annotations

import functools
import heapq
import re
from collections import Counter, defaultdict

from pypinyin import lazy_pinyin

from . import citations as cit
from .fingerprint import hash_of
from .diagnostics import Diagnostics
from .footnotes import normalize_label
from .models import (AuthorRecord, CitedWork, Document, Inline, Library, Link, Note,
                     NotePlace, RelatedDoc, TermRef, Text, leaf_blocks)
from .render import (MENTIONED_NAMES_WEIGHT, NOT_SEARCHED, document_search_fields, escape, escape_block_start,
                     escape_url, front_matter, not_searched, search_fields, search_names)

SHOWN_TERMS = 8  # shared glossary entries named in a reason
SHOWN_WORKS = 3
WEIGHTS = {"cites": 10, "editor": 10, "author": 5, "work": 3, "cited-author": 2, "term": 1}
MIN_TITLE_CHARS = {"cjk": 6, "latin": 15}  # a shorter title is too common to link as a mention
# The most related documents a page lists (ranked); keeps pages and the site linear in size.
MAX_RELATED = 12


# --------------------------------------------------------------------------- build


def build(library: Library, diag: Diagnostics) -> None:
    """Fill the library's works, authors and related documents (after ``link_mentions``)."""
    found = collect_citations(library)
    works = group_works(found, library.documents)
    authors = collect_authors(library, found, works)
    index = RelatedIndex(library, works, found)
    related, related_total = {}, {}
    for doc in library.documents:
        related[doc.meta.id], related_total[doc.meta.id] = index.top(doc, MAX_RELATED)
    _check_related_ids(library, diag)
    library.works = works
    library.authors = authors
    library.related = related  # the MAX_RELATED best, with their reasons
    library.related_total = related_total  # how many documents are related at all
    library.cited_here = _works_by_document(works)
    library.crosslink_figures = _figures(found, works, authors)


def note_place(doc: Document, note: Note) -> NotePlace:
    return NotePlace(doc.meta.id, note.number, note.label, note.referenced)


def collect_citations(library: Library) -> list[tuple[NotePlace, cit.Citation]]:
    """Every citation of every note, short forms resolved to their full reference (or dropped)."""
    found = []
    for doc in library.documents:
        per_note = {note.number: parse_note(note.text) for note in doc.notes}
        by_label = _notes_by_label(doc)
        for note in doc.notes:
            for citation in per_note[note.number]:
                if citation.short:
                    target = by_label.get(str(citation.see_note))
                    citation = resolve_short(citation, per_note.get(target.number, []) if target else [])
                if citation:
                    found.append((note_place(doc, note), citation))
    return found


def parse_note(text: str) -> list[cit.Citation]:
    """citations.parse_note, each note text parsed once per process (the citations are only
    read afterwards; a fresh list is returned each time)."""
    return list(_parse_note(text))


@functools.lru_cache(maxsize=1 << 16)
def _parse_note(text: str) -> tuple[cit.Citation, ...]:
    return tuple(cit.parse_note(text))


def _notes_by_label(doc: Document) -> dict[str, Note]:
    out: dict[str, Note] = {}
    for note in doc.notes:
        out.setdefault(normalize_label(note.label), note)
    return out


def resolve_short(short: cit.Citation, candidates: list[cit.Citation]) -> cit.Citation | None:
    """The full citation a short form points at: same title start, or the same authors."""
    full = [c for c in candidates if not c.short]
    key = cit.title_key(short.title)
    names = {cit.name_key(a) for a in short.authors}
    for candidate in full:
        if key and cit.title_key(candidate.title).startswith(key):
            break
        if not key and names and names <= {cit.name_key(a) for a in candidate.authors}:
            break
    else:
        return None
    return cit.Citation(short.text, candidate.title, list(candidate.authors), candidate.et_al,
                        candidate.venue, candidate.year, candidate.url, candidate.doi, candidate.lang)


# --------------------------------------------------------------------------- works


def group_works(found: list[tuple[NotePlace, cit.Citation]], documents: list[Document]) -> dict[str, CitedWork]:
    """Citations of the same work (title key, compatible authors) as one CitedWork, by slug."""
    groups: list[tuple[str, list[tuple[NotePlace, cit.Citation]]]] = []
    by_key: dict[str, list[list[tuple[NotePlace, cit.Citation]]]] = {}  # title key -> its groups, in order
    for place, citation in sorted(found, key=lambda pc: (pc[0].doc_id, pc[0].number)):
        key = cit.title_key(citation.title)
        for members in by_key.get(key, ()):
            if _same_authors(members[0][1], citation):
                members.append((place, citation))
                break
        else:
            groups.append((key, [(place, citation)]))
            by_key.setdefault(key, []).append(groups[-1][1])
    doc_titles = _document_title_keys(documents)
    works: dict[str, CitedWork] = {}
    taken: set[str] = set()
    for key, members in sorted(groups, key=lambda g: (g[0], g[1][0][0].doc_id, g[1][0][0].number)):
        work = _merge(members)
        work.document = doc_titles.get(key, "")
        work.slug = unique_slug(slugify(work.title), taken)
        works[work.slug] = work
    return dict(sorted(works.items()))


name_key = functools.lru_cache(maxsize=1 << 16)(cit.name_key)  # pure, and asked for the same names often


def _same_authors(a: cit.Citation, b: cit.Citation) -> bool:
    if not a.authors or not b.authors:
        return True
    return bool({name_key(x) for x in a.authors} & {name_key(x) for x in b.authors})


def _merge(members: list[tuple[NotePlace, cit.Citation]]) -> CitedWork:
    first = members[0][1]
    work = CitedWork("", first.title, list(first.authors), first.et_al, first.venue, first.year,
                     first.url, first.doi, first.lang)
    for _place, other in members[1:]:
        work.authors = work.authors or list(other.authors)
        work.venue = work.venue or other.venue
        work.year = work.year or other.year
        work.url = work.url or other.url
        work.doi = work.doi or other.doi
    seen = set()
    for place, citation in members:
        if (place, citation.text) not in seen:
            seen.add((place, citation.text))
            work.citations.append((place, citation.text))
    return work


def _document_title_keys(documents: list[Document]) -> dict[str, str]:
    keys = {}
    for doc in documents:
        for title in (doc.meta.title_zh, doc.meta.title_en):
            if title:
                keys.setdefault(cit.title_key(title), doc.meta.id)
    return keys


# --------------------------------------------------------------------------- slugs


@functools.lru_cache(maxsize=1 << 16)  # pure: each title or name looked up once per process
def slugify(text: str, max_words: int = 8) -> str:
    """An ASCII slug: pinyin for Chinese characters, lowercase words for Latin text."""
    words = []
    for piece in lazy_pinyin(text):
        words.extend(w for w in re.split(r"[^a-z0-9]+", piece.lower()) if w)
    return "-".join(words[:max_words]) or "untitled"


def unique_slug(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


@functools.lru_cache(maxsize=1 << 16)
def pinyin_key(text: str) -> str:
    """Sort key for Chinese and Latin names alike: pinyin syllables, lowercase, then the text."""
    return " ".join(p.lower() for p in lazy_pinyin(text)) + "\x00" + text


# --------------------------------------------------------------------------- authors


def collect_authors(library: Library, found: list[tuple[NotePlace, cit.Citation]],
                    works: dict[str, CitedWork]) -> dict[str, AuthorRecord]:
    records: dict[str, AuthorRecord] = {}
    taken: set[str] = set()
    by_key: dict[str, AuthorRecord] = {}
    for doc in library.documents:
        for author in doc.meta.authors:
            key = name_key(author.name)
            if key not in by_key:
                slug = unique_slug(slugify(author.romanized or author.name, 6), taken)
                by_key[key] = records[slug] = AuthorRecord(slug, author.name, author.romanized)
            record = by_key[key]
            record.romanized = record.romanized or author.romanized
            if doc.meta.id not in record.documents:
                record.documents.append(doc.meta.id)
    finder = AuthorFinder(list(records.values()))
    named = _notes_naming(finder, library.documents)
    profiles = _profiles(finder, library.documents)
    # Citations and works by author name key, in order: each author looks up their own instead
    # of testing every citation and work of the library (authors × citations grows as the square).
    citations_by_key: dict[str, list[int]] = defaultdict(list)
    for position, (_place, citation) in enumerate(found):
        for key in {name_key(n) for n in citation.authors}:
            citations_by_key[key].append(position)
    works_by_key: dict[str, list[int]] = defaultdict(list)
    slugs = list(works)
    for position, work in enumerate(works.values()):
        for key in {name_key(n) for n in work.authors}:
            works_by_key[key].append(position)
    for record in records.values():
        keys = _record_keys(record)
        mine = sorted({i for key in keys for i in citations_by_key.get(key, ())})
        record.citing = citing_notes(record, [found[i] for i in mine], named.get(record.slug, {}))
        record.works = [slugs[i] for i in sorted({i for key in keys for i in works_by_key.get(key, ())})]
        record.profile = profiles.get(record.slug, [])
    return dict(sorted(records.items()))


def _record_keys(record: AuthorRecord) -> set[str]:
    """The name keys an author is known by: the name and the romanised name."""
    return {name_key(record.name)} | ({name_key(record.romanized)} if record.romanized else set())


def _wrote(record: AuthorRecord, names: list[str]) -> bool:
    return not _record_keys(record).isdisjoint(name_key(n) for n in names)


def citing_notes(record: AuthorRecord, found: list[tuple[NotePlace, cit.Citation]],
                 named: dict[NotePlace, str]) -> list[tuple[NotePlace, str]]:
    """Notes whose references list the author, or whose text names them unambiguously (``named``,
    from ``_notes_naming``). ``found`` may be all citations or, in the same order, any that
    include the author's."""
    hits: dict[NotePlace, str] = {}
    for place, citation in found:
        if _wrote(record, citation.authors) and place not in hits:
            hits[place] = citation.text
    for place, text in named.items():
        hits.setdefault(place, text)
    return sorted(hits.items(), key=lambda item: (item[0].doc_id, item[0].number))


def names_author(record: AuthorRecord, text: str) -> bool:
    """The romanised name as whole words (any case), or a Chinese name of three or more characters."""
    if record.romanized and re.search(rf"(?<![A-Za-z]){re.escape(record.romanized)}(?![A-Za-z])", text, re.IGNORECASE):
        return True
    return len(record.name) >= 3 and record.name in text


class AuthorFinder:
    """The authors a text names (``names_author``), found without trying every author on every
    text: a romanised name is tried only where the text has its first word, a Chinese name only
    where the text has its first character."""

    _WORD = re.compile(r"[A-Za-z]+")

    def __init__(self, records: list[AuthorRecord]) -> None:
        self.by_word: dict[str, list[AuthorRecord]] = defaultdict(list)  # first word, lower case
        self.always: list[AuthorRecord] = []  # romanised names that do not start with a letter
        self.by_char: dict[str, list[AuthorRecord]] = defaultdict(list)  # first character of the name
        for record in records:
            if record.romanized:
                first = self._WORD.match(record.romanized)
                (self.by_word[first.group().lower()] if first else self.always).append(record)
            if record.name:
                self.by_char[record.name[0]].append(record)

    def named(self, text: str) -> list[AuthorRecord]:
        """Every author ``names_author`` finds in ``text`` (each once)."""
        out: dict[str, AuthorRecord] = {}
        for word in {w.lower() for w in self._WORD.findall(text)} & self.by_word.keys():
            for record in self.by_word[word]:
                if names_author(record, text):
                    out[record.slug] = record
        for record in self.always:
            if names_author(record, text):
                out[record.slug] = record
        for char in set(text) & self.by_char.keys():
            for record in self.by_char[char]:
                if record.slug not in out and names_author(record, text):
                    out[record.slug] = record
        return list(out.values())

    def starting(self, text: str) -> list[AuthorRecord]:
        """The authors whose name ``text`` starts with."""
        return [r for r in self.by_char.get(text[:1], ()) if text.startswith(r.name)]


def _notes_naming(finder: AuthorFinder, documents: list[Document]) -> dict[str, dict[NotePlace, str]]:
    """Author slug -> the notes whose text names the author, with their text."""
    out: dict[str, dict[NotePlace, str]] = defaultdict(dict)
    for doc in documents:
        for note in doc.notes:
            for record in finder.named(note.text):
                out[record.slug][note_place(doc, note)] = note.text
    return out


def _profiles(finder: AuthorFinder, documents: list[Document]) -> dict[str, list[tuple[str, str, str]]]:
    """Author slug -> items of the documents' author notes that name the author or start with
    their name: (doc id, anchor, text)."""
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for doc in documents:
        for section in doc.backmatter:
            if section.kind != "author-notes":
                continue
            for item in leaf_blocks(section.items):
                records = {r.slug: r for r in finder.named(item.text) + finder.starting(item.text)}
                for slug in records:
                    out[slug].append((doc.meta.id, f"back-{section.kind}-{section.line}", item.text))
    return out


# --------------------------------------------------------------------------- document mentions


def title_index(documents: list[Document]) -> "TitleIndex":
    """The titles of the corpus documents that a text may name (see ``link_mentions``)."""
    return TitleIndex(_linkable_titles(documents))


def link_mentions(doc: Document, index: "TitleIndex") -> tuple:
    """Turn another corpus document's title, where a note or the body of ``doc`` names it, into
    a Link. Returns what changed (as ``apply_mentions`` takes it)."""
    notes, blocks = [], []
    leaves = list(leaf_blocks(doc.blocks))
    if not index.has_others(doc.meta.id):
        return len(doc.notes), notes, len(leaves), blocks
    for i, note in enumerate(doc.notes):
        linked = index.link(note.inlines, doc.meta.id)
        if linked != note.inlines:
            notes.append((i, linked))
        note.inlines = linked
    for i, block in enumerate(leaves):
        if block.kind != "heading":
            linked = index.link(block.inlines, doc.meta.id)
            if linked != block.inlines:
                blocks.append((i, linked))
            block.inlines = linked
    return len(doc.notes), notes, len(leaves), blocks


def apply_mentions(doc: Document, result) -> bool:
    """Put a cached ``_link_mentions`` result into the document; False if it does not fit."""
    try:
        note_count, notes, leaf_count, blocks = result
    except (TypeError, ValueError):
        return False
    leaves = list(leaf_blocks(doc.blocks))
    if note_count != len(doc.notes) or leaf_count != len(leaves):
        return False
    for i, inlines in notes:
        doc.notes[i].inlines = inlines
    for i, inlines in blocks:
        leaves[i].inlines = inlines
    return True


class TitleIndex:
    """The titles of the corpus documents, found in a text in one left-to-right scan: at each
    position the longest title (then the first by document id) of another document wins, and the
    scan goes on after it, as a regular expression alternation of the titles, longest first,
    would find them. Titles are looked up by their first two characters, so the cost of a text
    does not grow with the number of documents."""

    def __init__(self, titles: list[tuple[str, str]]) -> None:
        self.key = hash_of(titles)  # what linking with this index depends on
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
            out.append(Link(title, f"./{target}.md", "本文库收录的文献"))
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
    """Ids of corpus documents this document links to, with the note anchors that do so."""
    return _mentioned_documents(doc)


def _mentioned_documents(doc: Document) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for note in doc.notes:
        for node in note.inlines:
            if isinstance(node, Link) and _doc_link_target(node):
                out[_doc_link_target(node)].append(note_place(doc, note).anchor)
    for block in leaf_blocks(doc.blocks):
        for node in block.inlines:
            if isinstance(node, Link) and _doc_link_target(node):
                out[_doc_link_target(node)].append(block.anchor)
    return dict(out)


def _doc_link_target(link: Link) -> str:
    match = re.fullmatch(r"\./([a-z0-9-]+)\.md", link.url)
    return match.group(1) if match else ""


# --------------------------------------------------------------------------- related documents


class RelatedIndex:
    """What relates documents, indexed once per build (by document, author, work and glossary
    entry), so that ranking one document's relations looks only at the documents that share
    something with it, not at every pair of the library."""

    def __init__(self, library: Library, works: dict[str, CitedWork],
                 found: list[tuple[NotePlace, cit.Citation]]) -> None:
        docs = library.documents
        self.docs = {doc.meta.id: doc for doc in docs}
        self.order = {doc.meta.id: i for i, doc in enumerate(docs)}
        self.works = works
        self.cites: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for doc in docs:
            for target, anchors in _mentioned_documents(doc).items():
                self.cites[doc.meta.id][target].update(anchors)
        for work in works.values():
            if work.document:
                for place, _text in work.citations:
                    self.cites[place.doc_id][work.document].add(place.anchor)
        self.cited_by: dict[str, set[str]] = defaultdict(set)
        for doc_id, targets in self.cites.items():
            for target in targets:
                self.cited_by[target].add(doc_id)
        self.editor: dict[str, set[str]] = defaultdict(set)
        self.author_docs: dict[str, set[str]] = defaultdict(set)  # author name key -> documents
        self.author_keys: dict[str, set[str]] = {}
        self.my_authors: dict[str, dict[str, str]] = {}
        for doc in docs:
            doc_id = doc.meta.id
            for other in doc.meta.related:
                self.editor[doc_id].add(other)
                self.editor[other].add(doc_id)
            self.my_authors[doc_id] = {name_key(a.name): a.name for a in doc.meta.authors}
            self.author_keys[doc_id] = {name_key(a.name) for a in doc.meta.authors}
            for a in doc.meta.authors:
                self.author_docs[name_key(a.name)].add(doc_id)
                if a.romanized:
                    self.author_docs[name_key(a.romanized)].add(doc_id)
        self.cited_keys: dict[str, set[str]] = defaultdict(set)  # doc -> name keys of authors its notes cite
        self.cited_people: dict[str, set[str]] = defaultdict(set)  # doc -> cited personal names
        self.people_docs: dict[str, set[str]] = defaultdict(set)
        for place, c in found:
            for name in c.authors:
                self.cited_keys[place.doc_id].add(name_key(name))
                if cit.looks_like_person(name):
                    self.cited_people[place.doc_id].add(name)
                    self.people_docs[name].add(place.doc_id)
        self.work_docs: dict[str, set[str]] = {}  # work slug -> documents citing it
        self.doc_works: dict[str, list[str]] = defaultdict(list)  # doc -> slugs it cites, in works order
        for slug, work in works.items():
            citing = {p.doc_id for p, _ in work.citations}
            self.work_docs[slug] = citing
            for doc_id in sorted(citing, key=lambda d: self.order.get(d, -1)):
                self.doc_works[doc_id].append(slug)
        # For scoring all documents at once (see scores): the same facts as sets.
        self.work_sets = {doc_id: frozenset(slugs) for doc_id, slugs in self.doc_works.items()}
        self.work_position = {doc_id: {slug: i for i, slug in enumerate(slugs)} for doc_id, slugs in self.doc_works.items()}
        self.works_about: dict[str, set[str]] = defaultdict(set)  # doc -> slugs of works that are it
        for slug, work in works.items():
            if work.document:
                self.works_about[work.document].add(slug)
        self.works_by_key: dict[str, set[str]] = defaultdict(set)  # author name key -> slugs of their works
        for slug, work in works.items():
            for author in work.authors:
                self.works_by_key[name_key(author)].add(slug)
        self.name_docs: dict[str, set[str]] = defaultdict(set)  # author name key -> documents (names only)
        for doc_id, keys in self.author_keys.items():
            for key in keys:
                self.name_docs[key].add(doc_id)
        self.author_slots: dict[str, set[tuple[str, int]]] = defaultdict(set)  # name key -> (doc, author position)
        for doc in docs:
            for position, a in enumerate(doc.meta.authors):
                self.author_slots[name_key(a.name)].add((doc.meta.id, position))
                if a.romanized:
                    self.author_slots[name_key(a.romanized)].add((doc.meta.id, position))
        everywhere = len(docs) if len(docs) >= 3 else None
        self.terms: dict[str, dict[str, int]] = defaultdict(dict)  # doc -> entry id -> occurrences
        self.entry_docs: dict[str, set[str]] = {}
        self.spread: dict[str, int] = {}
        self.zh: dict[str, str] = {}
        for entry in library.glossary.entries.values():
            counts: dict[str, int] = {}
            for occurrence in entry.occurrences:
                counts[occurrence.doc_id] = counts.get(occurrence.doc_id, 0) + 1
            if not counts or len(counts) == everywhere:  # in every document: says nothing
                continue
            self.spread[entry.id], self.zh[entry.id] = len(counts), entry.zh
            self.entry_docs[entry.id] = set(counts)
            for doc_id, count in counts.items():
                self.terms[doc_id][entry.id] = count

    def candidates(self, doc_id: str) -> list[str]:
        """The documents that share anything with ``doc_id``, in library order."""
        found = set(self.editor.get(doc_id, ())) | set(self.cites.get(doc_id, {})) | self.cited_by.get(doc_id, set())
        for key in self.author_keys.get(doc_id, ()):
            found |= self.author_docs.get(key, set())
        for key in self.cited_keys.get(doc_id, ()):
            found |= self.author_docs.get(key, set())
        for slug in self.doc_works.get(doc_id, ()):
            found |= self.work_docs[slug]
        for name in self.cited_people.get(doc_id, ()):
            found |= self.people_docs[name]
        for entry_id in self.terms.get(doc_id, ()):
            found |= self.entry_docs[entry_id]
        found.discard(doc_id)
        return sorted((d for d in found if d in self.docs), key=self.order.__getitem__)

    def top(self, doc: Document, limit: int) -> tuple[list[RelatedDoc], int]:
        """The ``limit`` best of ``rank(doc)`` (same order, same reasons) and how many documents
        ``rank`` would list in all. Every candidate is scored with ``scores`` (counting in C, no
        reasons); reasons are put together only for the documents shown."""
        scored = [(-points, other_id) for other_id, points in self.scores(doc.meta.id).items() if points]
        shown = [self.related(doc, self.docs[other_id]) for _points, other_id in heapq.nsmallest(limit, scored)]
        return shown, len(scored)

    def scores(self, doc_id: str) -> dict[str, int]:
        """Every other document's score against ``doc_id`` (as ``related`` computes it), without
        the reasons, each kind of reason counted for all documents at once: the documents of
        each shared glossary entry, author, cited work and cited person are counted with
        Counters (in C) instead of scoring every pair that shares something (at 1,000 generated
        documents a document shares works or people with a third of the library)."""
        points: Counter = Counter()
        for entry_id in self.terms.get(doc_id, ()):
            points.update(self.entry_docs[entry_id])  # weight 1 per shared entry
        for other_id in self.editor.get(doc_id, ()):
            points[other_id] += WEIGHTS["editor"]
        for other_id, anchors in self.cites.get(doc_id, {}).items():
            if anchors:
                points[other_id] += WEIGHTS["cites"]
        for other_id in self.cited_by.get(doc_id, ()):
            if self.cites.get(other_id, {}).get(doc_id):
                points[other_id] += WEIGHTS["cites"]
        authors: Counter = Counter()
        for key in self.author_keys.get(doc_id, ()):
            authors.update(self.name_docs[key])
        authors.update(self._cited_author_counts(doc_id))
        # Shared works: each work the document cites (not one that is a library document
        # itself) counts for every other document citing it, but the document it is.
        about_me = self.works_about.get(doc_id, set())
        mine = self.work_sets.get(doc_id, frozenset()) - about_me
        works: Counter = Counter()
        for slug in mine:
            citing = self.work_docs[slug]
            works.update(citing)
            if self.works[slug].document in citing:
                works[self.works[slug].document] -= 1
        # Shared cited people, except (for a pair) one who wrote a work the pair shares.
        people: Counter = Counter()
        for name in self.cited_people.get(doc_id, ()):
            others = self.people_docs[name]
            for slug in mine & self.works_by_key.get(name_key(name), frozenset()):
                others = others - (self.work_docs[slug] - {self.works[slug].document})
            people.update(others)
        for counter, weight in ((authors, WEIGHTS["author"]), (works, WEIGHTS["work"]),
                                (people, WEIGHTS["cited-author"])):
            for other_id, n in counter.items():
                if n:
                    points[other_id] += weight * n
        points.pop(doc_id, None)
        return {other_id: n for other_id, n in points.items() if other_id in self.docs}

    def _cited_author_counts(self, doc_id: str) -> Counter:
        """Other document -> how many of its authors the notes of ``doc_id`` cite (by name or
        romanised name), from the index of authors by name key."""
        slots = set()
        for key in self.cited_keys.get(doc_id, ()):
            slots.update(self.author_slots.get(key, ()))
        return Counter(other_id for other_id, _position in slots)

    def related(self, doc: Document, other: Document) -> RelatedDoc:
        """How ``other`` relates to ``doc``: the score and the reasons."""
        doc_id, other_id = doc.meta.id, other.meta.id
        related = RelatedDoc(other_id, 0)
        self._add_links(related, doc, other)
        self._add_shared_authors(related, doc_id, other_id)
        self._add_cited_authors(related, doc_id, other)
        self._add_shared_works(related, doc_id, other_id)
        self._add_shared_terms(related, doc_id, other_id)
        return related

    def rank(self, doc: Document) -> list[RelatedDoc]:
        """Other documents, best first, each with the reasons it is related."""
        doc_id = doc.meta.id
        ranked = []
        for other_id in self.candidates(doc_id):
            related = self.related(doc, self.docs[other_id])
            if related.score:
                ranked.append(related)
        return sorted(ranked, key=lambda r: (-r.score, r.doc_id))

    def _add_links(self, related: RelatedDoc, doc: Document, other: Document) -> None:
        if other.meta.id in doc.meta.related or doc.meta.id in other.meta.related:
            _add_reason(related, "editor", "编者关联", [])
        cites = self._cites(doc.meta.id, other.meta.id)
        if cites:
            _add_reason(related, "cites", "本文引用该文", cites)
        cited_by = self._cites(other.meta.id, doc.meta.id)
        if cited_by:
            _add_reason(related, "cites", "该文引用本文", cited_by)

    def _cites(self, doc_id: str, other_id: str) -> list[str]:
        """Note labels (as "注释 n") of ``doc_id`` that cite or name ``other_id``."""
        return sorted(self.cites.get(doc_id, {}).get(other_id, ()), key=_anchor_order)

    def _add_shared_authors(self, related: RelatedDoc, doc_id: str, other_id: str) -> None:
        theirs = self.author_keys[other_id]
        shared = sorted(name for key, name in self.my_authors[doc_id].items() if key in theirs)
        if shared:
            _add_reason(related, "author", "共同作者", shared, len(shared))

    def _add_cited_authors(self, related: RelatedDoc, doc_id: str, other: Document) -> None:
        """This document's notes cite other works of the other document's authors."""
        cited = self.cited_keys.get(doc_id, set())
        names = sorted(a.name for a in other.meta.authors
                       if name_key(a.name) in cited or (a.romanized and name_key(a.romanized) in cited))
        if names:
            _add_reason(related, "author", "本文引用该文作者", names, len(names))

    def _add_shared_works(self, related: RelatedDoc, doc_id: str, other_id: str) -> None:
        both = self.work_sets.get(doc_id, frozenset()) & self.work_sets.get(other_id, frozenset())
        shared = [self.works[slug] for slug in sorted(both, key=self.work_position.get(doc_id, {}).__getitem__)
                  if self.works[slug].document not in (doc_id, other_id)]
        if shared:
            _add_reason(related, "work", "共同引用", [w.slug for w in shared], len(shared))
        shared_keys = {name_key(a) for w in shared for a in w.authors}
        names = sorted(self.cited_people.get(doc_id, set()) & self.cited_people.get(other_id, set()))
        names = [n for n in names if name_key(n) not in shared_keys]
        if names:
            _add_reason(related, "cited-author", "共同引用作者", names, len(names))

    def _add_shared_terms(self, related: RelatedDoc, doc_id: str, other_id: str) -> None:
        """Glossary entries found in both documents, rarest first; entries found in every document
        of a library of three or more say nothing about relatedness and are left out."""
        mine, theirs = self.terms.get(doc_id, {}), self.terms.get(other_id, {})
        small, large = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
        shared = [(self.spread[e], -(mine[e] + theirs[e]), e, self.zh[e]) for e in small if e in large]
        if shared:
            names = [zh for *_, zh in sorted(shared)]
            _add_reason(related, "term", "共同术语", names, len(names))


def _add_reason(related: RelatedDoc, weight: str, label: str, items: list[str], count: int = 1) -> None:
    related.score += WEIGHTS[weight] * count
    related.reasons.append((label, items))


def _anchor_order(anchor: str) -> tuple:
    number = re.search(r"(\d+)$", anchor)
    return (anchor.rstrip("0123456789"), int(number.group(1)) if number else 0)


def _check_related_ids(library: Library, diag: Diagnostics) -> None:
    ids = {doc.meta.id for doc in library.documents}
    for doc in library.documents:
        for other in doc.meta.related:
            if other not in ids:
                diag.warn("crosslink.unknown-related", doc.meta.meta_path,
                          f"field 'related' names '{other}', which is not the id of any corpus document "
                          f"(known: {', '.join(sorted(ids))})")


def _figures(found, works: dict[str, CitedWork], authors: dict[str, AuthorRecord]) -> dict:
    return {
        "citations": len(found),
        "citing_notes": len({place for place, _ in found}),
        "works": len(works),
        "works_cited_more_than_once": sum(len(w.citations) > 1 for w in works.values()),
        "authors": len(authors),
        "author_citing_notes": sum(len(a.citing) for a in authors.values()),
    }


# --------------------------------------------------------------------------- Markdown


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
            shown = related[:MAX_RELATED]
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
    other = _document(library, related.doc_id)
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


def _works_by_document(works: dict[str, CitedWork]) -> dict[str, list[tuple[str, list[NotePlace]]]]:
    """Document id -> (slug, the document's notes citing it) for every work its notes cite, in
    works order: indexed once, so a page does not scan every work of the library."""
    out: dict[str, dict[str, set[NotePlace]]] = defaultdict(dict)
    for slug, work in works.items():
        for place, _text in work.citations:
            out[place.doc_id].setdefault(slug, set()).add(place)
    return {doc_id: [(slug, sorted(places, key=lambda p: p.number)) for slug, places in by_slug.items()]
            for doc_id, by_slug in out.items()}


def _cited_here(library: Library, doc_id: str) -> list[tuple[CitedWork, list[NotePlace]]]:
    works = library.works
    by_doc = library.cited_here
    if by_doc is None:
        by_doc = _works_by_document(works)
    out = [(works[slug], places) for slug, places in by_doc.get(doc_id, [])]
    return sorted(out, key=lambda wp: (wp[1][0].referenced is False, wp[1][0].number, wp[0].slug))


def _cited_item(work: CitedWork, places: list[NotePlace]) -> str:
    notes = "、".join(f"[{note_name(p)}](#{p.anchor})" for p in places)
    return f"- [{work_label(work)}](../works/{work.slug}.md)（{notes}）"


def work_label(work: CitedWork) -> str:
    """Authors and title as escaped Markdown: ``作者：《标题》`` or ``Author, “Title”``."""
    names = ("、" if work.lang == "zh" else ", ").join(escape(a) for a in work.authors)
    if names and work.et_al:
        names += "等" if work.lang == "zh" else " et al."
    if work.lang == "en":
        return f"{names}, “{escape(work.title)}”" if names else f"“{escape(work.title)}”"
    return f"{names}：《{escape(work.title)}》" if names else f"《{escape(work.title)}》"


def _document(library: Library, doc_id: str) -> Document:
    """The document with this id (pages name documents often: looked up in a dict, not a scan)."""
    global _BY_ID
    docs = library.documents
    if _BY_ID[0] is not docs or _BY_ID[1] != len(docs):
        _BY_ID = (docs, len(docs), {d.meta.id: d for d in reversed(docs)})
    doc = _BY_ID[2].get(doc_id)
    if doc is None or doc.meta.id != doc_id:
        return next(d for d in docs if d.meta.id == doc_id)
    return doc


_BY_ID: tuple = (None, 0, {})  # (the documents list, its length, id -> first document with it)


def _note_link(library: Library, place: NotePlace, prefix: str = "../documents/") -> str:
    doc = _document(library, place.doc_id)
    return (f"[{escape(doc.meta.title_zh)}]({prefix}{place.doc_id}.md)"
            f" [{note_name(place)}]({prefix}{place.doc_id}.md#{place.anchor})")


def note_name(place: NotePlace) -> str:
    """How the page shows a note: the footnote number, or the source label of an orphan note."""
    return f"注释 {place.number}" if place.referenced else f"未标记注释 {escape(place.label)}"


def pages(library: Library) -> dict[str, str]:
    """Author pages, cited-work pages and their index pages."""
    out = {"authors/index.md": authors_index(library), "works/index.md": works_index(library)}
    for record in library.authors.values():
        out[f"authors/{record.slug}.md"] = author_page(library, record)
    for work in library.works.values():
        out[f"works/{work.slug}.md"] = work_page(library, work)
    return out


def authors_index(library: Library) -> str:
    records = sorted(library.authors.values(), key=lambda r: pinyin_key(r.name))
    parts = [front_matter("作者"), "# 作者",
             "本库文献的作者，附其文献、引用或提及他们的注释，以及被引用的著作。按拼音排序。"]
    if not records:
        parts.append("（本库文献的元数据中未载作者。）")
    else:
        rows = ["| 作者 | 罗马字 | 本库文献 | 引用或提及的注释 |", "|---|---|---|---|"]
        for r in records:
            rows.append(f"| [{escape(r.name)}]({r.slug}.md) | {escape(r.romanized) or '—'} | "
                        f"{len(r.documents)} | {len(r.citing)} |")
        parts.append("\n".join(rows))
    return "\n\n".join(parts) + "\n"


def author_page(library: Library, record: AuthorRecord) -> str:
    heading = escape(record.name) + (f"（{escape(record.romanized)}）" if record.romanized else "")
    parts = [front_matter(record.name, record.romanized), f"# {heading}", search_fields({"author": [record.name]})]
    docs = [_document(library, d) for d in record.documents]
    parts.append("## 本库文献\n\n" + "\n".join(
        f"- [{escape(d.meta.title_zh)}](../documents/{d.meta.id}.md)" + (f"（{escape(d.meta.date)}）" if d.meta.date else "")
        for d in docs))
    if record.profile:
        parts.append("## 作者介绍\n\n" + "\n\n".join(
            f"> {escape_block_start(escape(text))}\n\n— 见[{escape(_document(library, d).meta.title_zh)}](../documents/{d}.md#{a})"
            for d, a, text in record.profile))
    works = library.works
    if record.works:
        parts.append("## 被引用的著作\n\n" + "\n".join(
            f"- [{work_label(works[s])}]({'../works/'}{s}.md)" + (f"，{escape(works[s].year)}" if works[s].year else "")
            for s in record.works))
    if record.citing:
        items = [f"- {_note_link(library, place)}：{escape(text)}" for place, text in record.citing]
        parts.append(not_searched(f"## 引用或提及该作者的注释（{len(record.citing)}） {{ {NOT_SEARCHED} }}\n\n"
                                  + "\n".join(items)))
    else:
        parts.append("## 引用或提及该作者的注释\n\n本库注释中未见引用或提及该作者。")
    return "\n\n".join(parts) + "\n"


def works_index(library: Library) -> str:
    works = list(library.works.values())
    parts = [front_matter("引用文献"), "# 引用文献",
             f"从本库文献的注释中整理出的被引著作共 {len(works)} 种，按年份（新到旧）排列，同年按作者拼音。"
             "同一著作被多处引用时合为一条。只收录能可靠解析出标题的引用；说明性注释不在此列。"]
    by_year: dict[str, list[CitedWork]] = defaultdict(list)
    for work in works:
        by_year[work.year].append(work)
    for year in sorted(by_year, key=lambda y: (y == "", "" if y == "" else f"{9999 - int(y):04d}")):
        rows = sorted(by_year[year], key=lambda w: (pinyin_key("、".join(w.authors) or "~"), cit.title_key(w.title)))
        items = [f"- [{work_label(w)}]({w.slug}.md)" + (f"，{escape(w.venue)}" if w.venue else "")
                 + (f"（被引 {len(w.citations)} 次）" if len(w.citations) > 1 else "") for w in rows]
        parts.append(f"## {year or '年份不详'} {{ #year-{year or 'unknown'} }}\n\n" + "\n".join(items))
    return "\n\n".join(parts) + "\n"


def work_page(library: Library, work: CitedWork) -> str:
    # A cited-work page is a bibliographic record: left out of search, where its title would
    # outrank the documents that discuss the subject; the works index page, which lists every
    # title, is searchable and leads to it.
    parts = [front_matter(work.title, search_exclude=True), f"# {escape(work.title)}"]
    rows = []
    if work.authors:
        rows.append(("作者", "、".join(escape(a) for a in work.authors) + ("等" if work.et_al else "")))
    if work.venue:
        rows.append(("刊物或出处", escape(work.venue)))
    if work.year:
        rows.append(("年份", escape(work.year)))
    if work.doi:
        rows.append(("DOI", f"[{escape(work.doi)}](<{escape_url('https://doi.org/' + work.doi)}>)"))
    if work.url and (not work.doi or work.doi not in work.url):
        rows.append(("链接", f"[{escape(work.url)}](<{escape_url(work.url)}>)"))
    if work.document:
        doc = _document(library, work.document)
        rows.append(("本库收录", f"[{escape(doc.meta.title_zh)}](../documents/{doc.meta.id}.md)"))
    records = [r for r in library.authors.values() if work.slug in r.works]
    if records:
        rows.append(("作者页", "、".join(f"[{escape(r.name)}](../authors/{r.slug}.md)" for r in records)))
    parts.append("\n".join(f"- **{label}**：{value}" for label, value in rows))
    parts.append("*以上字段由注释文字自动解析，以下为原注释文字。*")
    items = [f"- {_note_link(library, place)}：{escape(text)}" for place, text in work.citations]
    parts.append(f"## 引用该著作的注释（{len(work.citations)}）\n\n" + "\n".join(items))
    return "\n\n".join(parts) + "\n"
