"""Pieces shared by the pages of the cross-link results: how a cited work, a note and a link
to a note are written, and the pinyin sort key of names.

What this module may do: turn Library data into escaped Markdown fragments (every piece of
source text through ``render.escape``). It reads nothing else and changes nothing.
"""

from __future__ import annotations

from pypinyin import lazy_pinyin

from ..models import CitedWork, Library, NotePlace
from ..render import escape


def pinyin_key(text: str) -> str:
    """Sort key for Chinese and Latin names alike: pinyin syllables, lowercase, then the text."""
    return " ".join(p.lower() for p in lazy_pinyin(text)) + "\x00" + text


def work_label(work: CitedWork) -> str:
    """Authors and title as escaped Markdown: ``作者：《标题》`` or ``Author, “Title”``."""
    names = ("、" if work.lang == "zh" else ", ").join(escape(a) for a in work.authors)
    if names and work.et_al:
        names += "等" if work.lang == "zh" else " et al."
    if work.lang == "en":
        return f"{names}, “{escape(work.title)}”" if names else f"“{escape(work.title)}”"
    return f"{names}：《{escape(work.title)}》" if names else f"《{escape(work.title)}》"


def note_name(place: NotePlace) -> str:
    """How the page shows a note: the footnote number, or the source label of an orphan note."""
    return f"注释 {place.number}" if place.referenced else f"未标记注释 {escape(place.label)}"


def note_link(library: Library, place: NotePlace, prefix: str = "../documents/") -> str:
    """The title of a note's document and the note, each as a link."""
    doc = library.document(place.doc_id)
    return (f"[{escape(doc.meta.title_zh)}]({prefix}{place.doc_id}.md)"
            f" [{note_name(place)}]({prefix}{place.doc_id}.md#{place.anchor})")
