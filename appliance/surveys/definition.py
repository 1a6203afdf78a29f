"""The survey definition: a versioned JSON document, its schema and its semantic checks.

This module is the contract between the designer (which writes documents),
the respondent pages and intake (which read them) and analytics (which read
metric roles and touchpoints). It is pure: no Flask, no database.

Document (schema 1):
{
  "schema": 1,
  "languages": ["zh_CN", "en"], "default_language": "zh_CN",
  "title": {"zh_CN": "...", "en": "..."},          # every text is {language: string}
  "intro": {...}, "thank_you": {...}, "closed_message": {...},
  "hidden_fields": ["unit", "order_id", "channel"],  # filled from the link's query string
  "pages": [{
      "key": "p1", "title": {...},
      "display_if": CONDITION | null,
      "skip_to": [{"if": CONDITION, "page": "p3" | "end"}],   # checked after the page is answered
      "questions": [{
          "key": "q1", "type": TYPE, "text": {...}, "help": {...},
          "required": true, "display_if": CONDITION | null,
          "touchpoint": "dining" | null, "metric": "nps"|"csat"|"ces"|"driver" | null,
          ... type options ...
      }]
  }]
}
TYPE and options (answer value in brackets):
  single_choice  choices, other, randomize            ["choice key"]; "other" text under "<key>.other"
  multiple_choice choices, min, max, other, randomize  [["k1", "k2"]]
  dropdown       choices                               ["choice key"]
  nps            low_label, high_label                 [0..10]
  rating         scale (5), style "stars"|"faces"      [1..scale]
  ces            scale (7), low_label, high_label      [1..scale]
  matrix         rows, scale [{value, text}]           [{"row key": value}]
  ranking        choices                               [["k3", "k1", "k2"]] every choice once
  text           multiline, min_length, max_length     ["..."]
  number         min, max, integer                     [number]
  date           min, max ("YYYY-MM-DD")               ["YYYY-MM-DD"]
  contact        fields ["name", "phone", "email"]     [{"name": .., "phone": .., "email": ..}] personal data
choices: [{"key": "a", "text": {...}}]; a choice with key "other" asks for text when `other` is true.
CONDITION: {"all": [C, ...]} | {"any": [C, ...]} |
           {"question": "q1", "op": OP, "value": V} | {"hidden": "channel", "op": OP, "value": V}
OP: eq ne lt lte gt gte in not_in contains answered not_answered
Piping: "{{q1}}" in a question on a later page (text, help, end labels, choices, matrix rows,
scale points) shows the answer to q1; "{{hidden.unit}}" a hidden field (see piped_texts).
"""
import copy
import re

import jsonschema

SCHEMA_VERSION = 1
LANGUAGES = ("zh_CN", "en")
QUESTION_TYPES = ("single_choice", "multiple_choice", "dropdown", "nps", "rating", "ces",
                  "matrix", "ranking", "text", "number", "date", "contact")
CHOICE_TYPES = ("single_choice", "multiple_choice", "dropdown", "ranking")
METRICS = ("nps", "csat", "ces", "driver")
OPERATORS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in", "contains", "answered",
             "not_answered")
CONTACT_FIELDS = ("name", "phone", "email")
KEY = r"^[a-z][a-z0-9_]{0,39}$"
PIPE = re.compile(r"\{\{\s*(hidden\.)?([a-z][a-z0-9_]{0,39})\s*\}\}")
MAX_QUESTIONS = 300

_TEXT = {"type": "object", "maxProperties": 4,
         "propertyNames": {"enum": list(LANGUAGES)},
         "additionalProperties": {"type": "string", "maxLength": 5000}}
_CHOICE = {"type": "object", "required": ["key", "text"], "additionalProperties": False,
           "properties": {"key": {"type": "string", "pattern": KEY}, "text": _TEXT}}
_CONDITION = {"type": "object", "maxProperties": 4}   # structure checked by check_condition
_QUESTION = {
    "type": "object", "required": ["key", "type", "text"], "additionalProperties": False,
    "properties": {
        "key": {"type": "string", "pattern": KEY}, "type": {"enum": list(QUESTION_TYPES)},
        "text": _TEXT, "help": _TEXT, "required": {"type": "boolean"},
        "display_if": {"anyOf": [_CONDITION, {"type": "null"}]},
        "touchpoint": {"anyOf": [{"type": "string", "pattern": KEY}, {"type": "null"}]},
        "metric": {"anyOf": [{"enum": list(METRICS)}, {"type": "null"}]},
        "choices": {"type": "array", "maxItems": 200, "items": _CHOICE},
        "other": {"type": "boolean"}, "randomize": {"type": "boolean"},
        "min": {"type": ["number", "string", "null"]}, "max": {"type": ["number", "string", "null"]},
        "integer": {"type": "boolean"}, "multiline": {"type": "boolean"},
        "min_length": {"type": "integer", "minimum": 0, "maximum": 10000},
        "max_length": {"type": "integer", "minimum": 1, "maximum": 10000},
        "scale": {"anyOf": [{"type": "integer", "minimum": 2, "maximum": 11},
                            {"type": "array", "maxItems": 11, "items": {
                                "type": "object", "required": ["value", "text"],
                                "additionalProperties": False,
                                "properties": {"value": {"type": "integer"}, "text": _TEXT}}}]},
        "style": {"enum": ["stars", "faces", "numbers"]},
        "rows": {"type": "array", "maxItems": 50, "items": _CHOICE},
        "low_label": _TEXT, "high_label": _TEXT,
        "fields": {"type": "array", "items": {"enum": list(CONTACT_FIELDS)}, "minItems": 1},
    },
}
SCHEMA = {
    "type": "object", "required": ["schema", "languages", "default_language", "title", "pages"],
    "additionalProperties": False,
    "properties": {
        "schema": {"const": SCHEMA_VERSION},
        "languages": {"type": "array", "minItems": 1, "uniqueItems": True,
                      "items": {"enum": list(LANGUAGES)}},
        "default_language": {"enum": list(LANGUAGES)},
        "title": _TEXT, "intro": _TEXT, "thank_you": _TEXT, "closed_message": _TEXT,
        "hidden_fields": {"type": "array", "maxItems": 30, "uniqueItems": True,
                          "items": {"type": "string", "pattern": KEY}},
        "pages": {"type": "array", "minItems": 1, "maxItems": 100, "items": {
            "type": "object", "required": ["key", "questions"], "additionalProperties": False,
            "properties": {
                "key": {"type": "string", "pattern": KEY}, "title": _TEXT,
                "display_if": {"anyOf": [_CONDITION, {"type": "null"}]},
                "skip_to": {"type": "array", "maxItems": 20, "items": {
                    "type": "object", "required": ["if", "page"], "additionalProperties": False,
                    "properties": {"if": _CONDITION, "page": {"type": "string"}}}},
                "questions": {"type": "array", "maxItems": MAX_QUESTIONS, "items": _QUESTION},
            }}},
    },
}
_validator = jsonschema.Draft202012Validator(SCHEMA)


class Problem(str):
    """A problem in English (it is a str) that keeps its message and parameters, so a page
    can show it in the reader's language (surveys.service.in_words) while this module stays
    pure. Parameters may be Problems themselves (where: "question q1 choice a")."""

    def __new__(cls, message, params):
        problem = super().__new__(cls, message % params if params else message)
        problem.message, problem.params = message, params
        return problem


def N_(message, **params):
    """A problem to show (the name marks the message for translation)."""
    return Problem(message, params)


def _question_where(key, part=""):
    """"question q1", "question q1 help", "question q1 choice a"."""
    kind, _space, item = part.strip().partition(" ")
    if not kind:
        return N_("question %(key)s", key=key)
    if item:
        return N_("question %(key)s %(part)s %(item)s", key=key, part=PART_WORDS[kind], item=item)
    return N_("question %(key)s %(part)s", key=key, part=PART_WORDS[kind])


class DefinitionError(ValueError):
    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def validate(doc):
    """Return a list of problems (empty when the document is valid)."""
    problems = [f"{'/'.join(str(p) for p in e.absolute_path) or 'document'}: {e.message}"
                for e in sorted(_validator.iter_errors(doc), key=lambda e: list(e.absolute_path))]
    if problems:
        return problems[:50]
    return _semantic_problems(doc)


def check(doc):
    problems = validate(doc)
    if problems:
        raise DefinitionError(problems)
    return doc


def questions(doc):
    """All questions in order, each with its page key."""
    return [(page["key"], q) for page in doc["pages"] for q in page["questions"]]


def question_map(doc):
    return {q["key"]: q for _page, q in questions(doc)}


def _semantic_problems(doc):
    problems, seen = [], {}
    page_keys = [p["key"] for p in doc["pages"]]
    if len(set(page_keys)) != len(page_keys):
        problems.append(N_("pages: page keys must be unique"))
    if doc["default_language"] not in doc["languages"]:
        problems.append(N_("default_language: must be one of languages"))
    hidden = set(doc.get("hidden_fields", []))
    for index, page in enumerate(doc["pages"]):
        earlier = set(seen)
        if page.get("display_if"):
            problems += check_condition(page["display_if"], earlier, hidden,
                                        N_("page %(key)s", key=page["key"]))
        for question in page["questions"]:
            where = _question_where(question["key"])
            if question["key"] in seen:
                problems.append(N_("%(where)s: key used twice", where=where))
            problems += _question_problems(question, where)
            if question.get("display_if"):
                problems += check_condition(question["display_if"], set(seen), hidden, where)
            seen[question["key"]] = question
        for rule in page.get("skip_to", []):
            problems += check_condition(rule["if"], set(seen), hidden,
                                        N_("page %(key)s skip", key=page["key"]))
            if rule["page"] != "end" and rule["page"] not in page_keys[index + 1:]:
                problems.append(N_("page %(key)s: skip target %(target)s must be a later page",
                                   key=page["key"], target=rule["page"]))
    problems += _pipe_problems(doc, hidden)
    problems += _language_problems(doc)
    return problems


LANGUAGE_NAMES = {"zh_CN": N_("Chinese"), "en": N_("English")}
PART_WORDS = {"help": N_("help"), "low_label": N_("low label"), "high_label": N_("high label"),
              "choice": N_("choice"), "row": N_("row"), "scale": N_("scale")}


SURVEY_TEXTS = {"intro": N_("survey intro"), "thank_you": N_("survey thank_you"),
                "closed_message": N_("survey closed_message")}


def _language_problems(doc):
    """Every declared language has every text: a respondent in English must not read the
    Chinese fallback (or an empty choice). Optional texts (help, labels) only when used."""
    problems = _missing(doc.get("title"), doc["languages"], N_("survey title"), True)
    for part, where in SURVEY_TEXTS.items():
        problems += _missing(doc.get(part), doc["languages"], where)
    for page in doc["pages"]:
        problems += _missing(page.get("title"), doc["languages"],
                             N_("page %(key)s title", key=page["key"]))
        for q in page["questions"]:
            for part, texts in piped_texts(q):
                required = part == "" or part.startswith((" choice", " row", " scale"))
                problems += _missing(texts, doc["languages"], _question_where(q["key"], part),
                                     required)
    return problems


def _missing(texts, languages, where, required=False):
    texts = texts or {}
    if not required and not any((texts.get(lang) or "").strip() for lang in languages):
        return []
    absent = [LANGUAGE_NAMES[lang] for lang in languages if not (texts.get(lang) or "").strip()]
    if not absent:
        return []
    if len(absent) == len(languages):
        return [N_("%(where)s: the text is empty", where=where)]
    return [N_("%(where)s: the %(language)s text is missing", where=where, language=name)
            for name in absent]


def _question_problems(q, where):
    problems, kind = [], q["type"]
    if kind in CHOICE_TYPES:
        keys = [c["key"] for c in q.get("choices", [])]
        if len(keys) < 2:
            problems.append(N_("%(where)s: needs at least two choices", where=where))
        if len(set(keys)) != len(keys):
            problems.append(N_("%(where)s: choice keys must be unique", where=where))
    if kind == "multiple_choice":
        low, high = q.get("min"), q.get("max")
        if (low is not None and not isinstance(low, int)) or (high is not None and not isinstance(high, int)):
            problems.append(N_("%(where)s: min and max are whole numbers", where=where))
        elif low is not None and high is not None and low > high:
            problems.append(N_("%(where)s: min is above max", where=where))
    if kind == "matrix" and (not q.get("rows") or not isinstance(q.get("scale"), list)):
        problems.append(N_("%(where)s: a matrix needs rows and a scale list", where=where))
    if kind == "number":
        for bound in ("min", "max"):
            if q.get(bound) is not None and not isinstance(q[bound], (int, float)):
                problems.append(N_("%(where)s: %(bound)s must be a number", where=where,
                                   bound=bound))
    if kind == "text" and q.get("min_length", 0) > q.get("max_length", 2000):
        problems.append(N_("%(where)s: min_length is above max_length", where=where))
    if q.get("metric") == "nps" and kind != "nps":
        problems.append(N_("%(where)s: the NPS metric needs an NPS question", where=where))
    if q.get("metric") in ("csat", "ces") and kind not in ("rating", "ces", "nps"):
        problems.append(N_("%(where)s: a %(metric)s metric needs a scale question", where=where,
                           metric=q["metric"]))
    return problems


def check_condition(condition, earlier, hidden, where, depth=0):
    if depth > 8:
        return [N_("%(where)s: conditions are nested too deeply", where=where)]
    if not isinstance(condition, dict):
        return [N_("%(where)s: a condition must be an object", where=where)]
    for group in ("all", "any"):
        if group in condition:
            items = condition[group]
            if not isinstance(items, list) or not items or len(items) > 30:
                return [N_("%(where)s: '%(group)s' needs a list of 1 to 30 conditions",
                           where=where, group=group)]
            return [p for item in items
                    for p in check_condition(item, earlier, hidden, where, depth + 1)]
    for ref in ("question", "hidden"):
        if ref in condition and not isinstance(condition[ref], str):
            return [N_("%(where)s: '%(ref)s' in a condition must be a key", where=where, ref=ref)]
    if condition.get("op") not in OPERATORS:
        return [N_("%(where)s: unknown operator %(op)s", where=where,
                   op=repr(condition.get("op"))[:40])]
    if not _plain_value(condition.get("value")):
        return [N_("%(where)s: a condition's value must be text, a number or a list of them",
                   where=where)]
    if "question" in condition:
        if condition["question"] not in earlier:
            return [N_("%(where)s: condition refers to %(key)s, which is not an earlier question",
                       where=where, key=repr(condition["question"]))]
        return []
    if "hidden" in condition:
        return [] if condition["hidden"] in hidden else [
            N_("%(where)s: condition refers to unknown hidden field %(key)s", where=where,
               key=repr(condition["hidden"]))]
    return [N_("%(where)s: a condition needs 'question', 'hidden', 'all' or 'any'", where=where)]


def _plain_value(value):
    scalar = (str, int, float, bool, type(None))
    return isinstance(value, scalar) or (
        isinstance(value, list) and len(value) <= 200
        and all(isinstance(v, scalar) for v in value))


def _pipe_problems(doc, hidden):
    """Piping shows an answer given on an earlier page: an answer on the same page is still
    empty when the page is shown (the respondent would read "you gave  points")."""
    problems, earlier_pages = [], set()
    for page in doc["pages"]:
        this_page = {q["key"] for q in page["questions"]}
        for q in page["questions"]:
            for part, texts in piped_texts(q):
                for is_hidden, key in sorted({m for t in texts.values() for m in PIPE.findall(t)}):
                    problems += _pipe_problem(q, part, is_hidden, key, hidden, earlier_pages,
                                              this_page)
        earlier_pages |= this_page
    return problems


def _pipe_problem(q, part, is_hidden, key, hidden, earlier_pages, this_page):
    where = N_("%(where)s: piping %(pipe)s", where=_question_where(q["key"], part),
               pipe="{{" + is_hidden + key + "}}")
    if is_hidden:
        return [] if key in hidden else [
            N_("%(where)s refers to nothing earlier (no such hidden field)", where=where)]
    if key in earlier_pages:
        return []
    if key in this_page:
        return [N_("%(where)s shows the answer to %(key)s, which is on the same page and still "
                   "empty when the page is shown: move %(question)s to a later page",
                   where=where, key=key, question=q["key"])]
    return [N_("%(where)s refers to nothing earlier", where=where)]


def piped_texts(q):
    """(part, {language: text}) for every text of a question that piping fills when shown:
    the question, its help, end labels, choices, matrix rows and scale points."""
    yield "", q["text"]
    for prop in ("help", "low_label", "high_label"):
        if q.get(prop):
            yield f" {prop}", q[prop]
    for prop, name in (("choices", "choice"), ("rows", "row")):
        for item in q.get(prop, []):
            yield f" {name} {item['key']}", item["text"]
    if isinstance(q.get("scale"), list):
        for item in q["scale"]:
            yield f" scale {item['value']}", item["text"]


# --- reading a document while answering ------------------------------------------

def text_for(texts, language, default_language="zh_CN"):
    if not texts:
        return ""
    return texts.get(language) or texts.get(default_language) or next(iter(texts.values()), "")


def evaluate(condition, answers, hidden):
    """Is the condition true for these answers and hidden fields?"""
    if not condition:
        return True
    if "all" in condition:
        return all(evaluate(c, answers, hidden) for c in condition["all"])
    if "any" in condition:
        return any(evaluate(c, answers, hidden) for c in condition["any"])
    actual = answers.get(condition["question"]) if "question" in condition \
        else hidden.get(condition["hidden"])
    return _compare(condition["op"], actual, condition.get("value"))


def _compare(op, actual, expected):
    present = actual not in (None, "", [], {})
    if op == "answered":
        return present
    if op == "not_answered":
        return not present
    if not present:
        return op in ("ne", "not_in")
    try:
        if op == "eq":
            return actual == expected or str(actual) == str(expected)
        if op == "ne":
            return not (actual == expected or str(actual) == str(expected))
        if op in ("lt", "lte", "gt", "gte"):
            a, b = float(actual), float(expected)
            return {"lt": a < b, "lte": a <= b, "gt": a > b, "gte": a >= b}[op]
        if op in ("in", "not_in"):
            found = (set(map(str, actual)) & set(map(str, expected))) if isinstance(actual, list) \
                else str(actual) in set(map(str, expected or []))
            return bool(found) == (op == "in")
        if op == "contains":
            return str(expected) in (actual if isinstance(actual, list) else str(actual))
    except (TypeError, ValueError):
        return False
    return False


def reached_pages(doc, answers, hidden):
    """Keys of the pages a respondent with these answers sees, in order (display + skip logic)."""
    reached, pages, index = [], doc["pages"], 0
    while index < len(pages):
        page = pages[index]
        index += 1
        if not evaluate(page.get("display_if"), answers, hidden):
            continue
        reached.append(page["key"])
        for rule in page.get("skip_to", []):
            if evaluate(rule["if"], answers, hidden):
                if rule["page"] == "end":
                    return reached
                index = next(i for i, p in enumerate(pages) if p["key"] == rule["page"])
                break
    return reached


def visible_questions(doc, answers, hidden, page_key=None):
    """Questions the respondent sees given their answers (on one page, or on every reached page)."""
    pages = [page_key] if page_key else reached_pages(doc, answers, hidden)
    by_key = {p["key"]: p for p in doc["pages"]}
    return [q for key in pages for q in by_key[key]["questions"]
            if evaluate(q.get("display_if"), answers, hidden)]


def pipe(text, answers, hidden, doc, language, _depth=0):
    """Replace {{q1}} / {{hidden.x}} with the answer's display text (the caller escapes it).
    A chosen option whose label pipes an even earlier answer shows that answer too."""
    questions_by_key = question_map(doc)

    def label(texts):
        found = text_for(texts, language, doc["default_language"])
        return pipe(found, answers, hidden, doc, language, _depth + 1) if _depth < 3 else found

    def replace(match):
        if match.group(1):
            return str(hidden.get(match.group(2), ""))
        return display_answer(questions_by_key.get(match.group(2)), answers.get(match.group(2)),
                              language, doc["default_language"], label)
    return PIPE.sub(replace, text)


def display_answer(question, value, language, default_language="zh_CN", label=None):
    if question is None or value in (None, "", []):
        return ""
    label = label or (lambda texts: text_for(texts, language, default_language))
    labels = {c["key"]: label(c["text"]) for c in question.get("choices", [])}
    if isinstance(value, list):
        return "、".join(labels.get(v, str(v)) for v in value)
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values())
    return labels.get(value, str(value))


def new_document(title_zh="未命名问卷", title_en="Untitled survey"):
    return copy.deepcopy({
        "schema": SCHEMA_VERSION, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
        "title": {"zh_CN": title_zh, "en": title_en},
        "thank_you": {"zh_CN": "感谢您的反馈！", "en": "Thank you for your feedback!"},
        "hidden_fields": ["unit", "channel"],
        "pages": [{"key": "p1", "questions": []}],
    })
