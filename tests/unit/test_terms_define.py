"""Definitions, glosses and abbreviation expansions quoted from the texts; short forms folded
into their full entries (issue 20)."""

from __future__ import annotations

from builder.models import BackMatter, Block, DocMeta, Document, Glossary, GlossaryEntry, Library, Note, NoteRef, Text
from builder.terms_define import (Place, appositive, best_gloss, category, expansions, marked_notes, places_of,
                                  quote_definitions, words_for)
from builder.terms_glossary import fold_short_forms, word_case


def meta(doc_id="d"):
    return DocMeta(id=doc_id, title_zh="t", kind="journal-article", reader="plain", languages=["zh"],
                   text_path="x.txt", meta_path="x.yml")


def library(*paragraphs: str, notes: dict[int, str] | None = None) -> Library:
    """One document of the paragraphs; ``[n]`` in a paragraph is the marker of note n."""
    blocks = []
    for i, text in enumerate(paragraphs):
        inlines = []
        for piece in text.replace("[", "\0[").split("\0"):
            if piece.startswith("[") and "]" in piece:
                number, rest = piece[1:].split("]", 1)
                inlines += [NoteRef(int(number), number), Text(rest)]
            elif piece:
                inlines.append(Text(piece))
        blocks.append(Block("paragraph", inlines, anchor=f"p{i + 1}"))
    doc_notes = [Note(n, str(n), [Text(t)], 0) for n, t in (notes or {}).items()]
    return Library(documents=[Document(meta=meta(), blocks=blocks, notes=doc_notes)])


def gloss_of(entry: GlossaryEntry, lib: Library):
    return best_gloss(entry, places_of(lib), marked_notes(lib))


# --------------------------------------------------------------------------- kinds of gloss


def test_glossing_phrases_define_the_term_wherever_it_stands():
    lib = library("然而，柔性防御（FLEXIBLE DEFENCE）一即在遭受攻击后予以反击一仍是其基础。",
                  "官员声称对方开展“近身缠斗”（CLOSE QUARTERS）行为，意指两个航天器之间的接近操作。")
    first = gloss_of(GlossaryEntry("a", "柔性防御", ["Flexible Defence"]), lib)
    second = gloss_of(GlossaryEntry("b", "近身缠斗", ["Close Quarters"]), lib)
    assert (first.kind, first.where) == ("definition", "d#p1") and first.sentence.startswith("然而，柔性防御")
    assert second.kind == "definition" and "意指两个航天器" in second.sentence


def test_a_subject_defined_by_copula_but_not_a_mere_mention():
    lib = library("各国都在讨论天基侦察。",
                  "天基侦察（SPACE RECON）是长期存在的实践行为，使各国能够获取情报。")
    gloss = gloss_of(GlossaryEntry("a", "天基侦察", ["Space Recon"]), lib)
    assert (gloss.kind, gloss.where) == ("definition", "d#p2")
    mention = library("各国都在讨论天基侦察。", "天基侦察的费用很高。")
    assert gloss_of(GlossaryEntry("a", "天基侦察", ["Space Recon"]), mention) is None


def test_defined_as_only_for_a_quoted_term():
    lib = library("该文件将“战略平衡”定义为双方都不愿首先使用武力的状态。", "该文件将某国定义为直接且紧迫的威胁。")
    assert gloss_of(GlossaryEntry("a", "战略平衡", ["strategic balance"]), lib).kind == "definition"
    assert gloss_of(GlossaryEntry("b", "某国", ["Some Country"], kind="place"), lib) is None


def test_a_term_taken_up_by_a_pronoun_or_named_after_a_description_is_glossed():
    lib = library("甚至有人将星链与“星环”（STARRING）混为一谈——后者是某公司推出的独立卫星星座计划。",
                  "可能被视为“共面式武器”（CO-PLANAR）的前兆，这类武器旨在攻击在轨卫星。",
                  "该国宣布推出多层次导弹防御计划，最初命名为“铁伞（IRON UMBRELLA）”，后更名为“金伞”。",
                  "由大量卫星组成的商业低轨道“超大星座”（MEGA SETS）使少数国家抢占了资源。",
                  "两国签署《2018-2022年合作大纲》, 其项目包含月球与深空开发。",
                  "他提到“金伞”的费用。")
    assert gloss_of(GlossaryEntry("a", "星环", ["Starring"]), lib).where == "d#p1"
    assert gloss_of(GlossaryEntry("b", "共面式武器", ["Co-Planar"]), lib).where == "d#p2"
    assert gloss_of(GlossaryEntry("c", "金伞", ["Golden Umbrella"]), lib).where == "d#p3"
    assert gloss_of(GlossaryEntry("d", "超大星座", ["Mega Sets"]), lib).where == "d#p4"
    assert gloss_of(GlossaryEntry("e", "2018-2022年合作大纲", ["Outline"], kind="document"), lib).where == "d#p5"
    assert gloss_of(GlossaryEntry("f", "费用", ["costs"]), lib) is None


def test_a_name_taken_up_by_the_next_sentence_is_glossed_by_both():
    places = [Place("d", "p1", "2014年1月,双方设立“中俄导航合作项目委员会”。该委员会每年举行一次会议,磋商合作事宜。其他内容。"),
              Place("d", "p2", "双方设立“联合工作组”。该委员会另有安排。")]
    gloss = appositive(["中俄导航合作项目委员会"], [], places, kind="organisation")
    assert gloss.sentence == "2014年1月,双方设立“中俄导航合作项目委员会”。该委员会每年举行一次会议,磋商合作事宜。"
    assert appositive(["联合工作组"], [], places, kind="organisation") is None  # another noun: not taken up


def test_a_sentence_on_a_quoted_words_meaning_glosses_it():
    lib = library("北约使用“行动”一词，而另一方使用“作战”。", "“干扰”一词的含义可比“攻击”更为宽泛，涵盖网络干扰和电子干扰。")
    assert gloss_of(GlossaryEntry("a", "干扰", ["Interference"]), lib).where == "d#p2"
    assert gloss_of(GlossaryEntry("b", "行动", ["Operational"]), lib) is None


def test_english_defining_sentence_is_quoted_whole():
    lib = Library(documents=[Document(meta=meta(), blocks=[Block("paragraph", [Text(
        "It was signed in the U.S. capital. 12 The Conference on Arms is the most important platform for talks. 13 "
        "Other things followed.")], lang="en", anchor="p1")])])
    gloss = gloss_of(GlossaryEntry("a", "军控会议", ["Conference on Arms"]), lib)
    assert gloss.kind == "definition"
    assert gloss.sentence == "The Conference on Arms is the most important platform for talks."


def test_a_persons_role_is_an_appositive_gloss():
    places = [Place("d", "p1", "2006年9月，某国航天局局长约翰·史密斯（John Smith）访问了北京。"),
              Place("d", "p2", "The statement by Ivan Petrov, then head of the Space Agency, was clear.", english=True),
              Place("d", "p3", "2015年，韦伯总统签署了法案。"),
              Place("d", "p4", "用玛丽·简的话说，这是明确的信号。")]
    assert appositive(["约翰·史密斯"], ["John Smith"], places, kind="person").where == "d#p1"
    assert appositive(["彼得罗夫"], ["Ivan Petrov"], places, kind="person").where == "d#p2"
    assert appositive(["韦伯"], ["Webb"], places, kind="person").where == "d#p3"
    assert appositive(["玛丽·简"], ["Mary Jane"], places, kind="person") is None  # a mere mention
    inside = [Place("d", "p1", "碎片迫使美国宇航员和俄罗斯宇航员躲在飞船中。")]
    assert appositive(["罗斯"], ["Ross"], inside, kind="person") is None  # the end of a longer word


def test_a_description_before_a_name_counts_for_persons_only():
    places = [Place("d", "p1", "然而，带有孤立主义情绪的约翰·史密斯赢得了选举。"),
              Place("d", "p2", "维护太空的“共同领域”地位与属性。")]
    assert appositive(["约翰·史密斯"], [], places, kind="person").kind == "appositive"
    assert appositive(["共同领域"], [], places, kind="concept") is None


def test_what_a_named_document_or_programme_does_is_an_appositive_gloss():
    places = [Place("d", "p1", "2009年10月,两国签署《关于相互通报发射的协定》,相互通报两国境内发射运载火箭的信息。"),
              Place("d", "p2", "2018年11月，该局推出总价值26亿美元的“月面货运服务”项目，资助商业公司建造着陆器。"),
              Place("d", "p3", "In 2021, the Senate passed the Open Skies Act, which prohibits any space exchanges.", english=True),
              Place("d", "p4", "Japan enacted the Basic Law of Space, which established the legal basis.", english=True),
              Place("d", "p5", "It will be opposed by China and Russia, which are partners.", english=True),
              Place("d", "p6", "两国签署《某某宣言》,双方都很满意。")]
    assert appositive(["关于相互通报发射的协定"], [], places, kind="document").where == "d#p1"
    assert appositive(["月面货运服务"], [], places, kind="programme").where == "d#p2"
    assert appositive([], ["Open Skies Act"], places, kind="document").where == "d#p3"
    assert appositive([], ["Space"], places, kind="concept") is None  # the end of a longer name
    assert appositive([], ["Russia"], places, kind="place") is None  # a clause about a list
    assert appositive(["某某宣言"], [], places, kind="document") is None  # a mere mention


def test_a_note_after_the_term_glosses_it_unless_it_is_a_citation():
    lib = library("各国积极孵化月球“就地取材”[1]、月球发电等技术。", "各国也讨论了“轨道清扫”[2]问题。",
                  notes={1: "In-Situ Use，指在月球上就地取材利用月球资源。",
                         2: "约翰·史密斯：《轨道清扫》，某出版社，2020年，第3页。"})
    gloss = gloss_of(GlossaryEntry("a", "就地取材", ["In-Situ Use"]), lib)
    assert (gloss.kind, gloss.where) == ("note", "d#fn:1")
    assert gloss_of(GlossaryEntry("b", "轨道清扫", ["Orbit Sweeping"]), lib) is None


def test_a_category_word_is_found_but_not_counted():
    places = [Place("d", "p1", "1970年该国成功发射“晨星一号”卫星,从而迈入太空俱乐部。"),
              Place("d", "p2", "该国在研制超重型运载火箭“远山”工程上进展缓慢。")]
    assert category(["晨星一号"], places).kind == "category"
    assert category(["远山"], places).where == "d#p2"
    lib = library("1970年该国成功发射“晨星一号”卫星。", "柔性防御（FLEXIBLE DEFENCE）一即遭受攻击后予以反击。")
    glossary = Glossary({"a": GlossaryEntry("a", "晨星一号", ["Morning Star-1"], kind="spacecraft"),
                         "b": GlossaryEntry("b", "柔性防御", ["Flexible Defence"])})
    figures = quote_definitions(glossary, lib)
    assert figures == {"defined": 1, "defined_by": {"category": 1, "definition": 1}}
    assert glossary.entries["a"].definition_kind == "context" and glossary.entries["b"].definition_kind == "source"
    assert glossary.entries["a"].definition.startswith("1970年该国成功发射")


# --------------------------------------------------------------------------- expansions


def test_expansion_from_the_words_before_a_bracketed_abbreviation():
    assert words_for("as well as cooperation in [Earth] remote sensing ", "ERS") == "Earth remote sensing"
    assert words_for("cooperation in remote sensing ", "XYZ") == ""
    doc = Document(meta=meta(), blocks=[Block("paragraph", [Text(
        "They cooperate in [Earth] remote sensing (ERS) data.")], lang="en", anchor="p1")],
        backmatter=[BackMatter("abbreviations", "缩写", [Block("paragraph", [Text("KSA: kinetic strike arm")], anchor="a1")])])
    found = expansions(Library(documents=[doc]))
    assert found["ERS"] == "Earth remote sensing" and found["KSA"] == "kinetic strike arm"
    assert "ERS" not in expansions(Library(documents=[doc]), names_only=True)  # the bracket rule's: names only


# --------------------------------------------------------------------------- short forms


def test_short_forms_fold_into_their_full_entries():
    full = GlossaryEntry("#0", "约翰·史密斯", ["John Smith"], kind="person", evidence=["parenthetical:d#p1"])
    short = GlossaryEntry("#1", "史密斯", ["Smith"], kind="person", evidence=["aligned-pair:d#p2"])
    treaty = GlossaryEntry("#2", "反卫星试验条约", ["Anti-Satellite Test Treaty"], kind="document")
    treaty_short = GlossaryEntry("#3", "反星条约", ["AST Treaty"], kind="document")
    other = GlossaryEntry("#4", "太空条约", ["Space Treaty"], kind="document")
    folded = fold_short_forms([full, short, treaty, treaty_short, other])
    assert folded == {id(short), id(treaty_short)}
    assert "史密斯" in full.aliases and "Smith" in full.en and full.evidence[-1] == "aligned-pair:d#p2"
    assert "反星条约" in treaty.aliases and "AST Treaty" in treaty.en


def test_a_family_name_shared_by_two_people_is_not_folded():
    people = [GlossaryEntry("#0", "约翰·史密斯", ["John Smith"], kind="person"),
              GlossaryEntry("#1", "简·史密斯", ["Jane Smith"], kind="person"),
              GlossaryEntry("#2", "史密斯", ["Smith"], kind="person")]
    assert fold_short_forms(people) == set()
    assert fold_short_forms([GlossaryEntry("#0", "约翰·史密斯", ["John Smith"], kind="person"),
                             GlossaryEntry("#1", "史密斯", ["Smith"], kind="person")], curated_count=2) == set()


def test_common_words_in_capitals_are_title_cased_brands_are_not():
    assert word_case("ATTACK") == "Attack"
    assert word_case("ONENET") == "ONENET" and word_case("NASA") == "NASA" and word_case("Due Regard") == "Due Regard"


# --------------------------------------------------------------------------- back matter


def test_prose_back_matter_is_read_for_pairs_and_glosses():
    from builder import terms
    from builder.terms_extract import Context, extract_document
    from builder.terms_names import backmatter_texts

    doc = Document(meta=meta(), blocks=[Block("paragraph", [Text("正文。")], anchor="p1")], backmatter=[
        BackMatter("author-notes", "作者介绍", [Block("paragraph", [Text(
            "约翰·史密斯 (JOHN SMITH) 现任斯德哥尔摩国际和平研究所 (SIPRI) 高级研究员。")]),
            Block("paragraph", [Text("苏菲 (FEI SU) 现任某某研究所高级研究员。")])]),
        BackMatter("colophon", "", [Block("paragraph", [Text("斯德哥尔摩国际和平研究所 (SIPRI) 是一所独立研究机构，致力于研究军备。")])]),
        BackMatter("contents", "目录", [Block("paragraph", [Text("一、某某（ABC DEF）")])])])
    corpus = "\n".join(text for text, _anchor in backmatter_texts(doc))
    found = {(c.zh, c.en.casefold(), c.abbr) for c in extract_document(doc, Context(terms.new_tokenizer(), {}, corpus))}
    assert ("约翰·史密斯", "john smith", "") in found and ("苏菲", "fei su", "") in found  # a name, no acronym
    assert ("斯德哥尔摩国际和平研究所", "", "SIPRI") in found and not any(c[2] == "ABC DEF" for c in found)
    lib = Library(documents=[doc])
    assert gloss_of(GlossaryEntry("a", "斯德哥尔摩国际和平研究所", [], abbr="SIPRI", kind="organisation"), lib).kind == "definition"
    assert gloss_of(GlossaryEntry("b", "苏菲", ["Fei Su"], kind="person"), lib).kind == "appositive"
