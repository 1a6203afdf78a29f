"""Erasure leaves nothing readable on disk and asks first (issue 10, item 12)."""
import json

import pytest
from collection_helpers import link_for

from appliance.core import db

SECRET = "秘密投诉内容ZQXJ-4711"
PHONE_NAME = "韩梅梅ZQXJ"


@pytest.fixture
def response_id(app, client, survey):
    token = link_for(app, survey["id"], "EAST-01")
    body = {"token": token, "answers": {"nps": 9, "comment": SECRET * 20,
                                        "contact": {"name": PHONE_NAME, "phone": "13900001111"},
                                        "contact.consent": True},
            "hidden": {"order_id": "ORDER-ZQXJ-99"}}
    response = client.post("/api/v1/responses", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["response_id"]


def disk_bytes(app):
    path = app.config["DATABASE"]
    found = b""
    for suffix in ("", "-wal"):
        try:
            with open(f"{path}{suffix}", "rb") as handle:
                found += handle.read()
        except FileNotFoundError:
            pass
    return found


def test_the_first_click_asks_for_confirmation_and_erases_nothing(app, as_user, response_id):
    alice = as_user("alice")
    page = alice.post(f"/responses/{response_id}/erase", data={"mode": "anonymise"})
    assert page.status_code == 200 and "cannot be undone" in page.get_data(as_text=True)
    assert 'name="confirm" value="yes"' in page.get_data(as_text=True)
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT erased_at, answers FROM responses WHERE id = ?",
                           (response_id,))
    assert row["erased_at"] is None and SECRET in json.loads(row["answers"])["comment"]


def test_anonymised_text_is_not_readable_in_the_database_or_its_wal(app, as_user, response_id):
    assert SECRET.encode() in disk_bytes(app)   # the text is on disk before erasure
    alice = as_user("alice")
    done = alice.post(f"/responses/{response_id}/erase",
                      data={"mode": "anonymise", "confirm": "yes"})
    assert done.status_code == 302
    on_disk = disk_bytes(app)
    assert SECRET.encode() not in on_disk and b"ORDER-ZQXJ-99" not in on_disk
