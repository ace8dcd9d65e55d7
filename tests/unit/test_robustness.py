"""Encodings and shapes of source texts: each either builds correctly (decoded, normalised,
every character accounted for) or fails with one clear line naming the file and the problem."""

from __future__ import annotations

import codecs
import pickle
import time
from pathlib import Path

import pytest

from builder import pipeline
from builder.errors import BuilderError, ConfigError, RenderError, SourceError
from builder.report import lost_characters
from tinyproject import error_lines, make_project, meta, run_cli

READERS = ["pdf_journal", "policy_paper", "parallel", "markdown_repost"]
TEXT = ("一、引言\n\n中美太空合作始于１９７９年，\n双方在商业发射领域开展合作。\n\n"
        "繁體中文：國際太空站與衛星的合作。\n\nThe English paragraph about ＳｐａｃｅＸ.\n")
ENCODINGS = {
    "utf8": TEXT.encode("utf-8"),
    "utf8-bom": codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    "gb18030": TEXT.encode("gb18030"),
    "gbk": TEXT.encode("gbk"),
    "utf16": TEXT.encode("utf-16"),
    "utf16-be-bom": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    "utf16-le-nobom": TEXT.encode("utf-16-le"),
    "crlf": TEXT.replace("\n", "\r\n").encode("utf-8"),
    "cr": TEXT.replace("\n", "\r").encode("utf-8"),
    "gb18030-crlf": TEXT.replace("\n", "\r\n").encode("gb18030"),
}


def check(root: Path) -> pipeline.Result:
    """The `check` run in-process: read, resolve and report, write nothing."""
    return pipeline.run(pipeline.Options(root, render_site=False, write_pages=False))


def only_document(result: pipeline.Result):
    [doc] = result.library.documents
    return doc


def body_text(doc) -> str:
    parts = [b.text for b in doc.blocks] + [s.text for b in doc.blocks for s in b.pair]
    parts += [n.text for n in doc.notes] + [i.text for s in doc.backmatter for i in s.items]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def reference_page(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("ref"), {"a": (ENCODINGS["utf8"], meta("doc-a"))})
    result = check(root)
    return pipeline.render_pages(result.library)["documents/doc-a.md"]


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_every_encoding_and_line_ending_builds_the_same_page(tmp_path, name, reference_page):
    root = make_project(tmp_path, {"a": (ENCODINGS[name], meta("doc-a"))})
    result = check(root)
    doc = only_document(result)
    text = body_text(doc)
    assert "中美太空合作始于1979年，双方在商业发射领域开展合作。" in text  # decoded, widths, lines joined
    assert "國際太空站與衛星" in text  # traditional characters kept as they are
    assert "SpaceX" in text
    assert "\r" not in doc.source_text and "\ufeff" not in doc.source_text
    assert lost_characters(doc) == {}
    assert result.report["documents"][0]["figures"]["conserved_percent"] == 100.0
    assert pipeline.render_pages(result.library)["documents/doc-a.md"] == reference_page


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("shape, data", [
    ("empty", b""),
    ("blank-lines-only", b"\n\n \t\n\r\n\n"),
    ("bom-only", codecs.BOM_UTF8),
    ("one-char", "中".encode()),
    ("no-blank-lines", "第一行。\n第二行。\n第三行。".encode()),
    ("punctuation-only", "。。。，，，\n——\n……".encode()),
], ids=lambda value: value if isinstance(value, str) else "")
def test_degenerate_shapes_build_with_every_reader(tmp_path, reader, shape, data):
    root = make_project(tmp_path, {"a": (data, meta("doc-a", reader=reader))})
    result = check(root)
    doc = only_document(result)
    assert lost_characters(doc) == {}
    if not doc.source_text.strip():
        assert not doc.blocks
        assert any(w.code == "structure.empty" and w.location.startswith("corpus/a.txt")
                   for w in result.diag.warnings)


@pytest.mark.parametrize("reader", READERS)
def test_very_long_lines(tmp_path, reader):
    long_zh = "中美太空合作始于1979年①，双方在商业发射领域开展合作。" * 20000  # ~560,000 characters
    long_en = "Space cooperation between China and Russia [1] started in 1992. " * 5000
    data = f"{long_zh}\n\n{long_en}\n".encode()
    root = make_project(tmp_path, {"a": (data, meta("doc-a", reader=reader))})
    start = time.perf_counter()
    doc = only_document(check(root))
    assert time.perf_counter() - start < 60
    assert lost_characters(doc) == {}
    assert "双方在商业发射领域开展合作" in body_text(doc)


def test_a_large_file_of_tens_of_megabytes_builds(tmp_path):
    paragraph = ("中美太空合作始于１９７９年，双方在商业发射领域开展合作①。\n这是硬换行的第二行，"
                 "English words in between.\n\n")
    copies = 12_000_000 // len(paragraph.encode())
    data = (paragraph * copies).encode()
    assert len(data) > 10_000_000
    root = make_project(tmp_path, {"a": (data, meta("doc-a"))})
    result = check(root)
    figures = result.report["documents"][0]["figures"]
    assert figures["conserved_percent"] == 100.0
    assert figures["paragraphs"] == copies


# --------------------------------------------------------------------------- clear failures


def assert_one_clear_error(result, *words: str) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = error_lines(result.stderr)
    assert len(errors) == 1, result.stderr
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


@pytest.mark.parametrize("name, data, words", [
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06" + bytes(range(256)) * 8,
     ("corpus/a.txt", "binary")),
    ("zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 8, ("corpus/a.txt", "binary")),
    ("latin1", "Analyse de la coopération spatiale, résumé.\n".encode("latin-1") * 3,
     ("corpus/a.txt:1", "not UTF-8")),
    ("bad-bom", codecs.BOM_UTF16_LE + b"\x00\xd8", ("corpus/a.txt", "byte-order mark")),
])
def test_unreadable_sources_fail_with_one_clear_line(tmp_path, name, data, words):
    root = make_project(tmp_path, {"a": (data, meta("doc-a"))})
    assert_one_clear_error(run_cli(root, "check"), *words)


def test_a_file_over_the_size_limit_fails_with_one_clear_line(tmp_path):
    root = make_project(tmp_path, {"a": (b"a" * (65 * 1024 * 1024), meta("doc-a"))})
    assert_one_clear_error(run_cli(root, "check"), "corpus/a.txt", "limit")


def test_every_unreadable_source_is_named_in_one_check_run(tmp_path):
    root = make_project(tmp_path, {
        "a": (b"\x00\x01\x02\x03" * 100, meta("doc-a")),
        "b": ("fine text。".encode(), meta("doc-b")),
        "c": ("caf\xe9 r\xe9sum\xe9\n".encode("latin-1"), meta("doc-c")),
    })
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = error_lines(result.stderr)
    assert any("corpus/a.txt" in e for e in errors), result.stderr
    assert any("corpus/c.txt" in e for e in errors), result.stderr


def test_an_empty_document_builds_a_site(tmp_path):
    root = make_project(tmp_path, {"a": (b"", meta("doc-a")), "b": (TEXT.encode(), meta("doc-b"))})
    result = run_cli(root, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "site" / "documents" / "doc-a" / "index.html").exists()
    page = (root / "site" / "documents" / "doc-b" / "index.html").read_text(encoding="utf-8")
    assert "國際太空站與衛星" in page


def test_unknown_command_line_usage_is_exit_2(tmp_path):
    root = make_project(tmp_path)
    result = run_cli(root, "frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- errors themselves


@pytest.mark.parametrize("error", [
    SourceError("corpus/a.txt", "binary file", 3),
    ConfigError(["corpus/a.yml:1: one", "corpus/b.yml: two"]),
    RenderError("mkdocs build failed: x"),
    BuilderError("plain"),
])
def test_builder_errors_survive_pickling_for_worker_processes(error):
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)
