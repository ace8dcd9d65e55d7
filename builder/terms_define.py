"""Definitions and abbreviation expansions quoted from the texts, for finished glossary entries.

May read the library's text and change the glossary's entries:

- an entry with an abbreviation but no English name gets the expansion a text spells out: a
  capitalised phrase whose content words begin with the abbreviation's letters ("National
  Aeronautics and Space Administration" for NASA), the words right before a bracketed
  abbreviation whose initials it takes ("[Earth] remote sensing (ERS)"), "… (hereinafter
  referred to as the ABC)", or an abbreviation list's ``ABC: English name`` line;
- an entry without a definition from the texts gets the sentence that defines or glosses it,
  quoted with its place, and the kind of gloss it is (``Gloss.kind``):

  ``definition``  a defining sentence: "X是指…", "X指…", "所谓X…", "X，即…", "X（…）是…的<noun>",
                  "X is a/an/the …", "X refers to …", "X, i.e. …", "X, which is …";
  ``note``        a note whose marker follows the term and that glosses it (not a citation);
  ``appositive``  the sentence that introduces the term with what it is: a person's role
                  ("…局长X", "X总统", "X, head of …", "President X"), or a description
                  ("…的X" with a modifier of its own words, "X, a/an …");
  ``category``    only the kind of thing it is ("“X”卫星", "运载火箭“X”"): not counted as a gloss;
  ``context``     a sentence that merely mentions the term: not counted.

Entries whose gloss is a definition, note or appositive are marked ``definition_kind="source"``
(the entry page shows them as the text's own explanation); the others keep a quoted context
(``"context"``). Nothing here names a specific term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from .models import Document, Glossary, GlossaryEntry, Library
from .perf.jieba_data import base_dictionary
from .terms_align import EN_CONNECTORS, capitalised_runs, coverage, lexicon_words, sub_phrases
from .terms_names import (HAN, HAN_RE, abbr_key, backmatter_texts, english_form, is_acronym, nfkc,
                          text_before_markers)

# Phrases after a term that gloss it wherever it stands (X，即…, X（…）一即…, X行为，意指…, “X”被定义为…)
GLOSSING = re.compile(r"^[”》」]?(?:\s*[（(][^（）()]{1,80}[）)])?\s*(?:是指|指的是|系指|意指|意为|直译为|，即|,即|[一—–-]即|即是|"
                      rf"[{HAN}]{{0,3}}[，,]\s*(?:意指|即指|是指|指的是|也就是说?)|"
                      # “X”——后者是…; X（…），这类装置旨在…: the next clause takes it up by a pronoun
                      rf"[{HAN}]{{0,6}}(?:[—–]{{1,2}}|[，,])\s*后者(?:是|指|系)|"
                      rf"[^，。；]{{0,6}}[，,]\s*(?:这类|这种|此类|该类)[{HAN}]{{1,4}}(?:旨在|是指|是一种|指的是|专为|用于))")
# A quoted term that a text defines, describes or interprets (将“X”定义为…, “X”概念，被解释为…)
DEFINED_AS = re.compile(r"^[”》」](?:[（(][^（）()]{1,80}[）)])?(?:[{HAN}]{0,2}[，,])?\s*被?(?:定义|界定|解释|理解)为".replace("{HAN}", HAN))
# A quoted word whose meaning the sentence explains (“X”一词的含义…涵盖…, “X”一词…描述的是…)
MEANING = re.compile(r"^”一词[^。；]{0,30}?(?:含义|意思|是指|指的是|描述的是|意味着|涵盖|应聚焦于)")
# Phrases after a term that define it when it is the subject of its clause (X是指…, X指…, X是一种…)
DEFINING = re.compile(r"^[”》」]?(?:\s*[（(][^（）()]{1,80}[）)])?\s*(?:是一种|是一个|是一项|是一类|是一家|是一所|是由|"
                      r"指(?!出|责|挥|导|示|向|控|标|南|令|数|定|望|明|引|针|点|称|代)|"
                      r"是(?!否|不是|在|为了|因为|由于|对|从|把|被)[^，。；]{2,40}(?:的|之)[^，。；]{0,12}(?:系统|组织|机构|计划|"
                      r"项目|条约|协定|公司|概念|国家|卫星|武器|能力|行动|政策|战略|机制|领域|资源|方式|手段|工具|平台|设施|技术|任务|"
                      r"行为|做法|实践|活动|智库|企业|论坛|会议|框架|原则|条款|方案|文件|法案|规则|星座|网络)[。；，])")
# English: "X is Russia's global navigation satellite system.", "X refers to …", "X, i.e. …"
EN_DEFINING = re.compile(r"^(?:\s*\([^)]*\))?(?:\s*(?:is|was|are|refers to|means|stands for)\s+(?:a|an|the|[A-Z][\w.]*[’']s)\b"
                         r"|,?\s+(?:i\.e\.|that is|which (?:is|was|are|refers to|means))\s)")
# Roles that say who a person is, before (…局长X) or right after (X总统) the name
ROLES_ZH = ("局长", "部长", "总统", "主席", "总理", "首相", "主任", "秘书长", "秘书", "参议员", "众议员", "议员", "帮办", "助理", "首席执行官", "执行官", "创始人", "总裁",
            "总经理", "研究员", "教授", "学者", "专家", "大使", "代表", "国务卿", "司令", "官员", "发言人", "航天员", "宇航员",
            "院长", "所长", "负责人", "领导人", "国王", "外长", "防长", "总监", "署长", "顾问", "分析师", "作者")
ROLES_EN = ("head", "director", "chief", "president", "chairman", "chair", "administrator", "secretary", "minister",
            "founder", "CEO", "professor", "researcher", "senator", "congressman", "ambassador", "spokesperson",
            "spokesman", "commander", "general", "deputy", "analyst", "author", "leader", "executive")
ROLE_BEFORE_EN = re.compile(r"(?:President|Administrator|Director|Secretary|Minister|Chairman|Senator|Ambassador|General|"
                            r"Professor|Deputy|Chief|Commander|Premier|Prime Minister|Representative)\s+$")
# Category nouns that say only what kind of thing a name is (“X”卫星, 运载火箭“X”)
CATEGORIES_ZH = ("卫星", "飞船", "探测器", "火箭", "运载火箭", "着陆器", "空间站", "系统", "项目", "计划", "工程", "公司", "智库",
                 "机构", "组织", "条约", "协定", "法案", "任务", "星座", "网络", "平台", "倡议", "战略", "政策", "概念", "原则",
                 "条款", "行为", "杂志", "报告", "系列", "集团", "大学")
# A note that cites a work rather than glosses the term
CITATION = re.compile(r"https?://|www\.|《|》|出版社|[Pp]ress\b|\b(?:19|20)\d\d\b|\bpp?\.\s*\d|第\s*\d+\s*[页段]|注释\s*\d|参见|"
                      r"转引自|同上|[Ii]bid|[“\"][A-Z][^”\"]{4,}[,，]?[”\"]")
NOTE_GLOSSES = re.compile(r"指|是|即|意为|意思|直译|系|称为|refers? to|means|\bis an?\b|\bwas an?\b")
SENTENCE_STOPS = "。！？；"
CLAUSE_STOPS = "，。；：！？、,;:!?（(“《"
TITLE_WORD = r"(?:[A-Z][\w’'\-]*|of|the|and|or|against|in|on|for|to|a|an|with|from|by)"
HEREINAFTER = re.compile(rf"({TITLE_WORD}(?:,?\s+{TITLE_WORD}){{1,40}})\s*\((?:hereinafter|hereafter)(?: referred to)?"
                         rf"(?: as)?(?: the)?\s+[“\"]?([A-Z][A-Z0-9\-]{{1,11}})[”\"]?\)")
BRACKETED_ABBR = re.compile(r"((?:[\[\]A-Za-z’'\-]+\s+){1,8})[（(]([A-Z][A-Za-z0-9\-]{1,11})[)）]")
COUNTED = ("definition", "note", "appositive")  # the kinds of gloss that explain a term


@dataclass(frozen=True)
class Gloss:
    """A sentence of the texts that explains an entry, where it is, and what kind of gloss it is."""

    sentence: str
    where: str  # "doc-id#anchor"
    kind: str  # definition | note | appositive | category | context


@dataclass(frozen=True)
class Place:
    """A paragraph, side of an aligned pair or note: its text and where it is."""

    doc_id: str
    anchor: str
    text: str
    english: bool = False
    note: bool = False


# --------------------------------------------------------------------------- expansions


def expand_abbreviations(glossary: Glossary, library: Library, found: dict[str, str] | None = None) -> int:
    """English names for entries with an abbreviation and none, from the texts (``found``:
    ``expansions`` of the library, made here when not given), when the lexicon finds half of the
    phrase's words in the Chinese name (so a phrase with the same initials but other words does
    not become the expansion). Returns how many."""
    found = expansions(library) if found is None else found
    count = 0
    for entry in glossary.entries.values():
        phrase = found.get(abbr_key(entry.abbr)) if entry.abbr and not entry.en else None
        if phrase and coverage(entry.zh, phrase, lexicon_words, fuzzy=True)[1] >= 0.5:  # the words agree
            entry.en.append(phrase)
            count += 1
    return count


def expansions(library: Library, names_only: bool = False) -> dict[str, str]:
    """Abbreviation key -> the English phrase of two or more words that the texts spell out for
    it (the most frequent spelling): a capitalised phrase whose content words begin with its
    letters, ``… (hereinafter … ABBR)``, an abbreviation list's ``ABBR: English name`` and,
    unless ``names_only`` (what the bracket rule consults: names, not descriptions), the words
    of any case before ``(ABBR)`` whose initials it takes."""
    return expansions_from([spelled_out(doc) for doc in library.documents], names_only)


def spelled_out(doc: Document) -> list[tuple[str, str, str]]:
    """Every expansion one document spells out, in reading order, as (abbreviation key, phrase,
    source): source "name" (a capitalised phrase, ``hereinafter``), "bracketed" (words before
    ``(ABBR)``) or "list" (an abbreviation list's line). ``expansions_from`` counts them."""
    out = []
    for text in _latin_texts(Library(documents=[doc])):
        hereinafter = HEREINAFTER.finditer(text) if "here" in text else ()  # the pattern is slow to fail
        for match in hereinafter:  # "Treaty on … Objects (hereinafter referred to as the PPWT)"
            phrase = re.sub(r"^(?:(?:of|the|and|or|against|in|on|for|to|a|an|with|from|by|The)\s+)+", "", match.group(1))
            if len(phrase.split()) >= 2:
                out.append((abbr_key(match.group(2)), english_form(phrase), "name"))
        for match in BRACKETED_ABBR.finditer(text) if "(" in text or "（" in text else ():  # "[Earth] remote sensing (ERS)"
            phrase = words_for(match.group(1), match.group(2))
            if phrase:
                out.append((abbr_key(match.group(2)), english_form(phrase), "bracketed"))
        for run, _start in capitalised_runs(text):
            for phrase, _offset, complete in sub_phrases(run):
                if complete and " " in phrase:
                    out.append((initials(phrase), english_form(phrase), "name"))
    for abbr, phrase in abbreviation_list_expansions(Library(documents=[doc])):
        out.append((abbr_key(abbr), english_form(phrase), "list"))
    return out


def expansions_from(documents: list[list[tuple[str, str, str]]], names_only: bool = False) -> dict[str, str]:
    """``expansions`` from the documents' ``spelled_out``: each phrase counted, the texts' in
    reading order first, then the abbreviation lists'."""
    found: dict[str, dict[str, int]] = {}
    texts = [item for items in documents for item in items if item[2] != "list"]
    lists = [item for items in documents for item in items if item[2] == "list"]
    for key, phrase, source in texts + lists:
        if names_only and source == "bracketed":
            continue
        counts = found.setdefault(key, {})
        counts[phrase] = counts.get(phrase, 0) + 1
    return {key: max(counts, key=lambda p: (counts[p], -len(p))) for key, counts in found.items()}


def words_for(before: str, abbr: str) -> str:
    """The shortest ending of ``before`` (words of any case; an editor's [insertion] kept as a
    word) whose initials are the abbreviation's letters, or ""."""
    words = [w for w in re.sub(r"[\[\]]", " ", before).split() if w]
    letters = re.sub(r"[^A-Z0-9]", "", abbr.upper())
    for start in range(len(words) - 1, -1, -1):
        phrase = " ".join(words[start:])
        if len(words) - start >= 2 and initials(phrase) == letters:
            return phrase
        if len(initials(phrase)) > len(letters):
            break
    return ""


def abbreviation_list_expansions(library: Library) -> list[tuple[str, str]]:
    """(abbreviation, English phrase) lines of back-matter abbreviation lists that expand the
    abbreviation in English (``ASAT: anti-satellite weapon``): the phrase takes its initials."""
    out = []
    for doc in library.documents:
        for section in doc.backmatter:
            if section.kind != "abbreviations":
                continue
            for item in section.items:
                match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9\-/&. ]{0,20}?)\s*[:：\t]\s*([A-Za-z][A-Za-z’'\- ,]+?)\s*$",
                                 nfkc(item.text))
                if match and is_acronym(match.group(1)) and initials(match.group(2)) == abbr_key(match.group(1)):
                    out.append((match.group(1), match.group(2)))
    return out


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
    for place in places_of(library):
        if re.search("[A-Za-z]{3}", place.text):
            yield place.text


# --------------------------------------------------------------------------- definitions


def places_of(library: Library) -> list[Place]:
    """Every paragraph, side of an aligned pair, note and prose back-matter item of the
    library, in reading order."""
    out = []
    for doc in library.documents:
        for block in doc.blocks:
            for side in block.pair or [block]:
                if side.kind != "heading":
                    out.append(Place(doc.meta.id, side.anchor or block.anchor, side.text, english=side.lang == "en"))
        out.extend(Place(doc.meta.id, note.anchor, note.text, english=not HAN_RE.search(note.text), note=True)
                   for note in doc.notes)
        out.extend(Place(doc.meta.id, anchor, text, english=not HAN_RE.search(text)) for text, anchor in backmatter_texts(doc))
    return out


def marked_notes(library: Library) -> list[tuple[str, Place]]:
    """(body text up to the marker, the note) for every note whose marker is in the body."""
    out = []
    for doc in library.documents:
        before = text_before_markers(doc) if doc.notes else {}
        out.extend((before[note.number], Place(doc.meta.id, note.anchor, note.text, note=True))
                   for note in doc.notes if note.number in before)
    return out


def quote_definitions(glossary: Glossary, library: Library, glosses: list[dict] | None = None) -> dict:
    """The sentence that defines or glosses each entry without a definition from the texts;
    entries with none keep their quoted context. ``glosses``: each document's
    (``Glosser.document``), found here when not given. Returns the figures: ``defined`` (entries
    whose quoted sentence explains them: a definition, a glossing note or an appositive,
    including the note definitions found by extraction), ``defined_by`` (entries by kind of
    gloss, ``category`` and ``context`` not counted in ``defined``)."""
    if glosses is None:
        glosser = Glosser(glossary)
        glosses = [glosser.document(doc) for doc in library.documents]
    by_kind: dict[str, int] = {}
    for entry in glossary.entries.values():
        if entry.definition_source == "editor" or entry.definition_kind == "editor":
            continue
        if entry.definition_kind == "source":
            by_kind["note"] = by_kind.get("note", 0) + 1  # a note that opens with the term and defines it
            continue
        gloss = first_gloss(entry, glosses)
        if gloss is None:
            by_kind["context"] = by_kind.get("context", 0) + (1 if entry.definition else 0)
            continue
        by_kind[gloss.kind] = by_kind.get(gloss.kind, 0) + 1
        if gloss.kind in COUNTED or not entry.definition:
            entry.definition, entry.definition_source = gloss.sentence, gloss.where
            entry.definition_kind = "source" if gloss.kind in COUNTED else "context"
    defined = sum(by_kind.get(kind, 0) for kind in COUNTED)
    return {"defined": defined, "defined_by": dict(sorted(by_kind.items()))}


def _wanted(entry: GlossaryEntry) -> bool:
    """An entry whose definition the texts may give (not the editor's, not a defining note's)."""
    return entry.definition_source != "editor" and entry.definition_kind not in ("editor", "source")


class Glosser:
    """Finds, in one document at a time, every gloss of every entry that wants one: per entry,
    the first of each kind in the document (``document``), so that ``first_gloss`` can pick the
    library's best by the order of ``best_gloss``: a defining sentence (by name, then by place),
    an English definition, a glossing note, an appositive, a category word. ``key`` covers
    everything a document's result depends on besides the document."""

    def __init__(self, glossary: Glossary) -> None:
        self.entries = [(entry.id, *_names(entry), entry.kind) for entry in glossary.entries.values() if _wanted(entry)]
        self.key = repr(self.entries)
        self._automaton = None

    def document(self, doc: Document) -> dict[str, dict[str, Gloss]]:
        """Entry id -> {"definition:<name>" | "english:<name>" | "note" | "appositive" |
        "category": the first such gloss in this document}."""
        library = Library(documents=[doc])
        places, notes = places_of(library), marked_notes(library)
        found = Occurrences(places, [], self._names_automaton())
        tails = NoteTails(notes)
        out: dict[str, dict[str, Gloss]] = {}
        for entry_id, chinese, english, kind in self.entries:
            names = chinese + english
            if not found.places(names) and not tails.ending_with(names):
                continue  # the document does not name the entry
            hits: dict[str, Gloss] = {}
            for name in chinese:
                hit = defining_sentence([name], places, found)
                if hit:
                    hits[f"definition:{name}"] = Gloss(hit[0], hit[1], "definition")
            for name in english:
                hit = english_definition([name], places, found)
                if hit:
                    hits[f"english:{name}"] = Gloss(hit[0], hit[1], "definition")
            for label, gloss in (("note", note_gloss(names, notes, tails)),
                                 ("appositive", appositive(chinese, english, places, kind, found)),
                                 ("category", category(chinese, places, found))):
                if gloss:
                    hits[label] = gloss
            if hits:
                out[entry_id] = hits
        return out

    def _names_automaton(self):
        if self._automaton is None:
            self._automaton = _automaton({n for _id, chinese, english, _kind in self.entries for n in chinese + english})
        return self._automaton


def first_gloss(entry: GlossaryEntry, documents: list[dict[str, dict[str, Gloss]]]) -> Gloss | None:
    """The library's best gloss of the entry from the documents' (``Glosser.document``), in the
    order of ``best_gloss``."""
    chinese, english = _names(entry)
    labels = [f"definition:{n}" for n in chinese] + [f"english:{n}" for n in english] + ["note", "appositive", "category"]
    for label in labels:
        for hits in documents:
            gloss = hits.get(entry.id, {}).get(label)
            if gloss:
                return gloss
    return None


def _automaton(names: set[str]):
    automaton = ahocorasick.Automaton()
    for name in names:
        if name:
            automaton.add_word(name, name)
    if len(automaton):
        automaton.make_automaton()
    return automaton


def _names(entry: GlossaryEntry) -> tuple[list[str], list[str]]:
    """The entry's Chinese names and its English names and abbreviation that a gloss may follow."""
    chinese = [n for n in dict.fromkeys([entry.zh, *entry.aliases]) if HAN_RE.search(n) and len(n) >= 2]
    english = [n for n in dict.fromkeys([*entry.en, entry.abbr]) if n and (" " in n or len(n) >= 3)]
    return chinese, english


class Occurrences:
    """Where each name occurs in the places, in reading order: name -> {place index: [offsets]}.
    All names are found at once, with one Aho-Corasick pass over each text (overlapping
    occurrences too, as ``str.find`` from each next offset finds them); looking for every name
    in every text was quadratic in the library."""

    def __init__(self, places: list[Place], names: list[str], automaton=None) -> None:
        self.at: dict[str, dict[int, list[int]]] = {}
        automaton = automaton if automaton is not None else _automaton(set(names))
        if not len(automaton):
            return
        for index, place in enumerate(places):
            for end, name in automaton.iter(place.text):
                self.at.setdefault(name, {}).setdefault(index, []).append(end - len(name) + 1)

    def places(self, names: list[str]) -> list[int]:
        """The indexes of the places that hold any of the names, in reading order."""
        return sorted({index for name in names for index in self.at.get(name, {})})

    def offsets(self, name: str, index: int) -> list[int]:
        return self.at.get(name, {}).get(index, [])


class NoteTails:
    """The body text before each note's marker with closing quotes and a bracketed other-language
    form taken off its end (the name a glossing note follows ends there), indexed by its endings."""

    def __init__(self, notes: list[tuple[str, Place]], longest: int = 40) -> None:
        self.tails = [_note_tail(before) for before, _note in notes]
        self.ending: dict[str, list[int]] = {}
        for index, tail in enumerate(self.tails):
            for size in range(1, min(longest, len(tail)) + 1):
                self.ending.setdefault(tail[-size:], []).append(index)

    def ending_with(self, names: list[str]) -> list[int]:
        """Indexes of the notes whose tail ends with one of the names, in order."""
        out: set[int] = set()
        for name in names:
            if name in self.ending:
                out.update(self.ending[name])
            elif len(name) > 40:
                out.update(i for i, tail in enumerate(self.tails) if tail.endswith(name))
        return sorted(out)


def _note_tail(before: str) -> str:
    tail = re.sub(r"(?:[（(][^（）()]{1,80}[）)])?[”》」’\s]*$", "", before.rstrip())
    return re.sub(r"[”》」’]$", "", tail)


def best_gloss(entry: GlossaryEntry, places: list[Place], notes: list[tuple[str, Place]],
               found: Occurrences | None = None, tails: NoteTails | None = None) -> Gloss | None:
    """The best gloss of the entry the texts give, in order of preference: a defining sentence,
    a glossing note, an appositive, a category word. ``found`` and ``tails`` (made here when not
    given) say where the names occur."""
    chinese, english = _names(entry)
    found = found or Occurrences(places, chinese + english)
    tails = tails or NoteTails(notes)
    hit = defining_sentence(chinese, places, found) or english_definition(english, places, found)
    if hit:
        return Gloss(hit[0], hit[1], "definition")
    gloss = note_gloss(chinese + english, notes, tails)
    if gloss:
        return gloss
    return appositive(chinese, english, places, entry.kind, found) or category(chinese, places, found)


def defining_sentence(names: list[str], places: list[Place], found: Occurrences | None = None) -> tuple[str, str] | None:
    """(sentence, "doc#anchor") of the first sentence where one of the names opens a clause
    (or follows 所谓) and is followed by a defining phrase."""
    found = found or Occurrences(places, names)
    for name in names:
        if len(name) < 2:
            continue
        for index in found.at.get(name, {}):
            place = places[index]
            if place.english:
                continue
            text = place.text
            for at in found.offsets(name, index):
                after = text[at + len(name):]
                quoted = at > 0 and text[at - 1] in "“《"
                if _in_longer_quote(text, at, name):
                    continue  # 探测器 inside “月面巡视探测器”: the phrase explains the longer name
                if GLOSSING.match(after) or quoted and (DEFINED_AS.match(after) or MEANING.match(after)) or \
                        DEFINING.match(after) and _opens_clause(text, at):
                    return _sentence(text, at), f"{place.doc_id}#{place.anchor}"
    return None


def english_definition(names: list[str], places: list[Place], found: Occurrences | None = None) -> tuple[str, str] | None:
    """(sentence, "doc#anchor") of an English sentence that opens with the name and defines it
    ("The Conference on Disarmament is the international community's most important
    multilateral platform…", "X refers to…", "X, i.e. …"); the name has several words or is an
    abbreviation."""
    found = found or Occurrences(places, names)
    for name in (n for n in names if n and (" " in n or n.isupper() and len(n) >= 2)):
        pattern = re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=[.!?]\d\s)|(?<=[.!?]\s\d\d\s))(?:The\s+)?{re.escape(name)}\b")
        for index in found.at.get(name, {}):
            place = places[index]
            if not place.english:
                continue
            for match in pattern.finditer(place.text):
                if EN_DEFINING.match(place.text[match.end():]):
                    return _english_sentence(place.text, match.start()), f"{place.doc_id}#{place.anchor}"
    return None


def note_gloss(names: list[str], notes: list[tuple[str, Place]], tails: NoteTails | None = None) -> Gloss | None:
    """A note whose marker follows one of the names (after a closing quote or bracket) and that
    glosses it: no citation (title, year, publisher, URL, page), a glossing verb or the name."""
    tails = tails or NoteTails(notes)
    for index in tails.ending_with(names):
        tail, note = tails.tails[index], notes[index][1]
        for name in names:
            if tail.endswith(name) and is_gloss_note(note.text, name):
                return Gloss(note.text.strip(), f"{note.doc_id}#{note.anchor}", "note")
    return None


def is_gloss_note(text: str, name: str) -> bool:
    """The note explains the term: it cites nothing and uses a glossing word or names the term."""
    text = nfkc(text)
    return len(text) >= 8 and not CITATION.search(text) and bool(NOTE_GLOSSES.search(text) or name in text)


def appositive(chinese: list[str], english: list[str], places: list[Place], kind: str,
               found: Occurrences | None = None) -> Gloss | None:
    """The first sentence that says what the entry is beside its name: a person's role (…局长X,
    X总统, X, head of …, President X) or description (…的X, with a modifier of four or more
    characters); a non-restrictive clause after the name ("X, a/an …", "X, which provides …",
    "X, who …"); what a named document or programme provides or does (《X》，规定…; “X”项目，资助…)."""
    found = found or Occurrences(places, chinese + english)
    for index in found.places(chinese + english):
        place = places[index]
        if place.note and CITATION.search(place.text):
            continue  # a citation's title is no sentence of the text about the entry
        for name in english if place.english else chinese:
            for at in found.offsets(name, index):
                if place.english and _english_appositive(place.text, at, name, kind == "person") or \
                        not place.english and _chinese_appositive(place.text, at, name, kind):
                    sentence = _english_sentence(place.text, at) if place.english else _sentence(place.text, at)
                    if not place.english and _taken_up_next(place.text[at + len(name):], name):
                        end = place.text.find(sentence) + len(sentence)
                        sentence += _sentence(place.text, end)  # and the sentence that takes it up
                    return Gloss(sentence, f"{place.doc_id}#{place.anchor}", "appositive")
    return None


# A non-restrictive clause that says what the thing named before it is or does
EN_RELATIVE = re.compile(r"^(?:\s*\([^()]{1,40}\))?(?:\s+and its [a-z]+ [A-Z][a-z]+)?,\s+(?:which|who)\s+"
                         r"(?:is|was|are|were|provides?|provided|takes?|took|aims?|aimed|allows?|allowed|requires?|"
                         r"required|bans?|banned|prohibits?|prohibited|sets?|establishe[sd]|governs?|governed|"
                         r"legitimi[sz]es|legitimi[sz]ed|calls? for|called for|grants?|granted|leads?|led|heads?|headed)\b")
# What a named document or programme provides or does, in the clause right after its name:
# 《X》，规定…; 推出“X”项目，资助…
NAMED_CLAUSE = re.compile(r"^[》”](?:[（(][^（）()]{1,80}[）)])?(?:项目|计划|工程|任务|条约|协定|法案|倡议)?[，,]\s*(?:规定|禁止|要求|旨在|允许|明确|确立|赋予|"
                          r"承认|否认|主张|呼吁|相互通报|把|将|提出要|宣布|支持|资助|用于|目标是|致力于|负责|为其|规划|"
                          r"其(?:项目|内容|任务)?(?:包含|包括|规定|旨在))")
# A description the sentence gives a thing before naming it (…观测计划，最初命名为“X”; 由…组成的“X”)
NAMED_AS = re.compile(r"(?:(?:命名为|名为|称为|更名为|定名为|代号为)|由[^，。；]{2,20}(?:组成|构成)的[^，。；“”《》]{0,8})[“《]?$")
DESCRIBED_KINDS = ("document", "programme", "spacecraft", "organisation")


def _english_appositive(text: str, at: int, name: str, person: bool) -> bool:
    before, after = text[:at], text[at + len(name):]
    if after[:1].isalnum() or at and text[at - 1].isalnum():
        return False
    if person and ROLE_BEFORE_EN.search(before):
        return True
    roles = "|".join(ROLES_EN)
    if person and re.match(rf"^,\s+(?:then\s+|former\s+|now\s+)?(?:the\s+|a\s+|an\s+)?(?:[\w’'\-]+\s+){{0,3}}(?:{roles})\b",
                           after):
        return True
    if person or re.search(r"(?:\b(?:and|or|of|for|on|in)|\b[A-Z][\w’'\-]*)\s+$", before):
        return False  # a part of a longer name or of a list ("Law of Space", "China and Russia")
    return bool(EN_RELATIVE.match(after) or re.match(r"^,\s+(?:a|an)\s+[a-z][\w’'\-]*(?:\s+[\w’'\-]+)+", after))


def _chinese_appositive(text: str, at: int, name: str, kind: str) -> bool:
    before, after = text[:at], text[at + len(name):]
    if _inside_word(text, at):
        return False  # 西亚 in 马来西亚工程师
    if kind != "person" and NAMED_AS.search(before) and not _in_longer_quote(text, at, name):
        return True
    if kind != "person" and _taken_up_next(after, name):
        return True
    if kind in DESCRIBED_KINDS:
        return before.endswith(("《", "“")) and bool(NAMED_CLAUSE.match(after))
    if kind != "person":
        return False
    clause = re.split(f"[{CLAUSE_STOPS}]", before)[-1]
    if clause.endswith(ROLES_ZH) or clause.rstrip("的").endswith(ROLES_ZH):
        return True
    rest = re.sub(r"^[”]?\s*(?:[（(][^（）()]{1,80}[）)])?\s*", "", after)
    if rest.startswith(ROLES_ZH) or re.match(f"^(?:现任|时任|曾任|担任)[^，。；]{{0,40}}?(?:{'|'.join(ROLES_ZH)})", rest):
        return True  # X总统, X（…）参议员, X（…）现任…研究员
    modifier = re.search(r"([^，。；：！？、,;:!?（(]{4,30})的[“《]?$", before)
    return bool(modifier) and len(HAN_RE.findall(modifier.group(1))) >= 4 and not re.search(r"\d", modifier.group(1))


def category(chinese: list[str], places: list[Place], found: Occurrences | None = None) -> Gloss | None:
    """The first sentence that names the kind of thing the entry is beside it: “X”卫星,
    X（…）新型探测系统, 运载火箭“X”."""
    found = found or Occurrences(places, chinese)
    nouns = "|".join(sorted(CATEGORIES_ZH, key=len, reverse=True))
    latin = r"[（(][^（）()]*[A-Za-z][^（）()]*[）)]"  # the name's other-language form
    for index in found.places(chinese):
        place = places[index]
        if place.english:
            continue
        for name in chinese:
            for at in found.offsets(name, index):
                after = place.text[at + len(name):]
                before = place.text[:at].rstrip("“《")
                quoted = re.match(rf"^(?:[”》](?:{latin})?|{latin})[{HAN}]{{0,2}}(?:{nouns})", after)
                if quoted or re.match(f"^(?:{nouns})", after) or re.search(f"(?:{nouns})$", before):
                    return Gloss(_sentence(place.text, at), f"{place.doc_id}#{place.anchor}", "category")
    return None


def _inside_word(text: str, at: int) -> bool:
    """A word of jieba's main dictionary (two to four characters) begins before ``at`` and goes on
    past it: the name found at ``at`` is the end of a longer word (罗斯 in 俄罗斯)."""
    if at == 0 or not HAN_RE.match(text[at - 1]):
        return False
    freq, _total = base_dictionary()
    return any(freq.get(text[start:end]) for start in range(max(at - 3, 0), at)
               for end in range(at + 1, min(start + 4, len(text)) + 1))


def _taken_up_next(after: str, name: str) -> bool:
    """The sentence that names it ends there and the next one takes it up by the last word of its
    name (“某某合作项目委员会”。该委员会每年举行一次会议…)."""
    ending = re.match(r"^[”》]?(?:\s*[（(][^（）()]{1,80}[）)])?[。；]\s*(?:\d{1,3}\s*)?(?:该|这一|此)([\u3400-\u9fff]{2,3})", after)
    return bool(ending) and len(name) > len(ending.group(1)) + 1 and name.endswith(ending.group(1))


def _in_longer_quote(text: str, at: int, name: str) -> bool:
    """The name is a part of a longer quoted or book-title name (探测器 in “月面巡视探测器”,
    美国 in “美国铁穹”)."""
    before, after = text[:at], text[at + len(name):]
    opened = re.search(r"[“《]([^“”《》，。；]*)$", before)
    if not opened:
        return False
    return bool(opened.group(1)) or bool(after) and not re.match(r"^(?:[”》]|\s*[（(])", after)


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


def _english_sentence(text: str, at: int) -> str:
    """The English sentence of ``text`` that holds position ``at`` (a full stop after a single
    capital, as in "U.S.", ends no sentence)."""
    stops = [m.end() for m in re.finditer(r"(?<![ .][A-Z])[.!?][”\"’']{0,2}(?:\s*\d+)?\s+(?=[A-Z“\"])", text) if m.end() <= at]
    left = stops[-1] if stops else 0
    end = re.search(r"(?<![ .][A-Z])[.!?][”\"’']{0,2}(?=(?:\s*\d+)?(?:\s+[A-Z“\"]|\s*$))", text[at:])
    right = at + end.end() if end else len(text)
    return text[left:right].strip()
