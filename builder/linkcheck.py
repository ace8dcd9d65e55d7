"""Check every internal link and anchor of a built (MkDocs) site.

    python -m builder.linkcheck SITE_DIR [--base-path /pr-preview/pr-1/]

Every ``.html`` file under SITE_DIR is parsed with the standard library's
``html.parser``. Each internal ``href``/``src``/``srcset`` URL, relative
(``../a/``) or root-absolute (``/assets/x.css``), must resolve to a file of
the site (a directory URL means its ``index.html``), and each ``#fragment``
pointing at an HTML page must name an ``id`` (or an ``<a name>``) of that
page. External URLs (``https:``, ``mailto:``, ``data:``, ``//host/...`` and
any other scheme) are not checked: nothing here reaches the network.

Root-absolute URLs are resolved against ``--base-path``, the URL path the
site is served under: a site deployed at ``https://owner.github.io/repo/``
has base path ``/repo/``, so ``/repo/assets/x.css`` is ``assets/x.css`` in
SITE_DIR, while ``/assets/x.css`` points outside the site and is broken.
``--site-url URL`` takes the base path from a full URL instead.

Each broken link is printed as ``page.html: broken link 'href' (reason)``
and the exit status is 1; otherwise one summary line is printed,
``checked N links in M pages, 0 broken``, and the exit status is 0.
"""

from __future__ import annotations

import argparse
import os
import posixpath
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["check_site", "normalize_base_path", "main"]

# Attributes that hold one URL, on any element; srcset holds several.
URL_ATTRS = ("href", "src", "xlink:href", "poster")
SRCSET_ATTRS = ("srcset",)
# <link rel=...> values whose href is a hint to the browser, not a resource of the site.
HINT_RELS = {"preconnect", "dns-prefetch"}
HTML_SUFFIXES = (".html", ".htm")


@dataclass
class _Page:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, int]] = field(default_factory=list)  # (url, line)


class _PageParser(HTMLParser):
    """Collects the ids/names and the link URLs of one page."""

    def __init__(self, page: _Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        if tag == "link" and HINT_RELS & set(values.get("rel", "").lower().split()):
            return
        line = self.getpos()[0]
        for attr in URL_ATTRS:
            url = values.get(attr)
            if url is not None:
                self.page.links.append((url.strip(), line))
        for attr in SRCSET_ATTRS:
            srcset = values.get(attr)
            if srcset:
                for candidate in srcset.split(","):
                    url = candidate.split()[0] if candidate.split() else ""
                    if url:
                        self.page.links.append((url, line))


def normalize_base_path(base_path: str) -> str:
    """'' / 'x' / '/x' / '/x/' -> '/' / '/x/' / '/x/' / '/x/' (always starts and ends with '/')."""
    path = unquote(base_path.strip())
    if "://" in path:  # a whole URL was given: keep its path
        path = urlsplit(path).path
    path = "/" + path.strip("/")
    return path if path == "/" else path + "/"


def _is_external(url: str) -> bool:
    if url.startswith("//"):  # protocol-relative: another host
        return True
    scheme = urlsplit(url).scheme
    return bool(scheme)  # http, https, mailto, tel, data, javascript, ...


def _parse(path: Path) -> _Page:
    page = _Page()
    parser = _PageParser(page)
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return page


class _Site:
    def __init__(self, root: Path, base_path: str) -> None:
        self.root = root
        self.base_path = normalize_base_path(base_path)
        self.files: set[str] = set()
        self.dirs: set[str] = {""}
        for dirpath, dirnames, filenames in os.walk(root):
            rel_dir = Path(dirpath).relative_to(root).as_posix()
            rel_dir = "" if rel_dir == "." else rel_dir
            for name in dirnames:
                self.dirs.add(posixpath.join(rel_dir, name))
            for name in filenames:
                self.files.add(posixpath.join(rel_dir, name))
        self.pages = sorted(f for f in self.files if f.lower().endswith(HTML_SUFFIXES))
        self._parsed: dict[str, _Page] = {}

    def page(self, rel: str) -> _Page:
        """The parsed page (ids and links), each page parsed once."""
        parsed = self._parsed.get(rel)
        if parsed is None:
            parsed = self._parsed[rel] = _parse(self.root / rel)
        return parsed

    def resolve(self, page: str, url: str) -> tuple[str | None, str | None, str]:
        """(target file, fragment, reason) for one internal URL of page; target None = broken."""
        parts = urlsplit(url)
        path = unquote(parts.path)
        fragment = unquote(parts.fragment) or None
        if path == "":
            return page, fragment, ""  # '#frag' or '?q' or '': this page
        if path.startswith("/"):
            under = self.base_path
            if path + "/" == under:
                path = under
            if not path.startswith(under):
                return None, fragment, f"outside base path {self.base_path!r}"
            rel = path[len(under):]
        else:
            rel = posixpath.join(posixpath.dirname(page), path)
        wants_dir = rel == "" or rel.endswith("/")
        rel = posixpath.normpath(rel) if rel else "."
        if rel == ".." or rel.startswith("../"):
            return None, fragment, "points outside the site directory"
        rel = "" if rel == "." else rel
        if wants_dir or rel in self.dirs:
            target = posixpath.join(rel, "index.html") if rel else "index.html"
        else:
            target = rel
        if target not in self.files:
            return None, fragment, f"no such file {target!r}"
        return target, fragment, ""


def check_site(site_dir: Path, base_path: str = "/") -> list[str]:
    """Every broken internal link of the site under site_dir, one message each (empty: all good)."""
    broken, _links, _pages = _check(Path(site_dir), base_path)
    return broken


def _check(site_dir: Path, base_path: str) -> tuple[list[str], int, int]:
    if not site_dir.is_dir():
        raise FileNotFoundError(f"{site_dir}: site directory not found")
    site = _Site(site_dir, base_path)
    broken: list[str] = []
    checked = 0
    for page in site.pages:
        parsed = site.page(page)
        for url, _line in parsed.links:
            if not url or _is_external(url):
                continue
            checked += 1
            target, fragment, reason = site.resolve(page, url)
            if target is None:
                broken.append(f"{page}: broken link {url!r} ({reason})")
                continue
            if not fragment or not target.lower().endswith(HTML_SUFFIXES):
                continue  # no fragment, a bare '#', or a fragment into a non-HTML file
            if fragment not in site.page(target).ids:
                broken.append(f"{page}: broken link {url!r} (no id {fragment!r} in {target!r})")
    return broken, checked, len(site.pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m builder.linkcheck",
        description="Check every internal link and #anchor of a built site.",
    )
    parser.add_argument("site_dir", type=Path, help="the built site, e.g. site")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--base-path", default="/",
                       help="URL path the site is served under, e.g. /repo/pr-preview/pr-1/ "
                            "(default: /)")
    where.add_argument("--site-url", default=None,
                       help="full URL the site is served at; its path is the base path")
    args = parser.parse_args(argv)
    base_path = args.base_path if args.site_url is None else urlsplit(args.site_url).path
    try:
        broken, checked, pages = _check(args.site_dir, base_path)
    except FileNotFoundError as exc:
        print(f"linkcheck: {exc}", file=sys.stderr)
        return 2
    for line in broken:
        print(line)
    print(f"checked {checked} links in {pages} pages, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
