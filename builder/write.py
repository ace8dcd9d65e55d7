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
import stat
import tempfile
from pathlib import Path

from .errors import AfterSwitchError, BuilderError, RenderError, StrictError

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
    staged = _folder("docs-", staging_root)
    docs = os.fspath(root / "docs")
    made: set[str] = {staged}
    for rel in _hand_written_files(docs):
        source = os.path.join(docs, rel)
        if os.path.isfile(source):
            target = os.path.join(staged, rel)
            _make_parent(target, made)
            _link_or_copy(source, target)
    current = {name: os.path.realpath(os.path.join(docs, name)) for name in GENERATED}  # through the links
    for rel, text in {**pages, **(files or {})}.items():
        if not _is_generated(rel) or _escapes(rel):
            raise ValueError(f"generated page {rel} is outside the generated part of docs/")
        target = os.path.join(staged, rel)
        _make_parent(target, made)  # one mkdir per folder, not per page
        _place(target, _current_file(current, rel), text)
    return Path(staged)


def _current_file(current: dict[str, str], rel: str) -> str:
    """The real path of generated page ``rel`` as the current version holds it (a hard link
    is made to the file itself, not to the link docs/ shows it through)."""
    for name, real in current.items():
        if rel == name or rel.startswith(name + "/"):
            return real + rel[len(name):]
    return rel


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
    """(relative path) of every file in docs/ outside the generated part, which is not walked.
    Linked files and folders are followed while they stay inside the project: a link out of
    it (``docs/x.md -> /etc/passwd``) would publish a file of the build machine, so it is an
    error naming the link; a FIFO or device is one too, and a folder seen before is skipped."""
    if not os.path.isdir(docs):
        return
    project = os.path.realpath(os.path.dirname(os.path.abspath(docs)))
    seen: set[str] = set()
    for folder, dirs, names in os.walk(docs, followlinks=True):  # as rglob did: linked folders too
        rel_folder = os.path.relpath(folder, docs).replace(os.sep, "/")
        rel_folder = "" if rel_folder == "." else rel_folder + "/"
        real = os.path.realpath(folder)
        if real in seen:  # a link back to a folder already walked
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = [d for d in dirs if not _is_generated(rel_folder + d)]
        for name in dirs:
            _check_inside(os.path.join(folder, name), project, "docs/" + rel_folder + name)
        for name in names:
            if not _is_generated(rel_folder + name):
                _check_inside(os.path.join(folder, name), project, "docs/" + rel_folder + name)
                yield rel_folder + name


def _check_inside(path: str, project: str, where: str) -> None:
    """Raise BuilderError when ``path`` leads out of the project or is not a file or folder."""
    mode = os.lstat(path).st_mode
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return
    if not stat.S_ISLNK(mode):
        raise BuilderError(f"{where}: not a regular file (a FIFO, socket or device)")
    real = os.path.realpath(path)
    if os.path.commonpath([real, project]) != project:
        raise BuilderError(f"{where}: symbolic link to a file outside the project; put the file itself there")
    try:
        mode = os.stat(real).st_mode
    except OSError:
        raise BuilderError(f"{where}: symbolic link that leads nowhere (a loop or a missing target)") from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise BuilderError(f"{where}: not a regular file (a FIFO, socket or device)")


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
    site = Path(_folder("site-", root / STAGING))
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
        discard(site)
        if not isinstance(exc, (Exception, MkDocsException)):  # Ctrl-C; MkDocs's Abort is a SystemExit
            raise
        if strict and counter.messages and not counter.errors:  # "Aborted with N warnings in strict mode!"
            raise StrictError("MkDocs", _site_warnings(counter, staged_docs)) from None
        raise RenderError(_render_failure(exc, counter, root)) from None
    finally:
        os.chdir(cwd)
        logger.removeHandler(counter)
    if strict and counter.count:
        discard(site)
        raise StrictError("MkDocs", _site_warnings(counter, staged_docs))
    return site


def _site_warnings(counter: "_WarningCounter", staged_docs: Path) -> list[str]:
    """MkDocs's warnings, one line each, the staged docs folder named docs/ as the user knows it."""
    staged = str(staged_docs)
    return [" ".join(message.replace(staged, "docs").replace("Doc file '", "Doc file 'docs/").split())
            for message in counter.messages]


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


OUT = STAGING + "/out"  # versions of the output: <version>/docs (staged tree) and <version>/site
CURRENT = "current"  # OUT/current: a symbolic link to the version docs/ and site/ show


def swap_in(root: Path, staged_docs: Path, staged_site: Path | None, report: dict) -> None:
    """Switch the staged pages (and the site, when rendered) in with one atomic step.

    The generated names of docs/ (GENERATED) and site/ are symbolic links into
    ``.build/out/current``, itself a link to one version folder holding a docs tree and a site.
    A build moves its staged trees into a new version folder and replaces ``current`` with a
    link to it (one rename): until then docs/ and site/ show the previous build, after it the
    new one, never a mixture, whenever the build is killed. A build without a site (``serve``)
    carries the previous site over (hard links). Versions and staging folders that no running
    build owns are removed afterwards (those of killed builds too). A project whose generated
    folders are still real folders (built before versions) has them replaced by the links
    once, just after the switch."""
    out = root / OUT
    out.mkdir(parents=True, exist_ok=True)
    version = Path(_folder("v-", out))
    try:
        if staged_site is not None:
            (staged_site / "build-report.json").write_text(
                json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
            os.rename(staged_site, version / "site")
        else:
            _carry_site(out / CURRENT / "site", version / "site")
        os.rename(staged_docs, version / "docs")
        for folder in (version, version / "docs", version / "site"):
            if folder.is_dir():
                os.chmod(folder, 0o755)  # readable like any folder (mkdtemp makes them private)
        _link_outputs(root, legacy=False)  # missing links, which show the current version
        _switch(out, version.name)  # the one step
    except BaseException:
        discard(version)  # not switched in: the previous version stays current
        raise
    finally:
        _IN_FLIGHT.difference_update(os.path.abspath(path) for path in (staged_docs, staged_site, version) if path)
    try:
        _link_outputs(root, legacy=True)  # refreshed (a change MkDocs's live reload sees); real folders replaced
        remove_leftovers(root)
    except OSError as exc:
        raise AfterSwitchError(f"the new pages and site were switched in, but {exc.filename or 'a file'} "
                               f"could not be replaced by a link into .build/out/current: {exc.strerror}") from None


def _switch(out: Path, version: str) -> None:
    tmp = out / f".current-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(version, tmp)
    os.replace(tmp, out / CURRENT)


def _outputs(root: Path) -> list[tuple[Path, Path]]:
    """(link, what it leads to) for every generated name of docs/ and for site/."""
    current = root / OUT / CURRENT
    pairs = [(root / "docs" / name, current / "docs" / name) for name in GENERATED]
    return pairs + [(root / "site", current / "site")]


def _link_outputs(root: Path, legacy: bool) -> None:
    """Make every output name a link into the current version. Before the switch only missing
    ones are made; after it every link is made anew (atomically) and a real folder or file
    left by an older builder is replaced."""
    for link, target in _outputs(root):
        relative = os.path.relpath(target, link.parent)
        is_link = link.is_symlink()
        exists = is_link or os.path.lexists(link)
        if not legacy and exists:
            continue
        if is_link and os.readlink(link) == relative:  # right already: made anew only as a nudge
            try:
                _make_link(link, relative)
            except OSError:  # a read-only docs/: the link is right, nothing is lost
                pass
            continue
        link.parent.mkdir(parents=True, exist_ok=True)
        if exists and not is_link:  # a real folder of an older layout: moved away first
            trash = Path(tempfile.mkdtemp(prefix=f"old-{os.getpid()}-", dir=root / STAGING))
            os.rename(link, trash / "old")
        _make_link(link, relative)


def _make_link(link: Path, relative: str) -> None:
    """Put a symbolic link at ``link`` in one step (made beside it, then renamed over it)."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.link")
    tmp.unlink(missing_ok=True)
    os.symlink(relative, tmp)
    try:
        os.replace(tmp, link)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def _carry_site(previous: Path, target: Path) -> None:
    """The previous version's site, hard-linked into a new version (a build without a site)."""
    if previous.is_dir():
        shutil.copytree(previous, target, copy_function=_link_or_copy, symlinks=True)


_IN_FLIGHT: set[str] = set()  # staging folders and versions of builds running in this process


def _folder(prefix: str, parent) -> str:
    """A new staging folder or version named with this process's id (``docs-<pid>-…``), which
    ``remove_leftovers`` leaves alone while the build that made it runs."""
    path = os.path.abspath(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    _IN_FLIGHT.add(path)
    return path


def remove_leftovers(root: Path) -> None:
    """Remove staging folders (``.build/docs-*``, ``site-*``, ``old-*``) and versions that no
    running build owns: this process's, those of builds that were killed. The current version
    and the folders of other running builds (their process id in the name) stay."""
    staging = root / STAGING
    current = _current_version(root)
    for folder, prefixes in ((staging, ("docs-", "site-", "old-")), (root / OUT, ("v-", ".current-"))):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.startswith(prefixes) and name != current and not _owned_by_other_build(name) \
                    and os.path.abspath(os.path.join(folder, name)) not in _IN_FLIGHT:
                _remove(folder / name)


def _current_version(root: Path) -> str | None:
    try:
        return os.readlink(root / OUT / CURRENT)
    except OSError:
        return None


def _owned_by_other_build(name: str) -> bool:
    """True when the process whose id the name carries (``docs-<pid>-…``) is another one that
    is still running."""
    parts = name.lstrip(".").split("-")
    if len(parts) < 2 or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def discard(*paths: Path | None) -> None:
    """Remove staging folders of a build that failed."""
    for path in paths:
        if path is not None:
            _IN_FLIGHT.discard(os.path.abspath(path))
            _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        path.unlink(missing_ok=True)
