"""MkDocs hook: the site search's index, written while MkDocs renders the pages.

Each rendered page goes to Pagefind at once (builder/search.py, StreamIndexer), which reads and
segments it on another core while MkDocs renders the next; after the last page only the writing
of the index is left, done here (on_post_build). ``python -m builder build`` then takes that
index (builder/search.py, index_site) and adds the exact-names table; for ``python -m builder
serve`` (``mkdocs serve``) this hook does that itself, so search works in the preview too.

Without Node or Pagefind's Node API (or with LIBRARY_SEARCH_STREAM=0) nothing is done while
rendering: the builder runs Pagefind's command line on the finished site instead.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.pagefind_serve")
_state: dict = {"command": "", "indexer": None}


def on_startup(command, dirty=False, **kwargs):
    _state["command"] = command


def on_pre_build(config, **kwargs):
    from builder import search
    from builder.errors import RenderError

    _state["indexer"] = None
    root = Path(config["config_file_path"]).parent
    if not search.can_stream(root):
        return
    try:
        _state["indexer"] = search.StreamIndexer(Path(config["site_dir"]), root)
    except RenderError as exc:  # the site is indexed once rendered instead
        log.info("search not indexed while rendering: %s", exc)


def on_post_page(output, page, config, **kwargs):
    if _state["indexer"] is not None:
        _state["indexer"].add(page.file.dest_uri, output)
    return output


def on_post_build(config, **kwargs):
    from builder import search
    from builder.errors import RenderError

    indexer, _state["indexer"] = _state["indexer"], None
    site = Path(config["site_dir"])
    try:
        if indexer is not None:
            indexer.finish()
        if _state["command"] == "serve":  # the builder indexes the sites it builds itself
            search.index_site(site, Path(config["config_file_path"]).parent)
    except RenderError as exc:  # the preview still serves the pages, without search; a build retries
        log.error("search not indexed: %s", exc)


def on_build_error(error, **kwargs):
    indexer, _state["indexer"] = _state["indexer"], None
    if indexer is not None:
        indexer.abort()
