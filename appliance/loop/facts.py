"""What a response says, gathered for the alert rules: its scores and choices (through the
collection and surveys services) and its analysed texts (through the text service)."""
import json

from ..collection import responses_query
from ..surveys import definition
from ..surveys import service as surveys
from ..text import store as text_store

SCALE_TYPES = ("rating",)   # "any rating or matrix row"; NPS and CES have their own conditions


def for_responses(db, response_ids, versions=None):
    """{response id: facts} for complete, not erased responses (others are left out)."""
    versions = {} if versions is None else versions
    found = {}
    for response_id, response in responses_query.responses_by_ids(db, response_ids).items():
        if response["status"] != "complete" or response["erased_at"]:
            continue
        found[response_id] = of_response(db, response, versions)
    return found


def _document(db, version_id, versions):
    if version_id not in versions:
        version = surveys.get_version(db, version_id)
        versions[version_id] = version["document"] if version else {"pages": []}
    return versions[version_id]


def of_response(db, response, versions):
    doc = _document(db, response["version_id"], versions)
    answers = json.loads(response["answers"] or "{}")
    scales, choices = [], {}
    for _page, question in definition.questions(doc):
        value = answers.get(question["key"])
        if value is None:
            continue
        touchpoint = question.get("touchpoint") or ""
        if question["type"] in SCALE_TYPES and isinstance(value, (int, float)):
            scales.append((question["key"], value, touchpoint))
        elif question["type"] == "matrix" and isinstance(value, dict):
            scales += [(f"{question['key']}.{row}", v, touchpoint) for row, v in value.items()
                       if isinstance(v, (int, float))]
        elif question["type"] in definition.CHOICE_TYPES:
            choices[question["key"]] = value if isinstance(value, list) else [value]
    items = text_store.items_for_response(db, response["id"])
    return {"response": response, "nps": response["nps"], "csat": response["csat"],
            "ces": response["ces"], "scales": scales,
            "choices": choices, "items": items,
            "sensitive": [s for item in items for s in item["sensitive"]],
            "negative": any(item["sentiment"] == "negative" for item in items),
            "tags": {t["tag"] for item in items for t in item["tags"]}}
