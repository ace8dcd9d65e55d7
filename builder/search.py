"""Site search: run Pagefind on a rendered site, which writes its index into ``<site>/pagefind/``.

Called by the pipeline on the staged site, after MkDocs rendered it and before it is swapped in
(and by hooks/pagefind_serve.py on the site ``python -m builder serve`` renders). It reads the
HTML only: what is indexed, with which weights, filters and sort keys, the pages say themselves
(``data-pagefind-*`` attributes from builder/render.py and overrides/main.html).

Pagefind indexes one page after another on one core, and MkDocs renders on one core too. So
while MkDocs renders, hooks/pagefind_serve.py hands each page to Pagefind as soon as it is
rendered (``StreamIndexer``: Pagefind's own Node API, the npm package pinned with the binary,
driven by builder/pagefind_stream.mjs), and Pagefind reads and segments it on the other core;
when MkDocs is done only the writing of the index is left. ``index_site`` then takes that index
(``streamed``); without Node, or with LIBRARY_SEARCH_STREAM=0, it runs Pagefind's command line
on the finished site instead. Both write the same index.

Pagefind is a Rust program distributed on npm. The project pins it in package.json and
package-lock.json (``npm ci`` in scripts/build.sh and scripts/test.sh puts it in node_modules/).
Its "extended" build segments Chinese; only from 1.6.0 on does it segment the pages mostly the
way the browser segments the query (``Intl.Segmenter``): 1.5.2, the last release on PyPI, splits a name
such as 阿尔忒弥斯 into single characters when indexing and then finds nothing. So a Pagefind
older than MIN_VERSION is refused.

Even 1.6 segments some names differently from the browser (its dictionary is not the browser's:
a four-character place name may be one word in the query and two on its own page), and a
word index cannot find a page by a word it never holds. So beside Pagefind's index this module
writes a table of the pages' exact names (``names_table``): every indexed page's title and the
names a page declares as its own (``data-pagefind-meta="names"``), reduced to letters and
digits, split into small files by a hash of the name. The search box fetches the one file a
query needs and puts the page named exactly as the query first, however Pagefind segments it.

A third table (``cards_table``) lets the search box draw the first results as soon as Pagefind's
search returns: each indexed page's path, title, kind and date by Pagefind's page id, read from
the fragments Pagefind wrote, split into small files by a hash of the id. Without it every
result waits for its page's fragment (the page's whole text, up to 70 kB compressed for a long
document), which is needed only for the excerpt; the excerpts are filled in when they arrive.
"""

from __future__ import annotations

import gzip
import html
import json
import math
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

from .errors import RenderError

MIN_VERSION = (1, 6, 0)
# Where `npm ci` puts the binary: the package's own folder holds the extended build.
NPM_BINARIES = ("node_modules/@pagefind/linux-x64/bin/pagefind_extended",
                "node_modules/@pagefind/linux-arm64/bin/pagefind_extended",
                "node_modules/.bin/pagefind")
PROJECT = Path(__file__).resolve().parents[1]  # the builder's own checkout, which has node_modules/
BUNDLE = "pagefind"  # the index's folder inside the site
LANGUAGE = "zh"  # one index for the whole site: English queries search the same pages
# Also left out: the heading permalinks (¶) MkDocs adds.
EXCLUDE_SELECTORS = (".headerlink",)
TIMEOUT_SECONDS = 600
STREAM_SCRIPT = Path(__file__).with_name("pagefind_stream.mjs")
STREAM_API = "node_modules/pagefind/lib/index.js"  # Pagefind's Node API, installed with the binary
STREAM_SWITCH = "LIBRARY_SEARCH_STREAM"  # "0": index the finished site instead (the bench times the two apart)
_streamed: dict[str, dict] = {}  # site folder -> figures of the index written while it was rendered
TABLES = "search-tables"  # the search box's own tables inside the site (names_table, cards_table)
NAMES_SHARD_BYTES = 16_000  # about this much of the names table per file: a query fetches one
CARDS_SHARD_BYTES = 4_000  # about this much of the cards table per file: a query fetches up to three
FRAGMENT_SIGNATURE = b"pagefind_dcd"  # what a decompressed Pagefind fragment starts with
BODY = re.compile(rb"<div data-pagefind-body[ >]")
# A section Pagefind leaves out whole (builder/render.py, not_searched), and the div tags inside it
IGNORED_SECTION = re.compile(r'<div data-pagefind-ignore="all"[ >]')
DIV_TAG = re.compile(r"<div[\s>]|</div>")
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
OWN_NAMES = re.compile(r'<div class="search-names"[^>]*data-pagefind-meta="names"[^>]*>(.*?)</div>', re.S)
KIND = re.compile(r'data-pagefind-meta="kind">([^<]*)<')
HEADERLINK = re.compile(r'<a class="headerlink".*?</a>', re.S)
TAG = re.compile(r"<[^>]+>")
NOT_LETTERS = re.compile(r"[\W_]+")


def find_binary(root: Path | None = None) -> Path | None:
    """Pagefind's binary: $PAGEFIND_BINARY, else node_modules/ of the project being built or of
    the builder's checkout, else ``pagefind_extended`` or ``pagefind`` on PATH."""
    given = os.environ.get("PAGEFIND_BINARY")
    if given:
        return Path(given)
    for folder in dict.fromkeys(p for p in (root, PROJECT) if p is not None):
        for rel in NPM_BINARIES:
            candidate = folder / rel
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return candidate
    for name in ("pagefind_extended", "pagefind"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def version(binary: Path) -> tuple[int, ...]:
    done = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=60)
    found = re.search(r"(\d+)\.(\d+)\.(\d+)", done.stdout)
    return tuple(int(x) for x in found.groups()) if found else ()


def checked_binary(root: Path | None = None) -> tuple[Path, tuple[int, ...]]:
    """Pagefind's binary and version. Raises RenderError when it is missing or too old."""
    binary = find_binary(root)
    if binary is None:
        raise RenderError("Pagefind is not installed: run `npm ci` in the project (scripts/build.sh does), "
                          "or set PAGEFIND_BINARY")
    try:
        found = version(binary)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RenderError(f"Pagefind ({binary}) does not run: {exc}") from None
    if found < MIN_VERSION:
        wanted = ".".join(map(str, MIN_VERSION))
        raise RenderError(f"Pagefind {'.'.join(map(str, found)) or '?'} ({binary}) is too old: {wanted} or later "
                          "indexes Chinese as the browser segments queries (run `npm ci`)")
    return binary, found


def index_site(site: Path, root: Path | None = None) -> dict:
    """Index the rendered site in ``site`` (a folder), or take the index written while it was
    rendered (StreamIndexer); then write the search box's tables (names and cards). Returns
    figures for the build report: seconds (what the build waited for the index after rendering), pages indexed, bytes
    of the index. Raises RenderError when Pagefind is missing, too old or fails."""
    figures = _streamed.pop(_site_key(site), None)
    if figures is None:
        figures = _index_finished_site(site, root)
    start = time.perf_counter()
    shutil.rmtree(site / TABLES, ignore_errors=True)
    figures["names"] = names_table(site)
    figures["cards"] = cards_table(site)
    _write_table(site, "tables", {"names": figures["names"]["files"], "cards": figures["cards"]["files"]})
    figures["seconds"] = round(figures["seconds"] + time.perf_counter() - start, 3)
    figures["index_bytes"] = sum(f.stat().st_size for f in (site / BUNDLE).rglob("*") if f.is_file())
    return figures


def _index_finished_site(site: Path, root: Path | None) -> dict:
    """Pagefind's command line on the whole site."""
    binary, found = checked_binary(root)
    start = time.perf_counter()
    command = [str(binary), "--site", str(site), "--output-subdir", BUNDLE, "--force-language", LANGUAGE,
               "--exclude-selectors", ",".join(EXCLUDE_SELECTORS)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RenderError(f"Pagefind failed: {exc}") from None
    if done.returncode != 0:
        last = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no message"]
        raise RenderError(f"Pagefind failed ({done.returncode}): {last[0]}")
    pages = re.search(r"Indexed (\d+) pages?", done.stdout)
    return {"engine": "pagefind " + ".".join(map(str, found)), "mode": "after rendering",
            "seconds": round(time.perf_counter() - start, 3), "pages": int(pages.group(1)) if pages else None}


def _site_key(site: Path) -> str:
    return str(Path(site).resolve())


# --------------------------------------------------------------------------- indexing while rendering


def can_stream(root: Path | None = None) -> bool:
    """Whether pages can be indexed while they are rendered: Node and Pagefind's Node API found,
    and not switched off ($LIBRARY_SEARCH_STREAM=0)."""
    return (os.environ.get(STREAM_SWITCH, "1") != "0" and shutil.which("node") is not None
            and STREAM_SCRIPT.is_file() and (PROJECT / STREAM_API).is_file())


def indexed_part(page_html: str) -> str:
    """The part of a rendered page Pagefind reads: the article that holds the element marked
    data-pagefind-body (overrides/main.html puts it there), in a page of its own; "" for a page
    without it. The rest (navigation, header, footer: a third of a document's page) would only be
    parsed and left out; the index is the same (tests/unit/test_search_index.py). The article
    is kept whole, as Pagefind takes a page's title from its first h1 even outside the body."""
    marked = page_html.find("<div data-pagefind-body")
    if marked < 0:
        return ""
    start = page_html.rfind("<article", 0, marked)
    start = marked if start < 0 else start
    end = page_html.find("</article>", marked)
    body = page_html[start:end + len("</article>")] if end > 0 else page_html[start:]
    return f'<!doctype html><html lang="{LANGUAGE}"><body>{without_ignored(body)}</body></html>'


def without_ignored(body: str) -> str:
    """``body`` without the sections Pagefind would read and leave out whole (the divs marked
    data-pagefind-ignore="all": a glossary entry's occurrence list, a document's related and
    cited lists; at 1,000 documents they are 44 of the 146 MB the pages would hand over). A
    section whose end is not found is kept: Pagefind then leaves it out itself."""
    parts, at = [], 0
    for found in IGNORED_SECTION.finditer(body):
        if found.start() < at:  # inside a section already cut
            continue
        depth = 0
        for tag in DIV_TAG.finditer(body, found.start()):
            depth += -1 if tag.group().startswith("</") else 1
            if depth == 0:
                parts.append(body[at:found.start()])
                at = tag.end()
                break
    parts.append(body[at:])
    return "".join(parts)


class StreamIndexer:
    """Pagefind fed page by page while MkDocs renders into ``site`` (hooks/pagefind_serve.py):
    ``add`` each rendered page (never waits: a thread writes the pages to Pagefind), ``finish``
    once MkDocs is done (writes ``<site>/pagefind/`` and records it for index_site), or
    ``abort``."""

    def __init__(self, site: Path, root: Path | None = None):
        binary, self.version = checked_binary(root)
        self.site = Path(site)
        self.errors = tempfile.TemporaryFile()
        env = {**os.environ, "PAGEFIND_EXTENDED_BINARY_PATH": str(binary), "PAGEFIND_BINARY_PATH": str(binary)}
        command = [shutil.which("node") or "node", str(STREAM_SCRIPT), str(self.site / BUNDLE), LANGUAGE,
                   ",".join(EXCLUDE_SELECTORS)]
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=self.errors, env=env)
        except OSError as exc:
            raise RenderError(f"Pagefind (through Node) does not start: {exc}") from None
        self.pages: queue.SimpleQueue = queue.SimpleQueue()
        self.writer = threading.Thread(target=self._write, name="pagefind-stream", daemon=True)
        self.writer.start()

    def add(self, path: str, page_html: str) -> None:
        """A rendered page (``path`` inside the site, e.g. documents/x/index.html); pages that
        do not mark what to index (data-pagefind-body) are not indexed, as by the command line.
        Only the indexed part goes to Pagefind (indexed_part)."""
        part = indexed_part(page_html)
        if part:
            self.pages.put((path, part))

    def _write(self) -> None:
        stdin = self.process.stdin
        while (item := self.pages.get()) is not None:
            try:
                stdin.write(json.dumps({"path": item[0], "html": item[1]}, ensure_ascii=False).encode("utf-8") + b"\n")
            except OSError:  # Pagefind stopped: finish() reports why
                break
        try:
            stdin.close()
        except OSError:
            pass

    def finish(self) -> dict:
        """Wait for Pagefind to write the index; record its figures for index_site. Raises
        RenderError when it failed."""
        start = time.perf_counter()
        self.pages.put(None)
        self.writer.join()
        self.process.stdin = None  # closed by the writer: communicate() must not touch it
        try:
            out, _ = self.process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.abort()
            raise RenderError("Pagefind did not finish writing the index") from None
        self.errors.seek(0)
        errors = self.errors.read().decode("utf-8", errors="replace").strip()
        self.errors.close()
        lines = out.decode("utf-8", errors="replace").strip().splitlines()
        result = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
        if self.process.returncode != 0 or result.get("errors") or not result:
            message = "; ".join(result.get("errors") or []) or (errors.splitlines() or ["no message"])[-1]
            raise RenderError(f"Pagefind failed ({self.process.returncode}): {message}")
        figures = {"engine": "pagefind " + ".".join(map(str, self.version)), "mode": "while rendering",
                   "seconds": round(time.perf_counter() - start, 3), "pages": result.get("pages"),
                   "write_seconds": result.get("write_seconds")}
        _streamed[_site_key(self.site)] = figures
        return figures

    def abort(self) -> None:
        """Stop Pagefind (MkDocs failed): nothing is recorded."""
        self.pages.put(None)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


# --------------------------------------------------------------------------- the exact-names table


def name_key(name: str) -> str:
    """A name as the table keys it: NFKC, lower case, letters and digits only (so "Artemis
    Accords", "artemis-accords" and "ARTEMIS ACCORDS" are one key). The search box
    (library-search.js, nameKey) reduces the query the same way."""
    return NOT_LETTERS.sub("", unicodedata.normalize("NFKC", name).lower())


def name_shard(key: str, shards: int) -> int:
    """The file of the table that holds a key: FNV-1a (32 bit) over its code points, modulo the
    number of files (library-search.js, nameShard, computes the same)."""
    value = 0x811C9DC5
    for char in key:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % shards


def page_names(source: str) -> tuple[str, str, list[str]] | None:
    """(title, kind, own names) of an indexed page, from its indexed part (``source`` starts at
    data-pagefind-body): the first h1, the kind filter, the names it declares its own."""
    title = H1.search(source)
    if not title:
        return None
    kind = KIND.search(source)
    own = OWN_NAMES.search(source)
    names = [n.strip() for n in _text(own.group(1)).split(" · ")] if own else []
    return _text(title.group(1)), html.unescape(kind.group(1)) if kind else "", [n for n in names if n]


def _text(fragment: str) -> str:
    """The text of an HTML fragment, its heading permalink left out, spaces collapsed."""
    return " ".join(html.unescape(TAG.sub("", HEADERLINK.sub("", fragment))).split())


def names_table(site: Path) -> dict:
    """Write ``<site>/search-tables/names-<n>.json``, each
    ``{"pages": [[path, title, kind], ...], "keys": {key: [page numbers]}}``: the pages a key
    names, those titled so before those that only list it among their names. Returns figures
    for the build report."""
    entries = []  # (path, title, kind, names)
    for page in sorted(site.rglob("index.html")):
        if (site / BUNDLE) in page.parents:
            continue
        raw = page.read_bytes()
        start = BODY.search(raw)
        if not start:
            continue
        found = page_names(raw[start.start():].decode("utf-8", errors="replace"))
        if found:
            rel = page.parent.relative_to(site).as_posix()
            entries.append(("" if rel == "." else rel + "/", *found))
    keyed: dict[str, list[tuple[int, int]]] = {}
    for number, (_path, title, _kind, names) in enumerate(entries):
        for rank, name in [(0, title)] + [(1, n) for n in names]:
            key = name_key(name)
            if key and number not in [n for _, n in keyed.get(key, [])]:
                keyed.setdefault(key, []).append((rank, number))
    record = [json.dumps(entry[:3], ensure_ascii=False) for entry in entries]
    size = sum(len(key.encode()) + 8 + sum(len(record[n].encode()) for _, n in found) for key, found in keyed.items())
    shards = max(1, math.ceil(size / NAMES_SHARD_BYTES))
    for shard in range(shards):
        keys = {k: [n for _, n in sorted(found)] for k, found in sorted(keyed.items()) if name_shard(k, shards) == shard}
        used = sorted({n for found in keys.values() for n in found})
        local = {n: i for i, n in enumerate(used)}
        table = {"pages": [list(entries[n][:3]) for n in used],
                 "keys": {k: [local[n] for n in found] for k, found in keys.items()}}
        _write_table(site, f"names-{shard}", table)
    return {"pages": len(entries), "keys": len(keyed), "files": shards}


def _write_table(site: Path, name: str, table: dict) -> None:
    """One file of the search box's tables: ``<site>/search-tables/<name>.json``, compact."""
    folder = site / TABLES
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")),
                                         encoding="utf-8")


# --------------------------------------------------------------------------- the cards table


def cards_table(site: Path) -> dict:
    """Write ``<site>/search-tables/cards-<n>.json``, each ``{page id: [path, title, kind, date]}``
    for the pages whose Pagefind id (its fragment's name, e.g. ``zh_48bebac``) falls in that file
    by ``name_shard``: what the search box draws of a result before the page's fragment (for the
    excerpt) has arrived. Read from the fragments Pagefind wrote, so it holds exactly the pages
    it indexed. Returns figures for the build report."""
    cards = {}
    for fragment in sorted((site / BUNDLE / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        if not raw.startswith(FRAGMENT_SIGNATURE):
            raise RenderError(f"Pagefind wrote a fragment this builder cannot read: {fragment.name}")
        page = json.loads(raw[len(FRAGMENT_SIGNATURE):])
        meta = page.get("meta") or {}
        cards[fragment.name.removesuffix(".pf_fragment")] = [
            page.get("url", "").lstrip("/"), meta.get("title", ""), meta.get("kind", ""), meta.get("date", "")]
    size = sum(len(key) + len(json.dumps(card, ensure_ascii=False).encode()) + 4 for key, card in cards.items())
    shards = max(1, math.ceil(size / CARDS_SHARD_BYTES))
    for shard in range(shards):
        _write_table(site, f"cards-{shard}", {key: card for key, card in cards.items() if name_shard(key, shards) == shard})
    return {"pages": len(cards), "files": shards}
