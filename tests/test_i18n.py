"""The catalogue of UI texts (ui/i18n.py): every text the app shows through ``tr`` has a
Chinese entry, the catalogue holds no text nobody shows, and the placeholders agree.

The texts are found in the source of ui/: each ``tr("...")`` call, both branches of a
``tr(a if c else b)``, and the texts that reach ``tr`` through a variable, from the table
each such call site reads (``INDIRECT``; a new call site must be added there).
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from ui.i18n import LANGUAGES, ZH, set_language, text_in, tr

UI = Path(__file__).resolve().parent.parent / "ui"
POSITIONS = ("upstream", "core", "downstream", "detached")


def _charts() -> Iterable[str]:
    from ui.charts import PARTY_LABELS

    return PARTY_LABELS.values()


def _coverage_series() -> Iterable[str]:
    from ui.charts import COVERAGE_SERIES

    return [label for _, label in COVERAGE_SERIES]


def _roles() -> Iterable[str]:
    from ui.legend import ROLE_TEXTS

    return [text for _, text in ROLE_TEXTS]


def _add_labels() -> Iterable[str]:
    from ui.tables import ADD_LABELS

    return ADD_LABELS.values()


def _sheets() -> Iterable[str]:
    from models.chain import ASSESSMENTS, TABLES

    return [table.sheet for table in (*TABLES, ASSESSMENTS)]


def _action_texts() -> Iterable[str]:
    from ui.main_window import ACTIONS

    return [spec.text for spec in ACTIONS]


def _action_tips() -> Iterable[str]:
    from ui.main_window import ACTIONS

    return [spec.tip for spec in ACTIONS]


def _menu_titles() -> Iterable[str]:
    from ui.main_window import MENUS

    return [title for title, _ in MENUS] + ["&Language"]


def _file_types() -> Iterable[str]:
    from ui import file_controller

    return [t.label for t in vars(file_controller).values()
            if isinstance(t, file_controller.FileType)]


def _filter_labels() -> Iterable[str]:
    from ui.filter_bar import FILTER_LABELS

    return FILTER_LABELS.values()


# (file, what tr is given: a variable's name, an attribute's name or a mapping's name) ->
# the texts it can be
def _policy() -> Iterable[str]:
    from ui.policy import policy_texts

    return policy_texts()


def _instruments() -> Iterable[str]:
    from ui.charts import INSTRUMENT_LABELS

    return INSTRUMENT_LABELS.values()


INDIRECT: dict[tuple[str, str], Callable[[], Iterable[str]]] = {
    ("charts.py", "PARTY_LABELS"): _charts,
    ("charts.py", "INSTRUMENT_LABELS"): _instruments,
    **{("policy.py", name): _policy for name in ("label", "title", "help_text", "help_line",
                                                 "OWNERSHIP_LABELS")},
    ("charts.py", "label"): _coverage_series,
    ("filter_bar.py", "value"): lambda: POSITIONS,
    ("filter_bar.py", "FILTER_LABELS"): _filter_labels,
    ("health.py", "group"): lambda: POSITIONS,
    ("inspector.py", "k"): lambda: POSITIONS,
    ("inspector.py", "position"): lambda: POSITIONS,
    ("legend.py", "text"): _roles,
    ("tables.py", "ADD_LABELS"): _add_labels,
    ("tables.py", "sheet"): _sheets,
    ("main_window.py", "text"): _action_texts,
    ("main_window.py", "tip"): _action_tips,
    ("main_window.py", "menu_title"): _menu_titles,
    ("file_controller.py", "label"): _file_types,
}


def _source_name(node: ast.expr) -> str:
    """``x`` -> x, ``a.b.x`` -> x, ``MAPPING[key]`` -> MAPPING."""
    if isinstance(node, ast.Subscript):
        return _source_name(node.value)
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ast.unparse(node)


def _tr_calls() -> Iterable[tuple[str, int, ast.expr]]:
    for path in sorted(UI.glob("*.py")):
        if path.name == "i18n.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "tr" and node.args):
                yield path.name, node.lineno, node.args[0]


def _literal(node: ast.expr) -> list[str] | None:
    """The texts a literal argument can be (both branches of a conditional); None if not
    a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literal(node.body), _literal(node.orelse)
        if body is not None and orelse is not None:
            return body + orelse
    return None


def shown_texts() -> dict[str, list[str]]:
    """Every text the ui passes to tr, with where (file:line)."""
    found: dict[str, list[str]] = {}
    unknown = []
    for file, line, arg in _tr_calls():
        texts = _literal(arg)
        if texts is None:
            source = INDIRECT.get((file, _source_name(arg)))
            if source is None:
                unknown.append(f"{file}:{line} tr({ast.unparse(arg)})")
                continue
            texts = list(source())
        for text in texts:
            found.setdefault(text, []).append(f"{file}:{line}")
    assert not unknown, ("tr() of a variable: add where its texts come from to INDIRECT in "
                         "tests/test_i18n.py: " + ", ".join(unknown))
    return found


def test_every_text_shown_through_tr_has_a_chinese_entry():
    missing = {text: where for text, where in shown_texts().items()
               if text not in ZH and text.strip()}
    assert not missing, "\n".join(f"{t!r}  ({', '.join(w)})" for t, w in missing.items())


def test_the_catalogue_has_no_unused_texts():
    unused = sorted(set(ZH) - set(shown_texts()))
    assert not unused, unused


def test_no_text_passed_to_tr_is_built_at_run_time():
    built = [f"{file}:{line}" for file, line, arg in _tr_calls()
             if isinstance(arg, ast.JoinedStr | ast.BinOp)]
    assert not built, "tr(f'...') or tr(a + b) cannot be translated: " + ", ".join(built)


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def test_every_translation_keeps_the_placeholders_of_its_text():
    wrong = {en: zh for en, zh in ZH.items() if _fields(en) != _fields(zh)}
    assert not wrong, wrong


def test_every_translation_keeps_the_mnemonic_of_a_menu():
    wrong = {en: zh for en, zh in ZH.items()
             if en.startswith("&") and re.search(r"\(&[A-Z]\)$", zh) is None}
    assert not wrong, wrong


# Widgets and setters whose first argument a user reads; a literal there bypasses tr.
_SHOWN_BY = {"setText", "setToolTip", "setWindowTitle", "addItem", "addTab", "insertTab",
             "setTabText", "setPlaceholderText", "showMessage", "setTitle", "setStatusTip",
             "setEmptyLabel", "setLabelText", "setInformativeText", "addMenu", "addAction",
             "QLabel", "QPushButton", "QAction", "QGroupBox", "QCheckBox", "QRadioButton",
             "QToolButton"}


def test_no_visible_english_literal_bypasses_the_catalogue():
    found = []
    for path in sorted(UI.glob("*.py")):
        if path.name == "i18n.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name in _SHOWN_BY and isinstance(first, ast.Constant) and isinstance(
                    first.value, str) and re.search("[A-Za-z]{2}", first.value):
                found.append(f"{path.name}:{node.lineno} {first.value!r}")
    assert not found, found


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_text_in_takes_the_language_as_a_parameter(lang):
    set_language("en")
    shown = text_in(lang, "Cannot open {0}", "a.xlsx")
    assert shown == ("无法打开 a.xlsx" if lang == "zh_CN" else "Cannot open a.xlsx")
    assert tr("Cannot open {0}", "a.xlsx") == "Cannot open a.xlsx"  # the interface: English
