"""The report font: WenQuanYi Micro Hei (fonts-wqy-microhei, installed by installer/install.sh),
which covers simplified Chinese and Latin. reports/report.css declares it by @font-face
from its system path, so a report never falls back to whatever else fontconfig finds."""
import functools
import unicodedata
from pathlib import Path

FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FAMILY = "WenQuanYi Micro Hei"


@functools.cache
def _codepoints():
    from fontTools.ttLib import TTFont
    with TTFont(str(FONT_FILE), fontNumber=0, lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text):
    """The characters of text the report font cannot draw (spaces and controls aside)."""
    return sorted({ch for ch in text if not ch.isspace()
                   and unicodedata.category(ch)[0] != "C" and ord(ch) not in _codepoints()})
