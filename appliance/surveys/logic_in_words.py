"""Logic rules in words, e.g. 'Show when Q1 "How likely…" is at most 6' / '显示条件：Q1「…」≤ 6'.

Pure (no Flask). static/surveys/logic.js says the same thing in the browser.
"""
from .definition import question_map, text_for

OPS = {
    "en": {"eq": "is", "ne": "is not", "lt": "is less than", "lte": "is at most",
           "gt": "is more than", "gte": "is at least", "in": "is one of", "not_in": "is none of",
           "contains": "includes", "answered": "is answered", "not_answered": "is not answered"},
    "zh_CN": {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥",
              "in": "是以下之一", "not_in": "不是以下任一", "contains": "包含",
              "answered": "已作答", "not_answered": "未作答"},
}
JOIN = {"en": {"all": " and ", "any": " or "}, "zh_CN": {"all": " 且 ", "any": " 或 "}}
PREFIX = {"en": {"show": "Show when ", "skip": "If "}, "zh_CN": {"show": "显示条件：", "skip": "如果 "}}


def numbering(document):
    """{question key: "Q1", ...} in the order respondents meet them."""
    keys = [q.get("key") for p in document.get("pages", []) for q in p.get("questions", [])]
    return {key: f"Q{i}" for i, key in enumerate(keys, start=1)}


def show_rule(condition, document, language="en"):
    return PREFIX[_lang(language)]["show"] + condition_words(condition, document, language)


def skip_rule(rule, document, language="en"):
    lang = _lang(language)
    pages = {p["key"]: i for i, p in enumerate(document.get("pages", []), start=1)}
    target = rule.get("page")
    if lang == "en":
        where = "end the survey" if target == "end" else f"go to page {pages.get(target, target)}"
        return f"If {condition_words(rule.get('if'), document, lang)}, {where}"
    where = "结束问卷" if target == "end" else f"跳到第 {pages.get(target, target)} 页"
    return f"如果 {condition_words(rule.get('if'), document, lang)}，{where}"


def all_rules(document, language="en"):
    """Every display and skip rule of a document, in words, in survey order."""
    found = []
    for page in document.get("pages", []):
        if page.get("display_if"):
            found.append(show_rule(page["display_if"], document, language))
        for question in page.get("questions", []):
            if question.get("display_if"):
                found.append(show_rule(question["display_if"], document, language))
        skips = page.get("skip_to")
        for rule in skips if isinstance(skips, list) else []:
            if isinstance(rule, dict):
                found.append(skip_rule(rule, document, language))
    return found


def condition_words(condition, document, language="en", depth=0):
    lang = _lang(language)
    if not isinstance(condition, dict) or depth > 8:
        return "?"
    for group in ("all", "any"):
        if isinstance(condition.get(group), list):
            parts = [condition_words(c, document, lang, depth + 1) for c in condition[group]]
            text = JOIN[lang][group].join(parts)
            return f"({text})" if depth and len(parts) > 1 else text
    subject, question = _subject(condition, document, lang)
    op = condition.get("op")
    words = f"{subject} {OPS[lang].get(op, op)}"
    if op in ("answered", "not_answered"):
        return words
    return f"{words} {_value(condition.get('value'), question, lang, document)}"


def _subject(condition, document, lang):
    if "hidden" in condition:
        return ("hidden field " if lang == "en" else "隐藏字段 ") + str(condition["hidden"]), None
    key = condition.get("question")
    question = question_map(_safe(document)).get(key) if isinstance(key, str) else None
    label = numbering(document).get(key, str(key))
    if question is None:
        return label, None
    text = _short(text_for(_texts(question.get("text")), lang, document.get("default_language", "zh_CN")))
    return (f"{label} “{text}”" if lang == "en" else f"{label}「{text}」"), question


def _value(value, question, lang, document):
    labels = {c.get("key"): text_for(_texts(c.get("text")), lang, document.get("default_language", "zh_CN"))
              for c in (question or {}).get("choices", []) if isinstance(c, dict)}
    if isinstance(value, list):
        return (", " if lang == "en" else "、").join(_value(v, question, lang, document) for v in value)
    if value in labels:
        return f"“{labels[value]}”" if lang == "en" else f"「{labels[value]}」"
    return str(value)


def _short(text, limit=24):
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _safe(document):
    pages = [p for p in document.get("pages", []) if isinstance(p, dict)]
    return {"pages": [{"key": "", "questions": [q for q in p.get("questions", [])
                                     if isinstance(q, dict) and isinstance(q.get("key"), str)]}
                      for p in pages]}


def _texts(texts):
    return {k: v for k, v in texts.items() if isinstance(v, str)} if isinstance(texts, dict) else {}


def _lang(language):
    return "zh_CN" if str(language).startswith("zh") else "en"
