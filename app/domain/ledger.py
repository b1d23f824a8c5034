"""Reading a zone's own ledger (项目台账, 对接记录) as people keep it in Excel or WPS.

The columns of both sheets are defined once here; the import, the downloadable template and
the export all use these definitions. The rules turn a cell into a value: forgiving where
ledgers are messy (surrounding and full-width spaces, full-width digits and punctuation,
thousands separators, 是/否/Y/N/√, five ways of writing a date, Excel date serials) and strict
where it matters (an unknown stage, a negative amount, a date that is not a date, a bad
统一社会信用代码 are errors, with the reason in Chinese). Plain Python, no Flask.
"""
from __future__ import annotations

import decimal
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Mapping

from . import classifications as K
from . import project_fields as F
from .counting import KEY_LEVELS
from .funds import ARRIVAL_KINDS
from .money import CURRENCIES, UNITS, Money, MoneyError, not_yet_known, read_money, split_amount, unit_named
from .pipeline import DROPPED, LEAD, NEGOTIATING, ORDER, PRODUCING, SIGNED, STAGES, STARTED, StageDates
from .errors import UserFacingError
from .usci import usci_error


class LedgerError(UserFacingError):
    """A cell that cannot be read as its column asks; `column` is the column at fault."""

    def __init__(self, message: str, column: str | None = None):
        super().__init__(message, column)
        self.column = column


# ---------------------------------------------------------------------------------------
# Cells to text

# What ledgers write for "nothing here" in a date, amount or choice column.
BLANK_WORDS = frozenset({"", "-", "--", "—", "——", "/", "\\", "无", "暂无", "空", "n/a", "na", "null", "none"})
# Excel keeps 15 significant digits; a float read back with more is binary noise (0.1+0.2).
_EXCEL_DIGITS = decimal.Context(prec=15)
_EXCEL_EPOCH = date(1899, 12, 30)


def cell_text(value) -> str:
    """Whatever a spreadsheet reader gives for a cell, as the text a person would read there.

    Floats become their shortest exact decimal, rounded to Excel's 15 significant digits;
    dates become ISO text; empty cells and NaN become "".
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        exact = Decimal(repr(value))
        if len(exact.as_tuple().digits) > 15:
            exact = _EXCEL_DIGITS.plus(exact)
        return format(exact.normalize(), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def normalize(text: str) -> str:
    """Full-width letters, digits and punctuation to their ASCII forms; surrounding space gone."""
    return unicodedata.normalize("NFKC", text or "").strip()


def is_blank(text: str) -> bool:
    return normalize(text).lower() in BLANK_WORDS


@lru_cache(maxsize=65536)  # planning a row compares its names several times
def name_key(text: str) -> str:
    """How two spellings of a project name are compared: width-, case- and space-insensitive."""
    return re.sub(r"\s+", "", normalize(text)).casefold()


# ---------------------------------------------------------------------------------------
# Values

_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                         r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")  # a time after it is dropped
_MONTH_ONLY = re.compile(r"^((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?$")
_NO_YEAR = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{1,5}(?:\.\d+)?$")
DATE_FORMS = "2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日"
MONTH = "month"   # a date's precision when only its year and month were written


def parse_date(text: str, *, allow_month: bool = False, what: str = "日期") -> date | None:
    """2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, 20240305 or an Excel date serial; blank is None.
    With allow_month, 2026.5 or 2026年5月 is the 1st of the month (parse_date_precision says so)."""
    return parse_date_precision(text, allow_month=allow_month, what=what)[0]


def parse_date_precision(text: str, *, allow_month: bool = False, what: str = "日期") -> tuple[date | None, str]:
    """A date and its precision: "day", or MONTH for a month-only date where allow_month."""
    raw = normalize(text)
    if raw.lower() in BLANK_WORDS:
        return None, "day"
    precision = "day"
    match = _DATE_PARTS.match(raw) or _COMPACT_DATE.match(raw)
    month_only = _MONTH_ONLY.match(raw)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            value = date(year, month, day)
        except ValueError:
            raise LedgerError(f"“{text.strip()}”不是有效的日期（该月没有这一天）") from None
    elif month_only:
        if not allow_month:
            raise LedgerError(f"“{text.strip()}”只写了年月，{what}须写到日，如 {DATE_FORMS}")
        year, month = (int(part) for part in month_only.groups())
        if not 1 <= month <= 12:
            raise LedgerError(f"“{text.strip()}”不是有效的日期（没有{month}月）")
        value, precision = date(year, month, 1), MONTH
    elif _NO_YEAR.match(raw):
        raise LedgerError(f"“{text.strip()}”没有写年份，{what}请写全年月日，如 {DATE_FORMS}")
    elif _SERIAL.match(raw) and 0 < float(raw) < 100_000:
        # A date cell that reached us as its serial number (days since 1899-12-30).
        value = _EXCEL_EPOCH + timedelta(days=int(float(raw)))
    else:
        raise LedgerError(f"“{text.strip()}”不是有效的日期，请写作 {DATE_FORMS}")
    if value.year < 1949:
        raise LedgerError(f"“{text.strip()}”不是有效的日期（年份过早）")
    return value, precision


_SPACES = re.compile(r"\s")
_ABOUT = re.compile(r"^(约|大约|约计|预计|计划|估计)")
_NOTE_AFTER = re.compile(r"^(.*?[\d亿万元金币])\s*[(\[（【](.+)[)\]）】]$")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
NOT_YET_KNOWN_READING = "金额未定，留空，不计入门槛"


@dataclass
class AmountReading:
    """An amount as read, and what reading it took: a unit converted, 约, a bracketed note, or
    a word saying it is not yet known (待定: no amount, kept apart from a blank cell)."""
    money: Money | None
    approximate: bool = False
    note: str = ""
    unit_written: str | None = None
    not_yet_known: bool = False


def read_ledger_amount(text: str, unit: str) -> AmountReading:
    """An amount in the column's unit, read by the one reader (money.read_money: thousands
    separators, full-width digits, 3.5亿, 8.6亿元, 5000万, 500万美金, 待定 as no amount, 13,2
    refused …), plus only what is a ledger's own: 约 before it (read, flagged as approximate),
    a note in brackets after it (10000（一期）: 10000, the note kept), a number past Excel's 15
    significant digits read as Excel keeps it, and errors that name the column (本列). Blank is None."""
    raw = _SPACES.sub("", normalize(text))
    reading = AmountReading(None)
    if not_yet_known(raw):
        reading.not_yet_known = True
        return reading
    if raw.lower() in BLANK_WORDS:
        return reading
    about = _ABOUT.match(raw)
    if about:
        raw, reading.approximate = raw[about.end():], True
    noted = _NOTE_AFTER.match(raw)
    if noted:
        raw, reading.note = noted.group(1), noted.group(2).strip()
    if not raw:
        raise LedgerError(f"“{text.strip()}”不是有效的金额")
    digits = raw.replace(",", "")
    if _PLAIN_NUMBER.fullmatch(digits) and len(digits.replace("-", "").replace(".", "").lstrip("0")) > 15:
        raw = digits = format(_EXCEL_DIGITS.plus(Decimal(digits)).normalize(), "f")
    try:
        reading.money = read_money(raw, unit)
        number, written, _multiplier = split_amount(raw, unit)
    except MoneyError as error:
        message = str(error).replace("本栏", "本列")
        if "不是有效的金额" in message:
            message = f"“{text.strip()}”不是有效的金额"
        raise LedgerError(message) from None
    if number != digits:  # a unit word was written after the number
        reading.unit_written = written
    return reading


def parse_money(text: str, unit: str) -> Money | None:
    """An amount in the column's unit (read_ledger_amount, without what the reading took)."""
    return read_ledger_amount(text, unit).money




# ---------------------------------------------------------------------------------------
# Closed vocabularies: a word as written, its synonyms, and what it was read as

def vocabulary_choices() -> dict[str, dict[str, str]]:
    """Each closed vocabulary's values and their labels (domain.classifications.VOCABULARIES)."""
    return {"stage": dict(STAGES), "contact_form": {f: f for f in K.CONTACT_FORMS}, "key_level": dict(KEY_LEVELS),
            "yes_no": dict(K.YES_NO), "origin": dict(K.ORIGINS), "industry": dict(K.INDUSTRIES)}


@lru_cache(maxsize=1)
def shipped_vocabularies() -> dict[str, K.Vocabulary]:
    """The vocabularies with the synonyms the product ships (the database may hold more)."""
    return K.vocabularies(vocabulary_choices())


def _shown(vocabulary: K.Vocabulary, value: str) -> str:
    if vocabulary.name == "industry":
        return K.industry_label(value)
    return vocabulary.label(value) if value else "（空）"


def parse_word(text: str, vocabulary: K.Vocabulary | None, name: str, notes: list | None = None,
               column: str | None = None) -> str | None:
    """A value of a closed vocabulary as a ledger writes it: the value, its label, or a synonym
    (走访 is 外出拜访). Blank is None; a word read through a synonym is noted ("走访 → 外出拜访")
    in `notes` as (column, text); an unknown word is an error naming the closest choices."""
    raw = normalize(text)
    if raw.lower() in BLANK_WORDS:
        return None
    vocabulary = vocabulary or shipped_vocabularies()[name]
    try:
        found = vocabulary.resolve(raw)
    except K.UnknownWord as unknown:
        what = K.VOCABULARIES[name]
        close = f"，最接近的是：{'、'.join(unknown.suggestions)}" if unknown.suggestions else ""
        listed = f"；可填：{'、'.join(vocabulary.choices.values())}" if len(vocabulary.choices) <= 12 else ""
        raise LedgerError(f"未知的{what}“{text.strip()}”{close}{listed}（可请管理员在同义词表中添加）") from None
    if found.how != "exact" and notes is not None:
        notes.append((column or name, f"{text.strip()} → {_shown(vocabulary, found.value)}"))
    return found.value


def parse_yes_no(text: str, vocabulary: K.Vocabulary | None = None, notes: list | None = None) -> bool:
    """是/否 in the ways ledgers write it (Y/N, √/×, 1/0 …); blank is 否."""
    try:
        return parse_word(text, vocabulary, "yes_no", notes) == "是"
    except LedgerError:
        raise LedgerError(f"“{text.strip()}”不是“是”或“否”（可填 是/否、Y/N、√/×）") from None


def parse_stage(text: str, vocabulary: K.Vocabulary | None = None, notes: list | None = None) -> str | None:
    """A stage by its Chinese name (线索 在谈 签约 开工 投产 终止) or a synonym (已签约, 开工建设); blank is None."""
    return parse_word(text, vocabulary, "stage", notes)


def parse_key_level(text: str, vocabulary: K.Vocabulary | None = None, notes: list | None = None) -> str | None:
    return parse_word(text, vocabulary, "key_level", notes) or None


def parse_origin(text: str, vocabulary: K.Vocabulary | None = None, notes: list | None = None) -> str | None:
    """A country or region (GB/T 2659) by code (JP, JPN), Chinese or English name, or a usual
    written form (香港, 台湾省, BVI, 开曼群岛); blank is None."""
    return parse_word(text, vocabulary, "origin", notes)


def parse_industry(text: str, vocabulary: K.Vocabulary | None = None,
                   notes: list | None = None) -> tuple[str | None, str]:
    """An industry as a ledger writes it: (its GB/T 4754-2017 code, the wording kept). The
    code, the standard's name or a synonym (制造业 → C, 电子 → 39) reads as its code, and a
    wording that begins with one (新材料产业) as that; blank is (None, "")."""
    raw = normalize(text)
    if raw.lower() in BLANK_WORDS:
        return None, ""
    code = parse_word(raw, vocabulary, "industry", notes, "industry")
    wording = re.sub(r"\s+", "", raw)
    if not code or wording.upper() == code or wording == K.INDUSTRIES.get(code):
        # 其他 (read as no code), the code itself or the standard's name: no wording of the zone's own.
        wording = ""
    if len(wording) > 50:
        raise LedgerError(f"内容过长，最多50个字，当前{len(wording)}个字")
    return code or None, wording


_CODE_FIRST = re.compile(r"^([A-Ta-t]|\d{2})(?![\dA-Za-z])\s*(.*)$")


def parse_industry_code(text: str, vocabulary: K.Vocabulary | None = None) -> str | None:
    """A GB/T 4754-2017 code (C, 39), also written with its name (C 制造业) or as the name alone."""
    raw = normalize(text)
    if raw.lower() in BLANK_WORDS:
        return None
    match = _CODE_FIRST.match(raw)
    if match and match.group(1).upper() in K.INDUSTRIES:
        return match.group(1).upper()
    by_name = {name: c for c, name in K.INDUSTRIES.items()}
    if raw in by_name:
        return by_name[raw]
    raise LedgerError(f"“{text.strip()}”不是国民经济行业分类（GB/T 4754-2017）的代码，应为门类字母 A–T 或两位大类代码 01–97")


# The word of a project's name that says more than its industry (光伏组件制造 under 新能源).
MANUFACTURING_WORD = "制造"


@dataclass(frozen=True)
class SectorReading:
    """制造业 and 工业 as a row's industry says them (GB/T 4754-2017: section C is 制造业, sections
    B–D are 工业), for a ledger without a column stating them; `by_name` when the project's name
    says 制造 under an industry outside C, and was taken at its word."""
    manufacturing: bool
    industrial: bool
    basis: str                  # "高端装备制造 → C 制造业"
    by_name: bool = False

    def describe(self, manufacturing: bool = True, industrial: bool = True) -> str:
        """The reading the preview shows, for the flags the row did not state."""
        if self.by_name:
            taken = "制造业项目" + ("、工业项目" if industrial else "") if manufacturing else "工业项目"
            return (f"{self.basis}；项目名称含“{MANUFACTURING_WORD}”，按{taken}计（以项目名称为准；"
                    f"如不是，请在“是否制造业”列填写“否”）")
        if manufacturing and industrial:
            said = ("制造业项目、工业项目" if self.manufacturing else
                    "工业项目（非制造业）" if self.industrial else "非制造业、非工业项目")
        elif manufacturing:
            said = "制造业项目" if self.manufacturing else "非制造业项目"
        else:
            said = "工业项目" if self.industrial else "非工业项目"
        return f"{self.basis} → {said}"


def read_sector(code: str | None, wording: str, name: str, manufacturing: bool | None = None) -> SectorReading | None:
    """Whether a project is 制造业 and 工业, read from its industry code; `manufacturing` when a
    column stated it (then only 工业 is read: a manufacturing project is an industrial one).
    None when there is nothing to read from."""
    if not code:
        return None
    basis = f"{wording} → {K.industry_label(code)}" if wording else K.industry_label(code)
    if manufacturing is not None:
        return SectorReading(manufacturing, manufacturing or K.is_industrial_code(code), basis)
    if not K.is_manufacturing_code(code) and MANUFACTURING_WORD in name_key(name):
        return SectorReading(True, True, basis, by_name=True)
    return SectorReading(K.is_manufacturing_code(code), K.is_industrial_code(code), basis)


def parse_tags(text: str) -> str:
    tags = K.join_tags(K.split_tags(text))
    if len(tags) > 200:
        raise LedgerError(f"内容过长，最多200个字，当前{len(tags)}个字")
    return tags


def parse_contact_form(text: str, vocabulary: K.Vocabulary | None = None, notes: list | None = None) -> str | None:
    return parse_word(text, vocabulary, "contact_form", notes)


def parse_usci(text: str) -> str | None:
    raw = re.sub(r"\s+", "", normalize(text)).upper()
    if raw.lower() in BLANK_WORDS:
        return None
    error = usci_error(raw)
    if error:
        raise LedgerError(error)
    return raw


def parse_text(text: str, max_length: int) -> str:
    """Free text as typed, surrounding space (full-width included) removed."""
    value = (text or "").strip()
    if len(value) > max_length:
        raise LedgerError(f"内容过长，最多{max_length}个字，当前{len(value)}个字")
    return value


NAME_SEPARATORS = re.compile(r"[、,，;；/／\s]+")


def split_names(text: str) -> list[str]:
    """Leaders written in one cell: 张伟、李娜 or 张伟,李娜 (also ， ； / and spaces)."""
    raw = normalize(text)
    if raw.lower() in BLANK_WORDS:
        return []
    return [name for name in NAME_SEPARATORS.split(raw) if name]


# ---------------------------------------------------------------------------------------
# Stages: a row's 项目阶段 and milestone dates become a dated stage history

MILESTONE_COLUMNS = {NEGOTIATING: "在谈日期", SIGNED: "签约日期", STARTED: "开工日期", PRODUCING: "投产日期",
                     DROPPED: "终止日期"}
# The column (LedgerColumn.key) each milestone's date is read from; errors name it.
MILESTONE_KEYS = {NEGOTIATING: "negotiating_on", SIGNED: "signed_on", STARTED: "started_on", PRODUCING: "produced_on",
                  DROPPED: "dropped_on"}
# The stages whose date decides what a project counts towards; they cannot be guessed.
_DATE_REQUIRED = (SIGNED, STARTED, PRODUCING, DROPPED)


def _rank(stage: str) -> int:
    return ORDER.index(stage)


def _check_dates(final: str, dates: Mapping[str, date | None], today: date,
                 require: bool = True) -> list[tuple[str, date]]:
    """The dated milestones of a row, in pipeline order, checked against each other."""
    steps = []
    for stage in (NEGOTIATING, SIGNED, STARTED, PRODUCING):
        on = dates.get(stage)
        if on is None:
            continue
        if final != DROPPED and _rank(stage) > _rank(final):
            raise LedgerError(f"项目阶段为“{STAGES[final]}”，却填写了{MILESTONE_COLUMNS[stage]}", MILESTONE_KEYS[stage])
        if steps and on < steps[-1][1]:
            raise LedgerError(f"{MILESTONE_COLUMNS[stage]}（{on.isoformat()}）早于{MILESTONE_COLUMNS[steps[-1][0]]}"
                              f"（{steps[-1][1].isoformat()}）", MILESTONE_KEYS[stage])
        steps.append((stage, on))
    dropped_on = dates.get(DROPPED)
    if dropped_on is not None and final != DROPPED:
        raise LedgerError(f"项目阶段为“{STAGES[final]}”，却填写了终止日期", "dropped_on")
    if final == DROPPED and dropped_on is not None and steps and dropped_on < steps[-1][1]:
        raise LedgerError(f"终止日期（{dropped_on.isoformat()}）早于{MILESTONE_COLUMNS[steps[-1][0]]}"
                          f"（{steps[-1][1].isoformat()}）", "dropped_on")
    for stage, on in [*steps, (DROPPED, dropped_on)]:
        if on is not None and on > today:
            raise LedgerError(f"{MILESTONE_COLUMNS[stage]}不能晚于今天", MILESTONE_KEYS[stage])
    if require and final in _DATE_REQUIRED and dates.get(final) is None:
        raise LedgerError(f"项目阶段为“{STAGES[final]}”，请填写{MILESTONE_COLUMNS[final]}", MILESTONE_KEYS[final])
    return steps


def implied_stage(dates: Mapping[str, date | None]) -> str:
    """The stage a row's dates show when its 项目阶段 is blank."""
    if dates.get(DROPPED) is not None:
        return DROPPED
    for stage in (PRODUCING, STARTED, SIGNED, NEGOTIATING):
        if dates.get(stage) is not None:
            return stage
    return LEAD


def new_project_stages(final: str | None, dates: Mapping[str, date | None], planned_on: date | None,
                       today: date) -> list[tuple[str, date]]:
    """The dated stage history a new project is entered with: each dated milestone in order,
    then 终止 when the project was dropped. The first entry is the stage it is created at."""
    final = final or implied_stage(dates)
    steps = _check_dates(final, dates, today)
    if final == DROPPED:
        steps.append((DROPPED, dates[DROPPED]))
    elif not steps:
        steps = [(final, planned_on or today)]
    return steps


def stage_changes_for(current: StageDates, last_change_on: date | None, final: str | None,
                      dates: Mapping[str, date | None], today: date) -> list[tuple[str, date]]:
    """The stage changes that bring a project from where it stands to what a row says.

    A ledger moves projects forward (and to 终止); a recorded milestone date that differs, or
    a move back to an earlier stage, is corrected on the project's page, not by an import.
    """
    recorded = {NEGOTIATING: current.negotiating_on, SIGNED: current.signed_on, STARTED: current.started_on,
                PRODUCING: current.produced_on, DROPPED: current.dropped_on}
    for stage, on in dates.items():
        if on is not None and recorded.get(stage) is not None and recorded[stage] != on:
            raise LedgerError(f"{MILESTONE_COLUMNS[stage]}与系统记录（{recorded[stage].isoformat()}）不一致；"
                              f"已记录的阶段日期请在项目页面核对", MILESTONE_KEYS[stage])
    now = current.stage
    if final is None:
        final = implied_stage(dates)
        if final != DROPPED and (now == DROPPED or _rank(final) <= _rank(now)):
            final = now
    if final == now:
        if now != DROPPED:
            # Dated milestones above the current stage would contradict it.
            _check_dates(now, {s: d for s, d in dates.items() if recorded.get(s) is None}, today, require=False)
        return []
    if now == DROPPED:
        raise LedgerError(f"项目已终止，不能通过导入改为“{STAGES[final]}”，请在项目页面变更阶段", "stage")
    if final != DROPPED and _rank(final) < _rank(now):
        raise LedgerError(f"项目阶段不能由“{STAGES[now]}”退回“{STAGES[final]}”，如需更正请在项目页面变更阶段",
                          "stage")
    # The milestones already recorded count as written, so the order check sees them too.
    dates = {**{s: on for s, on in recorded.items() if on is not None and s != DROPPED}, **dates}
    if final == NEGOTIATING and dates.get(NEGOTIATING) is None:
        dates = {**dates, NEGOTIATING: today}
    steps = _check_dates(final, dates, today)
    changes = [(stage, on) for stage, on in steps if recorded.get(stage) is None and _rank(stage) > _rank(now)]
    if final == DROPPED:
        changes.append((DROPPED, dates[DROPPED]))
    floor = last_change_on
    for stage, on in changes:
        if floor is not None and on < floor:
            raise LedgerError(f"{MILESTONE_COLUMNS[stage]}（{on.isoformat()}）早于该项目最近一次阶段变更"
                              f"（{floor.isoformat()}）", MILESTONE_KEYS[stage])
        floor = on
    return changes


# ---------------------------------------------------------------------------------------
# The columns of the two sheets: one definition for the template, the export and the import

@dataclass(frozen=True)
class LedgerColumn:
    key: str
    header: str
    kind: str = "text"          # the export's cell format: text, amount (in 万, as the header says), date
    width: int = 12
    required: bool = False
    note: str = ""
    example: object = ""
    aliases: tuple[str, ...] = ()
    unit: str | None = None     # amounts: the unit the header names
    choices: str | None = None  # the list a template cell offers: yes_no, stages, key_levels, origins, ...


PROJECT_SHEET = "项目台账"
CONTACT_SHEET = "对接记录"
NOTES_SHEET = "填写说明"

_D = "日期可写作 2024-03-05、2024/3/5、2024.3.5、2024年3月5日，或使用 Excel 日期格式"

# The ledger's kind of cell (the export's format) for a declared field's kind.
_CELL_KINDS = {F.MONEY: "amount", F.DATE: "date"}


def _project_column(f: F.ProjectField) -> LedgerColumn:
    return LedgerColumn(f.column, f.header, _CELL_KINDS.get(f.kind, "text"), f.width, f.required, f.note, f.example,
                        f.headers[1:], f.unit, f.choices)


# The project sheet's columns, in order, from the one declaration of project fields.
PROJECT_COLUMNS = tuple(_project_column(f) for f in F.ledger_fields())

CONTACT_COLUMNS = (
    LedgerColumn("occurred_on", "对接日期", "date", required=True, example=date(2024, 3, 1),
                 aliases=("对接时间",), note=f"必填，不能晚于今天。{_D}"),
    LedgerColumn("code", "项目编号", width=14, example="示例-001", aliases=("编号",),
                 note="与“项目名称”至少填一项；填写编号时按编号找项目。"),
    LedgerColumn("name", "项目名称", width=28, example="新能源电池项目（示例，导入前请删除本行）",
                 aliases=("对接项目", "项目名"), note="项目须已在台账中，或在本文件的项目台账工作表中。"),
    LedgerColumn("investor", "投资方", width=26, example="北京华创科技有限公司", aliases=("企业名称", "投资主体"),
                 note="可不填；本区有同名项目时用于区分。"),
    LedgerColumn("leaders", "对接领导", width=16, required=True, example="张伟、李娜",
                 aliases=("参与领导", "参与对接领导", "领导"), note="必填；多位领导用“、”或“,”分隔，须为本开发区领导。"),
    LedgerColumn("form", "对接方式", width=10, required=True, example="外出拜访", choices="contact_forms",
                 aliases=("方式",), note="外出拜访、来访接待、视频会议、电话、招商活动或其他。"),
    LedgerColumn("summary", "对接内容", width=40, required=True, example="介绍园区政策，企业有意设立华北生产基地",
                 aliases=("内容", "对接情况", "对接内容摘要"), note="必填，最多2000字。"),
    LedgerColumn("next_step", "下一步", width=24, example="安排实地考察", aliases=("下一步工作", "下一步计划"),
                 note="最多200字。"),
    LedgerColumn("next_step_on", "下一步日期", "date", example=date(2024, 3, 20), aliases=("下一步时间",),
                 note=f"不能早于对接日期；填写时须同时填写下一步。{_D}"),
)

ARRIVAL_SHEET = "到位资金"

ARRIVAL_COLUMNS = (
    LedgerColumn("project", "项目", width=28, required=True, example="新能源电池项目（示例，导入前请删除本行）",
                 aliases=("项目名称或编号", "项目名称/编号", "所属项目", "到位项目", "项目名称"),
                 note="必填：项目编号或项目名称，项目须已在本开发区台账中，或在本文件的项目台账工作表中；"
                      "找不到或同名项目不止一个时为错误行（请改填项目编号），不会新建项目。"),
    LedgerColumn("arrived_on", "到位日期", "date", required=True, example=date(2024, 4, 10),
                 aliases=("到位时间", "到账日期", "到账时间"), note=f"必填，不能晚于今天。{_D}"),
    LedgerColumn("amount", "金额（万）", width=14, required=True, example="1200",
                 aliases=("金额", "到位金额", "到位金额（万）", "金额（万元）", "到位金额（万元）", "到位资金（万元）",
                          "到位资金"),
                 note="必填，以所填币种的“万”为单位（人民币万元、美元万美元……），可带千分位；数字后写明单位时按所写单位"
                      "读取（如 3.5亿、500万美元）。须大于零，最多精确到分。"),
    LedgerColumn("currency", "币种", width=10, example="人民币", choices="currencies",
                 aliases=("货币", "币别"), note="人民币、美元、港元、欧元、日元、英镑、韩元、新加坡元、新台币，"
                                              "或 CNY、USD 等代码；不填为人民币（金额写“万美元”时为美元）。"),
    LedgerColumn("kind", "类型", width=14, required=True, example="固定资产投资", choices="arrival_kinds",
                 aliases=("资金类别", "资金类型", "到位类型", "类别"), note="注册资本、固定资产投资或外资实际到位。"),
    LedgerColumn("source_note", "来源说明", width=26, example="银行进账单",
                 aliases=("资金来源", "来源", "资金来源说明"), note="最多200字。"),
    LedgerColumn("voucher_ref", "凭证号", width=16, example="", aliases=("凭证编号", "凭证", "单据号"),
                 note="最多64个字符。同一项目、同一到位日期、同一金额和币种、同一类型、同一凭证号的记录视为同一笔，"
                      "重复导入不会重复记入。"),
)

# 币种 as ledgers write it: the code, the money module's name, and a few everyday words.
_CURRENCY_WORDS = {**{code.casefold(): code for code in CURRENCIES},
                   **{name: code for code, name in CURRENCIES.items()},
                   "元": "CNY", "rmb": "CNY", "人民币元": "CNY", "美金": "USD", "美圆": "USD", "港币": "HKD",
                   "港元": "HKD", "日圆": "JPY", "韩圆": "KRW", "新币": "SGD", "台币": "TWD"}
# 类型 as written: the label, the stored key, and the usual other words for each kind.
_ARRIVAL_KIND_WORDS = {
    **{label: key for key, label in ARRIVAL_KINDS.items()}, **{key: key for key in ARRIVAL_KINDS},
    "注册资金": "registered_capital", "实缴资本": "registered_capital", "实缴注册资本": "registered_capital",
    "固投": "fixed_assets", "固定资产": "fixed_assets", "固定资产投资到位": "fixed_assets",
    "外资到位": "foreign_paid_in", "实际使用外资": "foreign_paid_in", "实际利用外资": "foreign_paid_in",
    "外资": "foreign_paid_in",
}


def parse_currency(text: str) -> str | None:
    """币种: a code or a name (人民币, 美元, USD, 港币 ...); blank is None (the caller's default)."""
    if is_blank(text):
        return None
    written = re.sub(r"\s+", "", normalize(text))
    found = _CURRENCY_WORDS.get(written) or _CURRENCY_WORDS.get(written.casefold())
    if found is None:
        raise LedgerError(f"不认识的币种“{text.strip()}”，可填：{'、'.join(CURRENCIES.values())}")
    return found


def parse_arrival_kind(text: str) -> str:
    """类型: 注册资本, 固定资产投资 or 外资实际到位 (or a usual other word for one)."""
    if is_blank(text):
        raise LedgerError("请填写类型（注册资本、固定资产投资或外资实际到位）")
    written = re.sub(r"\s+", "", normalize(text))
    found = _ARRIVAL_KIND_WORDS.get(written)
    if found is None:
        raise LedgerError(f"不认识的类型“{text.strip()}”，可填：{'、'.join(ARRIVAL_KINDS.values())}")
    return found


def arrival_amount_unit(currency: str) -> str:
    """The unit an arrival's 金额 is read in: 万 of its currency (万美元 for USD, else 万元 then relabelled)."""
    return "万美元" if currency == "USD" else "万元"


def written_currency(amount_text: str) -> str | None:
    """A currency written after the amount itself (500万美元), for a row whose 币种 is blank."""
    raw = re.sub(r"\s+", "", normalize(amount_text))
    return "USD" if raw.endswith(("美元", "美金")) else None


def read_arrival_amount(text: str, currency: str) -> Money:
    """金额 in 万 of the row's currency, through the one money reader (domain.money.read_money)."""
    if not_yet_known(text):
        raise LedgerError(f"金额“{text.strip()}”：到位资金只记已经到位的金额，请填写金额")
    if is_blank(text):
        raise LedgerError("请填写金额")
    raw = normalize(text).replace("美金", "美元")
    try:
        money = read_money(raw, arrival_amount_unit(currency))
    except MoneyError as error:
        raise LedgerError(str(error).replace("本栏", "本列")) from None
    if money is None or money.amount <= 0:
        raise LedgerError("到位金额应大于零")
    return Money(money.amount, currency)


INDICATOR_SHEET = "月度指标"

# The bureau's city-wide sheet: one row per zone and month (营业收入 in 万元, 实际使用外资 in 万美元).
INDICATOR_COLUMNS = (
    LedgerColumn("zone", "开发区", width=18, required=True, example="示例开发区（导入前请删除本行）",
                 aliases=("开发区名称", "园区", "园区名称", "开发区代码", "单位", "单位名称"),
                 note="必填：开发区名称或代码，须为系统中的开发区。开发区工作人员只能导入本开发区的行。"),
    LedgerColumn("month", "月份", width=10, required=True, example="2024-03",
                 aliases=("年月", "统计月份", "报告期", "时间"),
                 note="必填：如 2024-03、2024年3月、2024.3，或 Excel 日期（取其年月）；不能是尚未开始的月份。"),
    LedgerColumn("revenue", "营业收入（万元）", "amount", 16, example="12000", unit="万元",
                 aliases=("营业收入", "营收", "营业总收入"),
                 note="人民币万元，可带千分位；表头写“营业收入（亿元）”时按亿元读取。不能为负数。"
                      "不填则保留系统中已有的数字。"),
    LedgerColumn("fdi", "实际使用外资（万美元）", "amount", 16, example="350", unit="万美元",
                 aliases=("实际使用外资", "实际利用外资", "实际使用外资金额"),
                 note="万美元（统计部门口径，含港澳台资金），可带千分位；不能为负数。不填则保留系统中已有的数字。"),
)


def parse_month(text: str) -> tuple[int, int]:
    """月份: 2024-03, 2024年3月, 2024.3, 202403, or a date (its year and month)."""
    raw = normalize(text)
    if is_blank(raw):
        raise LedgerError("请填写月份")
    compact = re.fullmatch(r"((?:19|20)\d{2})(\d{2})", raw)
    if compact:
        raw = f"{compact.group(1)}-{compact.group(2)}"
    try:
        value, _precision = parse_date_precision(raw, allow_month=True, what="月份")
    except LedgerError:
        raise LedgerError(f"“{text.strip()}”不是有效的月份，请写作 2024-03 或 2024年3月") from None
    if value is None:
        raise LedgerError("请填写月份")
    return value.year, value.month


def header_key(text: str) -> str:
    """A header as compared: full-width folded, spaces, line breaks and required marks (*) removed."""
    return re.sub(r"[\s*＊]+", "", normalize(cell_text(text))).casefold()


_UNIT_IN_HEADER = re.compile(r"^(.*?)[(\[【]([^()\[\]【】]*)[)\]】]$")


@dataclass
class HeaderMatch:
    """Which column of a sheet holds which field, and in which unit its amounts are."""
    positions: dict[str, int] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    # key -> how its header was recognised: EXACT, SYNONYM, UNIT_STRIPPED or REMARK_STRIPPED.
    how: dict[str, str] = field(default_factory=dict)


EXACT, SYNONYM, UNIT_STRIPPED, REMARK_STRIPPED = "exact", "synonym", "unit", "remark"


def match_headers(cells: list, columns: Iterable[LedgerColumn]) -> HeaderMatch:
    columns = list(columns)
    names, exact = {}, {}
    for column in columns:
        exact.setdefault(header_key(column.header), column)
        for name in (column.header, *column.aliases):
            names.setdefault(header_key(name), column)
    result = HeaderMatch()
    for position, cell in enumerate(cells):
        key = header_key(cell)
        if not key:
            continue
        column, unit = names.get(key), None
        how = EXACT if column is not None and exact.get(key) is column else SYNONYM
        if column is None:
            bracket = _UNIT_IN_HEADER.match(key)
            base = names.get(bracket.group(1)) if bracket else None
            currency = UNITS[base.unit][0] if base is not None and base.unit else "CNY"
            written_unit = unit_named(bracket.group(2), currency) if bracket else None
            if written_unit:
                if base is not None and base.unit and UNITS[written_unit][0] == currency:
                    column, unit, how = base, written_unit, UNIT_STRIPPED
            elif base is not None and not base.unit:
                # 项目名称（全称）, 签约日期（年月日）: a remark in brackets after a known header.
                column, how = base, REMARK_STRIPPED
        if column is None:
            result.ignored.append(cell_text(cell).strip())
            continue
        if column.key in result.positions:
            result.duplicates.append(column.header)
            continue
        result.positions[column.key] = position
        result.how[column.key] = how
        if column.unit:
            result.units[column.key] = unit or column.unit
    return result


def header_unit(text: str, unit: str) -> str:
    """The unit an amount column headed `text` is read in: one written in brackets after the
    header in the column's currency (投资额（亿元） for 万元), else the column's own `unit`."""
    bracket = _UNIT_IN_HEADER.match(header_key(text))
    written = unit_named(bracket.group(2), UNITS[unit][0]) if bracket else None
    return written if written and UNITS[written][0] == UNITS[unit][0] else unit


def example_row(columns: Iterable[LedgerColumn]) -> dict[str, str]:
    """The template's example row as text, so an import can recognise and skip it."""
    return {c.key: cell_text(c.example) for c in columns}
