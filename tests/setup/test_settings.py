"""Administrators change the runtime settings after setup; nobody else can."""
from appliance.core import db, settings


def test_an_admin_changes_preferences_and_it_is_audited(app, as_user):
    alice = as_user("alice")
    assert alice.get("/settings/").status_code == 200
    response = alice.post("/settings/preferences", data={
        "base_url": "https://cx.example.com/", "default_language": "en", "timezone": "Asia/Shanghai"})
    assert response.status_code == 302
    with app.app_context():
        database = db.get_db()
        assert settings.get(database, "org.base_url") == "https://cx.example.com"
        entry = db.query_one(database, "SELECT * FROM audit_log WHERE action = 'settings.preferences'")
        assert entry["username"] == "alice" and "cx.example.com" in entry["after"]


def test_bad_settings_are_400_and_change_nothing(app, as_user):
    alice = as_user("alice")
    response = alice.post("/settings/preferences", data={
        "base_url": "ftp://x", "default_language": "fr", "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    response = alice.post("/settings/smtp", data={"host": "", "port": "99999", "sender": "nope"})
    assert response.status_code == 400
    with app.app_context():
        assert settings.get(db.get_db(), "smtp.host") == ""


def test_the_relay_is_saved_encrypted_and_a_test_email_uses_the_stored_password(
        app, as_user, smtp_server):
    alice = as_user("alice")
    relay = {"host": "127.0.0.1", "port": str(smtp_server.port), "security": "none",
             "sender": "cx@example.com", "password": "relay-secret"}
    assert alice.post("/settings/smtp", data={**relay, "action": "save"}).status_code == 302
    with app.app_context():
        stored = settings.get_many(db.get_db(), "smtp.")
        assert stored["smtp.password_enc"].startswith("enc1:")
        entry = db.query_one(db.get_db(), "SELECT * FROM audit_log WHERE action = 'settings.smtp'")
        assert "relay-secret" not in (entry["after"] or "")
    response = alice.post("/settings/smtp", data={**relay, "password": "", "action": "test",
                                                   "test_to": "ops@example.com"})
    assert response.status_code == 302
    assert smtp_server.received.wait(10)
    with app.app_context():   # an empty password field keeps the stored one
        assert settings.get(db.get_db(), "smtp.password_enc") == stored["smtp.password_enc"]


def test_only_administrators_reach_the_settings(as_user):
    for username in ("pat", "bob", "erin", "dave"):
        assert as_user(username).get("/settings/").status_code == 403
        assert as_user(username).post("/settings/preferences", data={}).status_code == 403


def test_an_administrator_of_a_region_cannot_change_organisation_settings(app, as_user):
    from helpers import unit_id
    alice = as_user("alice")
    alice.post("/org/users/new", data={
        "username": "rita", "password": "Region-Admin-2026", "display_name": "Rita",
        "role": "admin", "unit_id": unit_id(app, "EAST")})
    with app.app_context():
        db.get_db().execute("UPDATE users SET must_change_password = 0 WHERE username = 'rita'")
    from helpers import login
    rita = login(app.test_client(), "rita", "Region-Admin-2026")
    assert rita.get("/org/users").status_code == 200      # she manages her region's users
    assert rita.get("/settings/").status_code == 403


def test_the_settings_entry_shows_for_top_administrators_only(as_user):
    assert "/settings/" in as_user("alice").get("/").get_data(as_text=True)
    assert "/settings/" not in as_user("pat").get("/").get_data(as_text=True)


def test_an_admin_sets_the_sign_in_timeouts_and_it_is_audited(app, as_user):
    alice = as_user("alice")
    page = alice.get("/settings/").get_data(as_text=True)
    assert 'name="session_idle_minutes"' in page and 'value="120"' in page
    response = alice.post("/settings/security", data={"session_idle_minutes": "30",
                                                      "session_absolute_hours": "8",
                                                      "login_failures_per_address": "50"})
    assert response.status_code == 302
    with app.app_context():
        assert settings.get(db.get_db(), "security.session_idle_minutes") == 30
        assert db.query_one(db.get_db(), "SELECT 1 FROM audit_log WHERE action = "
                                         "'settings.security'")
    bad = alice.post("/settings/security", data={"session_idle_minutes": "0",
                                                 "session_absolute_hours": "x",
                                                 "login_failures_per_address": "50"})
    assert bad.status_code == 400
    with app.app_context():
        assert settings.get(db.get_db(), "security.session_idle_minutes") == 30
