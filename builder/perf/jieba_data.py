"""jieba's data, loaded once per process: its main dictionary (prefix frequencies) and its
word -> part-of-speech table, kept in a data folder (normally ``.build/jieba``) in a format that
loads several times faster than jieba's own cache and text file, and private tokenizers made
from them.

This module exists only for speed: it may read and write the data folder and hold the loaded
tables in module state. It holds no conversion rule; ``terms_extract`` and ``terms_align`` ask
it for tokenizers and tags.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from . import datafile

_BASE: dict = {}  # "freq": (FREQ, total) of jieba's main dictionary; "tags": its word -> tag table
DATA_FOLDER = ".build/jieba"  # jieba's dictionary data in a fast format, kept between builds
DATA_FORMAT = 2
_DATA: dict = {"folder": None}


def use_data_folder(folder: Path | None) -> None:
    """Keep jieba's main dictionary and part-of-speech table in ``folder`` (normally the project's
    ``.build/jieba``), in a format that loads several times faster than jieba's own cache and
    text file; None: do not. They depend only on the installed jieba (its version and the bytes
    of its dictionary file), not on the project, so ``cache.clear`` leaves them alone."""
    _DATA["folder"] = folder


def base_dictionary() -> tuple[dict, int]:
    """jieba's main dictionary (prefix frequencies, total), read once per process. The global
    ``jieba.dt`` (Material's search plugin segments with it in the same process) is handed a
    copy instead of reading the file again, if nobody has initialised it yet."""
    if "freq" not in _BASE:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        if not _load_data():
            loaded = jieba.Tokenizer()
            loaded.initialize()
            _BASE["freq"] = (loaded.FREQ, loaded.total)
            if "tags" in _BASE:
                _save_data()
            else:
                base_word_tags()  # read and saved with the dictionary: the next process loads both fast
        if not jieba.dt.initialized:
            jieba.dt.FREQ, jieba.dt.total = dict(_BASE["freq"][0]), _BASE["freq"][1]
            jieba.dt.initialized = True
    return _BASE["freq"]


def new_tokenizer():
    """A private jieba tokenizer (never the global one) with its own copy of the main dictionary,
    so that the words a build adds never leak into the next build of the same process."""
    import jieba

    freq, total = base_dictionary()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(freq), total, True
    return tokenizer


def base_word_tags() -> dict[str, str]:
    """jieba's word -> part-of-speech table of the main dictionary, read once per process: from
    the data folder, else the one the first import of ``jieba.posseg`` reads for its global
    tokenizer, else read here."""
    if "tags" not in _BASE and "tag_source" not in _BASE:
        _load_data()
    if "tag_source" in _BASE:
        _tags_from_source()
    if "tags" not in _BASE:
        fresh = "jieba.posseg" not in sys.modules
        import jieba
        import jieba.posseg

        if fresh and jieba.posseg.dt.tokenizer is jieba.dt and jieba.dt.dictionary == jieba.DEFAULT_DICT:
            _BASE["tags"] = dict(jieba.posseg.dt.word_tag_tab)
        else:
            reader = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
            reader.load_word_tag(jieba.get_module_res(jieba.DEFAULT_DICT_NAME))
            _BASE["tags"] = reader.word_tag_tab
        _save_data()
    return _BASE["tags"]


def _import_posseg():
    """``jieba.posseg``, imported without its import-time read of the part-of-speech table when
    the table is already loaded: its global tokenizer is given a copy of that table instead."""
    if "jieba.posseg" in sys.modules or "tags" not in _BASE:
        import jieba.posseg

        return jieba.posseg
    import jieba

    saved = jieba.dt.dictionary
    jieba.dt.dictionary = os.devnull  # the import reads the table of jieba.dt's dictionary file
    try:
        import jieba.posseg
    finally:
        jieba.dt.dictionary = saved
    jieba.posseg.dt.word_tag_tab = _BASE["tags"].copy()
    return jieba.posseg


def pos_tokenizer(tokenizer):
    """A jieba.posseg.POSTokenizer over ``tokenizer`` without reading the dictionary file again."""
    tags = base_word_tags()  # first: it takes the table the first import of jieba.posseg reads
    posseg_module = _import_posseg()
    posseg = posseg_module.POSTokenizer.__new__(posseg_module.POSTokenizer)
    posseg.tokenizer = tokenizer
    posseg.word_tag_tab = tags.copy()  # its own: jieba adds the tokenizer's user words to it
    return posseg


def _data_path() -> Path | None:
    """The data file for the installed jieba, or None (no folder, or jieba's files unreadable)."""
    folder = _DATA["folder"]
    if folder is None:
        return None
    if "path" not in _DATA:
        import jieba

        try:
            dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME).read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(f"format {DATA_FORMAT} jieba {jieba.__version__}".encode() + b"\0" + dictionary)
        _DATA["path"] = digest.hexdigest()[:32]
    return Path(folder) / f"{_DATA['path']}.pickle"


def _load_data() -> bool:
    """Fill _BASE from the data folder; False when there is no usable file. The tag table is
    made from the loaded words only when first asked for (``base_word_tags``)."""
    path = _data_path()
    if path is None:
        return False
    from array import array

    with datafile.collection_paused():
        try:
            words, freqs, total, codes, names = datafile.load(path)
            words = words.split("\n")
            counts = array("q")
            counts.frombytes(freqs)
            if len(words) != len(counts) or len(codes) > len(words) or max(codes, default=0) >= len(names):
                return False
        except Exception:  # absent, corrupt or outdated: read jieba's own files
            return False
        _BASE.setdefault("freq", (dict(zip(words, counts)), total))
        if "tags" not in _BASE:
            _BASE["tag_source"] = (words, codes, names)
        return True


def _tags_from_source() -> None:
    """The word -> tag table from the loaded data: the first words, sorted, carry the tags."""
    _BASE["tags"] = WordTags(*_BASE.pop("tag_source"))


class WordTags(Mapping):
    """jieba's word -> part-of-speech table as loaded from the data folder: a word is looked up by
    bisection in the sorted words of the file instead of building a dict of some 350,000 entries
    on every run (jieba.posseg only calls ``get`` and ``update``). Words added later (a
    tokenizer's user words) are kept in a small dict beside, and win."""

    def __init__(self, words: list[str], codes: bytes, names: list[str], added: dict | None = None) -> None:
        self._words, self._codes, self._names = words, codes, names
        self._size = len(codes)
        self._added = dict(added or {})

    def _base(self, word) -> str | None:
        if not isinstance(word, str):
            return None
        i = bisect.bisect_left(self._words, word, 0, self._size)
        return self._names[self._codes[i]] if i < self._size and self._words[i] == word else None

    def get(self, word, default=None):
        tag = self._added.get(word)
        if tag is None:
            tag = self._base(word)
        return default if tag is None else tag

    def __getitem__(self, word) -> str:
        tag = self.get(word)
        if tag is None:
            raise KeyError(word)
        return tag

    def __contains__(self, word) -> bool:
        return self.get(word) is not None

    def __iter__(self):
        yield from self._added
        yield from (word for word in self._words[:self._size] if word not in self._added)

    def __len__(self) -> int:
        return self._size + sum(1 for word in self._added if self._base(word) is None)

    def __setitem__(self, word: str, tag: str) -> None:
        self._added[word] = tag

    def update(self, other) -> None:
        self._added.update(other)

    def copy(self) -> "WordTags":
        return WordTags(self._words, self._codes, self._names, self._added)


def _save_data() -> None:
    """Write the data file once both the dictionary and the tag table are loaded: every word of
    the dictionary (the tagged ones first, sorted), its frequency and the total,
    and each tagged word's tag as an index into the list of tag names."""
    path = _data_path()
    if path is None or "freq" not in _BASE or "tags" not in _BASE:
        return
    from array import array

    freq, total = _BASE["freq"]
    tags = _BASE["tags"]
    tagged = sorted(tags)
    words = [*tagged, *(word for word in freq if word not in tags)]
    names = sorted(set(tags.values()))
    if any("\n" in word for word in words) or len(names) > 256 or len(words) != len(freq):
        return
    index = {name: i for i, name in enumerate(names)}
    codes = bytes(index[tags[word]] for word in tagged)
    datafile.save(path, ("\n".join(words), array("q", [freq[word] for word in words]).tobytes(), total, codes, names))
