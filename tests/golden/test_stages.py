"""Golden tests per stage: a folder ``tests/golden/stages/<stage>/<case>/`` holding a tiny project
(``corpus/``: two or three small synthetic documents with their metadata, optionally
``glossary.yml``) and ``expected/`` (generated pages under their site paths, e.g.
``expected/authors/index.md``) appears as a test.

The test builds the case with the pipeline's own path (``pipeline.run``, builder only, nothing
cached or written) on a copy of its corpus, and compares every page named under ``expected/``
with the page the build made. A new case without ``expected/`` gets the pages of its stage
written (``STAGE_PAGES``) and fails once, to be reviewed. Regenerate the expected pages of every
case with ``pytest tests/golden --update-golden`` and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder import pipeline

STAGES = Path(__file__).parent / "stages"
CASES = sorted(corpus.parent for corpus in STAGES.glob("*/*/corpus") if corpus.is_dir())
# The pages a stage makes (site path prefixes), written for a new case.
STAGE_PAGES = {"terms": ("glossary/",), "crosslinks": ("authors/", "works/", "documents/"),
               "indexes": ("indexes/",)}


def build_pages(case: Path, work: Path) -> dict[str, str]:
    """Site path -> Markdown of every page a builder-only build of the case's corpus makes."""
    shutil.copytree(case / "corpus", work / "corpus")
    result = pipeline.run(pipeline.Options(work, render_site=False, write_pages=False, use_cache=False))
    return result.pages


def expected_pages(case: Path) -> dict[str, Path]:
    folder = case / "expected"
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*.md"))} if folder.is_dir() else {}


def write_expected(case: Path, pages: dict[str, str], names: list[str]) -> None:
    for rel in names:
        path = case / "expected" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pages[rel], encoding="utf-8")


def test_every_stage_has_a_case():
    assert {case.parent.name for case in CASES} >= set(STAGE_PAGES)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_stage(case: Path, tmp_path: Path, update_golden: bool) -> None:
    pages = build_pages(case, tmp_path / "project")
    expected = expected_pages(case)
    if not expected:
        prefixes = STAGE_PAGES.get(case.parent.name, ())
        write_expected(case, pages, [rel for rel in sorted(pages) if rel.startswith(prefixes)])
        pytest.fail(f"wrote the expected pages of {case.name}; review them and run again")
    missing = sorted(set(expected) - set(pages))
    assert not missing, f"expected pages the build did not make: {missing}"
    if update_golden:
        write_expected(case, pages, list(expected))
    for rel, path in expected.items():
        assert pages[rel] == path.read_text(encoding="utf-8"), f"{case.name}: {rel} differs"
