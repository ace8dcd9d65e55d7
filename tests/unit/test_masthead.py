"""The source's front matter filed under labelled header fields (builder/masthead.py)."""

from __future__ import annotations

from builder.masthead import header_fields


def test_labelled_lines_and_their_continuations_become_fields():
    lines = ["张三", "关键词: 太空治理 外空安全", "国际合作", "作者简介: 张三，某大学国际关系学院",
             "讲师。", "［中图分类号］ D815", "【基金项目】国家社科基金项目（编号：20AZD）"]
    assert header_fields(lines) == [
        ("原文页眉", "张三"), ("关键词", "太空治理 外空安全 国际合作"),
        ("作者简介", "张三，某大学国际关系学院讲师。"), ("中图分类号", "D815"), ("基金项目", "国家社科基金项目（编号：20AZD）")]


def test_fields_are_named_as_printed_so_no_label_is_lost():
    assert header_fields(["［关 键 词］甲；乙", "Key words: space; law", "【作者简介】某人"]) == [
        ("关键词", "甲；乙"), ("Key words", "space; law"), ("作者简介", "某人")]


def test_a_running_head_becomes_journal_issue_and_page():
    assert header_fields(["| 106 | 《现代国际关系》2023 年第 10 期"]) == [("刊期", "《现代国际关系》2023年第10期，第106页")]
    assert header_fields(["东北亚论坛 2024 年第 5 期"]) == [("刊期", "《东北亚论坛》2024年第5期")]


def test_unlabelled_lines_stay_as_printed():
    assert header_fields(["某标题", "某人 / 文"]) == [("原文页眉", "某标题 / 某人 / 文")]
