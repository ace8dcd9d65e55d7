"""Mechanisms that exist only for speed, kept apart from the conversion rules."""
