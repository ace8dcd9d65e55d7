"""Hostile content: HTML, Markdown, dangerous links and template syntax in a source text (one
document per reader kind) and in its metadata render as literal text or are removed. The built
HTML has no executable markup: no <script> but Material's own, no on*= attributes, no
javascript:/vbscript:/data: URLs, no <iframe>/<object>/<embed>, no <img> from a third-party host.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tinyproject import make_project, meta, run_cli

pytestmark = pytest.mark.site

PAYLOAD = "\n".join([
    "一、引言",
    "",
    "正文<script>alert('x1')</script>继续。<img src=x onerror=alert('x2')> <iframe src=\"https://evil.example/\"></iframe>",
    "<svg onload=alert('x3')></svg> <a href=\"javascript:alert('x4')\">点我</a> <object data=\"evil.swf\"></object>",
    "**粗体** _斜体_ # 不是标题 [链接](javascript:alert('x5')) [数据](data:text/html;base64,PHNjcmlwdD4=) <embed src=x>",
    "![外部图片](https://tracker.example/pixel.png) <img src=\"//tracker.example/p.gif\">",
    "模板{{ config.site_name }}与{% include 'base.html' %}以及{# 注释 #}和${alert('x6')}。<!-- 注释 -->",
    "<style>body{display:none}</style> <meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "&lt;script&gt;alert('x7')&lt;/script&gt; &#60;script&#62;alert('x8')&#60;/script&#62;",
    "<a href=\"vbscript:msgbox('x9')\">vb</a> <details open ontoggle=alert('x10')>内容</details>",
    "<div markdown=\"1\">*x*</div> <form action=\"https://evil.example/\"><input name=q></form>",
    "",
    "脚注占位符~~footnotes~~和///Footnotes Go Here///不会移动注释。",
    "",
    "[ref]: javascript:alert('x11')",
    "",
    "二、结论",
    "",
    "<p onclick=\"alert('x12')\">结论段落。</p>①",
    "",
    "①<script>alert('x13')</script>注释正文。",
    "",
])

MARKDOWN_PAYLOAD = "\n".join([
    "## 标题<script>alert('m1')</script>",
    "",
    "撰稿：<b onmouseover=alert('m2')>作者</b>",
    "",
    "正文[点我](javascript:alert('m3'))和[再点](JaVaScRiPt:alert('m4'))以及[空格]( javascript:alert('m5'))。",
    "",
    "[尖括号](<javascript:alert('m6')>)与[数据](data:text/html,<script>alert('m7')</script>)和[安全链接](https://example.org/safe)。",
    "",
    "![追踪像素](https://tracker.example/pixel.png)配图说明。",
    "",
    "![](https://tracker.example/second.png)",
    "",
    "<iframe src=\"https://evil.example/\"></iframe>正文继续<img src=x onerror=alert('m8')>。",
    "",
    "模板{{ config.site_name }}和{% if true %}是{% endif %}。",
    "",
    "[带标题](https://example.org/t \"title\\\" onmouseover=\\\"alert('m9')\")。",
    "",
    "参考消息：",
    "",
    "[参考](javascript:alert('m10'))",
    "",
    "[参考二](https://example.org/ref)",
    "",
    "免责声明：<script>alert('m11')</script>",
    "",
])

PARALLEL_PAYLOAD = "\n".join([
    "I. The <script>alert('p1')</script> Heading",
    "",
    "一、标题<script>alert('p2')</script>",
    "",
    "English <img src=x onerror=alert('p3')> paragraph with [link](javascript:alert('p4')) and {{ config }}.",
    "",
    "中文<iframe src=\"https://evil.example/\"></iframe>段落，{% raw %}模板{% endraw %}。",
    "",
])

HOSTILE_META = {
    "title": {"zh": "标题<script>alert('t1')</script>{{ config.site_name }}",
              "en": "<img src=x onerror=alert('t2')> Title"},
    "summary": "提要<iframe src=\"https://evil.example/\"></iframe>{% include 'x' %}",
    "source_note": "来源说明<a href=\"javascript:alert('t3')\">x</a> **粗体**",
    "venue": "[刊物](javascript:alert('t4'))",
    "publisher": "<svg onload=alert('t5')>",
    "authors": [{"name": "<b onmouseover=alert('t6')>作者</b>", "romanized": "\"><script>alert('t7')</script>"}],
    "doi": "javascript:alert('t8')",
    "source_url": "https://example.org/x'onmouseover=alert('t9')",
}

DOCS = {
    "pdf": (PAYLOAD, meta("hostile-pdf", "pdf_journal", **HOSTILE_META)),
    "policy": (PAYLOAD, meta("hostile-policy", "policy_paper", kind="policy-paper")),
    "parallel": (PARALLEL_PAYLOAD, meta("hostile-parallel", "parallel", kind="web-article",
                                        languages=["en", "zh"])),
    "repost": (MARKDOWN_PAYLOAD, meta("hostile-repost", "markdown_repost", kind="news-repost",
                                     source_url="https://example.org/repost")),
}
DOC_IDS = ["hostile-pdf", "hostile-policy", "hostile-parallel", "hostile-repost"]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background",
                  "srcset", "cite", "longdesc"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
FORBIDDEN_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base"}


class Page(HTMLParser):
    """Every start tag with its attributes, inline script texts, and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k.lower(): v or "" for k, v in attrs}))
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, {k.lower(): v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data
        else:
            self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def compact(url: str) -> str:
    return "".join(c for c in url if c > " ").lower()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("hostile"), DOCS)
    result = run_cli(root, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def pages(site) -> dict[str, Page]:
    return {p.relative_to(site).as_posix(): parse(p) for p in sorted(site.rglob("*.html"))}


def test_every_hostile_document_has_a_page(site):
    for doc_id in DOC_IDS:
        assert (site / "documents" / doc_id / "index.html").exists(), doc_id


def test_no_script_but_the_themes_own(pages):
    for name, page in pages.items():
        for tag, attrs in page.tags:
            if tag == "script" and attrs.get("src"):
                src = attrs["src"]
                assert "://" not in src and not src.startswith("//"), (name, src)
                assert "assets/javascripts/" in src, (name, src)
        for script in page.scripts:
            assert "alert" not in script, (name, script[:200])


def test_no_event_handler_attributes(pages):
    for name, page in pages.items():
        for tag, attrs in page.tags:
            handlers = [a for a in attrs if a.startswith("on")]
            assert not handlers, (name, tag, attrs)


def test_no_dangerous_url_schemes(pages):
    for name, page in pages.items():
        for tag, attrs in page.tags:
            for attr, value in attrs.items():
                if attr in URL_ATTRIBUTES:
                    assert not compact(value).startswith(BAD_SCHEMES), (name, tag, attr, value)


def test_no_frames_objects_or_embeds(pages):
    for name, page in pages.items():
        found = [tag for tag, _ in page.tags if tag in FORBIDDEN_TAGS]
        assert not found, (name, found)


def test_no_image_from_a_third_party_host(pages):
    for name, page in pages.items():
        for tag, attrs in page.tags:
            if tag in ("img", "source", "video", "audio", "input"):
                for url in (attrs.get("src", ""), *attrs.get("srcset", "").split()):
                    assert not compact(url).startswith(("http:", "https:", "//")), (name, tag, attrs)


def test_no_injected_style_meta_refresh_or_form(pages):
    for name, page in pages.items():
        assert not any("display:none" in s.replace(" ", "") for s in page.styles), name
        for tag, attrs in page.tags:
            if tag == "meta":
                assert attrs.get("http-equiv", "").lower() != "refresh", (name, attrs)
            if tag == "form":
                assert "evil.example" not in attrs.get("action", ""), (name, attrs)


def test_hostile_source_text_shows_as_literal_text(pages):
    text = "".join(pages["documents/hostile-pdf/index.html"].text)
    assert "<script>alert('x1')</script>" in text
    assert "{{ config.site_name }}" in text
    assert "{% include 'base.html' %}" in text
    assert "**粗体**" in text
    assert "脚注占位符~~footnotes~~和///Footnotes Go Here///不会移动注释。" in text  # not taken for the marker


def test_hostile_metadata_shows_as_literal_text(pages):
    text = "".join(pages["documents/hostile-pdf/index.html"].text)
    assert "<script>alert('t1')</script>" in text
    assert "<svg onload=alert('t5')>" in text


def test_markdown_links_keep_only_safe_schemes_and_images_become_links(pages):
    page = pages["documents/hostile-repost/index.html"]
    hrefs = [attrs.get("href", "") for tag, attrs in page.tags if tag == "a"]
    assert "https://example.org/safe" in hrefs
    assert any("tracker.example/pixel.png" in h for h in hrefs), "an external image becomes a link"
    assert not any(tag == "img" and "tracker" in attrs.get("src", "") for tag, attrs in page.tags)
    text = "".join(page.text)
    assert "javascript:alert('m3')" in text, "an unsafe link stays visible as literal text"


def test_search_results_run_no_markup_from_the_pages(site):
    """Search results are drawn from Pagefind's index of these pages: titles as text, excerpts
    with every tag but Pagefind's <mark> escaped (assets/javascripts/library-search.js)."""
    assert (site / "pagefind" / "pagefind.js").is_file()
    script = (site / "assets" / "javascripts" / "library-search.js").read_text(encoding="utf-8")
    assert "heading.textContent = title" in script
    assert 'text.replace(/<(?!\\/?mark>)/g, "&lt;")' in script
    assert script.count("innerHTML") == 1


