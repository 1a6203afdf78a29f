"""Integration API tokens: made and revoked by an admin (shown once, stored hashed),
scoped to a unit subtree and a list of capabilities; /api/v1/responses needs one."""
import sys
from pathlib import Path

from helpers import integration_token, login

from appliance.core import db
from appliance.org.scope import Scope

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "collection"))
from collection_helpers import link_for, publish_survey  # noqa: E402


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_an_admin_creates_a_token_shown_once_and_stored_hashed(app):
    alice = login(app.test_client(), "alice")
    east = _unit(app, "EAST")
    page = alice.post("/integrations/tokens", data={
        "name": "POS East", "unit_id": east, "capabilities": ["submit_responses", "read_metrics"]})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "shown only once" in html
    token = html.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("tj_") and len(token) > 40
    with app.app_context():
        stored = db.query_one(db.get_db(), "SELECT * FROM api_tokens")
        audit = [r[0] for r in db.get_db().execute("SELECT action FROM audit_log")]
    assert token not in str(stored) and stored["token_hash"] and "token.create" in audit
    again = alice.get("/integrations/tokens").get_data(as_text=True)
    assert token not in again and "POS East" in again and stored["prefix"] in again


def test_only_admins_reach_the_tokens_page(app):
    assert login(app.test_client(), "pat").get("/integrations/tokens").status_code == 403
    assert login(app.test_client(), "bob").get("/integrations/tokens").status_code == 403


def test_a_token_is_a_principal_scoped_to_its_subtree(app):
    token = integration_token(app, "EAST", ["read_metrics"])
    with app.test_request_context(headers=bearer(token)):
        from appliance.integrations.tokens import principal_for
        principal = principal_for(db.get_db(), token)
    assert principal["id"] is None and principal["username"] == "token:test EAST"
    assert principal["memberships"][0]["role"] == "integration"
    from appliance.core.roles import has_capability
    assert has_capability(principal, "read_metrics")
    assert not has_capability(principal, "submit_responses")
    assert not has_capability(principal, "view_responses")
    scope = Scope.for_user(principal, "read_metrics")
    with app.app_context():
        paths = {code: db.get_db().execute("SELECT path FROM units WHERE code = ?",
                                           (code,)).fetchone()[0]
                 for code in ("EAST-01", "SOUTH-01")}
    assert scope.contains_path(paths["EAST-01"]) and not scope.contains_path(paths["SOUTH-01"])


def test_the_responses_api_needs_a_token_of_the_links_subtree(app):
    survey = publish_survey(app)
    east_link, south_link = link_for(app, survey["id"], "EAST-01"), link_for(app, survey["id"],
                                                                              "SOUTH-01")
    client = app.test_client()
    body = {"token": east_link, "answers": {"nps": 9}}
    anonymous = client.post("/api/v1/responses", json=body)
    assert anonymous.status_code == 401 and anonymous.get_json()["ok"] is False
    assert client.post("/api/v1/responses", json=body,
                       headers=bearer("tj_not-a-real-token")).status_code == 401
    east = integration_token(app, "EAST", ["submit_responses"])
    assert client.post("/api/v1/responses", json=body, headers=bearer(east)).status_code == 201
    outside = client.post("/api/v1/responses", json={"token": south_link, "answers": {"nps": 9}},
                          headers=bearer(east))
    assert outside.status_code == 404
    reader = integration_token(app, "GROUP", ["read_metrics"])
    assert client.post("/api/v1/responses", json=body, headers=bearer(reader)).status_code == 403


def test_a_revoked_token_is_refused_and_its_use_is_recorded(app):
    token = integration_token(app, "GROUP", ["submit_responses"])
    survey = publish_survey(app)
    body = {"token": link_for(app, survey["id"], "EAST-01"), "answers": {"nps": 9}}
    client = app.test_client()
    assert client.post("/api/v1/responses", json=body, headers=bearer(token)).status_code == 201
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT id, last_used_at FROM api_tokens")
    assert row["last_used_at"]
    alice = login(app.test_client(), "alice")
    assert alice.post(f"/integrations/tokens/{row['id']}/revoke").status_code == 302
    refused = client.post("/api/v1/responses", json=body, headers=bearer(token))
    assert refused.status_code == 401
    with app.app_context():
        actions = [r[0] for r in db.get_db().execute("SELECT action FROM audit_log")]
    assert "token.revoke" in actions


def test_respondent_pages_ignore_tokens_and_keep_their_limits(app):
    survey = publish_survey(app)
    link = link_for(app, survey["id"], "EAST-01")
    page = app.test_client().get(f"/s/{link}")
    assert page.status_code == 200 and "no-store" not in page.headers.get("Cache-Control", "")


def _unit(app, code):
    with app.app_context():
        return db.get_db().execute("SELECT id FROM units WHERE code = ?", (code,)).fetchone()[0]
