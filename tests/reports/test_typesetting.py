"""Mainland (GB) typesetting: embedded TrueType faces only, punctuation at the bottom left of
its box, consecutive marks squeezed, and rare name characters printed from a fallback face
instead of a box."""
import dataclasses
import io
import subprocess
from datetime import date

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas as pdfcanvas

from reports import build_leader_list, build_monthly_bulletin
from reports.fonts import FALLBACK, FONT_DIR, HEI, KAI, SONG, SQUEEZABLE, SQUEEZABLE_OPENING, _FILES, runs
from reports.layout import BODY, draw_string, para, render
from tests.reports.test_scale import synthetic_progress

RARE = "堃喆玥珺"
RARE_NAMES = ["王堃", "李喆", "张玥", "陈珺"]


def _face(font: str) -> TTFont:
    filename, index = _FILES[font]
    return TTFont(str(FONT_DIR / filename), fontNumber=index, lazy=True)


def _ink(png_path) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the dark pixels of a page image."""
    image = Image.open(png_path).convert("L").point(lambda v: 255 if v < 128 else 0)
    return image.getbbox()


def _rasterise(data: bytes, tmp_path, dpi=72):
    path = tmp_path / "glyph.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(path), str(tmp_path / "glyph")],
                   check=True, timeout=60)
    return tmp_path / "glyph.png"


def _bulletin_with_rare_names():
    progress, projects = synthetic_progress(zone_count=4, leaders_per_zone=2)
    renamed = {l.id: name for l, name in zip(progress.leaders, RARE_NAMES)}
    for zone in progress.zones:
        zone.leaders = [dataclasses.replace(l, name=renamed.get(l.id, l.name)) for l in zone.leaders]
    progress.leaders = [l for z in progress.zones for l in z.leaders]
    return build_monthly_bulletin(progress, projects, issued_on=date(2024, 7, 5))


def test_the_bulletin_embeds_only_truetype_subsets_of_the_gb_faces(pdf):
    fonts = pdf.fonts(_bulletin_with_rare_names())
    assert fonts and all(f["type"] == "TrueType" and f["emb"] == "yes" and f["sub"] == "yes" for f in fonts), fonts
    names = {f["name"].split("+", 1)[1] for f in fonts}
    assert "BousungEG-Light-GB" in names           # AR PL SungtiL GB, the mainland Song
    assert "WenQuanYiZenHei-0" in names            # headings, and the fallback for 堃喆玥珺
    assert not any("UMing" in n for n in names)    # the Taiwan-style face is gone


def test_comma_and_full_stop_sit_in_the_lower_left_quarter_of_their_box(tmp_path):
    size, x0, baseline = 200, 100, 300
    for font in (SONG, KAI):
        for mark in "，。":
            buffer = io.BytesIO()
            c = pdfcanvas.Canvas(buffer, pagesize=A4)
            draw_string(c, x0, baseline, mark, font, size)
            c.save()
            left, top, right, bottom = _ink(_rasterise(buffer.getvalue(), tmp_path))
            page_height = A4[1]
            # The em box of these faces runs from 0.12 em below the baseline to 0.88 em above.
            box_top, box_bottom = page_height - (baseline + 0.88 * size), page_height - (baseline - 0.12 * size)
            middle_x, middle_y = x0 + size / 2, (box_top + box_bottom) / 2
            assert left >= x0 and right <= middle_x, (font, mark, left, right)
            assert top >= middle_y and bottom <= box_bottom + 1, (font, mark, top, bottom)


def test_squeezable_marks_are_those_whose_outline_lies_in_the_left_half():
    closing = "，。、；：？！）》」』】〕〗〉”’"
    for font in (SONG, KAI, HEI):
        face = _face(font)
        cmap, glyphs, em = face.getBestCmap(), face.getGlyphSet(), face["head"].unitsPerEm
        measured = set()
        for mark in closing:
            name = cmap.get(ord(mark))
            pen = BoundsPen(glyphs)
            glyphs[name].draw(pen)
            advance = face["hmtx"][name][0]
            if advance >= 0.9 * em and pen.bounds[2] <= advance * 0.55:
                measured.add(mark)
        assert SQUEEZABLE[font] == measured, font
        opening = set()
        for mark in "（《「『【〔〖〈“‘":
            name = cmap.get(ord(mark))
            pen = BoundsPen(glyphs)
            glyphs[name].draw(pen)
            advance = face["hmtx"][name][0]
            if advance >= 0.9 * em and pen.bounds[0] >= advance * 0.45:
                opening.add(mark)
        assert SQUEEZABLE_OPENING[font] == opening, font


def test_no_gap_opens_between_a_closing_bracket_and_the_full_stop(tmp_path):
    def gap(text):
        data = render([para(text, BODY)], title="t", subject="t", author="t", created=date(2024, 7, 1))
        image = Image.open(_rasterise(data, tmp_path, dpi=144)).convert("L")
        # The first text line only, and the columns that hold ink in it.
        top = int((37 + 1) / 25.4 * 144)
        strip = image.crop((0, top, image.width, top + int(BODY.leading * 2)))
        columns = [x for x in range(strip.width) if strip.crop((x, 0, x + 1, strip.height)).getextrema()[0] < 128]
        ends = [b - a for a, b in zip(columns, columns[1:])]
        return max(ends) / 2 / BODY.fontSize       # the widest blank run, in ems (144 dpi = 2 px/pt)

    # With a full box each, "）" and "。" (ink at opposite ends of their boxes) leave almost an
    # em of white between them; squeezed, under half an em, like the gaps between characters.
    assert runs("冯振宇）。", SONG)[-2:] == [("）", f"{SONG}-Squeezed"), ("。", SONG)]
    assert gap("（冯振宇）。") < 0.55
    assert gap("“赛马”。") < 0.55
    assert gap("（“框架协议”）") < 0.55


def test_rare_name_characters_print_from_the_fallback_face_never_as_a_box(pdf):
    data = _bulletin_with_rare_names()
    text = pdf.text(data, layout=False)
    for name in RARE_NAMES:
        assert name in text, name
    song, fallback = _face(SONG).getBestCmap(), _face(FALLBACK).getBestCmap()
    for char in RARE:
        assert ord(char) not in song and ord(char) in fallback
        assert runs(char, SONG) == [(char, FALLBACK)]
    # Every character of the bulletin is in the face that sets it.
    cmaps = {font: _face(font).getBestCmap() for font in (SONG, KAI, HEI)}
    for char in set(text) - set(" \n\f"):
        face = next(font for piece, font in runs(char, SONG))
        base = face.replace("-Squeezed", "")
        assert ord(char) in cmaps[base], (char, face)


def test_a_leader_list_prints_a_rare_name(pdf):
    progress, _ = synthetic_progress(zone_count=1, leaders_per_zone=1)
    leader = dataclasses.replace(progress.leaders[0], name="王堃")
    data = build_leader_list(leader, [], start=date(2024, 1, 1), end=date(2024, 6, 30), generated_on=date(2024, 7, 1))
    assert "王堃同志对接项目清单" in pdf.text(data, layout=False)
