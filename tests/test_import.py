"""Reading workbooks people filled in: tolerance (docs/file-format.md, "On import") and a message
for every bad cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.files import load_model
from models.problems import ImportFailed

ENTERPRISE_HEADER = ["id", "name", "role", "size", "revenue", "maturity", "platform_connected"]


def _book(enterprises, links=None, extra_sheets=None):
    sheets = {"Enterprises": enterprises,
              "Links": links or [["supplier", "buyer"]]}
    sheets.update(extra_sheets or {})
    return sheets


def _failure(write_sheets, sheets) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        load_model(write_sheets(sheets))
    return [p.text() for p in caught.value.problems if p.is_error]


def test_tolerant_reading_of_headers_values_and_numbers(write_sheets):
    path = write_sheets(_book(
        [[" ID ", "Name", "ROLE", "Size", "Revenue", "Maturity", "Platform-Connected", "Notes"],
         ["C", "Core", "Core", "LARGE", "1,234,567.5", 3.0, "是", "key account"],
         [None, None, None, None, None, None, None, None],  # blank rows are skipped
         ["S1", "Supplier", "供应商", "小型", "12%", "2", "TRUE", None],
         ["S2", "Micro", "supplier", "micro", 100, 1, 0, None]],
        [["Buyer", "supplier", "annual_value"], ["C", "S1", "2,000"], ["S1", "S2", 10]]))
    loaded = load_model(path)
    c, s1, s2 = loaded.model.enterprises
    assert (c.role, c.size, c.revenue, c.maturity, c.platform_connected) == (
        "core", "large", 1234567.5, 3, True)
    assert (s1.role, s1.size, s1.revenue, s1.maturity, s1.platform_connected) == (
        "supplier", "small", 0.12, 2, True)
    assert s2.platform_connected is False
    assert c.extra == {"Notes": "key account"}
    assert [(lk.supplier, lk.buyer, lk.annual_value) for lk in loaded.model.links] == [
        ("S1", "C", 2000.0), ("S2", "S1", 10.0)]
    assert any("Notes" in p.text() and "ignored" in p.text() for p in loaded.problems)


def test_chinese_sheet_names_headers_and_values(write_sheets):
    path = write_sheets({
        "企业": [["编号", "名称", "角色", "规模", "所有制", "已接入平台"],
                 ["C", "申翼总装", "核心企业", "大型", "国有", "否"],
                 ["S1", "精密机加", "供应商", "微型", "民营", "是"]],
        "供应关系": [["供应方", "采购方", "年交易额", "重要程度"], ["S1", "C", "300", "高"]],
        "项目": [["编号", "名称", "类别", "投资", "适用规模", "接入平台"],
                 ["P1", "上云", "管理", "10", "小型、微型", "是"]],
        "情景": [["名称", "起始年", "年限", "补贴上限", "小型补贴"],
                 ["基准", "2026", "5", "", "30%"]],
        "项目分配": [["情景", "企业", "项目", "开始年", "核心企业分担"],
                     ["基准", "S1", "P1", 2026, "50%"]],
        "设置": [["键", "值"], ["currency", "CNY"], ["小型系数", "1.5"]],
    })
    model = load_model(path).model
    assert model.enterprises[1].ownership == "private"
    assert model.links[0].criticality == "high"
    assert model.projects[0].eligible_sizes == ("small", "micro")
    assert model.scenarios[0].subsidy_small == pytest.approx(0.3)
    assert model.scenarios[0].subsidy_cap is None
    assert model.assignments[0].core_share == 0.5
    assert model.settings.size_factor_small == 1.5


def test_every_bad_cell_is_reported_with_sheet_row_column_value_and_expectation(write_sheets):
    messages = _failure(write_sheets, _book(
        [ENTERPRISE_HEADER,
         ["C", "Core", "core", "huge", 10, 1, "no"],
         ["S1", "Supplier", "supplier", "small", "lots", 2.5, "maybe"]]))
    assert len(messages) == 4
    assert messages[0] == ("error: Enterprises, row 2 (C), column 'size': value 'huge': "
                           "expected one of large, medium, small, micro")
    assert any("row 3" in m and "'revenue'" in m and "'lots'" in m and "a number" in m
               for m in messages)
    assert any("row 3" in m and "'maturity'" in m and "whole number" in m for m in messages)
    assert any("row 3" in m and "'platform_connected'" in m and "yes or no" in m
               for m in messages)


def test_rule_breaks_name_the_workbook_row(write_sheets):
    messages = _failure(write_sheets, _book(
        [ENTERPRISE_HEADER,
         ["C", "Core", "core", "large", 10, 1, "no"],
         [None] * 7,
         ["S1", "Supplier", "supplier", "small", -5, 7, "no"],
         ["S1", "Again", "core", "small", 1, 1, "no"]],
        [["supplier", "buyer"], ["S1", "C"], ["GHOST", "C"], ["C", "C"]]))
    joined = "\n".join(messages)
    assert "Enterprises, row 4 (S1), column 'revenue': value -5: expected a number ≥ 0" in joined
    assert "row 4 (S1), column 'maturity': value 7: expected a whole number from 1 to 4" in joined
    assert "row 5 (S1), column 'id'" in joined and "duplicate" in joined
    assert "row 5 (S1), column 'role'" in joined and "second core" in joined
    assert "Links, row 3 (GHOST → C), column 'supplier': value 'GHOST': no such enterprise" \
        in joined
    assert "Links, row 4 (C → C), column 'buyer'" in joined


def test_missing_required_column_is_reported_once_not_per_row(write_sheets):
    messages = _failure(write_sheets, _book([["id", "name", "size"], ["C", "Core", "large"],
                                             ["S", "Sup", "small"]]))
    assert messages == ["error: Enterprises, row 1, column 'role': required column missing "
                        "(header 'role' or '角色')"]


def test_required_value_left_empty(write_sheets):
    messages = _failure(write_sheets, _book([ENTERPRISE_HEADER,
                                             ["C", "Core", "core", None, 1, 1, "no"]]))
    assert len(messages) == 1 and "row 2" in messages[0] and "'size'" in messages[0]


def test_newer_file_format_is_refused_with_a_clear_message(write_sheets):
    messages = _failure(write_sheets, _book(
        [ENTERPRISE_HEADER, ["C", "Core", "core", "large", 1, 1, "no"]],
        extra_sheets={"Settings": [["key", "value"], ["schema_version", 3]]}))
    assert any("format version 3" in m and "update" in m for m in messages)


def test_messages_are_available_in_chinese(write_sheets):
    with pytest.raises(ImportFailed) as caught:
        load_model(write_sheets(_book([ENTERPRISE_HEADER,
                                       ["C", "Core", "core", "巨型", 1, 1, "no"]])))
    text = caught.value.problems[0].text("zh_CN")
    assert text == "错误：Enterprises，第 2 行（C），列“size”：值“巨型”：应为以下之一：大型、中型、小型、微型"


def test_result_sheets_and_instructions_are_ignored(write_sheets, chain, tmp_path):
    from models.workbook import ExtraSheet, save_workbook

    path = tmp_path / "with_results.xlsx"
    save_workbook(chain, path, extra_sheets=[ExtraSheet("Results Base by year", ["year"], [[1]])])
    loaded = load_model(path)
    assert loaded.model == chain
    assert loaded.problems == []


# --- the native JSON file: every value either kept exactly or refused with its place ----------

def _json_file(tmp_path, edit) -> Path:
    """The small chain as a JSON file, its parsed object changed by ``edit`` first."""
    import json

    from conftest import small_chain

    from models.jsonio import to_dict

    data = to_dict(small_chain())
    edit(data)
    path = tmp_path / "chain.json"
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    return path


def _json_refusal(path) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        load_model(path)
    texts = [p.text() for p in caught.value.problems]
    for problem in caught.value.problems:  # printable, in both languages
        problem.text("zh_CN").encode("utf-8")
        problem.text().encode("utf-8")
    return texts


def _set(table, row, field, value):
    def edit(data):
        data[table][row][field] = value
    return edit


def _raw(path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("digits", [401, 4301])
def test_json_integer_too_long_for_a_number_is_refused_with_its_place(tmp_path, digits):
    path = _json_file(tmp_path, _set("enterprises", 1, "employees", 12345))
    _raw(path, '"employees": 12345', '"employees": ' + "9" * digits)
    messages = _json_refusal(path)
    assert any("enterprises" in m and "row 2" in m and "'employees'" in m for m in messages), \
        messages


@pytest.mark.parametrize("digits", [20, 401])
def test_json_integer_too_long_to_keep_exactly_in_an_extra_column_is_refused(tmp_path, digits):
    path = _json_file(tmp_path, _set("enterprises", 1, "extra", {"Staff id": 0}))
    _raw(path, '"Staff id": 0', '"Staff id": ' + "9" * digits)
    messages = _json_refusal(path)
    assert any("row 2" in m and "'Staff id'" in m for m in messages), messages


@pytest.mark.parametrize("where", ["name", "extra value", "extra name", "model_name"])
def test_json_lone_surrogate_is_refused_with_its_place_and_printable(tmp_path, capsys, where):
    import sys

    edits = {"name": _set("enterprises", 2, "name", "Tier-2 \ud800 Machining"),
             "extra value": _set("enterprises", 2, "extra", {"Contact": "x\udfffy"}),
             "extra name": _set("enterprises", 2, "extra", {"Con\ud800tact": "Li"}),
             "model_name": lambda d: d["settings"].__setitem__("model_name", "\ud83d chain")}
    messages = _json_refusal(_json_file(tmp_path, edits[where]))
    assert any(("row 3" in m or "settings" in m) and "surrogate" in m for m in messages), \
        messages
    print("\n".join(messages), file=sys.stderr)  # what the command line does with them
    assert "surrogate" in capsys.readouterr().err


@pytest.mark.parametrize("value", [{"a": 1}, [1, 2], {"nested": {"deeper": []}}],
                         ids=["object", "list", "deep"])
def test_json_extra_value_that_is_not_a_cell_value_is_refused(tmp_path, value):
    messages = _json_refusal(_json_file(tmp_path, _set("links", 0, "extra", {"Notes": value})))
    assert any("links" in m and "row 1" in m and "'Notes'" in m for m in messages), messages


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_json_extra_value_that_is_not_a_finite_number_is_refused(tmp_path, token):
    path = _json_file(tmp_path, _set("projects", 0, "extra", {"Weight": 0}))
    _raw(path, '"Weight": 0', '"Weight": ' + token)
    messages = _json_refusal(path)
    assert any("projects" in m and "row 1" in m and "'Weight'" in m for m in messages), messages


@pytest.mark.parametrize("name", ["name", "Name ", "名称", "revenue", "Platform-Connected"])
def test_json_extra_column_named_like_a_column_of_the_format_is_refused(tmp_path, name):
    messages = _json_refusal(_json_file(tmp_path, _set("enterprises", 1, "extra", {name: "x"})))
    assert any("row 2" in m and "format" in m for m in messages), messages


@pytest.mark.parametrize("name", ["", "   ", "\x0b"])
def test_json_extra_column_without_a_name_is_refused(tmp_path, name):
    messages = _json_refusal(_json_file(tmp_path, _set("enterprises", 1, "extra", {name: "x"})))
    assert any("row 2" in m and "name" in m for m in messages), messages


@pytest.mark.parametrize("key", ["model_name", "schema_version", "Model Name", "格式版本"])
def test_json_extra_setting_named_like_a_setting_is_refused(tmp_path, key):
    messages = _json_refusal(_json_file(
        tmp_path, lambda d: d.__setitem__("settings_extra", {key: "other"})))
    assert any("settings" in m and "setting" in m for m in messages), messages


def test_json_unknown_field_is_refused_not_dropped(tmp_path):
    messages = _json_refusal(_json_file(tmp_path, _set("enterprises", 1, "nmae", "typo")))
    assert any("row 2" in m and "'nmae'" in m for m in messages), messages


def test_json_extra_that_is_not_an_object_is_refused(tmp_path):
    messages = _json_refusal(_json_file(tmp_path, _set("enterprises", 1, "extra", ["a"])))
    assert any("row 2" in m and "'extra'" in m for m in messages), messages


# --- the column reader reads as the row reader does -----------------------------------------

def _cells():
    """Values a workbook cell may hold, weighted towards the spellings of the format."""
    import datetime as dt

    from hypothesis import strategies as st

    from models.chain import TABLES
    from models.schema import Kind

    words = sorted({str(w) for t in TABLES for s in t.fields if s.kind in (Kind.ENUM, Kind.CHOICES)
                    for k, v in (s.choices or {}).items() for w in (k, v)})
    words += ["yes", "no", "是", "否", "TRUE", "1", "0", "12%", "1,000", "2026", "3.5", "-1",
              "small, medium", "小型、中型", "production_control:2", "nan", "inf", "S00001"]
    text = st.one_of(st.sampled_from(words), st.sampled_from(["", " ", "  x", "y ", "\t"]),
                     st.text(max_size=6))
    number = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                       st.integers(-3, 2030).map(float), st.sampled_from([0.5, -0.0, 2.0**62,
                                                                          2.0**64, 1e300]))
    other = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                      st.just(dt.date(2026, 3, 31)), st.just(dt.datetime(2026, 3, 31, 8, 0)))
    return st.one_of(st.lists(number, min_size=1, max_size=8),  # a column of one kind...
                     st.lists(text, min_size=1, max_size=8),
                     st.lists(st.one_of(number, text, other), min_size=1, max_size=8))  # ...or not


def _fields():
    from models.chain import TABLES

    return [(t, s) for t in TABLES for s in t.fields]


@pytest.mark.parametrize(("table", "spec"), _fields(), ids=lambda v: getattr(v, "name", None)
                         or getattr(v, "attr", ""))
def test_a_column_is_read_exactly_as_each_of_its_cells(table, spec):
    from hypothesis import given, settings

    from models.records import REFUSED, _readers, read_column
    from models.schema import BLANK, CoerceError, column_ok

    read = next(r for f, r in _readers(table) if f.name == spec.name)

    def one(value):
        try:
            return read(value)
        except CoerceError:
            return REFUSED

    @settings(max_examples=60, deadline=None)
    @given(_cells())
    def check(values):
        got, marked, clean = read_column(table, spec, values)
        want = [one(v) for v in values]
        assert len(got) == len(want)
        assert marked or not any(w is BLANK or w is REFUSED for w in want)
        if clean:  # what validation then takes as passing its column test
            assert column_ok(spec, want)
        for g, w in zip(got, want, strict=True):
            if w is BLANK or w is REFUSED:
                assert g is w
            else:
                assert type(g) is type(w) and g == w

    check()


def test_columns_and_rows_read_a_sheet_alike(write_sheets):
    """The column reader against the row reader on hostile sheets: the same rows read, the
    same problems and notices in the same order (blank rows, unknown columns, a column
    without a header, bad cells, values of every kind)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from models.chain import TABLE_BY_ATTR
    from models.records import build_row
    from models.workbook import _read_table

    table = TABLE_BY_ATTR["enterprises"]
    header = ["id", "名称", "role", "size", "revenue", "maturity", "平台", "platform_connected",
              "x", "", "Notes"]
    cell = st.one_of(st.sampled_from(["S1", "S1", " S2", "core", "supplier", "供应商", "small",
                                      "微型", "yes", "否", "", " ", "3", "12%", "bad"]),
                     st.floats(allow_nan=True, allow_infinity=True), st.none(),
                     st.sampled_from([1.0, 4.0, 2.5, -1.0]))
    rows = st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=12)

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows)
    def check(body):
        sheet = [header, *body]
        by_columns, by_rows = ([], [], []), ([], [], [])
        taken: dict = {}
        numbers = _read_table(table, "Enterprises", sheet, *by_columns, taken)
        from models import workbook

        aliases = {key: (field, table.field(field).zh)
                   for key, field in workbook._header_aliases(table).items()}
        row_numbers = workbook._read_rows(("Enterprises", "Enterprises"), sheet, aliases,
                                          tuple(s for s in table.fields if s.required),
                                          lambda *args: build_row(table, *args), *by_rows)
        assert by_columns[1:] == by_rows[1:]  # problems, notices
        if not by_rows[1]:
            assert numbers == row_numbers and by_columns[0] == by_rows[0]
            # the columns handed on to validation are the rows' values, each the same object
            for (attr, name), values in taken.items():
                assert attr == "enterprises"
                held = [getattr(row, name) for row in by_columns[0]]
                assert len(values) == len(held)
                assert all(a is b for a, b in zip(values, held, strict=True))

    check()
