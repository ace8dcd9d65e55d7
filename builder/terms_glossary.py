"""Glossary: the editors' ``corpus/glossary.yml`` (validated) merged with extracted candidates.

May read glossary.yml and the candidates; returns a ``Glossary``. Curated data wins: a curated
entry absorbs every candidate that shares a name, English name, abbreviation or alias with it,
and its fields replace extracted ones. Stop-listed names drop their candidates. Candidates that
share a key (Chinese name, English key, abbreviation key) become one entry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import files
from .yamlfile import parse_yaml, yaml_problem
from .errors import ConfigError, SourceError
from .models import Glossary, GlossaryEntry
from .terms_extract import (HAN_RE, Candidate, abbr_form, abbr_key, english_form, latin_key, nfkc,
                            zh_form)

KINDS = ("organisation", "programme", "document", "person", "concept", "place", "spacecraft")
ENTRY_FIELDS = {
    "id": "ASCII slug of the entry page (default: from the English name or pinyin)",
    "zh": "preferred Chinese name (required)",
    "en": "English name, or a list of English names, preferred first",
    "abbr": "abbreviation",
    "kind": "one of " + ", ".join(KINDS),
    "aliases": "other names (Chinese or English) that mean the same concept",
    "definition": "the editor's definition",
    "related": "ids of related entries",
    "link": "false: list the entry but do not link its mentions",
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class Curated:
    """One entry of glossary.yml, with the line it starts on."""

    entry: GlossaryEntry
    line: int
    link: bool = True


@dataclass
class CuratedFile:
    entries: list[Curated] = field(default_factory=list)
    stop: set[str] = field(default_factory=set)


# --------------------------------------------------------------------------- glossary.yml


def load_curated(path: Path, where: str = "corpus/glossary.yml") -> CuratedFile:
    """Parse and validate glossary.yml. Raises ConfigError listing every problem (file:line, field)."""
    if not files.exists(path):
        return CuratedFile()
    try:  # a regular file inside corpus/, UTF-8 (builder/files.py)
        data, root = parse_yaml(files.read_text(path, path.parent, where))  # parsed once, node marks kept
    except SourceError as exc:
        raise ConfigError([str(exc)]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([yaml_problem(where, exc)]) from None
    return parse_curated(data, root, where)


def parse_curated(data, root, where: str) -> CuratedFile:
    problems: list[str] = []
    if data is None:
        return CuratedFile()
    if not isinstance(data, dict):
        raise ConfigError([f"{where}:1: the glossary must be a mapping with 'entries' and 'stop'"])
    lines = _key_lines(root)
    for key in data:
        if key not in ("entries", "stop"):
            problems.append(f"{where}:{lines.get(key, 1)}: unknown top-level field '{key}' (known: entries, stop)")
    out = CuratedFile()
    stop = data.get("stop") or []
    if not isinstance(stop, list) or not all(isinstance(s, str) and s.strip() for s in stop):
        problems.append(f"{where}:{lines.get('stop', 1)}: field 'stop' must be a list of names")
    else:
        out.stop = {s.strip() for s in stop}
    items = data.get("entries") or []
    nodes = _entry_nodes(root)
    if not isinstance(items, list):
        problems.append(f"{where}:{lines.get('entries', 1)}: field 'entries' must be a list of entries")
        items = []
    for index, item in enumerate(items):
        node = nodes[index] if index < len(nodes) else None
        line = node.start_mark.line + 1 if node is not None else 1
        curated = _parse_entry(item, node, f"{where}:{line}", index, problems)
        if curated:
            curated.line = line
            out.entries.append(curated)
    _check_unique(out, where, problems)
    if problems:
        raise ConfigError(problems)
    return out


def _key_lines(node) -> dict:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _v in node.value}


def _entry_nodes(root) -> list:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "entries" and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


def _parse_entry(item, node, where: str, index: int, problems: list[str]) -> Curated | None:
    label = f"entries[{index}]"
    if not isinstance(item, dict):
        problems.append(f"{where}: {label} must be a mapping with at least 'zh'")
        return None
    lines = _key_lines(node)
    at = lambda key: f"{where.rsplit(':', 1)[0]}:{lines.get(key, where.rsplit(':', 1)[1])}"  # noqa: E731
    before = len(problems)
    for key in item:
        if key not in ENTRY_FIELDS:
            problems.append(f"{at(key)}: {label}: unknown field '{key}' (known: {', '.join(ENTRY_FIELDS)})")
    zh = item.get("zh")
    if not isinstance(zh, str) or not HAN_RE.search(zh):
        problems.append(f"{at('zh')}: {label}: field 'zh' is required and must be a Chinese name")
    en = item.get("en") or []
    en = [en] if isinstance(en, str) else en
    if not isinstance(en, list) or not all(isinstance(x, str) and x.strip() for x in en):
        problems.append(f"{at('en')}: {label}: field 'en' must be a name or a list of names")
        en = []
    for key in ("abbr", "definition", "id"):
        if key in item and not isinstance(item[key], str):
            problems.append(f"{at(key)}: {label}: field '{key}' must be a string")
    if isinstance(item.get("id"), str) and not SLUG.match(item["id"]):
        problems.append(f"{at('id')}: {label}: field 'id' must be an ASCII slug (a-z, 0-9, '-'), got {item['id']!r}")
    kind = item.get("kind", "")
    if kind and kind not in KINDS:
        problems.append(f"{at('kind')}: {label}: field 'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    for key in ("aliases", "related"):
        value = item.get(key) or []
        if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
            problems.append(f"{at(key)}: {label}: field '{key}' must be a list of strings")
    if "link" in item and not isinstance(item["link"], bool):
        problems.append(f"{at('link')}: {label}: field 'link' must be true or false")
    if len(problems) > before:
        return None
    entry = GlossaryEntry(
        id=item.get("id", ""), zh=zh_form(zh), en=[nfkc(x) for x in en], abbr=abbr_form(item.get("abbr") or ""),
        kind=kind, aliases=[nfkc(a) for a in item.get("aliases") or []],
        definition=(item.get("definition") or "").strip(), curated=True,
        related=list(item.get("related") or []))
    if entry.definition:
        entry.definition_source = "editor"
    entry.link = item.get("link", True)
    return Curated(entry, 0, entry.link)


def _check_unique(curated: CuratedFile, where: str, problems: list[str]) -> None:
    seen: dict[str, int] = {}
    ids: dict[str, int] = {}
    for c in curated.entries:
        for name in names_of(c.entry):
            key = name_key(name)
            if key in seen and seen[key] != c.line:
                problems.append(f"{where}:{c.line}: name '{name}' is also used by the entry at line {seen[key]} "
                                f"(merge the two entries or remove one name)")
            seen.setdefault(key, c.line)
        if c.entry.id:
            if c.entry.id in ids:
                problems.append(f"{where}:{c.line}: field 'id': '{c.entry.id}' is also used at line {ids[c.entry.id]}")
            ids.setdefault(c.entry.id, c.line)
    all_ids = set(ids)
    for c in curated.entries:
        for rel in c.entry.related:
            if rel not in all_ids:
                problems.append(f"{where}:{c.line}: field 'related': no curated entry has id '{rel}'")


# --------------------------------------------------------------------------- keys


def name_key(name: str) -> str:
    """One key for the spellings of a name: Chinese as written (NFKC), Latin script by latin_key."""
    name = nfkc(name)
    if HAN_RE.search(name):
        return "zh:" + zh_form(name)
    return "en:" + latin_key(name)


def names_of(entry: GlossaryEntry) -> list[str]:
    return [n for n in [entry.zh, *entry.en, entry.abbr, *entry.aliases] if n]


def candidate_keys(c: Candidate) -> list[str]:
    keys = []
    if c.zh and not (c.person and "·" not in c.zh and c.en):
        keys.append(name_key(c.zh))  # a family name alone (格林) may belong to several people: joined by English
    if c.en:
        keys.append(name_key(c.en))
    if c.abbr:
        keys.append("en:" + abbr_key(c.abbr).lower())
    return keys


def is_stopped(c: Candidate, stop_keys: set[str]) -> bool:
    return any(k in stop_keys for k in candidate_keys(c))


# --------------------------------------------------------------------------- merge


class _Groups:
    """Union-find over candidate indexes, joined through shared keys."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def merge(candidates: list[Candidate], curated: CuratedFile) -> tuple[Glossary, dict]:
    """Entries from curated data and candidates, plus figures (by rule, curated, merged, stopped)."""
    stop_keys = {name_key(s) for s in curated.stop}
    kept = [c for c in candidates if not is_stopped(c, stop_keys)]
    figures = {"candidates": len(candidates), "by_rule": dict(sorted(Counter(c.rule for c in candidates).items())),
               "stopped": len(candidates) - len(kept), "curated": len(curated.entries)}
    curated_index: dict[str, int] = {}
    for i, c in enumerate(curated.entries):
        for name in names_of(c.entry):
            curated_index.setdefault(name_key(name), i)
            if name == c.entry.abbr or _looks_abbr(name):
                curated_index.setdefault("en:" + abbr_key(name).lower(), i)
    # nodes: curated entries first, then candidates
    offset = len(curated.entries)
    groups = _Groups(offset + len(kept))
    first_holder: dict[str, int] = {}
    for i, c in enumerate(kept):
        for key in candidate_keys(c):
            if key in curated_index:
                groups.join(curated_index[key], offset + i)
            elif key in first_holder:
                groups.join(first_holder[key], offset + i)
            else:
                first_holder[key] = offset + i
    members: dict[int, list[int]] = {}
    for node in range(offset + len(kept)):
        members.setdefault(groups.find(node), []).append(node)
    entries = []
    for root, nodes in sorted(members.items()):
        base = curated.entries[root].entry if root < offset else None
        group = [kept[n - offset] for n in nodes if n >= offset]
        entry = build_entry(base, group)
        if entry:
            entry_link = curated.entries[root].link if root < offset else True
            entries.append((entry, entry_link))
    figures["merged_groups"] = sum(1 for nodes in members.values() if len(nodes) > 1)
    folded = fold_short_forms([entry for entry, _link in entries], curated_count=offset)
    entries = [(entry, link) for entry, link in entries if id(entry) not in folded]
    figures["short_forms_folded"] = len(folded)
    glossary = Glossary(entries={}, stop=set(curated.stop))
    for entry, _link in entries:
        glossary.entries[f"#{len(glossary.entries)}"] = entry  # final ids are given by terms.finish
    return glossary, figures


def fold_short_forms(entries: list[GlossaryEntry], curated_count: int = 0) -> set[int]:
    """Extracted entries that are a short form of another entry, folded into it (their names
    become its aliases and further English names): a person's family name alone beside the one
    person whose full name ends with it in both languages (特朗普 / Trump beside 唐纳德·特朗普 /
    Donald Trump), and a name whose Chinese is a short form of another's and whose English is
    that one's with a run of words replaced by their initials (X条约 / ABC Treaty beside
    its full name / Alpha Beta Charlie Treaty). Curated entries (the first
    ``curated_count``) are never folded. Returns the ids (``id()``) of the folded entries."""
    folded: set[int] = set()
    for index, short in enumerate(entries):
        if index < curated_count:
            continue
        fits = [full for full in entries if full is not short and id(full) not in folded and _short_form_of(short, full)]
        if len(fits) == 1:
            _absorb(fits[0], short)
            folded.add(id(short))
    return folded


def _short_form_of(short: GlossaryEntry, full: GlossaryEntry) -> bool:
    if not short.en or not full.en or short.abbr and short.abbr != full.abbr:
        return False
    if short.kind == "person" or full.kind == "person":
        given, _, family = full.zh.rpartition("·")
        return (short.kind == full.kind == "person" and bool(given) and "·" not in short.zh and short.zh == family
                and any(latin_key(e.split()[-1]) == latin_key(short.en[0]) for e in full.en if " " in e))
    from .terms_extract import _shortens

    return _shortens(short.zh, full.zh) and any(_initialled(short.en[0], e) for e in full.en)


def _initialled(short: str, full: str) -> bool:
    """``short`` is ``full`` with one run of two or more words replaced by their initials
    (ABM Treaty / Anti-Ballistic Missile Treaty)."""
    from .terms_define import initials

    words, short_words = full.split(), short.split()
    for start in range(len(words)):
        for end in range(start + 2, len(words) + 1):
            run = " ".join(words[start:end])
            replaced = words[:start] + [initials(run)] + words[end:]
            if len(initials(run)) >= 2 and [w.casefold() for w in replaced] == [w.casefold() for w in short_words]:
                return True
    return False


def _absorb(full: GlossaryEntry, short: GlossaryEntry) -> None:
    known = {name_key(n) for n in names_of(full)}
    for name in [short.zh, *short.aliases]:
        if name_key(name) not in known:
            full.aliases.append(name)
            known.add(name_key(name))
    for name in short.en:
        if name_key(name) not in known:
            full.en.append(name)
            known.add(name_key(name))
    full.evidence.extend(short.evidence)
    if not full.definition and short.definition:
        full.definition, full.definition_source = short.definition, short.definition_source
        full.definition_kind = short.definition_kind


def _looks_abbr(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9\-]{1,11}s?", nfkc(name)))


def build_entry(base: GlossaryEntry | None, group: list[Candidate]) -> GlossaryEntry | None:
    """One entry from a curated base (may be None) and the candidates merged into it."""
    zh_names = Counter(c.zh for c in group if c.zh)
    rule_rank = {"abbreviation-list": 0, "note-definition": 1, "parenthetical": 2, "aligned-pair": 3}
    ranked = sorted(zh_names, key=lambda z: (min(rule_rank.get(c.rule, 9) for c in group if c.zh == z),
                                             -zh_names[z], len(z), z))
    if base is None and not ranked:
        return None
    entry = GlossaryEntry(id="", zh="", kind="") if base is None else _copy(base)
    if not entry.zh:
        entry.zh = ranked[0]
    acronyms = {c.abbr for c in group if c.abbr}
    en_names = Counter(word_case(english_form(c.en, acronyms)) for c in group if c.en)
    for en in sorted(en_names, key=lambda e: (-en_names[e], e)):
        _add_name(entry.en, en, entry)
    if not entry.abbr:
        abbrs = Counter(c.abbr for c in group if c.abbr)
        entry.abbr = sorted(abbrs, key=lambda a: (-abbrs[a], a))[0] if abbrs else ""
    for zh in ranked:
        if name_key(zh) not in {name_key(n) for n in names_of(entry)} and not is_fragment(zh, entry.zh):
            entry.aliases.append(zh)
    for c in group:
        if c.abbr and "en:" + abbr_key(c.abbr).lower() != "en:" + abbr_key(entry.abbr).lower():
            if name_key(c.abbr) not in {name_key(n) for n in names_of(entry)}:
                entry.aliases.append(c.abbr)
    if not entry.kind:
        entry.kind = checked_kind(entry, group, guess_kind(entry, group))
    if base is None and any(c.common for c in group):
        entry.link = False  # an everyday place name: listed with its mentions counted, not linked
    entry.evidence = [f"{c.rule}:{c.doc_id}#{c.anchor}" for c in group]
    if not entry.definition:
        defined = next((c for c in group if c.definition), None)
        if defined:
            entry.definition = defined.definition
            entry.definition_source = f"{defined.doc_id}#{defined.anchor}"
            entry.definition_kind = "source"
    elif entry.definition_source == "editor":
        entry.definition_kind = "editor"
    if not entry.definition:
        quoted = next((c for c in group if c.context and c.rule != "abbreviation-list"), None) or \
            next((c for c in group if c.context), None)
        if quoted:
            entry.definition = quoted.context
            entry.definition_source = f"{quoted.doc_id}#{quoted.anchor}"
            entry.definition_kind = "context"
    return entry


def word_case(en: str) -> str:
    """A single ALL-CAPS word of six letters or more that is ordinary English vocabulary (the
    lexicon's common nouns and verbs) in title case, as ``english_form`` writes ALL-CAPS
    phrases (ATTACK -> Attack); a brand or name the lexicon does not know stays as printed."""
    from .perf.lexicon_data import english_words

    if en.isalpha() and en.isupper() and len(en) >= 6 and en.lower() in english_words():
        return en.capitalize()
    return en


def is_fragment(name: str, main: str) -> bool:
    """A part of the main name, or the main name with words added (甲型导航卫 /
    甲型导航卫星系统试验 beside 甲型导航卫星系统): not an alias of its own."""
    return name != main and (name in main or main in name)


def _copy(base: GlossaryEntry) -> GlossaryEntry:
    return GlossaryEntry(id=base.id, zh=base.zh, en=list(base.en), abbr=base.abbr, kind=base.kind,
                         aliases=list(base.aliases), definition=base.definition,
                         definition_source=base.definition_source, curated=True, related=list(base.related),
                         link=base.link)


def _add_name(names: list[str], name: str, entry: GlossaryEntry) -> None:
    if name_key(name) not in {name_key(n) for n in names_of(entry)}:
        names.append(name)


ORGANISATION_ENDINGS = ("军", "局", "所", "组织", "公司", "中心", "委员会", "部", "院", "集团", "联盟", "署", "组",
                        "大学", "学会", "协会", "机构", "理事会", "研究所", "工作组", "专家组", "国")
DOCUMENT_ENDINGS = ("条约", "协定", "公约", "宣言", "准则", "法", "声明", "战略", "报告", "决议", "草案",
                    "要点", "大纲", "纲要", "评估", "白皮书")
# A periodical's name, in 《》 like a document's, names an outlet: filed with organisations.
PERIODICAL_ENDINGS = ("杂志", "期刊", "日报", "周刊", "月刊", "时报", "晚报", "学报")
PERIODICAL_EN = re.compile(r"\b(?:Magazine|Journal|Times|News|Post|Daily|Weekly|Gazette|Herald)\b")
PROGRAMME_ENDINGS = ("计划", "项目", "工程", "倡议", "服务", "机制", "系统")
SPACECRAFT_ENDINGS = ("号", "飞船", "卫星", "着陆器", "火箭", "空间站", "探测器", "轨道站")
PLACE_ENDINGS = ("坑", "盆地", "山", "湖", "月谷", "海", "角", "基地", "发射场")


TITLE_WORDS_EN = re.compile(r"\b(?:Treaty|Act|Agreement|Accords?|Convention|Declaration|Statement|Strategy|Outline|"
                            r"Policy|Protocol|Resolution|Report|Guidelines|Law|Code|Measures|Regime|Era|Objectives|"
                            r"Review|Directive|Order|Charter|Framework|Tracker)\b")


def checked_kind(entry: GlossaryEntry, group: list[Candidate], kind: str) -> str:
    """The guessed kind, kept only when the entry bears it out: a person has a personal name (a
    dotted Chinese name or an English name of capitalised words without an acronym), a document
    a title (a 《title》 in the texts, a title's ending, or a title word in its English name)."""
    if kind == "person":
        english = entry.en[0] if entry.en else ""
        personal = "·" in entry.zh or re.fullmatch(r"(?:[A-Z][a-z’'\-]+\.? ?|[A-Z]\.? ?)+(?:, Jr\.? ?)?", english.strip() + " ")
        return kind if personal and not entry.abbr else "concept"
    if is_periodical(entry):
        return "organisation"
    if kind == "document":
        titled = any(c.context and f"《{entry.zh}》" in c.context for c in group) or \
            entry.zh.endswith(DOCUMENT_ENDINGS) or any(TITLE_WORDS_EN.search(e) for e in entry.en)
        return kind if titled else "concept"
    return kind


def is_periodical(entry: GlossaryEntry) -> bool:
    """A magazine, journal or newspaper: its Chinese name ends as one and no English name says
    otherwise, or its English name says so."""
    return entry.zh.endswith(PERIODICAL_ENDINGS) and not any(TITLE_WORDS_EN.search(e) for e in entry.en) \
        or any(PERIODICAL_EN.search(e) for e in entry.en)


def guess_kind(entry: GlossaryEntry, group: list[Candidate]) -> str:
    """A kind from the evidence and the name's ending (general Chinese word-formation rules)."""
    if any(c.person for c in group) or "·" in entry.zh:
        return "person"
    hinted = Counter(c.kind for c in group if c.kind)
    hint = hinted.most_common(1)[0][0] if hinted else ""
    if hint == "person" or hint and not entry.zh.endswith(tuple(e for e in ORGANISATION_ENDINGS if e != "国")):
        return hint  # the evidence's kind, unless the name says organisation (it ends in 组织, 机构, …)
    if any(c.context and f"《{entry.zh}》" in c.context for c in group):
        return "document"
    from .perf.jieba_data import base_word_tags

    from .terms_extract import _looks_like_person

    if base_word_tags().get(entry.zh) == "ns" and not any(_looks_like_person(e) for e in entry.en):
        return "place"  # jieba's dictionary knows it as a place name (英国)
    for kind, endings in (("spacecraft", SPACECRAFT_ENDINGS), ("organisation", ORGANISATION_ENDINGS),
                          ("document", DOCUMENT_ENDINGS), ("programme", PROGRAMME_ENDINGS),
                          ("place", PLACE_ENDINGS)):
        if entry.zh.endswith(endings):
            return kind
    return "concept"
