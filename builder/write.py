"""The only writer. Pages and site are built in a staging folder and swapped in on success.

Layout of ``docs/``: generated pages live under the names in GENERATED (recreated by every build,
ignored by git); everything else in ``docs/`` is hand-written (stylesheets, scripts, about page)
and is copied into the staging tree as it is. A failed or interrupted build leaves the previous
``docs/`` pages and ``site/`` exactly as they were.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from .errors import RenderError, StrictError

GENERATED = ("index.md", "documents", "glossary", "indexes", "authors", "works", "report.md",
             "assets/generated")
STAGING = ".build"
JIEBA_DICT = "assets/generated/jieba_user_dict.txt"  # terms.generated_files; read by hooks/generated_settings.py
NAV_FILE = "assets/generated/nav.json"  # the navigation (render.site_nav)


def stage_pages(root: Path, pages: dict[str, str], files: dict[str, str] | None = None) -> Path:
    """A complete docs tree in a fresh staging folder: hand-written files plus generated pages.
    (Paths as strings and os.walk: with hundreds of pages, pathlib's objects cost more than the
    file system calls.)"""
    staging_root = root / STAGING
    staging_root.mkdir(exist_ok=True)
    staged = tempfile.mkdtemp(prefix="docs-", dir=staging_root)
    docs = os.fspath(root / "docs")
    made: set[str] = {staged}
    for rel in _hand_written_files(docs):
        source = os.path.join(docs, rel)
        if os.path.isfile(source):
            target = os.path.join(staged, rel)
            _make_parent(target, made)
            _link_or_copy(source, target)
    for rel, text in {**pages, **(files or {})}.items():
        if not _is_generated(rel) or _escapes(rel):
            raise ValueError(f"generated page {rel} is outside the generated part of docs/")
        target = os.path.join(staged, rel)
        _make_parent(target, made)  # one mkdir per folder, not per page
        _place(target, os.path.join(docs, rel), text)
    return Path(staged)


def _make_parent(target: str, made: set[str]) -> None:
    parent = os.path.dirname(target)
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        made.add(parent)


def _link_or_copy(source: str, target: str) -> None:
    """A hand-written file into staging: MkDocs only reads it there, and the staged copy is
    never swapped into docs/, so a hard link will do (a copy where links are not possible)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def page_hash(text: str) -> str:
    """The hash a cached build remembers a generated page by."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CurrentText(str):
    """A generated page's text that ``current_text`` read from docs/ and found to be the expected
    one: staging links the file instead of reading and comparing it again."""


def current_text(root: Path, rel: str, expected: str) -> str | None:
    """The text of the generated page ``rel`` as the last build left it in docs/, if its hash is
    ``expected`` (so a build can reuse it instead of rendering it again); otherwise None."""
    if not _is_generated(rel) or _escapes(rel):
        return None
    try:
        data = (root / "docs" / rel).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != expected:
        return None
    try:
        return CurrentText(data.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def _place(target: str, current: str, text: str) -> None:
    """Put a generated page into staging. A page whose text equals the one in docs/ is linked, not
    rewritten: its file (and modification time) carries over when the staged tree is swapped in."""
    if isinstance(text, CurrentText):  # checked by hash this build: link it as it is
        try:
            os.link(current, target)
            return
        except OSError:
            pass
    data = text.encode("utf-8")
    try:
        if os.stat(current).st_size == len(data):
            with open(current, "rb") as handle:
                same = handle.read() == data
            if same:
                os.link(current, target)
                return
    except OSError:  # absent, unreadable, or a file system without hard links: write it
        pass
    with open(target, "wb") as handle:
        handle.write(data)


def hand_written(root: Path) -> set[str]:
    """The hand-written pages of docs/ (relative paths), which the navigation may list."""
    return {rel for rel in _hand_written_files(os.fspath(root / "docs")) if rel.endswith(".md")}


def _hand_written_files(docs: str):
    """(relative path) of every file in docs/ outside the generated part, which is not walked."""
    if not os.path.isdir(docs):
        return
    for folder, dirs, names in os.walk(docs, followlinks=True):  # as rglob did: linked folders too
        rel_folder = os.path.relpath(folder, docs).replace(os.sep, "/")
        rel_folder = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = [d for d in dirs if not _is_generated(rel_folder + d)]
        for name in names:
            if not _is_generated(rel_folder + name):
                yield rel_folder + name


def _is_generated(rel: str) -> bool:
    return any(rel == g or rel.startswith(g + "/") for g in GENERATED)


def _escapes(rel: str) -> bool:
    """A path that could leave the staging folder (absolute, or with a '..' part)."""
    parts = rel.replace("\\", "/").split("/")
    return rel.startswith("/") or ".." in parts or ":" in parts[0]


def render_site(root: Path, staged_docs: Path, *, strict: bool = False, site_url: str | None = None,
                config_file: str = "mkdocs.yml") -> Path:
    """Run MkDocs on the staged docs into a staged site folder. Raises RenderError on failure.
    The navigation and the search dictionary come from the staged docs' generated files
    (NAV_FILE, JIEBA_DICT), read by the hook hooks/generated_settings.py that mkdocs.yml names."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    _quiet_jieba()
    site = Path(tempfile.mkdtemp(prefix="site-", dir=root / STAGING))
    counter = _WarningCounter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    cwd = os.getcwd()
    try:
        os.chdir(root)
        overrides = {"docs_dir": str(staged_docs), "site_dir": str(site), "strict": strict}
        if site_url is not None:
            overrides["site_url"] = site_url
        config = load_config(config_file=str(root / config_file), **overrides)
        mkdocs_build.build(config)
    except BaseException as exc:  # interrupted or failed: no half-written site stays behind
        shutil.rmtree(site, ignore_errors=True)
        if not isinstance(exc, (Exception, MkDocsException)):  # Ctrl-C; MkDocs's Abort is a SystemExit
            raise
        if strict and counter.messages and not counter.errors:  # "Aborted with N warnings in strict mode!"
            raise StrictError("MkDocs", _site_warnings(counter, staged_docs)) from None
        raise RenderError(_render_failure(exc, counter, root)) from None
    finally:
        os.chdir(cwd)
        logger.removeHandler(counter)
    if strict and counter.count:
        shutil.rmtree(site, ignore_errors=True)
        raise StrictError("MkDocs", _site_warnings(counter, staged_docs))
    return site


def _site_warnings(counter: "_WarningCounter", staged_docs: Path) -> list[str]:
    """MkDocs's warnings, one line each, the staged docs folder named docs/ as the user knows it."""
    staged = str(staged_docs)
    return [" ".join(message.replace(staged, "docs").split()) for message in counter.messages]


def _render_failure(exc: BaseException, counter: "_WarningCounter", root: Path) -> str:
    """One line saying why MkDocs failed: the theme template and its line, or MkDocs's own
    message with the first error it logged (its exception alone often says only 'Aborted')."""
    from jinja2 import TemplateError, TemplateSyntaxError
    from mkdocs.exceptions import MkDocsException

    if isinstance(exc, TemplateError):
        where = ""
        if isinstance(exc, TemplateSyntaxError) and exc.filename:
            where = f" in {_relative(exc.filename, root)}:{exc.lineno}"
        message = f"theme template error{where}: {exc.message or exc}"
    elif isinstance(exc, (MkDocsException, OSError, ValueError)):
        message = f"mkdocs build failed: {exc}"
    else:
        message = f"mkdocs build failed: {type(exc).__name__}: {exc}"
    if counter.errors and counter.errors[0] not in message:
        message += f" ({counter.errors[0]})"
    return " ".join(message.split())


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path


def _quiet_jieba() -> None:
    """jieba (used by Material's search) logs its dictionary loading at INFO on stderr."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.first = ""
        self.messages: list[str] = []
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.first = self.first or record.getMessage()
        self.messages.append(record.getMessage())
        if record.levelno >= logging.ERROR:
            self.errors.append(record.getMessage())


def swap_in(root: Path, staged_docs: Path, staged_site: Path | None, report: dict) -> None:
    """Replace generated docs pages (and the site, when rendered) with the staged ones."""
    docs = root / "docs"
    docs.mkdir(exist_ok=True)
    if staged_site is not None:
        (staged_site / "build-report.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    for name in GENERATED:
        old = docs / name
        new = staged_docs / name
        trash = root / STAGING / f"old-{os.getpid()}-{name.replace('/', '-')}"
        if old.exists():
            os.replace(old, trash)
        if new.exists():
            new.parent.mkdir(parents=True, exist_ok=True)
            (docs / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(new, docs / name)
        _remove(trash)
    if staged_site is not None:
        site = root / "site"
        trash = root / STAGING / f"old-site-{os.getpid()}"
        if site.exists():
            os.replace(site, trash)
        os.replace(staged_site, site)
        _remove(trash)
    _remove(staged_docs)


def discard(*paths: Path | None) -> None:
    for path in paths:
        if path is not None:
            _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()
