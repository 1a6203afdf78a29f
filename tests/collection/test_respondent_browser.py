"""A customer answers on a phone: per-unit link, a skipped page, a reload mid-way, thank-you."""
import json

import pytest
from collection_helpers import link_for, publish_survey

from appliance.core import db
from helpers import screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_a_customer_answers_on_a_phone(app, live_server, browser):
    survey = publish_survey(app)
    token = link_for(app, survey["id"], "EAST-01")
    server = live_server(app)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{server.url}/s/{token}?order_id=A-77&channel=qr")
    assert "推荐可能性" in page.content() and "第 1 页" in page.content()
    page.click("label[for=i-nps-8]")
    page.click("label[for=i-stars-4]")
    page.click("label[for=i-faces-5]")
    screenshot(page, "phone_zh")
    page.click("button.go")                      # 8 is not a detractor: "why" stays hidden

    page.wait_for_selector("input[name=_page][value=p2]", state="attached")
    page.reload()                                # the partial response resumes on this device
    page.wait_for_selector("input[name=_page][value=p2]", state="attached")
    page.click("text=选项b")
    page.click("text=选项a")
    page.select_option("select[name=drop]", "x")
    page.select_option("select[name='rank.m']", "1")
    page.select_option("select[name='rank.n']", "2")
    page.select_option("select[name='rank.o']", "3")
    screenshot(page, "phone_zh_page2")
    page.click("button.go")

    page.wait_for_selector("input[name=_page][value=p3]", state="attached")
    page.fill("textarea[name=comment]", "服务很好 <b>谢谢</b>")
    page.keyboard.press("Tab")
    page.click("button.go")
    page.wait_for_url("**/thanks**")
    assert "谢谢您的反馈" in page.content()
    screenshot(page, "phone_zh_thanks")
    context.close()

    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT r.*, u.code FROM responses r "
                                        "JOIN units u ON u.id = r.unit_id")
    answers = json.loads(row["answers"])
    assert row["status"] == "complete" and row["code"] == "EAST-01" and row["nps"] == 8
    assert "why" not in answers and answers["comment"] == "服务很好 <b>谢谢</b>"
    assert answers["rank"] == ["m", "n", "o"] and json.loads(row["hidden"])["order_id"] == "A-77"
