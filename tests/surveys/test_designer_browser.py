"""One journey in headless Chromium: pat designs an NPS survey with display logic and publishes it."""
import threading

import pytest
from werkzeug.serving import make_server

from appliance.core import db
from appliance.surveys import service
from survey_helpers import PASSWORD

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def server(app):
    app.config["WTF_CSRF_ENABLED"] = True
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


@pytest.mark.browser
def test_pat_designs_logic_in_words_and_publishes(server):
    from playwright.sync_api import expect, sync_playwright
    app, url = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
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
        page.frame_locator("#preview-frame").locator(".r-rule").first.wait_for()
        page.wait_for_timeout(300)
        page.screenshot(path="/tmp/designer_zh.png")

        page.click("#publish")
        expect(page.locator("#save-state")).to_contain_text("第 1 版", timeout=10_000)
        page.screenshot(path="/tmp/designer_zh_published.png")
        browser.close()
    assert failures == []
    with app.app_context():
        version = service.published_version(db.get_db(), 1)
    questions = version["document"]["pages"][0]["questions"]
    assert [q["type"] for q in questions] == ["nps", "text"]
    assert questions[1]["display_if"] == {"question": "q1", "op": "lte", "value": 6}
