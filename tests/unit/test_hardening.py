"""Hardening against hostile or mistaken input (issue 18): only regular files inside corpus/ are
read, user mistakes are one-line errors naming the file (never a traceback), editors' regular
expressions cannot hang the build, caches are validated, the output switch is one step.

Most tests run the command line in this process (``builder.__main__.main``): a failure is
seen as its exit code and the lines it printed on stderr.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from builder.__main__ import main
from tinyproject import error_lines, make_project, meta, run_cli, tree_hashes, write_doc

TEXT = "一、引言\n\n中美太空合作始于1979年。\n\n二、结论\n\n双方在商业发射领域开展合作。\n"


def cli(capsys, root: Path, *args: str) -> tuple[int, str]:
    """(exit code, stderr) of ``python -m builder --root ROOT ARGS`` run in this process."""
    capsys.readouterr()
    code = main(["--root", str(root), *args])
    return code, capsys.readouterr().err


def assert_one_line_error(code: int, err: str, *words: str) -> str:
    assert code == 1, err
    assert "Traceback" not in err, err
    errors = error_lines(err)
    assert errors, err
    joined = "\n".join(errors)
    for word in words:
        assert word in joined, err
    return joined


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path, {"a": (TEXT, meta("doc-a"))})


# --------------------------------------------------------------------------- 1. corpus files


def test_a_symlink_to_a_file_outside_the_corpus_is_refused(project, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:secret-of-the-build-machine\n", encoding="utf-8")
    os.symlink(secret, project / "corpus" / "zz.txt")
    write_doc(project, "zz", None, meta("doc-zz"))
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, "corpus/zz.txt", "outside corpus/")
    assert "secret-of-the-build-machine" not in err


def test_a_symlink_inside_the_corpus_is_followed(project, capsys):
    os.symlink("a.txt", project / "corpus" / "b.txt")
    write_doc(project, "b", None, meta("doc-b"))
    code, err = cli(capsys, project, "check")
    assert code == 0, err


@pytest.mark.parametrize("name", ["zz.yml", "glossary.yml", "chrome.yml"])
def test_yaml_files_linked_from_outside_are_refused(project, tmp_path, capsys, name):
    outside = tmp_path / "outside.yml"
    outside.write_text("entries: []\n", encoding="utf-8")
    (project / "corpus" / name).unlink(missing_ok=True)
    os.symlink(outside, project / "corpus" / name)
    if name == "zz.yml":
        write_doc(project, "zz", TEXT, None)
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, f"corpus/{name}", "outside corpus/")


@pytest.mark.parametrize("name", ["zz.txt", "zz.yml", "glossary.yml", "chrome.yml"])
def test_a_fifo_is_refused_without_blocking(project, capsys, name):
    (project / "corpus" / name).unlink(missing_ok=True)
    os.mkfifo(project / "corpus" / name)
    write_doc(project, "zz", None if name == "zz.txt" else TEXT, meta("doc-zz") if name != "zz.yml" else None)
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, f"corpus/{name}", "not a regular file")


def test_a_symlink_loop_is_refused(project, capsys):
    os.symlink("loop2.txt", project / "corpus" / "loop1.txt")
    os.symlink("loop1.txt", project / "corpus" / "loop2.txt")
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, "corpus/loop1.txt", "leads nowhere")


def test_a_device_is_refused(project, capsys):
    os.symlink("/dev/zero", project / "corpus" / "zz.txt")
    write_doc(project, "zz", None, meta("doc-zz"))
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, "corpus/zz.txt")


def test_a_source_swapped_for_a_link_after_a_build_is_refused(project, tmp_path, capsys):
    """The cached metadata must not let a link in: the corpus key sees the link itself."""
    code, err = cli(capsys, project, "check")
    assert code == 0, err
    secret = tmp_path / "secret.txt"
    secret.write_text("secret-of-the-build-machine\n", encoding="utf-8")
    (project / "corpus" / "a.txt").unlink()
    os.symlink(secret, project / "corpus" / "a.txt")
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, "corpus/a.txt", "outside corpus/")


# --------------------------------------------------------------------------- 4. no tracebacks


@pytest.mark.parametrize("name", ["glossary.yml", "chrome.yml"])
def test_shared_yaml_that_is_not_utf8_names_the_file_and_line(project, capsys, name):
    (project / "corpus" / name).write_bytes("# 说明\n".encode("gb18030") + b"- x\n")
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, f"corpus/{name}:1", "not UTF-8")


@pytest.mark.parametrize("name", ["glossary.yml", "chrome.yml"])
def test_shared_yaml_that_is_a_folder_is_refused(project, capsys, name):
    (project / "corpus" / name).unlink(missing_ok=True)
    (project / "corpus" / name).mkdir()
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, f"corpus/{name}", "folder")


@pytest.mark.parametrize("name", ["a.yml", "glossary.yml", "chrome.yml"])
def test_deeply_nested_yaml_is_an_error_with_its_line(project, capsys, name):
    (project / "corpus" / name).write_text("entries: " + "[" * 50000 + "]" * 50000 + "\n", encoding="utf-8")
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, f"corpus/{name}:1", "nested")


def test_an_unwritable_cache_only_costs_time(project, capsys):
    (project / ".build").mkdir(exist_ok=True)
    (project / ".build" / "cache").write_text("not a folder", encoding="utf-8")
    code, err = cli(capsys, project, "check")
    assert code == 0, err


# --------------------------------------------------------------------------- 2. editors' patterns


def test_a_catastrophic_chrome_pattern_fails_in_seconds_naming_file_and_line(project):
    """'(a|aa)+$' against a long run of a's backtracks for ages with the re module."""
    chrome = project / "corpus" / "chrome.yml"
    chrome.write_text("- pattern: 'To top'\n  reason: nav\n- pattern: '(a|aa)+$'\n  reason: slow\n",
                      encoding="utf-8")
    write_doc(project, "a", TEXT + "\n" + "a" * 80 + "!\n", None)
    result = run_cli(project, "check", timeout=60)  # a subprocess: today's code would never return
    assert_one_line_error(result.returncode, result.stderr, "corpus/chrome.yml:3", "took more than")


@pytest.mark.parametrize("pattern", ["(", "[a-", "a{2,1}", "*a"])
def test_an_invalid_chrome_pattern_names_file_and_line(project, capsys, pattern):
    chrome = project / "corpus" / "chrome.yml"
    chrome.write_text(f"# chrome\n- pattern: 'To top'\n  reason: nav\n- pattern: '{pattern}'\n", encoding="utf-8")
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, "corpus/chrome.yml:4", "invalid regular expression")
    assert str(project) not in err, "chrome.yml is named relative to the project"


def test_chrome_yaml_errors_name_the_file_relative_to_the_project(project, capsys):
    (project / "corpus" / "chrome.yml").write_text("- pattern: [unclosed\n", encoding="utf-8")
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, "corpus/chrome.yml:", "invalid YAML")
    assert str(project) not in err


# --------------------------------------------------------------------------- 8. --strict


def test_strict_lists_every_builder_warning_with_its_file(project, capsys):
    write_doc(project, "a", TEXT + "私用字符\ue123。\n", None)
    write_doc(project, "b", TEXT + "另一个\ue124。\n", meta("doc-b"))
    before = {"docs": tree_hashes(project / "docs"), "site": tree_hashes(project / "site")}
    code, err = cli(capsys, project, "build", "--strict")
    errors = assert_one_line_error(code, err, "strict mode", "corpus/a.txt", "corpus/b.txt")
    assert "first:" not in errors
    assert {"docs": tree_hashes(project / "docs"), "site": tree_hashes(project / "site")} == before


@pytest.mark.site
def test_strict_lists_every_mkdocs_warning(project, capsys):
    (project / "docs" / "about-a.md").write_text("# A\n\n[x](missing-one.md)\n", encoding="utf-8")
    (project / "docs" / "about-b.md").write_text("# B\n\n[y](missing-two.md)\n", encoding="utf-8")
    code, err = cli(capsys, project, "build", "--strict", "--quiet")
    errors = assert_one_line_error(code, err, "strict mode", "docs/about-a.md", "missing-one.md", "missing-two.md")
    assert ".build/" not in errors


# --------------------------------------------------------------------------- 5. dates, encodings


@pytest.mark.parametrize("date", ["2023-13-45", "2023-02-30", "2023-00", "0000"])
def test_an_impossible_date_is_refused(project, capsys, date):
    write_doc(project, "a", None, meta("doc-a", date=date))
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, "corpus/a.yml", "'date'", date)


@pytest.mark.parametrize("date", ["2023", "2023-02", "2024-02-29"])
def test_real_dates_are_accepted(project, capsys, date):
    write_doc(project, "a", None, meta("doc-a", date=date))
    code, err = cli(capsys, project, "check")
    assert code == 0, err


BIG5_TEXT = ("一、前言\n\n中美太空合作始於一九七九年，雙方在商業發射領域展開合作。\n\n"
             "國際太空站與衛星的合作，臺灣的太空計畫與美國密切相關。\n")


def only_page_text(project) -> str:
    from builder import pipeline

    result = pipeline.run(pipeline.Options(project, render_site=False, write_pages=False))
    [doc] = result.library.documents
    return "\n".join(block.text for block in doc.blocks)


def test_a_big5_source_is_read_as_big5(project):
    write_doc(project, "a", BIG5_TEXT.encode("big5"), None)
    assert "國際太空站與衛星的合作" in only_page_text(project)


def test_a_gb18030_source_is_still_read_as_gb18030(project):
    write_doc(project, "a", BIG5_TEXT.encode("gb18030"), None)
    assert "國際太空站與衛星的合作" in only_page_text(project)


def test_an_encoding_that_cannot_be_told_asks_for_encoding_in_the_metadata(project, capsys):
    write_doc(project, "a", "中文".encode("big5"), None)
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, "corpus/a.txt", "encoding:")


def test_the_metadata_names_the_encoding(project):
    from builder.normalize import decode

    assert decode("中文".encode("big5"), "corpus/a.txt", "big5") == ("中文", "big5")
    write_doc(project, "a", BIG5_TEXT.encode("big5"), meta("doc-a", encoding="big5"))
    assert "國際太空站與衛星的合作" in only_page_text(project)


def test_an_unknown_encoding_in_the_metadata_is_refused(project, capsys):
    write_doc(project, "a", None, meta("doc-a", encoding="klingon-8"))
    code, err = cli(capsys, project, "check")
    assert_one_line_error(code, err, "corpus/a.yml", "'encoding'")


# --------------------------------------------------------------------------- 7. cache entries


def docs_pages(project) -> dict[str, str]:
    from builder import pipeline

    pipeline.run(pipeline.Options(project, render_site=False))
    return {rel: digest for rel, digest in tree_hashes(project / "docs").items() if rel != "report.md"}


@pytest.mark.parametrize("replacement", ["empty-dict", "empty-list", "none", "truncated", "garbage", "swapped"])
def test_a_cache_entry_of_the_wrong_shape_changes_nothing(tmp_path, replacement):
    import pickle

    docs = {"a": (TEXT + "美国国家航空航天局（NASA）与中国国家航天局（CNSA）。\n", meta("doc-a")),
            "b": ("国际空间站（ISS）的合作。美国国家航空航天局（NASA）。\n", meta("doc-b", reader="policy_paper"))}
    project = make_project(tmp_path, docs)
    clean = docs_pages(project)
    files = sorted(p for p in (project / ".build" / "cache").rglob("*.pickle"))
    assert len(files) > 5
    blobs = [p.read_bytes() for p in files]
    for index, path in enumerate(files):
        data = {"empty-dict": pickle.dumps({}), "empty-list": pickle.dumps([]), "none": pickle.dumps(None),
                "truncated": blobs[index][: len(blobs[index]) // 2], "garbage": b"\x80\x05garbage",
                "swapped": blobs[(index + 1) % len(blobs)]}[replacement]
        path.write_bytes(data)
    for path in (project / "docs").iterdir():  # pages are rendered again, not taken from docs/
        if path.name != "assets":
            path.unlink()
    assert docs_pages(project) == clean


# --------------------------------------------------------------------------- 6. linear terms stage


def notes_document(count: int):
    from builder.models import Block, DocMeta, Document, Note, NoteRef, Text

    doc_meta = DocMeta(id="d", title_zh="t", kind="journal-article", reader="pdf_journal", languages=["zh"],
                       text_path="corpus/d.txt", meta_path="corpus/d.yml")
    blocks = [Block("paragraph", [Text(f"第{i}段提到“深空通信网络”项目"), NoteRef(i, str(i)), Text("。"),
                                  NoteRef(i - 1, str(i - 1)) if i > 1 else Text("")]) for i in range(1, count + 1)]
    blocks.append(Block("pair", pair=[Block("paragraph", [Text("The “Deep Space” work"), NoteRef(count + 1, "x")]),
                                      Block("paragraph", [Text("译文")])]))
    notes = [Note(i, str(i), [Text("Deep Space Network (DSN), a network.")], i) for i in range(1, count + 2)]
    return Document(doc_meta, blocks=blocks, notes=notes)


def test_text_before_each_marker_is_the_text_up_to_its_first_marker():
    from builder.terms_extract import quoted_before_marker, text_before_markers

    before = text_before_markers(notes_document(5))
    assert before[3] == "第3段提到“深空通信网络”项目"
    assert before[1] == "第1段提到“深空通信网络”项目"  # its first marker, not the repeat in paragraph 2
    assert before[6] == "The “Deep Space” work"
    assert quoted_before_marker(before[3]) == "深空通信网络"


def test_the_terms_stage_reads_a_document_once_not_once_per_note():
    """A document with 4 times the notes costs about 4 times as much, not 16 (it was quadratic:
    each note scanned the blocks up to its marker)."""
    import time

    from builder import terms_extract

    def seconds(count: int) -> float:
        doc = notes_document(count)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            before = terms_extract.text_before_markers(doc)
            for note in doc.notes:
                terms_extract.from_note(note.text, before.get(note.number, ""), "d", "fn:1")
            best = min(best, time.perf_counter() - start)
        return best

    small, large = seconds(2000), seconds(8000)
    assert large < 8 * small + 0.05, (small, large)
