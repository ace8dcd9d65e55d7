"""A tiny project in a temporary folder, for tests that build or check a whole corpus.

``make_project`` copies what a build needs besides the corpus (mkdocs.yml, docs/assets,
overrides/, corpus/chrome.yml) and writes the given texts and metadata; ``run_cli`` runs
``python -m builder`` on it in a subprocess; ``tree_hashes`` fingerprints a folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def meta(doc_id: str, reader: str = "pdf_journal", **fields) -> dict:
    """A valid metadata mapping; keyword arguments add or override fields."""
    data = {"id": doc_id, "title": {"zh": f"测试文献{doc_id}"}, "kind": "journal-article",
            "reader": reader, "languages": ["zh"]}
    data.update(fields)
    return data


def write_doc(root: Path, stem: str, text: str | bytes | None, metadata: dict | str | None) -> None:
    """Write corpus/<stem>.txt (str as UTF-8, bytes as they are) and corpus/<stem>.yml."""
    corpus = root / "corpus"
    if text is not None:
        path = corpus / f"{stem}.txt"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    if metadata is not None:
        body = metadata if isinstance(metadata, str) else yaml.safe_dump(metadata, allow_unicode=True)
        (corpus / f"{stem}.yml").write_text(body, encoding="utf-8")


def make_project(base: Path, docs: dict[str, tuple] | None = None) -> Path:
    """A project folder with the repository's site settings and the given corpus documents."""
    root = base / "project"
    (root / "corpus").mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets",
                    ignore=shutil.ignore_patterns("generated"))
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(REPO / "hooks", root / "hooks")
    shutil.copy2(REPO / "corpus" / "chrome.yml", root / "corpus" / "chrome.yml")
    for stem, (text, metadata) in (docs or {}).items():
        write_doc(root, stem, text, metadata)
    return root


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_cli(root: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m builder <args> --root <root>``: exit code, stdout and stderr as text."""
    command = [sys.executable, "-m", "builder", "--root", str(root), *args]
    return subprocess.run(command, cwd=REPO, env=cli_env(), capture_output=True, text=True,
                          encoding="utf-8", timeout=timeout)


def start_cli(root: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "builder", "--root", str(root), *args]
    return subprocess.Popen(command, cwd=REPO, env=cli_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")


def tree_hashes(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``folder`` (empty when it does not exist)."""
    if not folder.exists():
        return {}
    hashes = {}
    for parent, _dirs, names in os.walk(folder, followlinks=True):  # generated folders are links
        for name in names:
            path = Path(parent, name)
            if path.is_file():
                hashes[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return dict(sorted(hashes.items()))


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def read_text(text: str, reader: str, **fields):
    """One text through normalise -> reader -> anchors -> footnotes, in memory (no project)."""
    from builder import footnotes, structure
    from builder.chrome import load_chrome
    from builder.diagnostics import Diagnostics
    from builder.models import DocMeta
    from builder.normalize import normalize_characters
    from builder.readers import READERS, ReadContext, Source

    meta_fields = {"id": "doc-t", "title_zh": "测试", "kind": "journal-article", "reader": reader,
                   "languages": ["zh", "en"], "text_path": "corpus/t.txt", "meta_path": "corpus/t.yml"}
    meta_fields.update(fields)
    doc_meta = DocMeta(**meta_fields)
    diag = Diagnostics()
    clean, dropped = normalize_characters(text, doc_meta.private_use, doc_meta.text_path, diag)
    doc = READERS[reader](Source(doc_meta, clean, dropped), ReadContext(diag, load_chrome(REPO / "corpus" / "chrome.yml")))
    structure.assign_anchors(doc)
    footnotes.resolve(doc, diag)
    return doc, diag
