"""Write constraints.txt: every package the project needs (its dependencies and the "test"
extra, with all of theirs), pinned to the version installed in this environment.

    python scripts/constraints.py          # rewrite constraints.txt
    python scripts/constraints.py --check  # exit 1 when constraints.txt differs from it

scripts/test.sh and scripts/build.sh (and so CI) install with ``-c constraints.txt``. To move
to newer versions: install them (``pip install -U -e '.[test]'``), run the tests, then run
this script and commit constraints.txt.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

EXTRAS = ("test",)
OUT = Path(__file__).resolve().parent.parent / "constraints.txt"
HEADER = ("# Versions CI and scripts/*.sh install (pip install -c constraints.txt): the project's\n"
          "# dependencies and those of its 'test' extra, with all of theirs. Made by\n"
          "# scripts/constraints.py from an environment where the tests pass; see the README.\n")


def project_requirements() -> list[str]:
    """The dependencies pyproject.toml names (not the installed metadata, which may be older)."""
    project = tomllib.loads((OUT.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    return list(project["dependencies"]) + [text for extra in EXTRAS for text in extras.get(extra, [])]


def closure() -> dict[str, str]:
    """canonical name -> installed version of every distribution the project needs."""
    pinned: dict[str, str] = {}
    pending: list[tuple[str | None, tuple]] = [(None, ())]
    while pending:
        name, extras = pending.pop()
        texts = project_requirements() if name is None else (metadata.distribution(name).requires or [])
        for text in texts:
            requirement = Requirement(text)
            if requirement.marker and not any(requirement.marker.evaluate({"extra": extra})
                                              for extra in (*extras, "")):
                continue
            key = canonicalize_name(requirement.name)
            try:
                version = metadata.version(requirement.name)
            except metadata.PackageNotFoundError:
                sys.exit(f"{requirement.name} is required but not installed: pip install -e '.[test]' first")
            seen = key in pinned
            pinned[key] = version
            if not seen or requirement.extras:
                pending.append((requirement.name, tuple(requirement.extras)))
    return dict(sorted(pinned.items()))


def render() -> str:
    return HEADER + "".join(f"{name}=={version}\n" for name, version in closure().items())


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print("constraints.txt differs from the installed versions: run python scripts/constraints.py",
                  file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.name}: {text.count('==')} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
