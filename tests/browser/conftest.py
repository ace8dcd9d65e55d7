"""Fixtures for the browser tests: the built site served on localhost, Debian's Chromium.

The site is built once per session into a temporary copy of the project (corpus, metadata,
mkdocs.yml, overrides, hand-written docs/ files) with ``python -m builder build``, so the tests
never touch the working tree's docs/ or site/. Set LIBRARY_TEST_SITE=<folder> to test an already
built site instead (for example one built from a deliberately broken copy of mkdocs.yml).

Chromium is Debian's (``/usr/bin/chromium``), started headless by Playwright; no browser is
downloaded. Without it the tests skip, saying how to install it. Every request to a host other
than the local server is refused and recorded: reading the site must not call third parties.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
INSTALL_HINT = "install with: apt-get install chromium fonts-noto-cjk"
# What a project copy needs to build; docs/ is copied whole, the builder regenerates its pages.
PROJECT_FILES = ("mkdocs.yml", "corpus", "overrides", "hooks", "docs")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
]
VIEWPORT = {"width": 1280, "height": 900}


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test (`-m "not browser"` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


# --------------------------------------------------------------------------- the site


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The built site: built once from a temporary copy of the project, or LIBRARY_TEST_SITE."""
    given = os.environ.get("LIBRARY_TEST_SITE")
    if given:
        site = Path(given).resolve()
        if not (site / "index.html").is_file():
            pytest.fail(f"LIBRARY_TEST_SITE={given} holds no index.html")
        return site
    project = tmp_path_factory.mktemp("project")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, project / name)
    done = subprocess.run([sys.executable, "-m", "builder", "--root", str(project), "build", "--quiet"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(f"`python -m builder build` failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return project / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@pytest.fixture(scope="session")
def base_url(site_dir: Path):
    """http://127.0.0.1:<free port>/ serving the built site from a thread."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_pages(site_dir: Path) -> list[str]:
    """Every page of the site as a URL path relative to the root ('' for the home page)."""
    pages = []
    for path in sorted(site_dir.rglob("index.html")):
        rel = path.parent.relative_to(site_dir).as_posix()
        pages.append("" if rel == "." else rel + "/")
    return pages


@pytest.fixture(scope="session")
def page_html(site_dir: Path):
    """The built HTML of a page, by its path ('' for home): to choose what to test in the browser
    (which document has footnotes, bilingual pairs, term links) and fail fast when nothing has."""
    def read(path: str) -> str:
        return (site_dir / path / "index.html").read_text(encoding="utf-8")
    return read


@pytest.fixture(scope="session")
def document_pages(site_pages: list[str]) -> list[str]:
    return [p for p in site_pages if p.startswith("documents/") and p.count("/") == 2]


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip(f"Chromium not found: the browser tests need Debian's chromium ({INSTALL_HINT})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is missing (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Reader:
    """One browser tab with what a reader would notice going wrong: console errors, page
    errors, failed requests, requests to other hosts."""

    def __init__(self, context, base_url: str):
        self.context = context
        self.base_url = base_url
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"{self.page.url}: uncaught {exc}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def _route(self, route):
        url = route.request.url
        if urlsplit(url).hostname in ("127.0.0.1", None) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign_requests.append(url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"{self.page.url}: console error: {message.text}")

    def _failed(self, request):
        # ERR_ABORTED: the page was left while it was still loading, as a reader may do.
        if request.url.startswith(self.base_url) and "ERR_ABORTED" not in (request.failure or ""):
            self.errors.append(f"{self.page.url}: request failed: {request.url} ({request.failure})")

    def _response(self, response):
        if response.status >= 400:
            self.errors.append(f"{self.page.url}: HTTP {response.status} for {response.url}")

    def open(self, path: str = ""):
        """Load a page by its path below the site root and wait until Material has set it up."""
        self.page.goto(self.base_url + path, wait_until="load")
        self.page.wait_for_selector(".md-content__inner", state="attached")
        return self.page

    def screenshot(self, name: str, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def reader(browser, base_url):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", color_scheme="light",
                                  service_workers="block")
    context.set_default_timeout(15_000)
    yield Reader(context, base_url)
    context.close()
