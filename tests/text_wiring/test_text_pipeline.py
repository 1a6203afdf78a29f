"""Survey verbatims reach text_items through the queue; retries, erasure, bulk and reanalysis."""
import json

from helpers import integration_token, unit_id
from text_wiring_helpers import count, items

from appliance.collection import erasure, links, responses_query
from appliance.core import db, events, queue
from appliance.org import units as units_service
from appliance.org.scope import Scope
from appliance.surveys import service as surveys
from appliance.text import pipeline

DOC = {
    "schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
    "title": {"zh_CN": "就餐体验", "en": "Dining"}, "hidden_fields": ["unit"],
    "pages": [{"key": "p1", "title": {"zh_CN": "总体", "en": "Overall"}, "questions": [
        {"key": "nps", "type": "nps", "text": {"zh_CN": "推荐?", "en": "Recommend?"},
         "required": True, "metric": "nps"},
        {"key": "why", "type": "text", "text": {"zh_CN": "原因", "en": "Why?"}},
        {"key": "more", "type": "text", "text": {"zh_CN": "建议", "en": "Ideas?"}}]}],
}
COMPLAINT = "服务员态度很差，上菜太慢了，我要投诉到消协"


def publish(app):
    with app.app_context():
        database = db.get_db()
        group = units_service.get_unit_by_code(database, "GROUP")
        survey = surveys.create(database, group, "就餐体验", document=json.loads(json.dumps(DOC)))
        surveys.publish(database, survey)
        store = units_service.get_unit_by_code(database, "EAST-01")
        return survey["id"], links.shared_link(database, survey["id"], store["id"])["token"]


def submit(client, token, answers):
    response = client.post("/api/v1/responses", json={"token": token, "answers": answers},
                           headers={"Authorization": "Bearer " + integration_token(client.application)})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["response_id"]


def run_queue(app):
    with app.app_context():
        return queue.run_until_idle(db.get_db())


def test_an_accepted_response_is_analysed_by_the_queue(app, client):
    survey_id, token = publish(app)
    response_id = submit(client, token, {"nps": 2, "why": COMPLAINT, "more": "Clean tables, friendly staff."})
    assert items(app) == []            # nothing before the job runs
    assert run_queue(app) >= 1
    found = {i["question_key"]: i for i in items(app)}
    assert set(found) == {"why", "more"}
    why = found["why"]
    assert why["kind"] == "response" and why["response_id"] == response_id
    assert why["survey_id"] == survey_id and why["unit_id"] == unit_id(app, "EAST-01")
    assert why["sentiment"] == "negative" and why["source"] == "survey"
    assert {"service_attitude", "speed"} <= {t["tag"] for t in why["tags"]}
    assert {"complaint_escalation", "regulator"} <= {s["category"] for s in why["sensitive"]}
    assert why["has_sensitive"] == 1 and why["model_version"] and why["keywords"]
    assert found["more"]["language"] == "en"


def test_a_retried_job_updates_instead_of_duplicating(app, client):
    _survey, token = publish(app)
    response_id = submit(client, token, {"nps": 3, "why": COMPLAINT})
    run_queue(app)
    first = items(app)
    terms = count(app, "text_terms")
    with app.app_context():
        for _ in range(3):   # a worker died after the work, the job is reclaimed and run again
            pipeline.on_response_accepted(db.get_db(), [{"response_id": response_id}] * 2)
        # response.accepted is not handed over again; each retried sync announces its
        # result once more (text.response_analysed: 3 events for the alerts, idempotent there)
        assert queue.run_until_idle(db.get_db()) == 3
    again = items(app)
    assert [i["id"] for i in again] == [i["id"] for i in first]
    assert count(app, "text_terms") == terms


def test_many_accepted_responses_are_analysed_together(app, client):
    _survey, token = publish(app)
    ids = [submit(client, token, {"nps": n, "why": f"第{n}次来，上菜太慢"}) for n in range(6)]
    run_queue(app)
    assert sorted(i["response_id"] for i in items(app)) == ids
    with app.app_context():
        assert queue.stats(db.get_db())["pending"] == 0


def test_a_response_without_text_makes_no_items(app, client):
    _survey, token = publish(app)
    submit(client, token, {"nps": 9})
    run_queue(app)
    assert items(app) == []


def test_an_anonymised_response_loses_its_analysed_text(app, client):
    _survey, token = publish(app)
    response_id = submit(client, token, {"nps": 2, "why": COMPLAINT})
    run_queue(app)
    assert len(items(app)) == 1
    with app.app_context():
        database = db.get_db()
        response = responses_query.get_response(database, Scope(["/"]), response_id)
        erasure.erase(database, response, "anonymise")
    run_queue(app)
    assert items(app) == [] and count(app, "text_terms") == 0


def test_a_batch_event_analyses_a_range_of_responses(app, client):
    _survey, token = publish(app)
    ids = [submit(client, token, {"nps": n, "why": f"第{n}次来，菜很好吃"}) for n in range(5)]
    with app.app_context():
        database = db.get_db()
        database.execute("DELETE FROM events")   # as if only the batch event existed
        events.publish(database, "response.batch_accepted", {"from_id": ids[1], "to_id": ids[3]})
        queue.run_until_idle(database)
    assert sorted(i["response_id"] for i in items(app)) == ids[1:4]


def test_reanalyse_rewrites_every_item_and_keeps_corrections(app, client, cem):
    _survey, token = publish(app)
    submit(client, token, {"nps": 2, "why": COMPLAINT})
    run_queue(app)
    item = items(app)[0]
    with app.app_context():
        database = db.get_db()
        database.execute("UPDATE text_items SET model_version = 'old', keywords = '[]'")
        database.execute("INSERT INTO text_labels (item_id, field, value, username, created_at) "
                         "VALUES (?, 'sentiment', 'neutral', 'dave', '2026-01-01')", (item["id"],))
    result = cem("reanalyse")
    assert result.exit_code == 0, result.output
    assert "reanalysed 1 texts" in result.output
    again = items(app)[0]
    assert again["id"] == item["id"] and again["model_version"] != "old" and again["keywords"]
    assert again["sentiment"] == "neutral" and again["sentiment_by"] == "analyst"


def test_reanalyse_since_a_date_and_rejects_a_bad_date(app, client, cem):
    _survey, token = publish(app)
    submit(client, token, {"nps": 2, "why": COMPLAINT})
    assert "reanalysed 0 texts" in cem("reanalyse", "--since", "2999-01-01").output
    result = cem("reanalyse", "--since", "yesterday")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
