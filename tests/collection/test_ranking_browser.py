"""Ranking on a phone with ranking.js: drag an option by touch, move one with a button, submit."""
import json

import pytest
from collection_helpers import link_for, publish_survey, t

from appliance.core import db
from helpers import screenshot, touch_drag

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DOC = {
    "schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
    "title": t("门店体验", "Store visit"),
    "pages": [{"key": "p1", "questions": [
        {"key": "rank", "type": "ranking", "required": True,
         "text": t("请按重要程度排序", "Rank by importance"),
         "help": t("拖动左侧的把手，或使用箭头按钮", "Drag the grip or use the arrows"),
         "choices": [{"key": k, "text": t(zh, en)} for k, zh, en in (
             ("taste", "口味", "Taste"), ("speed", "上菜速度", "Speed"),
             ("price", "价格", "Price"), ("clean", "环境卫生", "Cleanliness"))]}]}],
}


def order(page):
    return page.eval_on_selector_all("ol.rk select", "els => els.map(e => [e.name, e.value])")


def test_a_respondent_ranks_by_touch_drag_and_buttons(app, live_server, browser):
    token = link_for(app, publish_survey(app, DOC)["id"])
    server = live_server(app)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    failures = []
    page.on("pageerror", lambda error: failures.append(str(error)))
    page.goto(f"{server.url}/s/{token}")
    page.wait_for_selector("ol.rk .rk-grip")
    assert [v for _n, v in order(page)] == ["", "", "", ""]   # nothing ranked until touched

    first = page.locator("ol.rk li").first.bounding_box()
    touch_drag(page, page.locator("ol.rk li:nth-child(4) .rk-grip"), first["y"] + 5)
    assert order(page) == [["rank.clean", "1"], ["rank.taste", "2"], ["rank.speed", "3"],
                           ["rank.price", "4"]]
    page.locator("ol.rk li:first-child .rk-btn").nth(1).tap()      # 环境卫生 ↓
    assert [n for n, _v in order(page)] == ["rank.taste", "rank.clean", "rank.speed", "rank.price"]
    assert page.locator("ol.rk + p[aria-live]").text_content() == "“环境卫生”现在排第 2 位"
    screenshot(page, "phone_ranking_zh")
    page.screenshot(path="/tmp/tingjian_ranking_phone.png")

    page.tap("button.go")
    page.wait_for_url("**/thanks**")
    context.close()
    with app.app_context():
        row = db.query_one(db.get_db(), "SELECT answers FROM responses")
    assert json.loads(row["answers"])["rank"] == ["taste", "clean", "speed", "price"]
    assert failures == []
