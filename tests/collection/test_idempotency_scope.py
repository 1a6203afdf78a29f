"""Idempotency keys belong to the link they were sent with (issue 10, item 9)."""
import json

from collection_helpers import count, link_for, publish_survey


def post(client, body):
    return client.post("/api/v1/responses", data=json.dumps(body), content_type="application/json")


def test_the_same_key_on_another_survey_is_another_response(app, client, survey, public_token):
    other_token = link_for(app, publish_survey(app)["id"])
    first = post(client, {"token": public_token, "answers": {"nps": 10}, "idempotency_key": "k1"})
    second = post(client, {"token": other_token, "answers": {"nps": 8}, "idempotency_key": "k1"})
    assert first.status_code == 201 and second.status_code == 201, second.get_json()
    assert first.get_json()["response_id"] != second.get_json()["response_id"]
    assert count(app) == 2


def test_the_same_key_on_another_link_of_the_survey_is_kept_apart(app, client, survey,
                                                                   public_token):
    store_token = link_for(app, survey["id"], "EAST-01")
    post(client, {"token": public_token, "answers": {"nps": 10}, "idempotency_key": "k2"})
    again = post(client, {"token": store_token, "answers": {"nps": 9}, "idempotency_key": "k2"})
    assert again.status_code == 201 and count(app) == 2


def test_a_key_is_checked_only_after_the_token(app, client, survey, public_token):
    post(client, {"token": public_token, "answers": {"nps": 10}, "idempotency_key": "k3"})
    guessed = post(client, {"token": "not-a-real-token", "answers": {"nps": 10},
                            "idempotency_key": "k3"})
    assert guessed.status_code == 404 and "response_id" not in guessed.get_json()


def test_a_retry_on_the_same_link_still_returns_the_first_response(app, client, public_token):
    body = {"token": public_token, "answers": {"nps": 10}, "idempotency_key": "k4"}
    first, retry = post(client, body), post(client, body)
    assert retry.status_code == 200 and retry.get_json()["duplicate"] is True
    assert retry.get_json()["response_id"] == first.get_json()["response_id"]
