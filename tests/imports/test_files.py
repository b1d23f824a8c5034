"""Files: .xlsx, .xls and .csv in the encodings zones save; and what is refused before anything is
read: oversized files, files that are not what their name says, zip bombs, too many rows."""
import io
import struct
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app.imports.reader import ImportFileError, Limits, read_book
from app.imports.locating import locate_sheets
from app.models import Contact, Project
from tests.imports.conftest import (CONTACT_HEADERS, PROJECT_HEADERS, contact_row, csv_bytes, ledger_file,
                                    project_row, xlsx_bytes)

DATA = Path(__file__).with_name("data")
ROWS = [PROJECT_HEADERS, project_row(code="C-1", name="新能源电池项目", total="1,200", stage="签约", signed_on="2024/3/5",
                                     manufacturing="√", investor="北京华创科技有限公司")]


def refused(content: bytes, name: str = "台账.xlsx", **limits) -> str:
    with pytest.raises(ImportFileError) as caught:
        locate_sheets(read_book(name, content, Limits(**limits)), Limits(**limits).max_rows)
    return str(caught.value)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030", "utf-16"])
def test_csv_in_the_encodings_zones_save(world, run_import, db, encoding):
    content = csv_bytes(ROWS, encoding)
    summary = run_import(world.zone_a, content, name="台账.csv")
    assert summary["projects"]["created"] == 1, summary["text"]
    project = db.session.scalars(select(Project)).one()
    assert project.name == "新能源电池项目" and project.investor.name == "北京华创科技有限公司"
    assert project.total_investment == 12_000_000 and project.is_manufacturing and project.stage == "signed"


def test_tab_separated_text_from_excel(world, run_import, db):
    text = "\n".join("\t".join(str(c) for c in row) for row in ROWS)
    summary = run_import(world.zone_a, ("\ufeff" + text).encode("utf-8"), name="台账.txt")
    assert summary["projects"]["created"] == 1, summary["text"]


def test_a_contacts_csv_is_recognised_by_its_headers(world, run_import, make_project, db):
    make_project(world.zone_a, name="新能源电池项目", code="C-1")
    rows = [CONTACT_HEADERS, contact_row(code="C-1"), [""] * 3, contact_row(code="C-1", summary="二")]
    content = csv_bytes(rows, "gbk")
    summary = run_import(world.zone_a, content, name="对接.csv")
    assert summary["sheets"][0]["name"] == "对接记录"
    assert summary["contacts"]["created"] == 2, summary["text"]
    assert db.session.query(Contact).count() == 2


def test_csv_errors_name_the_csv_row(world, run_import):
    content = csv_bytes([PROJECT_HEADERS, project_row(name="好"), project_row(name="坏", total="-1")], "utf-8-sig")
    summary = run_import(world.zone_a, content, name="台账.csv")
    assert [(e["sheet"], e["row"]) for e in summary["errors"]] == [("项目台账", 3)]


def test_legacy_xls(world, run_import, db):
    summary = run_import(world.zone_a, (DATA / "ledger.xls").read_bytes(), name="旧台账.xls")
    assert summary["projects"]["created"] == 2 and summary["contacts"]["created"] == 1, summary["text"]
    one = db.session.scalars(select(Project).where(Project.code == "X-001")).one()
    assert one.total_investment == 12_005_000 and str(one.signed_on) == "2024-03-05" and one.is_manufacturing
    assert db.session.scalars(select(Project.total_investment).where(Project.code == "X-002")).one() == 30_000_000


def test_oversized_files_are_refused_with_the_limit():
    content = ledger_file([project_row()])
    assert refused(content, max_bytes=2048) == f"文件大小为 {len(content) / 1024:.0f} KB，超过导入上限 2 KB；请分成几个文件导入"
    assert refused(b"x" * (11 * 1024 * 1024), "台账.csv") == "文件大小为 11.0 MB，超过导入上限 10.0 MB；请分成几个文件导入"


@pytest.mark.parametrize("content, name, message", [
    (b"%PDF-1.7 not a workbook", "台账.xlsx", "文件扩展名为 .xlsx，但内容不是 Excel 工作簿；请在 Excel 或 WPS 中另存为 .xlsx 后再导入"),
    (b"\x00\x01\x02binary", "台账.csv", "文件不是文本格式的 CSV；Excel 文件请保存为 .xlsx 后导入"),
    (b"", "台账.xlsx", "文件是空的"),
    (b"a,b", "台账.pdf", "只能导入 .xlsx、.xls 或 .csv 文件"),
    (b"a,b", "台账", "只能导入 .xlsx、.xls 或 .csv 文件"),
    ("项目名称,投资方\n甲,乙".encode("big5", errors="ignore") + b"\xff\xfe\xfd", "台账.csv", "无法识别 CSV 文件的编码"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "台账.xls", "无法读取该.xls文件：文件已损坏、设置了密码，或不是有效的 Excel 工作簿"),
    (b"just,some\ntext,here\n", "台账.csv", "文件中没有找到项目台账、对接记录或到位资金"),
])
def test_malformed_files(content, name, message):
    assert refused(content, name).startswith(message)


def test_a_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert refused(out.getvalue()) == "该压缩文件不是 Excel 工作簿（.xlsx）"


def test_a_truncated_workbook():
    content = ledger_file([project_row()])
    assert refused(content[: len(content) // 2]) == "文件已损坏，或不是有效的 .xlsx 工作簿"


def test_a_workbook_with_broken_sheet_xml():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(ledger_file([project_row()]))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, b"<worksheet><sheetData><row" if item.filename.startswith("xl/worksheets/") else data)
    assert refused(out.getvalue()).startswith("无法读取该.xlsx文件")


def _bomb(size: int, method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * size + b"</worksheet>")
    return out.getvalue()


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    bomb = _bomb(20 * 1024 * 1024)
    assert len(bomb) < 100_000
    assert refused(bomb) == "工作簿中“xl/worksheets/sheet1.xml”的压缩比超过 200:1，疑似压缩炸弹，已拒绝"


def test_a_workbook_that_unpacks_too_large_is_refused():
    assert refused(_bomb(3 * 1024 * 1024, zipfile.ZIP_STORED), max_uncompressed=2 * 1024 * 1024) == (
        "工作簿解压后达 3.0 MB，超过上限 2.0 MB，疑似压缩炸弹，已拒绝")


def test_a_zip_whose_directory_lies_about_sizes_cannot_unpack_more_than_it_says():
    honest = _bomb(2 * 1024 * 1024)
    lying = bytearray(honest)
    # Shrink every declared uncompressed size of the sheet to 100 bytes, in the local header
    # (offset 22) and the central directory (offset 24).
    name = b"xl/worksheets/sheet1.xml"
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := lying.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if lying[name_at:name_at + len(name)] == name:
                struct.pack_into("<I", lying, start + offset, 100)
            start += 4
    assert refused(bytes(lying)).startswith(("无法读取该.xlsx文件", "文件已损坏"))


def test_too_many_rows_are_refused_before_and_after_reading():
    rows = [PROJECT_HEADERS] + [project_row(name=f"项目{i}") for i in range(60)]
    content = xlsx_bytes({"项目台账": rows})
    # openpyxl writes the sheet's dimension, so the size is known before pandas reads a cell.
    assert refused(content, max_rows=30) == "工作表有 61 行，超过每个工作表 30 行的导入上限；请分成几个文件导入"
    # Blank rows do not count, the data rows do.
    assert refused(csv_bytes(rows), "台账.csv", max_rows=50) == (
        "工作表“项目台账”有 60 行数据，超过每个工作表 50 行的导入上限；请分成几个文件导入")


def test_a_contacts_sheet_missing_a_required_column():
    content = xlsx_bytes({"对接记录": [["对接日期", "项目名称", "对接内容"], ["2024-03-01", "甲", "乙"]]})
    assert refused(content) == "工作表“对接记录”缺少必需的列：对接领导、对接方式"


def test_a_header_twice():
    content = xlsx_bytes({"台账": [["项目名称", "投资方", "项目名"], ["甲", "乙", "丙"]]})
    assert refused(content) == "工作表“台账”的表头中“项目名称”出现了不止一次"


def test_the_notes_sheet_and_sheets_without_a_ledger_are_ignored(world, run_import):
    content = xlsx_bytes({"说明": [["这是一个说明"]], "填写说明": [["工作表", "列名"], ["项目台账", "项目名称"]],
                          "项目台账": ROWS})
    summary = run_import(world.zone_a, content)
    assert [s["name"] for s in summary["sheets"]] == ["项目台账"]


def test_many_members_just_under_a_megabyte_each_are_refused_by_their_ratio():
    """Issue 17 item 9: a 0.29 MB file of many 1 MB members once passed and took ~1 GB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(40):
            archive.writestr(f"xl/media/pad{i}.xml", b" " * (1024 * 1024 - 1))
    bomb = out.getvalue()
    assert len(bomb) < 300_000
    assert refused(bomb) == "工作簿中“xl/media/pad0.xml”的压缩比超过 200:1，疑似压缩炸弹，已拒绝"
