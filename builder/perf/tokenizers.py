"""jieba tokenizers kept for the next build of the same process (``serve``, the benchmark's
rebuilds): making one copies jieba's main dictionary and adds the glossary's words.

A tokenizer is never changed once made, so the process keeps the latest of each kind, keyed by
the exact words added in their order: the next build with the same curated names and glossary
reuses it, and a build with other words gets a fresh one, so no build's words leak into another's.
"""

from __future__ import annotations

from typing import Callable

# kind -> (the words added, in order; the tokenizer; its user words' tags as made)
_KEPT: dict[str, tuple[tuple, object, dict]] = {}


def with_words(kind: str, words: list[str], new: Callable[[], object], add: Callable[[object, str], None]):
    """A tokenizer made by ``new()`` with ``words`` added in order by ``add`` (each word's
    frequency depends on the words before it, so the order is part of the key)."""
    key = tuple(words)
    kept = _KEPT.get(kind)
    if kept is not None and kept[0] == key:
        tokenizer = kept[1]
        # jieba's part-of-speech tokenizer moves the user words' tags out of the tokenizer when
        # it first segments: each build's gets them again, as from a fresh tokenizer
        tokenizer.user_word_tag_tab = dict(kept[2])
        return tokenizer
    tokenizer = new()
    for word in words:
        add(tokenizer, word)
    _KEPT[kind] = (key, tokenizer, dict(tokenizer.user_word_tag_tab))
    return tokenizer
