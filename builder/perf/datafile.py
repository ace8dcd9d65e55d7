"""Data kept between builds in a fast form (jieba's dictionary, the bilingual lexicon): one pickle
per file, read with the garbage collector paused (hundreds of thousands of new strings: collecting
meanwhile only costs time) and written atomically. A file that is absent, damaged or cannot be
written only costs time: the caller reads the package's own files instead."""

from __future__ import annotations

import gc
import os
import pickle
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def collection_paused():
    """The garbage collector off for the block (as it was before, after it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(path: Path | None):
    """The value pickled in ``path``; None when there is no path or no usable file."""
    if path is None:
        return None
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # absent, damaged or outdated
        return None


def save(path: Path | None, value) -> None:
    """Pickle ``value`` into ``path`` atomically (a reader sees the old file or the new one)."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except OSError:
        pass
