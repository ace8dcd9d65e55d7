"""MkDocs hook: the site settings the builder generates with the pages, read from docs/.

``python -m builder build`` (and ``serve``, and a plain ``mkdocs build`` after either) writes,
with the pages, into ``docs/assets/generated/``:

- ``nav.json``: the navigation (home, the documents by title, each section's index page; the
  hundreds of glossary, author and work pages stay out of the sidebar). Used when mkdocs.yml
  sets no ``nav`` of its own;
- ``jieba_user_dict.txt``: the glossary's words, handed to Material's search plugin
  (``jieba_dict_user``) so that every glossary term is one search token.

Both are read from the docs folder MkDocs is given, so a staged build reads its own. The hook
runs before the plugins' ``on_config`` (the search plugin loads the dictionary there).
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.plugins import event_priority

GENERATED = Path("assets") / "generated"
NAV_FILE = GENERATED / "nav.json"
JIEBA_DICT = GENERATED / "jieba_user_dict.txt"


@event_priority(100)
def on_config(config, **kwargs):
    docs = Path(config["docs_dir"])
    nav = docs / NAV_FILE
    if config["nav"] is None and nav.is_file():
        config["nav"] = json.loads(nav.read_text(encoding="utf-8"))
    dictionary = docs / JIEBA_DICT
    for name, plugin in config["plugins"].items():
        options = getattr(plugin, "config", None)
        if name.endswith("search") and options is not None and "jieba_dict_user" in options:
            if not options["jieba_dict_user"] and dictionary.is_file():
                options["jieba_dict_user"] = str(dictionary)
    return config
