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


# What each code means, for the Chinese report page (the code itself stays for tools).
LABELS = {
    "footnote.missing-note": "注释缺正文：原文有注号而无注释正文",
    "footnote.orphan-note": "注释无注号：原文有注释正文而正文中找不到注号",
    "normalize.private-use": "未映射的替代字形：请在元数据 private_use 中补充",
    "structure.empty": "未读出任何段落",
    "crosslink.unknown-related": "元数据 related 指向不存在的文献",
    "quality.few-paragraphs": "段落过少：分段可能丢失",
    "quality.orphan-notes": "无注号的注释过多：正文可能被当作注释",
    "quality.unresolved-markers": "注号与注释全未对上",
    "quality.repeated-lines": "正文中反复出现的短行：可能是页眉页脚",
}


def label(code: str) -> str:
    """The Chinese description of a warning code (its category for codes not listed)."""
    return LABELS.get(code) or {"footnote": "注释", "normalize": "字符规范化", "structure": "结构",
                                "crosslink": "交叉链接", "quality": "读取质量"}.get(code.split(".")[0], "其他") + "警告"


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
