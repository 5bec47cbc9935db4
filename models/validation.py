"""Validation of a chain model (its errors and warnings) and the derived position and tier."""

from __future__ import annotations

import itertools
import math
import operator
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from models.assessments import assessment_errors, maturity_warnings
from models.background import give_way
from models.chain import SETTINGS_FIELDS, TABLE_BY_ATTR, TABLES, ChainModel, TableSpec
from models.problems import ERROR, WARNING, Problem
from models.records import Columns
from models.schema import SIZES, FieldSpec, column_ok, value_check

DETACHED = "detached"


@dataclass(frozen=True)
class Place:
    position: str  # core / upstream / downstream / detached
    tier: int | None


def places(model: ChainModel, columns: Columns | None = None) -> dict[str, Place]:
    """Position and tier of every enterprise, from shortest paths to and from the core
    (``columns``: the model's, when validation has taken them)."""
    core = model.core()
    ids = list(map(operator.attrgetter("id"), model.enterprises))
    if core is None:
        return dict.fromkeys(ids, _place(DETACHED, None))
    import numpy as np

    down, up = core_distances(model, core.id, columns)
    give_way()
    # upstream when only the way to the core exists or it is no shorter than the way from it
    upstream = (up >= 0) & ((down < 0) | (up <= down))
    tier = np.where(upstream, up, down)
    tier[(up < 0) & (down < 0)] = -1  # detached
    tier[list(itertools.compress(range(len(ids)), map(core.id.__eq__, ids)))] = -2  # the core
    codes = tier * 2 + upstream
    distinct, first = np.unique(codes, return_index=True)
    kinds = {}
    for code, at in zip(distinct.tolist(), first.tolist(), strict=True):
        level = int(tier[at])
        kinds[code] = (_place("core", 0) if level == -2 else _place(DETACHED, None)
                       if level == -1 else
                       _place("upstream" if upstream[at] else "downstream", level))
    return dict(zip(ids, map(kinds.__getitem__, codes.tolist()), strict=True))


# each kind of place made once (a place is immutable), in every analysis: not 100,000
# objects, and the places of two analyses compare by identity (in C) where they agree
_PLACES: dict[tuple[str, int | None], Place] = {}


def _place(position: str, tier: int | None) -> Place:
    return _PLACES.setdefault((position, tier), Place(position, tier))


def core_distances(model: ChainModel, core: str, columns: Columns | None = None
                   ) -> tuple[Any, Any]:
    """Links from the core to each enterprise, and from each to the core (-1: no path).

    A breadth-first search a tier at a time in NumPy (``_distances``); scipy's compiled
    graph routines (several times quicker than networkx, but a second to import) only for
    a chain deeper than ``_TIERS`` links.
    """
    import numpy as np

    columns = columns if columns is not None else Columns(model)
    key = ("distances", core)
    if key in columns.memo:  # validation's warnings and the places ask alike
        found: tuple[Any, Any] = columns.memo[key]
        return found
    index, ends = _link_ends(model, columns)
    n = len(model.enterprises)
    known = (ends[0] >= 0) & (ends[1] >= 0)  # the links with both ends
    rows, cols = ends[0][known], ends[1][known]
    down = _distances(rows, cols, n, index[core])
    up = _distances(cols, rows, n, index[core])
    if down is not None and up is not None:
        columns.memo[key] = down, up
        return down, up
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import shortest_path

    graph = csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    distances = shortest_path(graph, directed=True, unweighted=True, indices=index[core])
    back = shortest_path(graph.T, directed=True, unweighted=True, indices=index[core])
    down, up = (np.where(np.isinf(d), -1, d).astype(np.int64) for d in (distances, back))
    columns.memo[key] = down, up
    return down, up


# the plan and link columns that name a row of another table (by its key)
_TARGETS = {("links", "supplier"): "enterprises", ("links", "buyer"): "enterprises",
            ("assignments", "scenario"): "scenarios",
            ("assignments", "enterprise"): "enterprises", ("assignments", "project"): "projects"}


def _positions(columns: Columns, attr: str) -> dict[Any, int]:
    """Each key of a table (enterprise ids, scenario names …) -> its row, the last row of
    a key that repeats; taken once per ``columns``."""
    key = ("positions", attr)
    if key not in columns.memo:
        table = TABLE_BY_ATTR[attr]
        keys = columns(table, table.key[0])
        columns.memo[key] = dict(zip(keys, range(len(keys)), strict=True))
    found: dict[Any, int] = columns.memo[key]
    return found


def _codes(columns: Columns, table: TableSpec, name: str) -> Any:
    """The row each value of a referring column names in its table (-1: none), as a NumPy
    array taken once per ``columns``; TypeError for an unhashable value."""
    key = ("codes", table.attr, name)
    if key not in columns.memo:
        import numpy as np

        give_way()
        index = _positions(columns, _TARGETS[table.attr, name])
        values = columns(table, name)
        columns.memo[key] = np.fromiter(map(index.get, values, itertools.repeat(-1)),
                                        np.int64, len(values))
    return columns.memo[key]


def _link_ends(model: ChainModel, columns: Columns) -> tuple[dict[str, int], list[Any]]:
    """Each enterprise's position by id, and the positions of each link's supplier and buyer
    (-1: not an enterprise), taken once per ``columns`` (validation asks twice)."""
    link_t = TABLE_BY_ATTR["links"]
    return (_positions(columns, "enterprises"),
            [_codes(columns, link_t, end) for end in ("supplier", "buyer")])


def _named_unknown(columns: Columns, table: TableSpec, names: tuple[str, ...]) -> bool:
    """Whether some value (not blank) of the columns ``names`` names no row of its table."""
    import numpy as np

    try:
        codes = [_codes(columns, table, name) for name in names]
    except TypeError:  # an unhashable value: let the row-by-row check name it
        return True
    return any(any(map(columns(table, name).__getitem__, np.flatnonzero(code < 0).tolist()))
               for name, code in zip(names, codes, strict=True))


def _all_different(columns: Columns, table: TableSpec) -> bool:
    """Whether no two rows of a table keyed by references have the same key, by the rows
    each key names (False also when that cannot be told so: then row by row)."""
    import numpy as np

    if not all((table.attr, k) in _TARGETS for k in table.key):
        return False
    try:
        codes = [_codes(columns, table, k) for k in table.key]
    except TypeError:
        return False
    sizes = [len(columns(TABLE_BY_ATTR[t], TABLE_BY_ATTR[t].key[0]))
             for t in (_TARGETS[table.attr, k] for k in table.key)]
    if any((code < 0).any() for code in codes) or math.prod(sizes) >= 2**62:
        return False
    combined = np.zeros(len(codes[0]), np.int64)
    for code, size in zip(codes, sizes, strict=True):
        combined = combined * size + code
    combined.sort()  # (np.unique hashes: 70 times slower on 300,000 keys, NumPy 2.4)
    return bool((combined[1:] != combined[:-1]).all())


_TIERS = 200  # a chain deeper than this is searched by scipy (a Python step per tier here)


def _distances(sources: Any, targets: Any, n: int, start: int) -> Any:
    """Links from ``start`` to each of ``n`` nodes along (source, target) pairs, -1 where
    there is no path; None for a graph deeper than ``_TIERS``."""
    import numpy as np

    order = np.argsort(sources, kind="stable")
    after = targets[order]  # each node's targets, together
    bounds = np.searchsorted(sources[order], np.arange(n + 1))
    distance = np.full(n, -1, np.int64)
    distance[start] = 0
    frontier = np.array([start])
    for tier in range(1, _TIERS + 2):
        first, counts = bounds[frontier], bounds[frontier + 1] - bounds[frontier]
        total = int(counts.sum())
        if not total:
            return distance
        if tier > _TIERS:
            return None
        # the positions first .. first + count - 1 of each node of the frontier
        steps = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        reached = after[np.repeat(first, counts) + steps]
        reached = reached[distance[reached] < 0]
        distance[reached] = tier
        frontier = np.flatnonzero(distance == tier)  # each node once (np.unique hashes: slow)
    return distance


def _problem(severity: str, table: TableSpec, index: int, row: Any, column: str,
             en: str, zh: str, value: Any = None, has_value: bool = False) -> Problem:
    return Problem(severity, (en, zh), (table.sheet, table.zh[0]), None, table.key_of(row),
                   column, value, has_value, index, table.field(column).zh)


def _expected(spec: FieldSpec) -> tuple[str, str]:
    return "expected " + spec.expected("en"), "应为" + spec.expected("zh_CN")


def _field_problems(table: TableSpec, rows: list[Any], columns: Columns) -> list[Problem]:
    found = []
    for spec in table.fields:
        name = spec.name
        values = columns(table, name)
        if (table.attr, name) in columns.clean or column_ok(spec, values):  # else one by one
            columns.clean.add((table.attr, name))
            continue
        check = value_check(spec)
        bad = [i for i, v in enumerate(values) if not check(v)]
        found += [_problem(ERROR, table, i, rows[i], name, *_expected(spec), value=values[i],
                           has_value=True) for i in bad]
    return found


def _duplicates(table: TableSpec, rows: list[Any], columns: Columns) -> list[Problem]:
    if len(table.key) > 1 and _all_different(columns, table):  # by the rows keys name
        return []
    if len(table.key) == 1:
        keys: list[Any] = columns(table, table.key[0])
    else:
        keys = list(zip(*(columns(table, k) for k in table.key), strict=True))
    if len(set(keys)) == len(keys):  # no two rows alike: nothing to name
        return []
    seen: set[tuple[Any, ...]] = set()
    found = []
    for index, row in enumerate(rows):
        key = tuple(getattr(row, k) for k in table.key)
        if key in seen:
            found.append(_problem(ERROR, table, index, row, table.key[-1],
                                  "duplicate: an earlier row has the same " + " + ".join(table.key),
                                  "重复：前面已有相同" + "、".join(
                                      table.field(k).zh for k in table.key) + "的行",
                                  value=table.key_of(row), has_value=True))
        seen.add(key)
    return found


def _missing(table: TableSpec, index: int, row: Any, column: str, target: str,
             value: str) -> Problem:
    other = TABLE_BY_ATTR[target]
    return _problem(ERROR, table, index, row, column,
                    f"no such {other.sheet[:-1].lower()} in {other.sheet}",
                    f"“{other.zh[0]}”表中没有此项", value=value, has_value=True)


def validate(model: ChainModel, where: dict[str, Place] | None = None,
             columns: Columns | None = None) -> list[Problem]:
    """Every error and warning of the model, errors first within each table.

    ``where`` is the model's ``places`` when the caller has them already; ``columns``
    keeps the columns taken (and found clean) for the export check of the same model.
    """
    columns = columns if columns is not None else Columns(model)
    problems: list[Problem] = []
    for spec in SETTINGS_FIELDS:
        value = getattr(model.settings, spec.name)
        if not value_check(spec)(value):
            problems.append(Problem(ERROR, _expected(spec), ("Settings", "设置"), None, spec.name,
                                    "value", value, True, column_zh="值"))
    for table in TABLES:
        rows = model.rows(table)
        problems += _field_problems(table, rows, columns)
        give_way()
        problems += _duplicates(table, rows, columns)
    give_way()
    problems += _reference_problems(model, columns)
    if model.assessments:
        problems += assessment_errors(model)
    if not any(p.is_error for p in problems):
        give_way()
        problems += assignment_warnings(model, where, columns=columns)
        if model.assessments:
            problems += maturity_warnings(model)
    return problems


def _unknown(values: list[Any], known: Any) -> bool:
    """Whether some non-blank value of a column is not among ``known`` (then the rows are
    looked at one by one, to name each)."""
    try:
        return any(set(values).difference(known))
    except TypeError:  # an unhashable value: let the row-by-row check name it
        return True


def _reference_problems(model: ChainModel, columns: Columns) -> list[Problem]:
    found = []
    ent_t, link_t, proj_t, asg_t = (TABLE_BY_ATTR[a] for a in
                                    ("enterprises", "links", "projects", "assignments"))
    roles = columns(ent_t, "role")
    cores = [(i, model.enterprises[i]) for i, r in enumerate(roles) if r == "core"]
    if not cores:
        found.append(Problem(ERROR, ("the model needs exactly one enterprise with role core",
                                     "模型必须恰好有一家角色为“核心企业”的企业"),
                             (ent_t.sheet, ent_t.zh[0]), column="role", column_zh="角色"))
    for index, e in cores[1:]:
        found.append(_problem(ERROR, ent_t, index, e, "role",
                              f"a second core enterprise (the first is {cores[0][1].id})",
                              f"第二家核心企业（第一家为 {cores[0][1].id}）"))
    ids = set(columns(ent_t, "id"))
    suppliers, buyers = columns(link_t, "supplier"), columns(link_t, "buyer")
    if _named_unknown(columns, link_t, ("supplier", "buyer")) or any(
            map(operator.eq, suppliers, buyers)):
        for index, link in enumerate(model.links):
            for column in ("supplier", "buyer"):
                value = getattr(link, column)
                if value and value not in ids:
                    found.append(_missing(link_t, index, link, column, "enterprises", value))
            if link.supplier and link.supplier == link.buyer:
                found.append(_problem(ERROR, link_t, index, link, "buyer",
                                      "a link needs two different enterprises",
                                      "供应方与采购方不能相同", value=link.buyer, has_value=True))
    project_ids = {p.id for p in model.projects}
    for index, project in enumerate(model.projects):
        if project.requires and project.requires not in project_ids:
            found.append(_missing(proj_t, index, project, "requires", "projects",
                                  project.requires))
        elif project.requires and project.requires == project.id:
            found.append(_problem(ERROR, proj_t, index, project, "requires",
                                  "a project cannot require itself", "项目不能以自身为前置项目",
                                  value=project.requires, has_value=True))
    scenario_names = {s.name for s in model.scenarios}
    scope = {p.id: p.scope for p in model.projects}
    projs = columns(asg_t, "project")
    park_projects = {p for p, s in scope.items() if s == "park"}
    if _named_unknown(columns, asg_t, ("scenario", "enterprise", "project")) \
            or not park_projects.isdisjoint(projs):
        checks = (("scenario", "scenarios", scenario_names), ("enterprise", "enterprises", ids),
                  ("project", "projects", project_ids))
        for index, a in enumerate(model.assignments):
            found += _placed(asg_t, index, a, checks, scope.get(a.project) == "park",
                             f"{a.project} is a park project: assign it to a park in "
                             "ParkAssignments",
                             f"{a.project} 是园区项目，请在“园区项目分配”表中分配给园区")
    return found + _park_problems(model, scenario_names, scope, columns)


def _placed(table: TableSpec, index: int, row: Any, checks: tuple[tuple[str, str, Any], ...],
            wrong_scope: bool, en: str, zh: str) -> list[Problem]:
    """A plan row's references that name nothing (column, table named, the ids it has),
    and its project when of the other scope (a park project on a firm, or the reverse)."""
    found = [_missing(table, index, row, column, target, getattr(row, column))
             for column, target, known in checks
             if getattr(row, column) and getattr(row, column) not in known]
    if wrong_scope:
        found.append(_problem(ERROR, table, index, row, "project", en, zh, value=row.project,
                              has_value=True))
    return found


def _park_problems(model: ChainModel, scenario_names: set[str], scope: dict[str, str],
                   columns: Columns) -> list[Problem]:
    """Parks named by enterprises must exist; park projects go to parks only."""
    found = []
    ent_t, pa_t = TABLE_BY_ATTR["enterprises"], TABLE_BY_ATTR["park_assignments"]
    parks = set(model.park_ids())
    if model.parks and _unknown(columns(ent_t, "park"), parks):
        for index, e in enumerate(model.enterprises):
            if e.park and e.park not in parks:
                found.append(_missing(ent_t, index, e, "park", "parks", e.park))
    checks = (("scenario", "scenarios", scenario_names), ("park", "parks", parks),
              ("project", "projects", scope))
    for index, b in enumerate(model.park_assignments):
        found += _placed(pa_t, index, b, checks, scope.get(b.project) == "enterprise",
                         f"{b.project} is an enterprise project: assign it to enterprises in "
                         "Assignments", f"{b.project} 是企业项目，请在“分配”表中分配给企业")
        shares = (b.government_share, b.core_share)
        total = sum(x for x in shares if type(x) in (int, float))
        if total > 1 + 1e-9:
            found.append(_problem(ERROR, pa_t, index, b, "core_share",
                                  f"government and core shares add up to {total:.0%}; "
                                  "they can be at most 100 %",
                                  f"政府与核心企业分担合计 {total:.0%}，不能超过 100%",
                                  value=b.core_share, has_value=True))
    return found


def _horizon_warning(table: TableSpec, index: int, row: Any, s: Any) -> list[Problem]:
    last = s.start_year + s.horizon - 1
    if s.start_year <= row.start_year <= last:
        return []
    return [_problem(WARNING, table, index, row, "start_year",
                     f"outside the scenario's horizon {s.start_year}–{last}",
                     f"不在情景年限 {s.start_year}–{last} 内", value=row.start_year,
                     has_value=True)]


def _linked(model: ChainModel, columns: Columns) -> set[str]:
    """The enterprises that are not detached (``places``, without building a place each)."""
    core = model.core()
    if core is None:
        return set()
    down, up = core_distances(model, core.id, columns)
    ids = columns(TABLE_BY_ATTR["enterprises"], "id")
    import numpy as np

    return {ids[i] for i in np.flatnonzero((down >= 0) | (up >= 0)).tolist()} | {core.id}


def _may_warn(scen: list[str], ents: list[str], projs: list[str], years: list[int],
              span: dict[str, tuple[int, int]], firm: dict[str, tuple[int, str, str]],
              need: dict[str, tuple[int, str, tuple[str, ...]]], linked: set[str],
              projects: dict[str, Any], park_live: dict[tuple[str, str], list[tuple[int, str, int]]],
              coded: list[Any] | None = None) -> list[int]:
    """The assignments that may warn, found a column at a time: outside the horizon, a firm
    below the project's level before any gain, a size not meant, a detached firm, or a
    prerequisite not live by the start year (on neither the firm nor its park).

    Scenarios, firms and projects become positions (one map over a dict each); what is
    known of each is then an array indexed by those positions, and the earliest live year
    of each (scenario, firm, project) a sorted array searched by NumPy. ``coded``: those
    positions already taken (``_codes``, when they are the positions in ``span``, ``firm``
    and ``need``).
    """
    import numpy as np

    count = len(years)
    if not count:
        return []
    s_names, e_names, p_names = list(span), list(firm), list(need)
    s_code, p_code = ({n: i for i, n in enumerate(names)} for names in (s_names, p_names))

    def codes(values: list[str], code: dict[str, int]) -> Any:
        return np.fromiter(map(code.__getitem__, values), np.int64, count)

    # (the firms' table of 100,000 positions only when the reader's codes are not at hand)
    s, e, p = coded if coded is not None else (
        codes(scen, s_code), codes(ents, dict(zip(e_names, range(len(e_names)), strict=True))),
        codes(projs, p_code))
    year = np.fromiter(years, np.int64, count)
    first = np.array([span[n][0] for n in s_names], np.int64)
    last = np.array([span[n][1] for n in s_names], np.int64)
    facts = list(firm.values())  # (level, size, park) of each firm, in e_names' order
    firm_sizes, firm_parks = (list(map(operator.itemgetter(i), facts)) for i in (1, 2))
    level = np.fromiter(map(operator.itemgetter(0), facts), np.int64, len(facts))
    lowest = np.array([need[n][0] for n in p_names], np.int64)
    maybe = (year < first[s]) | (year > last[s]) | (level[e] < lowest[p])
    size_code = {z: i for i, z in enumerate(dict.fromkeys(firm_sizes))}
    firm_size = np.fromiter(map(size_code.__getitem__, firm_sizes), np.int64, len(facts))
    unmeant = np.array([[bool(need[n][2]) and z not in need[n][2] for z in size_code]
                        for n in p_names], bool).reshape(len(p_names), len(size_code))
    maybe |= unmeant[p, firm_size[e]]
    maybe |= ~np.fromiter(map(linked.__contains__, e_names), bool, len(facts))[e]
    # the prerequisite of each project: its position, -1 one not in the catalogue, -2 none
    required = np.array([p_code.get(need[n][1], -1) if need[n][1] else -2 for n in p_names],
                        np.int64)
    if (required != -2).any():
        parks = {n: i for i, n in enumerate(dict.fromkeys(
            [*firm_parks, *(k for _, k in park_live)]))}
        n_s, n_e, n_p, n_k = len(s_names), len(e_names), len(p_names), len(parks)
        if max(n_e, n_k) * n_s * n_p >= 2**62:  # keys would not fit 64 bits: look at all
            return list(range(count))
        never = np.iinfo(np.int64).max
        duration = np.array([projects[n].duration for n in p_names], np.int64)
        req = required[p]
        has = req != -2

        def earliest(keys: Any, lives: Any, wanted: Any) -> Any:
            """The earliest of ``lives`` with each ``wanted`` key (``never`` if none)."""
            if not len(keys):
                return np.full(count, never)
            order = np.argsort(keys, kind="stable")
            keys, lives = keys[order], lives[order]
            starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            unique, least = keys[starts], np.minimum.reduceat(lives, starts)
            at = np.minimum(np.searchsorted(unique, wanted), len(unique) - 1)
            return np.where((unique[at] == wanted) & (req >= 0), least[at], never)

        by_firm = earliest((s * n_e + e) * n_p + p, year + duration[p],
                           (s * n_e + e) * n_p + np.maximum(req, 0))
        known = [(s_code[sc], parks[k], p_code[pid], live) for (sc, k), lives in park_live.items()
                 for live, pid, _ in lives if sc in s_code and pid in p_code]
        park_keys = np.array([(a * n_k + b) * n_p + c for a, b, c, _ in known], np.int64)
        park_lives = np.array([live for *_, live in known], np.int64)
        firm_park = np.fromiter(map(parks.__getitem__, firm_parks), np.int64, len(facts))
        by_park = earliest(park_keys, park_lives,
                           (s * n_k + firm_park[e]) * n_p + np.maximum(req, 0))
        maybe |= has & (np.minimum(by_firm, by_park) > year)
    flagged: list[int] = np.flatnonzero(maybe).tolist()
    return flagged


def assignment_warnings(model: ChainModel, where: dict[str, Place] | None = None,
                        *, every: bool = False, columns: Columns | None = None
                        ) -> list[Problem]:
    """The warnings about assignments; they never change the numbers.

    A pass over the columns finds the assignments that may warn (outside the horizon, on
    a firm below the project's level before its gains, a prerequisite not live by the
    start, a size not meant, a detached firm); the rules below are then applied to those
    alone, so every warning is worded in one place. ``every`` applies them to every
    assignment (what the quick pass must agree with: the tests compare both).
    """
    table = TABLE_BY_ATTR["assignments"]
    enterprises = model.enterprise_index()
    projects = model.project_index()
    scenarios = {s.name: s for s in model.scenarios}
    columns = columns if columns is not None else Columns(model)
    linked = (_linked(model, columns) if where is None else
              {k for k, place in where.items() if place.position != DETACHED})
    found = []
    park_table = TABLE_BY_ATTR["park_assignments"]
    # live years of each (scenario, park): a park's projects count for each member (a shared
    # platform meets `requires`)
    park_live: dict[tuple[str, str], list[tuple[int, str, int]]] = defaultdict(list)
    for index, b in enumerate(model.park_assignments):
        p = projects[b.project]
        park_live[b.scenario, b.park].append((b.start_year + p.duration, p.id, p.maturity_gain))
        found += _horizon_warning(park_table, index, b, scenarios[b.scenario])
    assignments = model.assignments
    columns = columns if columns is not None else Columns(model)
    scen, ents, projs, years = (columns(table, c)
                                for c in ("scenario", "enterprise", "project", "start_year"))
    span = {s.name: (s.start_year, s.start_year + s.horizon - 1) for s in scenarios.values()}
    # the level before any gain is a floor of the level (gains are not negative; if one
    # is, every assignment is looked at)
    floor = 0 if all(p.maturity_gain >= 0 for p in projects.values()) else -10**9
    firms = list(enterprises.values())
    levels = [(m if m < 4 else 4) + floor for m in map(operator.attrgetter("maturity"), firms)]
    sizes, parks = (map(operator.attrgetter(f), firms) for f in ("size", "park"))
    firm = dict(zip(map(operator.attrgetter("id"), firms), zip(levels, sizes, parks, strict=True),
                    strict=True))
    need = {p.id: (p.min_maturity, p.requires, p.eligible_sizes) for p in projects.values()}
    # a pass over the columns, in C (maps over dicts, NumPy): the assignments that may warn
    coded = None  # the rows each assignment names: their positions in span, firm and need
    if (len(span), len(firm), len(need)) == (len(model.scenarios), len(model.enterprises),
                                             len(model.projects)):  # no key repeats
        try:
            coded = [_codes(columns, table, c) for c in ("scenario", "enterprise", "project")]
        except TypeError:
            coded = None
        if coded is not None and any((c < 0).any() for c in coded):
            coded = None
    give_way()
    try:
        flagged = _may_warn(scen, ents, projs, years, span, firm, need, linked, projects,
                            park_live, coded)
    except OverflowError:  # a year beyond 64 bits: look at every assignment
        every = True
    if every:
        flagged = list(range(len(assignments)))
    if not flagged:
        return found
    give_way()
    # live years of each (scenario, enterprise) that may warn: project, live year, gains
    keys = {(scen[i], ents[i]) for i in flagged}
    live: dict[tuple[str, str], list[tuple[int, str, int]]] = defaultdict(list)
    for a in itertools.compress(assignments, map(keys.__contains__, zip(scen, ents, strict=True))):
        p = projects[a.project]
        live[a.scenario, a.enterprise].append((a.start_year + p.duration, p.id,
                                               p.maturity_gain))
    for count, index in enumerate(flagged, 1):
        if count % 5000 == 0:  # tens of thousands may warn: a few dozen ms each
            give_way()
        a = assignments[index]
        s, e, p = scenarios[a.scenario], enterprises[a.enterprise], projects[a.project]
        found += _horizon_warning(table, index, a, s)
        others = live[a.scenario, a.enterprise] + park_live.get((a.scenario, e.park), [])
        level = min(4, e.maturity + sum(g for year, _, g in others if year <= a.start_year))
        if level < p.min_maturity:
            found.append(_problem(WARNING, table, index, a, "project",
                                  f"{e.id} is at level {level} in {a.start_year}; "
                                  f"{p.id} needs level {p.min_maturity}",
                                  f"{e.id} 在 {a.start_year} 年为 {level} 级，"
                                  f"{p.id} 需要 {p.min_maturity} 级"))
        if p.requires and not any(pid == p.requires and year <= a.start_year
                                  for year, pid, _ in others):
            found.append(_problem(WARNING, table, index, a, "project",
                                  f"{p.id} requires {p.requires} live on {e.id} by {a.start_year}",
                                  f"{p.id} 要求 {e.id} 在 {a.start_year} 年前已上线 {p.requires}"))
        if p.eligible_sizes and e.size not in p.eligible_sizes:
            found.append(_problem(WARNING, table, index, a, "enterprise",
                                  f"{p.id} is not meant for {e.size} enterprises",
                                  f"{p.id} 不适用于{SIZES[e.size]}企业"))
        if e.id not in linked:
            found.append(_problem(WARNING, table, index, a, "enterprise",
                                  f"{e.id} is not linked to the core (detached)",
                                  f"{e.id} 与核心企业无供应链连接"))
    return found
