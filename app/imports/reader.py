"""Opening an uploaded ledger file: size and row limits, the type told by the content (not the
name), zip bombs refused before anything unpacks them, then pandas reads every cell as an
object (text, or the number or date the spreadsheet holds; never a float it inferred).
An .xlsx is read with calamine (a compiled reader, eight times openpyxl's speed on the
bench ledger; pandas gives the same cell values from both), an .xls with xlrd."""
from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from app.domain.errors import UserFacingError

from .collector import collector_paused

log = logging.getLogger(__name__)

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXTENSIONS = {".xlsx": "xlsx", ".xls": "xls", ".csv": "csv", ".txt": "csv"}
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')
# A title or blank rows may stand above the header; that many more rows are allowed for them.
HEADER_ROOM = 20


def raw_row_limit(limits: "Limits") -> int:
    """Sheet rows (blank ones included) beyond which a sheet cannot hold few enough data rows;
    the data rows themselves are counted exactly once the sheet is read."""
    return limits.max_rows + limits.max_rows // 10 + HEADER_ROOM


class ImportFileError(UserFacingError):
    """A file that cannot be imported at all."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 20_000
    max_uncompressed: int = 256 * 1024 * 1024
    max_ratio: int = 200

    @classmethod
    def from_config(cls, config) -> "Limits":
        return cls(config["IMPORT_MAX_BYTES"], config["IMPORT_MAX_ROWS"], config["IMPORT_MAX_UNCOMPRESSED"],
                   config["IMPORT_MAX_RATIO"])


@dataclass
class RawSheet:
    """A sheet's cells as read; rows[0] is the sheet's row 1. `merged`: the merged ranges of an
    .xlsx as (first row, first column, last row, last column), 0-based, the value in the first cell."""
    name: str
    rows: list[list]
    is_csv: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def file_kind(file_name: str, content: bytes, limits: Limits) -> str:
    """xlsx, xls or csv, from the content; the name's extension must be one of those."""
    suffix = PurePath(file_name or "").suffix.lower()
    if suffix not in EXTENSIONS:
        raise ImportFileError("只能导入 .xlsx、.xls 或 .csv 文件")
    if not content:
        raise ImportFileError("文件是空的")
    if len(content) > limits.max_bytes:
        raise ImportFileError(f"文件大小为 {megabytes(len(content))}，超过导入上限 {megabytes(limits.max_bytes)}；"
                              f"请分成几个文件导入")
    if content.startswith(XLSX_MAGIC) or content.startswith(b"PK\x05\x06"):
        check_zip(content, limits)
        return "xlsx"
    if content.startswith(OLE_MAGIC):
        return "xls"
    if EXTENSIONS[suffix] != "csv":
        raise ImportFileError(f"文件扩展名为 {suffix}，但内容不是 Excel 工作簿；请在 Excel 或 WPS 中另存为 .xlsx 后再导入")
    return "csv"


def check_zip(content: bytes, limits: Limits) -> None:
    """Refuse what is not an .xlsx, and zip bombs, from the archive's directory alone.

    Python's zipfile never yields more than a member's declared size (and fails on a CRC
    mismatch), so checking the declared sizes bounds what the reader will unpack.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError("文件已损坏，或不是有效的 .xlsx 工作簿") from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise ImportFileError("该压缩文件不是 Excel 工作簿（.xlsx）")
    if len(members) > 10_000:
        raise ImportFileError("工作簿内部文件过多，疑似恶意构造的文件，已拒绝")
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed:
        raise ImportFileError(f"工作簿解压后达 {megabytes(total)}，超过上限 {megabytes(limits.max_uncompressed)}，"
                              f"疑似压缩炸弹，已拒绝")
    # Every member's ratio, whatever its size (many members of just under 1 MB each once passed).
    for member in members:
        if member.file_size > limits.max_ratio * max(member.compress_size, 1):
            raise ImportFileError(f"工作簿中“{member.filename}”的压缩比超过 {limits.max_ratio}:1，疑似压缩炸弹，已拒绝")
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            try:
                with archive.open(member) as stream:
                    head = stream.read(4096)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
                raise ImportFileError("文件已损坏，或不是有效的 .xlsx 工作簿") from None
            match = _DIMENSION.search(head)
            if match and match.group(1) and int(match.group(1)) > raw_row_limit(limits):
                raise ImportFileError(f"工作表有 {int(match.group(1)):,} 行，超过每个工作表 {limits.max_rows:,} 行的导入上限；"
                                      f"请分成几个文件导入")


def read_book(file_name: str, content: bytes, limits: Limits) -> list[RawSheet]:
    kind = file_kind(file_name, content, limits)
    if kind == "csv":
        sheets = [_read_csv(file_name, content)]
    else:
        try:
            with collector_paused():
                sheets = _read_xlsx(_stored(content)) if kind == "xlsx" else _read_xls(content)
        except Exception as error:  # calamine, xlrd and zipfile raise many kinds for a broken file
            log.info("unreadable %s upload %r: %s", kind, file_name, error)
            raise ImportFileError(f"无法读取该{'.xlsx' if kind == 'xlsx' else '.xls'}文件：文件已损坏、设置了密码，"
                                  f"或不是有效的 Excel 工作簿") from None
    for sheet in sheets:
        if len(sheet.rows) > raw_row_limit(limits):
            raise ImportFileError(f"工作表“{sheet.name}”有 {len(sheet.rows):,} 行，超过每个工作表 {limits.max_rows:,} 行的"
                                  f"导入上限；请分成几个文件导入")
    return sheets


def _read_xlsx(book: bytes) -> list[RawSheet]:
    """Every sheet's cells straight from calamine, row by row, as pandas' calamine engine gives
    them (a whole-number float as an int, a date as a datetime; a blank cell is ""), without
    building a DataFrame of the whole book: a third of the time, and one copy of the cells."""
    from python_calamine import CalamineWorkbook
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(book))
    sheets = []
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        for row in rows:
            if _needs_converting(row):
                row[:] = [_cell(value) for value in row]
        # As pandas reads a sheet: rows after the last that holds a cell are not there.
        while rows and all(value == "" for value in rows[-1]):
            rows.pop()
        merged = [(first[0], first[1], last[0], last[1]) for first, last in (sheet.merged_cell_ranges or [])]
        sheets.append(RawSheet(str(name), rows, merged=merged))
    return sheets


def _needs_converting(row: list) -> bool:
    for value in row:
        if type(value) is not str:
            return True
    return False


def _cell(value):
    kind = type(value)
    if kind is str:
        return value
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is date:
        return datetime(value.year, value.month, value.day)
    return value


def _read_xls(content: bytes) -> list[RawSheet]:
    import pandas as pd  # on first use: every process (and `flask progress`) would pay 0.3 s to start
    with warnings.catch_warnings():
        # pandas 3 announces the end of its xlrd engine; xlrd is pinned for .xls until then.
        warnings.filterwarnings("ignore", message="The xlrd engine is deprecated")
        frames = pd.read_excel(io.BytesIO(content), sheet_name=None, header=None, dtype=object,
                               keep_default_na=False, na_values=[], engine="xlrd")
    return [RawSheet(str(name), frame.values.tolist()) for name, frame in frames.items()]


def _stored(content: bytes) -> bytes:
    """The workbook unpacked by Python's zipfile and packed again uncompressed.

    check_zip bounds what the archive's directory declares, and Python's zipfile never
    yields more than a member's declared size (nor data failing its CRC); calamine's own
    unzipping makes no such promise, so it only ever sees members already unpacked here,
    stored as they are.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for member in source.infolist():
            target.writestr(member.filename, source.read(member))
    return out.getvalue()


def decode_text(content: bytes) -> str:
    """CSV text in UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if content.startswith(bom):
            try:
                return content[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise ImportFileError("CSV 文件的编码有误，无法读取") from None
    if b"\x00" in content[:8192]:
        raise ImportFileError("文件不是文本格式的 CSV；Excel 文件请保存为 .xlsx 后导入")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码的 CSV") from None


def _read_csv(file_name: str, content: bytes) -> RawSheet:
    text = decode_text(content)
    first_line = text.split("\n", 1)[0]
    sep = "\t" if first_line.count("\t") > first_line.count(",") else ","
    # Rows may have fewer cells than the widest one; give pandas the widest count up front.
    width = max((len(row) for row in csv.reader(io.StringIO(text), delimiter=sep)), default=0)
    if width == 0:
        raise ImportFileError("文件是空的")
    import pandas as pd
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, names=range(width), dtype=object,
                            keep_default_na=False, na_values=[], skip_blank_lines=False, engine="c")
    except Exception as error:
        log.info("unreadable csv upload %r: %s", file_name, error)
        raise ImportFileError("无法读取该 CSV 文件，请检查引号和分隔符是否成对、一致") from None
    return RawSheet(PurePath(file_name).stem or "CSV", frame.values.tolist(), is_csv=True)
