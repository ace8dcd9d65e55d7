"""URL repair and linkify (builder/links.py)."""

from builder.links import linkify, repair, repair_spans, repair_urls
from builder.models import Link, Text

BROKEN_ZH = ("网站，http牶 ／ ／ www． fmprc．\ngov. cn ／ ce ／ cegv ／ cj2002 ／ t153591. htm。"
             "该法律文件全文")


def test_stand_in_glyph_spaces_fullwidth_and_line_break_repaired():
    text, changed = repair_urls(BROKEN_ZH, {"牶": ":"})
    assert text == "网站，http://www.fmprc.gov.cn/ce/cegv/cj2002/t153591.htm。该法律文件全文"
    assert changed == [("http牶 ／ ／ www． fmprc．\ngov. cn ／ ce ／ cegv ／ cj2002 ／ t153591. htm",
                        "http://www.fmprc.gov.cn/ce/cegv/cj2002/t153591.htm")]


def test_without_the_glyph_map_the_scheme_is_not_guessed():
    spans = repair_spans(BROKEN_ZH)
    assert [s.url for s in spans] == ["www.fmprc.gov.cn/ce/cegv/cj2002/t153591.htm"]


def test_spaces_inside_words_of_an_english_note_url():
    text = ("Moonwalking Services,”ht tps://www.nasa.gov/news-release/nasa-par tners-with-indust "
            "ry-for-new- spacewalking-moonwalking-services/.")
    fixed, changed = repair_urls(text)
    assert fixed.endswith("”https://www.nasa.gov/news-release/nasa-partners-with-industry-for-new-"
                          "spacewalking-moonwalking-services/.")
    assert changed == []  # only whitespace changed: nothing for the report


def test_url_split_into_many_pieces():
    text = "“The Race,”ht t ps: //engl ish .elpa is.com /science - tech/2022-08-21/the-race.html."
    assert repair_spans(text)[0].url == "https://english.elpais.com/science-tech/2022-08-21/the-race.html"


def test_url_stops_before_next_citation_and_sentence():
    text = "on-moon/ x https://a.org/b/; “NASA Awards” and https://c.org/d. The next sentence."
    assert [s.url for s in repair_spans(text)] == ["https://a.org/b/", "https://c.org/d"]


def test_linkify_splits_text_and_links_and_keeps_the_rest():
    nodes = linkify("见 https://www.nasa.gov/x.html。后文")
    assert nodes == [Text("见 "), Link("https://www.nasa.gov/x.html", "https://www.nasa.gov/x.html"), Text("。后文")]
    assert linkify("没有链接") == [Text("没有链接")]


def test_repair_lowercases_scheme_and_maps_fullwidth():
    assert repair("HTTPS：／／Example．org／A") == "https://Example.org/A"
