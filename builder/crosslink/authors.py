"""Authors of the corpus documents: one AuthorRecord per author (by name key), with their
documents, every note of the corpus that cites or names them, the cited works they wrote, and
their profile in the documents' author notes.

What this module may do: read the documents' metadata, notes and author-note back matter and
the citations and works found by ``works``; it changes nothing in the documents and makes no
Markdown.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..citations import name_key
from ..models import AuthorRecord, CitedWork, Document, Library, NotePlace, leaf_blocks
from .works import Found, note_place, slugify, unique_slug


def collect_authors(library: Library, found: Found,
                    works: dict[str, CitedWork]) -> dict[str, AuthorRecord]:
    """One record per document author (same name key: one record), by slug."""
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
    named = notes_naming(finder, library.documents)
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


def wrote(record: AuthorRecord, names: list[str]) -> bool:
    return not _record_keys(record).isdisjoint(name_key(n) for n in names)


def citing_notes(record: AuthorRecord, found: Found,
                 named: dict[NotePlace, str]) -> list[tuple[NotePlace, str]]:
    """Notes whose references list the author, or whose text names them unambiguously (``named``,
    from ``notes_naming``). ``found`` may be all citations or, in the same order, any that
    include the author's."""
    hits: dict[NotePlace, str] = {}
    for place, citation in found:
        if wrote(record, citation.authors) and place not in hits:
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


def notes_naming(finder: AuthorFinder, documents: list[Document]) -> dict[str, dict[NotePlace, str]]:
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
