from appliance.core import db
from helpers import PASSWORD, csrf_token_from, login


def test_login_and_logout(client):
    response = client.post("/login", data={"username": "bob", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").headers["Location"].startswith("/login")


def test_a_wrong_password_is_refused_with_a_generic_message(client):
    # before sign-in the organisation's default language (Chinese) applies
    response = client.post("/login", data={"username": "bob", "password": "nope"})
    assert response.status_code == 400 and "用户名或密码错误" in response.get_data(as_text=True)
    response = client.post("/login", data={"username": "nobody", "password": "nope"})
    assert "用户名或密码错误" in response.get_data(as_text=True)
    client.post("/language", data={"language": "en"})
    response = client.post("/login", data={"username": "nobody", "password": "nope"})
    assert b"Wrong user name or password" in response.data


def test_repeated_failures_lock_the_account_even_for_the_right_password(app, client):
    for _ in range(app.config["LOCKOUT_ATTEMPTS"]):
        client.post("/login", data={"username": "bob", "password": "wrong"})
    response = client.post("/login", data={"username": "bob", "password": PASSWORD})
    assert response.status_code == 400 and "用户名或密码错误" in response.get_data(as_text=True)
    with app.app_context():
        actions = [r[0] for r in db.get_db().execute("SELECT action FROM audit_log")]
    assert "auth.lockout" in actions
    # an administrator's password reset clears the lockout
    admin = login(app.test_client(), "alice")
    bob_id = _user_id(app, "bob")
    admin.post(f"/org/users/{bob_id}/password", data={"password": "Fresh-Start-2026"})
    response = client.post("/login", data={"username": "bob", "password": "Fresh-Start-2026"})
    assert response.status_code == 302
    assert client.get("/").headers["Location"] == "/account/password"   # must change it first
    # (another address: the lockout counts per account, the throttle per address)


def test_forms_without_a_csrf_token_are_rejected(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post("/login", data={"username": "bob", "password": PASSWORD})
    assert response.status_code == 400 and "表单已过期" in response.get_data(as_text=True)
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "bob", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    page = client.get("/org/units").get_data(as_text=True)
    assert client.post("/logout").status_code == 400
    assert client.post("/logout", data={"csrf_token": csrf_token_from(page)}).status_code == 302


def test_pages_carry_security_headers_and_session_cookie_flags(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response = client.post("/login", data={"username": "bob", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_behind_https(data_dir):
    from helpers import make_app
    app = make_app(data_dir, secure_cookies=True)
    response = app.test_client().post("/login", data={"username": "bob", "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]


def test_password_change_enforces_the_policy(as_user):
    bob = as_user("bob")
    response = bob.post("/account/password", data={"current": PASSWORD, "password": "abc",
                                                   "confirm": "abc"},
                        headers={"Accept-Language": "en"})
    assert response.status_code == 400 and b"at least 10" in response.data
    response = bob.post("/account/password", data={"current": PASSWORD, "password": "bob-Password-1",
                                                   "confirm": "bob-Password-1"},
                        headers={"Accept-Language": "en"})
    assert response.status_code == 400 and b"user name" in response.data
    response = bob.post("/account/password", data={"current": PASSWORD, "password": "Better-Pass-99",
                                                   "confirm": "Better-Pass-99"})
    assert response.status_code == 302


def test_the_language_switch_changes_the_interface(as_user):
    bob = as_user("bob")
    assert "Overview" in bob.get("/").get_data(as_text=True)
    bob.post("/language", data={"language": "zh_CN", "next": "/"})
    assert "概览" in bob.get("/").get_data(as_text=True)


def _user_id(app, username):
    with app.app_context():
        return db.get_db().execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()[0]
