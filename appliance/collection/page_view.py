"""What one respondent page shows: questions with piped texts, ordered choices and current values."""
import random

from ..surveys import definition
from . import consent
from .answers import OTHER, scale_values
from .respondent_texts import word


def page_questions(doc, page_key):
    return next(p for p in doc["pages"] if p["key"] == page_key)["questions"]


def build(visit, page_key, answers, values, errors, seed, organisation=""):
    """A list of question views for the visible questions of page_key."""
    lang, default = visit.language, visit.doc["default_language"]
    shown = definition.visible_questions(visit.doc, answers, visit.hidden, page_key)

    def text(texts):
        return definition.pipe(definition.text_for(texts, lang, default), answers, visit.hidden,
                               visit.doc, lang)
    views = [_question(q, text, lang, values.get(q["key"]), values, errors, seed) for q in shown]
    for view in views:
        if view["type"] == "contact":
            view["consent"] = consent.line(visit.survey, organisation, lang)
            view["consented"] = values.get(f"{view['key']}.consent") in (True, "yes")
    return views


def _question(q, text, lang, value, values, errors, seed):
    view = {"key": q["key"], "type": q["type"], "text": text(q["text"]),
            "help": text(q.get("help")), "required": bool(q.get("required")),
            "error": word(errors[q["key"]], lang) if q["key"] in errors else "",
            "value": value, "choices": _choices(q, text, seed),
            "other_text": values.get(f"{q['key']}.{OTHER}", ""),
            "other_error": word(errors[f"{q['key']}.{OTHER}"], lang)
            if f"{q['key']}.{OTHER}" in errors else "",
            "low": text(q.get("low_label")), "high": text(q.get("high_label"))}
    if q["type"] in ("nps", "rating", "ces", "matrix"):
        view["scale"] = _scale(q, text, lang)
    if q["type"] == "matrix":
        view["rows"] = [{"key": r["key"], "text": text(r["text"])} for r in q.get("rows", [])]
    if q["type"] == "ranking":
        view["ranks"] = {k: i + 1 for i, k in enumerate(value)} if isinstance(value, list) else {}
    if q["type"] == "contact":
        view["fields"] = q.get("fields", ["name", "phone", "email"])
    view["style"] = q.get("style", "stars" if q["type"] == "rating" else "numbers")
    view["multiline"] = q.get("multiline", True)
    return view


def _choices(q, text, seed):
    choices = [{"key": c["key"], "text": text(c["text"])} for c in q.get("choices", [])]
    if q.get("randomize"):
        fixed = [c for c in choices if c["key"] == OTHER]
        moving = [c for c in choices if c["key"] != OTHER]
        random.Random(f"{seed}:{q['key']}").shuffle(moving)   # stable per response
        choices = moving + fixed
    return choices


def _scale(q, text, lang):
    if isinstance(q.get("scale"), list):
        return [{"value": s["value"], "label": text(s["text"])} for s in q["scale"]]
    values = scale_values(q)
    if q["type"] == "rating" and q.get("style") == "faces" and len(values) == 5:
        faces = word("faces", lang)
        return [{"value": v, "label": faces[i], "face": i + 1} for i, v in enumerate(values)]
    if q["type"] == "rating" and q.get("style", "stars") == "stars":
        return [{"value": v, "label": word("star", lang, n=v)} for v in values]
    return [{"value": v, "label": str(v)} for v in values]
