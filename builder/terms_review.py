"""The editors' review queue of term pairs: aligned pairs not confident enough to become entries.

May read the alignment (``terms_align``), the glossary and ``terms-review.yml`` (at the project root) (the
editors' decisions); returns the queue, the decided pairs for the glossary stage, the YAML file
``python -m builder terms --suggest`` writes and the preview site's page. Writes nothing itself.

Each item of ``terms-review.yml`` (at the project root) is a pair with its evidence and a ``decision``:

- ``accept``: the pair becomes a glossary entry (or joins the entry sharing a name);
- ``reject``: the pair is never made an entry and never suggested again;
- ``merge: <entry id>``: its names become aliases of that entry;
- empty: undecided; the item stays in the queue.

Decided items are kept when the file is written again; undecided items are replaced by the
current queue, so the file shows only what is new. ``entry`` is the pair as a glossary.yml
entry, ready to paste under ``entries:`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from . import files
from .errors import ConfigError, SourceError
from .models import Glossary
from .terms_align import Alignment
from .terms_extract import Candidate, latin_key, zh_form

REVIEW_FILE = "terms-review.yml"  # at the project root, beside mkdocs.yml
DECISIONS = ("accept", "reject", "merge")
HEADER = """\
# Review queue of term pairs found in aligned English/Chinese paragraphs
# (written by `python -m builder terms --suggest`; the build reads the decisions).
# Only the fields zh, en and decision are read back. For each item set `decision` to one of:
#   accept          the pair becomes a glossary entry
#   reject          the pair is never made an entry or suggested again
#   merge: <id>     the names become aliases of the glossary entry <id>
# or paste its `entry` under `entries:` of corpus/glossary.yml. Decided items are kept when the
# file is written again; undecided ones are replaced by the current queue.
"""


@dataclass
class Decision:
    zh: str
    en: str
    decision: str  # accept | reject | merge
    target: str = ""  # the entry id of a merge


def pair_key(zh: str, en: str) -> tuple[str, str]:
    return zh_form(zh), latin_key(en)


# --------------------------------------------------------------------------- reading decisions


def load_decisions(corpus: Path) -> dict[tuple[str, str], Decision]:
    """The decided items of terms-review.yml, by pair key. Raises ConfigError naming the
    file and line of an item whose decision is not understood."""
    path = corpus / REVIEW_FILE
    where = f"{REVIEW_FILE}"
    if not files.exists(path):
        return {}
    try:
        data = yaml.safe_load(files.read_text(path, path.parent, where))
    except SourceError as exc:
        raise ConfigError([str(exc)]) from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        raise ConfigError([f"{where}:{line}: not valid YAML"]) from None
    items = (data or {}).get("items") if isinstance(data, dict) else None
    out: dict[tuple[str, str], Decision] = {}
    problems = []
    for index, item in enumerate(items or []):
        decision = _decision(item)
        if decision is None:
            problems.append(f"{where}: items[{index}]: 'decision' must be accept, reject or 'merge: <entry id>'")
        elif decision.decision:
            out[pair_key(decision.zh, decision.en)] = decision
    if problems:
        raise ConfigError(problems)
    return out


def _decision(item) -> Decision | None:
    if not isinstance(item, dict) or not isinstance(item.get("zh"), str) or not isinstance(item.get("en"), str):
        return None
    value = item.get("decision") or ""
    if isinstance(value, dict) and set(value) == {"merge"} and isinstance(value["merge"], str):
        return Decision(item["zh"], item["en"], "merge", value["merge"].strip())
    if isinstance(value, str) and value.strip() in ("", "accept", "reject"):
        return Decision(item["zh"], item["en"], value.strip())
    if isinstance(value, str) and value.startswith("merge:") and value[6:].strip():
        return Decision(item["zh"], item["en"], "merge", value[6:].strip())
    return None


# --------------------------------------------------------------------------- applying decisions


def decided_candidates(alignment: Alignment, decisions: dict) -> list[Candidate]:
    """The accepted pairs as candidates (rule ``review-accepted``), with their evidence."""
    out = []
    for key, links in alignment.links.items():
        decision = decisions.get(pair_key(*key))
        if decision is not None and decision.decision == "accept":
            link = alignment.best(key)
            out.append(Candidate(zh=link.zh, en=link.en, rule="review-accepted", doc_id=link.doc_id,
                                 anchor=link.anchor, context=link.zh_sentence))
    return out


def without_rejected(candidates: list[Candidate], decisions: dict) -> list[Candidate]:
    """The candidates minus the pairs an editor rejected."""
    rejected = {key for key, d in decisions.items() if d.decision == "reject"}
    return [c for c in candidates if pair_key(c.zh, c.en or c.abbr) not in rejected]


def apply_merges(glossary: Glossary, decisions: dict) -> list[str]:
    """Merged pairs' names as aliases of their entries; a warning for each unknown entry id."""
    warnings = []
    for decision in decisions.values():
        if decision.decision != "merge":
            continue
        entry = glossary.entries.get(decision.target)
        if entry is None:
            warnings.append(f"{REVIEW_FILE}: merge of {decision.zh} / {decision.en}: "
                            f"no glossary entry has id '{decision.target}'")
            continue
        for name in (decision.zh, decision.en):
            if name and name not in (entry.zh, *entry.en, entry.abbr, *entry.aliases):
                entry.aliases.append(name)
    return warnings


# --------------------------------------------------------------------------- the queue


def queue(alignment: Alignment, glossary: Glossary, decisions: dict) -> list[dict]:
    """Undecided suggestions that no glossary entry already holds, best first: each with its
    score, its parts and its evidence (both sentences and the paragraphs' anchors)."""
    held = _held_pairs(glossary)
    names = _held_names(glossary)
    out = []
    for key in alignment.suggestions():
        if pair_key(*key) in decisions or pair_key(*key) in held or key[0] in names or latin_key(key[1]) in names:
            continue  # decided, or a name some entry already has: an editor merges it there if at all
        link = alignment.best(key)
        out.append({
            "zh": link.zh, "en": link.en, "score": alignment.score(key),
            "why": f"lexicon {link.lexicon:.2f}, transliteration {link.transliteration:.2f}, "
                   f"position {link.position:.2f}, Dice {alignment.dice[key]:.2f}, "
                   f"{len(alignment.links[key])} pair(s){'' if link.complete else ', part of a longer name'}",
            "doc_id": link.doc_id, "anchor": link.anchor, "en_anchor": link.en_anchor,
            "zh_sentence": link.zh_sentence, "en_sentence": link.en_sentence,
        })
    out.sort(key=lambda item: (-item["score"], item["zh"]))
    return out


def _held_names(glossary: Glossary) -> set[str]:
    """Every Chinese name and English key the glossary's entries hold."""
    out = set()
    for entry in glossary.entries.values():
        for name in [entry.zh, *entry.en, entry.abbr, *entry.aliases]:
            if name:
                out.add(name if not name.isascii() else latin_key(name))
    return out


def _held_pairs(glossary: Glossary) -> set[tuple[str, str]]:
    """(Chinese name, English name) pairs some entry already gives."""
    held = set()
    for entry in glossary.entries.values():
        zh_names = [entry.zh, *[a for a in entry.aliases if not a.isascii()]]
        en_names = [*entry.en, entry.abbr, *[a for a in entry.aliases if a.isascii()]]
        held |= {pair_key(zh, en) for zh in zh_names for en in en_names if en}
    return held


def review_yaml(items: list[dict], decided: list[dict]) -> str:
    """terms-review.yml: the decided items first (as they were), then the queue."""
    out = []
    for item in [*decided, *[_file_item(i) for i in items]]:
        out.append(item)
    body = yaml.safe_dump({"items": out}, allow_unicode=True, sort_keys=False, width=100)
    return HEADER + body


def _file_item(item: dict) -> dict:
    return {
        "zh": item["zh"], "en": item["en"], "decision": "",
        "entry": {"zh": item["zh"], "en": item["en"]},
        "score": item["score"], "why": item["why"],
        "where": f"documents/{item['doc_id']}.md#{item['anchor']}",
        "zh_text": item["zh_sentence"], "en_text": item["en_sentence"],
    }


def decided_items(corpus: Path) -> list[dict]:
    """The items of the existing review file that carry a decision, unchanged."""
    path = corpus / REVIEW_FILE
    if not files.exists(path):
        return []
    data = yaml.safe_load(files.read_text(path, path.parent, f"{REVIEW_FILE}")) or {}
    items = data.get("items") if isinstance(data, dict) else None
    return [item for item in items or [] if isinstance(item, dict) and item.get("decision")]


def review_page(items: list[dict], docs: dict[str, str]) -> str:
    """The preview site's page of the queue: each pair with both sentences and links."""
    from .indexes import place_label
    from .render import escape, front_matter

    parts = [front_matter("术语待审", "双语对照段落中找到、尚待编者确认的术语对", search_exclude=True), "# 术语待审",
             f"双语对照段落中找到的 {len(items)} 对术语尚不足以自动成为条目。编者可运行 "
             f"`python -m builder terms --suggest`，在 `{REVIEW_FILE}` 中逐条注明 accept / reject / "
             "merge（或把 `entry` 粘贴到 `corpus/glossary.yml`）；已作决定的术语对不再出现在此。"]
    for item in items:
        title = escape(docs.get(item["doc_id"], item["doc_id"]))
        zh_link = f"[《{title}》{place_label(item['anchor'])}](../documents/{item['doc_id']}.md#{item['anchor']})"
        en_link = f"[{place_label(item['en_anchor'])}](../documents/{item['doc_id']}.md#{item['en_anchor']})"
        parts.append(f"## {escape(item['zh'])} / {escape(item['en'])}\n\n"
                     f"- 得分 {item['score']:.2f}（{escape(item['why'])}）\n"
                     f"- 中文：{escape(item['zh_sentence'])}（{zh_link}）\n"
                     f"- 英文：{escape(item['en_sentence'])}（{en_link}）")
    return "\n\n".join(parts) + "\n"


def suggest(root: Path, items: list[dict], write_file: bool = False) -> int:
    """``python -m builder terms [--suggest]``: print the review queue ``items`` (the glossary's
    pairs awaiting review, from a build that wrote no page); with ``write_file``, write it into
    terms-review.yml after the decided items already there."""
    if not write_file:
        for item in items:
            print(f"{item['score']:.2f}  {item['zh']} / {item['en']}  ({item['doc_id']}#{item['anchor']})")
        print(f"{len(items)} pair(s) await review; `python -m builder terms --suggest` writes them into "
              f"{REVIEW_FILE}")
        return 0
    decided = decided_items(root)
    path = root / REVIEW_FILE
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(review_yaml(items, decided), encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {REVIEW_FILE}: {len(items)} pair(s) to review, {len(decided)} decided kept")
    return 0
