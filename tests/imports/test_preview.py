"""The dry run is a preview: every row to be written with its values as read, each reading
highlighted, errors with their project (likely duplicates: test_likely_duplicates.py)."""
from .conftest import contact_row, ledger_file, project_row


def test_rows_to_write_are_listed_with_their_values_and_readings(world, run_import):
    summary = run_import(world.zone_a, ledger_file(
        [project_row(code="P-1", name="甲项目", total="8.6亿元", industry="电子", stage="已签约", signed_on="2024-03-01",
                     leader="张伟、李娜")],
        [contact_row(code="P-1", form="走访")]), dry_run=True)
    [project, contact] = summary["preview"]
    assert (project["sheet"], project["row"], project["kind"], project["project"]) == ("项目台账", 2, "新增", "甲项目")
    assert project["values"]["总投资"] == "8.60亿元" and project["values"]["分包领导"] == "张伟、李娜"
    assert project["values"]["行业"] == "39 计算机、通信和其他电子设备制造业（电子）"
    assert project["values"]["阶段"] == "签约" and project["values"]["签约日期"] == "2024-03-01"
    assert {"column": "总投资（万元）", "text": "8.6亿元 → 86,000 万元"} in project["readings"]
    assert {"column": "项目阶段", "text": "已签约 → 签约"} in project["readings"]
    assert contact["readings"] == [{"column": "对接方式", "text": "走访 → 外出拜访"}]
    assert summary["preview_count"] == 2 and summary["reading_count"] == 2
    assert "总投资（万元） 8.6亿元 → 86,000 万元" in summary["text"]

