"""The pdf_journal reader: paragraphs, headings, pages and notes of journal PDF extractions."""

from pathlib import Path

import pytest

from builder import footnotes
from builder.chrome import load_chrome
from builder.config import load_corpus
from builder.diagnostics import Diagnostics
from builder.models import DocMeta, MissingNoteRef, NoteRef
from builder.normalize import decode, normalize_characters
from builder.readers import READERS, ReadContext, Source
from builder.readers.pdf_journal import restore_year_ranges
from builder.report import lost_characters

ROOT = Path(__file__).resolve().parents[2]
FULL = "中" * 35  # a full body line: 35 Chinese characters


def read(text: str, **meta) -> tuple:
    doc_meta = DocMeta(id="t", title_zh="t", kind="journal-article", reader="pdf_journal", languages=["zh"],
                       text_path="t.txt", meta_path="t.yml", **meta)
    diag = Diagnostics()
    doc = READERS["pdf_journal"](Source(doc_meta, text), ReadContext(diag))
    footnotes.resolve(doc, diag)
    return doc, diag


def body(lines: int, last: str = "结束。") -> list[str]:
    return [FULL] * lines + [last]


def test_wrapped_lines_rejoined_without_spaces_and_short_sentence_end_breaks():
    text = "\n".join(["甲" * 34 + "，", "乙" * 35, "丙丙。", "", "丁" * 33, "戊戊。"])
    doc, _ = read("\n".join(body(6)) + "\n" + text)
    texts = [b.text for b in doc.blocks]
    assert texts[-2] == "甲" * 34 + "，" + "乙" * 35 + "丙丙。"
    assert texts[-1] == "丁" * 33 + "戊戊。"


def test_full_line_ending_in_a_full_stop_is_not_a_paragraph_end():
    lines = body(6) + ["甲" * 34 + "。", "乙" * 35, "丙。"]
    doc, _ = read("\n".join(lines))
    assert doc.blocks[-1].text.startswith("甲" * 34 + "。" + "乙")


def test_note_block_cutting_a_sentence_is_rejoined_with_a_page_break():
    lines = [FULL] * 6 + ["前半句①", " ① 注释正文。", "", "", "", "后半句。①", "续。"] + [FULL] * 6 + \
            ["结束。", " ① 第二页的注释。", "", "", ""]
    doc, _ = read("\n".join(lines))
    para = doc.blocks[0]
    cut = para.text.index("后半句")
    assert "前半句①后半句。①" in para.text
    assert (cut, 1) in para.page_breaks
    refs = [n for n in para.inlines if isinstance(n, NoteRef)]
    assert [doc.notes[r.number - 1].text for r in refs] == ["注释正文。", "第二页的注释。"]


def test_circled_restart_starts_a_page_so_a_page_without_notes_keeps_its_markers_missing():
    lines = body(6, "第一页。①") + body(6, "第二页。①") + [" ① 第二页的注释。", "", "", ""]
    doc, _ = read("\n".join(lines))
    refs = [n for b in doc.blocks for n in b.inlines if isinstance(n, (NoteRef, MissingNoteRef))]
    assert isinstance(refs[0], MissingNoteRef)
    assert isinstance(refs[1], NoteRef) and doc.notes[refs[1].number - 1].text == "第二页的注释。"


def test_bare_markers_paired_only_when_counts_are_equal():
    equal = body(6, "甲。①乙。②") + [" ①", "", "②", "", "第一条。", "", "第二条。", "", "", ""]
    doc, _ = read("\n".join(equal))
    assert [(n.label, n.text, n.referenced) for n in doc.notes] == [("①", "第一条。", True), ("②", "第二条。", True)]
    unequal = body(6, "甲。①乙。②丙。③") + [" ①", "", "②", "", "③", "", "第一条。", "", "第二条。", "", "", ""]
    doc, diag = read("\n".join(unequal))
    assert [(n.label, n.referenced) for n in doc.notes] == [("", False), ("", False)]
    assert doc.stats.missing_notes == 3 and doc.stats.orphan_notes == 2
    assert any(c.text == "①②③" for c in doc.chrome)
    assert not lost_characters(doc)


def test_unmarked_note_texts_pair_with_the_pages_markers_only_when_counts_match():
    note = " " + "注" * 39  # indented and wider than a body line: a note in smaller type
    lines = body(6, "甲。①乙。②") + [note, "第一条。", "", "第二条。", "", "", ""]
    doc, _ = read("\n".join(lines))
    assert [(n.label, n.referenced) for n in doc.notes] == [("①", True), ("②", True)]
    lines = body(6, "甲。①乙。②丙。③") + [note, "第一条。", "", "第二条。", "", "", ""]
    doc, _ = read("\n".join(lines))
    assert [n.referenced for n in doc.notes] == [False, False]


def test_letter_notes_wrap_and_resolve_on_their_page():
    lines = body(6, "首次软着陆a失利。b") + [
        "a   2019年以色列非营利太空组织的尝试是世界上首次非政府探月活动，",
        "但不是商业探月活动。 ",
        "b   Jeff Foust, “First Lander”, https://www.example.",
        "org/news/first-lander/.",
        " 下一页的正文。"]
    doc, _ = read("\n\n".join(lines))
    assert [n.text for n in doc.notes] == [
        "2019年以色列非营利太空组织的尝试是世界上首次非政府探月活动，但不是商业探月活动。",
        "Jeff Foust, “First Lander”, https://www.example.org/news/first-lander/."]
    assert doc.stats.markers_resolved == 2
    assert doc.blocks[-1].text == "下一页的正文。"


def test_title_abstract_and_journal_furniture():
    lines = [" 一篇论文的标题", " [内容提要] " + "提" * 30, "要" * 31, "完。", " " + FULL, FULL, "正文完。",
             "|  106  | 《某刊》2023 年第 10 期 ", "科", "技", "与", "（责任编辑：某某）", "12"]
    doc, _ = read("\n".join(lines))
    assert doc.metadata_lines == ["一篇论文的标题", "| 106 | 《某刊》2023 年第 10 期", "（责任编辑：某某）"]
    assert doc.blocks[0].kind == "quote" and doc.blocks[0].text.startswith("[内容提要] 提")
    assert {c.reason for c in doc.chrome} == {"vertical page-margin label", "page number"}
    assert not lost_characters(doc)


def test_heading_levels_follow_the_outline_not_the_numbering_style():
    lines = ["一、第一部分", FULL, "完。", "1. 小标题甲", FULL, "完。", "2. 小标题乙", FULL, "完。",
             "（一）段内标题。" + "正" * 20, "完。", "结语", FULL, "完。"]
    doc, _ = read("\n".join(lines))
    headings = [(b.text, b.level) for b in doc.blocks if b.kind == "heading"]
    assert headings == [("一、第一部分", 2), ("1. 小标题甲", 3), ("2. 小标题乙", 3),
                        ("（一）段内标题。", 3), ("结语", 2)]


def test_year_ranges_restored_only_when_unambiguous():
    assert restore_year_ranges("分别是19791999年、20002011年") == "分别是1979–1999年、2000–2011年"
    assert restore_year_ranges("19991979年") == "19991979年"  # not increasing
    assert restore_year_ranges("12345678年") == "12345678年"  # not years
    assert restore_year_ranges("第29352页") == "第29352页"


def test_empty_text_gives_an_empty_document():
    doc, _ = read("")
    assert doc.blocks == [] and doc.raw_notes == []


@pytest.mark.parametrize("stem", ["000", "004"])
def test_seed_texts_lose_no_character(stem):
    meta = next(m for m in load_corpus(ROOT / "corpus", ROOT) if Path(m.text_path).name.startswith(stem))
    text, _ = decode((ROOT / meta.text_path).read_bytes(), meta.text_path)
    diag = Diagnostics()
    text, dropped = normalize_characters(text, meta.private_use, meta.text_path, diag)
    doc = READERS[meta.reader](Source(meta, text, dropped), ReadContext(diag, load_chrome(ROOT / "corpus/chrome.yml")))
    footnotes.resolve(doc, diag)
    assert lost_characters(doc) == {}
    assert doc.stats.markers_found > 30 and doc.stats.markers_resolved >= 13
