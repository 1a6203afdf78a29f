"""Helpers for the collection tests: a survey document with every question type and its answers."""
import copy

from appliance.collection import links
from appliance.core import db
from appliance.org import units as units_service
from appliance.surveys import service as surveys


def t(zh, en):
    return {"zh_CN": zh, "en": en}


def choices(*keys):
    return [{"key": k, "text": t(f"选项{k}", f"Option {k}")} for k in keys]


EVERY_TYPE = {
    "schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
    "title": t("全题型问卷", "Every question type"),
    "thank_you": t("谢谢您的反馈！", "Thanks for your feedback!"),
    "hidden_fields": ["unit", "channel", "order_id"],
    "pages": [
        {"key": "p1", "title": t("总体", "Overall"),
         "skip_to": [{"if": {"question": "nps", "op": "gte", "value": 9}, "page": "p3"}],
         "questions": [
             {"key": "nps", "type": "nps", "text": t("推荐可能性", "How likely to recommend?"),
              "required": True, "metric": "nps"},
             {"key": "why", "type": "text", "text": t("为什么给这个分数？", "Why this score?"),
              "required": True, "display_if": {"question": "nps", "op": "lte", "value": 6}},
             {"key": "stars", "type": "rating", "text": t("满意度", "Satisfaction"),
              "scale": 5, "style": "stars", "metric": "csat"},
             {"key": "faces", "type": "rating", "text": t("心情", "Mood"), "scale": 5,
              "style": "faces"}]},
        {"key": "p2", "title": t("细节", "Details"), "questions": [
            {"key": "choice", "type": "single_choice", "text": t("单选", "Pick one"),
             "help": t("您给了 {{nps}} 分", "You gave {{nps}}"),
             "choices": choices("a", "b", "other"), "other": True, "randomize": True},
            {"key": "multi", "type": "multiple_choice", "text": t("多选", "Pick some"),
             "choices": choices("a", "b", "c"), "min": 1, "max": 2},
            {"key": "drop", "type": "dropdown", "text": t("下拉", "Dropdown"),
             "choices": choices("x", "y")},
            {"key": "effort", "type": "ces", "text": t("费力度", "Effort"), "scale": 7,
             "metric": "ces"},
            {"key": "grid", "type": "matrix", "text": t("矩阵", "Matrix"),
             "rows": choices("r1", "r2"),
             "scale": [{"value": v, "text": t(str(v), str(v))} for v in (1, 2, 3)]},
            {"key": "rank", "type": "ranking", "text": t("排序", "Rank"),
             "choices": choices("m", "n", "o")}]},
        {"key": "p3", "title": t("关于您", "About you"), "questions": [
            {"key": "comment", "type": "text", "text": t("其他建议", "Anything else?"),
             "max_length": 500},
            {"key": "visits", "type": "number", "text": t("到店次数", "Visits"), "min": 0,
             "max": 100, "integer": True},
            {"key": "day", "type": "date", "text": t("到访日期", "Visit date"),
             "min": "2020-01-01", "max": "2030-12-31"},
            {"key": "contact", "type": "contact", "text": t("联系方式", "Contact"),
             "fields": ["name", "phone", "email"]}]},
    ],
}

PAGE2 = {"choice": "other", "choice.other": "朋友推荐", "multi": ["a", "c"], "drop": "y",
         "effort": 6, "grid": {"r1": 1, "r2": 3}, "rank": ["o", "m", "n"]}
PAGE3 = {"comment": "很好 👍", "visits": 3, "day": "2026-01-15",
         "contact": {"name": "王小明", "phone": "13800138000", "email": "wang@example.com"},
         "contact.consent": True}
FULL = {"nps": 7, "stars": 4, "faces": 5, **PAGE2, **PAGE3}


def publish_survey(app, doc=None, unit_code="GROUP", **settings):
    with app.app_context():
        database = db.get_db()
        owner = units_service.get_unit_by_code(database, unit_code)
        survey = surveys.create(database, owner, "全题型问卷", document=copy.deepcopy(doc or EVERY_TYPE))
        version = surveys.publish(database, survey)
        if settings:
            values = {"name": survey["name"], "opens_at": None, "closes_at": None,
                      "quota_total": None, "quota_per_unit": None, "close_message": {}}
            values.update(settings)
            surveys.update_settings(database, surveys.get_survey(database, survey["id"]), values)
        return {"id": survey["id"], "version_id": version["id"]}


def link_for(app, survey_id, unit_code=None):
    with app.app_context():
        database = db.get_db()
        unit = units_service.get_unit_by_code(database, unit_code) if unit_code else None
        return links.shared_link(database, survey_id, unit["id"] if unit else None)["token"]


def count(app, table="responses"):
    with app.app_context():
        return db.get_db().execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
