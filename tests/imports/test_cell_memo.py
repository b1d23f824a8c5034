"""Planning reads each distinct cell of a column once per sheet (issue 20): rows that repeat a
cell get the same value, the same reading notes and the same error as the first row did."""
from tests.imports.conftest import ledger_file, project_row


def test_rows_repeating_a_cell_get_its_error_and_its_notes_each(world, run_import):
    rows = [project_row(code=f"M-{i}", name=f"重复项目{i}", leader="张伟", stage="签约",
                        signed_on="2024年13月5日" if i % 2 else "2024/3/5", total="约5000")
            for i in range(6)]
    summary = run_import(world.zone_a, ledger_file(rows, []), dry_run=True)
    assert summary["projects"]["rejected"] == 3 and summary["projects"]["created"] == 3
    errors = [e for e in summary["errors"] if e["sheet"] == "项目台账"]
    assert [e["row"] for e in errors] == sorted({e["row"] for e in errors}) and len(errors) == 3
    assert len({e["message"] for e in errors}) == 1 and "2024年13月5日" in errors[0]["message"]
    readings = [p["readings"] for p in summary["preview"] if p["kind"] == "新增"]
    assert len(readings) == 3 and all(r == readings[0] and r for r in readings)
