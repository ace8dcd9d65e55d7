"""Markdown repost reader: inline markup, headings, figures, markers and their reference lists,
header and tail lines. Excerpts are synthetic; the devset reposts are read from ../shared/devset
when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder import footnotes
from builder.chrome import load_chrome
from builder.diagnostics import Diagnostics
from builder.models import DocMeta, Link, Marker, MissingNoteRef, NoteRef, Text
from builder.normalize import normalize_characters
from builder.readers import ReadContext, Source
from builder.readers.markdown_inline import parse_inline, plain
from builder.readers.markdown_repost import read
from builder.report import lost_characters

ROOT = Path(__file__).resolve().parents[2]
DEVSET = ROOT.parent / "shared" / "devset"


def meta() -> DocMeta:
    return DocMeta(id="t", title_zh="t", kind="news-repost", reader="markdown_repost", languages=["zh"],
                   text_path="corpus/t.md", meta_path="corpus/t.yml")


def build(text: str):
    diag = Diagnostics()
    clean, dropped = normalize_characters(text, {}, "t.md", diag)
    doc = read(Source(meta(), clean, dropped), ReadContext(diag, load_chrome(ROOT / "corpus" / "chrome.yml")))
    footnotes.resolve(doc, diag)
    return doc


def kinds(doc):
    return [(b.kind, b.level, b.text) for b in doc.blocks]


# --------------------------------------------------------------------------- inline


def test_wiki_tags_show_their_text():
    assert plain(parse_inline("[[zh:甲国]][[zh:航天]]机构于2020年[[zh:3月]]成立")) == "甲国航天机构于2020年3月成立"
    assert plain(parse_inline("见[[条目|显示名]]")) == "见显示名"


def test_emphasis_dropped_even_when_broken():
    assert plain(parse_inline("**5****、新的****–****合作框架**")) == "5、新的–合作框架"
    assert plain(parse_inline("*斜体*与**粗体**")) == "斜体与粗体"
    assert plain(parse_inline("5 * 3")) == "5 * 3"  # spaces on both sides: a literal asterisk


def test_escapes_entities_and_code_spans():
    assert plain(parse_inline(r"a\_b &quot;引号&quot; `代码`")) == 'a_b "引号" 代码'


def test_bracketed_numbers_are_candidates_only_when_asked():
    nodes = parse_inline("文本**[2]**后 **【******3】***", markers=True)
    assert [n.label for n in nodes if isinstance(n, Marker)] == ["[2]", "【3】"]
    assert not any(isinstance(n, Marker) for n in parse_inline("文本[2]后"))
    assert not any(isinstance(n, Marker) for n in parse_inline("每小时 100 英里 [160 公里]", markers=True))


def test_links_and_images():
    nodes = parse_inline("见[报告](https://example.org/r?a=1&amp;b=2)与![](https://example.org/p.png)")
    links = [n for n in nodes if isinstance(n, Link)]
    assert links[0] == Link("报告", "https://example.org/r?a=1&b=2")
    assert links[1].text == "图片" and links[1].url == "https://example.org/p.png"
    assert plain(parse_inline("[返回](README.md)")) == "[返回](README.md)"  # relative: literal


# --------------------------------------------------------------------------- structure

ORDINAL_DOC = """## 标题

`1/2/2024 3:04 PM UTC 某频道` [轉載自某网](https://example.org/a/1)

[[zh:北城]] — 

第一段正文介绍背景，说明了事情的来龙去脉，并提出了一个问题吗？

一、[[zh:甲国]]的地位十分特殊。

1、双方关系长期稳定。

第二段正文讲述了双方在多个领域的合作，内容较长，包括贸易和交通、

能源和通信等方面。

2、管道是重要通道。

2015年，两国关系一度降温。

二、为何局势突然变化？

第三段正文。
"""


def test_ordinal_headings_nest_by_numbering_style():
    doc = build(ORDINAL_DOC)
    headings = [(b.level, b.text) for b in doc.blocks if b.kind == "heading"]
    assert headings == [(2, "一、甲国的地位十分特殊。"), (3, "1、双方关系长期稳定。"), (3, "2、管道是重要通道。"),
                        (2, "二、为何局势突然变化？")]
    paragraphs = [b.text for b in doc.blocks if b.kind == "paragraph"]
    assert "2015年，两国关系一度降温。" in paragraphs  # a one-sentence paragraph is prose


def test_sentence_cut_by_blank_line_is_joined():
    doc = build(ORDINAL_DOC)
    assert any(b.text.endswith("交通、能源和通信等方面。") for b in doc.blocks)


def test_header_lines_are_metadata():
    doc = build(ORDINAL_DOC)
    assert doc.metadata_lines[0] == "标题"
    assert any("1/2/2024 3:04 PM UTC 某频道" in line for line in doc.metadata_lines)
    assert "北城 —" in doc.metadata_lines
    assert doc.blocks[0].text.startswith("第一段正文")


def test_numbered_run_is_a_list_not_headings():
    doc = build("第一段正文，说明了背景。\n\n1、第一条。\n\n2、第二条。\n\n3、第三条。\n")
    assert not any(b.kind == "heading" for b in doc.blocks)


def test_bold_line_and_label_line_are_headings():
    doc = build("第一段正文，说明了背景。\n\n**4****、新的****–****合作框架**\n\n正文一段。\n\n"
                "**[[zh:区域]]的竞赛**\n\n正文二段。\n\n评论：\n\n作者的评论正文。\n")
    headings = [(b.level, b.text) for b in doc.blocks if b.kind == "heading"]
    assert headings == [(2, "4、新的–合作框架"), (2, "区域的竞赛"), (2, "评论：")]


# --------------------------------------------------------------------------- figures

def test_image_with_caption_lines_is_one_figure():
    doc = build("第一段正文，说明了背景。\n ![](https://example.org/a.png) ![](https://example.org/b.png) \n"
                "*天线阵列简图*\n*图片来源：网络*\n \n第二段正文。\n")
    figure = doc.blocks[1]
    assert figure.kind == "figure"
    assert [n.url for n in figure.inlines if isinstance(n, Link)] == ["https://example.org/a.png",
                                                                     "https://example.org/b.png"]
    assert figure.text.endswith("天线阵列简图 图片来源：网络")
    assert doc.blocks[2].text == "第二段正文。"


def test_caption_glued_after_the_image():
    doc = build("## 标题\n\n![](https://example.org/a.png)图片来自网络\n据某人某日的文章\n \n正文第一段。\n")
    assert doc.blocks[0].kind == "figure" and doc.blocks[0].text.endswith("图片来自网络")
    assert "据某人某日的文章" in doc.metadata_lines


# --------------------------------------------------------------------------- markers and notes

MARKER_DOC = """## 标题

作者：某人

正文提到一份简报[1]《某关系报告》，内容分为四部分：1、历史。2、现状。

正文又提到**[2]**一份决议，并说明了每小时 100 英里 [160 公里]的速度。

我之前点评过这份[3]“战略报告”。

参考消息：

[1] Relations in challenging times

[https://example.org/brief\\_1](https://example.org/brief\\_1)

[2] REPORT on a strategy[https://example.org/r2](https://example.org/r2)
![](https://example.org/logo.png)

免责声明：本文内容仅代表作者个人观点，平台不承担任何法律风险。

- [Foundation](https://example.org/f)
- [Terms of use](https://example.org/t)
"""


def test_bracketed_markers_resolve_to_the_numbered_list():
    doc = build(MARKER_DOC)
    refs = [n for b in doc.blocks for n in b.inlines if isinstance(n, (NoteRef, MissingNoteRef))]
    assert [type(r).__name__ for r in refs] == ["NoteRef", "NoteRef", "MissingNoteRef"]
    notes = {n.label: n.text for n in doc.notes}
    assert notes["[1]"].startswith("Relations in challenging times https://example.org/brief_1")
    assert notes["[2]"] == "REPORT on a strategy https://example.org/r2"
    assert not any("160" in r.label for r in refs)


def test_tail_lines_are_chrome_metadata_or_notes():
    doc = build(MARKER_DOC)
    reasons = {c.text: c.reason for c in doc.chrome}
    assert reasons["![](https://example.org/logo.png)"] == "image after the article (logo, QR code)"
    assert "参考消息：" in reasons
    assert "免责声明：本文内容仅代表作者个人观点，平台不承担任何法律风险。" in reasons
    assert not lost_characters(doc)


def test_markers_without_a_list_run_as_a_sequence():
    doc = build("正文甲。 [1]正文乙。 [2]\n\n正文丙 [27] 和 [3]。\n")
    refs = [n.label for b in doc.blocks for n in b.inlines if isinstance(n, MissingNoteRef)]
    assert refs == ["[1]", "[2]", "[3]"]
    assert "[27]" in doc.blocks[1].text


def test_a_lone_bracketed_number_without_notes_is_text():
    doc = build("正文甲引用了第[2]条。\n")
    assert not any(isinstance(n, (NoteRef, MissingNoteRef)) for b in doc.blocks for n in b.inlines)


def test_promotion_block_and_author_note_after_the_article():
    doc = build("正文第一段。\n\n来源：https://example.org/x\\_y\n\n（文章仅代表作者个人观点）\n\n"
                "![](https://example.org/logo.png)\n\n**关注我们**\n\nDiscord 账号\n\n"
                "![](https://example.org/qr.png)\n")
    assert [b.text for b in doc.blocks] == ["正文第一段。"]
    assert "来源：https://example.org/x_y" in doc.metadata_lines
    assert [s.kind for s in doc.backmatter] == ["disclaimer"]
    assert {c.reason for c in doc.chrome} >= {"promotion block (GNews)", "image after the article (logo, QR code)"}
    assert not lost_characters(doc)


def test_link_card_title_repeated_by_its_quote():
    doc = build("正文第一段。\n\n相关文章（一）\n\n\n\n> [相关文章（一）](https://example.org/1)\n\n正文第二段。\n")
    assert [b.kind for b in doc.blocks] == ["paragraph", "quote", "paragraph"]
    assert any(c.reason.startswith("link card title") for c in doc.chrome)
    assert not lost_characters(doc)


# --------------------------------------------------------------------------- devset


@pytest.mark.parametrize("path", sorted(DEVSET.glob("[0-9]*.md")) if DEVSET.is_dir() else [],
                         ids=lambda p: p.stem[:2])
def test_devset_reposts_show_no_markup_and_lose_nothing(path: Path):
    doc = build(path.read_text(encoding="utf-8"))
    shown = "".join(b.text for b in doc.blocks)
    assert "[[" not in shown and "**" not in shown
    assert not lost_characters(doc)


def test_lead_in_line_after_the_header_is_prose():
    doc = build("## 标题\n`1/2/2024 3:04 PM UTC 某台` [轉載自某网](https://example.org/a/2)\n\n"
                "**作者：**某甲\n![](https://example.org/c.jpg)图片来源：某网\n几则最新消息——\n\n"
                "3月5日一早，就在大家等待时，某人发布一条消息：\n\n消息的正文。\n")
    assert "作者：某甲" in doc.metadata_lines
    assert [b.text for b in doc.blocks][1:3] == ["几则最新消息——", "3月5日一早，就在大家等待时，某人发布一条消息："]


def test_social_account_links_after_the_article_are_chrome():
    doc = build("正文第一段。\n\n*发布：某丙*\n\n**更多资讯，请关注：\n**[某农场Twitter](https://twitter.com/x)：x\n"
                "[某农场Discord](https://discord.gg/y)\n")
    assert [b.text for b in doc.blocks] == ["正文第一段。"]
    assert "发布：某丙" in doc.metadata_lines
    assert len([c for c in doc.chrome if c.reason.startswith("promotion")]) == 3


def test_shallowest_markdown_heading_of_the_body_is_a_top_section():
    doc = build("## 标题\n\n正文第一段。\n\n### 第一部分\n\n正文。\n\n#### 小节\n\n正文。\n")
    assert [(b.level, b.text) for b in doc.blocks if b.kind == "heading"] == [(2, "第一部分"), (3, "小节")]


def test_short_line_under_a_bare_image_is_its_caption():
    doc = build("正文第一段。\n![](https://example.org/a.png)\n图1 设施位置示意\n\n正文第二段。\n")
    assert [b.kind for b in doc.blocks] == ["paragraph", "figure", "paragraph"]
    assert doc.blocks[1].text.endswith("图1 设施位置示意")


def test_double_brackets_before_a_link_target_are_no_wiki_tag():
    assert plain(parse_inline("[[zh:甲]]与[[1]](#note1)")).startswith("甲与[")


def test_speech_intro_is_no_heading_and_list_labels_are_no_markers():
    doc = build("正文第一段。\n\n他表示：\n\n“我们不会退让。”\n\n[1] 第一点，要加强合作。\n\n[2] 第二点，要扩大交流。\n")
    assert not any(b.kind == "heading" for b in doc.blocks)
    assert not doc.raw_notes and doc.blocks[-1].text == "[2] 第二点，要扩大交流。"
    assert not any(isinstance(n, (NoteRef, MissingNoteRef)) for b in doc.blocks for n in b.inlines)


def test_image_right_after_the_last_paragraph_is_the_articles():
    doc = build("正文第一段。\n![](https://example.org/a.jpg)\n发布： *某人*\n\n更多资讯，请关注：\n"
                "[某农场YouTube](https://youtube.com/c)[某农场Discord](https://discord.gg/d)\n\n"
                "![](https://example.org/logo.png)\n")
    assert [b.kind for b in doc.blocks] == ["paragraph", "figure"]
    assert "发布： 某人" in doc.metadata_lines
    assert [c.reason for c in doc.chrome][-1] == "image after the article (logo, QR code)"


def test_unnumbered_heading_above_the_text_is_a_column_label():
    doc = build("## 标题\n` 某农场` [轉載自某网](https://example.org/3)\n\n#### **【某某快讯】，紧贴时事**\n"
                "![](https://example.org/c.jpg)\n图片来源：example.com\n\n整理报道：某人\n\n正文第一段。\n")
    assert "【某某快讯】，紧贴时事" in doc.metadata_lines and "整理报道：某人" in doc.metadata_lines
    assert [b.kind for b in doc.blocks] == ["figure", "paragraph"]


def test_numbered_list_of_links_is_the_notes_list():
    doc = build("正文引用了报告[1]，又引用了文章[2]。\n\n参考链接：\n\n1. [Report one](https://example.org/1)\n"
                "2. [Article two](https://example.org/2)\n")
    refs = [n for b in doc.blocks for n in b.inlines if isinstance(n, NoteRef)]
    assert len(refs) == 2
    assert [n.text for n in doc.notes] == ["Report one https://example.org/1", "Article two https://example.org/2"]
    assert not lost_characters(doc)


def test_numbered_links_no_marker_cites_are_a_reading_list():
    doc = build("正文第一段，没有注号。\n\n相关阅读：\n\n1. [Report one](https://example.org/1)\n"
                "2. [Article two](https://example.org/2)\n")
    assert not doc.notes
    assert [(s.kind, s.title, len(s.items)) for s in doc.backmatter] == [("references", "相关阅读：", 2)]
    assert not lost_characters(doc)


def test_reference_heading_without_colon_labels_the_notes():
    doc = build("正文引用了报告[1]，又引用了文章[2]。\n\n### 参考资料\n\n[1] Report one https://example.org/1\n\n"
                "[2] 某人：《某书》，2020年。\n")
    assert [type(n).__name__ for b in doc.blocks for n in b.inlines if not isinstance(n, Text)] == ["NoteRef", "NoteRef"]
    assert not any(b.kind == "heading" for b in doc.blocks)
    assert not lost_characters(doc)


def test_quote_paragraphs_without_empty_quote_blocks():
    doc = build("正文第一段。\n\n> 引文第一段。\n>\n> 引文第二段。\n\n正文第二段。\n")
    assert [(b.kind, b.text) for b in doc.blocks][1:3] == [("quote", "引文第一段。"), ("quote", "引文第二段。")]


def test_bold_byline_is_metadata():
    doc = build("## 标题\n\n**作者：某甲**\n**编辑：某乙**\n\n正文第一段。\n")
    assert doc.metadata_lines == ["标题", "作者：某甲", "编辑：某乙"]


def test_markdown_footnotes():
    doc = build("正文甲[^1]，正文乙[^note]，正文丙[^3]。\n\n[^1]: 第一条注释 https://example.org/1\n[^note]: 第二条注释\n")
    refs = [n for b in doc.blocks for n in b.inlines if isinstance(n, (NoteRef, MissingNoteRef))]
    assert [type(r).__name__ for r in refs] == ["NoteRef", "NoteRef", "MissingNoteRef"]
    assert [n.text for n in doc.notes] == ["第一条注释 https://example.org/1", "第二条注释"]
    assert not lost_characters(doc)


def test_circled_markers_with_their_notes_list():
    doc = build("正文甲①，正文乙②。\n\n注释：\n\n① 张三：《某书》，某出版社，2020年。\n② Some Author, A Title, 2019.\n")
    refs = [n for b in doc.blocks for n in b.inlines if isinstance(n, NoteRef)]
    assert [r.label for r in refs] == ["①", "②"]
    assert doc.notes[0].text.startswith("张三")
    diag = Diagnostics()
    enumeration = read(Source(meta(), "有两点：①加强合作；②扩大交流。\n"), ReadContext(diag))
    assert not any(isinstance(n, Marker) for b in enumeration.blocks for n in b.inlines)


def test_a_repost_without_a_notes_list_gets_no_pattern_markers():
    """Circled enumerations of a repost with no notes are text: the reader owns its markers."""
    doc = build("## 要点\n\n三点：①成本低；②周期短；③可靠。\n\n结束。\n")
    assert doc.note_style == "reader"
    assert "①成本低；②周期短；③可靠" in "".join(b.text for b in doc.blocks)
    assert doc.stats.markers_found == 0
