"""``python -m builder eval DIR``: build a folder of documents and score the site against its key.

DIR holds source texts with their metadata (``<stem>.txt|.md|.csv|.pdf`` + ``<stem>.yml``) and
``key.json`` in the schema of ``../shared/devset`` (its README, "How to score a built site").
The documents are built in a temporary project with this repository's site settings, chrome and
glossary; then each built HTML page is read back and compared with the key:

- **footnotes**: a key marker is *found* when the page shows a marker with the same label whose
  preceding body text ends with the key's context, *resolved* when the note it links to starts
  with the key's note; *wrong* when it links to another note (or to any note where the key has
  none); *false* markers are shown markers that match no key marker. Compared on the folded form
  (``fold``: the document's ``private_use`` map, NFKC, whitespace removed).
- **glued** markers: those of sources without a marker glyph (Markdown, CSV, bare text), printed
  as plain digits or brackets glued to the text ("satellites.6", "**[1]**").
- **structure** checks: every key heading at its level with its text, no extra heading (run-in
  leads excepted), the title, the authors, every paragraph sample as one whole body paragraph; and
  once per document: no chrome string as a paragraph of its own, no full-width digit or Latin
  letter left in the body.
- **conservation on the HTML**: the source's characters (whitespace and Markdown markup aside) as
  a multiset, against the characters the page shows (text, link targets, image text) plus the
  chrome the build report lists as dropped ("conserved"); "on page" counts the page alone.

Nothing here feeds back into the build: it reads the HTML as a reader's browser would get it.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import markdown
import yaml

from .footnotes import normalize_label

REPO = Path(__file__).resolve().parents[1]
SOURCE_SUFFIXES = (".txt", ".md", ".csv", ".pdf")
TEXT_SOURCES = (".txt", ".md", ".csv")

# --------------------------------------------------------------------------- folding

_WS = re.compile(r"\s+")
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def fold(text: str, private_use: dict[str, str] | None = None) -> str:
    """The comparable form: stand-in glyphs mapped, NFKC (full-width -> ASCII), no whitespace."""
    if private_use:
        text = text.translate(private_use)
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def glyph_table(mapping: dict) -> dict[int, str]:
    return {int(str(code), 16): str(value) for code, value in (mapping or {}).items()}


def fold_label(label: str) -> str:
    return normalize_label(unicodedata.normalize("NFKC", label) if not _is_circled(label) else label)


def _is_circled(label: str) -> bool:
    return any("\u2460" <= c <= "\u24ff" or "\u3251" <= c <= "\u32bf" for c in label)


# --------------------------------------------------------------------------- reading a built page

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "figcaption", "dt", "dd"}
_SKIP_H2 = ("notes", "orphan-notes")
# the library's own sections after the document (other documents' titles, cited works)
_LIBRARY_H2 = ("related-documents", "cited-works")
_EXCLUDED_ATTRS = ("data-search-exclude", "data-pagefind-ignore")


@dataclass
class PageMarker:
    label: str
    position: int  # length of the folded body text before it
    note: int | None  # note number it links to, None when shown as missing


@dataclass
class Page:
    title: str = ""
    title_en: str = ""
    info: str = ""  # the metadata box
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level 1.., text)
    paragraphs: list[str] = field(default_factory=list)  # body blocks, markers left out
    body: str = ""  # folded body text, markers left out
    markers: list[PageMarker] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)  # everything visible, for conservation


class _PageParser(HTMLParser):
    """Reads the ``<article>`` of a document page into a Page."""

    def __init__(self, private_use: dict[int, str]):
        super().__init__(convert_charrefs=True)
        self.glyphs = private_use
        self.page = Page()
        self.stack: list[tuple[str, dict]] = []
        self.in_article = False
        self.blocks: list[list] = []  # open blocks: [tag, attrs, parts]
        self.region = "body"  # body | skip (notes, back matter, related lists)
        self.skip_depth = 0  # inside an element whose text is not body (admonition, footnotes)
        self.hidden_depth = 0  # inside an element not shown at all (headerlink)
        self.note_number: int | None = None
        self.note_parts: list[str] = []
        self.marker_depth = 0
        self.excluded_region = False  # a data-search-exclude section: other documents' titles

    # -- helpers
    def _attrs(self, attrs) -> dict:
        return {k: v or "" for k, v in attrs}

    def handle_starttag(self, tag, attrs):
        a = self._attrs(attrs)
        if tag == "article":
            self.in_article = True
        if not self.in_article:
            return
        classes = a.get("class", "").split()
        if tag in ("br", "img", "hr", "input", "meta", "link"):
            if tag == "img" and a.get("alt") and not self.excluded_region:
                self.page.shown.append(a["alt"])
            return
        self.stack.append((tag, a))
        if tag == "a" and a.get("href", "").startswith(("http:", "https:", "mailto:")) and not self.excluded_region:
            self.page.shown.append(html.unescape(a["href"]))
        if "headerlink" in classes or "footnote-backref" in classes or "hidden" in a:  # hidden: search's names and filters
            self.hidden_depth += 1
        if tag == "h2":
            self._close_blocks()
            ident = a.get("id", "")
            excluded = any(attr in a for attr in _EXCLUDED_ATTRS) or ident in _LIBRARY_H2
            self.region = "skip" if (ident in _SKIP_H2 or "backmatter" in classes or excluded) else "body"
            self.excluded_region = excluded
        if "admonition" in classes or "footnote" in classes or "doc-title-en" in classes or tag == "details":
            self.skip_depth += 1
        if tag == "li" and a.get("id", "").startswith("fn:"):
            self.note_number = int(a["id"][3:]) if a["id"][3:].isdigit() else None
            self.note_parts = []
        if tag == "sup" and ("fn-missing" in classes or a.get("id", "").startswith("fnref")):
            self.marker_depth += 1
            if self._body_open():
                self.blocks[-1][2].append(PageMarker("", 0, None))  # label and note filled in below
        if tag == "a" and "footnote-ref" in classes and self.marker_depth and self._body_open():
            number = a.get("href", "").rsplit(":", 1)[-1]
            if self.blocks and self.blocks[-1][2] and isinstance(self.blocks[-1][2][-1], PageMarker):
                self.blocks[-1][2][-1].note = int(number) if number.isdigit() else None
        if tag in _BLOCKS and self._body_open(include_new=True):
            self.blocks.append([tag, a, []])

    def _body_open(self, include_new: bool = False) -> bool:
        if self.region != "body" or self.skip_depth or self.hidden_depth:
            return False
        return include_new or bool(self.blocks)

    def handle_endtag(self, tag):
        if not self.in_article:
            return
        if tag == "article":
            self._close_blocks()
            self.in_article = False
            return
        if not self.stack:
            return
        # pop to the matching tag (HTML from Python-Markdown is well formed)
        while self.stack:
            open_tag, a = self.stack.pop()
            self._end(open_tag, a)
            if open_tag == tag:
                break

    def _end(self, tag: str, a: dict) -> None:
        classes = a.get("class", "").split()
        if tag in _BLOCKS and self.blocks and self.blocks[-1][0] == tag and self.blocks[-1][1] is a:
            self._emit(self.blocks.pop())
        if tag == "sup" and ("fn-missing" in classes or a.get("id", "").startswith("fnref")):
            self.marker_depth -= 1
        if "headerlink" in classes or "footnote-backref" in classes or "hidden" in a:
            self.hidden_depth -= 1
        if "admonition" in classes or "footnote" in classes or "doc-title-en" in classes or tag == "details":
            self.skip_depth -= 1
        if tag == "li" and a.get("id", "").startswith("fn:") and self.note_number is not None:
            self.page.notes[self.note_number] = "".join(self.note_parts)
            self.note_number = None

    def handle_data(self, data):
        if not self.in_article or self.hidden_depth:
            return
        if not self.excluded_region:
            self.page.shown.append(data)
        tag, a = self.stack[-1] if self.stack else ("", {})
        if self.note_number is not None:
            self.note_parts.append(data)
        if tag == "h1":
            self.page.title += data
        if "doc-title-en" in a.get("class", ""):
            self.page.title_en += data
        if self.skip_depth and any("admonition" in x.get("class", "") and "info" in x.get("class", "")
                                   for _, x in self.stack):
            self.page.info += data
        if not self._body_open() or tag == "h1":
            return
        if self.marker_depth:
            marker = self.blocks[-1][2][-1] if self.blocks[-1][2] else None
            if isinstance(marker, PageMarker):
                marker.label += data
            return
        self.blocks[-1][2].append(data)

    def _close_blocks(self) -> None:
        while self.blocks:
            self._emit(self.blocks.pop())

    def _emit(self, block: list) -> None:
        tag, _, parts = block
        text = ""
        for part in parts:
            if isinstance(part, PageMarker):
                part.position = len(self.page.body) + len(fold(text, self.glyphs))
                part.label = part.label.strip()
                self.page.markers.append(part)
            else:
                text += part
        if tag == "h1":
            return
        if not text.strip() and not any(isinstance(p, PageMarker) for p in parts):
            return
        if tag[0] == "h" and tag[1:].isdigit():
            self.page.headings.append((int(tag[1:]) - 1, text.strip()))
        else:
            self.page.paragraphs.append(text.strip())
        self.page.body += fold(text, self.glyphs)


def read_page(path: Path, private_use: dict[int, str]) -> Page:
    parser = _PageParser(private_use)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    page = parser.page
    page.markers.sort(key=lambda m: m.position)
    return page


# --------------------------------------------------------------------------- scoring


@dataclass
class Score:
    name: str
    source: str = ""
    added: bool = True
    error: str = ""
    markers_total: int = 0
    resolvable: int = 0
    found: int = 0
    resolved: int = 0
    wrong: int = 0
    false: int = 0
    glued_total: int = 0
    glued_found: int = 0
    checks: int = 0
    passed: int = 0
    chars_in: int = 0
    chars_shown: int = 0  # on the page or listed as dropped chrome
    chars_on_page: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def conservation(self) -> float:
        return 100.0 * self.chars_shown / self.chars_in if self.chars_in else 100.0

    @property
    def on_page(self) -> float:
        return 100.0 * self.chars_on_page / self.chars_in if self.chars_in else 100.0


def _note_label_and_text(note: str) -> tuple[str, str]:
    note = note.strip()
    label, _, rest = note.partition(" ")
    return label, rest


def score_footnotes(score: Score, entry: dict, page: Page, glyphs: dict[int, str], glued_kind: bool) -> None:
    markers = entry.get("markers", [])
    score.markers_total = entry.get("markers_total", len(markers))
    score.resolvable = entry.get("markers_resolvable", sum(1 for m in markers if m.get("note")))
    notes = {n: _note_label_and_text(t) for n, t in page.notes.items()}
    shown = []
    for marker in page.markers:
        label = marker.label if marker.note is None else notes.get(marker.note, (marker.label, ""))[0]
        shown.append((fold_label(label), marker))
    used: set[int] = set()
    for key in markers:
        label = fold_label(key["marker"])
        context = fold(key.get("context") or "", glyphs)
        hit = None
        for index, (shown_label, marker) in enumerate(shown):
            if index in used or shown_label != label:
                continue
            if page.body[:marker.position].endswith(context):
                hit = index
                break
        glued = glued_kind and bool(re.fullmatch(r"[\[［【]?\s*\d+\s*[\]］】]?", key["marker"]))
        score.glued_total += glued
        if hit is None:
            score.failures.append(f"marker {key['marker']} (page {key.get('page')}) after …{key.get('context')} not found")
            continue
        used.add(hit)
        score.found += 1
        score.glued_found += glued
        marker = shown[hit][1]
        note_text = fold(notes[marker.note][1], glyphs) if marker.note in notes else None
        expected = fold(key["note"], glyphs) if key.get("note") else None
        if expected is None:
            if note_text is not None:
                score.wrong += 1
                score.failures.append(f"marker {key['marker']} after …{key.get('context')} has no note in the "
                                      f"source but links to: {notes[marker.note][1][:30]}")
        elif note_text is None:
            score.failures.append(f"marker {key['marker']} (page {key.get('page')}) after …{key.get('context')} "
                                  f"unresolved (note: {key['note']})")
        elif note_text.startswith(expected):
            score.resolved += 1
        else:
            score.wrong += 1
            score.failures.append(f"marker {key['marker']} (page {key.get('page')}) after …{key.get('context')} "
                                  f"links to a wrong note: {notes[marker.note][1][:30]} (expected {key['note']})")
    for index, (label, marker) in enumerate(shown):
        if index not in used:
            score.false += 1
            score.failures.append(f"false marker {label} after …{page.body[max(0, marker.position - 12):marker.position]}")


_NUMERAL = re.compile(r"^((?:[一二三四五六七八九十]+|\d+|[(（][一二三四五六七八九十\d]+[)）]))[、.．,，]?")


def heading_form(text: str, glyphs: dict[int, str]) -> str:
    folded = fold(text, glyphs)
    return _NUMERAL.sub(lambda m: m.group(1), folded, count=1)


def _check(score: Score, ok: bool, what: str) -> None:
    score.checks += 1
    score.passed += ok
    if not ok:
        score.failures.append(what)


def score_structure(score: Score, entry: dict, page: Page, glyphs: dict[int, str]) -> None:
    site = [(level, heading_form(text, glyphs)) for level, text in page.headings]
    expected = [(h["level"], heading_form(h["text"], glyphs)) for h in entry.get("headings", [])]
    run_in = {heading_form(h["text"] if isinstance(h, dict) else h, glyphs) for h in entry.get("headings_run_in", [])}
    for level, text in expected:
        _check(score, (level, text) in site, f"heading (level {level}) missing: {text}")
    for level, text in site:
        if (level, text) not in expected and text not in run_in and not any(t == text for _, t in expected):
            _check(score, False, f"extra heading (level {level}): {text}")
    title = entry.get("title_zh") or entry.get("title_en")
    if title:
        shown_titles = {fold(page.title, glyphs), fold(page.title_en, glyphs)}
        _check(score, fold(title, glyphs) in shown_titles, f"title differs: {page.title!r} (key: {title})")
    info = fold(page.info, glyphs)
    for author in entry.get("authors", []):
        name = author.get("zh") or author.get("en")
        if name:
            _check(score, fold(name, glyphs) in info, f"author not shown: {name}")
    paragraphs = [fold(p, glyphs) for p in page.paragraphs]
    for sample in entry.get("paragraph_samples", []):
        first = fold(sample.get("first20_nospace") or sample.get("first20", ""), glyphs)
        last = fold(sample.get("last10_nospace") or sample.get("last10", ""), glyphs)
        ok = any(p.startswith(first) and p.endswith(last) for p in paragraphs)
        _check(score, ok, f"paragraph not whole: {first}…{last}")
    body_blocks = set(paragraphs) | {t for _, t in site}
    title_form = fold(title or "", glyphs)
    left = [c for c in entry.get("chrome", []) if fold(c, glyphs) not in ("", title_form) and fold(c, glyphs) in body_blocks]
    _check(score, not left, "chrome left as paragraphs: " + " | ".join(left[:8]))
    wide = sorted(set(_FULL_WIDTH_ALNUM.findall("".join(page.paragraphs))))
    _check(score, not wide, f"full-width characters left in the body: {''.join(wide[:10])}")


# --------------------------------------------------------------------------- conservation

_WIKI = re.compile(r"\[\[(?:[a-z]{2,3}:)?([^\]|]*)(?:\|[^\]]*)?\]\]")


class _TextAndTargets(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("href", "src", "alt", "title"):
            if a.get(name):
                self.parts.append(html.unescape(a[name]))

    def handle_data(self, data):
        self.parts.append(data)


def source_content(path: Path) -> str:
    """What of a source counts as content: Markdown rendered by Python-Markdown (markup and
    wiki-tag brackets are not content; link targets and image text are), other texts as decoded."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("utf-8", "replace")
    if path.suffix != ".md":
        return text
    rendered = markdown.markdown(_WIKI.sub(r"\1", text))
    parser = _TextAndTargets()
    parser.feed(rendered)
    return "".join(parser.parts)


def score_conservation(score: Score, source: Path, page: Page, dropped: list[str], glyphs: dict[int, str]) -> None:
    wanted = Counter(fold(source_content(source), glyphs))
    on_page = Counter(fold("".join(page.shown), glyphs))
    have = on_page + Counter(fold("".join(dropped), glyphs))
    score.chars_in = sum(wanted.values())
    score.chars_on_page = sum(min(n, on_page[c]) for c, n in wanted.items())
    score.chars_shown = sum(min(n, have[c]) for c, n in wanted.items())
    lost = {c: n - have[c] for c, n in wanted.items() if n > have[c]}
    if lost:
        worst = sorted(lost.items(), key=lambda kv: -kv[1])[:12]
        score.failures.append("characters lost: " + " ".join(f"{c!r}×{n}" for c, n in worst))


# --------------------------------------------------------------------------- building


@dataclass
class Doc:
    stem: str
    source: Path
    meta_path: Path
    number: str  # the key's structure entry ("01"), when the stem starts with it
    meta: dict = field(default_factory=dict)


def find_documents(folder: Path, prefer: str) -> list[Doc]:
    docs = []
    for meta_path in sorted(folder.glob("*.yml")):
        stem = meta_path.stem
        found = {s: folder / f"{stem}{s}" for s in SOURCE_SUFFIXES if (folder / f"{stem}{s}").is_file()}
        if not found:
            continue
        if prefer == "pdf" and ".pdf" in found:
            source = found[".pdf"]
        else:
            source = next((found[s] for s in TEXT_SOURCES if s in found), None) or found.get(".pdf")
        if prefer == "pdf" and source.suffix != ".pdf":
            continue  # side by side: only the documents that have a PDF
        try:
            meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError):
            meta = {}
        number = re.match(r"\d+", stem)
        docs.append(Doc(stem, source, meta_path, number.group(0) if number else "", meta if isinstance(meta, dict) else {}))
    return docs


def make_project(base: Path, docs: list[Doc]) -> Path:
    root = base / "project"
    (root / "corpus").mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets", ignore=shutil.ignore_patterns("generated"))
    for extra in ("overrides", "hooks"):
        shutil.copytree(REPO / extra, root / extra)
    for name in ("chrome.yml", "glossary.yml"):
        if (REPO / "corpus" / name).exists():
            shutil.copy2(REPO / "corpus" / name, root / "corpus" / name)
    for doc in docs:
        shutil.copy2(doc.source, root / "corpus" / doc.source.name)
        shutil.copy2(doc.meta_path, root / "corpus" / doc.meta_path.name)
    return root


def build(root: Path) -> tuple[dict | None, str]:
    """Build the project in this process; (build report, "") or (None, the error)."""
    from . import pipeline
    from .errors import BuilderError, ConfigError

    try:
        result = pipeline.run(pipeline.Options(root, jobs=1))
    except ConfigError as exc:
        return None, "; ".join(exc.problems)
    except BuilderError as exc:
        return None, str(exc)
    return result.report, ""


def evaluate(folder: Path, only: set[str] | None = None, prefer: str = "txt",
             progress=lambda message: None) -> list[Score]:
    key = json.loads((folder / "key.json").read_text(encoding="utf-8")) if (folder / "key.json").exists() else {}
    docs = [d for d in find_documents(folder, prefer) if not only or d.number in only or d.stem in only]
    scores: dict[str, Score] = {d.stem: Score(d.stem, d.source.suffix[1:]) for d in docs}
    remaining = list(docs)
    with tempfile.TemporaryDirectory(prefix="builder-eval-") as tmp:
        report, error = None, ""
        for attempt in range(len(docs) + 1):
            if not remaining:
                break
            base = Path(tmp) / f"try{attempt}"
            progress(f"building {len(remaining)} documents ({prefer})")
            report, error = build(make_project(base, remaining))
            if report is not None:
                break
            named = [d for d in remaining if d.source.name in error or d.meta_path.name in error]
            for d in named or remaining:
                scores[d.stem].added = False
                scores[d.stem].error = _first_problem(error, d)
            remaining = [d for d in remaining if d not in (named or remaining)]
        if report is not None:
            for doc in remaining:
                _score_document(scores[doc.stem], doc, key, report, base / "project")
    return list(scores.values())


def _first_problem(error: str, doc: Doc) -> str:
    for part in error.split("; "):
        if doc.source.name in part or doc.meta_path.name in part:
            return part
    return error[:300]


def _score_document(score: Score, doc: Doc, key: dict, report: dict, root: Path) -> None:
    entry = next((d for d in report["documents"] if d["source"].endswith("/" + doc.source.name)), None)
    if entry is None:
        score.added, score.error = False, "not in the build report"
        return
    glyphs = glyph_table(doc.meta.get("private_use") or {})
    page = read_page(root / "site" / "documents" / entry["id"] / "index.html", glyphs)
    text_name = next((f"{doc.stem}{s}" for s in TEXT_SOURCES if (doc.source.parent / f"{doc.stem}{s}").exists()), "")
    footnote_key = key.get("footnotes", {}).get(text_name)
    if footnote_key:
        score_footnotes(score, footnote_key, page, glyphs, glued_kind=doc.source.suffix in (".md", ".csv")
                        or footnote_key.get("page_map") is None and doc.source.suffix == ".txt")
    structure_key = key.get("structure", {}).get(doc.number)
    if structure_key:
        score_structure(score, structure_key, page, glyphs)
    # conservation against the text: a PDF is measured against its text extraction when present
    reference = doc.source.parent / text_name if text_name else doc.source
    if reference.suffix != ".pdf":
        score_conservation(score, reference, page, [c["text"] for c in entry.get("chrome", [])], glyphs)


# --------------------------------------------------------------------------- output


CEILINGS = ("wrong", "false")  # figures that may not rise; every other figure may not fall


def missed_floors(figures: dict, floors: dict) -> list[str]:
    """The figures of ``totals`` that fall below their floor (or rise above it, for CEILINGS)."""
    return [f"{name}: {figures[name]} {'>' if name in CEILINGS else '<'} {floor}" for name, floor in floors.items()
            if (figures[name] > floor if name in CEILINGS else figures[name] < floor)]


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}" if whole else "–"


def totals(scores: list[Score]) -> dict:
    added = [s for s in scores if s.added]
    t = {name: sum(getattr(s, name) for s in added) for name in
         ("markers_total", "resolvable", "found", "resolved", "wrong", "false", "glued_total", "glued_found",
          "checks", "passed", "chars_in", "chars_shown", "chars_on_page")}
    t.update(documents=len(scores), added=len(added),
             recall=round(100.0 * t["resolved"] / t["resolvable"], 1) if t["resolvable"] else 100.0,
             found_percent=round(100.0 * t["found"] / t["markers_total"], 1) if t["markers_total"] else 100.0,
             glued_percent=round(100.0 * t["glued_found"] / t["glued_total"], 1) if t["glued_total"] else 100.0,
             structure_percent=round(100.0 * t["passed"] / t["checks"], 1) if t["checks"] else 100.0,
             min_conservation=round(min((s.conservation for s in added), default=100.0), 2))
    return t


def table(scores: list[Score]) -> str:
    head = ("| document | src | markers found | resolved / resolvable | wrong | false | glued | structure | "
            "conserved % | on page % |\n|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    for s in scores:
        if not s.added:
            rows.append(f"| {s.name} | {s.source} | not added: {s.error[:80]} | | | | | | | |")
            continue
        rows.append(f"| {s.name} | {s.source} | {s.found}/{s.markers_total} | {s.resolved}/{s.resolvable} | "
                    f"{s.wrong} | {s.false} | {s.glued_found}/{s.glued_total} | {s.passed}/{s.checks} "
                    f"({_pct(s.passed, s.checks)} %) | {s.conservation:.2f} | {s.on_page:.1f} |")
    t = totals(scores)
    rows.append(f"| **total** ({t['added']}/{t['documents']} added) | | {t['found']}/{t['markers_total']} | "
                f"{t['resolved']}/{t['resolvable']} ({t['recall']} %) | {t['wrong']} | {t['false']} | "
                f"{t['glued_found']}/{t['glued_total']} ({t['glued_percent']} %) | {t['passed']}/{t['checks']} "
                f"({t['structure_percent']} %) | min {t['min_conservation']} | |")
    return "\n".join([head, *rows])


def main(folder: Path, only: str | None, as_json: bool, source: str, details: bool) -> int:
    if not (folder / "key.json").is_file():
        print(f"error: {folder}: no key.json (the answer key) in this folder", file=sys.stderr)
        return 1
    wanted = {part.strip() for part in only.split(",")} if only else None
    progress = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    runs = ["txt", "pdf"] if source == "both" else [source]
    results = {run: evaluate(folder, wanted, run, progress) for run in runs}
    if as_json:
        out = {run: {"documents": [dict(vars(s), conservation=round(s.conservation, 2), on_page=round(s.on_page, 2))
                                   for s in scores],
                     "totals": totals(scores)} for run, scores in results.items()}
        print(json.dumps(out if source == "both" else out[source], ensure_ascii=False, indent=1))
        return 0
    for run, scores in results.items():
        if source == "both":
            print(f"\n### {run} sources\n")
        print(table(scores))
        if details:
            for s in scores:
                if s.failures:
                    print(f"\n{s.name}:")
                    for failure in s.failures:
                        print(f"  - {failure}")
    return 0
