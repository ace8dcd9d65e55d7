"""Term linking: find glossary terms in running text and split Text inlines into TermRef.

May change a document's inlines (Text -> Text + TermRef + Text) and record occurrences on the
glossary entries; nothing else. Matching is the builder's own, segmentation-aware:

- Chinese forms match only where jieba (with the glossary's user dictionary) draws a word
  boundary at both ends: 北大 does not match inside 向北大概.
- Latin forms (English names, abbreviations) match at word boundaries; abbreviations keep their
  case, English names ignore it.
- Overlaps: the longest match wins (近地轨道卫星星座 is not split into 卫星星座).
- The first mention of an entry in each section (heading to heading) and language is linked;
  every mention is recorded as an occurrence. Headings, links, URLs and back matter are left alone.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .models import Document, Glossary, GlossaryEntry, Inline, Link, Occurrence, TermRef, Text
from .terms_extract import HAN_RE, nfkc

URL = re.compile(r"(?:https?://|www\.)[^\s，。；）)」》]+")
CONTEXT_CHARS = 24


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entry_id: str


class Matcher:
    """Every surface form of every linkable entry, matched by the rules above."""

    def __init__(self, glossary: Glossary, tokenizer) -> None:
        self.tokenizer = tokenizer
        self.han: dict[str, str] = {}
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}
        for entry in glossary.entries.values():
            for form in surface_forms(entry):
                if HAN_RE.search(form):
                    self.han.setdefault(form, entry.id)
                elif form == entry.abbr or re.fullmatch(r"[A-Z0-9\-]+", form) or " " not in form:
                    exact.setdefault(form, entry.id)
                else:
                    folded.setdefault(form.casefold(), entry.id)
        self.exact, self.folded = exact, folded
        self.max_han = max((len(f) for f in self.han), default=0)
        self.exact_re = _latin_pattern(exact, 0)
        self.folded_re = _latin_pattern(folded, re.IGNORECASE)
        # Chinese forms by their first two characters, longest first: where a form may start.
        lengths: dict[str, set[int]] = {}
        for form in self.han:
            lengths.setdefault(form[:2], set()).add(len(form))
        self.han_lengths = {head: sorted(found, reverse=True) for head, found in lengths.items()}
        self.han_first = re.compile("[" + "".join(sorted({re.escape(f[0]) for f in self.han})) + "]") if self.han else None
        self._found: dict[str, list[Match]] = {}  # text -> matches: each text is segmented once

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches in ``text``, longest first, outside URLs."""
        if text not in self._found:
            self._found[text] = self._find(text)
        return list(self._found[text])

    def _find(self, text: str) -> list[Match]:
        found = self._han_matches(text) + self._latin_matches(text)
        blocked = [(m.start(), m.end()) for m in URL.finditer(text)]
        found = [m for m in found if not any(s < m.end and m.start < e for s, e in blocked)]
        chosen: list[Match] = []
        for match in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
            if all(match.end <= c.start or match.start >= c.end for c in chosen):
                chosen.append(match)
        return sorted(chosen, key=lambda m: m.start)

    def _han_matches(self, text: str) -> list[Match]:
        """Chinese forms found where jieba starts and ends a word. Text without any form in it
        (checked first, by dictionary look-ups) is never segmented."""
        if not self.han or not HAN_RE.search(text):
            return []
        spans = []
        for m in self.han_first.finditer(text):
            i = m.start()
            for length in self.han_lengths.get(text[i:i + 2], ()):
                entry_id = self.han.get(text[i:i + length]) if i + length <= len(text) else None
                if entry_id:
                    spans.append((i, i + length, entry_id))
        if not spans:
            return []
        cuts = boundaries_at(self.tokenizer, text, {p for i, end, _ in spans for p in (i, end)})
        return [Match(i, end, entry_id) for i, end, entry_id in spans if i in cuts and end in cuts]

    def _latin_matches(self, text: str) -> list[Match]:
        out = []
        for pattern, table, fold in ((self.exact_re, self.exact, False), (self.folded_re, self.folded, True)):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                key = _space_key(m.group())
                key = key.casefold() if fold else key
                entry_id = table.get(key)
                if entry_id:
                    out.append(Match(m.start(), m.end(), entry_id))
        return out


def surface_forms(entry: GlossaryEntry) -> list[str]:
    """The written forms that link to an entry: Chinese name, aliases, English names, abbreviation."""
    if not entry.link:
        return []
    forms = [entry.zh, *entry.aliases, *entry.en, entry.abbr]
    return [nfkc(f) for f in forms if f and len(nfkc(f)) >= 2]


def _latin_pattern(forms: dict[str, str], flags: int) -> re.Pattern | None:
    if not forms:
        return None
    parts = sorted(forms, key=len, reverse=True)
    alternation = "|".join(r"\s+".join(re.escape(w) for w in form.split(" ")) for form in parts)
    # The characters a form can start with, checked first: most positions (Chinese text) fail
    # there at once instead of trying every alternative (3-4 times faster on the sample library).
    firsts = "".join(re.escape(c) for c in sorted({form[0] for form in parts}))
    return re.compile(rf"(?=[{firsts}])(?<![A-Za-z0-9\-])(?:{alternation})(?![A-Za-z0-9]|-[A-Za-z0-9])", flags)


def _space_key(text: str) -> str:
    return " ".join(text.split())


def boundaries_at(tokenizer, text: str, positions: set[int]) -> set[int]:
    """Those of ``positions`` where jieba's segmentation of ``text`` puts a word boundary, the
    same as ``word_boundaries`` gives, segmenting only the blocks that hold a position.

    jieba cuts a text into blocks (runs of its ``re_han_default`` characters) and segments each
    block on its own; outside the blocks every character is a word, except that ``\r\n`` is one.
    So a position at a block's edge or outside the blocks needs no segmentation at all."""
    import jieba

    blocks = [(m.start(), m.end()) for m in jieba.re_han_default.finditer(text)]
    block_starts = [start for start, _end in blocks]
    cut_blocks: dict[int, set[int]] = {}
    out = set()
    for p in positions:
        index = bisect.bisect_right(block_starts, p) - 1
        if index >= 0 and blocks[index][0] < p < blocks[index][1]:
            start, end = blocks[index]
            if index not in cut_blocks:
                cut_blocks[index] = {start + word_end for _w, _s, word_end in tokenizer.tokenize(text[start:end])}
            if p in cut_blocks[index]:
                out.add(p)
        elif not (0 < p < len(text) and text[p - 1] == "\r" and text[p] == "\n"):
            out.add(p)
    return out


def word_boundaries(tokenizer, text: str) -> tuple[set[int], set[int]]:
    """Offsets where jieba starts and ends words in ``text``."""
    starts, ends = set(), set()
    for _word, start, end in tokenizer.tokenize(text):
        starts.add(start)
        ends.add(end)
    return starts, ends


# --------------------------------------------------------------------------- documents


def link_document(doc: Document, glossary: Glossary, matcher: Matcher, record: list | None = None) -> int:
    """Split the document's Text inlines into TermRef; return how many links were made.
    ``record`` (if given) receives (entry id, Occurrence) for every occurrence, in order."""
    titles = {e.id: term_title(e) for e in glossary.entries.values()}
    linked = 0
    seen: set[tuple[str, str]] = set()  # (language, entry id) linked in the current section
    for block in doc.blocks:
        is_heading = block.kind == "heading" or bool(block.pair and block.pair[0].kind == "heading")
        if is_heading:
            seen = set()
        for side in block.pair or [block]:
            anchor = side.anchor or block.anchor
            side.inlines, count = link_inlines(side.inlines, matcher, titles, glossary, doc.meta.id, anchor,
                                               seen, side.lang or "zh", make_links=not is_heading, record=record)
            linked += count
    for note in doc.notes:
        note.inlines, count = link_inlines(note.inlines, matcher, titles, glossary, doc.meta.id,
                                           note.anchor, set(), "note", make_links=True, record=record)
        linked += count
    return linked


def link_inlines(nodes: list[Inline], matcher: Matcher, titles: dict[str, str], glossary: Glossary,
                 doc_id: str, anchor: str, seen: set, lang: str, make_links: bool,
                 record: list | None = None) -> tuple[list[Inline], int]:
    out: list[Inline] = []
    linked = 0
    plain = "".join(getattr(n, "text", getattr(n, "label", "")) for n in nodes)
    offset = 0
    for node in nodes:
        width = len(getattr(node, "text", getattr(node, "label", "")))
        if not isinstance(node, Text):
            out.append(node)
            offset += width
            continue
        pos = 0
        for match in matcher.find(node.text):
            entry = glossary.entries[match.entry_id]
            occurrence = Occurrence(doc_id, anchor, kwic(plain, offset + match.start, offset + match.end))
            entry.occurrences.append(occurrence)
            if record is not None:
                record.append((entry.id, occurrence))
            if not make_links or (lang, entry.id) in seen:
                continue
            seen.add((lang, entry.id))
            if match.start > pos:
                out.append(Text(node.text[pos:match.start]))
            out.append(TermRef(node.text[match.start:match.end], entry.id, titles[entry.id]))
            pos = match.end
            linked += 1
        if pos < len(node.text):
            out.append(Text(node.text[pos:]) if pos else node)
        offset += width
    return out, linked


def kwic(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """Keyword in context: ``…left 【term】 right…`` on one line."""
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    lead = "…" if start > width else ""
    tail = "…" if end + width < len(text) else ""
    return " ".join(f"{lead}{left}【{text[start:end]}】{right}{tail}".split())


def term_title(entry: GlossaryEntry) -> str:
    """Tooltip of a term link: English name and abbreviation (or pinyin when it has neither)."""
    english = entry.en[0] if entry.en else ""
    if english and entry.abbr and entry.abbr != english:
        return f"{english} ({entry.abbr})"
    return english or entry.abbr or entry.pinyin or entry.zh


def links_inside(nodes: list[Inline]) -> bool:
    return any(isinstance(n, (Link, TermRef)) for n in nodes)
