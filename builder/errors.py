"""Errors a user can act on. Nothing in the builder raises a bare Exception for a user mistake."""

from __future__ import annotations


class BuilderError(Exception):
    """Base class: the CLI prints str(error) on one line and exits non-zero."""


class ConfigError(BuilderError):
    """Corpus metadata or glossary is invalid. Carries every problem found, not just the first."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __reduce__(self):  # survives pickling (worker processes) with its list of problems
        return type(self), (self.problems,)


class SourceError(BuilderError):
    """A source text cannot be read (encoding, binary content, size)."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # survives pickling (worker processes) with path, message and line
        return type(self), (self.path, self.message, self.line)


class RenderError(BuilderError):
    """MkDocs failed to render the generated pages."""


class StrictError(BuilderError):
    """``--strict`` and the build warned: every warning is listed, each naming its file."""

    def __init__(self, source: str, warnings: list[str]):
        self.source = source
        self.warnings = list(warnings)
        super().__init__(f"strict mode: {source} reported {len(self.warnings)} warning(s)")

    def __reduce__(self):
        return type(self), (self.source, self.warnings)


class InterruptedAfterSwitch(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) came while the new output was being switched in: the switch, one
    step that cannot be half done, was completed, so docs/ and site/ show the new build."""


class AfterSwitchError(BuilderError):
    """Something failed after the new output was switched in (the build itself is complete)."""

    switched = True
