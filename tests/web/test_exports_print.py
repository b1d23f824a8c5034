"""The desk export opened and printed as an office opens it: LibreOffice converts it to PDF,
one landscape page per tier sheet for a small city, every header's text on the page, and
the page numbers in the footer. LibreOffice (Debian package libreoffice-calc) is installed by
`make system-deps`; the fonts are the ones the reports ship, given to it by fontconfig."""
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from app.queries.progress import build_progress
from app.review.sheets import desk_sheets

YEAR = 2024
FONTS = Path(__file__).resolve().parents[2] / "reports" / "fonts"


def convert(xlsx: bytes, tmp_path) -> Path:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.fail("LibreOffice is required to check the exports' print set-up; apt-get install -y libreoffice-calc "
                    "(make system-deps installs it)")
    (tmp_path / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{FONTS}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>")
    source = tmp_path / "desk.xlsx"
    source.write_bytes(xlsx)
    # A profile of its own in tmp: the first start writes one, and a shared one would lock.
    env = dict(os.environ, HOME=str(tmp_path), FONTCONFIG_FILE=str(tmp_path / "fonts.conf"))
    subprocess.run([office, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   env=env, check=True, timeout=240, capture_output=True)
    return tmp_path / "desk.pdf"


def test_the_desk_export_prints_one_landscape_page_per_tier_with_every_header_visible(
        client, world, login, make_project, tmp_path):
    make_project(world.zone_a, name="外资项目", investor="日本精工株式会社", origin="JP", capital_wan="6000",
                 stages=[("signed", date(YEAR, 3, 1))], today=date(YEAR, 12, 31))
    login(world.bureau)
    response = client.get(f"/review/?year={YEAR}&as_of={YEAR}-06-30&format=xlsx")
    assert response.status_code == 200
    pdf = convert(response.data, tmp_path)

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    sheets = desk_sheets(build_progress(YEAR, date(YEAR, 6, 30)))
    assert int(re.search(r"Pages:\s+(\d+)", info)[1]) == len(sheets)
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)       # A4 landscape

    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    for n, (page, sheet) in enumerate(zip(pages, sheets.values()), start=1):
        flat = "".join(page.split())
        assert sheet.title in flat and "数据截至：2024年6月30日" in flat, n
        assert f"第{n}页，共{len(sheets)}页" in flat, n
        for column in sheet.columns:
            for text in (column.group, *column.header.split("\n")):
                assert "".join(text.split()) in flat, (n, text)
        for row in sheet.rows:
            assert row[1] in flat, (n, row[1])
