"""Citations: parse the bibliographic references inside note texts. Str in, Citation list out.

A note is split into segments at "；" / "。" / "; " (outside brackets and quotes); each segment
is tried as one reference in the conventions the corpus uses:

- Chinese: ``作者：《标题》，载《刊物》2009年第3期，第29–35页。``,
  ``作者：《标题》，出版地：出版社2001年版。``, ``作者：《标题》，机构，2025年6月，<URL>``,
  ``《标题》，机构，日期，URL`` (no author);
- English: ``Author, “Title”, Venue, Month D, YYYY.`` and ``“Title,” URL``;
- short forms pointing at an earlier note: ``作者：《短标题》（注释5），第98页``, ``作者（注释61）``.

The stage is deliberately strict: a segment becomes a citation only when a title is found at the
start of a clause and the rest reads as bibliographic fields (short comma-separated fields with a
year, a URL, a publisher or a note pointer). Explanatory notes yield nothing. A wrong parse is
worse than none. No I/O, no knowledge of any particular document.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Lead-in words before the author of a reference ("参见", "See also").
_ZH_LEAD = re.compile(r"^(?:例如|又如)?(?:(?:另|又|可|请|详|亦|并)*(?:参见|参阅|参看|见|引自|转引自))?\s*")
_EN_LEAD = re.compile(r"^(?:(?:See|see|Cf\.|cf\.|e\.g\.|E\.g\.)(?:,)?\s+(?:also\s+)?)+")
_NOTE_POINTER = re.compile(r"[（(]\s*(?:注释?|note|Note|n\.)\s*(\d{1,3})\s*[）)]")
_URL_BRACKETED = re.compile(r"<(https?://[^>\s]+)>")
_URL_BARE = re.compile(r"https?://[^\s，。；、）<>“”\"]+")
# A URL damaged in extraction ("http牶／／ www.example.org/a"): evidence of a reference, not a link.
_WEB_TOKEN = re.compile(r"https?\S*|\S*www\.[\w.-]+\S*")
_DOI_TEXT = re.compile(r"(?:doi\.org/|doi:\s*|DOI:?\s*)(10\.\d{4,9}/[^\s，。；<>]+)", re.IGNORECASE)
_YEAR_ZH = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?=\s*年)")
_YEAR_ANY = re.compile(r"(?<![\d/.\-])(1[89]\d\d|20\d\d)(?![\d/])")
_PUBLISHER_ZH = re.compile(r"(?:(?P<place>[^，,：:（(]{1,10})[：:]\s*)?(?P<publisher>[^，,：:（(]{2,30}?出版社)\s*(?:\d{4}\s*年版)?")
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sep\\.|Sept\\.|Oct\\.|Nov\\.|Dec\\.")
_DATE_EN = re.compile(rf"^(?:(?:{_MONTHS})\s*\d{{0,2}}|\d{{1,2}}\s+(?:{_MONTHS})|\d{{4}}|[A-Z][a-z]+\s+\d{{4}}|Q\d\s+\d{{4}})$")
# Fields of a reference that are not its venue: dates, pages, volumes, document types, codes.
_NOT_VENUE_ZH = re.compile(r"^(?:\d|第|[（(]|\[|<|https?:|p{1,2}\.|Vol\.|No\.|白皮书|新闻稿|工作文件|政策文件|"
                           r"总统行动|研究报告|报告|声明|讲话|发言|[A-Z]+/)")
_NOT_VENUE_EN = re.compile(r"^(?:\d|p{1,2}\.|Vol\.|No\.|https?:|\(|\[|<|[A-Z]{1,5}/)")
_ORGANISATION_WORDS = re.compile(
    r"\b(?:Administration|Agency|Council|Office|Team|Foundation|Department|Ministry|Institute|"
    r"University|Center|Centre|Association|Society|Committee|Commission|Bureau|Service|Force|"
    r"Laboratory|Corporation|Company|Group|House|Nations|Organi[sz]ation|Union|Program|Project)\b")
_NAME_PARTICLES = {"de", "da", "del", "van", "von", "der", "den", "la", "le", "du", "al", "bin", "and",
                   "of", "for", "the", "on", "in", "et"}
# A personal name: 2-4 Han characters, or a transliteration with a middle dot / initials.
_PERSON_ZH = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fffA-Za-z.．]{1,12}[·•・][\u4e00-\u9fffA-Za-z.．·•・]{1,20})$")
_MAX_FIELD = 40  # characters: a longer comma-separated field is prose, not a reference field

OPEN_CLOSE = {"《": "》", "“": "”", "（": "）", "(": ")", "<": ">", "[": "]", "〈": "〉", "「": "」"}


@dataclass
class Citation:
    """One reference found in a note."""

    text: str  # the segment of the note, as written
    title: str = ""
    authors: list[str] = field(default_factory=list)
    et_al: bool = False
    venue: str = ""
    year: str = ""
    url: str = ""
    doi: str = ""
    lang: str = "zh"
    see_note: int = 0  # a short form: the full reference is in this note of the same document

    @property
    def short(self) -> bool:
        return bool(self.see_note)


def parse_note(text: str) -> list[Citation]:
    """Every reference of a note text, in order. Explanations give an empty list."""
    found = []
    for segment in split_segments(text):
        citation = parse_segment(segment)
        if citation:
            found.append(citation)
    return found


def parse_segment(segment: str) -> Citation | None:
    segment = segment.strip()
    if not segment:
        return None
    return parse_chinese(segment) or parse_english(segment) or parse_pointer(segment)


# --------------------------------------------------------------------------- segments


def split_segments(text: str) -> list[str]:
    """Split at "；", "。" and "; " that stand outside brackets, quotes and URLs."""
    def is_cut(i: int) -> bool:
        return text[i] in "；。" or (text[i] == ";" and text[i + 1:i + 2] in (" ", ""))

    segments, start = [], 0
    for i in _top_level_cuts(text, is_cut, nest_round_in_other=False):
        segments.append(text[start:i + 1])
        start = i + 1
    segments.append(text[start:])
    return [s.strip() for s in segments if s.strip(" 。；;.")]


def _top_level_cuts(text: str, is_cut, nest_round_in_other: bool = True):
    """Positions ``i`` where ``is_cut(i)`` holds outside brackets, quotes and URLs.

    With ``nest_round_in_other`` false, a "(" inside another bracket does not open a level
    (references put half-width parentheses inside full-width ones without closing them)."""
    depth: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if text.startswith("http", i) and not depth:
            i = _url_end(text, i)
            continue
        if depth and char == depth[-1]:
            depth.pop()
        elif char in OPEN_CLOSE and (nest_round_in_other or not (char == "(" and depth)):
            depth.append(OPEN_CLOSE[char])
        elif not depth and is_cut(i):
            yield i
        i += 1


def _url_end(text: str, start: int) -> int:
    match = _URL_BARE.match(text, start)
    return match.end() if match else start + 4


def top_level_fields(text: str) -> list[str]:
    """Comma-separated fields of a text, not splitting inside brackets, quotes or URLs."""
    fields, start = [], 0
    for i in _top_level_cuts(text, lambda i: text[i] in "，,"):
        fields.append(text[start:i])
        start = i + 1
    fields.append(text[start:])
    return [f.strip() for f in fields if f.strip()]


def _without_brackets(text: str) -> str:
    """The text with 《…》 titles and URLs removed (for counting prose and finding years)."""
    text = _URL_BRACKETED.sub("", text)
    text = _URL_BARE.sub("", text)
    text = _WEB_TOKEN.sub("", text)
    return re.sub(r"《[^》]*》", "《》", text)


# --------------------------------------------------------------------------- Chinese


def parse_chinese(segment: str) -> Citation | None:
    """``作者：《标题》，…`` or ``《标题》，…`` where the title opens a clause."""
    for match in re.finditer("《", segment):
        close = _closing(segment, match.start(), "《", "》")
        if close < 0:
            return None
        head, title, tail = segment[:match.start()], segment[match.start() + 1:close], segment[close + 1:]
        if not title.strip():
            continue
        if not head.strip() and re.match(r"\s*[：:]\s*《", tail):
            continue  # "《报纸》：《标题》": the first title is the author (a newspaper)
        authors = _zh_head_authors(head)
        if authors is None:
            continue
        citation = _zh_citation(segment, title.strip(), tail, authors)
        if citation:
            return citation
    return None


def _closing(text: str, start: int, opener: str, closer: str) -> int:
    depth = 0
    for i in range(start, len(text)):
        if text[i] == opener:
            depth += 1
        elif text[i] == closer:
            depth -= 1
            if depth == 0:
                return i
    return -1


def _zh_head_authors(head: str) -> list[str] | None:
    """Authors from what stands before the title; None when the title is not at a clause start."""
    stripped = head.rstrip()
    if not stripped:
        return []
    if stripped[-1] in "：:":
        clause = re.split(r"[，,。；;]", stripped[:-1])[-1].strip()
        clause = _ZH_LEAD.sub("", clause).strip()
        if not clause or re.search(r"[。！？]|指出|认为|表示|强调|写道|说$", clause):
            return None  # prose introducing a quotation, not an author
        if len(clause) > 30 or "的" in clause:
            return []  # a description of the work ("某机构对某人的采访"), not a name
        return split_zh_authors(clause)
    if stripped[-1] in "，,":
        return []  # "机构，会议，《标题》": the issuer is not a personal author
    if not _ZH_LEAD.sub("", stripped.split("，")[-1].split(",")[-1]).strip():
        return []  # only a lead-in word: "参见《标题》"
    return None


def split_zh_authors(text: str) -> list[str]:
    """Names separated by "、"; a list that does not read as personal names stays one issuer."""
    names = []
    for part in re.split(r"[、，,]", text):
        part = re.sub(r"[（(][^）)]*[）)]", "", part).strip()
        part = part.strip("《》 ")
        if part:
            names.append(part)
    if len(names) > 1 and not all(_PERSON_ZH.match(re.sub(r"等$", "", n)) for n in names):
        whole = re.sub(r"[（(][^）)]*[）)]", "", text).strip("《》 ")
        return [whole]
    return names


def _zh_citation(segment: str, title: str, tail: str, authors: list[str]) -> Citation | None:
    pointer = _NOTE_POINTER.search(tail)
    if pointer and _NOTE_POINTER.match(tail.lstrip()):
        return Citation(segment, title, _drop_et_al(authors), _has_et_al(authors), lang="zh",
                        see_note=int(pointer.group(1)))
    if tail.strip() and tail.lstrip()[0] not in "，,（(。.；;<h":
        return None
    fields = top_level_fields(tail.strip().rstrip("。.；;"))
    if not _reads_as_reference(fields):
        return None
    url, doi = find_url(segment), find_doi(segment)
    year = find_year(tail)
    publisher = _PUBLISHER_ZH.search(_without_brackets(tail))
    if not (year or url or doi or publisher or _WEB_TOKEN.search(tail)):
        return None
    venue = _zh_venue(tail, fields, publisher)
    return Citation(segment, title, _drop_et_al(authors), _has_et_al(authors), venue, year, url, doi, "zh")


def _reads_as_reference(fields: list[str]) -> bool:
    prose = [f for f in fields if len(_without_brackets(f)) > _MAX_FIELD]
    return not prose and not any("。" in _without_brackets(f) for f in fields)


def _zh_venue(tail: str, fields: list[str], publisher: re.Match | None) -> str:
    bracketed = re.match(r"^[\s，,]*(?:载|见|刊于|发表于)?\s*《([^》]+)》", tail)
    if bracketed:
        return bracketed.group(1).strip()
    if publisher:
        return publisher.group("publisher").strip()
    first = fields[0] if fields else ""
    if first.startswith("（") or first.startswith("("):
        first = first.strip("（()）")
        inner = _PUBLISHER_ZH.search(first)
        return inner.group("publisher").strip() if inner else ""
    if first and not _NOT_VENUE_ZH.match(first) and not re.search(r"[\d/]|提交", first) and 3 <= len(first) <= 30:
        return first
    return ""


def _has_et_al(authors: list[str]) -> bool:
    return bool(authors) and (authors[-1].endswith("等") or authors[-1] in ("et al.", "et al"))


def _drop_et_al(authors: list[str]) -> list[str]:
    out = []
    for name in authors:
        name = re.sub(r"(?<=.)等$", "", name).strip()
        if name and name not in ("et al.", "et al"):
            out.append(name)
    return out


# --------------------------------------------------------------------------- English

_EN = re.compile(r"^(?P<head>[^“”\"]*?)[“\"](?P<title>[^”\"]{3,})[”\"](?P<tail>.*)$", re.S)


def parse_english(segment: str) -> Citation | None:
    """``Author, “Title”, Venue, Date.`` or ``“Title,” URL``."""
    match = _EN.match(segment)
    if not match:
        return None
    head = _EN_LEAD.sub("", match.group("head").strip()).strip()
    title = match.group("title").strip().rstrip(",，").strip()
    tail = match.group("tail").strip()
    if head and not head.endswith((",", "，")):
        return None
    authors = split_en_authors(head.rstrip(",， ")) if head else []
    if authors is None or not re.search(r"[A-Za-z]", title):
        return None
    pointer = _NOTE_POINTER.match(tail.lstrip(",， "))
    if pointer:
        return Citation(segment, title, authors, lang="en", see_note=int(pointer.group(1)))
    fields = top_level_fields(tail.strip(" .;。"))
    url, doi, year = find_url(segment), find_doi(segment), find_year(tail)
    if not (year or url or doi) or any(len(_without_brackets(f)) > 80 for f in fields):
        return None
    return Citation(segment, title, authors, False, _en_venue(fields), year, url, doi, "en")


def split_en_authors(text: str) -> list[str] | None:
    """Author names of an English reference; None when the text does not read as names."""
    if not text:
        return []
    if len(text) > 120 or re.search(r"\d", text):
        return None
    if _ORGANISATION_WORDS.search(text):
        return [text] if _looks_like_name(text) else None
    names = [n.strip() for n in re.split(r",\s*|\s+and\s+|\s*&\s*", text) if n.strip()]
    names = [n for n in names if n not in ("et al.", "et al")]
    if not names or not all(_looks_like_name(n) for n in names):
        return None
    return names


def _looks_like_name(text: str) -> bool:
    tokens = text.split()
    if not tokens or len(tokens) > 12:
        return False
    for token in tokens:
        if token.lower() in _NAME_PARTICLES:
            continue
        if not (token[0].isupper() or token[0] in "’'"):
            return False
    return True


def _en_venue(fields: list[str]) -> str:
    for field_text in fields:
        if _DATE_EN.match(field_text) or _NOT_VENUE_EN.match(field_text) or find_url(field_text):
            continue
        if len(field_text) <= 60 and re.search(r"[A-Za-z]", field_text):
            return field_text
        return ""
    return ""


# --------------------------------------------------------------------------- pointers


def parse_pointer(segment: str) -> Citation | None:
    """``作者、作者（注释61），第12页``: a short form without a title, pointing at a note."""
    match = _NOTE_POINTER.search(segment)
    if not match:
        return None
    head = segment[:match.start()].strip()
    head = _ZH_LEAD.sub("", _EN_LEAD.sub("", head)).strip()
    if not head or len(head) > 60 or re.search(r"[。“”\"《》：:]", head):
        return None
    if re.search(r"[A-Za-z]", head) and not re.search(r"[\u4e00-\u9fff]", head):
        authors = split_en_authors(head)
        lang = "en"
    else:
        authors = split_zh_authors(head) if "，" not in head else None
        lang = "zh"
    if not authors:
        return None
    return Citation(segment, "", _drop_et_al(authors), _has_et_al(authors), lang=lang,
                    see_note=int(match.group(1)))


# --------------------------------------------------------------------------- fields


def find_url(text: str) -> str:
    match = _URL_BRACKETED.search(text) or _URL_BARE.search(text)
    return match.group(1 if match.re is _URL_BRACKETED else 0).rstrip(".,;)") if match else ""


def find_doi(text: str) -> str:
    match = _DOI_TEXT.search(text)
    return match.group(1).rstrip(".,;>)") if match else ""


def find_year(text: str) -> str:
    """The publication year of a reference tail: "2009年" first, then a bare year outside codes."""
    plain = _without_brackets(text)
    match = _YEAR_ZH.search(plain) or _YEAR_ANY.search(plain)
    return match.group(1) if match else ""


def title_key(title: str) -> str:
    """The comparable form of a title: width-folded, case-folded, letters and digits only."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return "".join(c for c in folded if c.isalnum())


def looks_like_person(name: str) -> bool:
    """A personal name (Chinese, transliterated or Latin), not an institution."""
    if _PERSON_ZH.match(name):
        return True
    return bool(re.fullmatch(r"[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){1,3}", name)) and not _ORGANISATION_WORDS.search(name)


def name_key(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(c for c in folded if c.isalnum())
