"""The bundled examples open cleanly: what users see on day one."""

from __future__ import annotations

import pytest

from examples import example_files, example_path
from models.files import load_model
from models.validation import places


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_example_loads_without_errors_and_warns_only_of_firms_with_no_level(path):
    loaded = load_model(path)
    assert loaded.errors == []
    assert all(p.column == "maturity" and "no level" in p.text() for p in loaded.problems)
    model = loaded.model
    assert len(model.scenarios) >= 2
    assert all(p.source for p in model.projects), "every catalogue entry names its source"
    positions = {p.position for p in places(model).values()}
    assert {"core", "upstream", "downstream"} <= positions


def test_three_chains_and_a_chinese_copy_are_bundled():
    names = {p.name for p in example_files()}
    assert {"aircraft.xlsx", "aircraft_zh.xlsx", "vehicles.xlsx", "shipbuilding.xlsx"} <= names
    assert load_model(example_path("aircraft_zh.xlsx")).model == load_model(
        example_path("aircraft.xlsx")).model
