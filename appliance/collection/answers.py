"""Checking answers against a survey version: the one gate every page and submission passes.

Pure (no Flask, no database). Values follow the formats in surveys.definition;
check_value() returns the clean value or raises Invalid with a message key
(translated for the respondent by collection.respondent_texts).
"""
import datetime
import math
import re

from ..surveys import definition

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ud800-\udfff]")
MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
PHONE_SEPARATORS = re.compile(r"[ ()\-.]")
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                   r"[A-Za-z]{2,24}$")
DEFAULT_MAX_LENGTH = 2000
OTHER = "other"
CONSENT = "consent"


class Invalid(Exception):
    """An answer that does not fit its question; args[0] is a wording key."""


def check_answers(doc, answers, hidden, page_key=None, earlier=None):
    """Validate answers (of one page, or of the whole survey). Returns (clean, errors).

    errors maps a question key (or the offending key) to a wording key.
    earlier: answers already stored for previous pages (page-wise mode).
    """
    earlier = earlier or {}
    questions = _questions_in_scope(doc, page_key)
    clean, errors = {}, {}
    for key, value in answers.items():
        base, _dot, suffix = key.partition(".")
        question = questions.get(base)
        if question is None or (suffix and not _suffix_allowed(question, suffix)):
            errors[key] = "unknown_question"
            continue
        if suffix:
            continue   # the other-text and the consent are checked with their question
        try:
            clean[key] = check_value(question, value)
        except Invalid as exc:
            errors[key] = exc.args[0]
    _check_other_texts(questions, answers, clean, errors)
    _check_consent(questions, answers, clean, errors)
    if errors:
        return clean, errors
    merged = {**earlier, **clean}
    shown = {q["key"] for q in definition.visible_questions(doc, merged, hidden, page_key)}
    for key in list(clean):
        if key.partition(".")[0] not in shown:
            errors[key] = "not_shown"
    for question in questions.values():
        if question["key"] in shown and question.get("required") and question["key"] not in clean:
            errors[question["key"]] = "required"
    return clean, errors


def without_page(doc, answers, page_key):
    """answers minus those to page_key's questions (a page sent again replaces its answers)."""
    keys = set(_questions_in_scope(doc, page_key))
    return {k: v for k, v in answers.items() if k.partition(".")[0] not in keys}


def only_shown(doc, answers, hidden):
    """answers to questions still shown (after going back and changing an answer the logic uses)."""
    while True:
        shown = {q["key"] for q in definition.visible_questions(doc, answers, hidden)}
        kept = {k: v for k, v in answers.items() if k.partition(".")[0] in shown}
        if kept == answers:
            return kept
        answers = kept


def _questions_in_scope(doc, page_key):
    if page_key is None:
        return definition.question_map(doc)
    page = next(p for p in doc["pages"] if p["key"] == page_key)
    return {q["key"]: q for q in page["questions"]}


def _suffix_allowed(question, suffix):
    return (suffix == OTHER and question.get("other")) or \
        (suffix == CONSENT and question["type"] == "contact")


def _check_consent(questions, answers, clean, errors):
    """Contact details only with the respondent's consent ("<key>.consent": true or "yes")."""
    for key, question in questions.items():
        if question["type"] != "contact" or key not in clean:
            continue
        if answers.get(f"{key}.{CONSENT}") in (True, "yes"):
            clean[f"{key}.{CONSENT}"] = True
        else:
            errors[key] = "consent_needed"


def _check_other_texts(questions, answers, clean, errors):
    for key, question in questions.items():
        if not question.get("other") or key not in clean:
            continue
        chosen = clean[key] if isinstance(clean[key], list) else [clean[key]]
        text = answers.get(f"{key}.{OTHER}")
        if OTHER not in chosen:
            if text not in (None, ""):
                errors[f"{key}.{OTHER}"] = "not_shown"
            continue
        try:
            clean[f"{key}.{OTHER}"] = _text(text, 1, 200, False)
        except Invalid:
            errors[key] = "other_needed"


def check_value(question, value):
    """The clean value of one answer, or raise Invalid."""
    if value in (None, "", [], {}):
        raise Invalid("required")
    return CHECKS[question["type"]](question, value)


def _choice_keys(question):
    return {c["key"] for c in question.get("choices", [])}


def _single(question, value):
    if not isinstance(value, str) or value not in _choice_keys(question):
        raise Invalid("bad_choice")
    return value


def _multiple(question, value):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) \
            or len(set(value)) != len(value) or not set(value) <= _choice_keys(question):
        raise Invalid("bad_choice")
    low, high = question.get("min"), question.get("max")
    if low is not None and len(value) < low:
        raise Invalid("too_few")
    if high is not None and len(value) > high:
        raise Invalid("too_many")
    return value


def _whole(value, low, high):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid("out_of_range")
    return value


def scale_values(question):
    scale = question.get("scale")
    if isinstance(scale, list):
        return [s["value"] for s in scale]
    default = {"rating": 5, "ces": 7, "nps": 11}.get(question["type"], 5)
    size = scale or default
    return range(0, 11) if question["type"] == "nps" else range(1, size + 1)


def _scale(question, value):
    if isinstance(value, bool) or not isinstance(value, int) or value not in scale_values(question):
        raise Invalid("out_of_range")
    return value


def _matrix(question, value):
    rows = {r["key"] for r in question.get("rows", [])}
    allowed = scale_values(question)
    if not isinstance(value, dict) or not set(value) <= rows:
        raise Invalid("bad_choice")
    for cell in value.values():
        if isinstance(cell, bool) or not isinstance(cell, int) or cell not in allowed:
            raise Invalid("out_of_range")
    if question.get("required") and set(value) != rows:
        raise Invalid("every_row")
    return value


def _ranking(question, value):
    keys = _choice_keys(question)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) \
            or len(value) != len(keys) or set(value) != keys:
        raise Invalid("rank_all")
    return value


def _text(value, low, high, multiline):
    if not isinstance(value, str):
        raise Invalid("bad_type")
    value = value.strip()
    if CONTROL.search(value) or (not multiline and ("\n" in value or "\r" in value)):
        raise Invalid("control_chars")
    if len(value) < max(low, 1):
        raise Invalid("too_short" if value else "required")
    if len(value) > high:
        raise Invalid("too_long")
    return value


def _open_text(question, value):
    return _text(value, question.get("min_length", 0), question.get("max_length", DEFAULT_MAX_LENGTH),
                 question.get("multiline", True))


def _number(question, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Invalid("bad_number")
    if question.get("integer") and value != int(value):
        raise Invalid("whole_number")
    low, high = question.get("min"), question.get("max")
    if (low is not None and value < low) or (high is not None and value > high):
        raise Invalid("out_of_range")
    return int(value) if question.get("integer") else value


def _date(question, value):
    try:
        day = datetime.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 \
            else None
    except ValueError:
        day = None
    if day is None:
        raise Invalid("bad_date")
    low, high = question.get("min"), question.get("max")
    if (low and value < str(low)) or (high and value > str(high)):
        raise Invalid("out_of_range")
    return value


def _contact(question, value):
    fields = question.get("fields", ["name", "phone", "email"])
    if not isinstance(value, dict) or not set(value) <= set(fields) \
            or not all(isinstance(v, str) for v in value.values()):
        raise Invalid("bad_type")
    clean = {k: v.strip() for k, v in value.items() if v.strip()}
    if not clean:
        raise Invalid("required")
    if question.get("required") and set(clean) != set(fields):
        raise Invalid("contact_all")
    if "name" in clean:
        clean["name"] = _text(clean["name"], 1, 100, False)
    if "phone" in clean:
        clean["phone"] = _phone(clean["phone"])
    if "email" in clean and not EMAIL.match(clean["email"]):
        raise Invalid("bad_email")
    return clean


def _phone(text):
    """A mainland mobile (13800138000, also written +86 138 0013 8000) or an E.164 number."""
    number = PHONE_SEPARATORS.sub("", text)
    if number.startswith("+86") and MAINLAND_MOBILE.match(number[3:]):
        return number[3:]
    if MAINLAND_MOBILE.match(number) or E164.match(number):
        return number
    raise Invalid("bad_phone")


CHECKS = {
    "single_choice": _single, "dropdown": _single, "multiple_choice": _multiple,
    "nps": _scale, "rating": _scale, "ces": _scale, "matrix": _matrix, "ranking": _ranking,
    "text": _open_text, "number": _number, "date": _date, "contact": _contact,
}


def check_hidden(doc, values):
    """Keep only declared hidden fields with short, printable values."""
    declared = doc.get("hidden_fields", [])
    clean = {}
    for name in declared:
        value = values.get(name)
        if isinstance(value, str) and value and len(value) <= 200 and not CONTROL.search(value):
            clean[name] = value
    return clean
