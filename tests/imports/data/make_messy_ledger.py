"""Writes messy_ledger.xlsx: a zone's 2024 ledger as zones keep it in WPS (run from the repo root:
python tests/imports/data/make_messy_ledger.py). Every case of issue 16 is in it: a title and a
填报 line above a two-line header with merged cells, units and line breaks in the headers, a
序号 column and a 联系人 column the product does not define, 制造业/电子/物流/食品/能源/装备 as
industries, 开工建设/已签约/洽谈 as stages, 香港/英属维京群岛/开曼群岛/台湾省 as origins, amounts
in 亿 with and without 元, 约, a bracketed note, month-only dates, two leaders in one cell, a
小计 and a 合计 row, and a contact sheet with 实地考察/洽谈/走访/视频 and a date without a year.
The expected outcome is written down in test_messy_ledger.py."""
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent

HEADER_1 = ["序号", "项目名称", "投资方", "资金来源地", "所属行业", "投资规模", None, "项目\n进展", "谋划时间", "签约时间",
            "开工时间", "包联领导", "重点项目", "联系人"]
HEADER_2 = [None, None, None, None, None, "总投资\n（亿元）", "合同外资\n(万美元)", None, None, None, None, None, None, None]
ROWS = [  # sheet rows 6..16
    [1, "新能源电池Pack生产线项目", "河北冀能新能源科技有限公司", "中国", "制造业", 15, None, "开工建设", "2024.3",
     datetime(2024, 4, 10), "2024-06-01", "张伟、李娜", "市重点", "刘经理 13900000000"],
    [2, "智能终端电子产品项目", "香港华泰电子有限公司", "香港", "电子", "8.6亿元", 6000, "已签约", "2024年2月", "2024年5月",
     None, "李娜", None, None],
    [3, "冷链物流园项目", "泰丰投资有限公司", "英属维京群岛", "物流", "约5", 800, "洽谈", "2024.6", None, None,
     "张伟", None, None],
    [4, "中央厨房预制菜项目", "石家庄鲜食食品有限公司", "中国大陆", "食品", "10000万（一期）", None, "签约", None,
     "2024/7/15", None, "张伟", None, None],
    [5, "分布式光伏电站项目", "开曼能源控股有限公司", "开曼群岛", "能源", "3.5", 5200, "已签约", None, "2024.8.20",
     None, "李娜 张伟", "省重点", None],
    [None, None, None, None, None, None, None, None, None, None, None, None, None, None],
    ["小计", None, None, None, None, 33.1, 12000, None, None, None, None, None, None, None],
    [6, "高端装备制造基地项目", "台湾精密机械股份有限公司", "台湾省", "装备", 12, 3000, "开工建设", "2024-01",
     "2024-02-01", "2024-03-01", "张伟", None, None],
    [7, "软件外包服务中心项目", "星际软件有限公司", "火星", "软件", 2, None, "线索", None, None, None, "张伟", None, None],
    [8, "医药中间体项目", "华北制药集团有限公司", "中国", "医药", "-3", None, "线索", None, None, None, "李娜", None, None],
    ["合计", None, None, None, None, "100亿", None, None, None, None, None, None, None, None],
]
CONTACT_HEADER = ["序号", "对接时间", "对接项目", "参与领导", "对接方式", "对接情况", "下一步计划"]
CONTACTS = [  # sheet rows 3..8
    [1, datetime(2024, 3, 5), "新能源电池Pack生产线项目", "张伟", "实地考察", "企业来区考察用地", None],
    [2, "2024.4.2", "智能终端电子产品项目", "李娜、张伟", "洽谈", "洽谈投资协议", "报送市级审批"],
    [3, "3月5日", "冷链物流园项目", "张伟", "走访", "走访企业总部", None],
    [4, datetime(2024, 5, 6), "软件外包服务中心项目", "张伟", "电话", "电话沟通落地需求", None],
    [5, datetime(2024, 6, 7), "医药中间体项目", "李娜", "走访", "走访华北制药", None],
    [6, datetime(2024, 6, 8), "中央厨房预制菜项目", "张伟", "视频", "视频沟通二期计划", None],
]


def build(path: Path = HERE / "messy_ledger.xlsx") -> Path:
    book = Workbook()
    ledger = book.active
    ledger.title = "2024年项目台账"
    ledger.append(["某经济开发区2024年招商引资项目台账"])
    ledger.merge_cells("A1:N1")
    ledger["A1"].font = Font(size=16, bold=True)
    ledger["A1"].alignment = Alignment(horizontal="center")
    ledger.append(["填报单位：投资促进局", None, None, None, None, None, None, None, None, None, None, "填报日期：2024年12月"])
    ledger.append([])
    ledger.append(HEADER_1)
    ledger.append(HEADER_2)
    ledger.merge_cells("F4:G4")
    for column in "ABCDEHIJKLMN":
        ledger.merge_cells(f"{column}4:{column}5")
    for row in ledger["A4:N5"]:
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for row in ROWS:
        ledger.append(row)
    for row in ledger.iter_rows(min_row=6, max_row=16, min_col=6, max_col=6):
        for cell in row:
            if isinstance(cell.value, str):
                cell.number_format = "@"   # WPS keeps what was typed as text
    ledger.column_dimensions["B"].width = 28
    contacts = book.create_sheet("对接情况")
    contacts.append(["2024年领导对接项目登记表"])
    contacts.append(CONTACT_HEADER)
    for row in CONTACTS:
        contacts.append(row)
    book.save(path)
    return path


if __name__ == "__main__":
    print(build())
