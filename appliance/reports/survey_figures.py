"""The survey report's figures, question by question, in the order of the published survey:
scale, NPS, choice and matrix questions from the metrics summaries of each question (the
dashboards' numbers), ranking averages from the latest answers (collection.feed), open-text
excerpts with their sentiment from the text service. Pure assembly is in survey_sections.py."""
import json

from ..org.scope import Scope

RANKING_SAMPLE = 5000
TEXT_POOL = 200


def gather(db, unit, date_from, date_to, survey_id, scope=None):
    from ..metrics import queries
    from ..surveys import service as surveys
    survey_id = survey_id or next(iter(queries.surveys_with_data(db, unit["id"])), None)
    version = surveys.published_version(db, survey_id) if survey_id else None
    if version is None:
        return {"survey": None, "questions": [], "cells": {}, "rankings": {}, "texts": {}}
    questions = [q for page in version["document"].get("pages", []) for q in page["questions"]]
    cells = queries.question_cells(db, [unit["id"]], date_from, date_to, survey_id)[unit["id"]]
    return {"survey": surveys.get_survey(db, survey_id), "questions": questions,
            "cells": {key: value for (_sid, key), value in cells.items()},
            "rankings": rankings(db, unit, date_from, date_to, survey_id, questions),
            "texts": texts(db, unit, date_from, date_to, survey_id,
                           scope or Scope([unit["path"]]), questions)}


def rankings(db, unit, date_from, date_to, survey_id, questions):
    """{question key: {"n", "positions": {choice: [rank, ...]}}} over the latest answers
    (the summaries keep no ranks)."""
    keys = [q["key"] for q in questions if q["type"] == "ranking"]
    if not keys:
        return {}
    from ..collection import feed
    from ..metrics import store, tree
    tz = store.zone(db)
    start, end = store.day_bounds(str(date_from), tz)[0], store.day_bounds(str(date_to), tz)[1]
    rows = feed.sample_answers(db, tree.subtree_ids(db, unit), survey_id, start, end,
                               RANKING_SAMPLE)
    found = {key: {"n": 0, "positions": {}} for key in keys}
    for row in rows:
        answers = json.loads(row["answers"])
        for key in keys:
            order = answers.get(key)
            if isinstance(order, list) and order:
                found[key]["n"] += 1
                for rank, choice in enumerate(order, start=1):
                    found[key]["positions"].setdefault(str(choice), []).append(rank)
    return found


def texts(db, unit, date_from, date_to, survey_id, scope, questions):
    """{question key: [{text, sentiment, unit, day}]} of the open-text questions, newest
    first, from the text domain's analysed verbatims inside the recipient's scope."""
    keys = {q["key"] for q in questions if q["type"] == "text"}
    if not keys:
        return {}
    from ..text import queries as insights
    filters = {"unit_path": unit["path"], "date_from": str(date_from), "date_to": str(date_to),
               "survey_id": survey_id}
    items, _more = insights.verbatims(db, scope, filters, size=TEXT_POOL)
    found = {key: [] for key in keys}
    for item in items:
        if item.get("question_key") in found:
            found[item["question_key"]].append(
                {"text": item["text"], "sentiment": item["sentiment"],
                 "unit": item["unit_name"], "day": item["occurred_at"][:10]})
    return found
