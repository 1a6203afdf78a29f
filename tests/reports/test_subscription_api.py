"""The JSON subscription API under /api/v1/reports/subscriptions: create, list, delete with
an integration token, bad input answered in the envelope with nothing saved, and scope."""
import pytest

from appliance.core import db
from helpers import token_client

URL = "/api/v1/reports/subscriptions"


def body(**changes):
    return {"name": "周报", "report_type": "executive", "node": "EAST",
            "schedule": "weekly mon 08:00", "period": "last_week", "language": "zh_CN",
            "users": ["dave"], "emails": ["board@example.com"], **changes}


def counts(app):
    with app.app_context():
        return tuple(db.get_db().execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                     for table in ("report_subscriptions", "report_recipients"))


@pytest.fixture
def group(app):
    return token_client(app, "GROUP", ["manage_reports"])


def test_a_token_creates_lists_and_deletes_a_subscription(app, group):
    created = group.post(URL, json=body())
    assert created.status_code == 201
    sub = created.get_json()["subscription"]
    assert (sub["node"], sub["type"], sub["schedule"], sub["active"]) == \
        ("EAST", "executive", "weekly mon 08:00", True)
    assert sub["next_run_at"].endswith("Z") or "T" in sub["next_run_at"]
    assert [s["id"] for s in group.get(URL).get_json()["subscriptions"]] == [sub["id"]]
    assert counts(app) == (1, 2)
    deleted = group.delete(f"{URL}/{sub['id']}")
    assert deleted.status_code == 200 and deleted.get_json() == {"ok": True, "deleted": sub["id"]}
    assert group.get(URL).get_json()["subscriptions"] == []
    assert counts(app) == (0, 0)
    assert group.delete(f"{URL}/{sub['id']}").status_code == 404
    with app.app_context():
        actions = [r[0] for r in db.get_db().execute(
            "SELECT action FROM audit_log WHERE action LIKE 'report.%' ORDER BY id")]
    assert actions == ["report.subscribe", "report.unsubscribe"]


@pytest.mark.parametrize("changes, field", [
    ({"schedule": "every tuesday-ish"}, "schedule"), ({"emails": ["not-an-address"]}, "emails"),
    ({"users": [], "emails": []}, "recipients"), ({"node": "NOPE"}, "node"),
    ({"period": "forever"}, "period"), ({"users": ["ghost"]}, "users")])
def test_bad_subscriptions_get_the_envelope_and_nothing_is_saved(app, group, changes, field):
    response = group.post(URL, json=body(**changes))
    assert response.status_code == 400
    envelope = response.get_json()
    assert envelope["ok"] is False and envelope["error"]
    assert field in [e["field"] for e in envelope["errors"]]
    assert all(e["message"] for e in envelope["errors"])
    assert counts(app) == (0, 0)


def test_a_body_that_is_not_a_json_object_gets_the_envelope(app, group):
    for data in (b"not json", b"[1, 2]"):
        response = group.post(URL, data=data, content_type="application/json")
        assert response.status_code == 400 and response.get_json()["ok"] is False
    assert counts(app) == (0, 0)


def test_a_store_cannot_subscribe_to_another_region(app):
    store = token_client(app, "EAST-01", ["manage_reports"])
    refused = store.post(URL, json=body(node="SOUTH", users=[]))
    assert refused.status_code == 400
    assert [e["field"] for e in refused.get_json()["errors"]] == ["node"]
    assert store.post(URL, json=body(node="EAST", users=[])).status_code == 400   # its region
    assert store.post(URL, json=body(node="EAST-01", users=[])).status_code == 201
    assert counts(app) == (1, 1)


def test_a_region_sees_and_deletes_only_its_own_subscriptions(app, group):
    south = group.post(URL, json=body(node="SOUTH")).get_json()["subscription"]
    east = group.post(URL, json=body(node="EAST")).get_json()["subscription"]
    region = token_client(app, "EAST", ["manage_reports"])
    assert [s["id"] for s in region.get(URL).get_json()["subscriptions"]] == [east["id"]]
    assert region.delete(f"{URL}/{south['id']}").status_code == 404
    assert counts(app) == (2, 4)


def test_the_api_needs_the_capability(app, as_user):
    reader = token_client(app, "GROUP", ["read_metrics"])
    assert reader.post(URL, json=body()).status_code == 403
    assert reader.get(URL).status_code == 403
    assert as_user("bob").get(URL).status_code == 403   # a store manager signed in
    assert app.test_client().get(URL).status_code == 401
    assert counts(app) == (0, 0)
