"""The closed loop as a new user meets it, in headless Chromium: a detractor with a sensitive
word answers on a phone, a ticket opens within seconds (the real job runner drains the
queue), the store manager gets the email at a loopback SMTP server and sees the ticket,
it breaches (the clock moved) and escalates to the region, the store resolves it, the
follow-up arrives and is answered, and the closed-loop KPIs move."""
import re
from email import message_from_bytes, policy

import pytest
from helpers import PASSWORD, make_app, screenshot
from loop_helpers import (FEEDBACK, FOLLOWUP, add_rule, publish, run_queue, unit_token,
                          use_relay)
from test_tickets import region_manager

from appliance.core import clock, db
from appliance.loop import escalation, followup

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def wait_for_mail(inbox, to, timeout=20):
    """The first message to `to`, waiting on the server's signal (no sleeping)."""
    for _ in range(timeout * 4):
        found = [m for m in inbox.messages if to in m.rcpt_tos]
        if found:
            return message_from_bytes(found[0].content, policy=policy.default)
        inbox.received.clear()
        inbox.received.wait(0.25)
    raise AssertionError(f"no email to {to}")


def sign_in(browser, url, username):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(url + "/")
    page.click("button[name=language][value=zh_CN]")
    return context, page


def answer_on_a_phone(browser, url, path, fill):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(url + path)
    fill(page)
    page.click("button.go")
    page.wait_for_url("**/thanks**")
    context.close()


def test_the_closed_loop_from_a_phone_complaint_to_a_measured_recovery(
        data_dir, live_server, browser, smtp_server):
    app = make_app(data_dir, jobs=True, job_interval_seconds=1)
    feedback = publish(app, FEEDBACK, "门店反馈")
    follow = publish(app, FOLLOWUP, "回访")
    with app.app_context():
        followup.configure(db.get_db(), follow["id"], None)
    region_manager(app)
    add_rule(app, name="差评或敏感词", priority="urgent",
             conditions=[{"kind": "detractor"}, {"kind": "sensitive", "categories": []}])
    use_relay(app, smtp_server.port)
    url = live_server(app).url

    def complain(page):
        page.click("label[for=i-q1-2]")
        page.fill("textarea[name=q2]", "服务员态度很差，上菜太慢了，我要投诉到消协！")
        page.fill("input[name='contact.email']", "wang@example.com")
        page.check("#i-contact-consent")   # the purpose of the contact, agreed to (PIPL)
    answer_on_a_phone(browser, url, f"/s/{unit_token(app, feedback['id'], 'EAST-01')}", complain)

    alert = wait_for_mail(smtp_server, "bob@example.com")
    ticket_url = re.search(r"http://cem.example(/tickets/\d+)",
                           alert.get_body(("plain",)).get_content()).group(1)
    bob, page = sign_in(browser, url, "bob")
    page.goto(url + "/tickets/")
    assert page.locator(".lp-card").count() == 1 and "投诉到消协" in page.content()
    screenshot(page, "loop_queue_phone_zh")
    page.goto(url + ticket_url)
    assert page.locator("mark", has_text="消协").count() == 1
    assert "剩余" in page.locator(".lp-due").inner_text()
    screenshot(page, "loop_ticket_phone_zh")

    clock.shift(31 * 60)   # past the 30-minute acknowledgement SLA of an urgent ticket
    with app.app_context():
        assert escalation.run(db.get_db())[1] == 1
    assert "升级" in wait_for_mail(smtp_server, "rita@example.com")["Subject"]
    rita, region = sign_in(browser, url, "rita")
    region.goto(url + "/tickets/?view=escalated")
    assert region.locator(".lp-card").count() == 1
    rita.close()

    page.reload()
    assert "已超时" in page.locator(".lp-due").inner_text()
    assert "已通知 Rita" in page.locator(".timeline").inner_text()   # who the escalation told
    screenshot(page, "loop_ticket_escalated_phone_zh")
    page.select_option("select[name=root_cause]", "staff_attitude")
    page.click("form[action$='root_cause'] button")
    page.click("button:has-text('解决')")
    page.wait_for_selector(".lp-st-resolved")
    invitation = wait_for_mail(smtp_server, "wang@example.com")
    link = re.search(r"/s/[\w-]+", invitation.get_body(("plain",)).get_content()).group(0)
    answer_on_a_phone(browser, url, link, lambda p: p.click("text=是"))

    run_queue(app)   # the job runner's drain, run here at once rather than waited for
    page.goto(url + "/tickets/kpis")
    assert page.locator("[data-kpi=recovery]").inner_text() == "100.0 %"
    assert page.locator("[data-kpi=escalation]").inner_text() == "100.0 %"
    screenshot(page, "loop_kpis_phone_zh")
    bob.close()
    app.extensions["job_runner"].stop()
