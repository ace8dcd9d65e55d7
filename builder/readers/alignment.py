"""Aligning the paragraphs of a translation with those of its original by content, not position.

Used by the parallel reader when the page does not alternate its languages paragraph by
paragraph (all English first, then all Chinese; paragraphs dropped or added on one side). The
two sequences are aligned in order (dynamic programming, as sentence aligners do): a pair scores
by what both sides share that translation keeps — numbers (years, counts: "2014" = "2014年"),
Latin names and acronyms the Chinese keeps ("GLONASS", "PPWT"), both or neither being a heading —
and loses by a length ratio far from the document's usual one; leaving a paragraph unpaired
costs a fixed amount. Only 1:1 pairs are made: a side of a pair is one paragraph.

What this module may do: compare texts and return index pairs. It changes nothing.
"""

from __future__ import annotations

import math
import re

SKIP_COST = 1.0
_NUMBER = re.compile(r"\d+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9-]+")


def align(english: list[str], chinese: list[str], english_headings: list[bool] | None = None,
          chinese_headings: list[bool] | None = None) -> list[tuple[int, int]]:
    """Index pairs (i, j): english[i] translates chinese[j], both in increasing order."""
    english_headings = english_headings or [False] * len(english)
    chinese_headings = chinese_headings or [False] * len(chinese)
    ratio = (sum(map(len, english)) + 1) / (sum(map(len, chinese)) + 1)
    features_en = [_features(text) for text in english]
    features_zh = [_features(text) for text in chinese]
    rows, cols = len(english), len(chinese)
    score = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    move = [[""] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows + 1):
        for j in range(cols + 1):
            if i == 0 and j == 0:
                continue
            options = []
            if i and j:
                similarity = _similarity(english[i - 1], chinese[j - 1], features_en[i - 1], features_zh[j - 1],
                                         ratio, english_headings[i - 1] == chinese_headings[j - 1])
                options.append((score[i - 1][j - 1] + similarity, "pair"))
            if i:
                options.append((score[i - 1][j] - SKIP_COST, "english"))
            if j:
                options.append((score[i][j - 1] - SKIP_COST, "chinese"))
            score[i][j], move[i][j] = max(options)
    pairs = []
    i, j = rows, cols
    while i or j:
        step = move[i][j]
        if step == "pair":
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif step == "english":
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _features(text: str) -> tuple[set[str], set[str]]:
    numbers = set(_NUMBER.findall(text.replace(",", "")))
    names = {word.lower() for word in _LATIN.findall(text) if len(word) >= 3}
    return numbers, names


def _similarity(english: str, chinese: str, features_en, features_zh, ratio: float, same_kind: bool) -> float:
    numbers_en, names_en = features_en
    numbers_zh, names_zh = features_zh
    shared_numbers = len(numbers_en & numbers_zh)
    unmatched_numbers = len(numbers_en ^ numbers_zh)
    shared_names = len(names_zh & names_en)
    length = abs(math.log((len(english) + 1) / (len(chinese) + 1) / ratio))
    return (1.0 + 2.0 * shared_numbers + 1.0 * shared_names - 0.5 * unmatched_numbers - 2.0 * length
            + (1.0 if same_kind else -3.0))
