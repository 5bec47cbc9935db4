"""Opening and saving a model by file extension, with validation mapped to rows."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from models.background import paused_gc
from models.chain import TABLE_BY_ATTR, ChainModel
from models.jsonio import load_json, save_json
from models.native import SUFFIX as PROJECT_SUFFIX
from models.native import load_native, save_native
from models.problems import ImportFailed, Problem, file_problem
from models.records import Columns, export_problems
from models.validation import Place, places, validate
from models.workbook import read_workbook, save_workbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
NATIVE_SUFFIX = ".json"


@dataclass
class Loaded:
    model: ChainModel
    problems: list[Problem]  # warnings (and errors when allowed), with workbook rows
    lang: str | None = None  # a workbook's language ("en", "zh_CN"); None for a .json file
    places: dict[str, Place] | None = None  # each firm's position and tier (a valid model)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return "xlsx"
    if suffix == NATIVE_SUFFIX:
        return "json"
    if suffix == PROJECT_SUFFIX:
        return "native"
    raise ImportFailed([file_problem(
        f"unknown file type '{path.suffix}': use .chainplan, .xlsx or .json",
        f"未知的文件类型“{path.suffix}”：请使用 .chainplan、.xlsx 或 .json")])


def load_model(path: str | os.PathLike[str], allow_invalid: bool = False) -> Loaded:
    """Read and validate a model file.

    Raises ImportFailed with every problem when the file cannot be read, or
    when the model breaks a rule and ``allow_invalid`` is false; the caller's
    own model is never touched.
    """
    file = Path(path)
    kind = _kind(file)
    if not file.is_file():
        raise ImportFailed([file_problem(f"no such file: {file}", f"文件不存在：{file}")])
    with paused_gc():
        return _load(file, kind, allow_invalid)


def _load(file: Path, kind: str, allow_invalid: bool) -> Loaded:
    if kind == "xlsx":
        result = read_workbook(file)
        model, notices, rows, lang = result.model, result.notices, result.rows, result.lang
        taken, clean = result.columns, result.clean
    elif kind == "native":
        taken, clean = {}, set()
        model, notices, rows, lang = load_native(file, taken, clean), [], {}, None
    else:
        model, notices, rows, lang, taken, clean = load_json(file), [], {}, None, {}, set()
    # taken once for both checks (the workbook's as read, with those the reader found clean)
    columns = Columns(model, taken, clean)
    problems = notices + [_with_row(p, rows) for p in validate(model, columns=columns)]
    # what a workbook could not hold (text over a cell's limit, whole numbers beyond a double's
    # exact range): errors in both formats, so that a model read can be written as either
    problems += [_with_row(p, rows) for p in export_problems(model, workbook=True,
                                                             columns=columns)]
    if not allow_invalid and any(p.is_error for p in problems):
        raise ImportFailed(problems)
    # the analysis that follows an open needs them: from the distances validation found
    where = None if any(p.is_error for p in problems) else places(model, columns)
    return Loaded(model, problems, lang, where)


def _with_row(problem: Problem, rows: dict[str, list[int]]) -> Problem:
    """Give a validation problem the workbook row (or list position) of its record."""
    if problem.index is None:
        return problem
    table = next((t for t in TABLE_BY_ATTR.values() if t.sheet == problem.table[0]), None)
    numbers = rows.get(table.attr) if table else None
    row = numbers[problem.index] if numbers else problem.index + 1
    return dataclasses.replace(problem, row=row)


def save_model(model: ChainModel, path: str | os.PathLike[str], lang: str = "en") -> None:
    """Save atomically as .xlsx (in ``lang``), a .chainplan project file or .json, by extension."""
    file = Path(path)
    if _kind(file) == "xlsx":
        save_workbook(model, file, lang)
    elif _kind(file) == "native":
        save_native(model, file)
    else:
        save_json(model, file)
