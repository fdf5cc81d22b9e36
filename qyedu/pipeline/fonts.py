"""The project's own CJK font for the pages: the Simplified Chinese face of the
``noto-cjk-sans-otc`` wheel, subset to the characters the pages use (a few hundred kB instead
of 15 MB), written to ``reports/fonts/`` and loaded by every page with ``@font-face``."""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ..io import write_bytes_atomic
from .style import FONT_FILE

FACE = "Noto Sans CJK SC"
ALWAYS = "".join(map(chr, range(0x20, 0x7F))) + "–—…·“”‘’（）：；，。、％≥≤≈±−→←×÷"


def face_index(ttc: Path, face: str = FACE) -> int:
    from fontTools.ttLib import TTCollection

    fonts = TTCollection(str(ttc), lazy=True).fonts
    for i, f in enumerate(fonts):
        if f["name"].getDebugName(1) == face:
            return i
    return 0


def subset_font(text: str, ttc: Path | None = None) -> bytes:
    """OpenType bytes of the SC face holding every character of ``text`` (plus ASCII)."""
    from ..plotting import cjk_font_path

    ttc = Path(ttc or cjk_font_path()).resolve()
    st = ttc.stat()
    return _subset("".join(sorted(set(text) | set(ALWAYS))), str(ttc), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=8)
def _subset(chars: str, ttc: str, size: int, mtime_ns: int) -> bytes:
    """The subset itself (about 0.5 s), cached per character set and font file version: a
    process that refreshes several times (tests, a sweep of refreshes) subsets once."""
    from fontTools import subset

    opts = subset.Options()
    opts.font_number = face_index(Path(ttc))
    opts.layout_features = ["*"]
    opts.name_IDs = ["*"]
    opts.notdef_outline = True
    font = subset.load_font(ttc, opts)
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def write_page_font(reports: Path, pages: Iterable[Path]) -> Path:
    """Subset the font to the characters of ``pages`` and write it where the CSS expects it."""
    chars: set[str] = set()
    for p in pages:
        chars |= {c for c in Path(p).read_text(encoding="utf-8") if ord(c) > 0x7F}
    return write_bytes_atomic(subset_font("".join(chars)), Path(reports) / FONT_FILE)
