"""Search as a reader uses it: the header's search box, Pagefind behind it, in headless Chromium.

A query set of the five kinds of the issue (Chinese terms, Chinese phrases, English terms and
abbreviations, pinyin, author names) plus transliterated names, each with the pages a reader
expects, judged from the seed content: a glossary term's entry for the term in any of its
forms; for a phrase, the document that is about it (the one using it most: counts checked
against the built site below); for an author, the author's page or their document. The set
must reach hit@3 >= 30/32 scaled to its size and MRR >= 0.85 (issue 19).

Also: a transliterated name of 3–5 characters that jieba's dictionary lacks is found (Pagefind
1.6 segments pages as the browser segments queries); one cold query downloads little and
nothing of the search is downloaded before the reader searches; filters and date sort; a
query in one language reaches pages in the other; dark mode and a narrow screen.
"""

from __future__ import annotations

import gzip
import html
import re
import time

import pytest

pytestmark = pytest.mark.browser

D = "documents/"
G = "glossary/"
A = "authors/"
# (kind, query, expected pages): a hit when any expected page is among the first results.
QUERIES = [
    ("zh-term", "反卫星武器", {G + "anti-satellite-weapon/"}),
    ("zh-term", "星链", {G + "starlink/"}),
    ("zh-term", "国际月球科研站", {G + "international-lunar-research-station/"}),
    ("zh-term", "原位资源利用", {G + "in-situ-resource-utilization/"}),
    ("zh-term", "太空威慑", {G + "space-deterrence/"}),
    ("zh-term", "预防外空军备竞赛", {G + "prevention-of-an-arms-race-in-outer-space/"}),
    ("zh-term", "商业月球有效载荷服务", {G + "commercial-lunar-payload-services/"}),
    ("zh-term", "金穹", {G + "golden-dome/"}),
    ("zh-term", "交会与接近操作", {G + "rpo/"}),
    ("zh-phrase", "太空军备竞赛", {D + "china-russia-space-cooperation/"}),
    ("zh-phrase", "中英太空对话", {D + "china-uk-space-strategic-stability/"}),
    ("zh-phrase", "太空武器化", {D + "china-russia-space-cooperation/"}),
    ("zh-phrase", "地月空间", {D + "us-lunar-commercialization-policy/"}),
    ("zh-phrase", "中美太空合作", {D + "china-us-space-cooperation/"}),
    ("zh-phrase", "中俄太空合作", {D + "china-russia-space-cooperation/"}),
    ("zh-phrase", "月球商业化", {D + "us-lunar-commercialization-policy/"}),
    ("zh-phrase", "民用航天合作", {D + "china-us-space-cooperation/", D + "china-uk-space-strategic-stability/"}),
    ("zh-phrase", "太空霸权", {D + "china-russia-space-cooperation/"}),
    ("zh-phrase", "俄乌冲突", {D + "china-uk-space-strategic-stability/"}),
    ("en", "ASAT", {G + "anti-satellite-weapon/"}),
    ("en", "Artemis", {G + "artemis/"}),
    ("en", "Starlink", {G + "starlink/"}),
    ("en", "ILRS", {G + "international-lunar-research-station/"}),
    ("en", "CLPS", {G + "commercial-lunar-payload-services/"}),
    ("en", "PAROS", {G + "prevention-of-an-arms-race-in-outer-space/"}),
    ("en", "International Lunar Research Station", {G + "international-lunar-research-station/"}),
    ("en", "Golden Dome", {G + "golden-dome/"}),
    ("en", "rendezvous and proximity operations", {G + "rpo/"}),
    ("en", "Artemis Accords", {G + "artemis/", D + "us-lunar-commercialization-policy/"}),
    ("en", "space deterrence", {G + "space-deterrence/"}),
    ("pinyin", "fanweixingwuqi", {G + "anti-satellite-weapon/"}),
    ("pinyin", "xinglian", {G + "starlink/"}),
    ("pinyin", "taikong weishe", {G + "space-deterrence/"}),
    ("pinyin", "guojiyueqiukeyanzhan", {G + "international-lunar-research-station/"}),
    ("pinyin", "jinqiong", {G + "golden-dome/"}),
    ("author", "何奇松", {A + "he-qisong/", D + "china-russia-space-cooperation/"}),
    ("author", "叶妮姗", {A + "ye-nishan/", D + "china-russia-space-cooperation/"}),
    ("author", "尼维迪塔·拉朱", {A + "nivedita-raju/", D + "china-uk-space-strategic-stability/"}),
    ("author", "苏菲", {A + "fei-su/", D + "china-uk-space-strategic-stability/"}),
    ("author", "三只松鼠", {A + "san-zhi-song-shu/", D + "gnews-china-russia-space-alliance/"}),
    ("name", "阿尔忒弥斯", {G + "artemis/"}),
    ("name", "佩尔米诺夫", {G + "anatoly-perminov/"}),
    ("name", "罗戈津", {G + "dmitry-rogozin/"}),
]
# A transliterated name of 3-5 characters that jieba's dictionary does not hold, its entry and
# a document that uses it.
UNKNOWN_NAME = ("佩尔米诺夫", G + "anatoly-perminov/", D + "china-uk-space-strategic-stability/")
COLD_QUERY = "反卫星武器"
COLD_QUERY_BYTES = 400_000  # issue 19: a cold first query downloads at most this much
# issue 19 asks 0.5 s on an idle machine; the bound leaves room for a machine busy with other work
COLD_QUERY_SECONDS = 1.5
HIT3_SHARE = 30 / 32
MIN_MRR = 0.85

TAG = re.compile(r"<[^>]+>")
MAIN = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
IGNORED = re.compile(r"<(div|h[1-6])[^>]*data-pagefind-(?:ignore|weight)[^>]*>.*?</\1>", re.S)


# --------------------------------------------------------------------------- helpers


def search(reader, query: str, settle: float = 0.3, limit: float = 10.0) -> list[str]:
    """Type a query into the header's search box as a reader does; the result pages' paths,
    best first, once the list has stopped changing."""
    page = reader.page
    box = page.locator(".library-search .md-search__input")
    button = page.locator('label.md-header__button[for="__search"]')
    if button.is_visible() and not page.locator("#__search").is_checked():
        # a narrow screen shows a search button instead of the box (Material lays the search
        # overlay over it: a tap lands on either, and both open the search)
        button.click(force=True)
        page.wait_for_function("() => document.activeElement.matches('.library-search .md-search__input')")
    box.click()
    box.fill(query)
    script = """() => [...document.querySelectorAll('.library-search .md-search-result__item')]
                     .map(li => new URL(li.querySelector('a').href).pathname.replace(/^\\//, ''))"""
    # drawn (data-query), then completed with the excerpts from the pages' fragments (data-excerpts)
    page.wait_for_function("(q) => document.querySelector('.library-search .md-search-result__list')"
                           ".dataset.excerpts === q", arg=query.strip(), timeout=limit * 1000)
    last, since, start = None, time.monotonic(), time.monotonic()
    while time.monotonic() - start < limit:
        now = page.evaluate(script)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= settle:
            break
        time.sleep(0.05)
    return list(dict.fromkeys(last or []))


def rank(results: list[str], expected: set[str]) -> int | None:
    """1-based position of the first expected page among the results."""
    for position, path in enumerate(results, 1):
        if path in expected:
            return position
    return None


def article_text(page_source: str) -> str:
    """What the page shows of its article (sections left out of search and the hidden names the
    search adds are not counted)."""
    found = MAIN.search(page_source)
    return html.unescape(TAG.sub("", IGNORED.sub("", found.group(1) if found else page_source)))


@pytest.fixture
def searcher(reader):
    reader.open("")
    return reader


# --------------------------------------------------------------------------- the query set


def test_phrase_expectations_match_the_site(page_html, document_pages):
    """A phrase's expected document is the one that uses it most (the judgement above holds)."""
    for kind, query, expected in QUERIES:
        if kind != "zh-phrase":
            continue
        counts = {p: article_text(page_html(p)).count(query) for p in document_pages}
        best = max(counts.values())
        assert best > 0, f"no document holds {query!r}"
        assert {p for p, n in counts.items() if n == best} & expected, (query, counts)


def test_expected_pages_exist(site_pages):
    missing = {p for _, _, expected in QUERIES for p in expected if p not in site_pages}
    assert not missing, f"expected pages not in the site: {sorted(missing)}"


def test_query_set_ranks_the_expected_pages_first(searcher):
    ranks, table = [], []
    for kind, query, expected in QUERIES:
        results = search(searcher, query)
        position = rank(results, expected)
        ranks.append(position)
        table.append(f"{kind:9} {query:40} {position or '-':>2}  {results[:3]}")
    total = len(QUERIES)
    hit1 = sum(1 for r in ranks if r == 1)
    hit3 = sum(1 for r in ranks if r and r <= 3)
    mrr = sum(1 / r for r in ranks if r) / total
    report = "\n".join(table) + f"\nhit@1 {hit1}/{total}  hit@3 {hit3}/{total}  MRR {mrr:.3f}"
    print(report)
    assert len(QUERIES) >= 30
    assert hit3 >= HIT3_SHARE * total, report
    assert mrr >= MIN_MRR, report
    assert not searcher.errors, searcher.errors


def glossary_forms(site_dir) -> list[tuple[str, str, str]]:
    """(entry path, kind of form, form) for every glossary entry: its Chinese name, its English
    name, abbreviation and run-together pinyin (from the names the entry gives the search)."""
    out = []
    for page in sorted(site_dir.glob("glossary/*/index.html")):
        source = page.read_text(encoding="utf-8")
        names = re.search(r'<div class="search-names" hidden[^>]*>(.*?)</div>', source, re.S)
        if not names:
            continue
        path = f"{G}{page.parent.name}/"
        title = re.search(r"<h1[^>]*>(.*?)</h1>", source, re.S)
        out.append((path, "zh", html.unescape(TAG.sub("", title.group(1))).replace("\N{PILCROW SIGN}", "").strip()))
        listed = [html.unescape(n).strip() for n in names.group(1).split(" · ")]
        english = [n for n in listed if n.isascii() and not (n.islower() and n.replace(" ", "").isalpha())]
        if english:
            out.append((path, "en", english[0]))
        out += [(path, "abbr", n) for n in listed if n.isascii() and n.isupper() and len(n) > 1 and n not in english[:1]][:1]
        out += [(path, "pinyin", n) for n in listed if n.isascii() and n.islower() and " " not in n][-1:]
    return out


def test_every_glossary_form_finds_its_entry(searcher, site_dir):
    """Each entry among the first three results for its Chinese name, English name, abbreviation
    and pinyin run together (issue 19), through the search box's own ranking: all of them, also
    names Pagefind's index segments otherwise than the browser segments the query (the exact-names
    table, builder/search.py). A form that several entries share (an abbreviation of two names)
    may put the others first: the entry is then among the first as many as share it."""
    from builder.search import name_key

    search(searcher, "星链")  # loads the search
    page = searcher.page
    forms = glossary_forms(site_dir)
    sharing: dict[str, set[str]] = {}
    for path, _kind, form in forms:
        sharing.setdefault(name_key(form), set()).add(path)
    missed: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for path, kind, form in forms:
        counts[kind] = counts.get(kind, 0) + 1
        first = max(3, len(sharing[name_key(form)]))
        results = page.evaluate("([q, n]) => window.librarySearch.ranked(q, n)", [form, first])
        if path not in results[:first]:
            missed.setdefault(kind, []).append(f"{form!r} -> {results[:first]}")
    print({kind: f"{counts[kind] - len(missed.get(kind, []))}/{counts[kind]}" for kind in counts})
    assert set(counts) == {"zh", "en", "abbr", "pinyin"}
    assert not missed, missed
    assert not searcher.errors, searcher.errors


def test_a_transliterated_name_unknown_to_jieba_is_found(searcher):
    import jieba

    name, entry, document = UNKNOWN_NAME
    assert 3 <= len(name) <= 5
    assert name not in jieba.dt.FREQ or jieba.lcut(name) != [name] or not jieba.dt.initialized
    jieba.dt.check_initialized()
    assert jieba.lcut(name) != [name], f"{name} is in jieba's dictionary: choose another name"
    results = search(searcher, name)
    assert results[:1] == [entry], results
    assert document in results, results


def test_a_query_in_one_language_reaches_pages_in_the_other(searcher, page_html):
    """'Starlink' finds the Chinese-only documents that write 星链 (the entry's names are the
    documents' search metadata)."""
    results = search(searcher, "Starlink")
    chinese_only = [p for p in results if p.startswith(D) and "Starlink" not in article_text(page_html(p))]
    assert chinese_only, f"no document writing only 星链 found for 'Starlink': {results}"


# --------------------------------------------------------------------------- bytes and time


def test_nothing_of_the_search_loads_before_the_reader_searches_and_a_cold_query_is_small(reader):
    requested: dict[str, int] = {}
    bodies: dict[str, bytes] = {}

    def on_response(response):
        try:
            bodies[response.url] = response.body()
        except Exception:  # noqa: BLE001 - a redirect or aborted request has no body
            bodies[response.url] = b""
        requested[response.url] = len(bodies[response.url])

    def gzip_size(url: str, size: int) -> int:
        return min(size, len(gzip.compress(bodies[url], 6)))

    reader.page.on("response", on_response)  # bodies as sent: this test server compresses nothing
    reader.open("")
    reader.page.wait_for_timeout(500)
    before = [u for u in requested if "pagefind" in u or "library-search" in u]
    assert not before, f"search files loaded before searching: {before}"
    requested.clear()
    page = reader.page
    start = page.evaluate("() => performance.now()")
    page.locator(".library-search .md-search__input").click()  # loads the search, then the query
    page.keyboard.insert_text(COLD_QUERY)
    page.wait_for_function("(q) => document.querySelector('.library-search .md-search-result__list')"
                           ".dataset.query === q", arg=COLD_QUERY)
    seconds = (page.evaluate("() => performance.now()") - start) / 1000
    results = search(reader, COLD_QUERY)
    total = sum(requested.values())
    # a static host compresses scripts, WebAssembly and styles (Pagefind's index and fragments
    # are gzip files already): what a reader downloads from one
    compressed = sum(size if ".pf_" in url else gzip_size(url, size) for url, size in requested.items())
    print(f"cold query: {len(requested)} requests, {total:,} bytes as sent here, {compressed:,} compressed "
          f"by a static host; results drawn {seconds:.2f} s after the click on the box")
    assert results, "no results"
    assert compressed <= COLD_QUERY_BYTES, f"{compressed:,} bytes for one cold query: {sorted(requested.items())}"
    assert total <= COLD_QUERY_BYTES * 1.25, f"{total:,} bytes for one cold query: {sorted(requested.items())}"
    assert seconds <= COLD_QUERY_SECONDS, f"results after {seconds:.2f} s"
    assert not reader.errors, reader.errors


# --------------------------------------------------------------------------- the interface


def test_results_show_excerpts_sections_and_chinese_labels(searcher):
    results = search(searcher, "太空武器化")
    assert results
    page = searcher.page
    first = page.locator(".library-search .md-search-result__item").first
    assert first.locator("mark").count() >= 1, "the excerpt marks the query"
    assert first.locator(".library-search__kind").inner_text() in {"文献", "术语", "作者", "索引"}
    assert page.locator(".library-search .md-search-result__item a:nth-child(2) h2").count() >= 1, \
        "no result lists the sections (sub-results) that match"
    assert "找到" in page.locator(".library-search .md-search-result__meta").inner_text()
    searcher.screenshot("search-results")


def test_results_are_drawn_before_their_pages_fragments_arrive(searcher):
    """The first results come from the cards table as soon as Pagefind's search returns; each
    page's fragment (its whole text, for the excerpt) only completes them. Held back here for a
    second, the fragments must not hold back the titles."""
    page = searcher.page
    held: list[str] = []

    def slow_fragment(route):
        held.append(route.request.url)
        page.wait_for_timeout(1000)
        route.continue_()

    page.route("**/*.pf_fragment", slow_fragment)
    box = page.locator(".library-search .md-search__input")
    box.click()
    box.fill("星链")
    page.wait_for_function("() => document.querySelector('.library-search .md-search-result__list')"
                           ".dataset.query === '星链'", timeout=5000)
    items = page.locator(".library-search .md-search-result__item")
    assert items.count() >= 1
    titles = items.locator("h1").all_inner_texts()
    assert all(t.strip() for t in titles), titles
    assert items.locator(".library-search__excerpt").count() == 0, "drawn only after the fragments"
    page.wait_for_function("() => document.querySelector('.library-search .md-search-result__list')"
                           ".dataset.excerpts === '星链'", timeout=10_000)
    assert held, "no fragment was requested"
    assert items.first.locator(".library-search__excerpt mark").count() >= 1
    assert not searcher.errors, searcher.errors


def test_filters_and_date_sort(searcher):
    search(searcher, "太空")
    page = searcher.page
    page.locator(".library-search__filters summary").click()
    kind = page.locator('.library-search select[name="filter-kind"]')
    kind.wait_for()
    kind.select_option("文献")
    page.wait_for_timeout(600)
    meta = page.locator(".library-search .md-search-result__meta")
    count = meta.inner_text()
    kinds = page.locator(".library-search .md-search-result__item .library-search__kind").all_inner_texts()
    assert kinds and set(kinds) == {"文献"}, kinds
    page.locator('.library-search select[name="sort"]').select_option("date:desc")
    page.wait_for_timeout(600)
    dates = page.locator(".library-search .md-search-result__item h1").all_inner_texts()
    years = [m.group() for text in dates for m in [re.search(r"\b(19|20)\d\d", text)] if m]
    assert years == sorted(years, reverse=True), dates
    assert meta.inner_text() == count, "sorting by date must list the undated documents too"


def test_search_in_dark_mode(reader):
    """The reader's system asks for dark: the palette follows it, and so do the results."""
    reader.page.emulate_media(color_scheme="dark")
    reader.open("")
    assert reader.page.evaluate("() => document.body.dataset.mdColorScheme") == "slate"
    assert search(reader, "星链")
    colours = reader.page.evaluate("""() => {
        const item = document.querySelector('.library-search .md-search-result__item h1');
        const box = document.querySelector('.library-search .md-search__output');
        return [getComputedStyle(item).color, getComputedStyle(box).backgroundColor];
    }""")
    brightness = [sum(map(int, re.findall(r"\d+", c)[:3])) / 3 for c in colours]
    assert brightness[0] > brightness[1] + 80, f"text {colours[0]} on {colours[1]} is not light on dark"
    reader.screenshot("search-dark")
    assert not reader.errors, reader.errors


def test_search_on_a_narrow_screen(reader):
    page = reader.page
    page.set_viewport_size({"width": 380, "height": 760})
    reader.open("documents/")
    results = search(reader, "阿尔忒弥斯")
    assert G + "artemis/" in results[:3], results
    width = page.evaluate("() => document.querySelector('.library-search .md-search__output').getBoundingClientRect().width")
    assert width >= 360, f"results take {width}px of a 380px screen"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
    reader.screenshot("search-narrow")
    page.locator(".library-search .md-search-result__item a").first.click()
    page.wait_for_url("**/glossary/artemis/")
    assert not page.locator("#__search").is_checked(), "the search stays open after choosing a result"
    assert not reader.errors, reader.errors
