"""MkDocs hook: the site search for ``python -m builder serve`` (``mkdocs serve``).

``python -m builder build`` indexes the site it renders itself (builder/pipeline.py calls
builder/search.py). The served site is rendered by ``mkdocs serve`` into a folder of its own on
every reload; this hook runs the same indexing there, so search works in the preview too. Other
commands (``mkdocs build`` alone) are left as they are: the builder indexes the site afterwards.
"""

from __future__ import annotations

import logging
from pathlib import Path

_command = {"name": ""}


def on_startup(command, dirty=False, **kwargs):
    _command["name"] = command


def on_post_build(config, **kwargs):
    if _command["name"] != "serve":
        return
    from builder import search
    from builder.errors import RenderError

    try:
        search.index_site(Path(config["site_dir"]), Path(config["config_file_path"]).parent)
    except RenderError as exc:  # the preview still serves the pages, without search
        logging.getLogger("mkdocs.hooks.pagefind_serve").error("search not indexed: %s", exc)
