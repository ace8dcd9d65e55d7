"""Links: repair URLs a text extraction broke, and turn URLs in text into Link inlines.

This module may only re-join and clean URL text and split text into Text / Link inlines; it
never drops anything but whitespace. PDF extractions break URLs in several ways:

- spaces and line breaks inside them (``ht tps: //engl ish .elpa is.com /science -``),
- full-width forms (``http:／／www．fmprc．gov．cn``),
- a broken font's stand-in glyph for a character (a Chinese character where ':' belongs).
  Which glyph stands for what is per-document knowledge: the metadata field ``glyph_map``
  (e.g. ``{牶: ":"}``) passes it in, and it is applied inside URLs only.

``repair_spans`` finds URLs (broken or not) and gives each one's repaired form; ``repair_urls``
rewrites a text with them; ``linkify`` splits a text into Text and Link inlines.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .models import Inline, Link, Text

# Characters a URL is made of (RFC 3986 minus the ones that end URLs in running text: quotes,
# brackets, parentheses, commas and semicolons), plus their full-width forms.
_URL_CHARS = "A-Za-z0-9\\-._~/?#@!$&*+=%:／．＿－～：？＃＆＝％"
_SEPARATORS = "/.-_=?&#:~／．＿－～：？＃＆＝"
_TRAILING = ".:!?．：？"  # sentence punctuation glued to the end of a URL
_GAP = re.compile(r"[ \t\u2003]*\n?[ \t\u2003]*")


@dataclass(frozen=True)
class UrlSpan:
    start: int
    end: int
    url: str  # the repaired URL

    def original(self, text: str) -> str:
        return text[self.start:self.end]


def _start_pattern(glyph_map: dict[str, str]) -> re.Pattern:
    colons = ":：" + "".join(k for k, v in glyph_map.items() if v == ":")
    slashes = "/／" + "".join(k for k, v in glyph_map.items() if v == "/")
    dots = ".．" + "".join(k for k, v in glyph_map.items() if v == ".")
    c, s, d = (re.escape(x) for x in (colons, slashes, dots))
    gap = r"[ \t\u2003]?\n?[ \t\u2003]?"
    scheme = f"h{gap}t{gap}t{gap}p{gap}(?:s{gap})?[{c}]{gap}[{s}]{gap}[{s}]"
    bare = f"(?<![A-Za-z0-9@./])w{gap}w{gap}w{gap}[{d}]"
    return re.compile(f"(?:{scheme}|{bare})", re.I)


def _token_pattern(glyph_map: dict[str, str]) -> re.Pattern:
    extra = re.escape("".join(glyph_map))
    return re.compile(f"[{_URL_CHARS}{extra}]+")


@functools.lru_cache(maxsize=64)
def _patterns(glyphs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern, re.Pattern]:
    """The patterns for one glyph map, made once per process (the regular expression module's
    own cache is shared with everything else in the process, MkDocs too, and often evicted)."""
    glyph_map = dict(glyphs)
    return _start_pattern(glyph_map), _token_pattern(glyph_map)


def repair_spans(text: str, glyph_map: dict[str, str] | None = None) -> list[UrlSpan]:
    """Every URL in ``text`` (broken or not) with its repaired form, in order."""
    glyph_map = glyph_map or {}
    start_re, token_re = _patterns(tuple(glyph_map.items()))
    spans: list[UrlSpan] = []
    pos = 0
    while True:
        match = start_re.search(text, pos)
        if not match:
            return spans
        end = _scan(text, match.end(), token_re)
        end = _trim_trailing(text, match.start(), end)
        url = repair(text[match.start():end], glyph_map)
        if _plausible(url):
            spans.append(UrlSpan(match.start(), end, url))
        pos = max(end, match.end())


def _scan(text: str, pos: int, token_re: re.Pattern) -> int:
    """The end of a URL whose scheme ends at ``pos``: tokens of URL characters, across the gaps
    an extraction put inside the URL when the next token clearly continues it."""
    match = token_re.match(text, pos)
    end = match.end() if match else pos
    while True:
        gap = _GAP.match(text, end)
        if not gap.group():
            return end
        nxt = token_re.match(text, gap.end())
        if not nxt:
            return end
        after = None
        gap2 = _GAP.match(text, nxt.end())
        if gap2.group():
            after = token_re.match(text, gap2.end())
        if not _continues(text[:end], nxt.group(), after.group() if after else ""):
            return end
        end = nxt.end()


def _continues(so_far: str, nxt: str, after: str) -> bool:
    """Whether the token ``nxt`` after a gap still belongs to the URL ``so_far``."""
    last = so_far[-1:]
    if nxt[0] in _SEPARATORS:
        return True
    inner = any(c in _SEPARATORS for c in nxt)
    starts_lower = nxt[0].islower() or nxt[0].isdigit()
    if last in ".．":
        # after a dot: a short lowercase label (``gov. cn``, ``t153591. htm``) or a path piece
        return starts_lower and (len(nxt) <= 5 or inner)
    if last in _SEPARATORS:
        return not (nxt[0].isupper() and nxt.isalpha())
    if starts_lower and inner:
        return True  # ``nasa-par tners-with-indust``
    # ``engl ish .elpa``: a lowercase piece followed by a piece that starts with a separator
    return starts_lower and nxt.isalnum() and bool(after) and after[0] in _SEPARATORS


def _trim_trailing(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1] in _TRAILING or text[end - 1].isspace()):
        end -= 1
    return end


def _plausible(url: str) -> bool:
    host = re.sub(r"^https?://", "", url, flags=re.I)
    return "." in host.split("/")[0] and len(host) > 4


def repair(raw: str, glyph_map: dict[str, str] | None = None) -> str:
    """The repaired form of one broken URL: no whitespace, stand-in glyphs mapped, full-width
    forms as ASCII, the scheme in lower case."""
    glyph_map = glyph_map or {}
    url = "".join(glyph_map.get(c, c) for c in raw if not c.isspace())
    url = "".join(unicodedata.normalize("NFKC", c) if ord(c) > 0x7F else c for c in url)
    return re.sub(r"^(https?)://", lambda m: m.group(1).lower() + "://", url, flags=re.I)


def repair_urls(text: str, glyph_map: dict[str, str] | None = None) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with every broken URL replaced by its repaired form, and the (original, repaired)
    pairs of the URLs that changed (beyond whitespace), for the build report."""
    text, changed, _ = repair_urls_at(text, [], glyph_map)
    return text, changed


def repair_urls_at(text: str, points: list[tuple[int, int]], glyph_map: dict[str, str] | None = None
                   ) -> tuple[str, list[tuple[str, str]], list[tuple[int, int]]]:
    """``repair_urls``, also moving ``points`` ((offset, value) pairs such as page breaks) by what
    the repairs before them changed in length."""
    out, changed, last, delta = [], [], 0, 0
    moved = list(points)
    for span in repair_spans(text, glyph_map):
        original = span.original(text)
        out.append(text[last:span.start])
        out.append(span.url)
        if "".join(original.split()) != span.url:
            changed.append((original, span.url))
        change = len(span.url) - (span.end - span.start)
        moved = [(o + change if o >= span.end + delta else o, p) for o, p in moved]
        delta += change
        last = span.end
    out.append(text[last:])
    return "".join(out), changed, moved


def href(url: str) -> str:
    """The link target of a URL as printed: a bare ``www.…`` gets an explicit https scheme."""
    return url if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I) else f"https://{url}"


def linkify(text: str, glyph_map: dict[str, str] | None = None) -> list[Inline]:
    """``text`` as Text and Link inlines; each URL becomes a Link showing its repaired form."""
    nodes: list[Inline] = []
    last = 0
    for span in repair_spans(text, glyph_map):
        if span.start > last:
            nodes.append(Text(text[last:span.start]))
        nodes.append(Link(span.url, href(span.url)))
        last = span.end
    if last < len(text):
        nodes.append(Text(text[last:]))
    return nodes or [Text(text)]
