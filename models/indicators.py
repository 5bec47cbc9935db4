"""The digital health-check indicator set, as data: loading, reading answers, scoring.

The set is a versioned JSON file (``planner/data/miit_2024_manufacturing.json``: MIIT
中小企业数字化水平评测指标（2024年版）, manufacturing, rebuilt from copies of the online
assessment system; its ``notes`` and each entry's ``source`` say how sure each fact
is). A corrected table replaces the file without a code change. It is read here, in
``models/``, because the Assessments sheet's columns, the checks of its answers and
the maturity warning all come from it; the file is found with ``importlib.resources``
under the ``planner`` package, which imports only that package's empty ``__init__``.
``planner/health.py`` builds the health check on top of this module; docs/method.md
("Health check: scoring and levels") explains the rules to users.

Answers in the model are canonical: a single choice is an option key (the letter of
the official form, ``"C"``), a multiple choice a tuple of option keys in the item's
option order, a scenario grade a whole number 0–4. A missing answer scores 0.
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

from models.schema import BLANK, CoerceError, FieldSpec, Kind, coerce, normalise, number_of

DEFAULT_SET = "miit_2024_manufacturing.json"
SCENARIO_GRADES = (0, 1, 2, 3, 4)
NO_LEVEL = 0  # 无等级: a firm that meets no level's rule
SEPARATORS = re.compile(r"[,，;；、/\s]+")
# a share typed as 70% arrives as 70 * 0.01 = 0.7000000000000001; bands compare with this slack
BAND_TOLERANCE = 1e-9

SINGLE, MULTIPLE = "single", "multiple"


class IndicatorSetError(ValueError):
    """The indicator-set file is malformed (the message says where)."""


@dataclass(frozen=True)
class Option:
    key: str  # the letter of the official form: A, B, …
    label_zh: str
    label_en: str
    points: float
    upto: float | None = None  # a numeric band's upper bound, inclusive (bands are open below)
    exclusive: bool = False  # "none" (无): never ticked together with another option
    aliases: tuple[str, ...] = ()  # other accepted spellings, e.g. "unchanged", "持平"


@dataclass(frozen=True)
class Item:
    """One scored question: a single choice (possibly numeric bands) or a multiple choice."""

    key: str
    name_zh: str
    name_en: str
    dimension: str
    group: str
    max: float
    type: str  # SINGLE or MULTIPLE
    source: str
    options: tuple[Option, ...]
    question_zh: str = ""
    question_en: str = ""

    @property
    def banded(self) -> bool:
        """Whether a number (a rate like 35 %) may be typed instead of an option."""
        return any(o.upto is not None for o in self.options)

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)

    def points(self, value: Any) -> float:
        """Points of a canonical answer (None: unanswered, 0 points)."""
        if value is None:
            return 0.0
        if self.type == SINGLE:
            option = self.option(value)
            return option.points if option else 0.0
        chosen = set(value)
        return float(min(self.max, sum(o.points for o in self.options if o.key in chosen)))

    def band(self, number: float) -> str:
        """The option whose band holds the fraction ``number`` (0.35 for 35 %)."""
        if not math.isfinite(number) or number < 0:
            raise CoerceError
        for option in self.options:
            if option.upto is not None and number <= option.upto + BAND_TOLERANCE:
                return option.key
        raise CoerceError

    def read(self, value: Any) -> Any:
        """A cell or JSON value as a canonical answer; BLANK when empty; CoerceError if bad."""
        if isinstance(value, (_dt.date, _dt.time, _dt.timedelta, bool)):
            raise CoerceError
        if value is None or (isinstance(value, str) and not value.strip()):
            return BLANK
        lookup = _option_lookup(self)
        if self.type == SINGLE:
            if isinstance(value, (list, tuple)):
                raise CoerceError
            found = lookup.get(normalise(_text(value)))
            if found is not None:
                return found
            if self.banded:
                number = number_of(value)
                if number > 1 and not (isinstance(value, str) and "%" in value):
                    number /= 100  # "45" in a rate column means 45 %, as on the official form
                return self.band(number)
            raise CoerceError
        if isinstance(value, (list, tuple)):
            parts = [_text(v) for v in value]
        else:
            text = _text(value).strip()
            parts = [p for p in SEPARATORS.split(text) if p]
            if len(parts) == 1 and normalise(text) not in lookup and all(
                    normalise(c) in lookup for c in text):
                parts = list(text)  # "BCD": letters typed without separators
        keys = set()
        for part in parts:
            found = lookup.get(normalise(part))
            if found is None:
                raise CoerceError
            keys.add(found)
        exclusive = {o.key for o in self.options if o.exclusive}
        if not keys or (len(keys) > 1 and keys & exclusive):
            raise CoerceError
        return tuple(o.key for o in self.options if o.key in keys)

    def valid(self, value: Any) -> bool:
        """Whether a canonical answer (as a model built in code may hold it) is allowed."""
        if self.type == SINGLE:
            return isinstance(value, str) and self.option(value) is not None
        if not isinstance(value, (list, tuple)) or not value:
            return False
        options = [self.option(v) if isinstance(v, str) else None for v in value]
        if any(o is None for o in options):
            return False
        return len(set(value)) == 1 or not any(o.exclusive for o in options if o)

    def expected(self, lang: str = "en") -> str:
        zh = lang == "zh_CN"
        keys = "、".join(o.key for o in self.options) if zh else ", ".join(
            o.key for o in self.options)
        if self.type == SINGLE:
            text = ("以下选项之一：" + keys) if zh else "one of the options " + keys
            if self.banded:
                text += "，或比例（如 35%）" if zh else ", or a rate like 35%"
            return text
        none = next((o.key for o in self.options if o.exclusive), None)
        if zh:
            return ("以下选项，用逗号或顿号分隔：" + keys
                    + (f"（{none} 即“无”，不与其他选项同选）" if none else ""))
        return ("options from " + keys + ", separated by commas"
                + (f" ({none}, none, stands alone)" if none else ""))

    def display(self, value: Any, lang: str) -> str:
        """A canonical answer as written in a workbook cell: its letters."""
        if self.type == SINGLE:
            return str(value)
        return ("、" if lang == "zh_CN" else ", ").join(value)

    def label(self, lang: str) -> str:
        return self.name_zh if lang == "zh_CN" else self.name_en


def number_text(value: Any) -> str:
    return _text(value)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@functools.lru_cache(maxsize=64)
def _option_lookup(item: Item) -> dict[str, str]:
    """Normalised spelling (letter, either label, alias) -> option key."""
    table: dict[str, str] = {}
    for option in item.options:
        for spelling in (option.label_zh, option.label_en, *option.aliases):
            table.setdefault(normalise(spelling), option.key)
    for option in item.options:  # a letter always means its own option
        table[normalise(option.key)] = option.key
    return table


@dataclass(frozen=True)
class Group:
    """A group of items inside a dimension (设备系统, 规划管理 …) with its maximum."""

    key: str
    dimension: str
    name_zh: str
    name_en: str
    max: float


@dataclass(frozen=True)
class Dimension:
    key: str
    name_zh: str
    name_en: str
    max: float
    source: str


@dataclass(frozen=True)
class ScenarioSpec:
    """One 数字化经营 business scenario, graded 0–4 by the texts of grades 1–4."""

    key: str
    name_zh: str
    name_en: str
    group: str
    constrained: bool  # 约束性场景
    grades: tuple[tuple[str, str], ...]  # (zh, en) text of grades 1–4
    source: str

    def grade_text(self, grade: int, lang: str) -> str:
        """What grade 1–4 means for this scenario ('' for 0)."""
        if not 1 <= grade <= len(self.grades):
            return ""
        zh, en = self.grades[grade - 1]
        return zh if lang == "zh_CN" else en

    def label(self, lang: str) -> str:
        return self.name_zh if lang == "zh_CN" else self.name_en


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
    groups: tuple[Group, ...]
    items: tuple[Item, ...]
    scenario_groups: tuple[Group, ...]  # max unused (scenarios carry no points)
    scenarios: tuple[ScenarioSpec, ...]
    grade_names: tuple[tuple[str, str], ...]  # (zh, en) short name of grades 0–4
    levels: tuple[LevelRule, ...]  # highest level first; none met = NO_LEVEL
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
        """The level 1–4 of the first rule met, top level first; NO_LEVEL (0) if none is."""
        return next((r.level for r in self.levels if self.meets(r, base, grades)), NO_LEVEL)

    def level_of(self, answers: Mapping[str, Any], grades: Mapping[str, int]) -> int:
        return self.level(self.base_score(answers), grades)

    def scenario_lookup(self) -> dict[str, str]:
        """Normalised spelling (key, Chinese or English name) -> scenario key."""
        return _scenario_lookup(self)

    def columns(self) -> list[tuple[str, str, str]]:
        """(key, Chinese name, English name) of every answer column: items, then scenarios."""
        return ([(i.key, i.name_zh, i.name_en) for i in self.items]
                + [(s.key, s.name_zh, s.name_en) for s in self.scenarios])


@functools.lru_cache(maxsize=8)
def _scenario_lookup(ind: IndicatorSet) -> dict[str, str]:
    return {normalise(spelling): s.key for s in ind.scenarios
            for spelling in (s.key, s.name_zh, s.name_en)}


def level_name(level: int, lang: str) -> str:
    """'level 2' / '二级', and 'no level' / '无等级' for NO_LEVEL."""
    if level == NO_LEVEL:
        return "无等级" if lang == "zh_CN" else "no level"
    return f"{'一二三四'[level - 1]}级" if lang == "zh_CN" else f"level {level}"


def maturity_of_level(level: int) -> int:
    """The Enterprises ``maturity`` an assessed level sets: no level counts as 1."""
    return max(1, level)


def read_grade(value: Any) -> Any:
    """A scenario cell as a grade 0–4 (range checked by validation); BLANK when empty."""
    if isinstance(value, str):
        value = value.strip().removesuffix("级")
    return coerce(_GRADE, value)


def valid_grade(value: Any) -> bool:
    return type(value) is int and value in SCENARIO_GRADES


_GRADE = FieldSpec("level", "等级", Kind.INT)
GRADE_EXPECTED = ("a whole number from 0 to 4", "0–4 的整数")


def _need(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise IndicatorSetError(f"{where}: '{key}' is missing")
    return data[key]


def _option(raw: Mapping[str, Any]) -> Option:
    upto = raw.get("upto")
    return Option(raw["key"], raw["label_zh"], raw["label_en"], float(raw["points"]),
                  None if upto is None else float(upto), bool(raw.get("exclusive", False)),
                  tuple(raw.get("aliases", ())))


def _item(raw: Mapping[str, Any], groups: Mapping[str, Group]) -> Item:
    key = _need(raw, "key", "item")
    kind = _need(raw, "type", key)
    if kind not in (SINGLE, MULTIPLE):
        raise IndicatorSetError(f"item {key}: unknown type {kind!r}")
    options = tuple(_option(o) for o in _need(raw, "options", key))
    if not options:
        raise IndicatorSetError(f"item {key}: a choice needs options")
    if len({o.key for o in options}) < len(options):
        raise IndicatorSetError(f"item {key}: two options share a key")
    bands = [o.upto for o in options if o.upto is not None]
    if bands and (len(bands) != len(options) or bands != sorted(bands)):
        raise IndicatorSetError(f"item {key}: bands must cover every option, lowest first")
    group = groups.get(_need(raw, "group", key))
    if group is None:
        raise IndicatorSetError(f"item {key}: unknown group {raw['group']!r}")
    return Item(key=key, name_zh=raw["name_zh"], name_en=raw["name_en"],
                dimension=group.dimension, group=group.key, max=float(raw["max"]), type=kind,
                source=_need(raw, "source", key), options=options,
                question_zh=raw.get("question_zh", ""), question_en=raw.get("question_en", ""))


def _group(raw: Mapping[str, Any], dimension: str = "") -> Group:
    return Group(raw["key"], raw.get("dimension", dimension), raw["name_zh"], raw["name_en"],
                 float(raw.get("max", 0)))


def parse_indicator_set(data: Any) -> IndicatorSet:
    """An indicator set from parsed JSON, checked for consistency."""
    if not isinstance(data, dict):
        raise IndicatorSetError("the indicator set must be a JSON object")
    try:
        dimensions = tuple(Dimension(d["key"], d["name_zh"], d["name_en"], float(d["max"]),
                                     d.get("source", "")) for d in _need(data, "dimensions", "set"))
        groups = tuple(_group(g) for g in _need(data, "groups", "set"))
        by_key = {g.key: g for g in groups}
        items = tuple(_item(raw, by_key) for raw in _need(data, "items", "set"))
        scenario_groups = tuple(_group(g) for g in _need(data, "scenario_groups", "set"))
        scenarios = tuple(
            ScenarioSpec(s["key"], s["name_zh"], s["name_en"], s["group"], bool(s["constrained"]),
                         tuple((g["zh"], g["en"]) for g in sorted(s["grades"],
                                                                  key=lambda g: g["grade"])),
                         s.get("source", ""))
            for s in _need(data, "scenarios", "set"))
        levels = tuple(sorted((LevelRule(int(r["level"]), float(r["min_base"]),
                                         int(r["scenario_level"]), int(r["min_scenarios"]),
                                         int(r["min_constrained"]))
                               for r in _need(data, "levels", "set")), key=lambda r: -r.level))
        names = {int(g["level"]): (g["zh"], g["en"]) for g in data.get("scenario_levels", ())}
    except (KeyError, TypeError, ValueError) as exc:
        raise IndicatorSetError(f"malformed indicator set: {exc!r}") from None
    known = {d.key for d in dimensions}
    for group in groups:
        if group.dimension not in known:
            raise IndicatorSetError(f"group {group.key}: unknown dimension {group.dimension}")
    scenario_group_keys = {g.key for g in scenario_groups}
    for scenario in scenarios:
        if scenario.group not in scenario_group_keys:
            raise IndicatorSetError(f"scenario {scenario.key}: unknown group {scenario.group}")
        if len(scenario.grades) != 4:
            raise IndicatorSetError(f"scenario {scenario.key}: needs the texts of grades 1–4")
    if any(not 1 <= r.level <= 4 for r in levels):
        raise IndicatorSetError("level rules are for levels 1–4")
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
        notes=data.get("notes", ""), dimensions=dimensions, groups=groups, items=items,
        scenario_groups=scenario_groups, scenarios=scenarios,
        grade_names=tuple(names.get(g, ("", "")) for g in SCENARIO_GRADES),
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


# --- the catalogue's ``raises`` field: which scenarios a project lifts, to what grade ----------

RAISES_EXPECTED = ("scenario:grade pairs separated by commas, e.g. production_control:2, quality:2",
                   "场景:等级，以逗号或顿号分隔，如 生产管控:2、质量管理:2")
_PAIR = re.compile(r"^(.+?)\s*[:：=]\s*(\d+)\s*级?$")


def read_raises(value: Any, indicators: IndicatorSet | None = None) -> tuple[tuple[str, int], ...]:
    """A ``raises`` cell or JSON value as ((scenario key, grade 1–4), …) in the set's order.

    Accepts text (``生产管控:2、quality：3``), a list of such texts or of [key, grade]
    pairs, or an object {key: grade}. Raises CoerceError for an unknown scenario, a
    grade outside 1–4 or a scenario named twice.
    """
    ind = indicators or default_indicator_set()
    if isinstance(value, Mapping):
        pairs: list[Any] = list(value.items())
    elif isinstance(value, (list, tuple)):
        pairs = list(value)
    elif isinstance(value, str):
        pairs = [p for p in re.split(r"[,，;；、\n]+", value) if p.strip()]
    else:
        raise CoerceError
    lookup = ind.scenario_lookup()
    grades: dict[str, int] = {}
    for pair in pairs:
        if isinstance(pair, str):
            match = _PAIR.match(pair.strip())
            if not match:
                raise CoerceError
            name, grade_text = match.groups()
            grade: Any = int(grade_text)
        elif isinstance(pair, (list, tuple)) and len(pair) == 2:
            name, grade = pair
        else:
            raise CoerceError
        key = lookup.get(normalise(str(name)))
        if key is None or type(grade) is not int or not 1 <= grade <= 4 or key in grades:
            raise CoerceError
        grades[key] = grade
    return tuple((s.key, grades[s.key]) for s in ind.scenarios if s.key in grades)


def valid_raises(value: Any) -> bool:
    try:
        return isinstance(value, tuple) and read_raises(value) == value
    except CoerceError:
        return False


def raises_text(value: tuple[tuple[str, int], ...], lang: str) -> str:
    """``raises`` as a cell: keys in English, Chinese names in Chinese."""
    ind = default_indicator_set()
    if lang == "zh_CN":
        return "、".join(f"{ind.scenario(k).name_zh if ind.scenario(k) else k}:{g}"  # type: ignore[union-attr]
                        for k, g in value)
    return ", ".join(f"{k}:{g}" for k, g in value)
