"""Errors and warnings about a model or a file, worded in English and Chinese.

A ``Problem`` says where (sheet or table, workbook row, the row's id, column),
what was found and what was expected. Readers collect every problem before
they give up, and raise ``ImportFailed`` with all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"
MAX_PROBLEMS = 10_000  # a reader stops after this many, so a broken file cannot fill memory


@dataclass(frozen=True)
class Problem:
    severity: str  # ERROR or WARNING
    what: tuple[str, str]  # (English, Chinese): what is wrong or what was expected
    table: tuple[str, str] = ("", "")  # (English, Chinese) sheet or table name
    row: int | None = None  # workbook row number (1-based, header is row 1)
    key: str = ""  # the id of the row, when it has one
    column: str = ""  # field name or header as written
    value: Any = None
    has_value: bool = False
    index: int | None = None  # position of the row in its model table
    column_zh: str = ""  # the column's Chinese header, when ``column`` is a field name

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def text(self, lang: str = "en") -> str:
        zh = lang == "zh_CN"
        where = []
        table = self.table[1 if zh else 0]
        key = (f"（{self.key}）" if zh else f" ({self.key})") if self.key else ""
        if self.row is None:
            table += key
        if table:
            where.append(table.strip())
        if self.row is not None:
            where.append((f"第 {self.row} 行" if zh else f"row {self.row}") + key)
        if self.column:
            where.append(f"列“{self.column_zh or self.column}”" if zh
                         else f"column '{self.column}'")
        head = ("，" if zh else ", ").join(where)
        message = self.what[1 if zh else 0]
        if self.has_value:
            shown = _short(self.value)
            if zh:
                message = f"值“{shown}”：{message}"
            else:
                quoted = repr(shown) if isinstance(self.value, str) else shown
                message = f"value {quoted}: {message}"
        label = ("错误" if self.is_error else "警告") if zh else self.severity
        colon = "：" if zh else ": "
        text = colon.join((label, head, message)) if head else label + colon + message
        if not text.isascii():  # an unpaired surrogate cannot be printed or saved: show its code
            text = text.encode("utf-8", "backslashreplace").decode("utf-8")
        return text


def _short(value: Any) -> str:
    """A value as the user typed it: numbers plain (7, not 7.0), long text cut short."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


class ImportFailed(Exception):
    """A file could not be read into a model; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.text() for p in problems[:20]))


class ExportRefused(ImportFailed):
    """A model could not be written so that it reads back the same; nothing was written.

    ``problems`` say where (table, row, field) and why. A subclass of ImportFailed,
    so every place that reports a file's problems reports these too.
    """


def file_problem(en: str, zh: str) -> Problem:
    return Problem(ERROR, (en, zh))

