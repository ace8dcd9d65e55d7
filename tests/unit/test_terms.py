"""Terms stage: extraction rules, curated merge, glossary.yml validation, pinyin order, linking."""

from __future__ import annotations

import pytest

from builder import indexes, pipeline, terms
from builder.errors import ConfigError
from builder.models import (BackMatter, Block, DocMeta, Document, Glossary, GlossaryEntry, Library, Note,
                            NoteRef, TermRef, Text)
from builder.terms_extract import (Context, abbr_form, english_form, from_note,
                                   from_parentheticals, latin_key, nfkc, split_abbreviation_item)
from builder.terms_glossary import CuratedFile, load_curated, merge
from builder.terms_link import Matcher, link_document


@pytest.fixture(scope="module")
def tokenizer():
    return terms.new_tokenizer()


def ctx(tokenizer, text="", known=None):
    return Context(tokenizer, known or {}, text)


def meta(doc_id="d"):
    return DocMeta(id=doc_id, title_zh="t", kind="journal-article", reader="plain", languages=["zh"],
                   text_path="x.txt", meta_path="x.yml")


# --------------------------------------------------------------------------- normalisation


def test_fullwidth_and_case_variants_share_a_key():
    assert nfkc("ＳＤＩ") == "SDI"
    assert latin_key("SPACE X") == latin_key("SpaceX") == latin_key("ＳｐａｃｅＸ")
    assert abbr_form("RPOs") == "RPO"
    assert english_form("ENHANCED ISR", {"ISR"}) == "Enhanced ISR"
    assert english_form("IRON DOME FOR AMERICA") == "Iron Dome for America"
    assert english_form("ONENET") == "ONENET"  # one capitalised word: as printed (was "Onenet")


# --------------------------------------------------------------------------- extraction rules


def test_abbreviation_list_line():
    assert split_abbreviation_item("ASAT: 反卫星武器") == ("ASAT", "反卫星武器")
    assert split_abbreviation_item("ISR：情报、监视与侦察") == ("ISR", "情报、监视与侦察")
    assert split_abbreviation_item("2025 年 1 月") is None


def test_parenthetical_english_and_abbreviation(tokenizer):
    text = "2017年特朗普政府重建了国家太空委员会(National Space Council, NSC)。国家太空委员会由副总统主持。"
    [c] = from_parentheticals(text, "d", "p1", ctx(tokenizer, text))
    assert (c.zh, c.en, c.abbr) == ("国家太空委员会", "National Space Council", "NSC")


def test_parenthetical_abbreviation_uses_known_name(tokenizer):
    text = "2007年进行的直接上升式反卫星武器（DA-ASAT）试验。"
    [c] = from_parentheticals(text, "d", "p1", ctx(tokenizer, text, {"DAASAT": "直接上升式反卫星武器"}))
    assert (c.zh, c.abbr) == ("直接上升式反卫星武器", "DA-ASAT")


def test_parenthetical_fullwidth_abbreviation_after_book_title(tokenizer):
    text = "美国里根政府时期的《战略防御倡议》（ＳＤＩ）就被称为“星球大战”计划。"
    [c] = from_parentheticals(text, "d", "p1", ctx(tokenizer, text))
    assert (c.zh, c.abbr) == ("战略防御倡议", "SDI")


def test_romanised_names_in_brackets(tokenizer):
    text = "美国国务院助理国务卿帮办乔纳森·马格里斯（Jonathan Margolis）率团访华。俄罗斯联邦航天局局长罗戈津(Dmitry Rogozin)表示。"
    found = from_parentheticals(text, "d", "p1", ctx(tokenizer, text))
    assert [(c.zh, c.en, c.person) for c in found] == [
        ("乔纳森·马格里斯", "Jonathan Margolis", True), ("罗戈津", "Dmitry Rogozin", True)]


def test_parenthetical_rejects_generic_words_and_citations(tokenizer):
    text = "中国与俄罗斯对此进行了回应(CD/1872)。双方开展协商（CONSULTATION）。"
    assert from_parentheticals(text, "d", "p1", ctx(tokenizer, text)) == []


def test_note_definition_beside_quoted_name():
    [c] = from_note("“Commercial Orbital Transportation Services (COTS),” https://www.nasa.gov/cots.",
                    "借鉴“商业轨道运输服务”项目", "d", "fn:2")
    assert (c.zh, c.en, c.abbr, c.anchor) == ("商业轨道运输服务", "Commercial Orbital Transportation Services", "COTS", "fn:2")


def test_note_definition_with_chinese_gloss_and_definition():
    note = "Moon In-Situ Resource Utilization（Moon ISRU），指在月球上就地取材利用月球资源。"
    [c] = from_note(note, "", "d", "fn:1")
    assert c.en == "Moon In-Situ Resource Utilization" and c.definition == note
    found = from_note("Lunar Cargo Transportation and Landing by Soft Touchdown (Lunar CATALYST)，直译为“月球物资运输与软着陆”。",
                    "参与了“月球催化剂”项目", "d", "fn:3")
    assert list(dict.fromkeys(g.zh for g in found)) == ["月球催化剂", "月球物资运输与软着陆"]
    assert {g.en for g in found} == {"Lunar Cargo Transportation and Landing by Soft Touchdown", "Lunar CATALYST"}


def test_aligned_pair_quoted_names(tokenizer):
    from builder import terms_align
    from builder.perf.jieba_data import pos_tokenizer

    en = "In 1970, China launched the “Dongfanghong-1” satellite."
    zh = "1970 年中国成功发射“东方红一号”卫星。"
    links = terms_align.align_pair(en, zh, pos_tokenizer(tokenizer), lambda s: tokenizer.lcut(s, HMM=False))
    assert ("东方红一号", "Dongfanghong-1") in {(link.zh, link.en) for link in links}


# --------------------------------------------------------------------------- curated merge


def curated_from(text, tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    return load_curated(path, "corpus/glossary.yml")


def test_curated_entry_absorbs_aliases_and_stop_list_drops(tmp_path, tokenizer):
    curated = curated_from("""
entries:
  - zh: 国际月球科研站
    en: International Lunar Research Station
    aliases: [国际月球站, joint lunar research station]
stop: [外空]
""", tmp_path)
    from builder.terms_extract import Candidate
    cands = [Candidate(zh="国际月球站", en="Joint Lunar Research Station", rule="aligned-pair", doc_id="d", anchor="p1"),
             Candidate(zh="外空", en="Space", rule="parenthetical", doc_id="d", anchor="p2"),
             Candidate(zh="北约", abbr="NATO", rule="parenthetical", doc_id="d", anchor="p3"),
             Candidate(zh="北大西洋公约组织", abbr="NATO", rule="abbreviation-list", doc_id="d", anchor="")]
    glossary, figures = merge(cands, curated)
    terms.finish(glossary, terms.Diagnostics())
    names = {e.zh: e for e in glossary.entries.values()}
    assert set(names) == {"国际月球科研站", "北大西洋公约组织"}
    assert names["国际月球科研站"].curated and "國際月球科研站" in names["国际月球科研站"].aliases
    assert "北约" in names["北大西洋公约组织"].aliases
    assert figures["stopped"] == 1


@pytest.mark.parametrize("text, message", [
    ("entries:\n  - en: X\n", "corpus/glossary.yml:2: entries[0]: field 'zh' is required"),
    ("entries:\n  - zh: 北斗\n    kind: rocket\n", "corpus/glossary.yml:3: entries[0]: field 'kind' must be one of"),
    ("entries:\n  - zh: 北斗\n    colour: red\n", "corpus/glossary.yml:3: entries[0]: unknown field 'colour'"),
    ("entries:\n  - zh: 北斗\n    id: Bei Dou\n", "corpus/glossary.yml:3: entries[0]: field 'id' must be an ASCII slug"),
    ("entries:\n  - zh: 北斗\n  - zh: 北斗\n", "corpus/glossary.yml:3: name '北斗' is also used by the entry at line 2"),
    ("entries:\n  - zh: 北斗\n    related: [nothing]\n", "field 'related': no curated entry has id 'nothing'"),
    ("stop: 外空\n", "corpus/glossary.yml:1: field 'stop' must be a list of names"),
    ("entries: [\n", "corpus/glossary.yml:2: invalid YAML"),
])
def test_glossary_validation_errors(tmp_path, text, message):
    with pytest.raises(ConfigError) as err:
        curated_from(text, tmp_path)
    assert any(message in p for p in err.value.problems), err.value.problems


# --------------------------------------------------------------------------- pinyin order


def test_pinyin_sort_key_orders_by_pinyin_not_code_point():
    names = ["中国", "导弹", "北斗"]
    assert sorted(names, key=indexes.pinyin_sort_key) == ["北斗", "导弹", "中国"]
    assert sorted(["北京", "背景"], key=indexes.pinyin_sort_key) == ["北京", "背景"]  # tone 3 before tone 4


def test_index_letter_groups_by_initial_not_by_character():
    assert [indexes.index_letter(n) for n in ["北斗", "白宫", "中国", "P5", "2025计划"]] == ["B", "B", "Z", "P", "#"]
    page = indexes.pinyin_index([GlossaryEntry(id="b", zh="北斗", pinyin="běi dǒu"),
                                 GlossaryEntry(id="w", zh="白宫", pinyin="bái gōng"),
                                 GlossaryEntry(id="z", zh="中国", pinyin="zhōng guó")])
    assert page.count("## B {") == 1 and page.index("白宫") < page.index("北斗") < page.index("中国")


# --------------------------------------------------------------------------- linking


def glossary_of(*entries):
    return Glossary(entries={e.id: e for e in entries})


def linked_doc(text, glossary, tokenizer, lang="zh"):
    for entry in glossary.entries.values():
        for form in terms.chinese_forms(entry):
            terms.add_user_word(tokenizer, form)
    doc = Document(meta=meta(), blocks=[Block("paragraph", [Text(text)], lang=lang, anchor="p1")])
    link_document(doc, glossary, Matcher(glossary, tokenizer))
    return doc


def refs(doc):
    return [(n.text, n.entry_id) for b in doc.blocks for n in b.inlines if isinstance(n, TermRef)]


def test_longest_match_wins(tokenizer):
    glossary = glossary_of(GlossaryEntry(id="asat", zh="反卫星武器", abbr="ASAT"),
                           GlossaryEntry(id="da-asat", zh="直接上升式反卫星武器", abbr="DA-ASAT"))
    doc = linked_doc("中国进行了直接上升式反卫星武器试验，DA-ASAT 不同于一般反卫星武器。", glossary, tokenizer)
    assert refs(doc) == [("直接上升式反卫星武器", "da-asat"), ("反卫星武器", "asat")]


def test_no_match_across_a_jieba_word_boundary(tokenizer):
    glossary = glossary_of(GlossaryEntry(id="pku", zh="北大", en=["Peking University"]))
    assert refs(linked_doc("他向北大概走了三里。", glossary, tokenizer)) == []
    assert refs(linked_doc("他在北大读书。", glossary, tokenizer)) == [("北大", "pku")]


def test_first_mention_per_section_and_every_occurrence_recorded(tokenizer):
    entry = GlossaryEntry(id="nato", zh="北大西洋公约组织", abbr="NATO")
    glossary = glossary_of(entry)
    doc = Document(meta=meta(), blocks=[
        Block("paragraph", [Text("北大西洋公约组织与北大西洋公约组织")], anchor="p1"),
        Block("heading", [Text("北大西洋公约组织的扩张")], level=2, anchor="s1"),
        Block("paragraph", [Text("NATO 见 https://www.nato.int/NATO 。")], lang="en", anchor="p2")])
    count = link_document(doc, glossary, Matcher(glossary, tokenizer))
    assert count == 2  # p1 once, not in the heading, p2 once (not inside the URL)
    assert not any(isinstance(n, TermRef) for n in doc.blocks[1].inlines)
    assert [o.anchor for o in entry.occurrences] == ["p1", "p1", "s1", "p2"]
    assert "https://www.nato.int/NATO" in "".join(getattr(n, "text", "") for n in doc.blocks[2].inlines)


def test_note_refs_survive_linking(tokenizer):
    glossary = glossary_of(GlossaryEntry(id="nasa", zh="国家航空航天局", abbr="NASA"))
    doc = Document(meta=meta(), blocks=[Block("paragraph", [Text("由国家航空航天局"), NoteRef(1, "①"), Text("宣布")],
                                              anchor="p1")],
                   notes=[Note(1, "①", [Text("NASA 报告。")], 3)])
    link_document(doc, glossary, Matcher(glossary, tokenizer))
    assert isinstance(doc.blocks[0].inlines[1], TermRef) and isinstance(doc.blocks[0].inlines[2], NoteRef)
    assert isinstance(doc.notes[0].inlines[0], TermRef)
    assert glossary.entries["nasa"].occurrences[-1].anchor == "fn:1"


def test_whole_stage_on_a_small_library(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "glossary.yml").write_text("entries:\n  - zh: 北约\n    en: NATO alliance\n    kind: organisation\n",
                                           encoding="utf-8")
    doc = Document(meta=meta("demo"), blocks=[Block("paragraph", [Text("同时强调与北约（NATO）合作。北约很重要。")], anchor="p1")],
                   backmatter=[BackMatter("abbreviations", "缩写", [Block("list_item", [Text("NATO: 北大西洋公约组织")])])])
    library = Library(documents=[doc])
    library.glossary = pipeline.make_glossary(library, tmp_path, terms.Diagnostics())  # terms linked too
    [entry] = library.glossary.entries.values()
    assert entry.zh == "北约" and entry.abbr == "NATO" and "北大西洋公约组织" in entry.aliases
    assert doc.stats.terms_linked == 1
    assert library.glossary_figures["entries"] == 1
    pages = terms.pages(library)
    assert set(pages) >= {"glossary/index.md", f"glossary/{entry.id}.md", "indexes/pinyin.md",
                          "indexes/english.md", "indexes/abbreviations.md"}
    assert "běi yuē" in pages[f"glossary/{entry.id}.md"] and "bei yue" in pages[f"glossary/{entry.id}.md"]
    assert terms.generated_files(library) == {}  # no jieba dictionary: search is Pagefind's


# --------------------------------------------------------------------------- performance helpers


@pytest.mark.parametrize("text", [
    "中国的北斗卫星导航系统（BDS）于2020年完成全球组网，反卫星武器试验引起关注。",
    "a\r\nb 中文\r\n\r\r\n试验 ABC-12 北斗·三号 〇〇 “商业轨道运输服务”项目",
    "Space Situational Awareness (SSA) 空间态势感知，直接上升式反卫星武器。",
    "", "中", "\r\n\r\n",
])
def test_boundaries_of_chosen_positions_are_those_of_the_whole_segmentation(tokenizer, text):
    from builder.terms_link import boundaries_at, word_boundaries

    starts, ends = word_boundaries(tokenizer, text)
    inner = set(range(1, len(text)))
    assert boundaries_at(tokenizer, text, inner) == (starts | ends) & inner
    assert boundaries_at(tokenizer, text, {0, len(text)}) == {0, len(text)}  # a text's ends always are


def test_a_tokenizer_gets_its_own_copy_of_the_dictionary(tokenizer):
    first, second = terms.new_tokenizer(), terms.new_tokenizer()
    terms.add_user_word(first, "空间态势感知系统")
    assert first.FREQ.get("空间态势感知系统") and not second.FREQ.get("空间态势感知系统")
    assert first.FREQ is not second.FREQ and len(second.FREQ) > 100_000  # the main dictionary, loaded


def test_each_build_has_its_own_tokenizers():
    """A build makes each kind of tokenizer once (extraction's: curated names only; linking's:
    with the glossary forms) and a new build makes new ones, so no build's words leak into
    another's."""
    from builder.models import Glossary, GlossaryEntry

    glossary = Glossary({"a": GlossaryEntry("a", "空间态势感知系统")})
    words = terms.Words()
    first = words.linking_tokenizer(glossary)
    assert first.FREQ.get("空间态势感知系统") and words.linking_tokenizer(glossary) is first
    assert not words.tokenizer().FREQ.get("空间态势感知系统")  # extraction's: no glossary forms
    other = terms.Words().linking_tokenizer(Glossary({"b": GlossaryEntry("b", "北斗卫星导航系统")}))
    assert other is not first and not other.FREQ.get("空间态势感知系统")


def test_jieba_data_folder_loads_exactly_what_jieba_reads(tmp_path, monkeypatch):
    """The dictionary and tag table kept in .build/jieba are jieba's own, word for word; a
    damaged file is ignored and written again."""
    import jieba
    import jieba.posseg

    from builder.perf import jieba_data

    reference = jieba.Tokenizer()
    reference.initialize()
    reader = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    reader.load_word_tag(jieba.get_module_res(jieba.DEFAULT_DICT_NAME))
    monkeypatch.setattr(jieba_data, "_DATA", {"folder": tmp_path})
    monkeypatch.setattr(jieba_data, "_BASE", {})
    jieba_data.base_dictionary()  # nothing stored yet: read from jieba, then written
    files = list(tmp_path.glob("*.pickle"))
    assert len(files) == 1
    for damage in (None, b"not a pickle"):
        if damage:
            files[0].write_bytes(damage)
        monkeypatch.setattr(jieba_data, "_BASE", {})
        freq, total = jieba_data.base_dictionary()
        assert (freq, total) == (reference.FREQ, reference.total)
        tags = jieba_data.base_word_tags()
        assert tags == reader.word_tag_tab and len(tags) == len(reader.word_tag_tab)
        assert tags.get("北京") == reader.word_tag_tab["北京"] and tags.get("空间态势感知系统", "x") == "x"
        mine = tags.copy()
        mine.update({"空间态势感知系统": "nz", "北京": "nz"})  # what jieba.posseg does with user words
        assert mine.get("空间态势感知系统") == mine.get("北京") == "nz" and tags.get("北京") == "ns"
    assert files[0].stat().st_size > 1_000_000  # written again after the damage


def test_corpus_counts_by_document_equal_the_whole_text_and_reuse_unchanged_documents():
    from builder.terms_extract import CorpusCounts

    texts = ["反卫星武器试验\n反卫星", "天基反卫星武器", "没有"]
    whole = "\n".join(texts)
    counts = CorpusCounts(whole, texts)
    for name in ("反卫星", "反卫星武器", "没有", "武器试验\n反", "不在"):
        assert counts.count(name) == whole.count(name)
    kept = [dict(known) for known in counts.per_document]
    edited = [texts[0], "天基反卫星", texts[2]]
    again = CorpusCounts("\n".join(edited), edited, [kept[0], {}, kept[2]])
    kept[0]["反卫星"] = 99  # reused as stored: only the edited document is counted again
    assert again.count("反卫星") == 99 + 1 + 0 and again.per_document[1] == {"反卫星": 1}


def test_people_are_filed_by_family_name_in_the_english_index():
    from builder.indexes import english_index
    from builder.models import GlossaryEntry

    entries = [GlossaryEntry("donald-trump", "唐纳德·特朗普", en=["Donald Trump"], kind="person"),
               GlossaryEntry("dsa", "深空天线", en=["Deep Space Antenna"], kind="concept")]
    page = english_index(entries)
    assert "Trump, Donald" in page and page.index("## D") < page.index("Deep Space Antenna") < page.index("## T")
    assert page.index("## T") < page.index("Trump, Donald")


# --------------------------------------------------------------------------- parallel-text alignment (issue 20)


def _align(tokenizer, en, zh):
    from builder import terms_align
    from builder.perf.jieba_data import pos_tokenizer

    links = terms_align.align_pair(en, zh, pos_tokenizer(tokenizer), lambda s: tokenizer.lcut(s, HMM=False))
    return {(link.zh, link.en): link for link in links}


def test_alignment_by_lexicon_and_transliteration(tokenizer):
    links = _align(tokenizer, "During President Putin’s visit, Russia offered access to GLONASS and the United Nations agreed.",
                   "普京总统访华期间，俄罗斯开放格洛纳斯系统，联合国表示同意。")
    assert {("普京", "Putin"), ("格洛纳斯", "GLONASS"), ("联合国", "United Nations"), ("俄罗斯", "Russia")} <= set(links)


def test_transliteration_needs_a_foreign_sounding_name_and_no_ordinary_english_word():
    from builder.terms_align import skeleton, transliteration_score

    assert skeleton("GLONASS") == skeleton("ge luo na si")
    assert transliteration_score("东方红一号", "Dongfanghong-1") == 1.0
    assert transliteration_score("神舟", "Shenzhou") == 1.0
    assert transliteration_score("欧空局", "Agency") == 0.0  # an English word is no transliteration


def test_general_words_and_fragments_are_not_confident(tokenizer):
    links = _align(tokenizer, "The Committee met the President of the Russian Federal Security Service.",
                   "委员会会见了俄罗斯联邦安全局的总统。")
    assert ("委员会", "Committee") not in links  # everyday vocabulary
    link = links.get(("俄罗斯联邦安全局", "Russian Federal Security Service"))
    assert link is not None and link.complete


def test_alignment_dice_and_confidence_over_the_library(tokenizer):
    from builder import terms_align
    from builder.models import Block

    def pair(i, en, zh):
        return Block(kind="pair", anchor=f"p{i}", pair=[
            Block(kind="paragraph", inlines=[Text(en)], anchor=f"p{i}-en", lang="en"),
            Block(kind="paragraph", inlines=[Text(zh)], anchor=f"p{i}-zh", lang="zh")])

    doc = Document(meta=meta("bi"), blocks=[
        pair(1, "Russia opened GLONASS to China.", "俄罗斯向中国开放格洛纳斯。"),
        pair(2, "GLONASS and BeiDou are compatible.", "格洛纳斯与北斗兼容。")])
    from builder.perf.jieba_data import pos_tokenizer
    alignment = terms_align.align_library(Library(documents=[doc]), pos_tokenizer(tokenizer),
                                          lambda s: tokenizer.lcut(s, HMM=False))
    assert alignment.dice[("格洛纳斯", "GLONASS")] == 1.0
    found = {(c.zh, c.abbr or c.en) for c in terms_align.candidates_from(alignment)}
    assert ("格洛纳斯", "GLONASS") in found and ("北斗", "BeiDou") in found


def test_review_queue_decisions_persist(tmp_path):
    from builder import terms_review
    from builder.terms_align import Alignment, Link

    def link(zh, en, score):
        return Link(zh=zh, en=en, score=score, lexicon=score, transliteration=0.0, position=1.0, complete=False,
                    doc_id="bi", anchor="p1-zh", en_anchor="p1-en", zh_sentence=zh, en_sentence=en)

    alignment = Alignment(links={("国家太空", "National Space Council"): [link("国家太空", "National Space Council", 0.79)],
                                 ("法律基础", "Basic Law"): [link("法律基础", "Basic Law", 0.8)]},
                          dice={("国家太空", "National Space Council"): 1.0, ("法律基础", "Basic Law"): 1.0})
    items = terms_review.queue(alignment, Glossary(), {})
    assert [i["zh"] for i in items] == ["法律基础", "国家太空"]
    text = terms_review.review_yaml(items, [])
    (tmp_path / "terms-review.yml").write_text(text.replace("decision: ''", "decision: reject", 1), encoding="utf-8")
    decisions = terms_review.load_decisions(tmp_path)
    assert [d.decision for d in decisions.values()] == ["reject"]
    assert [i["zh"] for i in terms_review.queue(alignment, Glossary(), decisions)] == ["国家太空"]
    assert terms_review.without_rejected([Candidate_("法律基础", "Basic Law")], decisions) == []
    page = terms_review.review_page(items, {"bi": "双语"})
    assert "../documents/bi.md#p1-zh" in page and "国家太空" in page


def Candidate_(zh, en):
    from builder.terms_extract import Candidate

    return Candidate(zh=zh, en=en, rule="aligned-pair")


# --------------------------------------------------------------------------- brackets, notes, expansions (issue 20)


@pytest.mark.parametrize("text, expected", [
    ("有专家指出，中国具备主动防御能力（PROACTIVE DEFENCE），可能包括先发制人。", ("主动防御", "PROACTIVE DEFENCE", "")),
    ("然而，积极防御（ACTIVE DEFENCE）一即在遭受攻击后反击。", ("积极防御", "ACTIVE DEFENCE", "")),
    ("条款的解释，“适当顾及（DUE REGARD）”等。", ("适当顾及", "DUE REGARD", "")),
    ("与俄罗斯“月球26号(Luna-26)”开展合作。", ("月球26号", "Luna-26", "")),
    ("商业低轨道“巨型星座”（MEGACONSTELLATIONS，如星链）使少数国家。", ("巨型星座", "MEGACONSTELLATIONS", "")),
    ("着陆点包括沙克尔顿（Shackleton）撞击坑、薛定谔盆地。", ("沙克尔顿撞击坑", "Shackleton", "")),
    ("反击称中国通过其商业公司向瓦格纳集团（WAGNER GROUP）提供卫星影像。", ("瓦格纳集团", "WAGNER GROUP", "")),
    ("西部的格鲁苏申穹顶山（Gruithuisen Domes）。", ("格鲁苏申穹顶山", "Gruithuisen Domes", "")),
])
def test_bracket_names_in_general_form(tokenizer, text, expected):
    found = [(c.zh, c.en, c.abbr) for c in from_parentheticals(text, "d", "p1", ctx(tokenizer, text))]
    assert found == [expected]


def test_bracket_abbreviation_pairs_only_with_its_known_name_or_a_form_of_it(tokenizer):
    known = {"ASAT": "反卫星武器", "NATO": "北大西洋公约组织"}
    text = "两国在交会操作和核反卫星能力(ASAT)两方面，同时强调与北约（NATO）盟友合作。北约很重要。"
    found = [(c.zh, c.abbr) for c in from_parentheticals(text, "d", "p1", ctx(tokenizer, text, known))]
    assert found == [("北约", "NATO")]  # 北约 shortens 北大西洋公约组织; 核反卫星能力 is another thing


def test_bracket_abbreviation_uses_the_expansion_a_text_spells_out(tokenizer):
    text = "根据美国战略与国际问题研究中心（CSIS）的报告，两国合作。"
    context = ctx(tokenizer, text)
    context.expansions = {"CSIS": "Center for Strategic and International Studies"}
    [c] = from_parentheticals(text, "d", "p1", context)
    assert (c.zh, c.abbr) == ("战略与国际问题研究中心", "CSIS")


def test_note_naming_a_title_anywhere_in_the_marked_sentence(tokenizer):
    from builder.terms_extract import from_note_title

    body = "2020年白宫发布《深空探索与开发的新时代》，提出要建设包括月球在内的商业太空经济。"
    note = "A New Era for Deep Space Exploration and Development, White House National Space Council, July 23, 2020, p.5."
    [c] = from_note_title(note, body, "d", "fn:22", ctx(tokenizer))
    assert (c.zh, c.en, c.kind) == ("深空探索与开发的新时代", "A New Era for Deep Space Exploration and Development", "document")


def test_abbreviation_expansions_from_the_texts():
    from builder.terms_define import expansions, initials

    assert initials("National Aeronautics and Space Administration") == "NASA"
    assert initials("Anti-Ballistic Missile") == "ABM"
    doc = Document(meta=meta("e"), blocks=[
        Block("paragraph", [Text("The National Aeronautics and Space Administration said so.")], anchor="p1"),
        Block("paragraph", [Text("They drafted a Treaty on the Prevention of the Placement of Weapons in Outer Space, "
                                 "the Threat or Use of Force against Outer Space Objects (hereinafter referred to as the PPWT).")],
              anchor="p2")])
    found = expansions(Library(documents=[doc]))
    assert found["NASA"] == "National Aeronautics and Space Administration"
    assert found["PPWT"].startswith("Treaty on the Prevention of the Placement")


def test_defining_sentence_quoted():
    from builder.terms_define import Place, defining_sentence

    places = [Place("d", "p3", "这一概念很重要。所谓“原位资源利用”是指在月球上就地取材利用月球资源。其他内容。")]
    assert defining_sentence(["原位资源利用"], places) == ("所谓“原位资源利用”是指在月球上就地取材利用月球资源。", "d#p3")
    assert defining_sentence(["月球"], places) is None


def test_kinds_are_checked_against_the_entry():
    from builder.terms_glossary import checked_kind

    person = GlossaryEntry(id="", zh="布什", en=["George W Bush"])
    assert checked_kind(person, [], "person") == "person"
    assert checked_kind(GlossaryEntry(id="", zh="集团", en=["Wagner Group"], abbr="WG"), [], "person") == "concept"
    assert checked_kind(GlossaryEntry(id="", zh="准则", en=["Guidelines"]), [], "document") == "document"
    assert checked_kind(GlossaryEntry(id="", zh="全球公地", en=["global commons"]), [], "document") == "concept"


def test_terms_suggest_writes_the_queue_and_keeps_decisions(tmp_path):
    from tinyproject import make_project, meta as project_meta, run_cli, write_doc

    root = make_project(tmp_path)
    pairs = [("In 2017 the National Space Council was rebuilt.", "2017年国家太空委员会得以重建。"),
             ("The Wolf Amendment bans cooperation with China.", "沃尔夫条款禁止与中国合作。")]
    text = "\n\n".join(f"{en}\n\n{zh}" for en, zh in pairs) + "\n"
    write_doc(root, "bi", text, project_meta("bi", reader="parallel", kind="translation", languages=["en", "zh"]))
    result = run_cli(root, "terms", "--suggest")
    assert result.returncode == 0, result.stderr
    review = root / "terms-review.yml"
    assert review.exists() and "decision: ''" in review.read_text(encoding="utf-8")
    data = __import__("yaml").safe_load(review.read_text(encoding="utf-8"))
    assert data["items"]
    data["items"][0]["decision"] = "reject"
    review.write_text(__import__("yaml").safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run_cli(root, "terms", "--suggest").returncode == 0
    again = __import__("yaml").safe_load(review.read_text(encoding="utf-8"))["items"]
    assert again[0]["decision"] == "reject" and sum(1 for i in again if i["zh"] == data["items"][0]["zh"]) == 1


def test_everyday_place_names_are_listed_not_linked(tokenizer):
    from builder import terms_align
    from builder.perf.jieba_data import pos_tokenizer

    doc = Document(meta=meta("bi"), blocks=[Block(kind="pair", anchor="p1", pair=[
        Block(kind="paragraph", inlines=[Text("China and Japan signed it.")], anchor="p1-en", lang="en"),
        Block(kind="paragraph", inlines=[Text("中国与日本签署了它。")], anchor="p1-zh", lang="zh")])])
    alignment = terms_align.align_library(Library(documents=[doc]), pos_tokenizer(tokenizer),
                                          lambda s: tokenizer.lcut(s, HMM=False))
    glossary, _figures = merge(terms_align.candidates_from(alignment), CuratedFile())
    assert {e.zh: e.link for e in glossary.entries.values()} == {"中国": False, "日本": False}


def test_lexicon_folder_loads_exactly_what_the_package_file_gives(tmp_path):
    from builder.perf import lexicon_data

    parsed = lexicon_data._lexicon_data()
    try:
        lexicon_data.use_lexicon_folder(tmp_path)
        lexicon_data._lexicon_data.cache_clear()
        lexicon_data._lexicon_data()  # parses (the folder is empty) and saves
        lexicon_data._lexicon_data.cache_clear()
        loaded = lexicon_data._lexicon_data()  # from the folder
        assert list(tmp_path.iterdir()) and loaded == parsed
    finally:
        lexicon_data.use_lexicon_folder(None)
        lexicon_data._lexicon_data.cache_clear()


def test_a_periodical_is_filed_with_organisations_not_documents():
    """Was: 《空军杂志》 (Air Force Magazine) under 文件与条约."""
    from builder.models import GlossaryEntry
    from builder.terms_glossary import checked_kind

    magazine = GlossaryEntry("air-force-magazine", "空军杂志", en=["Air Force Magazine"])
    assert checked_kind(magazine, [], "document") == "organisation"
    treaty = GlossaryEntry("ost", "外层空间条约", en=["Outer Space Treaty"])
    assert checked_kind(treaty, [], "document") == "document"
