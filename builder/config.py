"""Corpus metadata: find ``corpus/<stem>.txt`` + ``corpus/<stem>.yml`` pairs and validate them.

Every problem in every file is collected and raised once as a ConfigError, each as one line
naming the file (and line, where YAML gives one) and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import files, readers
from .yamlfile import parse_yaml, yaml_problem  # noqa: F401  (editors' YAML, parsed the same everywhere)
from .errors import ConfigError, SourceError
from .models import Author, DocMeta

TEXT_SUFFIXES = (".txt", ".md", ".csv", ".pdf")  # .csv: a scrape, one row per paragraph (reader parallel)
PDF_SUFFIX = ".pdf"  # a PDF is read by the pdf reader (page layout); beside a text of the same stem, it wins
META_SUFFIXES = (".yml", ".yaml")
SPECIAL_FILES = {"glossary.yml", "glossary.yaml", "chrome.yml", "chrome.yaml"}

READERS = tuple(readers.READERS)  # the registry of readers/__init__.py names them
KINDS = ("journal-article", "policy-paper", "translation", "news-repost", "web-article")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
LANG = re.compile(r"^[a-z]{2}(-[A-Za-z]+)?$")
PUA_KEY = re.compile(r"^(U\+)?[0-9A-Fa-f]{4,6}$")
PAGE_RANGE = re.compile(r"^\d{1,4}(\s*[-–]\s*\d{1,4})?$")
SAFE_URL = re.compile(r"^https?://[^\s<>\"]+$", re.I)


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple
    required: bool
    doc: str


FIELDS = [
    Field("id", (str,), True, "URL slug of the document page: lowercase letters, digits, hyphens."),
    Field("title", (dict,), True, "Title: {zh: ..., en: ...}; zh required."),
    Field("kind", (str,), True, "What kind of source: " + ", ".join(KINDS) + "."),
    Field("reader", (str,), True, "Which reader parses the text: " + ", ".join(READERS) + "."),
    Field("languages", (list,), True, "Languages of the text, e.g. [zh] or [en, zh]."),
    Field("authors", (list,), False, "List of {name, romanized}."),
    Field("translators", (list,), False, "A translation's translators: list of {name, romanized}."),
    Field("venue", (str,), False, "Journal, outlet or series."),
    Field("publisher", (str,), False, "Publisher or site."),
    Field("date", (str, int), False, "YYYY, YYYY-MM or YYYY-MM-DD."),
    Field("source_url", (str,), False, "Where the text was published."),
    Field("doi", (str,), False, "DOI, if the text gives one."),
    Field("summary", (str,), False, "One-paragraph description for the home page."),
    Field("source_note", (str,), False, "What readers should know about the source."),
    Field("editor_supplied", (list,), False, "Fields the text does not give, supplied by the editor."),
    Field("private_use", (dict,), False, "Private-use code point -> character, e.g. {E010: '.'}."),
    Field("note_style", (str,), False, "Footnote convention; 'auto' (default) detects it."),
    Field("glyph_map", (dict,), False, "Inside URLs only: a broken PDF font's stand-in glyph -> the "
          "character it stands for, e.g. {牶: ':'}."),
    Field("related", (list,), False, "Ids of documents this one refers to."),
    Field("encoding", (str,), False, "Encoding of the source text when it is not Unicode and cannot be told, "
          "e.g. big5 or gb18030 (otherwise detected)."),
    Field("pages", (str, int), False, "PDF extractions: the pages of the file that hold the article, e.g. "
          "'2-23' (pages of the PDF, i.e. form-feed pages of the text); the rest is chrome."),
    Field("csv", (dict,), False, "CSV sources: which column holds what, e.g. {text: full_text, title: "
          "title, author: author, date: date_pub}; text defaults to a column named full_text, text, "
          "body, content or paragraph."),
]
FIELD_NAMES = {f.name for f in FIELDS}
NOTE_STYLES = ("auto", "circled", "superscript", "letter", "numeric", "none")


def load_corpus(corpus: Path, root: Path | None = None) -> list[DocMeta]:
    """All documents of the corpus, sorted by id. Raises ConfigError listing every problem."""
    root = root or corpus.parent
    problems: list[str] = []
    if not corpus.is_dir():
        raise ConfigError([f"{corpus}: corpus folder not found"])
    texts, metas = _pair_files(corpus, problems)
    docs = []
    for stem in sorted(set(texts) | set(metas)):
        if stem not in metas:
            problems.append(f"{_rel(texts[stem], root)}: source text has no metadata file "
                            f"(add {stem}.yml beside it)")
            continue
        if stem not in texts:
            problems.append(f"{_rel(metas[stem], root)}: metadata file has no source text "
                            f"(expected {stem}.txt, {stem}.md or {stem}.csv beside it)")
            continue
        doc = _load_meta(metas[stem], texts[stem], root, problems)
        if doc:
            docs.append(doc)
    _check_unique_ids(docs, problems)
    _check_related(docs, problems)
    if problems:
        raise ConfigError(problems)
    return sorted(docs, key=lambda d: d.id)


def _pair_files(corpus: Path, problems: list[str]) -> tuple[dict[str, Path], dict[str, Path]]:
    texts: dict[str, Path] = {}
    metas: dict[str, Path] = {}
    for path in sorted(corpus.iterdir()):
        if path.name.startswith(".") or _is_folder(path):
            continue
        if path.suffix in TEXT_SUFFIXES or path.suffix in META_SUFFIXES or path.name in SPECIAL_FILES:
            why = files.problem(path, corpus)  # only regular files inside corpus/ are read
            if why:
                problems.append(f"{_rel(path, corpus.parent)}: {why}")
                continue
        if path.name in SPECIAL_FILES:
            continue
        if path.suffix in TEXT_SUFFIXES:
            target = texts
        elif path.suffix in META_SUFFIXES:
            target = metas
        else:
            continue
        if path.stem in target:
            if PDF_SUFFIX in (path.suffix, target[path.stem].suffix) and target is texts:
                target[path.stem] = path if path.suffix == PDF_SUFFIX else target[path.stem]
                continue
            problems.append(f"{_rel(path, corpus.parent)}: two files for '{path.stem}' "
                            f"({target[path.stem].name} and {path.name}); keep one")
        target[path.stem] = path
    return texts, metas


def _is_folder(path: Path) -> bool:
    """A real folder of corpus/ (not a link to one: links are checked like files)."""
    return path.is_dir() and not path.is_symlink()


def _rel(path: Path, root: Path) -> str:
    """The path relative to the project (the link's own name for a link, not its target)."""
    try:
        return str(path.parent.resolve().relative_to(root.resolve()) / path.name)
    except (ValueError, OSError, RuntimeError):
        return str(path)


def _load_meta(meta_path: Path, text_path: Path, root: Path, problems: list[str]) -> DocMeta | None:
    where = _rel(meta_path, root)
    try:
        text = files.read_text(meta_path, meta_path.parent, where)
        raw, node = parse_yaml(text)
    except SourceError as exc:
        problems.append(str(exc))
        return None
    except yaml.YAMLError as exc:
        problems.append(yaml_problem(where, exc))
        return None
    if not isinstance(raw, dict):
        problems.append(f"{where}: metadata must be a mapping of fields (id, title, kind, reader, languages)")
        return None
    before = len(problems)
    key_lines = _key_lines(node, where, problems)
    fields_ok = _check_fields(raw, where, problems)
    doc = _to_meta(raw, where, _rel(text_path, root), problems) if fields_ok else None
    _add_lines(problems, before, where, key_lines)
    return doc


def _key_lines(node, where: str, problems: list[str]) -> dict[str, int]:
    """Line of each top-level field; a field given twice (YAML keeps the last silently) is a problem."""
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        line = key.start_mark.line + 1
        if key.value in lines:
            problems.append(f"{where}:{line}: field '{key.value}' is given twice "
                            f"(also on line {lines[key.value]}); keep one")
        else:
            lines[key.value] = line
    return lines


_FIELD_IN_PROBLEM = re.compile(r"field '([A-Za-z_]+)")


def _add_lines(problems: list[str], start: int, where: str, key_lines: dict[str, int]) -> None:
    """Put the line of the field a problem names after the file name: ``corpus/a.yml:4: …``."""
    prefix = f"{where}: "
    for index in range(start, len(problems)):
        problem = problems[index]
        match = _FIELD_IN_PROBLEM.search(problem)
        if problem.startswith(prefix) and match and match.group(1) in key_lines:
            problems[index] = f"{where}:{key_lines[match.group(1)]}: {problem[len(prefix):]}"


_TYPE_NAMES = {"str": "text", "dict": "a mapping", "list": "a list", "int": "a number",
               "bool": "true/false", "float": "a number", "NoneType": "nothing"}


def _check_fields(raw: dict, where: str, problems: list[str]) -> bool:
    """Unknown fields, missing required fields, wrong types. False when a field the rest of
    validation needs is missing or of the wrong type."""
    ok = True
    for key in raw:
        if key not in FIELD_NAMES:
            problems.append(f"{where}: unknown field '{key}' (known: {', '.join(sorted(FIELD_NAMES))})")
    for f in FIELDS:
        value = raw.get(f.name)
        if value is None:
            if f.required:
                problems.append(f"{where}: missing required field '{f.name}' ({f.doc})")
                ok = False
            continue
        if not isinstance(value, f.types) or isinstance(value, bool):
            names = " or ".join(_TYPE_NAMES.get(t.__name__, t.__name__) for t in f.types)
            got = _TYPE_NAMES.get(type(value).__name__, type(value).__name__)
            problems.append(f"{where}: field '{f.name}' must be {names}, got {got} ({f.doc})")
            ok = False
    return ok


def _to_meta(raw: dict, where: str, text_rel: str, problems: list[str]) -> DocMeta | None:
    before = len(problems)
    doc_id = str(raw["id"])
    if not SLUG.match(doc_id) or len(doc_id) > 80:
        problems.append(f"{where}: field 'id' must be a URL slug (lowercase a-z, 0-9, '-'), got {doc_id!r}")
    title = raw["title"]
    english_only = "zh" not in (raw["languages"] or [])
    title_en = _str_field(title, "en", where, "title.en", problems)
    title_zh = _str_field(title, "zh", where, "title.zh", problems, required=not (english_only and title_en))
    title_zh, title_en = _display_titles(title_zh, title_en)
    if raw["kind"] not in KINDS:
        problems.append(f"{where}: field 'kind' must be one of {', '.join(KINDS)}, got {raw['kind']!r}")
    if text_rel.lower().endswith(PDF_SUFFIX):
        raw = {**raw, "reader": "pdf"}  # the PDF itself is read, whatever reader its text would take
    elif raw["reader"] == "pdf":
        problems.append(f"{where}: field 'reader' is pdf, which reads a PDF, but the source is {text_rel}; "
                        f"put the PDF beside the metadata or name the reader of this text")
    if raw["reader"] not in READERS:
        problems.append(f"{where}: field 'reader' must be one of {', '.join(READERS)}, got {raw['reader']!r}")
    langs = raw["languages"]
    if not langs or not all(isinstance(x, str) and LANG.match(x) for x in langs):
        problems.append(f"{where}: field 'languages' must be a list of language codes such as [zh, en]")
    date = str(raw.get("date") or "")
    source_url = str(raw.get("source_url") or "")
    if source_url and not SAFE_URL.match(source_url):
        problems.append(f"{where}: field 'source_url' must be an http:// or https:// address, got {source_url!r}")
    if date and not _valid_date(date):
        problems.append(f"{where}: field 'date' must be YYYY, YYYY-MM or YYYY-MM-DD naming a real day, got {date!r}")
    encoding = str(raw.get("encoding") or "").strip()
    if encoding and not _known_encoding(encoding):
        problems.append(f"{where}: field 'encoding' names no known encoding, got {encoding!r} (e.g. big5, gb18030)")
    pages = str(raw.get("pages") or "").strip()
    if pages and not PAGE_RANGE.match(pages):
        problems.append(f"{where}: field 'pages' must be a page range such as '2-23' (first-last), got {pages!r}")
    authors = _authors(raw.get("authors") or [], where, problems)
    translators = _authors(raw.get("translators") or [], where, problems, "translators")
    private_use = _private_use(raw.get("private_use") or {}, where, problems)
    glyph_map = _glyph_map(raw.get("glyph_map") or {}, where, problems)
    csv_columns = _csv_columns(raw.get("csv"), raw["reader"], where, text_rel, problems)
    note_style = raw.get("note_style") or "auto"
    if note_style not in NOTE_STYLES:
        problems.append(f"{where}: field 'note_style' must be one of {', '.join(NOTE_STYLES)}")
    for key in ("editor_supplied", "related"):
        if not all(isinstance(x, str) for x in raw.get(key) or []):
            problems.append(f"{where}: field '{key}' must be a list of strings")
    if len(problems) > before:
        return None
    return DocMeta(
        id=doc_id, title_zh=title_zh, title_en=title_en, kind=raw["kind"], reader=raw["reader"],
        languages=list(langs), text_path=text_rel, meta_path=where, authors=authors, translators=translators,
        venue=str(raw.get("venue") or ""), publisher=str(raw.get("publisher") or ""), date=date,
        source_url=source_url, doi=str(raw.get("doi") or ""),
        summary=str(raw.get("summary") or ""), source_note=str(raw.get("source_note") or ""),
        editor_supplied=list(raw.get("editor_supplied") or []), private_use=private_use,
        note_style=note_style, related=list(raw.get("related") or []), glyph_map=glyph_map,
        csv=csv_columns, encoding=encoding, pages=pages,
    )


def _valid_date(date: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a day that exists (not 2023-13-45)."""
    import datetime

    if not DATE.match(date):
        return False
    year, month, day = (date.split("-") + ["01", "01"])[:3]
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _known_encoding(name: str) -> bool:
    import codecs

    try:
        return getattr(codecs.lookup(name), "_is_text_encoding", True)  # not base64, zlib, rot13
    except LookupError:
        return False


def _display_titles(title_zh: str, title_en: str) -> tuple[str, str]:
    """(main title, English subtitle). An English-only text may give title.en alone: it becomes
    the main title. A title given the same in both languages is shown once."""
    if not title_zh:
        return title_en, ""
    return title_zh, ("" if title_en == title_zh else title_en)


CSV_ROLES = ("text", "title", "author", "date")
# Other names an editor may give a role: "text_column", "body", "authors", "date_pub", …
CSV_ROLE_NAMES = {"body": "text", "content": "text", "full_text": "text", "paragraph": "text",
                  "authors": "author", "byline": "author", "date_pub": "date", "published": "date"}


def _csv_columns(spec, reader: str, where: str, text_rel: str, problems: list[str]) -> dict[str, str]:
    """The ``csv`` field: role -> column name (the reader checks each against the CSV's header row)."""
    is_csv = text_rel.lower().endswith(".csv")
    if spec is not None and not is_csv:
        problems.append(f"{where}: field 'csv' applies to a .csv source only (the source is {text_rel})")
        return {}
    if not is_csv:
        return {}
    if reader != "parallel":
        problems.append(f"{where}: field 'reader' must be parallel for a CSV source ({text_rel}), got {reader!r}")
    columns: dict[str, str] = {}
    for key, column in (spec or {}).items():
        role = str(key).strip().lower().removesuffix("_column")
        role = CSV_ROLE_NAMES.get(role, role)
        if role not in CSV_ROLES:
            problems.append(f"{where}: field 'csv' has unknown key {key!r} (known: {', '.join(CSV_ROLES)})")
        elif not isinstance(column, str) or not column.strip():
            problems.append(f"{where}: field 'csv.{role}' must be a column name")
        else:
            columns[role] = column.strip()
    return columns


def _str_field(mapping: dict, key: str, where: str, name: str, problems: list[str],
               required: bool = False) -> str:
    value = mapping.get(key)
    if value is None:
        if required:
            problems.append(f"{where}: missing required field '{name}'")
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}: field '{name}' must be a string")
        return ""
    return value.strip()


def _authors(items: list, where: str, problems: list[str], name: str = "authors") -> list[Author]:
    authors = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            authors.append(Author(item))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            authors.append(Author(item["name"].strip(), str(item.get("romanized") or "").strip()))
        else:
            problems.append(f"{where}: field '{name}[{i}]' must be a name or {{name, romanized}}")
    return authors


def _glyph_map(mapping: dict, where: str, problems: list[str]) -> dict[str, str]:
    out = {}
    for key, value in mapping.items():
        if not (isinstance(key, str) and len(key) == 1 and isinstance(value, str) and value):
            problems.append(f"{where}: field 'glyph_map' entry {key!r} must map one character to a string")
            continue
        out[key] = value
    return out


def _private_use(mapping: dict, where: str, problems: list[str]) -> dict[str, str]:
    out = {}
    for key, value in mapping.items():
        key_s = str(key).upper().removeprefix("U+")
        if not PUA_KEY.match(key_s) or not isinstance(value, str):
            problems.append(f"{where}: field 'private_use' entry {key!r} must map a hex code point to a string")
            continue
        out[key_s] = value
    return out


def _check_unique_ids(docs: list[DocMeta], problems: list[str]) -> None:
    seen: dict[str, str] = {}
    for doc in docs:
        if doc.id in seen:
            problems.append(f"{doc.meta_path}: duplicate id '{doc.id}' (also used by {seen[doc.id]})")
        seen[doc.id] = doc.meta_path


def _check_related(docs: list[DocMeta], problems: list[str]) -> None:
    ids = {doc.id for doc in docs}
    for doc in docs:
        for other in doc.related:
            if other not in ids:
                problems.append(f"{doc.meta_path}: field 'related' names '{other}', which is not the id "
                                f"of any document in the corpus")
