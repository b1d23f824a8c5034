"""The faces every report embeds, shipped in reports/fonts/ (see its README for licences).

reportlab subsets a TrueType font into each PDF, so a report shows the same on a machine
without any Chinese font. Registration happens once per process, on first use.

Mainland (GB) typesetting:
- SONG (AR PL SungtiL GB) and KAI (AR PL KaitiM GB) are GB faces: "，。、；：" sit at the
  bottom left of their box, as mainland printing puts them. They cover GB 2312 only, so
  every character they lack is set in FALLBACK (WenQuanYi Zen Hei, about 21,000 CJK
  characters): a rare name character such as 堃 prints in Hei rather than as a box.
- Punctuation squeezing (标点挤压): a closing mark whose ink sits in the left half of its box
  (，。）》” …) takes half a box when another full-width mark follows it, so "）。" and
  "。”" print without a gap; an opening mark whose ink sits in the right half (（《“ …)
  takes half a box when another such opening mark follows it ("（“"). reportlab has no per-glyph advance adjustment, so the squeezed
  mark is set in a second PDF font of the same face whose width for those marks is half
  an em (HALF[font]); the glyphs are the face's own, unmodified.

`runs()` splits a string into (text, font) pieces by those two rules; reports.linebreak
applies it to every Paragraph and layout's drawn elements to every string they draw.
"""
from __future__ import annotations

import copy
import threading
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SONG = "ZoneCRM-Song"  # AR PL SungtiL GB: 宋体 for body, tables and titles (drawn heavier)
KAI = "ZoneCRM-Kai"    # AR PL KaitiM GB: 楷体 for second-level headings, as GB/T 9704 sets them
HEI = "ZoneCRM-Hei"    # WenQuanYi Zen Hei: 黑体 for first-level headings and table heads
FALLBACK = HEI         # the face of every character the GB faces lack

_FILES = {SONG: ("gbsn00lp.ttf", 0), KAI: ("gkai00mp.ttf", 0), HEI: ("wqy-zenhei.ttc", 0)}
HALF = {name: f"{name}-Squeezed" for name in _FILES}
BASE = {half: name for name, half in HALF.items()}

# A squeezable mark loses its blank half when one of these follows it.
_PUNCT = frozenset("，。、；：？！）》」』】〕〗〉”’（《「『【〔〖〈“‘")

# The closing marks of each face whose ink ends left of the box's centre, measured from the
# outlines (tests/reports/test_typesetting.py measures them again with fontTools). Zen Hei
# centres "，；：？！", so those keep their full box there.
SQUEEZABLE = {
    SONG: frozenset("，。、；：？！）》」』】〕〗〉”’"),
    KAI: frozenset("，。、；：？！）》」』】〕〗〉”’"),
    HEI: frozenset("。、）》」』】〕〗〉"),
}
# The opening marks whose ink starts right of the box's centre.
SQUEEZABLE_OPENING = {
    SONG: frozenset("（《「『【〔〖〈“‘"),
    KAI: frozenset("（《「『【〔〖〈“‘"),
    HEI: frozenset("（《「『【〔〈"),
}

_lock = threading.Lock()
_registered = False
_cmaps: dict[str, frozenset] = {}


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
            font = TTFont(name, str(path), subfontIndex=index)
            _cmaps[name] = _cmaps[HALF[name]] = frozenset(font.face.charToGlyph)
            # The same face again, its squeezable marks half an em wide. Its own name in the
            # PDF, so the two fonts' subsets never share an object name.
            half = copy.copy(font)
            half.fontName = HALF[name]
            half.state = WeakKeyDictionary()
            half.face = copy.copy(font.face)
            half.face.name = font.face.name + b"-Squeezed"
            half.face.charWidths = dict(font.face.charWidths)
            for char in SQUEEZABLE[name] | SQUEEZABLE_OPENING[name]:
                if ord(char) in half.face.charWidths:
                    half.face.charWidths[ord(char)] = font.face.charWidths[ord(char)] / 2
            for f in (font, half):
                pdfmetrics.registerFont(f)
                # No bold or italic cuts: <b> and <i> in markup fall back to the same face.
                registerFontFamily(f.fontName, normal=f.fontName, bold=f.fontName, italic=f.fontName,
                                   boldItalic=f.fontName)
        _registered = True


def has_glyph(font_name: str, char: str) -> bool:
    register_fonts()
    return ord(char) in _cmaps[BASE.get(font_name, font_name)]


# Characters no shipped face has, printed as their nearest one instead of an empty box: the
# minus sign of the growth and forecast rules ("本年 − 上年同期") as the full-width hyphen-minus.
SUBSTITUTES = str.maketrans({"\u2212": "\uff0d"})


def runs(text: str, font: str, *, squeeze: bool = True) -> list[tuple[str, str]]:
    """`text` as [(piece, font)]: characters the face lacks in FALLBACK, squeezed marks in
    the face's HALF font, the rest in `font`. A font not shipped here is left alone."""
    register_fonts()
    base = BASE.get(font, font)
    cmap = _cmaps.get(base)
    if cmap is None:
        return [(text, font)] if text else []
    text = text.translate(SUBSTITUTES)
    out: list[tuple[str, str]] = []
    last = len(text) - 1
    for i, char in enumerate(text):
        if char.isascii() or ord(char) in cmap:
            chosen = base
        elif ord(char) in _cmaps[FALLBACK]:
            chosen = FALLBACK
        else:
            chosen = base  # no shipped face has it: reportlab draws the face's empty box
        if squeeze and i < last and char in _PUNCT:
            after = text[i + 1]
            if ((char in SQUEEZABLE[chosen] and after in _PUNCT)
                    or (char in SQUEEZABLE_OPENING[chosen] and after in SQUEEZABLE_OPENING[chosen])):
                chosen = HALF[chosen]
        if out and out[-1][1] == chosen:
            out[-1] = (out[-1][0] + char, chosen)
        else:
            out.append((char, chosen))
    return out


def plain(text: str, font: str) -> bool:
    """Whether `text` prints in `font` alone: no fallback, nothing to squeeze."""
    register_fonts()
    cmap = _cmaps.get(BASE.get(font, font))
    if cmap is None:
        return True
    for i, char in enumerate(text):
        if not (char.isascii() or ord(char) in cmap):
            return False
        if char in _PUNCT and i and text[i - 1] in _PUNCT:
            return False
    return True


def width(text: str, font: str, size: float) -> float:
    """The printed width of `text` set in `font` by `runs()`."""
    return sum(pdfmetrics.stringWidth(piece, f, size) for piece, f in runs(text, font))
