"""Full builds with Pagefind against the same projects with Material's search plugin, in one run.

python scripts/search_compare.py [sizes, default 100,1000] [--keep] [--warm N]

For each size a generated project (builder/bench.py's corpus generator) is built twice from
cold (nothing cached, each in a fresh process, one after the other so both see the same load):

- "pagefind": the project as it is (``python -m builder build``: Pagefind indexes the pages
  while MkDocs renders them, builder/search.py);
- "material": a copy whose mkdocs.yml turns Material's search plugin on (``plugins: [search]``,
  lang zh) and drops the Pagefind hook, built with Pagefind switched off.

With ``--warm N``, both are then rebuilt N more times, alternating, with their builder caches
warm: a comment added to mkdocs.yml makes MkDocs render the whole site again (and the search
index be made again) while the builder's stages reuse what they remembered, so the builds
differ by search alone.

Printed (and written to .build/compare/results.json): wall time of the whole build, the
builder's stages, MkDocs's rendering (with Material's search plugin in the second build), the
time the build waited for Pagefind after rendering, and the load average before each build.
Projects live under .build/compare/ and are removed unless --keep.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder import bench  # noqa: E402

FOLDER = ROOT / ".build" / "compare"
# Run in the child for the Material build: the builder's indexing step does nothing.
NO_PAGEFIND = ("import sys; from builder import search; "
               "search.index_site = lambda site, root=None: {'engine': 'none'}; "
               "from builder.__main__ import main; sys.exit(main(sys.argv[1:]))")


def material_project(source: Path, target: Path) -> None:
    """A copy of ``source`` that uses Material's search plugin and not Pagefind."""
    shutil.copytree(source, target)
    config = (target / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\nplugins: []\n" in config and "  - hooks/pagefind_serve.py\n" in config
    config = config.replace("\nplugins: []\n", "\nplugins:\n  - search:\n      lang: zh\n")
    config = config.replace("  - hooks/pagefind_serve.py\n", "")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")


def build(project: Path, material: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if material:
        env["LIBRARY_SEARCH_STREAM"] = "0"
        command = [sys.executable, "-c", NO_PAGEFIND, "--root", str(project), "build", "--quiet"]
    else:
        command = [sys.executable, "-m", "builder", "--root", str(project), "build", "--quiet"]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{done.stderr[-2000:]}")
    report = json.loads((project / "site" / "build-report.json").read_text(encoding="utf-8"))
    stages = report.get("timings", {})
    search = report.get("search", {})
    builder = sum(stages.values())
    waited = search.get("seconds", 0.0) if not material else 0.0
    site = project / "site"
    return {"wall_seconds": round(seconds, 1), "load_before": round(load, 2),
            "builder_stages_seconds": round(builder, 1),
            "render_seconds": round(seconds - builder - waited, 1),  # MkDocs, with process start-up
            "search_wait_seconds": round(waited, 1), "search": search,
            "material_index_bytes": _size(site / "search" / "search_index.json"),
            "pagefind_index_bytes": sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
            if (site / "pagefind").is_dir() else 0}


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else 0


def warm_runs(argv: list[str]) -> int:
    return int(argv[argv.index("--warm") + 1]) if "--warm" in argv else 0


def main(argv: list[str]) -> int:
    sizes = (argv[0] if argv and not argv[0].startswith("--") else "100,1000").split(",")
    results = []
    for size in sizes:
        base = FOLDER / size
        shutil.rmtree(base, ignore_errors=True)
        (base / "pagefind").mkdir(parents=True)
        bench.make_project(ROOT, base / "pagefind", size)
        material_project(base / "pagefind", base / "material")
        for run in range(1 + warm_runs(argv)):
            for name in ("pagefind", "material"):
                if run:  # warm: the same pages rendered again, the stages remembered
                    config = base / name / "mkdocs.yml"
                    text = config.read_text(encoding="utf-8").split("\n# warm build")[0]
                    config.write_text(f"{text}\n# warm build {run}\n", encoding="utf-8")
                print(f"{size}: building with {name} ({'warm' if run else 'cold'}) ...", file=sys.stderr, flush=True)
                figures = build(base / name, material=name == "material")
                results.append({"size": size, "engine": name, "cache": "warm" if run else "cold", **figures})
                print(json.dumps(results[-1], ensure_ascii=False), flush=True)
        if "--keep" not in argv:
            shutil.rmtree(base, ignore_errors=True)
    (FOLDER / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
