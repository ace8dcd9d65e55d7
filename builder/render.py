"""Render: Document -> Markdown text. No I/O.

Output is standard Markdown plus Python-Markdown/pymdown extensions (footnotes, attr_list,
md_in_html, admonition): renderer-neutral; theme choices live in mkdocs.yml and overrides.
Every piece of source text goes through ``escape`` so that ``*``, ``_``, ``#``, ``<``, ``|``,
``{{`` in a source never become formatting, HTML or template syntax.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

import yaml

from . import cite, masthead
from .models import (BackMatter, Block, Document, Inline, Link, MissingNoteRef, Note, NoteRef,
                     TermRef, Text, leaf_blocks)

KIND_LABELS = {
    "journal-article": "期刊论文",
    "policy-paper": "政策报告",
    "translation": "译文",
    "news-repost": "新闻转载",
    "web-article": "网络文章",
}
FIELD_LABELS = {
    "title": "标题", "title.en": "英文标题", "authors": "作者", "date": "日期", "venue": "刊物",
    "publisher": "出版方", "source_url": "原文链接", "doi": "DOI",
}
BACKMATTER_TITLES = {
    "abbreviations": "缩写", "contents": "目录", "author-notes": "作者介绍", "publications": "出版物",
    "citation": "引用信息", "colophon": "出版信息", "references": "参考链接", "disclaimer": "免责声明",
    "summary": "摘要", "tables": "表格与图",
}
MISSING_NOTE_TITLE = "原文中没有这条注释的正文"
NOTES_TITLE = "注释"
# Where the footnotes extension puts the notes (its PLACE_MARKER, set to the same in mkdocs.yml).
# "~" is always escaped in source text (below), so no source text can ever be taken for it.
FOOTNOTES_MARKER = "~~footnotes~~"
# Attribute of what the site search (Pagefind, builder/search.py) leaves out: text that repeats
# the documents' own (occurrence lists, related and cited lists, the citation block). Pagefind
# leaves out only the element that carries it, so a section is wrapped whole (``not_searched``)
# and its heading carries it too (``## 标题 { data-pagefind-ignore }``).
NOT_SEARCHED = 'data-pagefind-ignore="all"'  # attr_list writes a bare attribute as ="…", which Pagefind rejects
# Weight of the words a search entry adds to a page (``search_names``): a glossary entry's own
# names count like its title; names of the terms a document mentions count less than its text.
ENTRY_NAMES_WEIGHT = 5.0
MENTIONED_NAMES_WEIGHT = 0.5

_ESCAPES = {c: f"&#{ord(c)};" for c in "\\`*_[]<>#|~^{}!$:=+"}
_ESCAPES["&"] = "&amp;"
_ESCAPE_RE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_LEADING_LIST = re.compile(r"^(\s*)(\d+)([.)])")
_LEADING_DASH = re.compile(r"^(\s*)-")


def escape(text: str) -> str:
    """Source text as Markdown that renders literally (HTML entities for syntax characters)."""
    text = _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)
    return text.replace("\n", " ")


def escape_block_start(text: str) -> str:
    """Also neutralise what only means something at the start of a block (lists, indentation)."""
    text = text.lstrip()
    text = _LEADING_LIST.sub(lambda m: f"{m.group(1)}{m.group(2)}&#{ord(m.group(3))};", text)
    return _LEADING_DASH.sub(lambda m: f"{m.group(1)}&#45;", text)


def escape_theme_text(text: str) -> str:
    """Text the theme inserts into HTML without escaping (front-matter title and description:
    navigation, <title>, header, <meta content="…">): one line, with & < > and " as entities."""
    text = " ".join(text.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def escape_url(url: str) -> str:
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


def link_title(title: str) -> str:
    return title.replace('"', "&quot;")


def inline(node: Inline, glossary_prefix: str = "../glossary/") -> str:
    if isinstance(node, Text):
        return escape(node.text)
    if isinstance(node, NoteRef):
        return f"[^{node.number}]"
    if isinstance(node, MissingNoteRef):
        return f'<sup class="fn-missing" title="{MISSING_NOTE_TITLE}">{escape(node.label)}</sup>'
    if isinstance(node, TermRef):
        return f'[{escape(node.text)}]({glossary_prefix}{node.entry_id}.md "{link_title(node.title)}")'
    if isinstance(node, Link):
        title = f' "{link_title(node.title)}"' if node.title else ""
        return f"[{escape(node.text)}](<{escape_url(node.url)}>{title})"
    raise TypeError(f"unknown inline {node!r}")


def inlines(nodes: list[Inline], prefix: str = "../glossary/") -> str:
    return escape_block_start("".join(inline(n, prefix) for n in nodes))


# --------------------------------------------------------------------------- document page


def document_page(doc: Document, extra_sections: list[str] | None = None, citation: bool = True) -> str:
    """The Markdown page of one document (``citation``: with the folded "引用本文" block)."""
    meta = doc.meta
    parts = [front_matter(meta.title_zh, meta.summary or meta.title_en)]
    parts.append(f"# {escape(meta.title_zh)}")
    if meta.title_en:
        parts.append(f"{escape(meta.title_en)}\n{{: .doc-title-en lang=en }}")
    parts.append(header_block(doc))
    if citation:
        parts.append(not_searched(citation_block(doc.meta)))
    for section in doc.backmatter:  # a summary box of the source leads, before the body
        if section.kind == "summary":
            parts.append(render_summary(section))
    for block in doc.blocks:
        parts.append(render_block(block))
    parts.append(back_matter(doc))
    notes = [n for n in doc.notes if n.referenced]
    if notes:  # the notes under their own heading, before the library's sections
        parts.append(f"## {NOTES_TITLE} {{ #notes }}\n\n{FOOTNOTES_MARKER}")
    parts.append(missing_notes_pointer(doc))
    orphans = [n for n in doc.notes if not n.referenced]
    if orphans:
        parts.append(render_orphans(orphans))
    parts.extend(extra_sections or [])
    if notes:
        parts.append("\n".join(render_note(n) for n in notes))
    return "\n\n".join(p for p in parts if p) + "\n"


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when available: same output, faster


def front_matter(title: str, description: str = "", search_exclude: bool = False) -> str:
    """MkDocs page meta. ``search_exclude`` keeps the page out of the site search (read by
    overrides/main.html, which decides what Pagefind indexes)."""
    data: dict = {"title": escape_theme_text(title)}
    if description:
        data["description"] = escape_theme_text(description[:300])
    if search_exclude:
        data["search"] = {"exclude": True}
    fast = _fast_yaml(data)
    if fast is not None:
        return "---\n" + fast + "---"
    return "---\n" + yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000) + "---"


# Characters YAML allows in a document (PyYAML's reader refuses any other).
_YAML_PRINTABLE = re.compile("[\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


def _fast_yaml(data: dict) -> str | None:
    """``data`` (strings, a ``search`` mapping of numbers and booleans) as YAML: each string a
    JSON string, which is a YAML double-quoted scalar. None when a string holds a character YAML
    does not allow as it is (then yaml.dump escapes it). Pages have hundreds of these; a
    double-quoted line costs a fraction of yaml.dump."""
    lines = []
    for key, value in data.items():
        if isinstance(value, str):
            if not _YAML_PRINTABLE.fullmatch(value):
                return None
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        elif isinstance(value, dict) and all(isinstance(v, (bool, int, float)) for v in value.values()):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {json.dumps(v)}" for k, v in value.items())
        else:
            return None
    return "\n".join(lines) + "\n"


def not_searched(section: str) -> str:
    """A section the site search leaves out, wrapped whole (md_in_html renders its Markdown)."""
    return f"<div {NOT_SEARCHED} markdown>\n\n{section}\n\n</div>"


def search_names(names: list[str], weight: float, own: bool = False) -> str:
    """Names the site search finds a page by, at ``weight`` (1 is the page's text): a glossary
    entry's English names, abbreviation, aliases and pinyin; the other-language names of the
    terms a document mentions. Hidden: the page shows them elsewhere or does not need them.
    ``own``: the page's own names, which the search box also gets with the result (Pagefind
    metadata "names") to put a page named exactly as the query first."""
    names = [" ".join(n.split()) for n in dict.fromkeys(names) if n and n.strip()]
    if not names:
        return ""
    text = escape(" · ".join(names))  # entities for every syntax character, as all source text
    meta = ' data-pagefind-meta="names"' if own else ""
    return f'<div class="search-names" hidden data-pagefind-weight="{weight:g}"{meta}>{text}</div>'


def search_fields(filters: dict[str, list[str]], date: str | None = None) -> str:
    """A page's filters (name -> values) and date for the site search, as Pagefind reads them:
    hidden, and left out of the indexed text. The page kind filter ("kind") comes from
    overrides/main.html; an undated document sorts as "0000", other pages get that there."""
    spans = [f'<span data-pagefind-filter="{html.escape(name)}">{escape(value)}</span>'
             for name, values in filters.items() for value in dict.fromkeys(values) if value]
    if date is not None:
        spans.append(f'<span data-pagefind-sort="date">{html.escape(date or "0000", quote=False)}</span>')
        if date:
            spans.append(f'<span data-pagefind-meta="date">{html.escape(date, quote=False)}</span>')
    # bare data-pagefind-ignore ("index"): left out of the text, its filters and sort key still read
    return f'<div class="search-fields" hidden data-pagefind-ignore>{"".join(spans)}</div>' if spans else ""


def document_search_fields(meta) -> str:
    """A document's search filters (document kind, language, authors) and date."""
    return search_fields({"doc_kind": [KIND_LABELS.get(meta.kind, meta.kind)],
                          "language": [{"zh": "中文", "en": "英文"}.get(x, x) for x in meta.languages],
                          "author": [a.name for a in meta.authors]}, meta.date or "")


def header_block(doc: Document) -> str:
    meta = doc.meta
    rows = []
    if meta.authors:
        names = "、".join(escape(a.name) + (f"（{escape(a.romanized)}）" if a.romanized else "")
                         for a in meta.authors)
        rows.append(("作者", names))
    if meta.translators:
        rows.append(("译者", "、".join(escape(a.name) + (f"（{escape(a.romanized)}）" if a.romanized else "")
                                     for a in meta.translators)))
    if meta.venue:
        rows.append(("刊物", escape(meta.venue)))
    if meta.publisher:
        rows.append(("出版方", escape(meta.publisher)))
    if meta.date:
        rows.append(("日期", escape(meta.date)))
    rows.append(("类型", KIND_LABELS.get(meta.kind, escape(meta.kind))))
    rows.append(("语言", "、".join({"zh": "中文", "en": "英文"}.get(x, x) for x in meta.languages)))
    if meta.source_url:
        rows.append(("原文链接", f"[{escape(meta.source_url)}](<{escape_url(meta.source_url)}>)"))
    if meta.doi:
        doi_url = meta.doi if meta.doi.startswith("http") else f"https://doi.org/{meta.doi}"
        rows.append(("DOI", f"[{escape(meta.doi)}](<{escape_url(doi_url)}>)"))
    if meta.editor_supplied:
        fields = "、".join(FIELD_LABELS.get(f, escape(f)) for f in meta.editor_supplied)
        rows.append(("编者补充", f"{fields}（原文未载，由编者提供）"))
    for field, text in masthead.header_fields(doc.metadata_lines):  # what the source's front matter says
        rows.append((field, escape(text)))
    body = "\n".join(f"    - **{label}**：{value}" for label, value in rows)
    out = [f'!!! info "文献信息"\n\n{body}']
    if meta.summary:
        out.append(f'!!! abstract "编者提要"\n\n    {escape(meta.summary)}')
    if meta.source_note:
        out.append(f'!!! warning "来源说明"\n\n    {escape(meta.source_note)}')
    return "\n\n".join(out)


def citation_block(meta) -> str:
    """How to cite the document, folded: GB/T 7714, and BibTeX and CSL-JSON to copy."""
    def code(text: str) -> str:
        return "\n".join("        " + line for line in text.splitlines())

    return (f'??? quote "引用本文"\n\n    **GB/T 7714**：{escape(cite.gbt7714(meta))}\n\n'
            f'    **BibTeX**\n\n{code(cite.bibtex(meta))}\n\n    **CSL-JSON**\n\n{code(cite.csl_json(meta))}')


def render_block(block: Block, prefix: str = "../glossary/") -> str:
    if block.pair:
        return render_pair(block, prefix)
    anchor = f"#{block.anchor}" if block.anchor else ""
    lang = f" lang={block.lang}" if block.lang else ""
    text = inlines(block.inlines, prefix)
    if block.kind == "heading":
        return f"{'#' * max(2, min(block.level, 6))} {text} {{ {anchor}{lang} }}".replace("{  ", "{ ")
    if block.kind == "figure":
        return render_figure(block, prefix)
    prefix_mark = {"quote": "> ", "list_item": "- "}.get(block.kind, "")
    attrs = f"\n{{: {(anchor + lang).strip()} }}" if (anchor or lang) else ""
    return f"{prefix_mark}{text}{attrs}"


IMAGE_TEXT = "图片"  # what a reader calls an image it links to (readers/markdown_inline.py)


def render_figure(block: Block, prefix: str = "../glossary/") -> str:
    """A figure of the source: its images as links to the pictures (remote images are never
    loaded into the page) and its caption under them, as an HTML figure."""
    images = [n for n in block.inlines if isinstance(n, Link) and n.text.startswith(IMAGE_TEXT)]
    caption = inlines([n for n in block.inlines if n not in images], prefix).strip()
    ident = f' id="{block.anchor}"' if block.anchor else ""
    lang = f' lang="{block.lang}"' if block.lang else ""
    links = " · ".join(inline(image, prefix) for image in images) or caption
    out = f'<figure class="source-figure"{ident}{lang} markdown>\n\n{links}\n\n'
    if images and caption:
        out += f'<figcaption markdown="span">{caption}</figcaption>\n\n'
    return out + "</figure>"


def render_pair(block: Block, prefix: str = "../glossary/") -> str:
    """Aligned blocks: paragraphs side by side (one div per language, laid out and toggled by the
    theme: library.css, bilingual.js); headings as one heading holding both languages, so the
    table of contents lists both and the language control can hide either."""
    if block.pair[0].kind == "heading":
        return render_heading_pair(block, prefix)
    sides = []
    for side in block.pair:
        ident = f' id="{side.anchor}"' if side.anchor else ""
        sides.append(f'<div class="bilingual-{side.lang}"{ident} lang="{side.lang}" markdown>\n\n'
                     f'{inlines(side.inlines, prefix)}\n\n</div>')
    return f'<div class="bilingual" id="{block.anchor}" markdown>\n\n' + "\n\n".join(sides) + "\n\n</div>"


def render_heading_pair(block: Block, prefix: str = "../glossary/") -> str:
    sides = [f'<span class="bilingual-heading-side" lang="{side.lang}">{inlines(side.inlines, prefix)}</span>'
             for side in block.pair]
    level = "#" * max(2, min(block.pair[0].level or 2, 6))
    heading = '<span class="bilingual-sep"> / </span>'.join(sides)
    return f"{level} {heading} {{ #{block.anchor} }}"


def render_summary(section: BackMatter) -> str:
    """A summary from the source (a page's description, a paper's summary box) as an abstract."""
    title = link_title(escape(section.title)) if section.title else "原文摘要"
    items = "\n\n".join(render_block(item) for item in section.items)
    body = "\n".join(f"    {line}" if line else "" for line in items.split("\n"))
    return f'!!! abstract "{title}"\n\n{body}'


BACK_MATTER_TITLE = "附录（非正文部分）"


def back_matter(doc: Document) -> str:
    """Everything after the body that is not the text (abbreviations, the source's own contents,
    author notes, publication lists, colophons, disclaimers) as one section, folded: one block per
    kind, sections of a kind merged ("出版信息" printed three times is one block). A section's old
    anchor (``back-<kind>-<line>``, which author pages link to) stays on its first item, and a
    link to it opens the block (assets/javascripts/open-anchor.js). A contents list links its
    entries to the document's headings."""
    sections = [s for s in doc.backmatter if s.kind != "summary"]
    if not sections:
        return ""
    by_kind: dict[tuple[str, str], list[BackMatter]] = {}
    for section in sections:
        by_kind.setdefault((section.kind, section.title or BACKMATTER_TITLES.get(section.kind, section.kind)),
                           []).append(section)
    headings = {_heading_key(b.text): b.anchor for b in leaf_blocks(doc.blocks)
                if b.kind == "heading" and b.anchor}
    parts = [f"## {BACK_MATTER_TITLE} {{ #back-matter .backmatter }}"]
    for (kind, title), group in by_kind.items():
        body = []
        for section in group:
            anchor = f'<span id="back-{section.kind}-{section.line}"></span>'
            for index, item in enumerate(section.items):
                rendered = _contents_item(item, headings) if kind == "contents" else render_block(item)
                mark = rendered[:2] if rendered.startswith(("- ", "> ")) else ""  # the anchor goes inside a list item
                body.append(mark + (anchor if index == 0 else "") + rendered[len(mark):])
            if not section.items:
                body.append(anchor)
        text = "\n\n".join(body)
        indented = "\n".join(f"    {line}" if line else "" for line in text.split("\n"))
        parts.append(f'??? note "{link_title(escape(title))}"\n\n{indented}')
    return "\n\n".join(parts)


def _heading_key(text: str) -> str:
    return re.sub(r"[\s、.．]", "", text)


def _contents_item(item: Block, headings: dict[str, str]) -> str:
    """An entry of the source's own table of contents: a link to the heading it names."""
    anchor = headings.get(_heading_key(item.text))
    if not anchor:
        return render_block(item)
    prefix = "- " if item.kind == "list_item" else ""
    return f"{prefix}[{inlines(item.inlines)}](#{anchor})"


def missing_notes_pointer(doc: Document) -> str:
    """Where the notes of markers without a note text are: the original, when the metadata
    links it (a scrape or repost that left the notes out)."""
    missing = sum(isinstance(node, MissingNoteRef) for block in leaf_blocks(doc.blocks) for node in block.inlines)
    if not missing or not doc.meta.source_url:
        return ""
    url = doc.meta.source_url
    return (f'!!! note "注释正文不在此文本中"\n\n    本文有 {missing} 处注释标记，其注释正文未收入此文本（页面上以灰色标出）；'
            f"注释见原文：[{escape(url)}](<{escape_url(url)}>)")


def render_note(note: Note) -> str:
    return f"[^{note.number}]: {escape(note.label)} {inlines(note.inlines)}"


def render_orphans(notes: list[Note]) -> str:
    lines = ["## 正文中未见标记的注释 { #orphan-notes }",
             "以下注释的正文见于原文，但在正文中找不到对应的注释标记。\n{: .backmatter-note }"]
    for note in notes:
        lines.append(f"{escape(note.label)} {inlines(note.inlines)}\n{{: #orphan-{note.number} .orphan-note }}")
    return "\n\n".join(lines)


# --------------------------------------------------------------------------- home page


def home_page(documents: list[Document], intro: str = "") -> str:
    """The library's front page: every document with authors, date, kind and length. No page
    title of its own: the browser tab shows the site's name once."""
    rows = ["| 文献 | 作者 | 日期 | 类型 | 语言 | 字数 |", "|---|---|---|---|---|---|"]
    for doc in _newest_first(documents):
        meta = doc.meta
        title = escape(meta.title_zh) + (f"<br><small lang=\"en\">{escape(meta.title_en)}</small>" if meta.title_en else "")
        authors = "、".join(escape(a.name) for a in meta.authors) or "—"
        rows.append(f"| [{title}](documents/{meta.id}.md) | {authors} | {escape(meta.date) or '—'} | "
                    f"{KIND_LABELS.get(meta.kind, escape(meta.kind))} | {_languages(meta)} | {_length(doc):,} |")
    parts = ["# 太空政策双语研究文库",
             intro or ("本文库收录中文太空政策研究论文、译文与新闻，附有解析后的脚注、中英双语术语表与索引。"
                       "每篇文献页面注明来源类型；新闻转载等党派性来源另有说明。"),
             f"## 文献（{len(documents)}）", "可按日期、类型、作者和语言筛选排序的列表见[文献一览](documents/index.md)。",
             "\n".join(rows),
             "## 导航\n\n- [文献一览](documents/index.md)：按日期、类型、作者、语言筛选和排序\n"
             "- [术语表](glossary/index.md)：中英文术语、缩写、拼音\n"
             "- [作者](authors/index.md)：本库文献的作者及引用他们的注释\n"
             "- [引用文献](works/index.md)：从注释中整理出的被引著作\n"
             "- [构建报告](report.md)：注释解析、字符守恒、移除的页面杂项"]
    return "\n\n".join(parts) + "\n"


def documents_page(documents: list[Document]) -> str:
    """Every document in a table a reader can sort (click a column) and filter (text, kind,
    language): plain HTML with the values in data attributes, made interactive by
    assets/javascripts/library-table.js; without JavaScript it is a plain table, newest first."""
    head = "".join(f'<th data-key="{key}" scope="col">{label}</th>' for key, label in
                   (("title", "文献"), ("authors", "作者"), ("date", "日期"), ("kind", "类型"),
                    ("languages", "语言"), ("length", "字数")))
    rows = []
    for doc in _newest_first(documents):
        meta = doc.meta
        authors = "、".join(a.name for a in meta.authors)
        english = f'<br><small lang="en">{html_escape(meta.title_en)}</small>' if meta.title_en else ""
        kind = KIND_LABELS.get(meta.kind, meta.kind)
        length = _length(doc)
        cells = [f'<td><a href="{html_escape(meta.id)}/">{html_escape(meta.title_zh)}</a>{english}</td>',
                 f"<td>{html_escape(authors) or '—'}</td>", f"<td>{html_escape(meta.date) or '—'}</td>",
                 f"<td>{html_escape(kind)}</td>", f"<td>{_languages(meta)}</td>", f"<td>{length:,}</td>"]
        data = {"title": pinyin_key(meta.title_zh), "authors": authors, "date": meta.date or "",
                "kind": kind, "languages": " ".join(meta.languages), "length": str(length)}
        attrs = " ".join(f'data-{k}="{html_escape(v)}"' for k, v in data.items())
        rows.append(f"<tr {attrs}>{''.join(cells)}</tr>")
    table = (f'<table class="library-table">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
             + "\n".join(rows) + "\n</tbody>\n</table>")
    return "\n\n".join([front_matter("文献一览", "本文库全部文献：按日期、类型、作者和语言筛选与排序"),
                         "# 文献一览", f"共 {len(documents)} 篇。点击列名排序；在上方输入框中筛选。",
                         '<div class="library-table-filters" hidden></div>', table]) + "\n"


def _newest_first(documents: list[Document]) -> list[Document]:
    return sorted(documents, key=lambda d: (d.meta.date or "0000", d.meta.id), reverse=True)


def _languages(meta) -> str:
    return "、".join({"zh": "中文", "en": "英文"}.get(x, x) for x in meta.languages)


def _length(doc: Document) -> int:
    return sum(len(b.text) for b in doc.blocks if not b.pair) + sum(len(s.text) for b in doc.blocks for s in b.pair)


def html_escape(text: str) -> str:
    return html.escape(text, quote=True)


def pinyin_key(title: str) -> str:
    """Sort key of a title by its pinyin (Chinese titles sort as a reader expects, not by code point)."""
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(title)).lower()


# --------------------------------------------------------------------------- navigation

NAV_SECTIONS = [
    ("术语表", "glossary/index.md"),
    ("索引", "indexes/"),
    ("作者", "authors/index.md"),
    ("引用文献", "works/index.md"),
    ("构建报告", "report.md"),
    ("关于本文库", "about.md"),  # hand-written (docs/about.md), when present
]


# More documents than this: the navigation groups them by year (see site_nav).
NAV_FLAT_MAX = 30
UNKNOWN_YEAR = "年份不详"


def site_nav(pages: dict[str, str], hand_written: set[str] = frozenset(),
             years: dict[str, str] | None = None) -> list:
    """MkDocs ``nav``: home, the documents by title, then the library's sections.

    Glossary entries, author and work pages stay out of the sidebar (hundreds of them); their
    section's index page lists them. A library of more than NAV_FLAT_MAX documents lists them
    by year (``years``: page path -> year), newest first: with Material's navigation.prune
    each page then carries only its own year's documents, not a link to every document.
    """
    documents = sorted((path for path in pages if path.startswith("documents/") and path != "documents/index.md"),
                       key=lambda p: pinyin_key(_page_title(pages[p])))  # by pinyin, not code point
    items = [{_page_title(pages[p]): p} for p in documents]
    if len(documents) > NAV_FLAT_MAX and years:
        by_year: dict[str, list] = {}
        for path, item in zip(documents, items):
            year = years.get(path, "")
            by_year.setdefault(year if re.fullmatch(r"\d{4}", year) else UNKNOWN_YEAR, []).append(item)
        items = [{year: by_year[year]} for year in sorted(by_year, key=lambda y: (y == UNKNOWN_YEAR, -int(y) if y.isdigit() else 0))]
    overview = ["documents/index.md"] if "documents/index.md" in pages else []
    nav: list = [{"首页": "index.md"}, {"文献": overview + items}]
    for label, target in NAV_SECTIONS:
        if target.endswith("/"):
            children = sorted(p for p in pages if p.startswith(target))
            if children:
                nav.append({label: [{_page_title(pages[p]): p} for p in children]})
        elif target in pages or target in hand_written:
            nav.append({label: target})
    return nav


def _page_title(page: str) -> str:
    match = re.search(r"^title: (.*)$", page, re.M)
    return yaml.load(match.group(1), Loader=_LOADER) if match else ""
