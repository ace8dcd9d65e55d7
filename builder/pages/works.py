"""The index of cited works and one page per cited work.

What this module may do: turn the library's CitedWorks (``crosslink.works``) into Markdown pages,
every piece of source text escaped. It reads nothing else and changes nothing.
"""

from __future__ import annotations

from collections import defaultdict

from .. import citations as cit
from ..models import CitedWork, Library
from ..render import escape, escape_url, front_matter
from .common import note_link, pinyin_key, work_label


def work_pages(library: Library) -> dict[str, str]:
    """Site path -> Markdown of every cited-work page (not the index)."""
    return {f"works/{work.slug}.md": work_page(library, work) for work in library.works.values()}


def works_index(library: Library) -> str:
    works = list(library.works.values())
    parts = [front_matter("引用文献"), "# 引用文献",
             f"从本库文献的注释中整理出的被引著作共 {len(works)} 种，按年份（新到旧）排列，同年按作者拼音。"
             "同一著作被多处引用时合为一条。只收录能可靠解析出标题的引用；说明性注释不在此列。"]
    by_year: dict[str, list[CitedWork]] = defaultdict(list)
    for work in works:
        by_year[work.year].append(work)
    for year in sorted(by_year, key=lambda y: (y == "", "" if y == "" else f"{9999 - int(y):04d}")):
        rows = sorted(by_year[year], key=lambda w: (pinyin_key("、".join(w.authors) or "~"), cit.title_key(w.title)))
        items = [f"- [{work_label(w)}]({w.slug}.md)" + (f"，{escape(w.venue)}" if w.venue else "")
                 + (f"（被引 {len(w.citations)} 次）" if len(w.citations) > 1 else "") for w in rows]
        parts.append(f"## {year or '年份不详'} {{ #year-{year or 'unknown'} }}\n\n" + "\n".join(items))
    return "\n\n".join(parts) + "\n"


def work_page(library: Library, work: CitedWork) -> str:
    # A cited-work page is a bibliographic record: left out of search, where its title would
    # outrank the documents that discuss the subject; the works index page, which lists every
    # title, is searchable and leads to it.
    parts = [front_matter(work.title, search_exclude=True), f"# {escape(work.title)}"]
    rows = []
    if work.authors:
        rows.append(("作者", "、".join(escape(a) for a in work.authors) + ("等" if work.et_al else "")))
    if work.venue:
        rows.append(("刊物或出处", escape(work.venue)))
    if work.year:
        rows.append(("年份", escape(work.year)))
    if work.doi:
        rows.append(("DOI", f"[{escape(work.doi)}](<{escape_url('https://doi.org/' + work.doi)}>)"))
    if work.url and (not work.doi or work.doi not in work.url):
        rows.append(("链接", f"[{escape(work.url)}](<{escape_url(work.url)}>)"))
    if work.document:
        doc = library.document(work.document)
        rows.append(("本库收录", f"[{escape(doc.meta.title_zh)}](../documents/{doc.meta.id}.md)"))
    records = [r for r in library.authors.values() if work.slug in r.works]
    if records:
        rows.append(("作者页", "、".join(f"[{escape(r.name)}](../authors/{r.slug}.md)" for r in records)))
    parts.append("\n".join(f"- **{label}**：{value}" for label, value in rows))
    parts.append("*以上字段由注释文字自动解析，以下为原注释文字。*")
    items = [f"- {note_link(library, place)}：{escape(text)}" for place, text in work.citations]
    parts.append(f"## 引用该著作的注释（{len(work.citations)}）\n\n" + "\n".join(items))
    return "\n\n".join(parts) + "\n"
