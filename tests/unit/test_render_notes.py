"""Markers whose notes the text lacks: the page says where the notes are (builder/render.py)."""

from __future__ import annotations

from builder import render
from builder.models import Block, DocMeta, Document, MissingNoteRef, Text


def page_with(source_url: str) -> str:
    meta = DocMeta(id="t", title_zh="测试", kind="web-article", reader="parallel", languages=["en"],
                   text_path="corpus/t.txt", meta_path="corpus/t.yml", source_url=source_url)
    body = [Block("paragraph", [Text("Deterrence failed."), MissingNoteRef("1"), Text(" Then"), MissingNoteRef("2")])]
    return render.document_page(Document(meta=meta, blocks=body), citation=False)


def test_missing_notes_point_to_the_original_when_its_address_is_known():
    page = page_with("https://interpret.csis.org/translations/example/")
    assert "本文有 2 处注释标记，其注释正文未收入此文本" in page
    assert "(<https://interpret.csis.org/translations/example/>)" in page


def test_no_pointer_without_an_address():
    assert "注释正文不在此文本中" not in page_with("")
