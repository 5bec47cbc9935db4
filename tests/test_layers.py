"""models/ and planner/ stay free of Qt and of ui/ (STYLE.md: a Qt-free core)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "pyqtgraph", "ui", "shiboken6")


def _imports(path: Path, module_level_only: bool = False) -> set[str]:
    names = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in (tree.body if module_level_only else ast.walk(tree)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


# The command line starts the desktop app, so its ``gui`` command imports ui lazily.
LAUNCHER = ROOT / "planner" / "cli.py"


@pytest.mark.parametrize("package", ["models", "planner"])
def test_headless_packages_never_import_qt_or_ui(package):
    offenders = {str(p.relative_to(ROOT)): sorted(_imports(p, p == LAUNCHER) & set(FORBIDDEN))
                 for p in (ROOT / package).rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_cli_loads_no_qt():
    import subprocess
    import sys

    code = "import sys, planner.cli; print(any(m.startswith('PySide6') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_models_never_import_planner():
    offenders = [str(p) for p in (ROOT / "models").rglob("*.py") if "planner" in _imports(p)]
    assert offenders == []
