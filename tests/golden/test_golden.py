"""Golden-file tests: drop ``<case>.txt`` (and optionally ``<case>.yml`` metadata) into
``tests/golden/<reader>/`` and its expected page ``<case>.expected.md`` appears as a test.

The pipeline runs read -> footnotes -> render for the one document (no glossary, no cross-links),
so each case shows exactly what a reader and the footnote stage make of a small excerpt.
Regenerate expectations with ``pytest tests/golden --update-golden`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder import footnotes, render, structure
from builder.chrome import load_chrome
from builder.diagnostics import Diagnostics
from builder.models import Author, DocMeta
from builder.normalize import normalize_characters
from builder.readers import READERS, ReadContext, Source
from builder.report import lost_characters

HERE = Path(__file__).parent
CASES = sorted(p for p in HERE.glob("*/*.txt"))


def case_meta(path: Path) -> DocMeta:
    reader = path.parent.name
    raw = {}
    meta_file = path.with_suffix(".yml")
    if meta_file.exists():
        raw = yaml.safe_load(meta_file.read_text(encoding="utf-8")) or {}
    return DocMeta(
        id=raw.get("id", path.stem.replace("_", "-")), title_zh=raw.get("title", path.stem), kind=raw.get("kind", "journal-article"),
        reader=reader, languages=raw.get("languages", ["zh"]), text_path=str(path.relative_to(HERE)),
        glyph_map={str(k): str(v) for k, v in (raw.get("glyph_map") or {}).items()},
        meta_path="", private_use={str(k): v for k, v in (raw.get("private_use") or {}).items()},
        note_style=raw.get("note_style", "auto"), title_en=raw.get("title_en", ""),
        authors=[Author(a.get("name", ""), a.get("romanized", "")) for a in raw.get("authors") or []],
    )


def render_case(path: Path) -> tuple[str, dict]:
    meta = case_meta(path)
    diag = Diagnostics()
    text, dropped = normalize_characters(path.read_text(encoding="utf-8"), meta.private_use, meta.text_path, diag)
    chrome = load_chrome(HERE.parent.parent / "corpus" / "chrome.yml")
    doc = READERS[meta.reader](Source(meta, text, dropped), ReadContext(diag, chrome))
    structure.assign_anchors(doc)
    footnotes.resolve(doc, diag)
    page = render.document_page(doc, citation=False)  # what the reader made; citations: test_cite.py
    warnings = "\n".join(f"<!-- {w.code} {w.location} -->" for w in diag.warnings)
    return page + ("\n" + warnings + "\n" if warnings else ""), lost_characters(doc)


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_golden(path: Path, update_golden: bool) -> None:
    page, lost = render_case(path)
    expected_file = path.with_suffix(".expected.md")
    if update_golden or not expected_file.exists():
        expected_file.write_text(page, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"wrote new expectation {expected_file.name}; review it and run again")
    assert page == expected_file.read_text(encoding="utf-8")
    assert not lost, f"characters of the source not placed anywhere: {lost}"
