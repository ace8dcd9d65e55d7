"""Browsing the library: the documents overview sorts and filters; the home tab names the site
once; the breadcrumb section "文献" leads to the overview."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_tab_names_the_site_once(reader):
    page = reader.open("")
    assert page.title() == "太空政策双语研究文库"  # was "太空政策双语研究文库 - 太空政策双语研究文库"


def test_documents_overview_sorts_and_filters(reader, document_pages):
    page = reader.open("documents/")
    assert page.title().startswith("文献一览")
    rows = page.locator("table.library-table tbody tr")
    assert rows.count() == len(document_pages)

    def visible_dates():
        return [d for d in page.eval_on_selector_all(
            "table.library-table tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.date)")]

    page.locator("th[data-key=date]").click()
    dates = visible_dates()
    assert dates == sorted(dates)
    page.locator("th[data-key=date]").click()
    assert visible_dates() == sorted(dates, reverse=True)

    kind = page.locator(".library-table-filters select").first
    options = kind.locator("option").all_inner_texts()
    assert options[0] == "全部类型" and len(options) >= 3
    kind.select_option(label=options[1])
    kinds = page.eval_on_selector_all("table.library-table tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.kind)")
    assert kinds and set(kinds) == {options[1]}
    assert f"显示 {len(kinds)} / {len(document_pages)} 篇" in page.locator(".library-table-count").inner_text()

    kind.select_option(index=0)
    page.locator(".library-table-filters input").fill("没有这样的文献标题")
    assert visible_dates() == []
    assert not reader.errors, reader.errors


def test_breadcrumb_section_leads_to_the_overview(reader, document_pages):
    page = reader.open(document_pages[0])
    link = page.locator(".md-path a", has_text="文献").first
    link.click()
    page.wait_for_url(reader.base_url + "documents/")
    assert page.locator("table.library-table").count() == 1
