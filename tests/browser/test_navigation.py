"""A reader opens the home page and reaches every document from it; no page shows a JavaScript
error or calls a third-party host."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# Glossary entries, authors and works can be many: the console check visits this many of each.
SECTION_SAMPLE = 3


def test_every_corpus_text_has_a_document_page(document_pages):
    texts = sorted((ROOT / "corpus").glob("*.txt"))
    assert len(document_pages) == len(texts), (document_pages, texts)


def test_home_page_reaches_every_document(reader, document_pages):
    page = reader.open("")
    assert "太空政策双语研究文库" in page.title()
    reader.screenshot("home")
    wanted = document_pages
    links = page.locator(".md-content a[href*='documents/']")
    hrefs = {}
    for i in range(links.count()):
        link = links.nth(i)
        target = page.evaluate("a => new URL(a.href).pathname", link.element_handle()).lstrip("/")
        hrefs.setdefault(target, link)
    missing = [p for p in wanted if p not in hrefs]
    assert not missing, f"the home page's content does not link to {missing}"
    for path in wanted:
        reader.open("")
        link = page.locator(f".md-content a[href$='{path}'], .md-content a[href$='{path[:-1]}']").first
        title = link.inner_text().splitlines()[0].strip()
        link.click()
        page.wait_for_url(reader.base_url + path)
        heading = page.locator(".md-content__inner h1").first
        heading.wait_for()
        shown = heading.inner_text().replace("\N{PILCROW SIGN}", "").strip()
        assert shown == title, f"{path}: heading is not the title the home page shows"
        body_text = page.locator(".md-content__inner").inner_text()
        assert len(body_text) > 1000, f"{path}: the document page shows almost no text"
    assert not reader.errors, reader.errors


def sample_pages(site_pages: list[str]) -> list[str]:
    """Every document, the home, glossary index and report, and a few pages of each other section
    (glossary entries, authors, works, indexes): every kind of page, in bounded time."""
    sections: dict[str, list[str]] = {}
    for path in site_pages:
        section = path.split("/", 1)[0] if path.count("/") > 1 else "top"
        sections.setdefault(section, []).append(path)
    chosen = sections.pop("top", []) + sections.pop("documents", [])
    for paths in sections.values():
        step = max(1, len(paths) // SECTION_SAMPLE)
        chosen += paths[::step][:SECTION_SAMPLE]
    return chosen


def test_no_console_errors_or_foreign_requests(reader, site_pages, document_pages):
    pages = sample_pages(site_pages)
    assert "glossary/" in pages and "report/" in pages and set(document_pages) <= set(pages)
    for path in pages:
        page = reader.open(path)
        # Material's scripts have run (search worker started, bilingual control placed) once the
        # header's search box is wired; leave the page then, as a reader clicking on would.
        page.wait_for_function("() => window.document$ && document.querySelector('.md-search__input')")
    page.wait_for_load_state("networkidle")
    assert not reader.errors, "\n".join(reader.errors)
    assert not reader.foreign_requests, f"pages asked other hosts for {reader.foreign_requests}"
    entries = [p for p in pages if p.startswith("glossary/") and p != "glossary/"]
    assert entries, "no glossary entry page was built, so none could be checked"
