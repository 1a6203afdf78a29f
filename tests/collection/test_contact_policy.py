"""Contact details on the response page by role (item 14) and the consent to be contacted
with validated phone numbers and emails (item 15), in the respondent's language."""
import json
import re

import pytest
from collection_helpers import link_for, publish_survey, t

from appliance.core import db

CALLBACK = {"schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
            "title": t("回访", "Call-back"),
            "pages": [{"key": "p1", "questions": [
                {"key": "nps", "type": "nps", "text": t("推荐", "Recommend?"), "required": True,
                 "metric": "nps"},
                {"key": "contact", "type": "contact", "text": t("联系方式", "Contact"),
                 "fields": ["name", "phone", "email"]}]}]}


def api(client, token, answers):
    return client.post("/api/v1/responses", json={"token": token, "answers": answers})


@pytest.fixture
def detractors(app, client):
    """A detractor who left a phone number in bob's store and one in charlie's."""
    survey = publish_survey(app, CALLBACK)
    ids = {}
    for code in ("EAST-01", "SOUTH-01"):
        sent = api(client, link_for(app, survey["id"], code),
                   {"nps": 2, "contact": {"name": f"客户{code}", "phone": "13912345678"},
                    "contact.consent": True})
        assert sent.status_code == 201, sent.get_json()
        ids[code] = sent.get_json()["response_id"]
    return ids


def reveals(app):
    with app.app_context():
        return db.query_all(db.get_db(), "SELECT username, entity_id FROM audit_log "
                                         "WHERE action = 'response.reveal_contact'")


def test_a_unit_manager_reveals_the_contact_of_his_own_store_and_it_is_logged(
        app, as_user, detractors):
    bob, mine = as_user("bob"), detractors["EAST-01"]
    page = bob.get(f"/responses/{mine}").get_data(as_text=True)
    assert "13912345678" not in page and "Reveal contact details" in page
    shown = bob.post(f"/responses/{mine}/reveal")
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    assert "13912345678" in shown.get_data(as_text=True)
    assert reveals(app) == [{"username": "bob", "entity_id": str(mine)}]


def test_a_unit_manager_cannot_reveal_another_stores_contact(app, as_user, detractors):
    bob = as_user("bob")
    assert bob.post(f"/responses/{detractors['SOUTH-01']}/reveal").status_code == 404
    assert as_user("dave").post(f"/responses/{detractors['EAST-01']}/reveal").status_code == 403
    dave_page = as_user("dave").get(f"/responses/{detractors['EAST-01']}").get_data(as_text=True)
    assert "13912345678" not in dave_page and "Reveal contact details" not in dave_page
    assert reveals(app) == []


def test_roles_that_export_personal_data_see_the_contact_directly(app, as_user, detractors):
    page = as_user("pat").get(f"/responses/{detractors['SOUTH-01']}").get_data(as_text=True)
    assert "13912345678" in page and "Reveal contact details" not in page


def test_contact_details_need_consent_and_the_consent_is_recorded(app, client, as_user):
    survey = publish_survey(app, CALLBACK)
    with app.app_context():
        database = db.get_db()
        database.execute("UPDATE surveys SET contact_purpose = ? WHERE id = ?",
                         (json.dumps({"zh_CN": "为安排客服回访", "en": "to arrange a call-back"}),
                          survey["id"]))
    token = link_for(app, survey["id"], "EAST-01")
    page = client.get(f"/s/{token}").get_data(as_text=True)
    assert 'name="contact.consent"' in page and "为安排客服回访" in page
    resume = re.search(r'name="_rt" value="([^"]+)"', page).group(1)
    form = {"_page": "p1", "_rt": resume, "nps": "3", "contact.phone": "13912345678"}
    refused = client.post(f"/s/{token}", data=form)
    assert refused.status_code == 400 and "请勾选同意" in refused.get_data(as_text=True)
    done = client.post(f"/s/{token}", data={**form, "contact.consent": "yes"})
    assert done.status_code == 302
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT id, consent FROM responses")
    record = json.loads(row["consent"])
    assert record["questions"] == ["contact"] and "为安排客服回访" in record["text"]
    assert record["language"] == "zh_CN" and record["at"]
    shown = as_user("alice").get(f"/responses/{row['id']}").get_data(as_text=True)
    assert "Consent given" in shown and "为安排客服回访" in shown
    assert api(client, token, {"nps": 3, "contact": {"phone": "13912345678"}}).get_json()[
        "errors"][0]["code"] == "consent_needed"


@pytest.mark.parametrize("phone, stored", [
    ("13912345678", "13912345678"), ("139 1234 5678", "13912345678"),
    ("+86 139-1234-5678", "13912345678"), ("+852 9123 4567", "+85291234567"),
    ("+44 20 7946 0958", "+442079460958")])
def test_valid_phone_numbers_are_kept_in_a_plain_form(app, client, phone, stored):
    token = link_for(app, publish_survey(app, CALLBACK)["id"])
    sent = api(client, token, {"nps": 9, "contact": {"phone": phone}, "contact.consent": True})
    assert sent.status_code == 201, sent.get_json()
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT contact_enc FROM responses")
        from appliance.collection import intake
        contact = json.loads(intake.keyring().decrypt(row["contact_enc"]))
    assert contact["contact"]["phone"] == stored


@pytest.mark.parametrize("contact", [
    {"phone": "12345678901"}, {"phone": "1391234567"}, {"phone": "139123456789"},
    {"phone": "010-1234"}, {"phone": "+0 123456789"}, {"phone": "call me"},
    {"email": "a@b"}, {"email": "name@example"}, {"email": "two@@example.com"},
    {"email": "sp ace@example.com"}, {"email": "x@-bad-.com"}])
def test_invalid_phones_and_emails_are_refused_in_the_respondents_language(
        app, client, contact):
    token = link_for(app, publish_survey(app, CALLBACK)["id"])
    field = next(iter(contact))
    page = client.get(f"/s/{token}?lang=en").get_data(as_text=True)
    resume = re.search(r'name="_rt" value="([^"]+)"', page).group(1)
    refused = client.post(f"/s/{token}?lang=en", data={
        "_page": "p1", "_rt": resume, "nps": "9", f"contact.{field}": contact[field],
        "contact.consent": "yes"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert ("11-digit mainland mobile" in html) if field == "phone" else \
        ("such as name@example.com" in html)
    sent = api(client, token, {"nps": 9, "contact": contact, "contact.consent": True})
    assert sent.status_code == 400
    assert sent.get_json()["errors"][0]["code"] == f"bad_{field}"
