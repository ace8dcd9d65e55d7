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


def _meta(**meta) -> DocMeta:
    return DocMeta(id="t", title_zh="t", kind="journal-article", reader="pdf_journal", languages=["zh"],
                   text_path="t.txt", meta_path="t.yml", **meta)


def read(text: str, **meta) -> tuple:
    doc_meta = _meta(**meta)
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


# --------------------------------------------------------------------------- texts with form feeds
# (pdf_paged, pdf_text_pages, pdf_text_notes: pages, furniture, note blocks, markers by structure)

import yaml  # noqa: E402

from builder.readers import pdf_paged, pdf_text_notes, pdf_text_pages  # noqa: E402
from builder.readers.pdf_journal import Line  # noqa: E402

FF = "\f"


def read_paged(pages: list[list[str]], title: str = "规则竞争研究", pages_field: str = "") -> tuple:
    """Read pages joined with form feeds, normalised as the pipeline does (form feeds dropped
    from the text and recorded by line)."""
    doc_meta = DocMeta(id="t", title_zh=title, kind="journal-article", reader="pdf_journal", languages=["zh"],
                       text_path="t.txt", meta_path="t.yml")
    doc_meta.pages = pages_field
    diag = Diagnostics()
    text = "".join("\n".join(p) + "\n" + FF for p in pages)  # as pdftotext: a form feed after each page
    text, dropped = normalize_characters(text, {}, "t.txt", diag)
    doc = READERS["pdf_journal"](Source(doc_meta, text, dropped), ReadContext(diag))
    footnotes.resolve(doc, diag)
    return doc, diag


ROW = "规则竞争首先来源于各国利益的差异，航天大国希望维持既有规则的主导地位，"  # 35 characters


def article(body_pages: list[list[str]], title: str = "规则竞争研究") -> list[list[str]]:
    """A title page and body pages with a running head and a page number on each."""
    first = [title, "张三", "内容提要：本文讨论规则竞争。", "关键词：规则；竞争", ""]
    pages = [first + ["ROW", "引言到此结束。", "", "1"]]
    for n, lines in enumerate(body_pages, 2):
        pages.append(["某某研究 2030 年第 1 期", ""] + [line.replace("ROW", ROW[n:] + ROW[:n]) for line in lines]
                     + ["", str(n)])
    return pages


def test_pages_counted_as_pdftotext_pages_a_leading_form_feed_opens_an_empty_page():
    lines = [Line(n, t) for n, t in enumerate(["甲", "乙", "丙"], 1)]
    pages = pdf_text_pages.split_pages(lines, {1, 3})
    assert [p.index for p in pages] == [1, 2, 3]
    assert [p.numbers for p in pages] == [[], [0, 1], [2]]


def test_running_heads_and_page_numbers_dropped_as_whole_lines_digits_in_text_kept():
    body = [["ROW", f"自1960年到2020年，参与的国家增加了{n}倍。", "ROW", "结束。"] for n in "三四五"]
    doc, _ = read_paged(article(body))
    text = "".join(b.text for b in doc.blocks)
    assert "自1960年到2020年" in text
    assert "某某研究" not in text
    reasons = {c.text: c.reason for c in doc.chrome}
    assert reasons["某某研究 2030 年第 1 期"] == "running head"
    assert reasons["3"] == "page number"


def test_circled_notes_pair_per_page_with_bare_labels_and_interleaved_continuations():
    body = [
        ["ROW", "在多边场合中不断出现新的提案。① 商业公司也开始影响规则的形成。② 结束。",
         "①", "", "②", "",
         "王五：《太空法的新发展》，载《某某法学》，2020 年第 3 期，第 1 页；赵六：《轨道资源分配研究》，北京：",
         "", "钱七：《频谱与轨道》，第 12 页。",
         "某某出版社，2019 年版，第 45 页。"],
        ["ROW", "第二页的句子。① 完。", "① 第二页的注释。"],
    ]
    doc, _ = read_paged(article(body))
    notes = [n for n in doc.notes if n.referenced]
    assert [n.label for n in notes] == ["①", "②", "①"]
    assert notes[0].text.endswith("北京：某某出版社，2019 年版，第 45 页。")
    assert notes[1].text == "钱七：《频谱与轨道》，第 12 页。"
    assert notes[2].text == "第二页的注释。"
    assert not [n for n in doc.notes if not n.referenced]


def test_a_page_whose_note_labels_have_a_gap_keeps_the_notes_from_the_gap_on_unlinked():
    body = [["ROW", "第一句。① 第二句。② 第三句。④ 完。", "① 甲注。", "② 乙注。", "④ 丁注。"]]
    doc, _ = read_paged(article(body))
    assert [(n.label, n.text, n.referenced) for n in doc.notes] == [
        ("①", "甲注。", True), ("②", "乙注。", True), ("", "④ 丁注。", False)]
    missing = [n for b in doc.blocks for n in b.inlines if isinstance(n, MissingNoteRef)]
    assert [m.label for m in missing] == ["④"]


def test_row_pieces_printed_in_another_order_are_put_back():
    block = pdf_text_notes.NoteBlock(100, lambda t: len(t) * 2)
    rows = ["2017 年第 9 期，第 100—103 页；罗杭、杨", "载《某某政治》，", "① 刘一：《崛起国的策略》，"]
    for n, text in enumerate(rows, 1):
        block.add(n, text, len(text) * 2, n > 1, lambda t: len(t) * 2)
    notes = block.finish()
    assert "".join(notes[0].pieces) == "刘一：《崛起国的策略》，载《某某政治》，2017 年第 9 期，第 100—103 页；罗杭、杨"


def test_label_after_a_fragment_of_another_row():
    assert pdf_text_notes.split_label("” Review of Internation① 相关讨论参见", len) == (
        "①", "相关讨论参见", "” Review of Internation")
    assert pdf_text_notes.split_label("这是一句很长的正文，后面跟着一个标记。① 继续", lambda t: len(t) * 2) is None


def test_superscript_on_its_own_line_goes_to_the_end_of_the_next_line_and_resolves_to_the_list():
    body = [["ROW", "合作机制有助于传播共同规",
             "［1］", "范等。", "就合作机制的权力而言，它能改变分配。",
             "［2］", "研究因此增多。", "", "参考文献",
             "［ 1 ］ 某某. 区域合作的理论［M］. 北京：某某出版社，2020.",
             "［ 2 ］ 某某某. 机制设计［J］. 国际问题研究，2021（3）：",
             "45 - 60.", "〔责任编辑 某某〕"]]
    doc, _ = read_paged(article(body))
    para = next(b for b in doc.blocks if "传播共同规" in b.text)
    refs = [n for n in para.inlines if isinstance(n, NoteRef)]
    assert [doc.notes[r.number - 1].text for r in refs] == [
        "某某. 区域合作的理论［M］. 北京：某某出版社，2020.", "某某某. 机制设计［J］. 国际问题研究，2021（3）：45 - 60."]
    assert "规范等。" in para.text.replace("［1］", "").replace("1", "")
    assert any(b.kind == "heading" and b.text == "参考文献" for b in doc.blocks)
    assert not lost_characters(doc)


def test_title_note_star_and_numeral_heading_in_two_fragments():
    pages = article([["一", "", "引言", "", ROW, "结束。"], ["ROW", "结束。"]])
    pages[0][0] = "规则竞争研究 ∗"
    pages[0][-2:-2] = ["∗ 本文系某某项目的成果。"]
    doc, _ = read_paged(pages)
    assert isinstance(doc.blocks[0].inlines[-1], NoteRef)
    assert doc.notes[0].text == "本文系某某项目的成果。"
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert headings == ["一 引言"]


def test_pages_outside_the_article_are_chrome_cover_before_title_and_back_matter_after_end_mark():
    cover = ["本期目录", "另一篇文章的标题", "作者甲"]
    pages = [cover] + article([["ROW", "正文结束。", "（责任编辑：某某）"], ["Abstract: another article."]])
    doc, _ = read_paged(pages)
    text = "".join(b.text for b in doc.blocks)
    assert "另一篇文章" not in text and "another article" not in text
    assert any(c.text == "Abstract: another article." and "outside the article" in c.reason for c in doc.chrome)
    assert not lost_characters(doc)


def test_page_range_from_metadata_cuts_the_article():
    pages = [["封面"]] + article([["ROW", "正文结束。"], ["ROW", "下一篇文章的正文。"]])
    doc, _ = read_paged(pages, pages_field="2-3")
    text = "".join(b.text for b in doc.blocks)
    assert "正文结束" in text and "下一篇文章" not in text and "封面" not in text
    assert pdf_text_pages.parse_range("2-23") == (2, 23) and pdf_text_pages.parse_range("x") is None


def test_two_interleaved_columns_read_left_then_right():
    lines = [Line(n, t) for n, t in enumerate(["左一", "", "右一", "", "左二", "左三", "", "① 注"], 1)]
    members = [i for i, line in enumerate(lines) if line.text]
    order = pdf_text_pages.deinterleave(members, {}, lambda block: "note" if lines[block[0]].text.startswith("①") else "body")
    assert [lines[i].text for i in order] == ["左一", "左二", "左三", "右一", "① 注"]


def _paged(rows: list[str]) -> tuple:
    """The rows as Lines, the indexes of the non-blank ones, and a paged reader of them."""
    lines = [Line(n, t) for n, t in enumerate(rows, 1)]
    members = [i for i, line in enumerate(lines) if line.text]
    reader = pdf_paged.PagedReader(Source(_meta(), "\n".join(rows)), ReadContext(Diagnostics()), set())
    return lines, members, reader


def test_the_editor_line_ends_its_column_and_is_read_after_both_columns():
    # the right column ends with the editor line, printed in pieces: its first piece right
    # after a left line (no blank line between), its name pieces apart between left lines (a
    # short heading among them is no piece: it has punctuation); the left column goes on
    # alone in two blocks (a heading's space between them)
    rows = ["左一", "", "右一", "", "左二", "", "右终。", "", "左三", "（责任编辑", "", "四、小结", "", "某",
            "", "某）", "", "左五", "左六", "", "五、结论", "左七", "", "① 注"]
    rows = [text + "中" * 16 if text[:1] in ("左", "右") else text for text in rows]  # column-wide lines
    lines, members, reader = _paged(rows)
    end = reader.editor_pieces(members, {})
    assert sorted(lines[i].text for i in end) == sorted(["（责任编辑", "某", "某）"])
    kind = lambda block: "note" if lines[block[0]].text.startswith("①") else "body"  # noqa: E731
    order = pdf_text_pages.deinterleave(members, {}, kind, end=end)
    assert [lines[i].text[:2] for i in order] == ["左一", "左二", "左三", "四、", "左五", "左六", "五、", "左七",
                                                 "右一", "右终", "（责", "某", "某）", "① "]


def test_an_editor_line_on_its_own_takes_the_next_column_and_a_closed_one_has_no_pieces():
    rows = ["左一", "", "右一", "", "左二", "", "（责任编辑：某某）", "", "左三", "", "左四"]
    lines, members, reader = _paged(rows)
    end = reader.editor_pieces(members, {})
    assert [lines[i].text for i in end] == ["（责任编辑：某某）"]
    order = pdf_text_pages.deinterleave(members, {}, lambda block: "body", end=end)
    assert [lines[i].text for i in order] == ["左一", "左二", "左三", "左四", "右一", "（责任编辑：某某）"]


def test_a_blank_line_after_every_line_is_not_two_columns():
    rows = []
    for _ in range(60):
        rows += ["ROW", ""]
    lines = [Line(n, t) for n, t in enumerate(rows, 1)]
    assert not pdf_text_pages.interleaved_columns(lines, 70)


DEVSET = ROOT.parent / "shared" / "devset"


@pytest.mark.skipif(not DEVSET.exists(), reason="devset not available")
@pytest.mark.parametrize("stem", ["01_latam-investment-security", "03_biden-institutions-bracket-refs",
                                  "05_canada-energy-curse"])
def test_devset_journal_pdfs_link_markers_on_their_page_and_lose_nothing(stem):
    raw = yaml.safe_load((DEVSET / f"{stem}.yml").read_text(encoding="utf-8"))
    doc_meta = DocMeta(id="t", title_zh=raw["title"]["zh"], kind="journal-article", reader="pdf_journal",
                       languages=["zh"], text_path=f"{stem}.txt", meta_path="t.yml",
                       private_use={str(k): v for k, v in (raw.get("private_use") or {}).items()})
    diag = Diagnostics()
    text, _ = decode((DEVSET / f"{stem}.txt").read_bytes(), stem)
    text, dropped = normalize_characters(text, doc_meta.private_use, stem, diag)
    doc = READERS["pdf_journal"](Source(doc_meta, text, dropped), ReadContext(diag))
    footnotes.resolve(doc, diag)
    refs = [n for b in doc.blocks for n in b.inlines if isinstance(n, (NoteRef, MissingNoteRef))]
    assert refs and sum(isinstance(r, NoteRef) for r in refs) >= 0.95 * len(refs)
    assert not lost_characters(doc)


def test_endnotes_under_a_notes_heading_are_a_document_wide_list():
    body = [["ROW", "第一句。① 第二句。② 完。"], ["ROW", "第三句。③ 完。", "", "注释：", "① 甲注。", "② 乙注，",
                                                 "续行。", "③ 丙注。"]]
    doc, _ = read_paged(article(body))
    assert [(n.label, n.text) for n in doc.notes] == [("①", "甲注。"), ("②", "乙注，续行。"), ("③", "丙注。")]
    assert all(n.referenced for n in doc.notes)
    assert not lost_characters(doc)


PIECES = ["\f", "\n", "\n\n", "①", "②", "③", "*", "∗", "［1］", "［ 2 ］", "参考文献", "注释：", "一", "引言", "（一）标题",
          "一、引言", "（责任编辑：某）", "( 责任编辑", "某)", "— 3 —", "12", "表1", "资料来源：某。", "图2", "正文句子，",
          "正文句子。", "很长的正文句子很长的正文句子很长的正文句子很长的正文句子。", "Latin words here,", "a   字母注。",
          "内容提要：摘要。", "关 键 词：甲 乙", "规则竞争研究", "规则竞争研究 ∗", "   ", "要］", "［摘", "■", "【"]


def test_paged_reading_of_random_pieces_never_fails_and_loses_nothing():
    import random

    rng = random.Random(14)
    for _ in range(300):
        text = "".join(rng.choice(PIECES) + rng.choice(["", " ", "\n"]) for _ in range(rng.randint(1, 60)))
        doc_meta = DocMeta(id="t", title_zh="规则竞争研究", kind="journal-article", reader="pdf_journal",
                           languages=["zh"], text_path="t.txt", meta_path="t.yml")
        doc_meta.pages = rng.choice(["", "", "1-2", "2-3"])
        diag = Diagnostics()
        normalised, dropped = normalize_characters(text, {}, "t.txt", diag)
        doc = READERS["pdf_journal"](Source(doc_meta, normalised, dropped), ReadContext(diag))
        footnotes.resolve(doc, diag)
        assert not lost_characters(doc), repr(text)


def test_a_repeated_sentence_end_at_page_feet_is_text_not_a_running_foot():
    assert pdf_text_pages.furniture_like("NORTHEAST ASIA FORUM")
    assert pdf_text_pages.furniture_like("■■■■■■")
    assert pdf_text_pages.furniture_like("加拿大何以隔绝“能源诅咒”？")
    assert not pdf_text_pages.furniture_like("1-32.")
    assert not pdf_text_pages.furniture_like("第 45 页。")
    body = [["ROW", f"正文第{n}页。", "① 某某：《书名》，", "第 45 页。"] for n in "二三四"]
    for page in body:
        page[1] = page[1].replace("。", "。①")
    doc, _ = read_paged(article(body))
    assert all(n.text.endswith("第 45 页。") for n in doc.notes)


def read_unpaged(pages: list[list[str]], title: str = "规则竞争研究") -> tuple:
    """The same pages with their form feeds lost (one newline between pages)."""
    doc_meta = DocMeta(id="t", title_zh=title, kind="journal-article", reader="pdf_journal", languages=["zh"],
                       text_path="t.txt", meta_path="t.yml")
    diag = Diagnostics()
    text = "\n".join("\n".join(p) for p in pages) + "\n"
    text, dropped = normalize_characters(text, {}, "t.txt", diag)
    doc = READERS["pdf_journal"](Source(doc_meta, text, dropped), ReadContext(diag))
    footnotes.resolve(doc, diag)
    return doc, diag


def numbered_pages(count: int, head_first: bool) -> list[list[str]]:
    """Pages with the page number printed at the foot (``— n —``) or under the running head."""
    pages = []
    for n in range(1, count + 1):
        body = ["甲乙丙丁戊己"[n - 1] + ROW[k:] + ROW[:k] for k in range(10)] + [f"第{n}页的句子。完。"]
        if head_first:
            pages.append(["某某研究 2030 年第 1 期", "", str(n + 40), ""] + body)
        else:
            pages.append(["某某研究 2030 年第 1 期", ""] + body + ["", f"— {n + 40} —"])
    return pages


def lines_of(pages: list[list[str]]) -> list:
    return [Line(n, t) for n, t in enumerate("\n".join("\n".join(p) for p in pages).split("\n"), 1)]


@pytest.mark.parametrize("head_first", [False, True])
def test_lost_form_feeds_recovered_from_rising_page_numbers_near_running_heads(head_first):
    pages = numbered_pages(4, head_first)
    starts = [1 + sum(len(p) for p in pages[:k]) for k in range(1, 4)]
    assert pdf_text_pages.inferred_breaks(lines_of(pages)) == set(starts)


def test_text_without_form_feeds_read_page_by_page_like_the_text_with_them():
    body = [["ROW"] * 9 + [f"第{n}页的句子。① 完。", "", f"① 第{n}页的注释。"] for n in range(1, 5)]
    doc, _ = read_unpaged(article(body))
    paged, _ = read_paged(article(body))
    assert [b.text for b in doc.blocks] == [b.text for b in paged.blocks]
    notes = [n for n in doc.notes if n.referenced]
    assert [n.text for n in notes] == [f"第{n}页的注释。" for n in range(1, 5)]
    assert {c.reason for c in doc.chrome} >= {"page number", "running head"}


def test_lost_form_feeds_not_guessed_from_too_few_or_unordered_numbers():
    assert pdf_text_pages.inferred_breaks(lines_of(numbered_pages(2, False))) == set()
    shuffled = numbered_pages(4, False)
    shuffled[1][-1], shuffled[2][-1] = shuffled[2][-1], "— 7 —"
    assert pdf_text_pages.inferred_breaks(lines_of(shuffled)) == set()
    headless = [page[2:] for page in numbered_pages(5, False)]  # numbers with no running head by them
    assert pdf_text_pages.inferred_breaks(lines_of(headless)) == set()


def test_a_foot_printed_after_the_page_number_stays_on_its_page():
    pages = numbered_pages(5, False)
    pages[1].append("Journal of Studies，Vol． 3，2019，pp． 1 － 9．")  # the other column's last note line
    starts = [1 + sum(len(p) for p in pages[:k]) for k in range(1, 5)]
    assert pdf_text_pages.inferred_breaks(lines_of(pages)) == set(starts)
