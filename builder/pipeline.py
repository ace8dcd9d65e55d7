"""The order of the build, one line per stage. Read everything, then resolve, then write.

``run`` lists the stages. Each is a function of its inputs in its own module (``read``,
``footnotes``, ``terms``, ``crosslink``, ``render``, ``write``); none knows about caching. The
incremental layer (``incremental``) remembers their results between builds: the helpers below
say, stage by stage, under which inputs a result is remembered.
"""

from __future__ import annotations

import json
import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import (crosslink, incremental, read, render, report, search, terms, terms_align, terms_define,
               terms_extract, write)
from .chrome import load_chrome
from .config import load_corpus
from .diagnostics import Diagnostics
from .errors import InterruptedAfterSwitch, StrictError
from .models import Library
from .pages import crosslink_pages
from .pages.related import document_sections
from .perf import collector, lexicon_data
from .terms_glossary import load_curated


@dataclass
class Options:
    root: Path
    render_site: bool = True  # False for `check` and for `serve`'s page regeneration
    write_pages: bool = True
    strict: bool = False
    site_url: str | None = None
    progress: Callable[[str], None] = lambda message: None
    use_cache: bool = True  # reuse results of earlier builds from .build/cache/ (builder/incremental.py)
    jobs: int | None = None  # processes for unread documents; None: the CPUs available


@dataclass
class Result:
    """What a build made. When every input was unchanged and the pages were taken from the last
    build, ``library`` holds the documents but no glossary, works or authors: the stages that
    make them did not run."""

    library: Library
    report: dict
    diag: Diagnostics
    timings: dict[str, float] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # site path -> generated Markdown
    files: dict[str, str] = field(default_factory=dict)  # site path -> other generated text files


def run(options: Options) -> Result:
    """Build the library. Raises BuilderError (with every problem found) on bad input."""
    root, diag, timer = options.root, Diagnostics(), report.Timer()
    with collector.paused() as pause:
        with timer.stage("config"):  # 1. metadata, validated; chrome rules
            metas = incremental.load_corpus(root / "corpus", root, load_corpus, use_cache=options.use_cache)
            chrome = load_chrome(root / "corpus" / "chrome.yml")
        library, memo = _read(options, metas, chrome, diag, timer)  # 2. read, 3. footnotes: per document
        pause.freeze()  # the documents live as long as the build
        reused = incremental.last_build(memo, root, _inputs(root), library)  # all unchanged: the last pages
        if reused is None:
            with timer.stage("terms"):  # 4. glossary entries; term links per document
                library.glossary = _terms(memo, library, root, diag)
            with timer.stage("crosslink"):  # 5. document mentions, authors, works, related documents
                _crosslink(memo, library, diag)
            with timer.stage("render"):  # 6. Markdown pages
                reused = _render(memo, library, root), terms.generated_files(library), diag.warnings
            incremental.remember_build(memo, _inputs(root), library, *reused)
        pages, files, diag.warnings = reused
        with timer.stage("report"):
            memo.prune()
            built_report = report.build_report(library, diag, timer.timings)
            pages["report.md"] = report.report_page(built_report)
        pause.resume()  # before MkDocs, whose garbage is its own
        if options.write_pages:
            with timer.stage("write"):  # 7. stage, render the site, index it, swap in
                _write(options, pages, files, built_report, diag, library)
    built_report["timings"] = {k: round(v, 4) for k, v in timer.timings.items()}
    return Result(library, built_report, diag, timer.timings, pages, files)


# --------------------------------------------------------------------------- how each stage is remembered


def _read(options: Options, metas, chrome, diag: Diagnostics, timer: report.Timer) -> tuple[Library, incremental.Memo]:
    """Every document read and its footnotes resolved: remembered per document by the document's
    key (its text, metadata, chrome.yml, the builder); unread documents are read in a process
    pool meanwhile jieba's data is loaded."""
    root = options.root
    terms.use_data_folders(root if options.use_cache else None)
    with timer.stage("cache"):
        entries, stats = incremental.read_documents(root, metas, chrome, read.read_and_resolve, use_cache=options.use_cache,
                                                    jobs=options.jobs, progress=options.progress, meanwhile=terms.preload)
    for entry in entries:
        diag.warnings.extend(entry.read_warnings)
    for entry in entries:
        diag.warnings.extend(entry.note_warnings)
    for stage, seconds in stats.timings.items():  # the work done, out of the cache's time
        timer.add(stage, seconds)
        timer.add("cache", -seconds)
    return Library(documents=[entry.doc for entry in entries]), incremental.Memo(root, stats.keys, options.use_cache)


def _inputs(root: Path) -> tuple:
    """What the later stages read besides the documents: the editors' files."""
    return (incremental.file_bytes(root / "corpus" / "glossary.yml"), incremental.file_bytes(root / terms.REVIEW_FILE))


def _terms(memo: incremental.Memo, library: Library, root: Path, diag: Diagnostics):
    """Per document: the expansions it spells out, the counts of names in it, its candidates
    (remembered while the names known corpus-wide and the counts they asked for hold), its
    aligned pairs' links. Then the glossary is drafted; each document's glosses of its entries
    are found (remembered while the entries' names are the same); the glossary is completed;
    and the term links are made per document (remembered by everything linking depends on)."""
    curated = load_curated(root / "corpus" / "glossary.yml")
    words, inputs = terms.Words(curated), terms.inputs_hash(root / "corpus")
    spelled = memo.values("expansions", library.documents, (), terms_define.spelled_out, _is_list)
    counted = memo.values("counts", library.documents, (), lambda doc: {}, lambda value: isinstance(value, dict))
    sizes = [len(counts) for counts in counted]
    extraction = terms_extract.Extraction(library, words.tokenizer, terms.curated_known(curated),
                                          terms_define.expansions_from(spelled, names_only=True), counted)
    found = memo.values("extract", library.documents, (extraction.key, inputs), extraction.document, extraction.agrees)
    memo.save_values("counts", library.documents, (), counted, [len(c) != n for c, n in zip(counted, sizes)])
    aligner = terms_align.Aligner(words.tokenizer)
    aligned = memo.values("align", library.documents, (inputs, lexicon_data.lexicon_version()), aligner.document, _is_list)
    alignment = terms_align.combine(library, aligned)
    draft = terms.draft(library, curated, extraction.finish(found), alignment, root, diag, terms_define.expansions_from(spelled))
    glosser = terms_define.Glosser(draft.glossary)
    glosses = memo.values("glosses", library.documents, (glosser.key,), glosser.document, lambda value: isinstance(value, dict))
    glossary = terms.complete(library, draft, alignment, diag, glosses)
    linker = terms.Linker(glossary, words, inputs)
    memo.each("link", library.documents, (linker.key,), linker.link, linker.replay)
    return glossary


def _crosslink(memo: incremental.Memo, library: Library, diag: Diagnostics) -> None:
    """Titles of other documents linked per document (remembered by the document's key and the
    corpus titles) and the citations of its notes (remembered by the document's key); then
    authors, works and related documents for the library."""
    index = crosslink.title_index(library.documents)
    memo.each("mentions", library.documents, (index.titles,),
              _applied(lambda doc: crosslink.link_mentions(doc, index), crosslink.apply_mentions), crosslink.apply_mentions)
    citations = memo.values("citations", library.documents, (), crosslink.document_citations, _is_list)
    crosslink.build(library, diag, [item for found in citations for item in found])


def _applied(compute: Callable, apply: Callable) -> Callable:
    """A step for ``Memo.each`` from a pure ``compute(doc)`` and its ``apply(doc, result)``."""
    def step(doc):
        result = compute(doc)
        apply(doc, result)
        return result
    return step


def _is_list(value) -> bool:
    return isinstance(value, list)


def _render(memo: incremental.Memo, library: Library, root: Path) -> dict[str, str]:
    """Every generated page. A document page is remembered by the document's key after the
    stages that change its text, and the sections cross-linking adds to it; the page itself is
    taken from docs/ as the last build wrote it (checked by hash)."""
    pages = {"index.md": render.home_page(library.documents), "documents/index.md": render.documents_page(library.documents)}
    for position, doc in enumerate(library.documents):
        sections = document_sections(library, doc)
        pages[f"documents/{doc.meta.id}.md"] = incremental.remembered_page(
            memo, root, f"documents/{doc.meta.id}.md", (memo.document_keys[position], *sections),
            lambda: render.document_page(doc, sections))
    pages.update(terms.pages(library))
    pages.update(crosslink_pages(library))
    return pages


def make_glossary(library: Library, root: Path, diag: Diagnostics):
    """The terms stage made afresh (nothing remembered): the glossary of ``root``'s corpus files,
    with the documents' terms linked."""
    return _terms(incremental.Memo(root, [""] * len(library.documents), enabled=False), library, root, diag)


def render_pages(library: Library) -> dict[str, str]:
    """Every generated page of a library whose stages have run, made afresh."""
    return _render(incremental.Memo(Path("."), [""] * len(library.documents), enabled=False), library, Path("."))


def _write(options: Options, pages: dict[str, str], files: dict[str, str], built_report: dict,
           diag: Diagnostics, library: Library) -> None:
    root = options.root
    years = {f"documents/{doc.meta.id}.md": (doc.meta.date or "")[:4] for doc in library.documents}
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
