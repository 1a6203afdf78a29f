"""Helpers for the operations tests: a survey with contact fields, a writer process."""
import json
import subprocess
import sys

from appliance.collection import links
from appliance.core import db
from appliance.org import units as units_service
from appliance.surveys import service as surveys


def t(zh, en):
    return {"zh_CN": zh, "en": en}


CONTACT_SURVEY = {
    "schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
    "title": t("回访问卷", "Follow-up"), "thank_you": t("谢谢", "Thanks"),
    "pages": [{"key": "p1", "title": t("总体", "Overall"), "questions": [
        {"key": "nps", "type": "nps", "text": t("推荐可能性", "Recommend?"), "required": True,
         "metric": "nps"},
        {"key": "contact", "type": "contact", "text": t("联系方式", "Contact"),
         "fields": ["name", "phone", "email"]}]}],
}


def publish_contact_survey(app):
    """A published survey with an NPS and a contact question; returns its public token."""
    with app.app_context():
        database = db.get_db()
        owner = units_service.get_unit_by_code(database, "GROUP")
        survey = surveys.create(database, owner, "回访", document=json.loads(json.dumps(CONTACT_SURVEY)))
        surveys.publish(database, survey)
        return links.shared_link(database, survey["id"], None)["token"]


def contact(n):
    return {"name": f"客户{n}", "phone": f"139{n:08d}", "email": f"customer{n}@example.com"}


WRITER = """
import json, sys
sys.path[:0] = {paths!r}
from helpers import make_app, token_client
app = make_app({data_dir!r})
client = token_client(app)   # an integration's API token, as /api/v1/responses requires
n = refused = 0
while True:
    n += 1
    body = {{"token": {token!r}, "answers": {{"nps": n % 11, "contact.consent": True, "contact": {{
        "name": f"客户{{n}}", "phone": f"139{{n:08d}}", "email": f"customer{{n}}@example.com"}}}}}}
    response = client.post("/api/v1/responses", json=body)
    if response.status_code == 201:
        refused = 0
        print(n, response.get_json()["response_id"], flush=True)
    elif (refused := refused + 1) > 50:   # say why and stop, so the test fails instead of waiting
        print("refused", response.status_code, response.get_data(as_text=True)[:300],
              file=sys.stderr, flush=True)
        sys.exit(1)
"""


def start_writer(data_dir, token, paths):
    """A process submitting responses through the JSON intake until killed; it prints
    `N RESPONSE_ID` for each acknowledged one."""
    code = WRITER.format(paths=list(paths), data_dir=str(data_dir), token=token)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            stderr=subprocess.PIPE)
