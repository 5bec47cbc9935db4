"""Example chains bundled with the app (installed as package data)."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
DEFAULT = "aircraft.xlsx"


def example_path(name: str = DEFAULT) -> Path:
    return FOLDER / name


def example_files() -> list[Path]:
    return sorted(FOLDER.glob("*.xlsx"))
