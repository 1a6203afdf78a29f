"""Bad input that used to give a 500 (issue 10, item 11): each is now a 400 with a message."""
import io
import json
import logging

import pytest
from collection_helpers import PAGE2, link_for, publish_survey, t

from appliance.core import db


@pytest.fixture(autouse=True)
def _no_error_logged(caplog):
    """No traceback in the log: nothing at ERROR while a test runs."""
    caplog.set_level(logging.WARNING)
    yield
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


def api(client, body, raw=None):
    data = raw if raw is not None else json.dumps(body)   # json.dumps keeps "\ud800" escaped
    return client.post("/api/v1/responses", data=data, content_type="application/json")


def envelope(response, status=400):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert body["ok"] is False and body["error"] and isinstance(body["errors"], list)
    return body


LONE = "\ud800"


def said(message, english, chinese):
    """The message names the problem, in the organisation's language (zh_CN) or English."""
    return english in message or chinese in message


@pytest.mark.parametrize("where", ["answer", "hidden", "contact", "other", "key", "token"])
def test_lone_surrogates_anywhere_in_a_submission_are_refused(app, client, public_token, where):
    body = {"token": public_token, "answers": {"nps": 7, **PAGE2}}
    if where == "answer":
        body["answers"] = {"nps": 9, "comment": f"好{LONE}"}
    elif where == "hidden":
        body["hidden"] = {"order_id": LONE}
    elif where == "contact":
        body["answers"] = {"nps": 9, "contact": {"name": LONE}, "contact.consent": True}
    elif where == "other":
        body["answers"]["choice.other"] = LONE
    elif where == "key":
        body["idempotency_key"] = LONE
    else:
        body["token"] = public_token + LONE
    assert said(envelope(api(client, body))["error"], "surrogate", "代理字符")


@pytest.mark.parametrize("ranking", [[{}, {}, {}], [[1], [2], [3]], [None, 1, "m"]])
def test_ranking_answers_that_are_not_strings_are_refused(client, public_token, ranking):
    body = {"token": public_token, "answers": {"nps": 7, **PAGE2, "rank": ranking}}
    errors = envelope(api(client, body))["errors"]
    assert [e["field"] for e in errors] == ["rank"]


@pytest.mark.parametrize("raw", [b"[" * 100_000, b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
                                 b'{"token": ' + b"[" * 40 + b"]" * 40 + b"}"])
def test_deeply_nested_json_is_refused(client, raw):
    assert said(envelope(api(client, None, raw=raw))["error"], "nested", "嵌套")


def test_a_huge_integer_in_a_submission_is_a_400(client, public_token):
    raw = b'{"token": "%s", "answers": {"nps": %s}}' % (public_token.encode(), b"9" * 5000)
    assert said(envelope(api(client, None, raw=raw))["error"], "too long", "数字过长")


def test_a_huge_integer_in_a_draft_is_a_400(app, as_user):
    survey = publish_survey(app)
    pat = as_user("pat")
    body = b'{"schema": 1, "pages": [{"key": "p1", "questions": []}], "x": ' + b"9" * 5000 + b"}"
    response = pat.put(f"/api/v1/surveys/{survey['id']}/draft", data=body,
                       content_type="application/json")
    assert "number too long" in envelope(response)["error"]


def test_a_condition_whose_value_is_an_object_cannot_be_published(app, as_user):
    doc = {"schema": 1, "languages": ["zh_CN"], "default_language": "zh_CN",
           "title": {"zh_CN": "条件"}, "pages": [{"key": "p1", "questions": [
               {"key": "q1", "type": "nps", "text": {"zh_CN": "推荐"}},
               {"key": "q2", "type": "text", "text": {"zh_CN": "为什么"},
                "display_if": {"question": "q1", "op": "eq", "value": {"x": 1}}}]}]}
    from appliance.surveys import definition
    assert any("value must be text" in p for p in definition.validate(doc))


def csv_upload(client, text_or_bytes):
    data = text_or_bytes if isinstance(text_or_bytes, bytes) else text_or_bytes.encode()
    return client.post("/org/units/import", data={"file": (io.BytesIO(data), "units.csv")},
                       content_type="multipart/form-data")


def test_a_unit_csv_with_a_field_over_the_csv_limit_is_a_400(as_user):
    response = csv_upload(as_user("alice"), "code,name,type,parent_code\nX1,\"" + "长" * 140_000
                          + "\",store,GROUP\n")
    assert response.status_code == 400 and "131,072" in response.get_data(as_text=True)


def test_nul_bytes_are_not_stored_through_the_unit_csv_or_a_new_survey(app, as_user):
    alice = as_user("alice")
    response = csv_upload(alice, b"code,name,type,parent_code\nX2,Bad\x00Name,store,GROUP\n")
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)
    group = db_unit(app, "GROUP")
    created = alice.post("/surveys/new", data={"name": "bad\x00name", "unit_id": group})
    assert created.status_code == 400 and "control characters" in created.get_data(as_text=True)
    with app.app_context():
        database = db.get_db()
        assert database.execute("SELECT COUNT(*) FROM units WHERE instr(name, char(0))"
                                ).fetchone()[0] == 0
        assert database.execute("SELECT COUNT(*) FROM surveys WHERE instr(name, char(0))"
                                ).fetchone()[0] == 0


def db_unit(app, code):
    from helpers import unit_id
    return str(unit_id(app, code))
