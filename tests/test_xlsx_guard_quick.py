"""The guard's quick scan of a sheet (NumPy over the bytes of cells written as Excel writes
them) measures exactly what its careful scan (a regular expression per reference, in every
spelling the reader accepts) measures, on sheets written any way, hostile ones included."""

from __future__ import annotations

from array import array
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from models import xlsx_guard
from models.problems import ImportFailed
from models.xlsx_guard import _Check, _Rescan, _SheetScan


def _scan(xml: bytes, quick: bool, pieces: int) -> tuple[int, int, int, int]:
    """(rows, last row, last column, text copied) as a scan of ``xml`` in ``pieces`` finds."""
    check = _Check(None, lambda name: True, lambda names: None, 1)  # type: ignore[arg-type]
    check.lengths = array("q", [7, 11, 13])  # three shared strings
    scan = _SheetScan(["Sheet"], check, quick=quick)
    step = max(1, len(xml) // pieces)
    start = 0
    while start < len(xml):  # cut as the guard cuts: before a tag
        end = xml.find(b"<", start + step) if start + step < len(xml) else -1
        end = len(xml) if end < 0 else end
        scan.feed(xml[start:end])
        start = end
    scan.finish()
    return (scan.rows, max(scan.max_row, scan.cell_row, scan.rows + 1 if scan.rows else 0),
            max(scan.max_col, scan.widest), check.text)


def _extent(xml: bytes, quick: bool, pieces: int = 1) -> Any:
    """What the guard finds, as it runs the scans: the quick one first when ``quick``, the
    careful one again when the quick one finds the sheet over a budget; or the refusal."""
    try:
        try:
            return _scan(xml, quick, pieces)
        except _Rescan:
            return _scan(xml, False, pieces)
    except ImportFailed as exc:
        return [p.what for p in exc.problems]


PLAIN = st.tuples(st.sampled_from(["A", "B", "M", "Z", "AA", "AZ", "ZZ", "XFD", "AAA"]),
                  st.integers(1, 120))


def _cell(spelling: str, column: str, row: int, shared: bool) -> str:
    value = '<v>1</v>' if shared else '<v>2.5</v>'
    kind = ' t="s"' if shared else ""
    forms = {
        "plain": f'<c r="{column}{row}"{kind}>{value}</c>',
        "empty": f'<c r="{column}{row}"{kind}/>',
        "lower": f'<c r="{column.lower()}{row}"{kind}>{value}</c>',
        "zeros": f'<c r="{column}00{row}"{kind}>{value}</c>',
        "single": f"<c r='{column}{row}'{kind}>{value}</c>",
        "spaces": f'<c  r = "{column}{row}"{kind}>{value}</c>',
        "later": f'<c s="1" r="{column}{row}"{kind}>{value}</c>',
        "bare": f"<c{kind}>{value}</c>",
        "prefixed": f'<x:c r="{column}{row}"{kind}><x:v>1</x:v></x:c>',
        "long": f'<c r="{column}{row}0000000000000000000000"{kind}>{value}</c>',
        "letters": f'<c r="ABCD{row}"{kind}>{value}</c>',
        "far": f'<c r="{column}{row + 1000}"{kind}>{value}</c>',
        "text": f'<c r="{column}{row}" t="inlineStr"><is><t>says "yes"</t></is></c>',
    }
    return forms[spelling]


CELLS = st.lists(st.tuples(st.sampled_from(
    ["plain"] * 6 + ["empty", "lower", "zeros", "single", "spaces", "later", "bare", "prefixed",
                     "long", "letters", "far", "text"]), PLAIN, st.booleans()), max_size=6)
ROWS = st.lists(st.tuples(st.sampled_from(["plain"] * 6 + ["bare", "zeros", "single", "far"]),
                          st.integers(1, 120), CELLS), max_size=8)
OTHER = st.sampled_from(["", '<cols><col min="1" max="3" width="9"/></cols>',
                         '<conditionalFormatting><cfRule type="x"/></conditionalFormatting>',
                         '<rowBreaks count="1"><brk id="3"/></rowBreaks>',
                         '<customSheetViews/>', '<c>', '<row>'])


def _row(spelling: str, number: int, cells: str) -> str:
    opening = {"plain": f'<row r="{number}">', "bare": "<row>", "zeros": f'<row r="0{number}">',
               "single": f"<row r='{number}'>", "far": f'<row r="{number + 5000}">'}[spelling]
    return opening + cells + "</row>"


@settings(max_examples=300, deadline=None)
@given(ROWS, OTHER, OTHER, st.integers(1, 4))
def test_the_quick_scan_measures_what_the_careful_scan_measures(rows, before, after, pieces):
    body = "".join(_row(spelling, number, "".join(_cell(*cell[:1], *cell[1], cell[2])
                                                  for cell in cells))
                   for spelling, number, cells in rows)
    xml = f"<worksheet>{before}<sheetData>{body}</sheetData>{after}</worksheet>".encode()
    assert _extent(xml, quick=True, pieces=pieces) == _extent(xml, quick=False, pieces=pieces)


def test_a_sheet_as_excel_writes_it_is_measured_by_the_quick_scan(monkeypatch):
    xml = (b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="AB1"><v>1</v></c></row>'
           b'<row r="300"><c r="C300" t="s"><v>2</v></c></row></sheetData>')
    careful: list[bytes] = []
    monkeypatch.setattr(_SheetScan, "_careful", lambda self, data: careful.append(data))
    assert _extent(xml, quick=True) == (2, 300, 28, 7 + 13)
    assert careful == []


def test_the_quick_scan_leaves_a_reference_of_many_digits_to_the_careful_scan():
    data = b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1' + b"0" * 30 + b'"></row>'
    assert xlsx_guard._plain_references(data) is None
    data = b'<row r="12"><c r="B12"><v>1</v></c><c r="XFD12"/></row>'
    assert xlsx_guard._plain_references(data) == (1, 12, 16384)


def test_quoted_s_finds_a_shared_string_type_at_any_offset():
    assert not xlsx_guard._quoted_s(b'<c r="A1" t="n">')
    for prefix in (b"", b"x", b"xy"):
        assert xlsx_guard._quoted_s(prefix + b'<c t="s">')
        assert xlsx_guard._quoted_s(prefix + b"<c t='s'>")
