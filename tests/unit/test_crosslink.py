"""Cross-links on small hand-made libraries: authors, grouped works, related ranking, pages."""

from __future__ import annotations

import re

from builder import crosslink
from builder.crosslink import authors as xl_authors
from builder.crosslink import related as xl_related
from builder.crosslink import works as xl_works
from builder.pages import crosslink_pages
from builder.pages.related import document_sections
from builder.diagnostics import Diagnostics
from builder.models import (Author, Block, DocMeta, Document, Glossary, GlossaryEntry,
                            Library, Link, Note, Occurrence, Text)


def make_doc(doc_id: str, title: str, notes: list[str], authors=(), body: str = "正文。",
             related=(), orphans: list[str] = ()) -> Document:
    meta = DocMeta(id=doc_id, title_zh=title, kind="journal-article", reader="pdf_journal",
                   languages=["zh"], text_path=f"corpus/{doc_id}.txt", meta_path=f"corpus/{doc_id}.yml",
                   authors=[Author(*a) for a in authors], related=list(related))
    doc = Document(meta=meta, blocks=[Block("paragraph", [Text(body)], anchor="p-1")])
    doc.notes = [Note(i, str(i), [Text(t)], line=i) for i, t in enumerate(notes, 1)]
    doc.notes += [Note(len(notes) + i, f"x{i}", [Text(t)], line=99, referenced=False)
                  for i, t in enumerate(orphans, 1)]
    return doc


def entry(entry_id: str, zh: str, *doc_ids: str) -> GlossaryEntry:
    return GlossaryEntry(entry_id, zh, occurrences=[Occurrence(d, "p-1", "") for d in doc_ids])


def library_of(*docs: Document, entries=()) -> Library:
    library = Library(list(docs), Glossary({e.id: e for e in entries}))
    crosslink.link_mentions_all(library)
    crosslink.build(library, Diagnostics())
    return library


A_NOTES = [
    "参见何某松：《中美太空合作的现状与前景》，载《现代国际关系》2009年第3期，第29–35页。",
    "这是一条说明性注释，没有引用任何著作。",
    "甲乙丙：《共同的著作》，载《某刊》2010年第1期。",
]
B_NOTES = [
    "何某松：《中美太空合作的现状与前景》，《现代国际关系》，2009年第3期，<https://example.org/x>。",
    "尼维迪塔·拉朱、劳拉·格：《太空核关联》，某研究所，2025年6月，<https://doi.org/10.55163/AB12>。",
    "尼维迪塔·拉朱、劳拉·格（注释2），第12页。",
    "何某松、叶某：《中国与俄罗斯太空合作分析》，《俄罗斯研究》，2021年第4期。",
]


def sample_library(**kwargs) -> Library:
    a = make_doc("doc-a", "中美太空合作的历程", A_NOTES, authors=[("甲乙丙",)], **kwargs)
    b = make_doc("doc-b", "寻求太空战略稳定", B_NOTES, authors=[("尼维迪塔·拉朱", "Nivedita Raju")])
    c = make_doc("doc-c", "中国与俄罗斯太空合作分析", [], authors=[("何某松", "He Mousong"), ("叶某", "")])
    return library_of(a, b, c, entries=[entry("beidou", "北斗", "doc-a", "doc-c"),
                                        entry("asat", "反卫星武器", "doc-a", "doc-c", "doc-b")])


def test_same_work_in_two_documents_is_one_entry_with_both_notes():
    works = sample_library().works
    matching = [w for w in works.values() if w.title == "中美太空合作的现状与前景"]
    assert len(matching) == 1
    work = matching[0]
    assert [(p.doc_id, p.number) for p, _ in work.citations] == [("doc-a", 1), ("doc-b", 1)]
    assert (work.authors, work.venue, work.year, work.url) == (["何某松"], "现代国际关系", "2009", "https://example.org/x")
    assert work.slug.isascii() and work.slug.startswith("zhong-mei-tai-kong")


def test_short_form_joins_the_work_of_the_note_it_points_at():
    works = sample_library().works
    work = next(w for w in works.values() if w.title == "太空核关联")
    assert [(p.doc_id, p.number) for p, _ in work.citations] == [("doc-b", 2), ("doc-b", 3)]
    assert work.doi == "10.55163/AB12"


def test_explanatory_note_is_not_a_work():
    works = sample_library().works
    assert all(place.number != 2 or place.doc_id != "doc-a" for w in works.values() for place, _ in w.citations)
    assert len(works) == 4


def test_authors_pages_collect_citing_notes_across_documents():
    authors = sample_library().authors
    assert sorted(authors) == ["he-mousong", "jia-yi-bing", "nivedita-raju", "ye-mou"]
    he = authors["he-mousong"]
    assert he.documents == ["doc-c"]
    assert [(p.doc_id, p.number) for p, _ in he.citing] == [("doc-a", 1), ("doc-b", 1), ("doc-b", 4)]
    raju = authors["nivedita-raju"]
    assert [(p.doc_id, p.number) for p, _ in raju.citing] == [("doc-b", 2), ("doc-b", 3)]
    # a two-character name is matched through parsed citation authors only
    assert [(p.doc_id, p.number) for p, _ in authors["ye-mou"].citing] == [("doc-b", 4)]


def test_citing_note_found_by_romanised_name_in_free_text():
    a = make_doc("doc-a", "第一篇文献标题", ["As Nivedita Raju argued in an interview, things changed."])
    b = make_doc("doc-b", "第二篇文献标题", [], authors=[("尼维迪塔·拉朱", "Nivedita Raju")])
    authors = library_of(a, b).authors
    assert [(p.doc_id, p.number) for p, _ in authors["nivedita-raju"].citing] == [("doc-a", 1)]


def test_work_that_is_a_corpus_document_links_to_it_and_notes_get_a_link():
    library = sample_library()
    work = next(w for w in library.works.values() if w.title == "中国与俄罗斯太空合作分析")
    assert work.document == "doc-c"
    b = library.documents[1]
    links = [n for n in b.notes[3].inlines if isinstance(n, Link)]
    assert [(link.text, link.url) for link in links] == [("中国与俄罗斯太空合作分析", "./doc-c.md")]
    assert b.notes[3].text == B_NOTES[3]  # nothing lost


def test_link_mentions_changes_nothing_until_applied():
    b = make_doc("doc-b", "第二篇文献标题", [B_NOTES[3]], body="正文提到中国与俄罗斯太空合作分析。")
    c = make_doc("doc-c", "中国与俄罗斯太空合作分析", [])
    before = (list(b.notes[0].inlines), list(b.blocks[0].inlines))
    result = crosslink.link_mentions(b, crosslink.title_index([b, c]))
    assert (b.notes[0].inlines, b.blocks[0].inlines) == before  # pure: the document is unchanged
    assert [i for i, _ in result.notes] == [0] and [i for i, _ in result.blocks] == [0]
    assert crosslink.apply_mentions(b, result)
    assert [(n.text, n.url) for n in b.blocks[0].inlines if isinstance(n, Link)] == [("中国与俄罗斯太空合作分析", "./doc-c.md")]
    assert b.notes[0].text == B_NOTES[3] and b.blocks[0].text == "正文提到中国与俄罗斯太空合作分析。"


def test_a_mentions_result_that_does_not_fit_is_not_applied():
    b = make_doc("doc-b", "第二篇文献标题", [B_NOTES[3]])
    c = make_doc("doc-c", "中国与俄罗斯太空合作分析", [])
    result = crosslink.link_mentions(b, crosslink.title_index([b, c]))
    b.notes.append(Note(2, "2", [Text("另一条注释。")], line=2))
    assert not crosslink.apply_mentions(b, result)
    assert not crosslink.apply_mentions(b, ("wrong", "shape"))
    assert not any(isinstance(n, Link) for note in b.notes for n in note.inlines)


def test_library_finds_a_document_by_id_also_after_the_list_changed():
    a, b = make_doc("doc-a", "第一篇文献标题", []), make_doc("doc-b", "第二篇文献标题", [])
    library = Library([a])
    assert library.document("doc-a") is a
    library.documents.append(b)
    assert library.document("doc-b") is b
    first_b = make_doc("doc-b", "同号的另一篇", [])
    library.documents = [first_b, b]
    assert library.document("doc-b") is first_b  # the first document with the id


def test_related_ranking_and_reasons():
    related = sample_library().related
    ranked_b = [r.doc_id for r in related["doc-b"]]
    assert ranked_b == ["doc-c", "doc-a"]  # doc-b cites doc-c (10) + 1 term; shares a work with doc-a (3) + 1 term
    reasons_b_c = dict(related["doc-b"][0].reasons)
    assert "本文引用该文" in reasons_b_c and reasons_b_c["本文引用该文"] == ["fn:4"]
    reasons_c_b = dict(related["doc-c"][0].reasons) if related["doc-c"][0].doc_id == "doc-b" else {}
    assert "该文引用本文" in reasons_c_b
    reasons_a_c = dict(next(r for r in related["doc-a"] if r.doc_id == "doc-c").reasons)
    assert reasons_a_c["本文引用该文作者"] == ["何某松"]
    assert reasons_a_c["共同术语"] == ["北斗"]  # 反卫星武器 is in every document: no evidence
    reasons_a_b = dict(next(r for r in related["doc-a"] if r.doc_id == "doc-b").reasons)
    assert len(reasons_a_b["共同引用"]) == 1


def test_editor_related_and_unknown_id_warning():
    a = make_doc("doc-a", "第一篇文献标题", [], related=["doc-b", "no-such-doc"])
    b = make_doc("doc-b", "第二篇文献标题", [])
    diag = Diagnostics()
    library = Library([a, b])
    crosslink.build(library, diag)
    assert [(r.doc_id, r.reasons) for r in library.related["doc-b"]] == [("doc-a", [("编者关联", [])])]
    assert [w.code for w in diag.warnings] == ["crosslink.unknown-related"]
    assert "no-such-doc" in diag.warnings[0].message


def test_document_section_shows_reasons_and_relative_links():
    library = sample_library()
    sections = document_sections(library, library.documents[0])
    text = "\n".join(sections)
    assert "## 相关文献" in text and "**作者**：[甲乙丙](../authors/jia-yi-bing.md)" in text
    assert "](./doc-c.md)：本文引用该文作者：何某松；共同术语：北斗\n" in text
    assert re.search(r"共同引用：\[《中美太空合作的现状与前景》\]\(\.\./works/zhong-mei-[a-z-]+\.md\)", text)
    assert "## 本文引用的文献（2）" in text and "](#fn:1)" in text


def test_pages_exist_and_link_notes_with_footnote_and_orphan_anchors():
    a = make_doc("doc-a", "第一篇文献标题", [], orphans=["张三：《孤立的注释》，载《某刊》2001年第2期。"])
    b = make_doc("doc-b", "第二篇文献标题", ["张三：《孤立的注释》，载《某刊》2001年第2期。"], authors=[("张三",)])
    library = library_of(a, b)
    pages = crosslink_pages(library)
    assert {"authors/index.md", "works/index.md", "authors/zhang-san.md"} <= set(pages)
    work_page = next(v for k, v in pages.items() if k.startswith("works/") and k != "works/index.md")
    assert "../documents/doc-a.md#orphan-2" not in work_page  # orphan numbering: after referenced notes
    assert "../documents/doc-a.md#orphan-1" in work_page and "../documents/doc-b.md#fn:1" in work_page
    assert "## 2001" in pages["works/index.md"]
    assert "[张三](zhang-san.md)" in pages["authors/index.md"]


def test_source_text_is_escaped_on_pages():
    a = make_doc("doc-a", "第一篇文献标题", ["张*三：《标题_<b>x</b>》，载《某刊》2001年第2期。"], authors=[("张*三",)])
    pages = crosslink_pages(library_of(a))
    text = "\n".join(page.split("\n---\n", 1)[1] for page in pages.values())  # body, after front matter
    assert "<b>" not in text and "张*三" not in text and "&#42;" in text


def test_output_is_deterministic():
    first = crosslink_pages(sample_library())
    second = crosslink_pages(sample_library())
    assert first == second


def test_short_form_resolves_through_superscript_labels():
    doc = make_doc("doc-a", "第一篇文献标题", ["张三：《长标题：副标题》，某研究所，2020年，<https://example.org/a>。",
                                              "张三：《长标题》（注释1），第5页。"])
    doc.notes[0].label, doc.notes[1].label = "¹", "²"
    work = next(iter(library_of(doc).works.values()))
    assert [p.number for p, _ in work.citations] == [1, 2]


def test_unresolvable_short_form_is_dropped():
    doc = make_doc("doc-a", "第一篇文献标题", ["张三：《长标题》（注释7），第5页。"])
    assert library_of(doc).works == {}


def test_top_related_equals_the_full_ranking_cut_at_the_limit():
    """The fast path (scores by set operations, reasons only for the shown) must agree with the
    reference ranking: same documents, order, scores and reasons, and the same total."""
    library = sample_library()
    works = library.works
    index = xl_related.RelatedIndex(library, works, xl_works.collect_citations(library))
    for doc in library.documents:
        full = index.rank(doc)
        for limit in (1, 2, 12):
            shown, total = index.top(doc, limit)
            assert [(r.doc_id, r.score, r.reasons) for r in shown] == \
                [(r.doc_id, r.score, r.reasons) for r in full[:limit]]
            assert total == len(full)
        for other in library.documents:
            if other is not doc:
                assert index.scores(doc.meta.id).get(other.meta.id, 0) == index.related(doc, other).score


def test_fast_ranking_agrees_with_the_reference_when_a_cited_work_is_a_library_document():
    """A work that is a library document is no shared work of a pair that includes that
    document, even when the document cites itself; other pairs citing it share it."""
    self_cite = "何某松：《中美太空合作的现状与前景》，《现代国际关系》，2009年第3期。"
    about_c = "何某松、叶某：《中国与俄罗斯太空合作分析》，《俄罗斯研究》，2021年第4期。"
    a = make_doc("doc-a", "第一篇文献标题", [about_c, self_cite])
    b = make_doc("doc-b", "第二篇文献标题", [about_c])
    c = make_doc("doc-c", "中国与俄罗斯太空合作分析", [about_c, self_cite], authors=[("何某松", "He Mousong")])
    library = library_of(a, b, c)
    works = library.works
    assert any(w.document == "doc-c" and len(w.citations) == 3 for w in works.values())
    index = xl_related.RelatedIndex(library, works, xl_works.collect_citations(library))
    for doc in library.documents:
        full = index.rank(doc)
        assert {o: n for o, n in index.scores(doc.meta.id).items() if n} == {r.doc_id: r.score for r in full}
        assert index.top(doc, 12) == (full, len(full))
    reasons = {r.doc_id: dict(r.reasons) for r in index.rank(a)}
    assert "共同引用" in reasons["doc-b"] and "共同引用" in reasons["doc-c"]  # the self-cited work only


def test_author_finder_agrees_with_trying_every_author():
    from builder.models import AuthorRecord

    records = [AuthorRecord("a", "何某松", "He Mousong"), AuthorRecord("b", "叶某", ""),
               AuthorRecord("c", "尼维迪塔·拉朱", "Nivedita Raju"), AuthorRecord("d", "某人", "O'Hanlon"),
               AuthorRecord("e", "张三丰", "Émile Zola"), AuthorRecord("f", "李四", "de la Cruz")]
    texts = ["参见何某松的文章。", "HE MOUSONG wrote", "Hemousong", "He Mousongs", "叶某认为", "nivedita raju, 2025",
             "o'hanlon notes", "see Émile Zola", "De La Cruz (2020)", "de la Cruzado", "张三丰", "", "no one here"]
    finder = xl_authors.AuthorFinder(records)
    for text in texts:
        expected = {r.slug for r in records if xl_authors.names_author(r, text)}
        assert {r.slug for r in finder.named(text)} == expected, text
        assert {r.slug for r in finder.starting(text)} == {r.slug for r in records if text.startswith(r.name)}, text


def test_fast_ranking_agrees_with_the_reference_on_a_generated_corpus(tmp_path):
    """Ten documents made from the seeds (copies share authors, works, cited people and terms):
    every document's shown list, scores, reasons and total equal the pair-by-pair ranking."""
    from pathlib import Path

    from builder import bench, pipeline

    root = Path(__file__).resolve().parents[2]
    bench.make_project(root, tmp_path, "10")
    library = pipeline.run(pipeline.Options(tmp_path, render_site=False, write_pages=False,
                                            use_cache=False)).library
    index = xl_related.RelatedIndex(library, library.works, xl_works.collect_citations(library))
    shared_works = 0
    for doc in library.documents:
        full = index.rank(doc)
        shown, total = index.top(doc, 3)
        assert [(r.doc_id, r.score, r.reasons) for r in shown] == [(r.doc_id, r.score, r.reasons) for r in full[:3]]
        assert total == len(full)
        assert {o: n for o, n in index.scores(doc.meta.id).items() if n} == {r.doc_id: r.score for r in full}
        shared_works += sum(label == "共同引用" for r in full for label, _ in r.reasons)
    assert shared_works, "the copies must share cited works for this test to mean anything"
    # Author pages (citations and works looked up by name key) equal testing every one of them.
    found, works = xl_works.collect_citations(library), library.works
    authors = xl_authors.collect_authors(library, found, works)
    named = xl_authors.notes_naming(xl_authors.AuthorFinder(list(authors.values())), library.documents)
    assert sum(len(record.works) for record in authors.values())
    for record in authors.values():
        assert record.citing == xl_authors.citing_notes(record, found, named.get(record.slug, {}))
        assert record.works == [slug for slug, work in works.items() if xl_authors.wrote(record, work.authors)]
