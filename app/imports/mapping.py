"""The columns of a file as the user sees them: each column's header as written, the field it
was matched to and why (完全一致, 同义词, 去掉单位后一致, 本区已保存的对应关系), or 未识别.

A column of the project sheet that no field declares is never filed anywhere on its own: the
user maps it to a field, keeps it in 备注 (as "表头：值") or ignores it. The zone's answers are
kept (import_column_mappings, written by app/services/column_mappings.py) and read for its later
files; the command line gives its own with --map. Until every such column has an answer the
file is previewed but not written.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.domain import ledger as L
from app.domain import project_fields as F
from app.extensions import db
from app.models import ImportColumnMapping

from .reader import ImportFileError

PROJECTS = "projects"   # the sheet kind answers are kept for (locating.PROJECTS)
KEEP, IGNORE = "keep", "ignore"
FORGET = "forget"   # the mapping step's choice that removes a saved answer
CHOICE_LABELS = {KEEP: "记入备注", IGNORE: "忽略"}
SAVED, GIVEN = "saved", "given"
HOW = {L.EXACT: "完全一致", L.SYNONYM: "同义词", L.UNIT_STRIPPED: "去掉单位后一致", L.REMARK_STRIPPED: "去掉括注后一致",
       SAVED: "本区已保存的对应关系", GIVEN: "命令行指定"}
UNRECOGNISED = "未识别"
POSITION = "序号列，不读取"


def field_labels() -> dict[str, str]:
    """The project sheet's column keys and the labels a user picks them by, in the sheet's order."""
    return {f.column: f.label for f in F.ledger_fields()}


def target_label(target: str) -> str:
    return CHOICE_LABELS.get(target) or field_labels().get(target, target)


@dataclass
class Answers:
    """header_key -> target for the project sheet: the command line's (`given`) over the zone's (`saved`)."""
    saved: dict[str, str] = field(default_factory=dict)
    given: dict[str, str] = field(default_factory=dict)

    def find(self, header: str) -> tuple[str, str] | None:
        key = L.header_key(header)
        if key in self.given:
            return self.given[key], GIVEN
        if key in self.saved:
            return self.saved[key], SAVED
        return None


def zone_answers(zone_id: int, given: dict[str, str] | None = None) -> Answers:
    rows = db.session.execute(select(ImportColumnMapping.header, ImportColumnMapping.target).where(
        ImportColumnMapping.zone_id == zone_id, ImportColumnMapping.sheet_kind == PROJECTS)).all()
    return Answers(dict(rows), {L.header_key(h): t for h, t in (given or {}).items()})


def read_target(text: str) -> str:
    """What a user names a column's field by (its label, a header word, 备注/记入备注, 忽略) as a target."""
    key = L.header_key(text)
    if key in ("备注", "记入备注"):
        return KEEP
    if key in ("忽略", "不导入"):
        return IGNORE
    for f in F.ledger_fields():
        if key in {L.header_key(w) for w in (f.label, f.caption, *f.headers)}:
            return f.column
    raise ImportFileError(f"“{text.strip()}”不是项目台账的字段；可填：{'、'.join(field_labels().values())}，"
                          f"或“备注”“忽略”")


def parse_maps(maps: tuple[str, ...] | list[str]) -> dict[str, str]:
    """--map "投资方国别（地区）=国别" as {header as written: target}; a malformed one is a Chinese error."""
    given = {}
    for text in maps:
        header, sep, name = text.rpartition("=")
        if not sep or not header.strip() or not name.strip():
            raise ImportFileError(f"--map “{text}”应写作“列名=字段”，如 --map \"投资方国别（地区）=国别\"")
        given[header.strip()] = read_target(name)
    return given


def read_answers(form) -> dict[str, str]:
    """The mapping step's form (header-N, answer-N) as {header as written: target}; unchosen left out."""
    answers = {}
    for name, header in form.items():
        if not name.startswith("header-"):
            continue
        target = form.get("answer-" + name.removeprefix("header-"), "")
        if not target:
            continue
        if target not in (KEEP, IGNORE, FORGET) and target not in field_labels():
            raise ImportFileError(f"“{header}”的选择“{target}”不是项目台账的字段")
        answers[header.strip()] = target
    return answers


@dataclass
class ColumnPlan:
    """A sheet's columns as the answers place them."""
    positions: dict[str, int]           # every column read: key -> place
    units: dict[str, str]               # amounts of columns placed by an answer: key -> the unit read in
    kept: list[tuple[int, str]]         # kept in 备注: (place, header as written)
    ignored: list[str]
    unmapped: list[str]
    report: list[dict]                  # every column, in the sheet's order, as the preview lists it


def plan_columns(kind: str, header_cells: list, match: L.HeaderMatch, columns, answers: Answers | None,
                 position_headers: frozenset) -> ColumnPlan:
    """Place the columns of a sheet: matched by header, by an answer (project sheet), or left unmapped."""
    labels = field_labels() if kind == PROJECTS else {c.key: c.header for c in columns}
    positions, how = dict(match.positions), {k: HOW[v] for k, v in match.how.items()}
    by_place = {pos: key for key, pos in positions.items()}
    units = {c.key: c.unit for c in columns if c.unit}
    answered_units = {}
    kept, ignored, unmapped, report = [], [], [], []
    for pos, cell in enumerate(header_cells):
        written = L.cell_text(cell).strip()
        if not written:
            continue
        entry = {"header": written, "key": "", "field": "", "how": "", "answer": "", "saved": False, "matched": False}
        if pos in by_place:
            key = by_place[pos]
            entry.update(key=key, field=labels.get(key, key), how=how.get(key, ""), matched=True)
        elif L.header_key(cell) in position_headers:
            entry.update(how=POSITION)
            ignored.append(written)
        elif kind != PROJECTS:
            entry.update(how=f"{UNRECOGNISED}（不读取）")
            ignored.append(written)
        else:
            found = answers.find(written) if answers is not None else None
            target, source = found if found else ("", "")
            entry.update(answer=target, saved=source == SAVED)
            if target and target not in (KEEP, IGNORE) and target not in positions and target in labels:
                positions[target] = pos
                if target in units:
                    answered_units[target] = L.header_unit(written, units[target])
                entry.update(key=target, field=labels[target], how=HOW[source])
            elif target == KEEP:
                kept.append((pos, written))
                entry.update(field=CHOICE_LABELS[KEEP], how=HOW[source])
            elif target == IGNORE:
                ignored.append(written)
                entry.update(field=CHOICE_LABELS[IGNORE], how=HOW[source])
            else:
                # No answer, or one naming a field another column already holds.
                entry.update(how=UNRECOGNISED, answer="")
                unmapped.append(written)
        report.append(entry)
    return ColumnPlan(positions, answered_units, kept, ignored, unmapped, report)


def free_fields(report: list[dict]) -> dict[str, str]:
    """The fields an unrecognised column may be mapped to: those no header of the sheet names."""
    taken = {c["key"] for c in report if c["matched"]}
    return {key: label for key, label in field_labels().items() if key not in taken and key != "note"}


def refuse_unmapped(sheets) -> None:
    """No writing while a column has no answer: the Chinese error lists them, sheet by sheet."""
    message = unmapped_message([(s.name, s.unmapped_columns) for s in sheets if s.unmapped_columns])
    if message:
        raise ImportFileError(message)


def unmapped_message(unmapped: list[tuple[str, list[str]]]) -> str:
    if not unmapped:
        return ""
    listed = "；".join(f"工作表“{name}”的" + "、".join(f"“{h}”" for h in headers) for name, headers in unmapped)
    return (f"以下列未识别，尚未选择对应的字段：{listed}。请为每一列选择对应的字段，或选择“记入备注”或“忽略”"
            f"（命令行：--map \"列名=字段\"，字段也可写“备注”或“忽略”）")


def format_columns(sheets: list[dict]) -> list[str]:
    """The column mapping as lines for the command line (the page shows the same table)."""
    lines = []
    for sheet in sheets:
        lines.append(f"工作表“{sheet['name']}”的列：")
        for c in sheet.get("columns", []):
            to = f" → {c['field']}" if c["field"] else ""
            lines.append(f"  {c['header']}{to}（{c['how']}）")
    return lines
