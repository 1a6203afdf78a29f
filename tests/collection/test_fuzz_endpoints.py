"""Every endpoint of app.url_map, and every direct endpoint, answers junk with a status under 500 (issue 10, item 11).

Hypothesis generates JSON bodies (nested, lone surrogates, huge numbers, wrong types),
form fields (NUL bytes, broken text, long values, the names the page's own form uses) and
query strings, and posts them to every rule, signed in as the admin where a page needs a
login (CSRF is off in tests, so the junk reaches the views). Under /api/ an error is the
JSON envelope. TESTING propagates exceptions, so a 500 fails here with its traceback.
A new endpoint is covered without touching this file.
"""
import io
import json
import re
from urllib.parse import quote_plus

import pytest
from collection_helpers import EVERY_TYPE, FULL, link_for, publish_survey
from helpers import login, token_client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.core import db

SKIP = {"auth.logout", "static"}   # logging out would end the run's session
EXAMPLES = 10
WEIRD = ["", "\x00", "\ud800", "a\x00b", "\ufffd", "9" * 5000, "-1", "1e309", "NaN", "[]",
         "{}", "<script>", "=cmd|' /C calc'!A0", "x" * 70_000, "../../etc/passwd", "0", "true"]
text = st.one_of(st.text(max_size=40), st.sampled_from(WEIRD))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), text)
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)), max_leaves=12)
RAW_BODIES = [b"[" * 100_000, b'{"a":' * 3000 + b"1" + b"}" * 3000, b"9" * 5000,
              b"\xff\xfe\x00", b'{"token": "\\ud800"}', b"", b"null", b'{"pages": [{}]}']


@pytest.fixture
def world(app):
    """A published survey with a response, its links, and the ids the URL rules need."""
    survey = publish_survey(app)
    token = link_for(app, survey["id"], "EAST-01")
    client = token_client(app)
    sent = client.post("/api/v1/responses", json={"token": token, "answers": FULL})
    assert sent.status_code == 201
    with app.app_context():
        database = db.get_db()
        ids = {"survey_id": survey["id"], "response_id": sent.get_json()["response_id"],
               "unit_id": database.execute("SELECT id FROM units WHERE code = 'EAST-02'"
                                           ).fetchone()[0],
               "user_id": database.execute("SELECT id FROM users WHERE username = 'erin'"
                                           ).fetchone()[0],
               "item_id": 1}
    return {"ids": ids, "token": token, "admin": login(app.test_client(), "alice")}


def url_for_rule(rule, world):
    values = {}
    for name in rule.arguments:
        choices = getattr(rule._converters.get(name), "items", None)
        if choices:   # any(a, b): one of its choices
            values[name] = sorted(choices)[0]
        elif name in world["ids"]:
            values[name] = world["ids"][name]
        elif name == "token":
            values[name] = world["token"]
        elif name == "fmt":
            values[name] = "csv"
        elif name == "action":
            values[name] = "close"
        elif name == "name":
            values[name] = "organisation"
        elif name == "filename":
            values[name] = "css/app.css"
        else:   # a new rule's own argument: an id nobody has, or a plain word
            values[name] = 999999 if name.endswith("id") else "x"
    return rule.build(values, append_unknown=False)[1]


def form_names(client, path):
    """The field names of the page's own form (GET), plus a few the app uses everywhere."""
    page = client.get(path)
    found = re.findall(r'name="([^"]+)"', page.get_data(as_text=True)) \
        if page.status_code == 200 else []
    return sorted(set(found) | {"name", "code", "mode", "unit_id", "value", "_page", "_rt", "nps"}
                  - {"csrf_token"})


def wire(values):
    """A query string or form body as a client would send it: text that is not valid
    Unicode (a lone surrogate) goes out as the bytes it would be, never refused here."""
    return "&".join(f"{quote_plus(k.encode('utf-8', 'surrogatepass'))}="
                    f"{quote_plus(v.encode('utf-8', 'surrogatepass'))}" for k, v in values.items())


def printable(values):
    return {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
            for k, v in values.items()}


def check(response, path):
    try:
        assert response.status_code < 500, (path, response.status_code)
        if path.startswith("/api/") and response.status_code >= 400:
            body = response.get_json()
            assert body["ok"] is False and isinstance(body["error"], str) and body["error"]
            assert isinstance(body["errors"], list), body
    finally:
        response.close()   # a file sent (favicon, downloads) is closed with its response


def fuzz_json(client, path, method):
    answers = st.dictionaries(st.sampled_from(sorted(
        q["key"] for p in EVERY_TYPE["pages"] for q in p["questions"])), json_values, max_size=5)
    bodies = st.one_of(json_values, st.fixed_dictionaries(
        {"token": st.one_of(st.just("TOKEN"), text), "answers": answers},
        optional={"hidden": json_values, "idempotency_key": json_values,
                  "version_id": json_values, "language": json_values}))

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(body=bodies, raw=st.one_of(st.none(), st.sampled_from(RAW_BODIES)))
    def run(body, raw):
        if isinstance(body, dict) and body.get("token") == "TOKEN":
            body["token"] = client.token
        data = raw if raw is not None else json.dumps(body)
        check(client.open(path, method=method, data=data, content_type="application/json"),
              path)
    run()


def fuzz_form(client, path, method):
    names = form_names(client, path)
    files = st.builds(lambda data: (io.BytesIO(data), "upload.csv"),
                      st.one_of(st.binary(max_size=200), st.sampled_from(
                          [b"code,name,type,parent_code\n" + b"x" * 200_000, b"\x00\x01"])))

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(form=st.dictionaries(st.sampled_from(names), text, max_size=6),
           query=st.dictionaries(st.sampled_from(names), text, max_size=2),
           upload=st.one_of(st.none(), files))
    def run(form, query, upload):
        target = f"{path}?{wire(query)}"
        if upload:   # multipart: werkzeug encodes the fields, so they must be valid text
            response = client.open(target, method=method, data={**printable(form),
                                                                 "file": upload})
        else:
            response = client.open(target, method=method, data=wire(form),
                                   content_type="application/x-www-form-urlencoded")
        check(response, path)
    run()


def fuzz_query(client, path):
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(query=st.dictionaries(st.sampled_from(
        ["survey_id", "unit_id", "page", "date_from", "date_to", "q", "status", "metric",
         "score_min", "score_max", "source", "channel", "tag", "word", "next", "lang",
         "order_id", "personal", "sentiment", "action"]), text, max_size=4))
    def run(query):
        check(client.get(f"{path}?{wire(query)}"), path)
    run()


def test_every_endpoint_answers_junk_without_a_server_error(app, world):
    client = world["admin"]
    client.token = world["token"]
    covered = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP:
            continue
        path = url_for_rule(rule, world)
        methods = rule.methods - {"HEAD", "OPTIONS"}
        for method in sorted(methods - {"GET"}):
            json_api = path.startswith("/api/")
            (fuzz_json if json_api else fuzz_form)(client, path, method)
            covered.append((method, rule.rule))
        if "GET" in methods:
            fuzz_query(client, path)
            covered.append(("GET", rule.rule))
    for method, path in app.extensions["registry"].direct_endpoints():   # core/direct.py
        fuzz_json(client, path, method)
        covered.append((method, path))
    assert ("POST", "/api/v1/responses") in covered and ("POST", "/s/<token>") in covered
    assert len(covered) >= 40
