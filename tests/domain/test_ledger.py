"""Reading ledger cells: every messy form a zone's Excel or WPS file holds that is accepted, and
every form that is refused with its Chinese reason."""
from datetime import date, datetime
from decimal import Decimal

import pytest

from app.domain import ledger as L
from app.domain.money import Money
from app.domain.pipeline import StageDates

TODAY = date(2024, 12, 31)


# -- cells -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (None, ""), ("", ""), (float("nan"), ""), (12, "12"), (45356.0, "45356"), (1234.5, "1234.5"),
    (0.1 + 0.2, "0.3"), (1 / 3, "0.333333333333333"), (True, "是"), (False, "否"),
    (datetime(2024, 3, 5), "2024-03-05"), (datetime(2024, 3, 5, 9, 30), "2024-03-05 09:30:00"),
    (date(2024, 3, 5), "2024-03-05"), (Decimal("12.50"), "12.50"), ("  原样  ", "  原样  "),
])
def test_cells_read_as_the_text_a_person_sees(value, text):
    assert L.cell_text(value) == text


def test_name_keys_ignore_width_case_and_spaces():
    assert L.name_key(" ＡＢＣ 新能源　电池项目 ") == L.name_key("abc新能源电池项目")
    assert L.name_key("新能源电池项目（一期）") == L.name_key("新能源电池项目(一期)")
    assert L.name_key("新能源电池项目一期") != L.name_key("新能源电池项目二期")


# -- yes / no ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["是", " 是 ", "Y", "y", "YES", "√", "✓", "✔", "1", "TRUE", "Ｙ"])
def test_yes_words(text):
    assert L.parse_yes_no(text) is True


@pytest.mark.parametrize("text", ["否", "N", "no", "×", "✗", "0", "false", "", "  ", "—", "/", "无"])
def test_no_words_and_blank(text):
    assert L.parse_yes_no(text) is False


@pytest.mark.parametrize("text", ["可能", "X", "是的吧"])
def test_other_words_are_not_yes_or_no(text):
    with pytest.raises(L.LedgerError, match=f"“{text}”不是“是”或“否”"):
        L.parse_yes_no(text)


# -- dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "2024年03月05日", " 2024-3-5 ", "2024-03-05 00:00:00",
    "2024-03-05T00:00:00", "2024-03-05 14:30", "20240305", "45356", "45356.0", "45356.75",
    "２０２４－０３－０５", "２０２４年３月５日", "2024 年 3 月 5 日", "2024－3－5", "2024．3．5",
])
def test_accepted_date_forms(text):
    assert L.parse_date(text) == date(2024, 3, 5)


@pytest.mark.parametrize("text", ["", "  ", "-", "—", "/", "无"])
def test_blank_dates(text):
    assert L.parse_date(text) is None


@pytest.mark.parametrize("text, message", [
    ("2024-02-30", "不是有效的日期（该月没有这一天）"),
    ("2024-13-01", "不是有效的日期（该月没有这一天）"),
    ("3/5/2024", "“3/5/2024”不是有效的日期，请写作 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日"),
    ("24-3-5", "不是有效的日期，请写作"),
    ("下周一", "“下周一”不是有效的日期"),
    ("2024年3月", "只写了年月，日期须写到日"),
    ("3月5日", "没有写年份"),
    ("03-05", "没有写年份"),
    ("2024.13", "没有13月"),
    ("1900-01-01", "不是有效的日期（年份过早）"),
    ("123456", "不是有效的日期"),
])
def test_rejected_dates(text, message):
    with pytest.raises(L.LedgerError, match=message.replace("(", r"\(").replace(")", r"\)")):
        L.parse_date(text, allow_month=message == "没有13月")


@pytest.mark.parametrize("text, day", [("2026.5", date(2026, 5, 1)), ("2026年5月", date(2026, 5, 1)),
                                       ("2026-05", date(2026, 5, 1)), ("2026/5", date(2026, 5, 1)),
                                       ("2026年12月份", date(2026, 12, 1))])
def test_month_only_dates_where_allowed(text, day):
    assert L.parse_date_precision(text, allow_month=True) == (day, L.MONTH)
    assert L.parse_date_precision("2026.5.7", allow_month=True) == (date(2026, 5, 7), "day")
    with pytest.raises(L.LedgerError, match="只写了年月"):
        L.parse_date(text)


def test_a_date_without_a_year_says_so():
    with pytest.raises(L.LedgerError, match="“3月5日”没有写年份，对接日期请写全年月日"):
        L.parse_date("3月5日", what="对接日期")


@pytest.mark.parametrize("text, unit, yuan, approximate, note", [
    ("3.5亿", "万元", "350000000.00", False, ""), ("8.6亿元", "万元", "860000000.00", False, ""),
    ("约5亿", "万元", "500000000.00", True, ""), ("约 5 亿元", "万元", "500000000.00", True, ""),
    ("5000万", "万元", "50000000.00", False, ""), ("5000万元", "万元", "50000000.00", False, ""),
    ("10000（一期）", "万元", "100000000.00", False, "一期"), ("1.2亿(含二期)", "万元", "120000000.00", False, "含二期"),
    ("约10000（一期）", "万元", "100000000.00", True, "一期"), ("3亿", "亿元", "300000000.00", False, ""),
    ("500万美元", "万美元", "5000000.00", False, ""), ("500万美金", "万美元", "5000000.00", False, ""),
    ("1,200", "万元", "12000000.00", False, ""), ("１２００", "万元", "12000000.00", False, ""),
    ("大约3亿", "万元", "300000000.00", True, "")])
def test_amounts_as_ledgers_write_them(text, unit, yuan, approximate, note):
    reading = L.read_ledger_amount(text, unit)
    assert (str(reading.money.amount), reading.approximate, reading.note) == (yuan, approximate, note)


@pytest.mark.parametrize("text, message", [("约", "不是有效的金额"), ("3.5亿美元", "与本列不符"), ("五亿", "不是有效的金额"),
                                           ("（一期）", "不是有效的金额"), ("-3亿", "不能为负数")])
def test_refused_amounts(text, message):
    with pytest.raises(L.LedgerError, match=message):
        L.read_ledger_amount(text, "万元")


@pytest.mark.parametrize("text", ["待定", "不详", "暂无", "—", "－", "-", " 待定 ", "未定"])
def test_an_amount_not_yet_known_is_no_amount_and_says_so(text):
    reading = L.read_ledger_amount(text, "万元")
    assert (reading.money, reading.not_yet_known) == (None, True)
    assert L.read_ledger_amount("", "万元").not_yet_known is False   # blank is only blank


def test_an_arrival_needs_an_amount_that_has_arrived():
    with pytest.raises(L.LedgerError, match="到位资金只记已经到位的金额"):
        L.read_arrival_amount("待定", "CNY")


# -- 制造业 and 工业 read from the industry (GB/T 4754: C is 制造业, B–D are 工业) ------------

def _sector(industry: str, name: str = "某项目", manufacturing=None):
    code, wording = L.parse_industry(industry)
    return L.read_sector(code, wording, name, manufacturing)


@pytest.mark.parametrize("industry, manufacturing, industrial, said", [
    ("高端装备制造", True, True, "高端装备制造 → C 制造业 → 制造业项目、工业项目"),
    ("电子信息", True, True, "电子信息 → 39 计算机、通信和其他电子设备制造业 → 制造业项目、工业项目"),
    ("汽车制造业", True, True, "36 汽车制造业 → 制造业项目、工业项目"),
    ("新能源", False, True, "新能源 → D 电力、热力、燃气及水生产和供应业 → 工业项目（非制造业）"),
    ("B", False, True, "B 采矿业 → 工业项目（非制造业）"),
    ("现代物流", False, False, "现代物流 → G 交通运输、仓储和邮政业 → 非制造业、非工业项目"),
    ("软件", False, False, "软件 → 65 软件和信息技术服务业 → 非制造业、非工业项目"),
])
def test_the_industry_says_manufacturing_and_industrial(industry, manufacturing, industrial, said):
    reading = _sector(industry)
    assert (reading.manufacturing, reading.industrial, reading.by_name) == (manufacturing, industrial, False)
    assert reading.describe() == said


def test_a_name_that_says_more_than_its_industry_is_taken_at_its_word_and_the_reading_says_so():
    reading = _sector("新能源", "光伏组件制造项目")
    assert (reading.manufacturing, reading.industrial, reading.by_name) == (True, True, True)
    assert reading.describe() == ("新能源 → D 电力、热力、燃气及水生产和供应业；项目名称含“制造”，按制造业项目、工业项目计"
                                  "（以项目名称为准；如不是，请在“是否制造业”列填写“否”）")
    # Under a manufacturing industry the name adds nothing.
    assert _sector("电子", "芯片制造项目").by_name is False


def test_a_stated_manufacturing_leaves_only_industrial_to_read():
    assert (_sector("软件", manufacturing=True).industrial, _sector("软件", manufacturing=False).industrial) == (True, False)
    assert _sector("高端装备制造", manufacturing=False).describe(False, True) == "高端装备制造 → C 制造业 → 工业项目"
    assert _sector("新能源", "光伏组件制造项目", manufacturing=False).by_name is False   # the column said 否


def test_nothing_to_read_without_an_industry():
    assert L.read_sector(None, "", "光伏组件制造项目") is None


# -- amounts -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, unit, amount, currency", [
    ("1200", "万元", "12000000.00", "CNY"),
    ("1,200.5", "万元", "12005000.00", "CNY"),
    ("１，２００．５", "万元", "12005000.00", "CNY"),
    (" 1 200 ", "万元", "12000000.00", "CNY"),
    ("1200万元", "万元", "12000000.00", "CNY"),
    ("1.2亿元", "万元", "120000000.00", "CNY"),
    ("12.5", "亿元", "1250000000.00", "CNY"),
    ("0.000001", "万元", "0.01", "CNY"),
    ("6000.123456", "万美元", "60001234.56", "USD"),
    ("500万美元", "万美元", "5000000.00", "USD"),
    ("0.30000000000000004", "万元", "3000.00", "CNY"),   # Excel's 15 digits, not the float's noise
    ("0", "万元", "0.00", "CNY"),
])
def test_accepted_amounts(text, unit, amount, currency):
    assert L.parse_money(text, unit) == Money(Decimal(amount), currency)


@pytest.mark.parametrize("text", ["", " ", "-", "—", "无", "/"])
def test_blank_amounts(text):
    assert L.parse_money(text, "万元") is None


@pytest.mark.parametrize("text, unit, message", [
    ("-5", "万元", "金额不能为负数"),
    ("－１００", "万元", "金额不能为负数"),
    ("一千万", "万元", "“一千万”不是有效的金额"),
    ("1e5", "万元", "“1e5”不是有效的金额"),
    ("NaN", "万元", "“NaN”不是有效的金额"),
    ("12.3456789", "万元", "金额最多精确到分"),
    ("500万美元", "万元", "金额单位“万美元”与本列不符，本列以万元填写"),
    ("100万元", "万美元", "金额单位“万元”与本列不符"),
])
def test_rejected_amounts(text, unit, message):
    with pytest.raises(L.LedgerError, match=message):
        L.parse_money(text, unit)


# -- choices -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, stage", [
    ("线索", "lead"), ("在谈", "negotiating"), (" 签约 ", "signed"), ("已签约", "signed"), ("开工", "started"),
    ("已开工", "started"), ("投产", "producing"), ("终止", "dropped"), ("洽谈中", "negotiating"), ("", None),
])
def test_stages(text, stage):
    assert L.parse_stage(text) == stage


def test_unknown_stage():
    with pytest.raises(L.LedgerError, match="未知的项目阶段“开始”，最接近的是：开工.*可填：线索、在谈、签约、开工、投产、终止"):
        L.parse_stage("开始")


@pytest.mark.parametrize("text, level", [("省重点", "provincial"), ("市重点", "municipal"), ("省级", "provincial"),
                                         ("", None), ("否", None), ("非重点", None)])
def test_key_levels(text, level):
    assert L.parse_key_level(text) == level


def test_unknown_key_level():
    with pytest.raises(L.LedgerError, match="未知的重点项目级别“国家重点”"):
        L.parse_key_level("国家重点")


@pytest.mark.parametrize("text, code", [
    ("中国大陆", "CN"), ("JP", "JP"), ("jp", "JP"), ("JPN", "JP"), ("Japan", "JP"), ("日本", "JP"),
    ("香港", "HK"), ("中国香港", "HK"), ("中国香港特别行政区", "HK"), ("台湾", "TW"), ("台湾省", "TW"),
    ("中国台湾省", "TW"), ("澳门", "MO"), ("中国", "CN"), ("BVI", "VG"), ("英属维京群岛", "VG"),
    ("英属维尔京群岛", "VG"), ("开曼群岛", "KY"), ("开曼", "KY"), ("新加坡", "SG"), ("韩国", "KR"), ("大韩民国", "KR"),
    ("英属维尔京群岛（BVI）", "VG"), ("萨摩亚", "WS"), ("毛里求斯", "MU"), ("", None)])
def test_origins(text, code):
    assert L.parse_origin(text) == code


def test_every_country_and_region_is_there():
    from app.domain.classifications import ORIGINS
    assert len(ORIGINS) == 250   # ISO 3166-1's 249, and 其他国家或地区 for old records
    assert {"VG", "KY", "HK", "MO", "TW", "SG", "KR", "JP"} <= set(ORIGINS)


def test_unknown_origin_offers_the_closest():
    with pytest.raises(L.LedgerError, match="未知的投资方国别或地区“火星”"):
        L.parse_origin("火星")
    with pytest.raises(L.LedgerError, match="最接近的是：.*英属维尔京群岛"):
        L.parse_origin("英属维尔群岛")


@pytest.mark.parametrize("text, code, wording", [
    ("制造业", "C", ""), ("制造", "C", "制造"), ("C", "C", ""), ("39", "39", ""), ("电子", "39", "电子"),
    ("物流", "G", "物流"), ("食品", "14", "食品"), ("能源", "D", "能源"), ("装备", "C", "装备"), ("化工", "26", "化工"),
    ("医药", "27", "医药"), ("软件", "65", "软件"), ("汽车制造业", "36", ""), ("新材料", "C", "新材料"),
    ("新材料产业", "C", "新材料产业"), ("新能源汽车零部件", "36", "新能源汽车零部件"), ("电子信息产业", "39", "电子信息产业"),
    ("其他", None, ""), ("", None, ""), ("房地产", "K", "房地产")])
def test_industries_read_as_gbt4754_codes(text, code, wording):
    assert L.parse_industry(text) == (code, wording)


def test_industry_readings_are_noted():
    notes = []
    L.parse_industry("电子", notes=notes)
    L.parse_industry("制造业", notes=notes)   # the standard's own name: nothing to say
    assert notes == [("industry", "电子 → 39 计算机、通信和其他电子设备制造业")]


def test_unknown_industry_offers_the_closest():
    with pytest.raises(L.LedgerError, match="未知的所属行业“火星采掘”"):
        L.parse_industry("火星采掘")


@pytest.mark.parametrize("text, code", [("C", "C"), ("c", "C"), ("39", "39"), ("C 制造业", "C"), ("制造业", "C"),
                                        ("39 计算机、通信和其他电子设备制造业", "39"), ("", None)])
def test_industry_codes(text, code):
    assert L.parse_industry_code(text) == code


@pytest.mark.parametrize("text", ["Z", "98", "00", "制造"])
def test_rejected_industry_codes(text):
    with pytest.raises(L.LedgerError, match="GB/T 4754-2017"):
        L.parse_industry_code(text)


@pytest.mark.parametrize("text, form", [("拜访", "外出拜访"), ("走访", "外出拜访"), ("电话沟通", "电话"),
                                        ("实地考察", "来访接待"), ("洽谈", "来访接待"), ("视频会议", "视频会议")])
def test_contact_form_synonyms(text, form):
    assert L.parse_contact_form(text) == form


@pytest.mark.parametrize("text, stage", [("开工建设", "started"), ("已签约", "signed"), ("洽谈", "negotiating"),
                                         ("在建", "started"), ("竣工投产", "producing"), ("谋划", "lead")])
def test_stage_synonyms(text, stage):
    assert L.parse_stage(text) == stage


def test_unknown_word_offers_choices():
    with pytest.raises(L.LedgerError, match="未知的对接方式“飞鸽传书”.*可填：外出拜访、来访接待"):
        L.parse_contact_form("飞鸽传书")


def test_synonyms_from_the_database_are_used():
    from app.domain import classifications as K
    words = K.vocabularies(L.vocabulary_choices(), [("contact_form", "飞鸽传书", "其他")])
    notes = []
    assert L.parse_contact_form("飞鸽传书", words["contact_form"], notes) == "其他"
    assert notes == [("contact_form", "飞鸽传书 → 其他")]
    with pytest.raises(L.LedgerError):
        L.parse_contact_form("走访", words["contact_form"])   # only the given rows


def test_gbt4754_sections_and_divisions():
    from app.domain import classifications as K
    assert len(K.SECTIONS) == 20 and len(K.DIVISIONS) == 97
    assert [c for c in K.DIVISIONS if K.section_of(c) == "C"] == [str(n) for n in range(13, 44)]
    assert K.section_of("97") == "T" and K.section_of("70") == "K" and K.INDUSTRIES["C"] == "制造业"


@pytest.mark.parametrize("label, manufacturing, code, tags", [
    ("新能源", False, "D", ("新能源产业",)), ("新能源", True, "38", ("新能源产业",)), ("生物医药", False, "27", ("生物产业",)),
    ("现代食品", False, "14", ("现代食品",)), ("其他", False, None, ()), ("其他", True, "C", ())])
def test_old_labels_become_codes_and_tags(label, manufacturing, code, tags):
    from app.domain import classifications as K
    assert K.legacy_industry(label, manufacturing) == (code, tags)


def test_usci_is_normalised_and_checked():
    assert L.parse_usci(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert L.parse_usci("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"
    assert L.parse_usci("") is None
    with pytest.raises(L.LedgerError, match="统一社会信用代码校验位不正确，请核对"):
        L.parse_usci("91350100M000100Y44")
    with pytest.raises(L.LedgerError, match="统一社会信用代码应为18位，当前为5位"):
        L.parse_usci("12345")


def test_text_is_kept_as_typed_but_trimmed():
    assert L.parse_text("　新能源 电池项目 \n", 200) == "新能源 电池项目"
    with pytest.raises(L.LedgerError, match="内容过长，最多5个字，当前6个字"):
        L.parse_text("一二三四五六", 5)


@pytest.mark.parametrize("text, names", [
    ("张伟、李娜", ["张伟", "李娜"]), ("张伟,李娜", ["张伟", "李娜"]), ("张伟，李娜", ["张伟", "李娜"]),
    ("张伟；李娜", ["张伟", "李娜"]), (" 张伟 、 李娜 ", ["张伟", "李娜"]), ("张伟", ["张伟"]), ("", []), ("无", []),
])
def test_leaders_in_one_cell(text, names):
    assert L.split_names(text) == names


# -- headers -----------------------------------------------------------------------------

def test_headers_are_found_in_any_order_with_aliases_and_units():
    match = L.match_headers(["序号", "项目 名称", "投资主体", "总投资(亿元)", "合同外资（万美元）", "阶段", "其他说明"],
                            L.PROJECT_COLUMNS)
    assert match.positions == {"name": 1, "investor": 2, "total": 3, "capital": 4, "stage": 5}
    assert match.units == {"total": "亿元", "capital": "万美元"}
    assert match.ignored == ["序号", "其他说明"]


def test_a_header_twice_is_reported():
    match = L.match_headers(["项目名称", "项目名"], L.PROJECT_COLUMNS)
    assert match.duplicates == ["项目名称"]


def test_required_marks_and_line_breaks_in_headers_are_ignored():
    match = L.match_headers(["*项目名称", "总投资\n（万元）"], L.PROJECT_COLUMNS)
    assert match.positions == {"name": 0, "total": 1}


def test_every_column_the_issue_lists_is_in_the_template():
    assert [c.header for c in L.PROJECT_COLUMNS] == [
        "项目编号", "项目名称", "投资方", "投资方国别或地区", "统一社会信用代码", "行业代码", "所属行业", "产业标签", "是否制造业", "是否工业项目",
        "总投资（万元）", "合同外资（万美元）", "项目阶段", "谋划日期", "在谈日期", "签约日期", "开工日期", "投产日期",
        "终止日期", "重点项目级别", "分包领导", "分包责任人", "备注"]
    assert [c.header for c in L.CONTACT_COLUMNS] == [
        "对接日期", "项目编号", "项目名称", "投资方", "对接领导", "对接方式", "对接内容", "下一步", "下一步日期"]


# -- stages ------------------------------------------------------------------------------

D = date


def test_a_new_project_is_entered_at_its_first_dated_milestone():
    dates = {"negotiating": D(2024, 2, 1), "signed": D(2024, 3, 5), "started": D(2024, 5, 1)}
    assert L.new_project_stages("started", dates, None, TODAY) == [
        ("negotiating", D(2024, 2, 1)), ("signed", D(2024, 3, 5)), ("started", D(2024, 5, 1))]


def test_a_lead_without_dates_enters_on_its_planning_date():
    assert L.new_project_stages("lead", {}, D(2024, 1, 15), TODAY) == [("lead", D(2024, 1, 15))]
    assert L.new_project_stages(None, {}, None, TODAY) == [("lead", TODAY)]


def test_a_blank_stage_is_read_from_the_dates():
    assert L.new_project_stages(None, {"signed": D(2024, 3, 5)}, None, TODAY) == [("signed", D(2024, 3, 5))]


def test_a_dropped_project_keeps_its_milestones():
    steps = L.new_project_stages("dropped", {"signed": D(2024, 3, 5), "dropped": D(2024, 6, 1)}, None, TODAY)
    assert steps == [("signed", D(2024, 3, 5)), ("dropped", D(2024, 6, 1))]


@pytest.mark.parametrize("final, dates, column, message", [
    ("signed", {}, "signed_on", "项目阶段为“签约”，请填写签约日期"),
    ("started", {"signed": D(2024, 3, 5)}, "started_on", "项目阶段为“开工”，请填写开工日期"),
    ("dropped", {}, "dropped_on", "项目阶段为“终止”，请填写终止日期"),
    ("signed", {"signed": D(2024, 3, 5), "started": D(2024, 4, 1)}, "started_on", "项目阶段为“签约”，却填写了开工日期"),
    ("lead", {"signed": D(2024, 3, 5)}, "signed_on", "项目阶段为“线索”，却填写了签约日期"),
    ("started", {"signed": D(2024, 5, 5), "started": D(2024, 4, 1)}, "started_on",
     "开工日期（2024-04-01）早于签约日期（2024-05-05）"),
    ("signed", {"signed": D(2025, 1, 1)}, "signed_on", "签约日期不能晚于今天"),
    ("signed", {"signed": D(2024, 3, 5), "dropped": D(2024, 6, 1)}, "dropped_on", "项目阶段为“签约”，却填写了终止日期"),
    ("dropped", {"signed": D(2024, 3, 5), "dropped": D(2024, 1, 1)}, "dropped_on", "终止日期（2024-01-01）早于签约日期"),
])
def test_contradictory_stages_are_refused(final, dates, column, message):
    with pytest.raises(L.LedgerError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        L.new_project_stages(final, dates, None, TODAY)
    assert caught.value.column == column


SIGNED = StageDates("signed", D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 5))


def test_an_unchanged_row_changes_no_stage():
    dates = {"negotiating": D(2024, 2, 1), "signed": D(2024, 3, 5)}
    assert L.stage_changes_for(SIGNED, D(2024, 3, 5), "signed", dates, TODAY) == []
    assert L.stage_changes_for(SIGNED, D(2024, 3, 5), None, {}, TODAY) == []
    assert L.stage_changes_for(SIGNED, D(2024, 3, 5), "signed", {}, TODAY) == []


def test_a_row_moves_a_project_forward_through_dated_changes():
    dates = {"signed": D(2024, 3, 5), "started": D(2024, 5, 1), "produced": None, "producing": D(2024, 9, 1)}
    assert L.stage_changes_for(SIGNED, D(2024, 3, 5), "producing", dates, TODAY) == [
        ("started", D(2024, 5, 1)), ("producing", D(2024, 9, 1))]


def test_a_row_drops_a_project_on_its_date():
    assert L.stage_changes_for(SIGNED, D(2024, 3, 5), "dropped", {"dropped": D(2024, 7, 1)}, TODAY) == [
        ("dropped", D(2024, 7, 1))]


def test_negotiating_without_a_date_is_today():
    lead = StageDates("lead", D(2024, 1, 1))
    assert L.stage_changes_for(lead, D(2024, 1, 1), "negotiating", {}, TODAY) == [("negotiating", TODAY)]


@pytest.mark.parametrize("final, dates, message", [
    ("signed", {"signed": D(2024, 3, 6)}, "签约日期与系统记录（2024-03-05）不一致"),
    ("negotiating", {}, "项目阶段不能由“签约”退回“在谈”"),
    ("started", {}, "项目阶段为“开工”，请填写开工日期"),
    ("started", {"started": D(2024, 3, 1)}, "开工日期（2024-03-01）早于签约日期（2024-03-05）"),
    ("signed", {"started": D(2024, 4, 1)}, "项目阶段为“签约”，却填写了开工日期"),
])
def test_what_an_import_cannot_change_about_stages(final, dates, message):
    with pytest.raises(L.LedgerError, match=message.replace("(", r"\(").replace(")", r"\)")):
        L.stage_changes_for(SIGNED, D(2024, 3, 5), final, dates, TODAY)


def test_a_change_before_the_last_recorded_one_is_refused():
    with pytest.raises(L.LedgerError, match=r"开工日期（2024-03-10）早于该项目最近一次阶段变更（2024-04-01）"):
        L.stage_changes_for(SIGNED, D(2024, 4, 1), "started", {"started": D(2024, 3, 10)}, TODAY)


def test_a_dropped_project_is_not_revived_by_an_import():
    dropped = StageDates("dropped", D(2024, 1, 1), signed_on=D(2024, 3, 5), dropped_on=D(2024, 6, 1))
    assert L.stage_changes_for(dropped, D(2024, 6, 1), "dropped", {"dropped": D(2024, 6, 1)}, TODAY) == []
    with pytest.raises(L.LedgerError, match="项目已终止，不能通过导入改为“签约”"):
        L.stage_changes_for(dropped, D(2024, 6, 1), "signed", {}, TODAY)


def test_the_template_example_is_recognisable():
    example = L.example_row(L.PROJECT_COLUMNS)
    assert example["name"].startswith("新能源电池项目（示例") and example["signed_on"] == "2024-03-05"
    assert example["total"] == "150000"
