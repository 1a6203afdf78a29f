"""Issue 3's journey end to end in headless Chromium: a programme manager designs a survey
with logic, publishes it, a customer answers through a store's link on a phone (a question
skipped by the logic, a partial response resumed after a reload), and the response is
found in the list."""
import re

import pytest

from helpers import PASSWORD, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def sign_in(page, url, username):
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(url + "/")


def design_and_publish(page, url):
    from playwright.sync_api import expect
    page.goto(url + "/surveys/new")
    page.fill("#f-name", "门店体验 journey")
    page.click("button.primary[type=submit]")
    page.wait_for_selector(".palette-item[data-type=nps]")
    page.click(".palette-item[data-type=nps]")
    page.fill(".q-card.open textarea[data-field='text.zh_CN']", "您有多大可能向朋友推荐我们？")
    page.fill(".q-card.open textarea[data-field='text.en']", "How likely are you to recommend us?")   # every declared language
    page.click(".palette-item[data-type=text]")
    page.fill(".q-card.open textarea[data-field='text.zh_CN']", "请告诉我们哪里需要改进")
    page.fill(".q-card.open textarea[data-field='text.en']", "What should we improve?")   # every declared language
    page.click(".q-card.open button.add-condition")      # shown only when Q1 <= 6
    expect(page.locator(".q-card.open .logic-box .rule-words")).to_contain_text("≤ 6")
    page.click("button.add-page")
    page.click(".palette-item[data-type=rating]")
    page.fill(".q-card.open textarea[data-field='text.zh_CN']", "您对上菜速度满意吗？")
    page.fill(".q-card.open textarea[data-field='text.en']", "Were you happy with how fast the food came?")   # every declared language
    expect(page.locator("#save-state")).to_have_text("已保存", timeout=10_000)
    screenshot(page, "journey-designer-zh")
    page.click("#publish")
    expect(page.locator("#save-state")).to_contain_text("第 1 版", timeout=10_000)
    return int(re.search(r"/surveys/(\d+)/design", page.url).group(1))


def store_link(page, url, survey_id, unit_code):
    page.goto(f"{url}/surveys/{survey_id}")
    page.click("#survey-links")
    row = page.locator("tr", has_text=unit_code).first
    return re.search(r"/s/[\w-]+", row.locator("code").nth(1).inner_text()).group(0)


def answer_on_a_phone(browser, url, path):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(url + path)
    assert "您有多大可能向朋友推荐我们" in phone.content()
    assert "请告诉我们哪里需要改进" not in phone.content()   # hidden until Q1 is low
    phone.click("label[for$='-9']")                         # a promoter: the "why" is skipped
    screenshot(phone, "journey-phone-zh")
    phone.click("button.go")
    phone.wait_for_selector("text=您对上菜速度满意吗")
    phone.reload()                                           # the partial response resumes here
    phone.wait_for_selector("text=您对上菜速度满意吗")
    phone.locator("fieldset label").nth(3).click()           # four stars
    phone.click("button.go")
    phone.wait_for_url("**/thanks**")
    context.close()


def test_design_publish_answer_on_a_phone_and_find_the_response(app, live_server, browser):
    app.config["WTF_CSRF_ENABLED"] = True
    server = live_server(app)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, server.url, "pat")
    page.click("form.lang-switch button[value=zh_CN]")
    survey_id = design_and_publish(page, server.url)
    path = store_link(page, server.url, survey_id, "EAST-01")

    answer_on_a_phone(browser, server.url, path)

    page.goto(f"{server.url}/responses/?survey_id={survey_id}")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "上海一店" in rows.first.inner_text() and "9" in rows.first.inner_text()
    rows.first.locator("a").first.click()
    answer_of = lambda text: page.locator("tr", has_text=text).locator("td.answer").inner_text()
    assert answer_of("您对上菜速度满意吗") == "4"
    assert answer_of("请告诉我们哪里需要改进") == "—"    # skipped by the logic
    screenshot(page, "journey-response-zh")
    page.close()
