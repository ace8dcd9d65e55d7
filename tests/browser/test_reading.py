"""Reading a document: footnote tooltips, term links to the glossary, the bilingual view.

Which document to read is chosen from the built HTML (the first document that has footnote
references, term links, aligned pairs), so the tests follow the corpus rather than naming a text.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

pytestmark = pytest.mark.browser

FOOTNOTE_REF = 'class="footnote-ref"'
TERM_LINK = re.compile(r'<a href="(?:\.\./)+glossary/(?!#)[^"]+/"[^>]*title="[^"]+"')
BILINGUAL = 'class="bilingual"'


def first_with(marker, document_pages, page_html) -> str:
    for path in document_pages:
        source = page_html(path)
        if (marker.search(source) if isinstance(marker, re.Pattern) else marker in source):
            return path
    return ""


def wait_for_tooltip(page):
    """Material's active tooltip, once it has faded in."""
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible", timeout=5000)
    page.wait_for_function("() => { const t = document.querySelector('.md-tooltip2--active');"
                           " return t && getComputedStyle(t).opacity === '1'; }", timeout=5000)
    return tooltip


def same_text(a: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", a)).strip()


# --------------------------------------------------------------------------- footnotes


def test_footnote_reference_shows_the_note(reader, document_pages, page_html):
    path = first_with(FOOTNOTE_REF, document_pages, page_html)
    assert path, "no document page has a footnote reference (a.footnote-ref)"
    page = reader.open(path)
    ref = page.locator(".md-content__inner a.footnote-ref").first
    note_id = ref.get_attribute("href").split("#", 1)[1]
    note = page.locator(f"[id='{note_id}']")
    note_text = same_text(note.evaluate(
        "li => { const c = li.cloneNode(true); c.querySelectorAll('.footnote-backref').forEach(b => b.remove());"
        " return c.textContent; }"))
    assert note_text, f"{path}: note {note_id} is empty"
    ref.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    ref.hover()
    tooltip = wait_for_tooltip(page)
    shown = same_text(tooltip.inner_text())
    assert note_text[:30] in shown, f"{path}: the tooltip shows {shown[:80]!r}, not note {note_id} ({note_text[:80]!r})"
    reader.screenshot("footnote-tooltip")
    # Tapping the reference (no hover on a phone) goes to the note itself.
    page.mouse.move(0, 0)
    ref.click()
    page.wait_for_function("id => decodeURIComponent(location.hash) === '#' + id", arg=note_id)
    assert note.is_visible() and note.evaluate("e => { const r = e.getBoundingClientRect();"
                                               " return r.top >= 0 && r.top < innerHeight; }")
    assert not reader.errors, reader.errors


# --------------------------------------------------------------------------- glossary links


def test_linked_term_leads_to_its_glossary_entry(reader, document_pages, page_html):
    path = first_with(TERM_LINK, document_pages, page_html)
    assert path, "no document page links a term to its glossary entry (<a href=\"../../glossary/<entry>/\" title=…>)"
    page = reader.open(path)
    first = page.locator(".md-content__inner a[href*='glossary/'][title]:not([href$='glossary/'])").first
    href, title = first.get_attribute("href"), first.get_attribute("title")
    # Material moves a title into its own tooltip on hover, so find the link by its address.
    link = page.locator(f".md-content__inner a[href='{href}']").first
    term = same_text(link.inner_text())
    link.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    link.hover()
    tooltip = wait_for_tooltip(page)
    assert same_text(title) in same_text(tooltip.inner_text()), "the term's tooltip does not show its title"
    link.click()
    page.wait_for_url(re.compile(r"/glossary/[^/#?]+/"))
    heading = page.locator(".md-content__inner h1").first
    heading.wait_for()
    entry_text = same_text(page.locator(".md-content__inner").inner_text())
    assert term in entry_text, f"the glossary entry {page.url} does not mention the linked term {term!r}"
    assert path.rstrip("/").split("/")[-1] in page.locator(".md-content__inner").inner_html(), \
        f"the glossary entry {page.url} does not link back to the document {path}"
    reader.screenshot("glossary-entry")
    assert not reader.errors, reader.errors


# --------------------------------------------------------------------------- bilingual view


def shown(locator) -> bool:
    return locator.is_visible() and locator.bounding_box()["width"] > 0


def show_at_top(page, element) -> None:
    """Scroll so that the element sits just below Material's fixed header."""
    # One downward scroll: scrolling up would bring out Material's "back to top" button.
    element.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 80)")
    page.wait_for_timeout(100)


def test_bilingual_view_switches_and_is_remembered(reader, document_pages, page_html):
    path = first_with(BILINGUAL, document_pages, page_html)
    assert path, "no document page has aligned bilingual paragraphs (div.bilingual)"
    page = reader.open(path)
    control = page.locator(".bilingual-control")
    control.wait_for(state="visible", timeout=5000)
    buttons = control.locator("button")
    assert [b.strip() for b in buttons.all_inner_texts()] == ["双语", "中文", "English"]
    pair = page.locator(".md-content__inner .bilingual").first
    pair.scroll_into_view_if_needed()
    zh, en = pair.locator(".bilingual-zh"), pair.locator(".bilingual-en")
    assert shown(zh) and shown(en), "both languages are not shown at first"
    zh_box, en_box = zh.bounding_box(), en.bounding_box()
    assert abs(zh_box["y"] - en_box["y"]) < 4 and zh_box["x"] != en_box["x"], \
        "on a wide screen the two languages are not side by side"
    assert re.search(r"[\u4e00-\u9fff]", zh.inner_text()) and re.search(r"[A-Za-z]{3}", en.inner_text())
    show_at_top(page, pair)
    reader.screenshot("bilingual")

    control.get_by_role("button", name="中文", exact=True).click()
    assert shown(zh) and not en.is_visible(), "中文 does not hide the English side"
    assert control.get_by_role("button", name="中文", exact=True).get_attribute("aria-pressed") == "true"
    control.get_by_role("button", name="English", exact=True).click()
    assert shown(en) and not zh.is_visible(), "English does not hide the Chinese side"
    show_at_top(page, pair)
    reader.screenshot("bilingual-english")

    # Remembered across pages: leave through the site's own links (instant navigation) and come back.
    page.locator("a.md-header__button.md-logo").click()
    page.wait_for_url(reader.base_url)
    page.locator(f".md-content a[href$='{path}']").first.click()
    page.wait_for_url(reader.base_url + path)
    pair = page.locator(".md-content__inner .bilingual").first
    assert pair.locator(".bilingual-en").is_visible() and not pair.locator(".bilingual-zh").is_visible(), \
        "the English-only choice is lost after navigating away and back"
    # ... and after a full reload.
    page.reload()
    pair = page.locator(".md-content__inner .bilingual").first
    pair.wait_for(state="attached")
    page.locator(".bilingual-control").wait_for(state="visible")
    assert pair.locator(".bilingual-en").is_visible() and not pair.locator(".bilingual-zh").is_visible(), \
        "the English-only choice is lost after a reload"
    page.locator(".bilingual-control").get_by_role("button", name="双语", exact=True).click()
    assert pair.locator(".bilingual-zh").is_visible() and pair.locator(".bilingual-en").is_visible()
    assert not reader.errors, reader.errors
