"""The benchmark command on a tiny generated corpus: the JSON has every figure the README
reports, per size and per stage. No timing is asserted (the machine is shared)."""

from __future__ import annotations

import json

import pytest
from pathlib import Path

import yaml

from builder import bench
from tinyproject import REPO

RUN_KEYS = {
    "size", "documents", "characters", "setup_seconds", "stages", "builder_seconds", "mkdocs_seconds",
    "builder_mkdocs_ratio", "mkdocs_in_process_seconds", "search_seconds", "builder_mkdocs_in_process_ratio", "per_document_ms", "chars_per_second", "peak_rss_mb", "nochange_seconds",
    "nochange_ratio", "nochange_pages_identical", "one_edit_seconds", "one_edit_ratio",
    "nochange_stages", "one_edit_stages", "search_index_bytes", "search_index_gzip_bytes", "site_bytes", "site_files", "document_page_bytes_mean", "document_page_bytes_max",
    "first_build_seconds", "first_build_stages", "first_build_mkdocs_ratio", "repeats",
    "builder_mkdocs_ratio_range", "builder_mkdocs_in_process_ratio_range", "nochange_ratio_range",
    "one_edit_ratio_range",
}


def test_bench_writes_every_figure_for_a_tiny_generated_corpus(tmp_path: Path, capsys) -> None:
    out = tmp_path / "bench.json"
    assert bench.bench(REPO, "2", out, repeat=2) == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(results) == {"machine", "runs", "targets"}
    (run,) = results["runs"]
    assert set(run) == RUN_KEYS
    assert run["size"] == "2" and run["documents"] == 2
    assert {"config", "terms", "render", "write"} <= set(run["stages"])
    assert {"config", "terms", "render", "write"} <= set(run["first_build_stages"])
    assert run["first_build_seconds"] > 0 and run["first_build_mkdocs_ratio"] > 0
    assert run["characters"] > 1000 and run["search_index_bytes"] > 0
    assert 0 < run["search_index_gzip_bytes"] < run["search_index_bytes"]
    assert run["site_bytes"] > run["search_index_bytes"]
    assert run["nochange_pages_identical"] is True
    assert run["repeats"] == 2
    low, high = run["one_edit_ratio_range"]
    assert 0 < low <= run["one_edit_ratio"] <= high
    assert "2: no-change rebuild / full" in results["targets"]
    assert results["targets"]["2: one-edit rebuild / full"]["range"] == [low, high]
    printed = capsys.readouterr().out
    assert "| size |" in printed and "| 2 |" in printed
    assert not list((REPO / bench.BENCH_DIR).glob("2-*"))  # the temporary project is removed


def test_generated_copies_are_distinct_documents(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    bench.make_project(REPO, project, "7")
    metas = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((project / "corpus").glob("*-g*.yml"))]
    texts = [p.read_bytes() for p in sorted((project / "corpus").glob("*-g*.txt"))]
    assert len(metas) == len(texts) == 7
    assert len({m["id"] for m in metas}) == 7 and len(set(texts)) == 7
    seeds = {p.read_bytes() for p in (REPO / "corpus").glob("*.txt")}
    assert not seeds & set(texts)  # every copy is perturbed, none is a seed byte for byte
    ids = {m["id"] for m in metas}
    assert all(r in ids for m in metas for r in m.get("related", []))
    assert (project / "mkdocs.yml").exists() and (project / "corpus" / "chrome.yml").exists()


def test_perturbation_keeps_the_characters_of_paragraphs_but_changes_years() -> None:
    text = "一、引言\n\n1979年至1999年。\n\n第二段。\n\n第三段。\n\n第四段。\n"
    changed = bench.perturb(text, 3)
    assert "1979" not in changed and "1999" not in changed
    assert changed.count("年") == 2 and changed.startswith("一、引言\n\n")
    without_digits = lambda t: sorted(c for c in t if not c.isdigit())  # noqa: E731
    assert without_digits(changed) == without_digits(text)  # nothing lost, only moved or renumbered


def test_repeated_measurements_give_medians_and_ranges() -> None:
    """Three repeats: the figures of the median one by builder time, each ratio the median of
    the repeats' own ratios with its range, the highest peak memory."""
    def figures(builder, ratio, edit, peak):
        return {"builder_seconds": builder, "builder_mkdocs_ratio": ratio, "builder_mkdocs_in_process_ratio": None,
                "nochange_ratio": 0.05, "one_edit_ratio": edit, "peak_rss_mb": peak, "stages": {"terms": builder}}

    combined = bench._combine([figures(1.2, 0.31, 0.30, 200), figures(0.8, 0.20, 0.12, 250), figures(1.0, 0.26, 0.15, 220)])
    assert combined["builder_seconds"] == 1.0 and combined["stages"] == {"terms": 1.0}
    assert combined["builder_mkdocs_ratio"] == 0.26 and combined["builder_mkdocs_ratio_range"] == [0.20, 0.31]
    assert combined["one_edit_ratio"] == 0.15 and combined["one_edit_ratio_range"] == [0.12, 0.30]
    assert combined["nochange_ratio_range"] == [0.05, 0.05]
    assert "builder_mkdocs_in_process_ratio_range" not in combined
    assert combined["peak_rss_mb"] == 250 and combined["repeats"] == 3
    two = bench._combine([figures(1.0, 0.2, 0.1, 1), figures(1.1, 0.3, 0.2, 1)])
    assert two["builder_mkdocs_ratio"] == 0.25  # an even count: the mean of the middle two


def test_bench_rejects_a_repeat_below_one(tmp_path: Path, capsys) -> None:
    assert bench.bench(REPO, "seed", tmp_path / "b.json", repeat=0) == 2
    assert "--repeat" in capsys.readouterr().err


def test_bench_measures_one_large_document_per_size(tmp_path: Path, capsys) -> None:
    """--sizes 1mb,2mb: one document of that size, the builder's stages only, and the target that
    its time per MB does not grow with the size (every stage linear in one document)."""
    out = tmp_path / "bench.json"
    assert bench.bench(REPO, "1mb,2mb", out) == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    first, second = results["runs"]
    assert first["size"] == "1mb" and first["documents"] == 1 and 0.9 < first["megabytes"] <= 1.0
    assert 1.8 < second["megabytes"] <= 2.0
    for run in results["runs"]:
        assert run["builder_seconds"] > 0 and run["stages"]["terms"] > 0 and run["peak_rss_mb"] > 0
    assert "one document: time per MB 2 MB / 1 MB" in results["targets"]
    assert "| 2mb |" in capsys.readouterr().out


DEVSET = Path(__file__).resolve().parents[3] / "shared" / "devset"


@pytest.mark.skipif(not any(DEVSET.glob("*.pdf")), reason="../shared/devset has no PDFs here")
def test_bench_gives_the_pdf_readers_seconds_per_page(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_PDF_DIR", str(DEVSET))
    out = tmp_path / "bench.json"
    assert bench.bench(REPO, "pdf", out) == 0
    results = json.loads(out.read_text(encoding="utf-8"))
    [run] = results["runs"]
    assert run["pages"] >= 100 and all(d["pages"] > 0 and d["seconds_per_page"] > 0 for d in run["pdfs"])
    assert "pdf: seconds to read 30 pages" in results["targets"]
