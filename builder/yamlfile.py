"""Editors' YAML files parsed safely and the same way everywhere (metadata, glossary.yml,
chrome.yml): one parse that keeps node marks for line numbers, a nesting limit, and one-line
error messages naming file and line."""

from __future__ import annotations

import yaml


def yaml_problem(where: str, exc: yaml.YAMLError) -> str:
    """One line for a YAML syntax error: file, line, what is wrong and where the broken part began."""
    mark = getattr(exc, "problem_mark", None)
    line = f":{mark.line + 1}" if mark else ""
    message = f"{where}{line}: invalid YAML: {getattr(exc, 'problem', None) or exc}"
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark and (not mark or context_mark.line != mark.line):
        message += f" ({context} that starts on line {context_mark.line + 1})"
    return " ".join(message.split())


def parse_yaml(text: str):
    """(data, node) of one YAML document, parsed once: with libyaml (yaml.CSafeLoader) when
    PyYAML has it, which gives the same data and node marks (line numbers). A document that does
    not parse is parsed again by the pure-Python loader, so the error message is always its."""
    fast = getattr(yaml, "CSafeLoader", None)
    if len(text) > MAX_DEPTH:  # shorter texts cannot nest that deep
        _check_depth(text, fast or yaml.SafeLoader)
    if fast is not None:
        try:
            return _load_with(fast, text)
        except yaml.YAMLError:
            pass
    return _load_with(yaml.SafeLoader, text)


MAX_DEPTH = 100  # YAML nesting levels; libyaml's composer recurses (crashes at ~100,000), PyYAML's too


def _check_depth(text: str, loader_class) -> None:
    """Raise a YAML error (with its line) for collections nested deeper than MAX_DEPTH: the
    parser's events are read without recursion, the composer that builds nodes recurses."""
    depth = 0
    loader = loader_class(text)
    try:
        while (event := loader.get_event()) is not None and not isinstance(event, yaml.StreamEndEvent):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise yaml.MarkedYAMLError(problem=f"nested more than {MAX_DEPTH} levels deep",
                                               problem_mark=event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def _load_with(loader_class, text: str):
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()
