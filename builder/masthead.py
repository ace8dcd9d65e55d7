"""What the source's own front matter says, as labelled fields of the page's header block.

Readers keep the lines a page header should show (``Document.metadata_lines``): bylines,
keywords, author notes, classification codes, running heads. This module files each line under
the label it is printed with ("关键词：…", "［作者简介］…", "Keywords: …"), named as printed; a line without a label
continues the field above it (a wrapped author note). A running head ("| 106 | 《某刊》
2023 年第 10 期") becomes the field 刊期 with the journal, year, issue and page it gives. Lines that
match nothing stay together under 原文页眉, as printed. Nothing is dropped: every line's text is
in some field.
"""

from __future__ import annotations

import re

# label as printed (optionally bracketed, letter-spaced) -> the field it fills
LABELS = {
    "关键词": "关键词", "关键字": "关键词", "keywords": "关键词", "key words": "关键词",
    "作者简介": "作者简介", "作者": "署名", "通讯作者": "作者简介",
    "中图分类号": "分类号", "文献标识码": "文献标识码", "文章编号": "文章编号", "doi": "DOI",
    "基金项目": "基金项目", "项目基金": "基金项目", "收稿日期": "收稿日期", "修回日期": "收稿日期",
    "责任编辑": "责任编辑", "截稿": "责任编辑",
}
_LABEL = re.compile(r"^[\[【［〔(（]?\s*((?:[\u4e00-\u9fff]\s*){2,5}|key\s*words|keywords|doi)\s*[\]】］〕)）]?\s*[：:]?\s*(.*)$",
                    re.I)
_ISSUE = re.compile(r"《?(?P<journal>[^《》|\d\s][^《》|\d]{1,30}?)》?\s*(?P<year>\d{4})\s*年\s*第\s*(?P<issue>\d{1,3})\s*期")
_PAGE = re.compile(r"(?<![\d年期])\b(\d{1,4})\b(?![\d年期])")
OTHER = "原文页眉"


def header_fields(lines: list[str], title: str = "") -> list[tuple[str, str]]:
    """(field, text) pairs in the order first met; texts of one field joined with " / "."""
    fields: dict[str, list[str]] = {}
    current = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        field, text = _labelled(line)
        if field:
            current = field
        elif _ISSUE.search(line):
            field, text, current = "刊期", _issue_text(line), ""
        elif current and _continues(fields[current][-1]):
            field, text = current, line
        else:
            field, text, current = OTHER, line, ""
        fields.setdefault(field, []).append(text)
    return [(field, " / ".join(texts) if field == OTHER else " ".join(texts) if LABELS.get(_key(field)) == "关键词"
             else _join(texts)) for field, texts in fields.items()]


def _key(label: str) -> str:
    return re.sub(r"\s+", "", label).lower()


def _labelled(line: str) -> tuple[str, str]:
    match = _LABEL.match(line)
    if not match:
        return "", line
    label = re.sub(r"\s+", " ", match.group(1)).strip().lower().replace(" ", "") if match.group(1).isascii() \
        else re.sub(r"\s+", "", match.group(1))
    field = next((LABELS[label[:n]] for n in range(len(label), 1, -1) if label[:n] in LABELS), "")
    if field == "责任编辑":
        return field, line
    if not field or label not in LABELS:  # a label runs into the text ("责任编辑 周九")
        return "", line
    if not field or (not match.group(2) and field != "责任编辑" and not line.rstrip().endswith(("：", ":", "］", "】"))):
        return "", line
    if field == "责任编辑":
        return field, line
    # the label as printed names the field ("中图分类号", "Key words"): no character is lost
    return re.sub(r"\s+", "" if not label.isascii() else " ", match.group(1)).strip(), match.group(2)


def _continues(previous: str) -> bool:
    """A line continues the field above unless that one ended a sentence or a list."""
    return not previous.rstrip().endswith(("。", ".", "）", ")"))


def _issue_text(line: str) -> str:
    match = _ISSUE.search(line)
    journal, year, issue = match.group("journal").strip(" |《》"), match.group("year"), match.group("issue")
    rest = (line[:match.start()] + " " + line[match.end():])
    pages = _PAGE.findall(rest.replace("|", " "))
    text = f"《{journal}》{year}年第{issue}期"
    return text + (f"，第{pages[0]}页" if pages else "")


def _join(texts: list[str]) -> str:
    out = texts[0]
    for text in texts[1:]:
        joiner = "" if re.search(r"[\u4e00-\u9fff，、；]$", out) and re.match(r"[\u4e00-\u9fff]", text) else " / "
        out += joiner + text
    return out
