"""The build report: per-document figures, conservation, dropped chrome, warnings.

Written as ``site/build-report.json`` for tools and CI, printed by ``check``, and rendered as
the site page ``report.md`` for editors and preview reviewers.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict

from .chinese import FULLWIDTH_ASCII
from .diagnostics import SOURCE_FACTS, Diagnostics, label
from .models import Document, Library, Link, leaf_blocks
from .readers import CONTENT
from .render import escape

# Width is normalised on purpose (repaired URLs use ASCII '.', '/'): count full-width forms as ASCII.
_FOLD_WIDTH = FULLWIDTH_ASCII


class Timer:
    """Seconds per stage of one build, for the report (``timings``)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def add(self, name: str, seconds: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + seconds


def conservation(doc: Document) -> tuple[int, int, int]:
    """(characters in the source, placed on the page, dropped as listed chrome).

    Whitespace does not count. Characters are counted as a multiset, so a character moved (a
    sentence re-joined across a note block) still counts; one lost does not. A character counts
    as dropped only when the page does not show it: chrome is never counted as placed, so a rule
    that drops article text shows up as dropped text (listed with its line), not as placed.
    """
    source = _counts(_countable_source(doc))
    unplaced = _missing(source, _counts(_page_text(doc)))
    lost = _missing(unplaced, _counts(_chrome_text(doc)))
    total = sum(source.values())
    not_on_page = sum(unplaced.values())
    return total, total - not_on_page, not_on_page - sum(lost.values())


def lost_characters(doc: Document) -> dict[str, int]:
    """Characters of the source neither shown on the page nor listed as dropped chrome."""
    source = _counts(_countable_source(doc))
    return _missing(_missing(source, _counts(_page_text(doc))), _counts(_chrome_text(doc)))


def _missing(source: dict[str, int], have: dict[str, int]) -> dict[str, int]:
    return {c: n - have.get(c, 0) for c, n in source.items() if n > have.get(c, 0)}


def _countable_source(doc: Document) -> str:
    return _content(doc)(doc.source_text)


def _content(doc: Document):
    """What of this document's source text counts (a reader's markup does not): readers.CONTENT."""
    return CONTENT.get(doc.meta.reader, _as_is)


def _as_is(text: str) -> str:
    return text


def _page_text(doc: Document) -> str:
    items = [item for section in doc.backmatter for item in section.items]
    blocks = list(leaf_blocks(doc.blocks)) + items
    placed = [b.text for b in blocks]
    placed += [node.url + node.title for b in blocks for node in b.inlines if isinstance(node, Link)]
    placed += [n.label + n.text for n in doc.notes]
    placed += [node.url for n in doc.notes for node in n.inlines if isinstance(node, Link)]
    placed += [s.title for s in doc.backmatter]
    placed += doc.metadata_lines
    return "".join(placed)


def _chrome_text(doc: Document) -> str:
    content = _content(doc)
    return "".join(content(c.text) for c in doc.chrome)


def _counts(text: str) -> dict[str, int]:
    # Counter counts in C; full-width forms are folded afterwards, in the few distinct characters
    # rather than the whole text. The result: first-occurrence order, whitespace left out.
    counts: dict[str, int] = {}
    for c, n in Counter(text).items():
        if not c.isspace():
            c = chr(_FOLD_WIDTH.get(ord(c), ord(c)))
            counts[c] = counts.get(c, 0) + n
    return counts


def count_conservation(doc: Document) -> None:
    """Fill the conservation figures of ``doc.stats`` (done once per document, after footnotes;
    later stages only split text into links, which keeps every character)."""
    doc.stats.chars_in, doc.stats.chars_placed, doc.stats.chars_chrome = conservation(doc)
    doc.stats.conservation_counted = True


def document_figures(doc: Document) -> dict:
    if not doc.stats.conservation_counted:
        count_conservation(doc)
    chars_in, placed, dropped = doc.stats.chars_in, doc.stats.chars_placed, doc.stats.chars_chrome
    figures = asdict(doc.stats)
    figures.pop("conservation_counted")
    figures["chars_lost"] = chars_in - placed - dropped
    figures["placed_percent"] = round(100 * placed / chars_in, 3) if chars_in else 100.0
    # accounted for: shown on the page or listed as dropped chrome
    figures["conserved_percent"] = round(100 * (placed + dropped) / chars_in, 3) if chars_in else 100.0
    figures["note_style"] = doc.note_style
    figures["notes"] = len(doc.notes)
    return figures


def build_report(library: Library, diag: Diagnostics, timings: dict[str, float] | None = None) -> dict:
    documents = []
    for doc in library.documents:
        documents.append({
            "id": doc.meta.id,
            "title": doc.meta.title_zh,
            "source": doc.meta.text_path,
            "figures": document_figures(doc),
            "chrome": [{"line": c.line, "text": c.text, "reason": c.reason} for c in doc.chrome],
        })
    totals: dict[str, float] = {}
    for entry in documents:
        for key, value in entry["figures"].items():
            if isinstance(value, int):
                totals[key] = totals.get(key, 0) + value
    accounted = totals.get("chars_placed", 0) + totals.get("chars_chrome", 0)
    totals["conserved_percent"] = round(100 * accounted / totals["chars_in"], 3) if totals.get("chars_in") else 100.0
    totals["placed_percent"] = round(100 * totals.get("chars_placed", 0) / totals["chars_in"], 3) \
        if totals.get("chars_in") else 100.0
    return {
        "documents": documents,
        "totals": totals,
        "glossary": library.glossary_figures,
        "warnings": [{"code": w.code, "location": w.location, "message": w.message} for w in diag.warnings],
        "warning_counts": diag.by_code(),
        "timings": timings or {},
    }


COLUMNS = [
    ("paragraphs", "段落"), ("headings", "标题"), ("chars_in", "原文字符"), ("chars_placed", "页面显示"),
    ("chars_chrome", "作为杂项删除"), ("chars_lost", "丢失"), ("conserved_percent", "显示或列出%"),
    ("markers_found", "注释标记"),
    ("markers_resolved", "已解析"), ("missing_notes", "缺注释正文"), ("orphan_notes", "无标记注释"),
    ("crossrefs_resolved", "注释互引"), ("terms_linked", "术语链接"),
]


MAX_LISTED = 50


def report_text(report: dict) -> str:
    """The report as a plain-text table for the terminal."""
    head = ["document"] + [key for key, _ in COLUMNS]
    rows = [[d["id"]] + [str(d["figures"].get(k, "")) for k, _ in COLUMNS] for d in report["documents"]]
    rows.append(["TOTAL"] + [str(report["totals"].get(k, "")) for k, _ in COLUMNS])
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in [head] + rows]
    lines.append(f"warnings: {len(report['warnings'])} " + (str(report["warning_counts"]) if report["warnings"] else ""))
    facts: dict[tuple[str, str], list[str]] = {}
    actionable = []
    for w in report["warnings"]:
        if w["code"] in SOURCE_FACTS:
            path, _, line = w["location"].rpartition(":")
            facts.setdefault((path or w["location"], w["code"]), []).append(line)
        else:
            actionable.append(w)
    for w in actionable[:MAX_LISTED]:
        lines.append(f"  {w['location']}: [{w['code']}] {w['message']}")
    if len(actionable) > MAX_LISTED:
        lines.append(f"  … {len(actionable) - MAX_LISTED} more (python -m builder check --json lists all)")
    for (path, code), where in sorted(facts.items()):
        shown = ", ".join(where[:12]) + (" …" if len(where) > 12 else "")
        lines.append(f"  {path}: [{code}] {len(where)} in the source (lines {shown}); shown on the page, not fixable")
    return "\n".join(lines)


GLOSSARY_LABELS = {
    "candidates": "抽取的术语对", "by_rule": "按规则", "stopped": "被停用表排除", "curated": "编者条目",
    "merged_groups": "合并的别名组", "entries": "条目", "by_kind": "按类别",
}


def _figure(value) -> str:
    if isinstance(value, dict):
        return "、".join(f"{escape(str(k))} {v}" for k, v in value.items())
    return escape(str(value))


def _figures_table(report: dict, columns: list[tuple[str, str]]) -> str:
    head = "| 文献 | " + " | ".join(label for _, label in columns) + " |"
    sep = "|" + "---|" * (len(columns) + 1)
    rows = [f"| [{escape(d['title'])}](documents/{d['id']}.md) | "
            + " | ".join(str(d["figures"].get(k, "")) for k, _ in columns) + " |" for d in report["documents"]]
    rows.append("| **合计** | " + " | ".join(str(report["totals"].get(k, "")) for k, _ in columns) + " |")
    return "\n".join([head, sep, *rows])


def _code_span(text: str) -> str:
    """Text shown literally (a file:line): a code span, which Markdown does not unescape."""
    return f"`` {text.replace('`', '')} ``"


def report_page(report: dict) -> str:
    """The report as a Markdown page of the site."""
    # Out of search: figures and warnings, and dropped page chrome that is no reading matter.
    out = ["---\ntitle: 构建报告\nsearch:\n  exclude: true\n---", "# 构建报告",
           "每次构建自动生成：各文献的段落、标题、字符安置（守恒检查）、注释解析与术语链接数字，"
           "以及被移除的页面杂项和全部警告。机器可读版本见 `build-report.json`。"]
    out.append("## 文字与守恒")
    out.append(_figures_table(report, COLUMNS[:7]))
    out.append("## 注释与术语")
    out.append(_figures_table(report, COLUMNS[7:]))
    if report.get("glossary"):
        out.append("## 术语表\n\n" + "\n".join(f"- {GLOSSARY_LABELS.get(k, escape(str(k)))}：{_figure(v)}"
                                            for k, v in report["glossary"].items()))
    out.append("## 移除的页面杂项")
    for d in report["documents"]:
        if d["chrome"]:
            out.append(f"### {escape(d['title'])}\n\n" + "\n".join(
                f"- 第 {c['line']} 行（{escape(c['reason'])}）：`{c['text'][:200].replace('`', '')}`"
                for c in d["chrome"]))
    out.append(f"## 警告（{len(report['warnings'])}）")
    if report["warning_counts"]:
        out.append("\n".join(f"- {label(code)}：{n} 条（`{code}`）" for code, n in report["warning_counts"].items()))
    out.append("\n".join(f"- {_code_span(w['location'])} {label(w['code'])}：{escape(w['message'])}（`{w['code']}`）"
                         for w in report["warnings"]) or "没有警告。")
    return "\n\n".join(out) + "\n"
