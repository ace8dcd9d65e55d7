"""Page chrome: lines that belong to the website or PDF layout, not to the text.

General rules live here (image-only lines, horizontal rules, navigation-only links, bare page
numbers). Phrases particular to a publisher's site ("Return to the Library", share buttons) are
data: ``corpus/chrome.yml`` lists them as regular expressions with a reason, so an editor adding
a document from a new site adds its chrome there, not in code.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import regex
import yaml

from . import files
from .yamlfile import parse_yaml, yaml_problem
from .errors import ConfigError, SourceError

# Editors' patterns run on the regex module with a time limit per line: a pattern with
# catastrophic backtracking ('(a|aa)+$') fails the build with its file and line instead of
# hanging it. Ordinary patterns take microseconds per line.
TIMEOUT = 2.0  # seconds for one pattern on one line

IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK_ONLY = re.compile(r"^(?:#+\s*)?\[[^\]]*\]\([^)]*\)$")
RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|={3,})$")
PAGE_NUMBER = re.compile(r"^[-–—\s]*\d{1,4}[-–—\s]*$")


@dataclass
class ChromeRule:
    pattern: regex.Pattern
    reason: str
    where: str = "corpus/chrome.yml"  # file:line of the item, for errors

    def fullmatch(self, text: str) -> bool:
        try:
            return self.pattern.fullmatch(text, timeout=TIMEOUT) is not None
        except TimeoutError:
            raise ConfigError([f"{self.where}: pattern {self.pattern.pattern!r} took more than {TIMEOUT:g} s on "
                               f"one line (catastrophic backtracking, e.g. a repeated group inside a repeat); "
                               f"rewrite it"]) from None


@dataclass
class ChromeRules:
    rules: list[ChromeRule] = field(default_factory=list)

    def match(self, line: str) -> str | None:
        """The reason a stripped line is chrome, or None."""
        text = line.strip()
        if not text:
            return None
        for rule in self.rules:
            if rule.fullmatch(text):
                return rule.reason
        if RULE.match(text):
            return "horizontal rule"
        if IMAGE.search(text) and not IMAGE.sub("", text).strip():
            return "image-only line"
        return None


def load_chrome(path: Path, where: str = "corpus/chrome.yml") -> ChromeRules:
    """Site-specific chrome phrases from ``corpus/chrome.yml``; absent file means none. Raises
    ConfigError listing every problem, each as ``corpus/chrome.yml:LINE: ...``."""
    if not files.exists(path):
        return ChromeRules()
    try:
        data, node = parse_yaml(files.read_text(path, path.parent, where))
    except SourceError as exc:
        raise ConfigError([str(exc)]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([yaml_problem(where, exc)]) from None
    raw = data or []
    if not isinstance(raw, list):
        raise ConfigError([f"{where}:1: must be a list of {{pattern, reason}} items"])
    lines = [item.start_mark.line + 1 for item in node.value] if isinstance(node, yaml.SequenceNode) else []
    problems, rules = [], []
    for i, item in enumerate(raw):
        at = f"{where}:{lines[i] if i < len(lines) else 1}"
        if not isinstance(item, dict) or not isinstance(item.get("pattern"), str):
            problems.append(f"{at}: item {i + 1} must have a 'pattern' string")
            continue
        try:
            rules.append(ChromeRule(_compile(item["pattern"]), str(item.get("reason") or "page chrome"), at))
        except (regex.error, re.error, ValueError, OverflowError) as exc:
            problems.append(f"{at}: invalid regular expression {item['pattern']!r}: {exc}")
    if problems:
        raise ConfigError(problems)
    return ChromeRules(rules)


def _compile(pattern: str) -> regex.Pattern:
    """An editor's pattern, with the standard library's syntax (regex's version 0)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # regex's FutureWarning about nested sets
        return regex.compile(pattern, regex.VERSION0)
