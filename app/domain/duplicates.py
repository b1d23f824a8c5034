"""When two ledger entries are likely the same project: one rule for every entrance (the
new-project form, the contact form, the API, and the import when it adopts it).

A project is likely a duplicate of another when its name reads the same or nearly so (width,
case, spaces, punctuation and a trailing 项目 aside; one name inside the other, or most of
the characters in the same order), when it is by the same investor (company names compared by
names.company_key), or when the investor's 统一社会信用代码 is the same. The picker lists any of
these as a reminder; an import holds a row only when it is likely the same project written twice
(likely_same_project: the name and the investor agree, and the amount and month do not differ).
Plain Python.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache

from .names import company_key
from .usci import normalize_usci

SAME_NAME, SIMILAR_NAME, SAME_INVESTOR, SAME_USCI = "名称相同", "名称相近", "同一投资方", "同一统一社会信用代码"
SAME_AMOUNT, SAME_MONTH = "总投资相同", "同月"
# How alike two names must be (difflib's ratio of their keys) to be called similar.
SIMILAR = 0.75
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
# A project name may carry its investor's legal form (河北鑫泰新材料有限公司年产5万吨项目): one
# name inside the other is looked for with these words aside too.
_LEGAL_FORMS = re.compile("股份有限公司|有限责任公司|有限公司")


@lru_cache(maxsize=65536)
def project_key(name: str) -> str:
    """A project name as compared: width- and case-folded, no spaces or punctuation, no
    trailing 项目 (石家庄 氢能重卡项目 and 石家庄氢能重卡 are one name)."""
    text = _NOISE.sub("", unicodedata.normalize("NFKC", name or "").casefold())
    return text[:-2] if text.endswith("项目") and len(text) > 2 else text


def name_likeness(a: str, b: str) -> float:
    """1.0 for the same name; near 1 when one is the other with a character or two missing."""
    ka, kb = project_key(a), project_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    if _one_inside_the_other(ka, kb):
        return max(0.9, SequenceMatcher(None, ka, kb).ratio())
    return SequenceMatcher(None, ka, kb).ratio()


def _one_inside_the_other(ka: str, kb: str) -> bool:
    for pair in ((ka, kb), (_LEGAL_FORMS.sub("", ka), _LEGAL_FORMS.sub("", kb))):
        shorter, longer = sorted(pair, key=len)
        if len(shorter) >= 4 and shorter in longer:
            return True
    return False


def names_contain(a: str, b: str) -> bool:
    """The same name, or one inside the other (legal forms aside): 鑫泰新材料年产5万吨 inside
    河北鑫泰新材料有限公司年产5万吨项目; 光伏一期 and 光伏二期 are not."""
    ka, kb = project_key(a), project_key(b)
    return bool(ka) and bool(kb) and (ka == kb or _one_inside_the_other(ka, kb))


@dataclass(frozen=True)
class Entry:
    """What the rule compares: a project's name, its investor's name and code, and (when
    known) its total investment and the dates it gives (planned, stages)."""
    name: str
    investor: str = ""
    usci: str = ""
    amount: Decimal | None = None
    dates: tuple[date, ...] = ()

    @property
    def months(self) -> set[tuple[int, int]]:
        return {(d.year, d.month) for d in self.dates}


def likeness(new: Entry, existing: Entry) -> tuple[tuple[str, ...], float]:
    """Why `existing` is likely the project `new` describes, and how close: ((), 0) when not."""
    reasons, score = [], 0.0
    ratio = name_likeness(new.name, existing.name)
    if ratio == 1.0:
        reasons.append(SAME_NAME)
    elif ratio >= SIMILAR:
        reasons.append(SIMILAR_NAME)
    if reasons:
        score += ratio
    if new.investor.strip() and existing.investor.strip() and \
            company_key(new.investor) == company_key(existing.investor):
        reasons.append(SAME_INVESTOR)
        score += 0.5
    if new.usci.strip() and existing.usci and normalize_usci(new.usci) == normalize_usci(existing.usci):
        reasons.append(SAME_USCI)
        score += 0.8
    if new.amount is not None and existing.amount is not None and new.amount == existing.amount:
        reasons.append(SAME_AMOUNT)
        score += 0.3
    if new.months & existing.months:
        reasons.append(SAME_MONTH)
        score += 0.3
    return tuple(reasons), score


def likely_same_project(new: Entry, existing: Entry) -> tuple[tuple[str, ...], float]:
    """Why two entries are likely one project written twice, ((), 0) when not: the names are
    the same or one inside the other (names_contain), the investor is the same (by name or code) or one of them
    names none, and neither the total investment nor the months they give differ."""
    if not names_contain(new.name, existing.name):
        return (), 0.0
    reasons, score = likeness(new, existing)
    both = new.investor.strip() and existing.investor.strip()
    if both and not {SAME_INVESTOR, SAME_USCI} & set(reasons):
        return (), 0.0
    if new.usci.strip() and existing.usci.strip() and SAME_USCI not in reasons:
        return (), 0.0
    if new.amount is not None and existing.amount is not None and SAME_AMOUNT not in reasons:
        return (), 0.0
    if new.months and existing.months and SAME_MONTH not in reasons:
        return (), 0.0
    return reasons, score


def name_fragments(name: str, size: int = 4) -> list[str]:
    """A few pieces of a name that a similar name very likely shares, for a database to find
    candidates by (LIKE '%piece%') before the rule ranks them: its start, middle and end."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
    if text.endswith("项目") and len(text) > 2:
        text = text[:-2]
    if len(text) <= size:
        return [text] if text else []
    middle = (len(text) - size) // 2
    return list(dict.fromkeys([text[:size], text[middle:middle + size], text[-size:]]))
