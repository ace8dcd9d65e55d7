"""Normalisation: bytes -> clean text. Str in, str out, with a record of what was changed or dropped.

- decode: BOM-aware UTF-8/UTF-16/UTF-32, then UTF-8, then GB18030 or Big5 (charset-normalizer judges
  which; ``encoding:`` in the metadata decides); binary files rejected.
- characters: line endings, full-width ASCII letters/digits/space -> ASCII (Chinese punctuation
  stays), private-use characters mapped from metadata (unmapped ones warned about), control
  characters dropped.
- join_lines: hard-wrapped lines re-joined without stray spaces between Chinese characters.
- URLs: repair of URLs broken by spaces or line breaks is in ``links.py``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from .chinese import FULLWIDTH_ASCII
from .diagnostics import Diagnostics
from .errors import SourceError

MAX_BYTES = 64 * 1024 * 1024

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def decode(data: bytes, path: str, declared: str = "") -> tuple[str, str]:
    """Decoded text and the encoding used: a byte-order mark's, UTF-16 by its NUL bytes, UTF-8,
    or else GB18030 or Big5 as a detector judges; ``declared`` (the metadata's ``encoding:``) decides where
    given. Raises SourceError for binary or undecodable input, or when the encoding cannot be
    told."""
    if len(data) > MAX_BYTES:
        raise SourceError(path, f"file is {len(data) // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise SourceError(path, f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc.reason}") from None
    utf16 = _utf16_byte_order(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = None
        if text is not None and _control_ratio(text) <= 0.05:
            return text, utf16
    if b"\x00" in data:
        raise SourceError(path, "binary file (contains NUL bytes), not a text")
    if declared:
        return _decode_as(data, path, declared), declared
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    legacy = _legacy_encoding(data, path)
    if legacy is None:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise SourceError(path, "not UTF-8, UTF-16 or GB18030 text, nor Big5 (undecodable bytes); if you know "
                                "its encoding, name it in the metadata (encoding: ...)", line) from None
    text = data.decode(legacy)
    if _control_ratio(text) > 0.05:
        raise SourceError(path, "binary file (mostly control characters), not a text")
    return text, legacy


# Chinese texts that are not Unicode: mainland GB18030 (a superset of GBK and GB2312) or Big5
# (Taiwan, Hong Kong). Both decode almost any byte pair, so decoding without error proves
# nothing: charset-normalizer judges which one reads as language rather than noise.
LEGACY_ENCODINGS = ("gb18030", "big5")


def _legacy_encoding(data: bytes, path: str) -> str | None:
    """GB18030 or Big5 for a text that is not UTF-8: the one that decodes it, or where both do,
    the one charset-normalizer judges to read as language (GB18030 when neither does, as
    before). None when neither decodes it. Raises SourceError asking for ``encoding:`` when
    both read equally well (too little text to tell)."""
    decodable = [name for name in LEGACY_ENCODINGS if _decodes(data, name)]
    if len(decodable) < 2:
        return decodable[0] if decodable else None
    from charset_normalizer import from_bytes

    candidates = sorted((match for match in from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS))
                         if match.encoding in LEGACY_ENCODINGS), key=lambda match: (match.chaos, -match.coherence))
    if not candidates:
        return LEGACY_ENCODINGS[0]
    best = candidates[0]
    if len(candidates) > 1 and (best.chaos, best.coherence) == (candidates[1].chaos, candidates[1].coherence):
        names = " or ".join(match.encoding for match in candidates)
        raise SourceError(path, f"not UTF-8, and it reads equally as {names}; name its encoding in "
                                f"the metadata (encoding: {best.encoding}) or save it as UTF-8")
    return best.encoding


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _decode_as(data: bytes, path: str, encoding: str) -> str:
    """The text in the encoding the metadata names (``encoding:``)."""
    try:
        return data.decode(encoding)
    except LookupError:
        raise SourceError(path, f"unknown encoding {encoding!r} (named in the metadata)") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(path, f"not {encoding} text as the metadata says (undecodable bytes)", line) from None


def _utf16_byte_order(data: bytes) -> str | None:
    """UTF-16 without BOM: NUL bytes (the high byte of ASCII characters such as line breaks)
    mostly at odd offsets means little-endian, mostly at even offsets big-endian. Chinese-heavy
    text has few of them, and a few Han characters (U+4E00 一) put one on the other side, so
    the test is a clear majority on one side rather than a share of the whole sample."""
    sample = data[:65536]
    if len(data) % 2 or b"\x00" not in sample:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > 4 * even:
        return "utf-16-le"
    if even > 4 * odd:
        return "utf-16-be"
    return None


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:20000]
    bad = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\n\r\t")
    return bad / len(sample)


# --------------------------------------------------------------------------- characters

_FULLWIDTH = FULLWIDTH_ASCII
# Full-width letters and digits become ASCII; full-width punctuation is Chinese punctuation and
# stays, except in runs of Latin text (handled by widen_latin_punctuation).
_ALNUM_TABLE = {cp: to for cp, to in _FULLWIDTH.items() if chr(to).isalnum()}
_ALNUM_TABLE[0x3000] = 0x20  # ideographic space
_ALNUM_TABLE[0x00A0] = 0x20  # no-break space
# The same replacements by search: few characters of a text are in the table, and str.translate
# with a dict looks up every character (ten times slower on a 100,000-character text).
_ALNUM_CHARS = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_ALNUM_TABLE)) + "]")
_ALNUM_MAP = {chr(cp): chr(to) for cp, to in _ALNUM_TABLE.items()}
# Not '，' or '：': between digits they are Chinese punctuation ("CP 1338，2025年").
_LATIN_PUNCT_IN_RUN = re.compile(r"(?=[．－／＆＿＠％＋＝])(?<=[A-Za-z0-9]).(?=[A-Za-z0-9])")
_PUNCT_FULL_TO_ASCII = {"．": ".", "，": ",", "－": "-", "／": "/", "：": ":", "＆": "&", "＿": "_", "＠": "@",
                        "％": "%", "＋": "+", "＝": "="}
# Private-use areas: the BMP's and the two supplementary planes' (PDF fonts put stand-in glyphs there).
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\u2060\ufeff]")


def normalize_characters(text: str, private_use: dict[str, str], path: str,
                         diag: Diagnostics) -> tuple[str, list[tuple[int, str, str]]]:
    """Clean characters of a decoded source. Returns (text, dropped) with dropped as
    (line, text, reason) for characters removed (control and zero-width characters)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    dropped: list[tuple[int, str, str]] = []
    if _CONTROL.search(text):
        text = _drop_controls(text, dropped)
    text = map_private_use(text, private_use, path, diag)  # first: the rules below see real characters
    text = _ALNUM_CHARS.sub(lambda m: _ALNUM_MAP[m.group()], text)
    text = _LATIN_PUNCT_IN_RUN.sub(lambda m: _PUNCT_FULL_TO_ASCII[m.group()], text)
    return text, dropped


def _drop_controls(text: str, dropped: list[tuple[int, str, str]]) -> str:
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        found = _CONTROL.findall(line)
        if found:
            names = ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))
            dropped.append((number, "".join(found), f"control or zero-width characters ({names})"))
            lines[number - 1] = _CONTROL.sub("", line)
    return "\n".join(lines)


def map_private_use(text: str, mapping: dict[str, str], path: str, diag: Diagnostics) -> str:
    """Replace stand-in glyphs with the characters the metadata maps them to.

    Every code point the metadata names is mapped: private-use ones in any plane (U+E010,
    U+1001B0) and others a font used as stand-ins (Yi syllables such as U+A3AC for "，").
    An unmapped private-use character stays visible in the text and is reported once per code
    point with the first line it occurs on, so an editor can add it to ``private_use``.
    """
    table = {int(k, 16): v for k, v in mapping.items()}
    if table:
        text = text.translate(table)
    if not PRIVATE_USE.search(text):
        return text
    unmapped: dict[str, int] = {}
    for m in PRIVATE_USE.finditer(text):
        if ord(m.group()) not in table and m.group() not in unmapped:
            unmapped[m.group()] = text.count("\n", 0, m.start()) + 1
    for char, line in unmapped.items():
        diag.warn("normalize.private-use", f"{path}:{line}",
                  f"private-use character U+{ord(char):04X} has no mapping; add it to the document's "
                  f"'private_use' metadata (e.g. {ord(char):04X}: '.')")
    return text


# --------------------------------------------------------------------------- line joining

CJK = "\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_CHAR = re.compile(f"[{CJK}\u201c\u201d\u2018\u2019\u2014\u2026\u00b7\u2022]")
_SPACES = re.compile(r"[ \t]+")


def is_cjk(char: str) -> bool:
    return bool(char) and bool(_CJK_CHAR.match(char))


def join_lines(lines: list[str]) -> str:
    """Re-join hard-wrapped lines into one paragraph.

    No space is put between two lines where either side of the break is Chinese; one space
    between Latin words. Runs of spaces collapse to one; spaces between two Chinese characters
    inside a line (PDF layout padding) are removed.
    """
    out = ""
    for raw in lines:
        line = (_SPACES.sub(" ", raw) if "  " in raw or "\t" in raw else raw).strip()
        if not line:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(line[0]) or out.endswith(("-", "/"))):
            out += " "
        out += line
    return tighten_cjk_spaces(out)


# The character before the spaces is matched (and put back), not looked behind for: a pattern
# that starts with a character class is searched for quickly, one that starts with a look-behind
# is tried at every position.
_CJK_SPACE = re.compile(f"([{CJK}]) +(?=[{CJK}])")


def tighten_cjk_spaces(text: str) -> str:
    """Remove spaces between two Chinese characters or punctuation marks."""
    return _CJK_SPACE.sub(r"\1", text) if " " in text else text


def visible_chars(text: str) -> int:
    """Characters that count for conservation: everything but whitespace."""
    return sum(1 for c in text if not c.isspace())
