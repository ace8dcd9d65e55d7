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
