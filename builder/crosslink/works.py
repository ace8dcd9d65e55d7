"""Cited works: the citations of every note, short forms resolved, the same work grouped.

What this module may do: parse note texts into citations (``citations.parse_note``), resolve a
short form ("（注释5）") to the full reference of the note it points at (or drop it), group the
citations of one work (normalised title, compatible authors) into a CitedWork with an ASCII
slug, and index the works by the documents citing them. It reads the documents and changes
nothing in them; no Markdown is made here.
"""

from __future__ import annotations

import re
from collections import defaultdict

from pypinyin import lazy_pinyin

from .. import citations as cit
from ..citations import name_key
from ..footnotes import normalize_label
from ..models import CitedWork, Document, Library, Note, NotePlace

Found = list[tuple[NotePlace, cit.Citation]]  # every citation, with the note it is in


def note_place(doc: Document, note: Note) -> NotePlace:
    return NotePlace(doc.meta.id, note.number, note.label, note.referenced)


def collect_citations(library: Library) -> Found:
    """Every citation of every note, short forms resolved to their full reference (or dropped)."""
    return [item for doc in library.documents for item in document_citations(doc)]


def document_citations(doc: Document) -> Found:
    """The citations of one document's notes, in order, short forms resolved within it."""
    found = []
    per_note = {note.number: cit.parse_note(note.text) for note in doc.notes}
    by_label = _notes_by_label(doc)
    for note in doc.notes:
        for citation in per_note[note.number]:
            if citation.short:
                target = by_label.get(str(citation.see_note))
                citation = resolve_short(citation, per_note.get(target.number, []) if target else [])
            if citation:
                found.append((note_place(doc, note), citation))
    return found


def _notes_by_label(doc: Document) -> dict[str, Note]:
    out: dict[str, Note] = {}
    for note in doc.notes:
        out.setdefault(normalize_label(note.label), note)
    return out


def resolve_short(short: cit.Citation, candidates: list[cit.Citation]) -> cit.Citation | None:
    """The full citation a short form points at: same title start, or the same authors."""
    full = [c for c in candidates if not c.short]
    key = cit.title_key(short.title)
    names = {name_key(a) for a in short.authors}
    for candidate in full:
        if key and cit.title_key(candidate.title).startswith(key):
            break
        if not key and names and names <= {name_key(a) for a in candidate.authors}:
            break
    else:
        return None
    return cit.Citation(short.text, candidate.title, list(candidate.authors), candidate.et_al,
                        candidate.venue, candidate.year, candidate.url, candidate.doi, candidate.lang)


# --------------------------------------------------------------------------- grouping


def group_works(found: Found, documents: list[Document]) -> dict[str, CitedWork]:
    """Citations of the same work (title key, compatible authors) as one CitedWork, by slug."""
    groups: list[tuple[str, Found]] = []
    by_key: dict[str, list[Found]] = {}  # title key -> its groups, in order
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


def _same_authors(a: cit.Citation, b: cit.Citation) -> bool:
    if not a.authors or not b.authors:
        return True
    return bool({name_key(x) for x in a.authors} & {name_key(x) for x in b.authors})


def _merge(members: Found) -> CitedWork:
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


def works_by_document(works: dict[str, CitedWork]) -> dict[str, list[tuple[str, list[NotePlace]]]]:
    """Document id -> (slug, the document's notes citing it) for every work its notes cite, in
    works order: indexed once, so a page does not scan every work of the library."""
    out: dict[str, dict[str, set[NotePlace]]] = defaultdict(dict)
    for slug, work in works.items():
        for place, _text in work.citations:
            out[place.doc_id].setdefault(slug, set()).add(place)
    return {doc_id: [(slug, sorted(places, key=lambda p: p.number)) for slug, places in by_slug.items()]
            for doc_id, by_slug in out.items()}


# --------------------------------------------------------------------------- slugs


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
