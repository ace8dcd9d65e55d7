"""Definitions and abbreviation expansions quoted from the texts, for finished glossary entries.

May read the library's text and change the glossary's entries: an entry with an abbreviation
but no English name gets the expansion a text spells out (a capitalised phrase whose content
words begin with the abbreviation's letters: "National Aeronautics and Space Administration"
for NASA); an entry without a definition from the texts gets the sentence that defines it
("…是指…", "…，即…", "…系指…"), quoted with its place. Nothing here names a specific term.
"""

from __future__ import annotations

import re

from .models import Glossary, Library
from .terms_align import EN_CONNECTORS, capitalised_runs, sub_phrases
from .terms_extract import abbr_key

DEFINING = re.compile(r"^[”》」]?(?:[（(][^（）()]{1,80}[）)])?\s*(?:是指|指的是|系指|，即|,即|即是|是一种|是一个|是一项|是由)")
SENTENCE_STOPS = "。！？；"


def expand_abbreviations(glossary: Glossary, library: Library) -> int:
    """English names for entries with an abbreviation and none, from the texts. Returns how many."""
    found = expansions(library)
    count = 0
    for entry in glossary.entries.values():
        phrase = found.get(abbr_key(entry.abbr)) if entry.abbr and not entry.en else None
        if phrase:
            entry.en.append(phrase)
            count += 1
    return count


def expansions(library: Library) -> dict[str, str]:
    """Abbreviation key -> the capitalised English phrase of two or more words whose content
    words begin with its letters, as the texts spell it out (the most frequent spelling)."""
    found: dict[str, dict[str, int]] = {}
    for text in _latin_texts(library):
        for run, _start in capitalised_runs(text):
            for phrase, _offset, complete in sub_phrases(run):
                if complete and " " in phrase:
                    counts = found.setdefault(initials(phrase), {})
                    counts[phrase] = counts.get(phrase, 0) + 1
    return {key: max(counts, key=lambda p: (counts[p], -len(p))) for key, counts in found.items()}


def initials(phrase: str) -> str:
    """The letters an abbreviation of the phrase would take: the first letter of each content
    word and of each part of a hyphenated word (Anti-Ballistic Missile -> ABM)."""
    letters = []
    for word in phrase.split():
        if word.lower() in EN_CONNECTORS:
            continue
        letters.extend(part[0].upper() for part in word.split("-") if part)
    return "".join(letters)


def _latin_texts(library: Library):
    """Every paragraph, side of a pair and note that holds English words."""
    for doc in library.documents:
        for block in doc.blocks:
            for side in block.pair or [block]:
                text = side.text
                if re.search("[A-Za-z]{3}", text):
                    yield text
        for note in doc.notes:
            if re.search("[A-Za-z]{3}", note.text):
                yield note.text


def quote_definitions(glossary: Glossary, library: Library) -> int:
    """The defining sentence of each entry that has no definition from the texts. Returns how many."""
    places = [(doc.meta.id, side.anchor or block.anchor, side.text) for doc in library.documents
              for block in doc.blocks for side in block.pair or [block] if side.lang != "en"]
    places += [(doc.meta.id, f"fn:{note.number}", note.text) for doc in library.documents for note in doc.notes]
    count = 0
    for entry in glossary.entries.values():
        if entry.definition_kind in ("source", "editor") or entry.definition_source == "editor":
            continue
        found = defining_sentence([entry.zh, *[a for a in entry.aliases if not a.isascii()]], places)
        if found:
            entry.definition, entry.definition_source = found[0], found[1]
            entry.definition_kind = "source"
            count += 1
    return count


def defining_sentence(names: list[str], places) -> tuple[str, str] | None:
    """(sentence, "doc#anchor") of the first sentence where one of the names is followed by a
    defining phrase."""
    for name in names:
        if len(name) < 2:
            continue
        for doc_id, anchor, text in places:
            at = text.find(name)
            while at >= 0:
                if DEFINING.match(text[at + len(name):]) and _opens_clause(text, at):
                    return _sentence(text, at), f"{doc_id}#{anchor}"
                at = text.find(name, at + 1)
    return None


def _opens_clause(text: str, at: int) -> bool:
    """The name stands at the start of a clause (or right after an opening quote), so it is
    the subject that the phrase defines."""
    before = text[:at].rstrip("“《「")
    return not before or before[-1] in "，。；：！？,;:" or before.endswith(("所谓", "其中"))


def _sentence(text: str, at: int) -> str:
    left = max(text.rfind(p, 0, at) for p in SENTENCE_STOPS) + 1
    rights = [i for i in (text.find(p, at) for p in SENTENCE_STOPS) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()
