"""The small bar chart of one zone's progress: each metric's actual as a share of its floor,
against a dashed line at 序时进度 and a tick at the stretch target."""
from __future__ import annotations

import math
from fractions import Fraction

from reportlab.lib import colors
from reportlab.platypus import Flowable

from app.domain.pacing import BEHIND as BEHIND_STATUS

from .fonts import SONG, register_fonts
from .fonts import width as text_width
from .layout import draw_string
from .text import percent

BAR_ON = colors.Color(0.22, 0.38, 0.58)
BAR_BEHIND = colors.Color(0.75, 0.18, 0.18)
TRACK = colors.Color(0.92, 0.92, 0.92)
INK = colors.Color(0.15, 0.15, 0.15)


class ProgressChart(Flowable):
    ROW = 17.0
    LABEL = 104.0
    VALUE = 118.0
    FONT_SIZE = 9.5

    def __init__(self, metrics, share: Fraction):
        super().__init__()
        self.metrics = list(metrics)
        self.share = share
        ratios = [Fraction(m.actual, m.floor) for m in self.metrics if m.floor]
        stretches = [Fraction(m.stretch, m.floor) for m in self.metrics if m.floor and m.stretch]
        top = max([Fraction(1), *stretches, *[min(r, Fraction(2)) for r in ratios]])
        self.scale = Fraction(math.ceil(top * 2), 2)  # axis end: 100%, 150% or 200%

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = self.ROW * len(self.metrics) + 28
        return self.width, self.height

    def _x(self, value: Fraction) -> float:
        bar = self.width - self.LABEL - self.VALUE
        return self.LABEL + float(min(value, self.scale) / self.scale) * bar

    def draw(self):
        register_fonts()
        c = self.canv
        c.saveState()
        size = self.FONT_SIZE
        top = self.height - 14
        right = self.width - self.VALUE
        # Axis ticks at every 50%, labelled along the top.
        c.setFont(SONG, 8)
        c.setFillColor(INK)
        step, tick = Fraction(1, 2), Fraction(0)
        while tick <= self.scale:
            x = self._x(tick)
            c.setStrokeColor(colors.Color(0.8, 0.8, 0.8))
            c.setLineWidth(0.4)
            c.line(x, 10, x, top)
            c.drawCentredString(x, top + 3, f"{int(tick * 100)}%")
            tick += step
        for n, m in enumerate(self.metrics):
            y = top - self.ROW * (n + 1) + 4
            c.setFillColor(INK)
            c.setFont(SONG, size)
            label = m.label
            while text_width(label, SONG, size) > self.LABEL - 8 and len(label) > 2:
                label = label[:-2] + "…"
            draw_string(c, self.LABEL - 6, y + 3, label, SONG, size, align="right")
            c.setFillColor(TRACK)
            c.rect(self.LABEL, y, right - self.LABEL, 10, stroke=0, fill=1)
            if m.floor:
                ratio = Fraction(m.actual, m.floor)
                c.setFillColor(BAR_BEHIND if m.pace.status == BEHIND_STATUS else BAR_ON)
                if ratio:
                    c.rect(self.LABEL, y, self._x(ratio) - self.LABEL, 10, stroke=0, fill=1)
                if ratio > self.scale:
                    c.setFillColor(colors.white)
                    draw_string(c, right - 2, y + 2.2, "»", SONG, size, align="right")
                if m.stretch and m.stretch > m.floor:
                    x = self._x(Fraction(m.stretch, m.floor))
                    c.setStrokeColor(INK)
                    c.setLineWidth(1.2)
                    c.line(x, y - 2, x, y + 12)
                value = f"{m.actual}/{m.floor}（{percent(ratio)}）"
            else:
                value = f"{m.actual}（目标为0）"
            c.setFillColor(BAR_BEHIND if m.pace.status == BEHIND_STATUS else INK)
            c.setFont(SONG, size)
            draw_string(c, right + 6, y + 1.5, value, SONG, size)
        # 序时进度 as a dashed line across all bars.
        x = self._x(self.share)
        c.setStrokeColor(INK)
        c.setLineWidth(0.9)
        c.setDash(3, 2)
        c.line(x, 8, x, top)
        c.setDash()
        c.setFont(SONG, 8)
        c.setFillColor(INK)
        c.drawCentredString(x, 0, f"序时进度{percent(self.share)}")
        c.restoreState()
