"""The two faces every report embeds, shipped in reports/fonts/ (see its README for licences).

reportlab subsets a TrueType font into each PDF, so a report shows the same on a machine
without any Chinese font. Registration happens once per process, on first use.
"""
from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfbase.pdfmetrics import registerFontFamily

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SONG = "ZoneCRM-Song"  # AR PL UMing CN: 宋体 (Ming) for titles, body and tables
HEI = "ZoneCRM-Hei"    # WenQuanYi Zen Hei: 黑体 for headings and table heads

_FILES = {SONG: ("uming.ttc", 0), HEI: ("wqy-zenhei.ttc", 0)}
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, (filename, index) in _FILES.items():
            path = FONT_DIR / filename
            if not path.exists():
                raise RuntimeError(f"缺少报告字体文件 {path}，请按 reports/fonts/README.md 恢复")
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
            # No bold or italic cuts: <b> and <i> in markup fall back to the same face.
            registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        _registered = True


def has_glyph(font_name: str, char: str) -> bool:
    register_fonts()
    return ord(char) in pdfmetrics.getFont(font_name).face.charWidths
