"""Likely duplicates an import holds for the user's decision, never settled by itself.

A row that would create a project is held when it is likely the same project as one of the
zone's or as an earlier row of the file (domain.duplicates.likely_same_project, the picker's
rule with the amount and the month); a 到位资金 row identical to an earlier row of the file is
held likewise. The dry run lists each pair with the rule's reasons; the user decides per pair:
- a project row: 同一项目 (it updates the existing project; a second row of the file is folded
  into the first, nothing is created twice) or 不同项目 (created as a new project);
- an arrival row: 同一笔 (recorded once) or 两笔不同的到位资金 (both recorded).
Nothing is written while a pair is undecided. Decisions are keyed by the held row (sheet and
row number): the file of a job does not change, so planning it again meets the same pairs.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from app.domain.duplicates import Entry, likely_same_project, project_key
from app.domain.names import company_key
from app.domain.usci import normalize_usci

PROJECT, ARRIVAL = "project", "arrival"
SAME, DIFFERENT = "same", "different"
CHOICES = {PROJECT: {SAME: "同一项目", DIFFERENT: "不同项目"},
           ARRIVAL: {SAME: "同一笔", DIFFERENT: "两笔不同的到位资金"}}
ARRIVAL_REASON = "项目、到位日期、金额、币种、类型、凭证号完全相同"


def pair_key(sheet: str, row: int) -> str:
    return f"{sheet}#{row}"


def refusal(count: int) -> str:
    return (f"有 {count} 对可能重复的行尚未决定（是同一项目还是不同项目、同一笔还是两笔到位资金），"
            f"未写入任何数据；请逐对选择后再确认导入")


@dataclass
class HeldPair:
    kind: str                       # PROJECT or ARRIVAL
    sheet: str
    row: int
    name: str                       # the held row's project
    other: dict                     # the earlier row ({sheet, row}) or the existing project ({id, code}), with its name
    reasons: list[str]
    decision: str | None = None

    @property
    def key(self) -> str:
        return pair_key(self.sheet, self.row)

    def to_dict(self) -> dict:
        return {"key": self.key, "kind": self.kind, "sheet": self.sheet, "row": self.row, "name": self.name,
                "other": self.other, "reasons": self.reasons, "decision": self.decision,
                "choices": CHOICES[self.kind], "decided": CHOICES[self.kind].get(self.decision, "")}


def other_label(other: dict) -> str:
    if "id" in other:
        code = f"（{other['code']}）" if other.get("code") else ""
        return f"已有项目“{other['name']}”{code}"
    return f"{other['sheet']}第{other['row']}行“{other['name']}”"


@dataclass
class Candidate:
    """A project the file may repeat: one of the zone's (`project`) or a row it creates (`pending`)."""
    entry: Entry
    project: object = None
    pending: object = None


@dataclass
class DuplicateFinder:
    """The zone's projects and the file's new rows, found by investor, credit code and name key
    (the rule needs one of them to agree), then judged by the rule."""
    decisions: dict = field(default_factory=dict)
    by_investor: dict = field(default_factory=lambda: defaultdict(list))
    by_usci: dict = field(default_factory=lambda: defaultdict(list))
    by_name: dict = field(default_factory=lambda: defaultdict(list))

    def add(self, candidate: Candidate) -> None:
        e = candidate.entry
        if e.investor.strip():
            self.by_investor[company_key(e.investor)].append(candidate)
        if e.usci.strip():
            self.by_usci[normalize_usci(e.usci)].append(candidate)
        self.by_name[project_key(e.name)].append(candidate)

    def add_project(self, project) -> None:
        investor = project.investor
        dates = (project.planned_on, project.negotiating_on, project.signed_on, project.started_on,
                 project.produced_on, project.dropped_on)
        self.add(Candidate(Entry(project.name, investor.name if investor else "",
                                 (investor.usci or "") if investor else "", project.total_investment,
                                 tuple(d for d in dates if d)), project=project))

    def project_pair(self, sheet: str, row: int, entry: Entry) -> tuple[HeldPair, Candidate] | None:
        """The pair a row that would create a project is held in, with the project it is likely
        to repeat (the zone's before the file's, the closest first), or None."""
        found = {}
        for bucket in (self.by_investor.get(company_key(entry.investor)) if entry.investor.strip() else None,
                       self.by_usci.get(normalize_usci(entry.usci)) if entry.usci.strip() else None,
                       self.by_name.get(project_key(entry.name))):
            for candidate in bucket or ():
                found[id(candidate)] = candidate
        best = None
        for candidate in found.values():
            reasons, score = likely_same_project(entry, candidate.entry)
            if reasons:
                rank = (candidate.project is not None, score)
                if best is None or rank > best[0]:
                    best = (rank, reasons, candidate)
        if best is None:
            return None
        _, reasons, candidate = best
        if candidate.project is not None:
            p = candidate.project
            other = {"id": p.id, "code": p.code or "", "name": p.name, "investor": candidate.entry.investor}
        else:
            first = candidate.pending.row
            other = {"sheet": first.sheet, "row": first.number, "name": candidate.entry.name,
                     "investor": candidate.entry.investor}
        pair = HeldPair(PROJECT, sheet, row, entry.name, other, list(reasons),
                        self.decisions.get(pair_key(sheet, row)))
        return pair, candidate

    def arrival_pair(self, sheet: str, row: int, first: tuple[str, int], project: str) -> HeldPair:
        return HeldPair(ARRIVAL, sheet, row, project, {"sheet": first[0], "row": first[1], "name": project},
                        [ARRIVAL_REASON], self.decisions.get(pair_key(sheet, row)))


def pairs_summary(pairs: list[HeldPair]) -> dict:
    return {"pairs": [p.to_dict() for p in pairs], "undecided": sum(1 for p in pairs if p.decision is None)}


class AcceptAll(dict):
    """The decisions of the command line's --accept-duplicates: every held pair as two (不同项目,
    两笔不同的到位资金)."""

    def get(self, key, default=None):
        return DIFFERENT


def decisions_of(summary: dict | None) -> dict:
    """The decisions a checked job's summary holds, for planning it again."""
    return {p["key"]: p["decision"] for p in (summary or {}).get("pairs") or [] if p.get("decision")}


def with_decisions(summary: dict, form) -> dict:
    """The summary with the decisions posted for its pairs (a field per pair, named by its key);
    a pair left unchosen keeps its decision."""
    pairs = []
    for p in summary.get("pairs") or []:
        chosen = form.get(f"pair-{p['key']}")
        decision = chosen if chosen in (SAME, DIFFERENT) else p.get("decision")
        pairs.append({**p, "decision": decision, "decided": CHOICES[p["kind"]].get(decision, "")})
    return {**summary, "pairs": pairs, "undecided": sum(1 for p in pairs if p["decision"] is None)}


def summary_lines(summary: dict) -> list[str]:
    """The pairs as the command line lists them."""
    pairs = summary.get("pairs") or []
    if not pairs:
        return []
    lines = [f"可能重复、待决定的行：{len(pairs)} 对（未决定 {summary.get('undecided', 0)} 对）"]
    for p in pairs:
        decided = f"：已定为“{p['decided']}”" if p["decided"] else "：未决定"
        lines.append(f"  {p['sheet']} 第{p['row']}行“{p['name']}” 与 {other_label(p['other'])}"
                     f"（{'、'.join(p['reasons'])}）{decided}")
    return lines


def audit_record(summary: dict) -> list[dict]:
    """The decisions as the import's audit record keeps them."""
    return [{"row": p["key"], "other": other_label(p["other"]), "reasons": p["reasons"], "decision": p["decided"]}
            for p in summary.get("pairs") or []]
