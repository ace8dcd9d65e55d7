"""What each speed mechanism buys: builds of one generated project with one mechanism switched
off at a time, against all of them on, measured in one run.

``python -m builder bench --sizes 100 --mechanisms`` (``--json-out`` keeps the figures). For each
mechanism, in a fresh process: a full build (nothing remembered, pages written, site not
rendered), a no-change rebuild and a rebuild after editing one document (the median of
``EDITS`` edits), all in that process as ``serve`` rebuilds. A mechanism's share is what the
build takes longer without it, as a share of the same build with every mechanism on.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .. import bench

EDITS = 3
MECHANISMS = {
    "all on": "",
    "process pool": "pool",
    "collector pause": "collector",
    "jieba data folder": "jieba-data",
    "remembered corpus metadata": "corpus",
    "remembered documents (read, footnotes)": "documents",
    "remembered expansions": "expansions",
    "remembered term candidates": "extract",
    "remembered name counts": "counts",
    "remembered alignments": "align",
    "remembered glosses": "glosses",
    "remembered term links": "link",
    "remembered title mentions": "mentions",
    "remembered citations": "citations",
    "remembered pages": "page",
    "whole-build reuse": "summary",
}


def measure(project: Path, switch_off: str) -> dict:
    """In this process: the three builds with ``switch_off`` disabled (see MECHANISMS)."""
    from .. import incremental, pipeline, terms
    from . import collector, pool

    if switch_off == "pool":
        pool.workers = lambda count, jobs: 1
    elif switch_off == "collector":
        collector.paused = _no_pause
    elif switch_off == "jieba-data":
        original = terms.use_data_folders
        terms.use_data_folders = lambda root: original(None)
    elif switch_off == "corpus":
        incremental.load_corpus = lambda corpus, root, load, use_cache=True: load(corpus, root)
    elif switch_off == "documents":
        incremental._load = lambda path, meta: None
    elif switch_off:
        load = incremental.Memo.load
        incremental.Memo.load = lambda self, stage, key: None if stage == switch_off else load(self, stage, key)
    bench._quiet_jieba()
    incremental.clear(project)

    def timed() -> tuple[float, object]:
        start = time.perf_counter()
        result = pipeline.run(pipeline.Options(project, render_site=False))
        return time.perf_counter() - start, result

    full, result = timed()
    nochange = statistics.median(timed()[0] for _ in range(EDITS))
    documents = result.library.documents
    edited = documents[len(documents) // 2].meta.text_path
    original_bytes = (project / edited).read_bytes()
    edits = []
    for number in range(EDITS):
        bench.edit_one_document(project, edited, number)
        edits.append(timed()[0])
    (project / edited).write_bytes(original_bytes)
    return {"full": full, "nochange": nochange, "one_edit": statistics.median(edits)}


@contextlib.contextmanager
def _no_pause():
    class Pause:
        def freeze(self) -> None:
            pass

        def resume(self) -> None:
            pass

    yield Pause()


def shares(project: Path) -> dict[str, dict]:
    """Every mechanism's figures, each in a fresh process, "all on" first and last (the machine's
    drift shows in the two)."""
    out: dict[str, dict] = {}
    names = list(MECHANISMS) + ["all on (again)"]
    for name in names:
        switch = MECHANISMS.get(name, "")
        code = ("import json, sys; from pathlib import Path; from builder.perf import shares; "
                f"print(json.dumps(shares.measure(Path(sys.argv[1]), {switch!r})))")
        done = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parents[2])
        if done.returncode:
            raise RuntimeError(f"measuring {name} failed:\n{done.stderr[-2000:]}")
        out[name] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{name}: {out[name]}", file=sys.stderr, flush=True)
    return out


def table(figures: dict[str, dict], size: str) -> str:
    base = {k: (figures["all on"][k] + figures.get("all on (again)", figures["all on"])[k]) / 2
            for k in ("full", "nochange", "one_edit")}
    lines = [f"| {size} documents: mechanism off | full build s | no-change s | one-edit s | costs without it (full / no-change / one-edit) |",
             "|---|---|---|---|---|"]
    for name, run in figures.items():
        cost = " / ".join(f"{100 * (run[k] - base[k]) / base[k]:+.0f} %" for k in ("full", "nochange", "one_edit"))
        lines.append(f"| {name} | {run['full']:.2f} | {run['nochange']:.3f} | {run['one_edit']:.2f} | "
                     f"{'—' if name.startswith('all on') else cost} |")
    return "\n".join(lines)


def main(root: Path, sizes: str, json_out: Path) -> int:
    """For each generated size: what each speed mechanism buys."""
    wanted = [s.strip() for s in sizes.split(",") if s.strip()]
    if not wanted or not all(s.isdigit() and int(s) > 0 for s in wanted):
        print(f"error: --mechanisms takes generated sizes such as 100,1000, got {sizes!r}", file=sys.stderr)
        return 2
    results = {"machine": bench.machine(), "mechanisms": {}}
    for size in wanted:
        project = root / bench.BENCH_DIR / f"mechanisms-{size}"
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        bench.make_project(root, project, size)
        results["mechanisms"][size] = shares(project)
        print(table(results["mechanisms"][size], size), flush=True)
        shutil.rmtree(project, ignore_errors=True)
    json_out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nwritten {json_out}")
    return 0
