"""Golden tests of the pdf reader: each ``pdf/<case>.rows.yml`` describes a small PDF (rows of
Helvetica text with position and size, page by page); the test writes that PDF with PDFium, reads
it with the pdf reader, resolves the notes and renders the page, and compares it with
``pdf/<case>.expected.md``. Regenerate with ``pytest tests/golden --update-golden`` and review."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path

import pytest
import yaml

from builder import footnotes, render, structure
from builder.diagnostics import Diagnostics
from builder.models import DocMeta
from builder.readers import ReadContext, Source, pdf
from builder.report import lost_characters

HERE = Path(__file__).parent / "pdf"
CASES = sorted(HERE.glob("*.rows.yml"))
WIDTH, HEIGHT = 600.0, 800.0


def write_pdf(pages: list[list[list]]) -> bytes:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument.new()
    for rows in pages:
        page = document.new_page(WIDTH, HEIGHT)
        font = raw.FPDFText_LoadStandardFont(document.raw, b"Helvetica")
        for text, x, y, size in rows:
            obj = raw.FPDFPageObj_CreateTextObj(document.raw, font, float(size))
            buffer = ctypes.create_string_buffer((str(text) + "\0").encode("utf-16-le"))
            raw.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(raw.FPDF_WCHAR)))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, float(x), HEIGHT - float(y))
            raw.FPDFPage_InsertObject(page.raw, obj)
        raw.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_case(path: Path) -> tuple[str, dict]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    meta = DocMeta(id=path.name.split(".")[0].replace("_", "-"), title_zh=spec["title"], kind="journal-article",
                   reader="pdf", languages=["en"], text_path=f"{path.name.split('.')[0]}.pdf", meta_path="")
    diag = Diagnostics()
    doc = pdf.read(Source(meta, "", data=write_pdf(spec["pages"])), ReadContext(diag))
    structure.assign_anchors(doc)
    footnotes.resolve(doc, diag)
    page = render.document_page(doc, citation=False)
    warnings = "\n".join(f"<!-- {w.code} {w.location} -->" for w in diag.warnings)
    return page + ("\n" + warnings + "\n" if warnings else ""), lost_characters(doc)


@pytest.mark.parametrize("path", CASES, ids=[f"pdf/{p.name.split('.')[0]}" for p in CASES])
def test_pdf_golden(path: Path, update_golden: bool) -> None:
    page, lost = render_case(path)
    expected_file = path.with_name(path.name.replace(".rows.yml", ".expected.md"))
    assert not lost, f"characters lost: {lost}"
    if update_golden or not expected_file.exists():
        expected_file.write_text(page, encoding="utf-8")
    assert page == expected_file.read_text(encoding="utf-8")
