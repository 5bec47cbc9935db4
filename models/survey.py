"""Surveys: each SME's own part of the plan as a workbook to check and fill, and merging the returns.

``write_surveys`` writes one workbook per enterprise with the sheets and headers of the
workbook format (docs/file-format.md), so every reader of ours reads it: Instructions
written for the SME's employee, Settings (with the marker of the model and enterprise it
was made for), the firm's Enterprises row, every link it is supplier or buyer of, and its
latest health check (or an empty row to fill in). Key cells are locked by sheet protection
without a password; the rest is editable, with drop-down lists.

Writing 1,000 workbooks with openpyxl costs a minute, nearly all of it in parts every
survey shares (styles, the Instructions sheet with the health-check questions, headers,
drop-downs). So openpyxl writes one template per language once; each survey is that
template's zip with the per-firm rows put into the sheets' XML as inline strings.

``collect`` reads returned workbooks with the workbook reader's tolerance and safety
checks (``models.workbook``, ``models.xlsx_guard``) and lists every change against the
model as a ``Change``; ``Collection.edits`` turns the accepted ones into one list of
``models.edits`` edits (one undo step in the app), and ``Collection.merged`` applies them.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from models.assessments import Column, columns, header_aliases, latest_assessments
from models.chain import (
    ASSESSMENTS,
    SETTINGS_FIELDS,
    TABLE_BY_ATTR,
    Assessment,
    ChainModel,
    Link,
    TableSpec,
)
from models.edits import Edit, SetFields, append_rows, set_field_edits
from models.problems import ImportFailed, Problem
from models.records import cell_text, export_problems, record_of
from models.schema import Kind, display, normalise

# --- the marker ---------------------------------------------------------------------------

# Settings keys that say which model and enterprise a survey was made for (kept on import as
# unknown settings; English in both languages, as every Settings key is)
MARK_MODEL = "survey_model"
MARK_ENTERPRISE = "survey_enterprise"
MARK_FINGERPRINT = "survey_fingerprint"
MARK_DATE = "survey_date"
MARKS = (MARK_MODEL, MARK_ENTERPRISE, MARK_FINGERPRINT, MARK_DATE)

# columns of the survey's sheets: the canvas position is the core's business, not the SME's
ENTERPRISE_FIELDS = tuple(s for s in TABLE_BY_ATTR["enterprises"].fields
                          if s.name not in ("x", "y"))
LINK_FIELDS = TABLE_BY_ATTR["links"].fields
LOCKED = {"enterprises": ("id", "role"), "links": ("supplier", "buyer"),
          "assessments": ("enterprise",)}
PARTNER_HEADER = ("Other company", "对方企业")  # an extra column, ignored on import
# A hidden, locked extra column holding each row's values as sent (JSON): collect takes a
# field from a return only when the SME changed it, so a return made before the core's own
# later edits (or before another firm's merged return) does not undo them.
SENT_HEADER = "survey_sent"


def fingerprint(model: ChainModel) -> str:
    """A short hash of the model's content: a return made from another version says so."""
    from models.jsonio import dumps

    return hashlib.sha256(dumps(model).encode("utf-8")).hexdigest()[:16]


_UNSAFE = re.compile(r"[^\w.\-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}


def survey_file_name(enterprise_id: str, taken: set[str] | None = None) -> str:
    """A file name for an enterprise's survey: its id, made safe on every system (no
    separators or reserved names, at most 100 characters), unique in ``taken`` (compared
    case-insensitively, as Windows and macOS do) which it is added to."""
    stem = _UNSAFE.sub("_", enterprise_id).strip("._ ")[:100] or "enterprise"
    if stem.split(".")[0].casefold() in _RESERVED:
        stem = "_" + stem
    name, number = stem + ".xlsx", 1
    if taken is not None:
        while name.casefold() in taken:
            number += 1
            name = f"{stem}-{number}.xlsx"
        taken.add(name.casefold())
    return name


# --- writing surveys ----------------------------------------------------------------------

_HEADER_FILL = "1F4E79"
_AMOUNT = "#,##0.00"
_LAST_ROW = 1000  # drop-down lists and unlocked cells reach this row
_INTRO_ROWS = 3  # per-firm rows at the top of the Instructions sheet


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


@dataclass
class _Styles:
    header: int = 0
    locked: int = 0
    free: int = 0
    free_amount: int = 0
    title: int = 0


@dataclass
class _Template:
    """One language's survey workbook with empty data rows, split around them."""

    members: dict[str, bytes]  # zip members as they are
    sheets: dict[str, tuple[str, str]]  # sheet key -> (XML before the firm's rows, after)
    paths: dict[str, str]  # sheet key -> zip member
    styles: _Styles
    lang: str


def _texts(lang: str, model: ChainModel) -> list[tuple[str, str]]:
    """The Instructions' paragraphs every survey shares: (heading, text)."""
    core = model.core()
    who = core.name if core is not None and core.name else (
        "核心企业" if lang == "zh_CN" else "the core enterprise")
    unit = model.settings.amount_unit + " " + model.settings.currency
    if lang == "zh_CN":
        return [
            ("这是什么", f"{who}正在规划产业链的数字化转型，需要了解贵企业的真实情况。本工作簿只包含"
                     "与贵企业有关的内容：企业基本信息、贵企业与其他企业之间的供应关系、以及数字化体检问卷。"
                     "请核对并补充，约需 20 分钟。"),
            ("请核对", "“企业”表：贵企业的名称、规模、所有制、行业、园区、员工数、营业收入（"
                    f"{unit}）等，有误请直接改正。“链接”表：每行一条供应关系（供应方 → 采购方），"
                    "请核对年交易额、产品、重要程度以及双方是否已数据互联。"),
            ("请填写", "“评测”表：数字化体检。每个问题填写所选选项的字母（多选题可填多个，如 B,C），"
                    "每个经营场景填写 0–4 级，选项和各级含义见下表。日期填写作答日期：沿用原日期表示更正"
                    "原评测，填写新日期表示新的一次评测。缺少的供应关系可在“链接”表空行中补充：填写供应方"
                    "和采购方的编号（不知道对方编号时填写对方全称）。已终止的关系请将年交易额改为 0。"),
            ("请勿修改", "灰色锁定的单元格（企业编号、角色、供应方、采购方）和“设置”表不能修改，"
                      "它们用于把您的回复对应到正确的企业。请不要重命名工作表或改变文件格式。"),
            ("如何寄回", "填写完成后保存为 .xlsx 格式（Excel 或 WPS 均可），文件名保持不变，"
                      "通过邮件发回给向您发送此文件的联系人。谢谢您的配合！"),
        ]
    return [
        ("What this is", f"{who} is planning the digital transformation of its supply chain "
                         "and needs to know how things really are at your company. This "
                         "workbook holds only what concerns your company: its details, its "
                         "supply relations with other companies, and the digital health-check "
                         "questionnaire. Please check and complete it; it takes about 20 "
                         "minutes."),
        ("Please check", "Enterprises sheet: your company's name, size, ownership, industry, "
                         f"park, employees, revenue ({unit}) and so on; correct anything wrong "
                         "in place. Links sheet: one supply relation per row (supplier → "
                         "buyer); check the yearly trade value, the product, how critical it "
                         "is and whether the two companies already exchange data digitally."),
        ("Please fill in", "Assessments sheet: the digital health check. Answer each question "
                           "with the letter of the option chosen (several for a multiple "
                           "choice, e.g. B,C) and grade each business scenario 0–4; the "
                           "options and what each grade means are listed below. Date: the "
                           "date of your answers; keep the date to correct the earlier check, "
                           "or write a new date for a new one. A supply relation that is "
                           "missing can be added in an empty row of the Links sheet: the "
                           "supplier's and the buyer's ids (the other company's full name if "
                           "you do not know its id). For a relation that has ended, set the "
                           "yearly trade value to 0."),
        ("Please do not change", "the locked grey cells (your company's id and role, supplier, "
                                 "buyer) and the Settings sheet: they match your answers to "
                                 "your company. Do not rename the sheets or change the file "
                                 "format."),
        ("How to send it back", "Save the file as .xlsx (Excel or WPS), keep its name, and "
                                "e-mail it back to the person who sent it to you. Thank you!"),
    ]


def _build_template(model: ChainModel, lang: str) -> _Template:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    from models.workbook import INSTRUCTIONS_SHEET, SETTINGS_SHEET, _SheetWriter

    zh = lang == "zh_CN"
    book = Workbook()
    scratch: Any = book.active
    scratch.title = "scratch"
    unlocked = Protection(locked=False)
    header_font, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=_HEADER_FILL)
    grey = PatternFill("solid", fgColor="E7E6E6")
    wrap = Alignment(wrap_text=True, vertical="top")
    samples: dict[str, int] = {}
    for name, font, cell_fill, protection, number_format in (
            ("header", header_font, fill, None, None), ("locked", None, grey, None, None),
            ("free", None, None, unlocked, None), ("free_amount", None, None, unlocked, _AMOUNT),
            ("title", Font(bold=True, size=14), None, None, None)):
        cell = scratch.cell(row=1, column=len(samples) + 1)
        if font is not None:
            cell.font = font
        if cell_fill is not None:
            cell.fill = cell_fill
        if protection is not None:
            cell.protection = protection
        if number_format is not None:
            cell.number_format = number_format
        samples[name] = cell.style_id
    styles = _Styles(**samples)

    def sheet(title: str, headers: Sequence[str], widths: Sequence[float]) -> Any:
        ws = book.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[_letter(index)].width = width
        for index, text in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=index, value=cell_text(text))
            cell.data_type = "s"
            cell.font, cell.fill = header_font, fill
        ws.freeze_panes = "A2"
        ws.protection.sheet = True
        ws.protection.formatColumns = ws.protection.formatRows = False  # widths may change
        printable(ws)
        ws.print_title_rows = "1:1"
        return ws

    def hide(ws: Any, column: int) -> None:
        ws.column_dimensions[_letter(column)].hidden = True

    def printable(ws: Any) -> None:
        """Landscape, as wide as the page, for the SME who prints it."""
        from models.workbook import set_up_printing

        set_up_printing(ws, lang, title_rows=None)

    def drop_down(ws: Any, column: int, labels: Sequence[str], required: bool) -> None:
        check = DataValidation(type="list", formula1='"' + ",".join(labels) + '"',
                               allow_blank=not required, showErrorMessage=True)
        check.error = "请从下拉列表中选择" if zh else "Choose a value from the list"
        letter = _letter(column)
        check.add(f"{letter}2:{letter}{_LAST_ROW}")
        ws.data_validations.append(check)

    def free_columns(ws: Any, count: int, amounts: Iterable[int] = ()) -> None:
        for index in range(1, count + 1):
            dimension = ws.column_dimensions[_letter(index)]
            dimension.protection = unlocked
            if index in amounts:
                dimension.number_format = _AMOUNT

    # Instructions: per-firm lines on top, then what every survey shares
    ws = book.create_sheet(INSTRUCTIONS_SHEET[zh])
    for index, width in enumerate((24, 22, 60, 50), start=1):
        ws.column_dimensions[_letter(index)].width = width
    row = _INTRO_ROWS + 1
    for heading, text in _texts(lang, model):
        cell = ws.cell(row=row, column=1, value=heading)
        cell.font, cell.alignment = Font(bold=True), wrap
        cell = ws.cell(row=row, column=2, value=text)
        cell.alignment = wrap
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        ws.row_dimensions[row].height = 15 * max(2, len(text) // (55 if zh else 110) + 1)
        row += 1
    row += 1
    titles = ["工作表", "列", "含义", "填写要求"] if zh else ["Sheet", "Column", "Meaning",
                                                           "Expected"]
    for index, title in enumerate(titles, start=1):
        cell = ws.cell(row=row, column=index, value=title)
        cell.font, cell.fill = header_font, fill
    rows: list[tuple[str, str, str, str]] = []
    for attr, specs in (("enterprises", ENTERPRISE_FIELDS), ("links", LINK_FIELDS)):
        table = TABLE_BY_ATTR[attr]
        rows.append((table.sheet_name(lang), "", table.doc[zh], ""))
        rows += [(table.sheet_name(lang), s.header(lang), s.doc[zh],
                  ("必填；" if zh else "required; ") + s.expected(lang) if s.required
                  else s.expected(lang)) for s in specs]
    rows += _SheetWriter(None, lang)._assessment_instructions()
    for values in rows:
        row += 1
        for index, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=index, value=cell_text(value) if value else None)
            cell.alignment = wrap
            if not values[1] and index in (1, 3):
                cell.font = Font(bold=True)
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False
    printable(ws)

    # Settings: two columns; the per-firm rows (settings and marker) are filled in
    ws = sheet(SETTINGS_SHEET[zh], ["键", "值"] if zh else ["key", "value"], (24, 40))
    # Enterprises: the firm's row; the id and role stay the core's
    ws = sheet(TABLE_BY_ATTR["enterprises"].sheet_name(lang),
               [s.header(lang) for s in ENTERPRISE_FIELDS] + [SENT_HEADER],
               [_width(s, lang) for s in ENTERPRISE_FIELDS])
    hide(ws, len(ENTERPRISE_FIELDS) + 1)
    ws.column_dimensions["B"].width = 32
    free_columns(ws, len(ENTERPRISE_FIELDS),
                 {i for i, s in enumerate(ENTERPRISE_FIELDS, start=1) if s.amount})
    for index, spec in enumerate(ENTERPRISE_FIELDS, start=1):
        _drop_down_for(spec, lang, lambda labels, required, i=index, w=ws: drop_down(
            w, i, labels, required))
    # Links, with the other company's name as an extra column
    headers = [s.header(lang) for s in LINK_FIELDS] + [PARTNER_HEADER[zh], SENT_HEADER]
    ws = sheet(TABLE_BY_ATTR["links"].sheet_name(lang), headers,
               [_width(s, lang) for s in LINK_FIELDS] + [36.0])
    hide(ws, len(headers))
    free_columns(ws, len(LINK_FIELDS),
                 {i for i, s in enumerate(LINK_FIELDS, start=1) if s.amount})
    for index, spec in enumerate(LINK_FIELDS, start=1):
        _drop_down_for(spec, lang, lambda labels, required, i=index, w=ws: drop_down(
            w, i, labels, required))
    # Assessments: the health check, with the drop-downs the workbook has
    cols = columns()
    headers = [c.header(lang) for c in cols]
    ws = sheet(ASSESSMENTS.sheet_name(lang), [*headers, SENT_HEADER],
               [max(10.0, min(30.0, (2.2 if zh else 1.1) * len(h) + 4)) for h in headers])
    hide(ws, len(headers) + 1)
    free_columns(ws, len(cols))
    for index, column in enumerate(cols, start=1):
        if column.scenario is not None:
            drop_down(ws, index, ["0", "1", "2", "3", "4"], False)
        elif column.item is not None and column.item.type == "single":
            drop_down(ws, index, [o.key for o in column.item.options], False)
    book.remove(scratch)

    buffer = io.BytesIO()
    book.save(buffer)
    members: dict[str, bytes] = {}
    with zipfile.ZipFile(buffer) as archive:
        for info in archive.infolist():
            members[info.filename] = archive.read(info)
    keys = ("instructions", "settings", "enterprises", "links", "assessments")
    paths = {key: f"xl/worksheets/sheet{number}.xml" for number, key in enumerate(keys, start=1)}
    sheets = {}
    for key, path in paths.items():
        text = members[path].decode("utf-8")
        text = re.sub(r"<dimension ref=\"[^\"]*\"\s*/>", "", text)
        if key == "instructions":
            head, tail = text.split("<sheetData>", 1)
            sheets[key] = (head + "<sheetData>", tail)
        else:
            head, tail = text.split("</sheetData>", 1)
            sheets[key] = (head, "</sheetData>" + tail)
    return _Template(members, sheets, paths, styles, lang)


def _width(spec: Any, lang: str) -> float:
    """A column wide enough for its header, and for a name or product when it is text."""
    header = (2.2 if lang == "zh_CN" else 1.1) * len(spec.header(lang)) + 4
    return max(26.0 if spec.kind is Kind.TEXT else 12.0, header)


def _drop_down_for(spec: Any, lang: str, add: Any) -> None:
    if spec.kind in (Kind.ENUM, Kind.BOOL):
        choices: list[Any] = list(spec.choices or {True: "是", False: "否"})
        add([str(display(spec, c, lang)) for c in choices], spec.required)


def _cell(ref: str, value: Any, style: int) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        return (f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                f"{escape(cell_text(value))}</t></is></c>")
    return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'


def _row(number: int, cells: Sequence[tuple[Any, int]]) -> str:
    parts = [_cell(f"{_letter(i)}{number}", v, s) for i, (v, s) in enumerate(cells, start=1)]
    return f'<row r="{number}">{"".join(parts)}</row>'


@dataclass(frozen=True)
class SurveyFile:
    """One survey written: the enterprise and the file."""

    enterprise: str
    path: Path


class SurveyWriter:
    """Writes the surveys of one model in one language; the shared parts are built once."""

    def __init__(self, model: ChainModel, lang: str = "en", today: str | None = None):
        self.model, self.lang, self.zh = model, lang, lang == "zh_CN"
        self.today = today or _dt.date.today().isoformat()
        self.fingerprint = fingerprint(model)
        self.template = _build_template(model, lang)
        self.names = model.enterprise_index()
        self.links: dict[str, list[Link]] = {}
        for link in model.links:
            self.links.setdefault(link.supplier, []).append(link)
            if link.buyer != link.supplier:
                self.links.setdefault(link.buyer, []).append(link)
        self.latest = {e: a for e, (_, a) in latest_assessments(model).items()}
        self.columns = columns()

    def workbook_bytes(self, enterprise_id: str) -> bytes:
        """The survey of ``enterprise_id`` as an .xlsx file."""
        t, lang, zh = self.template, self.lang, self.zh
        st = t.styles
        firm = self.names[enterprise_id]
        sheets: dict[str, str] = {}
        core = self.model.core()
        intro = [
            [(f"{firm.name}（{firm.id}）企业信息核对与数字化体检" if zh else
              f"Survey for {firm.name} ({firm.id}): company details and digital health check",
              st.title)],
            [(("发送方：" if zh else "From: ") + (core.name if core else "") + " — "
              + self.model.settings.model_name + ("，" if zh else ", ") + self.today, 0)],
        ]
        head, tail = t.sheets["instructions"]
        sheets["instructions"] = head + "".join(_row(n, cells) for n, cells in
                                                enumerate(intro, start=1)) + tail
        settings = [(spec.name, getattr(self.model.settings, spec.name))
                    for spec in SETTINGS_FIELDS]
        settings += [(MARK_MODEL, self.model.settings.model_name),
                     (MARK_ENTERPRISE, firm.id), (MARK_FINGERPRINT, self.fingerprint),
                     (MARK_DATE, self.today)]
        sheets["settings"] = self._rows("settings", [[(k, st.locked), (v, st.locked)]
                                                     for k, v in settings])
        cells = []
        for spec in ENTERPRISE_FIELDS:
            value = getattr(firm, spec.name)
            locked = spec.name in LOCKED["enterprises"]
            shown = value if spec.kind in (Kind.INT, Kind.NUM, Kind.TEXT, Kind.KEY) \
                else display(spec, value, lang)
            cells.append((shown, st.locked if locked else
                          st.free_amount if spec.amount else st.free))
        cells.append((_sent({f: getattr(firm, f) for f in _COMPARED["enterprises"]}),
                      st.locked))
        sheets["enterprises"] = self._rows("enterprises", [cells])
        rows = []
        for link in self.links.get(enterprise_id, []):
            other = self.names.get(link.buyer if link.supplier == enterprise_id
                                   else link.supplier)
            cells = []
            for spec in LINK_FIELDS:
                value = getattr(link, spec.name)
                shown = value if spec.kind in (Kind.NUM, Kind.TEXT, Kind.KEY) \
                    else display(spec, value, lang)
                cells.append((shown, st.locked if spec.name in LOCKED["links"] else
                              st.free_amount if spec.amount else st.free))
            cells.append((other.name if other else "", st.locked))
            cells.append((_sent({f: getattr(link, f) for f in _COMPARED["links"]}), st.locked))
            rows.append(cells)
        sheets["links"] = self._rows("links", rows)
        assessment = self.latest.get(enterprise_id)
        cells = []
        for column in self.columns:
            cells.append((_assessment_cell(column, assessment, enterprise_id, self.today, lang),
                          st.locked if column.key == "enterprise" else st.free))
        if assessment is not None:
            cells.append((_sent({"date": assessment.date, **assessment.answers,
                                 **assessment.scenarios}), st.locked))
        sheets["assessments"] = self._rows("assessments", [cells])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, data in t.members.items():
                key = next((k for k, p in t.paths.items() if p == name), None)
                archive.writestr(name, sheets[key].encode("utf-8") if key else data)
        return buffer.getvalue()

    def _rows(self, key: str, rows: list[list[tuple[Any, int]]]) -> str:
        head, tail = self.template.sheets[key]
        return head + "".join(_row(n, cells) for n, cells in enumerate(rows, start=2)) + tail

    def write(self, directory: str | os.PathLike[str], enterprises: Iterable[str] | None = None
              ) -> list[SurveyFile]:
        """One survey per non-core enterprise (or those given) in ``directory``."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        ids = list(dict.fromkeys(enterprises)) if enterprises is not None else [
            e.id for e in self.model.enterprises if e.role != "core"]
        missing = [i for i in ids if i not in self.names]
        if missing:
            raise KeyError(", ".join(missing))
        taken: set[str] = set()
        written = []
        for enterprise_id in ids:
            path = out / survey_file_name(enterprise_id, taken)
            temporary = path.with_name("." + path.name + ".part")
            temporary.write_bytes(self.workbook_bytes(enterprise_id))
            os.replace(temporary, path)
            written.append(SurveyFile(enterprise_id, path))
        return written


def _sent(values: dict[str, Any]) -> str:
    import json

    return json.dumps(_plain(values), ensure_ascii=False, separators=(",", ":"))


def _sent_of(row: Any) -> dict[str, Any]:
    """The values a returned row was sent with (empty when unknown or tampered with)."""
    import json

    text = row.extra.get(SENT_HEADER)
    try:
        sent = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        sent = None
    return sent if isinstance(sent, dict) else {}


def _changed(field_name: str, returned: Any, current: Any, sent: dict[str, Any]) -> bool:
    """Whether a returned value changes the model: it differs from the model's, and the SME
    changed it (it differs from what was sent, when that is known)."""
    if returned == current:
        return False
    return not sent or sent.get(field_name) != _plain(returned)


def _assessment_cell(column: Column, assessment: Assessment | None, enterprise_id: str,
                     today: str, lang: str) -> Any:
    if column.key == "enterprise":
        return enterprise_id
    if column.key == "date":
        return assessment.date if assessment is not None else today
    if assessment is None:
        return None
    if column.item is not None:
        value = assessment.answers.get(column.key)
        return None if value is None else column.item.display(value, lang)
    if column.scenario is not None:
        return assessment.scenarios.get(column.key)
    return None


def write_surveys(model: ChainModel, directory: str | os.PathLike[str], lang: str = "en",
                  enterprises: Iterable[str] | None = None, today: str | None = None
                  ) -> list[SurveyFile]:
    """Write one survey per non-core enterprise (or those in ``enterprises``) into
    ``directory``, named after each id; raises KeyError naming unknown ids."""
    return SurveyWriter(model, lang, today).write(directory, enterprises)


# --- collecting returns -------------------------------------------------------------------

APPLIED, CONFLICT, REFUSED, NOT_CONFIRMED = "applied", "conflict", "refused", "not confirmed"
# a text answer longer than this is junk or an attack, not a name or a product (a cell holds
# 32,767 characters)
MAX_TEXT = 1_000
_COMPARED = {"enterprises": tuple(s.name for s in ENTERPRISE_FIELDS if s.name != "id"),
             "links": tuple(s.name for s in LINK_FIELDS if s.name not in ("supplier", "buyer"))}


@dataclass(frozen=True)
class Change:
    """One difference a returned survey makes to the model.

    ``table`` is a ChainModel table (enterprises, links, assessments); ``key`` the row's key
    as text ("E1", "S→B", "E1/2025-03-31") and ``row_key`` as a tuple; ``field`` the field,
    health-check item or scenario key, or "" for a whole new row (``new`` is then its record
    and ``row`` the row to insert); ``status`` applied (would be applied by default),
    conflict, refused or not confirmed, with ``reason`` (English, Chinese) saying why.
    """

    file: str
    table: str
    key: str
    field: str
    old: Any
    new: Any
    status: str = APPLIED
    reason: tuple[str, str] = ("", "")
    row_key: tuple[str, ...] = ()
    row: Any = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def target(self) -> tuple[str, str, str]:
        """What the change sets: two changes with the same target compete."""
        return self.table, self.key, self.field

    def as_json(self) -> dict[str, Any]:
        record = {"file": self.file, "table": self.table, "key": self.key, "field": self.field,
                  "old": _plain(self.old), "new": _plain(self.new)}
        if self.reason[0]:
            record["reason"] = self.reason[0]
        return record


@dataclass(frozen=True)
class Refusal:
    """A returned file refused as a whole; nothing of it is applied."""

    file: str
    reason: tuple[str, str]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass
class Collection:
    """What a set of returned surveys would change in ``model`` (which is not touched)."""

    model: ChainModel
    changes: list[Change] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    notices: list[tuple[str, tuple[str, str]]] = field(default_factory=list)  # (file, text)

    @property
    def ok(self) -> bool:
        """Every file accepted and no conflict (the command's exit 0)."""
        return not self.refused and not any(c.status == CONFLICT for c in self.changes)

    def by_status(self, status: str) -> list[Change]:
        return [c for c in self.changes if c.status == status]

    def edits(self, accepted: Iterable[Change] | None = None) -> list[Edit]:
        """The edits that apply ``accepted`` changes (by default every applied one) to
        ``model``, as one list (one undo step). A conflict's side may be accepted;
        accepting two sides of a conflict, a refused or a not-confirmed change raises
        ValueError."""
        chosen = self.by_status(APPLIED) if accepted is None else list(accepted)
        picked: dict[tuple[str, str, str], Change] = {}
        for change in chosen:
            if change.status in (REFUSED, NOT_CONFIRMED):
                raise ValueError(f"{change.status} changes cannot be applied: {change.key}")
            seen = picked.get(change.target)
            if seen is not None and seen.new != change.new:
                raise ValueError(f"two different values accepted for {change.key} "
                                 f"{change.field}")
            picked.setdefault(change.target, change)
        return _edits(self.model, list(picked.values()))

    def merged(self, accepted: Iterable[Change] | None = None) -> ChainModel:
        """Apply the accepted changes to ``model`` itself and return it."""
        for edit in self.edits(accepted):
            edit.apply(self.model)
        return self.model

    def as_json(self) -> dict[str, Any]:
        """{"applied", "conflicts", "refused", "not_confirmed"}: changes as {"file", "table",
        "key", "field", "old", "new"}; a refused file as {"file", "reason"}, a refused
        change with its "reason"."""
        return {"applied": [c.as_json() for c in self.by_status(APPLIED)],
                "conflicts": [c.as_json() for c in self.by_status(CONFLICT)],
                "refused": [{"file": r.file, "reason": r.reason[0]} for r in self.refused]
                + [c.as_json() for c in self.by_status(REFUSED)],
                "not_confirmed": [c.as_json() for c in self.by_status(NOT_CONFIRMED)]}


def _rows_by_key(model: ChainModel, table: str) -> dict[tuple[str, ...], Any]:
    spec = TABLE_BY_ATTR[table]
    return {tuple(getattr(r, k) for k in spec.key): r for r in getattr(model, table)}


def _edits(model: ChainModel, changes: list[Change]) -> list[Edit]:
    edits: list[Edit] = []
    for table in ("enterprises", "links"):
        rows = _rows_by_key(model, table)
        sets = [(rows[c.row_key], c.field, c.new) for c in changes
                if c.table == table and c.field and c.row_key in rows]
        edits += set_field_edits(model, table, sets)
    rows = _rows_by_key(model, "assessments")
    grouped: dict[tuple[str, ...], list[Change]] = {}
    for c in changes:
        if c.table == "assessments" and c.field and c.row_key in rows:
            grouped.setdefault(c.row_key, []).append(c)
    item_keys = {col.key for col in columns() if col.item is not None}
    sets_a: list[tuple[Any, str, Any, Any]] = []
    for key, group in grouped.items():
        row = rows[key]
        answers, grades = dict(row.answers), dict(row.scenarios)
        for c in group:
            target = answers if c.field in item_keys else grades
            if c.new is None:
                target.pop(c.field, None)
            else:
                target[c.field] = c.new
        if answers != row.answers:
            sets_a.append((row, "answers", row.answers, answers))
        if grades != row.scenarios:
            sets_a.append((row, "scenarios", row.scenarios, grades))
    if sets_a:
        edits.append(SetFields("assessments", tuple(sets_a)))
    for table in ("links", "assessments"):
        new = [c.row for c in changes if c.table == table and not c.field]
        edits += append_rows(model, table, new)
    return edits


def _key_text(table: str, key: tuple[str, ...]) -> str:
    return "/".join(key) if table == "assessments" else "→".join(key)


def _read_return(path: Path) -> tuple[ChainModel, dict[str, set[str]], list[Problem]]:
    """A returned survey read as any workbook is (``models.workbook``: the guard, the
    tolerant reader), with the columns each sheet has: a column that is not there is no
    change. Raises ImportFailed."""
    from models import workbook

    aliases = workbook._sheet_aliases()
    result = workbook.read_workbook(path)
    blank = _formulas_without_values(path)
    if blank:
        cells = ", ".join(blank[:5]) + (" …" if len(blank) > 5 else "")
        raise _refuse(f"cells {cells} hold formulas without a computed value (the file was not "
                      "saved by a spreadsheet program): type the values instead",
                      f"单元格 {cells} 中的公式没有计算结果（文件不是由电子表格程序保存的）：请直接填写数值")
    present: dict[str, set[str]] = {}
    for name, header in result.headers.items():
        attr = aliases.get(normalise(name))
        if attr in ("enterprises", "links"):
            table: TableSpec = TABLE_BY_ATTR[attr]
            known = {normalise(n): s.name for s in table.fields for n in (s.name, s.zh)}
        elif attr == "assessments":
            known = {k: c.key for k, c in header_aliases().items()}
        else:
            continue
        present[attr] = {known[normalise(str(h))] for h in header
                         if h is not None and normalise(str(h)) in known}
    return result.model, present, result.notices


_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_CELL_WITH_FORMULA = re.compile(
    rb"<(?:[\w.-]+:)?c\b([^>]*)>((?:(?!</(?:[\w.-]+:)?c>).)*?<(?:[\w.-]+:)?f[\s>/].*?)"
    rb"</(?:[\w.-]+:)?c>", re.DOTALL)
_HAS_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>[^<]")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]+\d+)""")
_SCANNED = 64 * 1024 * 1024  # a sheet this large is no survey; the guard has bounded it


def _formulas_without_values(path: Path) -> list[str]:
    """Cells of any sheet holding a formula but no value a spreadsheet program computed: the
    reader would read them as empty, changing a field to its default behind the user's back.
    (A formula Excel, WPS or LibreOffice saved has its value, which is what is read.)"""
    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name = info.filename.lower()
            if not name.startswith("xl/worksheets/") or info.file_size > _SCANNED:
                continue
            data = archive.read(info)
            if not _FORMULA.search(data):
                continue
            for match in _CELL_WITH_FORMULA.finditer(data):
                if not _HAS_VALUE.search(match.group(2)):
                    ref = _REF.search(b" " + match.group(1))
                    found.append(ref.group(1).decode() if ref else "?")
    return found


def _refuse(en: str, zh: str) -> ImportFailed:
    from models.problems import file_problem

    return ImportFailed([file_problem(en, zh)])


def _mark(model: ChainModel, name: str) -> str:
    for key, value in model.settings.extra.items():
        if normalise(key) == normalise(name) and value is not None:
            return str(value).strip()
    return ""


@dataclass
class _Indexes:
    """What every returned file is compared with, worked out once per collect."""

    model: ChainModel
    fingerprint: str = ""
    enterprises: dict[str, Any] = dataclasses.field(default_factory=dict)
    links: dict[tuple[str, ...], Any] = dataclasses.field(default_factory=dict)
    assessments: dict[tuple[str, ...], Any] = dataclasses.field(default_factory=dict)
    by_firm: dict[str, list[tuple[str, ...]]] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        self.fingerprint = fingerprint(self.model)
        self.enterprises = self.model.enterprise_index()
        self.links = _rows_by_key(self.model, "links")
        self.assessments = _rows_by_key(self.model, "assessments")
        for key in self.links:
            for end in dict.fromkeys(key):
                self.by_firm.setdefault(end, []).append(key)


def _file_changes(indexes: _Indexes, path: Path, name: str, notices: list[Any]
                  ) -> list[Change]:
    """The changes one returned file makes; raises ImportFailed to refuse it whole."""
    returned, present, _ = _read_return(path)
    bad = export_problems(returned, workbook=True)
    if bad:
        raise ImportFailed(bad)
    firm = _mark(returned, MARK_ENTERPRISE)
    if not firm:
        ids = {e.id for e in returned.enterprises}
        if len(ids) != 1:
            raise _refuse("not a survey: its Settings do not say which enterprise it is for",
                          "不是调查表：“设置”表中没有注明所属企业")
        firm = ids.pop()
    index = indexes.enterprises
    if firm not in index:
        raise _refuse(f"it is for enterprise '{firm}', which is not in the model",
                      f"该文件属于企业“{firm}”，而模型中没有此企业")
    if _mark(returned, MARK_FINGERPRINT) not in ("", indexes.fingerprint):
        notices.append((name, ("made from another version of the model: compared with the "
                               "model as it is now",
                               "该调查表由模型的另一版本生成：已与当前模型比较")))
    for e in returned.enterprises:
        if e.id != firm:
            raise _refuse(f"the Enterprises sheet has a row of another enterprise ('{e.id}')",
                          f"“企业”表中有其他企业（“{e.id}”）的行")
    for link in returned.links:
        if firm not in (link.supplier, link.buyer):
            raise _refuse(f"the Links sheet has a link that does not touch '{firm}' "
                          f"({link.supplier} → {link.buyer})",
                          f"“链接”表中有与“{firm}”无关的供应关系（{link.supplier} → {link.buyer}）")
    for a in returned.assessments:
        if a.enterprise != firm:
            raise _refuse(f"the Assessments sheet has a row of another enterprise "
                          f"('{a.enterprise}')", f"“评测”表中有其他企业（“{a.enterprise}”）的行")
    for table, rows in (("enterprises", returned.enterprises), ("links", returned.links),
                        ("assessments", returned.assessments)):
        spec = TABLE_BY_ATTR[table]
        seen: set[tuple[str, ...]] = set()
        for row in rows:
            key = tuple(getattr(row, k) for k in spec.key)
            if key in seen:
                raise _refuse(f"{spec.sheet}: {_key_text(table, key)} appears twice",
                              f"“{spec.zh[0]}”表：{_key_text(table, key)} 出现了两次")
            seen.add(key)

    changes: list[Change] = []

    def add(table: str, key: tuple[str, ...], name_: str, old: Any, new: Any, **kw: Any) -> None:
        texts = [new] if isinstance(new, str) else [
            v for v in (new or {}).values() if isinstance(v, str)] if isinstance(new, dict) else []
        if any(len(t) > MAX_TEXT for t in texts):
            longest = max(len(t) for t in texts)
            kw.update(status=REFUSED, reason=(
                f"a text of {longest:,} characters: at most {MAX_TEXT:,} are taken from a survey",
                f"文本长 {longest:,} 个字符：调查表中的文本最多 {MAX_TEXT:,} 个字符"))
        changes.append(Change(name, table, _key_text(table, key), name_, old, new,
                              row_key=key, **kw))

    current = index[firm]
    for row in returned.enterprises:
        sent = _sent_of(row)
        for f in _COMPARED["enterprises"]:
            if f in present.get("enterprises", ()) and _changed(
                    f, getattr(row, f), getattr(current, f), sent):
                add("enterprises", (firm,), f, getattr(current, f), getattr(row, f))
    links = indexes.links
    confirmed = set()
    for row in returned.links:
        key = (row.supplier, row.buyer)
        confirmed.add(key)
        if key in links:
            sent = _sent_of(row)
            for f in _COMPARED["links"]:
                if f in present.get("links", ()) and _changed(
                        f, getattr(row, f), getattr(links[key], f), sent):
                    add("links", key, f, getattr(links[key], f), getattr(row, f))
            continue
        other = row.buyer if row.supplier == firm else row.supplier
        new = Link(**{f: getattr(row, f) for f in ("supplier", "buyer", *_COMPARED["links"])})
        if other == firm:
            add("links", key, "", None, record_of(new), status=REFUSED,
                reason=("a link from an enterprise to itself", "企业不能与自身建立供应关系"), row=new)
        elif other not in index:
            add("links", key, "", None, record_of(new), status=REFUSED,
                reason=(f"no enterprise '{other}' in the model", f"模型中没有企业“{other}”"),
                row=new)
        else:
            add("links", key, "", None, record_of(new), row=new)
    for key in indexes.by_firm.get(firm, []):
        if key not in confirmed:
            add("links", key, "", record_of(links[key]), None, status=NOT_CONFIRMED,
                reason=("missing from the return: kept", "回复中没有此供应关系：保留"))
    assessments = indexes.assessments
    cols = [c for c in columns() if c.item is not None or c.scenario is not None]
    for row in returned.assessments:
        key = (row.enterprise, row.date)
        if key not in assessments:
            if row.answers or row.scenarios:
                new_row = Assessment(enterprise=row.enterprise, date=row.date,
                                     answers=dict(row.answers), scenarios=dict(row.scenarios))
                add("assessments", key, "", None, {"enterprise": row.enterprise,
                                                   "date": row.date, "answers": row.answers,
                                                   "scenarios": row.scenarios}, row=new_row)
            continue
        old_row = assessments[key]
        sent = _sent_of(row)
        if sent.get("date") != row.date:
            sent = {}
        for c in cols:
            if c.key not in present.get("assessments", ()):
                continue
            group = "answers" if c.item is not None else "scenarios"
            old, new = getattr(old_row, group).get(c.key), getattr(row, group).get(c.key)
            if _changed(c.key, new, old, sent):
                add("assessments", key, c.key, old, new)
    return changes


def collect(model: ChainModel, paths: Sequence[str | os.PathLike[str]]) -> Collection:
    """What the returned surveys at ``paths`` change in ``model`` (left untouched).

    A file is refused as a whole (``Collection.refused``) when it cannot be read, is for
    an enterprise not in the model, or holds rows of other enterprises. Two files setting
    the same field differently are a conflict: neither is applied. A change that would
    break a rule of the model (validation) is refused with the rule's words.
    """
    collection = Collection(model)
    indexes = _Indexes(model)
    for raw in paths:
        path = Path(raw)
        try:
            collection.changes += _file_changes(indexes, path, path.name, collection.notices)
        except ImportFailed as failure:
            reason = failure.problems[0] if failure.problems else None
            collection.refused.append(Refusal(path.name, (reason.text("en"), reason.text(
                "zh_CN")) if reason else ("not readable", "无法读取")))
    _mark_conflicts(collection)
    _refuse_invalid(collection)
    return collection


def _mark_conflicts(collection: Collection) -> None:
    values: dict[tuple[str, str, str], set[Any]] = {}
    files: dict[tuple[str, str, str], list[str]] = {}
    for c in collection.changes:
        if c.status == APPLIED:
            values.setdefault(c.target, set()).add(repr(c.new))
            files.setdefault(c.target, []).append(c.file)
    for i, c in enumerate(collection.changes):
        if c.status == APPLIED and len(values[c.target]) > 1:
            others = ", ".join(f for f in dict.fromkeys(files[c.target]) if f != c.file)
            collection.changes[i] = _with(c, CONFLICT, (f"set differently by {others}",
                                                        f"{others} 填写的值不同"))


def _with(change: Change, status: str, reason: tuple[str, str]) -> Change:
    return dataclasses.replace(change, status=status, reason=reason)


def _refuse_invalid(collection: Collection) -> None:
    """Refuse the applied changes whose rows break a rule of the model once applied."""
    from models.validation import validate

    model = collection.model
    before = {p.text() for p in validate(model) if p.is_error}
    for _ in range(20):
        edits = collection.edits()
        if not edits:
            return
        applied = [edit.apply(model) for edit in edits]
        try:
            problems = [p for p in validate(model) if p.is_error and p.text() not in before]
            blamed: dict[tuple[str, tuple[str, ...]], tuple[str, str]] = {}
            for p in problems:
                table = next((t for t in TABLE_BY_ATTR.values() if t.sheet == p.table[0]), None)
                if table is None or p.index is None:
                    continue
                row = getattr(model, table.attr)[p.index]
                blamed.setdefault((table.attr, tuple(getattr(row, k) for k in table.key)),
                                  p.what)
        finally:
            for edit in reversed(edits):
                edit.inverse().apply(model)
            del applied
        if not problems:
            return
        hit = False
        for i, c in enumerate(collection.changes):
            why = blamed.get((c.table, c.row_key))
            if c.status == APPLIED and why is not None:
                collection.changes[i] = _with(c, REFUSED, why)
                hit = True
        if not hit:  # a rule of the whole chain (e.g. one core): refuse every change
            for i, c in enumerate(collection.changes):
                if c.status == APPLIED:
                    collection.changes[i] = _with(c, REFUSED, problems[0].what)
            return


STATUS_TEXT = {APPLIED: ("applied", "已应用"), CONFLICT: ("conflict", "冲突"),
               REFUSED: ("refused", "已拒绝"), NOT_CONFIRMED: ("not confirmed", "未确认")}


def field_label(table: str, name: str, lang: str) -> str:
    """A change's field as the user's workbook names it (a health-check item or scenario by
    its Chinese name in Chinese)."""
    if lang != "zh_CN" or not name:
        return name
    spec = TABLE_BY_ATTR[table]
    if table == "assessments":
        column = next((c for c in columns() if c.key == name), None)
        return column.zh if column else name
    return next((f.zh for f in spec.fields if f.name == name), name)


def change_text(change: Change, lang: str = "en") -> str:
    """One line for a change: file, table, key, field, old → new, status and reason."""
    zh = lang == "zh_CN"
    table = TABLE_BY_ATTR[change.table].sheet_name(lang)
    if change.field:
        what = (f"{field_label(change.table, change.field, lang)}: {_shown(change.old)!s} → "
                f"{_shown(change.new)!s}")
    elif change.new is not None:
        what = "新增" if zh else "added"
    else:
        what = "回复中没有" if zh else "missing from the return"
    reason = change.reason[zh]
    status = STATUS_TEXT[change.status][zh]
    return (f"{change.file}{'：' if zh else ': '}{table} {change.key} {what} [{status}]"
            + (f" {reason}" if reason and change.status != NOT_CONFIRMED else ""))


def changes_workbook(collection: Collection, path: str | os.PathLike[str], lang: str = "en"
                     ) -> None:
    """The change list as a workbook to archive: one row per change and refused file."""
    from openpyxl import Workbook

    from models.atomic import write_atomic
    from models.workbook import ExtraSheet, _SheetWriter

    zh = lang == "zh_CN"
    header = (["文件", "表", "键", "字段", "原值", "新值", "状态", "原因"] if zh else
              ["file", "table", "key", "field", "old", "new", "status", "reason"])
    rows: list[list[Any]] = []
    for c in collection.changes:
        rows.append([c.file, TABLE_BY_ATTR[c.table].sheet_name(lang), c.key,
                     field_label(c.table, c.field, lang), _shown(c.old), _shown(c.new),
                     STATUS_TEXT[c.status][zh], c.reason[zh]])
    for r in collection.refused:
        rows.append([r.file, "", "", "", None, None, STATUS_TEXT[REFUSED][zh], r.reason[zh]])
    book = Workbook(write_only=True)
    _SheetWriter(book, lang).extra(ExtraSheet("变更" if zh else "Changes", header, rows))
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(path, buffer.getvalue())


def _shown(value: Any) -> Any:
    if value is None or isinstance(value, (int, float, str)):
        return value
    import json

    return json.dumps(_plain(value), ensure_ascii=False)
