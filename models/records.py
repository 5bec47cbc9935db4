"""Turning raw records (workbook rows, JSON objects) into model rows, and back.

Both file formats meet here, so a value is read the same way wherever it
comes from, and every problem is reported with its place.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from models.chain import SCHEMA_VERSION, SETTINGS_FIELDS, Settings, TableSpec
from models.problems import ERROR, Problem
from models.schema import BLANK, CoerceError, FieldSpec, coerce, reader


def expected_problem(spec: FieldSpec, table: tuple[str, str], row: int | None, key: str,
                     column: str, value: Any) -> Problem:
    return Problem(ERROR, ("expected " + spec.expected("en"), "应为" + spec.expected("zh_CN")),
                   table, row, key, column, value, True)


def build_row(table: TableSpec, raw: dict[str, Any], extra: dict[str, Any],
              place: tuple[str, str], row: int | None, headers: dict[str, str],
              problems: list[Problem]) -> Any:
    """One model row from ``raw`` (field name -> value); problems are appended.

    ``place`` names the sheet or table (English, Chinese) as the user knows it;
    ``headers`` maps field names to the column titles the user wrote, so a
    message names the column as the user sees it. Returns None when a value
    could not be read.
    """
    values: dict[str, Any] = {}
    ok = True
    for spec, read_value in _readers(table):
        value = raw.get(spec.name)
        try:
            read = read_value(value)
        except CoerceError:
            ok = False
            key = " → ".join(str(raw.get(k) or "") for k in table.key)
            problems.append(expected_problem(spec, place, row, key,
                                             headers.get(spec.name, spec.name), value))
        else:
            if read is not BLANK:
                values[spec.name] = read
    if not ok:
        return None
    return table.cls(**values, extra=extra)


_READERS: dict[str, list[tuple[FieldSpec, Any]]] = {}


def _readers(table: TableSpec) -> list[tuple[FieldSpec, Any]]:
    if table.attr not in _READERS:
        _READERS[table.attr] = [(spec, reader(spec)) for spec in table.fields]
    return _READERS[table.attr]


def build_settings(raw: dict[str, Any], extra: dict[str, Any], rows: dict[str, int],
                   place: tuple[str, str], problems: list[Problem]) -> Settings:
    values = {}
    for spec in SETTINGS_FIELDS:
        if spec.name not in raw:
            continue
        try:
            read = coerce(spec, raw[spec.name])
        except CoerceError:
            problems.append(expected_problem(spec, place, rows.get(spec.name),
                                             spec.name, "value", raw[spec.name]))
        else:
            if read is not BLANK:
                values[spec.name] = read
    version = values.get("schema_version", SCHEMA_VERSION)
    if version > SCHEMA_VERSION:
        problems.append(Problem(
            ERROR, (f"this file is format version {version}; this program reads up to version "
                    f"{SCHEMA_VERSION}: please update Chain Digitalisation Planner",
                    f"此文件为第 {version} 版格式，本程序最高支持第 {SCHEMA_VERSION} 版，请升级程序"),
            place, rows.get("schema_version"), "schema_version", "value"))
    # older versions are migrated on read; version 1 is the first, so nothing to do yet
    values["schema_version"] = SCHEMA_VERSION
    return Settings(**values, extra=extra)


def record_of(row: Any) -> dict[str, Any]:
    """A model row as a plain dict of its declared fields (tuples as lists)."""
    result = {}
    for f in dataclasses.fields(row):
        if f.name == "extra":
            continue
        value = getattr(row, f.name)
        result[f.name] = list(value) if isinstance(value, tuple) else value
    return result

