"""MkDocs hook: the site settings the builder generates with the pages, read from docs/.

``python -m builder build`` (and ``serve``, and a plain ``mkdocs build`` after either) writes,
with the pages, ``docs/assets/generated/nav.json``: the navigation (home, the documents by
title, each section's index page; the hundreds of glossary, author and work pages stay out of
the sidebar). Used when mkdocs.yml sets no ``nav`` of its own. It is read from the docs folder
MkDocs is given, so a staged build reads its own.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.plugins import event_priority

GENERATED = Path("assets") / "generated"
NAV_FILE = GENERATED / "nav.json"


@event_priority(100)
def on_config(config, **kwargs):
    nav = Path(config["docs_dir"]) / NAV_FILE
    if config["nav"] is None and nav.is_file():
        config["nav"] = json.loads(nav.read_text(encoding="utf-8"))
    return config
