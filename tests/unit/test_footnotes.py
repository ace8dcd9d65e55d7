"""Footnote resolution: conventions, page scoping, missing and orphan notes, cross-references,
and property-based tests that false friends (years, ranges, model numbers, decimals, list
numbers, letters inside words, the article "a") never become markers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder import footnotes
from builder.diagnostics import Diagnostics
from builder.models import Block, DocMeta, Document, Link, MissingNoteRef, NoteRef, RawNote, Text


def make_doc(paragraphs: list[tuple[str, int]], notes: list[RawNote], style: str = "auto",
             lang: str = "zh") -> Document:
    meta = DocMeta(id="t", title_zh="t", kind="journal-article", reader="pdf_journal", languages=[lang],
                   text_path="t.txt", meta_path="t.yml", note_style=style)
    blocks = [Block("paragraph", [Text(text)], lang=lang, line=i + 1, page=page)
              for i, (text, page) in enumerate(paragraphs)]
    return Document(meta=meta, blocks=blocks, raw_notes=notes)


def refs(doc: Document) -> list:
    return [n for b in doc.blocks for n in b.inlines if isinstance(n, (NoteRef, MissingNoteRef))]


def resolve(doc: Document) -> Diagnostics:
    diag = Diagnostics()
    footnotes.resolve(doc, diag)
    return diag


# --------------------------------------------------------------------------- conventions


def test_circled_markers_resolve_to_the_note_of_their_own_page() -> None:
    doc = make_doc([("第一页的句子。①第二句。②", 0), ("第二页的句子。①", 1)],
                   [RawNote("①", "第一页注一", 10, 0), RawNote("②", "第一页注二", 11, 0),
                    RawNote("①", "第二页注一", 20, 1)])
    resolve(doc)
    numbers = [r.number for r in refs(doc)]
    assert numbers == [1, 2, 3]
    assert [n.text for n in doc.notes] == ["第一页注一", "第一页注二", "第二页注一"]
    assert doc.stats.markers_resolved == 3 and doc.stats.missing_notes == 0


def test_a_marker_is_never_attached_to_another_pages_note() -> None:
    doc = make_doc([("第一页。①", 0), ("第二页。②", 1)], [RawNote("②", "第一页的注二", 5, 0)])
    resolve(doc)
    kinds = [type(r).__name__ for r in refs(doc)]
    assert kinds == ["MissingNoteRef", "MissingNoteRef"]
    assert [n.referenced for n in doc.notes] == [False]  # shown as an orphan, never guessed


def test_page_break_inside_a_paragraph_scopes_markers_by_offset() -> None:
    doc = make_doc([("上一页的句子。①下一页的句子。①", 0)],
                   [RawNote("①", "上页注", 3, 0), RawNote("①", "下页注", 9, 1)])
    doc.blocks[0].page_breaks = [(8, 1)]
    resolve(doc)
    assert [n.text for n in doc.notes] == ["上页注", "下页注"]


def test_superscripts_are_global_and_plain_number_notes_match_them() -> None:
    doc = make_doc([("例证之一¹。另一处²。", 0), ("后文³。", 3)],
                   [RawNote("1", "注一", 5), RawNote("²", "注二", 6), RawNote("3", "注三", 7)])
    resolve(doc)
    assert doc.note_style == "superscript"
    assert [r.number for r in refs(doc)] == [1, 2, 3]
    assert [n.label for n in doc.notes][:1] in (["1"], ["¹"])


def test_letter_markers_glued_after_chinese_text() -> None:
    doc = make_doc([("从2005年的1100.3亿美元a增长到3620亿美元；b商业太空", 0)],
                   [RawNote("a", "注a", 3, 0), RawNote("b", "注b", 4, 0)])
    resolve(doc)
    assert doc.note_style == "letter"
    assert [r.label for r in refs(doc)] == ["a", "b"]
    assert doc.blocks[0].text.startswith("从2005年的1100.3亿美元a增长")


def test_missing_note_is_shown_and_reported() -> None:
    doc = make_doc([("句子。①另一句。②", 0)], [RawNote("①", "只有第一条", 3, 0)])
    diag = resolve(doc)
    assert [type(r).__name__ for r in refs(doc)] == ["NoteRef", "MissingNoteRef"]
    assert doc.stats.missing_notes == 1
    assert any(w.code == "footnote.missing-note" and "②" in w.message for w in diag.warnings)


def test_orphan_note_is_kept_and_reported() -> None:
    doc = make_doc([("句子。①", 0)], [RawNote("①", "有标记", 3, 0), RawNote("②", "无标记", 4, 0)])
    diag = resolve(doc)
    orphans = [n for n in doc.notes if not n.referenced]
    assert [n.text for n in orphans] == ["无标记"]
    assert doc.stats.orphan_notes == 1
    assert any(w.code == "footnote.orphan-note" for w in diag.warnings)


def test_cross_references_between_notes_become_links() -> None:
    doc = make_doc([("甲¹。乙²。丙³。", 0)],
                   [RawNote("1", "英国国防部：《战略国防审查》。", 1), RawNote("2", "参见（注释1），第98页。", 2),
                    RawNote("3", "同上。", 3)])
    resolve(doc)
    links = {n.number: [i for i in n.inlines if isinstance(i, Link)] for n in doc.notes}
    assert [link.url for link in links[2]] == ["#fn:1"]
    assert [link.url for link in links[3]] == ["#fn:2"]
    assert doc.stats.crossrefs_resolved == 2


def test_numeric_markers_in_english_text_follow_the_running_sequence() -> None:
    text = ("In 2014, Russia sold S-500 systems, 3.5 tons in all, to satellites.1 The Act.2 "
            "was signed in 2010-2012 by Putin. 3 After that, Long March 9 flew.4 It was “a milestone.”5")
    doc = make_doc([(text, 0)], [], style="numeric", lang="en")
    resolve(doc)
    assert [r.label for r in refs(doc)] == ["1", "2", "3", "4", "5"]
    plain = doc.blocks[0].text
    for friend in ("2014", "S-500", "3.5", "2010-2012", "Long March 9"):
        assert friend in plain


# --------------------------------------------------------------------------- false friends

YEARS = st.integers(1900, 2099).map(str)
CHINESE = st.sampled_from(["中国", "美国", "太空合作", "发射", "卫星", "月球", "航天局", "对话"])


@st.composite
def chinese_false_friends(draw) -> str:
    """Chinese running text full of numbers that are not markers."""
    pieces = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["year", "range", "model", "rocket", "decimal", "list", "page", "date"]))
        word = draw(CHINESE)
        year = draw(YEARS)
        pieces.append({
            "year": f"{year}年{word}",
            "range": f"{year}–{int(year) + 3}年{word}",
            "model": f"{word}S-{draw(st.integers(100, 999))}系统",
            "rocket": f"长征{draw(st.sampled_from(['五', '九', '5', '9']))}号{word}",
            "decimal": f"{draw(st.integers(1, 999))}.{draw(st.integers(0, 9))}亿美元{word}",
            "list": f"{draw(st.integers(1, 9))}. {word}",
            "page": f"第{draw(st.integers(1, 300))}页{word}",
            "date": f"{year}年{draw(st.integers(1, 12))}月{draw(st.integers(1, 28))}日{word}",
        }[kind])
    return "，".join(pieces) + "。"


@settings(max_examples=80, deadline=None)
@given(chinese_false_friends())
def test_numbers_in_chinese_text_never_become_markers(text: str) -> None:
    for style in ("auto", "circled", "letter", "superscript", "numeric"):
        doc = make_doc([(text, 0)], [RawNote("1", "某注", 9), RawNote("a", "某注", 9)], style=style)
        resolve(doc)
        assert refs(doc) == [], (style, text)
        assert doc.blocks[0].text == text


ENGLISH_WORDS = st.sampled_from(["space", "station", "lunar", "a", "the", "Russia", "cooperation", "orbit"])


@st.composite
def english_false_friends(draw) -> str:
    """English text with years, ranges, decimals, model numbers and the article "a"."""
    pieces = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["year", "range", "decimal", "model", "article", "version"]))
        word = draw(ENGLISH_WORDS)
        year = draw(YEARS)
        pieces.append({
            "year": f"in {year} the {word}",
            "range": f"the {year}-{int(year) + 2} {word} plan",
            "decimal": f"{draw(st.integers(1, 99))}.{draw(st.integers(1, 9))} tons of {word}",
            "model": f"the S-{draw(st.integers(100, 999))} and Long March {draw(st.integers(2, 9))} {word}",
            "article": f"a {word} and a plan",
            "version": f"Chang'e {draw(st.integers(1, 8))} reached a {word}",
        }[kind])
    return " ".join(pieces).capitalize() + "."


@settings(max_examples=80, deadline=None)
@given(english_false_friends())
def test_numbers_and_letters_in_english_text_never_become_markers(text: str) -> None:
    doc = make_doc([(text, 0)], [RawNote("a", "note a", 9, 0)], style="auto", lang="en")
    resolve(doc)
    assert refs(doc) == [], text
    assert doc.blocks[0].text == text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12), min_size=1, max_size=5))
def test_a_letter_inside_an_english_word_is_never_a_letter_marker(words: list[str]) -> None:
    """English words (the article "a" too) set off by spaces in Chinese text are not markers."""
    text = f"美国的 {' '.join(words)} 计划。"
    doc = make_doc([(text, 0)], [RawNote(c, "注", 9, 0) for c in "abcdefghij"], style="letter")
    resolve(doc)
    assert refs(doc) == [], text
    assert doc.blocks[0].text == text


def test_a_marker_a_reader_placed_in_a_heading_resolves():
    from builder.models import Block, DocMeta, Document, Marker, NoteRef, RawNote, Text

    meta = DocMeta(id="t", title_zh="t", kind="journal-article", reader="pdf", languages=["zh"],
                   text_path="corpus/t.pdf", meta_path="corpus/t.yml")
    doc = Document(meta=meta, blocks=[Block("heading", [Text("一、引言"), Marker("①", 3)], level=2),
                                      Block("paragraph", [Text("正文。")])],
                   raw_notes=[RawNote("①", "本节据某报告改写。", 40, page=3)])
    footnotes.resolve(doc, Diagnostics())
    assert doc.blocks[0].inlines[-1] == NoteRef(1, "①")
    assert doc.stats.markers_found == doc.stats.markers_resolved == 1 and doc.stats.orphan_notes == 0
