"""No two builder modules import each other (directly, at any place in the module)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "builder"


def imports_of(path: Path) -> set[str]:
    """The builder modules a module imports, as dotted names relative to the package."""
    package = path.parent.relative_to(PACKAGE).parts
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[:len(package) - (node.level - 1)])
            target = base + (node.module.split(".") if node.module else [])
            names = [".".join(target)] if node.module else []
            names += [".".join(target + [alias.name]) for alias in node.names]
            out.update(n for n in names if n and _module(n))
    return out


def _module(dotted: str) -> bool:
    parts = dotted.split(".")
    return (PACKAGE.joinpath(*parts).with_suffix(".py")).is_file() or (PACKAGE.joinpath(*parts) / "__init__.py").is_file()


# Pairs that still import each other (the architecture issue): the list may only shrink.
KNOWN: set[tuple[str, str]] = set()


def test_no_two_modules_import_each_other():
    modules = {".".join(p.relative_to(PACKAGE).with_suffix("").parts): p for p in PACKAGE.rglob("*.py")}
    graph = {name: {i for i in imports_of(path) if i != name} for name, path in modules.items()}
    pairs = sorted({tuple(sorted((a, b))) for a, targets in graph.items() for b in targets
                    if a in graph.get(b, set()) and not a.endswith("__init__") and not b.endswith("__init__")})
    assert set(pairs) <= KNOWN, f"modules importing each other: {sorted(set(pairs) - KNOWN)}"
