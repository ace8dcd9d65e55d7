"""Term extraction: Chinese/English term pairs found in the texts themselves, by general rules.

This stage only reads documents and returns ``Candidate`` pairs with the evidence (document,
anchor, sentence) each came from. It never decides what becomes a glossary entry: merging,
curation and the stop list are ``terms_glossary``'s job.

Rules (each named in ``Candidate.rule``):

- ``abbreviation-list``: back-matter abbreviation lists, ``ASAT: 反卫星武器``.
- ``parenthetical``: ``中文（English）``, ``中文(English, ABBR)``, ``中文（ABBR）``, romanised names in
  brackets ``乔纳森·马格里斯（Jonathan Margolis）``, ``《…》(以下简称“ABBR”)``.
- ``note-definition``: a note that opens with an English name (and abbreviation), beside the
  Chinese name quoted just before its marker, or followed by ``，指…`` / ``直译为“…”``.

Aligned English/Chinese paragraph pairs are aligned term by term in ``terms_align`` (rule
``aligned-pair``).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import replace

from .models import Document, Library, Text
from .perf.jieba_data import pos_tokenizer
from .terms_align import _is_proper, _senses, coverage, transliteration_score
from .terms_names import (EN_STOP, HAN, HAN_RE, LATIN_RE, URL, Candidate, abbr_form, abbr_key, english_form,
                          is_acronym, is_chinese_name, is_english_name, latin_key, nfkc, sentence_at,
                          backmatter_texts, text_before_markers, zh_form)

SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?;])\s+")
PAREN = re.compile(r"[（(]([^（）()]{1,160})[）)]")
SHORTHAND = re.compile(r"以下简称[“\"]([^”\"]{1,20})[”\"]")
QUOTED_ZH = re.compile(r"“([^“”]{1,40})”|《([^《》]{1,60})》")
QUOTED_EN = re.compile(r"[“\"]([^“”\"]{1,120})[”\"]")
NOTE_HEAD = re.compile(
    r"^[“\"]?(?P<en>[A-Z][A-Za-z0-9'’\-]*(?:[ \-][A-Za-z0-9'’\-]+){1,12})\s*"
    r"(?:[（(](?P<abbr>[^（）()]{1,24})[）)])?")
NOTE_GLOSS = re.compile(r"直译为[“\"]([^”\"]{2,30})[”\"]")
NOTE_DEFINES = re.compile(r"^[，,]?\s*(?:是)?指")
# Characters at which the Chinese name before a parenthesis cannot continue leftwards.
CLAUSE_BREAK = re.compile(r"[，。；：、！？“”‘’《》（）()\[\]【】,;:!?\s·]|的|之")
# jieba part-of-speech tags that may form part of a term (nouns, names, abbreviations,
# distinguishing words, verbal nouns; "i": jieba tags some technical compounds as idioms);
# anything else ends the term going leftwards.
TERM_POS = ("n", "nr", "ns", "nt", "nz", "nrt", "nrfg", "vn", "j", "b", "eng", "an", "l", "g", "i")
# Grammatical characters that never begin or end a transliterated name.
FUNCTION_CHARS = set("的是和与及在由对把被为将向从但而了着过也都又并或之其即")
# Characters that end the words before a transliterated given name (年侯赛因, 以奥克桑, 自杰弗里, 诸如威廉)
NAME_STOPS = set("年以自于如据如诸即据经至令使让给向")


class Context:
    """What the rules consult: names known from abbreviation lists and the glossary, the jieba
    tokenizer (segmentation, part of speech, word frequencies) and the library's whole text."""

    def __init__(self, tokenizer, known: dict[str, str] | None = None, corpus_text: str = "",
                 counts: "CorpusCounts | None" = None):
        self.tokenizer = tokenizer
        self._posseg = None
        self.known = dict(known or {})
        self.corpus_text = corpus_text
        self.counts = counts or CorpusCounts(corpus_text)
        self.queries: dict[str, int] | None = None  # when set: every name counted, and its count class
        self.expansions: dict[str, str] = {}  # abbreviation key -> the English phrase a text spells out

    @property
    def posseg(self):
        """Part-of-speech segmentation over the tokenizer, made when a rule first asks for it."""
        if self._posseg is None:
            self._posseg = pos_tokenizer(self.tokenizer)
        return self._posseg

    def count(self, name: str) -> int:
        """How often ``name`` occurs in the library's text. The only corpus-wide figure a rule
        consults (always as "at least twice"), so each document's candidates are cached with the
        names it asked about (``queries``) and reused while their answers stay the same."""
        found = self.counts.count(name)
        if self.queries is not None:
            self.queries[name] = min(found, 2)
        return found

    def is_common_word(self, zh: str, threshold: int = 300) -> bool:
        """A frequent everyday word of jieba's dictionary (行动, 协商, 网络)."""
        self.tokenizer.check_initialized()
        return (self.tokenizer.FREQ.get(zh) or 0) >= threshold


class DocumentTexts:
    """The text of each document for counting (``document_lines`` joined), made on first use:
    a build whose counts all come from the cache never joins them."""

    def __init__(self, documents: list[Document]) -> None:
        self.documents = documents
        self._texts: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, index: int) -> str:
        if index not in self._texts:
            self._texts[index] = "\n".join(document_lines(self.documents[index]))
        return self._texts[index]


class CorpusCounts:
    """Occurrences of names in the library's text, each counted once per build. Given the texts
    of the documents too (the library's text is their lines joined by newlines, so a name without
    one never spans two documents), a name is counted document by document and each document's
    counts (``per_document``) can be kept with the document: after an edit only the edited text
    is counted again."""

    def __init__(self, corpus_text, documents=None, per_document: list[dict[str, int]] | None = None) -> None:
        self._corpus_text = corpus_text  # the library's text, or a function that makes it
        self.documents = documents  # a sequence of texts (DocumentTexts: made when first counted in)
        self.per_document = per_document if per_document is not None else [{} for _ in documents or []]
        self._counts: dict[str, int] = {}

    def count(self, name: str) -> int:
        if name not in self._counts:
            if self.documents is None or not name or "\n" in name:
                self._counts[name] = self.corpus_text().count(name)
            else:
                self._counts[name] = sum(self._in_document(i, name) for i in range(len(self.documents)))
        return self._counts[name]

    def corpus_text(self) -> str:
        if callable(self._corpus_text):
            self._corpus_text = self._corpus_text()
        return self._corpus_text

    def _in_document(self, index: int, name: str) -> int:
        known = self.per_document[index]
        if name not in known:
            known[name] = self.documents[index].count(name)
        return known[name]

    def agree(self, queries: dict[str, int]) -> bool:
        """The recorded count classes (0, 1, at least 2) still hold for this library."""
        return all(min(self.count(name), 2) == answer for name, answer in queries.items())


# --------------------------------------------------------------------------- rules


def from_abbreviation_list(doc: Document) -> list[Candidate]:
    """``ASAT: 反卫星武器`` lines of a back-matter abbreviation list."""
    out = []
    for section in doc.backmatter:
        if section.kind != "abbreviations":
            continue
        for item in section.items:
            pair = split_abbreviation_item(item.text)
            if pair:
                out.append(Candidate(zh=pair[1], abbr=pair[0], rule="abbreviation-list",
                                     doc_id=doc.meta.id, anchor=item.anchor, context=item.text.strip()))
    return out


def split_abbreviation_item(line: str) -> tuple[str, str] | None:
    """``ASAT: 反卫星武器`` / ``ASAT：反卫星武器`` / ``ASAT 反卫星武器`` -> (abbreviation, Chinese)."""
    match = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9\-/&. ]{0,20}?)\s*(?:[:：]|\s)\s*(.+?)\s*$", nfkc(line))
    if not match or not HAN_RE.search(match.group(2)):
        return None
    abbr, zh = abbr_form(match.group(1)), zh_form(match.group(2))
    if not is_acronym(abbr) or not is_chinese_name(zh.replace("、", "")):
        return None
    return abbr, zh


def from_parentheticals(text: str, doc_id: str, anchor: str, ctx: Context) -> list[Candidate]:
    """``中文（English）``, ``中文(English, ABBR)``, ``中文（ABBR）``, romanised names, and the
    reversed ``English（中文）``."""
    out = []
    for match in PAREN.finditer(text):
        inner = nfkc(match.group(1))
        if match.start() == 0:
            continue
        if not LATIN_RE.search(inner):
            out.extend(_reversed(text, match, doc_id, anchor))
            continue
        left = text[:match.start()].rstrip(" ")  # 某某研究所 (ABCI): a space may stand before it
        before = left[-1:]
        if not before or not (HAN_RE.match(before) or before in "”》’"):
            continue
        en, abbr = split_inner(_without_examples(_joined_dashes(inner)), text, match.end())
        if not en and not abbr and before == "”" and re.fullmatch(r"[a-z][a-z\-]*(?: [a-z][a-z\-]*){0,3}", _joined_dashes(inner)):
            en = _joined_dashes(inner)  # “公海”（high-sea）: a quoted term glossed in lower case
        if not en and not abbr:
            continue
        zh, quoted = name_before(left, en, abbr, ctx)
        zh = _with_category(zh, text[match.end():]) if en and not abbr else zh
        if not zh or re.match(r"[A-Za-z0-9]", zh):
            continue
        known = ctx.known.get(abbr_key(abbr)) if abbr else None
        if known and zh != known and char_dice(zh, known) < 0.6 and not _shortens(zh, known):
            continue  # 某某能力（ABC）: not the name the library gives ASAT, nor a spelling or short form of it
        if en and " " not in en and left.endswith("》"):
            continue  # a document's title glossed by one word (《…准则》（UNCOPUOS）) names something else
        if en and not abbr and " " not in en and ctx.is_common_word(zh) and not quoted:
            continue
        if abbr and " " in abbr and re.fullmatch(r"(?:[A-Z]*[AEIOUY][A-Z]* ?)+", abbr) and _is_name_word(zh, ctx):
            en, abbr = english_form(abbr), ""  # 某某（FEI SU）: a romanised personal name in capitals, no acronym
        person = "·" in zh or bool(en and _looks_like_person(en) and _is_name_word(zh, ctx))
        out.append(Candidate(zh=zh, en=en, abbr=abbr, rule="parenthetical", doc_id=doc_id, anchor=anchor,
                             context=sentence_at(text, match.start(), match.end()), person=person))
    return out


# Endings of organisations' names, which a person's name in brackets never explains
ORGANISATION_WORDS = ("组织", "公司", "集团", "中心", "委员会", "研究所", "研究院", "大学", "学会", "协会", "机构", "局", "部")
# "（MEGACONSTELLATIONS，如星链）": the examples after 如/例如/比如 are no part of the name
EXAMPLES = re.compile(r"\s*[，,;；]\s*(?:如|例如|比如|包括|即|诸如).*$")
# Category words that finish a name written around its bracket: 沙克尔顿（Shackleton）撞击坑
CATEGORY_WORDS = ("撞击坑", "陨石坑", "盆地", "月谷", "山脉", "山", "湖", "海", "号", "卫星", "飞船", "探测器",
                  "计划", "项目", "工程", "系统", "星座", "条约", "协定", "公司", "集团")


def _shortens(short: str, name: str) -> bool:
    """A Chinese short form: its characters in order in the full name (甲协 / 甲国航天协会)."""
    rest = iter(name)
    return len(short) < len(name) and all(c in rest for c in short)


def char_dice(a: str, b: str) -> float:
    """Dice coefficient of the characters of two names (测控网络 / 测控与网络: 0.89)."""
    common = sum(min(a.count(c), b.count(c)) for c in set(a))
    return 2 * common / (len(a) + len(b)) if a and b else 0.0


def _joined_dashes(inner: str) -> str:
    """Dashes as hyphens, and a word broken at a line end joined (Organ– ization -> Organization)."""
    inner = re.sub(r"(?<=[a-z])[–-]\s+(?=[a-z])", "", inner)
    return inner.replace("–", "-").replace("—", "-")


def _without_examples(inner: str) -> str:
    return EXAMPLES.sub("", inner)


def _with_category(zh: str, after: str) -> str:
    """The name with the category word that follows its bracket, when one does and ends the
    phrase there (沙克尔顿（Shackleton）撞击坑、 -> 沙克尔顿撞击坑)."""
    if not zh:
        return zh
    for word in CATEGORY_WORDS:
        if after.startswith(word) and not zh.endswith(word):
            rest = after[len(word):len(word) + 1]
            if not rest or not HAN_RE.match(rest) or rest in "的等和与及":
                return zh + word
    return zh


def _reversed(text: str, match, doc_id: str, anchor: str) -> list[Candidate]:
    """``English Name（中文名）``: a capitalised English phrase just before a bracket that holds
    only a Chinese name."""
    inner = zh_form(match.group(1))
    if not is_chinese_name(inner):
        return []
    english = re.search(r"((?:[A-Z][\w’'\-]*|of|and|the|for|on|in)(?: (?:[A-Z][\w’'\-]*|of|and|the|for|on|in)){0,9})\s*$",
                        text[:match.start()])
    if not english:
        return []
    name = english.group(1)
    while name.split() and name.split()[0] in ("of", "and", "the", "for", "on", "in"):
        name = name.split(" ", 1)[1] if " " in name else ""
    if not name or not is_english_name(name):
        return []
    abbr = abbr_form(name) if is_acronym(name) else ""
    return [Candidate(zh=inner, en="" if abbr else english_form(name), abbr=abbr, rule="parenthetical",
                      doc_id=doc_id, anchor=anchor, context=sentence_at(text, match.start(), match.end()))]


def split_inner(inner: str, text: str = "", after: int = 0) -> tuple[str, str]:
    """The bracket's content as (English name, abbreviation); ("", "") when it is neither."""
    shorthand = SHORTHAND.search(inner)
    if shorthand:
        abbr = abbr_form(shorthand.group(1))
        return "", abbr if is_acronym(abbr) else ""
    inner = inner.strip(" “”\"'‘’")
    parts = [p.strip(" “”\"'‘’") for p in re.split(r"\s*[,，]\s*", inner)]
    if len(parts) == 2 and is_acronym(parts[1]) and not is_acronym(parts[0]) and is_english_name(parts[0]):
        return nfkc(parts[0]), abbr_form(parts[1])
    if len(parts) == 1 and is_acronym(inner) and " " not in abbr_form(inner).strip():
        return "", abbr_form(inner)
    if len(parts) == 1 and is_acronym(inner):
        return "", abbr_form(inner)
    if len(parts) <= 2 and is_english_name(parts[0]) and (len(parts) == 1 or re.fullmatch(r"Jr\.?|Sr\.?", parts[1])):
        return nfkc(", ".join(parts)).strip(" .;"), ""
    return "", ""


def name_before(left: str, en: str, abbr: str, ctx: Context) -> tuple[str, bool]:
    """The Chinese name that a bracket explains, and whether the text quotes it: the quoted or
    book-title name (closed before the bracket, or opened before it: “作战（WARFIGHTING）”), a
    name already known for this abbreviation or English name, the words of the clause that the
    bilingual lexicon or the sound ties to the English (or to the expansion a text gives for the
    abbreviation), else the phrase ending where the bracket opens."""
    closed = re.search(r"[“《]([^“”《》]{2,40})[”》]$", left)
    quoted = closed or re.search(r"[“《]([^“”《》]{2,24})$", left)
    if quoted:
        name = zh_form(quoted.group(1))
        title = closed and left.endswith("》") and _is_title(name)
        listed = re.search(r"[、，,]", name) and not re.search(r",| and ", en or "")
        fits = is_chinese_name(name) or _is_numbered_name(name) or title or closed and _is_title(name) and not listed
        return (name, True) if fits else ("", True)
    for key in (abbr and abbr_key(abbr), en and latin_key(en)):
        if key and key in ctx.known and left.endswith(ctx.known[key]):
            return ctx.known[key], False
    if re.search(f"[{HAN}]·[{HAN}]+$", left):
        return person_name(left, ctx), False
    for token in (en or "").replace("-", " ").split():
        named = ctx.known.get(abbr_key(token)) if is_acronym(token) and len(token) >= 2 else None
        if named and left.endswith(named) and len(named) >= 2:
            rest = CLAUSE_BREAK.split(left[:-len(named)])[-1]
            words = [w for w, _s, _e in ctx.tokenizer.tokenize(rest)] if rest else []
            if words and is_chinese_name(words[-1]):  # 天基 + 情报、监视与侦察 (SPACE-BASED ISR)
                return words[-1] + named, False
    clause = CLAUSE_BREAK.split(left)[-1][-16:]
    english = english_form(en) if en else ctx.expansions.get(abbr_key(abbr), "") if abbr else ""
    person = bool(en) and _looks_like_person(en) and not clause.endswith(CATEGORY_WORDS)  # 穆顿山（Mons Mouton）: a place
    if english:  # the lexicon or the sound first: 某区域航天合作组织 (a Regional Space Cooperation Organization)
        matched = matching_words(clause, english, ctx)
        if matched and not (person and len(matched) > 4 and not matched.endswith(tuple(ORGANISATION_WORDS))):
            return matched, False
    if person:
        return trailing_words(clause, ctx, ("nr",)) or recurring_suffix(clause, ctx), False
    recurring = recurring_suffix(clause, ctx)
    if recurring and abbr and not en:  # 联合评估工作组（JAWG）: the name goes on beyond its recurring part
        return _name_for_acronym(clause, recurring, abbr, ctx), False
    return recurring or trailing_words(clause, ctx, TERM_POS), False


def _name_for_acronym(clause: str, name: str, abbr: str, ctx: Context) -> str:
    """The recurring ``name`` with the nouns, places and locatives before it in the clause,
    while it has fewer words than the acronym has capital letters (工作组 -> 联合评估工作组
    for JAWG); never over a verb, particle or punctuation."""
    letters = sum(1 for c in abbr if c.isupper())
    count = len([w for w, _s, _e in ctx.tokenizer.tokenize(name)])
    taken = ""
    for pair in reversed(list(ctx.posseg.cut(clause[: len(clause) - len(name)]))):
        if count >= letters or not pair.flag.startswith(("n", "f", "vn", "b", "j")) or pair.flag == "nr" \
                or pair.word in FUNCTION_CHARS or len(taken) + len(pair.word) > 8:
            break
        taken = pair.word + taken
        count += 1
    while taken and next(iter(ctx.posseg.cut(taken))).flag.startswith("f"):
        taken = taken[1:]  # never open with a locative
    return taken + name if taken and is_chinese_name(taken + name) else name


def _is_numbered_name(name: str) -> bool:
    """月球26号: a Chinese name with a number in it."""
    return 3 <= len(name) <= 24 and len(HAN_RE.findall(name)) >= 2 and not re.search(r"[，。；：！？、,;:!?\s“”]", name)


def matching_words(clause: str, english: str, ctx: Context) -> str:
    """The run of jieba words at the end of the clause (its last word or the one before may be
    left out) that best matches the English by the bilingual lexicon, or, for a name of foreign
    sound, by transliteration (某某撞击坑 / a transliterated name); "" when nothing matches well."""
    if not clause:
        return ""
    cut = functools.partial(ctx.tokenizer.lcut, HMM=False)
    words = [w for w, _s, _e in ctx.tokenizer.tokenize(clause)]
    best, best_score = "", 0.0
    for end in range(len(words), max(len(words) - 2, 0), -1):
        for start in range(end - 1, max(end - 7, -1), -1):
            name = "".join(words[start:end])
            if not is_chinese_name(name) or _starts_with_function_word(name, ctx) or any(
                    w in FUNCTION_CHARS and w not in "与和及之" for w in words[start + 1:end]):
                continue  # no preposition or particle inside a name (某权限从某某局)
            score, english_cover = coverage(name, english, cut, fuzzy=True)
            if end < len(words) and (english_cover < 1 or words[-1] in CATEGORY_WORDS):
                continue  # words after the name are left out only when the English is all matched
            if end == len(words):
                stem = _without_category(name)
                score = max(score, max((transliteration_score(stem, word, cut) for word in english.split()
                                        if stem != name or len(english.split()) == 1), default=0.0))
            if score > best_score + 0.01:
                best, best_score = name, score
    return best if best_score >= 0.6 else ""


def _without_category(name: str) -> str:
    for word in CATEGORY_WORDS:
        if name.endswith(word) and len(name) > len(word) + 1:
            return name[: -len(word)]
    return name


def person_name(left: str, ctx: Context) -> str:
    """``…局长乔纳森·马格里斯`` -> 乔纳森·马格里斯: the dotted run, without leading non-name words."""
    run = re.search(f"[{HAN}·]+$", left).group().lstrip("·")
    head, _, rest = run.partition("·")
    if len(head) > 2:
        head = given_name(head, ctx)
    if not head:
        return ""  # no given name could be told from the words before it
    name = f"{head}·{rest}"
    return name if is_chinese_name(name.replace("·", "")) else ""


def given_name(head: str, ctx: Context) -> str:
    """The transliterated given name ending ``head`` (``局长查理`` -> 查理, ``的是埃隆`` -> 埃隆): the
    single characters and personal-name words jieba finds at its end, without function words."""
    taken = ""
    for pair in reversed(list(ctx.posseg.cut(head, HMM=False))):
        if len(pair.word) == 1:
            stop = pair.word in FUNCTION_CHARS or pair.word in NAME_STOPS
        else:
            stop = (ctx.is_common_word(pair.word, 100) and not pair.flag.startswith(("nr", "nz", "v"))
                    or _common_in_lexicon(pair.word))
        if stop or len(taken) + len(pair.word) > 4:
            break
        taken = pair.word + taken
    return taken


def _common_in_lexicon(word: str) -> bool:
    """The bilingual lexicon knows the word, and only as a common word (诸如 such as, 维和
    peacekeeping, 局长 director): no part of a transliterated name."""
    senses = _senses(word)
    return bool(senses) and not _is_proper(senses)


def recurring_suffix(clause: str, ctx: Context) -> str:
    """The longest ending of the clause, cut at jieba word boundaries, that the library's texts
    use at least twice: a term is usually written again without its bracket."""
    if not clause:
        return ""
    starts = [start for _word, start, _end in ctx.tokenizer.tokenize(clause)]
    found = [clause[start:] for start in starts if _recurs(clause[start:], ctx)]
    plain = [name for name in found if not _starts_with_verb(name, ctx)]
    return (plain or found or [""])[0]


def _recurs(name: str, ctx: Context) -> bool:
    return (is_chinese_name(name) and ctx.count(name) >= 2 and not _starts_with_function_word(name, ctx)
            and (not ctx.is_common_word(name) or _is_proper_name(name, ctx)))


def _is_proper_name(name: str, ctx: Context) -> bool:
    """One jieba word tagged as a place, organisation, abbreviation or other proper name (北约)."""
    words = list(ctx.posseg.cut(name))
    return len(words) == 1 and words[0].flag in ("ns", "nt", "nz", "j")


def _starts_with_verb(name: str, ctx: Context) -> bool:
    return next(iter(ctx.posseg.cut(name))).flag == "v"


def trailing_words(clause: str, ctx: Context, tags: tuple[str, ...]) -> str:
    """The run of words at the end of the clause whose part-of-speech tags start with ``tags``."""
    if not clause:
        return ""
    taken: list[str] = []
    for pair in reversed(list(ctx.posseg.cut(clause))):
        if not pair.flag.startswith(tags):
            break
        taken.insert(0, pair.word)
    name = "".join(taken)
    return name if is_chinese_name(name) and not ctx.is_common_word(name) else ""


def _starts_with_function_word(name: str, ctx: Context) -> bool:
    first = next(iter(ctx.posseg.cut(name)))
    return first.flag[:1] in ("u", "p", "c", "d", "r", "m", "q") or first.flag == "v" and len(first.word) == 1


def _looks_like_person(en: str) -> bool:
    words = en.replace(",", " ").split()
    return 2 <= len(words) <= 4 and all(w[0].isupper() for w in words) and not any(w.isupper() and len(w) > 2 for w in words)


def _is_name_word(zh: str, ctx: Context) -> bool:
    """jieba tags the (last word of the) Chinese as a personal name."""
    words = list(ctx.posseg.cut(zh))
    return bool(words) and words[-1].flag.startswith("nr")


def _is_title(name: str) -> bool:
    return 2 <= len(name) <= 60 and bool(HAN_RE.search(name)) and not re.search(r"[。；！？]", name)


def from_note(note_text: str, body_before: str, doc_id: str, anchor: str) -> list[Candidate]:
    """A note opening with an English name (and abbreviation): the Chinese name is the quoted
    name just before the note's marker in the body, or the note's own ``直译为“…”``."""
    text = nfkc(note_text)
    head = NOTE_HEAD.match(text)
    if not head:
        return []
    en = english_form(head.group("en"))
    short = abbr_form(head.group("abbr") or "")
    abbr = short if short and is_acronym(short) else ""
    # a short form that is no acronym (Lunar CATALYST) is a second English name
    short = short if not abbr and re.search(r"\b[A-Z]{3,}\b", short) and len(short.split()) <= 3 else ""
    if not is_english_name(en) or len(en.split()) < 2:
        return []
    rest = text[head.end():].lstrip(" ,，”\"")
    definition = rest if NOTE_DEFINES.match(rest) else ""
    out = []
    gloss = NOTE_GLOSS.search(rest)
    marker_name = quoted_before_marker(body_before)
    for zh in dict.fromkeys(x for x in (marker_name, gloss.group(1) if gloss else "") if x):
        if is_chinese_name(zh) or _is_title(zh):
            for name in (en, short):
                if name:
                    out.append(Candidate(zh=zh_form(zh), en=name, abbr=abbr, rule="note-definition", doc_id=doc_id,
                                         anchor=anchor, context=note_text.strip(),
                                         definition=definition and note_text.strip()))
    if not out and definition:
        out.append(Candidate(zh="", en=en, abbr=abbr, rule="note-definition", doc_id=doc_id, anchor=anchor,
                             context=note_text.strip(), definition=note_text.strip()))
    return out


def quoted_before_marker(body_before: str) -> str:
    """``…“深空通信网络”项目`` (text up to a note marker) -> 深空通信网络."""
    match = re.search(r"[“《]([^“”《》]{2,40})[”》][\u3400-\u9fff]{0,2}[、，,]?$", body_before.rstrip())
    return match.group(1) if match else ""


# --------------------------------------------------------------------------- whole library


def known_names(candidates: list[Candidate]) -> dict[str, str]:
    """Abbreviation / English key -> Chinese name, from the abbreviation lists."""
    known = {}
    for c in candidates:
        if c.abbr:
            known.setdefault(abbr_key(c.abbr), c.zh)
        if c.en:
            known.setdefault(latin_key(c.en), c.zh)
    return known


def library_text(library: Library) -> str:
    """Every body paragraph and note of the library, one per line, for frequency counts."""
    return "\n".join(part for doc in library.documents for part in document_lines(doc))


def document_lines(doc: Document) -> list[str]:
    """Every body paragraph and note of one document, in order."""
    parts = []
    for block in doc.blocks:
        parts.extend(side.text for side in block.pair or [block])
    parts.extend(note.text for note in doc.notes)
    return parts


class Extraction:
    """The corpus-wide inputs of extraction, made once per build: the names known from
    abbreviation lists and the glossary, the library's name counts, the expansions the texts
    spell out. ``document(doc)`` gives one document's candidates with the corpus counts it asked
    about, so that a remembered result stays good while ``agrees`` with this library;
    ``finish`` joins the documents' candidates. ``tokenizer`` may be a callable that makes the
    jieba tokenizer: it is called when a document is first read."""

    def __init__(self, library: Library, tokenizer, curated_known: dict[str, str], spelled: dict[str, str],
                 counted: list[dict[str, int]] | None = None) -> None:
        self.listed = [c for doc in library.documents for c in from_abbreviation_list(doc)]
        self.known = {**known_names(self.listed), **(curated_known or {})}
        # counted: each document's counts of the names counted so far (CorpusCounts.per_document)
        self.counts = CorpusCounts(functools.partial(library_text, library), DocumentTexts(library.documents), counted)
        self.spelled = spelled  # abbreviation -> the English name a text spells out (terms_define)
        self.key = hashlib.sha256(repr((sorted(self.known.items()), sorted(self.spelled.items()))).encode(
            "utf-8", "surrogatepass")).hexdigest()
        self._tokenizer = tokenizer
        self._ctx: Context | None = None

    def document(self, doc: Document) -> tuple[list[Candidate], dict[str, int]]:
        if self._ctx is None:
            made = self._tokenizer() if callable(self._tokenizer) and not hasattr(self._tokenizer, "FREQ") \
                else self._tokenizer
            self._ctx = Context(made, self.known, counts=self.counts)
            self._ctx.expansions = self.spelled
        self._ctx.queries = {}
        return extract_document(doc, self._ctx), self._ctx.queries

    def agrees(self, result) -> bool:
        """A result of ``document`` whose corpus counts still hold for this library."""
        return _fits(result) and self.counts.agree(result[1])

    def finish(self, results: list[tuple[list[Candidate], dict]]) -> list[Candidate]:
        out = self.listed + [c for found, _queries in results for c in found]
        acronyms = {c.abbr for c in out if c.abbr}
        return [c if not c.en else replace(c, en=english_form(c.en, acronyms)) for c in out]


def _fits(cached) -> bool:
    """A cached extraction result of the expected shape: (candidates, {name: count class})."""
    return (isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], list)
            and isinstance(cached[1], dict) and all(isinstance(c, Candidate) for c in cached[0]))


def extract_document(doc: Document, ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    doc_id = doc.meta.id
    for block in doc.blocks:
        sides = block.pair or [block]
        for side in sides:
            if side.kind != "heading":
                out.extend(from_parentheticals(side.text, doc_id, side.anchor or block.anchor, ctx))
    before = text_before_markers(doc) if doc.notes else {}
    for note in doc.notes:
        anchor = note.anchor
        out.extend(from_parentheticals(note.text, doc_id, anchor, ctx))
        found = from_note(note.text, before.get(note.number, ""), doc_id, anchor)
        out.extend(found or from_note_title(note.text, before.get(note.number, ""), doc_id, anchor, ctx))
    for text, anchor in backmatter_texts(doc):
        out.extend(from_parentheticals(text, doc_id, anchor, ctx))
    return out


def from_note_title(note_text: str, body_before: str, doc_id: str, anchor: str, ctx: Context) -> list[Candidate]:
    """A note that names a work or programme in English (its opening words up to the first
    comma, or a quoted title) beside a Chinese 《title》 or “name” anywhere in the sentence its
    marker ends: the pair whose words the bilingual lexicon ties best, when it ties them well."""
    sentence = re.split(r"[。！？]", body_before.rstrip().rstrip("。！？；”"))[-1]  # the marker may follow the stop
    books = {zh_form(m.group(2)) for m in QUOTED_ZH.finditer(sentence) if m.group(2)}
    names = [zh_form(m.group(1) or m.group(2)) for m in QUOTED_ZH.finditer(sentence)]
    names = [n for n in names if is_chinese_name(n) or _is_title(n)]
    titles = note_titles(nfkc(note_text))
    if not names or not titles:
        return []
    cut = functools.partial(ctx.tokenizer.lcut, HMM=False)
    scored = [(coverage(zh, en, cut), zh, en) for zh in names for en in titles]
    (score, english_cover), zh, en = max(scored, key=lambda s: s[0])
    if score < 0.6 or english_cover < 0.6:
        return []
    shorthand = re.search(r"\s*\(([^()]{2,16})\)$", en)
    abbr = abbr_form(shorthand.group(1)) if shorthand and is_acronym(shorthand.group(1)) else ""
    en = re.sub(r"^The ", "", en[:shorthand.start()] if abbr else en)
    return [Candidate(zh=zh, en=en, abbr=abbr, rule="note-definition", doc_id=doc_id, anchor=anchor,
                      context=note_text.strip(), kind="document" if zh in books else "")]


def note_titles(text: str) -> list[str]:
    """English titles a note gives: its opening words up to the first comma, and its quoted
    units, each in title case (most content words capitalised)."""
    out = []
    head = re.match(r"^([A-Z][^,，“”\":：]{5,160}?)\s*[,，:：]", text)
    if head:
        out.append(re.sub(r"^[A-Z][A-Za-z]*[’']s\s+", "", head.group(1).strip()))
    out += [m.group(1).strip(" ,.;:") for m in QUOTED_EN.finditer(text)]
    return [t for t in dict.fromkeys(out) if _title_case(t)]


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", text) if w.lower() not in EN_STOP]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.75 * len(words) and not URL.search(text)


def text_of(nodes) -> str:
    return "".join(n.text for n in nodes if isinstance(n, Text))
