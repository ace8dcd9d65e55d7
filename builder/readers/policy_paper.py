"""Reader for policy_paper sources (placeholder: the generic plain-text reader)."""

from __future__ import annotations

from .plain import read

__all__ = ["read"]
