"""Bad input, case by case: each mistake or hostile file in a built project makes ``build`` exit 1
with error lines that name the file (no traceback), and leaves docs/ and site/ byte-identical.

The project is built once; every case runs on a copy (the output links kept as links), with
the command line run in this process (an exception the builder does not turn into an error
line fails the test).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from builder.__main__ import main
from tinyproject import error_lines, make_project, meta, tree_hashes, write_doc

pytestmark = pytest.mark.site

TEXT = "一、引言\n\n中美太空合作始于1979年。\n\n二、结论\n\n双方在商业发射领域开展合作。\n"
GLOSSARY = "entries:\n  - zh: 国际空间站\n    en: International Space Station\n    abbr: ISS\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("matrix"), {
        "a": (TEXT, meta("doc-a")),
        "b": ("第二篇文献的正文。\n", meta("doc-b", reader="policy_paper")),
    })
    (root / "corpus" / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    assert main(["--root", str(root), "build", "--quiet"]) == 0
    return root


def yml(root: Path, stem: str, data) -> None:
    body = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    (root / "corpus" / f"{stem}.yml").write_text(body, encoding="utf-8")


def raw(root: Path, name: str, data: bytes) -> None:
    path = root / name
    if os.path.lexists(path) and not path.is_dir():
        path.unlink()
    path.write_bytes(data)


def replace_with(root: Path, name: str, kind: str, target: str = "") -> None:
    """corpus/<name> becomes a FIFO, a folder or a symbolic link to ``target``."""
    path = root / "corpus" / name
    if os.path.lexists(path):
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        os.symlink(target, path)


def outside(root: Path) -> str:
    secret = root.parent / "secret.txt"
    secret.write_text("root:x:0:0:the build machine\n", encoding="utf-8")
    return str(secret)


def nested(depth: int = 20000) -> str:
    return "id: " + "[" * depth + "]" * depth + "\n"


CASES = {
    # metadata
    "meta-yaml-syntax": (lambda r: yml(r, "a", "id: doc-a\ntitle: {zh: 甲\n"), "corpus/a.yml"),
    "meta-not-mapping": (lambda r: yml(r, "a", "- just\n- a list\n"), "corpus/a.yml"),
    "meta-missing-id": (lambda r: yml(r, "a", {k: v for k, v in meta("doc-a").items() if k != "id"}), "corpus/a.yml"),
    "meta-bad-slug": (lambda r: yml(r, "a", meta("Doc A!")), "corpus/a.yml"),
    "meta-unknown-field": (lambda r: yml(r, "a", meta("doc-a", colour="red")), "corpus/a.yml"),
    "meta-title-type": (lambda r: yml(r, "a", meta("doc-a", title="只是文字")), "corpus/a.yml"),
    "meta-kind": (lambda r: yml(r, "a", meta("doc-a", kind="novel")), "corpus/a.yml"),
    "meta-reader": (lambda r: yml(r, "a", meta("doc-a", reader="nope")), "corpus/a.yml"),
    "meta-languages": (lambda r: yml(r, "a", meta("doc-a", languages=[])), "corpus/a.yml"),
    "meta-date-13-45": (lambda r: yml(r, "a", meta("doc-a", date="2023-13-45")), "corpus/a.yml"),
    "meta-date-feb-30": (lambda r: yml(r, "a", meta("doc-a", date="2023-02-30")), "corpus/a.yml"),
    "meta-url-javascript": (lambda r: yml(r, "a", meta("doc-a", source_url="javascript:alert(1)")), "corpus/a.yml"),
    "meta-private-use": (lambda r: yml(r, "a", meta("doc-a", private_use={"XYZ": "."})), "corpus/a.yml"),
    "meta-glyph-map": (lambda r: yml(r, "a", meta("doc-a", glyph_map={"ab": ":"})), "corpus/a.yml"),
    "meta-note-style": (lambda r: yml(r, "a", meta("doc-a", note_style="roman")), "corpus/a.yml"),
    "meta-encoding": (lambda r: yml(r, "a", meta("doc-a", encoding="klingon-8")), "corpus/a.yml"),
    "meta-field-twice": (lambda r: yml(r, "a", yaml.safe_dump(meta("doc-a"), allow_unicode=True) + "id: doc-x\n"),
                         "corpus/a.yml"),
    "meta-duplicate-id": (lambda r: yml(r, "b", meta("doc-a", reader="policy_paper")), "corpus/b.yml"),
    "meta-related-unknown": (lambda r: yml(r, "a", meta("doc-a", related=["doc-zz"])), "corpus/a.yml"),
    "meta-not-utf8": (lambda r: raw(r, "corpus/a.yml", "id: 甲\n".encode("gb18030") + b"\xff\xfe"), "corpus/a.yml"),
    "meta-nested": (lambda r: yml(r, "a", nested()), "corpus/a.yml"),
    "meta-fifo": (lambda r: replace_with(r, "a.yml", "fifo"), "corpus/a.yml"),
    "meta-link-outside": (lambda r: replace_with(r, "a.yml", "link", outside(r)), "corpus/a.yml"),
    "meta-without-text": (lambda r: yml(r, "z", meta("doc-z")), "corpus/z.yml"),
    # source texts
    "text-nul-bytes": (lambda r: raw(r, "corpus/a.txt", b"\x00\x01\x02\x03" * 64), "corpus/a.txt"),
    "text-png": (lambda r: raw(r, "corpus/a.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8), "corpus/a.txt"),
    "text-latin1": (lambda r: raw(r, "corpus/a.txt", "Résumé de la coopération.\n".encode("latin-1")), "corpus/a.txt"),
    "text-bad-bom": (lambda r: raw(r, "corpus/a.txt", b"\xff\xfe\x00\xd8"), "corpus/a.txt"),
    "text-big5-or-gb": (lambda r: raw(r, "corpus/a.txt", "中文".encode("big5")), "corpus/a.txt"),
    "text-wrong-declared-encoding": (lambda r: (yml(r, "a", meta("doc-a", encoding="ascii"))), "corpus/a.txt"),
    "text-over-size-limit": (lambda r: raw(r, "corpus/a.txt", b"a" * (65 * 1024 * 1024)), "corpus/a.txt"),
    "text-fifo": (lambda r: replace_with(r, "a.txt", "fifo"), "corpus/a.txt"),
    "text-link-outside": (lambda r: replace_with(r, "a.txt", "link", outside(r)), "corpus/a.txt"),
    "text-link-loop": (lambda r: (replace_with(r, "a.txt", "link", "a.md"), replace_with(r, "a.md", "link", "a.txt")),
                       "corpus/a."),
    "text-device": (lambda r: replace_with(r, "a.txt", "link", "/dev/zero"), "corpus/a.txt"),
    "text-without-metadata": (lambda r: raw(r, "corpus/z.txt", TEXT.encode()), "corpus/z.txt"),
    "text-two-files": (lambda r: raw(r, "corpus/a.md", TEXT.encode()), "corpus/a.txt"),
    # glossary.yml
    "glossary-yaml-syntax": (lambda r: raw(r, "corpus/glossary.yml", b"entries: [\n"), "corpus/glossary.yml"),
    "glossary-not-utf8": (lambda r: raw(r, "corpus/glossary.yml", "# 术语\n".encode("gb18030")), "corpus/glossary.yml"),
    "glossary-folder": (lambda r: replace_with(r, "glossary.yml", "folder"), "corpus/glossary.yml"),
    "glossary-fifo": (lambda r: replace_with(r, "glossary.yml", "fifo"), "corpus/glossary.yml"),
    "glossary-link-outside": (lambda r: replace_with(r, "glossary.yml", "link", outside(r)), "corpus/glossary.yml"),
    "glossary-unknown-field": (lambda r: raw(r, "corpus/glossary.yml", b"entries: []\ncolour: red\n"),
                               "corpus/glossary.yml"),
    "glossary-entry-without-zh": (lambda r: raw(r, "corpus/glossary.yml", b"entries:\n  - en: Space\n"),
                                  "corpus/glossary.yml"),
    "glossary-nested": (lambda r: raw(r, "corpus/glossary.yml", nested().encode()), "corpus/glossary.yml"),
    # chrome.yml
    "chrome-yaml-syntax": (lambda r: raw(r, "corpus/chrome.yml", b"- pattern: [unclosed\n"), "corpus/chrome.yml"),
    "chrome-not-a-list": (lambda r: raw(r, "corpus/chrome.yml", b"pattern: x\n"), "corpus/chrome.yml"),
    "chrome-bad-regex": (lambda r: raw(r, "corpus/chrome.yml", b"- pattern: '(unclosed'\n"), "corpus/chrome.yml:1"),
    "chrome-no-pattern": (lambda r: raw(r, "corpus/chrome.yml", b"- reason: nothing\n"), "corpus/chrome.yml:1"),
    "chrome-not-utf8": (lambda r: raw(r, "corpus/chrome.yml", "# 说明\n".encode("gb18030")), "corpus/chrome.yml"),
    "chrome-folder": (lambda r: replace_with(r, "chrome.yml", "folder"), "corpus/chrome.yml"),
    "chrome-fifo": (lambda r: replace_with(r, "chrome.yml", "fifo"), "corpus/chrome.yml"),
    "chrome-catastrophic-pattern": (lambda r: (raw(r, "corpus/chrome.yml", b"- pattern: '(a|aa)+$'\n"),
                                               raw(r, "corpus/a.txt", (TEXT + "a" * 80 + "!\n").encode())),
                                    "corpus/chrome.yml:1"),
    # the project around the corpus
    "theme-template-syntax": (lambda r: raw(r, "overrides/main.html",
                                            b'{% extends "base.html" %}\n{% block content %}\n{{ page.content \n'),
                              "overrides/main.html"),
    "mkdocs-unknown-theme": (lambda r: raw(r, "mkdocs.yml", (r / "mkdocs.yml").read_bytes().replace(
        b"name: material", b"name: no-such-theme")), "no-such-theme"),
    "docs-link-outside": (lambda r: os.symlink(outside(r), r / "docs" / "leak.md"), "docs/leak.md"),
    "docs-folder-link-outside": (lambda r: (os.makedirs(r.parent / "elsewhere"),
                                            (r.parent / "elsewhere" / "x.md").write_text("x", encoding="utf-8"),
                                            os.symlink(r.parent / "elsewhere", r / "docs" / "leak")), "docs/leak"),
    "docs-fifo": (lambda r: os.mkfifo(r / "docs" / "pipe.md"), "docs/pipe.md"),
    "staging-folder-is-a-file": (lambda r: (shutil.rmtree(r / ".build"), raw(r, ".build", b"x")), ".build"),
}


def test_the_matrix_has_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_fails_cleanly(built, tmp_path, capsys, case):
    mutate, named = CASES[case]
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    mutate(root)
    before = {"docs": tree_hashes(root / "docs"), "site": tree_hashes(root / "site")}
    capsys.readouterr()
    code = main(["--root", str(root), "build", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err
    errors = error_lines(err)
    assert errors, err
    assert any(named in line for line in errors), err
    assert "the build machine" not in err
    assert {"docs": tree_hashes(root / "docs"), "site": tree_hashes(root / "site")} == before


def test_strict_mode_names_every_warned_file(built, tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    write_doc(root, "a", TEXT + "私用字符\ue123。\n", None)
    write_doc(root, "b", "第二篇\ue124。\n", None)
    before = {"docs": tree_hashes(root / "docs"), "site": tree_hashes(root / "site")}
    capsys.readouterr()
    assert main(["--root", str(root), "build", "--quiet", "--strict"]) == 1
    errors = "\n".join(error_lines(capsys.readouterr().err))
    assert "corpus/a.txt" in errors and "corpus/b.txt" in errors
    assert {"docs": tree_hashes(root / "docs"), "site": tree_hashes(root / "site")} == before
