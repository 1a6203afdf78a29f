"""Direct endpoints (core/direct.py): served below Flask's request machinery, with what
Flask's hooks give every API call: the token's principal, the envelope, no-store, the
request id, a log line; another method is a 405, any other path goes to Flask."""
import logging

import pytest
from helpers import token_client
from werkzeug.test import Client

from appliance.core import direct, logs
from appliance.core.registry import DirectEndpoint

BOOM = DirectEndpoint("POST", "/api/v1/boom", "unused:boom", "submit_responses")
PRINCIPAL = {"memberships": [{"unit_path": "/1/", "role": "integration",
                              "capabilities": ["submit_responses"]}]}


def boom(request, principal):
    raise RuntimeError("a bug in a handler")


def served(app, principal=PRINCIPAL):
    wsgi = direct.wrap(app, app.wsgi_app, {("POST", BOOM.path): (BOOM, boom)},
                       lambda header: principal if header == "Bearer good" else None)
    return Client(wsgi)


def test_another_method_is_a_405_envelope_naming_the_allowed_one(app):
    response = token_client(app).get("/api/v1/responses", headers={"Accept-Language": "en"})
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    assert response.get_json()["ok"] is False and response.get_json()["error"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"   # the security headers still join


def test_a_token_without_the_capability_is_a_403(app):
    client = token_client(app, capabilities=["read_metrics"])
    response = client.post("/api/v1/responses", json={"token": "x" * 16, "answers": {}})
    assert response.status_code == 403 and response.get_json()["ok"] is False


def test_no_token_is_a_401_and_nothing_is_read(app):
    response = app.test_client().post("/api/v1/responses", data=b"[" * 100_000,
                                      content_type="application/json")
    assert response.status_code == 401 and response.headers["Cache-Control"] == "no-store"


def test_a_bug_is_raised_under_testing_and_else_logged_and_answered_500(app, caplog):
    app.testing = True
    with pytest.raises(RuntimeError):
        served(app).post(BOOM.path, headers={"Authorization": "Bearer good"})
    app.testing = False
    caplog.handler.addFilter(logs.RequestIdFilter())
    with caplog.at_level(logging.ERROR):
        response = served(app).post(BOOM.path, headers={"Authorization": "Bearer good",
                                                        "X-Request-Id": "req-7"})
    assert response.status_code == 500 and response.json["ok"] is False
    assert response.headers["X-Request-Id"] == "req-7"
    record = next(r for r in caplog.records if r.exc_info)
    assert "/api/v1/boom" in record.getMessage() and record.request_id == "req-7"


def test_other_paths_are_flasks(app):
    client = served(app)
    assert client.get("/healthz").status_code == 200
    assert client.post(BOOM.path).status_code == 401
