"""The whole-site expected tree: the pages of the seed build, byte for byte.

A change to any stage that alters a generated page fails here with the page's name and a diff.
When the change is intended, regenerate the tree with ``python scripts/expected_site.py`` and
review ``git diff tests/expected/`` as part of the change.
"""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXPECTED = REPO / "tests" / "expected" / "seed-site"


def _script():
    spec = importlib.util.spec_from_file_location("expected_site", REPO / "scripts" / "expected_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_build_matches_the_expected_tree():
    pages = _script().generated_pages(REPO)
    expected = {path.relative_to(EXPECTED).as_posix(): path.read_text(encoding="utf-8")
                for path in EXPECTED.rglob("*") if path.is_file()}
    assert len(expected) > 100, "the expected tree is missing: run python scripts/expected_site.py"
    missing = sorted(set(expected) - set(pages))
    new = sorted(set(pages) - set(expected))
    changed = sorted(rel for rel in set(pages) & set(expected) if pages[rel] != expected[rel])
    report = []
    for rel in changed[:3]:
        diff = difflib.unified_diff(expected[rel].splitlines(), pages[rel].splitlines(),
                                    f"expected/{rel}", f"built/{rel}", lineterm="", n=1)
        report.append("\n".join(list(diff)[:40]))
    assert not (missing or new or changed), (
        f"pages missing: {missing[:10]}; new: {new[:10]}; changed ({len(changed)}): {changed[:10]}\n"
        + "\n".join(report) + "\nIf intended: python scripts/expected_site.py, then review git diff tests/expected/")
