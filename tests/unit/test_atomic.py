"""Atomic output: pages and site are staged and swapped in only when the build succeeds.

A failed build (bad metadata, unreadable source, broken theme, strict-mode warning) and an
interrupted one (SIGINT at various moments) leave the previous ``docs/`` and ``site/``
byte-identical (hashed trees), or — when the interrupt came too late to stop it — the complete
new output; never a mixture, and no staging folders behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest

from tinyproject import error_lines, make_project, meta, run_cli, start_cli, tree_hashes, write_doc

pytestmark = pytest.mark.site

TEXT = "一、引言\n\n中美太空合作始于1979年，版本{version}。\n\n二、结论\n\n双方在商业发射领域开展合作。\n"


def version_docs(version: int) -> dict[str, tuple]:
    return {
        "a": (TEXT.format(version=version), meta("doc-a", title={"zh": f"版本{version}的文献"})),
        "b": ("第二篇文献的正文。\n", meta("doc-b", reader="policy_paper")),
    }


def snapshot(root: Path) -> dict[str, dict[str, str]]:
    return {"docs": tree_hashes(root / "docs"), "site": tree_hashes(root / "site")}


def leftovers(root: Path) -> list[str]:
    """Staging folders or swapped-out trees a build left behind (the cache may stay)."""
    staging = root / ".build"
    if not staging.exists():
        return []
    names = sorted(p.name for p in staging.iterdir() if p.name.startswith(("docs-", "site-", "old-")))
    out = staging / "out"
    current = os.readlink(out / "current") if (out / "current").is_symlink() else None
    versions = sorted(p.name for p in out.iterdir() if p.name not in ("current", current)) if out.exists() else []
    return names + versions  # one version stays: the current one


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, float]:
    """A project built once at version 1, and how long the build took."""
    root = make_project(tmp_path_factory.mktemp("atomic"), version_docs(1))
    start = time.perf_counter()
    result = run_cli(root, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    return root, time.perf_counter() - start


@pytest.fixture
def project(built, tmp_path) -> Path:
    """A private copy of the built project."""
    copy = tmp_path / "project"
    shutil.copytree(built[0], copy, symlinks=True)  # docs/ and site/ show .build/out/current through links
    return copy


def assert_failed_cleanly(result, root: Path, before: dict) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = error_lines(result.stderr)
    assert errors, result.stderr
    assert snapshot(root) == before, "a failed build changed docs/ or site/"
    assert leftovers(root) == []
    return errors[0]


def test_the_built_project_has_pages_and_site(project):
    assert "版本1" in (project / "docs/documents/doc-a.md").read_text(encoding="utf-8")
    assert "版本1" in (project / "site/documents/doc-a/index.html").read_text(encoding="utf-8")
    assert (project / "site/build-report.json").exists()
    assert leftovers(project) == []


def test_bad_metadata_leaves_docs_and_site_byte_identical(project):
    before = snapshot(project)
    write_doc(project, "a", TEXT.format(version=2), "id: doc-a\ntitle: {zh: 甲\n")
    error = assert_failed_cleanly(run_cli(project, "build"), project, before)
    assert "corpus/a.yml" in error


def test_unreadable_source_leaves_docs_and_site_byte_identical(project):
    before = snapshot(project)
    write_doc(project, "a", b"\x00\x01\x02\x03" * 64, None)
    error = assert_failed_cleanly(run_cli(project, "build"), project, before)
    assert "corpus/a.txt" in error


@pytest.mark.parametrize("template, expected", [
    ('{% extends "base.html" %}\n{% block content %}\n{{ page.content \n', "overrides/main.html:3"),
    ('{% extends "base.html" %}\n{% block content %}{{ page.no_such.attr }}{% endblock %}\n', "theme template"),
], ids=["syntax-error", "undefined-attribute"])
def test_broken_theme_template_leaves_docs_and_site_byte_identical(project, template, expected):
    write_doc(project, "a", TEXT.format(version=2), None)
    before = snapshot(project)
    (project / "overrides" / "main.html").write_text(template, encoding="utf-8")
    error = assert_failed_cleanly(run_cli(project, "build"), project, before)
    assert expected in error


def test_broken_mkdocs_configuration_leaves_docs_and_site_byte_identical(project):
    write_doc(project, "a", TEXT.format(version=2), None)
    before = snapshot(project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("name: material", "name: no-such-theme"),
                      encoding="utf-8")
    error = assert_failed_cleanly(run_cli(project, "build"), project, before)
    assert "no-such-theme" in error


def test_strict_mode_warning_leaves_docs_and_site_byte_identical(project):
    before = snapshot(project)
    write_doc(project, "a", TEXT.format(version=2) + "未映射的私用字符\ue123。\n", None)
    error = assert_failed_cleanly(run_cli(project, "build", "--strict"), project, before)
    assert "strict" in error


def test_check_writes_nothing(project):
    before = snapshot(project)
    write_doc(project, "a", TEXT.format(version=2), None)
    result = run_cli(project, "check")
    assert result.returncode == 0, result.stderr
    assert snapshot(project) == before


def test_a_successful_build_swaps_everything_in_and_keeps_hand_written_files(project):
    hand_written = project / "docs" / "assets" / "stylesheets" / "library.css"
    css = hand_written.read_bytes()
    write_doc(project, "a", TEXT.format(version=2), None)
    (project / "corpus" / "b.txt").unlink()
    (project / "corpus" / "b.yml").unlink()
    result = run_cli(project, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "版本2" in (project / "docs/documents/doc-a.md").read_text(encoding="utf-8")
    assert "版本2" in (project / "site/documents/doc-a/index.html").read_text(encoding="utf-8")
    assert not (project / "docs/documents/doc-b.md").exists(), "a removed document's page stays"
    assert not (project / "site/documents/doc-b").exists()
    assert hand_written.read_bytes() == css
    assert leftovers(project) == []


def test_pages_are_deterministic(project):
    first = tree_hashes(project / "docs")
    result = run_cli(project, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    assert tree_hashes(project / "docs") == first


# --------------------------------------------------------------------------- interrupts


def is_complete_version(root: Path, version: int) -> bool:
    """docs/ and site/ both show the given version everywhere it appears."""
    texts = [root / "docs/documents/doc-a.md", root / "docs/index.md",
             root / "site/documents/doc-a/index.html", root / "site/index.html"]
    return all(p.exists() and f"版本{version}" in p.read_text(encoding="utf-8") for p in texts) and \
        (root / "site/build-report.json").exists()


@pytest.mark.parametrize("fraction", [0.1, 0.35, 0.6, 0.85])
def test_sigint_at_any_moment_leaves_old_or_complete_new_output(built, project, fraction):
    duration = built[1]
    for stem, (text, metadata) in version_docs(2).items():
        write_doc(project, stem, text, metadata)
    before = snapshot(project)
    process = start_cli(project, "build", "--quiet")
    time.sleep(duration * fraction)
    process.send_signal(signal.SIGINT)
    try:
        _out, err = process.communicate(timeout=120)
    except Exception:
        process.kill()
        raise
    after = snapshot(project)
    if after != before:
        assert is_complete_version(project, 2), "an interrupted build left a mixture of old and new output"
        assert not is_complete_version(project, 1)
    else:
        assert process.returncode in (130, -signal.SIGINT), err
    if process.returncode == 130:
        assert "Traceback" not in err
        assert "interrupted" in err
    assert leftovers(project) == []


# --------------------------------------------------------------------------- the switch, step by step


class Killed(BaseException):
    """Stands for SIGKILL: nothing of the builder's catches it."""


def crash_at(monkeypatch, step: int, error: BaseException) -> list[str]:
    """Make the ``step``-th file-system change of the output switch (write.swap_in: renames,
    links, replacements) fail with ``error``; returns the steps seen."""
    from builder import write

    seen: list[str] = []
    real = {name: getattr(os, name) for name in ("rename", "replace", "symlink")}

    def wrap(name):
        def call(*args, **kwargs):
            seen.append(name)
            if len(seen) == step:
                raise error
            return real[name](*args, **kwargs)
        return call

    class Os:
        def __getattr__(self, name):
            return wrap(name) if name in real else getattr(os, name)

    monkeypatch.setattr(write, "os", Os())
    return seen


def build_in_process(root: Path, capsys) -> tuple[int, str]:
    from builder.__main__ import main

    capsys.readouterr()
    code = main(["--root", str(root), "build", "--quiet"])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("error", [Killed(), PermissionError(13, "Permission denied", "docs")],
                         ids=["killed", "permission"])
def test_a_failure_at_each_step_of_the_switch_leaves_old_or_new_output(project, monkeypatch, capsys, error):
    for stem, (text, metadata) in version_docs(2).items():
        write_doc(project, stem, text, metadata)
    before = snapshot(project)
    step = 1
    while True:
        trial = project.parent / f"trial-{step}"
        shutil.copytree(project, trial, symlinks=True)
        seen = crash_at(monkeypatch, step, error)
        try:
            code, err = build_in_process(trial, capsys)
        except Killed:
            code, err = None, ""
        monkeypatch.undo()
        if len(seen) < step:  # every step has been failed once
            assert code == 0, err
            break
        if snapshot(trial) != before:
            assert is_complete_version(trial, 2), f"step {step} ({seen[-1]}) left a mixture"
        if code is not None:  # an error line, or success when only the nudge of a right link failed
            assert "Traceback" not in err
            assert code in (0, 1), err
            assert error_lines(err) if code else is_complete_version(trial, 2), err
        code, err = build_in_process(trial, capsys)  # the next build completes and tidies up
        assert code == 0, err
        assert is_complete_version(trial, 2)
        assert leftovers(trial) == [], f"after a failure at step {step}"
        shutil.rmtree(trial)
        step += 1
    assert step > 3


def test_leftovers_of_killed_builds_are_removed_and_running_builds_kept(project, capsys):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    staging = project / ".build"
    for name in (f"docs-{dead}-abc", f"site-{dead}-abc", f"old-{dead}-abc", "docs-legacy1", "site-legacy2"):
        (staging / name).mkdir()
        (staging / name / "page.md").write_text("x", encoding="utf-8")
    (staging / "out" / f"v-{dead}-abc").mkdir()
    (staging / "out" / "v-1-running").mkdir()  # pid 1 is alive: another build's version
    code, err = build_in_process(project, capsys)
    assert code == 0, err
    assert leftovers(project) == ["v-1-running"]


def test_an_interrupt_during_the_switch_says_the_build_is_complete(project, monkeypatch, capsys):
    from builder import write

    real = write.swap_in

    def swap_then_interrupt(*args, **kwargs):
        real(*args, **kwargs)
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)  # held back while the switch runs

    monkeypatch.setattr(write, "swap_in", swap_then_interrupt)
    # Ctrl-C raises KeyboardInterrupt, as in a terminal: a test run started in the background by
    # a non-interactive shell inherits SIGINT ignored, and Python then leaves it ignored
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        for stem, (text, metadata) in version_docs(2).items():
            write_doc(project, stem, text, metadata)
        code, err = build_in_process(project, capsys)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert code == 130
    assert "unchanged" not in err
    assert "complete" in err
    assert is_complete_version(project, 2)


def test_a_project_built_before_versions_gets_links_once(project, capsys):
    """Real docs/ and site/ folders of an older builder are replaced by links at the first build."""
    for name in ("docs/documents", "docs/index.md", "site"):
        link = project / name
        target = link.resolve()
        link.unlink()
        shutil.copytree(target, link) if target.is_dir() else shutil.copy2(target, link)
    for stem, (text, metadata) in version_docs(2).items():
        write_doc(project, stem, text, metadata)
    code, err = build_in_process(project, capsys)
    assert code == 0, err
    assert (project / "site").is_symlink() and (project / "docs" / "documents").is_symlink()
    assert is_complete_version(project, 2)
    assert leftovers(project) == []
