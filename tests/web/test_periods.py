"""Every face reads a period by the same rule: pages, API and commands agree."""


def test_a_reversed_range_on_the_leader_list_is_refused_with_its_reason(client, world, login):
    login(world.leader)
    response = client.get(f"/reports/leader/{world.leader.id}.pdf?from=2024-06-30&to=2024-01-01")
    assert response.status_code == 400
    assert "开始日期不能晚于结束日期" in response.get_data(as_text=True)


def test_a_year_out_of_range_on_the_desk_says_why(client, world, login):
    login(world.bureau)
    response = client.get("/review/?year=1999")
    assert response.status_code == 400
    assert "年度应在 2000 至 2100 之间" in response.get_data(as_text=True)


def test_the_desk_api_and_command_agree_on_an_as_of_day_outside_the_year(app, client, world, login, api_as):
    login(world.bureau)
    page = client.get("/review/?year=2024&as_of=2025-03-01").get_data(as_text=True)
    assert "2024-12-31" in page
    api = api_as(world.bureau)
    assert api.get("/progress?year=2024&as_of=2025-03-01").json["as_of"] == "2024-12-31"
    result = app.test_cli_runner().invoke(args=["progress", "--year", "2024", "--as-of", "2025-03-01", "--json"])
    assert '"as_of": "2024-12-31"' in result.output


def test_the_zone_report_command_accepts_an_as_of_day_outside_the_year(app, world, tmp_path):
    out = tmp_path / "zone.pdf"
    result = app.test_cli_runner().invoke(args=["report", "zone", "--zone", "gxq", "--year", "2024",
                                                "--as-of", "2025-03-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_the_leader_list_command_refuses_a_reversed_range(app, world, tmp_path):
    result = app.test_cli_runner().invoke(args=["report", "leader", "--user", "leader1", "--from", "2024-06-30",
                                                "--to", "2024-01-01", "--out", str(tmp_path / "l.pdf")])
    assert result.exit_code == 2 and "开始日期不能晚于结束日期" in result.output
