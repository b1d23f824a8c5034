"""Page, type and the few drawn elements every report shares.

The page follows GB/T 9704-2012 (党政机关公文格式): A4, 天头 37 mm, 订口 28 mm, 版心
156 mm × 225 mm, title in 2号 (22 pt) Song drawn heavy (小标宋 is not freely licensed),
body in 3号 (16 pt) Song at 22 lines a page (the standard's 仿宋: see reports/fonts/README.md),
first-level headings in 黑体, second-level in 楷体, page numbers in 4号 with a dash either
side, 7 mm below the type area, odd pages right and even pages left.

Every string drawn here goes through reports.fonts.runs (fallback face, squeezed marks), as
every Paragraph does through reports.linebreak.
"""
from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether, LongTable, PageTemplate, Paragraph, Table,
    TableStyle,
)

from .fonts import HEI, KAI, SONG, plain, register_fonts, runs
from .fonts import width as text_width

from .linebreak import install as _install_line_breaking

_install_line_breaking()

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 28 * mm, 26 * mm, 37 * mm, 35 * mm
WIDTH = PAGE_WIDTH - LEFT - RIGHT      # 156 mm
HEIGHT = PAGE_HEIGHT - TOP - BOTTOM    # 225 mm

BODY_SIZE = 16                         # 3号
BODY_LEADING = HEIGHT / 22             # 22 lines a page
RED = colors.Color(0.80, 0.05, 0.05)
BEHIND = colors.Color(0.72, 0.10, 0.10)
GRID = colors.Color(0.25, 0.25, 0.25)
HEAD_FILL = colors.Color(0.90, 0.90, 0.90)
CREATOR = "开发区招商引资管理系统"


def _style(name, font=SONG, size=BODY_SIZE, leading=None, **kw) -> ParagraphStyle:
    kw.setdefault("wordWrap", "CJK")
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.3, **kw)


BODY = _style("body", leading=BODY_LEADING, firstLineIndent=2 * BODY_SIZE, alignment=TA_JUSTIFY)
PLAIN = _style("plain", leading=BODY_LEADING)
H1 = _style("h1", font=HEI, leading=BODY_LEADING, firstLineIndent=2 * BODY_SIZE, keepWithNext=1, spaceBefore=6)
H2 = _style("h2", font=KAI, leading=BODY_LEADING, firstLineIndent=2 * BODY_SIZE, keepWithNext=1)
ANNEX = _style("annex", font=HEI, leading=BODY_LEADING)
SUBTITLE = _style("subtitle", leading=BODY_LEADING, alignment=TA_CENTER)
CAPTION = _style("caption", font=HEI, size=12, leading=16, alignment=TA_CENTER, spaceBefore=6, spaceAfter=4)
NOTE = _style("note", size=10.5, leading=15, alignment=TA_JUSTIFY, spaceBefore=3, spaceAfter=6)
CELL = _style("cell", size=10.5, leading=13.5)
CELL_SMALL = _style("cell_small", size=9.5, leading=12)
CELL_SMALL_C = _style("cell_small_c", size=9.5, leading=12, alignment=TA_CENTER)
CELL_C = _style("cell_c", size=10.5, leading=13.5, alignment=TA_CENTER)
CELL_R = _style("cell_r", size=10.5, leading=13.5, alignment=TA_RIGHT)
HEAD = _style("head", font=HEI, size=10, leading=12.5, alignment=TA_CENTER)
SMALL_C = _style("small_c", size=8.5, leading=10.5, alignment=TA_CENTER)
SMALL = _style("small", size=8.5, leading=10.5)
SMALL_R = _style("small_r", size=8.5, leading=10.5, alignment=TA_RIGHT)
SIGN = _style("sign", leading=BODY_LEADING, alignment=TA_CENTER)


def para(text: str, style=BODY) -> Paragraph:
    """A paragraph of markup; callers escape data with `esc`."""
    register_fonts()
    return Paragraph(text, style)


def esc(value) -> str:
    return escape("" if value is None else str(value))


def behind(text: str) -> str:
    """Markup for a figure or word that flags falling behind (red, still legible in grey)."""
    return f'<font color="#b81a1a">{text}</font>'


class Red(str):
    """A plain table cell printed in red (falling behind)."""


_ALIGNED = {"LEFT": TA_LEFT, "CENTER": TA_CENTER, "RIGHT": TA_RIGHT}


def table(rows, widths, *, header_rows=1, aligns=None, size=10.5, zebra=False, extra=(), nowrap=(),
          flex=None) -> Table:
    """A ruled table whose head repeats on every page it crosses.

    Cells are Paragraphs (wrapping markup) or plain strings, which are far cheaper for the
    many short figures: each string column takes its alignment from `aligns`, and a string
    that would not fit its column becomes a wrapping Paragraph, so nothing overflows.

    The string cells of the `nowrap` columns (dates, names, amounts) keep to one line: such a
    column widens to its widest string, and the `flex` column gives up the width.
    """
    assert abs(sum(widths) - WIDTH) < 1, f"table is {sum(widths):.1f}pt wide, the type area {WIDTH:.1f}pt"
    widths = list(widths)
    for c in nowrap:
        need = max((text_width(line, SONG, size) + 6.5 for row in rows[header_rows:] if isinstance(row[c], str)
                    for line in row[c].split("\n")), default=0)
        if need > widths[c]:
            widths[flex] -= need - widths[c]
            widths[c] = need
    assert flex is None or widths[flex] >= 3 * size, f"column {flex} is left {widths[flex]:.1f}pt"
    aligns = aligns or ["LEFT"] * len(widths)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), SONG),  # reportlab would otherwise select Helvetica
        ("FONTSIZE", (0, header_rows), (-1, -1), size),
        ("LEADING", (0, header_rows), (-1, -1), size * 1.28),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    commands += [("ALIGN", (c, header_rows), (c, -1), align) for c, align in enumerate(aligns)]
    rows = [list(row) for row in rows]
    for r, row in enumerate(rows[header_rows:], start=header_rows):
        for c, cell in enumerate(row):
            if not isinstance(cell, str):
                continue
            if "\n" in cell or not plain(cell, SONG) or stringWidth(cell, SONG, size) > widths[c] - 6:
                style = ParagraphStyle(f"fit{c}", parent=CELL, fontSize=size, leading=size * 1.28,
                                       alignment=_ALIGNED[aligns[c]],
                                       textColor=BEHIND if isinstance(cell, Red) else colors.black)
                row[c] = Paragraph(esc(cell).replace("\n", "<br/>"), style)
            elif isinstance(cell, Red):
                commands.append(("TEXTCOLOR", (c, r), (c, r), BEHIND))
    if zebra:
        commands.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, colors.Color(0.96, 0.96, 0.96)]))
    commands.extend(extra)
    # LongTable sizes its rows once; Table re-measures the rest at every page break (quadratic).
    t = LongTable(rows, colWidths=widths, repeatRows=header_rows, hAlign="CENTER")
    t.setStyle(TableStyle(commands))
    return t


def captioned(caption: str, flowable, need: float = 110, keep_rows: int = 12):
    """A table under its caption. A short table (few rows, under half a page) stays whole
    with its caption; a longer one starts on a new page only when less than `need` points
    (caption, head and a few rows) are left, rather than leave most of a page blank."""
    if isinstance(flowable, Table) and len(flowable._cellvalues) <= keep_rows + 1:
        if flowable.wrap(WIDTH, HEIGHT)[1] <= HEIGHT / 2:
            return [KeepTogether([Paragraph(caption, CAPTION), flowable])]
    return [CondPageBreak(need), Paragraph(caption, CAPTION), flowable]


def heading(text: str, style=None, need: float = 4 * BODY_LEADING):
    """A heading that never ends a page alone."""
    return [CondPageBreak(need), Paragraph(text, style or H1)]


class ReportDocument(BaseDocTemplate):
    """A4 at GB/T 9704 margins, "— n —" page numbers, metadata fixed by the inputs.

    `invariant` keeps reportlab from stamping the clock and a random file id, and the
    creation date is the data's as-of date, so the same inputs give the same bytes.
    """

    def __init__(self, buffer, *, title: str, subject: str, author: str, created: date, keywords: str = ""):
        register_fonts()
        super().__init__(
            buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP, bottomMargin=BOTTOM,
            title=title, subject=subject, author=author, creator=CREATOR, keywords=keywords,
            invariant=1, lang="zh-CN", initialFontName=SONG, initialFontSize=BODY_SIZE,
        )
        self._created = created
        frame = Frame(LEFT, BOTTOM, WIDTH, HEIGHT, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canvas, doc):
        if doc.page == 1:
            stamp = "D:%04d%02d%02d000000Z" % (self._created.year, self._created.month, self._created.day)
            canvas.setDateFormatter(lambda *args: stamp)
        canvas.saveState()
        canvas.setFont(SONG, 14)
        label = f"— {doc.page} —"
        y = BOTTOM - 7 * mm - 12
        if doc.page % 2:
            canvas.drawRightString(PAGE_WIDTH - RIGHT - 14, y, label)
        else:
            canvas.drawString(LEFT + 14, y, label)
        canvas.restoreState()


def render(story, **meta) -> bytes:
    buffer = io.BytesIO()
    ReportDocument(buffer, **meta).build(story)
    return buffer.getvalue()


# ---------------------------------------------------------------- drawn elements

def draw_string(canvas, x: float, y: float, text: str, font: str, size: float, *, align: str = "left",
                mode: int = 0) -> None:
    """canvas.drawString with the fallback face and squeezed marks (reports.fonts.runs);
    `align` left, right or centre about x; `mode` the text render mode (2: fill and stroke)."""
    width = text_width(text, font, size)
    if align == "right":
        x -= width
    elif align == "center":
        x -= width / 2
    obj = canvas.beginText(x, y)
    if mode:
        obj.setTextRenderMode(mode)
    for piece, face in runs(text, font):
        obj.setFont(face, size)
        obj.textOut(piece)
    canvas.drawText(obj)


def _wrap_chars(text: str, font: str, size: float, width: float) -> list[str]:
    """Break CJK text into lines no wider than `width`, keeping digits and Latin runs whole."""
    lines, line = [], ""
    tokens, run = [], ""
    for ch in text:
        if ch.isascii() and (ch.isalnum() or ch in ".,-/%"):
            run += ch
            continue
        if run:
            tokens.append(run)
            run = ""
        tokens.append(ch)
    if run:
        tokens.append(run)
    for token in tokens:
        if line and text_width(line + token, font, size) > width:
            lines.append(line)
            line = token.lstrip()
        else:
            line += token
    if line:
        lines.append(line)
    return lines or [""]


class BoldText(Flowable):
    """Centred or left text drawn filled and stroked: the heavy 小标宋 look of titles and
    mastheads, which the shipped Song face (a light weight) has no bold for."""

    def __init__(self, lines, *, font=SONG, size=22, leading=None, color=colors.black, align="center",
                 indent=0.0, weight=0.035, space_before=0.0, space_after=0.0, keep_with_next=False):
        super().__init__()
        self.source = [lines] if isinstance(lines, str) else list(lines)
        self.font, self.size, self.leading = font, size, leading or size * 1.45
        self.color, self.align, self.indent, self.weight = color, align, indent, weight
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self.keepWithNext = keep_with_next
        self.lines: list[str] = []

    def wrap(self, availWidth, availHeight):
        register_fonts()
        self.width = availWidth
        room = availWidth - self.indent
        self.lines = [piece for line in self.source for piece in _wrap_chars(line, self.font, self.size, room)]
        self.height = self.leading * len(self.lines)
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        c.setFillColor(self.color)
        c.setStrokeColor(self.color)
        c.setLineWidth(self.size * self.weight)
        for n, line in enumerate(self.lines):
            y = self.height - self.leading * n - self.size * 1.05
            if self.align == "center":
                x, align = self.width / 2, "center"
            elif self.align == "right":
                x, align = self.width - self.indent, "right"
            else:
                x, align = self.indent, "left"
            draw_string(c, x, y, line, self.font, self.size, align=align, mode=2)
        c.restoreState()


class Rule(Flowable):
    """A full-width line, e.g. the red 版头 separator or the 版记 lines."""

    def __init__(self, thickness=1.0, color=colors.black, space_before=0.0, space_after=0.0):
        super().__init__()
        self.thickness, self.color = thickness, color
        self.spaceBefore, self.spaceAfter = space_before, space_after

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        return availWidth, self.thickness

    def draw(self):
        self.canv.saveState()
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.thickness / 2, self.width, self.thickness / 2)
        self.canv.restoreState()


class SplitLine(Flowable):
    """One line with text at the left and at the right edge (issuing body · date)."""

    def __init__(self, left: str, right: str, *, font=SONG, size=BODY_SIZE, color=colors.black, inset=0.0):
        super().__init__()
        self.left, self.right, self.font, self.size, self.color, self.inset = left, right, font, size, color, inset

    def wrap(self, availWidth, availHeight):
        self.width, self.height = availWidth, self.size * 1.6
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        c.setFillColor(self.color)
        draw_string(c, self.inset, self.size * 0.45, self.left, self.font, self.size)
        draw_string(c, self.width - self.inset, self.size * 0.45, self.right, self.font, self.size, align="right")
        c.restoreState()


class AtPageFoot(Flowable):
    """Flowables set at the foot of the page they end on (the 版记 of the last page);
    moves them to a new page when they do not fit below what precedes."""

    def __init__(self, flowables):
        super().__init__()
        self.flowables = flowables

    def _measure(self, width):
        sizes = [f.wrap(width, HEIGHT) for f in self.flowables]
        gaps = sum(f.getSpaceBefore() + f.getSpaceAfter() for f in self.flowables)
        return sum(h for _, h in sizes) + gaps

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.block = self._measure(availWidth)
        # Fill what is left of the frame so the block sits on its foot; the frame moves the
        # whole block to the next page when it is taller than what is left.
        self.height = max(self.block, availHeight - 1) if self.block <= availHeight else self.block
        return self.width, self.height

    def draw(self):
        y = self.block
        for f in self.flowables:
            y -= f.getSpaceBefore()
            _, h = f.wrap(self.width, HEIGHT)
            y -= h
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()


__all__ = [
    "AtPageFoot", "BoldText", "draw_string", "H2", "Red", "Rule", "SplitLine", "ReportDocument", "render", "table", "para", "esc",
    "behind", "captioned", "heading", "BODY", "PLAIN", "H1", "ANNEX", "SUBTITLE", "CAPTION", "NOTE",
    "CELL", "CELL_C", "CELL_SMALL", "CELL_SMALL_C", "CELL_R", "HEAD",
    "SMALL", "SMALL_C", "SMALL_R", "SIGN", "WIDTH", "HEIGHT", "RED", "BEHIND", "BODY_SIZE", "BODY_LEADING",
    "TA_LEFT", "TA_CENTER", "TA_RIGHT",
]
