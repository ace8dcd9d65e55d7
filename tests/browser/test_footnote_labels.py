"""A reader sees one number per note: the source's label on the marker and at the note."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_note_list_shows_only_the_source_labels(reader, document_pages):
    for path in document_pages:
        page = reader.open(path)
        if page.locator(".footnote li").count() == 0:
            continue
        style = page.eval_on_selector(".footnote ol", "ol => getComputedStyle(ol).listStyleType")
        assert style == "none"
        marker = page.locator("a.footnote-ref").first.inner_text()
        first_note = page.locator(".footnote li").first.inner_text().split()[0]
        assert marker == first_note.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
        return
    pytest.fail("no document page with notes")


def test_a_link_into_the_folded_appendix_opens_it(reader, site_pages):
    author_pages = [p for p in site_pages if p.startswith("authors/") and p.count("/") == 2]
    for path in author_pages:
        page = reader.open(path)
        link = page.locator("a[href*='#back-']").first
        if link.count() == 0:
            continue
        link.click()
        # the address changes before the document's page has arrived: wait for the note it names
        page.wait_for_function("() => location.hash.startsWith('#back-') && "
                               "document.getElementById(decodeURIComponent(location.hash.slice(1)))")
        target = page.evaluate("() => location.hash.slice(1)")
        opened = page.eval_on_selector(f"[id='{target}']", "el => el.closest('details').open")
        assert opened
        assert page.locator(f"[id='{target}']").locator("xpath=..").is_visible()  # the item it marks
        return
    pytest.skip("no author page links into an appendix")
