"""Corpus metadata validation: every problem named with its file (and line), all of them in one
run, and nothing written when the metadata is bad."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.config import load_corpus
from builder.errors import ConfigError
from tinyproject import REPO, error_lines, make_project, meta, run_cli, tree_hashes

TEXT = "一、引言\n\n中美太空合作始于1979年。\n"
VALID = "id: doc-a\ntitle: {zh: 甲}\nkind: journal-article\nreader: pdf_journal\nlanguages: [zh]\n"


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_corpus(root / "corpus", root)
    assert info.value.problems, "a ConfigError carries its problems"
    return info.value.problems


def one_problem(tmp_path: Path, metadata, text: str | None = TEXT, stem: str = "a") -> str:
    root = make_project(tmp_path, {stem: (text, metadata)})
    problems = problems_of(root)
    assert len(problems) == 1, problems
    return problems[0]


def test_the_seed_corpus_is_valid():
    docs = load_corpus(REPO / "corpus", REPO)
    assert len(docs) >= 5
    assert len({d.id for d in docs}) == len(docs)


def test_a_valid_document_loads_with_its_paths(tmp_path):
    root = make_project(tmp_path, {"a": (TEXT, VALID)})
    [doc] = load_corpus(root / "corpus", root)
    assert (doc.id, doc.reader, doc.text_path, doc.meta_path) == \
        ("doc-a", "pdf_journal", "corpus/a.txt", "corpus/a.yml")


def test_invalid_yaml_names_file_and_line(tmp_path):
    problem = one_problem(tmp_path, "id: doc-a\ntitle: {zh: 甲\nkind: journal-article\n")
    assert re.match(r"corpus/a\.yml:\d+: invalid YAML", problem), problem


def test_invalid_yaml_line_is_the_broken_line(tmp_path):
    problem = one_problem(tmp_path, VALID + "summary: \"unterminated\n")
    assert re.match(r"corpus/a\.yml:\d+: invalid YAML", problem), problem
    assert "line 6" in problem or problem.startswith("corpus/a.yml:6:"), problem


@pytest.mark.parametrize("field", ["id", "title", "kind", "reader", "languages"])
def test_missing_required_field(tmp_path, field):
    data = meta("doc-a")
    del data[field]
    problem = one_problem(tmp_path, data)
    assert problem.startswith("corpus/a.yml")
    assert f"missing required field '{field}'" in problem


@pytest.mark.parametrize("field, value, expected", [
    ("title", "plain title", "must be a mapping"),
    ("kind", 5, "must be text"),
    ("languages", "zh", "must be a list"),
    ("date", True, "must be text or a number"),
    ("authors", "someone", "must be a list"),
    ("translators", "someone", "must be a list"),
    ("private_use", ["E010"], "must be a mapping"),
])
def test_wrong_type_names_file_line_and_field(tmp_path, field, value, expected):
    problem = one_problem(tmp_path, meta("doc-a", **{field: value}))
    line = next(i for i, text in enumerate(
        (tmp_path / "project/corpus/a.yml").read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith(field + ":"))
    assert problem.startswith(f"corpus/a.yml:{line}: field '{field}' {expected}"), problem


@pytest.mark.parametrize("field, value, expected", [
    ("reader", "nope", "field 'reader' must be one of"),
    ("kind", "blog", "field 'kind' must be one of"),
    ("languages", ["Chinese!"], "field 'languages' must be a list of language codes"),
    ("date", "May 2022", "field 'date' must be YYYY"),
    ("note_style", "roman", "field 'note_style' must be one of"),
    ("private_use", {"XYZ": "."}, "field 'private_use' entry"),
    ("authors", [{"romanized": "No Name"}], "field 'authors[0]'"),
    ("translators", [{"romanized": "No Name"}], "field 'translators[0]'"),
    ("source_url", "javascript:alert(1)", "field 'source_url' must be an http"),
    ("source_url", "data:text/html,<script>alert(1)</script>", "field 'source_url' must be an http"),
    ("title", {"en": "English only"}, "missing required field 'title.zh'"),
    ("related", ["no-such-document"], "field 'related' names 'no-such-document'"),
])
def test_bad_value_is_reported(tmp_path, field, value, expected):
    problem = one_problem(tmp_path, meta("doc-a", **{field: value}))
    assert problem.startswith("corpus/a.yml"), problem
    assert expected in problem, problem


def test_unknown_field_is_reported_with_its_line_and_the_known_ones(tmp_path):
    problem = one_problem(tmp_path, VALID + "auther: someone\n")
    assert problem.startswith("corpus/a.yml:6: unknown field 'auther'"), problem
    assert "authors" in problem


def test_a_field_given_twice_is_reported(tmp_path):
    problem = one_problem(tmp_path, VALID + "id: doc-b\n")
    assert problem.startswith("corpus/a.yml:6: field 'id' is given twice (also on line 1)"), problem


@pytest.mark.parametrize("doc_id", ["../escape", "../../etc/passwd", "a/b", "Doc-A", "doc a", "doc_a",
                                    "-doc", "doc-", "文献", "doc%2e%2e", ".", "x" * 81])
def test_ids_must_be_safe_url_slugs(tmp_path, doc_id):
    problem = one_problem(tmp_path, meta(doc_id))
    assert problem.startswith("corpus/a.yml:"), problem
    assert "field 'id' must be a URL slug" in problem


def test_non_text_id_is_reported(tmp_path):
    problem = one_problem(tmp_path, meta(123))
    assert "field 'id' must be text" in problem


def test_duplicate_ids_name_both_files(tmp_path):
    root = make_project(tmp_path, {"a": (TEXT, meta("same")), "b": (TEXT, meta("same"))})
    [problem] = problems_of(root)
    assert problem.startswith("corpus/b.yml") and "duplicate id 'same'" in problem
    assert "corpus/a.yml" in problem


def test_text_without_metadata_and_metadata_without_text(tmp_path):
    root = make_project(tmp_path, {"lonely-text": (TEXT, None), "lonely-meta": (None, meta("doc-m"))})
    problems = problems_of(root)
    assert len(problems) == 2
    assert any(p.startswith("corpus/lonely-text.txt: source text has no metadata file") for p in problems)
    assert any(p.startswith("corpus/lonely-meta.yml: metadata file has no source text") for p in problems)


@pytest.mark.parametrize("body", ["", "- a list\n- not a mapping\n", "just a string\n"])
def test_metadata_that_is_not_a_mapping(tmp_path, body):
    problem = one_problem(tmp_path, body)
    assert problem.startswith("corpus/a.yml: metadata must be a mapping")


def test_metadata_that_is_not_utf8(tmp_path):
    root = make_project(tmp_path, {"a": (TEXT, None)})
    (root / "corpus" / "a.yml").write_bytes(VALID.replace("甲", "乙").encode("gb18030") + b"\xff\xfe")
    [problem] = problems_of(root)
    assert problem.startswith("corpus/a.yml:2: not UTF-8")


def test_every_problem_of_every_file_in_one_load(tmp_path):
    root = make_project(tmp_path, {
        "a": (TEXT, "id: doc-a\ntitle: {zh: 甲\n"),
        "b": (TEXT, meta("../b", reader="nope")),
        "c": (TEXT, meta("doc-c", kind=5, languages="zh")),
        "d": (TEXT, None),
        "e": (None, meta("doc-e")),
        "f": (TEXT, meta("doc-f")),
        "g": (TEXT, meta("doc-f")),
    })
    problems = problems_of(root)
    files = {p.split(":")[0] for p in problems}
    assert files == {"corpus/a.yml", "corpus/b.yml", "corpus/c.yml", "corpus/d.txt", "corpus/e.yml",
                     "corpus/g.yml"}
    assert len(problems) == 8, problems


# --------------------------------------------------------------------------- through the CLI


@pytest.fixture
def broken_project(tmp_path):
    return make_project(tmp_path, {
        "a": (TEXT, "id: doc-a\ntitle: {zh: 甲\n"),
        "b": (TEXT, meta("../escape", reader="nope")),
        "c": (TEXT, None),
        "ok": (TEXT, meta("doc-ok")),
    })


def test_check_reports_every_problem_and_exits_non_zero(broken_project):
    result = run_cli(broken_project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = error_lines(result.stderr)
    assert len(errors) == 4, result.stderr
    assert any(e.startswith("error: corpus/a.yml:") and "invalid YAML" in e for e in errors)
    assert any(e.startswith("error: corpus/b.yml:") and "URL slug" in e for e in errors)
    assert any(e.startswith("error: corpus/b.yml:") and "'reader'" in e for e in errors)
    assert any(e.startswith("error: corpus/c.txt:") for e in errors)
    assert "4 problem(s) found" in result.stderr


def test_build_with_bad_metadata_writes_nothing(broken_project):
    docs_before = tree_hashes(broken_project / "docs")
    result = run_cli(broken_project, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(error_lines(result.stderr)) == 4
    assert not (broken_project / "site").exists()
    assert tree_hashes(broken_project / "docs") == docs_before


def test_invalid_chrome_rules_are_a_clear_error(tmp_path):
    root = make_project(tmp_path, {"a": (TEXT, meta("doc-a"))})
    (root / "corpus" / "chrome.yml").write_text("- pattern: '([unclosed'\n  reason: x\n", encoding="utf-8")
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [error] = error_lines(result.stderr)
    assert "chrome.yml" in error and "regular expression" in error


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    root = make_project(tmp_path)
    (root / "corpus" / "chrome.yml").unlink()
    (root / "corpus").rmdir()
    result = run_cli(root, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert any("corpus folder not found" in e for e in error_lines(result.stderr))
