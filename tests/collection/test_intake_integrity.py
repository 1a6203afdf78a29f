"""Store scores are not worth gaming (issue 10, item 7): per-device limits, once per device
per N days on unit links, suspicious bursts held out of the scores until an analyst accepts."""
import re

import pytest
from collection_helpers import link_for, publish_survey, t

from appliance.collection import integrity
from appliance.core import db

ONE_PAGE = {"schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
            "title": t("门店体验", "Store visit"),
            "pages": [{"key": "p1", "questions": [
                {"key": "nps", "type": "nps", "text": t("推荐可能性", "Recommend?"),
                 "required": True, "metric": "nps"}]}]}


def answer_once(client, token, nps=10):
    """Open the store link and submit its one page, as a phone would."""
    page = client.get(f"/s/{token}")
    if page.status_code != 200:
        return page.status_code
    resume = re.search(r'name="_rt" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    sent = client.post(f"/s/{token}", data={"_page": "p1", "_rt": resume, "nps": str(nps)})
    assert sent.status_code == 302 and "/thanks" in sent.headers["Location"]
    return 201


def rows(app, where="1"):
    with app.app_context():
        return db.query_all(db.get_db(), f"SELECT * FROM responses WHERE {where} ORDER BY id")


def test_a_device_is_stopped_after_the_daily_limit_on_a_link(app, client):
    token = link_for(app, publish_survey(app, ONE_PAGE)["id"], "EAST-01")
    assert [answer_once(client, token) for _ in range(3)] == [201, 201, 201]
    again = client.get(f"/s/{token}")
    assert again.status_code == 409 and "这台设备上填写过" in again.get_data(as_text=True)
    assert len({r["device"] for r in rows(app)}) == 1 and rows(app)[0]["device"]
    assert answer_once(app.test_client(), token) == 201   # another phone still answers


def test_once_per_device_per_n_days_on_unit_links(app, client):
    survey = publish_survey(app, ONE_PAGE, device_days=30)
    store, public = link_for(app, survey["id"], "EAST-01"), link_for(app, survey["id"])
    assert answer_once(client, store) == 201
    assert client.get(f"/s/{store}").status_code == 409
    assert client.post(f"/s/{store}", data={"_page": "p1", "nps": "10"}).status_code == 409
    assert answer_once(client, link_for(app, survey["id"], "EAST-02")) == 201  # another store
    assert answer_once(client, public) == 201   # the rule is for unit links only


def post(client, token, nps):
    return client.post("/api/v1/responses", json={"token": token, "answers": {"nps": nps}})


@pytest.fixture
def burst(app, client):
    """30 NPS=10 from one client on one store link in well under a second, and 3 sevens."""
    token = link_for(app, publish_survey(app, ONE_PAGE)["id"], "EAST-01")
    codes = [post(client, token, 10).status_code for _ in range(30)]
    codes += [post(client, token, 7).status_code for _ in range(3)]
    assert codes == [201] * 33   # accepted (nothing is lost), but held
    return token


def test_a_burst_of_top_scores_is_held_out_of_the_scores(app, burst):
    held = rows(app, "held = 1")
    assert len(held) == 30 and {r["nps"] for r in held} == {10}
    assert {r["held_reason"] for r in held} == {"burst"}
    assert [r["nps"] for r in rows(app, "held = 0")] == [7, 7, 7]   # ordinary scores count
    with app.app_context():
        counted = db.get_db().execute(
            f"SELECT COUNT(*) FROM responses r WHERE {integrity.counted_sql('r')}").fetchone()[0]
    assert counted == 3


def test_an_analyst_sees_and_accepts_held_responses(app, as_user, burst):
    dave = as_user("dave")   # analyst on EAST
    listing = dave.get("/responses/").get_data(as_text=True)
    assert "30 responses are held for review" in listing
    held_page = dave.get("/responses/?status=held").get_data(as_text=True)
    first = rows(app, "held = 1")[0]["id"]
    assert f'/responses/{first}/accept' in held_page and "held" in held_page
    detail = dave.get(f"/responses/{first}").get_data(as_text=True)
    assert "Held for review" in detail
    assert dave.post(f"/responses/{first}/accept", data={"back": "list"}).status_code == 302
    assert len(rows(app, "held = 1")) == 29
    with app.app_context():
        audit = db.query_all(db.get_db(), "SELECT * FROM audit_log WHERE action = ?",
                             ("response.accept_held",))
    assert [a["entity_id"] for a in audit] == [str(first)]


def test_a_unit_manager_cannot_accept_held_responses(app, as_user, burst):
    held = rows(app, "held = 1")[0]["id"]
    bob = as_user("bob")
    assert bob.post(f"/responses/{held}/accept").status_code == 403
    assert "Accept</button>" not in bob.get(f"/responses/{held}").get_data(as_text=True)
    assert as_user("charlie").get(f"/responses/{held}").status_code == 404
