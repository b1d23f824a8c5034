"""Finding the ledger in the sheets of a file as zones keep them: which sheet is the project ledger
and which the contact log (by their header row, wherever it is among the first rows, whatever
the sheets are called), and each data row as text by column key.

Kept apart from planning so that a file's shape (title rows, other header names, unknown
columns, the template's example row, too many rows) is refused or forgiven before anything
of the zone is read: a file that is not a ledger never costs a query.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain import classifications as K
from app.domain import ledger as L
from app.exports import FORMULA_PREFIXES

from .mapping import Answers, plan_columns
from .reader import HEADER_ROOM, ImportFileError, RawSheet

PROJECTS, CONTACTS, ARRIVALS = "projects", "contacts", "arrivals"   # the three kinds of sheet
SHEET_NAMES = {PROJECTS: L.PROJECT_SHEET, CONTACTS: L.CONTACT_SHEET, ARRIVALS: L.ARRIVAL_SHEET}
COLUMNS = {PROJECTS: L.PROJECT_COLUMNS, CONTACTS: L.CONTACT_COLUMNS, ARRIVALS: L.ARRIVAL_COLUMNS}


@dataclass
class Sheet:
    name: str
    kind: str
    headers: dict[str, str]       # key -> the header as the file writes it
    units: dict[str, str]
    rows: list[tuple[int, dict[str, str]]]   # (sheet row number, key -> cell text)
    ignored_columns: list[str]
    skipped_examples: int = 0
    # Total and subtotal rows skipped: (row number, why), listed in the summary.
    skipped_totals: list[tuple[int, str]] = field(default_factory=list)
    # Group headings, repeated header rows and blank rows between data rows: (row number, what).
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)
    # key -> the column's place in the sheet (0-based), so an error is marked on its own cell.
    positions: dict[str, int] = field(default_factory=dict)
    # Columns the ledger does not define whose cells are kept in 备注 ("header：value"), by the user's answer.
    kept_columns: list[str] = field(default_factory=list)
    # Columns no field declares and no answer places: the file is not written until each has one.
    unmapped_columns: list[str] = field(default_factory=list)
    columns: list[dict] = field(default_factory=list)   # every column as the preview lists it (mapping.py)
    extra: dict[int, str] = field(default_factory=dict)   # row number -> the kept cells as one text
    # Cells merged down over data rows, read in each row they cover: (first row, last row, header).
    merged_down: list[tuple[int, int, str]] = field(default_factory=list)


def _unescape(text: str) -> str:
    """Undo the export's formula neutralisation ('=…), so an exported file reads back as it was."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _texts(cells: list, positions: list[tuple[str, int]]) -> dict[str, str]:
    """A row's cells as text by column key (most cells are text already: read as they are)."""
    texts, width = {}, len(cells)
    for key, pos in positions:
        value = cells[pos] if pos < width else ""
        if type(value) is not str:
            value = L.cell_text(value)
        if value[:1] == "'":
            value = _unescape(value)
        texts[key] = value
    return texts


# Columns that are only a row's place in the sheet: ignored, not kept in 备注.
POSITION_HEADERS = frozenset({"序号", "序", "编号序号", "行号", "排序", "no", "no.", "#", "序列"})
TOTAL_WORDS = ("合计", "小计", "总计", "共计")
MAX_KEPT = 2000


def _combined(upper: list, lower: list) -> list[str]:
    """Two header rows read as one: a merged cell of the upper row (its value in the first cell
    only) heads each cell under it; a lower cell that names a column on its own wins, else
    upper and lower together (总投资 over （亿元）), else whichever is written."""
    width = max(len(upper), len(lower))
    filled, last = [], ""
    for i in range(width):
        top = L.cell_text(upper[i]).strip() if i < len(upper) else ""
        bottom = L.cell_text(lower[i]).strip() if i < len(lower) else ""
        if top:
            last = top
        elif bottom:
            top = last   # under a merged cell
        filled.append((top, bottom))
    return [(bottom, f"{top}{bottom}", top) for top, bottom in filled]


def _match_two_rows(upper: list, lower: list, columns) -> tuple[L.HeaderMatch, list[str]]:
    candidates = _combined(upper, lower)
    known = {L.header_key(name) for c in columns for name in (c.header, *c.aliases)}

    def pick(options):
        for option in options:
            key = L.header_key(option)
            if key and (key in known or L.match_headers([option], columns).positions):
                return option
        return next((o for o in options if o), "")
    cells = [pick(options) for options in candidates]
    return L.match_headers(cells, columns), cells


def _header_at(rows: list[list], index: int):
    """The best header starting at a row: one row, or two read as one; None when neither is."""
    cells = rows[index]
    best = None
    single = _match_row(cells)
    if single is not None:
        best = (single[0], single[1], cells, 1)
    if index + 1 < len(rows):
        for kind, columns in ((ARRIVALS, L.ARRIVAL_COLUMNS), (CONTACTS, L.CONTACT_COLUMNS),
                              (PROJECTS, L.PROJECT_COLUMNS)):
            match, combined = _match_two_rows(cells, rows[index + 1], columns)
            if _enough(kind, match) and not match.duplicates and (
                    best is None or len(match.positions) > len(best[1].positions)
                    or (len(match.positions) == len(best[1].positions) and best[3] == 1
                        and _second_header_line(rows[index + 1], kind, best[1]))):
                best = (kind, match, combined, 2)
    return best


_DATA_LIKE = re.compile(r"^[\d\s.,:/\-年月日]+$")
_BRACKETED = re.compile(r"^[(（\[【].*[)）\]】]$")


def _second_header_line(lower: list, kind: str, single: L.HeaderMatch) -> bool:
    """Whether the row under a one-row header is its second line rather than the first data
    row: a two-line header whose cells are merged downwards (项目名称 over two rows) leaves the
    lower row blank under them, and writes there only units or remarks in brackets under the
    columns the upper row names (总投资 over （亿元）), header words, and sub-headers of the
    columns it does not read (进展情况 over 当前进展 | 存在问题); never a number or a date, and
    nothing where a data row must write (项目名称, 对接日期, 到位日期)."""
    anchor = single.positions.get(ANCHORS[kind])
    read = set(single.positions.values())
    written = [(pos, cell) for pos, cell in enumerate(lower) if L.cell_text(cell).strip()]
    if not written or any(pos == anchor for pos, _ in written):
        return False
    for pos, cell in written:
        if type(cell) is not str or _DATA_LIKE.match(cell):
            return False
        if pos in read and not _BRACKETED.match(L.normalize(cell)) and not L.match_headers([cell], COLUMNS[kind]).positions:
            return False
    return True


def _find_header(rows: list[list]) -> tuple[int, int, str, L.HeaderMatch, list] | None:
    """The header: (its first row, how many rows it takes, the kind of sheet, the match, its cells).
    The first row that reads as a header, or the next when that reads as a fuller one (a
    header's second line read with the line above it, or a 填报单位 line above a header)."""
    limit = min(len(rows), HEADER_ROOM)
    for index in range(limit):
        found = _header_at(rows, index)
        if found is None:
            continue
        following = _header_at(rows, index + 1) if index + 1 < limit else None
        if following is not None and len(following[1].positions) > len(found[1].positions):
            index, found = index + 1, following
        kind, match, cells, height = found
        return index, height, kind, match, cells
    return None


# The column every data row of a kind writes in.
ANCHORS = {PROJECTS: "name", CONTACTS: "occurred_on", ARRIVALS: "arrived_on"}


def _enough(kind: str, match: L.HeaderMatch) -> bool:
    if kind == ARRIVALS:
        return "arrived_on" in match.positions and "amount" in match.positions
    if kind == CONTACTS:
        return "occurred_on" in match.positions and bool({"summary", "leaders"} & set(match.positions))
    return "name" in match.positions and len(match.positions) >= 2


def _match_row(cells: list):
    arrivals = L.match_headers(cells, L.ARRIVAL_COLUMNS)
    if _enough(ARRIVALS, arrivals):
        return ARRIVALS, arrivals
    contacts = L.match_headers(cells, L.CONTACT_COLUMNS)
    if _enough(CONTACTS, contacts):
        return CONTACTS, contacts
    projects = L.match_headers(cells, L.PROJECT_COLUMNS)
    if _enough(PROJECTS, projects):
        return PROJECTS, projects
    return None


# A group heading's number: 一、 二 （一） (1) 1. — in a cell of its own (the 序号 column), or
# before the heading's words in the same cell. A bare 1 in 序号 is a row number, not a heading's.
_HEADING_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]?|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、])$")
_NUMBERED_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．\s]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d))\s*(\S.*)$")
# What a heading writes after an industry: 电子信息产业, 装备制造类.
_HEADING_SUFFIX = re.compile(r"(产业|行业|领域|板块|类)$")
BLANK_ROW, REPEATED_HEADER = "空行", "重复的表头"


def _heading_reason(text: str, numbers: list[str]) -> str | None:
    """Why a row whose only written cell is `text` is a group heading (一 电子信息产业, （一）签约
    项目, 现代物流): a heading's number before it or in the 序号 column, or the words of an
    industry alone (a project's name says more: 新能源电池项目 is a project)."""
    text = L.normalize(text)
    numbered = _NUMBERED_HEADING.match(text)
    if numbered or any(_HEADING_NUMBER.match(L.normalize(n)) for n in numbers):
        return f"分组标题“{' '.join(L.normalize(t) for t in (*numbers, text) if t)}”"
    if _DATA_LIKE.match(text):
        return None
    core = _HEADING_SUFFIX.sub("", text) or text
    try:
        found = L.shipped_vocabularies()["industry"].resolve(core)
    except K.UnknownWord:
        return None
    return f"分组标题“{text}”（行业）" if found.how in ("exact", "synonym") else None


def _repeated_header(cells: list, header_lines: list[dict[int, str]]) -> bool:
    """A header written again further down (a printed ledger repeats it on every page): every
    written cell is the header's, at its place, in one of the header's lines."""
    written = [(pos, L.header_key(cell)) for pos, cell in enumerate(cells) if L.cell_text(cell).strip()]
    return len(written) >= 2 and any(all(line.get(pos) == key for pos, key in written) for line in header_lines)


def _total_reason(texts: dict, first_cell: str) -> str | None:
    """Why a row is a total or subtotal row (合计, 小计, 总计, 共计 in its project's name or code, or
    its first column)."""
    for text in (texts.get("name", ""), texts.get("project", ""), texts.get("code", ""), first_cell):
        if "计" not in text:   # in each of the words: most rows are done here
            continue
        compact = "".join(L.normalize(text).split())
        for word in TOTAL_WORDS:
            if word in compact and len(compact) <= 12:
                return compact
    return None


# The columns that say which project a row is: a name merged over two rows makes them one
# project's lines, not two projects, so these are never copied down.
IDENTITY_COLUMNS = ("code", "name", "project")


def _read_merged_down(raw: RawSheet, first_data_row: int, positions: dict[str, int],
                      headers: dict[str, str]) -> list[tuple[int, int, str]]:
    """A cell merged down over data rows (所属行业 written once for the projects of one industry)
    holds its value for each row it covers, as the reader of the printed ledger takes it: the
    value is copied into the blank cells below it, and each such range is listed in the preview.
    Ranges across columns (a group heading) and the identity columns are left as written."""
    read = {pos: key for key, pos in positions.items() if key not in IDENTITY_COLUMNS}
    listed = []
    for top, left, bottom, right in sorted(raw.merged):
        if top < first_data_row or left != right or bottom == top or left not in read:
            continue
        value = raw.rows[top][left] if top < len(raw.rows) and left < len(raw.rows[top]) else ""
        if not L.cell_text(value).strip():
            continue
        for row in raw.rows[top + 1:bottom + 1]:
            if left < len(row) and not L.cell_text(row[left]).strip():
                row[left] = value
        listed.append((top + 1, min(bottom, len(raw.rows) - 1) + 1, headers.get(read[left], "")))
    return listed


class _RunningSums:
    """The 总投资 of the rows above, since the last total row and since the top, read only when a
    row that could be a total (numbers, no code, investor, stage or leader) asks: a sheet's
    amounts are read once, whatever the number of such rows."""

    def __init__(self, unit: str):
        self.unit, self.texts, self.start = unit, [], 0
        self.read, self.since, self.grand, self.counted_since, self.counted = 0, Decimal(0), Decimal(0), 0, 0

    def add(self, text: str) -> None:
        self.texts.append(text)

    def restart(self) -> None:
        self._catch_up()
        self.start, self.since, self.counted_since = len(self.texts), Decimal(0), 0

    def _catch_up(self) -> None:
        for text in self.texts[self.read:]:
            amount = _amount(text, self.unit)
            if amount is not None:
                self.grand += amount
                self.counted += 1
                self.since += amount
                self.counted_since += 1
        self.read = len(self.texts)

    def is_sum(self, text: str) -> str | None:
        amount = _amount(text, self.unit)
        if amount is None:
            return None
        self._catch_up()
        if (self.counted_since >= 2 and amount == self.since) or (self.counted >= 2 and amount == self.grand):
            return "总投资等于以上各行之和"
        return None


def _amount(text: str, unit: str) -> Decimal | None:
    try:
        money = L.parse_money(text, unit)
    except L.LedgerError:
        return None
    return money.amount if money is not None else None


def locate_sheets(raw_sheets: list[RawSheet], max_rows: int, answers: Answers | None = None) -> list[Sheet]:
    sheets = []
    for raw in raw_sheets:
        if raw.name.strip() == L.NOTES_SHEET:
            continue
        found = _find_header(raw.rows)
        if found is None:
            continue
        index, height, kind, match, header_cells = found
        name = SHEET_NAMES[kind] if raw.is_csv else raw.name
        if match.duplicates:
            raise ImportFileError(f"工作表“{name}”的表头中“{match.duplicates[0]}”出现了不止一次")
        columns = COLUMNS[kind]
        if kind == ARRIVALS:
            missing = [c.header for c in columns if c.required and c.key not in match.positions]
            if missing:
                raise ImportFileError(f"工作表“{name}”缺少必需的列：{'、'.join(missing)}")
        if kind == CONTACTS:
            missing = [c.header for c in columns if c.required and c.key not in match.positions]
            if "code" not in match.positions and "name" not in match.positions:
                missing.append("项目编号或项目名称")
            if missing:
                raise ImportFileError(f"工作表“{name}”缺少必需的列：{'、'.join(missing)}")
        headers = {key: L.cell_text(header_cells[pos]).strip() for key, pos in match.positions.items()}
        example = L.example_row(columns)
        placed = plan_columns(kind, header_cells, match, columns, answers, POSITION_HEADERS)
        kept = placed.kept
        for key, pos in placed.positions.items():
            headers.setdefault(key, L.cell_text(header_cells[pos]).strip())
        units = {**match.units, **placed.units}
        sheet = Sheet(name, kind, headers, units, [], placed.ignored, kept_columns=[text for _, text in kept],
                      positions=dict(placed.positions), unmapped_columns=placed.unmapped, columns=placed.report)
        used = set(placed.positions.values())
        positions = list(placed.positions.items())
        # Columns neither read nor kept (序号, a column without a header): where a heading's number may stand.
        numbering = [pos for pos, cell in enumerate(header_cells) if pos not in used
                     and (not L.cell_text(cell).strip() or L.header_key(cell) in POSITION_HEADERS)]
        header_lines = [{pos: L.header_key(cell) for pos, cell in enumerate(line) if L.cell_text(cell).strip()}
                        for line in (header_cells, *raw.rows[index:index + height])]
        anchor = ANCHORS[kind]
        anchor_key = header_lines[0].get(match.positions.get(anchor), "")
        anchor_room = len(anchor_key) + 10   # a longer cell is no header: not compared
        sheet.merged_down = _read_merged_down(raw, index + height, placed.positions, headers)
        sums = _RunningSums(match.units.get("total", "万元"))
        blanks: list[int] = []   # listed once a data row follows them (trailing blank rows are no one's)
        for number, cells in enumerate(raw.rows[index + height:], start=index + height + 1):
            texts = _texts(cells, positions)
            extra = [(header, L.cell_text(cells[pos]).strip()) for pos, header in kept if pos < len(cells)]
            extra = [(h, v) for h, v in extra if v]
            written = [t for t in texts.values() if t.strip()] + [v for _, v in extra]
            numbers = None
            if len(written) <= 1:
                numbers = [n for n in (L.cell_text(cells[pos]).strip() for pos in numbering if pos < len(cells)) if n]
                if not written:
                    # Nothing in the columns read: a blank row, or a heading written in the 序号 column.
                    heading = _heading_reason(numbers[-1], numbers[:-1]) if numbers else None
                    if heading is None:
                        blanks.append(number)
                    else:
                        sheet.skipped_rows.append((number, heading))
                    continue
            if all(texts[key].strip() == example[key] for key in texts):
                sheet.skipped_examples += 1
                continue
            # A total row on any sheet (合计 under the 到位资金 too); on the ledger also a row whose
            # 总投资 sums the rows above with nothing else written.
            reason = _total_reason(texts, L.cell_text(cells[0]) if cells else "")
            if reason is None and kind == PROJECTS \
                    and not any(texts.get(k, "").strip() for k in ("code", "investor", "stage", "leader")):
                reason = sums.is_sum(texts.get("total", ""))
            if reason is not None:
                sheet.skipped_totals.append((number, reason))
                sums.restart()
                continue
            other = _heading_reason(written[0], numbers) if numbers is not None else None
            anchor_text = texts.get(anchor, "").strip()
            if other is None and (not anchor_text or (len(anchor_text) <= anchor_room and L.header_key(anchor_text) == anchor_key)) \
                    and _repeated_header(cells, header_lines):
                other = REPEATED_HEADER
            if other is not None:
                sheet.skipped_rows.append((number, other))
                continue
            if kind == PROJECTS:
                sums.add(texts.get("total", ""))
            sheet.skipped_rows.extend((n, BLANK_ROW) for n in blanks)
            blanks.clear()
            if extra:
                text = "；".join(f"{h}：{v}" for h, v in extra)
                sheet.extra[number] = text if len(text) <= MAX_KEPT else text[:MAX_KEPT - 1] + "…"
            sheet.rows.append((number, texts))
        if len(sheet.rows) > max_rows:
            raise ImportFileError(f"工作表“{name}”有 {len(sheet.rows):,} 行数据，超过每个工作表 {max_rows:,} 行的导入上限；"
                                  f"请分成几个文件导入")
        sheets.append(sheet)
    if not sheets:
        raise ImportFileError("文件中没有找到项目台账、对接记录或到位资金：项目台账的表头应包含“项目名称”，对接记录的表头应包含"
                              "“对接日期”和“对接内容”，到位资金的表头应包含“到位日期”和“金额”。请使用导入模板")
    return sheets

