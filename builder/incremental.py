"""Incremental builds: the one layer that remembers stage results between builds.

Only the pipeline uses it; no stage knows it exists. Everything lives under ``.build/cache/``
(delete it to force a full rebuild):

- ``corpus.pickle``: the validated corpus metadata (``load_corpus``), keyed by the corpus
  folder's YAML files, its list of files and the builder's source;
- ``documents/``: each document after the read and footnote stages (``read_documents``), keyed
  by its text bytes, its metadata file and DocMeta, ``corpus/chrome.yml`` (the only corpus-wide
  input of the readers), the builder's own ``.py`` files and the Python version. If the read
  stage ever gains another input (a new ReadContext field), it must be added to
  ``document_key``; a unit test guards this. An entry also holds the warnings the two stages
  gave (replayed on a hit, so the report is the same either way) and their seconds;
- ``stages/<stage>/``: the later stages' results (``Memo``): per document under the document's
  key plus the corpus-wide inputs the stage consults (the pipeline says which), or once for the
  library; a generated page's hash (``remembered_page``: the page itself is taken from docs/ as
  the last build wrote it, checked by hash); and the summary of a whole build whose inputs are
  all unchanged (``last_build``).

Every file is one header line (kind, key, checksum) and a pickle; a damaged, swapped or foreign
file is a miss, never unpickled. Entries no key of a build used are removed after it.
Uncached documents are read in a process pool when several are (``perf.pool``).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import files, write
from .config import SPECIAL_FILES
from .errors import BuilderError
from .perf import pool
from .models import DocMeta, Document
from .read import Entry

CACHE_ROOT = ".build/cache"
CACHE_DIR = CACHE_ROOT + "/documents"
PACKAGE_DIR = Path(__file__).resolve().parent
FORMAT = 2  # bump when the layout of an entry changes (2: header line with kind, key and checksum)


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    workers: int = 1
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per stage, this run
    keys: list[str] = field(default_factory=list)  # each document's key, in corpus order ("" uncached)


# Signature of the per-document work: (root, meta, chrome rules) -> Entry.
BuildOne = Callable[[Path, DocMeta, object], Entry]


def loaded_source_hash() -> str:
    """The source hash of the builder code this process runs: taken once, when this module was
    first imported (pipeline imports every stage with it). Hashing the files again later would
    file results of the code in memory under the key of files edited since."""
    return _LOADED_SOURCE_HASH


def source_hash(package_dir: Path = PACKAGE_DIR) -> str:
    """Hash of the builder's own source: every .py file of the package, by relative path."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def shared_inputs_hash(root: Path, builder: str | None = None) -> str:
    """Hash of the inputs every document's read depends on: chrome.yml, builder source, Python."""
    digest = hashlib.sha256(f"format {FORMAT} python {sys.version}".encode())
    chrome = root / "corpus" / "chrome.yml"
    digest.update(b"chrome\0" + (chrome.read_bytes() if chrome.exists() else b"<none>") + b"\0")
    digest.update(b"builder\0" + (builder or loaded_source_hash()).encode())
    return digest.hexdigest()


_LOADED_SOURCE_HASH = source_hash()


def document_key(root: Path, meta: DocMeta, shared: str) -> str:
    """The cache key of one document: its text, its metadata file and DocMeta, the shared inputs."""
    digest = hashlib.sha256(shared.encode() + b"\0")
    for rel in (meta.text_path, meta.meta_path):
        digest.update(rel.encode() + b"\0")
        try:  # never blocks on a FIFO nor follows a link out of corpus/ (the read then says why)
            digest.update(files.read_bytes(root / rel, root / "corpus", rel))
        except BuilderError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    digest.update(repr(meta).encode())
    return digest.hexdigest()


def load_corpus(corpus: Path, root: Path, load: Callable[[Path, Path], list[DocMeta]], *,
                use_cache: bool = True) -> list[DocMeta]:
    """``load(corpus, root)`` (config.load_corpus), remembered while the corpus folder's metadata
    files, its list of files and the builder's source are unchanged. Problems are raised as
    before and never remembered."""
    if not use_cache:
        return load(corpus, root)
    path = root / CACHE_ROOT / "corpus.pickle"
    key = corpus_key(corpus, root)
    metas = _read_entry(path, "corpus", key)
    if isinstance(metas, list) and all(isinstance(meta, DocMeta) for meta in metas):
        return metas
    metas = load(corpus, root)
    _save(path, "corpus", key, pickle.dumps(metas, protocol=pickle.HIGHEST_PROTOCOL))
    return metas


def corpus_key(corpus: Path, root: Path, builder: str | None = None) -> str:
    """Everything config.load_corpus looks at: the project folder, the names in corpus/, the
    bytes of every YAML file there, the kind of the others (file or folder; their contents are
    not read by it, so editing a source text does not invalidate this), the builder."""
    digest = hashlib.sha256(f"format {FORMAT} python {sys.version} root {root.resolve()}".encode())
    digest.update((builder or loaded_source_hash()).encode())
    try:
        paths = sorted(corpus.iterdir())
    except OSError:
        return ""
    for path in paths:
        digest.update(b"\0" + path.name.encode() + b"\0")
        try:  # the entry itself (a link is not its target: config.load_corpus checks where it leads)
            mode = os.lstat(path).st_mode
            digest.update(f"{mode}".encode())
            if stat.S_ISLNK(mode):
                digest.update(os.readlink(path).encode("utf-8", "surrogateescape"))
            elif path.suffix in (".yml", ".yaml") and path.name not in SPECIAL_FILES and stat.S_ISREG(mode):
                digest.update(files.read_bytes(path, corpus, path.name))
        except (OSError, BuilderError):
            digest.update(b"<unreadable>")
    return digest.hexdigest()


def read_documents(root: Path, metas: list[DocMeta], chrome, build_one: BuildOne, *,
                   use_cache: bool = True, jobs: int | None = None,
                   progress: Callable[[str], None] = lambda message: None,
                   meanwhile: Callable[[], None] | None = None) -> tuple[list[Entry], CacheStats]:
    """One Entry per document, in the order of ``metas``: from the cache where the key matches,
    otherwise built with ``build_one`` (in a process pool when several and CPUs are idle,
    ``perf.pool``) and stored. ``meanwhile``, if given and documents are read, runs in this
    process while the pool reads (work a later stage needs anyway, such as loading jieba)."""
    stats = CacheStats()
    folder = root / CACHE_DIR
    shared = shared_inputs_hash(root) if use_cache else ""
    keys = [document_key(root, meta, shared) for meta in metas] if use_cache else [""] * len(metas)
    entries: list[Entry | None] = [_load(folder / f"{key}.pickle", meta) if use_cache else None
                                   for key, meta in zip(keys, metas)]
    missing = [i for i, entry in enumerate(entries) if entry is None]
    stats.hits, stats.misses = len(metas) - len(missing), len(missing)
    start = time.perf_counter()
    store = folder if use_cache else None
    if store is not None and not _make_folder(store):
        store = None  # a cache that cannot be written only costs time
    workers = pool.workers(len(missing), jobs)
    work = [(metas[i], keys[i]) for i in missing]
    read_one = functools.partial(_read_and_store, root, chrome, build_one, store)
    spent: list[float] = []

    def timed_meanwhile() -> None:
        begin = time.perf_counter()
        meanwhile()
        spent.append(time.perf_counter() - begin)

    also = timed_meanwhile if work and meanwhile is not None else None
    if workers > 1:
        progress(f"reading {len(work)} documents with {workers} processes")
        built = pool.map_documents(work, read_one, workers, also)
    else:
        built = _read_serially(work, read_one, progress)
        if also is not None:
            also()
    for i, entry in zip(missing, built):
        entries[i] = entry
    stats.workers = workers
    # The wall time, split over the stages in proportion to their cost; ``meanwhile`` (which
    # overlapped the reading when it was done in a pool) is reported as the terms stage's.
    stats.timings = _wall_split(built, time.perf_counter() - start - sum(spent))
    if spent:
        stats.timings["terms"] = sum(spent)
    stats.keys = list(keys)
    if use_cache:
        _prune(folder, set(keys))
    return entries, stats  # type: ignore[return-value]


def _read_and_store(root: Path, chrome, build_one: BuildOne, store: Path | None, job: tuple[DocMeta, str]) -> Entry:
    """Build one entry and store it (in a worker when reading in a pool)."""
    meta, key = job
    entry = build_one(root, meta, chrome)
    if store is not None:
        _save(store / f"{key}.pickle", "document", key, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
    return entry


def _read_serially(work: list, read_one: Callable, progress: Callable[[str], None]) -> list[Entry]:
    out, errors = [], []
    for index, job in enumerate(work, 1):
        progress(f"[{index}/{len(work)}] reading {job[0].text_path}")
        try:
            out.append(read_one(job))
        except BuilderError as exc:  # go on: every unreadable document is named in one run
            errors.append(exc)
    pool.raise_all(errors)
    return out


def _wall_split(built: list[Entry], wall: float) -> dict[str, float]:
    """Wall time of the work done this run, split over stages in proportion to their cost."""
    spent: dict[str, float] = {}
    for entry in built:
        for stage, seconds in entry.timings.items():
            spent[stage] = spent.get(stage, 0.0) + seconds
    total = sum(spent.values())
    if not total:
        return {}
    return {stage: wall * seconds / total for stage, seconds in spent.items()}


def _load(path: Path, meta: DocMeta) -> Entry | None:
    entry = _read_entry(path, "document", path.stem)
    if not isinstance(entry, Entry) or not isinstance(getattr(entry, "doc", None), Document) \
            or entry.doc.meta != meta:
        return None
    entry.doc.meta = meta
    return entry


# Every cache file is one header line and a pickle: "builder-cache <format> <kind> <key>
# <sha256 of the pickle>". An entry is used only when the header names the kind and key it
# was asked for and the checksum matches: a file truncated, damaged, swapped for another
# entry or for any other pickle (even a valid one, such as {}) is a miss, never unpickled.
MAGIC = b"builder-cache"


def _header(kind: str, key: str, blob: bytes) -> bytes:
    return b"%s %d %s %s %s\n" % (MAGIC, FORMAT, kind.encode(), key.encode(), hashlib.sha256(blob).hexdigest().encode())


def _read_entry(path: Path, kind: str, key: str):
    """The value stored under (kind, key), or None when absent, damaged or not that entry."""
    try:
        with path.open("rb") as handle:
            data = handle.read()
    except OSError:
        return None
    end = data.find(b"\n", 0, 512)
    if end < 0:
        return None
    blob = data[end + 1:]
    if data[: end + 1] != _header(kind, key, blob):
        return None
    try:
        return pickle.loads(blob)
    except Exception:  # a class renamed since: a miss, never an error
        return None


def _save(path: Path, kind: str, key: str, blob: bytes) -> None:
    """Write atomically: a reader sees the old entry, the new one or none, never half of one."""
    header = _header(kind, key, blob)
    _write_atomically(path, lambda handle: (handle.write(header), handle.write(blob)))


def _make_folder(folder: Path) -> bool:
    """Make a cache folder; False when it cannot be made (read-only, a file in the way)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder.is_dir()
    except OSError:
        return False


def _write_atomically(path: Path, write: Callable) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if not _make_folder(path.parent):
        return
    try:
        with tmp.open("wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a cache that cannot be written only costs time


def _prune(folder: Path, keep: set[str]) -> None:
    """Remove entries no document of this corpus uses any more (edited or deleted documents)."""
    try:
        names = list(folder.iterdir())
    except OSError:
        return
    for path in names:
        if path.suffix == ".pickle" and path.stem not in keep:
            path.unlink(missing_ok=True)


def clear(root: Path) -> None:
    """Forget every cached document of this project."""
    import shutil

    shutil.rmtree(root / CACHE_ROOT, ignore_errors=True)


# --------------------------------------------------------------------------- later stages


class Memo:
    """Results of the later stages' calls, remembered between builds under
    ``.build/cache/stages/<stage>/<key>.pickle``; the pipeline's only way to reuse them.

    A key is made of everything the result depends on (``key(stage, *parts)``): normally the
    document's key, which covers its text and metadata, chrome.yml, the builder's source and
    the Python version, plus a hash of the corpus-wide inputs the stage consults. A disabled memo
    (``use_cache`` off) computes everything. Entries no key of this build used are removed by
    ``prune``."""

    def __init__(self, root: Path, document_keys: list[str], enabled: bool = True) -> None:
        self.folder = root / CACHE_ROOT / "stages"
        self.document_keys = list(document_keys)  # chained by ``each``: what each document's text depends on
        self.read_keys = list(document_keys)  # as read: the documents' own keys
        self.enabled = enabled and all(document_keys)
        self.used: dict[str, set[str]] = {}

    def key(self, stage: str, *parts) -> str:
        digest = hashlib.sha256(f"{stage} format {FORMAT} builder {loaded_source_hash()}".encode())
        for part in parts:
            digest.update(b"\0" + (part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")))
        return digest.hexdigest()

    def load(self, stage: str, key: str):
        """The value remembered under (stage, key); None when absent, damaged or disabled."""
        if not self.enabled:
            return None
        self.used.setdefault(stage, set()).add(key)
        return _read_entry(self.folder / stage / f"{key}.pickle", stage, key)

    def save(self, stage: str, key: str, value) -> None:
        if not self.enabled:
            return
        self.used.setdefault(stage, set()).add(key)
        folder = self.folder / stage
        if _make_folder(folder):
            _save(folder / f"{key}.pickle", stage, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def call(self, stage: str, parts: tuple, compute: Callable[[], object], valid: Callable[[object], bool] = bool):
        """``compute()``, or the value remembered under ``parts`` while ``valid`` accepts it."""
        key = self.key(stage, *parts) if self.enabled else ""
        value = self.load(stage, key)
        if value is not None and valid(value):
            return value
        value = compute()
        self.save(stage, key, value)
        return value

    def each(self, stage: str, documents: list, parts: tuple, step: Callable, replay: Callable) -> None:
        """For every document, ``step(doc)`` (which changes it and returns what it changed) or,
        when remembered under the document's key and ``parts``, ``replay(doc, result)`` (False:
        the result does not fit, step again). The document's key becomes that key, so later
        stages' keys cover what this one did to it."""
        for index, doc in enumerate(documents):
            key = self.key(stage, self.document_keys[index], *parts) if self.enabled else ""
            remembered = self.load(stage, key)
            if remembered is None or not replay(doc, remembered):
                self.save(stage, key, step(doc))
            if self.enabled:
                self.document_keys[index] = key

    def values(self, stage: str, documents: list, parts: tuple, compute: Callable,
               valid: Callable[[object], bool] = lambda value: True) -> list:
        """``compute(doc)`` for every document, each remembered under the document's key and
        ``parts`` while ``valid`` accepts it."""
        out = []
        for index, doc in enumerate(documents):
            key = self.key(stage, self.document_keys[index], *parts) if self.enabled else ""
            value = self.load(stage, key)
            if value is None or not valid(value):
                value = compute(doc)
                self.save(stage, key, value)
            out.append(value)
        return out

    def save_values(self, stage: str, documents: list, parts: tuple, values: list, which: list[bool]) -> None:
        """Remember ``values[i]`` under document i's key and ``parts`` where ``which[i]``."""
        for index, (_doc, value, wanted) in enumerate(zip(documents, values, which)):
            if wanted and self.enabled:
                self.save(stage, self.key(stage, self.document_keys[index], *parts), value)

    def prune(self) -> None:
        """Forget the entries of every stage this build used that no key of this build names."""
        if not self.enabled:
            return
        for stage, keep in self.used.items():
            _prune(self.folder / stage, keep)


# --------------------------------------------------------------------------- pages


def remembered_page(memo: Memo, root: Path, rel: str, parts: tuple, render: Callable[[], str]) -> str:
    """The generated page ``rel``: when its hash is remembered under ``parts`` and docs/ still
    holds a page with that hash (the last build wrote it), that page; otherwise ``render()``."""
    key = memo.key("page", *parts) if memo.enabled else ""
    expected = memo.load("page", key)
    text = write.current_text(root, rel, expected) if isinstance(expected, str) else None
    if text is None:
        text = render()
        memo.save("page", key, write.page_hash(text))
    return text


def last_build(memo: Memo, root: Path, inputs: tuple, library) -> tuple | None:
    """(pages, files, warnings) of the last build when every input is unchanged (the documents'
    keys and ``inputs``) and docs/ still holds its pages (checked by hash); None otherwise. The
    documents get the figures the later stages gave them, the library the glossary figures."""
    summary = memo.load("summary", memo.key("summary", *memo.read_keys, *inputs)) if memo.enabled else None
    if not (isinstance(summary, dict) and isinstance(summary.get("pages"), dict)
            and isinstance(summary.get("files"), dict) and isinstance(summary.get("warnings"), list)
            and isinstance(summary.get("stats"), list) and len(summary["stats"]) == len(library.documents)):
        return None
    pages = {}
    for rel, expected in summary["pages"].items():
        text = write.current_text(root, rel, expected)
        if text is None:
            return None
        pages[rel] = text
    for doc, stats in zip(library.documents, summary["stats"]):
        doc.stats = stats
    library.glossary_figures = summary.get("glossary_figures", {})
    return pages, summary["files"], list(summary["warnings"])


def remember_build(memo: Memo, inputs: tuple, library, pages: dict, files: dict, warnings: list,
                   read_keys: list[str] | None = None) -> None:
    """What ``last_build`` needs to give this build again, under the documents' read keys."""
    keys = read_keys if read_keys is not None else memo.read_keys
    memo.save("summary", memo.key("summary", *keys, *inputs), {
        "pages": {rel: write.page_hash(text) for rel, text in pages.items()},
        "files": files, "warnings": warnings, "stats": [doc.stats for doc in library.documents],
        "glossary_figures": library.glossary_figures})


def file_bytes(path: Path) -> bytes:
    """An editor's file as an input of a key (b"" when absent or unreadable)."""
    try:
        return files.read_bytes(path, path.parent, path.name)
    except BuilderError:
        return b""
