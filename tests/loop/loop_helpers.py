"""Helpers for the closed-loop tests: a feedback survey with a contact field, submissions
through the intake API, the queue run as the job runner runs it, rules and the relay."""
from appliance.collection import links
from appliance.core import db, queue, settings
from appliance.loop import rules
from appliance.org import units as units_service
from appliance.surveys import service as surveys


def t(zh, en):
    return {"zh_CN": zh, "en": en}


FEEDBACK = {
    "schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
    "title": t("门店反馈", "Store feedback"), "thank_you": t("谢谢！", "Thanks!"),
    "hidden_fields": ["unit", "channel"],
    "pages": [{"key": "p1", "questions": [
        {"key": "q1", "type": "nps", "text": t("推荐可能性", "Recommend?"), "required": True,
         "metric": "nps"},
        {"key": "q2", "type": "text", "text": t("原因", "Why?"), "multiline": True},
        {"key": "q3", "type": "rating", "text": t("满意度", "Satisfaction"), "scale": 5,
         "style": "stars", "metric": "csat", "touchpoint": "dining"},
        {"key": "again", "type": "single_choice", "text": t("还会再来吗", "Come again?"),
         "choices": [{"key": "yes", "text": t("会", "Yes")}, {"key": "no", "text": t("不会", "No")}]},
        {"key": "contact", "type": "contact", "text": t("联系方式", "Contact"),
         "fields": ["name", "phone", "email"]},
    ]}],
}
FOLLOWUP = {
    "schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
    "title": t("回访", "Follow-up"), "thank_you": t("谢谢！", "Thanks!"), "hidden_fields": [],
    "pages": [{"key": "p1", "questions": [
        {"key": "resolved", "type": "single_choice", "text": t("解决了吗", "Resolved?"),
         "required": True, "choices": [{"key": "yes", "text": t("是", "Yes")},
                                       {"key": "no", "text": t("否", "No")}]}]}],
}


def publish(app, document, name):
    with app.app_context():
        database = db.get_db()
        root = units_service.get_unit_by_code(database, "GROUP")
        survey = surveys.create(database, root, name, document=document)
        surveys.publish(database, survey)
        return surveys.get_survey(database, survey["id"])


def unit_token(app, survey_id, code):
    with app.app_context():
        database = db.get_db()
        unit = units_service.get_unit_by_code(database, code)
        return links.shared_link(database, survey_id, unit["id"])["token"]


def submit(client, token, nps, text="", email="", csat=None, again=None):
    answers = {"q1": nps}
    if text:
        answers["q2"] = text
    if csat is not None:
        answers["q3"] = csat
    if again:
        answers["again"] = again
    if email:
        answers["contact"] = {"name": "王女士", "phone": "13800000000", "email": email}
        answers["contact.consent"] = True
    response = api_post(client, {"token": token, "answers": answers})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["response_id"]


def api_post(client, body):
    """POST /api/v1/responses as an integration does (with a Bearer token once the
    integrations domain that requires one is present)."""
    return client.post("/api/v1/responses", json=body, headers=_bearer(client.application))


def _bearer(app):
    try:
        from appliance.integrations import tokens
    except ImportError:   # before the API tokens landed, intake took no token
        return {}
    if not getattr(app, "_loop_bearer", None):
        with app.app_context():
            database = db.get_db()
            group = units_service.get_unit_by_code(database, "GROUP")
            app._loop_bearer = tokens.create_token(database, "loop tests", group,
                                                   ["submit_responses"])[1]
    return {"Authorization": f"Bearer {app._loop_bearer}"}


def run_queue(app):
    """Deliver events and run due jobs, as the job runner's queue.drain tick does."""
    with app.app_context():
        return queue.run_until_idle(db.get_db())


def add_rule(app, **values):
    with app.app_context():
        database = db.get_db()
        root = units_service.get_unit_by_code(database, values.pop("unit", "GROUP"))
        rule = {"name": "差评工单", "unit_id": root["id"], "survey_id": None, "touchpoint": "",
                "match": "any", "conditions": [{"kind": "detractor"}], "notify_email": 1,
                "notify_app": 1, "open_ticket": 1, "priority": "high",
                "recipient_roles": ["unit_manager@0"], "recipient_users": [],
                "digest_minutes": 0}
        rule.update(values)
        return rules.create(database, rule)


def use_relay(app, port):
    with app.app_context():
        settings.set_many(db.get_db(), {"smtp.host": "127.0.0.1", "smtp.port": port,
                                        "smtp.security": "none",
                                        "smtp.sender": "tingjian@example.com",
                                        "org.base_url": "http://cem.example"})


def rows(app, sql, params=()):
    with app.app_context():
        return db.query_all(db.get_db(), sql, params)
