"""Reader for Markdown reposts of news items (a web page saved as Markdown).

Layout it understands, by general rules:
- chrome: navigation headings that are only a link, horizontal rules, image-only lines, a
  trailing list of link-only items (site footer), phrases from ``corpus/chrome.yml``;
- header: the first Markdown heading (the title) and the byline lines before the first body
  paragraph (outlet, "撰稿：…", repost link) go to the page's header block;
- body: one paragraph per block of lines; Markdown headings at their level; inline links kept
  when their scheme is safe, images turned into links (never loaded from a third-party host);
- back matter: a run of link-only lines after a label line ("参考消息：", "References:") is a
  reference list; a line starting with a disclaimer label is the disclaimer.
"""

from __future__ import annotations

import html
import re

from ..models import BackMatter, Block, Document, Dropped, Inline, Link, Text
from ..normalize import join_lines
from .common import ReadContext, Source, language_of, new_document, paragraphs

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
INLINE = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"([^\"]*)\")?\s*\)")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+(.*)$")
LABEL_LINE = re.compile(r"^.{1,20}[：:]\s*$")
DISCLAIMER = re.compile(r"^\s*(免责声明|免責聲明|Disclaimer)\s*[：:]", re.I)
SAFE_SCHEMES = ("http://", "https://", "mailto:")
BYLINE_MAX = 80


def read(source: Source, ctx: ReadContext) -> Document:
    doc = new_document(source)
    # A saved web page has one line per paragraph: every non-blank line is its own unit.
    runs = [(first + offset, [line]) for first, lines in paragraphs(source.lines)
            for offset, line in enumerate(lines)]
    runs = _drop_chrome(runs, doc, ctx)
    runs = _drop_footer(runs, doc)
    body_start = _take_header(runs, doc)
    _read_body(runs[body_start:], doc)
    return doc


def _drop_chrome(runs, doc: Document, ctx: ReadContext):
    kept = []
    for first, lines in runs:
        keep = []
        for offset, line in enumerate(lines):
            reason = ctx.chrome.match(line)
            if reason:
                doc.chrome.append(Dropped(first + offset, line.strip(), reason))
            else:
                keep.append((first + offset, line))
        if keep:
            kept.append((keep[0][0], [line for _, line in keep]))
    return kept


def _drop_footer(runs, doc: Document):
    """A trailing run of list items that are only links is the site footer."""
    while runs:
        first, lines = runs[-1]
        items = [LIST_ITEM.match(line) for line in lines]
        if not all(m and _is_link_only(m.group(1)) for m in items):
            break
        for offset, line in enumerate(lines):
            doc.chrome.append(Dropped(first + offset, line.strip(), "site footer links"))
        runs = runs[:-1]
    return runs


def _is_link_only(text: str) -> bool:
    return bool(text.strip()) and not INLINE.sub("", text).strip()


def _take_header(runs, doc: Document) -> int:
    """Title heading and byline lines before the first body paragraph go to the header block."""
    index = 0
    for index, (first, lines) in enumerate(runs):
        text = " ".join(line.strip() for line in lines)
        if index == 0 and HEADING.match(lines[0]) and len(lines) == 1:
            doc.metadata_lines.append(_plain(text))
            continue
        if len(text) <= BYLINE_MAX and not text.endswith(("。", ".", "！", "？")) and index < 4:
            if _has_image(text) and _strip_images(text).strip():
                return index  # an image with a caption: body
            doc.metadata_lines.append(_plain(text))
            continue
        return index
    return len(runs)


def _read_body(runs, doc: Document) -> None:
    section: BackMatter | None = None
    for first, lines in runs:
        text = join_lines(lines)
        heading = HEADING.match(lines[0]) if len(lines) == 1 else None
        if DISCLAIMER.match(text):
            section = BackMatter("disclaimer", "免责声明", line=first)
            doc.backmatter.append(section)
            section.items.append(_block("paragraph", text, first))
            section = None
            continue
        if section is not None and _is_link_only(text):
            section.items.append(_block("list_item", text, first))
            continue
        if LABEL_LINE.match(text) and _next_is_links(runs, first):
            section = BackMatter("references", text.strip(), line=first)
            doc.backmatter.append(section)
            continue
        section = None
        if heading:
            level = min(max(len(heading.group(1)), 2), 6)
            doc.blocks.append(_block("heading", heading.group(2), first, level))
        else:
            doc.blocks.append(_block("paragraph", text, first))


def _next_is_links(runs, first: int) -> bool:
    later = [lines for start, lines in runs if start > first]
    return bool(later) and _is_link_only(join_lines(later[0]))


def _block(kind: str, text: str, line: int, level: int = 0) -> Block:
    item = LIST_ITEM.match(text) if kind == "list_item" else None
    if item:
        text = item.group(1)
    inlines = parse_inline(text)
    plain = "".join(getattr(n, "text", "") for n in inlines)
    return Block(kind=kind, inlines=inlines, level=level, lang=language_of(plain), line=line)


def parse_inline(text: str) -> list[Inline]:
    """Markdown links and images -> Link inlines (safe schemes only); everything else literal."""
    out: list[Inline] = []
    last = 0
    for match in INLINE.finditer(text):
        if match.start() > last:
            out.append(Text(text[last:match.start()]))
        bang, label, url, title = match.groups()
        url = html.unescape(url)
        if url.lower().startswith(SAFE_SCHEMES):
            shown = label.strip() or ("图片" if bang else url)
            out.append(Link(("图片：" if bang and label.strip() else "") + shown, url, title or ""))
        else:
            out.append(Text(match.group(0)))  # unsafe or relative link: kept as literal text
        last = match.end()
    if last < len(text):
        out.append(Text(text[last:]))
    return [n for n in out if not (isinstance(n, Text) and not n.text)]


def _has_image(text: str) -> bool:
    return any(m.group(1) for m in INLINE.finditer(text))


def _strip_images(text: str) -> str:
    return INLINE.sub(lambda m: "" if m.group(1) else m.group(0), text)


def _plain(text: str) -> str:
    """A byline line as text: links as 'label (url)', code-span backticks removed."""
    text = INLINE.sub(lambda m: f"{m.group(2)} ({html.unescape(m.group(3))})", text)
    heading = HEADING.match(text)
    if heading:
        text = heading.group(2)
    return text.replace("`", "").strip()
