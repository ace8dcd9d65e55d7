"""Indexes: the glossary overview, one page per entry, and the pinyin, English and abbreviation
indexes. Markdown text only (no I/O); every piece of source text goes through render.escape.

The Chinese index is ordered by pinyin and grouped by initial letter, as in a printed Chinese
book index: ``pinyin_sort_key`` and ``index_letter`` are explicit functions (``str.isalpha`` is
true for every Han character, so it cannot tell a letter group).
"""

from __future__ import annotations

import re
import unicodedata

from .chinese import pinyin_of, toneless, traditional
from .models import GlossaryEntry, Library
from .render import ENTRY_NAMES_WEIGHT, NOT_SEARCHED, escape, front_matter, not_searched, search_names

KIND_LABELS = {"organisation": "机构", "programme": "项目与计划", "document": "文件与条约", "person": "人物",
               "concept": "概念", "place": "地名", "spacecraft": "航天器"}
DEFINITION_LABELS = {"editor": "编者释义", "source": "原文释义", "context": "原文出处"}
OTHER_GROUP = "#"


# --------------------------------------------------------------------------- sort keys


def syllables(name: str) -> list[tuple[str, int, str]]:
    """(toneless pinyin, tone 1–5, character) for each character; Latin letters and digits as
    themselves with tone 0, so 北斗 -> [('bei', 3, '北'), ('dou', 3, '斗')]."""
    return list(_syllables(name))


def _syllables(name: str) -> tuple[tuple[str, int, str], ...]:
    from pypinyin import Style, pinyin

    out = []
    for char in name.replace("·", ""):
        if _is_han(char):
            reading = pinyin(char, style=Style.TONE3, neutral_tone_with_five=True)[0][0]
            tone = int(reading[-1]) if reading[-1].isdigit() else 5
            out.append((reading.rstrip("012345").replace("ü", "v"), tone, char))
        elif char.isascii() and char.isalnum():
            out.append((char.lower(), 0, char))
    return tuple(out)


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def pinyin_sort_key(name: str) -> tuple:
    """Sort key of the Chinese index: initial-letter group, then syllable by syllable (letters,
    then tone, then the character itself, so homophones stay together and the order is total)."""
    return (_group_rank(index_letter(name)), _syllables(name), name)


def index_letter(name: str) -> str:
    """The group a name is filed under: the first letter of its first syllable's pinyin (A–Z),
    or ``#`` for names that start with a digit or anything else."""
    first = _syllables(name)[:1]
    if not first or not first[0][0][:1].isascii() or not first[0][0][:1].isalpha():
        return OTHER_GROUP
    return first[0][0][0].upper()


def _group_rank(letter: str) -> tuple[int, str]:
    return (0, "") if letter == OTHER_GROUP else (1, letter)


def english_sort_key(name: str) -> tuple:
    """Sort key of the English index: case-folded, accents removed, a leading article ignored."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    for article in ("the ", "a ", "an "):
        if text.startswith(article) and len(text) > len(article):
            text = text[len(article):]
    return (_group_rank(english_letter(name)), text, name)


def english_letter(name: str) -> str:
    key = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().strip()
    for article in ("The ", "A ", "An "):
        if key.startswith(article) and len(key) > len(article):
            key = key[len(article):]
    return key[:1].upper() if key[:1].isascii() and key[:1].isalpha() else OTHER_GROUP


# --------------------------------------------------------------------------- pages


def pages(library: Library) -> dict[str, str]:
    glossary = library.glossary
    entries = list(glossary.entries.values())
    docs = {d.meta.id: d.meta.title_zh for d in library.documents}
    out = {"glossary/index.md": overview_page(entries, library.glossary_figures)}
    texts = None  # document texts, read only for entries whose mentions are not linked
    for entry in entries:
        mentions = None
        if not entry.occurrences:
            texts = texts if texts is not None else {d.meta.id: _document_text(d) for d in library.documents}
            mentions = count_mentions(entry, texts)
        out[f"glossary/{entry.id}.md"] = entry_page(entry, glossary.entries, docs, mentions)
    out["indexes/pinyin.md"] = pinyin_index(entries)
    out["indexes/english.md"] = english_index(entries)
    out["indexes/abbreviations.md"] = abbreviation_index(entries)
    return out


def entry_link(entry: GlossaryEntry, prefix: str = "../glossary/") -> str:
    return f"[{escape(entry.zh)}]({prefix}{entry.id}.md)"


def overview_page(entries: list[GlossaryEntry], figures: dict) -> str:
    parts = [front_matter("术语表", "中英双语术语表：中文名、英文名、缩写、拼音、释义与出处"), "# 术语表",
             f"本术语表共 {len(entries)} 条，条目来自文献本身（缩写表、括注、注释中的英文释义、双语对照段落）"
             "与编者维护的 `corpus/glossary.yml`。每条列出中文名、英文名、缩写、拼音、别名、释义及其在各文献中的全部出现位置（每篇文献列出前 3 处的上下文）。",
             "索引：[汉语拼音索引](../indexes/pinyin.md) · [英文索引](../indexes/english.md) · "
             "[缩写表](../indexes/abbreviations.md)"]
    by_kind: dict[str, list[GlossaryEntry]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry)
    for kind in sorted(by_kind, key=lambda k: list(KIND_LABELS).index(k) if k in KIND_LABELS else 99):
        items = sorted(by_kind[kind], key=lambda e: pinyin_sort_key(e.zh))
        lines = [f"- {entry_link(e, '')}" + (f" — {escape(e.en[0])}" if e.en else "")
                 + (f"（{escape(e.abbr)}）" if e.abbr else "") for e in items]
        parts.append(f"## {KIND_LABELS.get(kind, escape(kind))}（{len(items)}）\n\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n"


def _document_text(doc) -> str:
    blocks = [b for block in doc.blocks for b in (block.pair or [block])]
    return "\n".join([b.text for b in blocks] + [n.text for n in doc.notes])


def count_mentions(entry: GlossaryEntry, texts: dict[str, str]) -> tuple[int, int]:
    """(mentions, documents) of an entry's Chinese forms in the texts, for an entry whose
    mentions are not linked (a word too common to link is still in the texts)."""
    forms = [f for f in dict.fromkeys([entry.zh, *entry.aliases]) if f and any("\u4e00" <= c <= "\u9fff" for c in f)]
    per_doc = [sum(text.count(f) for f in forms) for text in texts.values()]
    return sum(per_doc), sum(1 for n in per_doc if n)


def entry_page(entry: GlossaryEntry, all_entries: dict[str, GlossaryEntry], docs: dict[str, str],
               mentions: tuple[int, int] | None = None) -> str:

    description = " / ".join([entry.zh, *entry.en[:1], *([entry.abbr] if entry.abbr else [])])
    plain = toneless(entry.pinyin)
    # The entry's names weigh like its title, so an English name, abbreviation, alias or pinyin
    # finds the entry above the pages that merely mention the term.
    names = [*entry.en, *([entry.abbr] if entry.abbr else []), *entry.aliases, plain, plain.replace(" ", "")]
    parts = [front_matter(entry.zh, description), f"# {escape(entry.zh)}", search_names(names, ENTRY_NAMES_WEIGHT, own=True)]
    rows = []
    if entry.en:
        rows.append(("英文", "；".join(f'<span lang="en">{escape(e)}</span>' for e in entry.en)))
    if entry.abbr:
        rows.append(("缩写", escape(entry.abbr)))
    # with tones, without, and run together, so any way a reader types pinyin finds the entry
    rows.append(("拼音", f"{escape(entry.pinyin)}（{escape(plain)} · {escape(plain.replace(' ', ''))}）"))
    rows.append(("类别", KIND_LABELS.get(entry.kind, escape(entry.kind))))
    if entry.aliases:
        rows.append(("别名", "、".join(escape(a) for a in entry.aliases)))
    rows.append(("来源", "编者条目" if entry.curated else "从文献中抽取"))
    parts.append("\n".join(f"- **{label}**：{value}" for label, value in rows))
    if entry.definition:
        parts.append(definition_section(entry, docs))
    if entry.related:
        related = [all_entries[r] for r in entry.related if r in all_entries]
        # other entries' names: left out of search, as every list of other pages is
        parts.append(not_searched("## 相关条目\n\n" + "\n".join(f"- {entry_link(r, '')}" for r in related)))
    parts.append(occurrence_section(entry, docs, mentions))
    return "\n\n".join(parts) + "\n"


def definition_section(entry: GlossaryEntry, docs: dict[str, str]) -> str:
    label = DEFINITION_LABELS.get(entry.definition_kind or "context", "释义")
    if entry.definition_source == "editor":
        return f"## {label}\n\n{escape(entry.definition)}\n\n*（编者所加释义）*"
    doc_id, _, anchor = entry.definition_source.partition("#")
    where = source_link(doc_id, anchor, docs)
    # a sentence quoted from a document: search finds it on the document's own page
    return not_searched(f"## {label}\n\n> {escape(entry.definition)}\n\n—— {where}")


def source_link(doc_id: str, anchor: str, docs: dict[str, str]) -> str:
    title = escape(docs.get(doc_id, doc_id))
    target = f"../documents/{doc_id}.md" + (f"#{anchor}" if anchor else "")
    return f"[《{title}》{place_label(anchor)}]({target})" if anchor else f"[《{title}》]({target})"


# Occurrences of an entry shown with their context, per document; the rest are listed as links.
CONTEXTS_PER_DOCUMENT = 3


def occurrence_section(entry: GlossaryEntry, docs: dict[str, str], mentions: tuple[int, int] | None = None) -> str:
    """Every occurrence of the entry, grouped by document: the first few with their context,
    the others as links to their paragraphs, each labelled by paragraph ("第 15 段"). Kept out
    of the search index (the contexts are the documents' text, which search finds on the
    documents' own pages). An entry whose mentions are not linked says how often it occurs."""
    if not entry.occurrences:
        count, in_docs = mentions or (0, 0)
        if count and not entry.link:
            return not_searched(f"## 出现位置 {{ {NOT_SEARCHED} }}\n\n（常见词，正文中不加链接；"
                                f"在 {in_docs} 篇文献中出现 {count} 次。）")
        if count:
            return not_searched(f"## 出现位置 {{ {NOT_SEARCHED} }}\n\n（在 {in_docs} 篇文献中出现 {count} 次，均未加链接。）")
        return not_searched(f"## 出现位置 {{ {NOT_SEARCHED} }}\n\n（正文中未见此词。）")
    by_doc: dict[str, list] = {}
    for occ in entry.occurrences:
        by_doc.setdefault(occ.doc_id, []).append(occ)
    parts = [f"## 出现位置（{len(entry.occurrences)}，{len(by_doc)} 篇文献） {{ {NOT_SEARCHED} }}"]
    for doc_id, found in by_doc.items():
        target = f"../documents/{doc_id}.md"
        lines = [f"- [{place_label(occ.anchor)}]({target}#{occ.anchor})：{escape(occ.context)}"
                 for occ in found[:CONTEXTS_PER_DOCUMENT]]
        rest = found[CONTEXTS_PER_DOCUMENT:]
        if rest:
            links = "、".join(f"[{place_label(occ.anchor)}]({target}#{occ.anchor})" for occ in rest)
            lines.append(f"- 另有 {len(rest)} 处：{links}")
        parts.append(f"### {escape(docs.get(doc_id, doc_id))} {{ {NOT_SEARCHED} }}\n\n" + "\n".join(lines))
    return not_searched("\n\n".join(parts))


_ANCHOR = re.compile(r"^(p|s|fn:|orphan-)(\d+)(?:-(zh|en))?$")


def place_label(anchor: str) -> str:
    """A reader's name for an anchor: "p15-zh" -> "第 15 段（中文）", "s3" -> "第 3 个标题"."""
    match = _ANCHOR.match(anchor)
    if not match:
        return escape(anchor)
    kind, number, lang = match.groups()
    label = {"p": f"第 {number} 段", "s": f"第 {number} 个标题", "fn:": f"注释 {number}",
             "orphan-": f"无标记注释 {number}"}[kind]
    return label + {"zh": "（中文）", "en": "（英文）"}.get(lang or "", "")


def grouped(items: list[tuple[str, str]]) -> str:
    """``(letter, line)`` pairs, already sorted, as letter sections with a jump bar."""
    letters = list(dict.fromkeys(letter for letter, _ in items))
    bar = " · ".join(f"[{escape(l)}](#{_letter_anchor(l)})" for l in letters)
    out = [bar] if letters else ["（尚无条目。）"]
    for letter in letters:
        lines = [line for l, line in items if l == letter]
        out.append(f"## {escape(letter)} {{ #{_letter_anchor(letter)} }}\n\n" + "\n".join(lines))
    return "\n\n".join(out)


def _letter_anchor(letter: str) -> str:
    return "other" if letter == OTHER_GROUP else f"letter-{letter.lower()}"


def pinyin_index(entries: list[GlossaryEntry]) -> str:
    names = [(name, e) for e in entries for name in [e.zh, *[a for a in e.aliases if _chinese_alias(a, e)]]]
    names.sort(key=lambda pair: pinyin_sort_key(pair[0]))
    items = []
    for name, e in names:
        see = "" if name == e.zh else f" → 见 {escape(e.zh)}"
        items.append((index_letter(name), f"- [{escape(name)}](../glossary/{e.id}.md) {escape(pinyin_for(name, e))}{see}"))
    head = [front_matter("汉语拼音索引", "术语按汉语拼音排序，按首字母分组"), "# 汉语拼音索引",
            "按汉语拼音排序（同音按声调），按首字母分组；别名以“见”指向正式条目。"]
    return "\n\n".join(head + [grouped(items)]) + "\n"


def _chinese_alias(alias: str, entry: GlossaryEntry) -> bool:
    from .terms_extract import HAN_RE

    forms = {traditional(n) for n in [entry.zh, *entry.aliases] if traditional(n) != n}
    return bool(HAN_RE.search(alias)) and alias not in forms


def pinyin_for(name: str, entry: GlossaryEntry) -> str:
    return entry.pinyin if name == entry.zh else pinyin_of(name)


def index_form(name: str, entry: GlossaryEntry) -> str:
    """How a name is filed: a person's Latin name by family name ("Donald Trump" -> "Trump,
    Donald"; a particle stays with the given name), every other name as written."""
    words = name.split()
    if entry.kind != "person" or len(words) < 2 or not name.isascii() or "," in name:
        return name
    return f"{words[-1]}, {' '.join(words[:-1])}"


def english_index(entries: list[GlossaryEntry]) -> str:
    names = [(index_form(en, e), e) for e in entries for en in e.en]
    names.sort(key=lambda pair: english_sort_key(pair[0]))
    items = [(english_letter(en), f'- <span lang="en">{escape(en)}</span> — [{escape(e.zh)}](../glossary/{e.id}.md)')
             for en, e in names]
    head = [front_matter("英文索引", "术语英文名 A–Z 索引"), "# 英文索引", "英文名按字母顺序排列（忽略冠词），链接到中文条目。"]
    return "\n\n".join(head + [grouped(items)]) + "\n"


def abbreviation_index(entries: list[GlossaryEntry]) -> str:
    rows = sorted(((e.abbr, e) for e in entries if e.abbr), key=lambda pair: english_sort_key(pair[0]))
    lines = ["| 缩写 | 英文 | 中文 |", "|---|---|---|"]
    for abbr, e in rows:
        english = escape(e.en[0]) if e.en else "—"
        lines.append(f"| {escape(abbr)} | {english} | [{escape(e.zh)}](../glossary/{e.id}.md) |")
    head = [front_matter("缩写表", "术语缩写一览"), "# 缩写表", f"共 {len(rows)} 个缩写。"]
    return "\n\n".join(head + ["\n".join(lines) if rows else "（尚无缩写。）"]) + "\n"
