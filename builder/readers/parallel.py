"""Reader for parallel sources (placeholder: the generic plain-text reader)."""

from __future__ import annotations

from .plain import read

__all__ = ["read"]
