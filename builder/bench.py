"""Benchmark: builder stages against ``mkdocs build``, on the seed corpus and generated corpora.

``python -m builder bench --sizes seed,10,100,1000 --json-out bench-results.json``
``python -m builder bench --sizes 1mb,4mb,16mb,60mb`` (one document of that size: builder stages only)
``python -m builder bench --sizes pdf`` (the pdf reader on every PDF of ``../shared/devset``, or of the
folder named by ``BENCH_PDF_DIR``: seconds per page, each PDF read three times, the fastest kept)

This module may create temporary project folders under ``.build/bench/`` (copies of the
project's site configuration and hand-written pages, plus a corpus) and remove them again; it
never touches the project's own ``docs/``, ``site/`` or cache. Generated corpora are made from
the seed texts: copy *n* of seed *s* gets a new id, a changed title and a per-copy perturbation
of its text (some paragraphs swapped with their neighbour, the last digit of four-digit years
shifted), so every document is distinct but of the same kinds and sizes as the seeds.

Each size is measured in fresh Python processes. The first times the project's very first
build: nothing cached at all, jieba's dictionary and tag table read from jieba's own files (and
kept in ``.build/jieba``, which every later build with the same jieba reuses). The second
(peak memory is its maxrss) measures the usual cold build and the rest:

1. setup: imports of the builder and MkDocs (reported, not counted; jieba's dictionaries are
   loaded inside the stages that use them, so they are counted there, as in a real build);
2. full builder run with an empty document cache (``.build/cache`` removed; jieba's data from
   ``.build/jieba``), pages written, site not rendered, per-stage times;
3. ``mkdocs build`` of exactly those pages (write.render_site) in the same process, search index
   and site sizes ("in process": MkDocs finds jieba's dictionary already loaded by the builder);
4. rebuilds with nothing changed, and rebuilds after editing one document (builder only):
   EDITS of each (a different edit of the same document each time), the median reported.

The third process runs ``mkdocs build`` of the pages by itself, as ``mkdocs build`` runs alone
(imports not counted, Material's search plugin loading jieba's dictionary inside the timing):
the "mkdocs s" that the builder is compared with.

Small corpora (the seed corpus, up to SMALL_DOCS generated documents) are measured REPEAT_SMALL
times, the second and third process each time (``--repeat`` sets it for every size): their
builds take about a second, and one measurement of that on a shared machine varies by a quarter
either way. Ratios are then medians, with their range (see measure_size).
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import yaml

BENCH_DIR = ".build/bench"
PROJECT_FILES = ("mkdocs.yml",)
PROJECT_DIRS = ("overrides", "hooks")
CORPUS_SHARED = ("chrome.yml", "chrome.yaml", "glossary.yml", "glossary.yaml")
YEAR = re.compile(r"(?<![0-9０-９])([12１２][0-9０-９]{2})([0-9０-９])(?![0-9０-９])")
FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
SEED_RATIO_LIMIT = 0.30  # builder time / mkdocs time on the seed corpus
REBUILD_LIMITS = {"nochange_ratio": ("no-change rebuild / full", 0.10),
                  "one_edit_ratio": ("one-edit rebuild / full", 0.25)}
SCALING_LIMIT = 1.3
REPEAT_SMALL = 3  # measurements of corpora up to SMALL_DOCS documents (see measure_size)
SMALL_DOCS = 10
EDITS = 3  # one-document edits (and no-change rebuilds) per measurement; the median is reported
MEMORY_LIMIT_MB = 2048
LINEAR_LIMIT = 1.5  # one large document: seconds per MB at the largest size / at the smallest


# --------------------------------------------------------------------------- entry point


def bench(root: Path, sizes: str, json_out: Path, repeat: int | None = None) -> int:
    """Measure every size, print a table, write the JSON. Returns the exit code. ``repeat``:
    measurements per size (None: REPEAT_SMALL for corpora up to SMALL_DOCS documents, else 1)."""
    wanted = [s.strip().lower() for s in sizes.split(",") if s.strip()]
    bad = [s for s in wanted if s not in ("seed", "pdf") and not (s.isdigit() and int(s) > 0) and not _megabytes(s)]
    if bad or not wanted:
        print(f"error: --sizes takes 'seed', 'pdf', positive numbers and one-document sizes such as 4mb, "
              f"got {sizes!r}", file=sys.stderr)
        return 2
    if repeat is not None and repeat < 1:
        print(f"error: --repeat takes a positive number, got {repeat}", file=sys.stderr)
        return 2
    runs = []
    for size in wanted:
        if size == "pdf":
            runs.append(measure_pdfs(root))
            continue
        times = repeat or (1 if _megabytes(size) else REPEAT_SMALL if size == "seed" or int(size) <= SMALL_DOCS else 1)
        print(f"bench: measuring {size} ({times} time{'s' if times > 1 else ''}) ...", file=sys.stderr, flush=True)
        runs.append(measure_size(root, size, times))
    results = {"machine": machine(), "runs": runs, "targets": check_targets(runs)}
    json_out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nwritten {json_out}")
    return 0


def measure_pdfs(root: Path, repeat: int = 3) -> dict:
    """Seconds per page of the pdf reader (extraction and layout rules, no later stage) on every
    PDF of the devset folder beside the project (or ``BENCH_PDF_DIR``)."""
    from .chrome import ChromeRules
    from .diagnostics import Diagnostics
    from .models import DocMeta
    from .readers import ReadContext, Source
    from .readers.pdf import read as read_pdf

    folder = Path(os.environ.get("BENCH_PDF_DIR") or root.parent / "shared" / "devset")
    documents = []
    for path in sorted(folder.glob("*.pdf")):
        meta = DocMeta(id="bench", title_zh=path.stem, kind="journal-article", reader="pdf", languages=["zh"],
                       text_path=path.name, meta_path="")
        data = path.read_bytes()
        best, pages = float("inf"), 0
        for _ in range(repeat):
            start = time.perf_counter()
            doc = read_pdf(Source(meta, "", data=data), ReadContext(Diagnostics(), ChromeRules()))
            best = min(best, time.perf_counter() - start)
            pages = doc.source_text.count("\f") + 1 if "\f" in doc.source_text else _pdf_pages(data)
        documents.append({"file": path.name, "pages": pages, "seconds": round(best, 3),
                          "seconds_per_page": round(best / pages, 4) if pages else None})
    total_pages = sum(d["pages"] for d in documents)
    total = sum(d["seconds"] for d in documents)
    return {"size": "pdf", "folder": str(folder), "pdfs": documents, "pages": total_pages,
            "seconds_per_page": round(total / total_pages, 4) if total_pages else None}


def _pdf_pages(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def measure_size(root: Path, size: str, repeat: int = 1) -> dict:
    """Make a project for one size, measure it in fresh processes, remove it.

    The builder and ``mkdocs build`` are measured ``repeat`` times, alternately, each time in
    fresh processes (a cold build needs one). On a shared machine one measurement of a build of
    a second or less varies by a quarter either way, so for small corpora the figures are
    the median repeat's (by builder time), every ratio is the median of the repeats' own ratios
    (each builder time against the ``mkdocs build`` measured right after it), and the range of
    each ratio is reported beside it ("..._range": [lowest, highest])."""
    (root / BENCH_DIR).mkdir(parents=True, exist_ok=True)
    project = Path(tempfile.mkdtemp(prefix=f"{size}-", dir=root / BENCH_DIR))
    try:
        make_project(root, project, size)
        out = project / "measure.json"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_package_parent()),
                                                                         os.environ.get("PYTHONPATH")]))}

        def child(*mode: str) -> dict:
            subprocess.run([sys.executable, "-m", "builder.bench", str(project), str(out), *mode], check=True,
                           env=env, stdout=subprocess.DEVNULL)
            return json.loads(out.read_text(encoding="utf-8"))

        if _megabytes(size):  # one large document: the builder's stages only, once
            return {"size": size, **child("document")}
        # First the project's very first build (no cache of any kind, jieba's data read from jieba's
        # own files), then the usual cold build: no document cached, jieba's data in .build/jieba.
        first = child("first")
        repeats = []
        for _ in range(repeat):
            figures = child()
            # `mkdocs build` of the same pages as it runs by itself: a process of its own, in which
            # Material's search plugin loads jieba's dictionary (in the measuring process above the
            # builder has loaded it already, and MkDocs gets it for free: reported as "in process").
            alone = child("mkdocs")["mkdocs_seconds"]
            figures["mkdocs_seconds"] = alone
            figures["builder_mkdocs_ratio"] = round(figures["builder_seconds"] / alone, 4) if alone else None
            repeats.append(figures)
        figures = _combine(repeats)
        figures.update(first)
        if figures["mkdocs_seconds"]:
            figures["first_build_mkdocs_ratio"] = round(first["first_build_seconds"] / figures["mkdocs_seconds"], 4)
    finally:
        shutil.rmtree(project, ignore_errors=True)
    return {"size": size, **figures}


RATIOS = ("builder_mkdocs_ratio", "builder_mkdocs_in_process_ratio", "nochange_ratio", "one_edit_ratio")


def _combine(repeats: list[dict]) -> dict:
    """One set of figures from repeated measurements: the median repeat's (by builder time),
    each ratio the median of the repeats' ratios with its range, the highest peak memory."""
    combined = dict(_median(repeats, key=lambda figures: figures["builder_seconds"]))
    combined["repeats"] = len(repeats)
    for key in RATIOS:
        values = sorted(figures[key] for figures in repeats if figures.get(key) is not None)
        if values:
            combined[key] = round(statistics.median(values), 4)
            combined[f"{key}_range"] = [values[0], values[-1]]
    combined["peak_rss_mb"] = max(figures["peak_rss_mb"] for figures in repeats)
    return combined


def _package_parent() -> Path:
    return Path(__file__).resolve().parent.parent


def machine() -> dict:
    return {"cpus": len(os.sched_getaffinity(0)), "python": sys.version.split()[0],
            "platform": sys.platform, "date": time.strftime("%Y-%m-%d")}


# --------------------------------------------------------------------------- corpora


def make_project(root: Path, project: Path, size: str) -> None:
    """A project folder with the site configuration, hand-written pages and a corpus of `size`."""
    from .write import _is_generated

    for name in PROJECT_FILES:
        if (root / name).exists():
            shutil.copy2(root / name, project / name)
    for name in PROJECT_DIRS:
        if (root / name).is_dir():
            shutil.copytree(root / name, project / name)
    docs = root / "docs"
    for path in sorted(docs.rglob("*")) if docs.is_dir() else []:
        rel = path.relative_to(docs).as_posix()
        if path.is_file() and not _is_generated(rel):
            (project / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, project / "docs" / rel)
    corpus = project / "corpus"
    corpus.mkdir()
    for name in CORPUS_SHARED:
        if (root / "corpus" / name).exists():
            shutil.copy2(root / "corpus" / name, corpus / name)
    seeds = seed_documents(root / "corpus")
    if size == "seed":
        for text, meta in seeds:
            _copy_writable(text, corpus / text.name)
            _copy_writable(meta, corpus / meta.name)
    elif _megabytes(size):
        one_document(seeds[0], corpus, _megabytes(size))
    else:
        generate_corpus(seeds, corpus, int(size))


def _megabytes(size: str) -> int:
    """The size of a one-document corpus ("4mb" -> 4), or 0 for any other size."""
    return int(size[:-2]) if size.endswith("mb") and size[:-2].isdigit() and int(size[:-2]) > 0 else 0


def one_document(seed: tuple[Path, Path], corpus: Path, megabytes: int) -> None:
    """One document of about ``megabytes`` MB: the seed's text repeated, each copy perturbed
    (at most 63 MB: the largest source the builder reads is 64 MB)."""
    text_path, meta_path = seed
    text = text_path.read_text(encoding="utf-8")
    size = min(megabytes, 63) * 1024 * 1024
    copies = max(1, size // len(text.encode("utf-8")))
    (corpus / f"large{text_path.suffix}").write_text("\n\n".join(perturb(text, n + 1) for n in range(copies)),
                                                     encoding="utf-8")
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8-sig"))
    meta.pop("related", None)
    (corpus / f"large{meta_path.suffix}").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False),
                                                     encoding="utf-8")


def seed_documents(corpus: Path) -> list[tuple[Path, Path]]:
    """(text, metadata) pairs of the seed corpus, in file order."""
    from .config import load_corpus

    root = corpus.parent
    return [(root / meta.text_path, root / meta.meta_path) for meta in
            sorted(load_corpus(corpus, root), key=lambda m: m.text_path)]


def generate_corpus(seeds: list[tuple[Path, Path]], corpus: Path, count: int) -> None:
    """`count` documents: copy n of seed n % len(seeds), each with a new id and perturbed text."""
    ids = [yaml.safe_load(meta.read_text(encoding="utf-8"))["id"] for _, meta in seeds]
    for n in range(count):
        text_path, meta_path = seeds[n % len(seeds)]
        generation = n // len(seeds)
        stem = f"{text_path.stem}-g{generation:04d}"
        text = text_path.read_bytes().decode("utf-8", errors="surrogateescape")
        (corpus / f"{stem}{text_path.suffix}").write_bytes(perturb(text, n + 1).encode("utf-8", errors="surrogateescape"))
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8-sig"))
        meta = copy_metadata(meta, generation, [i for i_n, i in enumerate(ids)
                                                if generation * len(seeds) + i_n < count])
        (corpus / f"{stem}{meta_path.suffix}").write_text(
            yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")


def copy_metadata(meta: dict, generation: int, existing_ids: list[str]) -> dict:
    """The metadata of a copy: new id and title; related ids point at copies of the same generation."""
    meta = dict(meta)
    suffix = f"-g{generation:04d}"
    meta["id"] = f"{meta['id']}{suffix}"
    title = dict(meta.get("title") or {})
    title["zh"] = f"{title.get('zh', '')} {suffix[1:]}"
    meta["title"] = title
    if "related" in meta:
        meta["related"] = [f"{rid}{suffix}" for rid in meta["related"] if rid in existing_ids]
    return meta


def perturb(text: str, seed: int) -> str:
    """A distinct variant of a text: some paragraphs swapped with the next, years shifted."""
    rng = random.Random(seed)
    paragraphs = text.split("\n\n")
    for i in range(1, len(paragraphs) - 2):
        if rng.random() < 0.1:
            paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    shift = rng.randrange(1, 10)

    def year(match: re.Match) -> str:
        last = match.group(2)
        digit = (int(last.translate(FULLWIDTH)) + shift) % 10
        return match.group(1) + (chr(ord("０") + digit) if last in "０１２３４５６７８９" else str(digit))

    return YEAR.sub(year, "\n\n".join(paragraphs))


def _copy_writable(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes())


# --------------------------------------------------------------------------- measuring (child process)


def measure(project: Path) -> dict:
    """All figures for one project; run in a fresh process so that maxrss is this size's own."""
    start = time.perf_counter()
    from mkdocs.commands import build  # noqa: F401  imported here, not inside the mkdocs timing

    from . import incremental, pipeline, search, write

    _quiet_jieba()
    os.environ[search.STREAM_SWITCH] = "0"  # rendering and Pagefind timed apart (search_seconds)
    setup = time.perf_counter() - start
    incremental.clear(project)
    full, result = _timed_build(project)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    documents = result.library.documents
    characters = sum(len(doc.source_text) for doc in documents)
    pages_before = _snapshot(project / "docs")

    start = time.perf_counter()
    site = write.render_site(project, project / "docs")
    mkdocs = time.perf_counter() - start  # in this process: jieba already loaded by the builder
    start = time.perf_counter()
    search.index_site(site, project)  # Pagefind, as `python -m builder build` runs it
    search_seconds = time.perf_counter() - start
    sizes = site_sizes(site)
    shutil.rmtree(site, ignore_errors=True)

    nochanges = [_timed_build(project) for _ in range(EDITS)]
    identical = _snapshot(project / "docs") == pages_before
    edited = documents[len(documents) // 2].meta.text_path
    original = (project / edited).read_bytes()
    edits = []
    for number in range(EDITS):  # a different edit each time, of the same document
        edit_one_document(project, edited, number)
        edits.append(_timed_build(project))
    (project / edited).write_bytes(original)
    nochange, nochange_result = _median(nochanges, key=lambda timed: timed[0])
    one_edit, one_edit_result = _median(edits, key=lambda timed: timed[0])
    stages = {k: round(v, 4) for k, v in result.timings.items()}
    builder = full
    return {
        "documents": len(documents),
        "characters": characters,
        "setup_seconds": round(setup, 3),
        "stages": stages,
        "builder_seconds": round(builder, 4),
        "mkdocs_in_process_seconds": round(mkdocs, 4),
        "search_seconds": round(search_seconds, 4),
        "builder_mkdocs_in_process_ratio": round(builder / mkdocs, 4) if mkdocs else None,
        "per_document_ms": round(1000 * builder / max(1, len(documents)), 3),
        "chars_per_second": round(characters / builder) if builder else None,
        "peak_rss_mb": round(peak_rss_mb, 1),
        "nochange_seconds": round(nochange, 4),
        "nochange_ratio": round(nochange / builder, 4) if builder else None,
        "nochange_pages_identical": identical,
        "nochange_stages": {k: round(v, 4) for k, v in nochange_result.timings.items()},
        "one_edit_seconds": round(one_edit, 4),
        "one_edit_ratio": round(one_edit / builder, 4) if builder else None,
        "one_edit_stages": {k: round(v, 4) for k, v in one_edit_result.timings.items()},
        **sizes,
    }


def measure_first(project: Path) -> dict:
    """The first build of a project, in a fresh process: nothing cached, not even jieba's data
    (``.build/jieba``, which later builds of any project with the same jieba reuse)."""
    from mkdocs.commands import build  # noqa: F401  imported as in measure()

    from . import incremental
    from .perf import jieba_data

    _quiet_jieba()
    incremental.clear(project)
    shutil.rmtree(project / jieba_data.DATA_FOLDER, ignore_errors=True)
    seconds, result = _timed_build(project)
    return {"first_build_seconds": round(seconds, 4),
            "first_build_stages": {k: round(v, 4) for k, v in result.timings.items()}}


def measure_document(project: Path) -> dict:
    """The builder's stages on a one-document project (no cache, no pages written, no site), in
    a fresh process: time per stage and peak memory, to show each stage is linear in size."""
    from . import pipeline

    _quiet_jieba()
    start = time.perf_counter()
    result = pipeline.run(pipeline.Options(project, render_site=False, write_pages=False, use_cache=False))
    seconds = time.perf_counter() - start
    characters = sum(len(doc.source_text) for doc in result.library.documents)
    megabytes = sum((project / doc.meta.text_path).stat().st_size for doc in result.library.documents) / 2**20
    return {"documents": len(result.library.documents), "characters": characters,
            "megabytes": round(megabytes, 2), "builder_seconds": round(seconds, 4),
            "seconds_per_mb": round(seconds / megabytes, 4) if megabytes else None,
            "chars_per_second": round(characters / seconds) if seconds else None,
            "stages": {k: round(v, 4) for k, v in result.timings.items()},
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def measure_mkdocs(project: Path) -> dict:
    """``mkdocs build`` of the project's pages in a fresh process, as it runs by itself (imports
    not counted; Material's search plugin loads jieba's dictionary inside the timing)."""
    from mkdocs.commands import build  # noqa: F401

    from . import search, write

    _quiet_jieba()
    os.environ[search.STREAM_SWITCH] = "0"  # MkDocs alone, without the search index
    start = time.perf_counter()
    site = write.render_site(project, project / "docs")
    seconds = time.perf_counter() - start
    shutil.rmtree(site, ignore_errors=True)
    return {"mkdocs_seconds": round(seconds, 4)}


def _quiet_jieba() -> None:
    """jieba's dictionary is loaded where the builder and MkDocs load it, and timed with them."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(60)


def _timed_build(project: Path):
    from . import pipeline

    start = time.perf_counter()
    result = pipeline.run(pipeline.Options(project, render_site=False))
    return time.perf_counter() - start, result


def _median(items: list, key):
    """The middle item by ``key`` (the lower middle of an even count)."""
    return sorted(items, key=key)[(len(items) - 1) // 2]


def _snapshot(docs: Path) -> dict[str, bytes]:
    """Every file under docs/, the generated folders (links into .build/out/current) followed."""
    out = {}
    for folder, _dirs, names in os.walk(docs, followlinks=True):
        for name in names:
            path = Path(folder, name)
            if path.is_file():
                out[path.relative_to(docs).as_posix()] = path.read_bytes()
    return dict(sorted(out.items()))


def edit_one_document(project: Path, text_path: str, number: int = 0) -> None:
    """Edit one source text the way an editor might (a paragraph moved, a year changed);
    ``number`` picks one of many such edits."""
    path = project / text_path
    text = path.read_text(encoding="utf-8")
    edited = perturb(text, 10_007 + number)
    if edited == text:
        edited = text + "\n"
    path.write_text(edited, encoding="utf-8")


def site_sizes(site: Path) -> dict:
    """Reader-side weight: the search index, the whole site, the document pages."""
    files = [p for p in site.rglob("*") if p.is_file()]
    # Pagefind's bundle (builder/search.py): a reader downloads only the chunks a query needs;
    # its index and fragments (.pf_*) are gzip files already, the rest a server compresses
    bundle = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    pages = [p.stat().st_size for p in site.glob("documents/*/index.html")]
    return {
        "search_index_bytes": sum(p.stat().st_size for p in bundle),
        "search_index_gzip_bytes": sum(p.stat().st_size if ".pf_" in p.name else _gzip_size(p) for p in bundle),
        "site_bytes": sum(p.stat().st_size for p in files),
        "site_files": len(files),
        "document_page_bytes_mean": round(sum(pages) / len(pages)) if pages else 0,
        "document_page_bytes_max": max(pages, default=0),
    }


def _gzip_size(path: Path) -> int:
    """Size of the file gzip-compressed at the default level, compressed in chunks."""
    compressor, size = zlib.compressobj(6, zlib.DEFLATED, 31), 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            size += len(compressor.compress(chunk))
    return size + len(compressor.flush())


# --------------------------------------------------------------------------- report


def check_targets(runs: list[dict]) -> dict:
    """The issue's targets, each with the measured value, the limit and whether it is met."""
    by_size = {run["size"]: run for run in runs}
    out = {}
    if by_size.get("pdf", {}).get("seconds_per_page"):
        # the PDF issue: a 30-page article read in under 3 s
        out["pdf: seconds to read 30 pages"] = _target(round(30 * by_size["pdf"]["seconds_per_page"], 2), 3.0)
    if by_size.get("seed", {}).get("builder_mkdocs_ratio") is not None:
        seed = by_size["seed"]
        out["seed builder / mkdocs"] = _target(seed["builder_mkdocs_ratio"], SEED_RATIO_LIMIT,
                                               seed.get("builder_mkdocs_ratio_range"))
    for size, run in by_size.items():
        for key, (name, limit) in REBUILD_LIMITS.items():
            if run.get(key) is not None:
                out[f"{size}: {name}"] = _target(run[key], limit, run.get(f"{key}_range"))
    documents = sorted((_megabytes(s), r) for s, r in by_size.items() if _megabytes(s))
    if len(documents) >= 2 and documents[0][1].get("seconds_per_mb"):
        (small, low), (large, high) = documents[0], documents[-1]
        value = round(high["seconds_per_mb"] / low["seconds_per_mb"], 3)
        out[f"one document: time per MB {large} MB / {small} MB"] = _target(value, LINEAR_LIMIT)
    numbered = sorted((int(s), r) for s, r in by_size.items() if s.isdigit())
    if len(numbered) >= 2:
        (small, low), (large, high) = numbered[0], numbered[-1]
        value = round(high["per_document_ms"] / low["per_document_ms"], 3)
        out[f"per-document time {large} / {small}"] = _target(value, SCALING_LIMIT)
    for size, run in by_size.items():
        if size.isdigit() and int(size) >= 1000:
            out[f"{size}: peak memory MB"] = _target(run["peak_rss_mb"], MEMORY_LIMIT_MB)
    return out


def _target(value: float, limit: float, spread: list[float] | None = None) -> dict:
    """A target: met when the value (a median, when measured several times) is within the limit;
    ``range`` the lowest and highest single measurement."""
    target = {"value": value, "limit": limit, "ok": value <= limit}
    if spread:
        target["range"] = spread
    return target


COLUMNS = [
    ("docs", "documents", "{:d}"),
    ("runs", "repeats", "{:d}"),
    ("chars", "characters", "{:,d}"),
    ("builder s", "builder_seconds", "{:.3f}"),
    ("mkdocs s", "mkdocs_seconds", "{:.2f}"),
    ("b/mk", "builder_mkdocs_ratio", "{:.1%}"),
    ("mkdocs in-proc s", "mkdocs_in_process_seconds", "{:.2f}"),
    ("b/mk in-proc", "builder_mkdocs_in_process_ratio", "{:.1%}"),
    ("first build s", "first_build_seconds", "{:.3f}"),
    ("first b/mk", "first_build_mkdocs_ratio", "{:.1%}"),
    ("ms/doc", "per_document_ms", "{:.1f}"),
    ("s/MB", "seconds_per_mb", "{:.2f}"),
    ("chars/s", "chars_per_second", "{:,d}"),
    ("peak MB", "peak_rss_mb", "{:.0f}"),
    ("no-change", "nochange_ratio", "{:.1%}"),
    ("1 edit", "one_edit_ratio", "{:.1%}"),
    ("index KB", "search_index_bytes", "{:,.0f}"),
    ("index gz KB", "search_index_gzip_bytes", "{:,.0f}"),
    ("site KB", "site_bytes", "{:,.0f}"),
    ("page KB", "document_page_bytes_mean", "{:,.0f}"),
]


def table(results: dict) -> str:
    """A plain-text (Markdown) table of the runs, the stage times and the targets."""
    runs = [run for run in results["runs"] if run["size"] != "pdf"]
    lines = _pdf_table(results["runs"])
    if runs:
        lines += ["| size | " + " | ".join(title for title, _, _ in COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for run in runs:
        cells = [_cell(run, key, fmt) for _, key, fmt in COLUMNS]
        lines.append(f"| {run['size']} | " + " | ".join(cells) + " |")
    stages = list(dict.fromkeys(stage for run in runs for stage in run["stages"]))
    if runs:
        lines += ["", "| size | " + " | ".join(f"{s} s" for s in stages) + " |", "|---" * (len(stages) + 1) + "|"]
    for run in runs:
        lines.append(f"| {run['size']} | " + " | ".join(f"{run['stages'].get(s, 0.0):.3f}" for s in stages) + " |")
    if results["targets"]:
        lines += ["", "| target | value | range | limit | met |", "|---|---|---|---|---|"]
        for name, target in results["targets"].items():
            spread = "–".join(str(v) for v in target["range"]) if target.get("range") else "–"
            lines.append(f"| {name} | {target['value']} | {spread} | {target['limit']} | "
                         f"{'yes' if target['ok'] else 'NO'} |")
    return "\n".join(lines)


def _pdf_table(runs: list[dict]) -> list[str]:
    """The pdf reader's seconds per page, one row per PDF, before the corpus tables."""
    lines = []
    for run in (r for r in runs if r["size"] == "pdf"):
        lines += ["| PDF | pages | reading s | s / page |", "|---|---|---|---|"]
        lines += [f"| {d['file']} | {d['pages']} | {d['seconds']:.3f} | {d['seconds_per_page']} |" for d in run["pdfs"]]
        lines += [f"| all ({run['folder']}) | {run['pages']} | | {run['seconds_per_page']} |", ""]
    return lines


def _cell(run: dict, key: str, fmt: str) -> str:
    value = run.get(key)
    if value is None:
        return "–"
    if "bytes" in key:
        value = value / 1024
    return fmt.format(value)


if __name__ == "__main__":  # python -m builder.bench <project> <out.json> [first|mkdocs]: a measuring child
    mode = sys.argv[3] if len(sys.argv) > 3 else ""
    figures = {"first": measure_first, "mkdocs": measure_mkdocs, "document": measure_document}.get(
        mode, measure)(Path(sys.argv[1]))
    Path(sys.argv[2]).write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
