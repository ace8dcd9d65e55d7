"""Line shapes of plain-text PDF extractions, shared by the journal readers (``pdf_journal``
for texts without page breaks, ``pdf_paged`` for texts read page by page).

What this module may do: measure a line's display width, clean its spaces, tell whether it
ends a sentence, join wrapped lines (with the offset of each piece), and restore year ranges
whose dash was lost. It reads no document and decides nothing about structure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..footnotes import CIRCLED
from ..normalize import tighten_cjk_spaces

SENTENCE_END = "。！？…：.!?:"
CLOSERS = "”’」』）)"
_SPACES = re.compile(r"[ \t\u2003]+")
_TRAILING_MARKERS = re.compile(f"(?:[{CIRCLED}]|(?<=[^A-Za-z\\s])[a-z])+$")
_YEAR_RANGE = re.compile(r"(?<!\d)((?:1[5-9]|20)\d\d)((?:1[5-9]|20)\d\d)(?=\s*年)")


class _CharWidths(dict):
    """Character -> display width, each looked up in Unicode's table once."""

    def __missing__(self, char: str) -> int:
        width = self[char] = 2 if unicodedata.east_asian_width(char) in "WFA" else 1
        return width


_WIDTHS = _CharWidths()


def display_width(text: str) -> int:
    """Width in half-em units: wide (Chinese) characters count 2, others 1."""
    return sum(map(_WIDTHS.__getitem__, text))


def clean(text: str) -> str:
    return tighten_cjk_spaces(_SPACES.sub(" ", text).strip())


_NUMERAL_GAP = re.compile(r"^([一二三四五六七八九十]{1,3})\s+(?=\S)")


def heading_text(raw: str) -> str:
    """A heading line cleaned, keeping the space after a bare Chinese numeral (``一 引言``)."""
    loose = _SPACES.sub(" ", raw).strip()
    match = _NUMERAL_GAP.match(loose)
    if match:
        return f"{match.group(1)} {tighten_cjk_spaces(loose[match.end():])}"
    return tighten_cjk_spaces(loose)


@dataclass
class Line:
    number: int  # 1-based source line
    raw: str

    def __post_init__(self) -> None:
        self.text = clean(self.raw)
        self.indented = bool(self.text) and self.raw[:1] in (" ", "\t", "\u3000", "\u2003")
        self.width = display_width(self.text)

    @property
    def blank(self) -> bool:
        return not self.text


def body_width(lines: list[Line]) -> int:
    """The width of a full body line: the most common width of lines set in Chinese type only
    (Latin letters are proportional, so lines holding them vary in width)."""
    counts: dict[int, int] = {}
    for line in lines:
        if line.width >= 20 and not re.search("[A-Za-z]", line.text):
            counts[line.width] = counts.get(line.width, 0) + 1
    if not counts:
        return 70
    return max(sorted(counts), key=lambda w: counts[w])


def ends_sentence(text: str) -> bool:
    """Whether a line ends with sentence punctuation (markers after it do not count)."""
    text = text.rstrip()
    if text and (text[-1] in CIRCLED or "a" <= text[-1] <= "z"):  # else no trailing markers
        text = _TRAILING_MARKERS.sub("", text).rstrip()
    if not text:
        return False
    if text[-1] in CLOSERS and len(text) > 1:
        return text[-2] in SENTENCE_END
    return text[-1] in SENTENCE_END


def restore_year_ranges(text: str) -> str:
    """``19791999年`` -> ``1979–1999年``: two plausible years, the first earlier, before 年."""
    return _YEAR_RANGE.sub(lambda m: f"{m.group(1)}–{m.group(2)}" if m.group(1) < m.group(2) else m.group(0), text)



def join(pieces: list[str]) -> str:
    return join_with_offsets(pieces)[0]


def join_with_offsets(pieces: list[str]) -> tuple[str, list[int]]:
    """Join cleaned lines (no space where either side is Chinese, one between Latin words) and
    give the offset where each piece starts in the result."""
    out, starts = "", []
    for piece in pieces:
        if out and piece and not (_wide(out[-1]) or _wide(piece[0]) or out.endswith(("-", "/"))):
            out += " "
        starts.append(len(out))
        out += piece
    return out, starts


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF" or char in "“”‘’—…·"
