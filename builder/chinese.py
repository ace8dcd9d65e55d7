"""Helpers for Chinese text that several stages share: the Han range, the full-width table, pinyin
and traditional characters.

Defined once here so that the glossary (terms.py) and its index pages (indexes.py) use the same
rules without importing each other.
"""

from __future__ import annotations

import functools
import re
import unicodedata

HAN = "\u3400-\u9fff"  # CJK Unified Ideographs and Extension A, for character classes
HAN_RE = re.compile(f"[{HAN}]")
# Full-width ASCII forms (！ to ～) -> their ASCII characters, for str.translate
FULLWIDTH_ASCII = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


@functools.lru_cache(maxsize=1 << 16)  # pure: each name looked up once per process
def pinyin_of(zh: str) -> str:
    """Pinyin with tone marks, one syllable per Han character, Latin runs kept: 北斗 -> běi dǒu."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(zh.replace("·", " "), style=Style.TONE, errors=lambda text: re.findall(r"[A-Za-z0-9]+", text))
    return " ".join(s for s in syllables if s.strip())


def toneless(pinyin: str) -> str:
    """běi dǒu -> bei dou."""
    decomposed = unicodedata.normalize("NFD", pinyin)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c))).replace("ü", "v")


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    """The traditional-character form (OpenCC s2t): 美国 -> 美國."""
    return _converter().convert(text)
