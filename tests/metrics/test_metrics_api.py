"""GET /api/v1/metrics: the stable shape, scoping by the cast, bad input as 4xx envelopes."""
import pytest

from appliance.core.db import get_db
from metrics_helpers import add, deliver, restaurant_survey

DAY = "2026-03-10"


@pytest.fixture
def scores(app):
    with app.app_context():
        database = get_db()
        survey = restaurant_survey(database)
        for code, nps in (("EAST-01", 10), ("EAST-01", 9), ("EAST-02", 3), ("SOUTH-01", 0)):
            add(database, survey, code, f"{DAY}T04:00:00.000000Z", nps=nps, csat=4)
        deliver(database)
        return survey


def get(client, **args):
    return client.get("/api/v1/metrics", query_string={"from": DAY, "to": DAY, **args})


def test_the_metrics_api_answers_the_documented_shape(as_user, scores):
    body = get(as_user("alice"), node="GROUP").get_json()
    assert body["ok"] is True, body and body["node"] == "GROUP"
    assert (body["from"], body["to"], body["responses"]) == (DAY, DAY, 4)
    assert set(body["nps"]) >= {"score", "promoters", "passives", "detractors", "n", "ci95"}
    assert body["nps"]["score"] == 0.0 and len(body["nps"]["ci95"]) == 2
    assert body["csat"]["mean"] == 4.0 and body["csat"]["top2"] == 1.0
    assert set(body["ces"]) >= {"mean", "n"} and body["indicators"] == []


def test_bob_sees_his_store_and_never_charlies(as_user, scores):
    bob = as_user("bob")
    assert get(bob, node="EAST-01").get_json()["nps"]["score"] == 100.0
    for node in ("SOUTH-01", "EAST", "GROUP", "NOPE"):
        response = get(bob, node=node)
        assert response.status_code == 404 and response.get_json()["ok"] is False


def test_a_regional_analyst_sees_the_region_only(as_user, scores):
    dave = as_user("dave")
    assert get(dave, node="EAST").get_json()["responses"] == 3
    assert get(dave, node="SOUTH").status_code == 404


@pytest.mark.parametrize("args, field", [
    ({"from": "2026-03-10", "to": "2026-03-01"}, "to"),
    ({"from": "2010-01-01", "to": "2026-03-01"}, "to"),
    ({"from": "2026-02-30", "to": "2026-03-01"}, "from"),
    ({"from": "yesterday", "to": "2026-03-01"}, "from"),
    ({"survey": "999"}, "survey"),
    ({"survey": "abc"}, "survey"),
    ({"touchpoint": "nowhere"}, "touchpoint"),
])
def test_bad_filters_answer_400_with_the_field(as_user, scores, args, field):
    response = get(as_user("alice"), node="GROUP", **args)
    body = response.get_json()
    assert response.status_code == 400 and body["ok"] is False
    assert field in [e["field"] for e in body["errors"]]


def test_errors_come_in_the_users_language(app, as_user, scores):
    with app.app_context():
        database = get_db()
        database.execute("UPDATE users SET language = 'zh_CN' WHERE username = 'alice'")
    body = get(as_user("alice"), node="GROUP", to="2026-03-01").get_json()
    assert "结束日期" in body["errors"][0]["message"]


def test_without_a_session_the_api_answers_401(client, scores):
    response = get(client, node="GROUP")
    assert response.status_code == 401 and response.get_json()["ok"] is False


def test_filters_by_survey_and_channel(as_user, scores):
    alice = as_user("alice")
    assert get(alice, node="GROUP", survey=str(scores["id"]))\
        .get_json()["responses"] == 4
    assert get(alice, node="GROUP", channel="wechat").get_json()["responses"] == 0
