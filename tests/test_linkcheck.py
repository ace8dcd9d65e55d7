"""Unit tests of builder.linkcheck on small hand-made site trees."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from builder.linkcheck import check_site, main, normalize_base_path

ROOT = Path(__file__).resolve().parents[1]


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def make_site(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small, fully consistent MkDocs-like site (directory URLs)."""
    return make_site(tmp_path / "site", {
        "index.html": page(
            '<a href="docs/a/">A</a> <a href="docs/a/#sec-1">A 1</a> '
            '<a href="docs/b/index.html#第二节">B 2</a> <a href="#top">top</a> '
            '<a href="./">self</a> <a href="#">bare</a> '
            '<a href="https://example.org/x">ext</a> <a href="mailto:a@b.c">mail</a> '
            '<img src="assets/logo.png" srcset="assets/logo.png 1x, assets/logo.png 2x">'
            '<h1 id="top">Home</h1>',
            head='<link rel="stylesheet" href="assets/x.css">'
                 '<link rel="preconnect" href="https://fonts.example">'
                 '<script src="assets/app.js"></script>'),
        "docs/a/index.html": page(
            '<h2 id="sec-1">1</h2><a href="../../">home</a> <a href="../b/#%E7%AC%AC%E4%BA%8C%E8%8A%82">B</a>'
            '<a href="../../index.html#top">top</a> <a name="legacy"></a>'),
        "docs/b/index.html": page('<h2 id="第二节">2</h2><a href="../a/#legacy">legacy</a>'
                                  '<a href="../../assets/paper.pdf#page=2">pdf</a>'),
        "assets/x.css": "body{}",
        "assets/app.js": "",
        "assets/logo.png": "",
        "assets/paper.pdf": "",
    })


def test_good_links_pass(site: Path) -> None:
    assert check_site(site) == []


def test_missing_page_is_reported(site: Path) -> None:
    (site / "docs" / "c").mkdir()
    (site / "docs" / "c" / "index.html").write_text(page('<a href="../missing/">gone</a>'))
    assert check_site(site) == [
        "docs/c/index.html: broken link '../missing/' (no such file 'docs/missing/index.html')"
    ]


def test_missing_file_asset_is_reported(site: Path) -> None:
    (site / "assets" / "logo.png").unlink()
    broken = check_site(site)
    assert broken and all(line.startswith("index.html: broken link 'assets/logo.png'") for line in broken)
    assert len(broken) == 3  # src and both srcset candidates


def test_missing_anchor_is_reported(site: Path) -> None:
    (site / "index.html").write_text(page('<h1 id="top"></h1><a href="docs/a/#sec-2">A 2</a><a href="#nowhere">x</a>'))
    assert check_site(site) == [
        "index.html: broken link 'docs/a/#sec-2' (no id 'sec-2' in 'docs/a/index.html')",
        "index.html: broken link '#nowhere' (no id 'nowhere' in 'index.html')",
    ]


def test_percent_encoded_chinese_anchor_is_decoded(site: Path) -> None:
    (site / "docs" / "b" / "index.html").write_text(page('<h2 id="第三节">3</h2>'))
    broken = check_site(site)
    assert "docs/a/index.html: broken link '../b/#%E7%AC%AC%E4%BA%8C%E8%8A%82' " \
           "(no id '第二节' in 'docs/b/index.html')" in broken


def test_link_escaping_the_site_is_broken(site: Path) -> None:
    (site / "index.html").write_text(page('<h1 id="top"></h1><a href="../outside.html">out</a>'))
    assert check_site(site) == [
        "index.html: broken link '../outside.html' (points outside the site directory)"
    ]


def test_root_absolute_links_follow_the_base_path(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "index.html": page('<h1 id="h">x</h1>', head='<link rel="stylesheet" href="/assets/x.css">'),
        "404.html": page('<a href="/pr-preview/pr-1/">home</a>'
                         '<a href="/pr-preview/pr-1/index.html#h">h</a>'
                         '<a href="/pr-preview/pr-1">no slash</a>'),
        "assets/x.css": "",
    })
    # Served at the root, '/assets/x.css' is fine, but the 404 page's sub-path links are not.
    at_root = check_site(site)
    assert "index.html: broken link '/assets/x.css' (outside base path '/')" not in at_root
    assert "404.html: broken link '/pr-preview/pr-1/' (no such file 'pr-preview/pr-1/index.html')" in at_root
    # Served under /pr-preview/pr-1/, it is the other way round.
    assert check_site(site, "/pr-preview/pr-1/") == [
        "index.html: broken link '/assets/x.css' (outside base path '/pr-preview/pr-1/')"
    ]
    # The base path may be written without its slashes.
    assert check_site(site, "pr-preview/pr-1") == check_site(site, "/pr-preview/pr-1/")


def test_directory_without_index_is_broken(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "index.html": page('<a href="empty/">e</a>'),
        "empty/readme.txt": "",
    })
    assert check_site(site) == ["index.html: broken link 'empty/' (no such file 'empty/index.html')"]


def test_links_inside_scripts_and_external_urls_are_ignored(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {
        "index.html": page('<script>var a = "<a href=\'nope.html\'>";</script>'
                           '<a href="//cdn.example/x.js">cdn</a><a href="data:text/plain,x">d</a>'
                           '<a href="javascript:void(0)">js</a><a href="tel:+1">t</a>'),
    })
    assert check_site(site) == []


@pytest.mark.parametrize("given, expected", [
    ("/", "/"), ("", "/"), ("x", "/x/"), ("/x", "/x/"), ("/x/y/", "/x/y/"),
    ("https://o.github.io/repo/pr-preview/pr-2/", "/repo/pr-preview/pr-2/"),
])
def test_normalize_base_path(given: str, expected: str) -> None:
    assert normalize_base_path(given) == expected


def test_main_prints_summary_and_exit_codes(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(site)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("checked ") and out[0].endswith(" in 3 pages, 0 broken")

    (site / "assets" / "x.css").unlink()
    assert main([str(site), "--base-path", "/"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0] == "index.html: broken link 'assets/x.css' (no such file 'assets/x.css')"
    assert out[-1].endswith(", 1 broken")

    assert main([str(site / "nope")]) == 2


def test_module_runs_from_the_command_line(site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "builder.linkcheck", str(site), "--site-url", "https://o.github.io/"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("0 broken")
