"""Checks a file is a sane .xlsx before any XML parser or native reader sees it.

The fast reader (calamine) allocates the whole rectangle between the first and
the last cell, so a few bytes naming cell XFD1048576 would ask for hundreds of
GB and abort the process. We therefore look, with cheap byte scans, at:
the container (zip, not an encrypted or legacy OLE file), the declared and
actual inflated sizes (zip bombs), any DTD (entity expansion tricks are
refused outright, which is stricter than defusing them), and the real extent
of the cells of each worksheet.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from models.problems import ImportFailed, file_problem

MAX_INFLATED = 1024 * 1024 * 1024  # all parts together
MAX_RATIO = 200  # inflated / compressed, per part; real sheets stay well under 100
MAX_CELLS = 20_000_000  # rows x columns the reader may allocate for one sheet

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d{1,7})"')
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _fail(en: str, zh: str) -> ImportFailed:
    return ImportFailed([file_problem(en, zh)])


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def check_xlsx(path: Path) -> None:
    """Raise ImportFailed with a clear message if the file must not be read."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise _fail(f"cannot open the file: {exc.strerror}", f"无法打开文件：{exc.strerror}") from None
    if head == _OLE_MAGIC:
        data = path.read_bytes()
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise _fail("the workbook is password-protected: remove the password in Excel "
                        "(File ▸ Info ▸ Protect Workbook) and save it again",
                        "工作簿受密码保护：请在 Excel 中取消密码后重新保存")
        raise _fail("this is an old .xls workbook: save it as .xlsx in Excel or WPS first",
                    "这是旧版 .xls 工作簿：请先在 Excel 或 WPS 中另存为 .xlsx")
    if not zipfile.is_zipfile(path):
        raise _fail("not an Excel workbook (.xlsx): the file is not a zip container",
                    "不是 Excel 工作簿（.xlsx）：文件格式不符")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            NotImplementedError) as exc:
        raise _fail(f"the workbook is damaged ({exc})", f"工作簿已损坏（{exc}）") from None


def _check_archive(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise _fail("not an Excel workbook: it has no xl/workbook.xml part",
                    "不是 Excel 工作簿：缺少 xl/workbook.xml")
    if sum(info.file_size for info in infos) > MAX_INFLATED:
        raise _fail("the workbook would inflate to more than 1 GB; refused as unsafe",
                    "工作簿解压后超过 1 GB，出于安全原因拒绝读取")
    for info in infos:
        if info.flag_bits & 0x1:
            raise _fail("the workbook is encrypted", "工作簿已加密")
        if info.file_size > MAX_RATIO * max(info.compress_size, 1024):
            raise _fail(f"part {info.filename} inflates {info.file_size // max(info.compress_size, 1)}"
                        " times its size (a zip bomb); refused as unsafe",
                        f"部件 {info.filename} 解压比例异常（疑似压缩炸弹），拒绝读取")
        if not info.filename.endswith((".xml", ".rels")):
            continue
        data = _read_bounded(archive, info)
        if _DTD.search(data):
            raise _fail(f"part {info.filename} declares XML entities (DTD); refused as unsafe",
                        f"部件 {info.filename} 含有 XML 实体声明，出于安全原因拒绝读取")
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = data.decode("utf-16", errors="replace").encode("utf-8")
            if _DTD.search(text):
                raise _fail(f"part {info.filename} declares XML entities (DTD); refused as unsafe",
                            f"部件 {info.filename} 含有 XML 实体声明，出于安全原因拒绝读取")
        if info.filename.startswith("xl/worksheets/"):
            _check_extent(info.filename, data)


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read a part, never inflating more than it declares (zipfile checks the CRC)."""
    with archive.open(info) as part:
        data = part.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise _fail(f"part {info.filename} is larger than its header says (damaged or hostile)",
                    f"部件 {info.filename} 大小与声明不符（已损坏或恶意文件）")
    return data


def _check_extent(name: str, data: bytes) -> None:
    refs = _CELL_REF.findall(data)
    if not refs:
        return
    max_row = max(int(row) for _, row in refs)
    max_col = max(_column_number(letters) for letters in {c for c, _ in refs})
    if max_row * max_col > MAX_CELLS:
        last = refs[-1]
        raise _fail(f"sheet part {name} has a cell as far out as column {max_col}, row {max_row} "
                    f"(e.g. {last[0].decode()}{last[1].decode()}): over {MAX_CELLS:,} cells; "
                    "delete the stray cells far below or right of the data and save again",
                    f"工作表 {name} 中有远离数据区的单元格（第 {max_row} 行，第 {max_col} 列），"
                    "请删除数据区以外的多余单元格后重新保存")
