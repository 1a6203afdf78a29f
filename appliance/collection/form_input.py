"""Turn a posted respondent form (works without JavaScript) into answer values.

Field names: "<q>" for one value (repeated for multiple choice), "<q>.other" for
the other-text, "<q>.<row>" for a matrix row, "<q>.<choice>" for a ranking
select, "<q>.name|phone|email" for contact fields and "<q>.consent" for their consent box. Names starting with "_" are
the form's own (page, resume token); HONEYPOT must stay empty.
Anything else is passed through so validation reports it as unknown.
"""
import re

HONEYPOT = "contact-website"
INTEGER = re.compile(r"^-?\d{1,12}$")
NUMBER = re.compile(r"^-?\d{1,15}(\.\d{1,10})?$")


def parse(questions, form):
    by_key = {q["key"]: q for q in questions}
    answers = {}
    for name in form:
        if name.startswith("_") or name == HONEYPOT:
            continue
        base, _dot, suffix = name.partition(".")
        question = by_key.get(base)
        if question is None:
            answers[name] = form.get(name)
        elif suffix == "other" and question.get("other"):
            answers[name] = form.get(name, "")
        elif suffix == "consent" and question["type"] == "contact":
            answers[name] = form.get(name, "")   # the consent box: "yes" when ticked
    for question in questions:
        value = _value(question, form)
        if value not in (None, "", [], {}):
            answers[question["key"]] = value
    return answers


def _value(question, form):
    key, kind = question["key"], question["type"]
    if kind == "multiple_choice":
        return form.getlist(key)
    if kind in ("nps", "rating", "ces"):
        return _integer(form.get(key, ""))
    if kind == "number":
        raw = form.get(key, "").strip()
        return _number(raw)
    if kind == "matrix":
        return {r["key"]: _integer(form.get(f"{key}.{r['key']}", ""))
                for r in question.get("rows", []) if form.get(f"{key}.{r['key']}")}
    if kind == "ranking":
        return _ranking(question, form)
    if kind == "contact":
        return {f: form.get(f"{key}.{f}", "") for f in question.get("fields", [])
                if form.get(f"{key}.{f}", "").strip()}
    return form.get(key, "")


def _integer(raw):
    return int(raw) if INTEGER.match(raw.strip()) else raw


def _number(raw):
    if not raw or not NUMBER.match(raw):
        return raw
    return int(raw) if INTEGER.match(raw) else float(raw)


def _ranking(question, form):
    ranks = {c["key"]: form.get(f"{question['key']}.{c['key']}", "").strip()
             for c in question.get("choices", [])}
    if not any(ranks.values()):
        return None
    if not all(INTEGER.match(r) for r in ranks.values()) or len(set(ranks.values())) != len(ranks):
        return ["?"]   # incomplete or tied ranks: validation says "rank every option"
    return sorted(ranks, key=lambda k: int(ranks[k]))
