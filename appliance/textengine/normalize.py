"""Length-preserving normalisation: full-width to half-width, traditional to
simplified, lower case, control characters to spaces.

Every character maps to exactly one character, so an offset in the normalised
string is the same offset in the original string.
"""
import importlib.util
import json
import pickle
import re
from pathlib import Path

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA = r"\u3040-\u30ff"
_HANGUL = r"\uac00-\ud7af"
_HAN_RE = re.compile(f"[{_HAN}]")
_KANA_RE = re.compile(f"[{_KANA}]")
_HANGUL_RE = re.compile(f"[{_HANGUL}]")
_LATIN_RE = re.compile(r"[a-z]")


def _traditional_to_simplified():
    """Single-character entries of zhconv's zh2Hans table (read as data)."""
    spec = importlib.util.find_spec("zhconv")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(spec.submodule_search_locations[0]) / "zhcdict.json"
    table = json.loads(path.read_text(encoding="utf-8"))["zh2Hans"]
    return {k: v for k, v in table.items() if len(k) == 1 and len(v) == 1}


_BLANK_RANGES = [(0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD),
                 (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x206F),
                 (0xD800, 0xDFFF), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB)]
_table = None


def _build_table():
    table = {}
    for code in range(0x10000):
        char = chr(code)
        lower = char.lower()
        if lower != char and len(lower) == 1:
            table[code] = lower
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0).lower()
    table[0x3000] = " "
    for trad, simp in _traditional_to_simplified().items():
        table[ord(trad)] = simp
    for first, last in _BLANK_RANGES:
        table.update(dict.fromkeys(range(first, last + 1), " "))
    return table


def load_table(cache_path=None):
    """Build the table once; with ``cache_path`` reuse a pickled copy."""
    global _table
    if _table is not None:
        return _table
    cache = Path(cache_path) if cache_path else None
    if cache and cache.is_file():
        _table = pickle.loads(cache.read_bytes())
        return _table
    _table = _build_table()
    if cache and cache.parent.is_dir():
        try:
            cache.write_bytes(pickle.dumps(_table))
        except OSError:
            pass
    return _table


def normalise(text):
    """Return the normalised text, same length as ``text``."""
    return text.translate(_table or load_table())


def detect_language(normalised):
    """Very small script-based detector: zh, ja, ko, en or und."""
    han = len(_HAN_RE.findall(normalised))
    kana = len(_KANA_RE.findall(normalised))
    hangul = len(_HANGUL_RE.findall(normalised))
    latin = len(_LATIN_RE.findall(normalised))
    if kana and kana * 5 >= han:
        return "ja"
    if hangul > han:
        return "ko"
    if han and han / (han + latin) >= 0.3:
        return "zh"
    if latin:
        return "en"
    return "zh" if han else "und"
