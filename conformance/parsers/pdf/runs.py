"""Text runs with their boxes and font style, read from PDFium's text page.

Only layout needs runs (pages without table hints are read as plain text), so they
are read lazily per page; bold is judged here once for runs and heading styles alike.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from conformance.parsers.pdf.model import Seg
from conformance.parsers.pdf.textlines import norm_text

_FONT_NAME = ctypes.create_string_buffer(128)
_FORCE_BOLD = 1 << 18  # PDF font descriptor flag
_TEXT_UNITS = 8192  # UTF-16 units: far more than a cell, a run or a margin holds
_TEXT = (ctypes.c_ushort * _TEXT_UNITS)()


def bounded_text(textpage: pdfium.PdfTextPage, left: float, bottom: float, right: float, top: float) -> str:
    """``textpage.get_text_bounded(left, bottom, right, top)``, in one PDFium call instead of two.

    pypdfium2 asks PDFium for the length first and then for the text, and PDFium collects the
    text over the whole page both times; a ruled table reads every cell this way, so that was a
    fifth of a long statement's parse. One call into a buffer that is large enough gives the same
    text: PDFium writes it with a terminating NUL, and text never holds a NUL itself (PDFium
    skips characters without a code). Text that fills the buffer, or holds UTF-16 surrogates
    (pypdfium2 sizes its buffer in characters, not UTF-16 units), is read pypdfium2's way.
    """
    n = pdfium_c.FPDFText_GetBoundedText(textpage.raw, left, top, right, bottom, _TEXT, _TEXT_UNITS)
    if n >= _TEXT_UNITS or (n > 0 and _TEXT[n - 1] != 0):
        return str(textpage.get_text_bounded(left, bottom, right, top))
    data = ctypes.string_at(_TEXT, 2 * max(0, n - 1))  # without the terminating NUL
    text = data.decode("utf-16-le", errors="ignore")
    if 2 * len(text) != len(data):
        return str(textpage.get_text_bounded(left, bottom, right, top))
    return text


def segments(textpage: pdfium.PdfTextPage, height: float) -> list[Seg]:
    """Text runs with their boxes and the font size/weight of their first character."""
    segs = []
    raw = textpage.raw
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = " ".join(norm_text(bounded_text(textpage, left, bottom, right, top)).split())
        if not text:
            continue
        idx = pdfium_c.FPDFText_GetCharIndexAtPos(raw, left + 1.0, (top + bottom) / 2, 2.0, 2.0)
        size = pdfium_c.FPDFText_GetFontSize(raw, idx) if idx >= 0 else 0.0
        bold = idx >= 0 and is_bold(raw, idx)
        segs.append(Seg(text, left, right, height - top, height - bottom, size, bold))
    return segs


def is_bold(raw: object, idx: int) -> bool:
    """Weight when the font says it, else the font name or flags (standard 14 fonts have no weight)."""
    if pdfium_c.FPDFText_GetFontWeight(raw, idx) >= 600:
        return True
    flags = ctypes.c_int(0)
    n = pdfium_c.FPDFText_GetFontInfo(raw, idx, _FONT_NAME, len(_FONT_NAME), ctypes.byref(flags))
    name = _FONT_NAME.raw[: max(0, min(n, len(_FONT_NAME)) - 1)].decode("latin-1").lower()
    return bool(flags.value & _FORCE_BOLD) or any(w in name for w in ("bold", "black", "heavy", "semibold"))
