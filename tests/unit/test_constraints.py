"""constraints.txt (what CI installs) agrees with pyproject.toml: every pin satisfies the bounds
pyproject.toml sets, so `pip install -c constraints.txt -e '.[test]'` can resolve."""

from __future__ import annotations

import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tinyproject import REPO


def pins() -> dict[str, str]:
    out = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            out[canonicalize_name(name)] = version
    return out


def test_every_pin_satisfies_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pinned = pins()
    for text in project["dependencies"] + project["optional-dependencies"]["test"]:
        requirement = Requirement(text)
        version = pinned.get(canonicalize_name(requirement.name))
        if version is not None:
            assert requirement.specifier.contains(version, prereleases=True), \
                f"constraints.txt pins {requirement.name}=={version}, pyproject.toml asks {requirement}: " \
                f"run python scripts/constraints.py"


def test_the_build_and_test_scripts_install_with_the_constraints():
    for script in ("scripts/test.sh", "scripts/build.sh"):
        assert "-c constraints.txt" in (REPO / script).read_text(encoding="utf-8")
