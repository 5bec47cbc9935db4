"""Workbook and JSON round trips lose nothing, in English and Chinese."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.chain import (
    AWARENESS,
    CATEGORIES,
    CRITICALITY,
    OWNERSHIPS,
    ROLES,
    SIZES,
    TABLES,
    Assignment,
    ChainModel,
    Enterprise,
    Link,
    ProjectType,
    Scenario,
)
from models.files import load_model, save_model
from models.jsonio import dumps, from_dict
from models.problems import ImportFailed
from models.schema import normalise
from models.workbook import workbook_bytes
from planner.generate import generate


def _reload(model: ChainModel, path: Path, lang: str = "en") -> ChainModel:
    save_model(model, path, lang)
    return load_model(path, allow_invalid=True).model


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_workbook_round_trip_is_identical(chain, tmp_path, lang):
    first = _reload(chain, tmp_path / "a.xlsx", lang)
    second = _reload(first, tmp_path / "b.xlsx", lang)
    assert first == chain
    assert second == chain


def test_english_and_chinese_workbooks_read_to_the_same_model(tmp_path):
    model = generate(60, seed=5)
    assert _reload(model, tmp_path / "en.xlsx", "en") == _reload(model, tmp_path / "zh.xlsx",
                                                                    "zh_CN") == model


def test_json_round_trip_and_conversion_both_ways(tmp_path):
    model = generate(40, seed=2)
    via_json = _reload(model, tmp_path / "m.json")
    via_both = _reload(_reload(via_json, tmp_path / "m.xlsx"), tmp_path / "m2.json")
    assert via_json == model
    assert via_both == model


def test_unknown_columns_are_kept_through_a_round_trip(chain, tmp_path):
    chain.enterprises[1].extra["Contact person"] = "Ms Wang"
    chain.enterprises[2].extra["Contact person"] = "Mr Li"
    reloaded = _reload(chain, tmp_path / "x.xlsx")
    assert reloaded.enterprises[1].extra == {"Contact person": "Ms Wang"}
    assert reloaded == _reload(reloaded, tmp_path / "x.json")


def test_formula_like_text_is_written_as_text(chain, tmp_path):
    from openpyxl import load_workbook

    chain.enterprises[1].name = "=HYPERLINK(\"http://evil\")"
    chain.links[0].product = "+86 21 5555"
    path = tmp_path / "f.xlsx"
    save_model(chain, path)
    sheet = load_workbook(path)["Enterprises"]
    assert sheet["B3"].value == chain.enterprises[1].name
    assert sheet["B3"].data_type == "s"
    assert load_model(path).model == chain


# --- export writes only what reads back the same, or refuses naming the row and field ------

ERROR_CODES = ("#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!",
               "#GETTING_DATA", "#SPILL!", "#CALC!")
TRICKY_TEXT = ("a\x01b", "tab\tand\nline", "cr\rlf\r\n", "\x0bvertical", "_x0041_",
               "_x005F_x0041_", "x_x000D_y", "\ufffe", "nul\x00", "=1+1", "  spaced  ")


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_text_equal_to_an_excel_error_code_stays_text(chain, tmp_path, lang):
    from openpyxl import load_workbook

    for enterprise, code in zip(chain.enterprises, ERROR_CODES, strict=False):
        enterprise.name = code
        enterprise.extra["Status"] = code
    chain.projects[0].source = ERROR_CODES[-1]
    chain.settings.model_name = "#N/A"
    chain.settings.extra["Checked"] = "#REF!"
    path = tmp_path / "codes.xlsx"
    save_model(chain, path, lang)
    book = load_workbook(path)
    assert not [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row
                if c.data_type == "e"]
    assert load_model(path).model == chain


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_control_characters_and_escape_like_text_round_trip_through_the_workbook(
        chain, tmp_path, lang):
    for enterprise, text in zip(chain.enterprises, TRICKY_TEXT, strict=False):
        enterprise.name = "n" + text
        enterprise.extra["Note" + text.strip()] = text
    chain.links[0].product = "".join(TRICKY_TEXT)
    chain.scenarios[0].description = TRICKY_TEXT[2]
    chain.settings.model_name = TRICKY_TEXT[0]
    chain.settings.extra["Owner\x1f x"] = TRICKY_TEXT[4]
    assert _reload(chain, tmp_path / "tricky.xlsx", lang) == chain
    assert _reload(chain, tmp_path / "tricky.json") == chain


def export_refusal(model: ChainModel, path: Path) -> str:
    """Saving must fail before writing anything; the messages, one per line."""
    from models.problems import ImportFailed

    with pytest.raises(ImportFailed) as caught:
        save_model(model, path)
    assert not path.exists()
    assert list(path.parent.iterdir()) == []
    return "\n".join(p.text() for p in caught.value.problems)


def test_export_refuses_text_longer_than_a_workbook_cell_naming_row_and_field(chain, tmp_path):
    chain.enterprises[2].extra["Story"] = "x" * 40_000
    chain.projects[1].source = "y" * 32_767  # exactly as long as a cell holds
    (tmp_path / "out").mkdir()
    message = export_refusal(chain, tmp_path / "out" / "long.xlsx")
    assert "Enterprises, row 4 (S2)" in message and "'Story'" in message and "32,767" in message
    assert "Projects" not in message
    save_model(chain, tmp_path / "long.json")  # the native file holds it; reading it says why
    with pytest.raises(ImportFailed) as caught:
        load_model(tmp_path / "long.json")
    assert any("row 3" in p.text() and "'Story'" in p.text() for p in caught.value.problems)
    assert load_model(tmp_path / "long.json", allow_invalid=True).model == chain


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
@pytest.mark.parametrize(("case", "words"), [
    ("extra column named like a column", ("Enterprises, row", "(S1)", "'Name'", "format")),
    ("extra setting named like a setting", ("Settings", "'model_name'", "setting")),
    ("blank extra column name", ("Links, row", "(S1 → C)", "name")),
    ("not a number in an extra column", ("Projects, row", "(ERP)", "'Weight'", "finite")),
    ("not a number in a field", ("Scenarios, row", "(Base)", "'discount_rate'")),
    ("a list in an extra column", ("Enterprises, row", "(S2)", "'Tags'", "text, a number")),
    ("lone surrogate", ("Enterprises, row", "(C)", "'name'", "surrogate")),
])
def test_export_refuses_what_would_not_read_back_naming_row_and_field(
        chain, tmp_path, suffix, case, words):
    edit = {
        "extra column named like a column": lambda m: m.enterprises[1].extra.update(Name="x"),
        "extra setting named like a setting": lambda m: m.settings.extra.update(model_name="y"),
        "blank extra column name": lambda m: m.links[0].extra.update({" ": "z"}),
        "not a number in an extra column":
            lambda m: m.projects[0].extra.update(Weight=float("nan")),
        "not a number in a field":
            lambda m: setattr(m.scenarios[0], "discount_rate", float("inf")),
        "a list in an extra column": lambda m: m.enterprises[2].extra.update(Tags=["a"]),
        "lone surrogate": lambda m: setattr(m.enterprises[0], "name", "Core \ud800"),
    }[case]
    edit(chain)
    (tmp_path / "out").mkdir()
    message = export_refusal(chain, tmp_path / "out" / f"model{suffix}")
    for word in words:
        assert word in message, message


def test_native_file_never_holds_nan_or_infinity_tokens(chain):
    import json

    chain.enterprises[0].x = float("nan")
    with pytest.raises(ImportFailed):
        dumps(chain)
    chain.enterprises[0].x = 1e308
    chain.enterprises[1].extra["Big"] = -1e308
    json.loads(dumps(chain), parse_constant=pytest.fail)


# --- property test: any valid model survives both formats ---------------------------------

# text that is only white space reads back as empty (a blank cell), by design; control
# characters, escape-like sequences and error codes are kept
_text = (st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
         | st.sampled_from(ERROR_CODES + TRICKY_TEXT)).map(lambda t: t if t.strip() else "")
# unknown columns: names that are not the format's, values a cell holds
_extra_name = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8).map(
    str.strip).filter(lambda n: n and normalise(n) not in _RESERVED)
_extra_value = (_text.filter(str.strip) | st.booleans() | st.integers(-2**53, 2**53)
                | st.floats(allow_nan=False, allow_infinity=False))
_RESERVED = {normalise(n) for s in TABLES[0].fields for n in (s.name, s.zh)}
_key = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_中企", min_size=1, max_size=6)
_amount = st.floats(0, 1e9, allow_nan=False, allow_infinity=False)
_share = st.floats(0, 1, allow_nan=False)


@st.composite
def models(draw: st.DrawFn) -> ChainModel:
    ids = draw(st.lists(_key, min_size=1, max_size=6, unique=True))
    enterprises = [Enterprise(
        id=i, name=draw(_text.filter(str.strip)) or "x",
        role="core" if n == 0 else draw(st.sampled_from([r for r in ROLES if r != "core"])),
        size=draw(st.sampled_from(list(SIZES))), ownership=draw(st.sampled_from(list(OWNERSHIPS))),
        industry=draw(_text), park=draw(_text), employees=draw(st.integers(0, 10**6)),
        revenue=draw(_amount), maturity=draw(st.integers(1, 4)),
        awareness=draw(st.sampled_from(list(AWARENESS))), platform_connected=draw(st.booleans()),
        x=draw(st.none() | st.floats(-1e4, 1e4)), y=draw(st.none() | st.floats(-1e4, 1e4)),
        extra=draw(st.dictionaries(_extra_name, _extra_value, max_size=3)))
        for n, i in enumerate(ids)]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(
        lambda p: p[0] != p[1]), unique=True, max_size=8))
    links = [Link(supplier=s, buyer=b, annual_value=draw(_amount), product=draw(_text),
                  criticality=draw(st.sampled_from(list(CRITICALITY))),
                  data_connected=draw(st.booleans())) for s, b in pairs]
    project_ids = draw(st.lists(_key, min_size=1, max_size=3, unique=True))
    projects = [ProjectType(
        id=p, name=draw(_text.filter(str.strip)), category=draw(st.sampled_from(list(CATEGORIES))),
        capex=draw(_amount), opex=draw(_amount), duration=draw(st.integers(1, 5)),
        benefit_rate=draw(_share), benefit_fixed=draw(_amount),
        maturity_gain=draw(st.integers(0, 3)), min_maturity=draw(st.integers(1, 4)),
        requires=draw(st.sampled_from(["", *[q for q in project_ids if q != p]])),
        connects_platform=draw(st.booleans()),
        eligible_sizes=tuple(draw(st.lists(st.sampled_from(list(SIZES)), unique=True))),
        source=draw(_text)) for p in project_ids]
    scenarios = [Scenario(name=draw(_key), start_year=draw(st.integers(2000, 2100)),
                          horizon=draw(st.integers(1, 50)), discount_rate=draw(_share),
                          subsidy_small=draw(_share), subsidy_cap=draw(st.none() | _amount))]
    assignments = [Assignment(scenario=scenarios[0].name, enterprise=e, project=p,
                              start_year=draw(st.integers(2000, 2100)), core_share=draw(_share))
                   for e, p in draw(st.lists(st.tuples(st.sampled_from(ids),
                                                       st.sampled_from(project_ids)),
                                             unique=True, max_size=5))]
    return ChainModel(enterprises=enterprises, links=links, projects=projects,
                      scenarios=scenarios, assignments=assignments)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=models(), lang=st.sampled_from(["en", "zh_CN"]))
def test_any_model_survives_workbook_and_json(model, lang, tmp_path_factory):
    path = tmp_path_factory.mktemp("rt") / "m.xlsx"
    path.write_bytes(workbook_bytes(model, lang))
    from_book = load_model(path, allow_invalid=True).model
    assert from_book == model
    assert from_dict(__import__("json").loads(dumps(from_book))) == model


def test_dataclass_fields_and_declared_columns_agree():
    from models.chain import TABLES

    for table in TABLES:
        names = [f.name for f in dataclasses.fields(table.cls) if f.name != "extra"]
        assert names == [spec.name for spec in table.fields]
