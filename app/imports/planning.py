"""Planning an import: every row of the located sheets is parsed, checked and matched against
what the zone already holds, and becomes an operation (create, update, leave unchanged) or a
rejection with its reasons. Nothing is written here: the plan is the dry run, and writing.py
carries out exactly its operations, so what the dry run shows is what the import writes.

The zone is read once up front (ZoneIndex: its projects, investors, leaders and contacts), so
planning runs the same few queries for ten rows or ten thousand.

Rules of matching (the same in the dry run and the import):
- a ledger row is the project with its 项目编号; without one (or when no project has it yet)
  the project with the same normalised 项目名称 and 投资方 in the zone (one that has no other
  编号); otherwise a new project, unless it is likely a project of the zone or an earlier row
  of the file written another way: then it is held until the user decides (imports.duplicates);
- a contact row is unchanged when the project already has a contact on that date, in that
  form, with that summary and that set of leaders; otherwise it is logged;
- an arrival row (到位资金) names its project by 项目编号 or 项目名称 (the code first); a name two
  projects share, or no project of the zone (nor a project this file creates), is a row error:
  an arrival never creates a project and never guesses one;
- an arrival row is unchanged when its project already has an arrival with the same date,
  amount, currency, kind and 凭证号 (blank equals blank); rows are matched one to one; a row
  identical to an earlier row of the file is held until the user decides (imports.duplicates);
- rows with errors are skipped and reported; the other rows are imported.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain import classifications as K
from app.domain import ledger as L
from app.domain.project_fields import plain_fields, project_field
from app.domain.funds import format_wan
from app.domain.money import Money
from app.domain.duplicates import Entry
from app.domain.names import company_key
from app.domain.pipeline import DROPPED, NEGOTIATING, PRODUCING, SIGNED, STARTED
from app.extensions import db
from app.models import (ORIGINS, Contact, FundsArrival, project_co_leaders, Investor, Project, User,
                        Zone, contact_leaders)
from app.queries.ledger import zone_leaders
from app.queries.reference import vocabularies
from app.services.projects import ProjectInput, last_changes

from .duplicates import SAME, Candidate, DuplicateFinder, HeldPair
from .locating import ANCHORS, ARRIVALS, COLUMNS, CONTACTS, PROJECTS, Sheet
from .progress_reporter import ProgressReporter

DATE_KEYS = {NEGOTIATING: "negotiating_on", SIGNED: "signed_on", STARTED: "started_on", PRODUCING: "produced_on",
             DROPPED: "dropped_on"}
FIELD_LABELS = {c.key: c.header for c in L.PROJECT_COLUMNS}
# The column whose cell caused an error about a column the file lacks (a stage without its date column).
ERROR_CAUSES = {**{key: "stage" for key in DATE_KEYS.values()}, "code": "name"}
# The dates a ledger may write to the month (谋划, 签约): the 1st of the month is taken.
MONTH_DATES = ("planned_on", "signed_on")


# ---------------------------------------------------------------------------------------
# What the zone already holds, loaded once

@dataclass
class Pending:
    """A project this import will create; contacts in the same file may refer to it."""
    row: "ProjectRow"
    code: str | None
    name: str
    investor: str
    project: "Written | None" = None

    @property
    def id(self):
        return ("new", self.row.sheet, self.row.number)


class Written(NamedTuple):
    """A project the import has just created: what logging its contacts needs of it."""
    id: int
    zone_id: int


class ZoneIndex:
    def __init__(self, zone: Zone):
        self.zone = zone
        self.vocabularies = vocabularies()
        projects = db.session.scalars(
            select(Project).where(Project.zone_id == zone.id).options(joinedload(Project.investor))).all()
        self.by_code: dict[str, Project | Pending] = {}
        self.by_key: dict[tuple[str, str], list[Project | Pending]] = defaultdict(list)
        self.by_name: dict[str, list[Project | Pending]] = defaultdict(list)
        # What a new row may likely repeat (imports.duplicates): the zone's projects, then the file's new rows.
        self.finder = DuplicateFinder()
        for project in projects:
            self.add(project, project.code, project.name, project.investor.name if project.investor else "")
            self.finder.add_project(project)
        # Corrected (更正) entries no longer count, here as on the project's page.
        self.last_change = last_changes(zone_id=zone.id)
        self.co_leaders: dict[int, tuple[int, ...]] = defaultdict(tuple)
        for project_id, user_id in db.session.execute(
                select(project_co_leaders.c.project_id, project_co_leaders.c.user_id)
                .join(Project, Project.id == project_co_leaders.c.project_id).where(Project.zone_id == zone.id)
                .order_by(project_co_leaders.c.project_id, project_co_leaders.c.position)):
            self.co_leaders[project_id] += (user_id,)
        self.investors = {L.name_key(i.name): i for i in db.session.scalars(
            select(Investor).where(Investor.zone_id == zone.id).order_by(Investor.id.desc()))}
        leaders = zone_leaders(zone.id, active_only=False)  # a ledger may name one who has left
        self.leaders_by_username = {u.username: u for u in leaders}
        self.leaders_by_name: dict[str, list[User]] = defaultdict(list)
        for u in leaders:
            self.leaders_by_name[L.name_key(u.name)].append(u)
        self.contacts = set()
        leader_sets = defaultdict(set)
        for contact_id, user_id in db.session.execute(
                select(contact_leaders.c.contact_id, contact_leaders.c.user_id)
                .join(Contact, Contact.id == contact_leaders.c.contact_id).where(Contact.zone_id == zone.id)):
            leader_sets[contact_id].add(user_id)
        for cid, project_id, on, form, summary in db.session.execute(
                select(Contact.id, Contact.project_id, Contact.occurred_on, Contact.form, Contact.summary)
                .where(Contact.zone_id == zone.id)):
            self.contacts.add(contact_key(project_id, on, form, summary, leader_sets[cid]))
        self.arrivals: Counter | None = None   # loaded by load_arrivals, for a file with a 到位资金 sheet

    def load_arrivals(self) -> None:
        """The zone's arrivals, counted by what makes two of them the same arrival (arrival_key)."""
        self.arrivals = Counter(
            arrival_key(project_id, on, amount, currency, kind, voucher)
            for project_id, on, amount, currency, kind, voucher in db.session.execute(
                select(FundsArrival.project_id, FundsArrival.arrived_on, FundsArrival.amount, FundsArrival.currency,
                       FundsArrival.kind, FundsArrival.voucher_ref).where(FundsArrival.zone_id == self.zone.id)))

    def add(self, entry, code, name, investor) -> None:
        if code:
            self.by_code[L.normalize(code)] = entry
        self.by_key[(L.name_key(name), company_key(investor))].append(entry)
        self.by_name[L.name_key(name)].append(entry)

    def find_leaders(self, written: str) -> list[User]:
        """Leaders in charge written in one cell: 程强、曾勇 (also ，/ and spaces), the first first."""
        found = []
        for name in L.split_names(written):
            leader = self.find_leader(name)
            if leader not in found:
                found.append(leader)
        return found

    def find_leader(self, written: str) -> User:
        if written in self.leaders_by_username:
            return self.leaders_by_username[written]
        found = self.leaders_by_name.get(L.name_key(written), [])
        if len(found) > 1:
            raise L.LedgerError(f"本开发区有{len(found)}位名为“{written}”的领导，请改填其用户名")
        if not found:
            raise L.LedgerError(f"本开发区没有名为“{written}”的领导（须已在系统中建立领导账号）")
        return found[0]


def leader_labels(zone_id: int) -> dict[int, str]:
    """How each of a zone's leaders is written in a file: the name, or the username when two
    leaders share a name (the import reads both)."""
    leaders = zone_leaders(zone_id, active_only=False)
    names = defaultdict(int)
    for u in leaders:
        names[L.name_key(u.name)] += 1
    return {u.id: u.name if names[L.name_key(u.name)] == 1 else u.username for u in leaders}


def contact_key(project_id, on, form, summary, leader_ids):
    return (project_id, on, form, " ".join(L.normalize(summary).split()), frozenset(leader_ids))


def arrival_key(project_id, on, amount, currency, kind, voucher):
    """Two arrivals are the same when project, date, amount, currency, kind and 凭证号 agree
    (the voucher compared width- and space-insensitively; blank equals blank)."""
    return (project_id, on, Decimal(amount).quantize(Decimal("0.01")), currency, kind,
            re.sub(r"\s+", "", L.normalize(voucher or "")).casefold())


# ---------------------------------------------------------------------------------------
# Planning: the dry run

@dataclass
class ProjectRow:
    sheet: str
    number: int
    headers: dict[str, str]
    values: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    # How cells were read when it took more than reading them (a synonym, a unit, 约): (column, text).
    notes: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    extra_note: str = ""            # bracketed notes after amounts, and extra columns kept, for 备注

    def column(self, key_or_header: str) -> str:
        return self.headers.get(key_or_header, FIELD_LABELS.get(key_or_header, key_or_header))

    def fail(self, key_or_header: str, message: str) -> None:
        self.errors.append((self.column(key_or_header), message))

    def note(self, key_or_header: str, text: str) -> None:
        self.notes.append((key_or_header, text))


@dataclass
class ProjectOp:
    kind: str                       # created, updated, unchanged
    row: ProjectRow
    data: ProjectInput | None = None
    stages: list[tuple[str, date]] = field(default_factory=list)
    project: Project | None = None
    pending: Pending | None = None
    changed_fields: list[str] = field(default_factory=list)
    fields_differ: bool = False     # besides the stage: the project's values have something to write


@dataclass
class ContactOp:
    kind: str                       # created, unchanged
    sheet: str
    number: int
    target: Project | Pending
    occurred_on: date
    form: str
    summary: str
    leaders: list[User]
    next_step: str
    next_step_on: date | None
    notes: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ArrivalOp:
    kind: str                       # created, unchanged, held or merged (identical to an earlier row: imports.duplicates)
    sheet: str
    number: int
    target: Project | Pending
    arrived_on: date
    money: Money
    arrival_kind: str
    source_note: str
    voucher_ref: str
    notes: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Plan:
    sheets: list[Sheet]
    project_ops: list[ProjectOp] = field(default_factory=list)
    contact_ops: list[ContactOp] = field(default_factory=list)
    arrival_ops: list[ArrivalOp] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    pairs: list[HeldPair] = field(default_factory=list)   # likely duplicates held for a decision
    rejected: dict = field(default_factory=lambda: {PROJECTS: 0, CONTACTS: 0, ARRIVALS: 0})
    _cells: dict = field(default_factory=dict, repr=False)   # (sheet, column) -> where its errors are marked

    def reject(self, kind: str, sheet: str, number: int, errors: list[tuple[str, str]], project: str = "") -> None:
        self.rejected[kind] += 1
        for column, message in errors:
            cell, own = self._cell(sheet, column)
            self.errors.append({"sheet": sheet, "row": number, "column": column, "message": message,
                                "project": project, "cell": cell, "own": own})

    def _cell(self, sheet_name: str, column: str) -> tuple[int | None, bool]:
        """The cell an error is marked on (its place in the row, 0-based) and whether that is the
        error's own column: a column the file lacks (终止日期 for a row at 终止) points at the cell
        that caused the error (项目阶段), else at the row's first cell that every row writes."""
        if (sheet_name, column) in self._cells:
            return self._cells[(sheet_name, column)]
        sheet = next((s for s in self.sheets if s.name == sheet_name), None)
        key = next((k for k, header in sheet.headers.items() if header == column), None) if sheet else None
        if sheet is None:
            found = None, False
        elif key is not None:
            found = sheet.positions[key], True
        else:
            key = next((c.key for c in COLUMNS[sheet.kind] if c.header == column), None)
            cause = next((c for c in (ERROR_CAUSES.get(key), ANCHORS[sheet.kind]) if c in sheet.positions), None)
            found = (sheet.positions[cause] if cause else min(sheet.positions.values(), default=None)), False
        self._cells[(sheet_name, column)] = found
        return found

    def counts(self) -> dict:
        projects = {k: sum(1 for op in self.project_ops if op.kind == k) for k in ("created", "updated", "unchanged")}
        contacts = {k: sum(1 for op in self.contact_ops if op.kind == k) for k in ("created", "unchanged")}
        arrivals = {k: sum(1 for op in self.arrival_ops if op.kind == k) for k in ("created", "unchanged", "held")}
        projects["rejected"] = self.rejected[PROJECTS]
        contacts["rejected"] = self.rejected[CONTACTS]
        arrivals["rejected"] = self.rejected[ARRIVALS]
        return {PROJECTS: projects, CONTACTS: contacts, ARRIVALS: arrivals}


class CellMemo(dict):
    """What each (column, cell text) of one sheet was read as: its value, the notes the reading
    made and the error it raised. A ledger repeats its dates, units, stages, industries,
    investors and leaders on thousands of rows; each is read once, and every row that repeats
    it gets the same value, notes and error as reading it again would give."""


def _parse(row: ProjectRow, texts: dict, key: str, parser, *args, memo: CellMemo | None = None, **kwargs):
    if key not in texts:
        return None
    text = texts[key]
    if memo is None or parser is L.parse_text:   # free text: as cheap to read as to look up, and rarely repeated
        try:
            return parser(text, *args, **kwargs)
        except L.LedgerError as error:
            row.fail(error.column or key, str(error))
            return None
    found = memo.get((key, text))
    if found is None:
        notes: list = []
        try:
            found = (parser(text, *(notes if arg is row.notes else arg for arg in args), **kwargs), notes, None)
        except L.LedgerError as error:
            found = (None, notes, (error.column or key, str(error)))
        memo[(key, text)] = found
    value, notes, error = found
    if notes:
        row.notes.extend(notes)
    if error is not None:
        row.fail(*error)
        return None
    return list(value) if type(value) is list else value


def _parse_project(row: ProjectRow, texts: dict, units: dict, index: ZoneIndex, today: date,
                   memo: CellMemo | None = None) -> None:
    v, words, notes = row.values, index.vocabularies, row.notes
    v["present"] = set(texts)
    v["code"] = _parse(row, texts, "code", L.parse_text, _limit("code"), memo=memo) or None
    v["name"] = _parse(row, texts, "name", L.parse_text, _limit("name"), memo=memo)
    if v["name"] == "":
        row.fail("name", "请填写项目名称")
    v["name"] = v["name"] or ""
    v["investor"] = _parse(row, texts, "investor", L.parse_text, _limit("investor_name"), memo=memo) or ""
    v["origin"] = _parse(row, texts, "origin", L.parse_origin, words["origin"], notes, memo=memo)
    v["usci"] = _parse(row, texts, "usci", L.parse_usci, memo=memo)
    if "industry_code" in texts and not L.is_blank(texts["industry_code"]):
        # The code column decides; the wording is kept as written.
        code = _parse(row, texts, "industry_code", L.parse_industry_code, memo=memo)
        wording = L.parse_text(texts.get("industry", ""), 50) if "industry" in texts else ""
        v["industry"] = (code, re.sub(r"\s+", "", L.normalize(wording)))
    else:
        v["industry"] = (_parse(row, texts, "industry", L.parse_industry, words["industry"], notes, memo=memo)
                         or (None, ""))
    v["tags"] = _parse(row, texts, "tags", L.parse_tags, memo=memo) if "tags" in texts else None
    for key in ("manufacturing", "industrial"):
        # None when the row does not state it: then the industry says it (_sector).
        v[key] = (_parse(row, texts, key, L.parse_yes_no, words["yes_no"], memo=memo)
                  if not L.is_blank(texts.get(key, "")) else None)
    if v["manufacturing"] is None or v["industrial"] is None:
        v["sector"] = L.read_sector(*v["industry"], v["name"], v["manufacturing"])
    for key, unit in (("total", "万元"), ("capital", "万美元")):
        reading = _parse(row, texts, key, L.read_ledger_amount, units.get(key, unit), memo=memo)
        v[key] = reading.money if reading else None
        if reading and reading.money is not None:
            _note_amount(row, key, texts[key], reading, unit)
        elif reading and reading.not_yet_known:
            row.note(key, f"{texts[key].strip()} → {L.NOT_YET_KNOWN_READING}")
    v["stage"] = _parse(row, texts, "stage", L.parse_stage, words["stage"], notes, memo=memo)
    for key in ("planned_on", *DATE_KEYS.values()):
        month_ok = key in MONTH_DATES
        found = _parse(row, texts, key, L.parse_date_precision, allow_month=month_ok,
                       what=FIELD_LABELS[key], memo=memo) if key in texts else None
        v[key] = found[0] if found else None
        if found and found[1] == L.MONTH:
            row.note(key, f"{texts[key].strip()} → {found[0].isoformat()}（只写了年月，按当月1日记，精确到月）")
    if v["planned_on"] is not None and v["planned_on"] > today:
        row.fail("planned_on", "谋划日期不能晚于今天")
    v["key_level"] = _parse(row, texts, "key_level", L.parse_key_level, words["key_level"], notes, memo=memo)
    v["leaders"] = _parse(row, texts, "leader", index.find_leaders, memo=memo) or []
    v["leader"] = v["leaders"][0] if v["leaders"] else None
    v["responsible"] = _parse(row, texts, "responsible", L.parse_text, _limit("responsible"), memo=memo) or ""
    v["note"] = _parse(row, texts, "note", L.parse_text, _limit("note"), memo=memo) or ""
    for f in plain_fields():
        v[f.key] = _parse(row, texts, f.column, L.parse_text, f.max_length, memo=memo) or ""
    if row.extra_note:
        # Bracketed notes after amounts and the cells of columns kept in 备注.
        v["note"] = "；".join(part for part in (v["note"], row.extra_note) if part)


def _sector(row: ProjectRow, current: tuple[bool, bool] | None = None) -> tuple[bool, bool]:
    """制造业 and 工业 for a row: as its columns state them; else as its industry says (GB/T 4754
    section C, sections B–D), the reading noted; else a blank cell is 否, and a column the file
    lacks leaves an existing project's value (a new one: 否)."""
    v = row.values
    reading = v.get("sector")
    flags = []
    for key, derived in (("manufacturing", reading and reading.manufacturing),
                         ("industrial", reading and reading.industrial)):
        if v[key] is not None:
            flags.append(v[key])
        elif reading is not None:
            flags.append(derived)
        elif key in v["present"] or current is None:
            flags.append(False)
        else:
            flags.append(current[key == "industrial"])
    derive = (v["manufacturing"] is None, v["industrial"] is None)
    if reading is not None and any(derive) and (any(flags) or (current is not None and tuple(flags) != current)):
        row.note("manufacturing" if derive[0] else "industrial", reading.describe(*derive))
        if reading.by_name and derive[0]:
            row.flags.append("制造业按项目名称认定")
    return flags[0], flags[1]


def _limit(key: str) -> int:
    """A text field's length limit, as the service checks it (domain.project_fields)."""
    return project_field(key).max_length


def _note_amount(row: "ProjectRow", key: str, written: str, reading: L.AmountReading, unit: str) -> None:
    """Say how an amount was read when it took more than reading a number in the column's unit."""
    shown = f"{format_amount_in(reading.money, unit)}"
    if reading.unit_written or reading.approximate or reading.note:
        flags = []
        if reading.approximate:
            flags.append("约数")
        if reading.note:
            flags.append(f"括注“{reading.note}”记入备注")
        row.note(key, f"{written.strip()} → {shown}" + (f"（{'，'.join(flags)}）" if flags else ""))
    if reading.approximate:
        row.flags.append("约数")
    if reading.note:
        label = FIELD_LABELS[key].split("（")[0]
        row.extra_note = "；".join(p for p in (row.extra_note, f"{label}：{reading.note}") if p)


def format_amount_in(money: Money, unit: str) -> str:
    """10000 万元 → "10,000 万元", in the column's own unit, as the preview shows it."""
    from app.domain.money import UNITS
    value = money.amount / UNITS[unit][1]
    text = format(value.normalize(), ",f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text} {unit}"


def _refuse_departed_leader(row: ProjectRow, current_leader_id: int | None, current_co: tuple = ()) -> None:
    """A row may keep a project's leader who has left, but not give a project one (the
    service's rule, checked here so the dry run lists it as the row's error)."""
    for leader in row.values["leaders"]:
        if not leader.active and leader.id != current_leader_id and leader.id not in current_co:
            row.fail("leader", f"{leader.name}已停用，不能担任分包领导")


def _money_equal(money: Money | None, amount, currency) -> bool:
    if money is None:
        return amount is None
    return amount is not None and money.amount == amount and money.currency == currency


class Planner:
    def __init__(self, zone: Zone, sheets: list[Sheet], today: date, progress: ProgressReporter,
                 decisions: dict | None = None):
        self.zone, self.sheets, self.today, self.progress = zone, sheets, today, progress
        self.index = ZoneIndex(zone)
        self.index.finder.decisions = {} if decisions is None else decisions
        self.plan = Plan(sheets)
        # Rows that were rejected, so contacts that name them say why they are skipped too.
        self.rejected_codes: dict[str, ProjectRow] = {}
        self.rejected_names: dict[str, ProjectRow] = {}
        # Existing projects already claimed by a row, and investors first spelled by this file.
        self.seen: dict[int, ProjectRow] = {}
        self.new_investors: dict[str, str] = {}
        # Each arrival (arrival_key) the file writes, by its first row: an identical later row is held.
        self.file_arrivals: dict[tuple, tuple[str, int]] = {}

    def run(self) -> Plan:
        self.progress.start("check", sum(len(s.rows) for s in self.sheets))
        rows = []
        for sheet in (s for s in self.sheets if s.kind == PROJECTS):
            memo = CellMemo()
            for number, texts in sheet.rows:
                row = ProjectRow(sheet.name, number, sheet.headers, extra_note=sheet.extra.get(number, ""))
                _parse_project(row, texts, sheet.units, self.index, self.today, memo)
                rows.append(row)
        self._agree_on_investors(rows)
        for row in rows:
            self._plan_project(row)
            self.progress.advance()
        for sheet in (s for s in self.sheets if s.kind == CONTACTS):
            memo = CellMemo()
            for number, texts in sheet.rows:
                self._plan_contact(sheet, number, texts, memo)
                self.progress.advance()
        for sheet in (s for s in self.sheets if s.kind == ARRIVALS):
            if self.index.arrivals is None:
                self.index.load_arrivals()
            for number, texts in sheet.rows:
                self._plan_arrival(sheet, number, texts)
                self.progress.advance()
        return self.plan

    # -- projects --------------------------------------------------------------------------

    def _agree_on_investors(self, rows: list[ProjectRow]) -> None:
        """One investor has one origin and one code: rows of a file must not disagree."""
        self.file_origin, self.file_usci = {}, {}
        for row in rows:
            if row.errors or not row.values["investor"]:
                continue
            key = L.name_key(row.values["investor"])
            checks = (("origin", self.file_origin, "国别或地区"), ("usci", self.file_usci, "统一社会信用代码"))
            for field_key, seen, label in checks:
                value = row.values[field_key]
                if value is None:
                    continue
                if key in seen and seen[key][0] != value:
                    first_value, first_row = seen[key]
                    shown = ORIGINS.get(first_value, first_value) if field_key == "origin" else first_value
                    row.fail(field_key, f"投资方“{row.values['investor']}”的{label}在第{first_row}行填写为“{shown}”，"
                                        f"与本行不一致")
                else:
                    seen.setdefault(key, (value, row.number))

    def _reject_project(self, row: ProjectRow) -> None:
        v = row.values
        if v.get("code"):
            self.rejected_codes.setdefault(L.normalize(v["code"]), row)
        if v.get("name"):
            self.rejected_names.setdefault(L.name_key(v["name"]), row)
        self.plan.reject(PROJECTS, row.sheet, row.number, row.errors, v.get("name") or v.get("code") or "")

    def _match(self, row: ProjectRow):
        v = row.values
        key = (L.name_key(v["name"]), company_key(v["investor"]))
        if v["code"]:
            found = self.index.by_code.get(L.normalize(v["code"]))
            if found is not None:
                return found
            same = [p for p in self.index.by_key.get(key, []) if not p.code]
        else:
            same = self.index.by_key.get(key, [])
        if len(same) > 1:
            if any(isinstance(p, Pending) for p in same):
                return next(p for p in same if isinstance(p, Pending))
            row.fail("code", f"本区已有{len(same)}个名称和投资方都相同的项目，请填写项目编号以区分")
            return None
        return same[0] if same else None

    def _plan_project(self, row: ProjectRow) -> None:
        if row.errors:
            return self._reject_project(row)
        v = row.values
        match = self._match(row)
        if row.errors:
            return self._reject_project(row)
        if isinstance(match, Pending):
            row.fail("name" if not v["code"] else "code", f"与{match.row.sheet}第{match.row.number}行是同一项目，请合并为一行")
            return self._reject_project(row)
        if match is None:
            match = self._held_as_duplicate(row)
            if match is False:
                return
        if match is not None and match.id in self.seen:
            first = self.seen[match.id]
            row.fail("name" if not v["code"] else "code", f"与{first.sheet}第{first.number}行是同一项目，请合并为一行")
            return self._reject_project(row)
        op = self._plan_update(row, match) if match is not None else self._plan_create(row)
        if op.data is not None and len(op.data.note) > 2000:
            row.fail("note", f"备注连同记入备注的内容共{len(op.data.note)}字，超过2000字")
        if row.errors:
            return self._reject_project(row)
        if match is not None:
            self.seen[match.id] = row
            if v["code"] and not match.code:
                self.index.by_code[L.normalize(v["code"])] = match  # the code this row gives it is taken now
            if L.name_key(op.data.name) != L.name_key(match.name):
                self.index.by_name[L.name_key(op.data.name)].append(match)  # contacts may use the new name
        self.plan.project_ops.append(op)

    def _entry(self, row: ProjectRow) -> Entry:
        """A row as the likely-duplicate rule compares it."""
        v = row.values
        dates = (v["planned_on"], *self._dates(v).values())
        return Entry(v["name"], v["investor"], self._usci_for(v, v["investor"]) if v["investor"] else "",
                     v["total"].amount if v["total"] is not None else None, tuple(d for d in dates if d))

    def _held_as_duplicate(self, row: ProjectRow):
        """For a row that would create a project: the existing project it updates when the user
        decided it is the same one (its name and investor kept as the zone writes them), False
        when it is held or folded into an earlier row of the file, None to create it."""
        found = self.index.finder.project_pair(row.sheet, row.number, self._entry(row))
        if found is None:
            return None
        pair, candidate = found
        self.plan.pairs.append(pair)
        if pair.decision not in (None, SAME):
            return None
        v = row.values
        target = candidate.project if candidate.project is not None else candidate.pending
        # Contacts of the file may name the project as this row writes it (while held, too: the
        # dry run then shows them with the project the row likely repeats).
        self.index.add(target, v["code"] if candidate.project is None else None, v["name"], v["investor"])
        if pair.decision is None or candidate.project is None:
            return False
        v["name"] = target.name
        if target.investor is not None:
            v["investor"] = target.investor.name
        return target

    def _investor_name(self, written: str, current: Investor | None) -> str:
        """The investor as the zone already spells it when only width, case or spaces differ."""
        if not written:
            return ""
        if current is not None and L.name_key(current.name) == L.name_key(written):
            return current.name
        existing = self.index.investors.get(L.name_key(written))
        if existing is not None:
            return existing.name
        return self.new_investors.setdefault(L.name_key(written), written)

    @staticmethod
    def _code_for(written: str | None, project: Project) -> str:
        """A project's code is never cleared by a blank cell, nor rewritten by another width."""
        if not written or (project.code and L.normalize(written) == L.normalize(project.code)):
            return project.code or ""
        return written

    def _origin_for(self, v: dict, investor_name: str) -> str:
        if v["origin"] is not None:
            return v["origin"]
        key = L.name_key(investor_name)
        if key in self.file_origin:
            return self.file_origin[key][0]
        existing = self.index.investors.get(key)
        return existing.origin if existing is not None else "CN"

    def _usci_for(self, v: dict, investor_name: str) -> str:
        if v["usci"] is not None:
            return v["usci"]
        found = self.file_usci.get(L.name_key(investor_name))
        return found[0] if found else ""

    def _dates(self, v: dict) -> dict:
        return {stage: v[key] for stage, key in DATE_KEYS.items() if v[key] is not None}

    def _plan_create(self, row: ProjectRow) -> ProjectOp:
        v = row.values
        _refuse_departed_leader(row, None)
        try:
            stages = L.new_project_stages(v["stage"], self._dates(v), v["planned_on"], self.today)
        except L.LedgerError as error:
            row.fail(error.column or "stage", str(error))
            return ProjectOp("created", row)
        investor = self._investor_name(v["investor"], None)
        manufacturing, industrial = _sector(row)
        data = ProjectInput(
            name=v["name"], investor_name=investor, origin=self._origin_for(v, investor),
            usci=self._usci_for(v, investor) if investor else "", code=v["code"] or "",
            industry=v["industry"][1], industry_code=v["industry"][0],
            tags=v["tags"] or K.join_tags(K.tags_for_wording(v["industry"][1])),
            is_manufacturing=manufacturing, is_industrial=industrial,
            total_investment=v["total"], foreign_capital=v["capital"],
            key_level=v["key_level"], planned_on=v["planned_on"] or min(on for _, on in stages),
            leader_id=v["leader"].id if v["leader"] else None,
            co_leader_ids=tuple(u.id for u in v["leaders"][1:]), responsible=v["responsible"], note=v["note"],
            plain={f.key: v[f.key] for f in plain_fields()},
        )
        pending = Pending(row, v["code"], v["name"], investor)
        self.index.add(pending, v["code"], v["name"], investor)
        self.index.finder.add(Candidate(self._entry(row), pending=pending))
        return ProjectOp("created", row, data, stages, pending=pending)

    def _plan_update(self, row: ProjectRow, project: Project) -> ProjectOp:
        v, present = row.values, row.values["present"]
        _refuse_departed_leader(row, project.leader_id, self.index.co_leaders.get(project.id, ()))
        current = project.investor
        if "investor" in present:
            investor = self._investor_name(v["investor"], current)
        else:
            investor = current.name if current else ""
        name = project.name if L.name_key(v["name"]) == L.name_key(project.name) else v["name"]

        def keep(key, value, old):
            return value if key in present else old

        manufacturing, industrial = _sector(row, (project.is_manufacturing, project.is_industrial))
        total = keep("total", v["total"], project.total_investment_money)
        capital = keep("capital", v["capital"], project.foreign_capital_money)
        data = ProjectInput(
            name=name, investor_name=investor, origin=self._origin_for(v, investor),
            usci=self._usci_for(v, investor) if investor else "", code=self._code_for(v["code"], project),
            industry=keep("industry", v["industry"][1], project.industry),
            industry_code=(v["industry"][0] if {"industry", "industry_code"} & present else project.industry_code),
            tags=v["tags"] or K.join_tags([*project.tag_list, *K.tags_for_wording(v["industry"][1])]),
            is_manufacturing=manufacturing, is_industrial=industrial,
            total_investment=total, foreign_capital=capital,
            key_level=keep("key_level", v["key_level"], project.key_level), planned_on=v["planned_on"],
            leader_id=keep("leader", v["leader"].id if v["leader"] else None, project.leader_id),
            co_leader_ids=tuple(u.id for u in v["leaders"][1:]) if "leader" in present else None,
            responsible=keep("responsible", v["responsible"], project.responsible),
            note=keep("note", v["note"], project.note if not row.extra_note or row.extra_note in project.note
                      else "；".join(p for p in (project.note, row.extra_note) if p)),
            plain={f.key: keep(f.column, v[f.key], getattr(project, f.key)) for f in plain_fields()},
        )
        target = current if current is not None and current.name == investor else self.index.investors.get(
            L.name_key(investor))
        changed = []
        checks = [
            ("code", (data.code or None) != project.code),
            ("name", data.name != project.name),
            ("investor", investor != (current.name if current else "")),
            ("origin", bool(investor) and target is not None and target.origin != data.origin),
            ("usci", bool(investor) and bool(data.usci) and (target is None or target.usci != data.usci)),
            ("industry", data.industry != project.industry or data.industry_code != project.industry_code
             or data.tags != project.tags),
            ("manufacturing", data.is_manufacturing != project.is_manufacturing),
            ("industrial", data.is_industrial != project.is_industrial),
            ("total", not _money_equal(data.total_investment, project.total_investment, "CNY")),
            ("capital", not _money_equal(data.foreign_capital, project.foreign_capital,
                                         project.foreign_capital_currency)),
            ("key_level", data.key_level != project.key_level),
            ("planned_on", data.planned_on is not None and data.planned_on != project.planned_on),
            ("leader", data.leader_id != project.leader_id or (
                data.co_leader_ids is not None and data.co_leader_ids != self.index.co_leaders.get(project.id, ()))),
            ("responsible", data.responsible != project.responsible),
            ("note", data.note != project.note),
            *((f.column, data.plain[f.key] != getattr(project, f.key)) for f in plain_fields()),
        ]
        changed = [FIELD_LABELS[key] for key, differs in checks if differs]
        fields_differ = bool(changed)
        try:
            stages = L.stage_changes_for(project.stage_dates(), self.index.last_change.get(project.id),
                                         v["stage"], self._dates(v), self.today)
        except L.LedgerError as error:
            row.fail(error.column or "stage", str(error))
            stages = []
        if stages:
            changed.append(FIELD_LABELS["stage"])
        return ProjectOp("updated" if changed else "unchanged", row, data, stages, project=project,
                         changed_fields=changed, fields_differ=fields_differ)

    # -- contacts --------------------------------------------------------------------------

    def _plan_contact(self, sheet: Sheet, number: int, texts: dict, memo: CellMemo) -> None:
        errors: list[tuple[str, str]] = []
        labels = {c.key: c.header for c in L.CONTACT_COLUMNS}
        notes: list[tuple[str, str]] = []

        def fail(key, message):
            errors.append((sheet.headers.get(key, labels.get(key, key)), message))

        def parse(key, parser, *args, **kwargs):
            text = texts.get(key, "")
            found = memo.get((key, text)) if parser is not L.parse_text else None
            if found is None:
                made: list = []
                try:
                    found = (parser(text, *(made if arg is notes else arg for arg in args), **kwargs), made, None)
                except L.LedgerError as error:
                    found = (None, made, str(error))
                if parser is not L.parse_text:
                    memo[(key, text)] = found
            value, made, error = found
            if made:
                notes.extend(made)
            if error is not None:
                fail(key, error)
            return value

        occurred_on = parse("occurred_on", L.parse_date, what="对接日期")
        if occurred_on is None and L.is_blank(texts.get("occurred_on", "")):
            fail("occurred_on", "请填写对接日期")
        elif occurred_on is not None and occurred_on > self.today:
            fail("occurred_on", "对接日期不能晚于今天")
        names = L.split_names(texts.get("leaders", ""))
        if not names:
            fail("leaders", "请填写对接领导")
        leaders = []
        for written in names:
            try:
                leader = self.index.find_leader(written)
            except L.LedgerError as error:
                fail("leaders", str(error))
                continue
            if not leader.active:
                fail("leaders", f"{leader.name}已停用，不能作为对接领导")
                continue
            if leader not in leaders:
                leaders.append(leader)
        form = parse("form", L.parse_contact_form, self.index.vocabularies["contact_form"], notes)
        notes = [(sheet.headers.get("form", labels["form"]), text) for _, text in notes]
        if form is None and L.is_blank(texts.get("form", "")):
            fail("form", "请填写对接方式")
        summary = parse("summary", L.parse_text, 2000)
        if summary == "":
            fail("summary", "请填写对接内容")
        next_step = parse("next_step", L.parse_text, 200) or ""
        next_step_on = parse("next_step_on", L.parse_date, what="下一步日期")
        if next_step_on is not None and occurred_on is not None and next_step_on < occurred_on:
            fail("next_step_on", "下一步日期不能早于对接日期")
        if next_step_on is not None and not next_step:
            fail("next_step", "填写了下一步日期，请同时填写下一步")
        target = self._contact_project(texts, fail)
        if errors:
            shown = (texts.get("name") or "").strip() or (texts.get("code") or "").strip()
            self.plan.reject(CONTACTS, sheet.name, number, errors, shown)
            return
        key = contact_key(target.id, occurred_on, form, summary, {leader.id for leader in leaders})
        kind = "unchanged" if key in self.index.contacts else "created"
        self.index.contacts.add(key)
        self.plan.contact_ops.append(ContactOp(kind, sheet.name, number, target, occurred_on, form, summary,
                                               leaders, next_step, next_step_on, notes))

    # -- arrivals (到位资金) -------------------------------------------------------------------

    def _plan_arrival(self, sheet: Sheet, number: int, texts: dict) -> None:
        errors: list[tuple[str, str]] = []
        notes: list[tuple[str, str]] = []
        labels = {c.key: c.header for c in L.ARRIVAL_COLUMNS}

        def column(key):
            return sheet.headers.get(key, labels.get(key, key))

        def fail(key, message):
            errors.append((column(key), message))

        def parse(key, parser, *args, **kwargs):
            try:
                return parser(texts.get(key, ""), *args, **kwargs)
            except L.LedgerError as error:
                fail(key, str(error))
                return None

        target = self._arrival_project(texts.get("project", ""), fail)
        arrived_on = parse("arrived_on", L.parse_date, what="到位日期")
        if arrived_on is None and L.is_blank(texts.get("arrived_on", "")):
            fail("arrived_on", "请填写到位日期")
        elif arrived_on is not None and arrived_on > self.today:
            fail("arrived_on", "到位日期不能晚于今天")
        amount_text = texts.get("amount", "")
        try:
            currency = L.parse_currency(texts.get("currency", "")) or L.written_currency(amount_text) or "CNY"
        except L.LedgerError as error:
            fail("currency", str(error))
            currency = None
        money = parse("amount", L.read_arrival_amount, currency) if currency else None
        if money is not None:
            notes.append((column("amount"), f"{amount_text.strip()} → {format_wan(money.amount, money.currency)}"))
        arrival_kind = parse("kind", L.parse_arrival_kind)
        source_note = parse("source_note", L.parse_text, 200) or ""
        voucher_ref = parse("voucher_ref", L.parse_text, 64) or ""
        if errors:
            shown = (texts.get("project") or "").strip()
            self.plan.reject(ARRIVALS, sheet.name, number, errors, shown)
            return
        key = arrival_key(target.id, arrived_on, money.amount, money.currency, arrival_kind, voucher_ref)
        first = self.file_arrivals.setdefault(key, (sheet.name, number))
        if self.index.arrivals[key] > 0:
            self.index.arrivals[key] -= 1   # matched one to one: each recorded arrival answers one row
            kind = "unchanged"
        elif first != (sheet.name, number):
            # Two identical rows in one file are more likely one arrival written twice than two:
            # the second is held for the user's decision (imports.duplicates).
            pair = self.index.finder.arrival_pair(sheet.name, number, first, target.name)
            self.plan.pairs.append(pair)
            kind = {None: "held", SAME: "merged"}.get(pair.decision, "created")
        else:
            kind = "created"
        self.plan.arrival_ops.append(ArrivalOp(kind, sheet.name, number, target, arrived_on, money, arrival_kind,
                                               source_note, voucher_ref, notes))

    def _arrival_project(self, written: str, fail):
        """The project an arrival row names: its 项目编号, else its 项目名称; never guessed."""
        if L.is_blank(written):
            fail("project", "请填写项目编号或项目名称")
            return None
        text = written.strip()
        found = self.index.by_code.get(L.normalize(text))
        if found is not None:
            return found
        named = self.index.by_name.get(L.name_key(text), [])
        if len(named) == 1:
            return named[0]
        if named:
            fail("project", f"本区有{len(named)}个名为“{text}”的项目，请改填项目编号以区分")
            return None
        rejected = self.rejected_codes.get(L.normalize(text)) or self.rejected_names.get(L.name_key(text))
        _missing_project(fail, "project", rejected,
                         f"本开发区找不到项目编号或名称为“{text}”的项目；到位资金只记入已有项目，请先在项目台账中录入")
        return None

    def _contact_project(self, texts: dict, fail):
        code = "" if L.is_blank(texts.get("code", "")) else texts["code"].strip()
        name = (texts.get("name") or "").strip()
        investor = (texts.get("investor") or "").strip()
        if code:
            found = self.index.by_code.get(L.normalize(code))
            if found is None:
                _missing_project(fail, "code", self.rejected_codes.get(L.normalize(code)),
                                 f"找不到项目编号为“{code}”的项目，请先在项目台账中录入")
            return found
        if not name:
            fail("name", "请填写项目编号或项目名称")
            return None
        found = self.index.by_name.get(L.name_key(name), [])
        if investor:
            found = [p for p in found if company_key(_investor_of(p)) == company_key(investor)]
        if len(found) == 1:
            return found[0]
        if found:
            fail("name", f"本区有{len(found)}个名为“{name}”的项目，请填写项目编号或投资方以区分")
        else:
            _missing_project(fail, "name", self.rejected_names.get(L.name_key(name)),
                             f"找不到名为“{name}”的项目，请先在项目台账中录入，或加入本文件的项目台账")
        return None


def _missing_project(fail, column: str, rejected: "ProjectRow | None", not_found: str) -> None:
    """A contact row names no project the database holds or this import creates: say so, or
    name the ledger row to fix (its project is new and that row has errors)."""
    if rejected is not None:
        column_at, problem = rejected.errors[0]
        name = rejected.values.get("name") or rejected.values.get("code") or ""
        fail(column, f"所属项目“{name}”是新项目，其{rejected.sheet}第{rejected.number}行有错误未导入"
                     f"（{column_at}：{problem}）；改正该行后重新导入，本行即可导入")
    else:
        fail(column, not_found)


def _investor_of(entry) -> str:
    if isinstance(entry, Pending):
        return entry.investor
    return entry.investor.name if entry.investor else ""
