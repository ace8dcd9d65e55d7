"""Citation parsing: one test per convention, explanations that must not parse, short forms."""

from __future__ import annotations

import pytest

from builder.citations import (looks_like_person, parse_note, split_en_authors, split_segments,
                               title_key)


def only(text: str):
    found = parse_note(text)
    assert len(found) == 1, found
    return found[0]


def test_chinese_journal_article():
    c = only("关于两国交往的历程，可参见张三：《合作的现状与前景》，载《国际关系》2009年第3期，第29–35页。")
    assert (c.authors, c.title, c.venue, c.year) == (["张三"], "合作的现状与前景", "国际关系", "2009")
    assert c.lang == "zh" and not c.short and not c.url


def test_chinese_book_with_place_and_publisher():
    c = only("参见李四：《威慑与防御》，北京：长城出版社2001年版。")
    assert (c.authors, c.title, c.venue, c.year) == (["李四"], "威慑与防御", "长城出版社", "2001")


def test_chinese_newspaper_with_et_al():
    c = only("王五等：《“禁令”自设陷阱》，载《环球日报》2013年1月8日。")
    assert c.authors == ["王五"] and c.et_al
    assert (c.title, c.venue, c.year) == ("“禁令”自设陷阱", "环球日报", "2013")


def test_institute_style_with_url_and_doi():
    c = only("赵六、钱七：《欧洲安全中的太空问题》，某国际研究所，2025年6月，第4-5页，<https://doi.org/10.55163/ABCD1234>。")
    assert c.authors == ["赵六", "钱七"]
    assert (c.title, c.venue, c.year) == ("欧洲安全中的太空问题", "某国际研究所", "2025")
    assert c.url == "https://doi.org/10.55163/ABCD1234" and c.doi == "10.55163/ABCD1234"


def test_year_in_parenthesis_and_volume_not_taken_for_year():
    c = only("孙八：《太空技术合作》，《太平洋评论》，第36卷第4期（2023年），<https://doi.org/10.1080/0951.2022.1>")
    assert (c.venue, c.year, c.doi) == ("太平洋评论", "2023", "10.1080/0951.2022.1")


def test_institutional_author_list_is_kept_whole():
    c = only("某国外交、联邦和发展办公室及某国航天局：《负责任的太空行为》，新闻稿，2022年10月3日，https://example.org/a。")
    assert c.authors == ["某国外交、联邦和发展办公室及某国航天局"]
    assert c.venue == ""  # "新闻稿" is a document type, not a venue


def test_newspaper_as_author_and_title_first_form():
    c = only("《中国日报》：《卫星成功发射》，某国政府网，2024年6月24日，https://example.org/b。")
    assert c.authors == ["中国日报"] and c.title == "卫星成功发射"
    c = only("《大使的专题发言（2002年10月15日，纽约）》，某代表团网站，http://example.org/c.htm。")
    assert c.authors == [] and c.title.startswith("大使的专题发言") and c.year == ""


def test_two_references_in_one_note():
    found = parse_note("甲乙：《第一篇》，载《刊物》2007年第1期；丙丁：《第二篇》，载《另一刊》2007年2月。")
    assert [c.title for c in found] == ["第一篇", "第二篇"]
    assert [c.venue for c in found] == ["刊物", "另一刊"]


def test_reference_then_explanation_sentence():
    found = parse_note("《联合发言》，外交部网站，http://example.org/x.htm。该文件全文，请参见《联合工作文件：要点》，外交部网站，http://example.org/y.shtml。")
    assert [c.title for c in found] == ["联合发言", "联合工作文件：要点"]


@pytest.mark.parametrize("text", [
    "这两项条款指出：“不得使用联邦资金同任何公司就太空项目进行合作”；“禁止接待任何访问人员”。",
    "对于发射商业卫星，某国一直实施严密监控。根据某国1989年的《出口管制法》，卫星制造商的申请都需要总统的豁免，这一规定在1993年之后延续。",
    "2019年某组织的“创世纪号”月球软着陆尝试是世界上首次非政府探月活动，但以失败告终。",
    "关于《某报告》的背景，学界讨论很多，其中最重要的观点认为该报告在很大程度上改变了两国关系的走向。",
    "The Space Report: The Guide to Global Space Activity, Space Foundation, 2006, p.4.",
    "Moon In-Situ Resource Utilization（Moon ISRU），指在月球上就地取材利用月球资源。",
])
def test_explanations_are_not_citations(text):
    assert parse_note(text) == []


def test_english_article():
    c = only("Jeff Foust, “First Lunar Lander Ready for Launch”, SpaceNews, October 3, 2023.")
    assert (c.authors, c.title, c.venue, c.year, c.lang) == (["Jeff Foust"], "First Lunar Lander Ready for Launch", "SpaceNews", "2023", "en")


def test_english_comma_inside_quotes_and_see_prefix():
    c = only("See Moon J. Kim,“Toward Coherence: A Typology,”Space Policy, Vol.59, 2022, p.2.")
    assert (c.authors, c.title, c.venue, c.year) == (["Moon J. Kim"], "Toward Coherence: A Typology", "Space Policy", "2022")


def test_english_title_first_with_url():
    c = only("“Commercial Orbital Transportation Services (COTS),” https://www.nasa.gov/cots/.")
    assert c.authors == [] and c.title == "Commercial Orbital Transportation Services (COTS)"
    assert c.url == "https://www.nasa.gov/cots/"


def test_english_organisation_is_one_author():
    c = only("National Aeronautics and Space Administration,“NASA Partners with Industry,” https://www.nasa.gov/x, June 1, 2022.")
    assert c.authors == ["National Aeronautics and Space Administration"]


def test_english_author_that_is_not_a_name_is_rejected():
    assert parse_note("Nu ño Domíng uez ,“The Race to the Moon Resu mes,”ht t ps: //engl ish .elpa is.com 2023.") == []


def test_short_forms_point_at_notes():
    c = only("参见某国国防部：《战略审查》（注释5），第98页。")
    assert (c.title, c.authors, c.see_note) == ("战略审查", ["某国国防部"], 5)
    c = only("赵六、钱七（注释61），第12-14页。")
    assert (c.title, c.authors, c.see_note) == ("", ["赵六", "钱七"], 61)
    assert parse_note("“太空与战略稳定”研讨会闭门交流（注释38）。") == []


def test_segments_do_not_split_inside_titles_or_urls():
    text = "甲：《标题；副题》，2001年；乙：《另一题》，https://example.org/a;b=1，2002年。"
    assert len(split_segments(text)) == 2


def test_title_key_folds_width_case_and_punctuation():
    assert title_key("Space  Report：２０２２") == title_key("space report:2022")
    assert title_key("“禁令”自设陷阱") == title_key("禁令自设陷阱")


def test_names():
    assert split_en_authors("Thomas J. Colvin, Keith W. Crane and Bhavya Lal") == ["Thomas J. Colvin", "Keith W. Crane", "Bhavya Lal"]
    assert split_en_authors("said in an interview") is None
    assert looks_like_person("尼维迪塔·拉朱") and looks_like_person("何奇松")
    assert not looks_like_person("中国国务院新闻办公室")


def test_damaged_url_counts_as_evidence_but_is_not_a_link():
    c = only("《大使的发言》，某代表团网站，http牶／／ www.example.org/ce/t153591 htm。")
    assert c.title == "大使的发言" and c.url == "" and c.venue == "某代表团网站"
