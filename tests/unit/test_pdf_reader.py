"""The pdf reader: a journal article read from its page layout (characters with font, size and
position). Most tests give the reader synthetic pages (glyph lists, so any character and layout
can be set up); a few write small real PDFs with PDFium itself; the devset tests read page
ranges of the real PDFs in ../shared/devset when it is there."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path

import pytest

from builder import footnotes
from builder.config import load_corpus
from builder.diagnostics import Diagnostics
from builder.errors import SourceError
from builder.models import DocMeta, Marker, MissingNoteRef, NoteRef, Text
from builder.readers import ReadContext, Source, pdf, pdf_layout
from builder.readers.pdf_layout import Glyph, Page
from builder.report import conservation

ROOT = Path(__file__).resolve().parents[2]
DEVSET = ROOT.parent / "shared" / "devset"
W, H = 600.0, 800.0
LEFT, RIGHT = 72.0, 512.0  # the text block: 44 Chinese characters of 10 pt


# --------------------------------------------------------------------------- synthetic pages


def glyphs(text: str, x: float, base: float, size: float = 10.0, font: str = "Song") -> list[Glyph]:
    """Characters set from x on a baseline: Chinese a full em wide, others half an em."""
    out = []
    for char in text:
        width = size if ord(char) > 0x2000 else size / 2
        if char != " ":
            out.append(Glyph(char, x, base - 0.88 * size, x + width, base + 0.12 * size, size, font, base))
        x += width
    return out


def body_row(text: str, base: float, indent: bool = False) -> list[Glyph]:
    return glyphs(text, LEFT + (20 if indent else 0), base)


def page(number: int, *rows: list[Glyph], head: str = "学刊 2024 年第 1 期") -> Page:
    """A page with a running head and a page number in the margins."""
    chars = glyphs(head, 200, 40, 8, "Hei") + glyphs(f"— {number} —", 280, 780, 8, "Hei")
    for row in rows:
        chars += row
    return Page(number, W, H, chars)


def raised(label: str, x: float, base: float, size: float = 6.0) -> list[Glyph]:
    return glyphs(label, x, base - 3, size, "Sym")


def note_row(text: str, base: float) -> list[Glyph]:
    return glyphs(text, LEFT, base, 8.0)


FULL = "中" * 44  # a full body row


def meta(**fields) -> DocMeta:
    data = dict(id="t", title_zh="测试标题", kind="journal-article", reader="pdf", languages=["zh"],
                text_path="corpus/t.pdf", meta_path="corpus/t.yml")
    data.update(fields)
    return DocMeta(**data)


def read(page_list: list[Page], **fields):
    diag = Diagnostics()
    doc = pdf.read_pages(Source(meta(**fields), ""), ReadContext(diag), page_list)
    footnotes.resolve(doc, diag)
    return doc, diag


def one_column_article() -> list[Page]:
    """Title page with a starred funding note; a paragraph running over a page break with a
    circled marker on each page, whose notes restart at ① on every page; a numbered heading."""
    p1 = page(1,
              glyphs("测试标题", 200, 120, 20, "Hei"), raised("*", 280, 116, 12),
              body_row("甲" * 43 + "，", 200, indent=True)[:-1], body_row("乙" * 10 + "。", 215),
              body_row("丙" * 44, 230, indent=True)[:-2],
              body_row("丁" * 20 + "结束语", 245) + raised("①", LEFT + 230, 245),
              body_row("戊" * 44, 260),
              body_row("己" * 44, 275),
              note_row("* 基金项目说明。", 700),
              note_row("① 第一页的注释。", 715),
              head="")
    p2 = page(2,
              body_row("庚" * 30 + "。", 100) + raised("①", LEFT + 310, 100),
              glyphs("一、引言", 250, 130, 14, "Hei"),
              body_row("辛" * 44, 160, indent=True)[:-2],
              body_row("壬" * 12 + "。", 175),
              note_row("① 第二页的注释。", 715))
    p3 = page(3, body_row("癸" * 44, 100, indent=True)[:-2], body_row("子" * 9 + "。", 115),
              body_row("丑" * 44, 130, indent=True)[:-2], body_row("寅" * 9 + "。", 145))
    return [p1, p2, p3]


# --------------------------------------------------------------------------- layout rules


def test_fragments_break_at_a_wide_gap_and_keep_one_baseline():
    chars = glyphs("甲乙丙", 72, 100) + glyphs("丁戊", 140, 100) + glyphs("己", 72, 120)
    frags = pdf_layout.fragments_of(chars)
    assert [f.text for f in frags] == ["甲乙丙", "丁戊", "己"]


def test_word_spaces_from_gaps_between_latin_characters_only():
    chars = glyphs("Resource", 72, 100) + glyphs("curse", 72 + 8 * 5 + 3, 100)
    assert pdf_layout.fragments_of(chars)[0].text == "Resource curse"
    spaced = glyphs("国", 72, 100) + glyphs("际", 86, 100) + glyphs("2024", 100, 100)  # letter-spaced
    assert pdf_layout.fragments_of(spaced)[0].text == "国际2024"


def test_raised_smaller_fragment_becomes_a_superscript_of_the_row_it_touches():
    chars = glyphs("甲乙丙", 72, 100) + raised("②", 102, 100) + glyphs("丁", 109, 100)
    frags = pdf_layout.attach_superscripts(pdf_layout.fragments_of(chars))
    rows = pdf_layout.rows_of(frags, 1, None)
    assert len(rows) == 1
    pieces = rows[0].pieces
    assert pieces[0] == "甲乙丙" and isinstance(pieces[1], pdf_layout.Raised) and pieces[2] == "丁"


def test_a_small_fragment_far_from_any_text_is_no_superscript():
    chars = glyphs("甲乙丙", 200, 100) + raised("*", 72, 100)
    frags = pdf_layout.attach_superscripts(pdf_layout.fragments_of(chars))
    assert len(frags) == 2 and not any(f.supers for f in frags)


def test_two_columns_found_and_read_left_then_right():
    chars = glyphs("题目横跨两栏的一行文字" * 3, 72, 60)
    for i in range(10):
        chars += glyphs(f"左{i}" + "左" * 18, 72, 100 + 15 * i)
        chars += glyphs(f"右{i}" + "右" * 18, 312, 100 + 15 * i)
    frags = pdf_layout.fragments_of(chars)
    columns = pdf_layout.find_columns(frags, 10.0)
    assert columns is not None and 267 <= columns.gutter <= 312
    rows = pdf_layout.rows_of(frags, 1, columns)
    texts = [r.text[:2] for r in rows]
    assert texts[0] == "题目" and texts[1:11] == [f"左{i}" for i in range(10)] and texts[11] == "右0"


def test_two_column_sections_around_a_wide_figure_and_notes_across_the_foot():
    chars = []
    for i in range(8):
        chars += glyphs(f"上左{i}" + "左" * 17, 72, 100 + 15 * i) + glyphs(f"上右{i}" + "右" * 17, 312, 100 + 15 * i)
    chars += glyphs("图 1 一幅横跨两栏的图的说明文字，写得比一栏还要宽一些", 100, 240, 10)
    for i in range(4):
        chars += glyphs(f"下左{i}" + "左" * 17, 72, 270 + 15 * i) + glyphs(f"下右{i}" + "右" * 17, 312, 270 + 15 * i)
    chars += glyphs("① 横跨两栏的页下注，比一栏宽得多，一直写到右边的栏里去，再写上十几个字才到头。", 72, 700, 8)
    frags = pdf_layout.fragments_of(chars)
    columns = pdf_layout.find_columns(frags, 10.0)
    assert columns is not None and len(columns.bands) == 2
    order = [r.text.replace(" ", "")[:2] for r in pdf_layout.rows_of(frags, 1, columns)]
    assert order == ["上左"] * 8 + ["上右"] * 8 + ["图1"] + ["下左"] * 4 + ["下右"] * 4 + ["①横"]


def test_one_column_and_a_table_are_no_columns():
    one = []
    for i in range(12):
        one += glyphs("中" * (44 if i % 3 else 20), 72, 100 + 15 * i)
    assert pdf_layout.find_columns(pdf_layout.fragments_of(one), 10.0) is None
    table = []
    for i in range(10):
        table += glyphs("变量" + str(i), 90 + (i % 3) * 7, 100 + 15 * i) + glyphs("来源", 330 + (i % 4) * 9, 100 + 15 * i)
    assert pdf_layout.find_columns(pdf_layout.fragments_of(table), 10.0) is None


# --------------------------------------------------------------------------- the reader


def test_chrome_markers_notes_paragraphs_and_headings():
    doc, _ = read(one_column_article())
    reasons = {c.reason for c in doc.chrome}
    assert {"running head", "page number"} <= reasons
    kinds = [(b.kind, b.level) for b in doc.blocks]
    assert kinds == [("paragraph", 0), ("paragraph", 0), ("paragraph", 0), ("heading", 2), ("paragraph", 0),
                     ("paragraph", 0), ("paragraph", 0)]
    first, running = doc.blocks[1], doc.blocks[2]
    assert first.text == "甲" * 43 + "乙" * 10 + "。"
    # the paragraph crosses the page break: one block, the break recorded, each ① its page's note
    refs = [n for n in running.inlines if isinstance(n, NoteRef)]
    assert [doc.notes[r.number - 1].text for r in refs] == ["第一页的注释。", "第二页的注释。"]
    assert running.page_breaks and running.page_breaks[0][1] == 2
    assert doc.blocks[3].text == "一、引言"


def test_funding_note_of_the_title_keeps_its_marker_after_the_printed_title():
    doc, _ = read(one_column_article())
    first = doc.blocks[0]
    assert first.text == "测试标题*" and isinstance(first.inlines[-1], NoteRef)
    assert doc.notes[first.inlines[-1].number - 1].text == "基金项目说明。"
    assert not any(not n.referenced for n in doc.notes)
    star = [n for n in doc.raw_notes if n.label == "*"]
    assert star and star[0].page == 0
    circled = [n for n in doc.raw_notes if n.label == "①"]
    assert sorted(n.page for n in circled) == [1, 2]


def test_every_character_is_placed_and_counted_against_the_extracted_text():
    doc, _ = read(one_column_article())
    chars_in, on_page, dropped = conservation(doc)
    assert chars_in == on_page + dropped and on_page > 0
    assert "— 2 —" in doc.source_text and "第二页的注释。" in doc.source_text
    lines = doc.source_text.split("\n")
    assert all(lines[c.line - 1].strip() == c.text for c in doc.chrome)


def test_a_note_broken_after_a_full_stop_goes_on_at_the_top_of_the_next_page_notes():
    pages = one_column_article()
    second = pages[1]
    moved = [g for g in second.glyphs if g.top < 690]  # page 2 without its note
    carry = glyphs("另参见" + "某" * 50 + "。", LEFT, 703, 8.0)  # a full row, close above ①
    pages[1] = Page(2, W, H, moved + carry + note_row("① 第二页的注释。", 715))
    doc, _ = read(pages)
    first_page_note = next(n for n in doc.raw_notes if n.page == 1 and n.label == "①")
    assert first_page_note.text == "第一页的注释。另参见" + "某" * 50 + "。"


def test_short_notes_side_by_side_on_one_row_are_split_at_their_labels():
    p = page(1, glyphs("测试标题", 200, 120, 20, "Hei"),
             body_row("第一句" * 5, 200, indent=True) + raised("①", LEFT + 20 + 150, 200)
             + glyphs("第二句。", LEFT + 20 + 157, 200) + raised("②", LEFT + 20 + 197, 200),
             note_row("① 同上。", 715) + glyphs("② 同上，第 5 页。", 200, 715, 8.0), head="")
    doc, _ = read([p, page(2, body_row(FULL, 100)), page(3, body_row(FULL, 100))])
    refs = [n for n in doc.blocks[0].inlines if isinstance(n, NoteRef)]
    assert [doc.notes[r.number - 1].text for r in refs] == ["同上。", "同上，第 5 页。"]


def test_label_only_fragments_raised_at_full_size_or_small_on_the_baseline_are_markers():
    body = (body_row("正文" * 4, 200, indent=True) + glyphs("①", LEFT + 100, 196, 10, "Sym")
            + glyphs("续文" * 4, LEFT + 110, 200) + glyphs("②", LEFT + 190, 200, 7, "Sym"))
    p = page(1, glyphs("测试标题", 200, 120, 20, "Hei"), body,
             note_row("① 甲。", 700), note_row("② 乙。", 715), head="")
    doc, _ = read([p, page(2, body_row(FULL, 100)), page(3, body_row(FULL, 100))])
    refs = [n for n in doc.blocks[0].inlines if isinstance(n, NoteRef)]
    assert [doc.notes[r.number - 1].text for r in refs] == ["甲。", "乙。"]


def test_watermark_in_the_middle_and_a_vertical_margin_label_are_chrome():
    def stamped(p: Page) -> Page:
        mark = glyphs("下载时间 2024-01-01", 250, 400, 9, "Arial")
        side = [Glyph(c, 20, 300 + 12 * i, 30, 310 + 12 * i, 10, "Hei", 310 + 12 * i) for i, c in enumerate("中国知网")]
        return Page(p.number, p.width, p.height, p.glyphs + mark + side)

    doc, _ = read([stamped(p) for p in one_column_article()])
    reasons = [c.reason for c in doc.chrome]
    stamps = reasons.count("repeated on most pages (a watermark or stamp)")
    labels = reasons.count("outside the text block (a label in the page margin)")
    assert stamps >= 3 and stamps + labels == 15  # the stamp and the label's 4 characters, on 3 pages
    assert not any("下载时间" in b.text or "知网" in b.text for b in doc.blocks)


def test_superscript_digit_characters_are_markers_when_a_note_has_the_label():
    p = page(1, glyphs("测试标题", 200, 120, 20, "Hei"),
             body_row("正文一句。¹又一句²³。", 200, indent=True),
             note_row("1 第一条。", 715), head="")
    doc, _ = read([p, page(2, body_row(FULL, 100)), page(3, body_row(FULL, 100))])
    inlines = doc.blocks[0].inlines
    assert isinstance(inlines[1], NoteRef) and doc.notes[inlines[1].number - 1].text == "第一条。"
    assert doc.blocks[0].text.endswith("又一句²³。")  # no note 23: text


def test_a_raised_range_of_reference_numbers_is_one_marker_per_number():
    refs = [note_row(f"［{n}］ 文献{n}。", 640 + 15 * n) for n in range(1, 5)]
    p = page(1, glyphs("测试标题", 200, 120, 20, "Hei"),
             body_row("正文一句。", 200, indent=True) + raised("［1-3］", LEFT + 20 + 50, 200),
             body_row("再一句。", 215) + raised("［2，4］", LEFT + 40, 215), *refs, head="")
    doc, _ = read([p, page(2, body_row(FULL, 300)), page(3, body_row(FULL, 300))])
    refs_in_body = [n for b in doc.blocks for n in b.inlines if isinstance(n, NoteRef)]
    assert [doc.notes[r.number - 1].text for r in refs_in_body] == ["文献1。", "文献2。", "文献3。", "文献2。", "文献4。"]
    chars_in, on_page, dropped = conservation(doc)
    assert chars_in == on_page + dropped


def test_a_raised_number_without_a_note_of_that_label_stays_text():
    p = page(1, glyphs("测试标题", 200, 120, 20, "Hei"),
             body_row("面积为一百平方米", 200, indent=True) + raised("2", LEFT + 20 + 80, 200),
             body_row("其余" * 10 + "。", 215), head="")
    doc, _ = read([p, page(2, body_row(FULL, 100)), page(3, body_row(FULL, 100))])
    assert not any(isinstance(n, (Marker, NoteRef, MissingNoteRef)) for b in doc.blocks for n in b.inlines)
    assert "2" in doc.blocks[0].text


def test_marker_whose_note_is_missing_is_shown():
    p = page(1, glyphs("测试标题", 200, 120, 20, "Hei"),
             body_row("正文" * 5, 200, indent=True) + raised("③", LEFT + 20 + 100, 200), head="")
    doc, _ = read([p, page(2, body_row(FULL, 100)), page(3, body_row(FULL, 100))])
    assert any(isinstance(n, MissingNoteRef) and n.label == "③" for n in doc.blocks[0].inlines)


def test_private_use_stand_ins_mapped_and_full_width_folded():
    p = page(1, glyphs("测试标题", 200, 120, 20, "Hei"),
             body_row("２０２４年\ua3ac资源\ua3ae", 200, indent=True), head="")
    doc, _ = read([p, page(2, body_row(FULL, 100)), page(3, body_row(FULL, 100))],
                  private_use={"A3AC": "，", "A3AE": "。"})
    assert doc.blocks[0].text == "2024年，资源。"


def test_cover_page_before_the_title_page_and_pages_after_the_article_are_chrome():
    cover = Page(1, W, H, glyphs("本期目录 另一篇文章", 100, 100, 12, "Kai"))
    pages = [cover] + [Page(p.number + 1, p.width, p.height, p.glyphs) for p in one_column_article()]
    other = Page(5, W, H, glyphs("Another article's abstract in another font.", 72, 100, 10, "Times"))
    doc, _ = read(pages + [other])
    reasons = {c.reason: c.text for c in doc.chrome}
    assert reasons["cover page (before the article's first page)"] == "本期目录另一篇文章"
    assert reasons["page after the article (other material of the issue)"].startswith("Another")


def test_a_numbered_heading_in_body_type_before_an_indented_paragraph():
    filler = [body_row(FULL, 100 + 15 * i) for i in range(6)]
    p = page(1, glyphs("测试标题", 200, 120, 20, "Hei"), body_row("前文" * 10 + "。", 200, indent=True),
             body_row("（一）发展历程", 215), body_row("后文" * 10 + "。", 230, indent=True),
             body_row("（二）又一项而句子未完，", 245), body_row("接着写下去。", 260), head="")
    doc, _ = read([p, page(2, *filler), page(3, *filler)])
    assert [(b.kind, b.text) for b in doc.blocks][:3] == [
        ("paragraph", "前文" * 10 + "。"), ("heading", "（一）发展历程"), ("paragraph", "后文" * 10 + "。")]
    assert doc.blocks[3].text.startswith("（二）又一项")


def test_a_cover_sheet_printing_the_title_smaller_is_a_cover_page():
    cover = Page(1, W, H, glyphs("网络首发论文", 100, 100, 16, "Hei") + glyphs("题目：测试标题", 100, 140, 14, "Hei"))
    pages = [cover] + [Page(p.number + 1, p.width, p.height, p.glyphs) for p in one_column_article()]
    doc, _ = read(pages)
    assert {c.text for c in doc.chrome if c.reason.startswith("cover page")} == {"网络首发论文", "题目：测试标题"}
    assert doc.blocks[0].text == "测试标题*" and not any(b.kind == "heading" and "测试" in b.text for b in doc.blocks)


def test_a_quotation_in_smaller_type_stays_in_the_body_as_a_quote():
    filler = [body_row(FULL, 100 + 15 * i) for i in range(6)]
    p = page(1, glyphs("测试标题", 200, 120, 20, "Hei"), body_row("引文之前。" * 4, 200, indent=True),
             glyphs("引" * 48, 92, 215, 8, "Kai"), glyphs("文" * 48, 92, 227, 8, "Kai"), glyphs("完。", 92, 239, 8, "Kai"),
             body_row("其后" * 10 + "。", 255, indent=True), head="")
    doc, _ = read([p, page(2, *filler), page(3, *filler)])
    assert [(b.kind, b.text[:2]) for b in doc.blocks][:3] == [("paragraph", "引文"), ("quote", "引引"), ("paragraph", "其后")]
    assert not doc.backmatter


def test_small_rows_between_body_rows_are_listed_as_tables_not_paragraphs():
    p = page(1, glyphs("测试标题", 200, 120, 20, "Hei"),
             body_row("正文" * 10 + "。", 200, indent=True),
             glyphs("表 1 变量", 200, 230, 9, "Hei"), glyphs("甲", 100, 245, 8) + glyphs("乙", 300, 245, 8),
             body_row("其后" * 10 + "。", 275, indent=True), head="")
    filler = [body_row(FULL, 100 + 15 * i) for i in range(6)]
    doc, _ = read([p, page(2, *filler), page(3, *filler)])
    assert [b.text for b in doc.blocks][:2] == ["正文" * 10 + "。", "其后" * 10 + "。"]
    assert doc.backmatter and doc.backmatter[0].items[0].text.startswith("表 1 变量")


# --------------------------------------------------------------------------- real PDFs


def make_pdf(pages: list[list[tuple[str, float, float, float]]]) -> bytes:
    """A PDF of rows (text, x, baseline from the top, size) in Helvetica, written by PDFium."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument.new()
    for rows in pages:
        new = document.new_page(W, H)
        font = raw.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
        for text, x, y, size in rows:
            obj = raw.FPDFPageObj_CreateTextObj(document.raw, font, size)
            buffer = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            raw.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, H - y)
            raw.FPDFPage_InsertObject(new.raw, obj)
        raw.FPDFPage_GenerateContent(new.raw)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def latin_article() -> bytes:
    """Three pages: a running head and page number each, a title, a numbered note 1 whose raised
    marker sits in the body, two columns on page 2."""
    words = "the resource curse literature grows"
    p1 = [("Journal of Tests 2024", 200, 40, 8), ("A Test Title", 200, 100, 20),
          ("   " + words + " quickly and", 72, 200, 10), ("in many directions.", 72, 215, 10),
          ("1", 72 + 5.2 * 17, 211, 6), ("1 A note on the literature.", 72, 700, 8), ("1", 290, 780, 8)]
    p2 = [("Journal of Tests 2024", 200, 40, 8), ("2", 290, 780, 8)]
    for i in range(8):
        p2.append((f"left column row {i} of the text and some more", 72, 100 + 15 * i, 10))
        p2.append((f"right column row {i} of the text, more", 320, 100 + 15 * i, 10))
    p3 = [("Journal of Tests 2024", 200, 40, 8), ("3", 290, 780, 8), ("   The end of it.", 72, 100, 10)]
    return make_pdf([p1, p2, p3])


def test_a_real_pdf_read_end_to_end():
    diag = Diagnostics()
    doc = pdf.read(Source(meta(title_zh="A Test Title", languages=["en"]), "", data=latin_article()),
                   ReadContext(diag))
    footnotes.resolve(doc, diag)
    assert "A Test Title" in doc.metadata_lines
    texts = [b.text for b in doc.blocks]
    assert texts[0].startswith("the resource curse literature grows quickly and in many directions")
    refs = [n for n in doc.blocks[0].inlines if isinstance(n, NoteRef)]
    assert len(refs) == 1 and doc.notes[0].text == "A note on the literature."
    text = " ".join(texts)
    assert text.index("left column row 7") < text.index("right column row 0")  # left column first
    assert {"running head", "page number"} <= {c.reason for c in doc.chrome}
    chars_in, on_page, dropped = conservation(doc)
    assert chars_in == on_page + dropped


def test_a_rotated_page_is_read_in_its_own_coordinates():
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(latin_article())
    document[1].set_rotation(90)
    out = io.BytesIO()
    document.save(out)
    doc = pdf.read(Source(meta(title_zh="A Test Title", languages=["en"]), "", data=out.getvalue()),
                   ReadContext(Diagnostics()))
    assert "left column row 0" in " ".join(b.text for b in doc.blocks)
    assert not any(c.reason == "text printed outside the page" for c in doc.chrome)


def test_damaged_and_textless_pdfs_are_one_line_errors():
    with pytest.raises(SourceError) as damaged:
        pdf_layout.read_pdf(b"%PDF-1.7\nnot really a pdf", "corpus/x.pdf")
    assert str(damaged.value).startswith("corpus/x.pdf: ") and "\n" not in str(damaged.value)
    with pytest.raises(SourceError) as scanned:
        pdf_layout.read_pdf(make_pdf([[]]), "corpus/y.pdf")
    assert "no text layer" in str(scanned.value)


def test_an_unreadable_pdf_is_a_warning_naming_it_and_the_library_still_builds(tmp_path):
    from tinyproject import make_project, meta as project_meta, run_cli

    root = make_project(tmp_path, {"good": ("一、引言\n\n正文一段。\n", project_meta("good")),
                                   "bad": (b"%PDF-1.7\ngarbage", project_meta("bad"))})
    (root / "corpus" / "bad.txt").rename(root / "corpus" / "bad.pdf")
    result = run_cli(root, "check")
    assert result.returncode == 0, result.stderr
    assert "corpus/bad.pdf: [source.unreadable] not a readable PDF" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_config_reads_the_pdf_when_a_text_of_the_same_stem_is_beside_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.pdf").write_bytes(latin_article())
    (corpus / "a.txt").write_text("the text extraction", encoding="utf-8")
    (corpus / "a.yml").write_text("id: a\ntitle: {zh: 测试}\nkind: journal-article\nreader: pdf_journal\n"
                                  "languages: [zh]\n", encoding="utf-8")
    [doc] = load_corpus(corpus, tmp_path)
    assert doc.text_path == "corpus/a.pdf" and doc.reader == "pdf"


def test_reader_pdf_for_a_text_source_is_a_config_problem(tmp_path):
    from builder.errors import ConfigError

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("正文。", encoding="utf-8")
    (corpus / "a.yml").write_text("id: a\ntitle: {zh: 测试}\nkind: journal-article\nreader: pdf\nlanguages: [zh]\n",
                                  encoding="utf-8")
    with pytest.raises(ConfigError) as problem:
        load_corpus(corpus, tmp_path)
    assert "corpus/a.yml" in str(problem.value) and "reads a PDF" in str(problem.value)


def test_a_page_range_in_the_metadata_cuts_the_article():
    pages = one_column_article()
    doc_all, _ = read(pages)
    assert not any(c.reason.startswith("page after") for c in doc_all.chrome)
    meta_fields = {"pages": "1-2"} if "pages" in DocMeta.__dataclass_fields__ else None
    if meta_fields is None:
        pytest.skip("DocMeta has no pages field")
    doc, _ = read(pages, **meta_fields)
    cut = [c for c in doc.chrome if c.reason.startswith("page after")]
    assert cut and all("癸" in c.text or "子" in c.text or "丑" in c.text or "寅" in c.text or "学刊" in c.text
                       or "—" in c.text for c in cut)


# --------------------------------------------------------------------------- devset PDFs


def devset_pdf(number: str) -> Path:
    found = sorted(DEVSET.glob(f"{number}_*.pdf")) if DEVSET.is_dir() else []
    if not found:
        pytest.skip("../shared/devset is not here")
    return found[0]


def read_devset(number: str):
    path = devset_pdf(number)
    from builder.config import _load_meta

    problems: list[str] = []
    doc_meta = _load_meta(path.with_suffix(".yml"), path, DEVSET, problems)
    diag = Diagnostics()
    doc = pdf.read(Source(doc_meta, "", data=path.read_bytes()), ReadContext(diag))
    footnotes.resolve(doc, diag)
    return doc


def test_devset_two_columns_read_in_order_and_every_marker_resolved():
    doc = read_devset("02")
    refs = [n for b in doc.blocks for n in b.inlines if isinstance(n, (NoteRef, MissingNoteRef))]
    assert len(refs) >= 60 and all(isinstance(r, NoteRef) for r in refs)
    body = "".join("".join(b.text.split()) for b in doc.blocks)
    # page 3: the left column ends "…重要一环。" … "基本面貌。"; the right column starts with the heading
    assert body.index("现该领域发展的基本面貌") < body.index("二、“经济资源诅咒”病理学的演进历程")
    assert any(b.kind == "heading" and b.text.startswith("二、") for b in doc.blocks)


def test_devset_reference_list_is_document_wide_and_cited_twice():
    doc = read_devset("03")
    refs = [n for b in doc.blocks for n in b.inlines if isinstance(n, (NoteRef, MissingNoteRef))]
    assert len(refs) == 35 and all(isinstance(r, NoteRef) for r in refs)
    listed = [n for n in doc.raw_notes if n.label.startswith("［")]
    assert len(listed) == 32 and all(n.page == 0 for n in listed)
    assert [b.text for b in doc.blocks if b.kind == "heading"][-1] == "参考文献"


def test_devset_pages_after_the_article_are_not_read_as_the_article():
    doc = read_devset("04")
    assert any(c.reason.startswith("page after the article") for c in doc.chrome)
    assert not any("Abstract" in b.text for b in doc.blocks)


# --------------------------------------------------------------------------- any layout


def test_any_layout_reads_without_error_and_places_every_character():
    """Random rows of random sizes, labels and raised marks anywhere on a few pages: the reader
    never fails and every character ends up on the page or in the chrome list."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    texts = st.text(alphabet="中文字①②*［1］ab.。，12 ", min_size=1, max_size=30)
    row = st.tuples(texts, st.floats(0, 560), st.floats(-20, 820), st.sampled_from([6.0, 8.0, 10.0, 14.0, 20.0]),
                    st.sampled_from(["Song", "Hei"]))
    pages = st.lists(st.lists(row, max_size=25), min_size=1, max_size=4)

    @settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(pages)
    def check(spec):
        built = [Page(n, W, H, [g for text, x, y, size, font in rows for g in glyphs(text, x, y, size, font)])
                 for n, rows in enumerate(spec, 1)]
        if not any(p.glyphs for p in built):
            return
        doc, _ = read(built)
        chars_in, on_page, dropped = conservation(doc)
        assert chars_in == on_page + dropped

    check()
