"""Every stored field of a project, declared once: its Chinese label, how a ledger may head
its column, its kind and limits, whether the audit trail records it, where the ledger sheet
puts it and the help a user reads beside it.

The service checks the limits (app/services/projects.py, `check_limits`); the project form,
the API schemas, the ledger's columns (template, export and import matching), the import's
reading of text cells and the audit viewer read this table instead of keeping their own
copies. In the spirit of Odoo's `fields.Char(string=..., size=..., tracking=True)` and
UK Data Hub's table-driven `validate.py`.

A new plain text field (kind TEXT, `plain=True`) needs nothing but its declaration here and
a migration that adds its column: the model makes the column from it (app/models/project.py),
the service writes it from ProjectInput.plain, and every face above shows it. Plain Python.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import classifications as K

# Kinds: what a value is, and so which widget, schema type and cell reading it takes.
TEXT = "text"              # one line
LONG_TEXT = "long_text"    # several lines (备注)
MONEY = "money"            # an amount with its currency, entered in 万 of the unit
DATE = "date"
CHOICE = "choice"          # one of a closed list (choices names it)
FLAG = "flag"              # 是/否
CLASSIFICATION = "classification"   # a GB/T 4754-2017 section or division code
TAGS = "tags"              # several words joined by 、
PERSON = "person"          # a leader of the zone
PEOPLE = "people"          # several leaders of the zone
USCI = "usci"              # 统一社会信用代码

_D = "日期可写作 2024-03-05、2024/3/5、2024.3.5、2024年3月5日，或使用 Excel 日期格式"


class FieldLimitError(ValueError):
    """A value outside its field's limits; the message names the field's label."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ProjectField:
    key: str                          # the ProjectInput attribute (and, for most, the Project column)
    label: str                        # the one Chinese name: form, API description, audit viewer, errors
    kind: str = TEXT
    max_length: int | None = None     # characters, for text kinds
    required: bool = False
    unit: str | None = None           # money: the unit it is entered in (万元, 万美元)
    choices: str | None = None        # the closed list a template cell offers (yes_no, stages, ...)
    # The ledger sheet: the column's key (None: not in the ledger), the words a ledger may head
    # it with (the first is the template's and the export's heading; units in brackets), its
    # width, the template's example and the note explaining how to fill it.
    column: str | None = None
    headers: tuple[str, ...] = ()
    width: int = 12
    example: object = ""
    note: str = ""
    help: str = ""                    # beside the form field and in the API description
    input: bool = True                # False: set by stage changes or derived, never typed
    audited: bool = True
    # The Project columns it is stored in, when not `key` alone (a money field keeps its currency;
    # the investor is stored as its id). The audit trail records these keys.
    stored: tuple[str, ...] | None = None
    plain: bool = False               # a plain text column the model makes from this declaration

    @property
    def caption(self) -> str:
        """The label as a form shows it: with the unit it is entered in (总投资（万元）)."""
        return f"{self.label}（{self.unit}）" if self.unit else self.label

    @property
    def header(self) -> str:
        """The ledger column's heading in the template and the export."""
        return self.headers[0] if self.headers else self.caption

    @property
    def columns(self) -> tuple[str, ...]:
        return self.stored if self.stored is not None else (self.key,)

    @property
    def described(self) -> str:
        """The label with its help, as the API describes the field."""
        return f"{self.label}：{self.help}" if self.help else self.label


PROJECT_FIELDS: list[ProjectField] = [
    ProjectField("code", "项目编号", max_length=50, column="code", headers=("项目编号", "编号", "项目代码"), width=14,
                 example="示例-001", help="本区自编号，可不填；同一开发区内不得重复",
                 note="本区自编号，可不填；填写后按编号识别同一项目，不填则按“项目名称＋投资方”识别。导入不会清除已有编号。"),
    ProjectField("name", "项目名称", max_length=200, required=True, column="name", headers=("项目名称", "项目名"),
                 width=28, example="新能源电池项目（示例，导入前请删除本行）", note="必填，最多200字。"),
    ProjectField("investor_name", "投资方", max_length=200, column="investor",
                 headers=("投资方", "投资主体", "投资企业", "投资单位", "签约企业", "企业名称"), width=26,
                 example="北京华创科技有限公司", stored=("investor_id",), help="投资企业全称；不填表示暂无投资方",
                 note="投资企业全称，最多200字。"),
    ProjectField("origin", "投资方国别或地区", CHOICE, choices="origins", column="origin",
                 headers=("投资方国别或地区", "国别或地区", "国别(地区)", "国别/地区", "国别", "投资方国别(地区)", "投资方国别/地区",
                          "投资方国别", "投资方国家或地区", "投资方国家(地区)", "国家或地区", "国家(地区)", "投资来源地",
                          "资金来源地"),
                 width=14, example="中国大陆", stored=(), help="港澳台及境外投资均计为外资",
                 note="如 中国大陆、中国香港、中国台湾、日本、德国；港澳台及境外投资计为外资。不填视为中国大陆，"
                      "已有投资方不填则保持原值。"),
    ProjectField("usci", "统一社会信用代码", USCI, max_length=18, column="usci",
                 headers=("统一社会信用代码", "信用代码", "社会信用代码"), width=22, example="91350100M000100Y43",
                 stored=(), help="投资方的统一社会信用代码，18 位，带校验位",
                 note="18位，系统校验校验位；不填则保持原值。"),
    ProjectField("industry_code", "国民经济行业（GB/T 4754-2017）", CLASSIFICATION, choices="industry_codes",
                 column="industry_code", headers=("行业代码", "国民经济行业代码", "国标行业代码", "行业分类代码", "行业分类"),
                 width=10, example="38", help="门类或大类；制造业为门类 C（大类 13–43）",
                 note="国民经济行业分类（GB/T 4754-2017）的门类字母（A–T，制造业为 C）或两位大类代码（01–97）；"
                      "不填时按“所属行业”的写法推断（如 制造业→C、电子→39、物流→G）。"),
    ProjectField("industry", "所属行业（本区表述）", max_length=50, choices="industries", column="industry",
                 headers=("所属行业", "行业", "产业类别", "所属产业", "行业类别", "产业类型", "行业类型"), width=14,
                 example="新能源电池", help="如 电子、现代食品，与国标行业一并保存",
                 note="本区的写法原样保存；可写国标门类或大类名称（如 制造业、汽车制造业），或常用说法（电子、物流、"
                      "食品、能源、装备、化工、医药、软件……，管理员可在同义词表中增加）。不认识的写法为错误行，并给出最接近的选项。"),
    ProjectField("tags", "产业标签", TAGS, max_length=200, column="tags",
                 headers=("产业标签", "战略性新兴产业", "主导产业", "战新产业"), width=18, example="新能源产业",
                 help="战略性新兴产业领域或本区主导产业，多个用“、”分隔，如 " + "、".join(K.SEI_AREAS[:3]),
                 note="战略性新兴产业领域（" + "、".join(K.SEI_AREAS) + "）或本区主导产业，多个用“、”分隔；"
                      "不填时按所属行业的写法补充（如 新能源→新能源产业）。"),
    ProjectField("is_manufacturing", "制造业项目", FLAG, choices="yes_no", column="manufacturing",
                 headers=("是否制造业", "制造业", "制造业项目"), width=10, example="是",
                 note="是/否，也可填 Y/N、√/×；不填为否。"),
    ProjectField("is_industrial", "工业项目", FLAG, choices="yes_no", column="industrial",
                 headers=("是否工业项目", "工业项目"), width=10, example="是", note="是/否，也可填 Y/N、√/×；不填为否。"),
    ProjectField("total_investment", "总投资", MONEY, unit="万元", column="total",
                 headers=("总投资（万元）", "总投资", "计划总投资", "总投资额", "项目总投资"), width=14,
                 example=Decimal("150000"), stored=("total_investment", "total_investment_currency"),
                 help="人民币，不能为负数",
                 note="人民币万元，可带千分位；表头写“总投资（亿元）”时按亿元读取。不能为负数。"),
    ProjectField("foreign_capital", "合同外资", MONEY, unit="万美元", column="capital",
                 headers=("合同外资（万美元）", "合同外资", "合同外资额"), width=14,
                 stored=("foreign_capital", "foreign_capital_currency"), help="外资项目填写，美元，不能为负数",
                 note="外资项目填写，单位为万美元，可带千分位；不能为负数。"),
    ProjectField("stage", "项目阶段", CHOICE, choices="stages", column="stage",
                 headers=("项目阶段", "阶段", "当前阶段", "项目进展", "项目状态"), width=10, example="签约", input=False,
                 note="线索、在谈、签约、开工、投产或终止。签约、开工、投产、终止须填写对应日期；"
                      "导入只会推进阶段，退回请在项目页面操作。不填则按所填日期推断。"),
    ProjectField("planned_on", "谋划日期", DATE, column="planned_on", headers=("谋划日期", "谋划时间"),
                 example=date(2024, 1, 15), help="不晚于今天；不填则为录入当天",
                 note=f"{_D}；新项目不填时取最早的阶段日期。"),
    ProjectField("negotiating_on", "在谈日期", DATE, column="negotiating_on", headers=("在谈日期", "在谈时间", "洽谈日期"),
                 example=date(2024, 2, 1), note=_D, input=False, audited=False),
    ProjectField("signed_on", "签约日期", DATE, column="signed_on", headers=("签约日期", "签约时间"),
                 example=date(2024, 3, 5), note=_D, input=False),
    ProjectField("started_on", "开工日期", DATE, column="started_on", headers=("开工日期", "开工时间"), note=_D,
                 input=False),
    ProjectField("produced_on", "投产日期", DATE, column="produced_on", headers=("投产日期", "投产时间"), note=_D,
                 input=False),
    ProjectField("dropped_on", "终止日期", DATE, column="dropped_on", headers=("终止日期", "终止时间"),
                 note=f"项目终止时填写。{_D}", input=False),
    ProjectField("key_level", "重点项目级别", CHOICE, choices="key_levels", column="key_level",
                 headers=("重点项目级别", "重点项目", "是否重点项目", "重点级别"), width=12, example="市重点",
                 help="省重点、市重点；不填为非重点项目", note="省重点、市重点，非重点项目留空。"),
    ProjectField("leader_id", "分包领导", PERSON, column="leader",
                 headers=("分包领导", "包联领导", "分包县级领导", "包联县级领导"), width=10, example="张伟",
                 help="须为本开发区的领导", note="本开发区领导的姓名（重名时填用户名），须已在系统中建立账号。"),
    ProjectField("responsible", "分包责任人", max_length=50, column="responsible",
                 headers=("分包责任人", "责任人", "项目责任人"), width=10, example="王芳", note="最多50字。"),
    ProjectField("note", "备注", LONG_TEXT, max_length=2000, column="note", headers=("备注",), width=30,
                 note="最多2000字。"),
    # Stored without a ledger column of their own.
    ProjectField("co_leader_ids", "其他分包领导", PEOPLE, stored=(), help="第一位分包领导之后的各位"),
    ProjectField("is_foreign", "外资项目", FLAG, input=False, help="投资方在境外（含港澳台）时为是，随投资方国别"),
    ProjectField("entered_on", "录入日期", DATE, input=False, audited=False),
]


def project_fields() -> list[ProjectField]:
    return list(PROJECT_FIELDS)


def project_field(key: str) -> ProjectField:
    for f in PROJECT_FIELDS:
        if f.key == key:
            return f
    raise KeyError(key)


def ledger_fields() -> list[ProjectField]:
    """The fields the ledger sheet has a column for, in the sheet's order."""
    return [f for f in PROJECT_FIELDS if f.column is not None]


def plain_fields() -> list[ProjectField]:
    """Text fields that need no code of their own: made, read and written from the declaration."""
    return [f for f in PROJECT_FIELDS if f.plain]


def audited_columns() -> tuple[str, ...]:
    """The Project columns a project's audit records carry, in the declaration's order."""
    return tuple(c for f in PROJECT_FIELDS if f.audited for c in f.columns)


def audit_labels() -> dict[str, str]:
    """The audit trail's keys of a project record, as the auditor reads them: each stored column
    under its field's label (a money field's currency as 总投资币种); the stage changes' records
    name dates that are not audited on their own."""
    labels = {}
    for f in PROJECT_FIELDS:
        for n, column in enumerate(f.columns or (f.key,)):
            labels[column] = f.label if n == 0 else f"{f.label}币种"
    return labels


def check_text(key: str, value: str) -> str:
    """A text field's value as stored: surrounding space removed, its limits checked (a
    FieldLimitError names the label)."""
    f = project_field(key)
    value = (value or "").strip()
    if f.required and not value:
        raise FieldLimitError(f"请填写{f.label}", key)
    if f.max_length is not None and len(value) > f.max_length:
        raise FieldLimitError(f"{f.label}最多{f.max_length}个字，当前{len(value)}个字", key)
    return value
