"""The survey report: question by question, from the metrics summaries of each question
(answers, mean, bottom/top boxes), in the order of the published survey."""
from .. import charts
from ..pdf.formatting import number


def gather(db, unit, date_from, date_to, survey_id):
    from ..metrics import catalog, queries
    from ..surveys import service as surveys
    survey_id = survey_id or next(iter(queries.surveys_with_data(db, unit["id"])), None)
    if survey_id is None:
        return {"survey": None, "questions": {}, "cells": {}}
    cells = queries.question_cells(db, [unit["id"]], date_from, date_to, survey_id)[unit["id"]]
    return {"survey": surveys.get_survey(db, survey_id), "questions": catalog.questions(db, survey_id),
            "cells": {key: value for (_sid, key), value in cells.items()}}


def _text(question, language):
    text = question.get("text") or {}
    if isinstance(text, dict):
        return text.get(language) or text.get("zh_CN") or next(iter(text.values()), question["key"])
    return str(text)


def section(raw, language, _):
    """{title, rows, chart} for the survey report's question pages."""
    rows = []
    for key, question in raw["questions"].items():
        cell = raw["cells"].get(key)
        if not cell or not cell["n"]:
            continue
        n = cell["n"]
        rows.append({"key": key, "text": _text(question, language), "n": n,
                     "mean": number(cell["total"] / n, 2), "scale": question["scale"],
                     "shares": [cell["bottom"] / n, 1 - (cell["top"] + cell["bottom"]) / n,
                                cell["top"] / n]})
    bands = [_("Bottom box"), _("Middle"), _("Top box")]
    chart = charts.stacked([(r["text"], r["shares"]) for r in rows], bands) if rows else ""
    survey = raw["survey"] or {}
    return {"name": survey.get("name", ""), "rows": rows, "bands": bands,
            "chart": charts.data_uri(chart) if chart else ""}
