"""Site search: run Pagefind on a rendered site, which writes its index into ``<site>/pagefind/``.

Called by the pipeline on the staged site, after MkDocs rendered it and before it is swapped in
(and by hooks/pagefind_serve.py on the site ``python -m builder serve`` renders). It reads the
HTML only: what is indexed, with which weights, filters and sort keys, the pages say themselves
(``data-pagefind-*`` attributes from builder/render.py and overrides/main.html).

Pagefind is a Rust program distributed on npm. The project pins it in package.json and
package-lock.json (``npm ci`` in scripts/build.sh and scripts/test.sh puts it in node_modules/).
Its "extended" build segments Chinese; only from 1.6.0 on does it segment the pages the way the
browser segments the query (``Intl.Segmenter``): 1.5.2, the last release on PyPI, splits a name
such as 阿尔忒弥斯 into single characters when indexing and then finds nothing. So a Pagefind
older than MIN_VERSION is refused.

Even 1.6 segments some names differently from the browser (its dictionary is not the browser's:
a four-character place name may be one word in the query and two on its own page), and a
word index cannot find a page by a word it never holds. So beside Pagefind's index this module
writes a table of the pages' exact names (``names_table``): every indexed page's title and the
names a page declares as its own (``data-pagefind-meta="names"``), reduced to letters and
digits, split into small files by a hash of the name. The search box fetches the one file a
query needs and puts the page named exactly as the query first, however Pagefind segments it.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import shutil
import subprocess
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
NAMES = "search-names"  # the exact-names table's folder inside the site (names_table)
NAMES_SHARD_BYTES = 16_000  # about this much of the table per file: a query fetches one
BODY = re.compile(rb"<div data-pagefind-body[ >]")
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


def index_site(site: Path, root: Path | None = None) -> dict:
    """Index the rendered site in ``site`` (a folder). Returns figures for the build report:
    seconds, pages indexed, bytes of the index. Raises RenderError when Pagefind is missing,
    too old or fails."""
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
    names = names_table(site)
    bundle = site / BUNDLE
    return {"engine": "pagefind " + ".".join(map(str, found)), "seconds": round(time.perf_counter() - start, 3),
            "pages": int(pages.group(1)) if pages else None,
            "index_bytes": sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file()),
            "names": names}


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
    """Write ``<site>/search-names/``: ``shards.json`` (how many files) and ``<n>.json``, each
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
    folder = site / NAMES
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for shard in range(shards):
        keys = {k: [n for _, n in sorted(found)] for k, found in sorted(keyed.items()) if name_shard(k, shards) == shard}
        used = sorted({n for found in keys.values() for n in found})
        local = {n: i for i, n in enumerate(used)}
        table = {"pages": [list(entries[n][:3]) for n in used],
                 "keys": {k: [local[n] for n in found] for k, found in keys.items()}}
        (folder / f"{shard}.json").write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")),
                                              encoding="utf-8")
    (folder / "shards.json").write_text(json.dumps({"shards": shards}), encoding="utf-8")
    return {"pages": len(entries), "keys": len(keyed), "files": shards}
