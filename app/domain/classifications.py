"""National classifications as data, and the closed vocabularies of a ledger with their synonyms.

- Industry: GB/T 4754-2017 国民经济行业分类, its 20 sections (A–T) and 97 divisions (01–97),
  shipped in data/gbt4754_2017.csv. A project stores a code (a section such as C, or a
  division such as 39) beside the zone's own wording (电子, 现代食品 …).
- Strategic emerging industries (战略性新兴产业分类 2018, nine areas) and a zone's own leading
  industries (主导产业) are tags beside the industry, never instead of it.
- Countries and regions: GB/T 2659 (ISO 3166-1 alpha-2) with Chinese names, shipped in
  data/gbt2659.csv; CN is the mainland, and Hong Kong, Macao and Taiwan count as foreign
  capital as Chinese statistics count them. XX (其他国家或地区) is kept for old records.
- Synonyms: one table of (vocabulary, word, value) for every closed vocabulary (stage, contact
  form, key level, yes/no, origin, industry). The words real ledgers use ship in
  data/synonyms.csv; the database table seeded from it is what admins edit.

Plain Python, no Flask: the services validate against these, the import resolves words with them.
"""
from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

DATA = Path(__file__).resolve().parent / "data"


def _read(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------------------------------
# Industry: GB/T 4754-2017

INDUSTRIES: dict[str, str] = {row["code"]: row["name"] for row in _read("gbt4754_2017.csv")}
SECTIONS: dict[str, str] = {code: name for code, name in INDUSTRIES.items() if code.isalpha()}
DIVISIONS: dict[str, str] = {code: name for code, name in INDUSTRIES.items() if code.isdigit()}
_SECTION_OF: dict[str, str] = {}
_current = None
for _code in INDUSTRIES:
    if _code.isalpha():
        _current = _code
    _SECTION_OF[_code] = _current
MANUFACTURING = "C"
# 工业 in Chinese statistics: 采矿业 (B), 制造业 (C), 电力、热力、燃气及水生产和供应业 (D).
INDUSTRIAL_SECTIONS = ("B", "C", "D")


def section_of(code: str | None) -> str | None:
    return _SECTION_OF.get(code or "")


def is_manufacturing_code(code: str | None) -> bool:
    return section_of(code) == MANUFACTURING


def is_industrial_code(code: str | None) -> bool:
    return section_of(code) in INDUSTRIAL_SECTIONS


def industry_label(code: str | None) -> str:
    """How a code is shown: "C 制造业", "39 计算机、通信和其他电子设备制造业"; blank is 未分类."""
    if not code:
        return "未分类"
    return f"{code} {INDUSTRIES.get(code, '')}".strip()


def industry_choices() -> list[tuple[str, str]]:
    """(code, label) for a select: each section, then its divisions indented."""
    return [(code, industry_label(code) if code.isalpha() else f"\u3000{industry_label(code)}")
            for code in INDUSTRIES]


# Strategic emerging industries (战略性新兴产业分类 2018): the nine areas.
SEI_AREAS = ("新一代信息技术产业", "高端装备制造产业", "新材料产业", "生物产业", "新能源汽车产业", "新能源产业",
             "节能环保产业", "数字创意产业", "相关服务业")
# How the areas are usually written without 产业.
SEI_SHORT = {area.removesuffix("产业") or area: area for area in SEI_AREAS}
_SEI_LONGEST_FIRST = sorted(((short, area) for short, area in SEI_SHORT.items()), key=lambda item: -len(item[0]))

# The product's 12 industry labels before GB/T 4754 (migration 0007): each maps to a code
# (a manufacturing project to its manufacturing division or section) and tags.
LEGACY_INDUSTRIES: dict[str, tuple[str | None, str | None, tuple[str, ...]]] = {
    # label: (code, code when the project is manufacturing, tags)
    "新一代信息技术": ("I", "39", ("新一代信息技术产业",)),
    "生物医药": ("27", "27", ("生物产业",)),
    "新材料": ("C", "C", ("新材料产业",)),
    "高端装备制造": ("C", "C", ("高端装备制造产业",)),
    "新能源": ("D", "38", ("新能源产业",)),
    "新能源汽车": ("36", "36", ("新能源汽车产业",)),
    "节能环保": ("77", "C", ("节能环保产业",)),
    "现代食品": ("14", "14", ("现代食品",)),
    "现代商贸物流": ("G", "C", ("现代商贸物流",)),
    "数字经济": ("I", "39", ("数字经济",)),
    "现代服务业": ("L", "C", ("现代服务业",)),
    "其他": (None, "C", ()),
}


def legacy_industry(label: str, is_manufacturing: bool) -> tuple[str | None, tuple[str, ...]]:
    """The code and tags an old label becomes (an unknown label: no code, no tags)."""
    if label not in LEGACY_INDUSTRIES:
        return ("C" if is_manufacturing else None), ()
    code, manufacturing_code, tags = LEGACY_INDUSTRIES[label]
    return (manufacturing_code if is_manufacturing else code), tags


def split_tags(text: str | None) -> list[str]:
    return [t for t in re.split(r"[、,，;；/\s]+", unicodedata.normalize("NFKC", text or "").strip()) if t]


def join_tags(tags: Iterable[str]) -> str:
    seen = []
    for tag in tags:
        tag = tag.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return "、".join(seen)


def tags_for_wording(wording: str, leading: Iterable[str] = ()) -> list[str]:
    """The tags an industry as a ledger writes it implies: a strategic emerging area it names
    (新能源 → 新能源产业), or one of the zone's leading industries it names."""
    found = list(_sei_tag(wording))
    key = word_key(wording)
    for tag in leading:
        if key and word_key(tag) and word_key(tag) in key:
            found.append(tag)
    return found


@lru_cache(maxsize=4096)
def _sei_tag(wording: str) -> tuple[str, ...]:
    key = word_key(wording)
    if key:
        for short, area in _SEI_LONGEST_FIRST:
            if key.startswith(short):
                return (area,)
    return ()


# ---------------------------------------------------------------------------------------
# Countries and regions: GB/T 2659 (ISO 3166-1)

_COUNTRIES = _read("gbt2659.csv")
OTHER_ORIGIN = "XX"
ORIGINS: dict[str, str] = {row["code"]: row["name"] for row in _COUNTRIES}
# The mainland, Hong Kong, Macao and Taiwan first (as forms offer them), then by code.
ORIGINS = {**{c: ORIGINS[c] for c in ("CN", "HK", "MO", "TW")}, **ORIGINS, OTHER_ORIGIN: "其他国家或地区"}
_ORIGIN_CODES = {**{row["alpha3"]: row["code"] for row in _COUNTRIES},
                 **{row["english"].casefold(): row["code"] for row in _COUNTRIES}}


# ---------------------------------------------------------------------------------------
# Closed vocabularies and their synonyms

CONTACT_FORMS = ["外出拜访", "来访接待", "视频会议", "电话", "招商活动", "其他"]
YES_NO = {"是": "是", "否": "否"}

VOCABULARIES = {
    "stage": "项目阶段", "contact_form": "对接方式", "key_level": "重点项目级别", "yes_no": "是否",
    "origin": "投资方国别或地区", "industry": "所属行业",
}
SHIPPED_SYNONYMS: list[tuple[str, str, str]] = [(r["vocabulary"], r["word"], r["value"]) for r in _read("synonyms.csv")]


@lru_cache(maxsize=65536)
def word_key(text: str) -> str:
    """How a word is compared: full-width folded, spaces removed, case-insensitive."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).casefold()


_BRACKETED = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")


class UnknownWord(ValueError):
    """A word a vocabulary does not know; `suggestions` are the closest choices (their labels)."""

    def __init__(self, word: str, suggestions: list[str]):
        super().__init__(word)
        self.word, self.suggestions = word, suggestions


@dataclass
class Resolved:
    value: str                  # the code or key ("" for an explicit none, e.g. 非重点)
    how: str                    # exact, synonym, contained
    word: str = ""              # the synonym or choice it was read through


@dataclass
class Vocabulary:
    """One closed vocabulary: its choices (value → label) and the synonyms it accepts."""
    name: str
    choices: Mapping[str, str]
    synonyms: Mapping[str, str] = field(default_factory=dict)        # word key → value
    contains: bool = False      # industry: the longest known word the text contains

    def __post_init__(self):
        self._exact = {}
        for value, label in self.choices.items():
            self._exact.setdefault(word_key(value), value)
            self._exact.setdefault(word_key(label), value)
        self._synonyms = {word_key(w): v for w, v in self.synonyms.items()}
        self._words = sorted(self._synonyms, key=len, reverse=True)

    def resolve(self, text: str) -> Resolved:
        key = word_key(text)
        if key in self._exact:
            return Resolved(self._exact[key], "exact")
        if key in self._synonyms:
            return Resolved(self._synonyms[key], "synonym", text)
        if self.name == "origin":
            code = _ORIGIN_CODES.get(key.upper()) or _ORIGIN_CODES.get(key)
            if code:
                return Resolved(code, "synonym", text)
        stripped = _BRACKETED.sub("", key)
        if stripped and stripped != key:
            try:
                found = self.resolve(stripped)
                return Resolved(found.value, "synonym" if found.how == "exact" else found.how, text)
            except UnknownWord:
                pass
        if self.contains:
            # 新材料产业 is 新材料; 新能源汽车零部件 is 新能源汽车 (the longest word wins).
            for value_key, value in sorted(self._exact.items(), key=lambda item: -len(item[0])):
                if len(value_key) >= 2 and not value_key.isascii() and key.startswith(value_key):
                    return Resolved(value, "contained", value_key)
            for word in self._words:
                if len(word) >= 2 and word in key:
                    return Resolved(self._synonyms[word], "contained", word)
        raise UnknownWord(text, self.closest(text))

    def closest(self, text: str, n: int = 3) -> list[str]:
        key = word_key(text)
        labels = {word_key(label): label for label in self.choices.values()}
        words = {**{w: w for w in self._synonyms}, **labels}
        found = difflib.get_close_matches(key, list(words), n=n, cutoff=0.3)
        if not found:
            found = [w for w in words if key and (key[0] in w)][:n]
        return [words[w] for w in found]

    def label(self, value: str) -> str:
        return self.choices.get(value, value)


def vocabularies(choices: Mapping[str, Mapping[str, str]],
                 synonyms: Iterable[tuple[str, str, str]] = SHIPPED_SYNONYMS) -> dict[str, Vocabulary]:
    """The six vocabularies from their choices (name → {value: label}) and the synonym rows."""
    by_name: dict[str, dict[str, str]] = {name: {} for name in VOCABULARIES}
    for name, word, value in synonyms:
        if name in by_name:
            by_name[name][word] = value
    return {name: Vocabulary(name, choices[name], by_name[name], contains=name == "industry")
            for name in VOCABULARIES}


def synonym_error(vocabulary: str, word: str, value: str, choices: Mapping[str, str]) -> str | None:
    """Why a synonym row cannot be saved, or None."""
    if vocabulary not in VOCABULARIES:
        return "未知的词表"
    if not word_key(word):
        return "请填写词语"
    if len(word) > 50:
        return "词语最多50个字"
    allowed_blank = vocabulary in ("key_level", "industry")
    if value == "" and allowed_blank:
        return None
    if value not in choices:
        return f"“{value}”不是{VOCABULARIES[vocabulary]}的取值"
    return None
