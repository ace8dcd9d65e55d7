"""``python -m builder serve``: live-reloading preview that also rebuilds on corpus changes.

MkDocs' own server watches ``docs/`` and reloads the browser; this module adds a watchdog
observer on ``corpus/`` (and the builder's own sources) that regenerates the pages in ``docs/``
whenever a source text, a metadata file, the glossary or the chrome rules change. A bad edit
prints the builder's error and keeps serving the last good pages. The navigation and the search
dictionary are written with the pages (docs/assets/generated/) and read by MkDocs through
hooks/generated_settings.py, so the served site is organised like the built one.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .errors import BuilderError, ConfigError

DEBOUNCE_SECONDS = 0.4
# Only changes count: watchdog also reports opens and closes, which the build itself causes.
CHANGE_EVENTS = {"created", "modified", "deleted", "moved"}


def regenerate(root: Path) -> bool:
    """Rewrite the generated pages in docs/ (no site). True on success; errors are printed."""
    from . import pipeline

    try:
        pipeline.run(pipeline.Options(root, render_site=False))
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return False
    except BuilderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    print("pages regenerated from corpus/", file=sys.stderr)
    return True


class _CorpusHandler(FileSystemEventHandler):
    """Debounced: a burst of events (an editor saving) triggers one regeneration."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGE_EVENTS or event.is_directory or "__pycache__" in str(event.src_path):
            return
        with self.lock:
            if self.timer:
                self.timer.cancel()
            self.timer = threading.Timer(DEBOUNCE_SECONDS, regenerate, args=(self.root,))
            self.timer.daemon = True
            self.timer.start()


def watch_corpus(root: Path) -> Observer:
    observer = Observer()
    handler = _CorpusHandler(root)
    observer.schedule(handler, str(root / "corpus"), recursive=True)
    observer.daemon = True
    observer.start()
    return observer


def serve_address(dev_addr: str) -> str:
    """The address a reader opens, with the site's path (MkDocs serves under site_url's path)."""
    host, _, port = dev_addr.rpartition(":")
    return f"http://{host or '127.0.0.1'}:{port}/"


def serve(root: Path, dev_addr: str = "127.0.0.1:8000") -> int:
    from mkdocs.commands import serve as mkdocs_serve

    if not regenerate(root):
        print("fix the errors above; serving needs one good build of the pages", file=sys.stderr)
        return 1
    observer = watch_corpus(root)
    print(f"serving the site at {serve_address(dev_addr)} (editing corpus/ regenerates the pages; "
          f"Ctrl+C stops)", file=sys.stderr, flush=True)
    try:
        mkdocs_serve.serve(config_file=str(root / "mkdocs.yml"), livereload=True, dev_addr=dev_addr)
    finally:
        observer.stop()
        time.sleep(0.1)
    return 0
