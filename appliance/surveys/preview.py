"""A safe view of a (possibly incomplete) document for the preview page.

Drafts may hold anything the skeleton check lets through, so every field is read
defensively here and the template only sees plain strings, numbers and lists.
"""
import json

from markupsafe import Markup, escape

from . import logic_in_words
from .definition import PIPE, QUESTION_TYPES


def text(value, lang, default="zh_CN"):
    if not isinstance(value, dict):
        return ""
    found = value.get(lang) or value.get(default) or next(iter(value.values()), "")
    return found if isinstance(found, str) else ""


def _items(value, lang, piped=lambda s: s):
    if not isinstance(value, list):
        return []
    return [{"key": str(c.get("key", "")), "text": piped(text(c.get("text"), lang)),
             "value": c.get("value")} for c in value if isinstance(c, dict)]


def _scale(question):
    scale = question.get("scale")
    if question.get("type") == "nps":
        return list(range(0, 11))
    default = 7 if question.get("type") == "ces" else 5
    size = scale if isinstance(scale, int) and not isinstance(scale, bool) and 2 <= scale <= 11 \
        else default
    return list(range(1, size + 1))


def question_view(question, document, lang, numbers):
    """Piped answers show as [Q1] or [unit], in every text the respondent page pipes."""
    def piped(value):
        """Escaped text; an answer shows as [Q1] until the test run fills it in (preview.js)."""
        def marker(m):
            if m.group(1):
                return f'<span class="r-pipe" data-hidden="{m.group(2)}">[{m.group(2)}]</span>'
            return (f'<span class="r-pipe" data-pipe="{m.group(2)}">'
                    f'[{numbers.get(m.group(2), m.group(2))}]</span>')
        return Markup(PIPE.sub(marker, str(escape(value))))
    kind = question.get("type") if question.get("type") in QUESTION_TYPES else "unknown"
    condition = question.get("display_if")
    return {
        "key": str(question.get("key", "")), "number": numbers.get(question.get("key"), "Q?"),
        "type": kind, "text": piped(text(question.get("text"), lang)),
        "help": piped(text(question.get("help"), lang)), "required": question.get("required") is True,
        "choices": _items(question.get("choices"), lang, piped),
        "rows": _items(question.get("rows"), lang, piped),
        "matrix_scale": _items(question.get("scale"), lang, piped), "scale": _scale(question),
        "style": question.get("style") if question.get("style") in ("stars", "faces") else "numbers",
        "multiline": question.get("multiline") is True,
        "low_label": piped(text(question.get("low_label"), lang)),
        "high_label": piped(text(question.get("high_label"), lang)),
        "fields": [f for f in question.get("fields", ["name", "phone", "email"])
                   if f in ("name", "phone", "email")] if isinstance(question.get("fields"), list)
        else ["name", "phone", "email"],
        "rule": logic_in_words.show_rule(condition, document, lang) if isinstance(condition, dict) else "",
        "display_if": json.dumps(condition if isinstance(condition, dict) else None),
    }


def pages_view(document, lang):
    numbers = logic_in_words.numbering(document)
    pages = []
    for index, page in enumerate(document.get("pages", []), start=1):
        skips = page.get("skip_to") if isinstance(page.get("skip_to"), list) else []
        condition = page.get("display_if") if isinstance(page.get("display_if"), dict) else None
        pages.append({"number": index, "title": text(page.get("title"), lang),
                      "key": str(page.get("key", "")), "display_if": json.dumps(condition),
                      "skip_to": json.dumps([r for r in skips if isinstance(r, dict)]),
                      "questions": [question_view(q, document, lang, numbers)
                                    for q in page.get("questions", [])],
                      "skips": [logic_in_words.skip_rule(r, document, lang) for r in skips
                                if isinstance(r, dict)]})
    return pages
