"""Time cold first queries in headless Chromium, as a reader types them into the search box.

python scripts/search_timing.py <built site folder> [query ...] [--runs N] [--typing MS]

Serves the site on 127.0.0.1 (a static server, nothing compressed), opens the home page in
Debian's Chromium (/usr/bin/chromium, driven by Playwright; no browser is downloaded) and, in a
fresh browser context for every run (nothing cached), clicks the search box, types the query at
once and waits until the list shows its results (``data-query`` of the result list, set by
docs/assets/javascripts/library-search.js once the first results are drawn), then until their
excerpts are filled in (``data-excerpts``). Printed per run: seconds from before the click to
the test seeing the results (Playwright's click takes 50-70 ms to press, and noticing the
results 30-50 ms more); the moments the search box marks (Pagefind's search done, the first
results' cards loaded, drawn, their excerpts filled in from the pages' fragments) in ms after
the press reached the page, on the page's own clock; and the bytes requested after the click,
fragments included, as sent and as a static host would send them compressed (Pagefind's index
and fragments are gzip files already). Then the medians per query: from the press to the
results drawn, and from before the click to the test seeing them. With ``--typing MS`` the
query is typed MS milliseconds after the click (a reader's typing, during which the search
loads), and the marks count from the moment it was typed.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import shutil
import statistics
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEFAULT_QUERIES = ["反卫星武器", "星链", "Starlink", "太空武器化"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def served_file(site: Path, url: str) -> Path | None:
    path = site / unquote(urlsplit(url).path).lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def one_query(browser, base: str, site: Path, query: str, typing_ms: int = 0) -> dict:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", service_workers="block")
    page = context.new_page()
    requested: list[str] = []
    page.goto(base, wait_until="load")
    page.wait_for_timeout(300)
    context.on("request", lambda request: requested.append(request.url))
    # the moment the reader's press reaches the page, on the page's clock (the marks' clock too)
    page.evaluate("""() => {
        document.addEventListener('pointerdown', (event) => { window.__pressed = event.timeStamp; },
                                  { capture: true, once: true });
        document.addEventListener('input', (event) => { window.__typed = event.timeStamp; }, { capture: true });
    }""")
    start = page.evaluate("() => performance.now()")
    page.locator(".library-search .md-search__input").click()
    if typing_ms:  # the time a reader takes to type the query (the search loads meanwhile)
        page.wait_for_timeout(typing_ms)
    page.keyboard.insert_text(query)
    page.wait_for_function("(q) => document.querySelector('.library-search .md-search-result__list')"
                           ".dataset.query === q", arg=query, timeout=30_000)
    seconds = (page.evaluate("() => performance.now()") - start) / 1000
    try:  # a search box older than the cards table draws results with their excerpts
        page.wait_for_function("(q) => document.querySelector('.library-search .md-search-result__list')"
                               ".dataset.excerpts === q", arg=query, timeout=10_000)
    except PlaywrightTimeout:
        pass
    pressed = page.evaluate("() => window.__pressed")
    typed = page.evaluate("() => window.__typed") - pressed
    marks = page.evaluate("""(t0) => Object.fromEntries(performance.getEntriesByType('mark')
        .map(m => [m.name.replace('library-search:', ''), Math.round(m.startTime - t0)]))""", pressed)
    page.wait_for_timeout(200)
    context.close()
    sent = compressed = 0
    for url in dict.fromkeys(requested):
        path = served_file(site, url)
        if path is None:
            continue
        size = path.stat().st_size
        sent += size
        compressed += size if ".pf_" in path.name else min(size, len(gzip.compress(path.read_bytes(), 6)))
    if typing_ms:  # counted from the query typed instead of the press
        marks = {name: round(at - typed) for name, at in marks.items()}
    return {"seconds": seconds, "drawn": marks.get("drawn", 0) / 1000, "marks": marks, "sent": sent,
            "compressed": compressed}


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    runs, typing_ms = 3, 0
    if "--runs" in argv:
        at = argv.index("--runs")
        runs = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    if "--typing" in argv:
        at = argv.index("--typing")
        typing_ms = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    site = Path(argv[0]).resolve()
    queries = argv[1:] or DEFAULT_QUERIES
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("Chromium not found: apt-get install chromium", file=sys.stderr)
        return 1
    medians = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        for query in queries:
            times, drawn = [], []
            for _ in range(runs):
                result = one_query(browser, base, site, query, typing_ms)
                times.append(result["seconds"])
                drawn.append(result["drawn"])
                print(f"{query}\t{result['seconds']:.3f} s\tmarks (ms after the press) {result['marks']}\t"
                      f"{result['sent']:,} bytes sent, {result['compressed']:,} compressed", flush=True)
            medians[query] = (statistics.median(drawn), statistics.median(times))
        browser.close()
    server.shutdown()
    start = f"the query typed ({typing_ms} ms after the press)" if typing_ms else "the press on the box"
    print(f"median seconds from {start} to the results drawn (page clock) / from before "
          "Playwright's click to the test seeing them: " +
          ", ".join(f"{q} {d:.2f} / {s:.2f}" for q, (d, s) in medians.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
