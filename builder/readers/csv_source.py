"""CSV scrapes as a source: one row per paragraph (or heading), the text in one column, the
page's title, author and date repeated in other columns on every row.

What this module may do (general rules, for any such scrape):

- parse the text with Python's ``csv`` module (quoted fields, doubled quotes, line breaks inside
  quotes); a file the module cannot read, or a text column the metadata names but the header
  lacks, is a ``SourceError`` naming the file and the line; a row with fewer fields than the
  header is read as it is, one with more has them put back into the text (when the text is the
  last column: unquoted commas of the text) or dropped as chrome, with a warning naming the line;
- take the text column from the metadata (``csv: {text: …}``), else a column named
  ``full_text``, ``text``, ``body``, ``content`` or ``paragraph``, else the column with the most
  text among those that vary from row to row;
- return the text cells as paragraphs, each with its line: a cell holding several lines gives one
  paragraph per line (a whole article in one cell), unless its lines are hard-wrapped (then
  blank lines separate the paragraphs);
- take the delimiter that the header line uses most (comma, semicolon or tab); a first row with
  a long cell, or one whose cells the next row repeats, is text, not a header;
- account for everything else, so that nothing is lost: the header row is chrome; a column whose
  value is the same on every row (title, author, date) is shown once among the page header's
  lines and dropped as chrome on the other rows, with that reason; a column that varies is
  dropped as chrome on every row; the delimiters and quotes are CSV syntax, dropped and counted.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from ..diagnostics import Diagnostics
from ..errors import SourceError
from ..models import Document, Dropped
from ..normalize import join_lines

TEXT_COLUMNS = ("full_text", "text", "body", "content", "paragraph")


@dataclass
class Row:
    line: int  # the line the row starts on (1-based)
    raw: str  # the row's source text
    fields: list[str]


@dataclass
class Cell:
    line: int
    text: str


def read_cells(text: str, doc: Document, diag: Diagnostics | None = None) -> list[Cell]:
    """The text cells of a CSV source, as paragraphs in row order. Fills ``doc.chrome`` and
    ``doc.metadata_lines`` with the rest."""
    path = doc.meta.text_path
    rows = parse_rows(text, path)
    if not rows:
        return []
    for row in rows:
        _syntax(row, doc)
    if _has_header(rows):
        header, body = rows[0], rows[1:]
        names = [name.strip() for name in header.fields]
        doc.chrome.append(Dropped(header.line, header.raw.strip(), "CSV header (column names)"))
    else:  # the first row is text already: columns are known by number
        body = rows
        names = [f"column {i + 1}" for i in range(max(len(row.fields) for row in rows))]
    column = text_column(names, body, doc.meta.csv, doc.meta.meta_path, path)
    delimiter = _delimiter(rows[0].raw)
    for row in body:
        if len(row.fields) != len(names):
            _even_out(row, names, column, delimiter, doc, diag or Diagnostics())
    _other_columns(names, column, body, doc)
    cells = []
    for row in body:
        first = row.line + sum(field.count("\n") for field in row.fields[:column])
        for offset, paragraph in _paragraphs(row.fields[column]):
            cells.append(Cell(first + offset, paragraph))
    return cells


def parse_rows(text: str, path: str) -> list[Row]:
    """The non-empty rows with their first line and source text."""
    lines = text.split("\n")
    delimiter = _delimiter(next((line for line in lines if line.strip()), ""))
    if len(text) >= csv.field_size_limit():  # one cell may hold a whole article
        csv.field_size_limit(len(text) + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    last_line = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise SourceError(path, f"not a valid CSV file: {exc}", reader.line_num or last_line + 1) from None
        start, last_line = last_line + 1, reader.line_num
        if fields and any(f.strip() for f in fields):
            rows.append(Row(start, "\n".join(lines[start - 1:last_line]), fields))
    return rows


def _has_header(rows: list[Row]) -> bool:
    """The first row names the columns: short cells that the next row does not repeat (a title
    or author column repeats from the first data row on)."""
    first = rows[0].fields
    if any(len(cell) > 100 for cell in first):
        return False
    following = rows[1].fields if len(rows) > 1 else []
    return not any(a.strip() and a == b for a, b in zip(first, following))


def _delimiter(header: str) -> str:
    return max(",;\t", key=header.count)


def _even_out(row: Row, names: list[str], column: int, delimiter: str, doc: Document, diag: Diagnostics) -> None:
    """A row whose field count differs from the header's: missing fields are empty; extra fields
    go back into the text when it is the last column (its unquoted delimiters), else are dropped."""
    where = f"{doc.meta.text_path}:{row.line}"
    count = len(row.fields)
    if count < len(names):
        row.fields += [""] * (len(names) - count)
        diag.warn("structure.csv-row", where, f"row has {count} fields, the header has {len(names)} "
                                             f"({', '.join(names)}); the missing ones are read as empty")
        return
    extra = row.fields[len(names):]
    del row.fields[len(names):]
    if column == len(names) - 1:
        row.fields[column] = delimiter.join([row.fields[column], *extra])
        done = "the text column is the last: the extra fields are read as part of its text"
    else:
        doc.chrome.append(Dropped(row.line, delimiter.join(extra), "CSV fields beyond the header"))
        done = "the extra fields are dropped"
    diag.warn("structure.csv-row", where, f"row has {count} fields, the header has {len(names)} "
                                         f"({', '.join(names)}); {done}")


def text_column(names: list[str], body: list[Row], spec: dict[str, str], meta_path: str, path: str) -> int:
    """Index of the column that holds the paragraphs."""
    wanted = spec.get("text")
    for role, column in spec.items():
        if column not in names:
            raise SourceError(path, f"column '{column}' (field 'csv.{role}' of {meta_path}) is not in the "
                                    f"header; the columns are {', '.join(names)}", 1)
    if wanted:
        return names.index(wanted)
    lowered = [name.lower() for name in names]
    for name in TEXT_COLUMNS:
        if name in lowered:
            return lowered.index(name)
    def weight(i: int) -> tuple[bool, int]:  # a column that varies, then the one with the most text
        values = [row.fields[i] for row in body if i < len(row.fields)]
        return len(set(values)) > 1 or len(values) < 2, sum(map(len, values))
    return max(range(len(names)), key=weight)


def _other_columns(names: list[str], column: int, body: list[Row], doc: Document) -> None:
    """Columns other than the text: one repeated on every row is shown once (the first row's
    value among the header lines) and dropped on the other rows; one that varies is dropped on
    every row. Each dropped cell is listed with its line and column."""
    others = [i for i in range(len(names)) if i != column]
    repeated = {i for i in others if len({row.fields[i].strip() for row in body}) == 1}
    for position, row in enumerate(body):
        for index in others:
            value = row.fields[index].strip()
            if not value:
                continue
            if index in repeated and position == 0:
                doc.metadata_lines.append(value)
            elif index in repeated:
                doc.chrome.append(Dropped(row.line, value, f"CSV column '{names[index]}' repeats on every "
                                                           f"row (shown once in the page header)"))
            else:
                doc.chrome.append(Dropped(row.line, value, f"CSV column '{names[index]}' (not the text column)"))


def _syntax(row: Row, doc: Document) -> None:
    """The delimiters and quotes of a row: its source characters that no field holds."""
    left = Counter(row.raw) - Counter("".join(row.fields))
    syntax = "".join(char * count for char, count in left.items() if not char.isspace())
    if syntax:
        doc.chrome.append(Dropped(row.line, syntax, "CSV syntax (delimiters and quotes)"))


def _paragraphs(cell: str) -> list[tuple[int, str]]:
    """A cell's paragraphs with the offset of their first line in the cell: one per line, or,
    when the lines are hard-wrapped, one per run of lines between blank lines."""
    lines = [line.strip() for line in cell.split("\n")]
    wrapped = hard_wrapped(lines)
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for offset, line in enumerate(lines):
        if line and (wrapped or not current):
            if not current:
                start = offset
            current.append(line)
            continue
        if current:
            out.append((start, join_lines(current)))
            current = []
        if line:
            start, current = offset, [line]
    if current:
        out.append((start, join_lines(current)))
    return out


def hard_wrapped(lines: list[str]) -> bool:
    """Lines broken at a width: those followed by another line are of moderate length (30 to
    110 characters) and most of them end inside a sentence."""
    inner = [line for line, following in zip(lines, lines[1:]) if line and following]
    if len(inner) < 2:
        return False
    inside = sum(not line.endswith((".", "!", "?", ":", "”", '"', "。", "！", "？", "：")) for line in inner)
    return all(30 <= len(line) <= 110 for line in inner) and inside >= 0.7 * len(inner)
