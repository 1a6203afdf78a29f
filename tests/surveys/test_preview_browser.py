"""The designer's preview as a click-through test in headless Chromium: one page at a time,
skip and display logic applied, piped answers filled in, CSAT faces drawn from shipped icons."""
import json

import pytest
from survey_helpers import PASSWORD

from appliance.core import db
from appliance.org import units as units_service
from appliance.surveys import service
from helpers import screenshot

pytestmark = pytest.mark.browser


def t(zh, en):
    return {"zh_CN": zh, "en": en}


DOC = {"schema": 1, "languages": ["zh_CN", "en"], "default_language": "zh_CN",
       "title": t("餐厅回访", "Restaurant follow-up"), "hidden_fields": ["unit"],
       "thank_you": t("谢谢！", "Thanks!"),
       "pages": [
           {"key": "p1", "title": t("总体", "Overall"),
            "skip_to": [{"if": {"question": "q1", "op": "gte", "value": 9}, "page": "p3"}],
            "questions": [{"key": "q1", "type": "nps", "text": t("推荐可能性", "Recommend?"),
                           "metric": "nps", "required": True}]},
           {"key": "p2", "title": t("原因", "Why"), "questions": [
               {"key": "q2", "type": "text", "text": t("您给了 {{q1}} 分，原因是？", "You gave {{q1}}: why?"),
                "display_if": {"question": "q1", "op": "lte", "value": 6}},
               {"key": "q3", "type": "rating", "text": t("心情", "Mood"), "scale": 5,
                "style": "faces", "metric": "csat"}]},
           {"key": "p3", "title": t("最后", "Last"), "questions": [
               {"key": "q4", "type": "text", "text": t("其他建议", "Anything else?")}]}]}


def open_preview(app, live_server, browser, viewport):
    with app.app_context():
        database = db.get_db()
        survey = service.create(database, units_service.get_unit_by_code(database, "GROUP"),
                                "回访", document=json.loads(json.dumps(DOC)))
    server = live_server(app)
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.failures = []
    page.on("pageerror", lambda error: page.failures.append(str(error)))
    page.goto(server.url + "/login")
    page.fill("input[name=username]", "pat")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{server.url}/surveys/{survey['id']}/preview?lang=zh_CN")
    page.wait_for_selector(".r-testmode")
    return page


def visible_pages(page):
    return [s.get_attribute("data-page") for s in page.locator("section.r-page").all()
            if s.is_visible()]


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}])
def test_the_preview_runs_the_survey_page_by_page(app, live_server, browser, viewport):
    page = open_preview(app, live_server, browser, viewport)
    assert visible_pages(page) == ["p1"]                     # not every page at once
    page.click("section[data-page=p1] input[value='3'] + span")
    page.click("button.r-next")
    assert visible_pages(page) == ["p2"]
    why = page.locator("fieldset[data-key=q2]")
    assert why.is_visible() and "您给了 3 分，原因是？" in why.inner_text()   # piped, live
    faces = page.locator("fieldset[data-key=q3] img.r-face")
    assert faces.count() == 5
    assert all(face.evaluate("img => img.complete && img.naturalWidth > 0") for face in faces.all())
    screenshot(page, f"preview_test_p2_{viewport['width']}")
    page.click("button.r-back")
    assert visible_pages(page) == ["p1"]
    page.click("section[data-page=p1] input[value='10'] + span")
    page.click("button.r-next")
    assert visible_pages(page) == ["p3"]                      # the skip rule jumped over p2
    assert page.locator("button.r-next").inner_text() == "提交"
    page.click("button.r-next")
    assert page.locator(".r-end").is_visible() and "谢谢！" in page.locator(".r-end").inner_text()
    screenshot(page, f"preview_test_end_{viewport['width']}")
    page.click("button.r-restart")
    assert visible_pages(page) == ["p1"]
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.failures == []
    page.context.close()
