"""Piping on respondent pages: earlier answers and hidden fields in help texts, choices and
matrix rows, always escaped."""
import json
import re

from collection_helpers import link_for, publish_survey, t

from appliance.core import db

EVIL = "<script>alert(1)</script>"
DOC = {
    "schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
    "title": t("回访", "Follow-up"), "hidden_fields": ["order_id"],
    "pages": [
        {"key": "p1", "questions": [
            {"key": "dish", "type": "text", "text": t("您点了什么？", "What did you order?"),
             "multiline": False, "required": True}]},
        {"key": "p2", "questions": [
            {"key": "again", "type": "single_choice", "text": t("还会再点吗？", "Again?"),
             "help": t("订单 {{hidden.order_id}}：{{dish}}", "Order {{hidden.order_id}}: {{dish}}"),
             "choices": [{"key": "yes", "text": t("会，还点{{dish}}", "Yes, {{dish}} again")},
                         {"key": "no", "text": t("不会", "No")}], "required": True},
            {"key": "grid", "type": "matrix", "text": t("评价", "Rate"),
             "rows": [{"key": "taste", "text": t("{{dish}}的味道", "Taste of {{dish}}")}],
             "scale": [{"value": v, "text": t(str(v), str(v))} for v in (1, 2, 3)]}]},
        {"key": "p3", "questions": [
            {"key": "why", "type": "text", "text": t("您选了“{{again}}”，为什么？", "You said {{again}}: why?")}]},
    ],
}


def answer(client, url, values):
    html = client.get(url).get_data(as_text=True)
    state = {name: re.search(f'name="{name}" value="([^"]+)"', html).group(1)
             for name in ("_page", "_rt")}
    return client.post(url, data={**state, **values})


def test_help_choices_and_rows_show_earlier_answers_escaped(app, client):
    token = link_for(app, publish_survey(app, DOC)["id"])
    url = f"/s/{token}?order_id=A-7<b>"
    assert answer(client, url, {"dish": "鱼香肉丝" + EVIL}).status_code == 302
    page2 = client.get(url).get_data(as_text=True)
    inert = "鱼香肉丝&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f'<p class="q-help" id="h-again">订单 A-7&lt;b&gt;：{inert}</p>' in page2
    assert f"<span>会，还点{inert}</span>" in page2
    assert f'<th scope="row" id="r-grid-taste">{inert}的味道</th>' in page2
    assert "<script>" not in page2 and "<b>" not in page2 and "{{" not in page2

    assert answer(client, url, {"again": "yes", "grid.taste": "3"}).status_code == 302
    page3 = client.get(url).get_data(as_text=True)   # a piped choice label is piped in turn
    assert f"您选了“会，还点{inert}”，为什么？" in page3

    english = client.get(url + "&lang=en").get_data(as_text=True)
    assert "You said Yes, 鱼香肉丝&lt;script&gt;alert(1)&lt;/script&gt; again: why?" in english
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT answers FROM responses")
    assert json.loads(row["answers"])["again"] == "yes"


def test_staff_see_the_texts_as_this_respondent_saw_them(app, client, as_user):
    token = link_for(app, publish_survey(app, DOC)["id"])
    url = f"/s/{token}?order_id=A-7"
    answer(client, url, {"dish": "鱼香肉丝" + EVIL})
    answer(client, url, {"again": "yes", "grid.taste": "3"})
    answer(client, url, {"why": "好吃"})
    with app.app_context():
        response_id = db.query_one(db.get_db(), "SELECT id, status FROM responses")["id"]
    html = as_user("alice").get(f"/responses/{response_id}").get_data(as_text=True)
    inert = "鱼香肉丝&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f"您选了“会，还点{inert}”，为什么？" in html   # the question, piped
    assert f"会，还点{inert}" in html and f"{inert}的味道: 3" in html   # answers, piped labels
    assert "{{" not in html and "<script>alert" not in html
