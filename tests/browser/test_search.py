"""A reader types into Material's search box and finds the documents and the glossary entry that
contain the query: a Chinese term, an English term, an abbreviation, and the term's pinyin.

The queries are terms of the seed corpus. Which pages should be found is read from the built
site itself: every document page whose text holds the query, and the glossary entry headed by the
Chinese term (for the Chinese and pinyin queries) or a glossary entry holding the query (English
term, abbreviation).
"""

from __future__ import annotations

import html
import re
import time

import pytest
from pypinyin import lazy_pinyin

pytestmark = pytest.mark.browser

CHINESE_TERM = "反卫星武器"  # in the policy paper's abbreviation list (ASAT) and the CSIS translation
ENGLISH_TERM = "Artemis"  # in the CSIS translation and the lunar-policy article's notes
ABBREVIATION = "ASAT"

TAG = re.compile(r"<[^>]+>")
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
MAIN = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)


def visible_text(page_source: str) -> str:
    """The article text of a built page, as the reader sees it (tags dropped, entities decoded)."""
    found = MAIN.search(page_source)
    return html.unescape(TAG.sub("", found.group(1) if found else page_source))


def pages_containing(query: str, paths: list[str], page_html) -> set[str]:
    needle = query.casefold()
    return {p for p in paths if needle in visible_text(page_html(p)).casefold()}


def entries_titled(term: str, paths: list[str], page_html) -> set[str]:
    """Glossary entry pages whose heading is the term itself."""
    def heading(path: str) -> str:
        found = H1.search(page_html(path))
        return html.unescape(TAG.sub("", found.group(1))).replace("\N{PILCROW SIGN}", "").strip() if found else ""
    return {p for p in paths if heading(p) == term}


def glossary_entries(site_pages: list[str]) -> list[str]:
    return [p for p in site_pages if p.startswith("glossary/") and p != "glossary/"]


def search(reader, query: str) -> list[str]:
    """Type a query as a reader does and return the result pages' paths, best first."""
    page = reader.page
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    page.keyboard.type(query)
    # CJK text arrives as input events without key-ups; Material searches on key-up, so press a
    # key as an input method's commit does.
    page.keyboard.press("End")
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta') && "
        "!/初始化|Initializing/.test(document.querySelector('.md-search-result__meta').textContent)")
    return stable_results(page)


def stable_results(page, settle: float = 0.4, limit: float = 8.0) -> list[str]:
    """Result paths once the list stops changing (the worker answers each key-up in turn)."""
    script = """() => [...document.querySelectorAll('.md-search-result__item > a.md-search-result__link')]
                     .map(a => new URL(a.href).pathname.replace(/^\\//, ''))"""
    last, since, start = None, time.monotonic(), time.monotonic()
    while time.monotonic() - start < limit:
        now = page.evaluate(script)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= settle:
            break
        time.sleep(0.1)
    return list(dict.fromkeys(last or []))


def assert_found(results: list[str], query: str, documents: set[str], entries: set[str]) -> None:
    assert documents, f"no document page contains {query!r}: the seed corpus changed?"
    missing = documents - set(results)
    assert not missing, f"search for {query!r} does not list documents containing it: {sorted(missing)}; got {results}"
    assert entries, f"no glossary entry page is headed by or contains {query!r}"
    assert entries & set(results), f"search for {query!r} lists no glossary entry containing it; got {results}"


@pytest.fixture
def searcher(reader):
    reader.open("")
    return reader


@pytest.mark.parametrize("query", [CHINESE_TERM, ENGLISH_TERM, ABBREVIATION],
                         ids=["chinese-term", "english-term", "abbreviation"])
def test_search_finds_documents_and_glossary_entry(searcher, query, document_pages, site_pages, page_html):
    documents = pages_containing(query, document_pages, page_html)
    if query == CHINESE_TERM:
        entries = entries_titled(query, glossary_entries(site_pages), page_html)
    else:
        entries = pages_containing(query, glossary_entries(site_pages), page_html)
    results = search(searcher, query)
    if query == CHINESE_TERM:
        searcher.screenshot("search-results")
    assert_found(results, query, documents, entries)
    assert not searcher.errors, searcher.errors


def pinyin_queries(term: str) -> list[str]:
    """How a reader types a term's pinyin: toneless, run together or one syllable per word."""
    syllables = lazy_pinyin(term)
    return ["".join(syllables), " ".join(syllables)]


def test_search_by_pinyin_finds_glossary_entry(searcher, site_pages, page_html):
    entries = entries_titled(CHINESE_TERM, glossary_entries(site_pages), page_html)
    assert entries, f"no glossary entry is headed {CHINESE_TERM!r}"
    tried = {}
    for query in pinyin_queries(CHINESE_TERM):
        results = search(searcher, query)
        tried[query] = results[:10]
        if entries & set(results[:10]):
            return
    pytest.fail(f"no pinyin query found a glossary entry for {CHINESE_TERM!r} among the first ten "
                f"results: {tried}")


@pytest.mark.parametrize("query", [CHINESE_TERM, ABBREVIATION, "fanweixingwuqi"], ids=["chinese", "abbreviation", "pinyin"])
def test_the_glossary_entry_ranks_among_the_first_three_results(searcher, site_pages, page_html, query):
    """A reader who types a term, its abbreviation or its run-together pinyin sees its entry near the top."""
    entries = entries_titled(CHINESE_TERM, glossary_entries(site_pages), page_html)
    results = search(searcher, query)
    assert entries & set(results[:3]), f"entry {sorted(entries)} not in the first three results for {query!r}: {results[:5]}"
