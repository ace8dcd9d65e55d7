"""Inline Markdown of a repost line -> the document model's inlines.

What this stage may do, and nothing else:
- links with a safe scheme become Link inlines (others stay literal text);
- images become links to the image ("图片"), never loaded from a third-party host;
- wiki entity tags ``[[zh:X]]`` (``[[X|Y]]``) become their text (X, or Y);
- code spans become their text, backslash escapes (``\\_``) the character, character
  references (``&quot;``) the character;
- emphasis delimiters are dropped: every run of ``*`` that touches text on one side
  (``**bold**``, ``*it*`` and broken runs such as ``**4****、…**``); a run with spaces on both
  sides is a literal asterisk;
- bracketed numbers ``[1]`` ``【1】`` ``［1］`` and Markdown footnote references ``[^1]`` become
  Marker candidates when asked for; the reader decides afterwards which of them are markers.

Conservation (``builder/report.py``) counts the same way: markup characters are not text.
"""

from __future__ import annotations

import html
import re

from ..models import Inline, Link, Marker, Text

SAFE_SCHEMES = ("http://", "https://", "mailto:")
WIKI_TAG = re.compile(r"\[\[(?:[a-z]{2,3}(?:-[A-Za-z]{2,4})?:)?([^\[\]|]*)(?:\|([^\[\]]*))?\]\](?!\()")
LINK = (r"(?P<bang>!?)\[(?P<label>[^\]]*)\]\(\s*<?(?P<url>[^)\s>]*)>?"
        r"(?:\s+\"(?P<title>[^\"]*)\")?\s*\)")
IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
ESCAPABLE = r"!-/:-@\[-`{-~"
ESCAPE = re.compile(f"\\\\([{ESCAPABLE}])")
BRACKET_NUMBER = r"[\[［【]\s*\d{1,3}\s*[\]］】]"
TOKEN = re.compile(
    r"(?P<code>`+)(?P<code_text>.+?)(?P=code)"
    f"|{LINK}"
    f"|\\\\(?P<esc>[{ESCAPABLE}])"
    r"|(?P<stars>\*+)"
)
FOOTNOTE_REF = r"\[\^[^\]\s]{1,20}\]"
MARKER_CANDIDATE = re.compile(f"{FOOTNOTE_REF}|{BRACKET_NUMBER}")
IMAGE_TEXT = "图片"


def wiki_text(text: str) -> str:
    """Wiki entity tags replaced by the text they show."""
    if "[[" not in text:
        return text
    return WIKI_TAG.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(1), text)


def unescape(text: str) -> str:
    return ESCAPE.sub(r"\1", text)


def parse_inline(text: str, markers: bool = False) -> list[Inline]:
    """The inlines of one line of Markdown. ``markers``: bracketed numbers as Marker inlines."""
    text = wiki_text(text)
    out: list[Inline] = []
    last = 0
    for match in TOKEN.finditer(text):
        start, end = match.span()
        if start > last:
            out.append(Text(html.unescape(text[last:start])))
        last = end
        if match.group("code") is not None:
            out.append(Text(match.group("code_text")))
        elif match.group("url") is not None:
            out.append(_link(match))
        elif match.group("esc") is not None:
            out.append(Text(match.group("esc")))
        elif _literal_stars(text, start, end):
            out.append(Text(match.group("stars")))
    if last < len(text):
        out.append(Text(html.unescape(text[last:])))
    out = merge_text(out)
    return _mark_candidates(out) if markers else out


def _mark_candidates(nodes: list[Inline]) -> list[Inline]:
    """Bracketed numbers of the text (emphasis already gone: "**【******4】***" -> "【4】") as
    Marker candidates."""
    out: list[Inline] = []
    for node in nodes:
        if not isinstance(node, Text) or not MARKER_CANDIDATE.search(node.text):
            out.append(node)
            continue
        last = 0
        for match in MARKER_CANDIDATE.finditer(node.text):
            out += [Text(node.text[last:match.start()]), Marker(match.group(0))]
            last = match.end()
        out.append(Text(node.text[last:]))
    return merge_text(out)


def _literal_stars(text: str, start: int, end: int) -> bool:
    """A run of asterisks with space (or the line's edge) on both sides is no emphasis."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return before.isspace() and after.isspace()


def _link(match: re.Match) -> Inline:
    url = unescape(html.unescape(match.group("url")))
    if not url.lower().startswith(SAFE_SCHEMES):
        # unsafe or relative link: kept as literal text, its character references shown as
        # Markdown shows them ("&lt;" as "<")
        return Text(unescape(html.unescape(match.group(0))))
    label = plain(parse_inline(match.group("label"))).strip()
    if match.group("bang"):
        return Link(f"{IMAGE_TEXT}：{label}" if label else IMAGE_TEXT, url, match.group("title") or "")
    return Link(label or url, url, match.group("title") or "")


def merge_text(nodes: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
                continue
        out.append(node)
    return out


def plain(nodes: list[Inline]) -> str:
    """What a reader sees of the inlines (markers by their label)."""
    return "".join(getattr(n, "text", None) or getattr(n, "label", "") for n in nodes)


def plain_line(text: str) -> str:
    return plain(parse_inline(text)).strip()


def split_images(text: str) -> tuple[list[Link], str]:
    """The images of a line (as links) and what remains of the line without them. An image
    with an unsafe or relative address stays in the text (literal, as parse_inline keeps it)."""
    images: list[Link] = []

    def take(match: re.Match) -> str:
        nodes = parse_inline(match.group(0))
        if len(nodes) == 1 and isinstance(nodes[0], Link):
            images.append(nodes[0])
            return " "
        return match.group(0)

    return images, IMAGE.sub(take, text)


def fully_emphasised(text: str) -> bool:
    """The whole line is inside emphasis delimiters ("*caption*", "**heading**")."""
    text = text.strip()
    return len(text) > 2 and text.startswith("*") and text.endswith("*") and bool(text.strip("*").strip())


def flat_text(text: str) -> str:
    """A line as one string: links as 'text (url)' (just the url when it is its own text)."""
    out = []
    for node in parse_inline(text):
        if isinstance(node, Link):
            out.append(node.url if node.text in (node.url, IMAGE_TEXT) else f"{node.text} ({node.url})")
        else:
            out.append(plain([node]))
    return " ".join("".join(out).split())


# --------------------------------------------------------------------------- conservation

# Markdown syntax characters of a markdown source: link brackets, emphasis, heading hashes, list
# dashes, quote marks, code backticks. They are markup, not text, so conservation does not count them.
# A link within one line, as the reader parses them (parse_inline reads one line at a time): a
# bracket on one line and "](" on a later one are literal text on the page, so counted as such.
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"([^\"\n]*)\")?\s*\)")
_MD_MARKUP = re.compile(r"^#{1,6}\s|^\s*[-*+]\s|^\s*>+|[`*]", re.M)


def countable(text: str) -> str:
    """Markdown as conservation counts it: a link as its label and its URL (one the reader keeps
    as literal text, not a safe scheme, counts as written), markup characters left out (wiki tags
    as the text they show, backslash escapes and character references as the character, as the
    reader shows them). Source lines dropped as chrome are counted the same way."""
    return _MD_MARKUP.sub("", _MD_LINK.sub(_countable_link, html.unescape(unescape(wiki_text(text)))))


def _countable_link(match: re.Match) -> str:
    url = html.unescape(match.group(2))
    if not url.lower().startswith(SAFE_SCHEMES):
        return match.group(0)
    return match.group(1) + url + (match.group(3) or "")
