"""MkDocs hook: write Material's search index as UTF-8 instead of ``\\uXXXX`` escapes.

Material's search plugin writes ``search/search_index.json`` with Python's default
``ensure_ascii``, so every Chinese character (and every U+200B word separator jieba adds) takes
six bytes. Written again as UTF-8 the same JSON takes three per character: the index every reader
downloads shrinks by about 40 %. Registered under ``hooks:`` in mkdocs.yml, which runs it after
the plugins, so the index is already written when ``on_post_build`` gets here.
"""

from __future__ import annotations

import json
import os


def on_post_build(config, **kwargs) -> None:
    path = os.path.join(config["site_dir"], "search", "search_index.json")
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:  # search disabled
        return
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
