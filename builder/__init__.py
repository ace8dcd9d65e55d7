"""Builder: turns the corpus of source texts into Markdown pages and a MkDocs site."""

__version__ = "0.1.0"
