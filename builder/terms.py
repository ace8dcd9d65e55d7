"""Terms: glossary entries (extracted from the texts, curated in corpus/glossary.yml) and links.

The stage's steps, in the order ``pipeline._terms`` runs them: candidate pairs per document
(``terms_extract``) and from aligned paragraph pairs (``terms_align``); ``draft``: merge them with
the curated entries and the stop list (``terms_glossary``), finish the entries (ids, pinyin,
traditional-character aliases, related entries) and expand abbreviations; ``complete``: quote
definitions (``terms_define``), apply the editors' review; then, per document, link mentions
(``Linker``, ``terms_link``). Pages are rendered by ``indexes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import indexes, terms_align, terms_define, terms_review
from .fingerprint import hash_of
from .chinese import pinyin_of, toneless, traditional
from .diagnostics import Diagnostics
from .models import Document, Glossary, GlossaryEntry, Library, TermRef
from .perf import jieba_data, lexicon_data
from .terms_extract import HAN_RE, abbr_key, latin_key, nfkc
from .terms_glossary import CuratedFile, merge, name_key
from .terms_link import Matcher, link_document, surface_forms, term_title

REVIEW_FILE = terms_review.REVIEW_FILE  # the editors' decisions on suggested pairs (an input of the build)

USER_WORD_TAG = "nz"


def new_tokenizer():
    """A private jieba tokenizer (never the global one), quiet, with its main dictionary loaded
    (read from disk once per process: perf.jieba_data.new_tokenizer)."""
    return jieba_data.new_tokenizer()


class Words:
    """The build's jieba tokenizers, made only when some work needs them (a build whose results
    all come from the incremental layer never loads jieba) and then once per build: the main
    dictionary plus the curated names (for extraction), and the same plus every glossary entry's
    Chinese forms (for linking). Each build makes its own, so no build's words leak into another's."""

    def __init__(self, curated: CuratedFile | None = None) -> None:
        self.curated = curated or CuratedFile()
        self._made: dict[tuple, object] = {}

    def curated_words(self) -> list[str]:
        return [name for c in self.curated.entries for name in [c.entry.zh, *c.entry.aliases] if HAN_RE.search(name)]

    def tokenizer(self):
        return self._with(self.curated_words())

    def linking_tokenizer(self, glossary: Glossary):
        forms = [form for entry in glossary.entries.values() for form in chinese_forms(entry)]
        return self._with(self.curated_words() + forms)

    def _with(self, words: list[str]):
        """A tokenizer with jieba's main dictionary and ``words`` added in order (each word's
        frequency depends on the words before it)."""
        key = tuple(words)
        if key not in self._made:
            tokenizer = new_tokenizer()
            for word in words:
                add_user_word(tokenizer, word)
            self._made[key] = tokenizer
        return self._made[key]


class Linker:
    """Links one glossary's terms in documents: ``link(doc)`` changes the document and returns
    what it changed, ``replay(doc, result)`` puts such a result into the document again. ``key``
    covers everything linking depends on besides the document."""

    def __init__(self, glossary: Glossary, words: Words | None = None, inputs: str = "") -> None:
        self.glossary = glossary
        self.words = words or Words()
        forms = [(e.id, surface_forms(e), chinese_forms(e), term_title(e)) for e in glossary.entries.values()]
        self.key = hash_of(inputs, forms)
        self._matcher: Matcher | None = None

    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher(self.glossary, self.words.linking_tokenizer(self.glossary))
        return self._matcher

    def link(self, doc: Document) -> tuple:
        record: list = []
        if self.glossary.entries:
            doc.stats.terms_linked = link_document(doc, self.glossary, self.matcher(), record)
        return linked_result(doc, record)

    def replay(self, doc: Document, result: tuple) -> bool:
        return apply_links(doc, self.glossary, result)


def inputs_hash(corpus: Path) -> str:
    """What extraction and linking depend on besides the documents: glossary.yml and jieba."""
    path = corpus / "glossary.yml"
    return hash_of(path.read_bytes() if path.exists() else b"", _jieba_version())


@dataclass
class Draft:
    """The glossary before its definitions are quoted (``draft``), with its figures so far and
    the editors' review decisions; ``complete`` finishes it."""

    glossary: Glossary
    figures: dict
    decisions: object


def draft(library: Library, curated: CuratedFile, candidates: list, alignment, root: Path,
          diag: Diagnostics, expansions: dict[str, str] | None = None) -> Draft:
    """The entries, merged, finished and with the English expansions the texts give."""
    decisions = terms_review.load_decisions(root)  # the editors' review of aligned pairs
    candidates = candidates + terms_align.candidates_from(alignment) + terms_review.decided_candidates(alignment, decisions)
    glossary, figures = merge(terms_review.without_rejected(candidates, decisions), curated)
    finish(glossary, diag)
    figures["expanded"] = terms_define.expand_abbreviations(glossary, library, expansions)  # after ids: they stay
    return Draft(glossary, figures, decisions)


def complete(library: Library, made: Draft, alignment, diag: Diagnostics, glosses: list | None = None) -> Glossary:
    """Definitions quoted (``glosses``: each document's, ``terms_define.Glosser``; found here when
    not given), the editors' merges applied; fills the library's term queue and glossary figures."""
    glossary, figures = made.glossary, made.figures
    figures.update(terms_define.quote_definitions(glossary, library, glosses))  # "defined", "defined_by"
    for entry in glossary.entries.values():  # pairs only an editor's review made into entries are the editor's
        if entry.evidence and all(e.startswith("review-accepted:") for e in entry.evidence):
            entry.curated = True
    for warning in terms_review.apply_merges(glossary, made.decisions):
        diag.warn("terms.review-merge", terms_review.REVIEW_FILE, warning)
    library.term_queue = terms_review.queue(alignment, glossary, made.decisions)
    figures["entries"] = len(glossary.entries)
    figures["by_kind"] = dict(sorted(_count(e.kind for e in glossary.entries.values()).items()))
    library.glossary_figures = figures
    return glossary


def use_data_folders(root: Path | None) -> None:
    """Keep jieba's dictionary and the bilingual lexicon in a fast format under ``root``'s
    ``.build/`` (None: read them from their packages' own files)."""
    jieba_data.use_data_folder(root / jieba_data.DATA_FOLDER if root else None)
    lexicon_data.use_lexicon_folder(root / lexicon_data.LEXICON_FOLDER if root else None)


def preload() -> None:
    """Load jieba's dictionary and tag table now (the terms stage needs them whenever a document
    was read again): the pipeline calls this while worker processes read the documents."""
    jieba_data.base_dictionary()
    jieba_data.base_word_tags()


def _jieba_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jieba")
    except PackageNotFoundError:
        return ""


def link(doc: Document, glossary: Glossary) -> None:
    """Link the first mention of each entry per section; record every mention as an occurrence."""
    Linker(glossary).link(doc)


def _sides(doc: Document) -> list:
    return [side for block in doc.blocks for side in block.pair or [block]]


def linked_result(doc: Document, record: list) -> tuple:
    """What linking changed in a document: the inlines of its paragraphs and notes (by position),
    the number of links, and the occurrences it recorded, in order."""
    sides = _sides(doc)
    return (len(sides), [(i, side.inlines) for i, side in enumerate(sides) if _has_terms(side.inlines)],
            len(doc.notes), [(i, note.inlines) for i, note in enumerate(doc.notes) if _has_terms(note.inlines)],
            doc.stats.terms_linked, record)


def _has_terms(inlines) -> bool:
    return any(isinstance(node, TermRef) for node in inlines)


def apply_links(doc: Document, glossary: Glossary, result: tuple) -> bool:
    """Put a cached linking result into the document; False (nothing changed) if it does not fit."""
    try:
        side_count, sides, note_count, notes, linked, record = result
    except (TypeError, ValueError):
        return False
    doc_sides = _sides(doc)
    if side_count != len(doc_sides) or note_count != len(doc.notes) or any(e not in glossary.entries for e, _ in record):
        return False
    for i, inlines in sides:
        doc_sides[i].inlines = inlines
    for i, inlines in notes:
        doc.notes[i].inlines = inlines
    doc.stats.terms_linked = linked
    for entry_id, occurrence in record:
        glossary.entries[entry_id].occurrences.append(occurrence)
    return True


def pages(library: Library) -> dict[str, str]:
    out = indexes.pages(library)
    queue = library.term_queue
    if queue is not None:
        docs = {d.meta.id: d.meta.title_zh for d in library.documents}
        out["glossary/review.md"] = terms_review.review_page(queue, docs)
        if queue and "glossary/index.md" in out:  # the glossary's overview points editors to the queue
            out["glossary/index.md"] = out["glossary/index.md"].rstrip("\n") + \
                f"\n\n双语对照段落中另有 {len(queue)} 对术语尚待编者确认：[术语待审](review.md)。\n"
    return out


def generated_files(library: Library) -> dict[str, str]:
    """Non-page files the glossary gives the site: none since search is Pagefind's (it needs no
    jieba user dictionary: builder/search.py)."""
    return {}


# --------------------------------------------------------------------------- finishing entries


def curated_known(curated) -> dict[str, str]:
    """English / abbreviation key -> Chinese name of curated entries (extraction consults it)."""
    known = {}
    for c in curated.entries:
        for name in [*c.entry.en, c.entry.abbr, *[a for a in c.entry.aliases if not HAN_RE.search(a)]]:
            if name:
                known[abbr_key(name) if name == c.entry.abbr else latin_key(name)] = c.entry.zh
    return known


def finish(glossary: Glossary, diag: Diagnostics) -> None:
    """Ids, pinyin, traditional forms and related entries; entries keyed by id, sorted."""
    entries = list(glossary.entries.values())
    taken: set[str] = set(e.id for e in entries if e.id)
    for entry in entries:
        entry.pinyin = pinyin_of(entry.zh)
        add_traditional(entry)
        if not entry.id:
            entry.id = unique_id(slug_for(entry), taken)
            taken.add(entry.id)
    glossary.entries = {e.id: e for e in sorted(entries, key=lambda e: e.id)}
    relate(glossary)


def add_traditional(entry: GlossaryEntry) -> None:
    """Traditional-character forms (OpenCC s2t) of the Chinese name and aliases, as aliases."""
    for name in [entry.zh, *entry.aliases]:
        if HAN_RE.search(name):
            form = traditional(name)
            if form != name and form not in entry.aliases:
                entry.aliases.append(form)


def slug_for(entry: GlossaryEntry) -> str:
    """ASCII slug from the English name, else the abbreviation, else the toneless pinyin."""
    base = entry.en[0] if entry.en else entry.abbr or toneless(entry.pinyin)
    slug = re.sub(r"[^a-z0-9]+", "-", nfkc(base).casefold()).strip("-")
    return slug[:60].rstrip("-") or "term"


def unique_id(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def relate(glossary: Glossary) -> None:
    """Curated related ids (kept), plus entries whose Chinese name contains another's."""
    entries = list(glossary.entries.values())
    for a in entries:
        a.related = [r for r in a.related if r in glossary.entries and r != a.id]
        for b in entries:
            if a is not b and len(b.zh) >= 3 and b.zh in a.zh:
                for x, y in ((a, b), (b, a)):
                    if y.id not in x.related:
                        x.related.append(y.id)


def chinese_forms(entry: GlossaryEntry) -> list[str]:
    return [f for f in [entry.zh, *entry.aliases] if HAN_RE.search(f) and " " not in f]


# --------------------------------------------------------------------------- jieba dictionary


def add_user_word(tokenizer, word: str) -> None:
    """Make ``word`` one jieba word; words jieba already knows keep their own frequency."""
    if tokenizer.FREQ.get(word):
        return
    tokenizer.add_word(word, freq=user_word_freq(tokenizer, word), tag=USER_WORD_TAG)


def user_word_freq(tokenizer, word: str) -> int:
    """The smallest frequency that keeps ``word`` whole when it stands alone (jieba's own
    suggestion), so a glossary word does not swallow the words around it."""
    return max(int(tokenizer.suggest_freq(word, tune=False)), 3)


def _count(items) -> dict:
    out: dict = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out


__all__ = ["draft", "complete", "Linker", "link", "pages", "generated_files", "pinyin_of", "toneless", "name_key"]
