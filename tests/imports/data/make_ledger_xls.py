"""Writes ledger.xls, the legacy-Excel fixture of tests/imports/test_files.py.

Run once with xlwt available (it is not a dependency of the app, only of this script):
    PYTHONPATH=xlwt-1.3.0-py2.py3-none-any.whl python tests/imports/data/make_ledger_xls.py
"""
from datetime import datetime
from pathlib import Path

import xlwt

book = xlwt.Workbook(encoding="utf-8")
dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
ledger = book.add_sheet("项目台账")
ledger.write(0, 0, "某开发区项目台账（.xls）")
for col, header in enumerate(["序号", "项目编号", "项目名称", "投资方", "总投资（万元）", "项目阶段", "签约日期", "是否制造业"]):
    ledger.write(2, col, header)
rows = [
    [1, "X-001", "旧表格项目一", "河北旧表格有限公司", 1200.5, "签约", datetime(2024, 3, 5), "是"],
    [2, "X-002", "旧表格项目二", "河北旧表格有限公司", "3,000", "线索", "", "否"],
]
for r, row in enumerate(rows, start=3):
    for col, value in enumerate(row):
        if isinstance(value, datetime):
            ledger.write(r, col, value, dates)
        else:
            ledger.write(r, col, value)
contacts = book.add_sheet("对接记录")
for col, header in enumerate(["对接日期", "项目编号", "对接领导", "对接方式", "对接内容"]):
    contacts.write(0, col, header)
contacts.write(1, 0, datetime(2024, 3, 1), dates)
for col, value in enumerate(["X-001", "张伟、李娜", "外出拜访", "旧表格中的对接"], start=1):
    contacts.write(1, col, value)
book.save(str(Path(__file__).with_name("ledger.xls")))
