"""Related documents: every other document ranked by what it shares with a document, with the
reasons to show.

What this module may do: index once per build what relates documents (explicit links and the
editors' ``related`` field, shared authors, cited authors, shared cited works and people, shared
glossary entries), score and rank them (``RelatedIndex.top``), and warn about a ``related``
field naming an unknown document. Reasons are (label, plain items); no Markdown is made here.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict

from .. import citations as cit
from ..citations import name_key
from ..diagnostics import Diagnostics
from ..models import CitedWork, Document, Library, RelatedDoc
from .mentions import mentioned_documents
from .works import Found

WEIGHTS = {"cites": 10, "editor": 10, "author": 5, "work": 3, "cited-author": 2, "term": 1}
# The most related documents a page lists (ranked); keeps pages and the site linear in size.
MAX_RELATED = 12


class RelatedIndex:
    """What relates documents, indexed once per build (by document, author, work and glossary
    entry), so that ranking one document's relations looks only at the documents that share
    something with it, not at every pair of the library."""

    def __init__(self, library: Library, works: dict[str, CitedWork],
                 found: Found) -> None:
        docs = library.documents
        self.docs = {doc.meta.id: doc for doc in docs}
        self.order = {doc.meta.id: i for i, doc in enumerate(docs)}
        self.works = works
        self.cites: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for doc in docs:
            for target, anchors in mentioned_documents(doc).items():
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
        # name keys worked out once, not for every pair of documents compared
        self.work_author_keys = {slug: {name_key(a) for a in work.authors} for slug, work in works.items()}
        self.person_keys = {name: name_key(name) for names in self.cited_people.values() for name in names}
        self.doc_author_keys = {doc.meta.id: [(a.name, name_key(a.name), name_key(a.romanized) if a.romanized else None)
                                              for a in doc.meta.authors] for doc in docs}
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
            for slug in mine & self.works_by_key.get(self.person_keys[name], frozenset()):
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
        names = sorted(name for name, key, romanized in self.doc_author_keys.get(other.meta.id, [])
                       if key in cited or (romanized and romanized in cited))
        if names:
            _add_reason(related, "author", "本文引用该文作者", names, len(names))

    def _add_shared_works(self, related: RelatedDoc, doc_id: str, other_id: str) -> None:
        both = self.work_sets.get(doc_id, frozenset()) & self.work_sets.get(other_id, frozenset())
        shared = [self.works[slug] for slug in sorted(both, key=self.work_position.get(doc_id, {}).__getitem__)
                  if self.works[slug].document not in (doc_id, other_id)]
        if shared:
            _add_reason(related, "work", "共同引用", [w.slug for w in shared], len(shared))
        shared_keys = {key for w in shared for key in self.work_author_keys[w.slug]}
        names = sorted(self.cited_people.get(doc_id, set()) & self.cited_people.get(other_id, set()))
        names = [n for n in names if self.person_keys[n] not in shared_keys]
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


def check_related_ids(library: Library, diag: Diagnostics) -> None:
    ids = {doc.meta.id for doc in library.documents}
    for doc in library.documents:
        for other in doc.meta.related:
            if other not in ids:
                diag.warn("crosslink.unknown-related", doc.meta.meta_path,
                          f"field 'related' names '{other}', which is not the id of any corpus document "
                          f"(known: {', '.join(sorted(ids))})")
