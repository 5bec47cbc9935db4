"""The native file: one JSON object, versioned (see docs/file-format.md).

It holds what the workbook holds, no more: a value the workbook could not keep
(an unpaired surrogate, a number that is not finite or too long to keep exactly,
an object inside an unknown column, an unknown column named like one of the
format's) is refused on reading with its place, and never written.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

from models.assessments import assessment_from_record, assessment_record, header_aliases
from models.atomic import write_atomic
from models.chain import (
    ASSESSMENTS,
    SCHEMA_VERSION,
    SETTINGS_FIELDS,
    TABLE_BY_ATTR,
    TABLES,
    ChainModel,
    TableSpec,
)
from models.problems import (
    ERROR,
    MAX_PROBLEMS,
    ExportRefused,
    ImportFailed,
    Problem,
    file_problem,
)
from models.records import (
    LongNumber,
    build_row,
    build_settings,
    export_problems,
    has_surrogate,
    read_extra,
    record_of,
    reserved_names,
)

FORMAT_TAG = "chainplan"
MAX_JSON_BYTES = 512 * 1024 * 1024
# Parsed JSON takes up to some 70 bytes per object, list, key and value: a file is refused
# when its estimate passes this, before parsing. The 100,000-firm chain: 111 MB, 0.76 GB.
MAX_JSON_COST = 1024 * 1024 * 1024
_SECTIONS = frozenset({"format", "schema_version", "settings", "settings_extra", "assessments",
                       *(t.attr for t in TABLES)})
_ASSESSMENT_KEYS = frozenset({"enterprise", "date", "answers", "scenarios", "extra"})


def to_dict(model: ChainModel) -> dict[str, Any]:
    settings = record_of(model.settings)
    settings["schema_version"] = SCHEMA_VERSION
    data: dict[str, Any] = {"format": FORMAT_TAG, "schema_version": SCHEMA_VERSION,
                            "settings": settings}
    if model.settings.extra:
        data["settings_extra"] = model.settings.extra
    for table in TABLES:
        records = []
        for row in model.rows(table):
            record = record_of(row)
            if row.extra:
                record["extra"] = row.extra
            records.append(record)
        data[table.attr] = records
    if model.assessments:  # optional; absent in older files
        data["assessments"] = [assessment_record(a) for a in model.assessments]
    return data


def dumps(model: ChainModel) -> str:
    """The model as the native file's text; raises ExportRefused (naming rows and fields)
    when a value could not be read back the same."""
    problems = export_problems(model, workbook=False)
    if problems:
        raise ExportRefused(problems)
    return json.dumps(to_dict(model), ensure_ascii=False, indent=1, allow_nan=False)


def save_json(model: ChainModel, path: str | os.PathLike[str]) -> None:
    write_atomic(path, dumps(model).encode("utf-8"))


def _place(table: TableSpec) -> tuple[str, str]:
    return table.attr, table.zh[0]


def _key(record: dict[str, Any], table: TableSpec) -> str:
    key = " → ".join(str(record.get(k) or "") for k in table.key)
    return key.encode("utf-8", "backslashreplace").decode() if has_surrogate(key) else key


def from_dict(data: Any) -> ChainModel:
    """Read a model from parsed JSON; raises ImportFailed listing every problem."""
    if not isinstance(data, dict) or data.get("format", FORMAT_TAG) != FORMAT_TAG:
        raise ImportFailed([file_problem("not a Chain Digitalisation Planner file",
                                         "不是产业链数字化规划文件")])
    problems: list[Problem] = []
    for section in data:
        if section not in _SECTIONS:
            problems.append(file_problem(
                f"unknown section '{section}' (a newer program's, or a typing error?)",
                f"未知的部分“{section}”（新版程序所写，或拼写错误？）"))
    model = ChainModel(settings=_read_settings(data, problems))
    for table in TABLES:
        records = data.get(table.attr, [])
        if not isinstance(records, list):
            problems.append(Problem(ERROR, ("must be a list of objects", "必须是对象列表"),
                                    _place(table)))
            continue
        rows = model.rows(table)
        known = frozenset(spec.name for spec in table.fields) | {"extra"}
        reserved = reserved_names(table.fields)
        for number, record in enumerate(records, start=1):
            if len(problems) >= MAX_PROBLEMS:
                break
            if not isinstance(record, dict):
                problems.append(Problem(ERROR, ("must be an object", "必须是对象"),
                                        _place(table), number))
                continue
            key = _key(record, table)
            _unknown_fields(record, known, _place(table), number, key, problems)
            extra = read_extra(record.get("extra"), reserved, _place(table), number, key,
                               problems)
            row = build_row(table, record, extra, _place(table), number, {}, problems)
            if row is not None:
                rows.append(row)
    _read_assessments(data.get("assessments", []), model, problems)
    if not problems:  # every record read: positions are rows
        problems = [_as_read(p) for p in export_problems(model, workbook=False)]
    if problems:
        raise ImportFailed(problems[:MAX_PROBLEMS])
    return model


def _read_settings(data: dict[str, Any], problems: list[Problem]) -> Any:
    place = ("settings", "设置")
    settings_raw = data.get("settings", {})
    if not isinstance(settings_raw, dict):
        settings_raw = {}
        problems.append(file_problem("'settings' must be an object", "“settings”必须是对象"))
    settings_raw = dict(settings_raw)
    _unknown_fields(settings_raw, frozenset(spec.name for spec in SETTINGS_FIELDS), place, None,
                    "", problems)
    if "schema_version" in data:
        settings_raw["schema_version"] = data["schema_version"]
    extra = read_extra(data.get("settings_extra"), reserved_names(SETTINGS_FIELDS),
                       ("settings_extra", "设置（未知项）"), None, "", problems, keep_blank=True)
    return build_settings(settings_raw, extra, {}, place, problems)


def _unknown_fields(record: dict[str, Any], known: frozenset[str], place: tuple[str, str],
                    number: int | None, key: str, problems: list[Problem]) -> None:
    """A field the format does not have would be lost: say so (unknown columns go in 'extra')."""
    for name in record:
        if name not in known:
            shown = str(name).encode("utf-8", "backslashreplace").decode()
            problems.append(Problem(ERROR, (
                "not a field of the format (unknown columns belong in 'extra')",
                "不是规定格式中的字段（未知列应放在“extra”中）"), place, number, key, shown))


def _as_read(problem: Problem) -> Problem:
    """A problem found in the model read, placed as in the file: table name and position."""
    table = next((t for t in TABLE_BY_ATTR.values() if t.sheet == problem.table[0]), None)
    if table is None:
        return dataclasses.replace(problem, table=("settings", "设置"))
    row = problem.index + 1 if problem.index is not None else None
    return dataclasses.replace(problem, table=_place(table), row=row, index=None)


def _read_assessments(records: Any, model: ChainModel, problems: list[Problem]) -> None:
    place = _place(ASSESSMENTS)
    if not isinstance(records, list):
        problems.append(Problem(ERROR, ("must be a list of objects", "必须是对象列表"), place))
        return
    reserved = frozenset(header_aliases())
    for number, record in enumerate(records, start=1):
        if len(problems) >= MAX_PROBLEMS:
            break
        if not isinstance(record, dict):
            problems.append(Problem(ERROR, ("must be an object", "必须是对象"), place, number))
            continue
        key = _key(record, ASSESSMENTS)
        _unknown_fields(record, _ASSESSMENT_KEYS, place, number, key, problems)
        extra = read_extra(record.get("extra"), reserved, place, number, key, problems)
        row = assessment_from_record({**record, "extra": extra}, number, problems)
        if row is not None:
            model.assessments.append(row)


def _whole_number(text: str) -> int | str:
    """A JSON integer; one too long to be a number here (over 300 digits, beyond any double)
    stays its digits, so that a number field refuses it with its place, not a traceback."""
    return int(text) if len(text) <= 300 else LongNumber(text)


def _cost(data: bytes) -> int:
    """About what parsing ``data`` takes, in bytes (an upper bound for our files)."""
    items = sum(map(data.count, (b"{", b"[", b",", b":")))
    return len(data) + 72 * items


def load_json(path: str | os.PathLike[str]) -> ChainModel:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_JSON_BYTES:
            raise ImportFailed([file_problem("the file is larger than 512 MB",
                                             "文件超过 512 MB")])
        raw = file.read_bytes()
        if _cost(raw) > MAX_JSON_COST:
            raise ImportFailed([file_problem(
                f"the file holds too many values to read safely (it would take about "
                f"{_cost(raw) >> 20:,} MB; at most {MAX_JSON_COST >> 20:,} MB)",
                f"文件中的值过多，无法安全读取（约需 {_cost(raw) >> 20:,} MB，上限 "
                f"{MAX_JSON_COST >> 20:,} MB）")])
        text = raw.decode(json.detect_encoding(raw), "surrogatepass")
        del raw  # not held while the text is parsed and the model built
        data = json.loads(text, parse_int=_whole_number)
        del text
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # JSONDecodeError too
        raise ImportFailed([file_problem(f"not a valid JSON file ({exc})",
                                         f"不是有效的 JSON 文件（{exc}）")]) from None
    except OSError as exc:
        raise ImportFailed([file_problem(f"cannot read the file: {exc.strerror}",
                                         f"无法读取文件：{exc.strerror}")]) from None
    return from_dict(data)
