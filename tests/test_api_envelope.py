"""Every API rule answers a bad request with the one envelope, raised and rendered by the
boundary in core/errors.py: {"ok": false, "error": "...", "errors": [...]}, never a 500."""
import pytest
from helpers import login, token_client
from werkzeug.routing import Rule

BAD_BODIES = [b"not json", b"[" * 5000, b"[" * 100_000, b'{"a":' * 5000, b'{"token": 5}',
              b"{}", b'"\\ud800"', b'{"token": "\\ud800"}']


def api_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method
    for method, path in app.extensions["registry"].direct_endpoints():   # core/direct.py
        yield Rule(path, methods=[method]), method


def url_of(rule):
    return rule.rule.replace("<int:", "<").split("<")[0] + "".join(
        "999999" + part.split(">", 1)[1] for part in rule.rule.split("<")[1:])


def test_all_apis_live_under_api_v1(app):
    assert [r.rule for r, _m in api_rules(app) if not r.rule.startswith("/api/v1/")] == []


@pytest.mark.parametrize("caller", ["anonymous", "signed_in", "integration"])
def test_a_bad_request_to_any_api_gets_the_envelope(app, caller):
    client = {"anonymous": app.test_client, "signed_in": lambda: login(app.test_client(), "alice"),
              "integration": lambda: token_client(app)}[caller]()
    checked = 0
    for rule, method in api_rules(app):
        for body in BAD_BODIES if method != "GET" else [None]:
            response = client.open(url_of(rule), method=method, data=body,
                                   query_string={"from": "yesterday", "node": "\x00"},
                                   content_type="application/json")
            assert response.status_code < 500, (rule.rule, method, body)
            if response.status_code >= 400:
                envelope = response.get_json()
                assert envelope is not None, (rule.rule, method, response.data[:200])
                assert envelope["ok"] is False and isinstance(envelope["error"], str)
                assert envelope["error"] and isinstance(envelope["errors"], list)
                checked += 1
    assert checked > 10
