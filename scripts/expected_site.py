"""Regenerate the whole-site expected tree: every page the builder generates for the seed corpus.

    python scripts/expected_site.py        # rewrite tests/expected/seed-site/ from corpus/
    git diff --stat tests/expected/        # review what a change did to every page

tests/test_expected_site.py builds the corpus the same way and fails on any page that differs, is
missing or is new. The builder runs without its cache and without MkDocs (pages only), so the tree
is what the stages make, whatever a previous build left behind.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXPECTED = REPO / "tests" / "expected" / "seed-site"


def generated_pages(root: Path = REPO) -> dict[str, str]:
    """Site path -> text of every page and file the builder generates for ``root``'s corpus."""
    sys.path.insert(0, str(REPO))
    from builder import pipeline

    result = pipeline.run(pipeline.Options(root, render_site=False, write_pages=False, use_cache=False))
    return {**result.pages, **result.files}


def main() -> None:
    pages = generated_pages()
    shutil.rmtree(EXPECTED, ignore_errors=True)
    for rel, text in sorted(pages.items()):
        path = EXPECTED / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    print(f"{len(pages)} pages written to {EXPECTED.relative_to(REPO)}")


if __name__ == "__main__":
    main()
