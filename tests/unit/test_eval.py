"""The evaluation command: reading a built page back and scoring it against an answer key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from builder.eval import Score, evaluate, fold, read_page, score_footnotes, score_structure

PAGE = """<html><body><article class="md-content__inner md-typeset">
<h1 id="_1">测试标题<a class="headerlink" href="#_1">&para;</a></h1>
<div class="admonition info"><p class="admonition-title">文献信息</p><ul><li><strong>作者</strong>：张三</li></ul></div>
<div class="admonition abstract"><p class="admonition-title">编者提要</p><p>提要不是正文。</p></div>
<h2 id="s1">一、引言<a class="headerlink" href="#s1">&para;</a></h2>
<p id="p1">第一段说到２０２４年的合作。<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>接着说。</p>
<p id="p2">学术动态</p>
<h3 id="s2">（一）多出来的标题</h3>
<p id="p3">第二段提到条约<sup class="fn-missing" title="missing">②</sup>和协定。<sup id="fnref:2"><a class="footnote-ref" href="#fn:2">2</a></sup></p>
<h2 id="notes">注释</h2>
<div class="footnote"><ol>
<li id="fn:1"><p>① 张三：《合作研究》，2024年。&#160;<a class="footnote-backref" href="#fnref:1">&#8617;</a></p></li>
<li id="fn:2"><p>③ 李四：《另一条》。&#160;<a class="footnote-backref" href="#fnref:2">&#8617;</a></p></li>
</ol></div>
<h2 data-search-exclude id="related-documents">相关文献</h2><ul><li>别的文献的标题</li></ul>
</article></body></html>"""


@pytest.fixture()
def page(tmp_path: Path):
    path = tmp_path / "index.html"
    path.write_text(PAGE, encoding="utf-8")
    return read_page(path, {})


def test_page_is_read_as_a_reader_sees_it(page):
    assert page.title == "测试标题"
    assert page.headings == [(1, "一、引言"), (2, "（一）多出来的标题")]
    assert page.paragraphs[0] == "第一段说到２０２４年的合作。接着说。"  # markers are not body text
    assert "提要不是正文" not in page.body and "别的文献" not in page.body
    assert [(m.label, m.note) for m in page.markers] == [("1", 1), ("②", None), ("2", 2)]
    assert page.notes[1].startswith("① 张三")
    assert "别的文献的标题" not in "".join(page.shown)  # other documents' text is not this one's


def test_footnotes_found_resolved_wrong_and_false(page):
    key = {"markers": [
        {"page": 1, "marker": "①", "context": "说到2024年的合作。", "note": "张三：《合作研究》"},  # resolved
        {"page": 1, "marker": "②", "context": "第二段提到条约", "note": "王五：《缺失》"},  # found, unresolved
        {"page": 1, "marker": "③", "context": "和协定。", "note": "赵六：《应是这条》"},  # found, wrong note
        {"page": 2, "marker": "④", "context": "不存在的上下文", "note": None},  # not found
    ], "markers_total": 4, "markers_resolvable": 3}
    score = Score("t")
    score_footnotes(score, key, page, {}, glued_kind=False)
    assert (score.found, score.resolved, score.wrong, score.false) == (3, 1, 1, 0)
    assert any("wrong note" in f for f in score.failures)
    assert any("not found" in f for f in score.failures)


def test_a_marker_the_key_does_not_have_is_false(page):
    key = {"markers": [{"page": 1, "marker": "①", "context": "的合作。", "note": "张三"}]}
    score = Score("t")
    score_footnotes(score, key, page, {}, glued_kind=False)
    assert score.false == 2 and score.resolved == 1


def test_structure_checks(page):
    entry = {"title_zh": "测试标题", "authors": [{"zh": "张三"}, {"zh": "王五"}],
             "headings": [{"level": 1, "text": "一 引言"}, {"level": 1, "text": "二、结论"}],
             "paragraph_samples": [{"first20_nospace": "第一段说到2024年", "last10_nospace": "接着说。"},
                                   {"first20_nospace": "第二段", "last10_nospace": "不是这样结尾"}],
             "chrome": ["学术动态", "— 159 —"]}
    score = Score("t")
    score_structure(score, entry, page, {})
    failures = "\n".join(score.failures)
    assert "heading (level 1) missing: 二结论" in failures
    assert "extra heading (level 2)" in failures
    assert "author not shown: 王五" in failures
    assert "paragraph not whole: 第二段…不是这样结尾" in failures and failures.count("paragraph not whole") == 1
    assert "chrome left as paragraphs: 学术动态" in failures
    assert "full-width" in failures  # ２０２４ left in the body
    # passed: heading 一、引言, title, author 张三, first paragraph sample
    assert score.passed == 4 and score.checks == 10


def test_fold_maps_stand_ins_and_width():
    assert fold("１􀆰 ３ 万亿ꎬ", {0x1001B0: ".", 0xA3AC: "，"}) == "1.3万亿,"


def test_evaluate_builds_a_folder_and_scores_it(tmp_path: Path):
    folder = tmp_path / "docs"
    folder.mkdir()
    text = "# 标题\n\n## 一、背景\n\n这是正文的第一段，讲太空合作。\n\n这是第二段。\n"
    (folder / "01_demo.md").write_text(text, encoding="utf-8")
    meta = {"id": "demo", "title": {"zh": "演示文献"}, "kind": "news-repost", "reader": "markdown_repost",
            "languages": ["zh"]}
    (folder / "01_demo.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    key = {"footnotes": {"01_demo.md": {"markers": [], "markers_total": 0, "markers_resolvable": 0}},
           "structure": {"01": {"title_zh": "演示文献", "headings": [{"level": 1, "text": "一、背景"}],
                                "paragraph_samples": [{"first20_nospace": "这是正文的第一段", "last10_nospace": "讲太空合作。"}],
                                "chrome": []}}}
    (folder / "key.json").write_text(json.dumps(key, ensure_ascii=False), encoding="utf-8")
    [score] = evaluate(folder)
    assert score.added, score.error
    assert score.chars_in > 0 and score.conservation == 100.0
    assert score.checks >= 3


def test_floors_and_ceilings():
    from builder.eval import missed_floors

    figures = {"recall": 96.0, "wrong": 1, "false": 0}
    assert missed_floors(figures, {"recall": 95.0, "false": 0}) == []
    assert missed_floors(figures, {"recall": 97.0, "wrong": 0}) == ["recall: 96.0 < 97.0", "wrong: 1 > 0"]
