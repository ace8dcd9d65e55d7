"""Command line: ``python -m builder build | check | serve | bench | eval | terms``.

Exit codes: 0 success, 1 bad input or failed build (one clear message per problem, no
traceback), 2 usage error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .errors import BuilderError, ConfigError, InterruptedAfterSwitch, StrictError


def find_root(start: Path) -> Path:
    """The project folder: the nearest folder upwards holding mkdocs.yml and corpus/."""
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").exists() and (folder / "corpus").is_dir():
            return folder
    return start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m builder", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: found from cwd)")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="write pages into docs/ and render the site into site/")
    build.add_argument("--strict", action="store_true", help="fail on any MkDocs or actionable builder warning")
    build.add_argument("--site-url", default=None, help="site_url for this deployment (sitemap, canonical links)")
    build.add_argument("--quiet", action="store_true", help="no progress or report output")
    check = sub.add_parser("check", help="validate the corpus and print the build report; writes nothing")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument("--strict", action="store_true", help="exit 1 on any actionable warning")
    serve = sub.add_parser("serve", help="serve the site with live reload, rebuilding on corpus changes")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000")
    bench = sub.add_parser("bench", help="benchmark the builder against mkdocs build")
    bench.add_argument("--sizes", default="seed,10,100,1000", help="corpora: seed and generated sizes")
    bench.add_argument("--json-out", type=Path, default=Path("bench-results.json"))
    bench.add_argument("--mechanisms", action="store_true",
                       help="what each speed mechanism buys: builds with one switched off at a time")
    bench.add_argument("--repeat", type=int, default=None,
                       help="measurements per size, medians reported (default: 3 up to 10 documents, else 1)")
    evaluate = sub.add_parser("eval", help="build a folder of documents and score the pages against its key.json")
    evaluate.add_argument("folder", type=Path, help="texts + .yml + key.json (the devset schema)")
    evaluate.add_argument("--only", default=None, help="comma-separated document numbers or stems, e.g. 01,08")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.add_argument("--source", choices=("txt", "pdf", "both"), default="txt",
                          help="which file of a stem with both a text and a PDF is built (both: side by side)")
    evaluate.add_argument("--details", action="store_true", help="list every failed check")
    review = sub.add_parser("terms", help="term pairs awaiting an editor's review (aligned English/Chinese paragraphs)")
    review.add_argument("--suggest", action="store_true",
                        help="write the review queue into corpus/terms-review.yml (decided items are kept)")
    args = parser.parse_args(argv)
    root = (args.root or find_root(Path.cwd())).resolve()
    try:
        return _dispatch(args, root)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found; nothing was written.", file=sys.stderr)
        return 1
    except StrictError as exc:
        print(f"error: {exc}:", file=sys.stderr)
        for warning in exc.warnings:
            print(f"error: {warning}", file=sys.stderr)
        print("the previous docs/ pages and site/ are unchanged.", file=sys.stderr)
        return 1
    except BuilderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if not getattr(exc, "switched", False):
            print("the previous docs/ pages and site/ are unchanged.", file=sys.stderr)
        return 1
    except InterruptedAfterSwitch:
        print("interrupted after the new docs/ pages and site/ were switched in: the build is complete.",
              file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("interrupted; the previous docs/ pages and site/ are unchanged.", file=sys.stderr)
        return 130
    except OSError as exc:  # a folder the build cannot write (read-only, full disk, a file in the way)
        print(f"error: {_where(exc, root)}: {exc.strerror or exc}", file=sys.stderr)
        print("the previous docs/ pages and site/ are unchanged.", file=sys.stderr)
        return 1


def _where(exc: OSError, root: Path) -> str:
    """The file an OSError is about, relative to the project when it is inside it."""
    name = exc.filename
    if name is None:
        return "cannot read or write a file"
    try:
        return Path(name).resolve().relative_to(root).as_posix()
    except (ValueError, OSError, RuntimeError):
        return str(name)


def _dispatch(args: argparse.Namespace, root: Path) -> int:
    from . import pipeline
    from .report import report_text

    if args.command == "build":
        progress = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
        start = time.perf_counter()
        result = pipeline.run(pipeline.Options(root, strict=args.strict, site_url=args.site_url, progress=progress))
        if not args.quiet:
            print(report_text(result.report))
            print(f"built {len(result.library.documents)} documents into docs/ and site/ "
                  f"in {time.perf_counter() - start:.1f}s (report: site/build-report.json)")
        return 0
    if args.command == "check":
        result = pipeline.run(pipeline.Options(root, render_site=False, write_pages=False))
        print(json.dumps(result.report, ensure_ascii=False, indent=1) if args.json else report_text(result.report))
        return 1 if args.strict and result.diag.actionable() else 0
    if args.command == "serve":
        from .serve import serve

        return serve(root, args.dev_addr)
    if args.command == "terms":
        from .terms_review import suggest

        result = pipeline.run(pipeline.Options(root, render_site=False, write_pages=False, use_cache=True))
        if result.library.glossary is None or result.library.term_queue is None:  # pages reused: run the stages
            result = pipeline.run(pipeline.Options(root, render_site=False, write_pages=False, use_cache=False))
        return suggest(root, result.library.term_queue or [], write_file=args.suggest)
    if args.command == "eval":
        from .eval import main as eval_main

        return eval_main(args.folder.resolve(), args.only, args.json, args.source, args.details)
    if args.command == "bench":
        from .bench import bench

        if args.mechanisms:
            from .perf import shares

            return shares.main(root, args.sizes, args.json_out)
        return bench(root, args.sizes, args.json_out, args.repeat)
    return 2


if __name__ == "__main__":
    sys.exit(main())
