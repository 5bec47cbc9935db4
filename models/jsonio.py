"""The native file: one JSON object, versioned (see docs/file-format.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from models.assessments import assessment_from_record, assessment_record
from models.atomic import write_atomic
from models.chain import SCHEMA_VERSION, TABLES, ChainModel
from models.problems import ERROR, ImportFailed, Problem, file_problem
from models.records import build_row, build_settings, record_of

FORMAT_TAG = "chainplan"
MAX_JSON_BYTES = 512 * 1024 * 1024


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
    return json.dumps(to_dict(model), ensure_ascii=False, indent=1)


def save_json(model: ChainModel, path: str | os.PathLike[str]) -> None:
    write_atomic(path, dumps(model).encode("utf-8"))


def from_dict(data: Any) -> ChainModel:
    """Read a model from parsed JSON; raises ImportFailed listing every problem."""
    if not isinstance(data, dict) or data.get("format", FORMAT_TAG) != FORMAT_TAG:
        raise ImportFailed([file_problem("not a Chain Digitalisation Planner file",
                                         "不是产业链数字化规划文件")])
    problems: list[Problem] = []
    settings_raw = data.get("settings", {})
    if not isinstance(settings_raw, dict):
        settings_raw = {}
        problems.append(file_problem("'settings' must be an object", "“settings”必须是对象"))
    settings_raw = dict(settings_raw)
    if "schema_version" in data:
        settings_raw["schema_version"] = data["schema_version"]
    extra = data.get("settings_extra") or {}
    settings = build_settings(settings_raw, extra if isinstance(extra, dict) else {}, {},
                              ("settings", "设置"), problems)
    model = ChainModel(settings=settings)
    for table in TABLES:
        records = data.get(table.attr, [])
        if not isinstance(records, list):
            problems.append(Problem(ERROR, ("must be a list of objects", "必须是对象列表"),
                                    (table.attr, table.zh[0])))
            continue
        rows = model.rows(table)
        for number, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                problems.append(Problem(ERROR, ("must be an object", "必须是对象"),
                                        (table.attr, table.zh[0]), number))
                continue
            extra = record.get("extra") or {}
            row = build_row(table, record, extra if isinstance(extra, dict) else {},
                            (table.attr, table.zh[0]), number, {}, problems)
            if row is not None:
                rows.append(row)
    _read_assessments(data.get("assessments", []), model, problems)
    if problems:
        raise ImportFailed(problems)
    return model


def _read_assessments(records: Any, model: ChainModel, problems: list[Problem]) -> None:
    if not isinstance(records, list):
        problems.append(Problem(ERROR, ("must be a list of objects", "必须是对象列表"),
                                ("assessments", "评测")))
        return
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            problems.append(Problem(ERROR, ("must be an object", "必须是对象"),
                                    ("assessments", "评测"), number))
            continue
        row = assessment_from_record(record, number, problems)
        if row is not None:
            model.assessments.append(row)


def load_json(path: str | os.PathLike[str]) -> ChainModel:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_JSON_BYTES:
            raise ImportFailed([file_problem("the file is larger than 512 MB",
                                             "文件超过 512 MB")])
        data = json.loads(file.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ImportFailed([file_problem(f"not a valid JSON file ({exc})",
                                         f"不是有效的 JSON 文件（{exc}）")]) from None
    return from_dict(data)
