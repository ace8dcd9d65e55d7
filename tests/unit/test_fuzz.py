"""Fuzzing: random and mutated texts (seed excerpts with lines shuffled, characters inserted,
markers duplicated, notes removed) through every reader and the read -> footnotes -> render
path. Nothing may raise but the builder's own BuilderError, and every character stays
accounted for."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder import render
from builder.errors import BuilderError
from builder.normalize import decode
from builder.report import lost_characters
from tinyproject import REPO, read_text

READERS = ["pdf_journal", "policy_paper", "parallel", "markdown_repost"]
SEEDS = {p.stem: p.read_text(encoding="utf-8").split("\n") for p in sorted((REPO / "corpus").glob("*.txt"))}
SEED_NAMES = sorted(SEEDS)
MARKERS = "①②③⑩¹²³⁴abc123"
NOISE = list("中美太空合作，。；：（）“”《》、—…·") + list("①②⑳¹²³⁴⁵abcxyzABC0123456789") + \
    list("*_#[]()<>!|`{}%$&=~^\\-+.:/") + ["\t", " ", "\n", "\n\n", "\u3000", "\ue010", "\u200b", "\x07",
                                             "https://", "](", "![", "{{", "{%", "<script>", "&lt;"]
# derandomize: the same examples on every run, so a developer's run never fails at random; a
# failure found while exploring (other seeds) becomes an explicit @example below
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def excerpt(name: str, start: int, length: int) -> list[str]:
    lines = SEEDS[name]
    start = start % max(1, len(lines))
    return lines[start:start + length]


def shuffle_lines(lines: list[str], rng: random.Random) -> list[str]:
    lines = list(lines)
    rng.shuffle(lines)
    return lines


def insert_noise(lines: list[str], rng: random.Random, count: int) -> list[str]:
    text = "\n".join(lines)
    for _ in range(count):
        at = rng.randrange(len(text) + 1)
        text = text[:at] + rng.choice(NOISE) + text[at:]
    return text.split("\n")


def duplicate_markers(lines: list[str], rng: random.Random) -> list[str]:
    out = []
    for line in lines:
        for marker in MARKERS[:7]:
            if marker in line and rng.random() < 0.5:
                line = line.replace(marker, marker * 2, 1)
        out.append(line)
    return out


def remove_notes(lines: list[str], rng: random.Random) -> list[str]:
    """Drop lines that look like note texts (start with a marker or a short number)."""
    return [line for line in lines
            if not (line.strip()[:1] in MARKERS or line.strip()[:2].rstrip(".").isdigit()) or rng.random() < 0.3]


MUTATIONS = [shuffle_lines, insert_noise, duplicate_markers, remove_notes]


def mutate(lines: list[str], rng: random.Random, steps: list[int]) -> str:
    for step in steps:
        mutation = MUTATIONS[step]
        lines = mutation(lines, rng, rng.randrange(1, 40)) if mutation is insert_noise else mutation(lines, rng)
    return "\n".join(lines)


def run_path(text: str, reader: str) -> None:
    """read -> footnotes -> render; only BuilderError may escape, and nothing may be lost."""
    try:
        doc, _diag = read_text(text, reader)
        page = render.document_page(doc)
    except BuilderError:
        return
    assert isinstance(page, str) and page.startswith("---\n")
    lost = lost_characters(doc)
    assert lost == {}, f"{reader} lost {lost}"


@pytest.mark.parametrize("reader", READERS)
@SETTINGS
@given(name=st.sampled_from(SEED_NAMES), start=st.integers(0, 2000), length=st.integers(1, 60),
       seed=st.integers(0, 2**32 - 1), steps=st.lists(st.integers(0, len(MUTATIONS) - 1), max_size=4))
def test_mutated_seed_excerpts(reader, name, start, length, seed, steps):
    text = mutate(excerpt(name, start, length), random.Random(seed), steps)
    run_path(text, reader)


@pytest.mark.parametrize("reader", READERS)
@SETTINGS
@given(text=st.lists(st.one_of(st.sampled_from(NOISE), st.characters()), max_size=200).map("".join))
# a bracket left open on one line and an image on the next: conservation took the two lines for
# one link and counted the image's "!" as text (found by test_mutated_seed_excerpts)
@example(text="[\n![](http://x.png)")
@example(text="甲 [链接\n文字](http://x.org) 乙")
def test_random_text(reader, text):
    run_path(text, reader)


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_decode_random_bytes_raises_only_builder_errors(data):
    try:
        text, encoding = decode(data, "corpus/fuzz.txt")
    except BuilderError as exc:
        assert str(exc).startswith("corpus/fuzz.txt")
        return
    assert isinstance(text, str) and encoding


@SETTINGS
@given(text=st.text(max_size=300))
def test_escape_never_leaves_markup_characters(text):
    out = render.escape(text)
    assert not any(c in out for c in "<>`*_[]{}|\n")
    assert render.escape_theme_text(text).count("<") == 0


# Failures the random tests found once, kept as fixed examples: CI runs them every time, whatever
# the random examples of the day (a found failure is never hidden by derandomising).
FOUND = [
    ("markdown_repost", "看[返回](&lt;x)中"),  # a link kept as literal text: its &lt; shown as written
    ("markdown_repost", "正文[链接](&lt;x)结束。"),
]


@pytest.mark.parametrize("reader, text", FOUND)
def test_failures_found_by_fuzzing_stay_fixed(reader, text):
    run_path(text, reader)
