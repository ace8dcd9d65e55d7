"""The parallel reader and the numeric marker convention of its English side."""

from __future__ import annotations

from pathlib import Path

from builder import footnotes, render, structure
from builder.chrome import ChromeRules, load_chrome
from builder.config import load_corpus
from builder.diagnostics import Diagnostics
from builder.models import Author, DocMeta, MissingNoteRef
from builder.normalize import decode, normalize_characters
from builder.readers import ReadContext, Source, parallel
from builder.report import lost_characters

ROOT = Path(__file__).resolve().parents[2]
CHROME = load_chrome(ROOT / "corpus" / "chrome.yml")


def meta(**fields) -> DocMeta:
    data = dict(id="t", title_zh="中俄合作", title_en="China Russia Cooperation", kind="web-article",
                reader="parallel", languages=["en", "zh"], text_path="t.txt", meta_path="t.yml",
                authors=[Author("张三", "Zhang San")])
    data.update(fields)
    return DocMeta(**data)


def read(text: str, chrome: ChromeRules = CHROME, **fields):
    diag = Diagnostics()
    doc = parallel.read(Source(meta(**fields), text), ReadContext(diag, chrome))
    structure.assign_anchors(doc)
    footnotes.resolve(doc, diag)
    return doc


def shape(doc):
    return [(b.kind, [(s.kind, s.lang, s.level) for s in b.pair]) if b.pair else (b.kind, b.lang)
            for b in doc.blocks]


def test_titles_chrome_description_and_pairs():
    text = ("中俄合作\nReturn to the Library\n\nChina Russia Cooperation\n\n中俄合作\n\n"
            "A short description of the page.\n\nPDF\nTo top\n\n"
            "I. The History\n\n一、历史\n\nFirst paragraph.\n\n第一段。\n")
    doc = read(text)
    assert doc.metadata_lines == ["中俄合作", "China Russia Cooperation", "中俄合作"]
    assert [c.text for c in doc.chrome] == ["Return to the Library", "PDF", "To top"]
    assert [(s.kind, s.items[0].text) for s in doc.backmatter] == [("summary", "A short description of the page.")]
    assert shape(doc) == [("pair", [("heading", "en", 2), ("heading", "zh", 2)]),
                          ("pair", [("paragraph", "en", 0), ("paragraph", "zh", 0)])]
    assert not lost_characters(doc)


def test_chinese_first_pairs_are_stored_english_first_and_unpaired_paragraphs_stay():
    text = "中文在前。\n\nChinese comes first.\n\nAn English paragraph alone.\n\nAnother one.\n\n最后一段。\n"
    doc = read(text)
    assert shape(doc) == [("pair", [("paragraph", "en", 0), ("paragraph", "zh", 0)]),
                          ("paragraph", "en"),
                          ("pair", [("paragraph", "en", 0), ("paragraph", "zh", 0)])]
    assert doc.blocks[1].text == "An English paragraph alone."


def test_citation_block_with_its_title():
    text = ("Body.\n\n正文。\n\nCite This Page\n\n"
            '张三 (Zhang San). "China Russia Cooperation [中俄合作]". Some Site, 2021\n')
    doc = read(text)
    [citation] = doc.backmatter
    assert citation.kind == "citation" and citation.title == "Cite This Page"
    assert len(doc.blocks) == 1


MARKED = ("In 2009 they signed the Outline for 2010-2012, in fields such as navigation.1 Then "
          "Russia sold S-500 systems, 3.5 tons in all, to partners.2 It was “a milestone.”3 "
          "Chang’e 4 and 5 flew, and the Long March 9 rocket too. 4 In 2015, 177 satellites were "
          "launched; the Artemis Accords5 in 2020 followed. See CD/1665) 6. After that, the end. 7")


def test_numeric_markers_in_sequence_and_never_years_or_quantities():
    doc = read(MARKED + "\n\n中文段落。\n")
    en = doc.blocks[0].pair[0]
    labels = [n.label for n in en.inlines if isinstance(n, MissingNoteRef)]
    assert labels == ["1", "2", "3", "4", "5", "6", "7"]
    assert doc.note_style == "reader" and doc.stats.missing_notes == 7 and not doc.notes
    assert "S-500" in en.text and "3.5 tons" in en.text and "Long March 9 rocket" in en.text


def test_too_few_numeric_candidates_without_notes_are_not_markers():
    doc = read("Signed in 2009 by the two sides.1 Then nothing.\n\n中文。\n")
    assert doc.note_style == "none" and doc.stats.markers_found == 0


def test_heading_pair_renders_both_languages_in_one_heading():
    doc = read("II. Diplomacy\n\n二、外交\n\nText.\n\n正文。\n")
    out = render.render_block(doc.blocks[0])
    assert out.startswith("## ") and out.endswith("{ #s1 }")
    assert 'lang="en">II. Diplomacy</span>' in out and 'lang="zh">二、外交</span>' in out
    pair = render.render_block(doc.blocks[1])
    assert 'class="bilingual" id="p1"' in pair and 'id="p1-en" lang="en"' in pair


def test_seed_parallel_page_is_conserved_with_all_markers_shown():
    [m] = [m for m in load_corpus(ROOT / "corpus", ROOT) if m.reader == "parallel"]
    diag = Diagnostics()
    text, _ = decode((ROOT / m.text_path).read_bytes(), m.text_path)
    text, dropped = normalize_characters(text, m.private_use, m.text_path, diag)
    doc = parallel.read(Source(m, text, dropped), ReadContext(diag, CHROME))
    footnotes.resolve(doc, diag)
    assert lost_characters(doc) == {}
    labels = [n.label for b in doc.blocks for s in b.pair for n in s.inlines if isinstance(n, MissingNoteRef)]
    assert labels == [str(i) for i in range(1, 55)]
    assert not doc.raw_notes
    assert sum(1 for b in doc.blocks if b.pair and b.pair[0].kind == "heading") == 5
    assert [s.kind for s in doc.backmatter] == ["summary", "citation"]
