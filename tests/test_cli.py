"""The ``chainplan`` command line: exit codes, messages, and what each command writes.

Commands run in-process through ``planner.cli.main``; a few run the installed
console script to prove it is installed and never shows a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from models.chain import TABLES, ChainModel
from models.files import load_model, save_model
from models.schema import Kind, display
from models.validation import places
from planner.cli import main
from planner.generate import generate

SHEET_ORDER = {
    "en": ["Instructions", "Settings", "Enterprises", "Links", "Projects", "Scenarios",
           "Assignments", "Parks", "ParkAssignments"],
    "zh_CN": ["说明", "设置", "企业", "链接", "项目", "情景", "分配", "园区", "园区项目分配"],
}


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    """Messages default to the locale's language; the tests choose it explicitly."""
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def run(capsys, *argv: str | Path) -> tuple[int, str, str]:
    """Run ``chainplan argv`` in-process: exit code, stdout, stderr."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def chainplan_script() -> str:
    beside = Path(sys.executable).with_name("chainplan")
    script = str(beside) if beside.exists() else shutil.which("chainplan")
    assert script, "the chainplan console script is not installed (pip install -e .)"
    return script


def english_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    return {**env, "LANG": "C.UTF-8"}


def line_with(text: str, *needles: str) -> str:
    """The one output line that holds every needle."""
    lines = [line for line in text.splitlines() if all(n in line for n in needles)]
    assert len(lines) == 1, f"{needles} in:\n{text}"
    return lines[0]


@pytest.fixture
def good_book(tmp_path: Path) -> Path:
    path = tmp_path / "chain.xlsx"
    save_model(generate(12, seed=3), path)
    return path


@pytest.fixture
def rule_breaking_book(tmp_path: Path) -> Path:
    """Values of the right kind that break the model's rules, in two sheets (rows 4, 6, 3)."""
    model = generate(12, seed=3)
    model.enterprises[2].maturity = 7
    model.enterprises[4].employees = -3
    model.links[1].supplier = "NOPE"
    path = tmp_path / "rules.xlsx"
    save_model(model, path)
    return path


@pytest.fixture
def unreadable_values_book(tmp_path: Path) -> Path:
    """Values that cannot be read as their column's kind, in two sheets (rows 3, 5, 4)."""
    path = tmp_path / "values.xlsx"
    save_model(generate(12, seed=3), path)
    book = openpyxl.load_workbook(path)  # typed in by hand: the app's export refuses these
    book["Enterprises"]["D3"] = "huge"
    book["Enterprises"]["C5"] = "boss"
    book["Links"]["E4"] = "urgent"
    book.save(path)
    return path


# --- validate --------------------------------------------------------------------------------

def test_validate_good_file_exits_0_with_a_summary(capsys, good_book):
    code, out, _ = run(capsys, "validate", good_book)
    assert code == 0
    assert "12 enterprises" in out and "0 errors" in out


def test_validate_lists_every_broken_rule_with_sheet_row_column_value_and_expectation(
        capsys, rule_breaking_book):
    code, out, err = run(capsys, "validate", rule_breaking_book, "--lang", "en")
    assert code == 1
    text = out + err
    maturity = line_with(text, "'maturity'")
    for part in ("Enterprises", "row 4", "7", "1 to 4"):
        assert part in maturity, maturity
    employees = line_with(text, "'employees'")
    for part in ("Enterprises", "row 6", "-3", "≥ 0"):
        assert part in employees, employees
    supplier = line_with(text, "'supplier'")
    for part in ("Links", "row 3", "NOPE", "no such enterprise"):
        assert part in supplier, supplier
    assert "3 errors" in text


def test_validate_lists_every_unreadable_cell_not_only_the_first(capsys, unreadable_values_book):
    code, out, err = run(capsys, "validate", unreadable_values_book, "--lang", "en")
    assert code == 1
    text = out + err
    size = line_with(text, "'size'")
    for part in ("Enterprises", "row 3", "huge", "one of large, medium, small, micro"):
        assert part in size, size
    role = line_with(text, "'role'")
    for part in ("Enterprises", "row 5", "boss", "one of core, supplier"):
        assert part in role, role
    criticality = line_with(text, "'criticality'")
    for part in ("Links", "row 4", "urgent", "one of low, medium, high"):
        assert part in criticality, criticality


def test_validate_speaks_chinese_with_lang_zh_cn(capsys, rule_breaking_book):
    code, out, err = run(capsys, "validate", rule_breaking_book, "--lang", "zh_CN")
    assert code == 1
    maturity = line_with(out + err, "数字化水平")
    for part in ("企业", "第 4 行", "7"):
        assert part in maturity, maturity


@pytest.mark.parametrize("order", ["before", "after"])
def test_lang_counts_before_the_command_as_after_it(capsys, rule_breaking_book, order):
    command, chinese = ["validate", rule_breaking_book], ["--lang", "zh_CN"]
    code, out, err = run(capsys, *(chinese + command if order == "before" else command + chinese))
    assert code == 1
    assert "第 4 行" in line_with(out + err, "数字化水平")


def test_validate_follows_a_chinese_locale_by_default(capsys, monkeypatch, rule_breaking_book):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, out, err = run(capsys, "validate", rule_breaking_book)
    assert code == 1
    assert "第 4 行" in out + err


def test_validate_json_with_errors_exits_1_naming_table_and_record(capsys, tmp_path):
    model = generate(12, seed=3)
    model.enterprises[2].maturity = 9
    path = tmp_path / "chain.json"
    save_model(model, path)
    code, out, err = run(capsys, "validate", path)
    assert code == 1
    maturity = line_with(out + err, "'maturity'")
    assert model.enterprises[2].id in maturity and "9" in maturity


def test_validate_refuses_a_file_that_is_not_a_workbook(capsys, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    code, _, err = run(capsys, "validate", path)
    assert code == 1
    assert "not an Excel workbook" in err


@pytest.mark.parametrize("argv", [["validate", "{missing}.xlsx"], ["validate", "{missing}.json"],
                                  ["convert", "{missing}.xlsx", "{out}.json"]],
                         ids=["validate-xlsx", "validate-json", "convert"])
def test_missing_file_exits_1_with_no_such_file(capsys, tmp_path, argv):
    names = {"missing": tmp_path / "absent", "out": tmp_path / "out"}
    code, _, err = run(capsys, *(a.format(**names) for a in argv))
    assert code == 1
    assert "no such file" in err
    assert not (tmp_path / "out.json").exists()


# --- convert ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_convert_xlsx_to_json_and_back_is_lossless(capsys, tmp_path, lang):
    model = generate(12, seed=3)
    model.enterprises[2].extra = {"note": "visited 2025", "score": 3}  # unknown columns survive
    model.enterprises[3].x, model.enterprises[3].y = 10.5, -3.0
    model.settings.extra = {"owner": "李雷"}
    first = tmp_path / "first.xlsx"
    save_model(model, first, lang)
    middle, last = tmp_path / "middle.json", tmp_path / "last.xlsx"
    assert run(capsys, "convert", first, middle, "--lang", lang)[0] == 0
    assert run(capsys, "convert", middle, last, "--lang", lang)[0] == 0
    original = load_model(first).model
    assert original == model
    assert load_model(middle).model == original
    assert load_model(last).model == original
    assert set(openpyxl.load_workbook(last, read_only=True).sheetnames) >= set(
        SHEET_ORDER[lang][1:])


def test_convert_json_to_xlsx_and_back_gives_the_same_json(capsys, tmp_path):
    seed, first = tmp_path / "seed.json", tmp_path / "first.json"
    save_model(generate(12, seed=3), seed)
    save_model(load_model(seed).model, first)  # as the program itself writes it
    assert run(capsys, "convert", first, tmp_path / "middle.xlsx")[0] == 0
    assert run(capsys, "convert", tmp_path / "middle.xlsx", tmp_path / "last.json")[0] == 0
    assert (tmp_path / "last.json").read_bytes() == first.read_bytes()


def test_convert_refuses_to_write_over_its_input(capsys, good_book):
    before = good_book.read_bytes()
    code, _, err = run(capsys, "convert", good_book, good_book.parent / "." / good_book.name)
    assert code == 1
    assert "same file" in err
    assert good_book.read_bytes() == before


def test_convert_to_unknown_extension_exits_1_and_writes_nothing(capsys, good_book):
    target = good_book.with_suffix(".csv")
    code, _, err = run(capsys, "convert", good_book, target)
    assert code == 1
    assert "unknown file type '.csv'" in err
    assert not target.exists()


def test_convert_from_unknown_extension_exits_1(capsys, tmp_path):
    source = tmp_path / "chain.ods"
    source.write_bytes(b"whatever")
    code, _, err = run(capsys, "convert", source, tmp_path / "chain.json")
    assert code == 1
    assert "unknown file type '.ods'" in err


def test_convert_of_a_model_with_errors_exits_1_and_writes_nothing(capsys, rule_breaking_book):
    target = rule_breaking_book.with_suffix(".json")
    code, _, err = run(capsys, "convert", rule_breaking_book, target)
    assert code == 1
    assert "'maturity'" in err
    assert not target.exists()


def test_convert_into_a_missing_folder_exits_1_with_a_message(capsys, good_book):
    code, _, err = run(capsys, "convert", good_book, good_book.parent / "nowhere" / "out.json")
    assert code == 1
    assert "cannot write" in err


# --- template --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_template_has_every_sheet_header_and_drop_down_and_loads_as_an_empty_model(
        capsys, tmp_path, lang):
    path = tmp_path / "template.xlsx"
    assert run(capsys, "template", path, "--lang", lang)[0] == 0
    book = openpyxl.load_workbook(path)
    # the template also carries the health-check survey sheet, after the others
    assert book.sheetnames == [*SHEET_ORDER[lang], "Assessments" if lang == "en" else "评测"]
    settings = book[SHEET_ORDER[lang][1]]
    assert [c.value for c in settings[1]][:2] == (["key", "value"] if lang == "en"
                                                  else ["键", "值"])
    assert settings.freeze_panes == "A2"
    for table in TABLES:
        sheet = book[table.sheet_name(lang)]
        headers = [c.value for c in sheet[1]]
        assert headers[:len(table.fields)] == [f.header(lang) for f in table.fields]
        assert sheet.freeze_panes == "A2", sheet.title
        lists = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation
                 if v.type == "list"}
        for column, spec in enumerate(table.fields, start=1):
            if spec.kind is not Kind.ENUM:
                continue
            cell = f"{get_column_letter(column)}2"
            assert cell in lists, f"no drop-down on {sheet.title}!{spec.header(lang)}"
            choices = lists[cell].strip('"').split(",")
            assert choices == [display(spec, c, lang) for c in spec.choices], spec.name
    loaded = load_model(path, allow_invalid=True)
    assert loaded.model == ChainModel()


def test_template_drop_downs_offer_roles_and_sizes(capsys, tmp_path):
    en, zh = tmp_path / "en.xlsx", tmp_path / "zh.xlsx"
    run(capsys, "template", en, "--lang", "en")
    run(capsys, "template", zh, "--lang", "zh_CN")
    en_lists = {v.formula1 for v in openpyxl.load_workbook(en)["Enterprises"]
                .data_validations.dataValidation}
    zh_lists = {v.formula1 for v in openpyxl.load_workbook(zh)["企业"]
                .data_validations.dataValidation}
    assert '"core,supplier,distributor,customer,service"' in en_lists
    assert '"large,medium,small,micro"' in en_lists
    assert '"核心企业,供应商,经销商,客户,服务商"' in zh_lists
    assert '"大型,中型,小型,微型"' in zh_lists
    zh_headers = [c.value for c in openpyxl.load_workbook(zh)["企业"][1]]
    assert zh_headers[:4] == ["编号", "名称", "角色", "规模"]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_template_with_catalogue_offers_every_sourced_project_to_assign(capsys, tmp_path, lang):
    from examples.build import catalogue_model

    path = tmp_path / "template.xlsx"
    assert run(capsys, "template", path, "--catalogue", "--lang", lang)[0] == 0
    loaded = load_model(path, allow_invalid=True)
    # the one catalogue of the examples (examples/build.py), each project with its source
    assert loaded.model.projects == catalogue_model().projects
    assert len(loaded.model.projects) >= 10
    assert all(p.source and p.name for p in loaded.model.projects)
    assert any(p.raises for p in loaded.model.projects)
    assert {p.requires for p in loaded.model.projects} - {""} <= \
        {p.id for p in loaded.model.projects}
    # nothing else is filled in: the planner's chain goes in the other sheets
    assert loaded.model.enterprises == loaded.model.links == loaded.model.scenarios == []
    assert loaded.model.settings == ChainModel().settings
    sheet = openpyxl.load_workbook(path)["Projects" if lang == "en" else "项目"]
    assert sheet.max_row == len(loaded.model.projects) + 1


def test_shipped_catalogue_is_the_one_examples_build_writes():
    from examples.build import catalogue_model
    from models.workbook import template_model

    assert template_model(catalogue=True) == catalogue_model()
    assert template_model() == ChainModel()


def test_template_must_be_an_xlsx(capsys, tmp_path):
    code, _, err = run(capsys, "template", tmp_path / "template.json")
    assert code == 1
    assert ".xlsx" in err
    assert not (tmp_path / "template.json").exists()


# --- optimise --------------------------------------------------------------------------------

def optimise_args(path: Path, out: Path, core: float, *extra: str) -> list[str | Path]:
    return ["optimise", path, "--scenario", "Base", "--core-budget", str(core),
            "--government-budget", "1000", "--time-limit", "20", "--out", out, *extra]


@pytest.mark.parametrize(("lang", "reason"), [
    ("en", "error: No plan: “Base” alone already spends more than allowed — the core budget "
           "over the horizon (6.4 > 1.0)."),
    ("zh_CN", "错误：无可行方案：情景“Base”本身已超出限额——规划期内核心企业预算（6.4 > 1.0）。"),
])
def test_optimise_says_which_budget_s_alone_breaks_and_writes_nothing(
        capsys, tmp_path, chain, lang, reason):
    path, out = tmp_path / "chain.json", tmp_path / "out.json"
    save_model(chain, path)
    code, _, err = run(capsys, *optimise_args(path, out, 1.0, "--lang", lang))
    assert code == 1
    assert err.startswith(reason)
    assert str(out) in err
    assert not out.exists()


def test_optimise_adds_a_scenario_and_lists_each_addition_by_name(capsys, tmp_path, chain):
    path, out = tmp_path / "chain.json", tmp_path / "out.json"
    save_model(chain, path)
    code, printed, _ = run(capsys, *optimise_args(path, out, 1000.0))
    assert code == 0
    model = load_model(out).model
    added = [a for a in model.assignments if a.scenario == "Base (optimised)"]
    assert len(added) > 2
    assert printed.startswith("“Base (optimised)”: ")
    names = {e.id: e.name for e in chain.enterprises}
    projects = {p.id: p.name for p in chain.projects}
    for a in added[2:]:  # Base's own two rows come first
        assert line_with(printed, f"{a.enterprise} {names[a.enterprise]} — "
                                  f"{a.project} {projects[a.project]}, {a.start_year}: NPV ")


def test_optimise_with_nothing_to_add_says_so_and_writes_nothing(capsys, tmp_path, chain):
    # Base spends 6.4 of the core's money; every addition would cost the core more
    path, out = tmp_path / "chain.json", tmp_path / "out.json"
    save_model(chain, path)
    code, printed, _ = run(capsys, *optimise_args(path, out, 6.4, "--core-share", "1"))
    assert code == 0
    assert printed.startswith("Nothing to add to “Base”: no addition raises the objective")
    assert f"{out} not written" in printed
    assert not out.exists()


# --- generate --------------------------------------------------------------------------------

def generated(capsys, path: Path, enterprises: int, seed: int | None = None) -> ChainModel:
    argv = ["generate", "--enterprises", str(enterprises), "--out", path]
    if seed is not None:
        argv += ["--seed", str(seed)]
    code, _, err = run(capsys, *argv)
    assert code == 0, err
    loaded = load_model(path)
    assert loaded.errors == []
    return loaded.model


def test_generate_is_deterministic_for_a_seed(capsys, tmp_path):
    first, again, other = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    generated(capsys, first, 40, seed=7)
    generated(capsys, again, 40, seed=7)
    generated(capsys, other, 40, seed=8)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_generate_writes_the_same_chain_as_xlsx_or_json(capsys, tmp_path):
    as_json = generated(capsys, tmp_path / "chain.json", 30, seed=2)
    as_xlsx = generated(capsys, tmp_path / "chain.xlsx", 30, seed=2)
    assert as_json == as_xlsx


@pytest.mark.parametrize("enterprises", [5, 6, 40])
def test_generate_makes_exactly_the_number_of_enterprises_asked_for(capsys, tmp_path,
                                                                     enterprises):
    model = generated(capsys, tmp_path / "chain.json", enterprises)
    assert len(model.enterprises) == enterprises
    assert len({e.id for e in model.enterprises}) == enterprises


def test_generated_chain_has_three_upstream_tiers_and_every_downstream_role(capsys, tmp_path):
    model = generated(capsys, tmp_path / "chain.json", 60)
    where = places(model)
    roles = {e.id: e.role for e in model.enterprises}
    upstream_tiers = {p.tier for p in where.values() if p.position == "upstream"}
    downstream_roles = {roles[i] for i, p in where.items() if p.position == "downstream"}
    assert {1, 2, 3} <= upstream_tiers
    assert {"distributor", "customer", "service"} <= downstream_roles
    assert Counter(p.position for p in where.values())["detached"] == 0
    assert [e.role for e in model.enterprises].count("core") == 1
    assert 2 <= len(model.links) / len(model.enterprises) <= 4
    assert model.projects and model.scenarios and model.assignments


# --- gui ---------------------------------------------------------------------------------------

def test_the_gui_commands_door_into_the_app_loads_no_qt_before_the_start_up_check():
    # planner.cli reaches the Qt side only through ui.app (import contracts in pyproject.toml);
    # importing it must not load Qt, or a missing system library would abort before the check
    code = ("import sys, ui.app; ui.app.startup_problem; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "[]"


# --- usage, no command, the installed script ---------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["frobnicate"],
    ["validate"],
    ["convert", "only-one.xlsx"],
    ["generate", "--out", "x.json"],
    ["generate", "--enterprises", "many", "--out", "x.json"],
    ["validate", "x.xlsx", "--lang", "fr"],
], ids=["unknown-command", "validate-no-file", "convert-one-file", "generate-no-count",
        "generate-bad-count", "unknown-language"])
def test_bad_usage_exits_2_with_usage_text(capsys, argv):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "Traceback" not in err


def test_no_command_opens_the_app_on_the_bundled_example(monkeypatch):
    import ui.app
    from examples import example_path

    calls = []
    monkeypatch.setattr(ui.app, "run_gui", lambda *args: calls.append(args) or 0)
    assert main([]) == 0
    assert calls == [(str(example_path()), None, None, None)]
    assert main(["gui", "x.xlsx", "--lang", "zh_CN", "--size", "1280x800"]) == 0
    assert calls[-1] == ("x.xlsx", "zh_CN", None, (1280, 800))


def test_installed_script_validates_a_good_file(good_book):
    child = subprocess.run([chainplan_script(), "validate", str(good_book)],
                           capture_output=True, text=True, timeout=60, env=english_env(),
                           check=False)
    assert child.returncode == 0, child.stderr
    assert "12 enterprises" in child.stdout


@pytest.mark.parametrize(("argv", "code", "words"), [
    (["validate", "{tmp}/absent.xlsx"], 1, "no such file"),
    (["validate", "{tmp}/notes.xlsx"], 1, "not an Excel workbook"),
    (["convert", "{tmp}/notes.xlsx", "{tmp}/notes.xlsx"], 1, "same file"),
    (["generate", "--enterprises", "many", "--out", "{tmp}/x.json"], 2, "usage:"),
], ids=["missing", "not-a-workbook", "same-file", "bad-usage"])
def test_installed_script_reports_user_errors_without_a_traceback(tmp_path, argv, code, words):
    (tmp_path / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    child = subprocess.run([chainplan_script(), *(a.format(tmp=tmp_path) for a in argv)],
                           capture_output=True, text=True, timeout=60, env=english_env(),
                           check=False)
    assert child.returncode == code, child.stderr
    assert words in child.stderr
    assert "Traceback" not in child.stderr


def test_report_command_writes_a_pdf_and_refuses_other_names(tmp_path, capsys):
    from examples import example_path

    out = tmp_path / "report.pdf"
    assert main(["report", str(example_path("shipbuilding.xlsx")), "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert main(["report", str(example_path("shipbuilding.xlsx")), "--out",
                 str(tmp_path / "report.docx")]) == 1
    assert "ending in .pdf" in capsys.readouterr().err
