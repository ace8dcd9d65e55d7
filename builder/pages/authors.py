"""The authors index page and one page per author of a corpus document.

What this module may do: turn the library's AuthorRecords (``crosslink.authors``) into Markdown
pages, every piece of source text escaped. It reads nothing else and changes nothing.
"""

from __future__ import annotations

from ..models import AuthorRecord, Library
from ..render import NOT_SEARCHED, escape, escape_block_start, front_matter, not_searched, search_fields
from .common import note_link, pinyin_key, work_label


def author_pages(library: Library) -> dict[str, str]:
    """Site path -> Markdown of every author page (not the index)."""
    return {f"authors/{record.slug}.md": author_page(library, record) for record in library.authors.values()}


def authors_index(library: Library) -> str:
    records = sorted(library.authors.values(), key=lambda r: pinyin_key(r.name))
    parts = [front_matter("作者"), "# 作者",
             "本库文献的作者，附其文献、引用或提及他们的注释，以及被引用的著作。按拼音排序。"]
    if not records:
        parts.append("（本库文献的元数据中未载作者。）")
    else:
        rows = ["| 作者 | 罗马字 | 本库文献 | 引用或提及的注释 |", "|---|---|---|---|"]
        for r in records:
            rows.append(f"| [{escape(r.name)}]({r.slug}.md) | {escape(r.romanized) or '—'} | "
                        f"{len(r.documents)} | {len(r.citing)} |")
        parts.append("\n".join(rows))
    return "\n\n".join(parts) + "\n"


def author_page(library: Library, record: AuthorRecord) -> str:
    heading = escape(record.name) + (f"（{escape(record.romanized)}）" if record.romanized else "")
    parts = [front_matter(record.name, record.romanized), f"# {heading}", search_fields({"author": [record.name]})]
    docs = [library.document(d) for d in record.documents]
    parts.append("## 本库文献\n\n" + "\n".join(
        f"- [{escape(d.meta.title_zh)}](../documents/{d.meta.id}.md)" + (f"（{escape(d.meta.date)}）" if d.meta.date else "")
        for d in docs))
    if record.profile:
        parts.append("## 作者介绍\n\n" + "\n\n".join(
            f"> {escape_block_start(escape(text))}\n\n— 见[{escape(library.document(d).meta.title_zh)}](../documents/{d}.md#{a})"
            for d, a, text in record.profile))
    works = library.works
    if record.works:
        parts.append("## 被引用的著作\n\n" + "\n".join(
            f"- [{work_label(works[s])}]({'../works/'}{s}.md)" + (f"，{escape(works[s].year)}" if works[s].year else "")
            for s in record.works))
    if record.citing:
        items = [f"- {note_link(library, place)}：{escape(text)}" for place, text in record.citing]
        parts.append(not_searched(f"## 引用或提及该作者的注释（{len(record.citing)}） {{ {NOT_SEARCHED} }}\n\n"
                                  + "\n".join(items)))
    else:
        parts.append("## 引用或提及该作者的注释\n\n本库注释中未见引用或提及该作者。")
    return "\n\n".join(parts) + "\n"
