"""What the browser tests share: signing in, the horizontal-scroll check, reading PDFs back."""
from __future__ import annotations

import subprocess
from pathlib import Path

from app.demo import DEMO_PASSWORD


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url}: page is {width[0]}px wide in a {width[1]}px window"


def pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    """The text of each page, read back with poppler's pdftotext."""
    path = tmp_path / "read.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                         timeout=60).stdout.decode("utf-8")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_to_pngs(data: bytes, stem: Path, dpi: int = 80, last: int = 2) -> list[Path]:
    """Page images of a PDF next to the screenshots, to look at what prints."""
    pdf = stem.with_suffix(".pdf")
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-l", str(last), str(pdf), str(stem)],
                   check=True, timeout=60)
    return sorted(stem.parent.glob(stem.name + "-*.png"))
