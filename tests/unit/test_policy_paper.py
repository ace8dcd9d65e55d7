"""The policy-paper reader: notes interleaved with the text, cut paragraphs, headings, back matter."""

from __future__ import annotations

from pathlib import Path

from builder import footnotes
from builder.chrome import load_chrome
from builder.config import load_corpus
from builder.diagnostics import Diagnostics
from builder.models import Author, DocMeta, NoteRef
from builder.normalize import decode, normalize_characters
from builder.readers import ReadContext, Source, policy_paper
from builder.report import lost_characters

ROOT = Path(__file__).resolve().parents[2]


def meta(**fields) -> DocMeta:
    data = dict(id="t", title_zh="测试报告", kind="policy-paper", reader="policy_paper", languages=["zh"],
                text_path="t.txt", meta_path="t.yml", authors=[Author("张三", "Zhang San")])
    data.update(fields)
    return DocMeta(**data)


def read(text: str, **fields):
    diag = Diagnostics()
    doc = policy_paper.read(Source(meta(**fields), text), ReadContext(diag))
    footnotes.resolve(doc, diag)
    return doc


def kinds(doc) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, b.text) for b in doc.blocks]


def test_title_and_byline_become_metadata_lines_with_the_asterisk_kept():
    doc = read("测试报告\n\n作者：张三*（ZHANG SAN）\n\n一、引言\n\n正文第一段。\n")
    assert doc.metadata_lines == ["测试报告", "作者：张三*（ZHANG SAN）"]
    assert kinds(doc) == [("heading", 2, "一、引言"), ("paragraph", 0, "正文第一段。")]


def test_paragraph_cut_by_notes_is_rejoined_and_markers_resolve():
    text = ("一、引言\n\n这是例证之一¹。下一句在页底被切断，在太空安全问题\n\n"
            "¹参见某文献。\n\n²另一条注释。\n\n上的互动可以继续²。\n")
    doc = read(text)
    assert kinds(doc)[1] == ("paragraph", 0, "这是例证之一¹。下一句在页底被切断，在太空安全问题上的互动可以继续²。")
    refs = [n for n in doc.blocks[1].inlines if isinstance(n, NoteRef)]
    assert [r.number for r in refs] == [1, 2]
    assert [n.text for n in doc.notes] == ["参见某文献。", "另一条注释。"]


def test_summary_box_between_cut_and_continuation_is_summary_back_matter():
    text = ("一、引言\n\n段落在这里被切断，在太空安全问题\n\n摘要\n\n• 要点一。\n\n要点二。\n\n"
            "¹注释一。\n\n上的互动可为缓和奠定基础¹。\n")
    doc = read(text)
    assert kinds(doc)[1][2] == "段落在这里被切断，在太空安全问题上的互动可为缓和奠定基础¹。"
    [box] = [s for s in doc.backmatter if s.kind == "summary"]
    assert box.title == "摘要" and [i.text for i in box.items] == ["• 要点一。", "要点二。"]


def test_plain_number_note_lines_only_when_in_sequence_or_cited():
    text = ("一、引言\n\n正文引用¹和³⁵。\n\n¹注释一。\n\n12 个国家签署了协定。\n\n"
            "35 联合国文件。\n\n36 另一文件。\n")
    doc = read(text)
    assert [n.label for n in doc.raw_notes] == ["¹", "35", "36"]
    assert ("paragraph", 0, "12 个国家签署了协定。") in kinds(doc)


def test_short_unpunctuated_line_is_a_subheading_but_not_a_fragment_or_sentence():
    text = ("三、威胁\n\n第一段。\n\n天基导弹防御\n\n第二段说到“空中格斗”\n\n"
            "（DOG FIGHTING）行为，继续。\n\n很短的一句。\n")
    doc = read(text)
    assert kinds(doc) == [("heading", 2, "三、威胁"), ("paragraph", 0, "第一段。"),
                          ("heading", 3, "天基导弹防御"),
                          ("paragraph", 0, "第二段说到“空中格斗”（DOG FIGHTING）行为，继续。"),
                          ("paragraph", 0, "很短的一句。")]


def test_contents_list_sets_heading_levels_and_is_back_matter():
    text = ("一、引言\n\n甲。\n\n天基导弹防御\n\n乙。\n\n星链\n\n丙。\n\n结论\n\n丁¹。\n\n¹注。\n\n"
            "目录\n\n一、引言\n\n天基导弹防御\n\n二、结论\n")
    doc = read(text)
    levels = {b.text: b.level for b in doc.blocks if b.kind == "heading"}
    assert levels == {"一、引言": 2, "天基导弹防御": 3, "星链": 4, "结论": 2}
    [contents] = [s for s in doc.backmatter if s.kind == "contents"]
    assert contents.title == "目录" and [i.text for i in contents.items] == ["一、引言", "天基导弹防御", "二、结论"]


def test_back_matter_by_shape():
    text = ("一、引言\n\n正文¹。\n\n¹注。\n\n缩写\n\nASAT: 反卫星武器\nEU: 欧洲联盟\nUN: 联合国\n\n"
            "近期出版物\n\n《一本书》\n\n李四 博士\n\n2026 年 1 月\n\n理事会成员\n\n王五 (瑞典)\n\n"
            "作者介绍\n\n张三 (ZHANG SAN) 现任研究员。\n\nDOI: <https://doi.org/10.1/x>\n")
    doc = read(text)
    sections = [(s.kind, s.title, [i.text for i in s.items]) for s in doc.backmatter]
    assert sections == [
        ("abbreviations", "缩写", ["ASAT: 反卫星武器", "EU: 欧洲联盟", "UN: 联合国"]),
        ("publications", "近期出版物", ["《一本书》 李四 博士 2026 年 1 月"]),
        ("colophon", "", ["理事会成员", "王五 (瑞典)"]),
        ("author-notes", "作者介绍", ["张三 (ZHANG SAN) 现任研究员。"]),
        ("citation", "", ["DOI: <https://doi.org/10.1/x>"]),
    ]
    assert [b.text for b in doc.blocks] == ["一、引言", "正文¹。"]
    assert not lost_characters(doc)


def test_seed_policy_paper_is_conserved_and_fully_resolved():
    [m] = [m for m in load_corpus(ROOT / "corpus", ROOT) if m.reader == "policy_paper"]
    diag = Diagnostics()
    text, _ = decode((ROOT / m.text_path).read_bytes(), m.text_path)
    text, dropped = normalize_characters(text, m.private_use, m.text_path, diag)
    doc = policy_paper.read(Source(m, text, dropped), ReadContext(diag, load_chrome(ROOT / "corpus" / "chrome.yml")))
    footnotes.resolve(doc, diag)
    assert lost_characters(doc) == {}
    assert doc.note_style == "superscript"
    assert doc.stats.markers_found == doc.stats.markers_resolved == len(doc.notes) == 98
    assert doc.stats.crossrefs_found == doc.stats.crossrefs_resolved > 0
    assert {s.kind for s in doc.backmatter} >= {"summary", "abbreviations", "publications", "contents",
                                                 "author-notes", "citation", "colophon"}
