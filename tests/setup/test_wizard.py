"""The first-run wizard through the test client, and its lock."""
import io

from appliance.core import db, settings

STRONG = "Strong-Pass-2026"


def admin_step(client, **extra):
    data = {"username": "root", "display_name": "Root Admin", "email": "root@example.com",
            "password": STRONG, "confirm": STRONG, **extra}
    return client.post("/setup/admin", data=data)


def run_wizard(client, smtp_port=None):
    assert admin_step(client).status_code == 302
    response = client.post("/setup/organisation", data={
        "org_name": "示范银行", "root_code": "BANK", "level_type": "region",
        "first_level": "EAST 华东分行\nSOUTH 华南分行"})
    assert response.headers["Location"].endswith("/setup/smtp")
    response = client.post("/setup/smtp", data={"action": "skip"})
    assert response.headers["Location"].endswith("/setup/preferences")
    response = client.post("/setup/preferences", data={
        "base_url": "https://cx.bank.example/", "default_language": "zh_CN",
        "timezone": "Asia/Shanghai"})
    assert response.status_code == 302
    return response


def test_with_an_empty_database_every_page_leads_to_setup(fresh_app):
    client = fresh_app.test_client()
    for path in ("/", "/org/units", "/org/users", "/login"):
        response = client.get(path)
        assert response.status_code == 302 and "/setup" in response.headers["Location"]
    assert client.get("/healthz").status_code == 200


def test_the_wizard_creates_admin_organisation_and_settings(fresh_app):
    client = fresh_app.test_client()
    run_wizard(client)
    assert client.get("/").status_code == 200      # the admin is signed in
    with fresh_app.app_context():
        database = db.get_db()
        assert settings.get(database, "setup.completed") is True
        assert settings.get(database, "org.base_url") == "https://cx.bank.example"
        codes = [r[0] for r in database.execute("SELECT code FROM units ORDER BY path")]
        assert codes == ["BANK", "EAST", "SOUTH"]
        user = db.query_one(database, "SELECT * FROM users")
        assert user["username"] == "root" and user["email_enc"].startswith("enc1:")
        assert "root@example.com" not in user["email_enc"]
    keys = fresh_app.config["DATA_DIR"] + "/keys/data_keys.json"
    import os
    assert oct(os.stat(keys).st_mode & 0o777) == "0o600"


def test_after_completion_the_wizard_never_runs_again(fresh_app):
    client = fresh_app.test_client()
    run_wizard(client)
    stranger = fresh_app.test_client()
    for step in ("/setup/", "/setup/admin", "/setup/organisation", "/setup/preferences"):
        assert stranger.get(step).status_code == 404
        assert admin_step(stranger).status_code == 404
    with fresh_app.app_context():
        assert db.get_db().execute("SELECT COUNT(*) FROM users").fetchone()[0] == 1


def test_a_half_finished_setup_cannot_be_taken_over(fresh_app):
    admin_step(fresh_app.test_client())
    stranger = fresh_app.test_client()
    assert stranger.get("/setup/organisation").status_code == 403
    assert stranger.post("/setup/organisation", data={"org_name": "Mine", "root_code": "X",
                                                      "level_type": "region"}).status_code == 403
    assert admin_step(stranger, username="intruder").status_code == 302   # sent to the current step
    with fresh_app.app_context():
        assert db.get_db().execute("SELECT COUNT(*) FROM users").fetchone()[0] == 1


def english_client(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_bad_admin_input_is_answered_with_400_and_messages(fresh_app):
    client = english_client(fresh_app)
    response = admin_step(client, password="short", confirm="short")
    assert response.status_code == 400
    assert b"at least 10 characters" in response.data
    chinese = fresh_app.test_client().post("/setup/admin", data={"username": "root"})
    assert chinese.status_code == 400 and "此项为必填项" in chinese.get_data(as_text=True)
    response = admin_step(client, confirm="Other-Pass-2026")
    assert response.status_code == 400
    response = admin_step(client, username="bad name!")
    assert response.status_code == 400
    response = admin_step(client, display_name="x" * 101)
    assert response.status_code == 400
    with fresh_app.app_context():
        assert db.get_db().execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0


def test_the_organisation_step_imports_a_csv_all_or_nothing(fresh_app):
    client = english_client(fresh_app)
    admin_step(client)
    bad = "code,name,type,parent_code\nR1,一区,region,\nS1,一店,store,R9\nR1,重复,region,\n"
    response = client.post("/setup/organisation", data={
        "org_name": "X", "root_code": "ROOT", "level_type": "region",
        "units_csv": (io.BytesIO(bad.encode("gbk")), "units.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "R9".encode() in response.data and b"line 4" in response.data
    field_errors = response.get_data(as_text=True).split('name="units_csv"')[1].split("</ul>")[0]
    assert field_errors.count("<li>") == 2   # one bullet per problem, not one joined line
    with fresh_app.app_context():
        assert db.get_db().execute("SELECT COUNT(*) FROM units").fetchone()[0] == 1
    good = "code,name,type,parent_code\nS1,一店,store,R1\nR1,一区,region,\n"
    response = client.post("/setup/organisation", data={
        "org_name": "X", "root_code": "ROOT", "level_type": "region",
        "units_csv": (io.BytesIO(good.encode("utf-8-sig")), "units.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    with fresh_app.app_context():
        assert db.get_db().execute("SELECT COUNT(*) FROM units").fetchone()[0] == 3


def test_the_smtp_step_sends_a_real_test_email(fresh_app, smtp_server):
    client = fresh_app.test_client()
    admin_step(client)
    client.post("/setup/organisation", data={"org_name": "X", "root_code": "ROOT",
                                             "level_type": "region"})
    response = client.post("/setup/smtp", data={
        "action": "test", "host": "127.0.0.1", "port": str(smtp_server.port), "security": "none",
        "sender": "cx@example.com", "test_to": "ops@example.com", "password": "relay-secret"})
    assert response.status_code == 302
    assert smtp_server.received.wait(10)
    assert smtp_server.messages[0].rcpt_tos == ["ops@example.com"]
    with fresh_app.app_context():
        stored = settings.get_many(db.get_db(), "smtp.")
        assert stored["smtp.host"] == "127.0.0.1"
        assert stored["smtp.password_enc"].startswith("enc1:")


def test_an_unreachable_relay_is_reported_not_crashed(fresh_app):
    client = english_client(fresh_app)
    admin_step(client)
    client.post("/setup/organisation", data={"org_name": "X", "root_code": "ROOT",
                                             "level_type": "region"})
    response = client.post("/setup/smtp", data={
        "action": "test", "host": "127.0.0.1", "port": "1", "security": "none",
        "sender": "cx@example.com", "test_to": "ops@example.com"})
    assert response.status_code == 400
    assert b"could not be sent" in response.data


def wizard_until_preferences(client, base_url):
    """The wizard's first three steps, opened on base_url (the address in the browser)."""
    data = {"username": "root", "display_name": "Root Admin", "email": "root@example.com",
            "password": STRONG, "confirm": STRONG}
    assert client.post("/setup/admin", data=data, base_url=base_url).status_code == 302
    client.post("/setup/organisation", base_url=base_url, data={
        "org_name": "示范银行", "root_code": "BANK", "level_type": "region",
        "first_level": "EAST 华东分行"})
    client.post("/setup/smtp", data={"action": "skip"}, base_url=base_url)


def test_the_base_url_defaults_to_the_address_the_wizard_was_opened_on(fresh_app):
    client = fresh_app.test_client()
    wizard_until_preferences(client, "http://cx.bank.example:8080")
    page = client.get("/setup/preferences", base_url="http://cx.bank.example:8080")
    html = page.get_data(as_text=True)
    assert 'value="http://cx.bank.example:8080"' in html
    assert "127.0.0.1:8000" not in html and "data-loopback-warning" not in html


def test_the_wizard_warns_when_the_base_url_is_a_loopback_address(fresh_app):
    client = fresh_app.test_client()
    wizard_until_preferences(client, "http://127.0.0.1:8000")
    html = client.get("/setup/preferences", base_url="http://127.0.0.1:8000").get_data(as_text=True)
    assert "data-loopback-warning" in html and 'value="http://127.0.0.1:8000"' in html


def test_is_loopback_knows_loopback_hosts_from_reachable_ones():
    for url in ("http://127.0.0.1:8000", "http://127.8.9.1", "http://[::1]:80", "http://localhost",
                "http://0.0.0.0:8000"):
        assert settings.is_loopback(url), url
    for url in ("https://cx.bank.example", "http://10.1.2.3:8000", "", "not a url"):
        assert not settings.is_loopback(url), url
