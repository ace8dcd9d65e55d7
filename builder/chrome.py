"""Page chrome: lines that belong to the website or PDF layout, not to the text.

General rules live here (image-only lines, horizontal rules, navigation-only links, bare page
numbers). Phrases particular to a publisher's site ("Return to the Library", share buttons) are
data: ``corpus/chrome.yml`` lists them as regular expressions with a reason, so an editor adding
a document from a new site adds its chrome there, not in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import parse_yaml
from .errors import ConfigError

IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK_ONLY = re.compile(r"^(?:#+\s*)?\[[^\]]*\]\([^)]*\)$")
RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|={3,})$")
PAGE_NUMBER = re.compile(r"^[-–—\s]*\d{1,4}[-–—\s]*$")


@dataclass
class ChromeRule:
    pattern: re.Pattern
    reason: str


@dataclass
class ChromeRules:
    rules: list[ChromeRule] = field(default_factory=list)

    def match(self, line: str) -> str | None:
        """The reason a stripped line is chrome, or None."""
        text = line.strip()
        if not text:
            return None
        for rule in self.rules:
            if rule.pattern.fullmatch(text):
                return rule.reason
        if RULE.match(text):
            return "horizontal rule"
        if IMAGE.search(text) and not IMAGE.sub("", text).strip():
            return "image-only line"
        return None


def load_chrome(path: Path) -> ChromeRules:
    """Site-specific chrome phrases from ``corpus/chrome.yml``; absent file means none."""
    if not path.exists():
        return ChromeRules()
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))[0] or []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError([f"{path}{f':{mark.line + 1}' if mark else ''}: invalid YAML: {exc}"]) from None
    problems, rules = [], []
    if not isinstance(raw, list):
        raise ConfigError([f"{path}: must be a list of {{pattern, reason}} items"])
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("pattern"), str):
            problems.append(f"{path}: item {i + 1} must have a 'pattern' string")
            continue
        try:
            rules.append(ChromeRule(re.compile(item["pattern"]), str(item.get("reason") or "page chrome")))
        except re.error as exc:
            problems.append(f"{path}: item {i + 1}: invalid regular expression {item['pattern']!r}: {exc}")
    if problems:
        raise ConfigError(problems)
    return ChromeRules(rules)
