"""``python -m builder serve`` tells where it serves, and serves there."""

from __future__ import annotations

import socket
import time
import urllib.request
from pathlib import Path

import pytest

from tinyproject import make_project, meta, start_cli

pytestmark = pytest.mark.site


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_prints_the_address_it_serves(tmp_path: Path):
    root = make_project(tmp_path, {"a": ("# 标题\n\n正文第一段。\n", meta("serve-demo", reader="markdown_repost"))})
    port = free_port()
    process = start_cli(root, "serve", "--dev-addr", f"127.0.0.1:{port}")
    try:
        address = None
        deadline = time.monotonic() + 120
        while address is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            if not line:
                break
            if "serving the site at " in line:
                address = line.split("serving the site at ", 1)[1].split()[0]
        assert address == f"http://127.0.0.1:{port}/"
        page = None
        while page is None and time.monotonic() < deadline:
            try:
                page = urllib.request.urlopen(address + "documents/serve-demo/", timeout=5).read().decode("utf-8")
            except OSError:
                time.sleep(0.5)
        assert page is not None and "正文第一段" in page
    finally:
        process.terminate()
        process.wait(timeout=30)
