"""The order of the build, one line per stage. Read everything, then resolve, then write."""

from __future__ import annotations

import gc
import json
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import cache, crosslink, footnotes, quality, render, report, search, structure, terms, write
from .chrome import ChromeRules, load_chrome
from .config import load_corpus
from .diagnostics import Diagnostics
from .errors import BuilderError, InterruptedAfterSwitch, StrictError
from .files import read_bytes as read_corpus_bytes
from .models import DocMeta, Document, Library
from .normalize import decode, normalize_characters
from .pages import crosslink_pages
from .pages.related import document_sections
from .readers import READERS, ReadContext, Source


@dataclass
class Options:
    root: Path
    render_site: bool = True  # False for `check` and for `serve`'s page regeneration
    write_pages: bool = True
    strict: bool = False
    site_url: str | None = None
    progress: Callable[[str], None] = lambda message: None
    use_cache: bool = True  # reuse per-document results from .build/cache/ (builder/cache.py)
    jobs: int | None = None  # processes for uncached documents; None: the CPUs available


@dataclass
class Result:
    """What a build made. When every input was unchanged and the pages were taken from the last
    build (see ``_unchanged_build``), ``library`` holds the documents but no glossary, works or
    authors: the stages that make them did not run."""

    library: Library
    report: dict
    diag: Diagnostics
    timings: dict[str, float] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # site path -> Markdown of every generated page


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    def stage(self, name: str):
        timer = self

        class _Stage:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                timer.timings[name] = timer.timings.get(name, 0.0) + time.perf_counter() - self.start

        return _Stage()


def run(options: Options) -> Result:
    """Build the library. Raises BuilderError (with every problem found) on bad input.

    The cyclic garbage collector does not run while the builder's stages do: they make little
    cyclic garbage (peak memory at 1,000 documents is the same either way) but millions of
    lasting objects, which its repeated passes traverse again and again (a fifth of a build
    at 1,000 documents). It is turned back on before the pages are written and MkDocs renders
    the site. Objects that exist when the build starts (a caller's earlier results) and the
    documents once read are frozen (``gc.freeze``) until it ends, so that the first collection
    after the stages does not traverse them either."""
    gc.freeze()
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(options, resume_collector=enabled)
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _run(options: Options, resume_collector: bool = False) -> Result:
    root, diag, timer = options.root, Diagnostics(), _Timer()
    corpus = root / "corpus"
    with timer.stage("config"):
        metas = cache.load_corpus(corpus, root, use_cache=options.use_cache)  # 1. metadata, validated
        chrome = load_chrome(corpus / "chrome.yml")
    library = Library(documents=[])
    # 2. decode, normalise, read into blocks and raw notes; 3. markers -> notes. Per document,
    # so cached by content hash (builder/cache.py) and run in parallel when many are uncached.
    with timer.stage("cache"):
        entries, cache_stats = cache.read_corpus(root, metas, chrome, read_and_resolve, use_cache=options.use_cache,
                                                 jobs=options.jobs, progress=options.progress,
                                                 meanwhile=lambda: terms.preload(root, options.use_cache))
        library.documents = [entry.doc for entry in entries]
        for entry in entries:
            diag.warnings.extend(entry.read_warnings)
        for entry in entries:
            diag.warnings.extend(entry.note_warnings)
        gc.freeze()  # the documents live as long as the build
    for stage, seconds in cache_stats.timings.items():  # the work done, out of the cache's time
        timer.timings[stage] = timer.timings.get(stage, 0.0) + seconds
        timer.timings["cache"] -= seconds
    # Per-document results of the corpus-wide stages, cached by document key and their other inputs.
    stage_cache = cache.StageCache(root, cache_stats.keys, enabled=options.use_cache)
    # With every input unchanged (documents, glossary.yml, builder), stages 4-6 give the same
    # pages as last time: if docs/ still holds them (checked by hash), take them from there.
    library_key = stage_cache.key("summary", *cache_stats.keys, _file_bytes(corpus / "glossary.yml"),
                                  _file_bytes(root / terms.REVIEW_FILE))  # the editors' term decisions
    with timer.stage("reuse"):
        reused = _unchanged_build(root, stage_cache.load("summary", library_key), library)
    if reused is not None:
        pages, files, diag.warnings = reused
    else:
        with timer.stage("terms"):  # 4. glossary: extract, curate, link mentions
            library.glossary = terms.build(library, corpus, diag, stage_cache)
            terms.link_all(library, stage_cache)
        with timer.stage("crosslink"):  # 5. titles of other documents linked; authors, works, related documents
            crosslink.link_mentions_all(library)
            crosslink.build(library, diag)
        with timer.stage("render"):  # 6. Markdown pages
            pages = render_pages(library)
            files = terms.generated_files(library)
        stage_cache.save("summary", library_key, {
            "pages": {rel: write.page_hash(text) for rel, text in pages.items()},
            "files": files, "warnings": diag.warnings, "stats": [doc.stats for doc in library.documents],
            "glossary_figures": library.glossary_figures})
    with timer.stage("report"):
        stage_cache.prune()
        built_report = report.build_report(library, diag, timer.timings)
        pages["report.md"] = report.report_page(built_report)
    if resume_collector:
        gc.enable()  # before MkDocs (in _write), whose garbage is its own
    if options.write_pages:
        with timer.stage("write"):  # 7. stage, render the site, swap in
            years = {f"documents/{doc.meta.id}.md": (doc.meta.date or "")[:4] for doc in library.documents}
            _write(options, pages, files, built_report, diag, years)
    built_report["timings"] = {k: round(v, 4) for k, v in timer.timings.items()}
    return Result(library, built_report, diag, timer.timings, pages)


def _unchanged_build(root: Path, summary, library: Library) -> tuple | None:
    """(pages, files, warnings) of the last build with the same inputs, from its summary and the
    pages it left in docs/; None if anything is missing or differs. The documents get the figures
    the later stages gave them, the library the glossary figures (for the report)."""
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


def _file_bytes(path: Path) -> bytes:
    try:
        return read_corpus_bytes(path, path.parent, path.name)
    except BuilderError:
        return b""


def read_document(root: Path, meta: DocMeta, ctx: ReadContext, timings: dict[str, float] | None = None) -> Document:
    """Read, decode, normalise and structure one source text (``timings`` gets the seconds of
    each: "read", "normalise", "structure")."""
    start = time.perf_counter()
    data = read_corpus_bytes(root / meta.text_path, root / "corpus", meta.text_path)  # regular files in corpus/ only
    if meta.reader == "pdf":  # a binary source: its reader extracts and normalises the text itself
        read = normalised = time.perf_counter()
        doc = READERS[meta.reader](Source(meta, "", data=data), ctx)
    else:
        text, _encoding = decode(data, meta.text_path, meta.encoding)
        read = time.perf_counter()
        text, dropped = normalize_characters(text, meta.private_use, meta.text_path, ctx.diag)
        normalised = time.perf_counter()
        doc = READERS[meta.reader](Source(meta, text, dropped), ctx)
    structure.assign_anchors(doc)
    if timings is not None:
        timings.update(read=read - start, normalise=normalised - read, structure=time.perf_counter() - normalised)
    if not doc.blocks:
        ctx.diag.warn("structure.empty", meta.text_path, "no paragraphs found in the text")
    return doc


def read_and_resolve(root: Path, meta: DocMeta, chrome: ChromeRules) -> cache.Entry:
    """The per-document stages (read, footnotes) of one document, with their warnings and times."""
    read_diag, note_diag = Diagnostics(), Diagnostics()
    timings: dict[str, float] = {}
    doc = read_document(root, meta, ReadContext(read_diag, chrome), timings)
    middle = time.perf_counter()
    footnotes.resolve(doc, note_diag)
    quality.check_document(doc, note_diag)  # signs that the document was read wrongly
    report.count_conservation(doc)  # per document, so cached with it
    timings["footnotes"] = time.perf_counter() - middle
    return cache.Entry(doc, read_diag.warnings, note_diag.warnings, timings)


def render_pages(library: Library, stage_cache: cache.StageCache | None = None, text_keys: list[str] | None = None,
                 root: Path | None = None) -> dict[str, str]:
    """Every generated page. With a stage cache, each document's text key (crosslink.build) and
    the project root, a document page whose text key and added sections are unchanged is taken
    from docs/ as the last build wrote it (checked by hash) instead of being rendered again."""
    pages = {"index.md": render.home_page(library.documents), "documents/index.md": render.documents_page(library.documents)}
    use_cache = bool(stage_cache is not None and stage_cache.enabled and root is not None and text_keys
                     and len(text_keys) == len(library.documents) and all(text_keys))
    for position, doc in enumerate(library.documents):
        rel = f"documents/{doc.meta.id}.md"
        sections = document_sections(library, doc)
        if not use_cache:
            pages[rel] = render.document_page(doc, sections)
            continue
        key = stage_cache.key("page", text_keys[position], *sections)
        expected = stage_cache.load("page", key)
        text = write.current_text(root, rel, expected) if isinstance(expected, str) else None
        if text is None:
            text = render.document_page(doc, sections)
            stage_cache.save("page", key, write.page_hash(text))
        pages[rel] = text
    pages.update(terms.pages(library))
    pages.update(crosslink_pages(library))
    return pages


def _write(options: Options, pages: dict[str, str], files: dict[str, str], built_report: dict,
           diag: Diagnostics, years: dict[str, str] | None = None) -> None:
    root = options.root
    staged_docs = staged_site = None
    try:
        # the navigation depends on the hand-written pages too: made on every build, never cached
        nav = render.site_nav(pages, write.hand_written(root), years)
        files = {**files, write.NAV_FILE: json.dumps(nav, ensure_ascii=False, indent=0) + "\n"}
        actionable = diag.actionable()
        if options.strict and actionable:  # before MkDocs runs: every warning, with its file
            raise StrictError("the builder", [str(warning) for warning in actionable])
        staged_docs = write.stage_pages(root, pages, files)
        if options.render_site:
            options.progress("rendering the site with MkDocs")
            staged_site = write.render_site(root, staged_docs, strict=options.strict, site_url=options.site_url)
            built_report["search"] = search.index_site(staged_site, root)  # Pagefind: site/pagefind/
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            write.swap_in(root, staged_docs, staged_site, built_report)
            staged_docs = staged_site = None
        finally:
            try:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)  # a signal held back arrives here
            except KeyboardInterrupt:
                if staged_docs is None:  # the switch was done: say so, not "unchanged"
                    raise InterruptedAfterSwitch() from None
                raise
    finally:
        write.discard(staged_docs, staged_site)
