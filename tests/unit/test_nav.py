"""The site navigation: documents by title; a large library's documents grouped by year, and
each built page carries only the open group (Material's navigation.prune)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder import render
from tinyproject import make_project, meta, run_cli


def page(title: str) -> str:
    return render.front_matter(title) + "\n\n# x\n"


def test_a_small_library_lists_its_documents_by_title():
    pages = {"index.md": page("首页"), "documents/b.md": page("乙文"), "documents/a.md": page("甲文"),
             "glossary/index.md": page("术语表"), "glossary/x.md": page("某词")}
    nav = render.site_nav(pages, {"about.md"}, {"documents/a.md": "2020", "documents/b.md": "2021"})
    assert nav[1] == {"文献": [{"甲文": "documents/a.md"}, {"乙文": "documents/b.md"}]}  # by title's pinyin, flat
    assert {"术语表": "glossary/index.md"} in nav and {"关于本文库": "about.md"} in nav
    assert "glossary/x.md" not in str(nav)


def test_a_large_library_groups_its_documents_by_year_newest_first():
    count = render.NAV_FLAT_MAX + 5
    pages = {f"documents/d{i:03d}.md": page(f"文献{i:03d}") for i in range(count)}
    years = {f"documents/d{i:03d}.md": ("2019", "2023", "", "2021-05")[i % 4][:4] for i in range(count)}
    [documents] = [item["文献"] for item in render.site_nav(pages, set(), years) if "文献" in item]
    assert [list(group)[0] for group in documents] == ["2023", "2021", "2019", render.UNKNOWN_YEAR]
    listed = [path for group in documents for entries in group.values() for item in entries for path in item.values()]
    assert sorted(listed) == sorted(pages)  # every document once
    for group in documents:
        titles = [list(item)[0] for entries in group.values() for item in entries]
        assert titles == sorted(titles)


def test_documents_are_listed_by_pinyin_not_code_point():
    titles = ["中美太空合作", "俄罗斯太空", "美国月球政策", "阿尔忒弥斯协定"]  # code point: 中 < 俄 < 美 < 阿
    pages = {f"documents/d{i}.md": page(title) for i, title in enumerate(titles)}
    [documents] = [item["文献"] for item in render.site_nav(pages, set()) if "文献" in item]
    assert [list(item)[0] for item in documents] == ["阿尔忒弥斯协定", "俄罗斯太空", "美国月球政策", "中美太空合作"]


@pytest.mark.site
def test_built_pages_carry_only_their_own_year(tmp_path: Path) -> None:
    count = render.NAV_FLAT_MAX + 2
    docs = {f"t{i:02d}": (f"一、引言\n\n第{i}篇测试文献的正文。\n",
                          meta(f"doc-{i:02d}", date=f"{2020 + i % 2}-01-01")) for i in range(count)}
    root = make_project(tmp_path, docs)
    result = run_cli(root, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    html = (root / "site" / "documents" / "doc-00" / "index.html").read_text(encoding="utf-8")
    nav = html[html.index("md-nav--primary"):html.index("md-sidebar--secondary")]
    linked = set(re.findall(r'href="\.\./(doc-\d\d)/"', nav))
    same_year = {f"doc-{i:02d}" for i in range(count) if i % 2 == 0} - {"doc-00"}
    assert same_year <= linked
    assert len(linked - same_year) == 1  # the other year: one link (to its first document), not all
    assert "2021" in nav


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text(), st.booleans())
def test_front_matter_reads_back_as_the_fields_given(title, description, exclude):
    """The fast front matter (JSON strings as YAML scalars) and its yaml.dump fallback both read
    back, with MkDocs's YAML loader, as the escaped title and description."""
    import yaml

    text = render.front_matter(title, description, search_exclude=exclude)
    assert text.startswith("---\n") and text.endswith("\n---")
    data = yaml.safe_load(text[4:-3])
    assert data["title"] == render.escape_theme_text(title)
    if description:
        assert data["description"] == render.escape_theme_text(description[:300])
    if exclude:
        assert data["search"] == {"exclude": True}
    else:
        assert "search" not in data
