"""Terms: glossary entries (extracted from the texts, curated in corpus/glossary.yml) and links.

The stage in order: load and validate glossary.yml; extract candidate pairs from every document
(``terms_extract``); merge them with the curated entries and the stop list (``terms_glossary``);
finish the entries (ids, pinyin, traditional-character aliases, related entries); then, per
document, link mentions (``terms_link``). Pages are rendered by ``indexes``; the jieba user
dictionary (for linking and for the site search) is generated here from the glossary.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from . import indexes, terms_extract
from .diagnostics import Diagnostics
from .models import Document, Glossary, GlossaryEntry, Library
from .terms_extract import HAN_RE, abbr_key, extract, latin_key, nfkc
from .terms_glossary import load_curated, merge, name_key
from .terms_link import Matcher, link_document

JIEBA_DICT = "assets/generated/jieba_user_dict.txt"
USER_WORD_TAG = "nz"
_STATE: dict[int, tuple[object, Matcher]] = {}  # id(glossary) -> (tokenizer, matcher)


def new_tokenizer():
    """A private jieba tokenizer (never the global one), quiet, with its main dictionary loaded
    (read from disk once per process: terms_extract.new_tokenizer)."""
    return terms_extract.new_tokenizer()


def build(library: Library, corpus: Path, diag: Diagnostics) -> Glossary:
    """Every glossary entry of the library. Raises ConfigError for an invalid glossary.yml."""
    curated = load_curated(corpus / "glossary.yml")
    tokenizer = new_tokenizer()
    for c in curated.entries:
        for name in [c.entry.zh, *c.entry.aliases]:
            if HAN_RE.search(name):
                add_user_word(tokenizer, name)
    known = curated_known(curated)
    candidates = extract(library, tokenizer, known)
    glossary, figures = merge(candidates, curated)
    finish(glossary, diag)
    for entry in glossary.entries.values():
        for form in chinese_forms(entry):
            add_user_word(tokenizer, form)
    _STATE.clear()
    _STATE[id(glossary)] = (tokenizer, Matcher(glossary, tokenizer))
    figures["entries"] = len(glossary.entries)
    figures["by_kind"] = dict(sorted(_count(e.kind for e in glossary.entries.values()).items()))
    library.extra["glossary_figures"] = figures
    return glossary


def link(doc: Document, glossary: Glossary) -> None:
    """Link the first mention of each entry per section; record every mention as an occurrence."""
    if not glossary.entries:
        return
    if id(glossary) not in _STATE:
        tokenizer = new_tokenizer()
        for entry in glossary.entries.values():
            for form in chinese_forms(entry):
                add_user_word(tokenizer, form)
        _STATE[id(glossary)] = (tokenizer, Matcher(glossary, tokenizer))
    _tokenizer, matcher = _STATE[id(glossary)]
    doc.stats.terms_linked = link_document(doc, glossary, matcher)


def pages(library: Library) -> dict[str, str]:
    return indexes.pages(library)


def generated_files(library: Library) -> dict[str, str]:
    """Non-page files: the jieba user dictionary handed to the search plugin."""
    return {JIEBA_DICT: user_dictionary(library.glossary)}


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


def pinyin_of(zh: str) -> str:
    """Pinyin with tone marks, one syllable per Han character, Latin runs kept: 北斗 -> běi dǒu."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(zh.replace("·", " "), style=Style.TONE, errors=lambda text: re.findall(r"[A-Za-z0-9]+", text))
    return " ".join(s for s in syllables if s.strip())


def toneless(pinyin: str) -> str:
    """běi dǒu -> bei dou."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", pinyin)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c))).replace("ü", "v")


def add_traditional(entry: GlossaryEntry) -> None:
    """Traditional-character forms (OpenCC s2t) of the Chinese name and aliases, as aliases."""
    converter = _opencc()
    for name in [entry.zh, *entry.aliases]:
        if HAN_RE.search(name):
            traditional = converter.convert(name)
            if traditional != name and traditional not in entry.aliases:
                entry.aliases.append(traditional)


_CONVERTER = None


def _opencc():
    global _CONVERTER
    if _CONVERTER is None:
        import opencc

        _CONVERTER = opencc.OpenCC("s2t")
    return _CONVERTER


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


def user_dictionary(glossary: Glossary) -> str:
    """jieba user dictionary: ``word frequency tag`` per line, sorted, one line per Chinese form."""
    tokenizer = _STATE.get(id(glossary), (None,))[0]
    lines = {}
    for entry in glossary.entries.values():
        for form in chinese_forms(entry):
            freq = (tokenizer.FREQ.get(form) if tokenizer is not None else 0) or 3
            lines[form] = f"{form} {freq} {USER_WORD_TAG}"
    return "".join(line + "\n" for _form, line in sorted(lines.items()))


def _count(items) -> dict:
    out: dict = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out


__all__ = ["build", "link", "pages", "generated_files", "pinyin_of", "toneless", "name_key"]
