"""Reading PDFs back the way a recipient's machine would: poppler's pdftotext, pdffonts,
pdfinfo and pdftoppm (Debian package poppler-utils), and Pillow for the page images."""
import re
import shutil
import subprocess
from types import SimpleNamespace

import pytest

TOOLS = ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm")


def _run(args, data: bytes, tmp_path, name="report.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run([*args, str(path)] + (["-"] if args[0] == "pdftotext" else []),
                            capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8")


@pytest.fixture
def pdf(tmp_path):
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.fail(f"poppler-utils is required for the report tests (missing {', '.join(missing)}); "
                    "apt-get install -y poppler-utils")

    def text(data: bytes, layout=True) -> str:
        return _run(["pdftotext", "-layout"] if layout else ["pdftotext"], data, tmp_path)

    def fonts(data: bytes) -> list[dict]:
        lines = _run(["pdffonts"], data, tmp_path).splitlines()[2:]
        rows = []
        for line in lines:
            # name type encoding emb sub uni object-id gen; the type may hold spaces ("Type 1").
            match = re.match(r"^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line)
            assert match, line
            rows.append({"name": match[1], "type": match[2], "emb": match[4], "sub": match[5]})
        return rows

    def info(data: bytes) -> dict:
        out = _run(["pdfinfo"], data, tmp_path)
        return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)

    def dark_pixels_per_page(data: bytes, dpi=20) -> list[int]:
        from PIL import Image
        path = tmp_path / "pages.pdf"
        path.write_bytes(data)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(path), str(tmp_path / "page")],
                       check=True, timeout=120)
        counts = []
        for png in sorted(tmp_path.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
            image = Image.open(png).convert("L")
            counts.append(sum(image.histogram()[:160]))  # pixels darker than light grey
            png.unlink()
        return counts

    def words(data: bytes) -> list[dict]:
        """Every word's box, page by page, in PDF points from the top left."""
        html = _run(["pdftotext", "-bbox"], data, tmp_path)
        pages = []
        for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
            boxes = [dict(x0=float(m[1]), y0=float(m[2]), x1=float(m[3]), y1=float(m[4]), text=m[5])
                     for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                          r'yMax="([\d.]+)">(.*?)</word>', page[3])]
            pages.append(dict(width=float(page[1]), height=float(page[2]), words=boxes))
        return pages

    return SimpleNamespace(text=text, fonts=fonts, info=info, dark_pixels_per_page=dark_pixels_per_page,
                           words=words)
