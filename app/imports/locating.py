"""Finding the ledger in the sheets of a file as zones keep them: which sheet is the project ledger
and which the contact log (by their header row, wherever it is among the first rows, whatever
the sheets are called), and each data row as text by column key.

Kept apart from planning so that a file's shape (title rows, other header names, unknown
columns, the template's example row, too many rows) is refused or forgiven before anything
of the zone is read: a file that is not a ledger never costs a query.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.domain import ledger as L
from app.exports import FORMULA_PREFIXES

from .reader import HEADER_ROOM, ImportFileError, RawSheet

PROJECTS, CONTACTS = "projects", "contacts"   # the two kinds of sheet
SHEET_NAMES = {PROJECTS: L.PROJECT_SHEET, CONTACTS: L.CONTACT_SHEET}


@dataclass
class Sheet:
    name: str
    kind: str
    headers: dict[str, str]       # key -> the header as the file writes it
    units: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]   # (sheet row number, key -> cell text)
    ignored_columns: list[str]
    skipped_examples: int = 0


def _unescape(text: str) -> str:
    """Undo the export's formula neutralisation ('=…), so an exported file reads back as it was."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _find_header(rows: list[list]) -> tuple[int, str, L.HeaderMatch] | None:
    for index, cells in enumerate(rows[:HEADER_ROOM]):
        contacts = L.match_headers(cells, L.CONTACT_COLUMNS)
        if "occurred_on" in contacts.positions and ({"summary", "leaders"} & set(contacts.positions)):
            return index, CONTACTS, contacts
        projects = L.match_headers(cells, L.PROJECT_COLUMNS)
        if "name" in projects.positions and len(projects.positions) >= 2:
            return index, PROJECTS, projects
    return None


def locate_sheets(raw_sheets: list[RawSheet], max_rows: int) -> list[Sheet]:
    sheets = []
    for raw in raw_sheets:
        if raw.name.strip() == L.NOTES_SHEET:
            continue
        found = _find_header(raw.rows)
        if found is None:
            continue
        index, kind, match = found
        name = SHEET_NAMES[kind] if raw.is_csv else raw.name
        if match.duplicates:
            raise ImportFileError(f"工作表“{name}”的表头中“{match.duplicates[0]}”出现了不止一次")
        columns = L.CONTACT_COLUMNS if kind == CONTACTS else L.PROJECT_COLUMNS
        if kind == CONTACTS:
            missing = [c.header for c in columns if c.required and c.key not in match.positions]
            if "code" not in match.positions and "name" not in match.positions:
                missing.append("项目编号或项目名称")
            if missing:
                raise ImportFileError(f"工作表“{name}”缺少必需的列：{'、'.join(missing)}")
        header_cells = raw.rows[index]
        headers = {key: L.cell_text(header_cells[pos]).strip() for key, pos in match.positions.items()}
        example = L.example_row(columns)
        sheet = Sheet(name, kind, headers, match.units, [], match.ignored)
        positions = list(match.positions.items())
        for number, cells in enumerate(raw.rows[index + 1:], start=index + 2):
            texts = {key: _unescape(L.cell_text(cells[pos]) if pos < len(cells) else "") for key, pos in positions}
            if not any(t.strip() for t in texts.values()):
                continue
            if all(texts[key].strip() == example[key] for key in texts):
                sheet.skipped_examples += 1
                continue
            sheet.rows.append((number, texts))
        if len(sheet.rows) > max_rows:
            raise ImportFileError(f"工作表“{name}”有 {len(sheet.rows):,} 行数据，超过每个工作表 {max_rows:,} 行的导入上限；"
                                  f"请分成几个文件导入")
        sheets.append(sheet)
    if not sheets:
        raise ImportFileError("文件中没有找到项目台账或对接记录：项目台账的表头应包含“项目名称”，对接记录的表头应包含"
                              "“对接日期”和“对接内容”。请使用导入模板")
    return sheets

