"""End to end: build the whole seed corpus into a temporary project and check the HTML.

One session-scoped build (fixture ``built``) is shared by the checks below.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import urllib.parse

import yaml

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parent.parent
COPY = ["mkdocs.yml", "corpus", "docs/assets", "docs/about.md", "overrides", "hooks"]


def copy_project(target: Path) -> Path:
    for name in COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("generated"))
        elif source.exists():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("project"))
    run = subprocess.run([sys.executable, "-m", "builder", "--root", str(project), "build", "--quiet", "--strict"],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr
    return project


def metas() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus").glob("*.yml"))
            if p.name not in ("glossary.yml", "chrome.yml")]


class _Text(HTMLParser):
    """Visible text of an HTML page's article, without scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    article = re.search(r'<article[^>]*>(.*)</article>', html, re.S)
    parser = _Text()
    parser.feed(article.group(1) if article else html)
    return "".join(parser.parts)


def doc_html(built: Path, doc_id: str) -> str:
    return (built / "site" / "documents" / doc_id / "index.html").read_text(encoding="utf-8")


def test_every_document_has_a_page_with_its_title_and_metadata(built: Path) -> None:
    for meta in metas():
        html = doc_html(built, meta["id"])
        assert f"<h1" in html and meta["title"]["zh"] in html
        text = page_text(html)
        assert "文献信息" in text
        for author in meta.get("authors") or []:
            assert author["name"] in text
        if meta.get("doi"):
            assert meta["doi"] in text


def test_home_page_lists_all_documents(built: Path) -> None:
    html = (built / "site" / "index.html").read_text(encoding="utf-8")
    for meta in metas():
        assert f'href="documents/{meta["id"]}/"' in html
        assert meta["title"]["zh"] in html


FULLWIDTH_ALNUM = re.compile("[０-９Ａ-Ｚａ-ｚ]")


def test_no_fullwidth_digits_or_latin_letters_in_running_text(built: Path) -> None:
    for meta in metas():
        text = page_text(doc_html(built, meta["id"]))
        found = FULLWIDTH_ALNUM.findall(text)
        assert not found, f"{meta['id']}: full-width characters left: {''.join(found[:20])}"


def test_paragraphs_are_rejoined(built: Path) -> None:
    """No paragraph ends mid-sentence because of a hard wrap: most paragraphs end in punctuation.

    Footnote references (<sup>) are removed first; aligned bilingual pairs count side by side.
    """
    for meta in metas():
        html = re.sub(r"<sup[^>]*>.*?</sup>", "", doc_html(built, meta["id"]), flags=re.S)
        paragraphs = [page_text(p) for p in re.findall(r'<p id="p\d+"[^>]*>(.*?)</p>', html, re.S)]
        for pair in re.findall(r'<div class="bilingual" id="p\d+"[^>]*>(.*?)</div>\s*</div>', html, re.S):
            paragraphs += [page_text(p) for p in re.findall(r"<p[^>]*>(.*?)</p>", pair, re.S)]
        assert len(paragraphs) >= 10, f"{meta['id']}: only {len(paragraphs)} anchored paragraphs"
        ended = [p for p in paragraphs if re.search(r"[。！？”」）.!?\"’)\]：:；;]\s*$", p.strip())]
        assert len(ended) >= 0.85 * len(paragraphs), \
            f"{meta['id']}: {len(ended)}/{len(paragraphs)} paragraphs end a sentence"


def test_chrome_lines_are_not_in_the_body(built: Path) -> None:
    report = json.loads((built / "site" / "build-report.json").read_text(encoding="utf-8"))
    for entry in report["documents"]:
        text = page_text(doc_html(built, entry["id"]))
        for chrome in entry["chrome"]:
            line = chrome["text"].strip()
            if len(line) >= 6 and "chrome" not in chrome["reason"]:
                body = text.split("构建报告")[0]
                assert line not in body.replace("\n", ""), f"{entry['id']}: chrome line in body: {line!r}"


def test_build_report_accounts_for_every_character(built: Path) -> None:
    report = json.loads((built / "site" / "build-report.json").read_text(encoding="utf-8"))
    for entry in report["documents"]:
        figures = entry["figures"]
        assert figures["chars_in"] > 0
        assert figures["chars_placed"] + figures["chars_chrome"] == figures["chars_in"], entry["id"]
        assert figures["chars_lost"] == 0 and figures["conserved_percent"] == 100.0
    assert (built / "site" / "report" / "index.html").exists()


def test_search_index_is_built_and_covers_the_pages(built: Path) -> None:
    """Pagefind (builder/search.py) indexed the rendered site: its script and index are in
    site/pagefind/, and the build report says how many pages it indexed."""
    bundle = built / "site" / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert list((bundle / "index").glob("*.pf_index")) and list((bundle / "fragment").glob("*.pf_fragment"))
    report = json.loads((built / "site" / "build-report.json").read_text(encoding="utf-8"))
    assert report["search"]["engine"].startswith("pagefind ")
    documents = len(list((built / "docs" / "documents").glob("*.md"))) - 1
    entries = len(list((built / "docs" / "glossary").glob("*.md"))) - 1
    assert report["search"]["pages"] >= documents + entries


def _html(built: Path, rel: str) -> str:
    return (built / "site" / rel / "index.html").read_text(encoding="utf-8")


def test_search_marks_what_is_indexed(built: Path) -> None:
    """Documents, glossary entries and authors are indexed whole; text that repeats the documents'
    own (occurrence lists, related and cited lists, the citation block) is left out; the build
    report and cited-work pages are not indexed; list pages only by their title."""
    doc = next(p.parent.name for p in (built / "site" / "documents").glob("*/index.html"))
    page = _html(built, f"documents/{doc}")
    assert page.count("data-pagefind-body") == 1 and 'data-pagefind-filter="kind">文献' in page
    assert 'data-pagefind-ignore="all" id="related-documents"' in page
    assert re.search(r'<div data-pagefind-ignore[^>]*>\s*<details class="quote"', page), "citation block searchable"
    entry = next(p for p in (built / "docs" / "glossary").glob("*.md") if "出现位置（" in p.read_text(encoding="utf-8"))
    page = _html(built, f"glossary/{entry.stem}")
    assert "data-pagefind-body" in page and re.search(r'<div data-pagefind-ignore[^>]*>\s*<h2[^>]*>出现位置', page)
    assert re.search(r'class="search-names" hidden data-pagefind-weight="[\d.]+"[^>]*>[^<]*[a-z]', page)
    assert "data-pagefind-body" not in _html(built, "report")
    work = next((built / "site" / "works").glob("*/index.html"), None)
    if work is not None:
        assert "data-pagefind-body" not in work.read_text(encoding="utf-8")
    index = _html(built, "indexes/pinyin")
    assert re.search(r"<div data-pagefind-body hidden>\s*<h1>", index), "a list page is indexed by its title only"


def m_stem(meta: dict) -> str:
    for path in (ROOT / "corpus").glob("*.yml"):
        if yaml.safe_load(path.read_text(encoding="utf-8")).get("id") == meta["id"]:
            return path.with_suffix(".txt").name
    raise LookupError(meta["id"])


def test_site_language_is_chinese_and_no_third_party_fonts(built: Path) -> None:
    html = (built / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in html
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    external = re.compile(r'<(?:link|script|img|iframe|source)\b[^>]*\b(?:href|src)="(?:https?:)?//')
    for page in (built / "site").rglob("*.html"):
        found = external.search(page.read_text(encoding="utf-8"))
        assert not found, f"{page}: loads a third-party resource: {found.group(0)}"


def test_source_text_never_becomes_markup(built: Path) -> None:
    """Markdown/HTML characters in the sources show literally (the repost contains '*”*'):
    no emphasis, strong or HTML element made from source text inside a body paragraph."""
    for meta in metas():
        html = doc_html(built, meta["id"])
        body = re.findall(r'<p id="p\d+"[^>]*>(.*?)</p>', html, re.S)
        body += re.findall(r'<div class="bilingual-(?:en|zh)"[^>]*>(.*?)</div>', html, re.S)
        assert body
        for paragraph in body:
            assert not re.search(r"<(em|strong|script|iframe|img)\b", paragraph), paragraph[:200]


def test_every_internal_link_and_anchor_resolves(built: Path) -> None:
    from builder.linkcheck import check_site

    assert check_site(built / "site") == []


def test_site_works_under_a_sub_path(tmp_path_factory) -> None:
    """A preview lives under /pr-preview/pr-N/: build for that URL, serve it there, fetch pages and assets."""
    import http.server
    import threading
    import urllib.request
    from functools import partial

    from builder.linkcheck import check_site

    project = copy_project(tmp_path_factory.mktemp("subpath"))
    served = tmp_path_factory.mktemp("served")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(http.server.SimpleHTTPRequestHandler, directory=str(served)))
    port = server.server_address[1]
    base = "/pr-preview/pr-7/"
    run = subprocess.run([sys.executable, "-m", "builder", "--root", str(project), "build", "--quiet",
                          "--site-url", f"http://127.0.0.1:{port}{base}"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    shutil.copytree(project / "site", served / base.strip("/"))
    assert check_site(project / "site", base_path=base) == []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        home = urllib.request.urlopen(f"http://127.0.0.1:{port}{base}", timeout=10).read().decode("utf-8")
        assets = re.findall(r'(?:href|src)="([^"#]+\.(?:css|js))"', home)
        assert assets, "home page references no assets"
        for asset in assets:
            url = urllib.parse.urljoin(f"http://127.0.0.1:{port}{base}", asset)
            assert urllib.request.urlopen(url, timeout=10).status == 200, url
        for meta in metas():
            page = urllib.request.urlopen(f"http://127.0.0.1:{port}{base}documents/{meta['id']}/", timeout=10)
            assert page.status == 200
        sitemap = (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
        assert f"http://127.0.0.1:{port}{base}documents/" in sitemap
    finally:
        server.shutdown()


def test_footnotes_have_links_back_links_and_visible_missing_markers(built: Path) -> None:
    """Every resolved note: a superscript link in the text, the note in the list with a back-link.
    A marker whose note is not in the source: a visible marker with an explanatory hover text."""
    report = json.loads((built / "site" / "build-report.json").read_text(encoding="utf-8"))
    for entry in report["documents"]:
        html = doc_html(built, entry["id"])
        figures = entry["figures"]
        refs = set(re.findall(r'<a class="footnote-ref" href="#fn:(\d+)"', html))
        notes = set(re.findall(r'<li id="fn:(\d+)"', html))
        backrefs = set(re.findall(r'class="footnote-backref" href="#fnref(?::|\d+:)(\d+)"', html))
        assert refs == notes == backrefs, entry["id"]
        assert len(notes) == figures["notes"] - figures["orphan_notes"], entry["id"]
        missing = re.findall(r'<sup class="fn-missing" title="([^"]+)">', html)
        assert len(missing) == figures["missing_notes"], entry["id"]
        assert all("没有" in title for title in missing)
        assert html.count('class="orphan-note"') + html.count("orphan-note") >= figures["orphan_notes"]
    resolved = sum(d["figures"]["markers_resolved"] for d in report["documents"])
    assert resolved > 100


def test_hand_written_about_page_is_built_and_in_the_navigation(built: Path) -> None:
    about = built / "site" / "about" / "index.html"
    assert about.exists()
    home = (built / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="about/"' in home and "关于本文库" in home


def test_notes_come_under_their_own_heading_before_the_library_sections(built: Path) -> None:
    """The footnotes (source text) sit under "注释", inside what search indexes; the
    related-documents and cited-works sections after them are left out of search."""
    checked = 0
    for page in (built / "site" / "documents").glob("*/index.html"):
        html = page.read_text(encoding="utf-8")
        if 'class="footnote"' not in html:
            continue
        notes, footnotes = html.find('id="notes"'), html.find('class="footnote"')
        assert 0 <= notes < footnotes, page
        for later in ('id="related-documents"', 'id="cited-works"'):
            if later in html:
                assert html.find(later) > footnotes, (page, later)
        assert "~~footnotes~~" not in html
        checked += 1
    assert checked >= 2


def _primary_nav_links(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    start = html.index("md-nav--primary")
    end = html.index("md-sidebar--secondary", start)
    return re.findall(r'href="([^"]+)"', html[start:end])


def test_plain_mkdocs_build_after_the_builder_gets_the_same_navigation(built: Path, tmp_path) -> None:
    """What `serve` relies on: MkDocs run on docs/ by itself (no builder in between) reads the
    navigation the builder wrote (hooks/generated_settings.py)."""
    plain = tmp_path / "plain-site"
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(built / "mkdocs.yml"),
                          "-d", str(plain)], capture_output=True, text=True, cwd=built, timeout=600)
    assert run.returncode == 0, run.stderr
    links = _primary_nav_links(plain / "index.html")
    assert links == _primary_nav_links(built / "site" / "index.html")
    assert any(re.search(r"documents/[^/]+/$", link) for link in links)
    assert not [link for link in links if re.search(r"(glossary|works|authors)/[^/]+/$", link)]  # entries stay out
    assert not (plain / "assets" / "generated").exists()  # builder settings are not published


def test_every_document_page_offers_a_citation_that_parses(built: Path) -> None:
    """GB/T 7714 text, BibTeX and CSL-JSON on every document page (issue: no page offered one)."""
    import html as html_lib

    import bibtexparser

    for meta in metas():
        page = (built / "site" / "documents" / meta["id"] / "index.html").read_text(encoding="utf-8")
        block = page[page.index('<details class="quote">'):]
        block = block[:block.index("</details>")]
        assert "<summary>引用本文</summary>" in block and "GB/T 7714" in block
        codes = [html_lib.unescape(c) for c in re.findall(r"<pre><code>(.*?)</code></pre>", block, re.S)]
        entry = bibtexparser.parse_string(codes[0])
        assert not entry.failed_blocks and entry.entries[0].key == meta["id"]
        [item] = json.loads(codes[1])
        assert item["id"] == meta["id"] and item["title"] == meta["title"]["zh"]


def test_report_page_shows_plain_locations_and_chinese_warning_labels(built: Path) -> None:
    """Was: "corpus/002&#95;02d6…&#58;23" (escaping debris) and English-only warning lines."""
    page = (built / "site" / "report" / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article"):]
    assert "&amp;#95;" not in article and "&amp;#58;" not in article
    assert re.search(r"<code>corpus/[^<]+\.(txt|md|csv):\d+</code>", article)
    assert "注释缺正文" in article and "（<code>footnote.missing-note</code>）" in article


def test_glossary_says_common_words_are_not_linked_and_labels_places_for_readers(built: Path) -> None:
    """Was: 美国 "正文中未见此词" though it occurs hundreds of times; places labelled "p15-zh"."""
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (built / "docs" / "glossary").glob("*.md")}
    common = [text for text in pages.values() if "常见词，正文中不加链接" in text]
    assert common and all(re.search(r"在 \d+ 篇文献中出现 \d+ 次", text) for text in common)
    assert not any(re.search(r"\[p\d+(-zh|-en)?\]", text) for text in pages.values())
    assert any("[第 " in text and " 段" in text for text in pages.values())


def test_footnote_markers_show_the_label_their_note_begins_with(built: Path) -> None:
    """Was: markers numbered 1, 2, 3… beside notes reading "1. ① …" (two numbers for one note)."""
    checked = 0
    for page in (built / "site" / "documents").glob("*/index.html"):
        text = page.read_text(encoding="utf-8")
        notes = dict(re.findall(r'<li id="fn:(\d+)">\s*<p>([^\s<]+)', text))
        for number, shown in re.findall(r'<a class="footnote-ref" href="#fn:(\d+)">([^<]+)</a>', text):
            label = notes[number].translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
            assert shown == label, (page.parent.name, number, shown, label)
            checked += 1
    assert checked > 50
    css = (built / "site" / "assets" / "stylesheets" / "library.css").read_text(encoding="utf-8")
    assert ".footnote > ol { list-style: none" in css


def test_back_matter_is_one_folded_section_and_the_sources_contents_link_to_headings(built: Path) -> None:
    """Was: "出版信息" three times as sections of their own, and an unlinked copy of the contents."""
    page = (built / "site" / "documents" / "china-uk-space-strategic-stability" / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<article"):]
    assert article.count('class="backmatter"') == 1 and "附录（非正文部分）" in article
    summaries = re.findall(r"<details class=\"note\">\s*<summary>([^<]+)</summary>", article)
    assert summaries.count("出版信息") == 1 and "目录" in summaries and "作者介绍" in summaries
    assert not re.search(r"<details class=\"note\" open", article)  # folded by default
    contents = article[article.index("<summary>目录</summary>"):]
    contents = contents[:contents.index("</details>")]
    assert len(re.findall(r'<a href="#s\d+">', contents)) >= 5


def test_images_with_their_captions_are_figures(built: Path) -> None:
    """Was: a paragraph "图片 图片网络截图" of image links run into their caption."""
    page = (built / "site" / "documents" / "gnews-china-russia-space-alliance" / "index.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="source-figure"[^>]*>(.*?)</figure>', page, re.S)
    assert figure and "<figcaption>网络截图</figcaption>" in figure.group(1)
    assert figure.group(1).count('<a href="https://') == 2
    assert "<img" not in figure.group(1)  # remote images are linked, never loaded
