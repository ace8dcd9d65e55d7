"""builder/search.py: Pagefind found, its version checked, a small site indexed."""

from __future__ import annotations

import json

import pytest

from builder import search
from builder.errors import RenderError

PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav>导航 不应被索引</nav><div data-pagefind-body><h1>{title}</h1><p>{text}</p>
<div data-pagefind-ignore><p>出现位置 别的文献</p></div>
<span hidden data-pagefind-filter="kind">文献</span></div></body></html>"""


def fake_binary(tmp_path, version: str):
    binary = tmp_path / "pagefind"
    binary.write_text(f"#!/bin/sh\necho 'pagefind {version}'\n")
    binary.chmod(0o755)
    return binary


def test_an_older_pagefind_is_refused(tmp_path, monkeypatch):
    """1.5.2 (PyPI's last) segments Chinese pages unlike the browser's queries."""
    monkeypatch.setenv("PAGEFIND_BINARY", str(fake_binary(tmp_path, "1.5.2")))
    with pytest.raises(RenderError, match="too old"):
        search.index_site(tmp_path)


def test_a_missing_pagefind_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY", str(tmp_path / "nowhere"))
    with pytest.raises(RenderError, match="does not run"):
        search.index_site(tmp_path)


def test_the_project_pins_a_version_it_accepts():
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pinned = json.loads((root / "package.json").read_text(encoding="utf-8"))["devDependencies"]["pagefind"]
    assert tuple(int(x) for x in pinned.split(".")) >= search.MIN_VERSION
    lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/pagefind"]["version"] == pinned


def test_a_site_is_indexed(tmp_path, monkeypatch):
    monkeypatch.delenv("PAGEFIND_BINARY", raising=False)
    if search.find_binary() is None:
        pytest.skip("Pagefind is not installed (npm ci)")
    site = tmp_path / "site"
    for slug, title, text in [("a", "反卫星武器", "阿尔忒弥斯计划与反卫星武器"), ("b", "星链", "星链卫星网络")]:
        (site / slug).mkdir(parents=True)
        (site / slug / "index.html").write_text(PAGE.format(title=title, text=text), encoding="utf-8")
    figures = search.index_site(site)
    assert figures["pages"] == 2 and figures["engine"].startswith("pagefind 1.")
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert list((site / "pagefind" / "fragment").iterdir())
    tables = json.loads((site / search.TABLES / "tables.json").read_text(encoding="utf-8"))
    assert figures["names"]["pages"] == 2 and tables["names"] == figures["names"]["files"] >= 1
    # the cards: every page Pagefind indexed, by its id, with what a result shows before its excerpt
    assert figures["cards"]["pages"] == 2 and tables["cards"] == figures["cards"]["files"] >= 1
    cards = {}
    for shard in range(tables["cards"]):
        table = json.loads((site / search.TABLES / f"cards-{shard}.json").read_text(encoding="utf-8"))
        assert all(search.name_shard(page_id, tables["cards"]) == shard for page_id in table)
        cards.update(table)
    fragments = {f.name.removesuffix(".pf_fragment") for f in (site / "pagefind" / "fragment").iterdir()}
    assert set(cards) == fragments
    assert sorted(card[:2] for card in cards.values()) == [["a/", "反卫星武器"], ["b/", "星链"]]


ENTRY = """<!doctype html><html lang="zh"><body><nav><h1>导航</h1></nav><div data-pagefind-body>
<h1 id="x">{title}<a class="headerlink" href="#x" title="本节链接">&para;</a></h1>
<div class="search-names" hidden data-pagefind-weight="5" data-pagefind-meta="names">{names}</div>
<p>正文</p><div hidden data-pagefind-ignore><span data-pagefind-meta="kind">术语</span></div></div></body></html>"""


def test_name_keys_ignore_case_width_spaces_and_punctuation():
    assert search.name_key("Artemis Accords") == search.name_key("artemis-accords") == "artemisaccords"
    assert search.name_key("ＡＳＡＴ") == "asat"
    assert search.name_key("尼维迪塔·拉朱") == "尼维迪塔拉朱"
    assert search.name_key("bai e luo si") == search.name_key("baieluosi")


def test_the_names_table_finds_a_page_by_each_of_its_names(tmp_path):
    """Every indexed page by its title, a glossary entry also by the names it declares; pages not
    indexed are left out; each key is in the file its hash names (the search box fetches that)."""
    site = tmp_path / "site"
    pages = {"glossary/belarus": ("白俄罗斯", "Belarus · 白俄羅斯 · bai e luo si · baieluosi"),
             "glossary/asat": ("反卫星武器", "anti-satellite weapon · ASAT · fan wei xing wu qi · fanweixingwuqi")}
    for rel, (title, names) in pages.items():
        (site / rel).mkdir(parents=True)
        (site / rel / "index.html").write_text(ENTRY.format(title=title, names=names), encoding="utf-8")
    (site / "works" / "x").mkdir(parents=True)  # not indexed: no data-pagefind-body
    (site / "works" / "x" / "index.html").write_text("<html><body><h1>白俄罗斯</h1></body></html>", encoding="utf-8")
    figures = search.names_table(site)
    assert figures["pages"] == 2
    shards = figures["files"]
    assert shards >= 1 and len(list((site / search.TABLES).glob("names-*.json"))) == shards

    def lookup(name):
        key = search.name_key(name)
        path = site / search.TABLES / f"names-{search.name_shard(key, shards)}.json"
        table = json.loads(path.read_text(encoding="utf-8"))
        return [table["pages"][n] for n in table["keys"].get(key, [])]

    assert lookup("白俄罗斯") == [["glossary/belarus/", "白俄罗斯", "术语"]]
    assert lookup("baieluosi") == lookup("Belarus") == lookup("白俄罗斯")
    assert lookup("asat") == [["glossary/asat/", "反卫星武器", "术语"]]
    assert lookup("导航") == [] and lookup("正文") == []


def test_name_shards_spread_keys_and_stay_put():
    keys = [search.name_key(f"名称{n}") for n in range(200)]
    spread = {search.name_shard(k, 8) for k in keys}
    assert spread == set(range(8))
    assert search.name_shard("asat", 5) == 4  # the same in library-search.js (nameShard)


# A glossary entry as rendered: its occurrence list a section left out whole, headings with ids
# and nested divs inside it (the part handed to Pagefind while rendering leaves it out before)
IGNORED_SECTIONS = """<!doctype html><html lang="zh"><body><nav>导航</nav><main><article class="md-content__inner">
<h1 id="x">空间碎片</h1><div data-pagefind-body><p>空间碎片是轨道上无用的人造物体。</p>
<div data-pagefind-ignore="all">
<h2 data-pagefind-ignore="all" id="occurrences">出现位置（2，1 篇文献）</h2>
<h3 data-pagefind-ignore="all" id="doc-a">某文献</h3><div class="admonition"><div><p>出现位置 一</p></div></div>
<ul><li>出现位置 二</li></ul></div>
<h2 id="after">之后</h2><p>碎片减缓的准则。</p>
<span hidden data-pagefind-filter="kind">术语</span></div></article></main><footer>页脚</footer></body></html>"""


def test_the_part_handed_to_pagefind_leaves_out_ignored_sections_whole():
    part = search.indexed_part(IGNORED_SECTIONS)
    assert "出现位置" not in part and "某文献" not in part
    assert "空间碎片是轨道上无用的人造物体" in part and '<h2 id="after">之后</h2><p>碎片减缓的准则。</p>' in part
    assert part.count("<div") == part.count("</div>")
    unclosed = '<div data-pagefind-body><p>正文</p><div data-pagefind-ignore="all"><p>不完整'
    assert search.without_ignored(unclosed) == unclosed


def test_pages_indexed_while_rendered_give_the_command_line_index(tmp_path, monkeypatch):
    """StreamIndexer (pages handed over one by one, as hooks/pagefind_serve.py does while MkDocs
    renders) writes the same pages as Pagefind's command line on the finished site, and
    index_site takes its index instead of indexing again."""
    monkeypatch.delenv("PAGEFIND_BINARY", raising=False)
    monkeypatch.delenv(search.STREAM_SWITCH, raising=False)
    if search.find_binary() is None or not search.can_stream():
        pytest.skip("Pagefind or Node is not installed (npm ci)")
    import gzip

    pages = {"a/index.html": PAGE.format(title="反卫星武器", text="阿尔忒弥斯计划与反卫星武器"),
             "b/index.html": PAGE.format(title="星链", text="星链卫星网络"),
             "c/index.html": IGNORED_SECTIONS,
             "404.html": "<html><body><h1>页面不存在</h1></body></html>"}

    def fragments(site):
        out = {}
        for path in (site / "pagefind" / "fragment").iterdir():
            data = json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
            out[data["url"]] = data
        return out

    streamed, whole = tmp_path / "streamed", tmp_path / "whole"
    indexer = search.StreamIndexer(streamed)
    for rel, text in pages.items():
        for site in (streamed, whole):
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_text(text, encoding="utf-8")
        indexer.add(rel, text)
    assert indexer.finish()["pages"] == 3
    figures = search.index_site(streamed)
    assert figures["mode"] == "while rendering" and figures["pages"] == 3
    monkeypatch.setenv(search.STREAM_SWITCH, "0")
    assert not search.can_stream()
    assert search.index_site(whole)["mode"] == "after rendering"
    assert set(fragments(streamed)) == {"/a/", "/b/", "/c/"}
    assert fragments(streamed) == fragments(whole)
    assert "出现位置" not in fragments(whole)["/c/"]["content"]


def test_only_the_article_goes_to_pagefind_while_rendering():
    page = ('<html lang="zh"><body><nav><a href="/">导航</a></nav><main><article class="md-content__inner">'
            '<h1>列表</h1><div data-pagefind-body hidden><h1>列表</h1></div></article></main>'
            '<footer>页脚</footer></body></html>')
    part = search.indexed_part(page)
    assert part.startswith("<!doctype html>") and '<article class="md-content__inner"><h1>列表</h1>' in part
    assert "导航" not in part and "页脚" not in part and part.endswith("</article></body></html>")
    assert search.indexed_part("<html><body><h1>未标记</h1></body></html>") == ""
