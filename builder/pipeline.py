"""The order of the build, one line per stage. Read everything, then resolve, then write."""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import cache, crosslink, footnotes, render, report, structure, terms, write
from .chrome import ChromeRules, load_chrome
from .config import load_corpus
from .diagnostics import Diagnostics
from .errors import BuilderError
from .models import DocMeta, Document, Library
from .normalize import decode, normalize_characters
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
    library: Library
    report: dict
    diag: Diagnostics
    timings: dict[str, float] = field(default_factory=dict)


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
    """Build the library. Raises BuilderError (with every problem found) on bad input."""
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
                                                 jobs=options.jobs, progress=options.progress)
        library.documents = [entry.doc for entry in entries]
        for entry in entries:
            diag.warnings.extend(entry.read_warnings)
        for entry in entries:
            diag.warnings.extend(entry.note_warnings)
    for stage, seconds in cache_stats.timings.items():  # the work done, out of the cache's time
        timer.timings[stage] = timer.timings.get(stage, 0.0) + seconds
        timer.timings["cache"] -= seconds
    # Per-document results of the corpus-wide stages, cached by document key and their other inputs.
    stage_cache = cache.StageCache(root, cache_stats.keys, enabled=options.use_cache)
    # With every input unchanged (documents, glossary.yml, builder), stages 4-6 give the same
    # library and pages as last time: take them from the cache.
    library_key = stage_cache.key("library", *cache_stats.keys, _file_bytes(corpus / "glossary.yml"))
    cached = stage_cache.load("library", library_key)
    if _is_library_entry(cached):
        library, pages, files, diag.warnings = cached
    else:
        with timer.stage("terms"):  # 4. glossary: extract, curate, link mentions
            library.glossary = terms.build(library, corpus, diag, stage_cache)
            terms.link_all(library, stage_cache)
        with timer.stage("crosslink"):  # 5. authors, works, related documents
            crosslink.build(library, diag)
        with timer.stage("render"):  # 6. Markdown pages
            pages = render_pages(library)
            files = terms.generated_files(library)
        stage_cache.save("library", library_key, (library, pages, files, diag.warnings))
    stage_cache.prune()
    built_report = report.build_report(library, diag, timer.timings)
    pages["report.md"] = report.report_page(built_report)
    if options.write_pages:
        with timer.stage("write"):  # 7. stage, render the site, swap in
            _write(options, pages, files, built_report, diag)
    built_report["timings"] = {k: round(v, 4) for k, v in timer.timings.items()}
    return Result(library, built_report, diag, timer.timings)


def _is_library_entry(value) -> bool:
    """A cached (library, pages, files, warnings) of the right shape; anything else is a miss."""
    return (isinstance(value, tuple) and len(value) == 4 and isinstance(value[0], Library)
            and isinstance(value[1], dict) and isinstance(value[2], dict) and isinstance(value[3], list))


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def read_document(root: Path, meta: DocMeta, ctx: ReadContext) -> Document:
    path = root / meta.text_path
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuilderError(f"{meta.text_path}: cannot read source text: {exc.strerror}") from None
    text, _encoding = decode(data, meta.text_path)
    text, dropped = normalize_characters(text, meta.private_use, meta.text_path, ctx.diag)
    doc = READERS[meta.reader](Source(meta, text, dropped), ctx)
    structure.assign_anchors(doc)
    if not doc.blocks:
        ctx.diag.warn("structure.empty", meta.text_path, "no paragraphs found in the text")
    return doc


def read_and_resolve(root: Path, meta: DocMeta, chrome: ChromeRules) -> cache.Entry:
    """The per-document stages (read, footnotes) of one document, with their warnings and times."""
    read_diag, note_diag = Diagnostics(), Diagnostics()
    start = time.perf_counter()
    doc = read_document(root, meta, ReadContext(read_diag, chrome))
    middle = time.perf_counter()
    footnotes.resolve(doc, note_diag)
    report.count_conservation(doc)  # per document, so cached with it
    timings = {"read": middle - start, "footnotes": time.perf_counter() - middle}
    return cache.Entry(doc, read_diag.warnings, note_diag.warnings, timings)


def render_pages(library: Library) -> dict[str, str]:
    pages = {"index.md": render.home_page(library.documents)}
    for doc in library.documents:
        pages[f"documents/{doc.meta.id}.md"] = render.document_page(doc, crosslink.document_sections(library, doc))
    pages.update(terms.pages(library))
    pages.update(crosslink.pages(library))
    return pages


def _write(options: Options, pages: dict[str, str], files: dict[str, str], built_report: dict,
           diag: Diagnostics) -> None:
    root = options.root
    staged_docs = staged_site = None
    try:
        staged_docs = write.stage_pages(root, pages, files)
        if options.render_site:
            options.progress("rendering the site with MkDocs")
            staged_site = write.render_site(root, staged_docs, strict=options.strict, site_url=options.site_url,
                                            nav=render.site_nav(pages, write.hand_written(root)))
        actionable = diag.actionable()
        if options.strict and actionable:
            raise BuilderError(f"strict mode: {len(actionable)} builder warning(s); first: {actionable[0]}")
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            write.swap_in(root, staged_docs, staged_site, built_report)
            staged_docs = staged_site = None
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
    finally:
        write.discard(staged_docs, staged_site)
