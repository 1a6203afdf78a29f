"""The wave set-up walked in headless Chromium: a programme manager imports contacts, writes
an email template, schedules a wave, and the invitations arrive at the loopback relay; the
contacts, wave and delivery log pages on a desktop and on a 390 px phone."""

import pytest
from distribution_helpers import contacts_csv, publish_survey, use_relay

from appliance.core import db, settings
from appliance.distribution import sending, waves
from helpers import PASSWORD, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def sign_in(page, url, username):
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(url + "/")


def build_a_segment(page):
    """Two conditions (level is one of gold, silver; city is empty), counted, then saved."""
    page.click("#lists summary")
    form = page.locator("#lists form")
    form.locator("input[name=name]").fill("金卡或银卡")
    form.locator("input[name=attribute]").nth(0).fill("level")
    form.locator("select[name=op]").nth(0).select_option("in")
    form.locator("input[name=value]").nth(0).fill("gold, silver")
    form.locator("input[name=attribute]").nth(1).fill("city")
    form.locator("select[name=op]").nth(1).select_option("empty")
    form.locator("button[value=preview]").click()
    page.wait_for_selector("#segment-preview")
    assert "此分群目前选中 12 位联系人" in page.content()
    screenshot(page, "distribution-segment-desktop")
    page.locator("#lists form button[value=save]").click()
    page.wait_for_selector(".flash-success")
    assert "金卡或银卡" in page.locator("#lists table").inner_text()


def test_a_programme_manager_sets_up_an_email_wave(app, live_server, browser, smtp_server,
                                                  tmp_path):
    with app.app_context():
        database = db.get_db()
        use_relay(database, smtp_server.port)
        settings.set_many(database, {"distribution.quiet_start": "", "distribution.quiet_end": ""})
        publish_survey(database)
        database.execute("UPDATE users SET language = 'zh_CN' WHERE username = 'pat'")
    server = live_server(app)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(page, server.url, "pat")
    page.goto(server.url + "/distribution/contacts")
    csv_file = tmp_path / "contacts.csv"
    csv_file.write_bytes(contacts_csv(12, "EAST-01"))
    page.set_input_files("input[type=file]", str(csv_file))
    page.fill("input[name=list_name]", "十二位会员")
    page.click("form[enctype] button.primary")
    page.wait_for_selector(".flash-success")
    assert "新增 12 位联系人" in page.content()
    screenshot(page, "distribution-contacts-desktop")
    build_a_segment(page)

    page.goto(server.url + "/distribution/channels/new/email")
    page.fill("#f-name", "邮件中继")
    page.click("button.primary")
    page.goto(server.url + "/distribution/templates/new/email")
    page.fill("#f-name", "到店邀请")
    page.click("button[value=preview]")
    assert "cx.example.com/s/EXAMPLE-TOKEN" in page.content()
    page.click("button[value=save]")
    page.wait_for_selector(".flash-success")

    page.goto(server.url + "/distribution/waves/new")
    page.fill("#f-name", "十二月回访")
    for field in ("survey_id", "list_id", "channel_id", "template_id"):
        page.select_option(f"#f-{field}", index=1)
    page.check("input[name=schedule][value=cron]")
    page.fill("#f-cron", "every day")
    page.click("#wave-form button.primary")
    assert "不是有效的 cron 表达式" in page.content()      # refused, the form kept
    page.check("input[name=schedule][value=now]")
    page.fill("#f-reminder_days", "3")
    page.fill("#f-reminder_max", "1")
    screenshot(page, "distribution-wave-form-desktop")
    page.click("#wave-form button.primary")
    page.wait_for_selector(".flash-success")
    wave_url = page.url

    with app.app_context():
        database = db.get_db()
        waves.claim_due_runs(database)
        waves.build_pending_runs(database)
        sending.send_due(database)
    assert len(smtp_server.messages) == 12
    page.goto(wave_url)
    assert "十二月回访" in page.content()
    screenshot(page, "distribution-wave-desktop")
    page.click("table tbody tr td a")
    assert "sent" in page.content()
    screenshot(page, "distribution-invitation-desktop")

    phone = browser.new_page(viewport=PHONE, locale="zh-CN", is_mobile=True)
    sign_in(phone, server.url, "pat")
    for path, name in (("/distribution/contacts", "contacts"), (wave_url[len(server.url):], "wave")):
        phone.goto(server.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        screenshot(phone, f"distribution-{name}-phone")
        assert width <= PHONE["width"] + 1, f"{name} scrolls sideways on a phone ({width}px)"
