"""Stable hashes of values (their repr), for the keys under which results are remembered."""

from __future__ import annotations

import hashlib


def hash_of(*parts) -> str:
    """A stable hash of some values (their repr)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()
