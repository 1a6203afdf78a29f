"""Where verbatims come from: survey responses (open-text answers) and imported external texts.

Responses named by jobs are read through collection's responses_query.responses_by_ids
(the job runs for the system, not for a user). Bulk
ranges read the responses table read-only, because collection has no service for
"complete responses with id in a range"; nothing here writes to it.
"""
import json

from ..collection import responses_query
from ..core.db import query_all
from ..surveys import definition
from ..surveys import service as surveys



def text_keys(db, version_id, cache=None):
    """Keys of the open-text questions of a survey version (cache: a dict kept by the caller)."""
    cache = {} if cache is None else cache
    if version_id not in cache:
        version = surveys.get_version(db, version_id)
        cache[version_id] = [q["key"] for _page, q in definition.questions(version["document"])
                             if q["type"] == "text"] if version else []
    return cache[version_id]


def response_texts(db, response, cache=None):
    """[source dict] for each non-empty open-text answer of a complete response."""
    if response is None or response["status"] != "complete":
        return []
    answers = json.loads(response["answers"] or "{}")
    sources = []
    for key in text_keys(db, response["version_id"], cache):
        value = answers.get(key)
        if isinstance(value, str) and value.strip():
            sources.append({"kind": "response", "response_id": response["id"], "question_key": key,
                            "external_id": None, "survey_id": response["survey_id"],
                            "unit_id": response["unit_id"],
                            "occurred_at": response["submitted_at"],
                            "channel": response["channel"] or "", "source": "survey",
                            "text": value})
    return sources


def responses(db, response_ids):
    """{id: response} read through collection's service, in one query."""
    return responses_query.responses_by_ids(db, response_ids)


def responses_in_range(db, from_id, to_id, since=None, limit=1000):
    """Complete responses with from_id <= id <= to_id (at most limit, by id), via collection."""
    return responses_query.complete_in_range(db, from_id, to_id, since, limit)


def external_in_range(db, after_id, since=None, import_id=None, limit=1000):
    sql = ("SELECT id, unit_id, occurred_at, source, channel, text FROM external_texts "
           "WHERE id > ?")
    params = [after_id]
    if since:
        sql += " AND occurred_at >= ?"
        params.append(since)
    if import_id:
        sql += " AND import_id = ?"
        params.append(import_id)
    return query_all(db, sql + " ORDER BY id LIMIT ?", params + [limit])


def external_source(row):
    return {"kind": "external", "response_id": None, "question_key": None, "external_id": row["id"],
            "survey_id": None, "unit_id": row["unit_id"], "occurred_at": row["occurred_at"],
            "channel": row["channel"], "source": row["source"], "text": row["text"]}
