"""builder/search.py: Pagefind found, its version checked, a small site indexed."""

from __future__ import annotations

import pytest

from builder import search
from builder.errors import RenderError

PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav>导航 不应被索引</nav><div data-pagefind-body><h1>{title}</h1><p>{text}</p>
<div data-pagefind-ignore><p>出现位置 别的文献</p></div>
<span hidden data-pagefind-filter="kind">文献</span></div></body></html>"""


def fake_binary(tmp_path, version: str):
    binary = tmp_path / "pagefind"
    binary.write_text(f"#!/bin/sh\necho 'pagefind {version}'\n")
    binary.chmod(0o755)
    return binary


def test_an_older_pagefind_is_refused(tmp_path, monkeypatch):
    """1.5.2 (PyPI's last) segments Chinese pages unlike the browser's queries."""
    monkeypatch.setenv("PAGEFIND_BINARY", str(fake_binary(tmp_path, "1.5.2")))
    with pytest.raises(RenderError, match="too old"):
        search.index_site(tmp_path)


def test_a_missing_pagefind_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY", str(tmp_path / "nowhere"))
    with pytest.raises(RenderError, match="does not run"):
        search.index_site(tmp_path)


def test_the_project_pins_a_version_it_accepts():
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pinned = json.loads((root / "package.json").read_text(encoding="utf-8"))["devDependencies"]["pagefind"]
    assert tuple(int(x) for x in pinned.split(".")) >= search.MIN_VERSION
    lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/pagefind"]["version"] == pinned


def test_a_site_is_indexed(tmp_path, monkeypatch):
    monkeypatch.delenv("PAGEFIND_BINARY", raising=False)
    if search.find_binary() is None:
        pytest.skip("Pagefind is not installed (npm ci)")
    site = tmp_path / "site"
    for slug, title, text in [("a", "反卫星武器", "阿尔忒弥斯计划与反卫星武器"), ("b", "星链", "星链卫星网络")]:
        (site / slug).mkdir(parents=True)
        (site / slug / "index.html").write_text(PAGE.format(title=title, text=text), encoding="utf-8")
    figures = search.index_site(site)
    assert figures["pages"] == 2 and figures["engine"].startswith("pagefind 1.")
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert list((site / "pagefind" / "fragment").iterdir())
