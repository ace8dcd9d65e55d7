"""Unit tests of builder.normalize: decoding bytes of every encoding the corpus may bring,
character clean-up (line endings, widths, controls, private use) and line joining."""

from __future__ import annotations

import codecs

import pytest

from builder.diagnostics import Diagnostics
from builder.errors import BuilderError, SourceError
from builder.normalize import (MAX_BYTES, decode, join_lines, normalize_characters,
                               tighten_cjk_spaces, visible_chars)

TEXT = "一、引言\n\n中美太空合作始于１９７９年。\n繁體：國際太空站與衛星。\n\nEnglish line, ＳｐａｃｅＸ.\n"


# --------------------------------------------------------------------------- decode


@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("gb18030"), "gb18030"),
    (TEXT.encode("utf-16"), "utf-16"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    (TEXT.encode("utf-32"), "utf-32"),
    (TEXT.encode("utf-16-le"), "utf-16-le"),
    (TEXT.encode("utf-16-be"), "utf-16-be"),
], ids=["utf8", "utf8-bom", "gb18030", "utf16-bom-le", "utf16-bom-be", "utf32", "utf16-le-nobom",
        "utf16-be-nobom"])
def test_decode_gives_the_same_text_from_every_encoding(data, encoding):
    text, used = decode(data, "corpus/a.txt")
    assert text == TEXT
    assert not text.startswith("\ufeff"), "the byte-order mark is not part of the text"
    assert used == encoding


def test_decode_gbk_bytes_as_gb18030():
    text, used = decode("中美太空合作，國際太空站。".encode("gbk"), "a.txt")
    assert text == "中美太空合作，國際太空站。"
    assert used == "gb18030"


def test_decode_mostly_chinese_utf16_without_bom():
    """Only line breaks and a digit carry NUL bytes here: still UTF-16, not 'binary'."""
    source = "中美太空合作始于年。\n第二段国际空间站与卫星。\n第三段，2016年。\n"
    assert decode(source.encode("utf-16-le"), "a.txt")[0] == source
    assert decode(source.encode("utf-16-be"), "a.txt")[0] == source


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)), "binary file"),
    (bytes(range(256)) * 4, "binary file"),
    ("café résumé".encode("latin-1"), "not UTF-8, UTF-16 or GB18030"),
    (codecs.BOM_UTF8 + b"\xff\xfe\xfd broken", "byte-order mark"),
])
def test_decode_rejects_what_is_not_text_with_a_clear_message(data, message):
    with pytest.raises(SourceError) as info:
        decode(data, "corpus/bad.txt")
    assert str(info.value).startswith("corpus/bad.txt")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_decode_names_the_line_of_undecodable_bytes():
    data = "第一行\n第二行\n".encode("utf-8") + b"\xff\xfe\xfa\xfb bad\n"
    with pytest.raises(SourceError) as info:
        decode(data, "corpus/bad.txt")
    assert info.value.line == 3
    assert str(info.value).startswith("corpus/bad.txt:3:")


def test_decode_refuses_files_over_the_size_limit():
    with pytest.raises(SourceError, match="limit"):
        decode(b"a" * (MAX_BYTES + 1), "corpus/huge.txt")


def test_decode_empty_and_blank_files():
    assert decode(b"", "a.txt")[0] == ""
    assert decode(b"\n\n  \n", "a.txt")[0] == "\n\n  \n"


def test_source_error_is_a_builder_error():
    assert issubclass(SourceError, BuilderError)


# --------------------------------------------------------------------------- characters


def clean(text: str, private_use: dict[str, str] | None = None):
    diag = Diagnostics()
    out, dropped = normalize_characters(text, private_use or {}, "corpus/a.txt", diag)
    return out, dropped, diag


@pytest.mark.parametrize("raw", ["甲\r\n乙\r\n", "甲\r乙\r", "甲\n乙\n", "甲\r\n乙\r"])
def test_line_endings_become_newlines(raw):
    assert clean(raw)[0] == "甲\n乙\n"


def test_full_width_letters_and_digits_become_ascii_but_chinese_punctuation_stays():
    out = clean("１９７９年，ＳｐａｃｅＸ发射。ｗｗｗ．ｃｎｓａ．ｇｏｖ．ｃｎ")[0]
    assert out == "1979年，SpaceX发射。www.cnsa.gov.cn"


def test_traditional_characters_are_kept():
    assert clean("國際太空站與衛星")[0] == "國際太空站與衛星"


def test_control_and_zero_width_characters_are_dropped_and_recorded():
    out, dropped, _ = clean("甲\x07乙\n丙\u200b丁\ufeff\n")
    assert out == "甲乙\n丙丁\n"
    assert [(line, text) for line, text, _ in dropped] == [(1, "\x07"), (2, "\u200b\ufeff")]
    assert all("U+" in reason for _, _, reason in dropped)


def test_private_use_characters_mapped_from_metadata():
    out, _, diag = clean("１９７９\ue0111999年\ue010", {"E011": "–", "E010": "."})
    assert out == "1979–1999年."
    assert not diag.warnings


def test_unmapped_private_use_character_stays_and_is_reported_with_its_line():
    out, _, diag = clean("甲\n乙\ue123丙\ue123\n")
    assert "\ue123" in out
    assert len(diag.warnings) == 1
    warning = diag.warnings[0]
    assert warning.location == "corpus/a.txt:2"
    assert "E123" in warning.message and "private_use" in warning.message


def test_supplementary_private_use_and_other_stand_ins_are_mapped_before_width_folding():
    # a supplementary-plane stand-in for "." between full-width digits, a Yi syllable for "，",
    # and a glyph mapped to nothing
    out, _, diag = clean("１\U001001b0３万亿ꎬ罗纳德\U00100170罗戈夫斯基\U001000b7", {"1001B0": ".", "A3AC": "，",
                                                                         "100170": "·", "1000B7": ""})
    assert out == "1.3万亿，罗纳德·罗戈夫斯基"
    assert not diag.warnings


def test_unmapped_supplementary_private_use_character_is_reported():
    _, _, diag = clean("甲\U001001b0乙")
    assert [w.location for w in diag.warnings] == ["corpus/a.txt:1"]
    assert "1001B0" in diag.warnings[0].message


def test_tabs_and_newlines_are_not_controls():
    assert clean("甲\t乙\n")[0] == "甲\t乙\n"


# --------------------------------------------------------------------------- line joining


def test_join_lines_no_space_between_chinese_lines():
    assert join_lines(["中美太空", "合作始于", "1979年。"]) == "中美太空合作始于1979年。"


def test_join_lines_one_space_between_latin_words():
    assert join_lines(["Space   cooperation", "  between China", "and Russia."]) == \
        "Space cooperation between China and Russia."


def test_join_lines_skips_blank_lines_and_keeps_urls_joined_after_slash():
    assert join_lines(["see https://example.org/", "", "path/x.htm"]) == "see https://example.org/path/x.htm"


def test_tighten_cjk_spaces_removes_layout_padding_only_between_chinese():
    assert tighten_cjk_spaces("中 美 太空 合作 and 俄 罗斯") == "中美太空合作 and 俄罗斯"


def test_visible_chars_ignores_whitespace():
    assert visible_chars(" 中\u3000美 \n\tA ") == 3
