"""Citation block: CSL-JSON, BibTeX and GB/T 7714 from a document's metadata (builder/cite.py)."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from builder import cite, render
from builder.models import Author, DocMeta, Document


def meta(**fields) -> DocMeta:
    values = dict(id="demo-article", title_zh="社区干扰与投资安全风险", kind="journal-article", reader="pdf_journal",
                  languages=["zh"], text_path="corpus/a.txt", meta_path="corpus/a.yml",
                  authors=[Author("宋亦明", "Song Yiming"), Author("戴璐璟")], venue="拉丁美洲研究", date="2024-08",
                  doi="10.13654/j.cnki.naf.2024.05.004", source_url="https://example.org/a?x=1&y={2}")
    values.update(fields)
    return DocMeta(**values)


def test_csl_json_parses_and_holds_the_metadata():
    [item] = json.loads(cite.csl_json(meta()))
    assert item["type"] == "article-journal" and item["title"] == "社区干扰与投资安全风险"
    assert item["author"] == [{"literal": "宋亦明"}, {"literal": "戴璐璟"}]
    assert item["issued"] == {"date-parts": [[2024, 8]]} and item["container-title"] == "拉丁美洲研究"


def test_gbt7714_reference_is_rendered_by_citeproc():
    text = cite.gbt7714(meta())
    # family and given name are not split ("宋 亦明" would be wrong), type code [J]
    assert text.startswith("宋亦明, 戴璐璟. 社区干扰与投资安全风险[J")
    assert "拉丁美洲研究" in text and "2024" in text and "DOI:10.13654/j.cnki.naf.2024.05.004" in text


@pytest.mark.parametrize("fields", [{}, {"kind": "web-article", "languages": ["en"], "title_zh": "A {braced} title",
                                         "authors": [], "venue": "", "date": "2022"},
                                    {"kind": "policy-paper", "publisher": "SIPRI", "doi": ""}])
def test_bibtex_parses(fields):
    library = bibtexparser.parse_string(cite.bibtex(meta(**fields)))
    assert not library.failed_blocks
    [entry] = library.entries
    assert entry.key == "demo-article"
    assert entry.fields_dict["title"].value.replace("\\", "").replace("{", "").replace("}", "") \
        == fields.get("title_zh", "社区干扰与投资安全风险").replace("{", "").replace("}", "")


def test_document_page_has_a_folded_citation_block():
    page = render.document_page(Document(meta=meta()))
    assert '??? quote "引用本文"' in page
    assert "@article{demo-article," in page and '"type": "article-journal"' in page


def test_translators_are_cited_and_shown():
    m = meta(kind="translation", translators=[Author("李四", "Li Si")])
    assert json.loads(cite.csl_json(m))[0]["translator"] == [{"literal": "李四"}]
    [entry] = bibtexparser.parse_string(cite.bibtex(m)).entries
    assert entry.fields_dict["translator"].value == "{李四}"
    assert "**译者**：李四（Li Si）" in render.document_page(Document(meta=m), citation=False)
