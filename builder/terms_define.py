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
from .terms_align import EN_CONNECTORS, capitalised_runs, coverage, lexicon_words, sub_phrases
from .terms_names import abbr_key

DEFINING = re.compile(r"^[”》」]?(?:[（(][^（）()]{1,80}[）)])?\s*(?:是指|指的是|系指|，即|,即|即是|是一种|是一个|是一项|是由|"
                      r"是(?!否|不是|在|为了|因为|由于|对|从|把|被)[^，。；]{2,40}(?:的|之)[^，。；]{0,12}(?:系统|组织|机构|计划|"
                      r"项目|条约|协定|公司|概念|国家|卫星|武器|能力|行动|政策|战略|机制|领域|资源|方式|手段|工具|平台|设施|技术|任务)[。；，])")
# English: "GLONASS is Russia's global navigation satellite system."
EN_DEFINING = re.compile(r"^(?:\s*\([^)]*\))?\s*(?:is|was|are|refers to|means|stands for)\s+(?:a|an|the|Russia’s|China’s|America’s)\b")
SENTENCE_STOPS = "。！？；"
TITLE_WORD = r"(?:[A-Z][\w’'\-]*|of|the|and|or|against|in|on|for|to|a|an|with|from|by)"
HEREINAFTER = re.compile(rf"({TITLE_WORD}(?:,?\s+{TITLE_WORD}){{1,40}})\s*\((?:hereinafter|hereafter)(?: referred to)?"
                         rf"(?: as)?(?: the)?\s+[“\"]?([A-Z][A-Z0-9\-]{{1,11}})[”\"]?\)")


def expand_abbreviations(glossary: Glossary, library: Library) -> int:
    """English names for entries with an abbreviation and none, from the texts, when the
    lexicon finds half of the phrase's words in the Chinese name (so a phrase with the same
    initials but other words does not become the expansion). Returns how many."""
    found = expansions(library)
    count = 0
    for entry in glossary.entries.values():
        phrase = found.get(abbr_key(entry.abbr)) if entry.abbr and not entry.en else None
        if phrase and coverage(entry.zh, phrase, lexicon_words, fuzzy=True)[1] >= 0.5:  # the words agree
            entry.en.append(phrase)
            count += 1
    return count


def expansions(library: Library) -> dict[str, str]:
    """Abbreviation key -> the capitalised English phrase of two or more words whose content
    words begin with its letters, as the texts spell it out (the most frequent spelling)."""
    found: dict[str, dict[str, int]] = {}
    for text in _latin_texts(library):
        for match in HEREINAFTER.finditer(text):  # "Treaty on … Objects (hereinafter referred to as the PPWT)"
            phrase = re.sub(r"^(?:(?:of|the|and|or|against|in|on|for|to|a|an|with|from|by|The)\s+)+", "", match.group(1))
            if len(phrase.split()) >= 2:
                counts = found.setdefault(abbr_key(match.group(2)), {})
                counts[phrase] = counts.get(phrase, 0) + 1
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
    english = [(doc.meta.id, side.anchor or block.anchor, side.text) for doc in library.documents
               for block in doc.blocks for side in block.pair or [block] if side.lang == "en"]
    places += [(doc.meta.id, note.anchor, note.text) for doc in library.documents for note in doc.notes]
    count = 0
    for entry in glossary.entries.values():
        if entry.definition_kind in ("source", "editor") or entry.definition_source == "editor":
            continue
        found = defining_sentence([entry.zh, *[a for a in entry.aliases if not a.isascii()]], places) or \
            english_definition([*entry.en, entry.abbr], english)
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


def english_definition(names: list[str], places) -> tuple[str, str] | None:
    """(sentence, "doc#anchor") of an English sentence that opens with the name and defines it
    ("The Conference on Disarmament is the international community's most important
    multilateral platform…"); the name has several words or is an abbreviation."""
    for name in (n for n in names if n and (" " in n or n.isupper() and len(n) >= 2)):
        pattern = re.compile(rf"(?:^|(?<=[.!?]\s))(?:The\s+)?{re.escape(name)}\b")
        for doc_id, anchor, text in places:
            if name not in text:
                continue
            for match in pattern.finditer(text):
                if EN_DEFINING.match(text[match.end():]):
                    end = re.search(r"[.!?](?:\s|$)", text[match.end():])
                    return text[match.start():match.end() + (end.end() if end else len(text))].strip(), f"{doc_id}#{anchor}"
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
