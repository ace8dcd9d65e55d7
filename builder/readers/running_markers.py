"""Note markers numbered through an English text (1, 2, 3 … N), found as one running sequence.

Translations scraped from the web keep their note markers as plain digits in the text, glued to a
word or a closing quote ("fire.”1", "Accords44"), set off by a space ("mistake.” 8", "in 2021. 3
At"), after a comma ("(DCT), 60 Joint"), after a number ("on May 5, 2022 82 (the"), or after a
year and a full stop ("in 2014.3 The"). The notes themselves are often not in the file, so nothing
but the numbering tells a marker from a year, a count or a label. This module decides by the
numbering of the whole text at once:

1. every run of one to three digits is a candidate when its surroundings allow a marker
   (``candidate_weight``: what precedes it, what follows it; never inside a number, a decimal, a
   percentage, an ordinal, a date after a month name, a label such as "Article 58");
2. the running sequence is the chain of candidates, in reading order, whose values rise by one
   (a few skipped numbers are allowed, each at a cost) with the greatest total weight
   (``running_sequence``, dynamic programming over the values). A candidate that would fit but
   reads less like a marker than another of the same value loses to it; a weak one (after a
   comma or a word) must sit exactly between its neighbours (n-1, n, n+1); and the chain must
   hold at least MIN_CHAIN markers that read as markers by themselves.

What this module may do: read texts and return positions. It changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SKIP = 3  # numbers a chain may skip between two markers (markers lost in extraction)
SKIP_COST = 2.0  # per skipped number
MIN_CHAIN = 3  # a chain with fewer markers that read as markers (STRONG) is no evidence of notes
STRONG = 2.5  # glued to a word or closing punctuation, or a space after a full sentence

_DIGITS = re.compile(r"(?<![\d])\d{1,3}(?!\d)")
_BRACKETED = re.compile(r"[\[［【]\s*\d{1,3}\s*[\]］】](?!\()")  # not a Markdown link "[1](url)"
BRACKETED_WEIGHT = 3.5
_CLOSERS = "”’\"')]"
_SENTENCE_END = re.compile(r"(?:^|[^.])([.!?])[" + re.escape(_CLOSERS) + r"]*\s+$")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
# Words a number labels rather than cites: "Article 58", "Section 5", "Figure 2", and their
# abbreviations with a full stop: "No. 3", "pp. 12", "Art. 4".
_LABEL_WORDS = ("article", "articles", "section", "sections", "paragraph", "paragraphs", "chapter",
                "chapters", "figure", "figures", "table", "tables", "part", "parts", "annex", "clause",
                "item", "items", "number", "page", "pages", "volume", "rule", "step", "phase", "round",
                "level", "type", "model", "block", "flight", "mission", "unit", "group", "division",
                "brigade", "fleet", "route", "resolution", "protocol", "term", "line", "session",
                "plenum", "congress", "class", "grade", "stage", "option", "scenario", "appendix", "box",
                "note", "notes", "footnote", "act", "title", "chart", "exhibit")
_LABEL_ABBREVIATIONS = ("no", "nos", "p", "pp", "vol", "vols", "art", "arts", "sec", "para", "paras",
                        "ch", "chap", "fig", "figs", "tab", "eq", "ed", "op", "cf", "col")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)(\.?)$")


@dataclass(frozen=True)
class Candidate:
    text: int  # index of the text in the list given
    start: int  # offset of the digits in that text
    end: int
    value: int
    weight: float


def candidates(texts: list[str]) -> list[Candidate]:
    """Every number of the texts that may be a marker, in reading order, with its weight. A
    bracketed number ("[12]", "【12】", "［12］") is a candidate as a whole, brackets included."""
    out = []
    for index, text in enumerate(texts):
        bracketed = [(m.start(), m.end()) for m in _BRACKETED.finditer(text)]
        for match in _DIGITS.finditer(text):
            inside = next(((a, b) for a, b in bracketed if a < match.start() < b), None)
            if inside:
                out.append(Candidate(index, inside[0], inside[1], int(match.group()), BRACKETED_WEIGHT))
                continue
            weight = candidate_weight(text, match.start(), match.end())
            if weight > 0:
                out.append(Candidate(index, match.start(), match.end(), int(match.group()), weight))
    return out


def candidate_weight(text: str, start: int, end: int) -> float:
    """How much the number text[start:end] reads like a note marker; 0 when it cannot be one."""
    before, after = text[max(0, start - 40):start], text[end:end + 12]
    if not before or int(text[start:end]) == 0 or _never_a_marker(after) or _list_label(text, start, after):
        return 0.0
    previous = before[-1]
    if previous.isspace():
        return _spaced_weight(before, after)
    if _glued_capital(after):
        return 0.0  # "F35A", "5G": a name, not a marker
    if previous.isalpha():
        # "Accords44"; not a model name after one capital ("F35", "G20")
        return 3.0 if previous.islower() or (len(before) > 1 and before[-2].isalpha()) else 0.0
    if previous in _CLOSERS:
        return 3.0  # "fire.”1", "(TIFA)5"
    if previous in ".,;:!?":
        prior = before[-2] if len(before) > 1 else ""
        if prior.isdigit():  # "in 2014.3 The", "COVID-19.79": only before a new sentence
            return 1.0 if previous == "." and _new_sentence_after(after) else 0.0
        if previous == "." and _after_label(before):
            return 0.0  # "No.1", "Art.5"
        return 3.0 if prior.isalpha() or prior in _CLOSERS or prior == "%" else 0.0
    return 0.0


def _never_a_marker(after: str) -> bool:
    """Digits that continue as a number, a percentage or an ordinal ("3.2", "10,629", "5%", "115th")."""
    return bool(re.match(r"[.,]\d|\s?%|\s?percent|°|[a-z]", after))


def _list_label(text: str, start: int, after: str) -> bool:
    """"1) A multipolar world …": a number closing a parenthesis that no "(" opened."""
    if not after.startswith(")"):
        return False
    head = text[:start]
    return head.count("(") <= head.count(")")


def _glued_capital(after: str) -> bool:
    return bool(after) and after[0].isalpha()


def _new_sentence_after(after: str) -> bool:
    return bool(re.match(r"\s+[A-Z“\"(]|\s*$", after))


def _spaced_weight(before: str, after: str) -> float:
    """A number after a space: after a sentence ("Putin. 53"), a comma ("(DCT), 60"), a bracket
    ("(TIFA) 34"), or a word or number ("2022 82 (the"), each less certain than the last."""
    stem = before.rstrip()
    if not stem or _after_label(stem):
        return 0.0
    if re.match(r"[.)]\s", after) and (stem[-1] in ",;:.!?" or _SENTENCE_END.search(before)):
        return 0.0  # an enumeration in running text: "three points: 1. The first; 2. The second"
    if _SENTENCE_END.search(before) and _word_before_stop(stem):
        # a new sentence follows ("Putin. 53 It", "Ukrainians. 23The"); a quantity does not ("ended. 2 days")
        followed = _new_sentence_after(after) or _glued_capital(after) or after[:1] in _CLOSERS + "“‘"
        return 2.5 if followed else 0.0
    if _glued_capital(after):
        return 0.0
    last = stem[-1]
    if last in ",;:":
        if re.search(r"(?<!\d)\d{1,3}[,;:]$", stem):
            return 0.0  # a list of numbers: "pages 12, 13"
        return 1.5 if _closes(after) or _new_sentence_after(after) else 1.0
    if last in _CLOSERS:
        return 1.5 if _closes(after) or _new_sentence_after(after) else 1.0
    if last.isalnum():
        return 0.5 if _closes(after) else 0.0  # "administration 83)", "2022 82 (the"
    return 0.0


def _closes(after: str) -> bool:
    return bool(re.match(r"[)\]]|[.,;:](?!\d)|\s*\(|\s*$", after))


def _after_label(stem: str) -> bool:
    """The number follows a month ("January 24"), a label ("Article 58") or its abbreviation
    ("No. 3"); a whole word with a full stop ends a sentence instead ("in May. 5 The")."""
    match = _WORD_BEFORE.search(stem)
    if not match:
        return False
    word, stop = match.group(1).lower(), match.group(2)
    if stop:
        return word in _MONTH_ABBREVIATIONS or word in _LABEL_ABBREVIATIONS
    return word in _MONTHS or word in _MONTH_ABBREVIATIONS or word in _LABEL_WORDS or word in _LABEL_ABBREVIATIONS


def _word_before_stop(stem: str) -> bool:
    """The full stop ends a sentence, not a one-letter abbreviation ("p. 5", "U. 3")."""
    match = re.search(r"(\S+?)[.!?][" + re.escape(_CLOSERS) + r"]*$", stem)
    token = match.group(1) if match else ""
    return not (len(token) == 1 and token.isalpha())


def running_sequence(texts: list[str]) -> list[Candidate]:
    """The markers: the chain of candidates numbered 1, 2, 3 … in reading order with the
    greatest weight (skipped numbers cost SKIP_COST each). Empty when fewer than MIN_CHAIN of its
    markers read as markers by themselves (glued, or after a full sentence)."""
    found = candidates(texts)
    best: dict[int, tuple[float, int]] = {}  # value -> (score, candidate index) of the best chain ending there
    back: list[int] = []  # candidate index -> previous candidate index in its chain (-1: first)
    for index, cand in enumerate(found):
        options = []
        if cand.value <= 1 + MAX_SKIP:
            options.append((cand.weight - SKIP_COST * (cand.value - 1), -1))
        for previous in range(max(1, cand.value - 1 - MAX_SKIP), cand.value):
            if previous in best:
                score, where = best[previous]
                options.append((score + cand.weight - SKIP_COST * (cand.value - previous - 1), where))
        if not options:
            back.append(-1)
            continue
        score, where = max(options, key=lambda option: option[0])
        back.append(where)
        if score > best.get(cand.value, (float("-inf"), -1))[0]:
            best[cand.value] = (score, index)
    if not best:
        return []
    end = max(best.values(), key=lambda entry: entry[0])[1]
    chain = []
    while end >= 0:
        chain.append(found[end])
        end = back[end]
    chain.reverse()
    chain = _without_loose_weak(chain)
    return chain if sum(cand.weight >= STRONG for cand in chain) >= MIN_CHAIN else []


def _without_loose_weak(chain: list[Candidate]) -> list[Candidate]:
    """The chain without its weak members (a number after a comma or a word) that do not sit
    between their neighbours' numbers exactly (n-1, n, n+1): a weak number next to a gap is
    more likely a count than a marker."""
    changed = True
    while changed:
        changed = False
        for position, cand in enumerate(chain):
            if cand.weight >= STRONG:
                continue
            before = chain[position - 1].value if position else 0
            after = chain[position + 1].value if position + 1 < len(chain) else cand.value + 1
            if before != cand.value - 1 or after != cand.value + 1:
                del chain[position]
                changed = True
                break
    return chain
