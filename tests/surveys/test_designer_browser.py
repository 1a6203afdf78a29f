"""One journey in headless Chromium: pat designs an NPS survey with display logic and publishes it."""
import pytest

from appliance.core import db
from appliance.surveys import service
from survey_helpers import PASSWORD
from helpers import screenshot


@pytest.fixture
def server(app, live_server):
    app.config["WTF_CSRF_ENABLED"] = True
    return app, live_server(app).url


@pytest.mark.browser
def test_pat_designs_logic_in_words_and_publishes(server, browser):
    from playwright.sync_api import expect
    app, url = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    failures = []
    page.on("pageerror", lambda error: failures.append(str(error)))
    page.goto(url + "/login")
    page.fill("input[name=username]", "pat")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(url + "/surveys")
    page.click("form.lang-switch button[value=zh_CN]")
    page.goto(url + "/surveys/new")
    page.fill("#f-name", "门店满意度")
    page.click("button.primary[type=submit]")

    page.click(".palette-item[data-type=nps]")
    page.fill(".q-card.open textarea[data-field='text.zh_CN']", "您有多大可能向朋友推荐我们？")
    page.fill(".q-card.open textarea[data-field='text.en']", "How likely are you to recommend us?")
    page.click(".palette-item[data-type=text]")
    page.fill(".q-card.open textarea[data-field='text.zh_CN']", "请告诉我们原因")
    page.fill(".q-card.open textarea[data-field='text.en']", "Please tell us why")
    page.click(".q-card.open button.add-condition")
    rule = page.locator(".q-card.open .logic-box .rule-words")
    expect(rule).to_contain_text("显示条件：Q1")
    expect(rule).to_contain_text("≤ 6")
    expect(page.locator(".q-card.open .q-head .rule-words")).to_contain_text("≤ 6")
    expect(page.locator("#save-state")).to_have_text("已保存", timeout=10_000)
    preview = page.frame_locator("#preview-frame")
    preview.locator(".r-testmode").wait_for()               # the preview is a test run
    preview.locator(".r-rule").first.wait_for(state="attached")   # q2's rule, hidden until q1 ≤ 6
    page.wait_for_timeout(300)
    screenshot(page, "designer_zh")

    page.click("#publish")
    expect(page.locator("#save-state")).to_contain_text("第 1 版", timeout=10_000)
    screenshot(page, "designer_zh_published")
    page.close()
    assert failures == []
    with app.app_context():
        version = service.published_version(db.get_db(), 1)
    questions = version["document"]["pages"][0]["questions"]
    assert [q["type"] for q in questions] == ["nps", "text"]
    assert questions[1]["display_if"] == {"question": "q1", "op": "lte", "value": 6}
