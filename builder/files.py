"""Reading the corpus's files safely: only regular files inside ``corpus/`` are ever read.

A source text, a metadata file, ``glossary.yml`` or ``chrome.yml`` that is a symbolic link
leading out of ``corpus/`` (``ln -s /etc/passwd corpus/zz.txt`` would publish the build
machine's files), a link that leads nowhere (a loop, a missing target), a folder, a FIFO (which
would block the build forever), a socket or a device is refused with one line naming the file.
A link to another file inside ``corpus/`` is followed. Files are opened without blocking and
checked again once open, so a file swapped for a FIFO after the check cannot hang the build.
This module only reads.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import SourceError


def problem(path: Path, corpus: Path) -> str | None:
    """Why ``path`` (an entry of ``corpus``) may not be read, or None when it is a regular file
    inside ``corpus`` (itself, or through links that stay inside)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as exc:
        return f"cannot read it: {exc.strerror}"
    if stat.S_ISLNK(mode):
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
            return "symbolic link that leads nowhere (a loop or a missing target)"
        if not target.is_relative_to(corpus.resolve()):
            return "symbolic link to a file outside corpus/; put the file itself into corpus/"
        try:
            mode = os.stat(target).st_mode
        except OSError as exc:
            return f"cannot read it: {exc.strerror}"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a FIFO, socket or device); only plain files are read"
    return None


def read_bytes(path: Path, corpus: Path, where: str) -> bytes:
    """The bytes of a file of the corpus. Raises SourceError naming ``where`` (the path as the
    user knows it) when the file may not be read (see ``problem``) or reading it fails."""
    why = problem(path, corpus)
    if why:
        raise SourceError(where, why)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise SourceError(where, f"cannot read it: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the check
            raise SourceError(where, "is not a regular file (a FIFO, socket or device); only plain files are read")
        try:
            return handle.read()
        except OSError as exc:
            raise SourceError(where, f"cannot read it: {exc.strerror}") from None


def read_text(path: Path, corpus: Path, where: str, encoding: str = "utf-8-sig") -> str:
    """A YAML or other text file of the corpus, decoded. Raises SourceError naming the file and
    the line of the first byte that is not ``encoding``."""
    data = read_bytes(path, corpus, where)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(where, "not UTF-8 text (save it as UTF-8)", line) from None


def exists(path: Path) -> bool:
    """True when there is anything at ``path``, even a link that leads nowhere."""
    return os.path.lexists(path)
