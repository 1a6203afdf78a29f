"""The JSON intake: one complete response per call, strict validation, the error envelope."""
import json

import pytest
from collection_helpers import FULL, PAGE2, count, link_for, publish_survey

from appliance.core import db


def post(client, body, **kwargs):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body, ensure_ascii=False)
    return client.post("/api/v1/responses", data=data, content_type="application/json", **kwargs)


def assert_envelope(response, status):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert body["ok"] is False and body["error"] and isinstance(body["errors"], list)
    return body


def test_it_accepts_a_complete_response_and_queues_the_event(app, client, survey, public_token):
    response = post(client, {"token": public_token, "answers": FULL,
                             "hidden": {"order_id": "A-1", "channel": "pos", "bogus": "x"}})
    assert response.status_code == 201, response.get_json()
    response_id = response.get_json()["response_id"]
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT * FROM responses WHERE id = ?", (response_id,))
        assert row["status"] == "complete" and row["nps"] == 7 and row["csat"] == 4
        assert row["ces"] == 6 and row["channel"] == "pos" and row["source"] == "api"
        assert json.loads(row["hidden"]) == {"order_id": "A-1", "channel": "pos"}
        assert "contact" not in json.loads(row["answers"]) and "13800138000" not in row["contact_enc"]
        assert row["contact_enc"].startswith("enc1:")


@pytest.mark.parametrize("answers, field", [
    ({"nps": "7"}, "nps"), ({"nps": 11}, "nps"), ({"nps": -1}, "nps"), ({"nps": 7.5}, "nps"),
    ({"nps": True}, "nps"), ({"nps": [7]}, "nps"), ({}, "nps"),
    ({"nps": 3}, "why"),                                   # required where logic shows it
    ({"nps": 9, "why": "shown only to detractors"}, "why"),  # answer to a hidden question
    ({"nps": 9, "surprise": 1}, "surprise"),              # unknown key
    ({"nps": 9, "multi": ["a"]}, "multi"),                 # page p2 is skipped for promoters
    ({"nps": 7, **PAGE2, "multi": ["a", "b", "c"]}, "multi"),
    ({"nps": 7, **PAGE2, "multi": []}, "multi"),
    ({"nps": 7, **PAGE2, "choice": "zz"}, "choice"),
    ({"nps": 7, **PAGE2, "choice": "a", "choice.other": "text"}, "choice.other"),
    ({"nps": 7, **PAGE2, "choice.other": ""}, "choice"),
    ({"nps": 7, **PAGE2, "rank": ["m", "m", "n"]}, "rank"),
    ({"nps": 7, **PAGE2, "grid": {"r1": 9}}, "grid"),
    ({"nps": 7, **PAGE2, "grid": {"r9": 1}}, "grid"),
    ({"nps": 7, **PAGE2, "effort": 8}, "effort"),
    ({"nps": 9, "visits": 101}, "visits"), ({"nps": 9, "visits": 2.5}, "visits"),
    ({"nps": 9, "visits": "NaN"}, "visits"),
    ({"nps": 9, "day": "2026-02-30"}, "day"), ({"nps": 9, "day": "1999-01-01"}, "day"),
    ({"nps": 9, "comment": "x" * 501}, "comment"), ({"nps": 9, "comment": "bell\x07"}, "comment"),
    ({"nps": 9, "contact": {"phone": "call me"}}, "contact"),
    ({"nps": 9, "contact": {"email": "nope"}}, "contact"),
    ({"nps": 9, "contact": {"address": "x"}}, "contact"),
    ({"nps": 9, "stars": 0}, "stars"),
    ({"nps": 9, "comment": [[[[[]]]]]}, "comment"),
])
def test_it_rejects_answers_that_do_not_fit(app, client, public_token, answers, field):
    before = count(app)
    body = assert_envelope(post(client, {"token": public_token, "answers": answers}), 400)
    assert field in [e["field"] for e in body["errors"]]
    assert count(app) == before


@pytest.mark.parametrize("raw", [
    b"not json", b"[1,2]", b'{"token": 5, "answers": {}}', b'{"token": "x"}',
    b'{"token": "x", "answers": {}, "hidden": {"unit": 1}}',
    b'{"token": "\xff\xfe", "answers": {}}',
    ("[" * 200 + "]" * 200).encode(),
    b'{"token": "x", "answers": ' + b'{"a": ' * 200 + b"1" + b"}" * 200 + b"}",
])
def test_it_answers_malformed_bodies_with_the_envelope(app, client, public_token, raw):
    before = count(app)
    response = post(client, raw.replace(b'"x"', json.dumps(public_token).encode()))
    assert response.status_code in (400, 404)
    assert response.get_json()["ok"] is False
    assert count(app) == before


def test_a_ten_megabyte_payload_is_refused_with_413(app, client, public_token):
    body = json.dumps({"token": public_token, "answers": {"comment": "x" * 10_000_000}})
    assert_envelope(post(client, body), 413)
    assert count(app) == 0


def test_unknown_token_and_unknown_version(app, client, survey, public_token):
    assert_envelope(post(client, {"token": "nosuchtoken123", "answers": {"nps": 9}}), 404)
    assert_envelope(post(client, {"token": public_token, "answers": {"nps": 9},
                                  "version_id": 999999}), 404)
    other = publish_survey(app)
    assert_envelope(post(client, {"token": public_token, "answers": {"nps": 9},
                                  "version_id": other["version_id"]}), 409)
    ok = post(client, {"token": public_token, "answers": {"nps": 9},
                       "version_id": survey["version_id"]})
    assert ok.status_code == 201


def test_emoji_and_script_are_stored_as_text(app, client, public_token):
    text = "<script>alert(1)</script> 🍜 =cmd|' /C calc'!A0"
    response = post(client, {"token": public_token, "answers": {"nps": 9, "comment": text},
                             "hidden": {"order_id": "<script>x</script>"}})
    assert response.status_code == 201
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT answers FROM responses")
        assert json.loads(row["answers"])["comment"] == text


def test_an_idempotency_key_returns_the_first_response(app, client, public_token):
    body = {"token": public_token, "answers": {"nps": 10}, "idempotency_key": "pos-42"}
    first = post(client, body)
    second = post(client, body)
    assert first.status_code == 201 and second.status_code == 200
    assert first.get_json()["response_id"] == second.get_json()["response_id"]
    assert count(app) == 1


def test_event_is_published_in_the_same_transaction(app, client, public_token):
    response_id = post(client, {"token": public_token, "answers": {"nps": 10}}).get_json()["response_id"]
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT * FROM events WHERE name = 'response.accepted'")
        assert json.loads(row["payload"]) == {"response_id": response_id}


def test_unit_hidden_field_assigns_the_store_on_a_public_link(app, client, public_token):
    post(client, {"token": public_token, "answers": {"nps": 10}, "hidden": {"unit": "SOUTH-01"}})
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT u.code FROM responses r JOIN units u "
                                        "ON u.id = r.unit_id")
        assert row["code"] == "SOUTH-01"


def test_a_unit_link_wins_over_the_query(app, client, survey):
    token = link_for(app, survey["id"], "EAST-01")
    post(client, {"token": token, "answers": {"nps": 10}, "hidden": {"unit": "SOUTH-01"}})
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT u.code, r.hidden FROM responses r "
                                        "JOIN units u ON u.id = r.unit_id")
        assert row["code"] == "EAST-01" and json.loads(row["hidden"])["unit"] == "EAST-01"


def test_a_body_that_does_not_fit_names_every_field_in_the_organisations_language(
        client, public_token):
    body = {"token": public_token, "answers": [], "hidden": {"channel": 5},
            "idempotency_key": "k" * 101, "version_id": True}
    response = client.post("/api/v1/responses", json=body,
                           headers={"Accept-Language": "en"})   # a token has no language of its own
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json["errors"]}
    assert set(errors) == {"answers", "hidden", "idempotency_key", "version_id"}, errors
    assert errors["hidden"] == "每个值都必须是文字。"
    assert response.json["error"] == "请求中有字段需要更正。"
    assert errors["version_id"] == "请输入整数。"
