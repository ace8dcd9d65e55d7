"""Warnings with a code, a location and a message an editor can act on.

Codes are dotted categories (``footnote.missing-note``, ``normalize.private-use``) so a
reader of the build report can filter them; ``--strict`` turns any warning into a failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Warning_:
    code: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: [{self.code}] {self.message}"


# Findings about the source itself (a marker whose note the source lacks): reported and shown,
# but not something an editor can fix, so --strict does not fail on them.
SOURCE_FACTS = {"footnote.missing-note", "footnote.orphan-note"}


@dataclass
class Diagnostics:
    warnings: list[Warning_] = field(default_factory=list)

    def warn(self, code: str, location: str, message: str) -> None:
        self.warnings.append(Warning_(code, location, message))

    def extend(self, other: "Diagnostics") -> None:
        self.warnings.extend(other.warnings)

    def actionable(self) -> list[Warning_]:
        """Warnings an editor can act on (what --strict fails on)."""
        return [w for w in self.warnings if w.code not in SOURCE_FACTS]

    def by_code(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for w in self.warnings:
            counts[w.code] = counts.get(w.code, 0) + 1
        return dict(sorted(counts.items()))
