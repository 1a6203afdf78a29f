"""In headless Chromium: the responses page on a 390 px phone and at 1366 px, touch targets on
respondent pages, CSAT faces drawn from shipped icons, and a comment kept when the tab closes."""
import json

import pytest
from collection_helpers import link_for, publish_survey

from appliance.core import db
from helpers import PASSWORD, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def sign_in(page, url, username):
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/login" not in u)


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def some_responses(app, client, survey):
    token = link_for(app, survey["id"], "EAST-01")
    for nps in (3, 8, 10):
        answers = {"nps": nps, "comment": "上菜太慢了，服务员态度还可以，下次再来看看"}
        if nps <= 6:
            answers["why"] = "等了四十分钟"
        assert client.post("/api/v1/responses", json={"token": token, "answers": answers}) \
            .status_code == 201


def test_the_responses_page_fits_a_phone_and_its_filters_keep_their_shape(app, client,
                                                                         live_server, browser):
    survey = publish_survey(app)
    some_responses(app, client, survey)
    server = live_server(app)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    sign_in(page, server.url, "alice")
    page.goto(server.url + "/responses/")
    screenshot(page, "responses_phone")
    assert page_width(page) <= PHONE["width"]
    context.close()

    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    sign_in(page, server.url, "alice")
    page.goto(server.url + "/responses/")
    screenshot(page, "responses_1366")
    assert page_width(page) <= DESKTOP["width"]
    bar = page.locator("form:has(select[name=survey_id])")
    controls = bar.locator("select, input:not([type=hidden])").all()
    assert len(controls) == 9   # survey, unit, from, to, score, min, max, search, status
    for control in controls:
        box = control.bounding_box()
        assert box["width"] >= 80, (control.get_attribute("name"), box)   # not squeezed to an arrow
    for label in bar.locator("label").all():
        assert label.bounding_box()["height"] < 80   # not one character per line
    context.close()


def test_nps_buttons_and_matrix_radios_are_big_enough_to_touch(app, live_server, browser):
    survey = publish_survey(app)
    token = link_for(app, survey["id"], "EAST-01")
    server = live_server(app)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{server.url}/s/{token}")
    for value in range(11):
        box = page.locator(f"label[for=i-nps-{value}]").bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (value, box)
    faces = page.locator("#q-faces img.face")
    assert faces.count() == 5
    assert all(face.evaluate("img => img.complete && img.naturalWidth > 0") for face in faces.all())
    screenshot(page, "touch_phone_p1")
    page.click("label[for=i-nps-8]")
    page.click("button.go")
    page.wait_for_selector("input[name=_page][value=p2]", state="attached")
    cells = page.locator("table.matrix label.cell")
    assert cells.count() == 6
    for cell in cells.all():
        box = cell.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, box
    cells.first.click()
    assert page.locator("input[name='grid.r1'][value='1']").is_checked()
    assert page_width(page) <= PHONE["width"]
    screenshot(page, "touch_phone_p2")
    context.close()


def test_a_half_typed_comment_survives_closing_the_tab(app, live_server, browser):
    survey = publish_survey(app)
    token = link_for(app, survey["id"], "EAST-01")
    server = live_server(app)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{server.url}/s/{token}")
    page.click("label[for=i-nps-10]")             # a promoter: straight to the comment page
    page.click("button.go")
    page.wait_for_selector("input[name=_page][value=p3]", state="attached")
    page.fill("textarea[name=comment]", "服务很好，就是停车")   # perhaps before the page's script ran
    page.goto("about:blank")                       # the tab moves away: pagehide sends the page
    with app.app_context():
        for _ in range(50):
            row = db.query_one(db.get_db(), "SELECT answers FROM responses")
            if "comment" in json.loads(row["answers"]):
                break
            page.wait_for_timeout(100)             # the beacon is on its way (no signal to wait on)
    again = context.new_page()
    again.goto(f"{server.url}/s/{token}")
    assert again.locator("textarea[name=comment]").input_value() == "服务很好，就是停车"
    screenshot(again, "resume_comment_phone")
    context.close()
