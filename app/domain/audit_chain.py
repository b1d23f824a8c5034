"""The audit trail's hash chain: each record's hash covers its content and the hash of the
record before it, so an edited, deleted or inserted record breaks every link after it.
No Flask, no database: app/services/audit_chain.py seals records, `flask audit verify`
walks them through `verify`.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

GENESIS = "0" * 64
# The columns a record's hash covers, in this order (chain format 1: never change it).
FIELDS = ("chain_seq", "occurred_at", "user_id", "username", "ip", "action", "entity", "entity_id",
          "zone_id", "before", "after")


def _moment(value):
    """A time as the chain writes it: naive UTC, to the microsecond."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="microseconds")
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# The fields as compact JSON with sorted keys, times written by _moment. One encoder for every
# record (json.dumps with options builds one per call; an import seals a hundred thousand),
# and the time left to its `default` hook instead of testing each field of each record.
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_moment).encode


def canonical(record: dict) -> bytes:
    values = {name: record.get(name) for name in FIELDS}
    at = values["occurred_at"]
    if type(at) is datetime and at.tzinfo is None:   # the usual case, without the hook's round trip
        values["occurred_at"] = at.isoformat(sep=" ", timespec="microseconds")
    return _ENCODE(values).encode()


def link(prev_hash: str, record: dict) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + canonical(record)).hexdigest()


@dataclass
class Break:
    """The first place the chain does not hold, in words for the operator."""
    seq: int | None
    record_id: int | None
    message: str


@dataclass
class Verdict:
    checked: int
    last_seq: int
    last_hash: str
    broken: Break | None


def verify(rows: Iterable[dict], anchors: dict[int, str], head: tuple[int, str] | None) -> Verdict:
    """Walk records in chain order (dicts with id, chain_seq, chain_prev, chain_hash and the
    FIELDS). `anchors` maps the first sequence number left by a purge to the hash before it;
    `head` is the chain's recorded end (sequence, hash). Returns the first break, if any."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    for row in rows:
        seq = row["chain_seq"]
        if seq is None:
            return Verdict(checked, expected_seq - 1, prev_hash,
                           Break(None, row["id"], f"记录 {row['id']} 没有链值（不在审计链中，可能是绕过应用插入的）"))
        if checked == 0 and seq != 1:
            if anchors.get(seq) != row["chain_prev"]:
                return Verdict(0, 0, GENESIS, Break(seq, row["id"], f"链首缺失：第 1～{seq - 1} 条记录被删除，"
                                                                     "且没有对应的清理记录"))
            expected_seq, prev_hash = seq, row["chain_prev"]
        if seq != expected_seq:
            missing = f"第 {expected_seq} 条" if seq == expected_seq + 1 else f"第 {expected_seq}～{seq - 1} 条"
            return Verdict(checked, expected_seq - 1, prev_hash,
                           Break(expected_seq, row["id"], f"{missing}记录缺失（被删除），断在记录 {row['id']} 之前"))
        if row["chain_prev"] != prev_hash:
            return Verdict(checked, expected_seq - 1, prev_hash,
                           Break(seq, row["id"], f"第 {seq} 条记录（编号 {row['id']}）与前一条的链接不符"))
        if link(prev_hash, row) != row["chain_hash"]:
            return Verdict(checked, expected_seq - 1, prev_hash,
                           Break(seq, row["id"], f"第 {seq} 条记录（编号 {row['id']}）的内容被修改，与其哈希不符"))
        prev_hash, expected_seq, checked = row["chain_hash"], seq + 1, checked + 1
    last_seq = expected_seq - 1
    if head is not None and head[0] != last_seq:
        return Verdict(checked, last_seq, prev_hash,
                       Break(last_seq + 1, None, f"链尾记录缺失：链头记到第 {head[0]} 条，"
                                                 f"现存记录只到第 {last_seq} 条"))
    if head is not None and last_seq and head[1] != prev_hash:
        return Verdict(checked, last_seq, prev_hash,
                       Break(last_seq, None, f"第 {last_seq} 条（最后一条）记录与链头记下的哈希不符，已被改写"))
    return Verdict(checked, last_seq, prev_hash, None)
