"""Names and their keys, shared by the term stages: the candidate pair record, Han and Latin
script tests, normalisation (full-width forms, quotes, plural abbreviations, ALL-CAPS English)
and the keys under which spellings of one name are the same.

Pure functions of their arguments; no module imports another term module from here, so the
extraction, alignment and definition stages can all import it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .models import Document, NoteRef

HAN = "\u3400-\u9fff"
HAN_RE = re.compile(f"[{HAN}]")
LATIN_RE = re.compile(r"[A-Za-z]")
ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9]*(?:-[A-Z0-9][A-Za-z0-9]*)?(?: [A-Z][A-Z0-9]{1,4})?$")
ENGLISH_NAME = re.compile(r"^[A-Z][A-Za-zÀ-ÖØ-öø-ÿ0-9'’.\- ]*[A-Za-zÀ-ÖØ-öø-ÿ0-9.]$")
URL = re.compile(r"(?:https?://|www\.)\S+")
EN_STOP = {"the", "a", "an", "of", "and", "or", "in", "on", "to", "for", "with", "by", "at",
           "as", "is", "are", "was", "be", "this", "that", "it", "its", "from", "see", "also",
           "ibid", "et", "al", "eds", "ed", "vol", "no", "pp", "p"}


@dataclass(frozen=True)
class Candidate:
    """One Chinese/English pairing found in a text, with where it was found."""

    zh: str
    en: str = ""
    abbr: str = ""
    rule: str = ""
    doc_id: str = ""
    anchor: str = ""
    context: str = ""  # the sentence the pair was found in
    definition: str = ""  # a definition the source gives (note text after 指), if any
    person: bool = False  # a romanised personal name
    kind: str = ""  # a kind the evidence gives (person, place, organisation), if any
    common: bool = False  # an everyday name (a large country): listed, its mentions not linked


# --------------------------------------------------------------------------- normalisation


@functools.lru_cache(maxsize=8192)  # pure; the same names are normalised many times per build
def nfkc(text: str) -> str:
    """Full-width Latin letters, digits and spaces as ASCII (ＳＤＩ -> SDI), whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def latin_key(text: str) -> str:
    """Key under which English spellings are the same name: SPACE X / SpaceX / ＳｐａｃｅＸ -> spacex."""
    return re.sub(r"[^0-9a-z]", "", nfkc(text).casefold())


def abbr_form(text: str) -> str:
    """An abbreviation as written, plural ``s`` dropped (RPOs -> RPO)."""
    text = nfkc(text).strip(" “”\"'‘’")
    if re.fullmatch(r"[A-Z][A-Z0-9\-]+s", text):
        text = text[:-1]
    return text


def zh_form(text: str) -> str:
    """A Chinese name with stray quotes and spaces removed."""
    return nfkc(text).strip(" “”\"'‘’《》").replace(" ", "")


SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


def english_form(text: str, acronyms: frozenset[str] | set[str] = frozenset()) -> str:
    """An English name as a reader expects it: ALL-CAPS phrases of typeset sources in title case,
    keeping the abbreviations the library knows (ENHANCED ISR -> Enhanced ISR). A single
    ALL-CAPS word stays as printed: it may be a brand or an acronym whose casing no rule can
    guess (ONENET would become "Onenet")."""
    text = nfkc(text).strip(" “”\"'‘’,，.;")
    words = text.split()
    if text.upper() != text or any(c.isdigit() for c in text) or len(words) == 1:
        return text
    out = []
    for i, word in enumerate(words):
        if word in acronyms or abbr_form(word) in acronyms:
            out.append(word)
        elif i and word.lower() in SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(out)


def is_acronym(text: str) -> bool:
    """ASAT, DA-ASAT, NC3, P5, RPOs, UN GGE: short, capitals, no lowercase words."""
    text = abbr_form(text)
    if not ACRONYM.match(text) or len(text) > 12:
        return False
    if " " in text and any(len(part) > 4 for part in text.split()):
        return False
    letters = re.sub(r"[^A-Za-z]", "", text)
    if re.fullmatch(r"[A-Z]{1,3}\d{1,2}", text):
        return True  # P5, NC3
    capitals = sum(1 for c in letters if c.isupper())
    return capitals >= 2 and capitals >= len(letters) - 1 and not (text.isalpha() and len(text) >= 6)


def is_english_name(text: str) -> bool:
    """A name or term in Latin script, not a citation, URL, number or stop word."""
    text = nfkc(text)
    if not text or URL.search(text) or "/" in text or not LATIN_RE.search(text):
        return False
    if HAN_RE.search(text) or len(text) > 90 or len(text.split()) > 10:
        return False
    if text.casefold() in EN_STOP or re.search(r"\d{4}", text):
        return False
    return bool(ENGLISH_NAME.match(text.strip(" “”\"'‘’,，.")))


def is_chinese_name(text: str) -> bool:
    """A plausible Chinese term: 2–24 characters, mostly Han, no sentence punctuation or digits."""
    if not 2 <= len(text) <= 24 or len(HAN_RE.findall(text)) < 2:
        return False
    return not re.search(r"[，。；：！？、,;:!?\d\s“”]", text)


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``text[start:end]``."""
    left = max(text.rfind(p, 0, start) for p in "。！？；") + 1
    rights = [i for i in (text.find(p, end) for p in "。！？；") if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()


def abbr_key(abbr: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", abbr_form(abbr).upper())


BEFORE_MARKER = 1024  # characters of body text kept before a marker (quoted_before_marker needs 44)


def text_before_markers(doc: Document) -> dict[int, str]:
    """Note number -> the end (BEFORE_MARKER characters) of the text of the block side that
    precedes the note's first marker. One pass over the document (asking block by block for
    each note was quadratic: 23 s for a 4 MB text)."""
    out: dict[int, str] = {}
    for block in doc.blocks:
        for side in block.pair or [block]:
            tail = ""
            for node in side.inlines:
                if isinstance(node, NoteRef):
                    out.setdefault(node.number, tail)
                    piece = node.label
                else:
                    piece = getattr(node, "text", "")
                tail = (tail + piece)[-BEFORE_MARKER:] if len(piece) < BEFORE_MARKER else piece[-BEFORE_MARKER:]
    return out


# Back-matter sections written as prose about the document, its authors and its publisher
# (abbreviation lists have their own rule; contents, citations and references repeat other text)
BACKMATTER_PROSE = ("summary", "author-notes", "colophon", "publications")


def backmatter_texts(doc: Document) -> list[tuple[str, str]]:
    """(text, anchor) of the titles and items of the document's prose back matter."""
    out = []
    for section in doc.backmatter:
        if section.kind in BACKMATTER_PROSE:
            out.extend((text, "") for text in [section.title] if text)
            out.extend((item.text, item.anchor) for item in section.items)
    return out
