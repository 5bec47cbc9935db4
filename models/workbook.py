"""The Excel workbook (docs/file-format.md): reading (tolerant, every problem reported) and writing.

Reading uses calamine (a Rust reader, several times faster than openpyxl)
after ``xlsx_guard`` has checked the file is safe to hand to it. Writing uses
openpyxl's write-only mode into memory, then replaces the target atomically.
"""

from __future__ import annotations

import datetime as _dt
import io
import itertools
import math
import operator
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.assessments import build_assessment, columns, expected_text, header_aliases
from models.atomic import write_atomic
from models.background import paused_gc
from models.chain import ASSESSMENTS, SETTINGS_FIELDS, TABLES, ChainModel, TableSpec
from models.problems import (
    ERROR,
    MAX_PROBLEMS,
    WARNING,
    ExportRefused,
    ImportFailed,
    Problem,
    file_problem,
)
from models.records import (
    REFUSED,
    build_row,
    build_settings,
    cell_text,
    expected_problem,
    export_problems,
    read_column,
    rows_of_columns,
)
from models.schema import FieldSpec, Kind, display, normalise
from models.sheet_reader import READERS, SheetReader
from models.xlsx_guard import check_xlsx

SETTINGS_SHEET = ("Settings", "设置")
INSTRUCTIONS_SHEET = ("Instructions", "说明")
RESULT_PREFIXES = ("results", "结果")


@dataclass
class ReadResult:
    model: ChainModel
    notices: list[Problem]  # warnings about ignored sheets and columns
    rows: dict[str, list[int]] = field(default_factory=dict)  # table attr -> workbook rows
    lang: str = "en"  # the language of its sheet names and headers: "en" or "zh_CN"
    # (table attr, field) -> the field's value in each row, as read (``records.Columns``)
    columns: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    clean: set[tuple[str, str]] = field(default_factory=set)  # of those, passing column_ok
    headers: dict[str, list[Any]] = field(default_factory=dict)  # sheet read -> its row 1


@dataclass
class ExtraSheet:
    """A results sheet written after the input sheets (ignored on import)."""

    title: str
    header: list[str]
    rows: list[list[Any]]
    percent_columns: frozenset[int] = frozenset()


def _sheet_aliases() -> dict[str, str]:
    aliases = {}
    for table in (*TABLES, ASSESSMENTS):
        for name in (table.sheet, *table.zh):
            aliases[normalise(name)] = table.attr
    for name in SETTINGS_SHEET:
        aliases[normalise(name)] = "settings"
    for name in INSTRUCTIONS_SHEET:
        aliases[normalise(name)] = "instructions"
    return aliases


def _header_aliases(table: TableSpec) -> dict[str, str]:
    aliases = {}
    for spec in table.fields:
        aliases[normalise(spec.name)] = spec.name
        aliases[normalise(spec.zh)] = spec.name
    return aliases


def _plain(value: Any) -> Any:
    """A cell value as JSON can hold it (for columns kept in ``extra``)."""
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return str(value)
    return value


_CELL_TYPES = (str, float, int, bool)  # kept as read; dates and times become text


def _blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


# the sheets read; the Instructions sheet is written for people and never read back
_READ = frozenset({"settings", "assessments", *(t.attr for t in TABLES)})


def _damaged(exc: BaseException, sheet: str = "") -> ImportFailed:
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise exc
    if sheet:
        return ImportFailed([file_problem(
            f"sheet '{sheet}' is damaged or not readable ({exc}); copy its cells into a new "
            "workbook and save again",
            f"工作表“{sheet}”已损坏或无法读取（{exc}），请将其内容复制到新工作簿后重新保存")])
    return ImportFailed([file_problem(f"the workbook is damaged or not readable ({exc})",
                                      f"工作簿已损坏或无法读取（{exc}）")])


def read_workbook(path: str | os.PathLike[str]) -> ReadResult:
    """Read a workbook into a new model; raises ImportFailed listing every problem.

    Only problems of reading are raised here; the model's own rules are
    checked by ``models.files.load_model`` which maps them to rows. Only the
    sheets of the format are read, one at a time, and only once ``xlsx_guard``
    has measured them; other sheets are listed as ignored and never loaded.

    calamine reads the sheets in two worker threads (``SheetReader``), each sheet once the
    guard has measured it, while the guard measures the next ones and the rows of those
    read are built here: its parse runs without the GIL.
    """
    path = Path(path)
    aliases = _sheet_aliases()
    with paused_gc(), SheetReader(path, lambda names: _reading_order(names, aliases)) as reader:
        checked = check_xlsx(path, lambda name: aliases.get(normalise(name)) in _READ,
                             reader.clear, READERS)
        try:
            names = reader.names()
        except BaseException as exc:  # calamine raises several unrelated types, and panics
            raise _damaged(exc) from None
        return _read_book(reader.read, names, aliases, checked.sheets)


def _reading_order(names: list[str], aliases: dict[str, str]) -> list[str]:
    """The sheets ``_read_book`` reads, in the order it reads them."""
    found: dict[str, str] = {}
    for name in names:
        attr = aliases.get(normalise(name))
        if attr in _READ:
            found.setdefault(attr, name)
    return [found[attr] for attr in ("settings", *(t.attr for t in TABLES), "assessments")
            if attr in found]


def _read_book(read: Callable[[str], list[list[Any]]], names: list[str],
               aliases: dict[str, str], checked: frozenset[str]) -> ReadResult:
    problems: list[Problem] = []
    notices: list[Problem] = []
    found: dict[str, str] = {}  # table attr -> sheet name
    for name in names:
        attr = aliases.get(normalise(name))
        if attr is None:
            if not normalise(name).startswith(RESULT_PREFIXES):
                notices.append(Problem(WARNING, ("sheet ignored: not part of the format",
                                                 "已忽略：不属于规定的工作表"), (name, name)))
            continue
        if attr not in _READ:
            continue
        if attr in found:
            problems.append(Problem(ERROR, (f"a second sheet for {attr} (the first is "
                                            f"'{found[attr]}')",
                                            f"重复的工作表（已有“{found[attr]}”）"), (name, name)))
            continue
        if normalise(name) not in checked:  # the guard saw another list of sheets
            raise _damaged(ValueError("the list of sheets is inconsistent"))
        found[attr] = name

    headers: dict[str, list[Any]] = {}  # sheet -> its row 1 (tells the workbook's language)

    def rows_of(name: str) -> list[list[Any]]:
        try:
            rows = read(name)
        except BaseException as exc:
            raise _damaged(exc, name) from None
        headers[name] = list(rows[0]) if rows else []
        return rows

    model = ChainModel()
    settings_name = found.get("settings", "Settings")
    model.settings = _read_settings(settings_name, rows_of(settings_name)
                                    if "settings" in found else [], problems, notices)
    row_numbers: dict[str, list[int]] = {}
    taken: dict[tuple[str, str], list[Any]] = {}  # the columns read, as the rows hold them
    clean: set[tuple[str, str]] = set()  # those known to pass validation's column test
    for table in TABLES:
        if table.attr not in found:
            if not table.optional:
                notices.append(Problem(WARNING, ("sheet not found; read as empty",
                                                 "未找到该工作表，按空表处理"),
                                       (table.sheet, table.zh[0])))
            row_numbers[table.attr] = []
            continue
        name = found[table.attr]
        row_numbers[table.attr] = _read_table(table, name, rows_of(name), model.rows(table),
                                              problems, notices, taken, clean)
    if "assessments" in found:  # optional: older files have no such sheet
        name = found["assessments"]
        row_numbers["assessments"] = _read_assessments(name, rows_of(name), model.assessments,
                                                       problems, notices)
    if problems:
        raise ImportFailed(problems)
    texts = [*found.values(), *itertools.chain.from_iterable(headers.values())]
    return ReadResult(model, notices, row_numbers, language_of(texts), taken, clean, headers)


def language_of(texts: list[Any]) -> str:
    """The language most of a workbook's sheet names and headers are in: "zh_CN" when more
    hold Chinese characters than only Latin letters, else "en" (a workbook keeps its
    language when it is saved again)."""
    chinese = latin = 0
    for text in texts:
        if not isinstance(text, str):
            continue
        if any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text):
            chinese += 1
        elif any(ch.isalpha() for ch in text):
            latin += 1
    return "zh_CN" if chinese > latin else "en"


def _read_settings(name: str, rows: list[list[Any]], problems: list[Problem],
                   notices: list[Problem]) -> Any:
    keys = {normalise(spec.name): spec.name for spec in SETTINGS_FIELDS}
    keys.update({normalise(spec.zh): spec.name for spec in SETTINGS_FIELDS})
    raw: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    numbers: dict[str, int] = {}
    seen: dict[str, int] = {}  # key as read -> its row
    for number, row in enumerate(rows[1:], start=2):
        if not row or _blank(row[0]):
            continue
        key = str(row[0]).strip()
        value = row[1] if len(row) > 1 else None
        known = keys.get(normalise(key))
        first = seen.setdefault(known or key, number)
        if first != number:  # the later row would silently win
            problems.append(Problem(ERROR, (f"a second row for setting '{known or key}' (the "
                                            f"first is row {first})",
                                            f"设置项“{known or key}”重复（第一处在第 {first} 行）"),
                                    (name, name), number, column=key))
        elif known is None:
            extra[key] = None if _blank(value) else _plain(value)
            notices.append(Problem(WARNING, ("setting not known; kept but ignored",
                                             "未知设置项，已保留但不使用"),
                                   (name, name), number, column=key))
        else:
            raw[known] = value
            numbers[known] = number
    return build_settings(raw, extra, numbers, (name, name), problems)


def _read_rows(place: tuple[str, str], rows: list[list[Any]], aliases: dict[str, tuple[str, str]],
               required: tuple[FieldSpec, ...], build: Any, out: list[Any],
               problems: list[Problem], notices: list[Problem],
               table: TableSpec | None = None,
               taken: dict[tuple[str, str], list[Any]] | None = None,
               clean: set[tuple[str, str]] | None = None) -> list[int]:
    """Map row 1's headers (``aliases``: normalised header -> (key, Chinese name)), check
    the required columns, then build a record of each non-blank row with ``build(raw,
    extra, place, row number, headers, problems)``; returns the rows that were read."""
    if not rows:
        return []
    columns: list[tuple[int, str]] = []  # (column index, field key)
    extras: list[tuple[int, str]] = []  # (column index, header as written)
    headers: dict[str, str] = {}
    bad_header = False
    unnamed = [len(rows[0])]  # columns without a header: their values cannot be kept
    for index, header in enumerate(rows[0]):
        if _blank(header):
            unnamed.append(index)
            continue
        text = str(header).strip()
        found = aliases.get(normalise(text))
        if found is None and any(text == h for _, h in extras):
            bad_header = True
            problems.append(Problem(ERROR, (f"a second column named '{text}'",
                                            f"“{text}”列重复"), place, 1, column=text))
        elif found is None:
            extras.append((index, text))
            notices.append(Problem(WARNING, ("column not part of the format; kept but ignored",
                                             "该列不属于规定格式，已保留但不使用"),
                                   place, 1, column=text))
        elif found[0] in headers:
            bad_header = True
            problems.append(Problem(ERROR, (f"a second column for '{found[0]}'",
                                            f"“{found[1]}”列重复"), place, 1, column=text))
        else:
            headers[found[0]] = text
            columns.append((index, found[0]))
    for spec in required:
        if spec.name not in headers:
            bad_header = True
            problems.append(Problem(ERROR, (f"required column missing (header '{spec.name}' "
                                            f"or '{spec.zh}')",
                                            f"缺少必填列（表头“{spec.zh}”或“{spec.name}”）"),
                                    place, 1, column=spec.name))
    if bad_header:
        return []
    if table is not None:
        return _read_columns(table, place, rows, columns, extras, headers, unnamed, out,
                             problems, notices, taken, clean)
    numbers = []
    lost: dict[int, int] = {}  # column without a header -> the first row with a value there
    for number, row in enumerate(rows[1:], start=2):
        if all(_blank(v) for v in row):
            continue
        width = len(row)
        raw = {key: row[i] for i, key in columns if i < width}
        extra = _extra_of(row, extras)
        if width > unnamed[0] or len(unnamed) > 1:
            for i in [*range(unnamed[0], width), *unnamed[1:]]:
                if i < width and not _blank(row[i]):
                    lost.setdefault(i, number)
        obj = build(raw, extra, place, number, headers, problems)
        if obj is not None:
            out.append(obj)
            numbers.append(number)
        if len(problems) >= MAX_PROBLEMS:
            break
    _lost_notices(place, lost, notices)
    return numbers


def _extra_of(row: list[Any], extras: list[tuple[int, str]]) -> dict[str, Any]:
    """A row's values in columns the format does not know (as JSON can hold them)."""
    extra = {}
    width = len(row)
    for i, h in extras:
        if i < width:
            value = row[i]
            if value is not None and value != "" and not (type(value) is str
                                                          and not value.strip()):
                extra[h] = value if type(value) in _CELL_TYPES else _plain(value)
    return extra


def _lost_notices(place: tuple[str, str], lost: dict[int, int], notices: list[Problem]) -> None:
    for index, number in sorted(lost.items()):
        notices.append(Problem(WARNING, (f"column {_letter(index)} has values but no header "
                                         "in row 1: they are not read",
                                         f"第 {_letter(index)} 列有数据但第 1 行没有表头，未读取"),
                               place, number))


def _read_columns(table: TableSpec, place: tuple[str, str], rows: list[list[Any]],
                  columns: list[tuple[int, str]], extras: list[tuple[int, str]],
                  headers: dict[str, str], unnamed: list[int], out: list[Any],
                  problems: list[Problem], notices: list[Problem],
                  taken: dict[tuple[str, str], list[Any]] | None = None,
                  found_clean: set[tuple[str, str]] | None = None) -> list[int]:
    """``_read_rows`` for a table of declared fields, a column at a time.

    The same rows are read, with the same problems in the same order (row by row, field
    by field, as ``build_row`` reports them) and the same rows built: each column is read
    by ``records.read_column``, which reads a value as ``build_row`` does.
    """
    body = rows[1:]
    width = max(map(len, body), default=0)
    if min(map(len, body), default=width) != width:  # a missing cell reads as an empty one
        body = [row + [None] * (width - len(row)) for row in body]
    # the rows with a value (a blank row is skipped), by their workbook row numbers
    # (a first cell with a value decides at once; only then is every cell looked at)
    firsts = list(map(operator.itemgetter(0), body)) if width else []
    try:  # the usual sheet: every first cell holds text that is not blank (or a true value)
        every = bool(width) and all(firsts) and not any(map(str.isspace, firsts))
    except TypeError:  # a first cell that is not text: row by row
        every = False
    if every:
        kept: list[int] | range = range(len(body))
    else:
        kept = [n for n, row in enumerate(body)
                if ((cell := row[0] if width else None) is not None and cell != "" and (
                    type(cell) is not str or not cell.isspace()))
                or not all(map(_blank, row))]
    if len(kept) != len(body):
        body = [body[n] for n in kept]
    numbers = [n + 2 for n in kept]
    if len(problems) >= MAX_PROBLEMS:  # as row by row: the first row is read, then no more
        body, numbers = body[:1], numbers[:1]
    raw = {key: firsts if i == 0 and every and len(body) == len(firsts)
           else list(map(operator.itemgetter(i), body)) for i, key in columns}
    read: dict[str, list[Any]] = {}
    marked = set()  # the columns that may hold BLANK or REFUSED
    clean = set()  # the columns known to pass validation's column test
    for key, values in raw.items():
        read[key], maybe, passes = read_column(table, table.field(key), values)
        if maybe:
            marked.add(key)
        if passes:
            clean.add((table.attr, key))
    refused = sorted({n for key in marked if REFUSED in read[key]
                      for n, v in enumerate(read[key]) if v is REFUSED})
    for n in refused:
        key = " → ".join(str((raw[k][n] if k in raw else None) or "") for k in table.key)
        for spec in table.fields:
            if spec.name in read and read[spec.name][n] is REFUSED:
                problems.append(expected_problem(spec, place, numbers[n], key,
                                                 headers.get(spec.name, spec.name),
                                                 raw[spec.name][n]))
        if len(problems) >= MAX_PROBLEMS:
            break
    lost: dict[int, int] = {}  # column without a header -> the first row with a value there
    for i in [*range(unnamed[0], width), *unnamed[1:]]:
        first = next((number for number, row in zip(numbers, body, strict=True)
                      if not _blank(row[i])), None)
        if first is not None:
            lost[i] = first
    _lost_notices(place, lost, notices)
    if refused:  # the rows read are not kept: the file is refused with its problems
        return []
    built = rows_of_columns(table, read, len(body), marked, taken if not out else None)
    if taken is not None and not out and found_clean is not None:
        found_clean |= clean
    for i, h in extras:
        for row, cells in zip(built, body, strict=True):
            value = cells[i]
            if value is not None and value != "" and not (type(value) is str
                                                          and not value.strip()):
                row.extra[h] = value if type(value) in _CELL_TYPES else _plain(value)
    out.extend(built)
    return numbers


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _read_table(table: TableSpec, name: str, rows: list[list[Any]], out: list[Any],
                problems: list[Problem], notices: list[Problem],
                taken: dict[tuple[str, str], list[Any]] | None = None,
                clean: set[tuple[str, str]] | None = None) -> list[int]:
    aliases = {key: (field, table.field(field).zh)
               for key, field in _header_aliases(table).items()}
    return _read_rows((name, name), rows, aliases,
                      tuple(s for s in table.fields if s.required),
                      lambda *args: build_row(table, *args), out, problems, notices, table,
                      taken, clean)


def _read_assessments(name: str, rows: list[list[Any]], out: list[Any],
                      problems: list[Problem], notices: list[Problem]) -> list[int]:
    aliases = {key: (column.key, column.zh) for key, column in header_aliases().items()}
    return _read_rows((name, name), rows, aliases, tuple(ASSESSMENTS.fields), build_assessment,
                      out, problems, notices)


# --- writing -------------------------------------------------------------------------

_HEADER_FILL = "1F4E79"
_PERCENT = "0.0%"
_AMOUNT = "#,##0.00"
_LINE_HEIGHT = 15.0  # points per line of 11 pt text, Excel's default row height
_LONGEST_ROW = 409.0  # the tallest row Excel allows, in points


def text_width(text: str) -> float:
    """How many '0' widths ``text`` takes on one line: CJK and full-width characters count
    double and a little more (column widths are measured in '0' widths)."""
    if text.isascii():
        return float(len(text))
    return sum(2.2 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def text_lines(text: str, width: float) -> int:
    """The lines ``text`` wraps to in a column ``width`` wide (openpyxl computes no row
    heights: an estimate; Latin letters are on average a little narrower than a '0', which
    makes up for words wrapping whole; checked against LibreOffice's rendering)."""
    room = max(1.0, width - 1.5)  # the cell's padding
    lines = 0
    for paragraph in text.split("\n"):
        lines += max(1, math.ceil(text_width(paragraph) * 0.95 / room))
    return lines


def row_height(lines: int) -> float | None:
    """The height in points for ``lines`` lines of text; None (the default) for one line."""
    return None if lines <= 1 else min(_LONGEST_ROW, _LINE_HEIGHT * lines + 3)


def set_up_printing(sheet: Any, lang: str = "en", title_rows: str | None = "1:1") -> None:
    """Make a sheet print well (every exported workbook: plan, template, results, surveys):
    landscape A4, fit to the page's width, ``title_rows`` repeated on each page, narrow
    margins, the sheet's name at the top and the page number at the bottom."""
    from openpyxl.worksheet.page import PageMargins

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.7, header=0.3,
                                     footer=0.3)
    sheet.print_options.gridLines = True
    sheet.HeaderFooter.oddHeader.center.text = "&A"  # the sheet's name
    sheet.HeaderFooter.oddFooter.center.text = ("第 &P 页，共 &N 页" if lang == "zh_CN"
                                                else "Page &P of &N")


def workbook_bytes(model: ChainModel, lang: str = "en",
                   extra_sheets: list[ExtraSheet] | None = None,
                   assessments: bool | None = None) -> bytes:
    """The model as an .xlsx file, formatted for people, in ``lang`` (en or zh_CN).

    The optional Assessments sheet is written when the model has assessments, or
    always with ``assessments=True`` (a survey template), never with False. Raises
    ExportRefused, naming rows and fields, when a value would not read back the same.
    """
    problems = export_problems(model, workbook=True)
    if problems:
        raise ExportRefused(problems)
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    writer = _SheetWriter(book, lang)
    with_assessments = bool(model.assessments) if assessments is None else assessments
    writer.instructions(model, with_assessments)
    writer.settings(model)
    for table in TABLES:
        writer.table(table, model.rows(table))
    if with_assessments:
        writer.assessments(model.assessments)
    for sheet in extra_sheets or []:
        writer.extra(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def save_workbook(model: ChainModel, path: str | os.PathLike[str], lang: str = "en",
                  extra_sheets: list[ExtraSheet] | None = None,
                  assessments: bool | None = None) -> None:
    write_atomic(path, workbook_bytes(model, lang, extra_sheets, assessments))


# the examples' project catalogue with sources and ``raises``, written by examples/build.py
CATALOGUE = "catalogue.json"


def template_model(catalogue: bool = False) -> ChainModel:
    """What a template to fill in holds: nothing, or with ``catalogue`` the sourced project
    catalogue of the bundled examples (figures for a small firm, in 万元) in its Projects."""
    if not catalogue:
        return ChainModel()
    import json
    from importlib.resources import files

    from models.jsonio import from_dict

    # the data ships with the planner package; this imports only planner/__init__ (a docstring)
    text = (files("planner") / "data" / CATALOGUE).read_text(encoding="utf-8")
    return from_dict(json.loads(text))


def save_template(path: str | os.PathLike[str], lang: str = "en", catalogue: bool = False
                  ) -> None:
    """The empty workbook to fill in, with the Assessments sheet for a survey, and with
    ``catalogue`` the sourced project catalogue (``chainplan template --catalogue``)."""
    save_workbook(template_model(catalogue), path, lang, assessments=True)


def _write_numbers_exactly() -> None:
    """WORKAROUND: openpyxl 3.1 writes numbers as "%.16g", which loses the 17th digit
    (100000000.89453125 comes back as 100000000.8945312); a round trip must be exact."""
    import openpyxl.cell._writer as cell_writer

    original = cell_writer.safe_string  # type: ignore[attr-defined]  # private, not in the stubs
    if getattr(original, "exact_floats", False):
        return

    def exact(value: Any) -> str:
        if isinstance(value, float) and math.isfinite(value):
            return repr(value)  # the shortest text that reads back as the same double
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # all digits: "%.16g" would round one of 17 or more
        return str(original(value))

    exact.exact_floats = True  # type: ignore[attr-defined]
    cell_writer.safe_string = exact  # type: ignore[attr-defined]


class _SheetWriter:
    def __init__(self, book: Any, lang: str):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ERROR_CODES
        from openpyxl.styles import Alignment, Font, PatternFill

        _write_numbers_exactly()
        self.book, self.lang, self.zh = book, lang, lang == "zh_CN"
        self._cell = WriteOnlyCell
        self._errors = frozenset(ERROR_CODES)  # openpyxl would write these as error values
        self._header_font = Font(bold=True, color="FFFFFF")
        self._header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
        self._title_font = Font(bold=True, size=14)
        self._bold = Font(bold=True)
        self._wrap = Alignment(wrap_text=True, vertical="top")

    def _sheet(self, title: str, widths: list[float], title_rows: str | None = "1:1") -> Any:
        from openpyxl.utils import get_column_letter

        sheet = self.book.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        set_up_printing(sheet, self.lang, title_rows)
        return sheet

    def _header(self, sheet: Any, titles: list[str], freeze: bool = True,
                widths: list[float] | None = None, row: int = 1) -> None:
        """The header row (row ``row``); with ``widths``, headers wrap within their columns."""
        if freeze:  # write-only sheets write their view with the first row
            sheet.freeze_panes = "A2"
        cells = []
        lines = 1
        for index, title in enumerate(titles):
            cell = self._cell(sheet, None)
            cell.value = cell_text(title)
            cell.data_type = "s"  # a header like "=Notes" is text, never a formula
            cell.font, cell.fill = self._header_font, self._header_fill
            if widths is not None and index < len(widths):
                cell.alignment = self._wrap
                lines = max(lines, text_lines(cell.value, widths[index]))
            cells.append(cell)
        self._height(sheet, row, lines)
        sheet.append(cells)

    @staticmethod
    def _height(sheet: Any, row: int, lines: int) -> None:
        """Give row ``row`` (before it is appended: write-only) the height of ``lines`` lines."""
        height = row_height(lines)
        if height is not None:
            sheet.row_dimensions[row].height = height

    def _text(self, sheet: Any, value: str) -> Any:
        """Text as a cell that reads back the same: never a formula or an error value (#N/A),
        characters XML cannot hold escaped as Excel escapes them (``records.cell_text``)."""
        value = cell_text(value if isinstance(value, str) else str(value))
        if value[:1] != "=" and value not in self._errors:
            return value
        cell = self._cell(sheet, value)
        cell.data_type = "s"
        return cell

    def _formatted(self, sheet: Any, value: Any, number_format: str) -> Any:
        if value is None:
            return None
        cell = self._cell(sheet, value)
        cell.number_format = number_format
        return cell

    def instructions(self, model: ChainModel, with_assessments: bool = False) -> None:
        zh = self.zh
        widths = [24.0, 22.0, 60.0, 50.0]
        sheet = self._sheet(INSTRUCTIONS_SHEET[zh], widths, "5:5")
        title = self._cell(sheet, "产业链数字化规划 — 填写说明" if zh
                           else "Chain Digitalisation Planner — how to fill in this workbook")
        title.font = self._title_font
        sheet.append([title])
        sheet.append(["本工作簿可在 Excel 或 WPS 中填写后导入。第 1 行为表头，数据从第 2 行开始；"
                      "列的顺序不限，表头可用中文或英文。" if zh else
                      "Fill this workbook in Excel or WPS and import it. Row 1 holds the headers; "
                      "data starts on row 2. Column order does not matter; headers may be "
                      "English or Chinese."])
        unit = cell_text(model.settings.amount_unit + " " + model.settings.currency)
        sheet.append(["金额单位：" + unit if zh else "Amounts are in " + unit
                      + "; shares are fractions or percentages."])
        sheet.append([])
        heading = ["工作表", "列", "含义", "填写要求"] if zh else ["Sheet", "Column", "Meaning",
                                                                "Expected"]
        self._header(sheet, heading, freeze=False, row=5)
        lang = self.lang
        rows: list[tuple[str, str, str, str]] = [
            (SETTINGS_SHEET[zh], "", "两列：键、值" if zh else "Two columns: key and value", "")]
        rows += [(SETTINGS_SHEET[zh], s.header(lang), s.doc[zh], s.expected(lang))
                 for s in SETTINGS_FIELDS]
        for table in TABLES:
            rows.append((table.sheet_name(lang), "", table.doc[zh], ""))
            rows += [(table.sheet_name(lang), s.header(lang), s.doc[zh],
                      ("必填；" if zh else "required; ") + s.expected(lang) if s.required
                      else s.expected(lang)) for s in table.fields]
        if with_assessments:
            rows += self._assessment_instructions()
        for number, row in enumerate(rows, start=6):
            cells = [self._cell(sheet, v) for v in row]
            for cell in cells:
                cell.alignment = self._wrap
            if not row[1]:
                cells[0].font = cells[2].font = self._bold
            self._height(sheet, number, max(text_lines(v, w) for v, w in zip(row, widths,
                                                                              strict=True)))
            sheet.append(cells)

    def settings(self, model: ChainModel) -> None:
        zh = self.zh
        sheet = self._sheet(SETTINGS_SHEET[zh], [24.0, 48.0])
        self._header(sheet, ["键", "值"] if zh else ["key", "value"])
        for spec in SETTINGS_FIELDS:
            value = getattr(model.settings, spec.name)
            sheet.append([spec.name, self._text(sheet, value) if isinstance(value, str)
                          else value])
        for key, value in model.settings.extra.items():
            sheet.append([self._text(sheet, key),
                          self._text(sheet, value) if isinstance(value, str) else value])

    def table(self, table: TableSpec, rows: list[Any]) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        lang = self.lang
        extra_headers = list(dict.fromkeys(h for row in rows for h in row.extra))
        specs = table.fields
        widths = [max(10.0, min(40.0, 2.2 * len(s.header(lang)) + 4 if self.zh
                                else len(s.header(lang)) + 4)) for s in specs]
        for index, spec in enumerate(specs):
            if spec.kind in (Kind.TEXT, Kind.KEY):
                longest = max((text_width(str(getattr(r, spec.name))) for r in rows[:200]),
                              default=0)
                # a column of paragraphs (a project's source) is wider, to keep its rows low
                limit = 60.0 if longest > 200 else 40.0
                widths[index] = max(widths[index], min(limit, longest * 1.1 + 1))
        # text longer than its column wraps, and its row is made tall enough to show it
        wrapped = {s.name: widths[i] for i, s in enumerate(specs) if s.kind is Kind.TEXT
                   and any(text_width(str(getattr(r, s.name))) > widths[i] for r in rows)}
        sheet = self._sheet(table.sheet_name(lang), widths + [16.0] * len(extra_headers))
        self._header(sheet, [s.header(lang) for s in specs] + extra_headers)
        for index, spec in enumerate(specs, start=1):
            if spec.kind not in (Kind.ENUM, Kind.BOOL):
                continue
            choices: list[Any] = list(spec.choices or {True: "是", False: "否"})
            labels = [display(spec, c, lang) for c in choices]
            check = DataValidation(type="list", formula1='"' + ",".join(labels) + '"',
                                   allow_blank=not spec.required, showErrorMessage=True)
            check.error = ("请从下拉列表中选择" if self.zh else "Choose a value from the list")
            letter = get_column_letter(index)
            check.add(f"{letter}2:{letter}{max(len(rows) + 1, 1000)}")
            sheet.data_validations.append(check)
        kinds = [(s.name, s.kind, _PERCENT if s.percent else _AMOUNT if s.amount else None, s)
                 for s in specs]
        text_kinds = (Kind.TEXT, Kind.KEY)
        plain_kinds = (Kind.INT, Kind.OPT_INT, Kind.NUM, Kind.OPT_NUM)
        for number, row in enumerate(rows, start=2):
            cells: list[Any] = []
            lines = 1
            for name, kind, number_format, spec in kinds:
                value = getattr(row, name)
                if name in wrapped and value:
                    cell = self._cell(sheet, cell_text(value))
                    cell.data_type = "s"
                    cell.alignment = self._wrap
                    cells.append(cell)
                    lines = max(lines, text_lines(value, wrapped[name]))
                elif kind in text_kinds:
                    cells.append(self._text(sheet, value) if value else None)
                elif number_format:
                    cells.append(self._formatted(sheet, value, number_format))
                elif kind in plain_kinds:
                    cells.append(value)
                else:
                    shown = display(spec, value, lang)
                    cells.append(shown if shown != "" else None)
            for header in extra_headers:
                value = row.extra.get(header)
                cells.append(self._text(sheet, value) if isinstance(value, str) else value)
            self._height(sheet, number, lines)
            sheet.append(cells)

    def _assessment_instructions(self) -> list[tuple[str, str, str, str]]:
        """A row per Assessments column: each question with its lettered options, each
        business scenario with what its grades 1–4 mean."""
        zh, lang = self.zh, self.lang
        name = ASSESSMENTS.sheet_name(lang)
        rows = [(name, "", ASSESSMENTS.doc[zh], "")]
        for column in columns():
            if column.item is not None:
                item = column.item
                meaning = item.question_zh if zh else item.question_en
                options = "\n".join(f"{o.key}  {o.label_zh if zh else o.label_en} "
                                    f"({o.points:g})" for o in item.options)
                expected = expected_text(column)[zh].removeprefix("expected ").removeprefix("应为")
                rows.append((name, column.header(lang), meaning, expected + "\n" + options))
            elif column.scenario is not None:
                spec = column.scenario
                meaning = (spec.name_zh if zh else spec.name_en) + (
                    ("（约束性场景）" if zh else " (constrained scenario)") if spec.constrained else "")
                grades = "\n".join(f"{g}  {spec.grade_text(g, lang)}" for g in range(1, 5))
                rows.append((name, column.header(lang), meaning,
                             ("0 未开展；" if zh else "0 not done; ") + "\n" + grades))
            else:
                rows.append((name, column.header(lang), ASSESSMENTS.field(column.key).doc[zh],
                             expected_text(column)[zh].removeprefix("expected ")
                             .removeprefix("应为")))
        return rows

    def assessments(self, rows: list[Any]) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.datavalidation import DataValidation

        lang, zh = self.lang, self.zh
        cols = columns()
        extra_headers = list(dict.fromkeys(h for row in rows for h in row.extra))
        headers = [c.header(lang) for c in cols]
        # narrow columns with wrapped headers: 31 columns still print legibly on one page width
        widths = [max(7.0, min(10.0, text_width(h) / 3 + 2)) for h in headers]
        widths[:2] = [12.0, 12.0]  # enterprise, date
        sheet = self._sheet(ASSESSMENTS.sheet_name(lang), widths + [16.0] * len(extra_headers))
        self._header(sheet, headers + extra_headers, widths=widths + [16.0] * len(extra_headers))
        last = max(len(rows) + 1, 1000)
        for index, column in enumerate(cols, start=1):
            if column.scenario is not None:
                labels = ["0", "1", "2", "3", "4"]
            elif column.item is not None and column.item.type == "single":
                labels = [o.key for o in column.item.options]
            else:
                continue
            check = DataValidation(type="list", formula1='"' + ",".join(labels) + '"',
                                   allow_blank=True, showErrorMessage=True)
            check.error = ("请从下拉列表中选择" if zh else "Choose a value from the list")
            letter = get_column_letter(index)
            check.add(f"{letter}2:{letter}{last}")
            sheet.data_validations.append(check)
        for row in rows:
            cells: list[Any] = []
            for column in cols:
                if column.item is not None:
                    value = row.answers.get(column.key)
                    if value is None:
                        cells.append(None)
                    else:
                        cells.append(self._text(sheet, column.item.display(value, lang)))
                elif column.scenario is not None:
                    cells.append(row.scenarios.get(column.key))
                else:
                    value = getattr(row, column.key)
                    cells.append(self._text(sheet, value) if value else None)
            for header in extra_headers:
                value = row.extra.get(header)
                cells.append(self._text(sheet, value) if isinstance(value, str) else value)
            sheet.append(cells)

    def extra(self, extra: ExtraSheet) -> None:
        widths = [min(40.0, max(12.0, text_width(h) + 2, *(
            text_width(row[i]) + 2 for row in extra.rows[:200]
            if i < len(row) and isinstance(row[i], str)))) for i, h in enumerate(extra.header)]
        sheet = self._sheet(extra.title, widths)
        self._header(sheet, extra.header, widths=widths)
        for number, row in enumerate(extra.rows, start=2):
            cells: list[Any] = []
            lines = 1
            for i, v in enumerate(row):
                if i in extra.percent_columns and v is not None:
                    cells.append(self._formatted(sheet, v, _PERCENT))
                elif isinstance(v, str) and i < len(widths) and text_width(v) > widths[i]:
                    cell = self._cell(sheet, cell_text(v))
                    cell.data_type = "s"
                    cell.alignment = self._wrap
                    cells.append(cell)
                    lines = max(lines, text_lines(v, widths[i]))
                else:
                    cells.append(self._text(sheet, v) if isinstance(v, str) else v)
            self._height(sheet, number, lines)
            sheet.append(cells)

