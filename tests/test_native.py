"""The project file (.chainplan) keeps every table and field, and refuses what is not ours.

Format: docs/file-format.md ("The project file"). Speed: benchmarks/bench_native.py.
"""

from __future__ import annotations

import copy
import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from models import atomic, native
from models.chain import SCHEMA_VERSION, Assessment, ChainModel
from models.files import load_model, save_model
from models.jsonio import save_json
from models.problems import ExportRefused, ImportFailed
from planner.generate import generate

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.xlsx"))


def rich_model() -> ChainModel:
    """A generated chain with parks, park projects, assessments, unknown columns and settings."""
    model = generate(40, seed=3)
    donor = load_model(EXAMPLES[0]).model
    firms = [e.id for e in model.enterprises]
    for number, assessment in enumerate(donor.assessments[:8]):
        model.assessments.append(Assessment(
            enterprise=firms[number], date=assessment.date, answers=dict(assessment.answers),
            scenarios=dict(assessment.scenarios), extra={"assessor": f"王{number}"}))
    model.enterprises[3].extra = {"credit code": "91310000X", "rating": 4.5}
    model.links[0].extra = {"contract": True}
    model.parks[0].extra = {"area km²": 12.5}
    model.settings.extra = {"region": "上海", "note": None}
    model.settings.model_name = "Lingang 临港 province test"
    model.enterprises[5].x, model.enterprises[5].y = 12.25, -3.5
    return model


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(path: Path, changed: dict[str, bytes | None]) -> None:
    """Write the file again with some members replaced (None: left out)."""
    kept = {**members(path), **changed}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in kept.items():
            if data is not None:
                archive.writestr(name, data)


def manifest(path: Path) -> dict:
    return json.loads(members(path)["manifest.json"])


def npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def refusal(path: Path) -> str:
    with pytest.raises(ImportFailed) as caught:
        load_model(path)
    problems = caught.value.problems
    assert problems
    return "\n".join(p.text() for p in problems) + "\n" + "\n".join(
        p.text("zh_CN") for p in problems)


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "chain.chainplan"
    save_model(rich_model(), path)
    return path


# --- lossless --------------------------------------------------------------------------------

@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_reads_back_equal(example: Path, tmp_path: Path) -> None:
    model = load_model(example).model
    path = tmp_path / "example.chainplan"
    save_model(model, path)
    assert load_model(path).model == model


def test_generated_chain_with_parks_assessments_and_extra_columns_reads_back_equal(
        saved: Path) -> None:
    model = rich_model()
    assert model.parks and model.park_assignments and model.assessments
    loaded = load_model(saved)
    assert loaded.model == model
    assert not loaded.errors
    assert loaded.model.settings.extra == {"region": "上海", "note": None}
    assert loaded.model.enterprises[3].extra == {"credit code": "91310000X", "rating": 4.5}
    assert loaded.model.assessments[0].extra == {"assessor": "王0"}


def test_an_empty_model_reads_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "empty.chainplan"
    native.save_native(ChainModel(), path)
    assert native.load_native(path) == ChainModel()


def test_convert_between_project_file_workbook_and_json(saved: Path, tmp_path: Path) -> None:
    from planner.cli import main

    book, plan, back = tmp_path / "c.xlsx", tmp_path / "c.json", tmp_path / "back.chainplan"
    assert main(["convert", str(saved), str(book)]) in (0, None)
    assert main(["convert", str(book), str(plan)]) in (0, None)
    assert main(["convert", str(plan), str(back)]) in (0, None)
    assert load_model(back).model == rich_model()


# --- versions --------------------------------------------------------------------------------

def test_a_newer_version_is_refused_asking_to_update(saved: Path) -> None:
    data = manifest(saved)
    data["schema_version"] = SCHEMA_VERSION + 1
    rewrite(saved, {"manifest.json": json.dumps(data).encode()})
    text = refusal(saved)
    assert f"version {SCHEMA_VERSION + 1}" in text and "update" in text and "请升级程序" in text


def test_a_version_1_file_without_parks_opens_with_defaults(saved: Path) -> None:
    data = manifest(saved)
    data["schema_version"] = 1
    data["settings"]["schema_version"] = 1
    for table in ("parks", "park_assignments"):
        del data["tables"][table]
    for name in list(members(saved)):
        if name.startswith(("parks/", "park_assignments/", "scenarios/opex")):
            rewrite(saved, {name: None})
    data["tables"]["scenarios"]["columns"].pop("opex_subsidy")
    rewrite(saved, {"manifest.json": json.dumps(data).encode()})
    model = load_model(saved, allow_invalid=True).model
    assert model.parks == [] and model.park_assignments == []
    assert model.settings.schema_version == SCHEMA_VERSION
    assert all(s.opex_subsidy == 0.0 for s in model.scenarios)
    assert len(model.enterprises) == 40


# --- hostile files ---------------------------------------------------------------------------

def test_a_json_plan_renamed_is_refused_saying_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "plan.chainplan"
    save_json(generate(5, seed=3), path)
    text = refusal(path)
    assert "not a Chain Digitalisation Planner project file" in text and ".json" in text


def test_a_truncated_file_is_refused_as_damaged(saved: Path) -> None:
    data = saved.read_bytes()
    saved.write_bytes(data[: len(data) // 2])
    assert "damaged" in refusal(saved)


def test_another_zip_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "book.chainplan"
    path.write_bytes((Path(EXAMPLES[0])).read_bytes())
    assert "no manifest of ours" in refusal(path)


def test_a_missing_required_column_names_each_row(saved: Path) -> None:
    rewrite(saved, {"links/buyer.json": None})
    with pytest.raises(ImportFailed) as caught:
        load_model(saved)
    first = caught.value.problems[0]
    assert first.table[0] == "links" and first.row == 1 and first.column == "buyer"


def test_a_value_of_the_wrong_type_names_table_row_and_field(saved: Path) -> None:
    employees = json.loads(json.dumps([10] * 40))
    employees[2] = "many"
    data = manifest(saved)
    data["tables"]["enterprises"]["columns"]["employees"] = "json"
    rewrite(saved, {"enterprises/employees.npy": None,
                    "enterprises/employees.json": json.dumps(employees).encode(),
                    "manifest.json": json.dumps(data).encode()})
    with pytest.raises(ImportFailed) as caught:
        load_model(saved)
    [problem] = caught.value.problems
    assert (problem.table[0], problem.row, problem.column) == ("enterprises", 3, "employees")
    assert "whole number" in problem.text() or "integer" in problem.text()


def test_text_where_a_number_belongs_is_read_through_the_json_checks(saved: Path) -> None:
    values = [1.0] * 40
    values[7] = "1,200"  # what the JSON file accepts, the project file accepts too
    rewrite(saved, {"enterprises/revenue.npy": None,
                    "enterprises/revenue.json": json.dumps(values).encode()})
    model = load_model(saved).model
    assert model.enterprises[7].revenue == 1200.0


def test_a_huge_row_count_is_refused_before_reading(saved: Path) -> None:
    data = manifest(saved)
    data["tables"]["links"]["rows"] = 10**9
    rewrite(saved, {"manifest.json": json.dumps(data).encode()})
    assert "1,000,000,000 rows" in refusal(saved)


def test_a_column_shorter_than_its_table_is_refused(saved: Path) -> None:
    rewrite(saved, {"links/product.json": b'["bolts"]'})
    assert "links/product" in refusal(saved)


def test_a_pickled_array_is_refused_not_run(saved: Path) -> None:
    rewrite(saved, {"enterprises/revenue.npy": npy(np.array([object()] * 40, dtype=object))})
    assert "damaged" in refusal(saved)


def test_an_array_claiming_more_values_than_it_holds_is_refused_before_allocating(
        saved: Path) -> None:
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)})
    rewrite(saved, {"enterprises/revenue.npy": header.getvalue() + b"\0" * 16})
    assert "enterprises/revenue does not hold 40 values" in refusal(saved)


def test_a_table_of_a_newer_program_is_not_dropped_silently(saved: Path) -> None:
    data = manifest(saved)
    data["tables"]["warehouses"] = {"rows": 0, "columns": {}}
    rewrite(saved, {"manifest.json": json.dumps(data).encode()})
    assert "unknown table 'warehouses'" in refusal(saved)


def test_an_unpaired_surrogate_is_refused_with_its_place(saved: Path) -> None:
    names = json.loads(members(saved)["enterprises/name.json"])
    names[4] = "bad \ud800 name"
    rewrite(saved, {"enterprises/name.json": json.dumps(names).encode()})
    with pytest.raises(ImportFailed) as caught:
        load_model(saved)
    assert any(p.row == 5 and p.column in ("name", "名称") for p in caught.value.problems)


def test_a_file_that_unpacks_too_large_is_refused(saved: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "MAX_UNPACKED_BYTES", 1000)
    assert "more than 1 GB" in refusal(saved)


def test_damaged_json_inside_is_refused(saved: Path) -> None:
    rewrite(saved, {"links/product.json": b'["bolts", '})
    assert "links/product.json is not valid JSON" in refusal(saved)


# --- atomic save -----------------------------------------------------------------------------

def test_a_failed_save_leaves_the_old_file_and_no_temporary(saved: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    before = saved.read_bytes()

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full_disk)
    with pytest.raises(OSError):
        save_model(generate(5, seed=1), saved)
    assert saved.read_bytes() == before
    assert os.listdir(saved.parent) == [saved.name]


def test_a_model_that_cannot_be_kept_is_refused_and_nothing_written(saved: Path) -> None:
    before = saved.read_bytes()
    model = copy.deepcopy(rich_model())
    model.enterprises[2].revenue = float("nan")
    with pytest.raises(ExportRefused) as caught:
        save_model(model, saved)
    assert caught.value.problems[0].column == "revenue"
    assert saved.read_bytes() == before


def test_the_columns_handed_to_validation_are_the_rows_values(tmp_path):
    from models.chain import TABLE_BY_ATTR
    from models.schema import column_ok

    path = tmp_path / "rich.chainplan"
    native.save_native(rich_model(), path)
    taken: dict = {}
    clean: set = set()
    model = native.load_native(path, taken, clean)
    assert {attr for attr, _ in taken} >= {"enterprises", "links", "parks"}
    assert ("enterprises", "id") in clean and clean <= taken.keys()
    for attr, name in clean:  # what validation then takes as passing its column test
        spec = TABLE_BY_ATTR[attr].field(name)
        assert column_ok(spec, taken[attr, name])
    for (attr, name), values in taken.items():
        held = [getattr(row, name) for row in model.rows(TABLE_BY_ATTR[attr])]
        assert len(values) == len(held)
        assert all(a is b for a, b in zip(values, held, strict=True))
