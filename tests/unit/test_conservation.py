"""Conservation: every character of every source is placed in the site (body, notes, metadata,
back matter) or listed as dropped chrome — on every corpus document, every golden input and
every input the other robustness tests generate — and the report says so per document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder import pipeline
from builder.config import load_corpus
from builder.models import Text
from builder.models import Dropped
from builder.report import conservation, lost_characters
from test_hostile import MARKDOWN_PAYLOAD, PARALLEL_PAYLOAD, PAYLOAD
from test_robustness import TEXT as ENCODING_TEXT
from tinyproject import REPO, make_project, meta, read_text, run_cli

READERS = ["pdf_journal", "policy_paper", "parallel", "markdown_repost"]
CORPUS_IDS = [doc.id for doc in load_corpus(REPO / "corpus", REPO)]
GOLDEN_INPUTS = sorted((REPO / "tests" / "golden").glob("*/*.txt"))


@pytest.fixture(scope="module")
def corpus_result() -> pipeline.Result:
    """The seed corpus read, resolved and reported once (nothing written)."""
    return pipeline.run(pipeline.Options(REPO, render_site=False, write_pages=False))


def figures_of(result: pipeline.Result, doc_id: str) -> dict:
    return next(d["figures"] for d in result.report["documents"] if d["id"] == doc_id)


@pytest.mark.parametrize("doc_id", CORPUS_IDS)
def test_every_character_of_every_corpus_document_is_accounted_for(corpus_result, doc_id):
    doc = next(d for d in corpus_result.library.documents if d.meta.id == doc_id)
    lost = lost_characters(doc)
    assert lost == {}, f"{doc.meta.text_path} ({doc.meta.reader}) loses {sum(lost.values())} characters: " \
                       f"{''.join(sorted(lost))[:80]}"
    figures = figures_of(corpus_result, doc_id)
    assert figures["chars_in"] > 1000
    assert figures["chars_placed"] + figures["chars_chrome"] == figures["chars_in"]
    assert figures["chars_lost"] == 0 and figures["conserved_percent"] == 100.0


def test_report_totals_are_100_percent(corpus_result):
    totals = corpus_result.report["totals"]
    assert totals["chars_in"] == sum(figures_of(corpus_result, i)["chars_in"] for i in CORPUS_IDS)
    assert totals["conserved_percent"] == 100.0


@pytest.mark.parametrize("path", GOLDEN_INPUTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_golden_input_is_accounted_for(path):
    doc, _ = read_text(path.read_text(encoding="utf-8"), path.parent.name)
    assert lost_characters(doc) == {}


GENERATED = {"hostile": PAYLOAD, "hostile-markdown": MARKDOWN_PAYLOAD, "hostile-parallel": PARALLEL_PAYLOAD,
             "encodings": ENCODING_TEXT,
             "link-before-punctuation": "## 标题\n\n正文[链接](https://example.org/)。再看[图](https://example.org/a.png)，完。\n",
             # found by the fuzz test: a footer link list dropped as chrome, an entity in a URL
             # (counted as the raw line) and a link whose unescaped URL is no safe scheme
             "entity-in-dropped-footer-link": "正文。\n\n- [ROL Foundation](hAttp：s&://rolfoundation.or；g/)\n"
                                              "- [ROL Society](https://&lt;rolsociety.org/)\n"}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_every_generated_input_is_accounted_for_by_every_reader(name, reader):
    doc, _ = read_text(GENERATED[name], reader)
    assert lost_characters(doc) == {}, f"{reader} loses characters of the {name} input"


def test_a_lost_paragraph_is_detected():
    """The check can fail: drop a block and its characters are reported missing."""
    doc, _ = read_text("第一段甲乙丙。\n\n第二段丁戊己。\n", "pdf_journal")
    assert lost_characters(doc) == {}
    doc.blocks = [b for b in doc.blocks if "丁" not in b.text]
    lost = lost_characters(doc)
    assert {"丁", "戊", "己"} <= set(lost)
    chars_in, placed, dropped = conservation(doc)
    assert placed + dropped < chars_in


def test_text_dropped_as_chrome_is_counted_as_dropped_not_placed():
    """A rule that drops article text as chrome shows it as dropped (listed), never as placed."""
    doc, _ = read_text("第一段甲乙丙。\n\n第二段丁戊己。\n", "pdf_journal")
    block = next(b for b in doc.blocks if "丁" in b.text)
    doc.blocks.remove(block)
    doc.chrome.append(Dropped(block.line, block.text, "test: dropped as chrome"))
    chars_in, placed, dropped = conservation(doc)
    assert dropped == len("第二段丁戊己。") and placed == chars_in - dropped
    assert lost_characters(doc) == {}


def test_a_changed_character_is_detected():
    doc, _ = read_text("中美太空合作。\n", "pdf_journal")
    doc.blocks[0].inlines = [Text("中美太空合做。")]
    assert lost_characters(doc) == {"作": 1}


def test_full_width_forms_count_as_their_ascii_form():
    """Readers widen full-width letters and digits to ASCII: "１９７９" is placed as "1979"."""
    doc, _ = read_text("中美合作始于１９７９年，ＡＢＣ。\n", "pdf_journal")
    assert "1979" in doc.blocks[0].text
    assert lost_characters(doc) == {}
    doc.blocks[0].inlines = [Text("中美合作始于1978年，ABC。")]
    assert lost_characters(doc) == {"9": 1}


def test_build_report_json_has_conservation_figures_per_document(tmp_path):
    root = make_project(tmp_path, {
        "a": ("一、引言\n\n中美太空合作始于１９７９年。①\n\n①注释正文。\n", meta("doc-a")),
        "b": ("## 标题\n\n正文 [链接](https://example.org/) 继续。\n", meta("doc-b", reader="markdown_repost",
                                                                kind="news-repost")),
    })
    result = run_cli(root, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    report = json.loads((root / "site" / "build-report.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in report["documents"]] == ["doc-a", "doc-b"]
    for entry in report["documents"]:
        figures = entry["figures"]
        assert figures["chars_in"] > 0
        assert figures["chars_placed"] == figures["chars_in"]
        assert figures["conserved_percent"] == 100.0
    assert "守恒" in (root / "docs" / "report.md").read_text(encoding="utf-8") or \
        "安置" in (root / "docs" / "report.md").read_text(encoding="utf-8")
