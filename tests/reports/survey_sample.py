"""A published survey with every question type the survey report prints, and answers sent
through the responses API (as an integrating system would), summaries and texts analysed."""
from appliance.collection import limits, links
from appliance.core import db, queue
from appliance.org import units as units_service
from appliance.surveys import service as surveys
from helpers import token_client

HOSTILE = "<script>alert(1)</script> 服务员态度很差，等了很久，联系我 13812345678"


def t(zh, en):
    return {"zh_CN": zh, "en": en}


def choices(*pairs):
    return [{"key": key, "text": t(zh, en)} for key, zh, en in pairs]


DOCUMENT = {
    "schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
    "title": t("门店体验调查", "Store survey"), "thank_you": t("谢谢！", "Thanks!"),
    "hidden_fields": ["unit"],
    "pages": [{"key": "p1", "title": t("问卷", "Survey"), "questions": [
        {"key": "nps", "type": "nps", "text": t("推荐可能性", "Recommend?"), "metric": "nps"},
        {"key": "stars", "type": "rating", "text": t("总体满意度", "Satisfaction"), "scale": 5,
         "metric": "csat"},
        {"key": "visit", "type": "single_choice", "text": t("本次到店目的", "Why you came"),
         "choices": choices(("eat", "堂食", "Eat in"), ("take", "外带", "Take away"))},
        {"key": "liked", "type": "multiple_choice", "text": t("您喜欢哪些方面", "What you liked"),
         "choices": choices(("food", "菜品口味", "Food"), ("staff", "服务态度", "Staff"),
                            ("price", "价格", "Price"))},
        {"key": "grid", "type": "matrix", "text": t("各项评价", "Ratings"),
         "rows": choices(("clean", "环境整洁", "Clean"), ("speed", "上菜速度", "Speed")),
         "scale": [{"value": v, "text": t(str(v), str(v))} for v in (1, 2, 3, 4, 5)]},
        {"key": "rank", "type": "ranking", "text": t("请按重要性排序", "Rank by importance"),
         "choices": choices(("taste", "口味", "Taste"), ("wait", "等待时间", "Waiting"),
                            ("cost", "价格", "Cost"))},
        {"key": "why", "type": "text", "text": t("请告诉我们原因", "Tell us why"),
         "max_length": 1000},
        {"key": "contact", "type": "contact", "text": t("联系方式", "Contact"),
         "fields": ["name", "phone"]}]}],
}


def answers(i):
    """Ten answers with known totals: NPS 6x9-10, 2x7-8, 2x0-6 -> 40; eat in 7 of 10."""
    return {"nps": [10, 9, 9, 10, 9, 9, 8, 7, 3, 5][i], "stars": [5, 5, 4, 4, 5, 4, 3, 4, 2, 1][i],
            "visit": "eat" if i < 7 else "take",
            "liked": ["food", "staff"] if i % 2 == 0 else ["food"],
            "grid": {"clean": 5 if i < 8 else 2, "speed": 4},
            "rank": ["taste", "wait", "cost"] if i < 6 else ["wait", "taste", "cost"],
            "why": HOSTILE if i == 9 else ["菜品很好吃，服务员很热情。", "上菜很快，环境干净。",
                                           "价格实惠，下次还来。"][i % 3],
            "contact": {"name": "王小明", "phone": "13900001111"}, "contact.consent": True}


def publish_and_answer(app, unit_code="EAST-01", count=10):
    limits.WINDOW.reset()
    with app.app_context():
        database = db.get_db()
        owner = units_service.get_unit_by_code(database, "GROUP")
        survey = surveys.create(database, owner, "门店体验调查", document=DOCUMENT)
        surveys.publish(database, survey)
        unit = units_service.get_unit_by_code(database, unit_code)
        token = links.shared_link(database, survey["id"], unit["id"])["token"]
    client = token_client(app)
    for i in range(count):
        sent = client.post("/api/v1/responses", json={"token": token, "answers": answers(i)},
                           environ_overrides={"REMOTE_ADDR": f"10.0.0.{i + 1}"})   # no burst
        assert sent.status_code == 201, sent.get_json()
    with app.app_context():
        queue.run_until_idle(db.get_db(), limit=10_000)
    return survey["id"]
