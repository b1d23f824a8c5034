"""Chinese line breaking (标点禁则) for reportlab's CJK wrap.

reportlab 5 breaks CJK text "like a knife" and, when the character that no longer fits may
not start a line, lets it hang past the right edge; it knows the Japanese list of such
characters but not Chinese full-width punctuation, and ignores opening brackets at a line's
end. The bulletin needs neither overflow (table cells are narrow) nor a line opening with
"，" or a figure cut in two ("57.|75亿元"), so both of reportlab's CJK splitters are replaced
by one greedy breaker that steps back instead of hanging:

- no line starts with closing punctuation (，。、；：？！）》”…％ …),
- no line ends with opening punctuation (（《“ …),
- runs of digits and Latin letters (57.75, 2024, A类) stay whole, and with the unit that
  follows them (12日, 5个, 3.5万),
- and when a rule cannot be met (a single run wider than the line) it cuts, never overflows.

Every Paragraph's fragments also pass through `reports.fonts.runs`: a character the GB face
lacks is set in the fallback face, and a closing mark followed by another is squeezed to half
a box (标点挤压), before the lines are broken, so widths and breaks account for both.

`install()` is idempotent and is called when reports.layout is imported.
"""
from __future__ import annotations

from reportlab.lib import textsplit
from reportlab.platypus import paragraph

from .fonts import runs

CANNOT_START = set(
    "!),.:;?]}%"
    "，。、；：？！）》」』】〕〗〉］｝”’…—～％‰℃°·々ー"
)
CANNOT_END = set("([{（《「『【〔〖〈［｛“‘")
_FUZZ = 1e-6


def _latin(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".,%+-/")


# A figure stays on the line of its unit: "12月|12日" may break, "12|日" may not.
UNITS = set("年月日时分秒个次项名万亿元号")


def _bad_break(chars, at: int) -> bool:
    """Whether a line may not end before chars[at]."""
    before, after = chars[at - 1], chars[at]
    return (after in CANNOT_START or before in CANNOT_END
            or (_latin(before) and _latin(after)) or (before.isdigit() and after in UNITS))


def break_lines(chars, widths, max_widths, hard_after=frozenset()):
    """[(start, end, width_used, max_width, hard)] for greedy lines with the rules above.

    `hard_after` holds indices after which a line must end (<br/>)."""
    n = len(chars)
    lines = []
    start = 0
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        used, end, hard = 0.0, start, False
        while end < n:
            if end > start and used + widths[end] > max_width + _FUZZ:
                break
            used += widths[end]
            end += 1
            if end - 1 in hard_after:
                hard = True
                break
        if end < n and not hard:
            step = end
            while step > start + 1 and _bad_break(chars, step):
                step -= 1
            if step != end and not _bad_break(chars, step):
                used -= sum(widths[step:end])
                end = step
        lines.append((start, end, used, max_width, hard))
        start = end
    return lines


def dumb_split(word, widths, maxWidths):
    """Replacement for reportlab.lib.textsplit.dumbSplit (single-style paragraphs)."""
    if not isinstance(maxWidths, (list, tuple)):
        maxWidths = [maxWidths]
    out = []
    for start, end, used, max_width, _ in break_lines(word, widths, maxWidths):
        while start < end and word[start].isspace():
            used -= widths[start]
            start += 1
        while end > start and word[end - 1].isspace():
            used -= widths[end - 1]
            end -= 1
        out.append([max_width - used, word[start:end]])
    return out


def cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    """Replacement for reportlab.platypus.paragraph.cjkFragSplit (mixed styles, <br/>)."""
    units = []
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text:
            units.extend(paragraph.cjkU(t, f, encoding) for t in text)
        else:
            units.append(paragraph.cjkU(text, f, encoding))
    widths = []
    for u in units:  # noqa: B007
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = maxWidths[0]
            w = w.normalizedValue(maxWidths[0])
        widths.append(w)
    hard = frozenset(i for i, u in enumerate(units) if hasattr(u.frag, "lineBreak"))
    chars = [str(u) or "\n" for u in units]
    lines = [
        paragraph.makeCJKParaLine(units[start:end], max_width, used, max_width - used,
                                  is_hard, calcBounds)
        for start, end, used, max_width, is_hard in break_lines(chars, widths, maxWidths, hard)
    ]
    return paragraph.ParaLines(kind=1, lines=lines)


def set_faces(frags):
    """Fragments split where the face changes: fallback characters and squeezed marks."""
    if not isinstance(frags, list):
        return frags
    out = []
    for i, f in enumerate(frags):
        text = getattr(f, "text", None)
        if not isinstance(text, str) or not text or hasattr(f, "cbDefn") or not hasattr(f, "fontName"):
            out.append(f)
            continue
        following = frags[i + 1] if i + 1 < len(frags) else None
        after = getattr(following, "text", "") if following is not None and not hasattr(f, "lineBreak") else ""
        after = after[:1] if isinstance(after, str) else ""
        pieces = runs(text + after, f.fontName)
        if after:
            last, font = pieces[-1]
            pieces[-1] = (last[:-1], font)
        pieces = [(t, font) for t, font in pieces if t]
        if len(pieces) == 1 and pieces[0][1] == f.fontName:
            out.append(f)
            continue
        for n, (piece, font) in enumerate(pieces):
            clone = f.clone(text=piece, fontName=font)
            if n < len(pieces) - 1 and hasattr(clone, "lineBreak"):
                del clone.lineBreak  # a <br/> ends the last piece only
            out.append(clone)
    return out


_original_setup = paragraph.Paragraph._setup


def _setup(self, text, style, bulletText, frags, cleaner):
    _original_setup(self, text, style, bulletText, frags, cleaner)
    self.frags = set_faces(self.frags)


def install() -> None:
    textsplit.dumbSplit = dumb_split
    paragraph.cjkFragSplit = cjk_frag_split
    paragraph.Paragraph._setup = _setup
