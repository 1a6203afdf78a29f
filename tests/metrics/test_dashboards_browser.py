"""Dashboards in headless Chromium: a store manager on a phone opens their dashboard; a
programme manager drills from the group to a region, a store and one response."""
import pytest

from appliance.core import clock
from appliance.core.db import get_db
from appliance.metrics import demo as metrics_demo
from helpers import PASSWORD, screenshot
from metrics_helpers import add, deliver, restaurant_survey

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def scored(app):
    with app.app_context():
        database = get_db()
        survey = restaurant_survey(database, name="餐厅就餐体验 (demo)")
        database.execute("UPDATE users SET language = 'zh_CN'")
        for code, scores in (("EAST-01", [10, 9, 3, 2, 8]), ("EAST-02", [9, 9]), ("SOUTH-01", [4, 10])):
            for nps in scores:
                add(database, survey, code, clock.now_iso(), nps=nps, csat=4,
                    answers={"q1": nps, "q2": "上菜太慢了", "q3": 4, "q4": 2, "q5": 5, "q6": 4,
                             "q7": 4})
        metrics_demo.seed(database, {}, echo=lambda line: None)
        deliver(database)


def sign_in(page, url, username):
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(url + "/")


def test_a_store_manager_opens_their_dashboard_on_a_phone(app, live_server, browser, scored):
    server = live_server(app)
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, server.url, "bob")
    page.wait_for_selector(".chart[data-chart=trend] svg")          # ECharts drew the trend
    text = page.inner_text("main")
    assert "今天要改进什么" in text and "上海一店" in text and "最新贬损者" in text
    assert "广州一店" not in text
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1                               # nothing wider than the phone
    screenshot(page, "dashboard-frontline-phone-zh")
    context.close()


def test_a_programme_manager_drills_from_group_to_a_response(app, live_server, browser, scored):
    server = live_server(app)
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    sign_in(page, server.url, "pat")
    assert "旅程地图" in page.inner_text("main")
    page.click("table.league a:text('华东区')")
    page.wait_for_url("**node=EAST**")
    page.click("table.league a:text('上海一店')")
    page.wait_for_url("**node=EAST-01**")
    assert "今天要改进什么" in page.inner_text("main")
    page.click("ul.verbatims a >> nth=0")                            # a detractor's response
    page.wait_for_url("**/responses/**")
    assert "上菜太慢了" in page.inner_text("main")
    screenshot(page, "dashboard-drill-response-zh")
