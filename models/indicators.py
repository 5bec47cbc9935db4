"""The digital health-check indicator set of SPEC §7, as data: loading, reading answers, scoring.

The set is a versioned JSON file (``planner/data/miit_2024_manufacturing.json``,
MIIT 中小企业数字化水平评测指标（2024年版）, manufacturing). It is read here, in
``models/``, because the Assessments sheet's columns, the checks of its answers and
the maturity warning all come from it. The file is found with ``importlib.resources``
under the ``planner`` package, which imports only that package's empty ``__init__``,
never planner code; ``planner/health.py`` builds the health check on top of this module.

Answers in the model are canonical: a single choice is an option key, a multiple
choice a tuple of option keys (in the item's option order), a rate a float, a
scenario grade a whole number 0–4. A missing answer scores 0.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.schema import BLANK, CoerceError, FieldSpec, Kind, coerce, normalise

DEFAULT_SET = "miit_2024_manufacturing.json"
SCENARIO_GRADES = (0, 1, 2, 3, 4)
SEPARATORS = re.compile(r"[,，;；、]")
NONE_WORDS = frozenset({"none", "无", "没有"})
# a share typed as 70% arrives as 70 * 0.01 = 0.7000000000000001; bins compare with this slack
BIN_TOLERANCE = 1e-9

SINGLE, MULTIPLE, RATE = "single", "multiple", "rate"


class IndicatorSetError(ValueError):
    """The indicator-set file is malformed (the message says where)."""


@dataclass(frozen=True)
class Option:
    key: str
    label_zh: str
    label_en: str
    points: float


@dataclass(frozen=True)
class Bin:
    min: float  # lower bound (inclusive) of the bin
    points: float


@dataclass(frozen=True)
class Item:
    """One scored question: a single choice, a multiple choice or a rate put into bins."""

    key: str
    name_zh: str
    name_en: str
    dimension: str
    max: float
    type: str  # SINGLE, MULTIPLE or RATE
    source: str
    options: tuple[Option, ...] = ()
    bins: tuple[Bin, ...] = ()  # highest bound first
    min_value: float | None = None  # allowed range of a rate
    max_value: float | None = None

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)

    def points(self, value: Any) -> float:
        """Points of a canonical answer (None: unanswered, 0 points)."""
        if value is None:
            return 0.0
        if self.type == SINGLE:
            option = self.option(value)
            return option.points if option else 0.0
        if self.type == MULTIPLE:
            chosen = set(value)
            total = sum(o.points for o in self.options if o.key in chosen)
            return float(min(self.max, total))
        number = float(value)
        return next((b.points for b in self.bins if number >= b.min - BIN_TOLERANCE), 0.0)

    def _lookup(self) -> dict[str, str]:
        return _option_lookup(self)

    def read(self, value: Any) -> Any:
        """A cell or JSON value as a canonical answer; BLANK when empty; CoerceError if bad."""
        if isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
            raise CoerceError
        if value is None or (isinstance(value, str) and not value.strip()):
            return BLANK
        if self.type == RATE:
            return coerce(_NUMBER, value)
        lookup = self._lookup()
        if self.type == SINGLE:
            if isinstance(value, (list, tuple, bool)):
                raise CoerceError
            found = lookup.get(normalise(_text(value)))
            if found is None:
                raise CoerceError
            return found
        if isinstance(value, (list, tuple)):
            parts = [_text(v) for v in value]
        elif isinstance(value, bool):
            raise CoerceError
        else:
            parts = SEPARATORS.split(_text(value))
        keys = set()
        for part in parts:
            word = normalise(part)
            if not word or word in NONE_WORDS:
                continue
            found = lookup.get(word)
            if found is None:
                raise CoerceError
            keys.add(found)
        return tuple(o.key for o in self.options if o.key in keys)

    def valid(self, value: Any) -> bool:
        """Whether a canonical answer (as a model built in code may hold it) is allowed."""
        if self.type == SINGLE:
            return isinstance(value, str) and self.option(value) is not None
        if self.type == MULTIPLE:
            return (isinstance(value, (list, tuple))
                    and all(isinstance(v, str) and self.option(v) is not None for v in value))
        if type(value) not in (int, float) or not math.isfinite(value):
            return False
        low = -math.inf if self.min_value is None else self.min_value
        high = math.inf if self.max_value is None else self.max_value
        return bool(low <= value <= high)

    def expected(self, lang: str = "en") -> str:
        zh = lang == "zh_CN"
        if self.type == RATE:
            low, high = self.min_value, self.max_value
            if zh:
                return f"数字（{low:g}–{high:g}，可写百分数如 85%）"
            return f"a number from {low:g} to {high:g} (a percentage like 85% is fine)"
        keys = "、".join(o.label_zh for o in self.options) if zh else ", ".join(
            o.key for o in self.options)
        if self.type == SINGLE:
            return ("以下之一：" + keys) if zh else "one of " + keys
        return (("以下选项，用逗号或顿号分隔：" + keys) if zh
                else "options from " + keys + ", separated by commas")

    def display(self, value: Any, lang: str) -> Any:
        """A canonical answer as written in a workbook cell in ``lang``."""
        zh = lang == "zh_CN"
        if self.type == RATE:
            return value
        if self.type == SINGLE:
            option = self.option(value)
            return (option.label_zh if zh else option.key) if option else value
        shown = [(o.label_zh if zh else o.key) for o in self.options if o.key in set(value)]
        if not shown:
            return "无" if zh else "none"
        return ("、" if zh else ", ").join(shown)


_NUMBER = FieldSpec("value", "值", Kind.NUM)
_GRADE = FieldSpec("level", "等级", Kind.INT)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@functools.lru_cache(maxsize=64)
def _option_lookup(item: Item) -> dict[str, str]:
    table: dict[str, str] = {}
    for option in item.options:
        for spelling in (option.key, option.label_zh, option.label_en):
            table[normalise(spelling)] = option.key
    return table


@dataclass(frozen=True)
class Dimension:
    key: str
    name_zh: str
    name_en: str
    max: float
    source: str


@dataclass(frozen=True)
class ScenarioSpec:
    """One 数字化经营 business scenario, graded 0–4."""

    key: str
    name_zh: str
    name_en: str
    constrained: bool  # 约束性场景
    source: str


@dataclass(frozen=True)
class LevelRule:
    """Level ``level`` needs base ≥ min_base and ≥ min_scenarios scenarios at
    ≥ scenario_level, of which ≥ min_constrained are constrained."""

    level: int
    min_base: float
    scenario_level: int
    min_scenarios: int
    min_constrained: int


@dataclass(frozen=True)
class IndicatorSet:
    version: str
    name_zh: str
    name_en: str
    source: str
    notes: str
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    scenarios: tuple[ScenarioSpec, ...]
    grade_names: tuple[tuple[str, str], ...]  # (zh, en) description of grades 0–4
    levels: tuple[LevelRule, ...]  # highest level first; level 1 is the fallback
    levels_source: str

    def item(self, key: str) -> Item | None:
        return next((i for i in self.items if i.key == key), None)

    def scenario(self, key: str) -> ScenarioSpec | None:
        return next((s for s in self.scenarios if s.key == key), None)

    def rule(self, level: int) -> LevelRule | None:
        return next((r for r in self.levels if r.level == level), None)

    def item_points(self, answers: Mapping[str, Any]) -> dict[str, float]:
        """Points of every item (unanswered: 0), in the set's order."""
        return {item.key: item.points(answers.get(item.key)) for item in self.items}

    def base_score(self, answers: Mapping[str, Any]) -> float:
        return float(sum(self.item_points(answers).values()))

    def counts(self, grades: Mapping[str, int], at_least: int) -> tuple[int, int]:
        """How many scenarios are graded ≥ ``at_least``, and how many of those are constrained."""
        hits = [s for s in self.scenarios if grades.get(s.key, 0) >= at_least]
        return len(hits), sum(1 for s in hits if s.constrained)

    def meets(self, rule: LevelRule, base: float, grades: Mapping[str, int]) -> bool:
        count, constrained = self.counts(grades, rule.scenario_level)
        return (base >= rule.min_base and count >= rule.min_scenarios
                and constrained >= rule.min_constrained)

    def level(self, base: float, grades: Mapping[str, int]) -> int:
        """The level 1–4: the first rule met, top level first; 1 otherwise."""
        return next((r.level for r in self.levels if self.meets(r, base, grades)), 1)

    def level_of(self, answers: Mapping[str, Any], grades: Mapping[str, int]) -> int:
        return self.level(self.base_score(answers), grades)

    def columns(self) -> list[tuple[str, str, str]]:
        """(key, Chinese name, English name) of every answer column: items, then scenarios."""
        return ([(i.key, i.name_zh, i.name_en) for i in self.items]
                + [(s.key, s.name_zh, s.name_en) for s in self.scenarios])


def read_grade(value: Any) -> Any:
    """A scenario cell as a grade 0–4 (range checked by validation); BLANK when empty."""
    if isinstance(value, str):
        value = value.strip().removesuffix("级")
    return coerce(_GRADE, value)


def valid_grade(value: Any) -> bool:
    return type(value) is int and value in SCENARIO_GRADES


GRADE_EXPECTED = ("a whole number from 0 to 4", "0–4 的整数")


def _need(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise IndicatorSetError(f"{where}: '{key}' is missing")
    return data[key]


def parse_indicator_set(data: Any) -> IndicatorSet:
    """An indicator set from parsed JSON, checked for consistency."""
    if not isinstance(data, dict):
        raise IndicatorSetError("the indicator set must be a JSON object")
    try:
        dimensions = tuple(Dimension(d["key"], d["name_zh"], d["name_en"], float(d["max"]),
                                     d.get("source", "")) for d in _need(data, "dimensions", "set"))
        items = []
        for raw in _need(data, "items", "set"):
            key = _need(raw, "key", "item")
            kind = _need(raw, "type", key)
            if kind not in (SINGLE, MULTIPLE, RATE):
                raise IndicatorSetError(f"item {key}: unknown type {kind!r}")
            options = tuple(Option(o["key"], o["label_zh"], o["label_en"], float(o["points"]))
                            for o in raw.get("options", ()))
            bins = tuple(sorted((Bin(float(b["min"]), float(b["points"]))
                                 for b in raw.get("bins", ())), key=lambda b: -b.min))
            if kind == RATE and not bins:
                raise IndicatorSetError(f"item {key}: a rate needs bins")
            if kind != RATE and not options:
                raise IndicatorSetError(f"item {key}: a choice needs options")
            for option in options:
                if any(SEPARATORS.search(t) for t in (option.key, option.label_zh, option.label_en)):
                    raise IndicatorSetError(f"item {key}: option {option.key} holds a separator")
            if len({normalise(s) for o in options for s in {o.key, o.label_zh, o.label_en}}
                   ) < len({o.key for o in options}):
                raise IndicatorSetError(f"item {key}: two options share a spelling")
            items.append(Item(key=key, name_zh=raw["name_zh"], name_en=raw["name_en"],
                              dimension=raw["dimension"], max=float(raw["max"]), type=kind,
                              source=_need(raw, "source", key), options=options, bins=bins,
                              min_value=raw.get("min_value"), max_value=raw.get("max_value")))
        scenarios = tuple(ScenarioSpec(s["key"], s["name_zh"], s["name_en"], bool(s["constrained"]),
                                       s.get("source", ""))
                          for s in _need(data, "scenarios", "set"))
        levels = tuple(sorted((LevelRule(int(r["level"]), float(r["min_base"]),
                                         int(r["scenario_level"]), int(r["min_scenarios"]),
                                         int(r["min_constrained"]))
                               for r in _need(data, "levels", "set")), key=lambda r: -r.level))
        grades = {int(g["level"]): (g["zh"], g["en"]) for g in data.get("scenario_levels", ())}
    except (KeyError, TypeError, ValueError) as exc:
        raise IndicatorSetError(f"malformed indicator set: {exc!r}") from None
    known = {d.key for d in dimensions}
    for item in items:
        if item.dimension not in known:
            raise IndicatorSetError(f"item {item.key}: unknown dimension {item.dimension}")
    spellings = [word for key, zh, en in
                 [(i.key, i.name_zh, i.name_en) for i in items]
                 + [(s.key, s.name_zh, s.name_en) for s in scenarios]
                 for word in {normalise(key), normalise(zh), normalise(en)}]
    reserved = {normalise(w) for w in ("enterprise", "企业", "date", "日期")}
    if len(set(spellings)) != len(spellings) or reserved & set(spellings):
        raise IndicatorSetError("two items or scenarios share a key or name")
    return IndicatorSet(
        version=str(_need(data, "version", "set")), name_zh=data.get("name_zh", ""),
        name_en=data.get("name_en", ""), source=str(_need(data, "source", "set")),
        notes=data.get("notes", ""), dimensions=dimensions, items=tuple(items),
        scenarios=scenarios,
        grade_names=tuple(grades.get(g, ("", "")) for g in SCENARIO_GRADES),
        levels=levels, levels_source=str(data.get("levels_source", "")))


def _default_text() -> str:
    from importlib.resources import files

    # the data ships with the planner package; this imports only planner/__init__ (a docstring)
    return (files("planner") / "data" / DEFAULT_SET).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def default_indicator_set() -> IndicatorSet:
    """The bundled MIIT 2024 manufacturing set (read once)."""
    return parse_indicator_set(json.loads(_default_text()))


def load_indicator_set(path: str | os.PathLike[str] | None = None) -> IndicatorSet:
    """The indicator set in ``path`` (a corrected official table), or the bundled one."""
    if path is None:
        return default_indicator_set()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndicatorSetError(f"cannot read the indicator set {path}: {exc}") from None
    return parse_indicator_set(data)

