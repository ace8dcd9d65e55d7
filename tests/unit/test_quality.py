"""Warnings that a document was read wrongly (builder/quality.py)."""

from __future__ import annotations

from builder.diagnostics import Diagnostics
from builder.models import Block, DocMeta, Document, Note, RawNote, Text
from builder.quality import check_document


def doc_with(blocks: list[Block], notes: list[Note] | None = None, raw: int = 0, found: int = 0,
             resolved: int = 0) -> Document:
    meta = DocMeta(id="t", title_zh="测试", kind="journal-article", reader="pdf_journal", languages=["zh"],
                   text_path="corpus/t.txt", meta_path="corpus/t.yml")
    doc = Document(meta=meta, blocks=blocks, notes=notes or [])
    doc.raw_notes = [RawNote("①", "注", 1) for _ in range(raw)]
    doc.stats.markers_found, doc.stats.markers_resolved = found, resolved
    return doc


def para(text: str, line: int = 1) -> Block:
    return Block("paragraph", [Text(text)], line=line)


def codes(doc: Document) -> list[str]:
    diag = Diagnostics()
    check_document(doc, diag)
    return [w.code for w in diag.warnings]


def test_a_well_read_document_gets_no_warning():
    blocks = [para("正文" * 400, line=n) for n in range(1, 6)]
    assert codes(doc_with(blocks, [Note(1, "①", [Text("注释" * 20)], 9)], raw=1, found=1, resolved=1)) == []


def test_one_huge_paragraph_is_flagged_with_its_line():
    diag = Diagnostics()
    check_document(doc_with([para("短。", 1), para("长" * 9000, 7)]), diag)
    [warning] = diag.warnings
    assert warning.code == "quality.few-paragraphs" and warning.location == "corpus/t.txt:7"


def test_body_read_as_orphan_notes_is_flagged():
    notes = [Note(i, "①", [Text("正文被当作注释" * 30)], 40 + i, referenced=False) for i in range(1, 4)]
    assert codes(doc_with([para("正文" * 500)], notes)) == ["quality.orphan-notes"]


def test_markers_and_notes_that_never_meet_are_flagged():
    assert codes(doc_with([para("正文" * 500)], raw=5, found=5, resolved=0)) == ["quality.unresolved-markers"]
    assert codes(doc_with([para("正文" * 500)], raw=0, found=5, resolved=0)) == []  # notes not in the source


def test_a_running_head_left_in_the_body_is_flagged():
    blocks = [para("正文" * 300, 1), para("国际观察 2024年第1期", 10), para("正文" * 300, 11),
              para("国际观察 2024年第1期", 30), para("正文" * 300, 31), para("国际观察 2024年第1期", 50)]
    diag = Diagnostics()
    check_document(doc_with(blocks), diag)
    [warning] = diag.warnings
    assert warning.code == "quality.repeated-lines" and "10, 30, 50" in warning.message
