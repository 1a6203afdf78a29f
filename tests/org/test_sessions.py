"""Server-side sessions: ended on logout, password change, deactivation and role change,
after the idle and absolute timeouts; a person sees and ends their other sessions."""
from datetime import timedelta

from helpers import PASSWORD, login, unit_id

from appliance.core import clock, db, settings


def _copy_cookie(source, target):
    """Another browser holding the same cookie (copied, e.g. stolen, before logout)."""
    cookie = source.get_cookie("tingjian_session")
    target.set_cookie("tingjian_session", cookie.value)
    return target


def test_a_cookie_copied_before_logout_no_longer_opens_responses(app):
    bob = login(app.test_client(), "bob")
    thief = _copy_cookie(bob, app.test_client())
    assert thief.get("/responses/").status_code == 200
    bob.post("/logout")
    assert thief.get("/responses/").status_code == 302
    assert thief.get("/responses/").headers["Location"].startswith("/login")


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app):
    bob = login(app.test_client(), "bob")
    laptop = login(app.test_client(), "bob")
    response = bob.post("/account/password", data={"current": PASSWORD, "confirm": "Walking-Pier-731",
                                                   "password": "Walking-Pier-731"})
    assert response.status_code == 302
    assert bob.get("/responses/").status_code == 200
    assert laptop.get("/responses/").status_code == 302


def test_deactivation_and_a_role_change_sign_the_user_out(app):
    bob = login(app.test_client(), "bob")
    erin = login(app.test_client(), "erin")
    alice = login(app.test_client(), "alice")
    bob_id, erin_id = _user_id(app, "bob"), _user_id(app, "erin")
    form = {"display_name": "Bob", "email": "", "role": "unit_manager",
            "unit_id": unit_id(app, "EAST-01"), "language": "en"}
    assert alice.post(f"/org/users/{bob_id}/edit", data=form).status_code == 302   # active unticked
    assert bob.get("/responses/").status_code == 302
    form.update(display_name="Erin", role="analyst", unit_id=unit_id(app, "GROUP"), active="1")
    assert erin.get("/").status_code == 200
    assert alice.post(f"/org/users/{erin_id}/edit", data=form).status_code == 302
    assert erin.get("/").status_code == 302


def test_sessions_end_after_the_idle_and_the_absolute_timeout(app):
    bob = login(app.test_client(), "bob")
    assert bob.get("/").status_code == 200
    _age_sessions(app, last_seen_minutes=121, created_hours=1)
    assert bob.get("/").status_code == 302
    bob = login(app.test_client(), "bob")
    _age_sessions(app, last_seen_minutes=1, created_hours=13)
    assert bob.get("/").status_code == 302
    with app.app_context():   # the timeouts are runtime settings
        settings.set_many(db.get_db(), {"security.session_absolute_hours": 24})
    bob = login(app.test_client(), "bob")
    _age_sessions(app, last_seen_minutes=1, created_hours=13)
    assert bob.get("/").status_code == 200


def test_a_user_sees_and_ends_their_other_sessions(app):
    phone = app.test_client()
    phone.post("/login", data={"username": "bob", "password": PASSWORD},
               headers={"User-Agent": "PhoneBrowser/1.0"})
    desk = login(app.test_client(), "bob")
    page = desk.get("/account/sessions").get_data(as_text=True)
    assert "PhoneBrowser/1.0" in page and "This session" in page
    with app.app_context():
        rows = db.query_all(db.get_db(), "SELECT id, user_agent FROM sessions")
    phone_id = next(r["id"] for r in rows if r["user_agent"] == "PhoneBrowser/1.0")
    charlie = login(app.test_client(), "charlie")
    assert charlie.post(f"/account/sessions/{phone_id}/end").status_code == 404   # not his
    assert phone.get("/").status_code == 200
    assert desk.post(f"/account/sessions/{phone_id}/end").status_code == 302
    assert phone.get("/").status_code == 302
    assert desk.get("/").status_code == 200


def test_the_session_id_is_stored_hashed(app):
    bob = login(app.test_client(), "bob")
    with app.app_context():
        stored = db.get_db().execute("SELECT id_hash FROM sessions").fetchone()[0]
    from flask.sessions import SecureCookieSessionInterface
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    sid = serializer.loads(bob.get_cookie("tingjian_session").value)["sid"]
    assert sid not in stored and len(stored) == 64


def _age_sessions(app, last_seen_minutes, created_hours):
    now = clock.utcnow()
    with app.app_context():
        with db.transaction(db.get_db()):
            db.get_db().execute("UPDATE sessions SET last_seen_at = ?, created_at = ?", (
                clock.iso(now - timedelta(minutes=last_seen_minutes)),
                clock.iso(now - timedelta(hours=created_hours))))


def _user_id(app, username):
    with app.app_context():
        return db.get_db().execute("SELECT id FROM users WHERE username = ?",
                                   (username,)).fetchone()[0]


def test_expired_sessions_are_purged_by_the_hourly_job(app):
    from appliance import domains
    from appliance.org import signin
    login(app.test_client(), "bob")
    login(app.test_client(), "dave")
    _age_sessions(app, last_seen_minutes=500, created_hours=9)
    login(app.test_client(), "erin")
    assert "sessions.purge" in [job_id for job_id, _f, _t in domains.load().job_functions()]
    signin.purge_job(app)
    with app.app_context():
        left = db.get_db().execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
    assert left == 1
