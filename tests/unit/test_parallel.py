"""The parallel reader and the numeric marker convention of its English side."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import tinyproject
import yaml

from builder import footnotes, render, structure
from builder.chrome import ChromeRules, load_chrome
from builder.config import load_corpus
from builder.diagnostics import Diagnostics
from builder.errors import ConfigError, SourceError
from builder.models import Author, DocMeta, Marker, MissingNoteRef
from builder.normalize import decode, normalize_characters
from builder.read import read_document
from builder.readers import ReadContext, Source, parallel, running_markers
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
    assert doc.note_style == "reader" and doc.stats.markers_found == 0


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


# --------------------------------------------------------------------------- English-only scrapes

CSV_HEADER = "title,author,date_pub,full_text\n"
CSV_ROW = 'Orbital Debris Talks,"Space Policy Review , Li Ming ","March 3, 2021",{}\n'


def read_csv(rows: list[str], **fields):
    text = CSV_HEADER + "".join(CSV_ROW.format(row) for row in rows)
    fields = {"text_path": "t.csv", "languages": ["en"], "title_zh": "Orbital Debris Talks", "title_en": "",
              **fields}
    return read(text, **fields)


def markers(doc) -> list[str]:
    return [n.label for b in doc.blocks for n in b.inlines if isinstance(n, MissingNoteRef)]


def test_csv_rows_are_paragraphs_and_repeated_columns_are_shown_once():
    doc = read_csv([
        '"The talks began in 2019, when 12 states met.1 They agreed on little."',
        "1.\u00a0\u00a0\u00a0 The first round of talks",
        '"(1) Why the “rules” matter"',
        '"Delegates said ""no"" to a ban, citing Article 58 of the treaty. 2 Others agreed.3"',
    ])
    assert [(b.kind, b.level) for b in doc.blocks] == [("paragraph", 0), ("heading", 2), ("heading", 3),
                                                      ("paragraph", 0)]
    assert doc.metadata_lines == ["Orbital Debris Talks", "Space Policy Review , Li Ming", "March 3, 2021"]
    assert doc.blocks[3].text.startswith('Delegates said "no" to a ban')
    assert markers(doc) == ["1", "2", "3"]
    reasons = {d.reason.split(" (")[0] for d in doc.chrome}
    assert "CSV header" in reasons and "CSV syntax" in reasons
    assert "CSV column 'title' repeats on every row" in reasons
    assert not doc.backmatter, "an English-only text has no summary box"
    assert not lost_characters(doc)


def test_csv_markers_run_through_the_rows():
    rows = ['"It grew.1 Then it shrank, 2 and grew again.”3"', '"A year later (in 2014.4 The end."',
            '"Talks (DCT), 5 resumed in 2016 with 27 states. 6"']
    doc = read_csv(rows)
    assert markers(doc) == ["1", "2", "3", "4", "5", "6"]
    assert "27 states" in doc.blocks[2].text


def test_csv_text_column_by_name_or_by_length(tmp_path):
    text = "Title,Body\nA,A long paragraph of the text.\nA,Another long paragraph here.\n"
    doc = read(text, text_path="t.csv", languages=["en"])
    assert [b.text for b in doc.blocks] == ["A long paragraph of the text.", "Another long paragraph here."]
    doc = read("x,y\nlong text of the page,short\nmore text of the page,other\n", text_path="t.csv",
               languages=["en"], csv={"text": "y"})
    assert [b.text for b in doc.blocks] == ["short", "other"]
    assert [d.reason for d in doc.chrome if d.text == "long text of the page"] == \
        ["CSV column 'x' (not the text column)"]


def test_csv_errors_name_file_and_line_and_long_cells_are_read():
    with pytest.raises(SourceError) as info:
        read(CSV_HEADER + 'a,b,c,d\n', text_path="corpus/t.csv", languages=["en"], csv={"text": "body"},
             meta_path="corpus/t.yml")
    assert str(info.value).startswith("corpus/t.csv:1: column 'body' (field 'csv.text' of corpus/t.yml)")
    long_cell = "A very long cell. " * 10000  # over the csv module's default field size limit
    doc = read(CSV_HEADER + f"a,b,c,{long_cell}\n", text_path="corpus/t.csv", languages=["en"])
    assert doc.blocks[0].text == long_cell.strip()


def test_ragged_csv_rows_are_read_with_a_warning():
    diag = Diagnostics()
    text = CSV_HEADER + "a,b,c,The text, with a comma\na,b,c\n" + "x,y,The text\n"
    doc = parallel.read(Source(meta(text_path="corpus/t.csv", languages=["en"]), text), ReadContext(diag, CHROME))
    assert [b.text for b in doc.blocks] == ["The text, with a comma"]
    assert [d.reason for d in doc.chrome if d.text == "The text"] == ["CSV column 'date_pub' (not the text column)"]
    assert [(w.code, w.location) for w in diag.warnings] == [("structure.csv-row", "corpus/t.csv:2"),
                                                             ("structure.csv-row", "corpus/t.csv:3"),
                                                             ("structure.csv-row", "corpus/t.csv:4")]
    assert not lost_characters(doc)


UNWRAPPED = ("The opening paragraph of a translation, long enough that no one wrapped it by hand: "
             + "it goes on " * 20 + "to its end.\u00a0 1 Then more follows.\n"
             "I. The First Part\n"
             "Figure 1 Funding by year (in millions)\n"
             "Data source: a budget request.\n"
             "Spending rose to 3.2% in 2021. 2 On January 24, 2022 the talks ended. 3 Later, "
             "in the past 15 years. 4\n"
             "II. The Second Part\n"
             "They said so to the Ukrainians. 5The others disagreed.\n")


def test_unwrapped_english_text_has_one_paragraph_per_line_and_numbered_headings():
    doc = read(UNWRAPPED, languages=["en"], title_zh="A Translation", title_en="")
    assert [(b.kind, b.level) for b in doc.blocks] == [
        ("paragraph", 0), ("heading", 2), ("paragraph", 0), ("paragraph", 0), ("paragraph", 0),
        ("heading", 2), ("paragraph", 0)]
    assert not doc.backmatter
    assert markers(doc) == ["1", "2", "3", "4", "5"]
    assert "January 24, 2022" in doc.blocks[4].text and "past 15 years" in doc.blocks[4].text


def test_heading_levels_follow_the_order_their_numberings_first_appear():
    body = "\n\n" + "Body text of the section. " * 12 + "\n\n"
    text = ("I. A Part" + body + "(i) A Section" + body + "1. A Subsection" + body + "(1) A Point" + body
            + "2. Another Subsection" + body + "II. Another Part" + body + "(ii) Another Section\n")
    doc = read(text, languages=["en"])
    headings = [(b.text.split()[0], b.level) for b in doc.blocks if b.kind == "heading"]
    assert headings == [("I.", 2), ("(i)", 3), ("1.", 4), ("(1)", 5), ("2.", 4), ("II.", 2), ("(ii)", 3)]
    doc = read("1. A Part" + body + "(1) A Section" + body + "2. Another Part\n", languages=["en"])
    assert [b.level for b in doc.blocks if b.kind == "heading"] == [2, 3, 2]


def test_a_numbered_sentence_is_not_a_heading():
    doc = read("1. The parties agreed. Then they left.\n\n2. Both sides will meet again;\n", languages=["en"])
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]


@pytest.mark.parametrize("text, value", [
    ("the Artemis Accords44 were signed", 44),
    ("a serious mistake.” 8 In a speech", 8),
    ("Talks (DCT),60 Joint", 60),
    ("Agreement (TIFA) 34 and trade", 34),
    ("updated on May 5, 2022 82 (the previous", 82),
    ("(the rule under the previous administration 83), removed", 83),
    ("cases of COVID-19.79 The next", 79),
    ("the budget for FY 2021.54 The next", 54),
    ("signed in 2014.3 After that", 3),
    ("they told the Ukrainians. 23The United States", 23),
    ("an agreement signed in May.5 The next", 5),
    ("a consultation mechanism. 59“) On the", 59),
])
def test_marker_candidates(text, value):
    found = [c.value for c in running_markers.candidates([text])]
    assert value in found, found


@pytest.mark.parametrize("text, value", [
    ("rose to 3.2% in 2021", 2),
    ("with 34 related bills", 34),
    ("the 115th Congress", 115),
    ("Article 58 of the Convention", 58),
    ("On January 24, 2022 they met", 24),
    ("Section 5, Paragraph 1", 5),
    ("as of April 22. Some", 22),
    ("at least 10,629 soldiers", 629),
    ("the F35 and J20 fighters", 35),
    ("Figure 2 shows", 2),
    ("pages 12, 13 and 14", 13),
    ("COVID-19 cases", 19),
    ("the 5G network", 5),
    ("three aspects: 1) A world; 2) A region", 1),
    ("the No.1 Central Document", 1),
    ("The meeting ended. 2 days later it resumed", 2),
    ("signed on Jan.5 in Beijing", 5),
    ("three aspects: 1) A world; 2) A region", 2),
])
def test_not_marker_candidates(text, value):
    assert value not in [c.value for c in running_markers.candidates([text])]


def test_the_running_sequence_prefers_the_likelier_of_two_equal_numbers():
    texts = ["First.1 Second.2 Met on March 3, 2020 to talk. Third.3", "Fourth.” 4 Fifth. 5"]
    chain = running_markers.running_sequence(texts)
    assert [(c.text, c.value) for c in chain] == [(0, 1), (0, 2), (0, 3), (1, 4), (1, 5)]
    assert texts[0][chain[2].start - 1] == "."


def test_the_running_sequence_allows_skips_and_needs_a_few_markers():
    chain = running_markers.running_sequence(["One.1 Two.2 Four.4 Five.5"])
    assert [c.value for c in chain] == [1, 2, 4, 5]
    assert running_markers.running_sequence(["One.1 Two.2"]) == []


def test_circled_markers_of_either_language_are_markers_beside_the_running_numbers():
    doc = read("A text.1 More.2 Yet more.3 The end.\n\n一段中文①，又一处②。\n")
    [pair] = doc.blocks
    assert [n.label for side in pair.pair for n in side.inlines if isinstance(n, MissingNoteRef)] == \
        ["1", "2", "3", "①", "②"]
    assert doc.note_style == "reader"


# --------------------------------------------------------------------------- metadata of CSV and English-only sources

def csv_project(tmp_path, metadata: dict, text: str = CSV_HEADER + CSV_ROW.format("Text.")):
    root = tinyproject.make_project(tmp_path)
    (root / "corpus" / "a.csv").write_text(text, encoding="utf-8")
    (root / "corpus" / "a.yml").write_text(yaml.safe_dump(metadata, allow_unicode=True), encoding="utf-8")
    return root


def english(**fields) -> dict:
    data = tinyproject.meta("doc-a", reader="parallel", kind="web-article", languages=["en"],
                            title={"en": "Orbital Debris Talks"})
    data.update(fields)
    return data


def test_csv_source_with_columns_loads(tmp_path):
    root = csv_project(tmp_path, english(csv={"text": "full_text", "title": "title", "date": "date_pub"}))
    [doc] = load_corpus(root / "corpus", root)
    assert doc.text_path == "corpus/a.csv" and doc.csv == {"text": "full_text", "title": "title", "date": "date_pub"}
    assert (doc.title_zh, doc.title_en) == ("Orbital Debris Talks", "")


def test_csv_roles_by_other_names(tmp_path):
    root = csv_project(tmp_path, english(csv={"text_column": "full_text", "authors": "author", "date_pub": "date_pub"}))
    [doc] = load_corpus(root / "corpus", root)
    assert doc.csv == {"text": "full_text", "author": "author", "date": "date_pub"}


def test_a_title_given_the_same_in_both_languages_is_shown_once(tmp_path):
    root = csv_project(tmp_path, english(title={"zh": "Orbital Debris Talks", "en": "Orbital Debris Talks"}))
    [doc] = load_corpus(root / "corpus", root)
    assert (doc.title_zh, doc.title_en) == ("Orbital Debris Talks", "")


@pytest.mark.parametrize("fields, expected", [
    ({"csv": {"txt": "full_text"}}, "corpus/a.yml:1: field 'csv' has unknown key 'txt'"),
    ({"csv": {"text": 3}}, "field 'csv.text' must be a column name"),
    ({"reader": "markdown_repost"}, "field 'reader' must be parallel for a CSV source"),
    ({"languages": ["zh"]}, "missing required field 'title.zh'"),
])
def test_csv_metadata_problems_are_one_line_each(tmp_path, fields, expected):
    root = csv_project(tmp_path, english(**fields))
    with pytest.raises(ConfigError) as info:
        load_corpus(root / "corpus", root)
    [problem] = info.value.problems
    assert problem.startswith("corpus/a.yml") and expected in problem, problem


def test_csv_field_on_a_text_source_is_a_problem(tmp_path):
    root = tinyproject.make_project(tmp_path, {"a": ("Text.\n", english(csv={"text": "x"}))})
    with pytest.raises(ConfigError) as info:
        load_corpus(root / "corpus", root)
    assert "field 'csv' applies to a .csv source only" in info.value.problems[0]


def test_check_names_the_csv_line_of_a_broken_row(tmp_path):
    root = csv_project(tmp_path, english(), CSV_HEADER + CSV_ROW.format("Fine.") + "a,b\n")
    result = tinyproject.run_cli(root, "check")
    assert "corpus/a.csv:3" in result.stderr + result.stdout
    assert "row has 2 fields, the header has 4" in result.stderr + result.stdout


def test_unnumbered_title_lines_of_a_translation_alone_are_headings_below_the_numbered_one():
    body = "Body text of the section, long enough to be a paragraph. " * 6
    text = "\n".join(["II. The Second Part", "A short line that opens the part, with a comma.", "Global Goals",
                      body, "Figure 3 Budget Shares by Year", body, "Regional Goals", body]) + "\n"
    doc = read(text, languages=["en"])
    assert [(b.kind, b.level) for b in doc.blocks] == [
        ("heading", 2), ("paragraph", 0), ("heading", 3), ("paragraph", 0), ("paragraph", 0), ("paragraph", 0),
        ("heading", 3), ("paragraph", 0)]


def test_enumerations_and_weak_numbers_make_no_marker_sequence():
    texts = ["The plan has three points: 1. The first is trade; 2. The second is aid; 3. The third is "
             "security. It also lists aspects: 1) A world, 2) A region, 3) A state.",
             "Of the members, 1 voted no, 2 abstained and 3 were absent, 4 said nothing."]
    assert running_markers.running_sequence(texts) == []


def test_worded_numbered_headings():
    body = "Body text of the section, long enough to be a paragraph. " * 6
    text = "\n".join(["Lesson 1: Supplies must be secured at home", body, "Figure 2: Imports by Source", body,
                      "Lesson 2: Partners matter", body]) + "\n"
    doc = read(text, languages=["en"])
    assert [(b.kind, b.level) for b in doc.blocks] == [("heading", 2), ("paragraph", 0), ("paragraph", 0),
                                                      ("paragraph", 0), ("heading", 2), ("paragraph", 0)]


def test_pages_that_do_not_alternate_languages_are_paired_by_content():
    english = ["I. History", "In 1992 the two states signed a space agreement on GLONASS data.",
               "By 2020, 21 meetings of the sub-committee had been held in Moscow and Beijing.",
               "An English paragraph with no Chinese counterpart at all, about something else entirely.",
               "In 2016 the agencies agreed on lunar exploration with Chang’e-4 and Luna-26."]
    chinese = ["一、历史", "1992年两国签署了航天协定，涉及GLONASS数据。", "到2020年，分委会共举行了21次会议。",
               "2016年，两国航天机构就嫦娥四号与Luna-26的探月合作达成一致。"]
    doc = read("\n\n".join(english + chinese) + "\n")
    pairs = [(b.pair[0].text[:8], b.pair[1].text[:4]) for b in doc.blocks if b.pair]
    assert pairs == [("I. Histo", "一、历史"), ("In 1992 ", "1992"), ("By 2020,", "到202"), ("In 2016 ", "2016")]
    assert doc.blocks[0].pair[0].kind == "heading"
    assert [b.kind for b in doc.blocks if not b.pair] == ["paragraph"]
    assert not lost_characters(doc)


def test_a_csv_cell_holding_a_whole_article_gives_one_paragraph_per_line():
    cell = '"I. The First Part\nThe first paragraph, in full.\nThe second paragraph, in full."'
    doc = read_csv([cell])
    assert [(b.kind, b.text, b.line) for b in doc.blocks] == [
        ("heading", "I. The First Part", 2), ("paragraph", "The first paragraph, in full.", 3),
        ("paragraph", "The second paragraph, in full.", 4)]
    wrapped = '"' + "\n".join(["A paragraph broken at a fixed width so that its lines are all of a",
                                "similar length and most of them end in the middle of a sentence",
                                "like this one does.", "", "Another short paragraph."]) + '"'
    doc = read_csv([wrapped])
    assert [b.text[:12] for b in doc.blocks] == ["A paragraph ", "Another shor"]
    assert not lost_characters(doc)


def test_csv_delimiter_of_the_header():
    doc = read("title;full_text\nA;First paragraph of the text.\nA;Second paragraph of the text.\n",
               text_path="t.csv", languages=["en"])
    assert [b.text for b in doc.blocks] == ["First paragraph of the text.", "Second paragraph of the text."]


def test_short_unwrapped_lines_are_paragraphs_and_wrapped_lines_are_joined():
    doc = read("A short first paragraph.\nA short second paragraph.\nA third one.\n", languages=["en"])
    assert [b.text for b in doc.blocks] == ["A short first paragraph.", "A short second paragraph.", "A third one."]
    wrapped = ("A paragraph broken at a fixed width so that its lines are all of a\n"
               "similar length and most of them end in the middle of a sentence\nlike this one does.\n")
    doc = read(wrapped, languages=["en"])
    assert len(doc.blocks) == 1


def test_title_byline_and_date_lines_a_translation_starts_with_are_header_lines():
    body = "The first paragraph of the translation, long enough to be one. " * 5
    text = "\n".join(["China Russia Cooperation:", "By Zhang San, Some Journal", "May 20, 2022", body,
                      "Zhang San said so in a second paragraph that names the author again."]) + "\n"
    doc = read(text, languages=["en"], title_zh="", title_en="China–Russia Cooperation")
    assert doc.metadata_lines == ["China Russia Cooperation:", "By Zhang San, Some Journal", "May 20, 2022"]
    assert [b.text[:10] for b in doc.blocks] == ["The first ", "Zhang San "]


def test_one_superscript_unit_does_not_stop_the_running_markers():
    doc = read("An area of 5 km² was mapped.1 It grew.2 Then it shrank.3\n", languages=["en"])
    assert markers(doc) == ["1", "2", "3"]


# --------------------------------------------------------------------------- the development set (read at run time)

DEVSET = ROOT.parent / "shared" / "devset"
INTERPRET = ["06_interpret-taiwan-strait-game.csv", "07_interpret-us-deterrence-russia-ukraine.txt"]


def _shown_markers(doc) -> list[tuple[str, str]]:
    """(label, the paragraph's text before the marker without whitespace) of every marker shown."""
    out = []
    for block in doc.blocks:
        for side in block.pair or [block]:
            before = ""
            for node in side.inlines:
                if isinstance(node, MissingNoteRef):
                    out.append((node.label, before))
                before += "".join((getattr(node, "text", None) or getattr(node, "label", "")).split())
    return out


@pytest.mark.parametrize("name", INTERPRET)
def test_devset_interpret_markers_are_all_found_and_none_false(tmp_path, name):
    source = DEVSET / name
    if not source.exists():
        pytest.skip("../shared/devset is not here")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(source, corpus / name)
    shutil.copy2(source.with_suffix(".yml"), corpus / source.with_suffix(".yml").name)
    [meta_] = load_corpus(corpus, tmp_path)
    diag = Diagnostics()
    doc = read_document(tmp_path, meta_, ReadContext(diag, CHROME))
    footnotes.resolve(doc, diag)
    key = json.loads((DEVSET / "key.json").read_text(encoding="utf-8"))["footnotes"][name]["markers"]
    shown = _shown_markers(doc)
    assert len(shown) == len(key)
    for (label, before), expected in zip(shown, key):
        context = "".join(expected["context"].split())
        assert label == expected["marker"] and before.endswith(context), (label, before[-30:])
    assert not lost_characters(doc) and not doc.backmatter


def test_markdown_links_are_kept_in_headings_and_header_lines():
    text = ("China Russia Cooperation [source](https://example.org/a)\n\n## [A Linked Heading](https://example.org/b)\n\n"
            "A paragraph of the text [with a link](https://example.org/c) in it, long enough to be one.\n")
    doc = read(text, languages=["en"], title_zh="China Russia Cooperation source")
    assert doc.metadata_lines == ["China Russia Cooperation source (https://example.org/a)"]
    heading, paragraph = doc.blocks
    assert heading.kind == "heading" and [n.url for n in heading.inlines if hasattr(n, "url")] == ["https://example.org/b"]
    assert [n.url for n in paragraph.inlines if hasattr(n, "url")] == ["https://example.org/c"]
    assert not lost_characters(doc)


def test_a_csv_without_a_header_row_keeps_its_first_paragraph():
    text = "".join(CSV_ROW.format(row) for row in ["The first paragraph of the text.", "The second one."])
    doc = read(text, text_path="t.csv", languages=["en"], title_zh="Orbital Debris Talks", title_en="")
    assert [b.text for b in doc.blocks] == ["The first paragraph of the text.", "The second one."]
    assert doc.metadata_lines == ["Orbital Debris Talks", "Space Policy Review , Li Ming", "March 3, 2021"]
    assert not lost_characters(doc)


def test_the_reader_owns_its_markers_unless_the_metadata_names_a_style():
    weak = "Of the members, 1 voted no, 2 abstained and 3 were absent. 4 Then. 5 More. 6 End.\n"
    doc = read(weak, languages=["en"])
    assert doc.note_style == "reader" and markers(doc) == ["4", "5", "6"]
    doc = read("A text.1 More.2 Yet more.3 The end.\n", languages=["en"], note_style="none")
    assert doc.note_style == "none" and markers(doc) == []
