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
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
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
    bundle = site / BUNDLE
    return {"engine": "pagefind " + ".".join(map(str, found)), "seconds": round(time.perf_counter() - start, 3),
            "pages": int(pages.group(1)) if pages else None,
            "index_bytes": sum(f.stat().st_size for f in bundle.rglob("*") if f.is_file())}
