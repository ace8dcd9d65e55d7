"""Incremental builds: the content-hash cache reuses exactly what did not change.

Each test builds a tiny project, changes one input, rebuilds, and checks two things: which
documents were read again (counted by wrapping the per-document stage), and that the pages and
report are the same as those of a build that does not use the cache at all.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml

from builder import incremental as cache
from builder import pipeline, read
from builder.perf import pool
from builder.errors import BuilderError, SourceError
from builder.readers import ReadContext
from tinyproject import make_project, meta, tree_hashes, write_doc

TEXTS = {
    "a": "一、引言\n\n中美太空合作始于1979年。双方签署了协议。\n\n二、结论\n\n合作前景广阔。\n",
    "b": "一、背景\n\n中俄两国在卫星导航领域开展合作。\n\n二、展望\n\n双方将继续合作。\n",
    "c": "一、问题\n\n美国月球商业化政策的兴起。\n\n二、影响\n\n商业航天公司得到支持。\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    docs = {stem: (text, meta(f"doc-{stem}")) for stem, text in TEXTS.items()}
    return make_project(tmp_path, docs)


@pytest.fixture
def rebuilt(monkeypatch) -> list[str]:
    """The ids of the documents the per-document stages ran on (not taken from the cache)."""
    seen: list[str] = []
    original = read.read_and_resolve

    def counting(root, doc_meta, chrome):
        seen.append(doc_meta.id)
        return original(root, doc_meta, chrome)

    monkeypatch.setattr(read, "read_and_resolve", counting)
    monkeypatch.setattr(pool, "PARALLEL_MIN", 10**6)  # counted in this process: read serially
    return seen


def build(root: Path, use_cache: bool = True) -> pipeline.Result:
    return pipeline.run(pipeline.Options(root, render_site=False, use_cache=use_cache))


def outputs(root: Path) -> tuple[dict, dict]:
    """The generated pages and the report (without timings) of the last build."""
    result = build(root, use_cache=False)
    return tree_hashes(root / "docs"), _without_timings(result.report)


def _without_timings(report: dict) -> dict:
    return {k: v for k, v in report.items() if k != "timings"}


def check_same_as_uncached(root: Path, result: pipeline.Result) -> None:
    pages, report = tree_hashes(root / "docs"), _without_timings(result.report)
    assert (pages, report) == outputs(root)


# --------------------------------------------------------------------------- rebuilds


def test_unchanged_rebuild_reads_nothing_and_writes_identical_pages(project: Path, rebuilt: list[str]) -> None:
    first = build(project)
    assert sorted(rebuilt) == ["doc-a", "doc-b", "doc-c"]
    pages = tree_hashes(project / "docs")
    assert any(name.startswith("documents/") for name in pages)
    rebuilt.clear()
    second = build(project)
    assert rebuilt == []
    assert tree_hashes(project / "docs") == pages
    assert _without_timings(second.report) == _without_timings(first.report)
    assert "read" not in second.timings and "footnotes" not in second.timings


def test_editing_a_text_rereads_only_that_document(project: Path, rebuilt: list[str]) -> None:
    build(project)
    rebuilt.clear()
    write_doc(project, "b", TEXTS["b"].replace("卫星导航", "空间碎片监测"), None)
    result = build(project)
    assert rebuilt == ["doc-b"]
    page = (project / "docs" / "documents" / "doc-b.md").read_text(encoding="utf-8")
    assert "空间碎片监测" in page and "卫星导航" not in page
    check_same_as_uncached(project, result)


def test_editing_metadata_rereads_only_that_document(project: Path, rebuilt: list[str]) -> None:
    build(project)
    rebuilt.clear()
    write_doc(project, "c", None, meta("doc-c", title={"zh": "改过的标题"}))
    result = build(project)
    assert rebuilt == ["doc-c"]
    assert "改过的标题" in (project / "docs" / "documents" / "doc-c.md").read_text(encoding="utf-8")
    check_same_as_uncached(project, result)


def test_editing_chrome_rules_rereads_every_document(project: Path, rebuilt: list[str]) -> None:
    build(project)
    rebuilt.clear()
    chrome = project / "corpus" / "chrome.yml"
    rules = yaml.safe_load(chrome.read_text(encoding="utf-8")) or []
    rules.append({"pattern": "合作前景广阔。", "reason": "test rule"})
    chrome.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    result = build(project)
    assert sorted(rebuilt) == ["doc-a", "doc-b", "doc-c"]
    assert "合作前景广阔" not in _body(project / "docs" / "documents" / "doc-a.md")
    check_same_as_uncached(project, result)


def _body(page: Path) -> str:
    """The page without a listing of dropped chrome, if the renderer shows one."""
    return page.read_text(encoding="utf-8").split("test rule")[0]


def test_editing_the_glossary_rereads_no_document_but_recomputes_terms(project: Path, rebuilt: list[str]) -> None:
    build(project)
    rebuilt.clear()
    glossary = project / "corpus" / "glossary.yml"
    glossary.write_text("# curated terms\n", encoding="utf-8")
    result = build(project)
    assert rebuilt == []  # the read stage does not depend on the glossary
    check_same_as_uncached(project, result)


def test_a_change_to_the_builder_source_rereads_every_document(project: Path, rebuilt: list[str],
                                                               monkeypatch) -> None:
    build(project)
    rebuilt.clear()
    monkeypatch.setattr(cache, "_LOADED_SOURCE_HASH", "0" * 64)
    build(project)
    assert sorted(rebuilt) == ["doc-a", "doc-b", "doc-c"]


def test_source_hash_follows_every_python_file_of_the_package(tmp_path: Path) -> None:
    package = tmp_path / "builder"
    shutil.copytree(cache.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache.source_hash(package)
    assert before == cache.source_hash(cache.PACKAGE_DIR)
    (package / "notes.txt").write_text("not code", encoding="utf-8")
    assert cache.source_hash(package) == before
    reader = package / "readers" / "common.py"
    reader.write_text(reader.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert cache.source_hash(package) != before


def test_only_changed_pages_are_rewritten(project: Path) -> None:
    build(project)
    pages = project / "docs" / "documents"
    before = {p.name: p.stat().st_ino for p in pages.glob("*.md")}
    write_doc(project, "a", TEXTS["a"].replace("1979", "1980"), None)
    build(project)
    after = {p.name: p.stat().st_ino for p in pages.glob("*.md")}
    assert after["doc-b.md"] == before["doc-b.md"] and after["doc-c.md"] == before["doc-c.md"]
    assert after["doc-a.md"] != before["doc-a.md"]
    assert "1980" in (pages / "doc-a.md").read_text(encoding="utf-8")


def test_adding_and_removing_documents(project: Path, rebuilt: list[str]) -> None:
    build(project)
    rebuilt.clear()
    write_doc(project, "d", "一、新文\n\n新加入的文献。\n", meta("doc-d"))
    result = build(project)
    assert rebuilt == ["doc-d"]
    assert (project / "docs" / "documents" / "doc-d.md").exists()
    check_same_as_uncached(project, result)
    (project / "corpus" / "d.txt").unlink()
    (project / "corpus" / "d.yml").unlink()
    rebuilt.clear()
    result = build(project)
    assert rebuilt == [] and not (project / "docs" / "documents" / "doc-d.md").exists()
    entries = list((project / cache.CACHE_DIR).glob("*.pickle"))
    assert len(entries) == 3  # the removed document's entry is pruned


def test_warnings_are_replayed_from_the_cache(project: Path) -> None:
    write_doc(project, "a", TEXTS["a"] + "\n注释见①。\n", None)
    first = build(project)
    second = build(project)
    assert second.diag.warnings == first.diag.warnings


def test_a_corrupt_entry_is_a_miss(project: Path, rebuilt: list[str]) -> None:
    build(project)
    rebuilt.clear()
    for entry in (project / cache.CACHE_DIR).glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    (project / cache.CACHE_ROOT / "corpus.pickle").write_bytes(b"\x80\x05garbage")
    result = build(project)
    assert sorted(rebuilt) == ["doc-a", "doc-b", "doc-c"]
    check_same_as_uncached(project, result)


def test_the_key_covers_every_input_of_the_read_stage() -> None:
    # The cache key hashes chrome.yml because ReadContext carries the chrome rules. A new field in
    # ReadContext is a new input of the read stage: add it to cache.document_key, then here.
    assert {f.name for f in dataclasses.fields(ReadContext)} == {"diag", "chrome"}


# --------------------------------------------------------------------------- parallel reading


def test_parallel_reading_gives_the_same_result(project: Path, monkeypatch) -> None:
    serial = build(project, use_cache=False)
    pages = tree_hashes(project / "docs")
    monkeypatch.setattr(pool, "PARALLEL_MIN", 1)
    parallel = pipeline.run(pipeline.Options(project, render_site=False, jobs=2))
    assert tree_hashes(project / "docs") == pages
    assert _without_timings(parallel.report) == _without_timings(serial.report)
    assert len(list((project / cache.CACHE_DIR).glob("*.pickle"))) == 3


def test_a_bad_source_in_a_worker_is_the_same_clear_error(project: Path, monkeypatch) -> None:
    write_doc(project, "b", b"\x00\x01\x02binary\x00\x00", None)
    monkeypatch.setattr(pool, "PARALLEL_MIN", 1)
    with pytest.raises(SourceError) as info:
        pipeline.run(pipeline.Options(project, render_site=False, jobs=2))
    assert "corpus/b.txt" in str(info.value) and "binary" in str(info.value)


# --------------------------------------------------------------------------- corpus-wide stages

from builder import terms, terms_extract  # noqa: E402
from builder.perf import jieba_data  # noqa: E402

TERM_TEXTS = {
    "a": "一、引言\n\n中方建立了空间态势感知系统（SSAS）。反卫星武器（ASAT）试验"
         "产生大量碎片。\n\n二、结论\n\n该系统仍需完善。\n",
    "b": "一、背景\n\n美国的空间态势感知系统覆盖全球。北斗卫星导航系统（BDS）提供服务。\n\n二、展望\n\n"
         "北斗卫星导航系统将继续发展。\n",
    "c": "一、问题\n\n反卫星武器的试验引起关注。\n\n二、影响\n\n商业航天公司得到支持。\n",
}
GLOSSARY = "entries:\n  - zh: 商业航天\n    en: commercial spaceflight\n"


@pytest.fixture
def term_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path, {stem: (text, meta(f"doc-{stem}")) for stem, text in TERM_TEXTS.items()})
    (root / "corpus" / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    return root


@pytest.fixture
def term_work(monkeypatch) -> dict[str, list[str]]:
    """Ids of the documents whose candidates were extracted / whose terms were linked (not cached),
    and whether jieba's dictionary was loaded."""
    seen: dict[str, list[str]] = {"extract": [], "link": [], "jieba": []}
    extract_document, link_document = terms_extract.extract_document, terms.link_document
    new_tokenizer = jieba_data.new_tokenizer

    def extracting(doc, ctx):
        seen["extract"].append(doc.meta.id)
        return extract_document(doc, ctx)

    def linking(doc, *args, **kwargs):
        seen["link"].append(doc.meta.id)
        return link_document(doc, *args, **kwargs)

    def loading():
        seen["jieba"].append("loaded")
        return new_tokenizer()

    monkeypatch.setattr(terms_extract, "extract_document", extracting)
    monkeypatch.setattr(terms, "link_document", linking)
    monkeypatch.setattr(jieba_data, "new_tokenizer", loading)
    return seen


def _clear(seen: dict[str, list[str]]) -> None:
    for found in seen.values():
        found.clear()


def test_terms_come_from_the_cache_when_nothing_changed(term_project: Path, term_work) -> None:
    first = build(term_project)
    assert sorted(term_work["extract"]) == sorted(term_work["link"]) == ["doc-a", "doc-b", "doc-c"]
    assert first.library.glossary.entries, "the project must have glossary entries to test anything"
    pages = tree_hashes(term_project / "docs")
    _clear(term_work)
    second = build(term_project)
    assert term_work == {"extract": [], "link": [], "jieba": []}  # jieba is not even loaded
    assert tree_hashes(term_project / "docs") == pages
    assert _without_timings(second.report) == _without_timings(first.report)
    check_same_as_uncached(term_project, second)


def test_editing_one_text_extracts_and_links_only_what_depends_on_it(term_project: Path, term_work) -> None:
    build(term_project)
    _clear(term_work)
    write_doc(term_project, "c", TERM_TEXTS["c"].replace("引起关注", "引起各国关注"), None)
    result = build(term_project)
    assert term_work["extract"] == ["doc-c"] and term_work["link"] == ["doc-c"]
    check_same_as_uncached(term_project, result)


def test_a_changed_corpus_count_extracts_the_documents_that_consulted_it(term_project: Path, term_work) -> None:
    build(term_project)
    stored = [value for path in (term_project / cache.CACHE_ROOT / "stages" / "extract").glob("*.pickle")
              for value in [cache._read_entry(path, "extract", path.stem)]]
    asked = {name for _found, queries in stored for name in queries}
    assert "空间态势感知系统" in asked  # doc-a's bracket asks how often the name before it recurs
    _clear(term_work)
    write_doc(term_project, "b", TERM_TEXTS["b"].replace("空间态势感知系统", "太空监视网"), None)
    result = build(term_project)
    assert sorted(term_work["extract"]) == ["doc-a", "doc-b"]  # doc-a's count changed; doc-c's did not
    check_same_as_uncached(term_project, result)


def test_editing_the_glossary_extracts_and_links_every_document_again(term_project: Path, term_work) -> None:
    build(term_project)
    _clear(term_work)
    (term_project / "corpus" / "glossary.yml").write_text(GLOSSARY + "  - zh: 卫星导航\n    en: satellite navigation\n",
                                                          encoding="utf-8")
    result = build(term_project)
    assert sorted(term_work["extract"]) == sorted(term_work["link"]) == ["doc-a", "doc-b", "doc-c"]
    check_same_as_uncached(term_project, result)


def test_a_change_to_the_builder_source_recomputes_the_terms(term_project: Path, term_work, monkeypatch) -> None:
    build(term_project)
    _clear(term_work)
    monkeypatch.setattr(cache, "_LOADED_SOURCE_HASH", "1" * 64)
    result = build(term_project)
    assert sorted(term_work["extract"]) == sorted(term_work["link"]) == ["doc-a", "doc-b", "doc-c"]
    check_same_as_uncached(term_project, result)


def test_without_the_cache_nothing_is_stored_for_the_stages(term_project: Path) -> None:
    build(term_project, use_cache=False)
    assert not (term_project / cache.CACHE_ROOT / "stages").exists()


def test_stage_entries_no_build_uses_are_pruned(term_project: Path) -> None:
    build(term_project)
    links = term_project / cache.CACHE_ROOT / "stages" / "link"
    assert len(list(links.glob("*.pickle"))) == 3
    write_doc(term_project, "c", TERM_TEXTS["c"] + "\n新增一段。\n", None)
    build(term_project)
    assert len(list(links.glob("*.pickle"))) == 3


def test_a_corrupt_or_misshapen_stage_entry_is_a_miss(term_project: Path, term_work) -> None:
    build(term_project)
    stages = term_project / cache.CACHE_ROOT / "stages"
    for number, entry in enumerate(sorted(stages.glob("*/*.pickle"))):
        entry.write_bytes(b"garbage" if number % 2 else cache.pickle.dumps(("wrong", "shape")))
    _clear(term_work)
    result = build(term_project)
    assert sorted(term_work["extract"]) == sorted(term_work["link"]) == ["doc-a", "doc-b", "doc-c"]
    check_same_as_uncached(term_project, result)


@pytest.fixture
def page_work(monkeypatch) -> dict[str, list[str]]:
    """Ids of the documents whose page was rendered / whose titles were linked (not cached)."""
    from builder import crosslink, render

    seen: dict[str, list[str]] = {"render": [], "mentions": []}
    document_page, link_mentions = render.document_page, crosslink.link_mentions

    def rendering(doc, *args, **kwargs):
        seen["render"].append(doc.meta.id)
        return document_page(doc, *args, **kwargs)

    def linking(doc, *args, **kwargs):
        seen["mentions"].append(doc.meta.id)
        return link_mentions(doc, *args, **kwargs)

    monkeypatch.setattr(render, "document_page", rendering)
    monkeypatch.setattr(crosslink, "link_mentions", linking)
    return seen


def test_editing_one_text_renders_and_links_only_its_page(project: Path, page_work) -> None:
    build(project)
    assert sorted(page_work["render"]) == sorted(page_work["mentions"]) == ["doc-a", "doc-b", "doc-c"]
    _clear(page_work)
    write_doc(project, "b", TEXTS["b"].replace("卫星导航", "空间碎片监测"), None)
    result = build(project)
    assert page_work == {"render": ["doc-b"], "mentions": ["doc-b"]}
    check_same_as_uncached(project, result)


def test_a_title_change_links_titles_again_everywhere(project: Path, page_work) -> None:
    build(project)
    _clear(page_work)
    write_doc(project, "c", TEXTS["c"] + "\n见测试文献doc-a一文。\n", meta("doc-c"))
    write_doc(project, "a", None, meta("doc-a", title={"zh": "改过的第一篇文献标题"}))
    result = build(project)
    assert sorted(page_work["mentions"]) == ["doc-a", "doc-b", "doc-c"]  # the titles changed
    assert "改过的第一篇文献标题" in (project / "docs" / "documents" / "doc-a.md").read_text(encoding="utf-8")
    check_same_as_uncached(project, result)


def test_a_page_changed_in_docs_is_rendered_again(project: Path, page_work) -> None:
    """Cached pages are taken from docs/ only while their hash is the one the cache remembers."""
    build(project)
    page = project / "docs" / "documents" / "doc-a.md"
    good = page.read_text(encoding="utf-8")
    page.write_text(good.replace("中美太空合作", "篡改的文字"), encoding="utf-8")
    (project / "docs" / "documents" / "doc-c.md").unlink()
    _clear(page_work)
    result = build(project)  # nothing changed in the corpus, but the pages in docs/ did
    assert sorted(page_work["render"]) == ["doc-a", "doc-c"]
    assert page.read_text(encoding="utf-8") == good
    check_same_as_uncached(project, result)


def test_an_unchanged_library_skips_the_corpus_wide_stages(term_project: Path, monkeypatch) -> None:
    """Nothing changed: pages come from docs/ as the last build left them (no stage runs), and the
    pages and report equal an uncached build. Editing glossary.yml runs them again."""
    first = build(term_project)
    calls: list[str] = []
    for module, name in ((pipeline.terms, "draft"), (pipeline.crosslink, "build"), (pipeline, "_render")):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _o=original, _n=name, **k: calls.append(_n) or _o(*a, **k))
    second = build(term_project)
    assert calls == []
    assert _without_timings(second.report) == _without_timings(first.report)
    check_same_as_uncached(term_project, second)
    calls.clear()
    glossary = term_project / "corpus" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    build(term_project)
    assert calls == ["draft", "build", "_render"]
    calls.clear()
    (term_project / "terms-review.yml").write_text("# an editor's decisions\nitems: []\n", encoding="utf-8")
    build(term_project)  # the editors' term decisions are an input too
    assert calls == ["draft", "build", "_render"]


def test_the_garbage_collector_is_paused_for_the_stages_only(project: Path, monkeypatch) -> None:
    """Off while the stages run, on again before the pages are written (MkDocs renders there) and
    after the build, also after a failed one; a caller that had it off keeps it off."""
    import gc

    seen: list[bool] = []
    original_build, original_write = pipeline.terms.draft, pipeline._write

    def terms_build(*args, **kwargs):
        seen.append(gc.isenabled())
        return original_build(*args, **kwargs)

    def write(*args, **kwargs):
        seen.append(gc.isenabled())
        return original_write(*args, **kwargs)

    monkeypatch.setattr(pipeline.terms, "draft", terms_build)
    monkeypatch.setattr(pipeline, "_write", write)
    assert gc.isenabled()
    build(project, use_cache=False)
    assert seen == [False, True] and gc.isenabled()
    gc.disable()
    try:
        seen.clear()
        build(project, use_cache=False)
        assert seen == [False, False] and not gc.isenabled()
    finally:
        gc.enable()
    assert (project / "corpus" / "a.yml").exists()
    (project / "corpus" / "a.yml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(BuilderError, match="a.yml"):
        build(project, use_cache=False)
    assert gc.isenabled()
