"""The Assessments table (the health check's answers) in files and validation.

Its two fixed columns (enterprise, date) are declared on ``models.chain.Assessment``;
the answer columns, one per indicator item and business scenario, come from the
indicator set (``models.indicators``). Reading a cell, writing it and checking it
all go through this module, for the workbook and the JSON file alike, and every
problem names the sheet, row, column, value and what was expected.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models.chain import ASSESSMENTS, TABLE_BY_ATTR, Assessment, ChainModel
from models.indicators import (
    GRADE_EXPECTED,
    NO_LEVEL,
    IndicatorSet,
    Item,
    ScenarioSpec,
    default_indicator_set,
    level_name,
    maturity_of_level,
    read_grade,
    valid_grade,
)
from models.problems import ERROR, WARNING, Problem
from models.schema import BLANK, CoerceError, normalise

DATE_EXPECTED = ("a date like 2025-03-31", "日期，如 2025-03-31")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


@dataclass(frozen=True)
class Column:
    """One column of the Assessments sheet."""

    key: str  # field name, item key or scenario key
    zh: str
    en: str
    item: Item | None = None
    scenario: ScenarioSpec | None = None

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh_CN" else self.key


def columns(indicators: IndicatorSet | None = None) -> list[Column]:
    """Every column in sheet order: enterprise, date, the items, the scenarios."""
    ind = indicators or default_indicator_set()
    fixed = [Column(f.name, f.zh, f.name) for f in ASSESSMENTS.fields]
    return (fixed + [Column(i.key, i.name_zh, i.name_en, item=i) for i in ind.items]
            + [Column(s.key, s.name_zh, s.name_en, scenario=s) for s in ind.scenarios])


def header_aliases(indicators: IndicatorSet | None = None) -> dict[str, Column]:
    """Normalised header spelling (key, English or Chinese name) -> column."""
    aliases: dict[str, Column] = {}
    for column in columns(indicators):
        for spelling in (column.key, column.zh, column.en):
            aliases[normalise(spelling)] = column
    return aliases


def read_date(value: Any) -> str:
    """A date cell as ISO text (2025-03-31); raises CoerceError."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise CoerceError
    match = _DATE.match(value.strip())
    if not match:
        raise CoerceError
    try:
        return _dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        raise CoerceError from None


def valid_date(value: Any) -> bool:
    try:
        return isinstance(value, str) and read_date(value) == value
    except CoerceError:
        return False


def expected_text(column: Column) -> tuple[str, str]:
    if column.item is not None:
        return ("expected " + column.item.expected("en"), "应为" + column.item.expected("zh_CN"))
    if column.scenario is not None:
        return "expected " + GRADE_EXPECTED[0], "应为" + GRADE_EXPECTED[1]
    if column.key == "date":
        return "expected " + DATE_EXPECTED[0], "应为" + DATE_EXPECTED[1]
    return "expected non-empty text", "应为非空文本"


def _bad(column: Column, place: tuple[str, str], row: int | None, key: str, header: str,
         value: Any, index: int | None = None, severity: str = ERROR) -> Problem:
    return Problem(severity, expected_text(column), place, row, key, header, value, True, index,
                   column.zh if header == column.key else "")


def build_assessment(raw: Mapping[str, Any], extra: dict[str, Any], place: tuple[str, str],
                     row: int | None, headers: Mapping[str, str], problems: list[Problem],
                     indicators: IndicatorSet | None = None) -> Assessment | None:
    """One assessment from ``raw`` (column key -> cell or JSON value); problems are appended.

    ``headers`` maps column keys to the titles the user wrote. Returns None when a
    value could not be read.
    """
    ok = True
    key = " → ".join(str(raw.get(k) or "") for k in ASSESSMENTS.key)
    values: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    grades: dict[str, int] = {}
    for column in columns(indicators):
        value = raw.get(column.key)
        try:
            if column.item is not None:
                read = column.item.read(value)
            elif column.scenario is not None:
                read = read_grade(value)
            elif column.key == "date":
                read = read_date(value)
            else:
                if value is None or not str(value).strip():
                    raise CoerceError
                read = _key_text(value)
        except CoerceError:
            ok = False
            problems.append(_bad(column, place, row, key, headers.get(column.key, column.key),
                                 value))
            continue
        if read is BLANK:
            continue
        if column.item is not None:
            answers[column.key] = read
        elif column.scenario is not None:
            grades[column.key] = read
        else:
            values[column.key] = read
    if not ok:
        return None
    return Assessment(**values, answers=answers, scenarios=grades, extra=extra)


def _key_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- JSON --------------------------------------------------------------------------------

def assessment_record(assessment: Assessment) -> dict[str, Any]:
    """An assessment as a JSON object (multiple choices as lists)."""
    record: dict[str, Any] = {
        "enterprise": assessment.enterprise, "date": assessment.date,
        "answers": {k: list(v) if isinstance(v, tuple) else v
                    for k, v in assessment.answers.items()},
        "scenarios": dict(assessment.scenarios)}
    if assessment.extra:
        record["extra"] = assessment.extra
    return record


def assessment_from_record(record: Mapping[str, Any], number: int,
                           problems: list[Problem]) -> Assessment | None:
    """An assessment from a JSON object; unknown answer keys are errors."""
    place = ("assessments", ASSESSMENTS.zh[0])
    raw: dict[str, Any] = {"enterprise": record.get("enterprise"), "date": record.get("date")}
    known = {c.key: c for c in columns()}
    key = f"{raw['enterprise']} → {raw['date']}"
    ok = True
    for group, want in (("answers", "item"), ("scenarios", "scenario")):
        values = record.get(group) or {}
        if not isinstance(values, dict):
            problems.append(Problem(ERROR, ("must be an object", "必须是对象"), place, number,
                                    key, group))
            ok = False
            continue
        for name, value in values.items():
            column = known.get(name)
            if column is None or getattr(column, want) is None:
                problems.append(Problem(ERROR, (f"no such {want} in the indicator set",
                                                "指标体系中没有此项"), place, number, key, group,
                                        name, True))
                ok = False
                continue
            raw[name] = value
    extra = record.get("extra") or {}
    built = build_assessment(raw, extra if isinstance(extra, dict) else {}, place, number, {},
                             problems)
    return built if ok else None


# --- validation --------------------------------------------------------------------------

def latest_assessments(model: ChainModel) -> dict[str, tuple[int, Assessment]]:
    """Each assessed enterprise's latest assessment (and its row index); a later row wins a tie."""
    latest: dict[str, tuple[int, Assessment]] = {}
    for index, a in enumerate(model.assessments):
        seen = latest.get(a.enterprise)
        if seen is None or a.date >= seen[1].date:
            latest[a.enterprise] = (index, a)
    return latest


def assessment_errors(model: ChainModel, indicators: IndicatorSet | None = None) -> list[Problem]:
    """Broken rules of the Assessments table (for a model built in code or edited)."""
    ind = indicators or default_indicator_set()
    place = (ASSESSMENTS.sheet, ASSESSMENTS.zh[0])
    items = {i.key: i for i in ind.items}
    scenarios = {s.key: s for s in ind.scenarios}
    ids = {e.id for e in model.enterprises}
    cols = {c.key: c for c in columns(ind)}
    found: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for index, a in enumerate(model.assessments):
        key = ASSESSMENTS.key_of(a)

        def bad(column: str, value: Any, what: tuple[str, str] | None = None,
                index: int = index, key: str = key) -> None:
            spec = cols.get(column)
            expected = expected_text(spec) if spec else ("unknown column", "未知列")
            found.append(Problem(ERROR, what or expected,
                                 place, None, key, column, value, True, index,
                                 spec.zh if spec else ""))

        if not isinstance(a.enterprise, str) or not a.enterprise.strip():
            bad("enterprise", a.enterprise)
        elif a.enterprise not in ids:
            bad("enterprise", a.enterprise, ("no such enterprise in Enterprises",
                                             "“企业”表中没有此项"))
        if not valid_date(a.date):
            bad("date", a.date)
        for name, value in a.answers.items():
            item = items.get(name)
            if item is None:
                bad(name, name, ("no such item in the indicator set", "指标体系中没有此项"))
            elif not item.valid(value):
                bad(name, value)
        for name, value in a.scenarios.items():
            if name not in scenarios:
                bad(name, name, ("no such scenario in the indicator set", "指标体系中没有此场景"))
            elif not valid_grade(value):
                bad(name, value)
        pair = (a.enterprise, a.date)
        if pair in seen:
            found.append(Problem(ERROR, ("duplicate: an earlier row has the same enterprise + date",
                                         "重复：前面已有相同企业、日期的行"), place, None, key,
                                 "date", key, True, index, "日期"))
        seen.add(pair)
    return found


def maturity_warnings(model: ChainModel, indicators: IndicatorSet | None = None
                      ) -> list[Problem]:
    """An enterprise whose latest assessment gives a level other than its maturity, or no level.

    No level (无等级) reads as maturity 1, and is always named: it is not level 1.
    """
    ind = indicators or default_indicator_set()
    table = TABLE_BY_ATTR["enterprises"]
    latest = latest_assessments(model)
    found = []
    for index, e in enumerate(model.enterprises):
        if e.id not in latest:
            continue
        a = latest[e.id][1]
        level = ind.level_of(a.answers, a.scenarios)
        if level != NO_LEVEL and level == e.maturity:
            continue
        if level == NO_LEVEL and e.maturity == maturity_of_level(level):
            message = (f"the latest assessment ({a.date}) gives no level (无等级); "
                       "it counts as level 1 in the plan",
                       f"最近一次评测（{a.date}）为无等级，规划中按一级计")
        else:
            message = (f"the latest assessment ({a.date}) gives {level_name(level, 'en')}; "
                       f"Enterprises says {e.maturity}",
                       f"最近一次评测（{a.date}）为{level_name(level, 'zh_CN')}，"
                       f"企业表填写为 {e.maturity} 级")
        found.append(Problem(WARNING, message, (table.sheet, table.zh[0]), None, e.id,
                             "maturity", e.maturity, True, index, table.field("maturity").zh))
    return found
