"""MkDocs hook: a footnote marker shows the source's own label, as its note does.

Python-Markdown numbers footnote references 1, 2, 3… through the page, while each note begins
with the label the source printed ("①", "¹", "a": notes restart per page in many journals).
Showing both made notes read "1. ① …" and a marker "5" point to a note labelled "①". This hook
gives every reference the label its note starts with (superscript digits as plain digits: the
reference is already set in superscript); the stylesheet hides the list's own numbers and puts a
thin separator between adjacent markers, so "8" "9" never read "89". The label stays the first
word of the note's text, for readers and tools alike.
"""

from __future__ import annotations

import html
import re

_NOTE = re.compile(r'<li id="fn:(\d+)">\s*<p>([^\s<]+)')
_REF = re.compile(r'(<sup id="fnref(?::|\d+:)(\d+)"><a class="footnote-ref" href="#fn:\2">)(\d+)(</a></sup>)')
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def labels(page_html: str) -> dict[str, str]:
    """Note number -> the label its text begins with."""
    return {number: html.unescape(label).translate(_SUPERSCRIPT) for number, label in _NOTE.findall(page_html)}


def relabel(page_html: str) -> str:
    found = labels(page_html)
    if not found:
        return page_html
    return _REF.sub(lambda m: m.group(1) + html.escape(found.get(m.group(2), m.group(3))) + m.group(4), page_html)


def on_page_content(html_text, page, config, files):
    return relabel(html_text) if 'class="footnote-ref"' in html_text else html_text
